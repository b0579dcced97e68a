-- One call or more of every function family, schema-qualified, on small
-- synthetic data in temporary tables, as a temporary view of (family, result)
-- text rows.  Included (\i test/lib/families.sql) by the tests that run the
-- families as a role without grants (privileges) and under planted objects
-- (security).  Any role can run it: it needs only the TEMPORARY privilege
-- that PUBLIC has on a database by default.  Literals are typed as the
-- operators they meet, so that its own expressions resolve to pg_catalog
-- even next to the operators the security test plants.
CREATE TEMP TABLE fam_unit AS
SELECT i AS id, ST_MakeEnvelope(i % 6, i / 6, i % 6 + 1, i / 6 + 1, 32650) AS geom,
       ST_MakeEnvelope(110 + (i % 6) * 0.1::float8, 30 + (i / 6) * 0.1::float8, 110.1::float8 + (i % 6) * 0.1::float8,
                       30.1::float8 + (i / 6) * 0.1::float8, 4326) AS lonlat,
       (i * 37 % 11)::float8 + i * 0.1::float8 AS value, 100 + i * 7 + (i % 3) * 5.0::float8 AS ce, 10 + i * 1.5::float8 AS p,
       2 + (i * i % 7)::float8 AS w, (i % 4)::bigint AS stratum, 1 + (i * 13 % 5)::float8 AS weight
FROM generate_series(0, 35) i;
CREATE TEMP TABLE fam_series AS
SELECT t::float8 AS t, 5 + 0.3::float8 * t + sin(t) AS value FROM generate_series(1, 20) t;
CREATE TEMP TABLE fam_zoning_input AS
SELECT id, geom, value, (id * 13 % 7)::float8 - 3 AS z_cs, (id * 5 % 7)::float8 - 3 AS z_nce,
       (id * 3 % 7)::float8 - 3 AS z_ce, 1.0::float8 AS z_ecc, -1.0::float8 AS z_esc, 0.5::float8 AS z_cf,
       (id % 3)::float8 AS z_ec, -0.5::float8 AS z_ed,
       (ARRAY['stable', 'insignificant', 'highly significant'])[id % 3 + 1] AS cep_class, 200.0::float8 + id * 3 AS cli
FROM fam_unit;
CREATE TEMP TABLE fam_raster AS
SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(2, 2, 0, 200, 100, -100, 0, 0, 32650), '8BUI'::text, 1, 0),
                    1, 1, 1, ARRAY[[1, 2], [2, 8]]::float8[]) AS rast;

CREATE TEMP VIEW family_results AS
SELECT 'weights' AS family,
       (SELECT count(*) || ' ' || round(sum(w)::numeric, 9)
        FROM carbonbudget.spatial_weights((SELECT array_agg(id::bigint ORDER BY id) FROM fam_unit),
                                          (SELECT array_agg(geom ORDER BY id) FROM fam_unit), 'weights=queen')) AS result
UNION ALL
SELECT 'moran', (SELECT carbonbudget.morans_i(value, lonlat, 'permutations=99 seed=1')::text FROM fam_unit)
UNION ALL
SELECT 'lisa', (SELECT string_agg(r::text, ';' ORDER BY id)
                FROM (SELECT id, carbonbudget.local_moran(value, geom, 'permutations=99') OVER () AS r FROM fam_unit) s)
UNION ALL
SELECT 'gi*', (SELECT string_agg(r::text, ';' ORDER BY id)
               FROM (SELECT id, carbonbudget.getis_ord_gi(value, geom) OVER () AS r FROM fam_unit) s)
UNION ALL
SELECT 'general g', (SELECT carbonbudget.general_g(value, geom)::text FROM fam_unit)
UNION ALL
SELECT 'bivariate, rate, change moran', concat_ws(' ', (SELECT carbonbudget.morans_i_bv(value, w, geom, 'permutations=99')::text FROM fam_unit),
         (SELECT carbonbudget.morans_i_rate(w, p, geom, 'permutations=99')::text FROM fam_unit),
         (SELECT carbonbudget.differential_moran(value, ce, geom, 'permutations=99')::text FROM fam_unit))
UNION ALL
SELECT 'local bivariate, rate, change', (SELECT string_agg(concat_ws(' ', a, b, c), ';' ORDER BY id)
                                         FROM (SELECT id, carbonbudget.local_moran_bv(value, w, geom, 'permutations=99') OVER () AS a,
                                                      carbonbudget.local_moran_rate(w, p, geom, 'permutations=99') OVER () AS b,
                                                      carbonbudget.local_differential_moran(value, ce, geom, 'permutations=99') OVER () AS c
                                               FROM fam_unit) s)
UNION ALL
SELECT 'geary, join counts, lag', concat_ws(' ', (SELECT carbonbudget.gearys_c(value, geom, 'permutations=99')::text FROM fam_unit),
         (SELECT carbonbudget.join_counts(stratum = 1::bigint, geom, 'permutations=99')::text FROM fam_unit),
         (SELECT string_agg(concat_ws(' ', g, j, l), ';' ORDER BY id)
          FROM (SELECT id, carbonbudget.local_geary(value, geom, 'permutations=99') OVER () AS g,
                       carbonbudget.local_join_count(stratum = 1::bigint, geom, 'permutations=99') OVER () AS j,
                       carbonbudget.spatial_lag(value, geom) OVER () AS l FROM fam_unit) s))
