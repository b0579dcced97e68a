-- Global Moran's I against R spdep moran.test (analytic moments, 1e-9
-- relative) on the Columbus data, every weights set and style.
SET extra_float_digits = 0;

CREATE TEMP TABLE ours AS
SELECT c.weights, st.style, l.variable,
       (morans_i(l.x, l.geom, c.options || ' style=' || st.style || ' permutations=0')).*
FROM ref.weights_config c
CROSS JOIN (VALUES ('W'), ('B')) st(style)
CROSS JOIN ref.columbus_long l
GROUP BY c.weights, st.style, l.variable;

-- colgal: the neighbour lists shipped with spData, through the list form
INSERT INTO ours
SELECT 'colgal', st.style, l.variable,
       (morans_i(l.x, l.id::bigint, nb.neighbors, 'style=' || st.style || ' permutations=0')).*
FROM (SELECT id, array_agg(nb_id::bigint ORDER BY nb_id) AS neighbors FROM ref.nb
      WHERE weights = 'colgal' GROUP BY id) nb
JOIN ref.columbus_long l USING (id)
CROSS JOIN (VALUES ('W'), ('B')) st(style)
GROUP BY st.style, l.variable;

CREATE TEMP VIEW comparison AS
SELECT r.weights, r.style, r.variable, r.assumption, f.field, f.ours, f.theirs
FROM ref.global_moran r
JOIN ours o USING (weights, style, variable)
CROSS JOIN LATERAL (VALUES
  ('n', o.n::float8, r.n::float8),
  ('n without islands', (o.n - o.islands)::float8, r.n_used::float8),
  ('i', o.i, r.i),
  ('expected', o.expected, r.e_i),
  ('variance', CASE r.assumption WHEN 'normality' THEN o.variance_norm ELSE o.variance_rand END, r.var_i),
  ('z', CASE r.assumption WHEN 'normality' THEN o.z_norm ELSE o.z_rand END, r.z_i),
  ('p', CASE r.assumption WHEN 'normality' THEN o.p_norm ELSE o.p_rand END, r.p_two_sided)
) f(field, ours, theirs);

SELECT count(DISTINCT (weights, style, variable, assumption)) AS reference_rows,
       count(*) AS values_compared
FROM comparison;

-- every value within 1e-9 relative: no rows expected
SELECT * FROM comparison WHERE NOT ref.close(ours, theirs) ORDER BY 1, 2, 3, 4, 5;

-- the widely quoted CRIME I = 0.48577 comes from the GAL file
SELECT round(i::numeric, 5) AS colgal_crime_i FROM ours
WHERE weights = 'colgal' AND style = 'W' AND variable = 'CRIME';
