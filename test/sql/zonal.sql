-- Zonal statistics and land-use transitions (SPEC section 14) against R terra 1.7-3
-- (test/data/zonal, made by test/data/make/zonal.R) on the 100 North Carolina
-- counties over a UTM and a lon/lat grid, exactness against polygon areas,
-- tile edges, options, parallel plans, the unit chain of paper 001 and bad input.
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS zonal CASCADE;
CREATE SCHEMA zonal;
RESET client_min_messages;
CREATE TABLE zonal.county (grid text, id int, name text, wkt text, geom geometry);
CREATE TEMP TABLE county_load (id int, name text, wkt text);
\copy county_load FROM 'test/data/zonal/counties_utm.csv' CSV HEADER
INSERT INTO zonal.county SELECT 'utm', id, name, wkt, ST_GeomFromText(wkt, 32617) FROM county_load; TRUNCATE county_load;
\copy county_load FROM 'test/data/zonal/counties_lonlat.csv' CSV HEADER
INSERT INTO zonal.county SELECT 'lonlat', id, name, wkt, ST_GeomFromText(wkt, 4326) FROM county_load;
CREATE TABLE zonal.terra (grid text, id int, rule text, pixels bigint, coverage float8, area_m2 float8, sum float8,
                          mean float8, min float8, max float8, stddev float8, area_sum float8);
CREATE TEMP TABLE terra_load (id int, rule text, pixels bigint, coverage float8, area_m2 float8, sum float8,
                              mean float8, min float8, max float8, stddev float8, area_sum float8);
\copy terra_load FROM 'test/data/zonal/zonal_utm.csv' CSV HEADER
INSERT INTO zonal.terra SELECT 'utm', * FROM terra_load; TRUNCATE terra_load;
\copy terra_load FROM 'test/data/zonal/zonal_lonlat.csv' CSV HEADER
INSERT INTO zonal.terra SELECT 'lonlat', * FROM terra_load;
CREATE TABLE zonal.terra_transition (grid text, id int, from_class int, to_class int, area_m2 float8);
CREATE TEMP TABLE tr_load (id int, from_class int, to_class int, area_m2 float8);
\copy tr_load FROM 'test/data/zonal/transition_utm.csv' CSV HEADER
INSERT INTO zonal.terra_transition SELECT 'utm', * FROM tr_load; TRUNCATE tr_load;
\copy tr_load FROM 'test/data/zonal/transition_lonlat.csv' CSV HEADER
INSERT INTO zonal.terra_transition SELECT 'lonlat', * FROM tr_load;
CREATE TABLE zonal.terra_transition_nodata (grid text, id int, nodata_m2 float8);
CREATE TEMP TABLE nd_load (id int, nodata_m2 float8);
\copy nd_load FROM 'test/data/zonal/transition_nodata_utm.csv' CSV HEADER
INSERT INTO zonal.terra_transition_nodata SELECT 'utm', * FROM nd_load; TRUNCATE nd_load;
\copy nd_load FROM 'test/data/zonal/transition_nodata_lonlat.csv' CSV HEADER
INSERT INTO zonal.terra_transition_nodata SELECT 'lonlat', * FROM nd_load;

-- the rasters of test/data/make/zonal.R, pixel for pixel: one band per formula, then tiles of 64 x 48 pixels
CREATE TABLE zonal.grid (grid text PRIMARY KEY, srid int, x0 float8, y0 float8, res float8, ncol int, nrow int);
INSERT INTO zonal.grid VALUES ('utm', 32617, 100000, 4080000, 2000, 420, 180), ('lonlat', 4326, -84.5, 36.75, 0.025, 380, 120);
CREATE FUNCTION zonal.band(g zonal.grid, pixeltype text, nodata float8, f text) RETURNS raster LANGUAGE plpgsql AS $$
DECLARE v float8[];
BEGIN
  EXECUTE format('SELECT array_agg(x ORDER BY r) FROM (SELECT r, array_agg((%s)::float8 ORDER BY c) AS x
                  FROM generate_series(0, %s) r, generate_series(0, %s) c GROUP BY r) s', f, g.nrow - 1, g.ncol - 1) INTO v;
  RETURN ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(g.ncol, g.nrow, g.x0, g.y0, g.res, -g.res, 0, 0, g.srid),
                                 pixeltype, nodata, nodata), 1, 1, 1, v);
END $$;
CREATE TABLE zonal.value AS
SELECT g.grid, ST_Tile(zonal.band(g, '32BF', -9999,
         'CASE WHEN (13 * c + 7 * r) % 53 = 0 THEN NULL ELSE ((37 * c + 101 * r) % 997) / 4.0 - 50 END'), 64, 48) AS rast
