-- Raster carbon sinks (paper 001) and the raster reader/writer underneath:
-- every pixel type, nodata, several bands, alignment errors, out-db bands.
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS rasters CASCADE;
CREATE SCHEMA rasters;
RESET client_min_messages;

-- 3 x 2 rasters of every PostGIS pixel type, values chosen inside each type's range
CREATE TABLE rasters.pix AS
SELECT pt, ST_SetValues(
         ST_AddBand(ST_MakeEmptyRaster(3, 2, 100, 200, 10, -10, 0, 0, 32650), 1, pt, 0, nd),
         1, 1, 1, ARRAY[[v1, v2, nd], [1, 0, v2]]::float8[][]) AS rast, v1, v2, nd
FROM (VALUES ('1BB', 1, 0, NULL::float8), ('2BUI', 3, 2, 0), ('4BUI', 15, 7, 0), ('8BSI', -128, 127, 0),
             ('8BUI', 255, 17, 0), ('16BSI', -32768, 32767, 0), ('16BUI', 65535, 3, 0),
             ('32BSI', -2147483648, 2147483647, 0), ('32BUI', 4294967295, 12, 0),
             ('32BF', -1.5, 3.25, -9999), ('64BF', 1e300, -2.5, -9999)) v(pt, v1, v2, nd);

-- rcs_raster(a = 2) reads each type and writes a 64BF band: values, nodata, georeference
CREATE TABLE rasters.doubled AS SELECT pt, rcs_raster(rast, 2) AS rast, rast AS src, v1, v2, nd FROM rasters.pix;
SELECT pt,
       ST_BandPixelType(rast) AS out_type,
       ST_Value(rast, 1, 1) = 2 * v1 AS v11,
       ST_Value(rast, 2, 1) = 2 * v2 AS v21,
       ST_Value(rast, 3, 1) IS NULL = (nd IS NOT NULL) AS nodata_kept,
       ST_Value(rast, 1, 2) = 2 AND ST_Value(rast, 3, 2) = 2 * v2 AS row2,
       ST_BandNoDataValue(rast) AS out_nodata,
       ST_Georeference(rast) = ST_Georeference(src) AND ST_SRID(rast) = 32650 AS same_geo,
       NOT ST_IsEmpty(rast) AND ST_Width(rast) = 3 AND ST_Height(rast) = 2 AS shape
FROM rasters.doubled ORDER BY ST_BandPixelType(src) COLLATE "C";

-- the output is an ordinary PostGIS raster: summary statistics agree with a hand sum
SELECT (ST_SummaryStats(rcs_raster(rast, 0.5))).* FROM rasters.pix WHERE pt = '16BUI';

-- 32BF output option and a custom nodata
SELECT ST_BandPixelType(r), ST_BandNoDataValue(r), ST_Value(r, 3, 1) IS NULL AS nodata_pixel, ST_Value(r, 1, 1)
FROM (SELECT rcs_raster(rast, 2, 'pixeltype=32BF nodata=-1') r FROM rasters.pix WHERE pt = '32BF') s;

-- values that do not fit the output type are an error, not a wrap-around
SELECT rcs_raster(rast, 1, 'pixeltype=32BF') FROM rasters.pix WHERE pt = '64BF';

-- rcs with a coefficient raster, ECS and CNC: pixelwise against ST_MapAlgebra
CREATE TABLE rasters.grid AS
SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 3, 0, 300, 100, -100, 0, 0, 32650), '32BF'::text, 0, -9999),
                    1, 1, 1, ARRAY[[1, 2, 3, 4], [5, -9999, 7, 8], [9, 10, 11, 12.5]]::float8[][]) AS a,
       ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 3, 0, 300, 100, -100, 0, 0, 32650), '16BSI'::text, 0, -1),
                    1, 1, 1, ARRAY[[10, 20, 30, -1], [50, 60, 70, 80], [90, 100, 110, 120]]::float8[][]) AS b;

