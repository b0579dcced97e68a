-- Bivariate Moran, Moran's I of empirical Bayes rates and differential Moran
-- against R spdep (moran_bv, localmoran_bv, EBImoran.mc, moran.test,
-- localmoran), the permutation moments of test/data/make/geoda.R and the
-- values of esda 2.4.3's own tests; analytic values within 1e-9 relative,
-- pseudo p-values within Monte Carlo error.
SET extra_float_digits = 0;
\set ECHO none
\i test/lib/geoda_ref.sql
\set ECHO all

-- ---- morans_i_bv ----

CREATE TEMP TABLE bv AS
SELECT c.weights, st.style, p.xname, p.yname,
       (morans_i_bv(p.xv, p.yv, p.geom, c.options || ' style=' || st.style || ' seed=7')).*
FROM ref.weights_config c
CROSS JOIN (VALUES ('W'), ('B')) st(style)
CROSS JOIN ref.columbus_pairs p
WHERE c.weights IN (SELECT weights FROM ref.bivariate)
GROUP BY c.weights, st.style, p.xname, p.yname;
-- the GAL file shipped with spData, through the list form
INSERT INTO bv
SELECT 'colgal', st.style, p.xname, p.yname,
       (morans_i_bv(p.xv, p.yv, l.id::bigint, l.neighbors, 'style=' || st.style || ' seed=7')).*
FROM ref.nb_lists l JOIN ref.columbus_pairs p USING (id)
CROSS JOIN (VALUES ('W'), ('B')) st(style)
WHERE l.weights = 'colgal'
GROUP BY st.style, p.xname, p.yname;

CREATE TEMP VIEW bv_comparison AS
SELECT r.weights, r.style, r.x, r.y, f.field, f.ours, f.theirs
FROM ref.bivariate r
JOIN bv o ON o.weights = r.weights AND o.style = r.style AND o.xname = r.x AND o.yname = r.y
CROSS JOIN LATERAL (VALUES ('n', o.n::float8, r.n::float8), ('i', o.i, r.i), ('expected', o.expected, r.e_i),
                           ('variance', o.variance, r.var_i)) f(field, ours, theirs);

SELECT count(DISTINCT (weights, style, x, y)) AS reference_rows, count(*) AS values_compared FROM bv_comparison;
-- no rows expected
SELECT * FROM bv_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4, 5;

-- 999 permutations of y against 20,000 of R: within Monte Carlo error
SELECT count(*) AS compared,
       count(*) FILTER (WHERE NOT ref.within_mc(o.p_sim, r.p_sim_ref, 999)) AS outside_mc_error,
       count(*) FILTER (WHERE o.p_sim * 1000 <> round(o.p_sim * 1000)) AS not_multiple_of_1_over_1000
FROM ref.bivariate r
JOIN bv o ON o.weights = r.weights AND o.style = r.style AND o.xname = r.x AND o.yname = r.y;

-- morans_i_bv(x, x) is Moran's I of x with row-standardised weights
SELECT ref.close((morans_i_bv(crime, crime, geom, 'permutations=0')).i,
                 (morans_i(crime, geom, 'permutations=0')).i, 1e-14) AS bv_of_x_with_itself_is_morans_i
FROM ref.columbus;

-- esda 2.4.3 esda/tests/test_moran.py, Moran_BV_matrix on sids2 with sids2.gal (rook, row-standardised):
-- res[(0, 1)].I = Moran_BV(SIDR74, SIDR79).I, res[(3, 0)].I = Moran_BV(NWR79, SIDR74).I
SELECT ref.close((morans_i_bv(sidr74, sidr79, geom, 'weights=rook permutations=0')).i, 0.19362610652874668) AS esda_sidr74_sidr79,
       ref.close((morans_i_bv(nwr79, sidr74, geom, 'weights=rook permutations=0')).i, 0.37701382542927858) AS esda_nwr79_sidr74
FROM ref.nc;
SELECT ref.close((morans_i_bv(n.sidr74, n.sidr79, n.id, l.neighbors, 'permutations=0')).i, 0.19362610652874668) AS esda_from_gal
FROM ref.nc n JOIN ref.nc_nb l USING (id);

-- ---- local_moran_bv ----

CREATE TEMP TABLE lbv AS
SELECT c.weights, p.xname, p.yname, p.id,
       local_moran_bv(p.xv, p.yv, p.geom, c.options || ' seed=7') OVER (PARTITION BY c.weights, p.xname, p.yname) AS r
FROM ref.weights_config c CROSS JOIN ref.columbus_pairs p
WHERE c.weights IN (SELECT weights FROM ref.local_bivariate);

