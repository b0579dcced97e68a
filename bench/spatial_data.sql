-- Benchmark data with a fixed seed: 3,000 Voronoi polygons and a 100,000-cell
-- square grid, each with a spatially autocorrelated value x (smooth surface
-- plus noise).  Identical data are exported to R.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
SELECT setseed(0.2026);

CREATE TABLE bench.voronoi_seeds AS
SELECT ST_MakePoint(random() * 1000, random() * 1000) AS pt FROM generate_series(1, 3000);

CREATE TABLE bench.voronoi AS
SELECT row_number() OVER (ORDER BY ST_X(ST_Centroid(cell)), ST_Y(ST_Centroid(cell)))::bigint AS id,
       cell AS geom
FROM (SELECT ST_Intersection((ST_Dump(ST_VoronoiPolygons(ST_Collect(pt), 0,
                               ST_MakeEnvelope(0, 0, 1000, 1000)))).geom,
                             ST_MakeEnvelope(0, 0, 1000, 1000)) AS cell
      FROM bench.voronoi_seeds) v;

CREATE TABLE bench.grid AS
SELECT (r * 400 + c + 1)::bigint AS id, ST_MakeEnvelope(c, r, c + 1, r + 1) AS geom
FROM generate_series(0, 249) r, generate_series(0, 399) c;

ALTER TABLE bench.voronoi ADD COLUMN x float8;
UPDATE bench.voronoi SET x = sin(ST_X(ST_Centroid(geom)) / 150) + cos(ST_Y(ST_Centroid(geom)) / 110)
                             + 0.5 * random();
ALTER TABLE bench.grid ADD COLUMN x float8;
UPDATE bench.grid SET x = sin(ST_X(ST_Centroid(geom)) / 60) + cos(ST_Y(ST_Centroid(geom)) / 45)
                          + 0.5 * random();
-- for the statistics of two values and of binary maps: y correlated with x, a binary map, and
-- events and a population at risk whose rate grows with x (deterministic, no further random draws)
ALTER TABLE bench.voronoi ADD COLUMN y float8, ADD COLUMN b boolean, ADD COLUMN events float8, ADD COLUMN pop float8;
UPDATE bench.voronoi SET y = 0.6 * x + cos(id * 0.37), b = x > 0.5, pop = 1000 + (id * 7919) % 9000;
UPDATE bench.voronoi SET events = round(pop * 0.001 * (5 + 2 * x));
ALTER TABLE bench.grid ADD COLUMN y float8, ADD COLUMN b boolean, ADD COLUMN events float8, ADD COLUMN pop float8;
UPDATE bench.grid SET y = 0.6 * x + cos(id * 0.37), b = x > 0.5, pop = 1000 + (id * 7919) % 9000;
UPDATE bench.grid SET events = round(pop * 0.001 * (5 + 2 * x));
ANALYZE bench.voronoi;
ANALYZE bench.grid;
