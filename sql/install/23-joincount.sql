-- Join counts of binary maps, global and local (SPEC section 4; Cliff & Ord 1981, Anselin & Li 2019).

CREATE TYPE join_counts_result AS (
  bb            float8,  -- joins between two true (black) units
  bw            float8,  -- joins between a true and a false unit
  ww            float8,  -- joins between two false (white) units
  joins         float8,  -- all joins, S0 / 2
  expected_bb   float8,  -- moments under non-free sampling (spdep joincount.multi)
  variance_bb   float8,
  z_bb          float8,
  p_bb          float8,
  expected_bw   float8,
  variance_bw   float8,
  z_bw          float8,
  p_bw          float8,
  expected_ww   float8,
  variance_ww   float8,
  z_ww          float8,
  p_ww          float8,
  p_sim_bb      float8,  -- pseudo p-values (M+1)/(R+1) of the permutations
  p_sim_bw      float8,
  p_sim_ww      float8,
  permutations  integer,
  n             integer, -- units used
  n_true        integer, -- units where binary is true
  islands       integer  -- units without neighbours
);
COMMENT ON TYPE join_counts_result IS 'Join counts BB, BW and WW of a binary map with their moments under non-free sampling (spdep joincount.multi) and permutation pseudo p-values (esda Join_Counts)';

CREATE TYPE local_join_count_result AS (
  bb       float8,  -- BB_i = x_i sum_j w_ij x_j: true neighbours of a true unit
  expected float8,  -- E(BB_i) under conditional permutation
  p_sim    float8,  -- conditional permutation pseudo p-value; NULL where BB_i = 0
  cluster  text     -- BB where p_sim <= alpha, else not significant
);
COMMENT ON TYPE local_join_count_result IS 'Local join count per unit (Anselin & Li 2019; esda Join_Counts_Local): BB_i, its expectation and pseudo p-value';

-- join_counts: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _join_counts_step(internal, boolean, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, geometry, text) IS 'Transition function of join_counts (geometry form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, geometry) IS 'Transition function of join_counts (geometry form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], text) IS 'Transition function of join_counts (neighbour-list form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, bigint, bigint[]) IS 'Transition function of join_counts (neighbour-list form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], float8[], text) IS 'Transition function of join_counts (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _join_counts_final_geom(internal) RETURNS join_counts_result
AS 'MODULE_PATHNAME', 'cb_join_counts_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _join_counts_final_geom(internal) IS 'Final function of join_counts (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _join_counts_final(internal) RETURNS join_counts_result
AS 'MODULE_PATHNAME', 'cb_join_counts_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _join_counts_final(internal) IS 'Final function of join_counts (neighbour-list forms)';

CREATE AGGREGATE join_counts(binary boolean, geom geometry, options text) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, geometry, text) IS
$$Join counts BB, BW and WW of a binary map (Cliff & Ord 1981; spdep joincount.multi, esda Join_Counts) with weights from geom, binary unless style=W.
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (join_counts(surplus, geom)).* FROM county;$$;
CREATE AGGREGATE join_counts(binary boolean, geom geometry) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, geometry) IS
$$Join counts of a binary map with binary queen contiguity weights from geom, 999 permutations (seed 12345).$$;
CREATE AGGREGATE join_counts(binary boolean, id bigint, neighbors bigint[], options text) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, bigint, bigint[], text) IS
$$Join counts with weights from explicit neighbour lists (id, neighbors); options style=B|W, missing=error|drop, permutations, seed, alternative.$$;
CREATE AGGREGATE join_counts(binary boolean, id bigint, neighbors bigint[]) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, bigint, bigint[]) IS
$$Join counts with binary weights from explicit neighbour lists, 999 permutations (seed 12345).$$;
CREATE AGGREGATE join_counts(binary boolean, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, bigint, bigint[], float8[], text) IS
$$Join counts with explicit neighbour lists and their weights (weights[k] belongs to neighbors[k]), kept as given unless style=W.$$;

-- local_join_count: window function

CREATE FUNCTION local_join_count(binary boolean, geom geometry, options text DEFAULT '')
RETURNS local_join_count_result
AS 'MODULE_PATHNAME', 'cb_local_join_count_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_join_count(boolean, geometry, text) IS
$$Local join count BB_i (Anselin & Li 2019; esda Join_Counts_Local, spdep local_joincount_uni) per row over the window partition, with binary weights from geom.
Options: weights options (see spatial_weights); permutations=999, seed=12345 (conditional permutation); alpha=0.05, fdr=false.
Example: SELECT id, (local_join_count(surplus, geom) OVER ()).* FROM county;$$;

CREATE FUNCTION local_join_count(binary boolean, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_join_count_result
AS 'MODULE_PATHNAME', 'cb_local_join_count_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_join_count(boolean, bigint, bigint[], text) IS
$$Local join count BB_i per row with binary weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_join_count(binary boolean, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_join_count_result
AS 'MODULE_PATHNAME', 'cb_local_join_count_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_join_count(boolean, bigint, bigint[], float8[], text) IS
$$Local join count BB_i per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;
