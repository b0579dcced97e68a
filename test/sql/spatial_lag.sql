-- The spatial lag W x against R spdep lag.listw (zero.policy = TRUE) on the
-- Columbus weights, and written out in SQL over the neighbour lists.
SET extra_float_digits = 0;
\set ECHO none
\i test/lib/geoda_ref.sql
\set ECHO all

CREATE TEMP TABLE lag AS
SELECT c.weights, st.style, l.id,
       spatial_lag(l.crime, l.geom, c.options || ' style=' || st.style) OVER (PARTITION BY c.weights, st.style) AS lag
FROM ref.weights_config c CROSS JOIN (VALUES ('W'), ('B')) st(style) CROSS JOIN ref.columbus l
WHERE c.weights IN (SELECT weights FROM ref.spatial_lag);
INSERT INTO lag
SELECT 'colgal', st.style, c.id, spatial_lag(c.crime, n.id::bigint, n.neighbors, 'style=' || st.style) OVER (PARTITION BY st.style)
FROM ref.columbus c JOIN ref.nb_lists n ON n.id = c.id AND n.weights = 'colgal' CROSS JOIN (VALUES ('W'), ('B')) st(style);

SELECT count(*) AS compared,
       count(*) FILTER (WHERE NOT ref.close(o.lag, r.lag_crime, 1e-12)) AS mismatches,
       count(*) FILTER (WHERE r.card = 0 AND o.lag <> 0) AS islands_not_zero
FROM ref.spatial_lag r JOIN lag o USING (weights, style, id);

-- row-standardised: the mean of the neighbours' values; explicit weights: their weighted sum
SELECT count(*) AS differing
FROM (SELECT c.id, spatial_lag(c.crime, n.id::bigint, n.neighbors) OVER () AS lag
      FROM ref.columbus c JOIN ref.nb_lists n ON n.id = c.id AND n.weights = 'queen') o
JOIN (SELECT n.id, avg(c.crime) AS lag FROM ref.nb n JOIN ref.columbus c ON c.id = n.nb_id
      WHERE n.weights = 'queen' GROUP BY n.id) s USING (id)
WHERE NOT ref.close(o.lag, s.lag, 1e-12);
SELECT array_agg(lag ORDER BY id) AS weighted_lags
FROM (SELECT id, spatial_lag(x, id, nb, w, 'style=B') OVER () AS lag
      FROM (VALUES (1::bigint, 2.0::float8, '{2,3}'::bigint[], '{0.5,2}'::float8[]), (2, 4.0, '{1}', '{1}'),
                   (3, 3.0, '{}', '{}')) v(id, x, nb, w)) s;

-- NULL values give NULL and their links are dropped; constant values and values near the float8 limit
SELECT array_agg(lag ORDER BY id) AS lags_with_a_null
FROM (SELECT id, spatial_lag(CASE WHEN id = 2 THEN NULL ELSE crime END, geom, 'weights=knn k=2') OVER () AS lag
      FROM ref.columbus WHERE id <= 4) s;
SELECT bool_and(ref.close(lag, 7, 1e-15)) AS constant_lag_of_constant_values,
       (SELECT max(lag) FROM (SELECT spatial_lag(crime * 1e300, geom) OVER () AS lag FROM ref.columbus) s) < 1e303 AS big_values_finite
FROM (SELECT spatial_lag(7.0, geom) OVER () AS lag FROM ref.columbus) s;
