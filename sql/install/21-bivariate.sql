-- Bivariate Moran, Moran's I of rates and differential Moran (SPEC section 4; GeoDa, esda).

CREATE TYPE morans_i_bv_result AS (
  i            float8,  -- bivariate Moran's I: sum_i x_i (W y)_i / sqrt(Sx Sy) on centred x and y
  expected     float8,  -- E(I) when y is permuted over the units: 0
  variance     float8,  -- Var(I) when y is permuted over the units
  z            float8,
  p            float8,
  p_sim        float8,  -- pseudo p-value (M+1)/(R+1) of the permutations of y
  permutations integer,
  n            integer, -- units used (rows with non-NULL x, y and geometry or id)
  islands      integer  -- units without neighbours
);
COMMENT ON TYPE morans_i_bv_result IS 'Bivariate Moran''s I of x against the spatial lag of y (esda Moran_BV, spdep moran_bv) with its moments under permutation of y and a permutation pseudo p-value';

-- morans_i_bv: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, geometry, text) IS 'Transition function of morans_i_bv (geometry form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, geometry) IS 'Transition function of morans_i_bv (geometry form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], text) IS 'Transition function of morans_i_bv (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[]) IS 'Transition function of morans_i_bv (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], float8[], text) IS 'Transition function of morans_i_bv (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_bv_final_geom(internal) RETURNS morans_i_bv_result
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_bv_final_geom(internal) IS 'Final function of morans_i_bv (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _morans_i_bv_final(internal) RETURNS morans_i_bv_result
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_bv_final(internal) IS 'Final function of morans_i_bv (neighbour-list forms)';

CREATE AGGREGATE morans_i_bv(x float8, y float8, geom geometry, options text) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, geometry, text) IS
$$Bivariate Moran's I: x at each unit against the spatial lag of y (GeoDa, esda Moran_BV), with weights from geom; "is high x surrounded by high y?".
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (morans_i_bv(crime, inc, geom, 'weights=queen')).* FROM columbus;$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, geom geometry) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, geometry) IS
$$Bivariate Moran's I of x against the spatial lag of y with queen contiguity weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, bigint, bigint[], text) IS
$$Bivariate Moran's I with weights from explicit neighbour lists (id, neighbors); options style=W|B, missing=error|drop, permutations, seed, alternative.$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, id bigint, neighbors bigint[]) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, bigint, bigint[]) IS
$$Bivariate Moran's I with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, bigint, bigint[], float8[], text) IS
$$Bivariate Moran's I with explicit neighbour lists and their weights (weights[k] belongs to neighbors[k]); style=B keeps them as given.$$;

-- local_moran_bv: window function

