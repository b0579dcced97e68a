-- Geary's C, global and local (SPEC section 4; Geary 1954, Anselin 2019).

CREATE TYPE gearys_c_result AS (
  c             float8,  -- Geary's C
  expected      float8,  -- E(C) = 1
  variance_norm float8,  -- Var(C) under normality
  z_norm        float8,  -- (E(C) - C) / sd: positive for positive autocorrelation
  p_norm        float8,
  variance_rand float8,  -- Var(C) under randomisation
  z_rand        float8,
  p_rand        float8,
  p_sim         float8,  -- pseudo p-value (M+1)/(R+1) of the permutations
  permutations  integer,
  n             integer, -- units used (rows with non-NULL value and geometry or id)
  islands       integer  -- units without neighbours
);
COMMENT ON TYPE gearys_c_result IS 'Geary''s C with moments under normality and randomisation (Cliff & Ord; R spdep geary.test) and a permutation pseudo p-value';

CREATE TYPE local_geary_result AS (
  c        float8,  -- local Geary c_i = sum_j w_ij (z_i - z_j)^2, z standardised with the sample sd
  expected float8,  -- E(c_i) under conditional permutation
  p_sim    float8,  -- conditional permutation pseudo p-value, on the side of E(c_i) that c_i lies
  quadrant text,    -- HH, LL, LH or HL from the signs of z_i and its lag
  cluster  text     -- GeoDa: HH, LL, other positive, negative, or not significant
);
COMMENT ON TYPE local_geary_result IS 'Local Geary per unit: c_i, its expectation, the pseudo p-value, quadrant and GeoDa''s cluster category';

-- gearys_c: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _gearys_c_step(internal, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, geometry, text) IS 'Transition function of gearys_c (geometry form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, geometry) IS 'Transition function of gearys_c (geometry form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], text) IS 'Transition function of gearys_c (neighbour-list form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, bigint, bigint[]) IS 'Transition function of gearys_c (neighbour-list form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], float8[], text) IS 'Transition function of gearys_c (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _gearys_c_final_geom(internal) RETURNS gearys_c_result
AS 'MODULE_PATHNAME', 'cb_gearys_c_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _gearys_c_final_geom(internal) IS 'Final function of gearys_c (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _gearys_c_final(internal) RETURNS gearys_c_result
AS 'MODULE_PATHNAME', 'cb_gearys_c_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _gearys_c_final(internal) IS 'Final function of gearys_c (neighbour-list forms)';

CREATE AGGREGATE gearys_c(value float8, geom geometry, options text) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, geometry, text) IS
$$Geary's C of value (Geary 1954; spdep geary.test, esda Geary) with spatial weights from geom: C below 1 for positive, above 1 for negative autocorrelation.
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (gearys_c(crime, geom, 'weights=rook')).* FROM columbus;$$;
CREATE AGGREGATE gearys_c(value float8, geom geometry) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, geometry) IS
$$Geary's C of value with queen contiguity weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE gearys_c(value float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, bigint, bigint[], text) IS
$$Geary's C with weights from explicit neighbour lists (id, neighbors); options style=W|B, missing=error|drop, permutations, seed, alternative.$$;
CREATE AGGREGATE gearys_c(value float8, id bigint, neighbors bigint[]) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, bigint, bigint[]) IS
$$Geary's C with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE gearys_c(value float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, bigint, bigint[], float8[], text) IS
$$Geary's C with explicit neighbour lists and their weights (weights[k] belongs to neighbors[k]); style=B keeps them as given.$$;

-- local_geary: window function

CREATE FUNCTION local_geary(value float8, geom geometry, options text DEFAULT '')
RETURNS local_geary_result
AS 'MODULE_PATHNAME', 'cb_local_geary_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_geary(float8, geometry, text) IS
$$Local Geary c_i (Anselin 2019; esda Geary_Local, spdep localC, GeoDa) per row over the window partition, with weights from geom.
Options: weights options (see spatial_weights); permutations=999, seed=12345 (conditional permutation); alpha=0.05 and fdr=false for the cluster rule (p_sim <= alpha).
Example: SELECT id, (local_geary(crime, geom) OVER ()).cluster FROM columbus;$$;

CREATE FUNCTION local_geary(value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_geary_result
AS 'MODULE_PATHNAME', 'cb_local_geary_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_geary(float8, bigint, bigint[], text) IS
$$Local Geary c_i per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_geary(value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_geary_result
AS 'MODULE_PATHNAME', 'cb_local_geary_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_geary(float8, bigint, bigint[], float8[], text) IS
$$Local Geary c_i per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;