SELECT kind, ST_DumpValues(ours, 1) = ST_DumpValues(theirs, 1) AS same_as_mapalgebra,
       ST_DumpValues(ours, 1) AS pixel_values
FROM (
  SELECT 'rcs' AS kind, rcs_raster(b, a) AS ours, ST_MapAlgebra(b, a, '[rast1] * [rast2]', '64BF') AS theirs FROM rasters.grid
  UNION ALL SELECT 'ecs', ecs_raster(a, b), ST_MapAlgebra(a, b, '[rast1] + [rast2]', '64BF') FROM rasters.grid
  UNION ALL SELECT 'cnc', cnc_raster(a, b), ST_MapAlgebra(a, b, '[rast1] - [rast2]', '64BF') FROM rasters.grid) s
ORDER BY kind;

-- scalar RH and NEP by hand: RH(20 C, 100 mm) = 0.22 (e^1.826 + ln 32.45) 30 0.465
SELECT ref.close(rh_pei2009(20, 100), 0.22 * (exp(0.0913 * 20) + ln(0.3145 * 100 + 1)) * 30 * 0.465) AS rh_ok,
       round(rh_pei2009(20, 100)::numeric, 6) AS rh,
       ref.close(nep(500, array_fill(10::float8, ARRAY[12]), array_fill(50::float8, ARRAY[12])),
                 500 - 12 * 0.22 * (exp(0.913) + ln(0.3145 * 50 + 1)) * 30 * 0.465) AS nep_ok;

-- NEP from 12-band monthly stacks: T = -5 + 2.5 m + column (C), R = 10 m + 7 row (mm),
-- against the same formula summed over bands with ST_MapAlgebra expressions
CREATE TABLE rasters.month AS
SELECT m,
  ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(3, 2, 0, 200, 100, -100, 0, 0, 32650), '32BF'::text, 0, -9999), 1, 1, 1,
    ARRAY[[-5 + 2.5*m + 1, -5 + 2.5*m + 2, -5 + 2.5*m + 3], [-5 + 2.5*m + 1, -5 + 2.5*m + 2, -5 + 2.5*m + 3]]::float8[][]) AS t,
  ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(3, 2, 0, 200, 100, -100, 0, 0, 32650), '16BUI'::text, 0, NULL), 1, 1, 1,
    ARRAY[[10*m + 7, 10*m + 7, 10*m + 7], [10*m + 14, 10*m + 14, 10*m + 14]]::float8[][]) AS r
FROM generate_series(1, 12) m;
CREATE TABLE rasters.climate AS
SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(3, 2, 0, 200, 100, -100, 0, 0, 32650), '32BF'::text, 0, -9999),
                    1, 1, 1, ARRAY[[600, 450, 300], [800, -9999, 50]]::float8[][]) AS npp,
       ST_AddBand(NULL::raster, (SELECT array_agg(t ORDER BY m) FROM rasters.month)) AS t12,
       ST_AddBand(NULL::raster, (SELECT array_agg(r ORDER BY m) FROM rasters.month)) AS r12;
SELECT ST_NumBands(t12) AS t_bands, ST_NumBands(r12) AS r_bands FROM rasters.climate;

CREATE TABLE rasters.rh_sql AS
SELECT m, ST_MapAlgebra(t, 1, r, 1,
  '0.22 * (exp(0.0913 * [rast1]) + ln(0.3145 * [rast2] + 1)) * 30 * 0.465', '64BF') AS rh
FROM rasters.month;
SELECT ST_DumpValues(nep_raster(npp, t12, r12), 1) AS ours,
       ST_DumpValues(nep_raster(npp, t12, r12), 1) IS NOT NULL AS computed
