-- Land-use carbon budgets (paper 002 eq.1): the scalar form by hand, the zonal
-- raster form against ST_ValueCount(ST_Clip(...)) (centre rule) and polygon
-- areas (exact coverage), the aggregate over tiles (serial and parallel),
-- geodesic pixel areas, downscaling (paper 004 eq.1) and bad input.
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS budget CASCADE;
CREATE SCHEMA budget;
RESET client_min_messages;

-- ---- scalar form: coefficient x area (t C/yr) ----
SELECT carbon_budget('construction', 100, 'east') AS east_6530,
       carbon_budget('Construction', 100, 'NORTHWEST') AS northwest_3390,
       carbon_budget('cropland', 200) AS cropland_99_4,
       carbon_budget('forest', 100) AS forest_minus_58_1,
       carbon_budget('wetland', 100) AS wetland_not_counted,
       carbon_budget('forest', 100, NULL, 'huo') AS huo_forest_minus_577,
       carbon_budget(NULL, 100) AS null_class;
SELECT landuse_coefficient_of('construction', 'central_south') AS c_46_5;

-- ---- the coefficient tables: every row has a unit and a source; dumped rows are the users' own ----
SELECT t, count(*) AS shipped_rows
FROM (SELECT 'landuse_coefficient' t FROM landuse_coefficient WHERE shipped AND unit <> '' AND source LIKE 'paper%'
      UNION ALL SELECT 'landcover_code' FROM landcover_code WHERE shipped AND source <> ''
      UNION ALL SELECT 'energy_factor' FROM energy_factor WHERE shipped AND unit <> '' AND source LIKE 'paper 003%'
      UNION ALL SELECT 'agriculture_factor' FROM agriculture_factor WHERE shipped AND unit <> '' AND source LIKE 'paper 003%'
      UNION ALL SELECT 'livestock_factor' FROM livestock_factor WHERE shipped AND unit <> '' AND source LIKE 'paper 003%'
      UNION ALL SELECT 'breathing_factor' FROM breathing_factor WHERE shipped AND unit <> '' AND source LIKE 'paper 003%'
      UNION ALL SELECT 'footprint_nep' FROM footprint_nep WHERE shipped AND unit <> '' AND source LIKE 'paper 003%'
      UNION ALL SELECT 'lithology_coefficient' FROM lithology_coefficient WHERE shipped AND unit <> '' AND source LIKE 'Amiotte Suchet%') s
GROUP BY t ORDER BY t;
SELECT c.relname, d.condition
FROM pg_extension e, unnest(e.extconfig, e.extcondition) d(oid, condition) JOIN pg_class c ON c.oid = d.oid
WHERE e.extname = 'carbonbudget' ORDER BY 1;

-- ---- zonal budget on a hand-made land-cover raster ----
-- 8 x 6 pixels of 30 m (0.09 hm2) in UTM 50N; codes by row: 1 1 2 2 8 8 4 5 / ... ; row 6 has a nodata pixel (0)
CREATE TABLE budget.lc AS
SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(8, 6, 500000, 4000180, 30, -30, 0, 0, 32650), '8BUI'::text, 0, 0),
  1, 1, 1, ARRAY[[1, 1, 2, 2, 8, 8, 4, 5],
                 [1, 1, 2, 2, 8, 8, 4, 5],
                 [1, 3, 3, 2, 2, 7, 7, 5],
                 [9, 9, 3, 2, 2, 7, 6, 5],
                 [1, 1, 1, 2, 2, 2, 4, 4],
                 [0, 1, 1, 2, 2, 2, 4, 4]]::float8[][]) AS rast;
