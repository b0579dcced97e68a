-- Emerging hot spot analysis (SPEC section 14): a constructed space-time cube in which every one of
-- ArcGIS Pro's sixteen categories and "no pattern detected" occurs, by construction; the Gi* z of a
-- bin against the formula by hand; geometry and neighbour-list forms; time lags and windows; bad input.
SET extra_float_digits = 0;
SELECT plan(25);

-- 27 clusters of 5 units: a centre (id = 10 c) and four satellites (10 c + 1 .. 4) that neighbour only
-- the centre (rook contiguity of a plus of squares, far from the other clusters).  All five units of a
-- cluster share its level in each of 10 time steps, so the centre's Gi* follows the level: about +3
-- at level +1 (hot), 0 at level 0, -3 at level -1 (cold).  Clusters 1-8 are the hot patterns, 9-16 the
-- same patterns cold, 17 has no pattern and 18-27 are background at level 0.
CREATE TABLE ehsa_pattern (c int PRIMARY KEY, expected text, levels float8[]);
INSERT INTO ehsa_pattern VALUES
  (1, 'new hot spot',          '{0,0,0,0,0,0,0,0,0,1}'),
  (2, 'consecutive hot spot',  '{0,0,0,0,0,0,0,1,1,1}'),
  (3, 'intensifying hot spot', '{1,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,1.9}'),
  (4, 'persistent hot spot',   '{1,1.05,1,1.05,1,1.05,1,1.05,1,1.05}'),
  (5, 'diminishing hot spot',  '{2,1.9,1.8,1.7,1.6,1.5,1.4,1.3,1.2,1.1}'),
  (6, 'sporadic hot spot',     '{0,0,1,0,0,1,0,0,0,1}'),
  (7, 'oscillating hot spot',  '{0,0,0,-1,0,0,1,0,0,1}'),
  (8, 'historical hot spot',   '{1,1,1,1,1,1,1,1,1,0}'),
  (17, 'no pattern detected',  '{0,0,0,0,0,0,0,0,0,0}');
INSERT INTO ehsa_pattern SELECT c + 8, replace(expected, 'hot', 'cold'), ARRAY(SELECT -l FROM unnest(levels) l) FROM ehsa_pattern WHERE c <= 8;
INSERT INTO ehsa_pattern SELECT c, NULL, array_fill(0::float8, ARRAY[10]) FROM generate_series(18, 27) c;

CREATE TABLE ehsa_cube AS
SELECT 10 * p.c + k AS id, 2000 + s AS year, p.levels[s + 1] AS value,
       CASE WHEN k = 0 THEN ARRAY[10 * p.c + 1, 10 * p.c + 2, 10 * p.c + 3, 10 * p.c + 4]::bigint[] ELSE ARRAY[10 * p.c]::bigint[] END AS neighbors,
       ST_MakeEnvelope(x, y, x + 1, y + 1) AS geom
FROM ehsa_pattern p, generate_series(0, 4) k, generate_series(0, 9) s,
     LATERAL (SELECT 10 * p.c + (ARRAY[0, 1, -1, 0, 0])[k + 1] AS x, (ARRAY[0, 0, 0, 1, -1])[k + 1] AS y) g;

-- every category, at the centre of its cluster (time_lags=0: each step on its own)
CREATE TEMP TABLE ehsa_lists AS
SELECT id, year, (emerging_hot_spots(value, year, id, neighbors, 'time_lags=0') OVER ()).* FROM ehsa_cube;
SELECT is((SELECT count(*) FROM ehsa_pattern p JOIN ehsa_lists r ON r.id = 10 * p.c AND r.year = 2009
           WHERE p.expected IS NOT NULL AND r.category IS DISTINCT FROM p.expected), 0::bigint, 'every constructed pattern gets its category');
SELECT is((SELECT count(DISTINCT category) FROM ehsa_lists WHERE id % 10 = 0 AND id <= 170), 17::bigint, 'all sixteen categories and no pattern occur');
SELECT is((SELECT array_agg(DISTINCT category) FROM ehsa_lists WHERE id % 10 = 0 AND id > 170), ARRAY['no pattern detected'], 'background: no pattern');
SELECT is((SELECT count(DISTINCT (category, trend_z, hot_steps, cold_steps)) FROM ehsa_lists GROUP BY id ORDER BY 1 DESC LIMIT 1), 1::bigint,
          'the unit-level fields are the same on every row of a unit');