CREATE FUNCTION local_moran_bv(x float8, y float8, geom geometry, options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_bv_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_bv(float8, float8, geometry, text) IS
$$Local bivariate Moran I_i = (n - 1) x_i (W y)_i / sqrt(Sx Sy) per row (GeoDa's bivariate LISA, esda Moran_Local_BV), with weights from geom.
Expected and variance: x_i held, its neighbours' y drawn from the other units; quadrant from x_i and the lag of y; cluster as local_moran.
Options: weights options (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less; alpha=0.05, fdr=false.
Example: SELECT id, (local_moran_bv(crime, inc, geom) OVER ()).cluster FROM columbus;$$;

CREATE FUNCTION local_moran_bv(x float8, y float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_bv_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_bv(float8, float8, bigint, bigint[], text) IS
$$Local bivariate Moran I_i per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_moran_bv(x float8, y float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_bv_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_bv(float8, float8, bigint, bigint[], float8[], text) IS
$$Local bivariate Moran I_i per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;

-- morans_i_rate: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, geometry, text) IS 'Transition function of morans_i_rate (geometry form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, geometry) IS 'Transition function of morans_i_rate (geometry form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], text) IS 'Transition function of morans_i_rate (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[]) IS 'Transition function of morans_i_rate (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], float8[], text) IS 'Transition function of morans_i_rate (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_rate_final_geom(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_rate_final_geom(internal) IS 'Final function of morans_i_rate (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _morans_i_rate_final(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_rate_final(internal) IS 'Final function of morans_i_rate (neighbour-list forms)';

CREATE AGGREGATE morans_i_rate(events float8, population float8, geom geometry, options text) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, geometry, text) IS
$$Moran's I of the rate events / population after the empirical Bayes standardisation of Assuncao & Reis (1999), as esda Moran_Rate and GeoDa, with weights from geom.
events must not be negative, population must be positive. Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (morans_i_rate(sid79, bir79, geom)).* FROM nc;$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, geom geometry) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, geometry) IS
$$Moran's I of empirical Bayes standardised rates events / population with queen weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, bigint, bigint[], text) IS
$$Moran's I of empirical Bayes standardised rates with weights from explicit neighbour lists (id, neighbors); options style, missing, permutations, seed, alternative.$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, id bigint, neighbors bigint[]) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, bigint, bigint[]) IS
$$Moran's I of empirical Bayes standardised rates with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, bigint, bigint[], float8[], text) IS
$$Moran's I of empirical Bayes standardised rates with explicit neighbour lists and their weights.$$;

-- local_moran_rate: window function

CREATE FUNCTION local_moran_rate(events float8, population float8, geom geometry, options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_rate_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_rate(float8, float8, geometry, text) IS
$$Local Moran I_i of empirical Bayes standardised rates events / population (Assuncao & Reis 1999; esda Moran_Local_Rate) per row, with weights from geom.
Options as local_moran. Example: SELECT id, (local_moran_rate(sid79, bir79, geom) OVER ()).cluster FROM nc;$$;

CREATE FUNCTION local_moran_rate(events float8, population float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_rate_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_rate(float8, float8, bigint, bigint[], text) IS
$$Local Moran I_i of empirical Bayes standardised rates per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_moran_rate(events float8, population float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_rate_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_rate(float8, float8, bigint, bigint[], float8[], text) IS
$$Local Moran I_i of empirical Bayes standardised rates per row with explicit neighbour lists and weights.$$;

-- differential_moran: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _differential_moran_step(internal, float8, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, geometry, text) IS 'Transition function of differential_moran (geometry form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, geometry) IS 'Transition function of differential_moran (geometry form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], text) IS 'Transition function of differential_moran (neighbour-list form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[]) IS 'Transition function of differential_moran (neighbour-list form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], float8[], text) IS 'Transition function of differential_moran (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _differential_moran_final_geom(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_differential_moran_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _differential_moran_final_geom(internal) IS 'Final function of differential_moran (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _differential_moran_final(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_differential_moran_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _differential_moran_final(internal) IS 'Final function of differential_moran (neighbour-list forms)';

CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, geom geometry, options text) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, geometry, text) IS
$$Differential Moran's I (GeoDa): Moran's I of the change value_t1 - value_t0 between two years, with weights from geom ("did emission growth cluster?").
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (differential_moran(ce_2010, ce_2020, geom)).* FROM county;$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, geom geometry) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, geometry) IS
$$Differential Moran's I of value_t1 - value_t0 with queen weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, bigint, bigint[], text) IS
$$Differential Moran's I with weights from explicit neighbour lists (id, neighbors); options style, missing, permutations, seed, alternative.$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[]) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, bigint, bigint[]) IS
$$Differential Moran's I with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, bigint, bigint[], float8[], text) IS
$$Differential Moran's I with explicit neighbour lists and their weights.$$;

-- local_differential_moran: window function

CREATE FUNCTION local_differential_moran(value_t0 float8, value_t1 float8, geom geometry, options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_differential_moran_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_differential_moran(float8, float8, geometry, text) IS
$$Local Moran I_i of the change value_t1 - value_t0 per row (GeoDa's differential LISA), with weights from geom; quadrant HH: a unit that grew more than the mean among neighbours that did.
Options as local_moran. Example: SELECT id, (local_differential_moran(ce_2010, ce_2020, geom) OVER ()).cluster FROM county;$$;

CREATE FUNCTION local_differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_differential_moran_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_differential_moran(float8, float8, bigint, bigint[], text) IS
$$Local Moran I_i of the change value_t1 - value_t0 per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_differential_moran_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_differential_moran(float8, float8, bigint, bigint[], float8[], text) IS
$$Local Moran I_i of the change value_t1 - value_t0 per row with explicit neighbour lists and weights.$$;