-- a triangle whose edges avoid pixel centres, and a box aligned to pixel edges
CREATE TABLE budget.region (id int, geom geometry);
INSERT INTO budget.region VALUES
  (1, ST_GeomFromText('POLYGON((500007 4000173, 500231 4000161, 500013 4000004, 500007 4000173))', 32650)),
  (2, ST_MakeEnvelope(500030, 4000030, 500210, 4000150, 32650)),
  (3, ST_GeomFromText('MULTIPOLYGON(((500000 4000000, 500120 4000000, 500120 4000090, 500000 4000090, 500000 4000000),
                                     (500030 4000030, 500060 4000030, 500060 4000060, 500030 4000060, 500030 4000030)),
                                    ((500180 4000120, 500240 4000120, 500240 4000180, 500180 4000180, 500180 4000120)))', 32650)),
  (4, ST_GeomFromText('POLYGON((500016 4000171, 500221 4000120, 500140 4000011, 500020 4000043, 500065 4000100, 500016 4000171),
                               (500100 4000110, 500160 4000100, 500130 4000060, 500100 4000110))', 32650));

-- centre rule against PostGIS: ST_ValueCount(ST_Clip(...)) x 0.09 hm2 per pixel, class by class (the
-- classes scheme liu counts; shrubland, wetland and snow_ice go to unclassified_hm2 with a NOTICE, below)
SET client_min_messages = warning;
CREATE TEMP TABLE ours_centre AS
SELECT r.id, u.land_class, u.area_hm2, u.budget
FROM budget.region r, budget.lc l,
     LATERAL (SELECT (carbon_budget(l.rast, r.geom, 'zone=east')).*) b,
     LATERAL unnest(b.land_class, b.area_hm2, b.budget) u(land_class, area_hm2, budget);
CREATE TEMP TABLE theirs_centre AS
SELECT r.id, c.land_class, sum(vc.count) * 0.09 AS area_hm2
FROM budget.region r, budget.lc l,
     LATERAL ST_ValueCount(ST_Clip(l.rast, r.geom), 1, true) vc
     JOIN landcover_code c ON c.scheme = 'clcd' AND c.code = vc.value
WHERE c.land_class IN (SELECT land_class FROM landuse_coefficient WHERE scheme = 'liu')
GROUP BY r.id, c.land_class;
SELECT count(*) AS classes_compared,
       bool_and(ref.close(o.area_hm2, t.area_hm2)) AS areas_match_st_clip,
       bool_and(ref.close(o.budget, o.area_hm2 * landuse_coefficient_of(o.land_class, 'east'))) AS budgets_match
FROM ours_centre o FULL JOIN theirs_centre t USING (id, land_class);
SELECT id, land_class, round(area_hm2::numeric, 4) AS area_hm2, round(budget::numeric, 6) AS budget
FROM ours_centre ORDER BY id, land_class;

-- exact coverage: the class areas add up to the polygon's area inside the raster (ST_Area of the intersection)
SELECT r.id,
       ref.close((SELECT sum(a) FROM unnest(b.area_hm2) a) + b.nodata_hm2 + b.unclassified_hm2,
                 ST_Area(ST_Intersection(r.geom, ST_Envelope(l.rast))) / 1e4, 1e-9) AS exact_area_ok,
       round(b.emission::numeric, 6) AS emission, round(b.sequestration::numeric, 6) AS sequestration,
       ref.close(b.net, b.emission - b.sequestration) AS net_ok
FROM budget.region r, budget.lc l, LATERAL (SELECT (carbon_budget(l.rast, r.geom, 'zone=east coverage=exact')).*) b
ORDER BY r.id;
-- exact fractions by hand: box of region 2 shifted by half a pixel covers half of its edge pixels
SELECT u.land_class, round(u.area_hm2::numeric, 6) AS area_hm2
FROM budget.lc l,
     LATERAL (SELECT (carbon_budget(l.rast, ST_MakeEnvelope(500015, 4000150, 500075, 4000180, 32650), 'zone=east coverage=exact')).*) b,
     LATERAL unnest(b.land_class, b.area_hm2) u(land_class, area_hm2);
-- (row 1: half of pixel 1 + pixel 2 + half of pixel 3 = 1.5 cropland + 0.5 forest pixels -> 0.135 and 0.045 hm2)

-- the pixel-aligned box: both rules agree with 24 pixels x 0.09 hm2
SELECT (SELECT sum(a) FROM unnest(b.area_hm2) a) + b.unclassified_hm2 AS centre_hm2,
       (SELECT sum(a) FROM unnest(x.area_hm2) a) + x.unclassified_hm2 AS exact_hm2
FROM budget.lc, budget.region, LATERAL (SELECT (carbon_budget(rast, geom, 'zone=east')).*) b,
     LATERAL (SELECT (carbon_budget(rast, geom, 'zone=east coverage=exact')).*) x WHERE id = 2;
-- classes scheme liu has no coefficient for are unclassified, named in one NOTICE per statement;
-- landcover=clcd_liu merges them into the six classes of paper 002
SET client_min_messages = notice;
SELECT r.id, round(b.unclassified_hm2::numeric, 4) AS unclassified_hm2
FROM budget.lc, budget.region r, LATERAL (SELECT (carbon_budget(rast, r.geom, 'zone=east')).*) b ORDER BY r.id;
SELECT r.id, b.land_class, round(b.unclassified_hm2::numeric, 4) AS unclassified_hm2
FROM budget.lc, budget.region r, LATERAL (SELECT (carbon_budget(rast, r.geom, 'zone=east landcover=clcd_liu')).*) b ORDER BY r.id;
SET client_min_messages = warning;

-- ---- aggregate over tiles equals the whole raster; tiles outside the region add nothing ----
CREATE TABLE budget.tiles AS SELECT ST_Tile(rast, 3, 2) AS rast FROM budget.lc;
SELECT r.id, count(*) AS tiles,
       ref.close((carbon_budget_agg(t.rast, r.geom, 'zone=east coverage=exact')).net,
                 (SELECT (carbon_budget(l.rast, r.geom, 'zone=east coverage=exact')).net FROM budget.lc l)) AS agg_equals_whole,
       (carbon_budget_agg(t.rast, r.geom, 'zone=east')).area_hm2 =
       (SELECT (carbon_budget(l.rast, r.geom, 'zone=east')).area_hm2 FROM budget.lc l) AS centre_areas_equal
FROM budget.region r, budget.tiles t GROUP BY r.id, r.geom ORDER BY r.id;
SELECT carbon_budget_agg(rast, NULL::geometry, '') IS NOT NULL AS null_region_skipped FROM budget.tiles;
SELECT carbon_budget_agg(rast, geom) AS no_rows FROM budget.tiles, budget.region WHERE false;

-- parallel plan: Partial Aggregate with the bytea state, same result as serial
CREATE TABLE budget.many AS SELECT ST_Tile(rast, 1, 1) AS rast, r.geom FROM budget.lc, budget.region r, generate_series(1, 60) WHERE r.id = 1;
ANALYZE budget.many;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT ref.plan_has($$SELECT carbon_budget_agg(m.rast, m.geom, 'zone=east') FROM budget.many m$$,
                       'Partial Aggregate') AS has_partial_aggregate;
CREATE TEMP TABLE par AS SELECT (carbon_budget_agg(m.rast, m.geom, 'zone=east coverage=exact')).* FROM budget.many m;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT ref.close(p.net, s.net, 1e-12) AND p.land_class = s.land_class AS parallel_equals_serial,
       ref.close(p.net, 60 * (SELECT (carbon_budget(l.rast, r.geom, 'zone=east coverage=exact')).net FROM budget.lc l, budget.region r WHERE r.id = 1)) AS sixty_copies
FROM par p, (SELECT (carbon_budget_agg(m.rast, m.geom, 'zone=east coverage=exact')).* FROM budget.many m) s;
RESET max_parallel_workers_per_gather;

-- ---- geographic SRID: ellipsoidal pixel areas ----
-- one 1 x 1 degree forest pixel at the equator and one at 60-61 N, against PostGIS geography areas of the
-- densified pixel polygons (edges along parallels): 1e-5 relative
WITH g AS (
  SELECT ST_AddBand(ST_MakeEmptyRaster(1, 1, 100, lat + 1, 1, -1, 0, 0, 4326), '8BUI'::text, 2, 0) AS rast, lat
  FROM (VALUES (0), (60)) v(lat))
SELECT lat,
       ref.close((carbon_budget(rast, ST_MakeEnvelope(99, lat - 1, 102, lat + 2, 4326))).area_hm2[1],
                 ST_Area(ST_Segmentize(ST_MakeEnvelope(100, lat, 101, lat + 1, 4326), 0.001)::geography) / 1e4, 1e-5) AS geodesic_ok,
       round((carbon_budget(rast, ST_MakeEnvelope(99, lat - 1, 102, lat + 2, 4326))).area_hm2[1]::numeric, 0) AS area_hm2
FROM g ORDER BY lat;

-- ---- downscaling (paper 004 eq.1): the pixels of all tiles add up to the total ----
CREATE TABLE budget.ntl AS
SELECT ST_Tile(ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(6, 4, 500000, 4000120, 30, -30, 0, 0, 32650), '16BUI'::text, 0, 65535),
  1, 1, 1, ARRAY[[1, 2, 3, 4, 5, 6], [0, 0, 10, 10, 65535, 1], [7, 7, 7, 7, 7, 7], [2, 4, 6, 8, 10, 12]]::float8[][]), 4, 3) AS rast;