-- the Gi* of a bin by hand: cluster 3 (intensifying) in 2009, level 1.9, window = the whole cube,
-- binary weights of the centre and its four satellites (W standardisation does not change z):
-- z = (sum_j x_j - 5 xbar) / (S sqrt((N 5 - 25) / (N - 1))), S^2 = sum x^2 / N - xbar^2
SELECT ok(ref.close(r.z, (5 * 1.9 - 5 * m.xbar) / (m.s * sqrt((m.n * 5 - 25) / (m.n - 1))), 1e-12), 'Gi* z of a bin as the formula')
FROM ehsa_lists r,
     (SELECT avg(value) AS xbar, sqrt(avg(value * value) - avg(value) ^ 2) AS s, count(*)::float8 AS n FROM ehsa_cube) m
WHERE r.id = 30 AND r.year = 2009;
SELECT ok(r.p < 0.01 AND r.bin = 3 AND z > 2.58, 'a level-1.9 cluster is a hot spot at 99 %') FROM ehsa_lists r WHERE r.id = 30 AND r.year = 2009;
SELECT ok(abs(r.z) < 1 AND r.bin = 0, 'a level-0 step is not significant') FROM ehsa_lists r WHERE r.id = 10 AND r.year = 2005;
-- the trend of the z series: Mann-Kendall of the centre's z values
SELECT ok(ref.close(r.trend_z, (SELECT (mann_kendall(year, z)).z FROM ehsa_lists WHERE id = 30), 1e-12) AND r.trend_p < 0.001
          AND r.hot_steps = 10 AND r.cold_steps = 0, 'trend_z is the Mann-Kendall Z of the z series; hot and cold steps counted')
FROM ehsa_lists r WHERE r.id = 30 AND r.year = 2000;
SELECT ok(r.trend_z < 0 AND r.trend_p < 0.001 AND r.category = 'diminishing hot spot', 'diminishing: significant falling trend')
FROM ehsa_lists r WHERE r.id = 50 AND r.year = 2000;
SELECT ok(r.trend_p > 0.10 AND r.category = 'persistent hot spot', 'persistent: no significant trend') FROM ehsa_lists r WHERE r.id = 40 AND r.year = 2000;
SELECT ok(r.hot_steps = 9 AND r.category = 'historical hot spot', 'historical: hot in 90 % of the steps, not in the last') FROM ehsa_lists r WHERE r.id = 80 AND r.year = 2000;

-- geometry form with rook contiguity: the same weights, the same results
SELECT is((SELECT count(*) FROM ehsa_lists l
           JOIN (SELECT id, year, (emerging_hot_spots(value, year, id, geom, 'weights=rook time_lags=0') OVER ()).* FROM ehsa_cube) g USING (id, year)
           WHERE NOT ref.close(l.z, g.z, 1e-12) OR l.category <> g.category), 0::bigint, 'geometry form equals the neighbour-list form');
-- row order and explicit weights: weights of 1 are the binary lists
SELECT is((SELECT count(*) FROM ehsa_lists l
           JOIN (SELECT id, year, (emerging_hot_spots(value, year, id, neighbors, array_fill(1.0::float8, ARRAY[cardinality(neighbors)]), 'time_lags=0')
                                   OVER ()).* FROM (SELECT * FROM ehsa_cube ORDER BY year DESC, id DESC) x) w USING (id, year)
           WHERE NOT ref.close(l.z, w.z, 1e-12) OR l.category <> w.category), 0::bigint, 'row order does not matter; weights form');

-- time lags: the neighbourhood of step s also holds step s - 1 (the default time_lags=1, ArcGIS's
-- neighbourhood time step), so the step after a single hot step is hot as well
SELECT ok(r.z > 1.645 AND s.z > 1.645 AND u.z < 1, 'time_lags=1: the sporadic cluster is hot in 2002 and 2003, not in 2004')
FROM (SELECT id, year, (emerging_hot_spots(value, year, id, neighbors) OVER ()).* FROM ehsa_cube) r
JOIN (SELECT id, year, (emerging_hot_spots(value, year, id, neighbors) OVER ()).* FROM ehsa_cube) s ON s.id = r.id AND s.year = r.year + 1
JOIN (SELECT id, year, (emerging_hot_spots(value, year, id, neighbors) OVER ()).* FROM ehsa_cube) u ON u.id = r.id AND u.year = r.year + 2
WHERE r.id = 60 AND r.year = 2002;
-- the windows of the mean and variance: each step's own bins, or the neighbourhood's steps
SELECT ok((SELECT count(*) FILTER (WHERE z IS NULL) = 0 AND count(*) = 1350
           FROM (SELECT (emerging_hot_spots(value, year, id, neighbors, 'window=step') OVER ()).* FROM ehsa_cube) r)
          AND (SELECT count(*) FILTER (WHERE z IS NULL) = 0
               FROM (SELECT (emerging_hot_spots(value, year, id, neighbors, 'window=neighborhood time_lags=2') OVER ()).* FROM ehsa_cube) r),
          'window=step and window=neighborhood give a z for every bin');