CREATE TEMP VIEW lbv_comparison AS
SELECT r.weights, r.x, r.y, r.id, f.field, f.ours, f.theirs
FROM ref.local_bivariate r
JOIN lbv o ON o.weights = r.weights AND o.xname = r.x AND o.yname = r.y AND o.id = r.id
CROSS JOIN LATERAL (VALUES ('ii', (o.r).ii, r.ibvi), ('expected', (o.r).expected, r.e_ibvi),
                           ('variance', (o.r).variance, r.var_ibvi)) f(field, ours, theirs);
SELECT count(DISTINCT (weights, x, y, id)) AS units_compared, count(*) AS values_compared FROM lbv_comparison;
-- no rows expected
SELECT * FROM lbv_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4, 5;

-- quadrants; pseudo p-values within Monte Carlo error of 20,000 draws; GeoDa's bivariate LISA
-- categories wherever the reference p-value is clearly on one side of alpha = 0.05
SELECT count(*) AS units,
       count(*) FILTER (WHERE (o.r).quadrant <> r.quadrant) AS quadrant_mismatches,
       count(*) FILTER (WHERE NOT ref.within_mc((o.r).p_sim, r.p_sim_ref, 999)) AS outside_mc_error,
       count(*) FILTER (WHERE (r.p_sim_ref < 0.02 OR r.p_sim_ref > 0.1) AND (o.r).cluster <> r.cluster_ref) AS cluster_mismatches,
       count(*) FILTER (WHERE r.card = 0 AND ((o.r).p_sim IS NOT NULL OR (o.r).z IS NOT NULL)) AS islands_with_p
FROM ref.local_bivariate r
JOIN lbv o ON o.weights = r.weights AND o.xname = r.x AND o.yname = r.y AND o.id = r.id;
SELECT (r).cluster, count(*) FROM lbv WHERE weights = 'queen' AND xname = 'CRIME' GROUP BY 1 ORDER BY 1;

-- esda 2.4.3 esda/tests/test_moran.py: Moran_Local_BV(SIDR79, SIDR74, sids2.gal).Is[0]
SELECT ref.close(r.ii, 1.4649221250620736) AS esda_first_county
FROM (SELECT id, local_moran_bv(sidr79, sidr74, geom, 'weights=rook permutations=0') OVER () AS r FROM ref.nc) s
CROSS JOIN LATERAL (SELECT (s.r).ii) r(ii) WHERE id = 1;

-- reproducible with a seed, independent of row order; list forms draw from each unit's id
CREATE TEMP TABLE lbv_nb AS
SELECT c.id, local_moran_bv(c.crime, c.inc, c.id, l.neighbors, 'seed=3') OVER () AS r
FROM ref.columbus c JOIN ref.nb_lists l ON l.id = c.id AND l.weights = 'queen';
SELECT count(*) AS differing_rows
FROM lbv_nb a
JOIN (SELECT c.id, local_moran_bv(c.crime, c.inc, c.id, l.neighbors, 'seed=3') OVER () AS r
      FROM (SELECT * FROM ref.columbus ORDER BY md5(id::text)) c
      JOIN ref.nb_lists l ON l.id = c.id AND l.weights = 'queen') b USING (id)
WHERE a.r IS DISTINCT FROM b.r;
SELECT (SELECT (morans_i_bv(crime, inc, geom, 'seed=3')).p_sim FROM ref.columbus)
     = (SELECT (morans_i_bv(crime, inc, geom, 'seed=3')).p_sim FROM (SELECT * FROM ref.columbus ORDER BY md5(id::text)) s)
       AS global_order_free;

-- ---- morans_i_rate, local_moran_rate ----

CREATE TEMP TABLE nc_rates AS
SELECT n.id, n.geom, e.events, e.population, e.ev, e.pop
FROM ref.nc n
CROSS JOIN LATERAL (VALUES ('SID74', 'BIR74', n.sid74, n.bir74), ('SID79', 'BIR79', n.sid79, n.bir79)) e(events, population, ev, pop);

CREATE TEMP TABLE rate AS
SELECT st.style, r.events, r.population,
       morans_i_rate(r.ev, r.pop, r.geom, 'weights=rook permutations=0 style=' || st.style) AS m
FROM nc_rates r CROSS JOIN (VALUES ('W'), ('B')) st(style)
GROUP BY st.style, r.events, r.population;

CREATE TEMP VIEW rate_comparison AS
SELECT r.style, r.events, r.assumption, f.field, f.ours, f.theirs
FROM ref.nc_rate_moran r
JOIN rate o USING (style, events, population)
CROSS JOIN LATERAL ref.moran_fields(o.m, r.assumption, r.i, r.e_i, r.var_i, r.z_i, r.p_two_sided) f;
SELECT count(*) AS values_compared FROM rate_comparison;
-- no rows expected
SELECT * FROM rate_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4;

