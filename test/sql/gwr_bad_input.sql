-- gwr_fit bad input (SPEC section 10): errors with SQLSTATE and the argument
-- named; rows with NULL y, x or geom are skipped; the bandwidth search skips
-- bandwidths whose local fits are singular.
SET extra_float_digits = 0;
CREATE TEMP TABLE pts AS
SELECT i AS id, ST_SetSRID(ST_MakePoint((i - 1) % 20, (i - 1) / 20), 32617) AS geom,
       ARRAY[sin(i * 0.7), cos(i * 1.3)] AS x,
       1 + 0.5 * sin(i * 0.7) - 0.25 * cos(i * 1.3) + 0.3 * sin(i * 2.9) AS y,
       CASE WHEN (i - 1) % 20 < 10 THEN 1.0 ELSE 0.0 END AS west
FROM generate_series(1, 200) i;

SELECT plan(21);

-- NULL rows are skipped and return NULL
SELECT is((SELECT count(*) FILTER (WHERE r IS NULL) FROM (SELECT gwr_fit(CASE WHEN id = 7 THEN NULL ELSE y END, x, geom, 'bandwidth=60') OVER () AS r FROM pts) s),
          1::bigint, 'NULL y: the row is skipped');
SELECT is((SELECT count(*) FILTER (WHERE r IS NULL) FROM (SELECT gwr_fit(y, CASE WHEN id = 7 THEN NULL ELSE x END, CASE WHEN id = 8 THEN NULL ELSE geom END, 'bandwidth=60') OVER () AS r FROM pts) s),
          2::bigint, 'NULL x or geom: the rows are skipped');

-- values
SELECT throws_ok($$SELECT gwr_fit(y, CASE WHEN id = 5 THEN ARRAY[1, NULL]::float8[] ELSE x END, geom) OVER () FROM pts$$,
  '22004', NULL, 'NULL inside x');
SELECT throws_ok($$SELECT gwr_fit(y, CASE WHEN id = 5 THEN ARRAY[1.0] ELSE x END, geom) OVER () FROM pts$$,
  '2202E', 'gwr_fit: x arrays have different lengths', 'x arrays of different lengths');
SELECT throws_ok($$SELECT gwr_fit(CASE WHEN id = 5 THEN 'NaN' ELSE y END, x, geom) OVER () FROM pts$$,
  '22023', 'gwr_fit: y must be finite', 'NaN y');
SELECT throws_ok($$SELECT gwr_fit(y, CASE WHEN id = 5 THEN ARRAY[1, 'Infinity']::float8[] ELSE x END, geom) OVER () FROM pts$$,
  '22023', 'gwr_fit: x must be finite', 'infinite x');
SELECT throws_ok($$SELECT gwr_fit(y, '{}'::float8[], geom) OVER () FROM pts$$,
  '22023', 'gwr_fit: x must hold at least one covariate', 'empty x');

-- too few rows, constant and collinear covariates
SELECT throws_ok($$SELECT gwr_fit(y, x, geom) OVER () FROM pts WHERE id <= 3$$,
  '22000', 'gwr_fit needs at least 4 rows with non-NULL values, got 3', 'n not larger than the number of parameters');
SELECT throws_ok($$SELECT gwr_fit(y, ARRAY[x[1], 2.5], geom) OVER () FROM pts$$,
  '22000', 'gwr_fit: covariate x[2] is constant or collinear with the intercept and x[1..1]', 'constant covariate');
SELECT throws_ok($$SELECT gwr_fit(y, ARRAY[x[1], x[2], 2 * x[1] - x[2]], geom) OVER () FROM pts$$,
  '22000', 'gwr_fit: covariate x[3] is constant or collinear with the intercept and x[1..2]', 'collinear covariates');

-- bandwidths
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'bandwidth=3') OVER () FROM pts$$,
  '22000', 'gwr_fit: bandwidth 3 is too small for a non-singular local fit', 'bandwidth too small');
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'bandwidth=12.5') OVER () FROM pts$$,
  '22023', 'gwr_fit: option "bandwidth" must be a whole number of neighbours, got "12.5"', 'fractional adaptive bandwidth');
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'bandwidth=201') OVER () FROM pts$$,
  '22023', 'gwr_fit: option "bandwidth" is 201 neighbours but the partition has 200 rows', 'bandwidth above n');
SELECT throws_ok($$SELECT gwr_fit(y, ARRAY[x[1], west], geom, 'bandwidth=50') OVER () FROM pts$$,
  '22000', 'gwr_fit: bandwidth 50 is too small for a non-singular local fit', 'a covariate constant within neighbourhoods');
-- the search skips the bandwidths where the west/east dummy is constant locally
SELECT ok((SELECT bool_and(bandwidth > 50 AND aicc IS NOT NULL)
           FROM (SELECT (gwr_fit(y, ARRAY[x[1], west], geom) OVER ()).* FROM pts) s),
          'search skips bandwidths with singular local fits');

-- options and geometry
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'kernal=gaussian') OVER () FROM pts$$,
  '22023', NULL, 'unknown option');
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'kernel=triangle') OVER () FROM pts$$,
  '22023', 'gwr_fit: invalid value "triangle" for option "kernel"', 'unknown kernel');
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'multiscale=true bandwidth=50') OVER () FROM pts$$,
  '22023', 'gwr_fit: multiscale=true needs bandwidth=auto', 'MGWR with a given bandwidth');
SELECT throws_ok($$SELECT gwr_fit(y, x, ST_SetSRID(geom, 4326)) OVER () FROM pts$$,
  '22023', 'gwr_fit: geom must be in a projected SRID, got geographic SRID 4326', 'lon/lat geometries');
SELECT throws_ok($$SELECT gwr_fit(y, x, CASE WHEN id = 3 THEN ST_SetSRID(geom, 3857) ELSE geom END) OVER () FROM pts$$,
  '22023', 'gwr_fit: geometries have mixed SRIDs', 'mixed SRIDs');
-- MGWR's hat-matrix replay needs its smallest block of identity columns within work_mem or
-- 64 MB, whichever is larger, checked before any fitting (54000, with the size to set)
CREATE TEMP TABLE many_pts AS
SELECT g AS id, ST_MakePoint(g % 200 + sin(g) * 0.3, g / 200 + cos(g) * 0.3) AS geom,
       sin(g * 0.1) + g * 1e-4 AS y, ARRAY[cos(g * 0.7), sin(g * 1.3)] AS x
FROM generate_series(1, 60000) g;
SET work_mem = '64kB';
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'multiscale=true') OVER () FROM many_pts$$,
  '54000', 'gwr_fit: multiscale=true on 60000 rows needs about 86 MB for the hat-matrix replay, more than work_mem (64 kB) or 64 MB',
  'MGWR beyond work_mem and 64 MB');
RESET work_mem;

SELECT * FROM finish();

-- long fits are cancellable: a 20,000-point search stops at the statement
-- timeout (57014 cannot be caught by pgTAP, so the ERROR line is the check)
CREATE TEMP TABLE big AS
SELECT i, ST_MakePoint(random() * 1000, random() * 1000) AS geom, ARRAY[random(), random()] AS x, random() AS y
FROM generate_series(1, 20000) i;
SET statement_timeout = '300ms';
SELECT max(a) FROM (SELECT (gwr_fit(y, x, geom) OVER ()).aicc AS a FROM big) s;
RESET statement_timeout;
