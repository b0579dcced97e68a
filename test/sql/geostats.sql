-- Mean centre and standard deviational ellipse (paper 004 eqs.2-4) against hand
-- computations, an independent SQL evaluation of the formulas on the Columbus
-- centroids, ArcGIS's Directional Distribution convention, and forced parallel plans.
SET extra_float_digits = 0;
SELECT plan(26);

-- hand example: (2,2), (-2,-2), (1,-1), (-1,1): mean 0, Sxx = Syy = 10, Sxy = 6, so A = 0,
-- tan(theta) = sqrt(4 B^2) / 2B = 1, theta = 45; sigma_x^2 = (5 - 6 + 5) / 4 = 1, sigma_y^2 = (5 + 6 + 5) / 4 = 4
CREATE TEMP TABLE hand (id int, geom geometry, w float8);
INSERT INTO hand VALUES (1, 'SRID=3857;POINT(2 2)', 1), (2, 'SRID=3857;POINT(-2 -2)', 1),
  (3, 'SRID=3857;POINT(1 -1)', 1), (4, 'SRID=3857;POINT(-1 1)', 1);
CREATE TEMP TABLE hand_e AS SELECT (std_ellipse(geom, w)).* FROM hand;
SELECT ok(ref.close(sigma_x, 1, 1e-12) AND ref.close(sigma_y, 2, 1e-12), 'hand: sigma_x = 1, sigma_y = 2') FROM hand_e;
SELECT ok(ref.close(rotation_deg, 45, 1e-12), 'hand: rotation 45 degrees (major axis towards north-east)') FROM hand_e;
SELECT ok(ST_SRID(center) = 3857 AND ST_SRID(ellipse) = 3857 AND abs(ST_X(center)) < 1e-15 AND abs(ST_Y(center)) < 1e-15,
  'hand: centre (0, 0), SRID kept') FROM hand_e;
-- the outline: area pi sigma_x sigma_y (360-gon: factor 360/(2 pi) sin(2 pi/360)), major axis end on it
SELECT ok(ref.close(ST_Area(ellipse), pi() * 2 * (180 / pi() * sin(2 * pi() / 360)), 1e-9), 'hand: ellipse area') FROM hand_e;
SELECT ok(ST_Distance(ellipse, ST_SetSRID(ST_MakePoint(2 * sin(pi() / 4), 2 * cos(pi() / 4)), 3857)) < 1e-12
  AND ST_IsValid(ellipse), 'hand: major axis end (sqrt 2, sqrt 2) on the outline') FROM hand_e;
-- ArcGIS Directional Distribution (one standard deviation) multiplies both axes by sqrt(2), divisor n
SELECT ok(ref.close(sigma_x, sqrt(2), 1e-12) AND ref.close(sigma_y, 2 * sqrt(2), 1e-12) AND ref.close(rotation_deg, 45, 1e-12),
  'hand: ArcGIS convention sqrt(2), 2 sqrt(2), 45')
FROM (SELECT (std_ellipse(geom, w, 'convention=arcgis')).* FROM hand) e;
-- weights: (0,0), (2,0), (0,2) weight 1 and (2,2) weight 3: centre (8/6, 8/6)
SELECT ok(ref.close(ST_X(c), 8.0 / 6, 1e-14) AND ref.close(ST_Y(c), 8.0 / 6, 1e-14) AND ST_SRID(c) = 4326, 'weighted mean centre')
FROM (SELECT mean_center(g, w) c FROM (VALUES ('SRID=4326;POINT(0 0)'::geometry, 1.0::float8),
  ('SRID=4326;POINT(2 0)', 1), ('SRID=4326;POINT(0 2)', 1), ('SRID=4326;POINT(2 2)', 3),
  (NULL, 5), ('SRID=4326;POINT(9 9)', NULL), ('SRID=4326;POINT(9 9)', 0)) v(g, w)) s;