FROM zonal.grid g;
CREATE TABLE zonal.landcover AS
SELECT g.grid, t.rid, t.before, t.after
FROM zonal.grid g,
     LATERAL (SELECT row_number() OVER () AS rid, b.rast AS before, a.rast AS after
              FROM (SELECT row_number() OVER () AS k, rast FROM ST_Tile(zonal.band(g, '8BUI', 0,
                      '1 + ((c / 5) + 3 * (r / 4)) % 9'), 64, 48) rast) b
              JOIN (SELECT row_number() OVER () AS k, rast FROM ST_Tile(zonal.band(g, '8BUI', 0,
                      'CASE WHEN (5 * c + 3 * r) % 61 = 0 THEN NULL
                            WHEN (c + 2 * r) % 7 < 2 THEN 1 + (1 + ((c / 5) + 3 * (r / 4)) % 9 + c + r) % 9
                            ELSE 1 + ((c / 5) + 3 * (r / 4)) % 9 END'), 64, 48) rast) a USING (k)) t;
SELECT grid, count(*) AS tiles FROM zonal.value GROUP BY grid ORDER BY grid;
SELECT bool_and(ST_SameAlignment(before, after) AND ST_UpperLeftX(before) = ST_UpperLeftX(after)
                AND ST_UpperLeftY(before) = ST_UpperLeftY(after)) AS pairs_aligned FROM zonal.landcover;

-- ---- zonal_stats_agg against terra extract(): both rules, both grids, every county ----
CREATE TEMP TABLE ours AS
SELECT c.grid, c.id, o.rule, (zonal_stats_agg(v.rast, c.geom, 'coverage=' || o.rule)).*
FROM zonal.county c JOIN zonal.value v ON v.grid = c.grid AND ST_Intersects(v.rast, c.geom),
     (VALUES ('exact'), ('centre')) o(rule)
GROUP BY c.grid, c.id, o.rule;
-- terra's exact fractions differ from the exact polygon areas by up to 3e-4 of a pixel (checked below:
-- ours add up to ST_Area), so the exact sums agree to 1e-5 relative; the centre rule agrees to rounding
SELECT t.grid, t.rule, count(*) AS counties,
       bool_and(coalesce(o.pixels, 0) = t.pixels) AS pixels_equal,
       bool_and(o.min IS NOT DISTINCT FROM t.min AND o.max IS NOT DISTINCT FROM t.max) AS min_max_equal,
       bool_and(ref.close(coalesce(o.coverage, 0), t.coverage, tol, 1e-9)
                AND ref.close(coalesce(o.area_m2, 0), t.area_m2, tol, 1e-3)
                AND ref.close(coalesce(o.sum, 0), t.sum, tol, 1e-6)
                AND ref.close(o.mean, t.mean, tol, 1e-9)
                AND ref.close(o.stddev, t.stddev, tol, 1e-9)
                AND ref.close(coalesce(o.area_sum, 0), t.area_sum, tol, 1)) AS sums_agree
FROM zonal.terra t
LEFT JOIN ours o USING (grid, id, rule)
CROSS JOIN LATERAL (SELECT CASE WHEN t.rule = 'centre' THEN 1e-9 ELSE 1e-5 END AS tol) tl
GROUP BY t.grid, t.rule ORDER BY t.grid, t.rule;
-- the county outside the UTM grid has no tile: no row, and terra's zero pixels
SELECT t.id, t.pixels FROM zonal.terra t WHERE NOT EXISTS (SELECT FROM ours o WHERE o.grid = t.grid AND o.id = t.id)
ORDER BY 1, 2;
-- a few counties in full (UTM, exact)
SELECT id, pixels, round(coverage::numeric, 4) AS coverage, round(mean::numeric, 4) AS mean, min, max,
       round(stddev::numeric, 4) AS stddev, round((area_sum / 1e9)::numeric, 4) AS area_sum_e9
FROM ours WHERE grid = 'utm' AND rule = 'exact' AND id IN (1, 27, 100) ORDER BY id;

-- ---- exact coverage adds up to the polygon's area inside the raster (1e-12) ----
CREATE TABLE zonal.ones AS
SELECT g.grid, ST_Tile(ST_AddBand(ST_MakeEmptyRaster(g.ncol, g.nrow, g.x0, g.y0, g.res, -g.res, 0, 0, g.srid),
                                  '8BUI'::text, 1, 0), 64, 48) AS rast
FROM zonal.grid g;
SELECT c.grid, bool_and(ref.close(coalesce(s.coverage, 0) * g.res * g.res,
                                  ST_Area(ST_Intersection(c.geom, ST_MakeEnvelope(g.x0, g.y0 - g.nrow * g.res,
                                          g.x0 + g.ncol * g.res, g.y0, g.srid))), 1e-12, 1e-12 * ST_Area(c.geom))) AS coverage_is_area
FROM zonal.county c JOIN zonal.grid g USING (grid)
LEFT JOIN LATERAL (SELECT (zonal_stats_agg(o.rast, c.geom)).* FROM zonal.ones o
                   WHERE o.grid = c.grid AND ST_Intersects(o.rast, c.geom)) s ON true
GROUP BY c.grid ORDER BY c.grid;

-- ---- tiles: the aggregate over tiles equals zonal_stats on the undivided raster ----
CREATE TABLE zonal.whole AS SELECT g.grid, ST_Union(v.rast) AS rast FROM zonal.grid g JOIN zonal.value v USING (grid) GROUP BY g.grid;
SELECT o.grid, bool_and(ref.close(o.sum, w.sum, 1e-12, 1e-9) AND ref.close(o.area_sum, w.area_sum, 1e-12, 1e-3)
                        AND ref.close(o.stddev, w.stddev, 1e-11) AND o.pixels = w.pixels) AS tiles_equal_whole
FROM ours o JOIN zonal.county c USING (grid, id) JOIN zonal.whole wr USING (grid),
     LATERAL (SELECT (zonal_stats(wr.rast, c.geom)).*) w
WHERE o.rule = 'exact' GROUP BY o.grid ORDER BY o.grid;

-- ---- options: scale, band, centre default of nothing else; per-row options must agree ----
SELECT ref.close((zonal_stats_agg(v.rast, c.geom, 'scale=1e-6')).area_sum,
                 1e-6 * (SELECT o.area_sum FROM ours o WHERE o.grid = 'utm' AND o.id = 27 AND o.rule = 'exact'), 1e-12) AS scale_ok
FROM zonal.county c JOIN zonal.value v ON v.grid = c.grid AND ST_Intersects(v.rast, c.geom) WHERE c.grid = 'utm' AND c.id = 27;
SELECT ref.close((zonal_stats_agg(ST_AddBand(v.rast, ST_MapAlgebra(v.rast, 1, '32BF', '[rast] * 2')), c.geom, 'band=2')).sum,
                 2 * (SELECT o.sum FROM ours o WHERE o.grid = 'utm' AND o.id = 27 AND o.rule = 'exact'), 1e-12) AS band_2_ok
FROM zonal.county c JOIN zonal.value v ON v.grid = c.grid AND ST_Intersects(v.rast, c.geom) WHERE c.grid = 'utm' AND c.id = 27;
SELECT zonal_stats_agg(v.rast, c.geom, CASE WHEN ST_UpperLeftX(v.rast) = 100000 AND ST_UpperLeftY(v.rast) = 4080000 THEN 'scale=2' ELSE '' END)
FROM zonal.county c JOIN zonal.value v ON v.grid = c.grid WHERE c.grid = 'utm' AND c.id = 27;

-- ---- holes and multipolygons by hand: 10 x 10 pixels of value = column index + 1 ----
CREATE TABLE zonal.small AS
SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(10, 10, 0, 10, 1, -1, 0, 0, 32617), '32BF'::text, 0, -9999), 1, 1, 1,
                    array_fill(0::float8, ARRAY[10, 10])) AS rast;
UPDATE zonal.small SET rast = ST_MapAlgebra(rast, 1, '32BF', '[rast.x]::float8');
-- square 1..9 with a hole 3..7 (exact: 64 - 16 = 48 pixels), a second part 0..1 x 0..1 at value 1,
-- (values 2..9 on 8 rows, less 4..7 on 4 rows, plus 1: 265 over 49 pixels); a box shifted by half a pixel:
-- fractions 0.5, 1, 0.5; with the centre rule the centre on its left edge counts, the one on its right edge not
SELECT (s).pixels, (s).coverage, (s).sum, (s).mean, (s).min, (s).max
FROM zonal.small, LATERAL (SELECT zonal_stats(rast, ST_GeomFromText(
  'MULTIPOLYGON(((1 1, 9 1, 9 9, 1 9, 1 1), (3 3, 3 7, 7 7, 7 3, 3 3)), ((0 0, 1 0, 1 1, 0 1, 0 0)))', 32617)) AS s) z;
SELECT (s).pixels, (s).coverage, (s).sum, (s).mean
FROM zonal.small, LATERAL (SELECT zonal_stats(rast, ST_MakeEnvelope(0.5, 0, 2.5, 1, 32617)) AS s) z;
SELECT (s).pixels, (s).coverage, (s).sum
FROM zonal.small, LATERAL (SELECT zonal_stats(rast, ST_MakeEnvelope(0.5, 0, 2.5, 1, 32617), 'coverage=centre') AS s) z;
-- weighted standard deviation by hand: values 1 (f 0.5), 2 (f 1), 3 (f 0.5): mean 2, variance (0.5 + 0.5) / 2
SELECT ref.close((zonal_stats(rast, ST_MakeEnvelope(0.5, 0, 2.5, 1, 32617))).stddev, sqrt(0.5)) AS stddev_ok FROM zonal.small;

-- ---- whole windows: a region no edge of which enters the tile covers every pixel by 1 (or none) without
-- per-pixel geometry; edges on the tile's border take the per-pixel route; both equal ST_SummaryStats ----
SELECT w.name, (s).pixels = (t).count AS pixels_ok, (s).coverage = (t).count AS coverage_ok,
       ref.close((s).sum, (t).sum, 1e-12) AS sum_ok, (c).pixels = (t).count AS centre_ok
FROM zonal.small, LATERAL (SELECT ST_SummaryStats(rast) AS t) st,
     (VALUES ('enclosing', ST_MakeEnvelope(-5, -5, 15, 15, 32617)), ('on the border', ST_MakeEnvelope(0, 0, 10, 10, 32617)),
             ('enclosing with a hole outside', ST_GeomFromText('POLYGON((-9 -9, 19 -9, 19 19, -9 19, -9 -9), (12 12, 12 15, 15 15, 15 12, 12 12))', 32617))) w(name, g),
     LATERAL (SELECT zonal_stats(rast, w.g) AS s, zonal_stats(rast, w.g, 'coverage=centre') AS c) z
ORDER BY w.name;
SELECT (s).pixels AS in_a_hole, (s).coverage
FROM zonal.small, LATERAL (SELECT zonal_stats(rast, ST_GeomFromText(
  'POLYGON((-20 -20, 30 -20, 30 30, -20 30, -20 -20), (-5 -5, -5 15, 15 15, 15 -5, -5 -5))', 32617)) AS s) z;
SELECT round(((t).total_hm2 + (t).nodata_hm2) * 1e4 / pixel_m2) = pixels AS transition_whole_tile
FROM (SELECT landuse_transition(l.before, l.after, ST_Expand(ST_Envelope(l.before), 1000)) AS t,
             min(ST_PixelWidth(l.before) * ST_PixelHeight(l.before)) AS pixel_m2, min(ST_Count(l.before, false)) AS pixels
      FROM zonal.landcover l WHERE l.grid = 'utm' AND l.rid = 1) z;

-- ---- parallel: Partial Aggregate with the bytea state, same result as serial ----
CREATE TABLE zonal.many AS SELECT v.rast, c.geom FROM zonal.value v JOIN zonal.county c ON c.grid = v.grid AND ST_Intersects(v.rast, c.geom), generate_series(1, 20)
WHERE c.grid = 'utm' AND c.id = 27;
ANALYZE zonal.many;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT ref.plan_has($$SELECT zonal_stats_agg(m.rast, m.geom) FROM zonal.many m$$, 'Partial Aggregate') AS zonal_partial,
       ref.plan_has($$SELECT landuse_transition(m.rast, m.rast, m.geom) FROM zonal.many m$$, 'Partial Aggregate') AS transition_partial;
CREATE TEMP TABLE par AS SELECT (zonal_stats_agg(m.rast, m.geom)).* FROM zonal.many m;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
SELECT p.pixels = 20 * o.pixels AND ref.close(p.sum, 20 * o.sum, 1e-12) AND ref.close(p.mean, o.mean, 1e-12)
       AND ref.close(p.stddev, o.stddev, 1e-9) AS parallel_equals_twenty_serial
FROM par p, ours o WHERE o.grid = 'utm' AND o.id = 27 AND o.rule = 'exact';

-- ---- landuse_transition against terra: every (county, from, to) cell and the nodata areas ----
CREATE TEMP TABLE trans AS
SELECT c.grid, c.id, landuse_transition(l.before, l.after, c.geom) AS t
FROM zonal.county c JOIN zonal.landcover l ON l.grid = c.grid AND ST_Intersects(l.before, c.geom)
GROUP BY c.grid, c.id;
-- ---- progress lines on: the same results as off; in the run with progress on, a row that sleeps 1.1 s
-- makes the aggregates print a line (hidden here, since its elapsed time depends on the clock) ----
CREATE FUNCTION pg_temp.progress_run(sleep float8) RETURNS TABLE (id int, z zonal_stats_result, t landuse_transition_result)
LANGUAGE sql AS $$
  SELECT zz.id, zz.z, tt.t
  FROM (SELECT x.id, zonal_stats_agg(x.rast, x.geom) AS z
        FROM (SELECT c.id, v.rast, c.geom, row_number() OVER () AS k
              FROM zonal.county c JOIN zonal.value v ON v.grid = c.grid AND ST_Intersects(v.rast, c.geom) WHERE c.grid = 'utm') x,
             LATERAL pg_sleep(CASE WHEN x.k = 2 THEN sleep ELSE 0 END) s
        GROUP BY x.id) zz
  JOIN (SELECT x.id, landuse_transition(x.before, x.after, x.geom) AS t
        FROM (SELECT c.id, l.before, l.after, c.geom, row_number() OVER () AS k
              FROM zonal.county c JOIN zonal.landcover l ON l.grid = c.grid AND ST_Intersects(l.before, c.geom) WHERE c.grid = 'utm') x,
             LATERAL pg_sleep(CASE WHEN x.k = 2 THEN sleep ELSE 0 END) s
        GROUP BY x.id) tt USING (id)
$$;
CREATE TEMP TABLE progress_off AS SELECT * FROM pg_temp.progress_run(0);
SET carbonbudget.progress = on;
SET client_min_messages = warning;
CREATE TEMP TABLE progress_on AS SELECT * FROM pg_temp.progress_run(1.1);
RESET client_min_messages;
RESET carbonbudget.progress;
SELECT count(*) AS counties, bool_and(a.z::text = b.z::text AND a.t::text = b.t::text) AS progress_same,
       bool_and((a.z).pixels > 0 AND (a.t).total_hm2 > 0) AS not_empty
FROM progress_off a JOIN progress_on b USING (id);

-- cells within 1e-3 of a pixel plus 1e-5 relative (terra's fractions, see above)
SELECT coalesce(o.grid, t.grid) AS grid, count(*) AS cells,
       count(*) FILTER (WHERE r.area_hm2 IS NULL OR t.area_m2 IS NULL) AS cells_missing,
       bool_and(abs(r.area_hm2 * 1e4 - t.area_m2) <= 1e-3 * g.pixel_m2 + 1e-5 * t.area_m2) AS cells_agree
FROM trans o CROSS JOIN LATERAL landuse_transition_rows(o.t) r
FULL JOIN zonal.terra_transition t ON t.grid = o.grid AND t.id = o.id AND t.from_class = r.from_class AND t.to_class = r.to_class
LEFT JOIN (VALUES ('utm', 4e6), ('lonlat', 7e6)) g(grid, pixel_m2) ON g.grid = coalesce(o.grid, t.grid)
GROUP BY 1 ORDER BY 1;
SELECT o.grid, bool_and(abs((o.t).nodata_hm2 * 1e4 - n.nodata_m2) <= 1e-2 * g.pixel_m2) AS nodata_agrees
FROM trans o JOIN zonal.terra_transition_nodata n USING (grid, id)
JOIN (VALUES ('utm', 4e6), ('lonlat', 7e6)) g(grid, pixel_m2) USING (grid) GROUP BY 1 ORDER BY 1;
-- the matrix plus nodata is the county's area inside the raster; the diagonal and changed_hm2 add up
SELECT bool_and(ref.close(((o.t).total_hm2 + (o.t).nodata_hm2) * 1e4,
                          ST_Area(ST_Intersection(c.geom, ST_MakeEnvelope(100000, 3720000, 940000, 4080000, 32617))), 1e-12)
                AND ref.close((o.t).changed_hm2, (SELECT sum(r.area_hm2) FROM landuse_transition_rows(o.t) r
                                                  WHERE r.from_class <> r.to_class), 1e-12)) AS areas_add_up
FROM trans o JOIN zonal.county c USING (grid, id) WHERE o.grid = 'utm';
SELECT (t).class, round((t).total_hm2::numeric, 2) AS total_hm2, round((t).changed_hm2::numeric, 2) AS changed_hm2,
       round(dynamic_degree(t, 20)::numeric, 6) AS lc
FROM trans WHERE grid = 'utm' AND id = 27;
-- comprehensive dynamic degree by hand: changed / (2 total) / T * 100
SELECT ref.close(dynamic_degree(t, 20), (t).changed_hm2 / (2 * (t).total_hm2) / 20 * 100) AS lc_formula FROM trans WHERE grid = 'utm' AND id = 27;
-- centre rule: whole pixels only
SELECT bool_and(a.area_hm2 * 1e4 / 4e6 = round(a.area_hm2 * 1e4 / 4e6)) AS centre_whole_pixels
FROM (SELECT landuse_transition(l.before, l.after, c.geom, 'coverage=centre') AS t
      FROM zonal.county c JOIN zonal.landcover l ON l.grid = c.grid AND ST_Intersects(l.before, c.geom)
      WHERE c.grid = 'utm' AND c.id IN (27, 28) GROUP BY c.id) s, landuse_transition_rows(s.t) a;

-- ---- the unit chain of paper 001 ----
SELECT lithology, code, coefficient, unit FROM lithology_coefficient WHERE scheme = 'gem_co2' ORDER BY code;
SELECT ref.close(rcs(500, 'Carbonate'), 1.586 * 500 * 12.011e-3) AS rcs_carbonate, rcs(NULL, 'basalt') AS null_runoff;
SELECT rcs(500, 'granite');
SELECT rcs(-1, 'basalt');
-- the lithology raster: codes 1..6 to a, times runoff, in g C m-2 yr-1; an unknown code is an error
CREATE TABLE zonal.lith AS
SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(3, 2, 0, 2, 1, -1, 0, 0, 32617), '8BUI'::text, 0, 0), 1, 1, 1,
                    ARRAY[[1, 2, 3], [4, 5, 0]]::float8[]) AS lith,
       ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(3, 2, 0, 2, 1, -1, 0, 0, 32617), '32BF'::text, 0, -9999), 1, 1, 1,
                    ARRAY[[100, 200, 300], [400, 500, 600]]::float8[]) AS runoff;
