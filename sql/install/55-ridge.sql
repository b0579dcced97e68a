-- STIRPAT ridge regression and scenario projection (SPEC section 8, paper 003 eqs.12-13, Table 5).

CREATE TYPE stirpat_ridge_result AS (
  k         float8,    -- ridge constant K (correlation form, SPSS/NCSS convention)
  intercept float8,    -- a in ln CE = a + sum b_j ln X_j
  coef      float8[],  -- unstandardised b_j (elasticities), one per driver
  std_coef  float8[],  -- standardised b*_j = (R + kI)^-1 r
  r2        float8,    -- 1 - RSS/TSS on the log scale
  adj_r2    float8,    -- 1 - (1 - r2)(n - 1)/(n - p - 1)
  vif       float8[],  -- diag((R + kI)^-1 R (R + kI)^-1)
  n         bigint     -- rows used (rows with a NULL ce or drivers are skipped)
);
COMMENT ON TYPE stirpat_ridge_result IS
'STIRPAT ridge model ln CE = intercept + sum coef[j] ln drivers[j] (paper 003 eq.13) with standardised coefficients, R2 and VIFs';

CREATE FUNCTION _driver_moments_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_mom_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _driver_moments_combine(float8[], float8[]) IS
'Combine function of the regression aggregates: merges two moment states (counts, means, centred cross-products)';

