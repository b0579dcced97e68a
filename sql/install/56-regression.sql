-- Ordinary least squares, SPSS-style stepwise selection and the independent-samples t-test
-- (SPEC section 8; paper 003 Table 7, paper 002 stepwise regression, paper 003 model check).

CREATE TYPE ols_result AS (
  coef     float8[],  -- intercept first, then one per element of x
  se       float8[],  -- standard errors, same order
  t        float8[],  -- coef / se
  p        float8[],  -- two-sided p-values of t with df degrees of freedom
  std_coef float8[],  -- standardised coefficients (Beta), one per covariate
  vif      float8[],  -- variance inflation factors (1 / tolerance), one per covariate
  r2       float8,
  adj_r2   float8,
  f        float8,    -- overall F statistic (NULL without covariates)
  f_p      float8,    -- its p-value
  sigma    float8,    -- residual standard error sqrt(RSS / df)
  n        bigint,    -- rows used (rows with a NULL y or x are skipped)
  df       float8     -- residual degrees of freedom n - q - 1
);
COMMENT ON TYPE ols_result IS 'OLS fit with an intercept: coefficients, standard errors, t, p, Beta, VIF, R2, F (paper 003 Table 7)';

CREATE TYPE ols_stepwise_result AS (
  selected integer[], -- positions (1-based) in x of the covariates kept, in order of entry
  coef     float8[], se float8[], t float8[], p float8[], std_coef float8[], vif float8[],
  r2 float8, adj_r2 float8, f float8, f_p float8, sigma float8, n bigint, df float8
);
COMMENT ON TYPE ols_stepwise_result IS 'Covariates kept by SPSS-style stepwise selection and the OLS fit on them (fields as ols_result, in the order of selected)';

CREATE FUNCTION _ols_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ols_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_step(float8[], float8, float8[]) IS 'Transition function of ols_fit';
CREATE FUNCTION _ols_final(float8[]) RETURNS ols_result
AS 'MODULE_PATHNAME', 'cb_ols_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _ols_final(float8[]) IS 'Final function of ols_fit';
CREATE AGGREGATE ols_fit(y float8, x float8[]) (
  SFUNC = _ols_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _ols_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_fit(float8, float8[]) IS
$$Ordinary least squares of y on the covariates x with an intercept (paper 003 Table 7): coefficients, SE, t, p, Beta, VIF, R2, adjusted R2, F.
Collinear or constant covariates are errors naming them. Built from combinable moments (parallel safe).
Example: SELECT (ols_fit(ln(ce), ARRAY[ln(p), ln(w)])).* FROM county_year;$$;

CREATE FUNCTION _ols_stepwise_step(float8[], float8, float8[], text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ols_stepwise_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_stepwise_step(float8[], float8, float8[], text) IS 'Transition function of ols_stepwise';
CREATE FUNCTION _ols_stepwise_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ols_stepwise_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_stepwise_step(float8[], float8, float8[]) IS 'Transition function of ols_stepwise';
CREATE FUNCTION _ols_stepwise_final(float8[]) RETURNS ols_stepwise_result
AS 'MODULE_PATHNAME', 'cb_ols_stepwise_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _ols_stepwise_final(float8[]) IS 'Final function of ols_stepwise';
CREATE AGGREGATE ols_stepwise(y float8, x float8[], options text) (
  SFUNC = _ols_stepwise_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _ols_stepwise_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_stepwise(float8, float8[], text) IS
$$Stepwise OLS as SPSS (paper 002): enter the covariate with the smallest p below enter (default 0.05), then remove those with p above remove (default 0.10).
Options: enter=<p> remove=<p>.
Example: SELECT (ols_stepwise(y, ARRAY[x1, x2, x3], 'enter=0.05 remove=0.10')).* FROM t;$$;
CREATE AGGREGATE ols_stepwise(y float8, x float8[]) (
  SFUNC = _ols_stepwise_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _ols_stepwise_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_stepwise(float8, float8[]) IS
$$Stepwise OLS as SPSS with enter=0.05 remove=0.10.
Example: SELECT (ols_stepwise(y, ARRAY[x1, x2, x3])).selected FROM t;$$;

CREATE TYPE ttest_result AS (
  t_student  float8,  -- pooled-variance t of mean(true) - mean(false)
  df_student float8,  -- n_true + n_false - 2
  p_student  float8,  -- two-sided
  t_welch    float8,  -- unequal-variance t
  df_welch   float8,  -- Welch-Satterthwaite degrees of freedom
  p_welch    float8,  -- two-sided
  mean_true  float8,
  mean_false float8,
  n_true     bigint,
  n_false    bigint
);
COMMENT ON TYPE ttest_result IS 'Independent-samples t-test, Student (equal variances) and Welch, of the group where group is true against the group where it is false';

CREATE FUNCTION _ttest_step(float8[], float8, boolean) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ttest_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ttest_step(float8[], float8, boolean) IS 'Transition function of ttest_ind';
CREATE FUNCTION _ttest_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_ttest_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _ttest_combine(float8[], float8[]) IS 'Combine function of ttest_ind';
CREATE FUNCTION _ttest_final(float8[]) RETURNS ttest_result
AS 'MODULE_PATHNAME', 'cb_ttest_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _ttest_final(float8[]) IS 'Final function of ttest_ind';
CREATE AGGREGATE ttest_ind(value float8, "group" boolean) (
  SFUNC = _ttest_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
  COMBINEFUNC = _ttest_combine, FINALFUNC = _ttest_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ttest_ind(float8, boolean) IS
$$Independent-samples t-test (Student and Welch) of value between the rows where group is true and where it is false, e.g. predicted against actual CE (paper 003).
Example: SELECT (ttest_ind(ce, is_predicted)).* FROM (SELECT ce, false AS is_predicted FROM actual UNION ALL SELECT ce, true FROM predicted) s;$$;