SELECT ST_DumpValues(rcs_raster(runoff, lith, 'lithology=gem_co2'), 1) =
       ARRAY[[0.095 * 100, 0.222 * 200, 0.479 * 300], [0.152 * 400, 0.627 * 500, NULL]]::float8[] IS NOT NULL AS computed,
       (SELECT bool_and(ref.close(o, e * 12.011e-3, 1e-12))
        FROM unnest(ST_DumpValues(rcs_raster(runoff, lith, 'lithology=gem_co2'), 1)) WITH ORDINALITY a(o, k)
        JOIN unnest(ARRAY[0.095 * 100, 0.222 * 200, 0.479 * 300, 0.152 * 400, 0.627 * 500]::float8[]) WITH ORDINALITY b(e, k) USING (k)) AS g_c_per_m2,
       (ST_DumpValues(rcs_raster(runoff, lith, 'lithology=gem_co2'), 1))[2][3] IS NULL AS nodata_stays_nodata,
       ref.close(ST_Value(rcs_raster(runoff, 1.586, 'coefficient_unit=mmol_per_l runoff_scale=0.5'), 1, 1), 1.586 * 50 * 12.011e-3) AS scaled
FROM zonal.lith;
SELECT rcs_raster(runoff, ST_SetValue(lith, 1, 1, 9), 'lithology=gem_co2') FROM zonal.lith;
SELECT rcs_raster(runoff, lith, 'lithology=nosuch') FROM zonal.lith;
SELECT rcs_raster(runoff, lith, 'lithology=gem_co2 coefficient_unit=raw') FROM zonal.lith;
SELECT rcs_raster(runoff, 1, 'runoff_scale=0') FROM zonal.lith;
-- NPP in kg C m-2 yr-1 with npp_scale=1000 equals NPP in g C m-2 yr-1; without it a NOTICE
CREATE TABLE zonal.clim AS
SELECT ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 1, 1, -1, 0, 0, 32617), '64BF'::text, 600, -9999) AS npp,
       ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 1, 1, -1, 0, 0, 32617), '64BF'::text, 0.6, -9999) AS npp_kg,
       ST_AddBand(NULL::raster, ARRAY(SELECT ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 1, 1, -1, 0, 0, 32617), '64BF'::text,
                                                        12 + 12.5 * sin(pi() * (k - 4) / 6), -9999) FROM generate_series(1, 12) k)) AS t12,
       ST_AddBand(NULL::raster, ARRAY(SELECT ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 1, 1, -1, 0, 0, 32617), '64BF'::text,
                                                        60 + 40 * sin(pi() * (k - 3) / 6), -9999) FROM generate_series(1, 12) k)) AS r12;
