-- carbonbudget install script, concatenated from sql/install/*.sql by the Makefile.
\echo Use "CREATE EXTENSION carbonbudget CASCADE" to load this file. \quit

COMMENT ON SCHEMA carbonbudget IS
  'carbonbudget: carbon accounting, spatial statistics, trends and driver models for regional carbon budgets';

-- SQL and PL/pgSQL functions carry SET search_path FROM CURRENT: while this
-- script runs the path is this schema followed by the schemas of postgis and
-- postgis_raster, so the functions find their helpers and PostGIS whatever the
-- caller's search_path (e.g. when called as carbonbudget.f(...)).
-- Spatial weights (SPEC section 3).

CREATE FUNCTION spatial_weights(ids bigint[], geoms geometry[], options text DEFAULT '')
RETURNS TABLE (i bigint, j bigint, w float8)
AS 'MODULE_PATHNAME', 'cb_spatial_weights'
LANGUAGE C STABLE PARALLEL SAFE COST 1000 ROWS 1000;

COMMENT ON FUNCTION spatial_weights(bigint[], geometry[], text) IS
$$Spatial weights between units as (i, j, w) rows: i and j are ids from ids, w the weight (unitless; row sums are 1 with style=W).
Options: weights=queen|rook|knn|distance|idw (default queen), k=6 (knn), threshold=<distance>|auto (distance, idw; SRID units, metres for lon/lat),
power=1 (idw), style=W|B, snap=1.49e-8 (queen, rook; coordinate units), validate=true.
Contiguity as R spdep poly2nb; distances between centroids (great circle on WGS-84 for geographic SRIDs). Islands have no rows.
Example: SELECT * FROM spatial_weights(array_agg(id), array_agg(geom), 'weights=rook') ...$$;

-- GAL and GWT text formats (GeoDa; read by R spdep read.gal / read.gwt2nb and PySAL)

CREATE FUNCTION gal_import(gal text)
RETURNS TABLE (id bigint, neighbors bigint[])
AS 'MODULE_PATHNAME', 'cb_gal_import'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gal_import(text) IS
$$Reads a GAL neighbour file (header "n" or "0 n layer key", then "id k" and the k neighbour ids per unit) into (id, neighbors) rows.
Feed them to the neighbour-list forms of morans_i, local_moran, getis_ord_gi and general_g.
Example: SELECT * FROM gal_import(pg_read_file('/path/columbus.gal'));$$;

CREATE FUNCTION gwt_import(gwt text)
RETURNS TABLE (i bigint, j bigint, w float8)
AS 'MODULE_PATHNAME', 'cb_gwt_import'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gwt_import(text) IS
$$Reads a GWT weights file (header, then "i j w" per link) into (i, j, w) rows; aggregate them per i into neighbors and weights arrays
for the weighted neighbour-list forms. Example: SELECT i, array_agg(j ORDER BY j), array_agg(w ORDER BY j) FROM gwt_import(:'gwt') GROUP BY i;$$;

CREATE FUNCTION _gal_export_step(internal, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gal_export_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gal_export_step(internal, bigint, bigint[]) IS 'Transition function of gal_export';
CREATE FUNCTION _gal_export_final(internal) RETURNS text
AS 'MODULE_PATHNAME', 'cb_gal_export_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gal_export_final(internal) IS 'Final function of gal_export';
CREATE AGGREGATE gal_export(id bigint, neighbors bigint[]) (
  SFUNC = _gal_export_step, STYPE = internal, FINALFUNC = _gal_export_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE gal_export(bigint, bigint[]) IS
$$Writes (id, neighbors) rows as GAL text, units ordered by id; a NULL or empty list is a unit without neighbours.
Example: SELECT gal_export(i, array_agg(j ORDER BY j)) FROM spatial_weights(...) GROUP BY i;$$;

CREATE FUNCTION _gwt_export_step(internal, bigint, bigint, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gwt_export_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gwt_export_step(internal, bigint, bigint, float8) IS 'Transition function of gwt_export';
CREATE FUNCTION _gwt_export_final(internal) RETURNS text
AS 'MODULE_PATHNAME', 'cb_gwt_export_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gwt_export_final(internal) IS 'Final function of gwt_export';
CREATE AGGREGATE gwt_export(i bigint, j bigint, w float8) (
  SFUNC = _gwt_export_step, STYPE = internal, FINALFUNC = _gwt_export_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE gwt_export(bigint, bigint, float8) IS
$$Writes (i, j, w) links as GWT text ordered by i, j, with weights in shortest round-trip decimal.
Example: SELECT gwt_export(i, j, w) FROM spatial_weights(ids, geoms, 'weights=idw threshold=5000 style=B');$$;
-- Spatial autocorrelation: global Moran's I and local Moran (SPEC section 4).

CREATE TYPE morans_i_result AS (
  i             float8,  -- Moran's I
  expected      float8,  -- E(I) = -1/(n-1)
  variance_norm float8,  -- Var(I) under normality
  z_norm        float8,
  p_norm        float8,
  variance_rand float8,  -- Var(I) under randomisation
  z_rand        float8,
  p_rand        float8,
  p_sim         float8,  -- pseudo p-value (M+1)/(R+1) of the permutations
  permutations  integer,
  n             integer, -- units used (rows with non-NULL value and geometry)
  islands       integer  -- units without neighbours
);
COMMENT ON TYPE morans_i_result IS 'Global Moran''s I with moments under normality and randomisation (Cliff & Ord; R spdep moran.test) and a permutation pseudo p-value';

CREATE TYPE local_moran_result AS (
  ii        float8,  -- local Moran I_i
  expected  float8,  -- E(I_i), conditional randomisation unless variance=total
  variance  float8,  -- Var(I_i)
  z         float8,
  p_norm    float8,
  p_sim     float8,  -- conditional permutation pseudo p-value
  quadrant  text,    -- HH, LL, LH or HL
  cluster   text     -- quadrant when significant, else 'not significant'
);
COMMENT ON TYPE local_moran_result IS 'Local Moran (LISA) per unit: I_i, its moments, z, p-values, quadrant and significant cluster';

-- morans_i: aggregate over geometries

CREATE FUNCTION _morans_i_step(internal, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_step(internal, float8, geometry, text) IS 'Transition function of morans_i (geometry form): collects values and geometries';
CREATE FUNCTION _morans_i_step(internal, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_step(internal, float8, geometry) IS 'Transition function of morans_i (geometry form): collects values and geometries';
CREATE FUNCTION _morans_i_final_geom(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_final_geom(internal) IS 'Final function of morans_i (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes I';

CREATE AGGREGATE morans_i(value float8, geom geometry, options text) (
  SFUNC = _morans_i_step, STYPE = internal,
  FINALFUNC = _morans_i_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i(float8, geometry, text) IS
$$Global Moran's I of value (papers 001 eq.10, 002 eq.2, 004 eq.6) with spatial weights from geom.
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (morans_i(crime, geom, 'weights=queen')).* FROM columbus;$$;
CREATE AGGREGATE morans_i(value float8, geom geometry) (
  SFUNC = _morans_i_step, STYPE = internal,
  FINALFUNC = _morans_i_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i(float8, geometry) IS
$$Global Moran's I of value with queen contiguity weights from geom, row-standardised, 999 permutations (seed 12345).
Example: SELECT (morans_i(crime, geom)).i FROM columbus;$$;

-- morans_i: aggregate over explicit neighbour lists

CREATE FUNCTION _morans_i_step(internal, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_step(internal, float8, bigint, bigint[], text) IS 'Transition function of morans_i (neighbour-list form)';
CREATE FUNCTION _morans_i_step(internal, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_step(internal, float8, bigint, bigint[]) IS 'Transition function of morans_i (neighbour-list form)';
CREATE FUNCTION _morans_i_step(internal, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_step(internal, float8, bigint, bigint[], float8[], text) IS 'Transition function of morans_i (weighted neighbour-list form)';
CREATE FUNCTION _morans_i_final(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_final(internal) IS 'Final function of morans_i (neighbour-list forms)';

CREATE AGGREGATE morans_i(value float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _morans_i_step, STYPE = internal,
  FINALFUNC = _morans_i_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i(float8, bigint, bigint[], text) IS
$$Global Moran's I with weights from explicit neighbour lists (id, neighbors: ids of the unit's neighbours, e.g. from gal_import).
Neighbours whose value is NULL are dropped; unknown ids are an error unless missing=drop. Options: style=W|B, missing=error|drop, permutations, seed, alternative.
Example: SELECT (morans_i(crime, id, neighbors)).* FROM columbus JOIN gal_import(:'gal') USING (id);$$;
CREATE AGGREGATE morans_i(value float8, id bigint, neighbors bigint[]) (
  SFUNC = _morans_i_step, STYPE = internal,
  FINALFUNC = _morans_i_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i(float8, bigint, bigint[]) IS
$$Global Moran's I with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i(value float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _morans_i_step, STYPE = internal,
  FINALFUNC = _morans_i_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i(float8, bigint, bigint[], float8[], text) IS
$$Global Moran's I with explicit neighbour lists and their weights (weights[k] belongs to neighbors[k], e.g. from gwt_import); style=B keeps them as given.$$;

-- local_moran: window function

CREATE FUNCTION local_moran(value float8, geom geometry, options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran(float8, geometry, text) IS
$$Local Moran I_i (LISA; paper 001 eq.11, spdep localmoran) per row over the window partition, with weights from geom.
Options: weights options (see spatial_weights); permutations=999, seed=12345 (conditional permutation); alternative=two.sided|greater|less;
variance=conditional|total; alpha=0.05 and fdr=false for the cluster rule (p_sim when permutations > 0, else p_norm).
Example: SELECT id, (local_moran(crime, geom) OVER ()).* FROM columbus;$$;

CREATE FUNCTION local_moran(value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran(float8, bigint, bigint[], text) IS
$$Local Moran I_i per row with weights from explicit neighbour lists (id, neighbors).
Example: SELECT id, (local_moran(crime, id, neighbors) OVER ()).cluster FROM columbus_nb;$$;

CREATE FUNCTION local_moran(value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran(float8, bigint, bigint[], float8[], text) IS
$$Local Moran I_i per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;
-- Getis-Ord statistics: local Gi / Gi* hot spots and general G (SPEC section 4).

CREATE TYPE getis_ord_result AS (
  gi  float8,  -- Gi (star=false) or Gi* (star=true)
  z   float8,  -- standardised Gi, as spdep localG and ArcGIS GiZScore
  p   float8,  -- two-sided normal p-value
  bin integer  -- ArcGIS Gi_Bin: +-3 (99 %), +-2 (95 %), +-1 (90 %), 0
);
COMMENT ON TYPE getis_ord_result IS 'Getis-Ord local G per unit: statistic, z-score, p-value and hot/cold spot bin';

CREATE TYPE general_g_result AS (
  g        float8,
  expected float8,  -- E(G) = S0 / (n (n - 1))
  variance float8,  -- Var(G) under randomisation (Getis & Ord 1992)
  z        float8,
  p        float8
);
COMMENT ON TYPE general_g_result IS 'Getis-Ord general G with its moments under randomisation';

CREATE FUNCTION getis_ord_gi(value float8, geom geometry, options text DEFAULT '')
RETURNS getis_ord_result
AS 'MODULE_PATHNAME', 'cb_getis_ord_gi_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION getis_ord_gi(float8, geometry, text) IS
$$Getis-Ord local Gi* (star=true, default) or Gi (star=false) per row over the window partition, with weights from geom (paper 002 hot and cold spots).
Options: weights options (see spatial_weights), star=true|false. bin is ArcGIS's Gi_Bin.
Example: SELECT id, (getis_ord_gi(crime, geom, 'weights=distance threshold=0.67') OVER ()).* FROM columbus;$$;

CREATE FUNCTION getis_ord_gi(value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS getis_ord_result
AS 'MODULE_PATHNAME', 'cb_getis_ord_gi_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION getis_ord_gi(float8, bigint, bigint[], text) IS
$$Getis-Ord local Gi* or Gi per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION getis_ord_gi(value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS getis_ord_result
AS 'MODULE_PATHNAME', 'cb_getis_ord_gi_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION getis_ord_gi(float8, bigint, bigint[], float8[], text) IS
$$Getis-Ord local Gi* or Gi per row with explicit neighbour lists and weights.$$;

CREATE FUNCTION _general_g_step(internal, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_general_g_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _general_g_step(internal, float8, geometry, text) IS 'Transition function of general_g (geometry form)';
CREATE FUNCTION _general_g_step(internal, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_general_g_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _general_g_step(internal, float8, geometry) IS 'Transition function of general_g (geometry form)';
CREATE FUNCTION _general_g_step(internal, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_general_g_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _general_g_step(internal, float8, bigint, bigint[], text) IS 'Transition function of general_g (neighbour-list form)';
CREATE FUNCTION _general_g_step(internal, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_general_g_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _general_g_step(internal, float8, bigint, bigint[]) IS 'Transition function of general_g (neighbour-list form)';
CREATE FUNCTION _general_g_final_geom(internal) RETURNS general_g_result
AS 'MODULE_PATHNAME', 'cb_general_g_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _general_g_final_geom(internal) IS 'Final function of general_g (geometry form)';
CREATE FUNCTION _general_g_final(internal) RETURNS general_g_result
AS 'MODULE_PATHNAME', 'cb_general_g_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _general_g_final(internal) IS 'Final function of general_g (neighbour-list form)';

CREATE AGGREGATE general_g(value float8, geom geometry, options text) (
  SFUNC = _general_g_step, STYPE = internal,
  FINALFUNC = _general_g_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE general_g(float8, geometry, text) IS
$$Getis-Ord general G of non-negative value (paper 004 eq.5) with weights from geom; options as spatial_weights plus alternative.
Example: SELECT (general_g(crime, geom, 'weights=distance threshold=0.67 style=B')).* FROM columbus;$$;
CREATE AGGREGATE general_g(value float8, geom geometry) (
  SFUNC = _general_g_step, STYPE = internal,
  FINALFUNC = _general_g_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE general_g(float8, geometry) IS 'Getis-Ord general G of non-negative value with queen weights from geom, row-standardised';
CREATE AGGREGATE general_g(value float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _general_g_step, STYPE = internal,
  FINALFUNC = _general_g_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE general_g(float8, bigint, bigint[], text) IS 'Getis-Ord general G with weights from explicit neighbour lists';
CREATE AGGREGATE general_g(value float8, id bigint, neighbors bigint[]) (
  SFUNC = _general_g_step, STYPE = internal,
  FINALFUNC = _general_g_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE general_g(float8, bigint, bigint[]) IS 'Getis-Ord general G with weights from explicit neighbour lists, row-standardised';
-- Coefficient tables of the carbon accounting (SPEC section 7).  Shipped rows
-- cite their paper; users may add schemes or edit rows, and pg_dump keeps the
-- tables (pg_extension_config_dump).  Masses are t C unless a row says otherwise.

CREATE TABLE landuse_coefficient (
  scheme      text NOT NULL,
  land_class  text NOT NULL CHECK (land_class IN ('cropland', 'forest', 'shrubland', 'grassland', 'water',
                                                  'wetland', 'construction', 'unused', 'snow_ice')),
  zone        text NOT NULL DEFAULT 'any' CHECK (zone IN ('any', 'north', 'east', 'northeast', 'central_south',
                                                          'southwest', 'northwest')),
  coefficient float8 NOT NULL CHECK (coefficient = coefficient AND abs(coefficient) < 'Infinity'),
  unit        text NOT NULL DEFAULT 't C/hm2/yr',
  source      text NOT NULL,
  PRIMARY KEY (scheme, land_class, zone),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE landuse_coefficient IS
$$Land-use carbon budget coefficients s_i (paper 002 eq.1), t C per hm2 per year: positive = emission, negative = sequestration.
zone 'any' applies in every zone; a zone-specific row (construction land in scheme liu) takes precedence.
Example: SELECT * FROM landuse_coefficient WHERE scheme = 'liu';$$;
COMMENT ON COLUMN landuse_coefficient.zone IS 'Region of paper 002 (north, east, northeast, central_south, southwest, northwest) or any';
COMMENT ON COLUMN landuse_coefficient.coefficient IS 'Signed coefficient in unit (t C/hm2/yr): + emission, - sequestration';

INSERT INTO landuse_coefficient (scheme, land_class, zone, coefficient, source) VALUES
  ('liu', 'cropland', 'any', 0.4970, 'paper 002 (Liu 2022), section 2.2'),
  ('liu', 'construction', 'north', 81.2, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'east', 65.3, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'northeast', 48.8, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'central_south', 46.5, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'southwest', 49.1, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'northwest', 33.9, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'grassland', 'any', -0.021, 'paper 002, section 2.2'),
  ('liu', 'forest', 'any', -0.581, 'paper 002, section 2.2'),
  ('liu', 'water', 'any', -0.253, 'paper 002, section 2.2'),
  ('liu', 'unused', 'any', -0.005, 'paper 002, section 2.2'),
  ('huo', 'shrubland', 'any', -3.98, 'paper 003 (Huo et al. 2025) Table 2 eq.5'),
  ('huo', 'forest', 'any', -5.77, 'paper 003 Table 2 eq.5'),
  ('huo', 'grassland', 'any', -0.021, 'paper 003 Table 2 eq.5'),
  ('huo', 'water', 'any', -0.298, 'paper 003 Table 2 eq.5');

CREATE TABLE landcover_code (
  scheme     text NOT NULL,
  code       integer NOT NULL,
  land_class text NOT NULL CHECK (land_class IN ('cropland', 'forest', 'shrubland', 'grassland', 'water',
                                                 'wetland', 'construction', 'unused', 'snow_ice')),
  source     text NOT NULL,
  PRIMARY KEY (scheme, code),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE landcover_code IS
$$Raster land-cover codes and their land classes; scheme clcd (China Land Cover Dataset) is the default of carbon_budget(raster, ...).
Codes 0..65535; pixels whose code has no row are reported as unclassified.
Example: SELECT * FROM landcover_code WHERE scheme = 'clcd' ORDER BY code;$$;
INSERT INTO landcover_code (scheme, code, land_class, source) VALUES
  ('clcd', 1, 'cropland', 'CLCD (Yang & Huang 2021), SPEC section 7'),
  ('clcd', 2, 'forest', 'CLCD'), ('clcd', 3, 'shrubland', 'CLCD'), ('clcd', 4, 'grassland', 'CLCD'),
  ('clcd', 5, 'water', 'CLCD'), ('clcd', 6, 'snow_ice', 'CLCD'), ('clcd', 7, 'unused', 'CLCD (barren)'),
  ('clcd', 8, 'construction', 'CLCD (impervious)'), ('clcd', 9, 'wetland', 'CLCD');

CREATE TABLE energy_factor (
  scheme                    text NOT NULL,
  fuel                      text NOT NULL,
  consumption_unit          text NOT NULL,
  standard_coal_coefficient float8 NOT NULL,  -- t standard coal per consumption_unit
  carbon_coefficient        float8 NOT NULL,  -- t C per t standard coal
  unit                      text NOT NULL DEFAULT 't C',
  source                    text NOT NULL,
  PRIMARY KEY (scheme, fuel),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE energy_factor IS
$$Fossil energy factors (paper 003 Table 3, eq.2): C = E * standard_coal_coefficient * carbon_coefficient, in t C,
E the consumption in consumption_unit. Per-volume and per-energy coefficients of the paper (kg standard coal per m3, kWh, MJ)
are stored converted to t standard coal per consumption_unit.
Example: SELECT energy_emissions('raw_coal', 1000);$$;
INSERT INTO energy_factor VALUES
  ('huo', 'raw_coal', 't', 0.7143, 0.7260, 't C', 'paper 003 Table 3'),
  ('huo', 'coke', 't', 0.9714, 0.8550, 't C', 'paper 003 Table 3'),
  ('huo', 'gasoline', 't', 1.4714, 0.5538, 't C', 'paper 003 Table 3'),
  ('huo', 'kerosene', 't', 1.4714, 0.5714, 't C', 'paper 003 Table 3'),
  ('huo', 'diesel', 't', 1.4571, 0.5921, 't C', 'paper 003 Table 3'),
  ('huo', 'fuel_oil', 't', 1.4286, 0.6185, 't C', 'paper 003 Table 3 (combustion oil)'),
  ('huo', 'natural_gas', '1000 m3', 1.2143, 0.4483, 't C', 'paper 003 Table 3 (1.2143 kg standard coal/m3)'),
  ('huo', 'lng', 'm3', 0.0017572, 0.3548, 't C', 'paper 003 Table 3 (1.7572 kg standard coal/m3)'),
  ('huo', 'lpg', 'm3', 0.0017143, 0.5042, 't C', 'paper 003 Table 3 (1.7143 kg standard coal/m3)'),
  ('huo', 'electricity', 'kWh', 0.0001229, 0.7935, 't C', 'paper 003 Table 3 (0.1229 kg standard coal/kWh)'),
  ('huo', 'heat', 'MJ', 0.0000341, 0.2600, 't C', 'paper 003 Table 3 (0.0341 kg standard coal/MJ)');

CREATE TABLE agriculture_factor (
  scheme      text NOT NULL,
  factor      text NOT NULL CHECK (factor IN ('fertilizer', 'pesticide', 'film', 'irrigation', 'crop_cover', 'machinery')),
  coefficient float8 NOT NULL,
  unit        text NOT NULL,
  source      text NOT NULL,
  PRIMARY KEY (scheme, factor),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE agriculture_factor IS
$$Cropland emission coefficients of paper 003 Table 2 eq.1 (alpha..zeta), t C per unit of activity.
Example: SELECT agriculture_emissions(100, 5, 2, 1000, 1000, 50000);$$;
INSERT INTO agriculture_factor VALUES
  ('huo', 'fertilizer', 0.86, 't C/t', 'paper 003 Table 2 eq.1 (alpha)'),
  ('huo', 'pesticide', 4.93, 't C/t', 'paper 003 Table 2 eq.1 (beta)'),
  ('huo', 'film', 5.18e-3, 't C/t', 'paper 003 Table 2 eq.1 (gamma)'),
  ('huo', 'irrigation', 0.266, 't C/hm2', 'paper 003 Table 2 eq.1 (delta)'),
  ('huo', 'crop_cover', 0.02, 't C/hm2', 'paper 003 Table 2 eq.1 (epsilon)'),
  ('huo', 'machinery', 1.81e-4, 't C/kW', 'paper 003 Table 2 eq.1 (zeta)');

CREATE TABLE livestock_factor (
  scheme    text NOT NULL,
  species   text NOT NULL,
  breathing float8 NOT NULL,  -- eta
  enteric   float8 NOT NULL,  -- lambda
  manure    float8 NOT NULL,  -- mu
  unit      text NOT NULL DEFAULT 't C/(head a)',
  source    text NOT NULL,
  PRIMARY KEY (scheme, species),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE livestock_factor IS
$$Livestock emission coefficients of paper 003 Table 2 eq.3 (breathing, enteric fermentation, manure management), t C per head and year.
Example: SELECT livestock_emissions('pig', 1000);$$;
INSERT INTO livestock_factor VALUES
  ('huo', 'pig', 0.08, 0.001, 0.005, 't C/(head a)', 'paper 003 Table 2 eq.3'),
  ('huo', 'cattle', 0.79, 0.005, 0.003, 't C/(head a)', 'paper 003 Table 2 eq.3'),
  ('huo', 'sheep', 0.02, 0.005, 5e-4, 't C/(head a)', 'paper 003 Table 2 eq.3'),
  ('huo', 'chicken', 1e-5, 0.001, 2e-5, 't C/(head a)', 'paper 003 Table 2 eq.3');

CREATE TABLE breathing_factor (
  scheme      text PRIMARY KEY,
  coefficient float8 NOT NULL,
  unit        text NOT NULL DEFAULT 't C/(person a)',
  source      text NOT NULL,
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE breathing_factor IS
$$Human breathing emission coefficient b of paper 003 Table 2 eq.2, t C per person and year.
Example: SELECT breathing_emissions(10000);$$;
INSERT INTO breathing_factor VALUES ('huo', 0.079, 't C/(person a)', 'paper 003 Table 2 eq.2');

CREATE TABLE footprint_nep (
  scheme     text NOT NULL,
  land_class text NOT NULL CHECK (land_class IN ('cropland', 'shrubland', 'forest', 'grassland')),
  nep        float8 NOT NULL CHECK (nep > 0),
  unit       text NOT NULL DEFAULT 't C/hm2/yr',
  source     text NOT NULL,
  PRIMARY KEY (scheme, land_class),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE footprint_nep IS
$$NEP per land class used by the carbon footprint and ecological capacity (paper 003 eqs.9-10), t C per hm2 and year.
Example: SELECT carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;
INSERT INTO footprint_nep VALUES
  ('huo', 'cropland', 4.05, 't C/hm2/yr', 'paper 003 Table 2 eq.9'),
  ('huo', 'shrubland', 2.93, 't C/hm2/yr', 'paper 003 Table 2 eq.9'),
  ('huo', 'forest', 3.81, 't C/hm2/yr', 'paper 003 Table 2 eq.9'),
  ('huo', 'grassland', 0.95, 't C/hm2/yr', 'paper 003 Table 2 eq.9');

-- Shipped rows are recreated by CREATE EXTENSION; pg_dump keeps the rows users add.
UPDATE landuse_coefficient SET shipped = true;
UPDATE landcover_code SET shipped = true;
UPDATE energy_factor SET shipped = true;
UPDATE agriculture_factor SET shipped = true;
UPDATE livestock_factor SET shipped = true;
UPDATE breathing_factor SET shipped = true;
UPDATE footprint_nep SET shipped = true;
SELECT pg_catalog.pg_extension_config_dump('landuse_coefficient', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('landcover_code', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('energy_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('agriculture_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('livestock_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('breathing_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('footprint_nep', 'WHERE NOT shipped');
-- Carbon accounting (SPEC section 7, papers 001-003): land-use budgets, the
-- emission and sequestration inventory of paper 003 and its indices.
-- Masses are t C per year; unit => 't CO2' converts with 44/12.

CREATE FUNCTION c_to_co2(t_c float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT t_c * 44.0 / 12.0 $$;
COMMENT ON FUNCTION c_to_co2(float8) IS 'Converts a carbon mass to the CO2 mass holding it (x 44/12): t C -> t CO2. Example: SELECT c_to_co2(12);  -- 44';
CREATE FUNCTION co2_to_c(t_co2 float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT t_co2 * 12.0 / 44.0 $$;
COMMENT ON FUNCTION co2_to_c(float8) IS 'Converts a CO2 mass to its carbon mass (x 12/44): t CO2 -> t C. Example: SELECT co2_to_c(44);  -- 12';

-- unit argument of the inventory functions: factor applied to t C
CREATE FUNCTION _mass_unit_factor(func text, unit text) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  CASE lower(replace(coalesce(unit, ''), ' ', ''))
    WHEN 'tc' THEN RETURN 1.0;
    WHEN 'tco2' THEN RETURN 44.0 / 12.0;
    ELSE RAISE EXCEPTION '%: unit must be ''t C'' or ''t CO2''', func
      USING ERRCODE = 'invalid_parameter_value', DETAIL = format('unit = %L.', unit);
  END CASE;
END $$;
COMMENT ON FUNCTION _mass_unit_factor(text, text) IS 'Internal: factor from t C to the requested mass unit (t C or t CO2)';

CREATE FUNCTION _check_amount(func text, arg text, v float8) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF v IS NULL THEN RETURN; END IF;
  IF v = 'NaN'::float8 OR v IN ('Infinity', '-Infinity') THEN
    RAISE EXCEPTION '%: % must be finite', func, arg USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF v < 0 THEN
    RAISE EXCEPTION '%: % must be non-negative', func, arg
      USING ERRCODE = 'invalid_parameter_value', DETAIL = format('%s = %s.', arg, v);
  END IF;
END $$;
COMMENT ON FUNCTION _check_amount(text, text, float8) IS 'Internal: rejects NaN, infinite and negative amounts with the argument named';

-- Land class and zone vocabulary (case-insensitive); returns the lower-case key.
CREATE FUNCTION _land_class(func text, land_class text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
DECLARE k text := lower(btrim(land_class));
BEGIN
  IF k IS NULL OR k NOT IN ('cropland', 'forest', 'shrubland', 'grassland', 'water', 'wetland',
                            'construction', 'unused', 'snow_ice') THEN
    RAISE EXCEPTION '%: unknown land class "%"', func, land_class USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use cropland, forest, shrubland, grassland, water, wetland, construction, unused or snow_ice.';
  END IF;
  RETURN k;
END $$;
COMMENT ON FUNCTION _land_class(text, text) IS 'Internal: checks a land class against the vocabulary of SPEC section 7';

CREATE FUNCTION _zone(func text, zone text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
DECLARE k text := lower(btrim(zone));
BEGIN
  IF k IS NULL THEN RETURN NULL; END IF;
  IF k NOT IN ('north', 'east', 'northeast', 'central_south', 'southwest', 'northwest') THEN
    RAISE EXCEPTION '%: unknown zone "%"', func, zone USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use north, east, northeast, central_south, southwest or northwest (regions of paper 002).';
  END IF;
  RETURN k;
END $$;
COMMENT ON FUNCTION _zone(text, text) IS 'Internal: checks a zone against the regions of paper 002';

-- Signed coefficient (t C/hm2/yr) of a class in a scheme and zone; 0 for a class the scheme does not count.
CREATE FUNCTION _landuse_coefficient(func text, land_class text, zone text, scheme text)
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  cls text := _land_class(func, land_class);
  zn text := _zone(func, zone);
  sch text := lower(btrim(scheme));
  c float8;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM carbonbudget.landuse_coefficient l WHERE l.scheme = sch) THEN
    RAISE EXCEPTION '%: unknown scheme "%"', func, scheme USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use a scheme of table landuse_coefficient (shipped: liu, huo).';
  END IF;
  SELECT l.coefficient INTO c FROM carbonbudget.landuse_coefficient l
  WHERE l.scheme = sch AND l.land_class = cls AND l.zone IN (coalesce(zn, 'any'), 'any')
  ORDER BY l.zone = 'any' LIMIT 1;
  IF FOUND THEN RETURN c; END IF;
  IF EXISTS (SELECT 1 FROM carbonbudget.landuse_coefficient l WHERE l.scheme = sch AND l.land_class = cls) THEN
    RAISE EXCEPTION '%: zone is required for land class % in scheme %', func, cls, sch
      USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Pass zone => north, east, northeast, central_south, southwest or northwest.';
  END IF;
  RETURN 0;  -- the scheme does not count this class (e.g. wetland in liu)
END $$;
COMMENT ON FUNCTION _landuse_coefficient(text, text, text, text) IS 'Internal: landuse_coefficient_of with the calling function named in errors';

CREATE FUNCTION landuse_coefficient_of(land_class text, zone text DEFAULT NULL, scheme text DEFAULT 'liu')
RETURNS float8 LANGUAGE sql SET search_path FROM CURRENT STABLE PARALLEL SAFE
AS $$ SELECT carbonbudget._landuse_coefficient('landuse_coefficient_of', land_class, zone, scheme) $$;
COMMENT ON FUNCTION landuse_coefficient_of(text, text, text) IS
$$Signed land-use coefficient s_i in t C/hm2/yr (+ emission, - sequestration) of a land class in a scheme and zone,
from table landuse_coefficient; 0 for a class the scheme does not count. Example: SELECT landuse_coefficient_of('construction', 'east');  -- 65.3$$;

CREATE FUNCTION carbon_budget(land_class text, area_hm2 float8, zone text DEFAULT NULL, scheme text DEFAULT 'liu')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
BEGIN
  IF land_class IS NULL OR area_hm2 IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('carbon_budget', 'area_hm2', area_hm2);
  RETURN area_hm2 * carbonbudget._landuse_coefficient('carbon_budget', land_class, zone, scheme);
END $$;
COMMENT ON FUNCTION carbon_budget(text, float8, text, text) IS
$$Land-use carbon budget e_i = s_i * area_i of paper 002 eq.1, t C/yr: positive = emission, negative = sequestration
(sum over classes with sum() for Ce). area_hm2 in hm2 (>= 0); zone required for construction land in scheme liu.
Example: SELECT carbon_budget('construction', 100, 'east');  -- 6530 t C/yr$$;

-- ---- inventory of paper 003 (Table 2 eqs.1-5) and paper 001 eq.1 ----

CREATE FUNCTION energy_emissions(fuel text, consumption float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE f record;
BEGIN
  PERFORM carbonbudget._check_amount('energy_emissions', 'consumption', consumption);
  SELECT * INTO f FROM carbonbudget.energy_factor e WHERE e.scheme = lower(energy_emissions.scheme)
    AND e.fuel = lower(btrim(energy_emissions.fuel));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'energy_emissions: unknown fuel "%" in scheme "%"', fuel, scheme
      USING ERRCODE = 'invalid_parameter_value',
      HINT = (SELECT 'Use one of: ' || string_agg(e.fuel, ', ' ORDER BY e.fuel) || '.' FROM carbonbudget.energy_factor e
              WHERE e.scheme = lower(energy_emissions.scheme));
  END IF;
  RETURN consumption * f.standard_coal_coefficient * f.carbon_coefficient
         * carbonbudget._mass_unit_factor('energy_emissions', unit);
END $$;
COMMENT ON FUNCTION energy_emissions(text, float8, text, text) IS
$$Fossil energy emissions of paper 003 eq.2: E * M * theta from table energy_factor (standard coal and carbon coefficients of Table 3),
consumption in the fuel's consumption_unit; result in t C (unit => 't CO2' for t CO2).
Example: SELECT energy_emissions('raw_coal', 1000);  -- 1000 * 0.7143 * 0.7260 = 518.58 t C$$;

CREATE FUNCTION energy_emissions_ipcc(consumption float8, ncv float8, cef float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT consumption * ncv * cef $$;
COMMENT ON FUNCTION energy_emissions_ipcc(float8, float8, float8) IS
$$IPCC (2006) tier 1 emissions of paper 001 eq.1 for one fuel: E * NCV * CEF. With E in t, NCV in TJ/t and CEF in t CO2/TJ the
result is t CO2 (sum over fuels with sum()). Example: SELECT energy_emissions_ipcc(1000, 0.020908, 98.3);  -- t CO2$$;

CREATE FUNCTION agriculture_emissions(fertilizer_t float8, pesticide_t float8, film_t float8, irrigation_hm2 float8,
                                      crop_area_hm2 float8, machinery_kw float8, scheme text DEFAULT 'huo',
                                      unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  a record;
  x float8[] := ARRAY[fertilizer_t, pesticide_t, film_t, irrigation_hm2, crop_area_hm2, machinery_kw];
  names text[] := ARRAY['fertilizer_t', 'pesticide_t', 'film_t', 'irrigation_hm2', 'crop_area_hm2', 'machinery_kw'];
  factors text[] := ARRAY['fertilizer', 'pesticide', 'film', 'irrigation', 'crop_cover', 'machinery'];
  total float8 := 0;
  c float8;
BEGIN
  FOR k IN 1..6 LOOP
    IF x[k] IS NULL THEN RETURN NULL; END IF;
    PERFORM carbonbudget._check_amount('agriculture_emissions', names[k], x[k]);
    SELECT f.coefficient INTO c FROM carbonbudget.agriculture_factor f
    WHERE f.scheme = lower(agriculture_emissions.scheme) AND f.factor = factors[k];
    IF NOT FOUND THEN
      RAISE EXCEPTION 'agriculture_emissions: scheme "%" has no % factor', scheme, factors[k]
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Add the row to table agriculture_factor or use scheme huo.';
    END IF;
    total := total + c * x[k];
  END LOOP;
  RETURN total * carbonbudget._mass_unit_factor('agriculture_emissions', unit);
END $$;
COMMENT ON FUNCTION agriculture_emissions(float8, float8, float8, float8, float8, float8, text, text) IS
$$Cropland emissions of paper 003 eq.1: alpha Fe + beta Pe + gamma Pf + delta Ir + epsilon Co + zeta Mp with the factors of table
agriculture_factor (fertiliser t, pesticide t, film t, irrigated area hm2, crop area hm2, machinery power kW); t C (unit => 't CO2').
Example: SELECT agriculture_emissions(100, 5, 2, 1000, 1000, 50000);$$;

CREATE FUNCTION livestock_emissions(species text, head float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE f record;
BEGIN
  IF species IS NULL OR head IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('livestock_emissions', 'head', head);
  SELECT * INTO f FROM carbonbudget.livestock_factor l WHERE l.scheme = lower(livestock_emissions.scheme)
    AND l.species = lower(btrim(livestock_emissions.species));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'livestock_emissions: unknown species "%" in scheme "%"', species, scheme
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use pig, cattle, sheep or chicken, or add rows to table livestock_factor.';
  END IF;
  RETURN head * (f.breathing + f.enteric + f.manure) * carbonbudget._mass_unit_factor('livestock_emissions', unit);
END $$;
COMMENT ON FUNCTION livestock_emissions(text, float8, text, text) IS
$$Livestock emissions of paper 003 eq.3: Num * (eta + lambda + mu) (breathing, enteric fermentation, manure management)
from table livestock_factor; head = number of animals; t C/yr (unit => 't CO2').
Example: SELECT livestock_emissions('cattle', 100);  -- 79.8 t C$$;

CREATE FUNCTION breathing_emissions(population float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE b float8;
BEGIN
  IF population IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('breathing_emissions', 'population', population);
  SELECT f.coefficient INTO b FROM carbonbudget.breathing_factor f WHERE f.scheme = lower(breathing_emissions.scheme);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'breathing_emissions: unknown scheme "%"', scheme USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use scheme huo or add a row to table breathing_factor.';
  END IF;
  RETURN population * b * carbonbudget._mass_unit_factor('breathing_emissions', unit);
END $$;
COMMENT ON FUNCTION breathing_emissions(float8, text, text) IS
$$Human breathing emissions of paper 003 eq.2: b * P, b from table breathing_factor (0.079 t C per person and year);
t C/yr (unit => 't CO2'). Example: SELECT breathing_emissions(10000);  -- 790 t C$$;

CREATE FUNCTION crop_sequestration(yield_t float8, water_content float8, economic_coefficient float8,
                                   carbon_fraction float8, unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF yield_t IS NULL OR water_content IS NULL OR economic_coefficient IS NULL OR carbon_fraction IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM carbonbudget._check_amount('crop_sequestration', 'yield_t', yield_t);
  IF NOT (water_content >= 0 AND water_content < 1) THEN
    RAISE EXCEPTION 'crop_sequestration: water_content must be in [0, 1)' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT (economic_coefficient > 0 AND economic_coefficient <= 1) THEN
    RAISE EXCEPTION 'crop_sequestration: economic_coefficient must be in (0, 1]' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT (carbon_fraction > 0 AND carbon_fraction <= 1) THEN
    RAISE EXCEPTION 'crop_sequestration: carbon_fraction must be in (0, 1]' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN yield_t * (1 - water_content) / economic_coefficient * carbon_fraction
         * carbonbudget._mass_unit_factor('crop_sequestration', unit);
END $$;
COMMENT ON FUNCTION crop_sequestration(float8, float8, float8, float8, text) IS
$$Crop carbon sequestration of paper 003 eq.4: Y (1 - Pw) / rho * V for one crop: economic yield Y (t), water content Pw,
economic coefficient rho, carbon fraction V; t C (unit => 't CO2'), a non-negative magnitude.
Example: SELECT crop_sequestration(1000, 0.12, 0.4, 0.45);  -- 990 t C$$;

CREATE FUNCTION land_sequestration(land_class text, area_hm2 float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE c float8;
BEGIN
  IF land_class IS NULL OR area_hm2 IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('land_sequestration', 'area_hm2', area_hm2);
  c := carbonbudget._landuse_coefficient('land_sequestration', land_class, NULL, scheme);
  RETURN CASE WHEN c < 0 THEN -c * area_hm2 * carbonbudget._mass_unit_factor('land_sequestration', unit) ELSE 0 END;
END $$;
COMMENT ON FUNCTION land_sequestration(text, float8, text, text) IS
$$Land carbon sequestration of paper 003 eq.5: S_i * xi_i (shrubland 3.98, forest 5.77, grassland 0.021, water 0.298 t C/hm2 in scheme huo),
a non-negative magnitude in t C/yr (unit => 't CO2'); 0 for classes that are not sinks.
Example: SELECT land_sequestration('forest', 100);  -- 577 t C$$;

-- ---- indices of paper 003 (eqs.6-11) ----

CREATE FUNCTION nce(ce float8, cs float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ce - cs $$;
COMMENT ON FUNCTION nce(float8, float8) IS
$$Net carbon emission NCE = CE - CS (paper 003 eq.6), in the unit of its inputs (e.g. t C/yr). Example: SELECT nce(120, 100);  -- 20$$;

CREATE FUNCTION _footprint_factor(func text, shares float8[], scheme text) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  classes CONSTANT text[] := ARRAY['cropland', 'shrubland', 'forest', 'grassland'];
  s float8 := 0;
  n float8;
BEGIN
  IF array_ndims(shares) IS DISTINCT FROM 1 OR cardinality(shares) <> 4 THEN
    RAISE EXCEPTION '%: shares must hold 4 values (cropland, shrubland, forest, grassland)', func
      USING ERRCODE = 'array_subscript_error';
  END IF;
  FOR k IN 1..4 LOOP
    IF shares[k] IS NULL OR NOT (shares[k] >= 0 AND shares[k] <= 1) THEN
      RAISE EXCEPTION '%: shares must be proportions in [0, 1]', func USING ERRCODE = 'invalid_parameter_value',
        DETAIL = format('Element %s is %s.', k, coalesce(shares[k]::text, 'NULL'));
    END IF;
    SELECT f.nep INTO n FROM carbonbudget.footprint_nep f WHERE f.scheme = lower(_footprint_factor.scheme) AND f.land_class = classes[k];
    IF NOT FOUND THEN
      RAISE EXCEPTION '%: scheme "%" has no NEP for %', func, scheme, classes[k] USING ERRCODE = 'invalid_parameter_value',
        HINT = 'Use scheme huo or add the row to table footprint_nep.';
    END IF;
    s := s + shares[k] / n;
  END LOOP;
  RETURN s;
END $$;
COMMENT ON FUNCTION _footprint_factor(text, float8[], text) IS 'Internal: sum_k P_k / NEP_k of paper 003 eqs.9-10 (hm2 per t C)';

CREATE FUNCTION carbon_footprint(ce float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE AS $$ SELECT ce * carbonbudget._footprint_factor('carbon_footprint', shares, scheme) $$;
COMMENT ON FUNCTION carbon_footprint(float8, float8[], text) IS
$$Carbon footprint Cf = CE * sum_k P_k / NEP_k (paper 003 eq.9), hm2: CE in t C/yr, shares P_k the proportions of CS from
cropland, shrubland, forest and grassland (in that order), NEP_k from table footprint_nep (t C/hm2/yr).
Example: SELECT carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;

CREATE FUNCTION ecological_capacity(cs float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE AS $$ SELECT cs * carbonbudget._footprint_factor('ecological_capacity', shares, scheme) $$;
COMMENT ON FUNCTION ecological_capacity(float8, float8[], text) IS
$$Ecological carrying capacity Ec = CS * sum_k P_k / NEP_k (paper 003 eq.10), hm2; CS in t C/yr, shares as carbon_footprint.
Example: SELECT ecological_capacity(800, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;

CREATE FUNCTION ecological_deficit(ce float8, cs float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE AS $$
  SELECT (ce - cs) * carbonbudget._footprint_factor('ecological_deficit', shares, scheme) $$;
COMMENT ON FUNCTION ecological_deficit(float8, float8, float8[], text) IS
$$Ecological deficit Ed = Cf - Ec (paper 003 eq.11), hm2: positive when emissions need more productive land than the region offers.
Example: SELECT ecological_deficit(1000, 800, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;

CREATE FUNCTION ecs(nep float8, rcs float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT nep + rcs $$;
COMMENT ON FUNCTION ecs(float8, float8) IS 'Ecosystem carbon sink ECS = NEP + RCS (paper 001), in the unit of its inputs. Example: SELECT ecs(150, 10);';
CREATE FUNCTION cnc(ecs float8, ce float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ecs - ce $$;
COMMENT ON FUNCTION cnc(float8, float8) IS 'Carbon neutral capacity CNC = ECS - CE (paper 001): > 0 surplus, < 0 deficit; unit of its inputs. Example: SELECT cnc(160, 200);  -- -40';

CREATE FUNCTION ecc(gdp float8, ce float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_ecc_window' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION ecc(float8, float8) IS
$$Economy contributive coefficient (paper 003 eq.7), window function over the study area: ECC_i = (G_i / sum G) / (CE_i / sum CE).
> 1: the unit's share of GDP exceeds its share of emissions. Rows with NULL are left out and get NULL; CE_i = 0 gives NULL.
Example: SELECT county, ecc(gdp, ce) OVER () FROM county;$$;

CREATE FUNCTION esc(cs float8, ce float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_esc_window' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION esc(float8, float8) IS
$$Ecological support coefficient (paper 003 eq.8), window function over the study area: ESC_i = (CS_i / sum CS) / (CE_i / sum CE).
> 1: the unit's share of sequestration exceeds its share of emissions. Example: SELECT county, esc(cs, ce) OVER (PARTITION BY year) FROM county;$$;

-- ---- zonal land-use budget over land-cover rasters (paper 002 eq.1) ----

CREATE TYPE carbon_budget_result AS (
  land_class      text[],    -- land classes present in the region (vocabulary order)
  area_hm2        float8[],  -- area per class, hm2
  budget          float8[],  -- budget per class, t C/yr (+ emission, - sequestration)
  emission        float8,    -- sum of positive budgets, t C/yr
  sequestration   float8,    -- magnitude of the negative budgets, t C/yr
  net             float8,    -- emission - sequestration, t C/yr
  unclassified_hm2 float8,   -- area of pixels whose code has no row in landcover_code
  nodata_hm2      float8     -- area of nodata pixels inside the region
);
COMMENT ON TYPE carbon_budget_result IS 'Zonal land-use carbon budget: per-class areas (hm2) and budgets, emission, sequestration and net (t C/yr)';

CREATE FUNCTION carbon_budget(landuse raster, region geometry, options text DEFAULT '')
RETURNS carbon_budget_result
AS 'MODULE_PATHNAME', 'cb_carbon_budget_raster' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION carbon_budget(raster, geometry, text) IS
$$Land-use carbon budget of one land-cover tile inside a region polygon (paper 002 eq.1), t C/yr; use carbon_budget_agg over many tiles.
Options: scheme=liu (table landuse_coefficient), zone= (north, east, northeast, central_south, southwest, northwest; needed for construction land in liu),
landcover=clcd (table landcover_code), coverage=centre (pixel counted when its centre is inside) | exact (pixel weighted by the
fraction of its area inside, as exactextract), band=1.
Pixel area: |det of the georeference| in m2 for projected SRIDs (metre units), ellipsoidal WGS 84 area for geographic SRIDs.
Example: SELECT (carbon_budget(rast, geom, 'zone=east coverage=exact')).* FROM landcover, county WHERE ST_Intersects(rast, geom);$$;

CREATE FUNCTION _carbon_budget_step(bytea, raster, geometry, text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_carbon_budget_step' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _carbon_budget_step(bytea, raster, geometry, text) IS 'Transition function of carbon_budget_agg: m2 per land-cover code inside the region';
CREATE FUNCTION _carbon_budget_step(bytea, raster, geometry) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_carbon_budget_step' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _carbon_budget_step(bytea, raster, geometry) IS 'Transition function of carbon_budget_agg (default options)';
CREATE FUNCTION _carbon_budget_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_carbon_budget_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _carbon_budget_combine(bytea, bytea) IS 'Combine function of carbon_budget_agg: adds areas per code';
CREATE FUNCTION _carbon_budget_final(bytea) RETURNS carbon_budget_result
AS 'MODULE_PATHNAME', 'cb_carbon_budget_final' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION _carbon_budget_final(bytea) IS 'Final function of carbon_budget_agg: codes to classes to budgets (reads the coefficient tables)';

CREATE AGGREGATE carbon_budget_agg(landuse raster, region geometry, options text) (
  SFUNC = _carbon_budget_step, STYPE = bytea, COMBINEFUNC = _carbon_budget_combine,
  FINALFUNC = _carbon_budget_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE carbon_budget_agg(raster, geometry, text) IS
$$Land-use carbon budget of a region over all its land-cover tiles (paper 002 eq.1): per-class area (hm2) and budget, emission,
sequestration and net (t C/yr). Options as carbon_budget(raster, geometry, text); the same in every row. Parallel safe (combine function).
Example: SELECT c.id, (carbon_budget_agg(l.rast, c.geom, 'zone=east')).* FROM county c JOIN landcover l ON ST_Intersects(l.rast, c.geom) GROUP BY c.id;$$;
CREATE AGGREGATE carbon_budget_agg(landuse raster, region geometry) (
  SFUNC = _carbon_budget_step, STYPE = bytea, COMBINEFUNC = _carbon_budget_combine,
  FINALFUNC = _carbon_budget_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE carbon_budget_agg(raster, geometry) IS
$$Land-use carbon budget of a region over its land-cover tiles with scheme liu, CLCD codes and the centre rule (no zone: construction land is then an error).
Example: SELECT (carbon_budget_agg(rast, geom)).net FROM landcover, county WHERE ST_Intersects(rast, geom);$$;

-- ---- downscaling of a region total onto a weight raster (paper 004 eq.1) ----

CREATE FUNCTION downscale_weight(weight raster, region geometry, options text DEFAULT '') RETURNS float8
AS 'MODULE_PATHNAME', 'cb_downscale_weight' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION downscale_weight(raster, geometry, text) IS
$$Sum of the weight (night light, population) of one tile inside the region, DN_c of paper 004 eq.1 when summed over tiles.
Nodata pixels weigh 0; negative weights are an error. Options: coverage=centre|exact, band=1.
Example: SELECT sum(downscale_weight(rast, geom)) FROM ntl, province WHERE ST_Intersects(rast, geom);$$;

CREATE FUNCTION downscale_raster(weight raster, region geometry, total float8, weight_sum float8, options text DEFAULT '')
RETURNS raster
AS 'MODULE_PATHNAME', 'cb_downscale_raster' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION downscale_raster(raster, geometry, float8, float8, text) IS
$$Downscales a region total onto a weight raster tile (paper 004 eq.1): C_r = DN_r / DN_c * C_c with DN_r the pixel's weight inside the
region (times its coverage) and DN_c = weight_sum = sum(downscale_weight(...)) over all the region's tiles, so the pixels of all tiles
add up to total exactly (up to rounding). Pixels outside the region or nodata are nodata. Same unit as total.
Options: coverage=centre|exact (as in downscale_weight), band=1, pixeltype=64BF|32BF, nodata=-9999.
Example: WITH s AS (SELECT sum(downscale_weight(rast, geom)) dn FROM ntl, prov WHERE ST_Intersects(rast, geom))
SELECT downscale_raster(rast, geom, 1.2e8, s.dn) FROM ntl, prov, s WHERE ST_Intersects(rast, geom);$$;
-- Raster carbon sinks (SPEC section 7, paper 001): heterotrophic respiration,
-- NEP, rock-weathering carbon sink (GEM-CO2), ecosystem carbon sink (ECS)
-- and carbon neutral capacity (CNC), per pixel over PostGIS raster tiles.
-- Output rasters: one band, pixeltype=64BF (default) or 32BF, nodata=-9999
-- (default) where any input pixel is nodata; same georeference as the first input.

CREATE FUNCTION rh_pei2009(t float8, r float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_rh_pei2009_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rh_pei2009(float8, float8) IS
$$Monthly soil heterotrophic respiration of Pei et al. (2009), paper 001 eq.3:
RH = 0.22 (exp(0.0913 T) + ln(0.3145 R + 1)) * 30 * 0.465, in g C m-2 per month;
t: monthly mean temperature (degrees C), r: monthly precipitation (mm, >= 0).
Example: SELECT rh_pei2009(20, 100);  -- 22.63...$$;

CREATE FUNCTION nep(npp float8, t float8[], r float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_nep_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nep(float8, float8[], float8[]) IS
$$Net ecosystem productivity NEP = NPP - sum of 12 monthly RH (paper 001 eqs.2-3), g C m-2 yr-1.
npp: g C m-2 yr-1; t: 12 monthly mean temperatures (degrees C); r: 12 monthly precipitation sums (mm).
Example: SELECT nep(500, array_fill(10::float8, ARRAY[12]), array_fill(50::float8, ARRAY[12]));$$;

CREATE FUNCTION nep_raster(npp raster, temperature raster, precipitation raster, options text DEFAULT '')
RETURNS raster
AS 'MODULE_PATHNAME', 'cb_nep_raster' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION nep_raster(raster, raster, raster, text) IS
$$NEP raster (paper 001 eqs.2-3), g C m-2 yr-1: band 1 of npp (g C m-2 yr-1) minus the sum of the monthly
RH of Pei et al. (2009). temperature and precipitation are 12-band monthly stacks (degrees C, mm), or
1-band annual rasters (annual mean temperature, annual precipitation): then RH = 12 * rh_pei2009(T, R/12).
All three must be aligned (same SRID, scale, skew, grid and extent). Nodata in any input gives nodata.
Options: pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT nep_raster(n.rast, t.rast, p.rast) FROM npp n JOIN tmp t USING (rid) JOIN pre p USING (rid);$$;

CREATE FUNCTION rcs_raster(runoff raster, coefficient float8, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster_const' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, float8, text) IS
$$Rock-weathering carbon sink of the GEM-CO2 model (paper 001 eq.4): F = a * Q per pixel, Q runoff (mm, band 1),
a the empirical coefficient of the rock type. The unit of F is that of a per mm (e.g. a in t C km-2 mm-1 gives t C km-2).
Options: pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rcs_raster(rast, 0.0583) FROM runoff;$$;

CREATE FUNCTION rcs_raster(runoff raster, coefficient raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, raster, text) IS
$$Rock-weathering carbon sink (GEM-CO2, paper 001 eq.4) with a coefficient raster (per-pixel lithology):
F = a * Q, runoff and coefficient aligned (same SRID, scale, skew, grid and extent).
Example: SELECT rcs_raster(q.rast, a.rast) FROM runoff q JOIN lithology_coef a USING (rid);$$;

CREATE FUNCTION ecs_raster(nep raster, rcs raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_ecs_raster' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION ecs_raster(raster, raster, text) IS
$$Ecosystem carbon sink ECS = NEP + RCS per pixel (paper 001), both inputs in the same unit (e.g. g C m-2 yr-1)
and aligned. Example: SELECT ecs_raster(n.rast, r.rast) FROM nep n JOIN rcs r USING (rid);$$;

CREATE FUNCTION cnc_raster(ecs raster, ce raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_cnc_raster' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cnc_raster(raster, raster, text) IS
$$Carbon neutral capacity CNC = ECS - CE per pixel (paper 001): positive is carbon surplus, negative deficit.
Both inputs in the same unit and aligned. Example: SELECT cnc_raster(e.rast, c.rast) FROM ecs e JOIN ce c USING (rid);$$;
-- Inequality: Gini coefficients for values that may be negative (SPEC section 5).

-- Shared support of the aggregates that collect their whole input (series.h):
-- the state is every (a, b) pair; partial states merge by concatenation.
CREATE FUNCTION _series_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_series_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _series_serialize(internal) IS 'Serialise function of the series aggregates (gini_signed, mann_kendall, sen_slope, ols_trend, hurst): the collected pairs as bytea';
CREATE FUNCTION _series_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_series_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _series_deserialize(bytea, internal) IS 'Deserialise function of the series aggregates';
CREATE FUNCTION _series_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_series_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _series_combine(internal, internal) IS 'Combine function of the series aggregates: concatenates two partial states';

CREATE FUNCTION _gini_signed_step(internal, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gini_signed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gini_signed_step(internal, float8) IS 'Transition function of gini_signed: collects values';
CREATE FUNCTION _gini_signed_step(internal, float8, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gini_signed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gini_signed_step(internal, float8, text) IS 'Transition function of gini_signed: collects values';
CREATE FUNCTION _gini_signed_step(internal, float8, text, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gini_signed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gini_signed_step(internal, float8, text, float8) IS 'Transition function of gini_signed: collects (value, weight) pairs';
CREATE FUNCTION _gini_signed_final(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_gini_signed_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gini_signed_final(internal) IS 'Final function of gini_signed: sorts the values and computes the coefficient';

CREATE AGGREGATE gini_signed(value float8) (
  SFUNC = _gini_signed_step, STYPE = internal, FINALFUNC = _gini_signed_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE gini_signed(float8) IS
$$Gini coefficient of value, which may be negative (e.g. carbon neutral capacity), by the Raffinetti, Siletti & Vernizzi (2015) normalisation:
G = sum_i sum_j |y_i - y_j| / (2 n (T+ + |T-|)), in [0, 1]; equals the usual Gini when no value is negative. NULL values are skipped;
NULL when every value is zero. Unitless.
Example: SELECT province, gini_signed(cnc) FROM city GROUP BY province;$$;

CREATE AGGREGATE gini_signed(value float8, method text) (
  SFUNC = _gini_signed_step, STYPE = internal, FINALFUNC = _gini_signed_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE gini_signed(float8, text) IS
$$Gini coefficient of value by method: raffinetti (default; Raffinetti, Siletti & Vernizzi 2015), chen (Chen, Tsaur & Rhai 1982 with the
Berrebi & Silber 1985 correction: usual Gini / (1 + 2 A-), A- the area of the Lorenz curve below zero; NULL when the total is not positive),
ai2017 (paper 001 eqs.13-16: Gini of the deficit group by |x| plus Gini of the surplus group, zeros neutral), standard (usual Gini; error for
negative values or a mean that is not positive). Unitless.
Example: SELECT province, gini_signed(cnc, 'ai2017') FROM city GROUP BY province;$$;

CREATE AGGREGATE gini_signed(value float8, method text, weight float8) (
  SFUNC = _gini_signed_step, STYPE = internal, FINALFUNC = _gini_signed_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE gini_signed(float8, text, float8) IS
$$Weighted Gini coefficient of value by method (see gini_signed(value, method)); weight (population, area) must be non-negative and
multiplies each value's share of the population. Rows with a NULL value or weight are skipped. Unitless.
Example: SELECT province, gini_signed(cnc_per_capita, 'raffinetti', population) FROM city GROUP BY province;$$;
-- Trends and time series (SPEC section 6): Mann-Kendall with the Theil-Sen slope, least-squares trend,
-- Hurst exponent, sequential Mann-Kendall change points and natural-spline gap filling.
-- The aggregates collect their (t, value) pairs (support functions in 40-inequality.sql), order them
-- by t themselves and reject a repeated t.

CREATE TYPE mann_kendall_result AS (
  s             bigint,  -- S = sum over pairs i < j (by t) of sign(value_j - value_i)
  var_s         float8,  -- Var(S) with the tie correction
  z             float8,  -- (S - 1)/sqrt(Var) for S > 0, 0 for S = 0, (S + 1)/sqrt(Var) for S < 0
  p             float8,  -- two-sided p-value of z
  tau           float8,  -- Kendall's tau-b (tau-a when no values tie); NULL when every value ties
  sen_slope     float8,  -- Theil-Sen slope, value units per unit of t
  sen_intercept float8,  -- median(value) - sen_slope * median(t), value at t = 0
  trend         text     -- paper 003 Table 4 class
);
COMMENT ON TYPE mann_kendall_result IS 'Mann-Kendall trend test with the Theil-Sen slope and the trend class of paper 003 Table 4';

CREATE TYPE mann_kendall_sequential_result AS (
  uf           float8,  -- forward sequential statistic UF_k
  ub           float8,  -- backward sequential statistic UB_k
  change_point boolean  -- the UF and UB curves cross here, inside +/- z_threshold
);
COMMENT ON TYPE mann_kendall_sequential_result IS 'Sequential Mann-Kendall (paper 001 section 2.2.7): UF and UB curves and change points';

CREATE FUNCTION _mann_kendall_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_mann_kendall_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mann_kendall_step(internal, float8, float8) IS 'Transition function of mann_kendall: collects (t, value)';
CREATE FUNCTION _mann_kendall_step(internal, float8, float8, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_mann_kendall_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mann_kendall_step(internal, float8, float8, text) IS 'Transition function of mann_kendall: collects (t, value)';
CREATE FUNCTION _mann_kendall_final(internal) RETURNS mann_kendall_result
AS 'MODULE_PATHNAME', 'cb_mann_kendall_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mann_kendall_final(internal) IS 'Final function of mann_kendall';

CREATE AGGREGATE mann_kendall(t float8, value float8) (
  SFUNC = _mann_kendall_step, STYPE = internal, FINALFUNC = _mann_kendall_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE mann_kendall(float8, float8) IS
$$Mann-Kendall trend test of value over t (year or index; input order does not matter, a repeated t is an error, at least 3 points),
with tie-corrected Var(S), continuity-corrected Z, two-sided p, Kendall's tau-b, Theil-Sen slope (value units per unit of t) and intercept,
and the trend class of paper 003 Table 4 at |Z| > 1.96. NULL rows are skipped.
Example: SELECT county, (mann_kendall(year, ce)).* FROM county_year GROUP BY county;$$;
CREATE AGGREGATE mann_kendall(t float8, value float8, options text) (
  SFUNC = _mann_kendall_step, STYPE = internal, FINALFUNC = _mann_kendall_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE mann_kendall(float8, float8, text) IS
$$Mann-Kendall trend test of value over t with options: z_threshold=1.96 (|Z| above it is a marked trend; paper 003 uses 1.66).
Example: SELECT (mann_kendall(year, ce, 'z_threshold=1.66')).trend FROM county_year GROUP BY county;$$;

CREATE FUNCTION _sen_slope_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_sen_slope_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _sen_slope_step(internal, float8, float8) IS 'Transition function of sen_slope: collects (t, value)';
CREATE FUNCTION _sen_slope_final(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_sen_slope_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _sen_slope_final(internal) IS 'Final function of sen_slope';
CREATE AGGREGATE sen_slope(t float8, value float8) (
  SFUNC = _sen_slope_step, STYPE = internal, FINALFUNC = _sen_slope_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE sen_slope(float8, float8) IS
$$Theil-Sen slope: the median of the pairwise slopes (value_j - value_i)/(t_j - t_i), in value units per unit of t (paper 003).
Needs n(n-1)/2 * 8 bytes within work_mem. Example: SELECT sen_slope(year, ce) FROM county_year GROUP BY county;$$;

CREATE FUNCTION _ols_trend_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_ols_trend_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_trend_step(internal, float8, float8) IS 'Transition function of ols_trend: collects (t, value)';
CREATE FUNCTION _ols_trend_final(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_ols_trend_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_trend_final(internal) IS 'Final function of ols_trend';
CREATE AGGREGATE ols_trend(t float8, value float8) (
  SFUNC = _ols_trend_step, STYPE = internal, FINALFUNC = _ols_trend_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_trend(float8, float8) IS
$$Least-squares trend slope of value on t (paper 001 eq.9 with t = year index), in value units per unit of t.
Example: SELECT ols_trend(year, cnc) FROM province_year GROUP BY province;$$;

CREATE FUNCTION _hurst_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_hurst_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _hurst_step(internal, float8, float8) IS 'Transition function of hurst: collects (t, value)';
CREATE FUNCTION _hurst_final(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_hurst_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _hurst_final(internal) IS 'Final function of hurst';
CREATE AGGREGATE hurst(t float8, value float8) (
  SFUNC = _hurst_step, STYPE = internal, FINALFUNC = _hurst_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE hurst(float8, float8) IS
$$Hurst exponent by aggregated variance (paper 001 eqs.7-8): block means of size m = 1 .. floor(n/2) in t order, their variance about
the series mean, H = 1 + beta/2 with beta the least-squares slope of ln variance on ln m. Unitless; H > 0.5 persistent, < 0.5
anti-persistent. At least 4 points; NULL when a block variance is zero (e.g. a constant series).
Example: SELECT hurst(year, cnc) FROM province_year GROUP BY province;$$;

CREATE FUNCTION mann_kendall_sequential(t float8, value float8, options text DEFAULT '')
RETURNS mann_kendall_sequential_result
AS 'MODULE_PATHNAME', 'cb_mk_sequential_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mann_kendall_sequential(float8, float8, text) IS
$$Sequential Mann-Kendall test per row over the window partition, in t order (paper 001 section 2.2.7): UF_k = (s_k - k(k-1)/4) /
sqrt(k(k-1)(2k+5)/72), s_k the count of earlier values below value_k; UB from the reversed series, negated. change_point marks the row
nearest each UF/UB crossing that lies inside +/- z_threshold (option, default 1.96). Rows with a NULL t or value return NULL.
Example: SELECT year, (mann_kendall_sequential(year, cnc) OVER (PARTITION BY province)).* FROM province_year;$$;

CREATE FUNCTION spline_fill(t float8, value float8)
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spline_fill_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION spline_fill(float8, float8) IS
$$Natural cubic spline through the rows of the window partition with a value, evaluated at the rows whose value is NULL (paper 003
repairs residual or biased years this way); rows with a value return it unchanged; no extrapolation: NULL before the first and after
the last known t, and when fewer than two values are known. Same units as value.
Example: SELECT year, spline_fill(year, CASE WHEN biased THEN NULL ELSE ce END) OVER (PARTITION BY county) FROM county_year;$$;

CREATE FUNCTION trend_raster(rasters raster[], options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_trend_raster_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION trend_raster(raster[], text) IS
$$Per-pixel trends over a time stack of aligned rasters (one per year, in time order; same SRID, scale, skew, grid and extent):
band 1 the least-squares slope (paper 001 eq.9), band 2 the Theil-Sen slope, both in pixel units per unit of t, band 3 the
Mann-Kendall Z (continuity-corrected, tie-corrected variance; paper 003). Layer k has t = start + (k-1)*step. Nodata pixels are left
out of a pixel's series; a pixel with fewer than min_points valid layers is nodata in every band.
Options: method=all|ols|sen|mk (one band for the last three), start=1, step=1, min_points=3, band=1 (band read from each raster),
pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rid, trend_raster(array_agg(rast ORDER BY year), 'start=2000') FROM ndvi GROUP BY rid;$$;

CREATE FUNCTION trend_raster(rast raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_trend_raster_bands' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION trend_raster(raster, text) IS
$$Per-pixel trends over the bands of one multi-band raster, band k at t = start + (k-1)*step: least-squares slope, Theil-Sen
slope and Mann-Kendall Z bands, as trend_raster(raster[]). Options as there, except band.
Example: SELECT rid, trend_raster(rast, 'start=2001 method=all') FROM cnc_stack;$$;
-- Geographically weighted regression: GWR and multiscale GWR (SPEC section 8, paper 004).

CREATE TYPE gwr_result AS (
  beta       float8[],  -- local coefficients: intercept, then one per covariate of x
  se         float8[],  -- local standard errors sqrt(diag(C C') sigma2), C = (X'W_iX)^-1 X'W_i
  t          float8[],  -- beta / se
  local_r2   float8,    -- local R^2 with the kernel weights of this location
  yhat       float8,    -- fitted value
  residual   float8,    -- y - yhat
  influence  float8,    -- S_ii, diagonal element of the hat matrix
  bandwidth  float8,    -- GWR bandwidth: neighbours incl. the point itself (adaptive) or distance in SRID units (fixed); NULL for MGWR
  bandwidths float8[],  -- MGWR: one bandwidth per term, intercept first; NULL for GWR
  aicc       float8,    -- -2 llf + 2 n (tr S + 1) / (n - tr S - 2)
  aic        float8,    -- -2 llf + 2 (tr S + 1)
  r2         float8,    -- 1 - RSS / TSS
  adj_r2     float8,    -- 1 - (1 - R^2)(n - 1) / (n - tr S - 1)
  enp        float8,    -- effective number of parameters, tr S
  sigma2     float8,    -- RSS / (n - tr S)
  term_enp   float8[]   -- MGWR: effective number of parameters per term; NULL for GWR
);
COMMENT ON TYPE gwr_result IS 'Per-row result of gwr_fit: local coefficients, standard errors, t-values, local R^2, fitted value and residual, with the fit''s bandwidth(s) and diagnostics repeated on every row';

CREATE FUNCTION gwr_fit(y float8, x float8[], geom geometry, options text DEFAULT '')
RETURNS gwr_result
AS 'MODULE_PATHNAME', 'cb_gwr_fit_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION gwr_fit(float8, float8[], geometry, text) IS
$$Geographically weighted regression of y on the covariates x (an intercept is added) over the window partition, located at the centroids of geom (projected SRID; distances in SRID units), as PySAL mgwr (paper 004).
Options: kernel=bisquare|gaussian|exponential (default bisquare); fixed=false (adaptive: bandwidth counts nearest neighbours including the point itself) or true (distance);
bandwidth=auto (default: mgwr Sel_BW golden-section search) or a number; criterion=aicc|aic|cv (default aicc);
multiscale=false, or true for MGWR (backfitting, a bandwidth per term) with tol=1e-5 and max_iter=200.
Rows with NULL y, x or geom are skipped (result NULL). Errors for NULL or NaN inside x, x of different lengths, too few rows, constant or collinear covariates, a bandwidth too small for a non-singular local fit.
Example: SELECT id, (gwr_fit(y, ARRAY[x1, x2], geom) OVER ()).* FROM county;$$;
-- STIRPAT ridge regression and scenario projection (SPEC section 8, paper 003 eqs.12-13, Table 5).

CREATE TYPE stirpat_ridge_result AS (
  k         float8,    -- ridge constant K (correlation form, SPSS/NCSS convention)
  intercept float8,    -- a in ln CE = a + sum b_j ln X_j
  coef      float8[],  -- unstandardised b_j (elasticities), one per driver
  std_coef  float8[],  -- standardised b*_j = (R + kI)^-1 r
  r2        float8,    -- 1 - RSS/TSS on the log scale
  adj_r2    float8,    -- 1 - (1 - r2)(n - 1)/(n - p - 1)
  vif       float8[],  -- diag((R + kI)^-1 R (R + kI)^-1)
  n         bigint     -- rows used (rows with a NULL ce or drivers are skipped)
);
COMMENT ON TYPE stirpat_ridge_result IS
'STIRPAT ridge model ln CE = intercept + sum coef[j] ln drivers[j] (paper 003 eq.13) with standardised coefficients, R2 and VIFs';

CREATE FUNCTION _driver_moments_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_mom_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _driver_moments_combine(float8[], float8[]) IS
'Combine function of the regression aggregates: merges two moment states (counts, means, centred cross-products)';

CREATE FUNCTION _stirpat_ridge_step(float8[], float8, float8[], text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_step(float8[], float8, float8[], text) IS 'Transition function of stirpat_ridge';
CREATE FUNCTION _stirpat_ridge_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_step(float8[], float8, float8[]) IS 'Transition function of stirpat_ridge';
CREATE FUNCTION _stirpat_ridge_final(float8[]) RETURNS stirpat_ridge_result
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_final(float8[]) IS 'Final function of stirpat_ridge';

CREATE AGGREGATE stirpat_ridge(ce float8, drivers float8[], options text) (
  SFUNC = _stirpat_ridge_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge(float8, float8[], text) IS
$$STIRPAT ridge regression ln CE = a + sum b_j ln X_j (paper 003 eqs.12-13) over raw positive values (logs are taken inside).
Options: k=<number> (ridge constant K of the correlation form, e.g. k=0.02) or k=auto (default: smallest K on the grid 0, k_step, ... k_max with all VIF < 10; k_max=1, k_step=0.01).
Example: SELECT (stirpat_ridge(ce, ARRAY[p, w, is_share, ti, ur, cei], 'k=0.02')).* FROM county_year;$$;
CREATE AGGREGATE stirpat_ridge(ce float8, drivers float8[]) (
  SFUNC = _stirpat_ridge_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge(float8, float8[]) IS
$$STIRPAT ridge regression with k=auto (smallest K on 0, 0.01, ..., 1 with all VIF < 10).
Example: SELECT (stirpat_ridge(ce, ARRAY[p, w, is_share, ti, ur, cei])).* FROM county_year;$$;

CREATE FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[], text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_trace_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[], text) IS 'Transition function of stirpat_ridge_trace';
CREATE FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_trace_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[]) IS 'Transition function of stirpat_ridge_trace';
CREATE FUNCTION _stirpat_ridge_trace_final(float8[]) RETURNS stirpat_ridge_result[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_trace_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_trace_final(float8[]) IS 'Final function of stirpat_ridge_trace';

CREATE AGGREGATE stirpat_ridge_trace(ce float8, drivers float8[], options text) (
  SFUNC = _stirpat_ridge_trace_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_trace_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge_trace(float8, float8[], text) IS
$$Ridge trace: one stirpat_ridge_result per K on the grid 0, k_step, ..., k_max (options k_max=1 k_step=0.05), for choosing K (paper 003 Fig. 7a).
Example: SELECT t.k, t.std_coef, t.vif FROM (SELECT stirpat_ridge_trace(ce, ARRAY[p, w], 'k_max=0.1 k_step=0.01') tr FROM county_year) s, unnest(s.tr) t;$$;
CREATE AGGREGATE stirpat_ridge_trace(ce float8, drivers float8[]) (
  SFUNC = _stirpat_ridge_trace_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_trace_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge_trace(float8, float8[]) IS
$$Ridge trace on K = 0, 0.05, ..., 1.
Example: SELECT unnest(stirpat_ridge_trace(ce, ARRAY[p, w])) FROM county_year;$$;

CREATE TYPE stirpat_projection AS (
  years          integer[],  -- base year, then every step years to the last period's end
  ce             float8[],   -- projected CE in the units of the model's CE, one per year in years
  peak_year      integer,    -- year of the largest projected CE (yearly series)
  peak_ce        float8,     -- that CE
  peaked_by_2030 boolean,    -- peak_year <= peak_by (2030 unless the scenario says otherwise)
  cep_class      text        -- carbon emission potential class, see stirpat_project
);
COMMENT ON TYPE stirpat_projection IS 'Scenario projection of a STIRPAT model: CE by year, peak year and carbon emission potential class';

CREATE FUNCTION stirpat_project(model stirpat_ridge_result, base float8[], scenario jsonb)
RETURNS stirpat_projection
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  p          int := cardinality(model.coef);
  x          float8[] := base;
  base_year  int;
  step       int;
  peak_by    int;
  periods    jsonb := scenario->'periods';
  classes    float8[];
  last_year  int;
  period     jsonb;
  g          float8;
  cap        float8;
  ce_now     float8;
  ce_start   float8;
  ce_base    float8;
  log_base   float8 := 0;
  out_years  int[] := '{}';
  out_ce     float8[] := '{}';
  peak_year  int;
  peak_ce    float8;
  ratio      float8;
  cls        text;
  pi         int;
BEGIN
  IF cardinality(base) IS DISTINCT FROM p THEN
    RAISE EXCEPTION USING ERRCODE = '2202E', MESSAGE = format('stirpat_project: base must have %s elements, one per driver of the model', p);
  END IF;
  FOR j IN 1..p LOOP
    IF base[j] IS NULL OR NOT base[j] > 0 OR base[j] = 'Infinity' THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: base[%s] must be a positive finite number', j);
    END IF;
  END LOOP;
  IF jsonb_typeof(periods) IS DISTINCT FROM 'array' OR jsonb_array_length(periods) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario must have a non-empty "periods" array',
      HINT = 'Example: {"base_year": 2020, "periods": [{"to": 2030, "growth": [0.01, 0.06]}, {"to": 2060, "growth": [0.005, 0.04], "cap": [null, 9e4]}]}';
  END IF;
  base_year := coalesce((scenario->>'base_year')::int, 2020);
  step := coalesce((scenario->>'step')::int, 5);
  peak_by := coalesce((scenario->>'peak_by')::int, 2030);
  classes := CASE WHEN scenario ? 'classes'
                  THEN ARRAY(SELECT jsonb_array_elements_text(scenario->'classes')::float8)
                  ELSE '{0.8,0.95,1.05,1.2}' END;
  IF step < 1 OR cardinality(classes) <> 4 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario "step" must be >= 1 and "classes" must have 4 ratios';
  END IF;
  last_year := base_year;
  FOR pi IN 0..jsonb_array_length(periods) - 1 LOOP
    period := periods->pi;
    IF (period->>'to') IS NULL OR NOT (period->>'to')::int > last_year THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: periods[%s]."to" must be after %s', pi + 1, last_year);
    END IF;
    IF jsonb_typeof(period->'growth') IS DISTINCT FROM 'array' OR jsonb_array_length(period->'growth') <> p
       OR (period ? 'cap' AND (jsonb_typeof(period->'cap') IS DISTINCT FROM 'array' OR jsonb_array_length(period->'cap') <> p)) THEN
      RAISE EXCEPTION USING ERRCODE = '2202E', MESSAGE = format('stirpat_project: periods[%s] needs "growth" (and optional "cap") arrays of %s elements', pi + 1, p);
    END IF;
    last_year := (period->>'to')::int;
  END LOOP;

  FOR j IN 1..p LOOP
    log_base := log_base + model.coef[j] * ln(base[j]);
  END LOOP;
  ce_start := exp(model.intercept + log_base);
  -- optional observed base-year CE: the model then gives only the relative change
  ce_base := coalesce((scenario->>'ce_base')::float8, ce_start);
  ce_now := ce_base;
  out_years := ARRAY[base_year]; out_ce := ARRAY[ce_now];
  peak_year := base_year; peak_ce := ce_now;
  pi := 0;
  FOR yr IN base_year + 1 .. last_year LOOP
    WHILE yr > (periods->pi->>'to')::int LOOP pi := pi + 1; END LOOP;
    period := periods->pi;
    FOR j IN 1..p LOOP
      g := coalesce((period->'growth'->>(j - 1))::float8, 0);
      IF g <= -1 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: periods[%s].growth[%s] must be greater than -1', pi + 1, j);
      END IF;
      x[j] := x[j] * (1 + g);
      cap := (period->'cap'->>(j - 1))::float8;
      IF cap IS NOT NULL AND x[j] > cap THEN x[j] := cap; END IF;
    END LOOP;
    ce_now := ce_base;
    FOR j IN 1..p LOOP
      ce_now := ce_now * exp(model.coef[j] * (ln(x[j]) - ln(base[j])));
    END LOOP;
    IF ce_now > peak_ce THEN peak_ce := ce_now; peak_year := yr; END IF;
    IF (yr - base_year) % step = 0 OR yr = last_year THEN
      out_years := out_years || yr; out_ce := out_ce || ce_now;
    END IF;
  END LOOP;

  ratio := ce_now / ce_base;
  cls := CASE WHEN peak_year <= peak_by AND ratio <= classes[1] THEN 'highly significant'
              WHEN peak_year <= peak_by AND ratio <= classes[2] THEN 'moderately significant'
              WHEN ratio <= classes[3] THEN 'stable'
              WHEN ratio <= classes[4] THEN 'slightly insignificant'
              ELSE 'insignificant' END;
  RETURN ROW(out_years, out_ce, peak_year, peak_ce, peak_year <= peak_by, cls)::stirpat_projection;
END
$fn$;
COMMENT ON FUNCTION stirpat_project(stirpat_ridge_result, float8[], jsonb) IS
$$Projects CE of a STIRPAT model under a scenario (paper 003 Table 5): each driver grows yearly by its period's rate and is held at its cap (threshold) when given.
scenario jsonb: {"base_year": 2020, "step": 5, "peak_by": 2030, "ce_base": <observed base CE, optional>, "classes": [0.8, 0.95, 1.05, 1.2],
 "periods": [{"to": 2030, "growth": [annual rate per driver], "cap": [upper bound per driver or null]}, {"to": 2060, ...}]}.
cep_class from r = CE(last year)/CE(base year): highly significant (peaked by peak_by, r <= 0.8), moderately significant (peaked, r <= 0.95), stable (r <= 1.05), slightly insignificant (r <= 1.2), insignificant.
Example: SELECT (stirpat_project(m, ARRAY[5000, 40000], '{"periods": [{"to": 2030, "growth": [0.004, 0.06]}, {"to": 2060, "growth": [-0.005, 0.04]}]}')).* FROM model m;$$;
-- Ordinary least squares, SPSS-style stepwise selection and the independent-samples t-test
-- (SPEC section 8; paper 003 Table 7, paper 002 stepwise regression, paper 003 model check).

CREATE TYPE ols_result AS (
  coef     float8[],  -- intercept first, then one per element of x
  se       float8[],  -- standard errors, same order
  t        float8[],  -- coef / se
  p        float8[],  -- two-sided p-values of t with df degrees of freedom
  std_coef float8[],  -- standardised coefficients (Beta), one per covariate
  vif      float8[],  -- variance inflation factors (1 / tolerance), one per covariate
  r2       float8,
  adj_r2   float8,
  f        float8,    -- overall F statistic (NULL without covariates)
  f_p      float8,    -- its p-value
  sigma    float8,    -- residual standard error sqrt(RSS / df)
  n        bigint,    -- rows used (rows with a NULL y or x are skipped)
  df       float8     -- residual degrees of freedom n - q - 1
);
COMMENT ON TYPE ols_result IS 'OLS fit with an intercept: coefficients, standard errors, t, p, Beta, VIF, R2, F (paper 003 Table 7)';

CREATE TYPE ols_stepwise_result AS (
  selected integer[], -- positions (1-based) in x of the covariates kept, in order of entry
  coef     float8[], se float8[], t float8[], p float8[], std_coef float8[], vif float8[],
  r2 float8, adj_r2 float8, f float8, f_p float8, sigma float8, n bigint, df float8
);
COMMENT ON TYPE ols_stepwise_result IS 'Covariates kept by SPSS-style stepwise selection and the OLS fit on them (fields as ols_result, in the order of selected)';

CREATE FUNCTION _ols_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ols_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_step(float8[], float8, float8[]) IS 'Transition function of ols_fit';
CREATE FUNCTION _ols_final(float8[]) RETURNS ols_result
AS 'MODULE_PATHNAME', 'cb_ols_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_final(float8[]) IS 'Final function of ols_fit';
CREATE AGGREGATE ols_fit(y float8, x float8[]) (
  SFUNC = _ols_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _ols_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_fit(float8, float8[]) IS
$$Ordinary least squares of y on the covariates x with an intercept (paper 003 Table 7): coefficients, SE, t, p, Beta, VIF, R2, adjusted R2, F.
Collinear or constant covariates are errors naming them. Built from combinable moments (parallel safe).
Example: SELECT (ols_fit(ln(ce), ARRAY[ln(p), ln(w)])).* FROM county_year;$$;

CREATE FUNCTION _ols_stepwise_step(float8[], float8, float8[], text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ols_stepwise_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_stepwise_step(float8[], float8, float8[], text) IS 'Transition function of ols_stepwise';
CREATE FUNCTION _ols_stepwise_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ols_stepwise_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_stepwise_step(float8[], float8, float8[]) IS 'Transition function of ols_stepwise';
CREATE FUNCTION _ols_stepwise_final(float8[]) RETURNS ols_stepwise_result
AS 'MODULE_PATHNAME', 'cb_ols_stepwise_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_stepwise_final(float8[]) IS 'Final function of ols_stepwise';
CREATE AGGREGATE ols_stepwise(y float8, x float8[], options text) (
  SFUNC = _ols_stepwise_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _ols_stepwise_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_stepwise(float8, float8[], text) IS
$$Stepwise OLS as SPSS (paper 002): enter the covariate with the smallest p below enter (default 0.05), then remove those with p above remove (default 0.10).
Options: enter=<p> remove=<p>.
Example: SELECT (ols_stepwise(y, ARRAY[x1, x2, x3], 'enter=0.05 remove=0.10')).* FROM t;$$;
CREATE AGGREGATE ols_stepwise(y float8, x float8[]) (
  SFUNC = _ols_stepwise_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _ols_stepwise_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_stepwise(float8, float8[]) IS
$$Stepwise OLS as SPSS with enter=0.05 remove=0.10.
Example: SELECT (ols_stepwise(y, ARRAY[x1, x2, x3])).selected FROM t;$$;

CREATE TYPE ttest_result AS (
  t_student  float8,  -- pooled-variance t of mean(true) - mean(false)
  df_student float8,  -- n_true + n_false - 2
  p_student  float8,  -- two-sided
  t_welch    float8,  -- unequal-variance t
  df_welch   float8,  -- Welch-Satterthwaite degrees of freedom
  p_welch    float8,  -- two-sided
  mean_true  float8,
  mean_false float8,
  n_true     bigint,
  n_false    bigint
);
COMMENT ON TYPE ttest_result IS 'Independent-samples t-test, Student (equal variances) and Welch, of the group where group is true against the group where it is false';

CREATE FUNCTION _ttest_step(float8[], float8, boolean) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ttest_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ttest_step(float8[], float8, boolean) IS 'Transition function of ttest_ind';
CREATE FUNCTION _ttest_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ttest_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _ttest_combine(float8[], float8[]) IS 'Combine function of ttest_ind';
CREATE FUNCTION _ttest_final(float8[]) RETURNS ttest_result
AS 'MODULE_PATHNAME', 'cb_ttest_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ttest_final(float8[]) IS 'Final function of ttest_ind';
CREATE AGGREGATE ttest_ind(value float8, "group" boolean) (
  SFUNC = _ttest_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
  COMBINEFUNC = _ttest_combine, FINALFUNC = _ttest_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ttest_ind(float8, boolean) IS
$$Independent-samples t-test (Student and Welch) of value between the rows where group is true and where it is false, e.g. predicted against actual CE (paper 003).
Example: SELECT (ttest_ind(ce, is_predicted)).* FROM (SELECT ce, false AS is_predicted FROM actual UNION ALL SELECT ce, true FROM predicted) s;$$;
-- Geographical detector (SPEC section 8; paper 002 eq.3; Wang et al. 2010, Wang, Zhang & Fu 2016).

CREATE TYPE geodetector_result AS (
  q       float8,   -- 1 - sum_h N_h sigma_h^2 / (N sigma^2), share of the variance of y explained by the strata
  f       float8,   -- (N - L)/(L - 1) q/(1 - q); NULL with one stratum
  p       float8,   -- P(F > f) for the noncentral F(L - 1, N - L, lambda), as R GD/geodetector
  lambda  float8,   -- noncentrality (sum m_h^2 - (sum sqrt(N_h) m_h)^2 / N) / var(y), var with N - 1
  strata  integer,  -- L
  n       bigint    -- N rows used (rows with a NULL are skipped)
);
COMMENT ON TYPE geodetector_result IS 'Factor detector: q statistic of spatial stratified heterogeneity with its noncentral F test';

CREATE TYPE geodetector_interaction_result AS (
  q1          float8,  -- q of s1
  q2          float8,  -- q of s2
  q12         float8,  -- q of the intersection strata s1 x s2
  interaction text     -- nonlinear weaken | univariate weaken | bivariate enhance | independent | nonlinear enhance
);
COMMENT ON TYPE geodetector_interaction_result IS 'Interaction detector: q of two factors, of their overlay and the interaction type';

CREATE TYPE geodetector_discretization AS (
  classes integer,   -- class count with the largest q
  breaks  float8[],  -- classes - 1 interior thresholds: class = 1 + number of thresholds <= x
  q       float8     -- q of y stratified by these classes
);
COMMENT ON TYPE geodetector_discretization IS 'Discretisation of a continuous factor that maximises the geodetector q';

CREATE FUNCTION _geodetector_step(float8[], float8, bigint) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_geodetector_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _geodetector_step(float8[], float8, bigint) IS 'Transition function of geodetector';
CREATE FUNCTION _geodetector_interaction_step(float8[], float8, bigint, bigint) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_geodetector_interaction_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _geodetector_interaction_step(float8[], float8, bigint, bigint) IS 'Transition function of geodetector_interaction';
CREATE FUNCTION _geodetector_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_geodetector_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _geodetector_combine(float8[], float8[]) IS 'Combine function of geodetector and geodetector_interaction: merges strata tables';
CREATE FUNCTION _geodetector_final(float8[]) RETURNS geodetector_result
AS 'MODULE_PATHNAME', 'cb_geodetector_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _geodetector_final(float8[]) IS 'Final function of geodetector';
CREATE FUNCTION _geodetector_interaction_final(float8[]) RETURNS geodetector_interaction_result
AS 'MODULE_PATHNAME', 'cb_geodetector_interaction_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _geodetector_interaction_final(float8[]) IS 'Final function of geodetector_interaction';

CREATE AGGREGATE geodetector(y float8, stratum bigint) (
  SFUNC = _geodetector_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _geodetector_combine, FINALFUNC = _geodetector_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE geodetector(float8, bigint) IS
$$Factor detector q of y stratified by an integer stratum (paper 002 eq.3), with F and its noncentral-F p-value (Wang, Zhang & Fu 2016; R GD/geodetector).
Text or continuous factors: number them with dense_rank() or geodetector_discretize first.
Example: SELECT (geodetector(ce, land_class)).* FROM county;$$;
CREATE AGGREGATE geodetector_interaction(y float8, s1 bigint, s2 bigint) (
  SFUNC = _geodetector_interaction_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _geodetector_combine, FINALFUNC = _geodetector_interaction_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE geodetector_interaction(float8, bigint, bigint) IS
$$Interaction detector: q of s1, of s2 and of their overlay, with the interaction type (Wang et al. 2010):
q12 < min(q1,q2) nonlinear weaken; min <= q12 <= max univariate weaken; max < q12 < q1+q2 bivariate enhance; q12 = q1+q2 independent; q12 > q1+q2 nonlinear enhance.
Example: SELECT (geodetector_interaction(ce, slope_class, gdp_class)).* FROM county;$$;

CREATE FUNCTION geodetector_breaks(x float8[], method text DEFAULT 'natural', classes integer DEFAULT 5)
RETURNS float8[] AS 'MODULE_PATHNAME', 'cb_geodetector_breaks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION geodetector_breaks(float8[], text, integer) IS
$$Interior thresholds (classes - 1) that cut x into classes: method equal (equal widths), quantile (R type 7 quantiles) or natural (Jenks, exact, up to 20000 values).
Class of a value: 1 + width_bucket(x, breaks).
Example: SELECT geodetector_breaks(array_agg(slope), 'quantile', 5) FROM county;$$;

CREATE FUNCTION geodetector_discretize(y float8[], x float8[], method text DEFAULT 'natural',
                                       min_classes integer DEFAULT 2, max_classes integer DEFAULT 10)
RETURNS geodetector_discretization AS 'MODULE_PATHNAME', 'cb_geodetector_discretize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION geodetector_discretize(float8[], float8[], text, integer, integer) IS
$$Cuts the continuous factor x with method (equal, quantile, natural) for each class count min_classes..max_classes and keeps the count whose strata give y the largest q (ties: fewer classes).
Example: SELECT (geodetector_discretize(array_agg(ce), array_agg(slope), 'natural', 3, 8)).* FROM county;$$;
-- Back-propagation neural network (SPEC section 8; paper 001 section 2.2.4).

CREATE TYPE bp_model AS (
  model  bytea,    -- the trained network, for bp_predict
  r2     float8,   -- training R2 = 1 - RSS/TSS
  n      bigint,   -- training rows (rows with a NULL y or x are skipped)
  hidden integer,  -- hidden ReLU units
  epochs integer   -- full-batch training epochs
);
COMMENT ON TYPE bp_model IS 'A trained back-propagation network (one ReLU hidden layer, linear output) and its training R2';

CREATE FUNCTION _bp_fit_step(internal, float8, float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_bp_fit_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _bp_fit_step(internal, float8, float8[], text) IS 'Transition function of bp_fit';
CREATE FUNCTION _bp_fit_step(internal, float8, float8[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_bp_fit_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _bp_fit_step(internal, float8, float8[]) IS 'Transition function of bp_fit';
CREATE FUNCTION _bp_fit_final(internal) RETURNS bp_model
AS 'MODULE_PATHNAME', 'cb_bp_fit_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION _bp_fit_final(internal) IS 'Final function of bp_fit: trains the network';

CREATE AGGREGATE bp_fit(y float8, x float8[], options text) (
  SFUNC = _bp_fit_step, STYPE = internal, FINALFUNC = _bp_fit_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE bp_fit(float8, float8[], text) IS
$$Trains the back-propagation network of paper 001 section 2.2.4: z-scored inputs, one hidden layer of ReLU units, linear output,
full-batch Adam on the mean squared error from a seeded He initialisation; deterministic for a seed (rows are used in the order received: add ORDER BY for a fixed order).
Options: hidden=4 epochs=2000 learning_rate=0.01 seed=42.
Example: SELECT (bp_fit(ce, ARRAY[pop, urban, gdp], 'hidden=8 epochs=5000 seed=7' ORDER BY year)).* FROM province_year;$$;
CREATE AGGREGATE bp_fit(y float8, x float8[]) (
  SFUNC = _bp_fit_step, STYPE = internal, FINALFUNC = _bp_fit_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE bp_fit(float8, float8[]) IS
$$bp_fit with hidden=4 epochs=2000 learning_rate=0.01 seed=42.
Example: SELECT (bp_fit(ce, ARRAY[pop, gdp] ORDER BY year)).r2 FROM province_year;$$;

CREATE FUNCTION bp_predict(model bytea, x float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_bp_predict_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bp_predict(bytea, float8[]) IS
$$Output of a bp_fit network for inputs x (same order and units as in training).
Example: SELECT bp_predict(m.model, ARRAY[pop, urban, gdp]) FROM scenario_2030, bp_models m;$$;
-- Classification (SPEC section 9): class breaks as R classInt and hierarchical clustering as R hclust + cutree.

CREATE FUNCTION natural_breaks(value float8, k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_natural_breaks_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION natural_breaks(float8, integer) IS
$$Window function: Jenks natural-breaks class 1..k (low to high) of value over the partition, exactly as R classInt::classIntervals(x, k, style = "jenks") with intervals closed on the right (findCols). NULL values get NULL; a single distinct value or k above the number of values is an error. Dimensionless.
Example: SELECT id, natural_breaks(cnc, 5) OVER () FROM county;$$;

CREATE FUNCTION quantile_class(value float8, k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_quantile_class_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION quantile_class(float8, integer) IS
$$Window function: quantile class 1..k (low to high) of value, breaks at R quantile type 7 as classInt style = "quantile", intervals closed on the right (intervalClosure = "right"). NULL values get NULL. Dimensionless.
Example: SELECT id, quantile_class(cnc, 4) OVER () FROM county;$$;

CREATE FUNCTION equal_interval_class(value float8, k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_equal_interval_class_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION equal_interval_class(float8, integer) IS
$$Window function: equal-interval class 1..k (low to high) of value between its minimum and maximum, as classInt style = "equal" with intervals closed on the right. NULL values get NULL. Dimensionless.
Example: SELECT id, equal_interval_class(cnc, 5) OVER () FROM county;$$;

CREATE FUNCTION hclust(features float8[], k integer, method text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_hclust_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION hclust(float8[], integer, text) IS
$$Window function: cluster 1..k of each row by agglomerative clustering of the z-scored features (R scale(): sd with n - 1) with Euclidean distance (paper 002), method ward (R hclust "ward.D2") or average, cut as R cutree(hclust(...), k). Clusters are numbered by first appearance in the partition's row order (as cutree numbers them in row order), so give OVER (ORDER BY id) for stable numbers. Rows with NULL features get NULL.
Example: SELECT id, hclust(ARRAY[ce, cs, gdp], 4, 'average') OVER (ORDER BY id) FROM county;$$;

CREATE FUNCTION hclust(features float8[], k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_hclust_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION hclust(float8[], integer) IS
$$Window function: cluster 1..k of each row by Ward clustering (R hclust "ward.D2") of the z-scored features with Euclidean distance, cut as R cutree; numbered by first appearance in the partition's row order.
Example: SELECT id, hclust(ARRAY[ce, cs, gdp], 4) OVER (ORDER BY id) FROM county;$$;
-- Geometry statistics (SPEC section 9): weighted mean centre and standard deviational ellipse (paper 004 eqs.2-4).

CREATE TYPE std_ellipse_result AS (
  center       geometry, -- weighted mean centre of the centroids (SRID kept)
  sigma_x      float8,   -- standard distance along the rotated x axis (SRID units)
  sigma_y      float8,   -- standard distance along the rotated y axis, the major axis (SRID units)
  rotation_deg float8,   -- rotation of the y axis, degrees clockwise from north, [0, 180)
  ellipse      geometry  -- the ellipse outline as a polygon (360 vertices)
);
COMMENT ON TYPE std_ellipse_result IS 'Standard deviational ellipse: centre, axes, rotation and outline (paper 004 eqs.2-4)';

CREATE TYPE center_shift_result AS (
  distance    float8, -- SRID units (planar) or metres (geographic SRID)
  bearing_deg float8  -- direction of the move, degrees clockwise from north, [0, 360)
);
COMMENT ON TYPE center_shift_result IS 'Shift of a centre between two years: distance and bearing';

CREATE FUNCTION _mean_center_step(float8[], geometry, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_mean_center_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mean_center_step(float8[], geometry, float8) IS 'Transition function of mean_center: adds the weighted centroid to the running moments';
CREATE FUNCTION _std_ellipse_step(float8[], geometry, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_std_ellipse_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _std_ellipse_step(float8[], geometry, float8) IS 'Transition function of std_ellipse: adds the weighted centroid to the running moments';
CREATE FUNCTION _std_ellipse_step(float8[], geometry, float8, text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_std_ellipse_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _std_ellipse_step(float8[], geometry, float8, text) IS 'Transition function of std_ellipse with options';
CREATE FUNCTION _geo_moments_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_geo_moments_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _geo_moments_combine(float8[], float8[]) IS 'Combine function of mean_center and std_ellipse: merges two partial moment states (Chan et al.)';
CREATE FUNCTION _mean_center_final(float8[]) RETURNS geometry
AS 'MODULE_PATHNAME', 'cb_mean_center_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _mean_center_final(float8[]) IS 'Final function of mean_center: the weighted mean centre as a point';
CREATE FUNCTION _std_ellipse_final(float8[]) RETURNS std_ellipse_result
AS 'MODULE_PATHNAME', 'cb_std_ellipse_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _std_ellipse_final(float8[]) IS 'Final function of std_ellipse: rotation, axes and outline from the moments';

-- state: rows, sum w, mean x, mean y, Sxx, Syy, Sxy, SRID (-1 unset), skipped rows, scale (0 unset)
CREATE AGGREGATE mean_center(geom geometry, weight float8) (
  SFUNC = _mean_center_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,-1,0,0}',
  COMBINEFUNC = _geo_moments_combine, FINALFUNC = _mean_center_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE mean_center(geometry, float8) IS
$$Weighted mean centre (centre of gravity, paper 004) of the centroids of geom: (sum w x / sum w, sum w y / sum w) as a point with the input SRID, in SRID units. Rows with NULL or empty geometry or NULL or zero weight are skipped; negative weights and mixed SRIDs are errors; no usable rows give NULL.
Example: SELECT year, ST_AsText(mean_center(geom, ce)) FROM county_year GROUP BY year;$$;

CREATE AGGREGATE std_ellipse(geom geometry, weight float8) (
  SFUNC = _std_ellipse_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,-1,0,0}',
  COMBINEFUNC = _geo_moments_combine, FINALFUNC = _std_ellipse_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE std_ellipse(geometry, float8) IS
$$Weighted standard deviational ellipse of the centroids of geom (paper 004 eqs.2-4): tan(theta) = (A + sqrt(A^2 + 4B^2)) / 2B with A = sum w x'^2 - sum w y'^2, B = sum w x'y' (x', y' from the weighted mean centre); sigma_x = sqrt(sum w (x' cos - y' sin)^2 / sum w), sigma_y = sqrt(sum w (x' sin + y' cos)^2 / sum w), in SRID units; rotation_deg = theta, the major (y) axis clockwise from north. Result (center, sigma_x, sigma_y, rotation_deg, ellipse); NULL for fewer than two points.
Example: SELECT (std_ellipse(geom, ce)).* FROM county_year WHERE year = 2020;$$;

CREATE AGGREGATE std_ellipse(geom geometry, weight float8, options text) (
  SFUNC = _std_ellipse_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,-1,0,0}',
  COMBINEFUNC = _geo_moments_combine, FINALFUNC = _std_ellipse_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE std_ellipse(geometry, float8, text) IS
$$Weighted standard deviational ellipse with options. convention=paper (default: paper 004 eqs.3-4, divisor sum w) or convention=arcgis (ArcGIS Directional Distribution, one standard deviation: both axes times sqrt(2)).
Example: SELECT (std_ellipse(geom, ce, 'convention=arcgis')).sigma_y FROM county_year WHERE year = 2020;$$;

CREATE FUNCTION center_shift(from_geom geometry, to_geom geometry) RETURNS center_shift_result
AS 'MODULE_PATHNAME', 'cb_center_shift' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION center_shift(geometry, geometry) IS
$$Shift of a centre between two years, from the centroid of from_geom to that of to_geom: distance (SRID units; metres on the WGS-84 ellipsoid for geographic SRIDs) and bearing_deg (clockwise from north, [0, 360); initial great-circle bearing for geographic SRIDs; NULL when the centres coincide). STABLE: reads spatial_ref_sys.
Example: SELECT (center_shift(a.c, b.c)).* FROM (SELECT mean_center(geom, ce) c FROM county_year WHERE year = 2000) a, (SELECT mean_center(geom, ce) c FROM county_year WHERE year = 2020) b;$$;
-- Carbon-neutral zoning (SPEC section 9; paper 003 Table 6), land-use dynamics, the scheduled
-- refresh of zoning tables and the QGIS layers built on them.

CREATE FUNCTION land_use_grade(land_class text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_land_use_grade' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION land_use_grade(text) IS
$$Grade of land-use degree (Zhuang & Liu 1997) used by the comprehensive land-use index: 1 unused, snow_ice; 2 forest, shrubland, grassland, water, wetland; 3 cropland; 4 construction. Land classes are case-insensitive; unknown ones are an error.
Example: SELECT land_use_grade('cropland');  -- 3$$;

CREATE FUNCTION _cli_step(float8[], text, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_cli_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _cli_step(float8[], text, float8) IS 'Transition function of cli: adds grade * area and area';
CREATE FUNCTION _cli_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_cli_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _cli_combine(float8[], float8[]) IS 'Combine function of cli: adds two partial sums';
CREATE FUNCTION _cli_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_cli_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _cli_final(float8[]) IS 'Final function of cli: 100 * sum grade * area / sum area';

-- state: sum grade * area, sum area, rows used, rows skipped
CREATE AGGREGATE cli(land_class text, area float8) (
  SFUNC = _cli_step, STYPE = float8[], INITCOND = '{0,0,0,0}',
  COMBINEFUNC = _cli_combine, FINALFUNC = _cli_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE cli(text, float8) IS
$$Comprehensive land-use index CLI = 100 * sum(grade * area share) (paper 003; grades as land_use_grade), dimensionless in [100, 400]; area in any unit (hm2, km2). Rows with NULL class or area are skipped; no area gives NULL.
Example: SELECT county_id, cli(land_class, area_hm2) FROM county_landuse WHERE year = 2020 GROUP BY county_id;$$;

CREATE FUNCTION trend_score(z float8, favourable text, threshold float8) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_trend_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION trend_score(float8, text, float8) IS
$$Score 1-5 of a carbon index from its Mann-Kendall trend Z (paper 003 Table 6) with the favourable direction (increase or decrease, or an indicator name: cs, ecc, esc, ec favour increase; nce, ce, cf, ed favour decrease): with Z taken positive in the favourable direction, Z > threshold scores 5, 0 < Z <= threshold 4, Z = 0 3, -threshold <= Z < 0 2, Z < -threshold 1.
Example: SELECT trend_score(-2.1, 'ce', 1.96);  -- 5$$;

CREATE FUNCTION trend_score(z float8, favourable text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_trend_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION trend_score(float8, text) IS
$$Score 1-5 of a carbon index from its trend Z with paper 003's threshold 1.66 (Table 6); favourable is increase, decrease or an indicator name (cs, nce, ce, ecc, esc, cf, ec, ed).
Example: SELECT trend_score(1.2, 'cs');  -- 4$$;

CREATE FUNCTION cep_score(cep_class text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_cep_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cep_score(text) IS
$$Score 1-5 of the carbon emission potential class (paper 003 Table 6): highly significant 5, moderately significant 4, stable 3, slightly insignificant 2, insignificant 1 (the classes of stirpat_project); Table 6's wording significant, slightly significant, slightly non-significant, non-significant is accepted too. Case-insensitive.
Example: SELECT cep_score('stable');  -- 3$$;

CREATE FUNCTION cli_score(cli float8, cli_min float8, cli_max float8) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_cli_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cli_score(float8, float8, float8) IS
$$Score 1-5 of CLI (paper 003 Table 6): min-max scaled s = (cli - cli_min) / (cli_max - cli_min) in five equal intervals closed below: s >= 0.8 scores 5, >= 0.6 4, >= 0.4 3, >= 0.2 2, otherwise 1. NULL when cli_min = cli_max.
Example: SELECT id, cli_score(cli, min(cli) OVER (), max(cli) OVER ()) FROM county;$$;

CREATE FUNCTION zone_name(zone_class integer) RETURNS text
AS 'MODULE_PATHNAME', 'cb_zone_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION zone_name(integer) IS
$$Name of a carbon-neutral zone of paper 003 from its natural-breaks class of the total score (5 = highest): 5 carbon sink functional, 4 low-carbon development, 3 net-carbon stabilisation, 2 high-carbon control, 1 carbon source optimisation.
Example: SELECT id, zone_name(natural_breaks(total, 5) OVER ()) FROM county_scores;$$;

CREATE FUNCTION dynamic_degree(area_start float8, area_end float8, years float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_dynamic_degree' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dynamic_degree(float8, float8, float8) IS
$$Single land-use dynamic degree K = (Ub - Ua) / Ua / T * 100 (paper 003 Fig. 3), percent per year, from the area at the start (Ua), at the end (Ub) and the years between (T); also the annual change rate of CLI between years. NULL when Ua = 0.
Example: SELECT dynamic_degree(1200, 1500, 20);  -- 1.25$$;

CREATE PROCEDURE refresh_zoning(source regclass, target text DEFAULT 'zoning')
LANGUAGE plpgsql AS $proc$
DECLARE
  parts   text[] := parse_ident(target);
  tschema text;
  tname   text;
  qtarget text;
  gis     text;  -- schema of PostGIS
  srid    integer;
  nrows   bigint;
BEGIN
  IF array_length(parts, 1) = 2 THEN
    tschema := parts[1]; tname := parts[2];
  ELSIF array_length(parts, 1) = 1 THEN
    tschema := current_schema(); tname := parts[1];
  ELSE
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('refresh_zoning: target must be table or schema.table, not %s', target);
  END IF;
  qtarget := format('%I.%I', tschema, tname);
  -- one refresh of a target at a time: a second run waits here and then rebuilds from the same input
  PERFORM pg_advisory_xact_lock(hashtext('carbonbudget.refresh_zoning'), hashtext(qtarget));
  SELECT n.nspname INTO gis FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis';

  -- 1. build the new rows in a staging table, without locking the target
  IF to_regclass('pg_temp._cb_zoning_stage') IS NOT NULL THEN
    DROP TABLE pg_temp._cb_zoning_stage;
  END IF;
  EXECUTE format($q$
    CREATE TEMP TABLE _cb_zoning_stage ON COMMIT DROP AS
    SELECT t.*, @extschema@.natural_breaks(t.total::float8, 5) OVER () AS zone_class
    FROM (
      SELECT s.*, s.score_cs + s.score_nce + s.score_ce + s.score_ecc + s.score_esc + s.score_cf
                  + s.score_ec + s.score_ed + s.score_cep + s.score_cli AS total
      FROM (
        SELECT src.id::bigint AS id, %2$I.ST_Multi(src.geom) AS geom, src.value::float8 AS value,
               src.cli::float8 AS cli,
               @extschema@.trend_score(src.z_cs, 'cs') AS score_cs,
               @extschema@.trend_score(src.z_nce, 'nce') AS score_nce,
               @extschema@.trend_score(src.z_ce, 'ce') AS score_ce,
               @extschema@.trend_score(src.z_ecc, 'ecc') AS score_ecc,
               @extschema@.trend_score(src.z_esc, 'esc') AS score_esc,
               @extschema@.trend_score(src.z_cf, 'cf') AS score_cf,
               @extschema@.trend_score(src.z_ec, 'ec') AS score_ec,
               @extschema@.trend_score(src.z_ed, 'ed') AS score_ed,
               @extschema@.cep_score(src.cep_class) AS score_cep,
               @extschema@.cli_score(src.cli, min(src.cli) OVER (), max(src.cli) OVER ()) AS score_cli
        FROM %1$s src) s) t$q$, source, gis);
  EXECUTE format('SELECT count(*), max(%I.ST_SRID(geom)) FROM pg_temp._cb_zoning_stage', gis) INTO nrows, srid;
  IF nrows = 0 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('refresh_zoning: source %s has no rows', source);
  END IF;

  -- 2. the target, created once: typed geometry with SRID and a stable integer key for GIS clients
  IF to_regclass(qtarget) IS NULL THEN
    EXECUTE format($q$CREATE TABLE %1$s (
      id bigint PRIMARY KEY, geom %2$I.geometry(MultiPolygon, %3$s) NOT NULL, value float8, cli float8,
      score_cs int, score_nce int, score_ce int, score_ecc int, score_esc int, score_cf int,
      score_ec int, score_ed int, score_cep int, score_cli int, total int, zone_class int, zone text,
      refreshed_at timestamptz NOT NULL)$q$, qtarget, gis, srid);
  END IF;

  -- 3. swap the rows in this transaction: writers are excluded, readers see the old rows until commit
  EXECUTE format('LOCK TABLE %s IN EXCLUSIVE MODE', qtarget);
  EXECUTE format('DELETE FROM %s', qtarget);
  EXECUTE format($q$INSERT INTO %s SELECT id, geom, value, cli, score_cs, score_nce, score_ce, score_ecc,
      score_esc, score_cf, score_ec, score_ed, score_cep, score_cli, total, zone_class,
      @extschema@.zone_name(zone_class), now() FROM pg_temp._cb_zoning_stage$q$, qtarget);
  DROP TABLE pg_temp._cb_zoning_stage;

  -- 4. QGIS layers over the target, made once (they read the table, so they follow every refresh)
  IF to_regclass(format('%I.%I', tschema, tname || '_layer')) IS NULL THEN
    EXECUTE format($q$CREATE VIEW %I.%I AS
      SELECT id, zone_class, zone, total, value, cli, geom FROM %s$q$, tschema, tname || '_layer', qtarget);
  END IF;
  IF to_regclass(format('%I.%I', tschema, tname || '_clusters')) IS NULL THEN
    EXECUTE format($q$CREATE VIEW %I.%I AS
      SELECT id, value, zone, (lm).cluster AS lisa_cluster, (lm).quadrant AS lisa_quadrant,
             (lm).ii AS lisa_ii, (lm).p_sim AS lisa_p, (gi).z AS gi_z, (gi).bin AS gi_bin, geom
      FROM (SELECT id, value, zone, geom,
                   @extschema@.local_moran(value, geom, 'weights=queen seed=12345') OVER () AS lm,
                   @extschema@.getis_ord_gi(value, geom, 'weights=queen') OVER () AS gi
            FROM %s) s$q$, tschema, tname || '_clusters', qtarget);
  END IF;
END
$proc$;
COMMENT ON PROCEDURE refresh_zoning(regclass, text) IS
$$Rebuilds the carbon-neutral zoning table target (default zoning, in the current schema; schema.table accepted) from source, for scheduled jobs (pg_cron). source must have columns id (integer key), geom (polygons), value (the mapped carbon quantity, e.g. net emission), z_cs, z_nce, z_ce, z_ecc, z_esc, z_cf, z_ec, z_ed (Mann-Kendall Z of each index), cep_class (stirpat_project class) and cli. Scores per paper 003 Table 6 (trend_score, cep_score, cli_score), total, zone_class by natural_breaks(total, 5) and zone (zone_name). Atomic and idempotent: new rows are built in a staging table, then swapped in one transaction under an exclusive lock (readers see the old rows until commit); an advisory lock serialises concurrent runs. Creates once the QGIS views target_layer (zones) and target_clusters (LISA clusters and Getis-Ord Gi* bins of value), both with the typed geometry column and the integer key id.
Example: SELECT cron.schedule('zoning', '0 3 * * *', $job$CALL carbonbudget.refresh_zoning('public.county_indicators', 'public.zoning')$job$);$$;