SELECT ok(ref.close(r.z, (5 * 1.9 - 5 * m.xbar) / (m.s * sqrt((m.n * 5 - 25) / (m.n - 1))), 1e-12), 'window=step: Gi* against the step''s own bins')
FROM (SELECT id, year, (emerging_hot_spots(value, year, id, neighbors, 'time_lags=0 window=step') OVER ()).* FROM ehsa_cube) r,
     (SELECT avg(value) AS xbar, sqrt(avg(value * value) - avg(value) ^ 2) AS s, count(*)::float8 AS n FROM ehsa_cube WHERE year = 2009) m
WHERE r.id = 30 AND r.year = 2009;
-- alpha: at 99 % fewer steps are hot
SELECT ok((SELECT sum(hot_steps) FROM (SELECT DISTINCT ON (id) (emerging_hot_spots(value, year, id, neighbors, 'time_lags=0 alpha=0.01') OVER ()).hot_steps
                                       FROM ehsa_cube) a)
          <= (SELECT sum(hot_steps) FROM (SELECT DISTINCT ON (id) hot_steps FROM ehsa_lists) b), 'alpha=0.01 counts no more hot steps');

-- NULL rows: skipped and NULL; the cube must then still be complete
SELECT is((SELECT count(*) FROM (SELECT emerging_hot_spots(value, year, id, neighbors) OVER () AS r
                                 FROM (SELECT id, year, value, neighbors FROM ehsa_cube
                                       UNION ALL SELECT 9999, 2000, NULL, '{}') x) s WHERE r IS NULL), 1::bigint,
          'a row with a NULL value gets NULL (here a unit with no other row)');

-- bad input
SELECT throws_ok($$SELECT emerging_hot_spots(CASE WHEN id = 10 AND year = 2003 THEN NULL ELSE value END, year, id, neighbors) OVER () FROM ehsa_cube$$,
  '22000', 'emerging_hot_spots: id 10 has no value at t = 2003', 'incomplete cube');
SELECT throws_ok($$SELECT emerging_hot_spots(value, year, id, neighbors) OVER () FROM ehsa_cube WHERE year < 2002$$,
  '22000', 'emerging_hot_spots needs at least 3 time steps, got 2', 'too few time steps');
SELECT throws_ok($$SELECT emerging_hot_spots(value, CASE WHEN year = 2001 THEN 2000 ELSE year END, id, neighbors) OVER () FROM ehsa_cube WHERE year <= 2003$$,
  '22000', 'emerging_hot_spots: id 10 has more than one row at t = 2000', 'two rows of a unit in one step');
SELECT throws_ok($$SELECT emerging_hot_spots(0, year, id, neighbors) OVER () FROM ehsa_cube$$,
  '22000', 'emerging_hot_spots: value has zero variance', 'constant cube');
SELECT throws_ok($$SELECT emerging_hot_spots(value, year, id, neighbors, 'lags=2') OVER () FROM ehsa_cube$$,
  '22023', 'emerging_hot_spots: unknown option "lags"', 'unknown option');
SELECT throws_ok($$SELECT emerging_hot_spots(value, year, id, neighbors, 'window=global') OVER () FROM ehsa_cube$$,
  '22023', 'emerging_hot_spots: invalid value "global" for option "window"', 'bad window');
SELECT throws_ok($$SELECT emerging_hot_spots(value, 'NaN', id, neighbors) OVER () FROM ehsa_cube$$,
  '22023', 'emerging_hot_spots: t must be finite', 'NaN time');

DROP TABLE ehsa_cube, ehsa_pattern;
SELECT * FROM finish();