CREATE FUNCTION _stirpat_ridge_step(float8[], float8, float8[], text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_step(float8[], float8, float8[], text) IS 'Transition function of stirpat_ridge';
CREATE FUNCTION _stirpat_ridge_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_step(float8[], float8, float8[]) IS 'Transition function of stirpat_ridge';
CREATE FUNCTION _stirpat_ridge_final(float8[]) RETURNS stirpat_ridge_result
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_final(float8[]) IS 'Final function of stirpat_ridge';

CREATE AGGREGATE stirpat_ridge(ce float8, drivers float8[], options text) (
  SFUNC = _stirpat_ridge_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge(float8, float8[], text) IS
$$STIRPAT ridge regression ln CE = a + sum b_j ln X_j (paper 003 eqs.12-13) over raw positive values (logs are taken inside).
Options: k=<number> (ridge constant K of the correlation form, e.g. k=0.02) or k=auto (default: smallest K on the grid 0, k_step, ... k_max with all VIF < 10; k_max=1, k_step=0.01).
Example: SELECT (stirpat_ridge(ce, ARRAY[p, w, is_share, ti, ur, cei], 'k=0.02')).* FROM county_year;$$;
CREATE AGGREGATE stirpat_ridge(ce float8, drivers float8[]) (
  SFUNC = _stirpat_ridge_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge(float8, float8[]) IS
$$STIRPAT ridge regression with k=auto (smallest K on 0, 0.01, ..., 1 with all VIF < 10).
Example: SELECT (stirpat_ridge(ce, ARRAY[p, w, is_share, ti, ur, cei])).* FROM county_year;$$;

CREATE FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[], text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_trace_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[], text) IS 'Transition function of stirpat_ridge_trace';
CREATE FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_trace_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_trace_step(float8[], float8, float8[]) IS 'Transition function of stirpat_ridge_trace';
CREATE FUNCTION _stirpat_ridge_trace_final(float8[]) RETURNS stirpat_ridge_result[]
AS 'MODULE_PATHNAME', 'cb_stirpat_ridge_trace_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _stirpat_ridge_trace_final(float8[]) IS 'Final function of stirpat_ridge_trace';

CREATE AGGREGATE stirpat_ridge_trace(ce float8, drivers float8[], options text) (
  SFUNC = _stirpat_ridge_trace_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_trace_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge_trace(float8, float8[], text) IS
$$Ridge trace: one stirpat_ridge_result per K on the grid 0, k_step, ..., k_max (options k_max=1 k_step=0.05), for choosing K (paper 003 Fig. 7a).
Example: SELECT t.k, t.std_coef, t.vif FROM (SELECT stirpat_ridge_trace(ce, ARRAY[p, w], 'k_max=0.1 k_step=0.01') tr FROM county_year) s, unnest(s.tr) t;$$;
CREATE AGGREGATE stirpat_ridge_trace(ce float8, drivers float8[]) (
  SFUNC = _stirpat_ridge_trace_step, STYPE = float8[], INITCOND = '{}',
  COMBINEFUNC = _driver_moments_combine, FINALFUNC = _stirpat_ridge_trace_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE stirpat_ridge_trace(float8, float8[]) IS
$$Ridge trace on K = 0, 0.05, ..., 1.
Example: SELECT unnest(stirpat_ridge_trace(ce, ARRAY[p, w])) FROM county_year;$$;

CREATE TYPE stirpat_projection AS (
  years          integer[],  -- base year, then every step years to the last period's end
  ce             float8[],   -- projected CE in the units of the model's CE, one per year in years
  peak_year      integer,    -- year of the largest projected CE (yearly series)
  peak_ce        float8,     -- that CE
  peaked_by_2030 boolean,    -- peak_year <= peak_by (2030 unless the scenario says otherwise)
  cep_class      text        -- carbon emission potential class, see stirpat_project
);
COMMENT ON TYPE stirpat_projection IS 'Scenario projection of a STIRPAT model: CE by year, peak year and carbon emission potential class';

CREATE FUNCTION stirpat_project(model stirpat_ridge_result, base float8[], scenario jsonb)
RETURNS stirpat_projection
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  p          int := cardinality(model.coef);
  x          float8[] := base;
  base_year  int;
  step       int;
  peak_by    int;
  periods    jsonb := scenario->'periods';
  classes    float8[];
  last_year  int;
  period     jsonb;
  g          float8;
  cap        float8;
  ce_now     float8;
  ce_start   float8;
  ce_base    float8;
  log_base   float8 := 0;
  out_years  int[] := '{}';
  out_ce     float8[] := '{}';
  peak_year  int;
  peak_ce    float8;
  ratio      float8;
  cls        text;
  pi         int;
BEGIN
  -- a model SQL can hand in (fields may be NULL) and a scenario with JSON nulls: clear errors, never NULL maths
  IF coalesce(p, 0) = 0 OR (model.intercept > '-Infinity'::float8 AND model.intercept < 'Infinity'::float8) IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: model must have a finite intercept and at least one coefficient',
      HINT = 'Pass a result of stirpat_ridge.';
  END IF;
  FOR j IN 1..p LOOP
    IF (model.coef[j] > '-Infinity'::float8 AND model.coef[j] < 'Infinity'::float8) IS NOT TRUE THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: model coef[%s] must be a finite number', j),
        HINT = 'Pass a result of stirpat_ridge.';
    END IF;
  END LOOP;
  IF cardinality(base) IS DISTINCT FROM p THEN
    RAISE EXCEPTION USING ERRCODE = '2202E', MESSAGE = format('stirpat_project: base must have %s elements, one per driver of the model', p);
  END IF;
  FOR j IN 1..p LOOP
    IF (base[j] > 0 AND base[j] < 'Infinity'::float8) IS NOT TRUE THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: base[%s] must be a positive finite number', j);
    END IF;
  END LOOP;
  IF jsonb_typeof(periods) IS DISTINCT FROM 'array' OR jsonb_array_length(periods) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario must have a non-empty "periods" array',
      HINT = 'Example: {"base_year": 2020, "periods": [{"to": 2030, "growth": [0.01, 0.06]}, {"to": 2060, "growth": [0.005, 0.04], "cap": [null, 9e4]}]}';
  END IF;
  base_year := coalesce((scenario->>'base_year')::int, 2020);
  step := coalesce((scenario->>'step')::int, 5);
  peak_by := coalesce((scenario->>'peak_by')::int, 2030);
  IF scenario ? 'classes' AND jsonb_typeof(scenario->'classes') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario "step" must be >= 1 and "classes" must have 4 ratios';
  END IF;
  classes := CASE WHEN scenario ? 'classes'
                  THEN ARRAY(SELECT jsonb_array_elements_text(scenario->'classes')::float8)
                  ELSE '{0.8,0.95,1.05,1.2}' END;
  IF step < 1 OR cardinality(classes) <> 4 OR array_position(classes, NULL) IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario "step" must be >= 1 and "classes" must have 4 ratios';
  END IF;
  last_year := base_year;
  FOR pi IN 0..jsonb_array_length(periods) - 1 LOOP
    period := periods->pi;
    IF (period->>'to') IS NULL OR NOT (period->>'to')::int > last_year THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: periods[%s]."to" must be after %s', pi + 1, last_year);
    END IF;
    IF jsonb_typeof(period->'growth') IS DISTINCT FROM 'array' OR jsonb_array_length(period->'growth') <> p
       OR (period ? 'cap' AND (jsonb_typeof(period->'cap') IS DISTINCT FROM 'array' OR jsonb_array_length(period->'cap') <> p)) THEN
      RAISE EXCEPTION USING ERRCODE = '2202E', MESSAGE = format('stirpat_project: periods[%s] needs "growth" (and optional "cap") arrays of %s elements', pi + 1, p);
    END IF;
    last_year := (period->>'to')::int;
  END LOOP;

  FOR j IN 1..p LOOP
    log_base := log_base + model.coef[j] * ln(base[j]);
  END LOOP;
  ce_start := exp(model.intercept + log_base);
  -- optional observed base-year CE: the model then gives only the relative change
  ce_base := coalesce((scenario->>'ce_base')::float8, ce_start);
  IF (ce_base > 0 AND ce_base < 'Infinity'::float8) IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: the base-year CE ("ce_base", or the model''s at base) must be a positive finite number';
  END IF;
  ce_now := ce_base;
  out_years := ARRAY[base_year]; out_ce := ARRAY[ce_now];
  peak_year := base_year; peak_ce := ce_now;
  pi := 0;
  FOR yr IN base_year + 1 .. last_year LOOP
    WHILE yr > (periods->pi->>'to')::int LOOP pi := pi + 1; END LOOP;
    period := periods->pi;
    FOR j IN 1..p LOOP
      g := coalesce((period->'growth'->>(j - 1))::float8, 0);
      IF g <= -1 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: periods[%s].growth[%s] must be greater than -1', pi + 1, j);
      END IF;
      x[j] := x[j] * (1 + g);
      cap := (period->'cap'->>(j - 1))::float8;
      IF cap IS NOT NULL AND x[j] > cap THEN x[j] := cap; END IF;
    END LOOP;
    ce_now := ce_base;
    FOR j IN 1..p LOOP
      ce_now := ce_now * exp(model.coef[j] * (ln(x[j]) - ln(base[j])));
    END LOOP;
    IF ce_now > peak_ce THEN peak_ce := ce_now; peak_year := yr; END IF;
    IF (yr - base_year) % step = 0 OR yr = last_year THEN
      out_years := out_years || yr; out_ce := out_ce || ce_now;
    END IF;
  END LOOP;

  ratio := ce_now / ce_base;
  cls := CASE WHEN peak_year <= peak_by AND ratio <= classes[1] THEN 'highly significant'
              WHEN peak_year <= peak_by AND ratio <= classes[2] THEN 'moderately significant'
              WHEN ratio <= classes[3] THEN 'stable'
              WHEN ratio <= classes[4] THEN 'slightly insignificant'
              ELSE 'insignificant' END;
  RETURN ROW(out_years, out_ce, peak_year, peak_ce, peak_year <= peak_by, cls)::stirpat_projection;
END
$fn$;
COMMENT ON FUNCTION stirpat_project(stirpat_ridge_result, float8[], jsonb) IS
$$Projects CE of a STIRPAT model under a scenario (paper 003 Table 5): each driver grows yearly by its period's rate and is held at its cap (threshold) when given.
scenario jsonb: {"base_year": 2020, "step": 5, "peak_by": 2030, "ce_base": <observed base CE, optional>, "classes": [0.8, 0.95, 1.05, 1.2],
 "periods": [{"to": 2030, "growth": [annual rate per driver], "cap": [upper bound per driver or null]}, {"to": 2060, ...}]}.
cep_class from r = CE(last year)/CE(base year): highly significant (peaked by peak_by, r <= 0.8), moderately significant (peaked, r <= 0.95), stable (r <= 1.05), slightly insignificant (r <= 1.2), insignificant.
Example: SELECT (stirpat_project(m, ARRAY[5000, 40000], '{"periods": [{"to": 2030, "growth": [0.004, 0.06]}, {"to": 2060, "growth": [-0.005, 0.04]}]}')).* FROM model m;$$;

-- ---- several scenarios in one call, and the carbon emission potential across three (SPEC section 14) ----

CREATE FUNCTION stirpat_project_scenarios(model stirpat_ridge_result, base float8[], scenarios jsonb)
RETURNS TABLE (scenario text, years integer[], ce float8[], peak_year integer, peak_ce float8,
               peaked_by_2030 boolean, cep_class text)
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  s record;
  p stirpat_projection;
  msg text; state text; hint text;
BEGIN
  IF jsonb_typeof(scenarios) IS DISTINCT FROM 'object' OR scenarios = '{}'::jsonb THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project_scenarios: scenarios must be a non-empty JSON object of named scenarios',
      HINT = 'Example: {"low-carbon": {"periods": [...]}, "baseline": {"periods": [...]}, "high-carbon": {"periods": [...]}}, each as stirpat_project takes it.';
  END IF;
  -- the three scenarios of paper 003 first, in their order, then any others by name
  FOR s IN SELECT e.key, e.value FROM jsonb_each(scenarios) e
           ORDER BY array_position(ARRAY['low-carbon', 'baseline', 'high-carbon'], e.key) NULLS LAST, e.key LOOP
    BEGIN
      p := stirpat_project(model, base, s.value);
    EXCEPTION WHEN OTHERS THEN
      -- the error of one scenario, with its name
      GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE, hint = PG_EXCEPTION_HINT;
      RAISE EXCEPTION USING ERRCODE = state, MESSAGE = format('stirpat_project_scenarios: scenario "%s": %s', s.key, msg),
        HINT = coalesce(nullif(hint, ''), 'Each scenario is a scenario of stirpat_project.');
    END;
    scenario := s.key; years := p.years; ce := p.ce; peak_year := p.peak_year; peak_ce := p.peak_ce;
    peaked_by_2030 := p.peaked_by_2030; cep_class := p.cep_class;
    RETURN NEXT;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION stirpat_project_scenarios(stirpat_ridge_result, float8[], jsonb) IS
$$Projects CE of a STIRPAT model under several scenarios in one call (paper 003: low-carbon, baseline, high-carbon), one row per scenario:
scenarios is a JSON object {"<name>": <scenario of stirpat_project>, ...}; rows come in the order low-carbon, baseline, high-carbon, then other names alphabetically.
The fields are those of stirpat_project (cep_class is its single-scenario class; cep_assess gives the class across the three scenarios).
Example: SELECT scenario, peak_year FROM stirpat_project_scenarios(m, ARRAY[5000, 40000], '{"baseline": {...}, "low-carbon": {...}}');$$;

CREATE TYPE cep_result AS (
  peak_year_low      integer,  -- peak year of the low-carbon projection
  peak_year_baseline integer,  -- peak year of the baseline projection
  peak_year_high     integer,  -- peak year of the high-carbon projection
  peaked_low         boolean,  -- peak year <= peak_by (2030), low-carbon
  peaked_baseline    boolean,  -- the same, baseline
  peaked_high        boolean,  -- the same, high-carbon
  ce_low             float8,   -- projected CE in the neutrality year (2060), low-carbon
  ce_baseline        float8,   -- the same, baseline
  ce_high            float8,   -- the same, high-carbon
  cs                 float8,   -- CS in the neutrality year (held at the last observed value, or projected)
  neutral_low        boolean,  -- ce_low <= cs
  neutral_baseline   boolean,  -- ce_baseline <= cs
  neutral_high       boolean,  -- ce_high <= cs
  cep_class          text,     -- highly significant, moderately significant, stable, slightly insignificant, insignificant
  cep_score          integer   -- 5 .. 1 for paper 003 Table 6, as cep_score(cep_class)
);
COMMENT ON TYPE cep_result IS
'Carbon emission potential across the three scenarios of paper 003: peak years, peaking by 2030, neutrality by 2060, CEP class and its Table 6 score';

CREATE FUNCTION cep_assess(low_carbon stirpat_projection, baseline stirpat_projection, high_carbon stirpat_projection,
                           cs float8[], options text) RETURNS cep_result
AS 'MODULE_PATHNAME', 'cb_cep_assess' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cep_assess(stirpat_projection, stirpat_projection, stirpat_projection, float8[], text) IS
$$Carbon emission potential (CEP) of a unit across the low-carbon, baseline and high-carbon projections of paper 003 (Results, "Comprehensive predictions
for three scenarios"), first rule that holds: highly significant (peaked by 2030 under low-carbon and baseline, baseline CE <= CS in 2060); moderately significant
(peaked under all three, baseline CE of 2060 at least 5% below its peak); stable (peaked under low-carbon and baseline); slightly insignificant (baseline CE of
2060 at most 1.2 times its base-year CE); insignificant. cs: observed CS series (its last value is held) or, with cs=projected, one CS per projection year.
Options: cs=held|projected, peak_by=2030, neutral_by=2060, decline=0.05, increase=1.2 (NULL: the defaults; checked even when the data are NULL). A NULL projection or cs gives NULL. The three projections must have the same years.
Example: SELECT (cep_assess(stirpat_project(m, b, s->'low-carbon'), stirpat_project(m, b, s->'baseline'), stirpat_project(m, b, s->'high-carbon'), ARRAY[cs2020], 'cs=held')).*;$$;
CREATE FUNCTION cep_assess(low_carbon stirpat_projection, baseline stirpat_projection, high_carbon stirpat_projection,
                           cs float8[]) RETURNS cep_result
AS 'MODULE_PATHNAME', 'cb_cep_assess' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cep_assess(stirpat_projection, stirpat_projection, stirpat_projection, float8[]) IS
$$Carbon emission potential across three scenario projections with the default rule (peak by 2030, neutrality by 2060 against the last value of cs held).
Example: SELECT (cep_assess(low, baseline, high, ARRAY[95.2])).cep_class FROM county_projections;$$;
