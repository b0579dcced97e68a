-- Sample tables for scripts/fuzz: sqlsmith builds its random queries from the
-- tables and columns it finds, so these give it every argument type of
-- carbonbudget (values, ids, neighbour lists, polygons, land-cover and
-- continuous raster tiles, time series, driver arrays, texts of options).
SET client_min_messages = warning;
CREATE TABLE fuzz_units AS
SELECT i::bigint AS id, (i % 4)::bigint AS province,
       ST_MakeEnvelope((i - 1) % 6, (i - 1) / 6, (i - 1) % 6 + 1, (i - 1) / 6 + 1, 32650) AS geom,
       ((i * 7919) % 101)::float8 / 7 + sin(i) + 1.5 AS value,
       ARRAY[1 + (i * 37 % 11)::float8, 2 + sqrt(i), 1 + (i % 4) + cos(i)] AS drivers,
       ARRAY(SELECT j::bigint FROM generate_series(1, 30) j
             WHERE abs((j - 1) % 6 - (i - 1) % 6) + abs((j - 1) / 6 - (i - 1) / 6) = 1) AS neighbors,
       (ARRAY['forest', 'cropland', 'water', 'construction', 'grassland'])[i % 5 + 1] AS land_class,
       (ARRAY['weights=queen', 'weights=knn k=4', 'permutations=99', '', 'style=B'])[i % 5 + 1] AS options,
       2000 + i % 21 AS year
FROM generate_series(1, 30) i;
CREATE TABLE fuzz_tiles AS
SELECT k AS rid,
       ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(8, 8, k * 8, 8, 1, -1, 0, 0, 32650), '8BUI'::text, 1, 0),
                    1, 1, 1, ARRAY(SELECT ARRAY(SELECT ((r * 8 + c + k) % 9 + 1)::float8 FROM generate_series(1, 8) c)
                                   FROM generate_series(1, 8) r)) AS landcover,
       ST_AddBand(ST_MakeEmptyRaster(8, 8, k * 8, 8, 1, -1, 0, 0, 32650), '32BF'::text, 300 + k, -9999) AS npp,
       ST_AddBand(ST_MakeEmptyRaster(8, 8, k * 8, 8, 1, -1, 0, 0, 32650),
                  ARRAY(SELECT ROW(NULL, '32BF', m * 2.0 - 5, -9999)::addbandarg FROM generate_series(1, 12) m)) AS climate,
       ST_MakeEnvelope(k * 8 + 1, 1, k * 8 + 6, 6, 32650) AS region
FROM generate_series(0, 3) k;
CREATE TABLE fuzz_series AS
SELECT u AS unit, y::float8 AS t, sin(u * y) * 10 + y * 0.3 AS value, (y % 3 = 0) AS treated
FROM generate_series(1, 5) u, generate_series(2000, 2020) y;
CREATE TABLE fuzz_zoning_source AS
SELECT id, geom, value, value - 5 AS z_cs, 2 - value / 3 AS z_nce, (id % 5)::float8 - 2 AS z_ce, 1.0 AS z_ecc,
       -1.0 AS z_esc, 0.5 AS z_cf, (id % 3)::float8 AS z_ec, -0.5 AS z_ed,
       (ARRAY['stable', 'insignificant', 'highly significant'])[id % 3 + 1] AS cep_class, 200.0 + id * 3 AS cli
FROM fuzz_units;
ANALYZE;
