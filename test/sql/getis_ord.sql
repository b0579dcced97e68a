-- Getis-Ord local G and G* against R spdep localG (G, E, Var, z) and general G.
SET extra_float_digits = 0;

CREATE TEMP TABLE ours AS
SELECT c.weights, st.style, s.statistic, l.variable, l.id,
       getis_ord_gi(l.x, l.geom, c.options || ' style=' || st.style || ' star=' || (s.statistic = 'Gstar'))
         OVER (PARTITION BY c.weights, st.style, s.statistic, l.variable) AS r
FROM ref.weights_config c
CROSS JOIN (VALUES ('W'), ('B')) st(style)
CROSS JOIN (VALUES ('G'), ('Gstar')) s(statistic)
CROSS JOIN ref.columbus_long l
WHERE c.weights IN (SELECT DISTINCT weights FROM ref.local_g);

CREATE TEMP VIEW comparison AS
SELECT r.weights, r.style, r.statistic, r.variable, r.id, f.field, f.ours, f.theirs
FROM ref.local_g r
JOIN ours o USING (weights, style, statistic, variable, id)
CROSS JOIN LATERAL (VALUES
  ('gi', (o.r).gi, r.g),
  ('z', (o.r).z, nullif(r.z, 'NaN')),
  ('p', (o.r).p, nullif(r.p_two_sided, 'NaN'))
) f(field, ours, theirs);

SELECT count(DISTINCT (weights, style, statistic, variable, id)) AS units_compared,
       count(*) AS values_compared FROM comparison;
SELECT * FROM comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4, 5, 6;

-- ArcGIS Gi_Bin from z: +-3 / +-2 / +-1 at 99 / 95 / 90 % confidence
SELECT count(*) FILTER (WHERE (r).bin <> CASE WHEN (r).z IS NULL THEN 0
         ELSE sign((r).z)::int * CASE WHEN (r).p < 0.01 THEN 3 WHEN (r).p < 0.05 THEN 2 WHEN (r).p < 0.10 THEN 1 ELSE 0 END END)
       AS wrong_bins,
       count(*) FILTER (WHERE abs((r).bin) = 3) AS bins_99
FROM ours;
