-- Decomposition and decoupling of emissions (SPEC section 14): LMDI-I decomposition of an identity
-- C = prod x_k (Ang 2005; paper 001 section 2.1.1) and Tapio's (2005) decoupling elasticity.

CREATE TYPE lmdi_result AS (
  base_t         float8,    -- base year (option base, default the first t)
  target_t       float8,    -- target year (option target, default the last t)
  c_base         float8,    -- emission in the base year
  c_target       float8,    -- emission in the target year
  delta          float8,    -- c_target - c_base
  effects        float8[],  -- additive LMDI-I effect of each factor, in the units of the emission
  d_total        float8,    -- c_target / c_base; NULL when either is 0
  d_factors      float8[],  -- multiplicative LMDI-I factor of each factor (their product is d_total); NULL elements when C is 0
  residual       float8,    -- delta - sum(effects): 0 up to rounding when C = prod x_k
  identity_error float8,    -- largest |C - prod x_k| / max(|C|, |prod x_k|) over the years used
  years          bigint     -- years used: 2, or every year from base to target with chain=true
);
COMMENT ON TYPE lmdi_result IS
'LMDI-I decomposition of the change of an emission C = prod x_k between two years: additive effects, multiplicative factors, residual and identity check';

CREATE FUNCTION _lmdi_step(internal, float8, float8, float8[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_step(internal, float8, float8, float8[]) IS 'Transition function of lmdi: collects (t, emission, factors)';
CREATE FUNCTION _lmdi_step(internal, float8, float8, float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_step(internal, float8, float8, float8[], text) IS 'Transition function of lmdi: collects (t, emission, factors)';
CREATE FUNCTION _lmdi_final(internal) RETURNS lmdi_result
AS 'MODULE_PATHNAME', 'cb_lmdi_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_final(internal) IS 'Final function of lmdi';
CREATE FUNCTION _lmdi_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_combine(internal, internal) IS 'Combine function of lmdi: concatenates the rows of two partial states';
CREATE FUNCTION _lmdi_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_lmdi_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_serialize(internal) IS 'Serialise function of lmdi';
CREATE FUNCTION _lmdi_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_deserialize(bytea, internal) IS 'Deserialise function of lmdi';

CREATE AGGREGATE lmdi(t float8, emission float8, factors float8[]) (
  SFUNC = _lmdi_step, STYPE = internal, FINALFUNC = _lmdi_final,
  COMBINEFUNC = _lmdi_combine, SERIALFUNC = _lmdi_serialize, DESERIALFUNC = _lmdi_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE lmdi(float8, float8, float8[]) IS
$$LMDI-I decomposition (Ang 2005) of the change of emission C = prod factors[k] (e.g. Kaya: population, GDP per person, energy per GDP, emission per energy)
from the first to the last t: additive effects L(C1, C0) ln(x1_k / x0_k) in the units of C, multiplicative factors x1_k / x0_k, the residual and the identity check
(an error when C differs from the product by more than 1e-6 relative). Zeros by the small-value limit, negative values that keep their sign as they come.
Example: SELECT (lmdi(year, ce, ARRAY[pop, gdp / pop, energy / gdp, ce / energy])).* FROM nation_year;$$;
CREATE AGGREGATE lmdi(t float8, emission float8, factors float8[], options text) (
  SFUNC = _lmdi_step, STYPE = internal, FINALFUNC = _lmdi_final,
  COMBINEFUNC = _lmdi_combine, SERIALFUNC = _lmdi_serialize, DESERIALFUNC = _lmdi_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE lmdi(float8, float8, float8[], text) IS
$$LMDI-I decomposition with options: base=<t> and target=<t> (default the first and the last t), chain=true (sum the effects of each pair of consecutive years
from base to target, multiply the factors), tolerance=1e-6 (largest relative difference of C from the product of the factors, at most 0.5).
Example: SELECT (lmdi(year, ce, ARRAY[pop, gdp / pop, ce / gdp], 'base=2005 target=2015 chain=true')).effects FROM nation_year;$$;

CREATE TYPE tapio_result AS (
  elasticity float8,  -- e = (dC / C0) / (dGDP / GDP0); NULL when GDP did not change
  state      text,    -- one of Tapio's eight states; NULL when GDP did not change
  c_change   float8,  -- dC / C0
  gdp_change float8   -- dGDP / GDP0
);
COMMENT ON TYPE tapio_result IS 'Tapio (2005) decoupling elasticity of emission from GDP and its state';

CREATE FUNCTION tapio(c0 float8, c1 float8, gdp0 float8, gdp1 float8) RETURNS tapio_result
AS 'MODULE_PATHNAME', 'cb_tapio_scalar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tapio(float8, float8, float8, float8) IS
$$Tapio (2005) decoupling from a base (c0, gdp0) to a later year (c1, gdp1): e = (dC/C0) / (dGDP/GDP0) and the state: GDP up: strong decoupling (C down),
weak decoupling (e < 0.8), expansive coupling (0.8 <= e <= 1.2), expansive negative decoupling (e > 1.2); GDP down: strong negative decoupling (C up),
weak negative decoupling (e < 0.8), recessive coupling (0.8 <= e <= 1.2), recessive decoupling (e > 1.2). c0 and gdp0 positive, c1 and gdp1 non-negative.
Example: SELECT (tapio(100, 104, 1000, 1100)).*;  -- e = 0.4, weak decoupling$$;

CREATE FUNCTION _tapio_step(float8[], float8, float8, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_tapio_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _tapio_step(float8[], float8, float8, float8) IS 'Transition function of tapio: keeps the first and the last year';
CREATE FUNCTION _tapio_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_tapio_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _tapio_combine(float8[], float8[]) IS 'Combine function of tapio: the earlier first year and the later last year';
CREATE FUNCTION _tapio_final(float8[]) RETURNS tapio_result
AS 'MODULE_PATHNAME', 'cb_tapio_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _tapio_final(float8[]) IS 'Final function of tapio';

-- state: rows used, rows skipped, then t, c, gdp of the first and of the last year
CREATE AGGREGATE tapio(t float8, c float8, gdp float8) (
  SFUNC = _tapio_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
  COMBINEFUNC = _tapio_combine, FINALFUNC = _tapio_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE tapio(float8, float8, float8) IS
$$Tapio decoupling of a unit's emission c from its gdp between its first and its last t (the rows between do not enter; the first and last t must not repeat).
NULL rows are skipped; no rows gives NULL, one year an error. Year on year: tapio(lag(c) OVER w, c, lag(gdp) OVER w, gdp).
Example: SELECT county, (tapio(year, ce, gdp)).* FROM county_year GROUP BY county;$$;
