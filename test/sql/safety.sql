-- Safe on a shared server (SPEC section 11): the inputs that once crashed the
-- backend, ran away or gave a silent NaN, each with its defined result or error.
-- The catalogue-wide sweep over every routine and argument type is fuzz.sql.
SET client_min_messages = warning;
CREATE TEMP TABLE sq AS
SELECT id::bigint AS id, (id * 7 % 5)::float8 + 0.5 * id AS x,
       ST_MakeEnvelope((id - 1) % 3, (id - 1) / 3, (id - 1) % 3 + 1, (id - 1) / 3 + 1, 32650) AS geom
FROM generate_series(1, 9) id;
CREATE TEMP TABLE tile AS
SELECT ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 2.5, -9999) AS rast,
       ST_MakeEnvelope(0.5, 0.5, 3.5, 3.5, 32650) AS region;

SELECT plan(41);

-- NULL arguments: NULL out (STRICT) instead of a crash
SELECT is((SELECT count(*) FROM spatial_weights((SELECT array_agg(id) FROM sq WHERE false),
                                                (SELECT array_agg(geom) FROM sq WHERE false))),
          0::bigint, 'spatial_weights over an empty selection: no rows');
SELECT is((SELECT count(*) FROM spatial_weights(NULL, ARRAY['POINT(0 0)']::geometry[])), 0::bigint,
          'spatial_weights with NULL ids: no rows');
SELECT is(nep_raster(NULL, rast, rast), NULL, 'nep_raster with a NULL npp tile') FROM tile;
SELECT is(rcs_raster(NULL::raster, 0.5), NULL, 'rcs_raster (coefficient) with a NULL runoff tile');
SELECT is(rcs_raster(rast, NULL::raster), NULL, 'rcs_raster (raster) with a NULL coefficient tile') FROM tile;
SELECT is(ecs_raster(NULL, rast), NULL, 'ecs_raster with a NULL tile') FROM tile;
SELECT is(cnc_raster(rast, NULL), NULL, 'cnc_raster with a NULL tile') FROM tile;
SELECT is(downscale_weight(NULL, region), NULL, 'downscale_weight with a NULL tile') FROM tile;
SELECT is(downscale_raster(rast, NULL, 100, 10), NULL, 'downscale_raster with a NULL region') FROM tile;
SELECT is((SELECT count(*) FROM (SELECT hclust(ARRAY[x, id], 2, NULL) OVER () AS c FROM sq) s WHERE c IS NULL),
          9::bigint, 'hclust with a NULL method: NULL clusters');
SELECT is(_ols_final(NULL), NULL, '_ols_final(NULL)');
SELECT is(_ols_stepwise_final(NULL), NULL, '_ols_stepwise_final(NULL)');
SELECT is(_ttest_final(NULL), NULL, '_ttest_final(NULL)');
SELECT is(_geodetector_final(NULL), NULL, '_geodetector_final(NULL)');
SELECT is(_geodetector_interaction_final(NULL), NULL, '_geodetector_interaction_final(NULL)');
SELECT is(_stirpat_ridge_final(NULL), NULL, '_stirpat_ridge_final(NULL)');
SELECT is(_stirpat_ridge_trace_final(NULL), NULL, '_stirpat_ridge_trace_final(NULL)');
SELECT throws_ok($$SELECT _cli_step(NULL, 'forest', 1)$$, '22023', 'cli: invalid aggregate state',
                 '_cli_step with a NULL state');
SELECT throws_ok($$SELECT _mean_center_step(NULL, 'POINT(0 0)', 1)$$, '22023', 'mean_center: invalid aggregate state',
                 '_mean_center_step with a NULL state');
SELECT throws_ok($$SELECT _std_ellipse_step(NULL, 'POINT(0 0)', 1)$$, '22023', 'std_ellipse: invalid aggregate state',
                 '_std_ellipse_step with a NULL state');

-- states crafted by hand are refused, also inside an aggregate of the caller's own
SELECT throws_ok($$SELECT _ols_final('{1e9,1e9,0,0,0,0,1,2}')$$, '22023', 'ols_fit: invalid aggregate state',
                 '_ols_final with a crafted state (once a huge allocation)');
SELECT throws_ok($$SELECT _ttest_final('{1,2,3}')$$, '22023', 'ttest_ind: invalid aggregate state',
                 '_ttest_final with a state of the wrong length');
CREATE AGGREGATE pg_temp.crafted_ols(float8, float8[]) (SFUNC = carbonbudget._ols_step, STYPE = float8[],
  INITCOND = '{5,3,0,0,0,0,1,1,1,-1,1,1,1,1,1,1,1,1}', FINALFUNC = carbonbudget._ols_final);
SELECT throws_ok($$SELECT pg_temp.crafted_ols(x, ARRAY[x, id]) FROM sq$$, '22023', 'ols_fit: invalid aggregate state',
                 'a crafted initial state in a user aggregate');
SELECT throws_ok($$SELECT _ols_step('{}', 1, '{1}')$$, '0A000',
                 'ols_fit: transition function called outside an aggregate', 'a transition function called directly');

-- coordinates beyond any SRID are an error, not a crash in GWR
SELECT throws_ok($$SELECT gwr_fit(x, ARRAY[id::float8], CASE WHEN id = 4 THEN ST_MakeEnvelope(0, 0, 1e308, 1e308, 32650)
                                                                ELSE geom END) OVER () FROM sq$$,
                 '22023', 'gwr_fit: geometry coordinates must be finite and within +/-1e+150',
                 'gwr_fit with a polygon of 1e308 coordinates');

