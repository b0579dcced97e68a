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