SELECT ref.close(ST_Value(nep_raster(npp_kg, t12, r12, 'npp_scale=1000'), 1, 1), ST_Value(nep_raster(npp, t12, r12), 1, 1), 1e-12) AS npp_scale_ok
FROM zonal.clim;
SELECT round(ST_Value(nep_raster(npp_kg, t12, r12), 1, 1)::numeric, 1) AS kg_read_as_g FROM zonal.clim;
-- annual inputs: a NOTICE, and RH 13.5 % low for this climate (docs/accounting.md)
SELECT round(ST_Value(nep_raster(npp, ST_Band(t12, 1), ST_Band(r12, 1)), 1, 1)::numeric, 1) AS one_month_as_annual FROM zonal.clim;
SELECT round((600 - ST_Value(nep_raster(npp, t12, r12), 1, 1))::numeric, 1) AS rh_monthly,
       round((12 * rh_pei2009(12, 720 / 12.0))::numeric, 1) AS rh_annual FROM zonal.clim;
-- ECS and CNC with units: masses to t C, fluxes to g C m-2 yr-1, mixed refused
SELECT ecs(1.2e5, 2.2, 't C', 'Gg C') AS ecs_t_c, cnc(1.2e5, 5.5e5, 't C', 't CO2') AS cnc_t_c,
       ref.close(cnc(100, 44, 'g C m-2 yr-1', 'g CO2 m-2 yr-1'), 88) AS flux_ok,
       ref.close(ecs(1, 1, 't C km-2 yr-1', 't C/hm2/yr'), 101) AS flux_units_ok,
       cnc(1, NULL, 't C', 't CO2') AS null_ce;
