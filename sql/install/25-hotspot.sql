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
