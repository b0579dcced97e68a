-- trend_raster against the same statistics computed in SQL with pixels as
-- rows (ST_Value + ols_trend/regr_slope, sen_slope, mann_kendall, which
-- trend.sql checks against R), with nodata, pixel types and misaligned stacks.
SET extra_float_digits = 0;
CREATE SCHEMA trend_raster;

-- 4 x 3 pixels, years 2001-2006; pixel (1,1) is nodata in 2003, pixel (4,3) in four years
CREATE TABLE trend_raster.pixels AS
SELECT year, x, y,
       CASE WHEN (x, y, year) = (1, 1, 2003) THEN NULL
            WHEN (x, y) = (4, 3) AND year > 2002 THEN NULL
            ELSE ((x * 3 + y * 5 + year * 7) % 11) + (x - 2) * (year - 2000) * 0.5 END AS v
FROM generate_series(2001, 2006) year, generate_series(1, 4) x, generate_series(1, 3) y;

CREATE TABLE trend_raster.stack AS
SELECT year, ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 3, 500000, 4000000, 30, -30, 0, 0, 32650), '32BF'::text, 0::float8, -9999::float8), 1, 1, 1,
         (SELECT array_agg(r ORDER BY y) FROM (SELECT y, array_agg(coalesce(v, -9999) ORDER BY x) r FROM trend_raster.pixels p
          WHERE p.year = s.year GROUP BY y) rows)::float8[][]) AS rast
FROM generate_series(2001, 2006) s(year);

CREATE TABLE trend_raster.result AS
SELECT trend_raster(array_agg(rast ORDER BY year), 'start=2001') AS rast FROM trend_raster.stack;

-- SQL with pixels as rows, t = year
CREATE TABLE trend_raster.expected AS
SELECT x, y, count(v) AS n, regr_slope(v, year) AS ols, sen_slope(year, v) AS sen, (mann_kendall(year, v)).z AS z
FROM trend_raster.pixels
WHERE (x, y) NOT IN (SELECT x, y FROM trend_raster.pixels GROUP BY x, y HAVING count(v) < 3) GROUP BY x, y;

SELECT plan(19);

SELECT is((SELECT ST_NumBands(rast) FROM trend_raster.result), 3, 'three bands');
SELECT is((SELECT array_agg(ST_BandPixelType(rast, b) ORDER BY b) FROM trend_raster.result, generate_series(1, 3) b),
          ARRAY['64BF', '64BF', '64BF']::text[], '64BF bands');
SELECT ok((SELECT ST_SameAlignment(r.rast, s.rast) AND ST_Width(r.rast) = 4 AND ST_Height(r.rast) = 3 AND ST_SRID(r.rast) = 32650
           FROM trend_raster.result r, trend_raster.stack s WHERE s.year = 2001), 'georeference of the stack');
SELECT ok(bool_and(ref.close(ST_Value(r.rast, 1, e.x, e.y), e.ols, 1e-12) AND ref.close(ST_Value(r.rast, 2, e.x, e.y), e.sen, 1e-12)
                   AND ref.close(ST_Value(r.rast, 3, e.x, e.y), e.z, 1e-12)),
          'every pixel equals ols/regr_slope, sen_slope and mann_kendall over pixels as rows (with the year-2003 gap)')
FROM trend_raster.result r, trend_raster.expected e WHERE e.n >= 3;
SELECT is((SELECT count(*) FROM trend_raster.expected e), 11::bigint, 'eleven pixels with enough years');
-- pixel (4,3) has 2 valid years: nodata in every band (ST_Value returns NULL for nodata)
SELECT is((SELECT array_agg(ST_Value(rast, b, 4, 3) ORDER BY b) FROM trend_raster.result, generate_series(1, 3) b),
          ARRAY[NULL, NULL, NULL]::float8[], 'too few valid years: nodata');
