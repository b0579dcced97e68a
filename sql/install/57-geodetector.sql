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
AS 'MODULE_PATHNAME', 'cb_geodetector_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _geodetector_final(float8[]) IS 'Final function of geodetector';
CREATE FUNCTION _geodetector_interaction_final(float8[]) RETURNS geodetector_interaction_result
AS 'MODULE_PATHNAME', 'cb_geodetector_interaction_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