-- esda 2.4.3 esda/tests/test_moran.py: Moran_Rate(SID79, BIR79, sids2.gal, two_tailed=False)
SELECT ref.close(i, 0.16622343552567395) AS esda_i, ref.close(p_norm, 0.004191499504892171) AS esda_p_norm
FROM (SELECT (morans_i_rate(sid79, bir79, geom, 'weights=rook alternative=greater permutations=0')).* FROM ref.nc) m;
SELECT ref.close((morans_i_rate(n.sid79, n.bir79, n.id, l.neighbors, 'permutations=0')).i, 0.16622343552567395) AS esda_from_gal
FROM ref.nc n JOIN ref.nc_nb l USING (id);

CREATE TEMP TABLE lrate AS
SELECT r.events, r.id, local_moran_rate(r.ev, r.pop, r.geom, 'weights=rook permutations=99') OVER (PARTITION BY r.events) AS lm
FROM nc_rates r;
CREATE TEMP VIEW lrate_comparison AS
SELECT r.events, r.id, f.field, f.ours, f.theirs
FROM ref.nc_local_rate r JOIN lrate o USING (events, id)
CROSS JOIN LATERAL (VALUES ('ii', (o.lm).ii, r.ii), ('expected', (o.lm).expected, r.e_ii),
                           ('variance', (o.lm).variance, r.var_ii), ('z', (o.lm).z, r.z_ii),
                           ('p_norm', (o.lm).p_norm, r.p_two_sided)) f(field, ours, theirs);
SELECT count(*) AS values_compared,
       (SELECT count(*) FROM ref.nc_local_rate r JOIN lrate o USING (events, id) WHERE (o.lm).quadrant <> r.quadrant)
         AS quadrant_mismatches
FROM lrate_comparison;
-- no rows expected
SELECT * FROM lrate_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3;

-- the standardisation, written out: esda's assuncao_rate docstring (e, b of 8 regions: the first four
-- standardised rates are 1.03843594, -0.04099089, -0.56250375, -1.73061861; its prior variance
-- estimate a is negative), and a set where a + m / b is negative for the three largest populations,
-- which have v = m / b (spdep EBImoran.mc; esda would take the square root of a negative number)
CREATE TEMP TABLE eb_cases (name text, id bigint, e float8, b float8, geom geometry);
INSERT INTO eb_cases
SELECT 'esda docstring', i, (ARRAY[30, 25, 25, 15, 33, 21, 30, 20])[i], (ARRAY[100, 100, 110, 90, 100, 90, 110, 90])[i],
       ST_MakeEnvelope((i - 1) % 4, (i - 1) / 4, (i - 1) % 4 + 1, (i - 1) / 4 + 1)
FROM generate_series(1, 8) i
UNION ALL
SELECT 'v <= 0', i, (ARRAY[10, 11, 9, 10, 12, 8, 10, 9, 11])[i], (ARRAY[1000, 1200, 900, 1000, 1300, 800, 1100, 950, 1050])[i],
       ST_MakeEnvelope((i - 1) % 3, (i - 1) / 3, (i - 1) % 3 + 1, (i - 1) / 3 + 1)
FROM generate_series(1, 9) i;
CREATE TEMP VIEW eb_written_out AS
WITH overall AS (SELECT name, sum(e) / sum(b) AS m, sum(b) AS sb, count(*) AS n FROM eb_cases GROUP BY name),
     prior AS (SELECT c.name, sum(c.b * (c.e / c.b - o.m) ^ 2) / o.sb - o.m / (o.sb / o.n) AS a
               FROM eb_cases c JOIN overall o USING (name) GROUP BY c.name, o.m, o.sb, o.n)
SELECT c.name, c.id, c.geom, p.a, c.b, (c.e / c.b - o.m) / sqrt(CASE WHEN p.a + o.m / c.b > 0 THEN p.a + o.m / c.b ELSE o.m / c.b END) AS z
FROM eb_cases c JOIN overall o USING (name) JOIN prior p USING (name);
SELECT name, round(a::numeric, 10) AS a, array_agg(round(z::numeric, 8) ORDER BY id) FILTER (WHERE id <= 4) AS first_four_z,
       array_agg(b ORDER BY b) FILTER (WHERE a + (SELECT sum(e) / sum(b) FROM eb_cases c WHERE c.name = w.name) / b <= 0) AS v_not_positive_at