-- axis-aligned spreads: x wider gives rotation 90, y wider gives 0
SELECT ok(ref.close((std_ellipse(g, 1)).rotation_deg, 90, 1e-12), 'B = 0, A > 0: rotation 90')
FROM unnest(ARRAY['POINT(-3 0)', 'POINT(3 0)', 'POINT(0 1)', 'POINT(0 -1)']::geometry[]) g;
SELECT ok((std_ellipse(g, 1)).rotation_deg = 0 AND ref.close((std_ellipse(g, 1)).sigma_y, sqrt(4.5), 1e-12), 'B = 0, A < 0: rotation 0, sigma_y = 3/sqrt(2)')
FROM unnest(ARRAY['POINT(0 -3)', 'POINT(0 3)', 'POINT(1 0)', 'POINT(-1 0)']::geometry[]) g;

-- Columbus polygons weighted by CRIME: the formulas evaluated independently in SQL on ST_Centroid
CREATE TEMP VIEW col AS SELECT id, geom, crime AS w, ST_X(ST_Centroid(geom)) x, ST_Y(ST_Centroid(geom)) y FROM ref.columbus;
CREATE TEMP TABLE sql_e AS
WITH c AS (SELECT sum(w * x) / sum(w) mx, sum(w * y) / sum(w) my, sum(w) sw FROM col),
d AS (SELECT w, x - mx dx, y - my dy, sw FROM col, c),
m AS (SELECT sum(w * dx * dx) sxx, sum(w * dy * dy) syy, sum(w * dx * dy) sxy, max(sw) sw FROM d),
t AS (SELECT *, atan(((sxx - syy) + sqrt((sxx - syy) ^ 2 + 4 * sxy ^ 2)) / (2 * sxy)) th FROM m),
t2 AS (SELECT *, CASE WHEN th < 0 THEN th + pi() ELSE th END theta FROM t)
SELECT (SELECT mx FROM c) mx, (SELECT my FROM c) my, degrees(theta) rot,
       sqrt((SELECT sum(w * (dx * cos(theta) - dy * sin(theta)) ^ 2) FROM d) / sw) sx,
       sqrt((SELECT sum(w * (dx * sin(theta) + dy * cos(theta)) ^ 2) FROM d) / sw) sy
FROM t2;
CREATE TEMP TABLE our_e AS SELECT (std_ellipse(geom, w)).*, mean_center(geom, w) mc FROM col;
SELECT ok(ref.close(ST_X(o.center), s.mx) AND ref.close(ST_Y(o.center), s.my), 'Columbus: centre = SQL weighted mean of centroids') FROM our_e o, sql_e s;
SELECT ok(ST_Equals(o.center, o.mc), 'Columbus: std_ellipse centre = mean_center') FROM our_e o;
SELECT ok(ref.close(o.sigma_x, s.sx) AND ref.close(o.sigma_y, s.sy), 'Columbus: sigma_x, sigma_y = SQL eqs.3-4') FROM our_e o, sql_e s;
SELECT ok(ref.close(o.rotation_deg, s.rot), 'Columbus: rotation = SQL eq.2') FROM our_e o, sql_e s;
SELECT round(sigma_x::numeric, 6) sigma_x, round(sigma_y::numeric, 6) sigma_y, round(rotation_deg::numeric, 4) rotation_deg,
       ST_NPoints(ellipse) npoints FROM our_e;
-- sigma_y is the major axis: the variance along any other direction is not larger
SELECT ok(bool_and(o.sigma_y ^ 2 * sum_w >= v - 1e-9 * v AND o.sigma_x ^ 2 * sum_w <= v + 1e-9 * v), 'Columbus: sigma_y maximal, sigma_x minimal over 180 directions')
FROM our_e o, (SELECT a, sum(w * ((x - mx) * sin(a) + (y - my) * cos(a)) ^ 2) v, max(sw) sum_w
               FROM col, (SELECT sum(w * x) / sum(w) mx, sum(w * y) / sum(w) my, sum(w) sw FROM col) c,
                    generate_series(0, 179) deg, LATERAL (SELECT radians(deg) a) r GROUP BY a) dirs;