CREATE TEMP TABLE down AS
WITH reg AS (SELECT ST_GeomFromText('POLYGON((500010 4000010, 500170 4000020, 500100 4000115, 500010 4000010))', 32650) AS geom),
     dn AS (SELECT sum(downscale_weight(n.rast, reg.geom)) AS s FROM budget.ntl n, reg)
SELECT downscale_raster(n.rast, reg.geom, 1000, dn.s) AS rast, downscale_raster(n.rast, reg.geom, 1000, dx.s, 'coverage=exact') AS rast_exact
FROM budget.ntl n, reg, dn,
     (SELECT sum(downscale_weight(n.rast, reg.geom, 'coverage=exact')) AS s FROM budget.ntl n, reg) dx;
SELECT ref.close(sum((ST_SummaryStats(rast)).sum), 1000) AS centre_total_conserved,
       ref.close(sum((ST_SummaryStats(rast_exact)).sum), 1000) AS exact_total_conserved,
       bool_and(ST_BandPixelType(rast) = '64BF') AS float_band
FROM down;
-- each pixel is its weight's share: value / weight is the same everywhere inside the region
WITH ratio AS (SELECT (ST_SummaryStats(ST_MapAlgebra(d.rast, n.rast, '[rast1] / NULLIF([rast2], 0)', '64BF', 'INTERSECTION'))).*
               FROM down d JOIN budget.ntl n ON ST_UpperLeftX(d.rast) = ST_UpperLeftX(n.rast) AND ST_UpperLeftY(d.rast) = ST_UpperLeftY(n.rast))
