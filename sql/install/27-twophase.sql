-- Two-phase spatial statistics for whole tables too large for one window, such as
-- distributed (Citus) tables (SPEC section 13).  Phase 1: spatial_state over the
-- whole set; phase 2: per-row functions of the state and the row's neighbour list.

CREATE FUNCTION _spatial_state_step(bytea, float8, bigint) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_spatial_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _spatial_state_step(bytea, float8, bigint) IS 'Transition function of spatial_state: logs (id, value)';
CREATE FUNCTION _spatial_state_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_spatial_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _spatial_state_combine(bytea, bytea) IS 'Combine function of spatial_state: concatenates two logs';
CREATE FUNCTION _spatial_state_final(bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_spatial_state_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _spatial_state_final(bytea) IS 'Final function of spatial_state: the sorted ids and scaled values, checked and checksummed';

CREATE AGGREGATE spatial_state(value float8, id bigint) (
  SFUNC = _spatial_state_step, STYPE = bytea,
  COMBINEFUNC = _spatial_state_combine,
  FINALFUNC = _spatial_state_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE spatial_state(float8, bigint) IS
$$Phase 1 of the two-phase spatial statistics: what every unit's statistic needs from the whole set (the ids and values; rows with a
NULL value are remembered so that links to them are dropped, as in the window forms), as bytea to pass to local_moran_at,
getis_ord_gi_at and morans_i_at. Combinable: on a distributed table the workers build partial states.
Example: SELECT local_moran_at(s, crime, id, neighbors) FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;

CREATE FUNCTION local_moran_at(state bytea, value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION local_moran_at(bytea, float8, bigint, bigint[], text) IS
$$Local Moran I_i of one row from the spatial_state of the whole set and the row's neighbour list: the result of
local_moran(value, id, neighbors, options) OVER () for that row, to the last bit, computed per row (pushed down to Citus workers,
parallel query). Options: style=W|B, missing=error|drop, permutations=999, seed=12345, alternative, variance=conditional|total,
alpha=0.05 (fdr needs every p-value and is refused).
Example: SELECT id, (local_moran_at(s, crime, id, neighbors)).cluster FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;
CREATE FUNCTION local_moran_at(state bytea, value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION local_moran_at(bytea, float8, bigint, bigint[], float8[], text) IS
$$Local Moran I_i of one row from the spatial_state and the row's neighbour list with weights (weights[k] belongs to neighbors[k]).$$;

CREATE FUNCTION getis_ord_gi_at(state bytea, value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS getis_ord_result
AS 'MODULE_PATHNAME', 'cb_getis_ord_gi_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION getis_ord_gi_at(bytea, float8, bigint, bigint[], text) IS
$$Getis-Ord Gi* (star=true) or Gi of one row from the spatial_state of the whole set and the row's neighbour list: the result of
getis_ord_gi(value, id, neighbors, options) OVER () for that row, computed per row. Options: style=W|B, missing=error|drop, star=true.
Example: SELECT id, (getis_ord_gi_at(s, crime, id, neighbors)).bin FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;
CREATE FUNCTION getis_ord_gi_at(state bytea, value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS getis_ord_result
AS 'MODULE_PATHNAME', 'cb_getis_ord_gi_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION getis_ord_gi_at(bytea, float8, bigint, bigint[], float8[], text) IS
$$Getis-Ord Gi* or Gi of one row from the spatial_state and the row's neighbour list with weights.$$;

CREATE FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[]) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[]) IS 'Transition function of morans_i_at: adds the row''s cross-product terms and links';
CREATE FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], text) IS 'Transition function of morans_i_at: adds the row''s cross-product terms and links';
CREATE FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], float8[], text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], float8[], text) IS 'Transition function of morans_i_at (weighted neighbour lists)';
CREATE FUNCTION _morans_i_at_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_combine(bytea, bytea) IS 'Combine function of morans_i_at: adds the exact sums, concatenates the links';
CREATE FUNCTION _morans_i_at_final(bytea) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_at_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_final(bytea) IS 'Final function of morans_i_at: I, its moments and the permutation pseudo p-value';

CREATE AGGREGATE morans_i_at(state bytea, value float8, id bigint, neighbors bigint[]) (
  SFUNC = _morans_i_at_step, STYPE = bytea, COMBINEFUNC = _morans_i_at_combine,
  FINALFUNC = _morans_i_at_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_at(bytea, float8, bigint, bigint[]) IS
$$Global Moran's I from the spatial_state and each row's neighbour list, row-standardised, 999 permutations (seed 12345): the result of
morans_i(value, id, neighbors) over the same rows, to the last bit. Combinable: on a distributed table each worker sums its own units'
terms of the observed and of every permutation.$$;
CREATE AGGREGATE morans_i_at(state bytea, value float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _morans_i_at_step, STYPE = bytea, COMBINEFUNC = _morans_i_at_combine,
  FINALFUNC = _morans_i_at_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_at(bytea, float8, bigint, bigint[], text) IS
$$Global Moran's I from the spatial_state and each row's neighbour list. Options: style=W|B, missing=error|drop, permutations=999,
seed=12345, alternative=two.sided|greater|less.
Example: SELECT (morans_i_at(s, crime, id, neighbors, 'permutations=99')).i FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;
CREATE AGGREGATE morans_i_at(state bytea, value float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _morans_i_at_step, STYPE = bytea, COMBINEFUNC = _morans_i_at_combine,
  FINALFUNC = _morans_i_at_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_at(bytea, float8, bigint, bigint[], float8[], text) IS
$$Global Moran's I from the spatial_state and each row's neighbour list with weights (weights[k] belongs to neighbors[k]).$$;
