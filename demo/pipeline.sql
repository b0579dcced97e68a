-- The carbon pipeline on the 100 North Carolina counties: real boundaries
-- (data/nc), SYNTHETIC land cover, climate, NPP, runoff, night lights
-- (demo/generate.py) and SYNTHETIC county statistics (below, deterministic).
-- Masses in t C per year unless stated.
\set ON_ERROR_STOP on
\timing off
SET client_min_messages = warning;

-- a deterministic "noise" in [0, 1) for the synthetic statistics
CREATE FUNCTION demo_noise(i int, j int) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT (abs(sin(i * 12.9898 + j * 78.233)) * 43758.5453)::numeric % 1
$$;

-- 1. Counties, projected to NAD83 / North Carolina (metres) ------------------
CREATE TABLE county AS
SELECT cress_id AS id, name::text, (bir74 * 70)::float8 AS pop_2000,
       ST_Multi(ST_Transform(geom, 32119))::geometry(MultiPolygon, 32119) AS geom
FROM nc_counties;
ALTER TABLE county ADD PRIMARY KEY (id);
CREATE INDEX ON county USING gist (geom);

-- 2. Land-use carbon budget per county (paper 002 eq.1, scheme liu), exact pixel coverage
CREATE TABLE county_landuse AS
SELECT c.id, l.year, (carbon_budget_agg(l.rast, c.geom, 'scheme=liu zone=east coverage=exact')).*
FROM county c JOIN landcover l ON l.rast && c.geom
GROUP BY c.id, l.year;

-- 3. Raster carbon sinks (paper 001): NEP from NPP and monthly climate, rock weathering sink
CREATE TABLE climate AS
SELECT t.x, t.y, t.rast AS temperature, p.rast AS precipitation
FROM (SELECT ST_UpperLeftX(rast) AS x, ST_UpperLeftY(rast) AS y,
             ST_AddBand(NULL::raster, array_agg(rast ORDER BY month)) AS rast
      FROM temp_load GROUP BY 1, 2) t
JOIN (SELECT ST_UpperLeftX(rast) AS x, ST_UpperLeftY(rast) AS y,
             ST_AddBand(NULL::raster, array_agg(rast ORDER BY month)) AS rast
      FROM prec_load GROUP BY 1, 2) p USING (x, y);
CREATE TABLE nep AS            -- g C m-2 yr-1
SELECT nep_raster(n.rast, c.temperature, c.precipitation) AS rast
FROM npp_load n JOIN climate c ON c.x = ST_UpperLeftX(n.rast) AND c.y = ST_UpperLeftY(n.rast);
CREATE TABLE rcs AS            -- g C m-2 yr-1: GEM-CO2 F = a Q, a = 0.01 g C m-2 per mm of runoff (synthetic)
SELECT rcs_raster(rast, 0.01) AS rast FROM runoff_load;

-- 1 km pixels: a pixel of g C m-2 holds 10^6 m2, so the sum of pixel values is in t C
CREATE TABLE county_sink AS
SELECT c.id,
       (SELECT sum((ST_SummaryStats(ST_Clip(n.rast, c.geom))).sum) FROM nep n WHERE n.rast && c.geom) AS nep_t,
       (SELECT sum((ST_SummaryStats(ST_Clip(r.rast, c.geom))).sum) FROM rcs r WHERE r.rast && c.geom) AS rcs_t
FROM county c;

