-- Bad input (SPEC section 10): every case is an ERROR with a SQLSTATE and a
-- message naming the argument or option; NULL rows are skipped.
SET client_min_messages = warning;
CREATE TEMP TABLE sq AS
SELECT id::bigint AS id, (id * 7 % 5)::float8 AS x,
       ST_MakeEnvelope((id - 1) % 3, (id - 1) / 3, (id - 1) % 3 + 1, (id - 1) / 3 + 1) AS geom
FROM generate_series(1, 9) id;
CREATE TEMP TABLE nb AS
SELECT a.id, array_agg(b.id ORDER BY b.id) AS neighbors
FROM sq a JOIN sq b ON a.id <> b.id AND ST_Touches(a.geom, b.geom) GROUP BY a.id;

SELECT plan(33);

-- NULL values and geometries are skipped: n counts the rows used
SELECT is((SELECT (morans_i(CASE WHEN id = 5 THEN NULL ELSE x END, geom, 'permutations=0')).n FROM sq),
          8, 'morans_i skips a NULL value');
SELECT is((SELECT (morans_i(x, CASE WHEN id = 5 THEN NULL ELSE geom END, 'permutations=0')).n FROM sq),
          8, 'morans_i skips a NULL geometry');
SELECT is((SELECT count(*) FROM (SELECT local_moran(CASE WHEN id = 2 THEN NULL ELSE x END, geom) OVER () AS r FROM sq) s
           WHERE r IS NULL), 1::bigint, 'local_moran returns NULL for a NULL value');
SELECT is((SELECT (morans_i(CASE WHEN id = 5 THEN NULL ELSE x END, id, neighbors, 'permutations=0')).n
           FROM sq JOIN nb USING (id)), 8, 'links to a unit skipped for a NULL value are dropped');
SELECT is((SELECT (morans_i(x, id, neighbors, 'permutations=0 missing=drop')).n FROM sq JOIN nb USING (id) WHERE id <> 5), 8,
          'missing=drop drops links to units left out by WHERE');
SELECT is((SELECT morans_i(x, geom) FROM sq WHERE false), NULL, 'no rows: NULL');

-- non-finite values
SELECT throws_ok($$SELECT morans_i(CASE WHEN id = 4 THEN 'NaN' ELSE x END, geom) FROM sq$$,
  '22023', 'morans_i: value must be finite', 'NaN value');
SELECT throws_ok($$SELECT local_moran(CASE WHEN id = 4 THEN 'Infinity' ELSE x END, geom) OVER () FROM sq$$,
  '22023', 'local_moran: value must be finite', 'Infinity value');
SELECT throws_ok($$SELECT getis_ord_gi(CASE WHEN id = 4 THEN '-Infinity' ELSE x END, id, neighbors) OVER () FROM sq JOIN nb USING (id)$$,
  '22023', 'getis_ord_gi: value must be finite', '-Infinity value');

-- too few rows, zero variance, every unit an island
SELECT throws_ok($$SELECT morans_i(x, geom) FROM sq WHERE id <= 2$$,
  '22000', 'morans_i needs at least 3 rows with non-NULL values, got 2', 'two rows');
SELECT throws_ok($$SELECT morans_i(1.5, geom) FROM sq$$,
  '22000', 'morans_i: value has zero variance', 'constant value');
SELECT throws_ok($$SELECT local_moran(0, geom) OVER () FROM sq$$,
  '22000', 'local_moran: value has zero variance', 'constant value, window');
SELECT throws_ok($$SELECT morans_i(x, ST_Translate(geom, id * 10, 0)) FROM sq$$,
  '22000', 'morans_i: every unit is an island', 'every unit an island');
SELECT throws_ok($$SELECT morans_i(x, id, '{}'::bigint[]) FROM sq$$,
  '22000', 'morans_i: every unit is an island', 'empty neighbour lists');

-- geometry problems
SELECT throws_ok($$SELECT morans_i(x, CASE WHEN id = 3 THEN ST_SetSRID(geom, 3857) ELSE geom END) FROM sq$$,
  '22023', 'morans_i: geometries have mixed SRIDs', 'mixed SRIDs');
SELECT throws_ok($$SELECT morans_i(x, CASE WHEN id = 3 THEN 'POLYGON EMPTY'::geometry ELSE geom END) FROM sq$$,
  '22023', 'morans_i: geometry at row 3 is empty', 'empty geometry');
SELECT throws_ok($$SELECT morans_i(x, CASE WHEN id = 3 THEN 'POLYGON((0 0,2 2,2 0,0 2,0 0))'::geometry ELSE geom END) FROM sq$$,
  '22023', 'morans_i: invalid geometry at row 3', 'self-intersecting polygon');