SELECT cnc(1.2e5, 5.5e5, 't C', 'g C m-2 yr-1');
SELECT ecs(1, 2, 't C', 'furlong');
SELECT cnc('NaN', 2, 't C', 't C');
-- ecs_raster and cnc_raster take input scales
SELECT ref.close(ST_Value(cnc_raster(npp, npp, 'ce_scale=0.5'), 1, 1), 300) AS cnc_scale_ok,
       ref.close(ST_Value(ecs_raster(npp_kg, npp, 'nep_scale=1000'), 1, 1), 1200) AS ecs_scale_ok FROM zonal.clim;

-- ---- clcd_liu: the six classes of paper 002; classes a scheme lacks are unclassified (NOTICE) ----
SELECT code, land_class FROM landcover_code WHERE scheme = 'clcd_liu' ORDER BY code;
CREATE TABLE zonal.lc AS
SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(3, 3, 500000, 4000090, 30, -30, 0, 0, 32650), '8BUI'::text, 0, 0), 1, 1, 1,
                    ARRAY[[1, 2, 3], [4, 5, 6], [7, 8, 9]]::float8[]) AS rast;
SET client_min_messages = notice;
SELECT b.land_class, b.area_hm2, round(b.unclassified_hm2::numeric, 2) AS unclassified_hm2
FROM zonal.lc, LATERAL (SELECT (carbon_budget(rast, ST_Envelope(rast), 'zone=east')).*) b;
SELECT b.land_class, b.area_hm2, round(b.unclassified_hm2::numeric, 2) AS unclassified_hm2
FROM zonal.lc, LATERAL (SELECT (carbon_budget(rast, ST_Envelope(rast), 'zone=east landcover=clcd_liu')).*) b;
RESET client_min_messages;

