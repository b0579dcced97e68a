-- Geary's C against R spdep geary.test and geary.mc, local Geary against
-- spdep localC, the conditional permutation moments and GeoDa's cluster
-- categories of test/data/make/geoda.R, and the values of esda 2.4.3's own
-- tests; analytic values within 1e-9 relative, pseudo p-values within Monte
-- Carlo error.
SET extra_float_digits = 0;
\set ECHO none
\i test/lib/geoda_ref.sql
\set ECHO all

-- ---- gearys_c ----

CREATE TEMP TABLE gc AS
SELECT c.weights, st.style, l.variable,
       (gearys_c(l.x, l.geom, c.options || ' style=' || st.style || ' seed=7')).*
FROM ref.weights_config c
CROSS JOIN (VALUES ('W'), ('B')) st(style)
CROSS JOIN ref.columbus_long l
WHERE c.weights IN (SELECT weights FROM ref.geary)
GROUP BY c.weights, st.style, l.variable;
INSERT INTO gc
SELECT 'colgal', st.style, l.variable, (gearys_c(l.x, n.id::bigint, n.neighbors, 'style=' || st.style || ' seed=7')).*
FROM ref.nb_lists n JOIN ref.columbus_long l USING (id)
CROSS JOIN (VALUES ('W'), ('B')) st(style)
WHERE n.weights = 'colgal'
GROUP BY st.style, l.variable;

CREATE TEMP VIEW gc_comparison AS
SELECT r.weights, r.style, r.variable, r.assumption, f.field, f.ours, f.theirs
FROM ref.geary r
JOIN gc o USING (weights, style, variable)
CROSS JOIN LATERAL (VALUES
  ('n', o.n::float8, r.n::float8),
  ('n without islands', (o.n - o.islands)::float8, r.n_used::float8),
  ('c', o.c, r.c),
  ('expected', o.expected, r.e_c),
  ('variance', CASE r.assumption WHEN 'normality' THEN o.variance_norm ELSE o.variance_rand END, r.var_c),
  ('z', CASE r.assumption WHEN 'normality' THEN o.z_norm ELSE o.z_rand END, r.z_c),
  ('p', CASE r.assumption WHEN 'normality' THEN o.p_norm ELSE o.p_rand END, r.p_two_sided)
) f(field, ours, theirs);