-- 4. County panel 2000-2020 (SYNTHETIC statistics shaped like the papers' tables)
CREATE TABLE county_year AS
WITH base AS (
  SELECT c.id, y AS year, (y - 2000)::float8 AS t,
         c.pop_2000 * (1 + (0.004 + 0.012 * demo_noise(c.id, 1)) * (y - 2000)) AS pop,
         30000 * exp((0.035 + 0.02 * demo_noise(c.id, 2)) * (y - 2000)) AS gdp_pc,
         (1.2 + 0.8 * demo_noise(c.id, 3)) * (1 + 0.03 * (y - 2000) - 0.0022 * (y - 2000) ^ 2) AS coal_pc
  FROM county c, generate_series(2000, 2020) y),
landuse AS (   -- land-use emission observed in 2000, 2010, 2020, spline-filled in between
  SELECT b.id, b.year,
         spline_fill(b.year, lu.emission) OVER (PARTITION BY b.id) AS landuse_emission,
         spline_fill(b.year, lu.construction_hm2) OVER (PARTITION BY b.id) AS construction_hm2
  FROM base b
  LEFT JOIN (SELECT id, year, emission,
                    coalesce(area_hm2[array_position(land_class, 'construction')], 0) AS construction_hm2
             FROM county_landuse) lu USING (id, year))
SELECT b.id, b.year, b.pop, b.pop * b.gdp_pc AS gdp, b.pop * b.coal_pc AS coal_t,
       energy_emissions('raw_coal', b.pop * b.coal_pc) + l.landuse_emission AS ce,
       -- sequestration is a magnitude: a county whose ecosystems are a net source sequesters nothing
       greatest(0, (s.nep_t + s.rcs_t) * (1 + 0.004 * (b.year - 2020) + 0.05 * (demo_noise(b.id, b.year) - 0.5))) AS cs,
       100 * l.construction_hm2 / (ST_Area(c.geom) / 1e4) AS urban_pct
FROM base b JOIN landuse l USING (id, year) JOIN county_sink s USING (id) JOIN county c USING (id);

-- indices (paper 003 eqs.6-11): shares of the sink by cropland, shrubland, forest, grassland area
CREATE TABLE county_index AS
WITH sink_area AS (
  SELECT cl.id, k, coalesce(cl.area_hm2[array_position(cl.land_class, c)], 0) AS area
  FROM county_landuse cl,
       unnest(ARRAY['cropland', 'shrubland', 'forest', 'grassland']) WITH ORDINALITY AS u(c, k)
  WHERE cl.year = 2020),
shares AS (
  SELECT id, array_agg(area / nullif(total, 0) ORDER BY k) AS shares
  FROM sink_area JOIN (SELECT id, sum(area) AS total FROM sink_area GROUP BY id) t USING (id)
  GROUP BY id)
SELECT y.*, y.ce - y.cs AS nce,
       ecc(y.gdp, y.ce) OVER (PARTITION BY y.year) AS ecc,
       esc(y.cs, y.ce) OVER (PARTITION BY y.year) AS esc,
       carbon_footprint(y.ce, s.shares) AS cf,
       ecological_capacity(y.cs, s.shares) AS ec,
       ecological_deficit(y.ce, y.cs, s.shares) AS ed
FROM county_year y JOIN shares s USING (id);

-- 5. Carbon neutral capacity 2020 and its spatial structure -------------------
CREATE TABLE county_2020 AS
SELECT c.id, c.name, c.geom, i.ce, i.cs, i.cs - i.ce AS cnc, i.pop, i.gdp, i.urban_pct, i.coal_t
FROM county c JOIN county_index i ON i.id = c.id AND i.year = 2020;

\echo
\echo '== Carbon budget 2020 of the 100 counties (t C/yr; synthetic data)'
SELECT round(sum(ce)) AS emission, round(sum(cs)) AS sequestration, round(sum(cnc)) AS carbon_neutral_capacity,
       count(*) FILTER (WHERE cnc >= 0) AS counties_in_surplus,
       round(gini_signed(cnc)::numeric, 3) AS gini_signed_cnc
FROM county_2020;

\echo '== Global Moran''s I of CNC (queen contiguity, 999 permutations)'
SELECT round(i::numeric, 4) AS i, round(z_rand::numeric, 2) AS z, p_sim, n
FROM (SELECT (morans_i(cnc, geom, 'permutations=999 seed=1')).* FROM county_2020) m;

CREATE TABLE county_lisa AS
SELECT id, (local_moran(cnc, geom, 'permutations=999 seed=1') OVER ()).cluster,
           (getis_ord_gi(cnc, geom) OVER ()).bin AS gi_bin
FROM county_2020;
\echo '== LISA clusters and Gi* bins of CNC'
SELECT cluster, count(*) AS counties,
       count(*) FILTER (WHERE gi_bin > 0) AS hot_spot, count(*) FILTER (WHERE gi_bin < 0) AS cold_spot
FROM county_lisa GROUP BY cluster ORDER BY cluster;

-- 6. Trends 2000-2020 (Mann-Kendall Z per index, paper 003 Table 4) ---------------
CREATE TABLE county_trend AS
SELECT id,
       (mann_kendall(year, cs)).z AS z_cs, (mann_kendall(year, nce)).z AS z_nce,
       (mann_kendall(year, ce, 'z_threshold=1.66')).trend AS ce_trend,
       (mann_kendall(year, ce, 'z_threshold=1.66')).z AS z_ce, (mann_kendall(year, ecc)).z AS z_ecc,
       (mann_kendall(year, esc)).z AS z_esc, (mann_kendall(year, cf)).z AS z_cf,
       (mann_kendall(year, ec)).z AS z_ec, (mann_kendall(year, ed)).z AS z_ed,
       sen_slope(year, ce) AS ce_sen_slope
FROM county_index GROUP BY id;
\echo '== Emission trends 2000-2020 (Mann-Kendall, Z threshold 1.66 as paper 003)'
SELECT ce_trend, count(*) AS counties, round(avg(ce_sen_slope)) AS mean_sen_slope_t_per_yr
FROM county_trend GROUP BY ce_trend ORDER BY ce_trend;

-- 7. Drivers: GWR of ln CE on ln population, ln GDP per capita, urban share (2020)
CREATE TABLE county_gwr AS
SELECT id, (gwr_fit(ln(ce), ARRAY[ln(pop), ln(gdp / pop), urban_pct], ST_Centroid(geom)) OVER ()).*
FROM county_2020;
\echo '== GWR of ln CE 2020 (adaptive bisquare, AICc search)'
SELECT DISTINCT bandwidth, round(aicc::numeric, 2) AS aicc, round(r2::numeric, 4) AS r2, round(enp::numeric, 2) AS enp
FROM county_gwr;

-- 8. STIRPAT ridge on the panel and projections to 2060 (paper 003 eqs.12-13, Table 5)
CREATE TABLE stirpat AS
SELECT (stirpat_ridge(ce, ARRAY[pop, gdp / pop, 1 + urban_pct, coal_t / gdp * 1e4], 'k=auto')) AS model
FROM county_year;
\echo '== STIRPAT ridge model (ln CE on ln P, ln A, ln urban, ln energy intensity)'
SELECT (model).k, (SELECT array_agg(round(c::numeric, 3)) FROM unnest((model).coef) c) AS coef,
       round((model).r2::numeric, 4) AS r2,
       (SELECT array_agg(round(v::numeric, 2)) FROM unnest((model).vif) v) AS vif
FROM stirpat;

CREATE TABLE county_projection AS
SELECT c.id, (stirpat_project(s.model, ARRAY[c.pop, c.gdp / c.pop, 1 + c.urban_pct, c.coal_t / c.gdp * 1e4],
  jsonb_build_object('base_year', 2020, 'step', 5, 'ce_base', c.ce, 'periods', jsonb_build_array(
    jsonb_build_object('to', 2030, 'growth', jsonb_build_array(0.006, 0.03 + 0.03 * demo_noise(c.id, 40), 0.02, -0.01 - 0.04 * demo_noise(c.id, 41))),
    jsonb_build_object('to', 2060, 'growth', jsonb_build_array(0.002, 0.02 + 0.02 * demo_noise(c.id, 42), 0.01, -0.03 - 0.03 * demo_noise(c.id, 43))))))).*
FROM county_2020 c, stirpat s;
\echo '== Projected emission peaks (baseline scenario, 5-year steps to 2060)'
SELECT cep_class, count(*) AS counties, min(peak_year) AS earliest_peak, max(peak_year) AS latest_peak,
       count(*) FILTER (WHERE peaked_by_2030) AS peaked_by_2030
FROM county_projection GROUP BY cep_class ORDER BY cep_class;

-- 9. Carbon-neutral zoning (paper 003 Table 6) ---------------------------------
CREATE TABLE county_input AS
SELECT c.id, c.geom, c.cnc AS value, t.z_cs, t.z_nce, t.z_ce, t.z_ecc, t.z_esc, t.z_cf, t.z_ec, t.z_ed,
       p.cep_class,
       (SELECT cli(lc, a) FROM unnest(l.land_class, l.area_hm2) u(lc, a)) AS cli
FROM county_2020 c JOIN county_trend t USING (id) JOIN county_projection p USING (id)
JOIN county_landuse l ON l.id = c.id AND l.year = 2020;
CALL refresh_zoning('county_input', 'zones');

\echo '== Carbon-neutral zones'
SELECT zone, count(*) AS counties, round(avg(total)::numeric, 1) AS mean_score, round(avg(value)) AS mean_cnc
FROM zones GROUP BY zone_class, zone ORDER BY zone_class DESC;
\echo '== Counties with the largest carbon surplus and deficit'
(SELECT c.name, round(c.cnc) AS cnc, z.zone, l.cluster FROM county_2020 c JOIN zones z USING (id)
 JOIN county_lisa l USING (id) ORDER BY c.cnc DESC LIMIT 3)
UNION ALL
(SELECT c.name, round(c.cnc), z.zone, l.cluster FROM county_2020 c JOIN zones z USING (id)
 JOIN county_lisa l USING (id) ORDER BY c.cnc LIMIT 3);