-- ---- bad input ----
-- NULLs: NULL out for zonal_stats, skipped by the aggregates, NULL for empty input
SELECT zonal_stats(NULL, geom) IS NULL AS null_raster, zonal_stats(rast, NULL) IS NULL AS null_region,
       zonal_stats(rast, geom, NULL) IS NULL AS null_options
FROM zonal.small, (SELECT ST_MakeEnvelope(1, 1, 2, 2, 32617) AS geom) g;
SELECT (zonal_stats_agg(r, g)).pixels AS skipped_nulls
FROM (VALUES (NULL::raster, ST_MakeEnvelope(1, 1, 2, 2, 32617)), ((SELECT rast FROM zonal.small), NULL::geometry)) v(r, g);
SELECT zonal_stats_agg(rast, ST_MakeEnvelope(1, 1, 2, 2, 32617)) IS NULL AS no_rows FROM zonal.small WHERE false;
SELECT landuse_transition(rast, rast, ST_MakeEnvelope(1, 1, 2, 2, 32617)) IS NULL AS no_rows FROM zonal.small WHERE false;
SELECT (landuse_transition(r, r, g)).total_hm2 AS skipped_nulls
FROM (VALUES (NULL::raster, ST_MakeEnvelope(1, 1, 2, 2, 32617))) v(r, g);
-- empty region: covers nothing; region outside the raster: nothing
SELECT (s).pixels, (s).coverage, (s).mean FROM zonal.small, LATERAL (SELECT zonal_stats(rast, ST_SetSRID('POLYGON EMPTY'::geometry, 32617)) s) z;
SELECT (s).pixels, (s).area_sum, (s).min FROM zonal.small, LATERAL (SELECT zonal_stats(rast, ST_MakeEnvelope(100, 100, 200, 200, 32617)) s) z;
SELECT (s).pixels FROM zonal.small, LATERAL (SELECT zonal_stats(rast, ST_MakeEnvelope(-1e300, -1e300, 1e300, 1e300, 32617)) s) z;
-- invalid regions, non-polygons
SELECT zonal_stats(rast, ST_GeomFromText('POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))', 32617)) FROM zonal.small;
SELECT zonal_stats(rast, ST_GeomFromText('LINESTRING(0 0, 2 2)', 32617)) FROM zonal.small;
SELECT landuse_transition(l.before, l.after, ST_GeomFromText('POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))', 32617)) FROM zonal.landcover l WHERE l.grid = 'utm';
-- SRIDs: mixed, lon/lat region on a projected raster, raster without SRID
SELECT zonal_stats(rast, ST_MakeEnvelope(1, 1, 2, 2, 4326)) FROM zonal.small;
SELECT zonal_stats_agg(v.rast, c.geom) FROM zonal.value v, zonal.county c WHERE v.grid = 'utm' AND c.grid = 'lonlat' AND c.id = 27;
SELECT zonal_stats(ST_SetSRID(rast, 0), ST_MakeEnvelope(1, 1, 2, 2, 0)) FROM zonal.small;
-- no band, a band that does not exist, all-nodata, an out-db band, NaN pixels
SELECT zonal_stats(ST_MakeEmptyRaster(rast), ST_MakeEnvelope(1, 1, 2, 2, 32617)) FROM zonal.small;
SELECT zonal_stats(rast, ST_MakeEnvelope(1, 1, 2, 2, 32617), 'band=2') FROM zonal.small;
SELECT (s).pixels, (s).coverage, (s).mean
FROM zonal.small, LATERAL (SELECT zonal_stats(ST_AddBand(ST_MakeEmptyRaster(rast), '32BF'::text, -9999, -9999),
                                              ST_MakeEnvelope(1, 1, 5, 5, 32617)) s) z;
