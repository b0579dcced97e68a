-- Cancellation (SPEC section 11): every long computation stops soon after a
-- statement timeout, with SQLSTATE 57014.  Each case below runs for much
-- longer than the 1 s timeout when not cancelled; the bound of 3 s leaves room
-- for a busy machine (the requirement is 1 s after the cancel).
SET client_min_messages = warning;
SELECT plan(18);

-- seconds from the start of the statement until it was cancelled ('Infinity' if it finished)
CREATE FUNCTION pg_temp.cancel_seconds(query text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE query;
  RETURN 'Infinity';
EXCEPTION WHEN query_canceled THEN
  RETURN extract(epoch FROM clock_timestamp() - t0);
END $$;

CREATE TEMP TABLE pts AS
SELECT g::bigint AS id, (g * 7919 % 1000)::float8 + sin(g) AS x,
       ST_MakePoint(g % 400 + sin(g) * 0.3, g / 400 + cos(g) * 0.3) AS geom,
       ARRAY[sin(g * 0.7), cos(g * 1.3)] AS xs
FROM generate_series(1, 100000) g;
CREATE TEMP TABLE small AS SELECT * FROM pts WHERE id <= 1500;
CREATE TEMP TABLE series AS
SELECT g::float8 AS t, sin(g * 0.001) + g * 1e-6 AS value FROM generate_series(1, 400000) g;
CREATE TEMP TABLE stack AS
SELECT array_agg(ST_AddBand(ST_MakeEmptyRaster(1500, 1500, 0, 1500, 1, -1, 0, 0, 32650), '32BF'::text, y, -9999) ORDER BY y) AS rasters
FROM generate_series(1, 25) y;
CREATE TEMP TABLE cover AS
SELECT ST_AddBand(ST_MakeEmptyRaster(4000, 4000, 0, 4000, 1, -1, 0, 0, 32650), '16BUI'::text, 300, 0) AS rast,
       ST_Buffer(ST_SetSRID(ST_MakePoint(2000, 2000), 32650), 1900, 5000) AS region;

SET statement_timeout = '1s';
SELECT ok(pg_temp.cancel_seconds($$SELECT count(*) FROM spatial_weights((SELECT array_agg(id) FROM pts),
                                   (SELECT array_agg(geom) FROM pts), 'weights=distance threshold=30')$$) < 3, 'spatial_weights (distance band with many links)');
SELECT ok(pg_temp.cancel_seconds($$SELECT morans_i(x, geom, 'weights=knn k=8 permutations=10000000') FROM pts$$) < 3,
          'morans_i permutations');
SELECT ok(pg_temp.cancel_seconds($$SELECT morans_i_bv(x, id, geom, 'weights=knn k=8 permutations=10000000') FROM pts$$) < 3,
          'morans_i_bv permutations');
SELECT ok(pg_temp.cancel_seconds($$SELECT gearys_c(x, geom, 'weights=knn k=8 permutations=10000000') FROM pts$$) < 3,
          'gearys_c permutations');
SELECT ok(pg_temp.cancel_seconds($$SELECT join_counts(x > 500, geom, 'weights=knn k=8 permutations=10000000') FROM pts$$) < 3,
          'join_counts permutations');
-- a few units with many conditional permutations each: the draws of one unit are cancelled too
SELECT ok(pg_temp.cancel_seconds($$SELECT count(r) FROM (SELECT local_moran_bv(x, id, geom, 'weights=knn k=8 permutations=10000000') OVER () AS r FROM small) s$$) < 3,
          'local_moran_bv conditional permutations');
SELECT ok(pg_temp.cancel_seconds($$SELECT count(r) FROM (SELECT local_geary(x, geom, 'weights=knn k=8 permutations=10000000') OVER () AS r FROM small) s$$) < 3,
          'local_geary conditional permutations');
SELECT ok(pg_temp.cancel_seconds($$SELECT count(r) FROM (SELECT local_join_count(x > 500, geom, 'weights=knn k=8 permutations=10000000') OVER () AS r FROM small) s$$) < 3,
          'local_join_count conditional permutations');
SELECT ok(pg_temp.cancel_seconds($$SELECT count(r) FROM (SELECT getis_ord_gi(x, geom, 'weights=distance threshold=40') OVER () AS r FROM pts) s$$) < 3,
          'getis_ord_gi with wide neighbourhoods');
SELECT ok(pg_temp.cancel_seconds($$SELECT general_g(x + 1000, geom, 'weights=distance threshold=40') FROM pts$$) < 3,
          'general_g with wide neighbourhoods');
SELECT ok(pg_temp.cancel_seconds($$SELECT count(r) FROM (SELECT gwr_fit(x, xs, geom) OVER () AS r FROM pts WHERE id <= 30000) s$$) < 3,
          'gwr_fit bandwidth search');
SELECT ok(pg_temp.cancel_seconds($$SELECT count(r) FROM (SELECT gwr_fit(x, xs, geom, 'multiscale=true') OVER () AS r FROM small) s$$) < 3,
          'gwr_fit multiscale');
SELECT ok(pg_temp.cancel_seconds($$SELECT count(c) FROM (SELECT natural_breaks(x + id * 1e-6, 12) OVER () AS c FROM pts) s$$) < 3,
          'natural_breaks on 100,000 values');
SELECT ok(pg_temp.cancel_seconds($$SELECT geodetector_discretize((SELECT array_agg(x) FROM pts WHERE id <= 20000),
                                   (SELECT array_agg(id::float8) FROM pts WHERE id <= 20000), 'natural', 2, 12)$$) < 3,
          'geodetector_discretize (natural breaks)');
SELECT ok(pg_temp.cancel_seconds($$SELECT count(r) FROM (SELECT mann_kendall_sequential(t, value) OVER () AS r FROM series) s$$) < 3,
          'mann_kendall_sequential on 400,000 points');
SELECT ok(pg_temp.cancel_seconds($$SELECT trend_raster(rasters) FROM stack$$) < 3, 'trend_raster over 25 layers of 1500 x 1500');
SELECT ok(pg_temp.cancel_seconds($$SELECT carbon_budget_agg(rast, region, 'coverage=exact') FROM cover, generate_series(1, 100)$$) < 3,
          'carbon_budget_agg with exact coverage over 100 tiles of 4000 x 4000');
SELECT ok(pg_temp.cancel_seconds($$SELECT bp_fit(x, xs, 'epochs=10000000') FROM small$$) < 3, 'bp_fit training');
RESET statement_timeout;

SELECT * FROM finish();