-- centre shift: planar (0,0) -> (3,4): 5 units towards 36.87 degrees; geographic: metres on the ellipsoid
SELECT ok(ref.close(distance, 5, 1e-15) AND ref.close(bearing_deg, degrees(atan2(3, 4)), 1e-14), 'planar shift 5 at 36.87 deg')
FROM center_shift('SRID=3857;POINT(0 0)', 'SRID=3857;POINT(3 4)');
SELECT ok(ref.close(bearing_deg, 270, 1e-14), 'planar shift west: 270') FROM center_shift('POINT(1 1)', 'POINT(-4 1)');
SELECT ok(ref.close(distance, ST_Distance('SRID=4326;POINT(108 33)'::geography, 'SRID=4326;POINT(108 34)'::geography), 1e-4)
  AND bearing_deg = 0, 'geographic shift north: metres as PostGIS geography within 1e-4, bearing 0')
FROM center_shift('SRID=4326;POINT(108 33)', 'SRID=4326;POINT(108 34)');
SELECT ok(ref.close(bearing_deg, degrees(ST_Azimuth('SRID=4326;POINT(108 33)'::geography, 'SRID=4326;POINT(109.5 32)'::geography)), 1e-2),
  'geographic bearing as PostGIS geography azimuth within 0.01 relative')
FROM center_shift('SRID=4326;POINT(108 33)', 'SRID=4326;POINT(109.5 32)');
SELECT ok(distance = 0 AND bearing_deg IS NULL, 'no shift: bearing NULL') FROM center_shift('POINT(1 1)', 'POINT(1 1)');

-- empty input and too few points
SELECT ok(mean_center(g, 1) IS NULL, 'no rows: NULL centre') FROM (SELECT 'POINT(0 0)'::geometry g WHERE false) s;
SELECT ok(std_ellipse(g, 1) IS NULL, 'one point: NULL ellipse') FROM (SELECT 'POINT(0 0)'::geometry g) s;

-- parallel plans: partial aggregates combine to the serial result
CREATE TABLE geostats_big AS
SELECT i, ST_SetSRID(ST_MakePoint(500000 + 1000 * sin(i) + i % 97, 3500000 + 700 * cos(3 * i) + i % 13), 32649) geom,
       1 + (i % 7) w FROM generate_series(1, 60000) i;
ANALYZE geostats_big;
CREATE TEMP TABLE serial_e AS SELECT (std_ellipse(geom, w)).*, mean_center(geom, w) mc FROM geostats_big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
SELECT ok(bool_or(l LIKE '%Partial Aggregate%'), 'EXPLAIN shows Partial Aggregate')
FROM (SELECT l FROM ref.plan('SELECT std_ellipse(geom, w), mean_center(geom, w) FROM geostats_big') l) s;
CREATE TEMP TABLE par_e AS SELECT (std_ellipse(geom, w)).*, mean_center(geom, w) mc FROM geostats_big;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;
SELECT ok(ref.close(p.sigma_x, s.sigma_x, 1e-9) AND ref.close(p.sigma_y, s.sigma_y, 1e-9)
  AND ref.close(p.rotation_deg, s.rotation_deg, 1e-9) AND ST_Distance(p.mc, s.mc) < 1e-6, 'parallel = serial')
FROM par_e p, serial_e s;
DROP TABLE geostats_big;

-- bad input
SELECT throws_ok($$SELECT mean_center(g, -1) FROM (SELECT 'POINT(0 0)'::geometry g) s$$,
  '22023', 'mean_center: weight must not be negative', 'negative weight');
SELECT throws_ok($$SELECT mean_center(g, 1) FROM unnest(ARRAY['SRID=4326;POINT(0 0)', 'SRID=3857;POINT(1 1)']::geometry[]) g$$,
  '22023', 'mean_center: geom has mixed SRIDs', 'mixed SRIDs');
SELECT throws_ok($$SELECT std_ellipse(g, 1, 'convention=esri') FROM (SELECT 'POINT(0 0)'::geometry g) s$$,
  '22023', NULL, 'unknown convention');

SELECT * FROM finish();