UNION ALL
SELECT 'accounting scalars', concat_ws(' ', carbonbudget.c_to_co2(12), carbonbudget.co2_to_c(44), carbonbudget.nce(120, 100),
         carbonbudget.ecs(150, 10), carbonbudget.cnc(160, 200), carbonbudget.energy_emissions_ipcc(1000, 0.020908, 98.3))
UNION ALL
SELECT 'accounting tables', concat_ws(' ', carbonbudget.energy_emissions('raw_coal', 1000),
         carbonbudget.energy_emissions('Natural_Gas', 50, unit => 't CO2'),
         carbonbudget.agriculture_emissions(100, 5, 2, 1000, 1000, 50000), carbonbudget.livestock_emissions('cattle', 100),
         carbonbudget.breathing_emissions(10000), carbonbudget.crop_sequestration(1000, 0.12, 0.4, 0.45),
         carbonbudget.land_sequestration('forest', 100), carbonbudget.carbon_budget('construction', 100, 'east'),
         carbonbudget.landuse_coefficient_of('forest'), carbonbudget.carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1]),
         carbonbudget.ecological_capacity(800, ARRAY[0.1, 0.2, 0.6, 0.1]),
         carbonbudget.ecological_deficit(1000, 800, ARRAY[0.1, 0.2, 0.6, 0.1]))
UNION ALL
SELECT 'accounting raster', (SELECT carbonbudget.carbon_budget_agg(rast, ST_MakeEnvelope(0, 0, 200, 200, 32650), 'zone=east')::text
                             FROM fam_raster)
UNION ALL
SELECT 'ecc, esc', (SELECT string_agg(e || ' ' || s, ';' ORDER BY id)
                    FROM (SELECT id, carbonbudget.ecc(p, ce) OVER () AS e, carbonbudget.esc(w, ce) OVER () AS s FROM fam_unit) x)
UNION ALL
SELECT 'rasters', concat_ws(' ', carbonbudget.rh_pei2009(20, 100),
         carbonbudget.nep(500, array_fill(10::float8, ARRAY[12]), array_fill(50::float8, ARRAY[12])),
         (SELECT ST_Value(carbonbudget.rcs_raster(rast, 0.5), 1, 1, 1) FROM fam_raster),
         (SELECT ST_Value(carbonbudget.cnc_raster(rast, rast), 2, 2, 1) FROM fam_raster))
UNION ALL
SELECT 'gini, trends', (SELECT concat_ws(' ', carbonbudget.gini_signed(value - 10), carbonbudget.gini_signed(value, 'ai2017', 1),
                                         carbonbudget.mann_kendall(t, value)::text, carbonbudget.sen_slope(t, value),
                                         carbonbudget.ols_trend(t, value), carbonbudget.hurst(t, value))
                        FROM fam_series)
UNION ALL
SELECT 'gwr', (SELECT string_agg(((r).beta)::text, ';' ORDER BY id)
               FROM (SELECT id, carbonbudget.gwr_fit(ce, ARRAY[p, w], ST_Centroid(geom), 'bandwidth=20') OVER () AS r
                     FROM fam_unit) s)
UNION ALL
SELECT 'ridge, projection', (SELECT concat_ws(' ', m::text, carbonbudget.stirpat_project(m, ARRAY[40, 5],
                                     '{"periods": [{"to": 2030, "growth": [0.01, 0.02]}, {"to": 2060, "growth": [-0.01, -0.05]}]}')::text)
                             FROM (SELECT carbonbudget.stirpat_ridge(ce, ARRAY[p, w], 'k=0.01') AS m FROM fam_unit) r)
UNION ALL
SELECT 'ols, t-test', (SELECT concat_ws(' ', carbonbudget.ols_fit(ce, ARRAY[p, w])::text,
                                        carbonbudget.ttest_ind(value, id % 2 = 0)::text) FROM fam_unit)
UNION ALL
SELECT 'geodetector', (SELECT carbonbudget.geodetector(value, stratum)::text FROM fam_unit)
UNION ALL
SELECT 'bp', (SELECT (carbonbudget.bp_fit(ce, ARRAY[p, w], 'hidden=3 epochs=50 seed=3' ORDER BY id)).r2::text FROM fam_unit)
UNION ALL
SELECT 'classification', (SELECT string_agg(concat_ws(' ', b, q, h), ';' ORDER BY id)
                          FROM (SELECT id, carbonbudget.natural_breaks(value, 4) OVER () AS b,
                                       carbonbudget.quantile_class(value, 4) OVER () AS q,
                                       carbonbudget.hclust(ARRAY[value, w], 3) OVER (ORDER BY id) AS h FROM fam_unit) s)
UNION ALL
SELECT 'geometry statistics', (SELECT concat_ws(' ', ST_AsText(carbonbudget.mean_center(geom, weight)),
                                                (carbonbudget.std_ellipse(geom, weight)).sigma_y,
                                                carbonbudget.center_shift(
                                                  (SELECT ST_Centroid(lonlat) FROM fam_unit WHERE id = 0),
                                                  (SELECT ST_Centroid(lonlat) FROM fam_unit WHERE id = 35))::text)
                               FROM fam_unit)
UNION ALL
SELECT 'zoning scores', (SELECT concat_ws(' ', carbonbudget.cli(c, a), carbonbudget.trend_score(-2.1, 'ce'), carbonbudget.cep_score('stable'),
                                          carbonbudget.cli_score(280, 200, 400), carbonbudget.zone_name(4),
                                          carbonbudget.dynamic_degree(1200, 1500, 20))
                         FROM (VALUES ('cropland', 60.0::float8), ('forest', 30), ('construction', 10)) v(c, a));
