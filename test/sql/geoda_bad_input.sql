-- Bad input of the bivariate, rate and differential Moran, Geary, join count
-- and spatial lag functions (SPEC sections 10 and 11): every case is an ERROR
-- with a SQLSTATE and a message naming the argument or option; rows with a
-- NULL in any value are skipped.
SET client_min_messages = warning;
CREATE TEMP TABLE sq AS
SELECT id::bigint AS id, (id * 7 % 5)::float8 AS x, (id * 3 % 4)::float8 + 1 AS y, id % 3 = 0 AS b,
       ST_MakeEnvelope((id - 1) % 3, (id - 1) / 3, (id - 1) % 3 + 1, (id - 1) / 3 + 1) AS geom
FROM generate_series(1, 9) id;
CREATE TEMP TABLE nb AS
SELECT a.id, array_agg(b.id ORDER BY b.id) AS neighbors
FROM sq a JOIN sq b ON a.id <> b.id AND ST_Touches(a.geom, b.geom) GROUP BY a.id;

SELECT plan(35);

-- NULL in either value, or in the geometry or id, skips the row
SELECT is((SELECT (morans_i_bv(x, CASE WHEN id = 5 THEN NULL ELSE y END, geom, 'permutations=0')).n FROM sq),
          8, 'morans_i_bv skips a NULL y');
SELECT is((SELECT (morans_i_rate(CASE WHEN id = 5 THEN NULL ELSE y END, x + 1, id, neighbors, 'permutations=0')).n
           FROM sq JOIN nb USING (id)), 8, 'morans_i_rate skips NULL events and drops the links to them');
SELECT is((SELECT count(*) FROM (SELECT local_geary(CASE WHEN id = 2 THEN NULL ELSE x END, geom) OVER () AS r FROM sq) s
           WHERE r IS NULL), 1::bigint, 'local_geary returns NULL for a NULL value');
SELECT is((SELECT (join_counts(CASE WHEN id = 4 THEN NULL ELSE b END, geom, 'permutations=0')).n FROM sq),
          8, 'join_counts skips a NULL binary');
SELECT is((SELECT gearys_c(x, geom) FROM sq WHERE false), NULL, 'no rows: NULL');

-- non-finite values, each named
SELECT throws_ok($$SELECT morans_i_bv(x, CASE WHEN id = 4 THEN 'NaN' ELSE y END, geom) FROM sq$$,
  '22023', 'morans_i_bv: y must be finite', 'NaN y');
SELECT throws_ok($$SELECT local_moran_bv(CASE WHEN id = 4 THEN 'Infinity' ELSE x END, y, geom) OVER () FROM sq$$,
  '22023', 'local_moran_bv: x must be finite', 'Infinity x');
SELECT throws_ok($$SELECT local_moran_rate(y, CASE WHEN id = 4 THEN 'NaN' ELSE x + 1 END, id, neighbors) OVER () FROM sq JOIN nb USING (id)$$,
  '22023', 'local_moran_rate: population must be finite', 'NaN population');
SELECT throws_ok($$SELECT differential_moran(x, CASE WHEN id = 4 THEN '-Infinity' ELSE y END, geom) FROM sq$$,
  '22023', 'differential_moran: value_t1 must be finite', '-Infinity value_t1');
SELECT throws_ok($$SELECT spatial_lag(CASE WHEN id = 4 THEN 'NaN' ELSE x END, geom) OVER () FROM sq$$,
  '22023', 'spatial_lag: value must be finite', 'NaN value of spatial_lag');

-- zero variance, too few rows, every unit an island
SELECT throws_ok($$SELECT morans_i_bv(x, 2.5, geom) FROM sq$$,
  '22000', 'morans_i_bv: y has zero variance', 'constant y');
SELECT throws_ok($$SELECT local_moran_bv(1.5, y, geom) OVER () FROM sq$$,
  '22000', 'local_moran_bv: x has zero variance', 'constant x');
SELECT throws_ok($$SELECT differential_moran(x, x + 3, geom) FROM sq$$,
  '22000', 'differential_moran: the change value_t1 - value_t0 has zero variance', 'the same change everywhere');
SELECT throws_ok($$SELECT gearys_c(x, geom) FROM sq WHERE id <= 2$$,
  '22000', 'gearys_c needs at least 3 rows with non-NULL values, got 2', 'two rows');
SELECT throws_ok($$SELECT local_geary(4, geom) OVER () FROM sq$$,
  '22000', 'local_geary: value has zero variance', 'constant value of local_geary');
SELECT throws_ok($$SELECT gearys_c(x, ST_Translate(geom, id * 10, 0)) FROM sq$$,
  '22000', 'gearys_c: every unit is an island', 'every unit an island');
SELECT throws_ok($$SELECT morans_i_rate(y, x + 1, id, '{}'::bigint[]) FROM sq$$,
  '22000', 'morans_i_rate: every unit is an island', 'empty neighbour lists');

