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