SELECT sum(count) AS weighted_pixels_in_region, ref.close(min(min), max(max)) AS proportional FROM ratio WHERE count > 0;

-- ---- bad input ----
SELECT carbon_budget('orchard', 10);
SELECT carbon_budget('forest', 10, 'south');
SELECT carbon_budget('forest', -1);
SELECT carbon_budget('forest', 'NaN'::float8);
SELECT carbon_budget('construction', 10);
SELECT carbon_budget('forest', 10, NULL, 'nosuch');
SELECT carbon_budget(ST_SetSRID(rast, 0), ST_SetSRID(geom, 0)) FROM budget.lc, budget.region WHERE id = 1;
SELECT carbon_budget(rast, ST_SetSRID(geom, 4326)) FROM budget.lc, budget.region WHERE id = 1;
SELECT carbon_budget(rast, ST_Centroid(geom)) FROM budget.lc, budget.region WHERE id = 1;
SELECT carbon_budget(rast, geom, 'zone=east coverage=fuzzy') FROM budget.lc, budget.region WHERE id = 1;
SELECT carbon_budget(rast, geom, 'zone=east colour=red') FROM budget.lc, budget.region WHERE id = 1;
SELECT carbon_budget(rast, geom, 'zone=east landcover=glc') FROM budget.lc, budget.region WHERE id = 1;
SELECT carbon_budget(rast, geom, 'zone=east band=2') FROM budget.lc, budget.region WHERE id = 1;
SELECT carbon_budget(rast, geom) FROM budget.lc, budget.region WHERE id = 1;
-- construction land present without a zone is an error; a region without construction land needs no zone
SELECT (carbon_budget(rast, ST_MakeEnvelope(500000, 4000000, 500060, 4000030, 32650))).land_class FROM budget.lc;
-- NaN pixels, fractional codes
SELECT carbon_budget(ST_SetValue(ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 2, 1, -1, 0, 0, 32650), '64BF'::text, 1, NULL), 1, 1, 'NaN'::float8),
                     ST_MakeEnvelope(0, 0, 2, 2, 32650));
SELECT carbon_budget(ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 2, 1, -1, 0, 0, 32650), '32BF'::text, 1.5, NULL), ST_MakeEnvelope(0, 0, 2, 2, 32650));
-- defined results: nodata everywhere, an empty intersection, an empty region
SELECT (carbon_budget(ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 2, 1, -1, 0, 0, 32650), '8BUI'::text, 0, 0),
                      ST_MakeEnvelope(0, 0, 2, 2, 32650))).*;
SELECT (carbon_budget(rast, ST_MakeEnvelope(0, 0, 10, 10, 32650), 'zone=east')).* FROM budget.lc;
SELECT (carbon_budget(rast, 'SRID=32650;POLYGON EMPTY'::geometry, 'zone=east')).* FROM budget.lc;
SELECT carbon_budget_agg(rast, geom, CASE WHEN random() < 2 AND ST_UpperLeftX(rast) < 500050 THEN 'zone=east' ELSE 'zone=north' END)
FROM budget.tiles, budget.region WHERE id = 2;
-- downscaling
SELECT downscale_raster(rast, ST_MakeEnvelope(500000, 4000000, 500100, 4000100, 32650), 10, 0) FROM budget.ntl LIMIT 1;
SELECT downscale_raster(rast, ST_MakeEnvelope(500000, 4000000, 500100, 4000100, 32650), 'NaN', 1) FROM budget.ntl LIMIT 1;
SELECT downscale_weight(ST_MapAlgebra(rast, '32BF', '[rast] - 100'), ST_MakeEnvelope(500000, 4000000, 500100, 4000100, 32650)) FROM budget.ntl LIMIT 1;