-- rates: events not negative, population positive, some events
SELECT throws_ok($$SELECT morans_i_rate(CASE WHEN id = 3 THEN -1 ELSE y END, x + 1, geom) FROM sq$$,
  '22023', 'morans_i_rate: events must not be negative', 'negative events');
SELECT throws_ok($$SELECT local_moran_rate(y, x, geom) OVER () FROM sq$$,
  '22023', 'local_moran_rate: population must be positive', 'population 0');
SELECT throws_ok($$SELECT morans_i_rate(0, x + 1, geom) FROM sq$$,
  '22000', 'morans_i_rate: there are no events', 'no events');
SELECT throws_ok($$SELECT morans_i_rate(CASE WHEN id = 3 THEN 1e300 ELSE y END, CASE WHEN id = 3 THEN 1e-300 ELSE x + 1 END, geom) FROM sq$$,
  '22003', 'morans_i_rate: the rate of row 3 is out of the range of double precision', 'rate beyond float8');

-- binary maps with one colour
SELECT throws_ok($$SELECT join_counts(true, geom) FROM sq$$,
  '22000', 'join_counts: binary is true in every unit', 'every unit true');
SELECT throws_ok($$SELECT local_join_count(x > 100, id, neighbors) OVER () FROM sq JOIN nb USING (id)$$,
  '22000', 'local_join_count: binary is false in every unit', 'every unit false');
SELECT throws_ok($$SELECT join_counts(b, geom) FROM sq WHERE id <= 3$$,
  '22000', 'join_counts needs at least 4 rows with non-NULL values, got 3', 'three rows');

-- options that the function does not take, or bad values
SELECT throws_ok($$SELECT local_moran_bv(x, y, geom, 'variance=total') OVER () FROM sq$$,
  '22023', 'local_moran_bv: unknown option "variance"', 'variance is not an option of local_moran_bv');
SELECT throws_ok($$SELECT local_geary(x, geom, 'alternative=less') OVER () FROM sq$$,
  '22023', 'local_geary: unknown option "alternative"', 'alternative is not an option of local_geary');
SELECT throws_ok($$SELECT spatial_lag(x, geom, 'permutations=9') OVER () FROM sq$$,
  '22023', 'spatial_lag: unknown option "permutations"', 'spatial_lag takes only weights options');
SELECT throws_ok($$SELECT gearys_c(x, geom, 'alternative=left') FROM sq$$,
  '22023', 'gearys_c: invalid value "left" for option "alternative"', 'bad alternative');
SELECT throws_ok($$SELECT join_counts(b, id, neighbors, 'weights=rook') FROM sq JOIN nb USING (id)$$,
  '22023', 'join_counts: option "weights" does not apply here', 'weights option in the list form');
SELECT throws_ok($$SELECT local_geary(x, geom, 'alpha=0') OVER () FROM sq$$,
  '22023', 'local_geary: option "alpha" is out of range: 0', 'alpha 0');

-- results beyond float8, and values near the limit that fit
SELECT throws_ok($$SELECT spatial_lag(1.7e308, geom, 'style=B') OVER () FROM sq$$,
  '22003', 'spatial_lag: result is out of the range of double precision', 'a lag beyond float8');
SELECT lives_ok($$SELECT differential_moran(x / 4 * -1.7e308, y / 4 * 1.7e308, geom) FROM sq$$,
  'changes of values near the float8 limit are computed without overflow');

-- final functions paired with another aggregate's transition function refuse its state
CREATE AGGREGATE pg_temp.bv_of_one_value(float8, geometry) (
  SFUNC = _morans_i_step, STYPE = internal, FINALFUNC = _morans_i_bv_final_geom, FINALFUNC_MODIFY = READ_WRITE);
CREATE AGGREGATE pg_temp.rate_of_one_value(float8, bigint, bigint[]) (
  SFUNC = _morans_i_step, STYPE = internal, FINALFUNC = _morans_i_rate_final, FINALFUNC_MODIFY = READ_WRITE);
CREATE AGGREGATE pg_temp.join_counts_of_values(float8, geometry) (
  SFUNC = _gearys_c_step, STYPE = internal, FINALFUNC = _join_counts_final_geom, FINALFUNC_MODIFY = READ_WRITE);
SELECT throws_ok($$SELECT pg_temp.bv_of_one_value(x, geom) FROM sq$$,
  '22023', 'morans_i_bv: invalid aggregate state', 'a one-value state for morans_i_bv');
SELECT throws_ok($$SELECT pg_temp.rate_of_one_value(x + 1, id, neighbors) FROM sq JOIN nb USING (id)$$,
  '22023', 'morans_i_rate: invalid aggregate state', 'a one-value state for morans_i_rate');
SELECT throws_ok($$SELECT pg_temp.join_counts_of_values(x, geom) FROM sq$$,
  '22023', 'join_counts: invalid aggregate state', 'a state of other values for join_counts');

SELECT * FROM finish();