SELECT is((SELECT ST_BandNoDataValue(rast, 3) FROM trend_raster.result), -9999::float8, 'nodata value -9999');
-- t scale: the default t = 1, 2, ... gives the same slopes for a yearly stack, step=2 halves them
SELECT ok((SELECT ref.close(ST_Value(trend_raster(array_agg(rast ORDER BY year)), 2, 2, 2), (SELECT sen FROM trend_raster.expected WHERE (x, y) = (2, 2)))
           FROM trend_raster.stack), 'default t = layer number');
SELECT ok((SELECT ref.close(ST_Value(trend_raster(array_agg(rast ORDER BY year), 'step=2 method=ols'), 1, 2, 2),
                            (SELECT ols / 2 FROM trend_raster.expected WHERE (x, y) = (2, 2)))
           FROM trend_raster.stack), 'step=2 halves the slope, method=ols');
SELECT is((SELECT ST_NumBands(trend_raster(array_agg(rast ORDER BY year), 'method=mk pixeltype=32BF')) FROM trend_raster.stack), 1,
          'method=mk: one band');

-- one multi-band raster gives the same result as the array
CREATE TABLE trend_raster.multi AS
SELECT ST_AddBand(NULL::raster, array_agg(rast ORDER BY year)) AS rast FROM trend_raster.stack;
SELECT ok((SELECT bool_and(ST_Value(trend_raster(m.rast, 'start=2001'), b, x, y) IS NOT DISTINCT FROM ST_Value(r.rast, b, x, y))
           FROM trend_raster.multi m, trend_raster.result r, generate_series(1, 3) b, generate_series(1, 4) x, generate_series(1, 3) y),
          'multi-band form equals the array form');
-- integer pixel types: a 16BSI stack (values rounded)
SELECT ok((SELECT ref.close(ST_Value(trend_raster(array_agg(ST_Reclass(rast, 1, '-10000-10000:-10000-10000', '16BSI', -9999) ORDER BY year), 'start=2001'), 3, 1, 2),
                            (SELECT (mann_kendall(year, round(v))).z FROM trend_raster.pixels WHERE (x, y) = (1, 2)))
           FROM trend_raster.stack), '16BSI layers');

-- misaligned stacks and bad input
SELECT throws_like($$SELECT trend_raster(ARRAY[rast, rast, ST_SetSRID(rast, 4326)]) FROM trend_raster.stack WHERE year = 2001$$,
  '%SRID%', 'mixed SRID refused');
SELECT throws_like($$SELECT trend_raster(ARRAY[rast, rast, ST_SetScale(rast, 20)]) FROM trend_raster.stack WHERE year = 2001$$,
  '%scale%', 'different scale refused');
SELECT throws_like($$SELECT trend_raster(ARRAY[rast, rast, ST_SetUpperLeft(rast, 500010, 4000000)]) FROM trend_raster.stack WHERE year = 2001$$,
  '%grid%', 'off-grid layer refused');
SELECT throws_like($$SELECT trend_raster(ARRAY[rast, rast, ST_SetUpperLeft(rast, 500030, 4000000)]) FROM trend_raster.stack WHERE year = 2001$$,
  '%extent%', 'shifted layer refused');
SELECT throws_ok($$SELECT trend_raster(ARRAY[rast, NULL, rast]) FROM trend_raster.stack WHERE year = 2001$$,
  '22004', 'trend_raster: rasters must not contain NULL elements', 'NULL layer');
SELECT throws_ok($$SELECT trend_raster(ARRAY[rast, rast]) FROM trend_raster.stack WHERE year = 2001$$,
  '22023', 'trend_raster needs at least 3 layers, got 2', 'two layers');
SELECT throws_ok($$SELECT trend_raster(ARRAY[rast, rast, ST_SetValue(ST_SetBandNoDataValue(rast, NULL), 1, 1, 'NaN'::float8)]) FROM trend_raster.stack WHERE year = 2002$$,
  '22023', 'trend_raster: rasters[3] has a pixel that is NaN and not nodata', 'NaN pixel');

SELECT * FROM finish();
DROP SCHEMA trend_raster CASCADE;