FROM rasters.climate;
-- every pixel within 1e-9 of NPP - sum(RH) from ST_MapAlgebra; the nodata pixel stays nodata
WITH ours AS (SELECT (ST_PixelAsPoints(nep_raster(npp, t12, r12), 1, true)).* FROM rasters.climate),
     rh AS (SELECT x, y, sum(val) AS rh FROM (SELECT (ST_PixelAsPoints(rh, 1)).* FROM rasters.rh_sql) p GROUP BY x, y),
     npp AS (SELECT (ST_PixelAsPoints(npp, 1, true)).* FROM rasters.climate)
SELECT count(*) AS pixels, count(n.val) AS npp_pixels,
       bool_and(ref.close(o.val, n.val - rh.rh)) AS all_match
FROM ours o JOIN rh USING (x, y) FULL JOIN npp n USING (x, y);

-- annual inputs: one band of annual mean T and annual precipitation, RH = 12 rh(T, R/12)
SELECT ref.close(ST_Value(nep_raster(npp, ST_Band(t12, 1), ST_Band(r12, 1)), 1, 1),
                 600 - 12 * rh_pei2009(-1.5, 17 / 12.0)) AS annual_ok
FROM rasters.climate;

-- bad input: misaligned rasters name what differs
SELECT ecs_raster(a, ST_SetSRID(b, 4326)) FROM rasters.grid;
SELECT ecs_raster(a, ST_SetScale(b, 50, -100)) FROM rasters.grid;
SELECT ecs_raster(a, ST_SetSkew(b, 1, 0)) FROM rasters.grid;
SELECT ecs_raster(a, ST_SetUpperLeft(b, 30, 300)) FROM rasters.grid;
SELECT ecs_raster(a, ST_SetUpperLeft(b, 100, 300)) FROM rasters.grid;
SELECT nep_raster(npp, ST_Band(t12, ARRAY[1, 2]), r12) FROM rasters.climate;
SELECT nep_raster(npp, t12, ST_Band(r12, 1)) FROM rasters.climate;
-- NaN pixels that are not nodata, negative precipitation, unknown options
SELECT rcs_raster(ST_SetValue(ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 0, 1, -1, 0, 0, 0), '64BF'::text, 0, NULL), 1, 1, 'NaN'::float8), 1);
SELECT nep_raster(npp, t12, ST_SetValue(r12, 3, 1, 1, 0)) IS NOT NULL FROM rasters.climate;
SELECT nep_raster(npp, ST_Band(t12, 1), ST_MapAlgebra(ST_Band(r12, 1), '32BF', '[rast] - 100')) FROM rasters.climate;
SELECT rcs_raster(b, 2, 'pixeltype=8BUI') FROM rasters.grid;
SELECT rcs_raster(b, 2, 'color=red') FROM rasters.grid;
SELECT rh_pei2009(20, -1);
SELECT nep(1, ARRAY[1, 2]::float8[], array_fill(1::float8, ARRAY[12]));
-- empty rasters and rasters without bands
SELECT rcs_raster(ST_MakeEmptyRaster(0, 0, 0, 0, 1, -1, 0, 0, 0), 1);
SELECT rcs_raster(ST_MakeEmptyRaster(2, 2, 0, 0, 1, -1, 0, 0, 0), 1);
-- an out-db band (RFC2 well-known binary with the out-db flag) is refused clearly
SELECT rcs_raster(('01' || '0000' || '0100' || encode(float8send(1), 'hex') || encode(float8send(-1), 'hex')
                  || repeat('00', 32) || '00000000' || '0100' || '0100'
                  || '84' || '00' || '00' || encode('/tmp/none.tif', 'hex') || '00')::raster, 1);

-- an all-nodata band
SELECT ST_Value(r, 1, 1) IS NULL AS nodata, ST_BandIsNoData(src, 1) AS flagged
FROM (SELECT rcs_raster(src, 1) AS r, src FROM
       (SELECT ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 0, 1, -1, 0, 0, 0), '8BUI'::text, 5, 5) AS src) s) t;