-- values near the float8 limit: the scale-invariant statistics are right, the others a clear error
SELECT ok(abs((SELECT (morans_i(x * 1e160, geom, 'permutations=0')).i FROM sq) -
              (SELECT (morans_i(x, geom, 'permutations=0')).i FROM sq)) < 1e-12, 'morans_i of values around 1e160');
SELECT ok((SELECT bool_and(abs(a.z - b.z) < 1e-9)
           FROM (SELECT id, (local_moran(x * 1e160, geom, 'permutations=0') OVER ()).z FROM sq) a
           JOIN (SELECT id, (local_moran(x, geom, 'permutations=0') OVER ()).z FROM sq) b USING (id)),
          'local_moran of values around 1e160');
SELECT is((SELECT ols_trend(t, 1e308) FROM generate_series(1, 5) t), 0::float8, 'ols_trend of a constant 1e308 series');
SELECT ok(abs((SELECT ols_trend(t, t * 1e300) FROM generate_series(1, 5) t) / 1e300 - 1) < 1e-12,
          'ols_trend of values up to 5e300');
SELECT throws_ok($$SELECT mean_center(geom, 1e308) FROM sq$$, '22003', NULL, 'mean_center with weights 1e308');
SELECT throws_ok($$SELECT std_ellipse(geom, 1e308) FROM sq$$, '22003', NULL, 'std_ellipse with weights 1e308');
SELECT throws_ok($$SELECT cli(c, a) FROM (VALUES ('forest', 1e308), ('cropland', 1e308)) v(c, a)$$, '22003', NULL,
                 'cli with areas whose sum overflows');
SELECT is((SELECT cli(c, a) FROM (VALUES ('forest', 1e300), ('cropland', 1e300)) v(c, a)), 250::float8,
          'cli with areas of 1e300');
SELECT throws_ok($$SELECT dynamic_degree(1e-300, 1e300, 1)$$, '22003', NULL, 'dynamic_degree beyond the float8 range');

-- MGWR on a 25-cell grid: bandwidths within n, undefined standard errors NULL, never NaN
CREATE TEMP TABLE grid25 AS
SELECT i, ST_MakeEnvelope(i % 5, i / 5, i % 5 + 1, i / 5 + 1, 32650) AS geom,
       sin(i) * 3 + i * 0.2 + (i % 3) AS y, ARRAY[(i * 7 % 11)::float8, cos(i)] AS x
FROM generate_series(0, 24) i;
SELECT ok((SELECT bool_and(b <= 25) FROM (SELECT unnest((gwr_fit(y, x, geom, 'multiscale=true') OVER ()).bandwidths) AS b
                                          FROM grid25) s), 'MGWR bandwidths on 25 rows are at most 25');
SELECT ok((SELECT bool_and(NOT (v::text ~ 'NaN'))
           FROM (SELECT gwr_fit(y, x, geom, 'multiscale=true') OVER () AS v FROM grid25) s), 'MGWR gives no NaN');
SELECT is((SELECT DISTINCT (gwr_fit(y, x, geom) OVER ()).bandwidth FROM grid25), 24::float8,
          'GWR on 25 rows searches bandwidths up to n (no "between 46 and 25")');

-- errors: the precise class, the argument named
SELECT throws_ok($$SELECT bp_fit(x, ARRAY[x]) FROM sq WHERE id < 3$$, '22000', 'bp_fit: needs at least 3 rows, got 2',
                 'too few rows is a data exception, not insufficient resources');
SELECT throws_ok($$SELECT carbon_budget_agg(rast, region) FROM tile$$, '22023',
                 'carbon_budget_agg: landuse must be a land-cover raster of integer codes, but band 1 has pixel type 32BF',
                 'a float raster as land cover names its pixel type');

-- cancellation: hclust on 20,000 rows stops within a second of the timeout
CREATE TEMP TABLE many AS SELECT g AS id, ARRAY[random(), random(), random()] AS f FROM generate_series(1, 20000) g;
CREATE FUNCTION pg_temp.hclust_cancel_seconds() RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  PERFORM count(c) FROM (SELECT hclust(f, 5) OVER () AS c FROM many) s;
  RETURN 'Infinity';  -- not cancelled
EXCEPTION WHEN query_canceled THEN
  RETURN extract(epoch FROM clock_timestamp() - t0);
END $$;
SET work_mem = '4GB';
SET statement_timeout = '1s';
SELECT ok(pg_temp.hclust_cancel_seconds() < 3, 'hclust on 20,000 rows cancelled soon after the 1 s timeout');
RESET statement_timeout;
RESET work_mem;

-- a cancel that lands while GEOS validates polygons is a cancel (57014), not an invalid geometry
CREATE TEMP TABLE rings AS
SELECT g::bigint AS id, ST_Buffer(ST_MakePoint(g * 3, 0), 1, 20000) AS geom FROM generate_series(1, 40) g;
CREATE FUNCTION pg_temp.validation_cancel_state() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM count(*) FROM spatial_weights((SELECT array_agg(id) FROM rings), (SELECT array_agg(geom) FROM rings));
  RETURN 'not cancelled';
EXCEPTION
  WHEN query_canceled THEN RETURN SQLSTATE;
  WHEN OTHERS THEN RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
SET statement_timeout = '50ms';
SELECT is(pg_temp.validation_cancel_state(), '57014', 'cancel during validation is SQLSTATE 57014');
RESET statement_timeout;

SELECT * FROM finish();