SELECT zonal_stats(('01' || '0000' || '0100' || encode(float8send(1), 'hex') || encode(float8send(-1), 'hex')
                    || repeat('00', 32) || '696f0000' || '0100' || '0100'
                    || '84' || '00' || '00' || encode('/tmp/none.tif', 'hex') || '00')::raster, ST_MakeEnvelope(0, 0, 1, 1, 28521));
SELECT zonal_stats(ST_SetValue(ST_AddBand(ST_MakeEmptyRaster(2, 2, 0, 2, 1, -1, 0, 0, 32617), '64BF'::text, 1, NULL), 1, 1, 'NaN'::float8),
                   ST_MakeEnvelope(0, 0, 2, 2, 32617));
-- options
SELECT zonal_stats(rast, ST_MakeEnvelope(1, 1, 2, 2, 32617), 'coverage=half') FROM zonal.small;
SELECT zonal_stats(rast, ST_MakeEnvelope(1, 1, 2, 2, 32617), 'scale=Infinity') FROM zonal.small;
SELECT zonal_stats(rast, ST_MakeEnvelope(1, 1, 2, 2, 32617), 'weights=queen') FROM zonal.small;
SELECT zonal_stats(rast, ST_MakeEnvelope(1, 1, 2, 2, 32617), repeat('band=1 ', 40)) FROM zonal.small;
-- huge values: the sum of squares overflows into a clear error, never Infinity
SELECT zonal_stats(ST_AddBand(ST_MakeEmptyRaster(2, 2, 0, 2, 1, -1, 0, 0, 32617), ARRAY[ROW(NULL, '64BF', 1e300, NULL)]::addbandarg[]),
                   ST_MakeEnvelope(0, 0, 2, 2, 32617), 'scale=1e300');