SELECT count(DISTINCT (weights, style, variable, assumption)) AS reference_rows, count(*) AS values_compared
FROM gc_comparison;
-- no rows expected (dist_islands included: spdep's conventions for islands are kept)
SELECT * FROM gc_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4, 5;

-- 999 permutations against spdep geary.mc with 20,000: within Monte Carlo error
SELECT count(*) AS compared,
       count(*) FILTER (WHERE NOT ref.within_mc(o.p_sim, r.p_sim_ref, 999)) AS outside_mc_error
FROM (SELECT DISTINCT weights, style, variable, p_sim_ref FROM ref.geary) r JOIN gc o USING (weights, style, variable);

-- esda 2.4.3 esda/tests/test_geary.py: Geary(CRIME, Rook(columbus.shp), transformation 'r');
-- esda's z is (C - 1) / sd and its p one-sided in the observed direction
SELECT ref.close(c, 0.5154408058652411) AS esda_c,
       ref.close(variance_norm, 0.011403109626468939) AS esda_vc_norm,
       ref.close(variance_rand, 0.010848882767131886) AS esda_vc_rand,
       ref.close(z_norm, 4.5376938201608) AS esda_z_norm, ref.close(z_rand, 4.652156651668989) AS esda_z_rand,
       ref.close(p_norm, 2.8436375936967054e-06) AS esda_p_norm, ref.close(p_rand, 1.6424069196305004e-06) AS esda_p_rand
FROM (SELECT (gearys_c(crime, geom, 'weights=rook alternative=greater permutations=0')).* FROM ref.columbus) g;

-- ---- local_geary ----

CREATE TEMP TABLE lg AS
SELECT c.weights, l.variable, l.id,
       local_geary(l.x, l.geom, c.options || ' seed=7') OVER (PARTITION BY c.weights, l.variable) AS r
FROM ref.weights_config c CROSS JOIN ref.columbus_long l
WHERE c.weights IN (SELECT weights FROM ref.local_geary);

CREATE TEMP VIEW lg_comparison AS
SELECT r.weights, r.variable, r.id, f.field, f.ours, f.theirs
FROM ref.local_geary r JOIN lg o USING (weights, variable, id)
CROSS JOIN LATERAL (VALUES ('c', (o.r).c, r.c), ('expected', (o.r).expected, r.e_c)) f(field, ours, theirs);
SELECT count(DISTINCT (weights, variable, id)) AS units_compared, count(*) AS values_compared,
       count(*) FILTER (WHERE theirs IS NULL) AS undefined_for_islands
FROM lg_comparison;
-- no rows expected
SELECT * FROM lg_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4;

-- quadrants; pseudo p-values within Monte Carlo error of 20,000 draws; GeoDa's cluster map
-- categories wherever the reference p-value is clearly on one side of alpha = 0.05
SELECT count(*) AS units,
       count(*) FILTER (WHERE (o.r).quadrant <> r.quadrant) AS quadrant_mismatches,
       count(*) FILTER (WHERE NOT ref.within_mc((o.r).p_sim, r.p_sim_ref, 999)) AS outside_mc_error,
       count(*) FILTER (WHERE (r.p_sim_ref < 0.02 OR r.p_sim_ref > 0.1) AND (o.r).cluster <> r.cluster_ref) AS cluster_mismatches,
       count(*) FILTER (WHERE r.card = 0 AND (o.r).cluster <> 'not significant') AS significant_islands
FROM ref.local_geary r JOIN lg o USING (weights, variable, id);
-- (the few units whose p-value is near alpha fall on either side by chance)
SELECT r.cluster_ref, count(*) AS reference, count(*) FILTER (WHERE (o.r).cluster = r.cluster_ref) AS ours_same
FROM ref.local_geary r JOIN lg o USING (weights, variable, id)
WHERE r.weights = 'queen' GROUP BY 1 ORDER BY 1;

-- esda's local Geary is c_i n / (n - 1) (values standardised with the population sd):
-- spdep localC and GeoDa standardise with the sample sd, as here
SELECT ref.close(sum((r).c), (SELECT sum(c) FROM ref.local_geary WHERE weights = 'queen' AND variable = 'CRIME')) AS sum_as_spdep
FROM lg WHERE weights = 'queen' AND variable = 'CRIME';

-- reproducible with a seed, independent of row order
SELECT count(*) AS differing_rows
FROM (SELECT id, local_geary(crime, geom, 'seed=3') OVER () AS r FROM ref.columbus) a
JOIN (SELECT id, local_geary(crime, geom, 'seed=3') OVER () AS r FROM (SELECT * FROM ref.columbus ORDER BY md5(id::text)) s) b
  USING (id)
WHERE a.r IS DISTINCT FROM b.r;
SELECT (SELECT (gearys_c(crime, geom, 'seed=3')).p_sim FROM ref.columbus)
     = (SELECT (gearys_c(crime, geom, 'seed=3')).p_sim FROM (SELECT * FROM ref.columbus ORDER BY md5(id::text)) s)
       AS global_order_free;
-- fdr=true is at least as strict as alpha alone
SELECT count(*) FILTER (WHERE (r).cluster <> 'not significant') AS significant,
       count(*) FILTER (WHERE (f).cluster <> 'not significant') AS significant_fdr
FROM (SELECT local_geary(crime, geom) OVER () AS r, local_geary(crime, geom, 'fdr=true') OVER () AS f
      FROM ref.columbus) s;
