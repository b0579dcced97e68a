-- Local Moran (LISA) against R spdep localmoran: conditional moments (spdep
-- >= 1.2 default) and total randomisation (variance=total), 1e-9 relative.
SET extra_float_digits = 0;

CREATE TEMP TABLE ours AS
SELECT c.weights, l.variable, l.id, m.variance_kind,
       local_moran(l.x, l.geom, c.options || ' permutations=0 variance=' || m.variance_kind)
         OVER (PARTITION BY c.weights, l.variable, m.variance_kind) AS r
FROM ref.weights_config c
CROSS JOIN ref.columbus_long l
CROSS JOIN (VALUES ('conditional'), ('total')) m(variance_kind)
WHERE c.weights IN (SELECT DISTINCT weights FROM ref.local_moran);

CREATE TEMP VIEW comparison AS
SELECT r.weights, r.variable, r.id, o.variance_kind, f.field, f.ours, f.theirs
FROM ref.local_moran r
JOIN ours o USING (weights, variable, id)
CROSS JOIN LATERAL (VALUES
  ('ii', (o.r).ii, r.ii),
  ('expected', (o.r).expected, CASE o.variance_kind WHEN 'total' THEN r.e_ii_total ELSE r.e_ii END),
  ('variance', (o.r).variance, CASE o.variance_kind WHEN 'total' THEN r.var_ii_total ELSE r.var_ii END),
  ('z', (o.r).z, nullif(CASE o.variance_kind WHEN 'total' THEN r.z_ii_total ELSE r.z_ii END, 'NaN')),
  ('p_norm', (o.r).p_norm, nullif(CASE o.variance_kind WHEN 'total' THEN r.p_two_sided_total ELSE r.p_two_sided END, 'NaN'))
) f(field, ours, theirs);

SELECT count(DISTINCT (weights, variable, id, variance_kind)) AS units_compared,
       count(*) AS values_compared,
       count(*) FILTER (WHERE theirs IS NULL) AS undefined_for_islands
FROM comparison;

-- no rows expected
SELECT * FROM comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4, 5;

-- quadrants from the signs of z and its lag (islands: lag 0 counts as low)
SELECT count(*) AS quadrants_compared,
       count(*) FILTER (WHERE (o.r).quadrant <> r.quadrant) AS quadrant_mismatches
FROM ref.local_moran r JOIN ours o USING (weights, variable, id);

-- islands: no p-value, never significant
SELECT DISTINCT (o.r).cluster AS island_cluster, (o.r).p_sim IS NULL AS p_sim_null
FROM ours o JOIN ref.local_moran r USING (weights, variable, id) WHERE r.card = 0;

-- conditional permutation: p_sim is a valid pseudo p-value (k+1)/1000 and agrees in
-- direction with the analytic p; reproducible with a seed and independent of row order
CREATE TEMP TABLE sims AS
SELECT id, local_moran(crime, geom, 'permutations=999 seed=7') OVER () AS r FROM ref.columbus;
CREATE TEMP TABLE sims_shuffled AS
SELECT id, local_moran(crime, geom, 'permutations=999 seed=7') OVER () AS r
FROM (SELECT * FROM ref.columbus ORDER BY md5(id::text)) s;
SELECT count(*) AS units,
       bool_and((r).p_sim * 1000 = round((r).p_sim * 1000) AND (r).p_sim BETWEEN 0.001 AND 0.5) AS p_sim_valid,
       count(*) FILTER (WHERE ((r).p_norm < 0.01) AND (r).p_sim > 0.05) AS strong_norm_weak_sim
FROM sims;
SELECT count(*) AS differing_rows
FROM sims a JOIN sims_shuffled b USING (id) WHERE a.r IS DISTINCT FROM b.r;

-- the cluster column: quadrant where p_sim < alpha
SELECT (r).cluster, count(*) FROM sims GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE (r).cluster <> 'not significant' AND NOT ((r).p_sim < 0.05 AND (r).cluster = (r).quadrant)) AS wrong_cluster,
       count(*) FILTER (WHERE (r).cluster = 'not significant' AND (r).p_sim < 0.05) AS missed_cluster
FROM sims;

-- fdr=true is stricter than alpha alone (Benjamini-Hochberg)
SELECT count(*) FILTER (WHERE (r).cluster <> 'not significant') AS significant_fdr
FROM (SELECT local_moran(crime, geom, 'permutations=999 seed=7 fdr=true') OVER () AS r FROM ref.columbus) s;