FROM eb_written_out w GROUP BY name, a ORDER BY name;
SELECT c.name, ref.close((morans_i_rate(c.e, c.b, c.geom, 'permutations=0')).i,
                         (SELECT (morans_i(z, geom, 'permutations=0')).i FROM eb_written_out w WHERE w.name = c.name)) AS same_i
FROM eb_cases c GROUP BY c.name ORDER BY c.name;

-- ---- differential_moran, local_differential_moran ----

CREATE TEMP TABLE dm AS
SELECT st.style, differential_moran(sidr74, sidr79, geom, 'weights=rook permutations=0 style=' || st.style) AS m
FROM ref.nc CROSS JOIN (VALUES ('W'), ('B')) st(style) GROUP BY st.style;
CREATE TEMP VIEW dm_comparison AS
SELECT r.style, r.assumption, f.field, f.ours, f.theirs
FROM ref.nc_differential r JOIN dm o USING (style)
CROSS JOIN LATERAL ref.moran_fields(o.m, r.assumption, r.i, r.e_i, r.var_i, r.z_i, r.p_two_sided) f;
SELECT count(*) AS values_compared FROM dm_comparison;
-- no rows expected
SELECT * FROM dm_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3;

CREATE TEMP TABLE ldm AS
SELECT n.id, local_differential_moran(n.sidr74, n.sidr79, n.id, l.neighbors, 'permutations=0') OVER () AS lm
FROM ref.nc n JOIN ref.nc_nb l USING (id);
CREATE TEMP VIEW ldm_comparison AS
SELECT r.id, f.field, f.ours, f.theirs
FROM ref.nc_local_differential r JOIN ldm o USING (id)
CROSS JOIN LATERAL (VALUES ('ii', (o.lm).ii, r.ii), ('expected', (o.lm).expected, r.e_ii),
                           ('variance', (o.lm).variance, r.var_ii), ('z', (o.lm).z, r.z_ii),
                           ('p_norm', (o.lm).p_norm, r.p_two_sided)) f(field, ours, theirs);
SELECT count(*) AS values_compared,
       (SELECT count(*) FROM ref.nc_local_differential r JOIN ldm o USING (id) WHERE (o.lm).quadrant <> r.quadrant)
         AS quadrant_mismatches
FROM ldm_comparison;
-- no rows expected
SELECT * FROM ldm_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2;
-- the geometry form gives the same, and so does local_moran of the change
SELECT count(*) AS differing_rows
FROM ldm a
JOIN (SELECT id, local_differential_moran(sidr74, sidr79, geom, 'weights=rook permutations=0') OVER () AS lm FROM ref.nc) b USING (id)
JOIN (SELECT id, local_moran(sidr79 - sidr74, geom, 'weights=rook permutations=0') OVER () AS lm FROM ref.nc) c USING (id)
WHERE NOT (ref.close((a.lm).ii, (b.lm).ii, 1e-12) AND ref.close((a.lm).ii, (c.lm).ii, 1e-12)
           AND (a.lm).quadrant = (b.lm).quadrant AND (a.lm).quadrant = (c.lm).quadrant);

-- ---- parallel plans give the serial results (units are put in canonical order first) ----

CREATE TABLE bv_grid AS
SELECT g::bigint AS id, sin(g % 41 / 7.0) + (g * 7919 % 101) / 100.0 AS x, cos(g / 41 / 5.0) + (g * 104729 % 97) / 97.0 AS y,
       ST_MakeEnvelope(g % 41, g / 41, g % 41 + 1, g / 41 + 1) AS geom
FROM generate_series(0, 1999) g ORDER BY (g * 2654435761) % 1999;
ANALYZE bv_grid;
CREATE TEMP TABLE bv_serial AS
SELECT (SELECT morans_i_bv(x, y, geom)::text FROM bv_grid) AS global,
       (SELECT md5(string_agg(r::text, ';' ORDER BY id)) FROM (SELECT id, local_moran_bv(x, y, geom) OVER () AS r FROM bv_grid) s) AS local;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT ref.plan_has('SELECT morans_i_bv(x, y, geom) FROM bv_grid', 'Parallel Seq Scan') AS global_plan_parallel,
       ref.plan_has('SELECT local_moran_bv(x, y, geom) OVER () FROM bv_grid', 'Parallel Seq Scan') AS local_plan_parallel;
SELECT (SELECT morans_i_bv(x, y, geom)::text FROM bv_grid) = global AS global_same_in_parallel,
       (SELECT md5(string_agg(r::text, ';' ORDER BY id)) FROM (SELECT id, local_moran_bv(x, y, geom) OVER () AS r FROM bv_grid) s)
         = local AS local_same_in_parallel
FROM bv_serial;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE bv_grid;
