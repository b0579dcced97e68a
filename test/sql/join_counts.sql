-- Join counts against R spdep joincount.multi (moments under non-free
-- sampling) and permutations of test/data/make/geoda.R, local join counts
-- against spdep local_joincount_uni and conditional permutations without
-- replacement, and the lattice of esda 2.4.3's own tests; analytic values
-- within 1e-9 relative, pseudo p-values within Monte Carlo error.
SET extra_float_digits = 0;
\set ECHO none
\i test/lib/geoda_ref.sql
\set ECHO all

-- ---- join_counts ----

CREATE TEMP TABLE jc AS
SELECT c.weights, st.style, b.variable,
       (join_counts(b.b, b.geom, c.options || ' style=' || st.style || ' seed=7')).*
FROM ref.weights_config c
CROSS JOIN (VALUES ('W'), ('B')) st(style)
CROSS JOIN ref.columbus_binary_long b
WHERE c.weights IN (SELECT weights FROM ref.join_counts)
GROUP BY c.weights, st.style, b.variable;
INSERT INTO jc
SELECT 'colgal', st.style, b.variable, (join_counts(b.b, n.id::bigint, n.neighbors, 'style=' || st.style || ' seed=7')).*
FROM ref.nb_lists n JOIN ref.columbus_binary_long b USING (id)
CROSS JOIN (VALUES ('W'), ('B')) st(style)
WHERE n.weights = 'colgal'
GROUP BY st.style, b.variable;

CREATE TEMP VIEW jc_comparison AS
SELECT r.weights, r.style, r.variable, r.kind, f.field, f.ours, f.theirs
FROM ref.join_counts r
JOIN jc o USING (weights, style, variable)
CROSS JOIN LATERAL (VALUES
  ('count', CASE r.kind WHEN 'BB' THEN o.bb WHEN 'BW' THEN o.bw ELSE o.ww END, r.count),
  ('expected', CASE r.kind WHEN 'BB' THEN o.expected_bb WHEN 'BW' THEN o.expected_bw ELSE o.expected_ww END, r.expected),
  ('variance', CASE r.kind WHEN 'BB' THEN o.variance_bb WHEN 'BW' THEN o.variance_bw ELSE o.variance_ww END, r.variance),
  ('z', CASE r.kind WHEN 'BB' THEN o.z_bb WHEN 'BW' THEN o.z_bw ELSE o.z_ww END, r.z),
  ('p', CASE r.kind WHEN 'BB' THEN o.p_bb WHEN 'BW' THEN o.p_bw ELSE o.p_ww END, r.p_two_sided)
) f(field, ours, theirs);
SELECT count(DISTINCT (weights, style, variable, kind)) AS reference_rows, count(*) AS values_compared FROM jc_comparison;
-- no rows expected
SELECT * FROM jc_comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4, 5;

-- 999 permutations against 20,000 of R: within Monte Carlo error
SELECT count(*) AS compared,
       count(*) FILTER (WHERE NOT ref.within_mc(CASE r.kind WHEN 'BB' THEN o.p_sim_bb WHEN 'BW' THEN o.p_sim_bw ELSE o.p_sim_ww END,
                                                r.p_sim_ref, 999)) AS outside_mc_error,
       count(*) FILTER (WHERE o.joins <> o.bb + o.bw + o.ww) AS joins_not_the_sum
FROM ref.join_counts r JOIN jc o USING (weights, style, variable);

-- esda 2.4.3 esda/tests/test_join_counts.py and test_ljc.py: a 4 x 4 rook lattice (lat2W),
-- the first 8 units white: bb = 10, bw = 4, ww = 10, J = 24, p_sim_bb = 0.003 with numpy's
-- stream, LJC = [0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 3, 2, 2, 3, 3, 2]
CREATE TEMP TABLE lattice AS
SELECT i::bigint AS id, i >= 8 AS black, ST_MakeEnvelope(i % 4, i / 4, i % 4 + 1, i / 4 + 1) AS geom
FROM generate_series(0, 15) i;
SELECT bb, bw, ww, joins, p_sim_bb < 0.02 AS bb_significant, p_sim_bw
FROM (SELECT (join_counts(black, geom, 'weights=rook')).* FROM lattice) j;
SELECT array_agg((r).bb::int ORDER BY id) AS ljc
FROM (SELECT id, local_join_count(black, geom, 'weights=rook') OVER () AS r FROM lattice) s;

-- ---- local_join_count ----

CREATE TEMP TABLE ljc AS
SELECT c.weights, b.variable, b.id, local_join_count(b.b, b.geom, c.options || ' seed=7') OVER (PARTITION BY c.weights, b.variable) AS r
FROM ref.weights_config c CROSS JOIN ref.columbus_binary_long b
WHERE c.weights IN (SELECT weights FROM ref.local_join_count);

SELECT count(*) AS units,
       count(*) FILTER (WHERE NOT ref.close((o.r).bb, r.bb)) AS bb_mismatches,
       count(*) FILTER (WHERE NOT ref.close((o.r).expected, r.e_bb)) AS expected_mismatches,
       count(*) FILTER (WHERE ((o.r).p_sim IS NULL) <> (r.p_sim_ref IS NULL)) AS p_defined_differently,
       count(*) FILTER (WHERE NOT ref.within_mc((o.r).p_sim, r.p_sim_ref, 999)) AS outside_mc_error,
       count(*) FILTER (WHERE (r.p_sim_ref < 0.02 OR r.p_sim_ref > 0.1)
                          AND ((o.r).cluster = 'BB') <> (r.p_sim_ref <= 0.05)) AS cluster_mismatches
FROM ref.local_join_count r JOIN ljc o USING (weights, variable, id);
SELECT (r).cluster, count(*) FROM ljc WHERE weights = 'queen' AND variable = 'CP' GROUP BY 1 ORDER BY 1;

-- the list form keys each unit's draws by its id: the same p-values in any row order
SELECT count(*) AS differing_rows
FROM (SELECT b.id, local_join_count(b.b, n.id::bigint, n.neighbors, 'seed=3') OVER () AS r
      FROM ref.columbus_binary_long b JOIN ref.nb_lists n ON n.id = b.id AND n.weights = 'queen' WHERE b.variable = 'CP') a
JOIN (SELECT b.id, local_join_count(b.b, n.id::bigint, n.neighbors, 'seed=3') OVER () AS r
      FROM (SELECT * FROM ref.columbus_binary_long ORDER BY md5(id::text)) b
      JOIN ref.nb_lists n ON n.id = b.id AND n.weights = 'queen' WHERE b.variable = 'CP') c USING (id)
WHERE a.r IS DISTINCT FROM c.r;