SELECT (zonal_stats(ST_SetValue(ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 1, 1, -1, 0, 0, 32617), '64BF'::text, 1e300, NULL), 1, 1, -1e300),
                    ST_MakeEnvelope(0, 0, 2, 1, 32617))).stddev;
-- transition pairs: misaligned (which differs), float bands, codes out of range
SELECT landuse_transition(l.before, ST_SetSRID(l.after, 32618), c.geom) FROM zonal.landcover l, zonal.county c WHERE l.grid = 'utm' AND c.grid = 'utm' AND c.id = 27;
SELECT landuse_transition(l.before, ST_SetScale(l.after, 1000, -1000), c.geom) FROM zonal.landcover l, zonal.county c WHERE l.grid = 'utm' AND c.grid = 'utm' AND c.id = 27;
SELECT landuse_transition(l.before, ST_SetUpperLeft(l.after, ST_UpperLeftX(l.after) + 500, ST_UpperLeftY(l.after)), c.geom) FROM zonal.landcover l, zonal.county c WHERE l.grid = 'utm' AND c.grid = 'utm' AND c.id = 27;
SELECT landuse_transition(a.before, b.after, c.geom) FROM zonal.landcover a JOIN zonal.landcover b ON b.grid = a.grid AND b.rid = a.rid + 1, zonal.county c WHERE a.grid = 'utm' AND c.grid = 'utm' AND c.id = 27;
SELECT landuse_transition(v.rast, v.rast, c.geom) FROM zonal.value v, zonal.county c WHERE v.grid = 'utm' AND c.grid = 'utm' AND c.id = 27;
SELECT landuse_transition(r, r, ST_MakeEnvelope(0, 0, 2, 1, 32617))
FROM (SELECT ST_SetValue(ST_AddBand(ST_MakeEmptyRaster(2, 1, 0, 1, 1, -1, 0, 0, 32617), '16BUI'::text, 1, 0), 1, 1, 5000) AS r) s;
SELECT landuse_transition(l.before, l.after, c.geom, CASE WHEN l.rid = 1 THEN 'coverage=centre' ELSE '' END)
FROM zonal.landcover l, zonal.county c WHERE l.grid = 'utm' AND c.grid = 'utm' AND c.id = 27;
-- dynamic_degree and the rows helper on hand-made results
SELECT dynamic_degree((ARRAY[1], ARRAY[[5]]::float8[], 5, 0, 0)::landuse_transition_result, 10) AS unchanged,
       dynamic_degree((NULL, NULL, 0, 0, 0)::landuse_transition_result, 10) AS empty;
SELECT dynamic_degree((ARRAY[1], ARRAY[[5]]::float8[], 5, 0, 0)::landuse_transition_result, 0);
SELECT dynamic_degree((ARRAY[1], ARRAY[[5]]::float8[], 5, 7, 0)::landuse_transition_result, 10);
SELECT * FROM landuse_transition_rows((ARRAY[1, 2], ARRAY[[5, 1], [0, 3]]::float8[], 9, 1, 0)::landuse_transition_result);
SELECT * FROM landuse_transition_rows((ARRAY[1, 2], ARRAY[5, 1]::float8[], 6, 1, 0)::landuse_transition_result);
-- crafted aggregate states are errors, never crashes
SELECT _zonal_stats_final('\x00'::bytea);
SELECT _landuse_transition_final(decode(repeat('00', 240), 'hex'));
SELECT _zonal_stats_combine(NULL, NULL) IS NULL AS combine_nulls;

-- a float band whose nodata value is NaN (as R and GDAL write float GeoTIFFs): its NaN pixels are
-- nodata, skipped, not an error; 15 of 16 pixels hold values, 14 of them 2 and one 5
WITH r AS (SELECT ST_SetValue(ST_SetValue(ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 2, 'NaN'::float8),
                                          1, 1, 1, 'NaN'::float8), 1, 2, 2, 5) AS rast)
SELECT z.pixels, z.sum, z.min, z.max, zc.pixels AS centre_pixels, zc.sum AS centre_sum
FROM r, zonal_stats(rast, ST_MakeEnvelope(0, 0, 4, 4, 32650)) z,
     zonal_stats(rast, ST_MakeEnvelope(0, 0, 4, 4, 32650), 'coverage=centre') zc;
