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