SELECT lives_ok($$SELECT morans_i(x, CASE WHEN id = 3 THEN 'POLYGON((0 0,2 2,2 0,0 2,0 0))'::geometry ELSE geom END, 'validate=false') FROM sq$$,
  'validate=false skips the validity check');
SELECT throws_ok($$SELECT morans_i(x, ST_Centroid(geom)) FROM sq$$,
  '22023', 'morans_i: contiguity weights need polygons, but the geometry at row 1 is a POINT', 'points for queen');
SELECT lives_ok($$SELECT morans_i(x, ST_Centroid(geom), 'weights=knn k=3') FROM sq$$, 'points with knn');
SELECT throws_ok($$SELECT spatial_weights(ARRAY[1, 2, 3]::bigint[], ARRAY['POINT(0 0)', 'POINT(0 0)', 'POINT(1 0)']::geometry[], 'weights=idw threshold=2')$$,
  '22023', 'spatial_weights: id 1 and id 2 have the same centroid', 'coincident centroids for idw');

-- ids and neighbour lists
SELECT throws_ok($$SELECT morans_i(x, CASE WHEN id = 9 THEN 1 ELSE id END, neighbors) FROM sq JOIN nb USING (id)$$,
  '22023', 'morans_i: duplicate id 1', 'duplicate id');
SELECT throws_ok($$SELECT morans_i(x, id, neighbors || 99::bigint) FROM sq JOIN nb USING (id)$$,
  '22023', 'morans_i: neighbour 99 of id 1 does not exist', 'unknown neighbour id');
SELECT throws_ok($$SELECT morans_i(x, id, neighbors || id) FROM sq JOIN nb USING (id)$$,
  '22023', 'morans_i: id 1 lists itself as a neighbour', 'self neighbour');
SELECT throws_ok($$SELECT morans_i(x, id, neighbors, array_fill(1.0::float8, ARRAY[1]), '') FROM sq JOIN nb USING (id)$$,
  '2202E', 'morans_i: weights and neighbors differ in length at id 1', 'weights of another length');
SELECT throws_ok($$SELECT spatial_weights(ARRAY[1, 1]::bigint[], ARRAY['POINT(0 0)', 'POINT(1 0)']::geometry[], 'weights=knn k=1')$$,
  '22023', 'spatial_weights: duplicate id 1', 'duplicate id in spatial_weights');

-- options
SELECT throws_ok($$SELECT morans_i(x, geom, 'wieghts=queen') FROM sq$$,
  '22023', 'morans_i: unknown option "wieghts"', 'unknown option key');
SELECT throws_ok($$SELECT morans_i(x, geom, 'weights=hexagon') FROM sq$$,
  '22023', 'morans_i: invalid value "hexagon" for option "weights"', 'bad choice');
SELECT throws_ok($$SELECT morans_i(x, geom, 'permutations=-1') FROM sq$$,
  '22023', 'morans_i: option "permutations" is out of range: -1', 'negative permutations');
SELECT throws_ok($$SELECT morans_i(x, geom, 'weights=knn k=six') FROM sq$$,
  '22023', 'morans_i: option "k" must be an integer, got "six"', 'non-integer k');
SELECT throws_ok($$SELECT morans_i(x, geom, 'weights=queen k=4') FROM sq$$,
  '22023', 'morans_i: option "k" does not apply here', 'k without knn');
SELECT throws_ok($$SELECT morans_i(x, id, neighbors, 'weights=rook') FROM sq JOIN nb USING (id)$$,
  '22023', 'morans_i: option "weights" does not apply here', 'weights option with neighbour lists');
SELECT throws_ok($$SELECT local_moran(x, geom, 'alpha=2') OVER () FROM sq$$,
  '22023', 'local_moran: option "alpha" is out of range: 2', 'alpha above 1');

-- a statement timeout stops a 100,000-unit permutation run (the timer is armed
-- by the top-level statement, so it is set outside the function; BETWEEN would
-- call the function twice)
CREATE TEMP TABLE big AS
SELECT g AS id, random() AS x, ST_MakePoint(g % 317, g / 317) AS geom FROM generate_series(1, 100000) g;
CREATE FUNCTION pg_temp.cancel_seconds() RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  PERFORM count(r) FROM (SELECT local_moran(x, geom, 'weights=knn k=8 permutations=99999') OVER () AS r FROM big) s;
  RETURN 'Infinity';  -- not cancelled
EXCEPTION WHEN query_canceled THEN
  RETURN extract(epoch FROM clock_timestamp() - t0);
END $$;
SET statement_timeout = '1s';
SELECT ok(pg_temp.cancel_seconds() < 3, 'cancelled soon after the 1 s timeout');
RESET statement_timeout;

SELECT * FROM finish();
