-- Carbon emission potential across the three scenarios of paper 003 (SPEC section 14): each of the
-- five classes from hand-made projections where the rule can be followed by eye, the options,
-- stirpat_project_scenarios against stirpat_project one scenario at a time, and bad input.
SET extra_float_digits = 0;
SELECT plan(33);

-- a projection (years 2020..2060 by 10) from its CE path; peak from the path, as stirpat_project gives it
CREATE FUNCTION pg_temp.path(VARIADIC ce float8[]) RETURNS stirpat_projection LANGUAGE sql AS $$
  SELECT ROW(ARRAY[2020, 2030, 2040, 2050, 2060], ce,
             2020 + 10 * (array_position(ce, (SELECT max(c) FROM unnest(ce) c)) - 1),
             (SELECT max(c) FROM unnest(ce) c), NULL, NULL)::stirpat_projection
$$;
-- paths: falling from 2020 (peak 2020), peaking in 2030, flat after 2030 (a capped driver), peaking in 2040, rising
CREATE TEMP TABLE paths (name text PRIMARY KEY, p stirpat_projection);
INSERT INTO paths VALUES
  ('falls', pg_temp.path(100, 90, 80, 70, 60)), ('peaks2030', pg_temp.path(100, 110, 100, 90, 80)),
  ('flat', pg_temp.path(100, 110, 110, 110, 108)), ('peaks2040', pg_temp.path(100, 105, 110, 105, 100)),
  ('rises', pg_temp.path(100, 105, 110, 115, 118)), ('soars', pg_temp.path(100, 120, 140, 160, 180));
CREATE FUNCTION pg_temp.cep(low text, base text, high text, cs float8, options text DEFAULT '') RETURNS cep_result LANGUAGE sql AS $$
  SELECT cep_assess((SELECT p FROM paths WHERE name = low), (SELECT p FROM paths WHERE name = base),
                    (SELECT p FROM paths WHERE name = high), ARRAY[cs], options)
$$;

-- 1. peaked under low-carbon and baseline, baseline CE 80 <= CS 85 in 2060
SELECT is((pg_temp.cep('falls', 'peaks2030', 'rises', 85)).cep_class, 'highly significant', 'peaked and neutral: highly significant');
-- 2. peaked under all three and baseline 2060 CE 80 at least 5% below its peak 110, but not neutral (CS 50)
SELECT is((pg_temp.cep('falls', 'peaks2030', 'peaks2030', 50)).cep_class, 'moderately significant', 'peaked in all three, falling: moderately significant');
-- 3. peaked under low-carbon and baseline only
SELECT is((pg_temp.cep('falls', 'peaks2030', 'rises', 50)).cep_class, 'stable', 'peaked under low-carbon and baseline: stable');
-- ... and peaked under all three without a decline after the peak (flat: 108 is less than 5% below 110)
SELECT is((pg_temp.cep('falls', 'flat', 'flat', 50)).cep_class, 'stable', 'peaked in all three but flat after: stable');
-- 4. baseline not peaked by 2030, 2060 CE 100 <= 1.2 * 100
SELECT is((pg_temp.cep('peaks2030', 'peaks2040', 'rises', 50)).cep_class, 'slightly insignificant', 'moderate increase: slightly insignificant');
SELECT is((pg_temp.cep('falls', 'rises', 'soars', 50)).cep_class, 'slightly insignificant', 'baseline 118 <= 120: slightly insignificant');
-- 5. baseline rising by more than 20%
SELECT is((pg_temp.cep('rises', 'soars', 'soars', 50)).cep_class, 'insignificant', 'marked increase: insignificant');
-- neutral by 2060 but not peaked by 2030 is no better than its growth
SELECT is((pg_temp.cep('peaks2040', 'peaks2040', 'peaks2040', 500)).cep_class, 'slightly insignificant', 'neutral without peaking');

-- the fields
SELECT ok(r.peak_year_low = 2020 AND r.peak_year_baseline = 2030 AND r.peak_year_high = 2060
          AND r.peaked_low AND r.peaked_baseline AND NOT r.peaked_high
          AND r.ce_low = 60 AND r.ce_baseline = 80 AND r.ce_high = 118 AND r.cs = 85
          AND r.neutral_low AND r.neutral_baseline AND NOT r.neutral_high AND r.cep_score = 5, 'peak years, flags, CE and CS of 2060')
FROM (SELECT (pg_temp.cep('falls', 'peaks2030', 'rises', 85)).*) r;
SELECT is(ARRAY[(pg_temp.cep('falls', 'peaks2030', 'rises', 85)).cep_score, (pg_temp.cep('falls', 'peaks2030', 'peaks2030', 50)).cep_score,
                (pg_temp.cep('falls', 'peaks2030', 'rises', 50)).cep_score, (pg_temp.cep('falls', 'rises', 'soars', 50)).cep_score,
                (pg_temp.cep('rises', 'soars', 'soars', 50)).cep_score],
          ARRAY[5, 4, 3, 2, 1], 'cep_score 5..1, as paper 003 Table 6 and cep_score()');
SELECT ok((SELECT bool_and(cep_score(c.cep_class) = c.cep_score) FROM (SELECT (pg_temp.cep(a, b, c, cs)).* FROM
            (VALUES ('falls', 'peaks2030', 'rises', 85.0::float8), ('rises', 'soars', 'soars', 50), ('falls', 'flat', 'flat', 50)) v(a, b, c, cs)) c),
          'cep_score field equals cep_score(cep_class)');

-- options: CS held (last value of the series) or projected (the value for 2060)
SELECT is((cep_assess(l.p, b.p, h.p, ARRAY[10, 20, 85])).cs, 85::float8, 'cs=held keeps the last observed value')
FROM paths l, paths b, paths h WHERE l.name = 'falls' AND b.name = 'peaks2030' AND h.name = 'rises';
SELECT ok(r.cs = 79 AND r.cep_class = 'moderately significant', 'cs=projected reads CS of 2060: 79 < 80, not neutral')
FROM paths l, paths b, paths h, LATERAL (SELECT (cep_assess(l.p, b.p, b.p, ARRAY[60, 65, 70, 75, 79], 'cs=projected')).*) r
WHERE l.name = 'falls' AND b.name = 'peaks2030' AND h.name = 'rises';
SELECT ok(r.ce_baseline = 90 AND r.neutral_baseline AND r.cep_class = 'highly significant', 'neutral_by=2050 reads 2050')
FROM (SELECT (pg_temp.cep('falls', 'peaks2030', 'rises', 95, 'neutral_by=2050')).*) r;
SELECT is((pg_temp.cep('falls', 'peaks2040', 'rises', 500, 'peak_by=2040')).cep_class, 'highly significant', 'peak_by=2040');
SELECT is((pg_temp.cep('falls', 'flat', 'flat', 50, 'decline=0.01')).cep_class, 'moderately significant', 'decline=0.01: 108 <= 0.99 * 110');
SELECT is((pg_temp.cep('rises', 'soars', 'soars', 50, 'increase=2')).cep_class, 'slightly insignificant', 'increase=2: 180 <= 200');
SELECT ok(cep_assess(p, p, p, NULL) IS NULL AND cep_assess(p, NULL, p, ARRAY[1.0]) IS NULL AND cep_assess(p, p, p, NULL, '') IS NULL
          AND (cep_assess(p, p, p, ARRAY[1.0], NULL)).cep_class = 'moderately significant', 'a NULL projection or cs gives NULL, NULL options the defaults')
FROM paths WHERE name = 'falls';
SELECT throws_ok($$SELECT cep_assess(NULL, NULL, NULL, NULL, 'cs=given')$$, '22023', 'cep_assess: invalid value "given" for option "cs"', 'options checked with NULL data');
SELECT throws_ok($$SELECT pg_temp.cep('falls', 'falls', 'falls', NULL)$$, '22004', 'cep_assess: cs must not contain NULL elements', 'NULL element of cs');

-- several scenarios in one call: the same as stirpat_project one at a time, in the paper's order
CREATE TEMP TABLE model AS
SELECT stirpat_ridge(ln_ce, ARRAY[p, w], 'k=0.01') AS m
FROM (SELECT exp(0.5 * ln(p) + 0.8 * ln(w) + 0.01 * sin(k)) AS ln_ce, p, w
      FROM generate_series(1, 30) k, LATERAL (SELECT 10 + k * 0.7 AS p, 100 + k * k AS w) d) s;
CREATE TEMP TABLE scen AS SELECT '{"high-carbon": {"periods": [{"to": 2030, "growth": [0.01, 0.05]}, {"to": 2060, "growth": [0.005, 0.03]}]},
  "low-carbon": {"periods": [{"to": 2030, "growth": [0.002, 0.01]}, {"to": 2060, "growth": [-0.01, -0.02]}]},
  "baseline": {"periods": [{"to": 2030, "growth": [0.005, 0.03]}, {"to": 2060, "growth": [-0.005, -0.005]}]},
  "extra": {"base_year": 2020, "periods": [{"to": 2040, "growth": [0, 0]}]}}'::jsonb AS s;
SELECT is(array_agg(scenario ORDER BY ord), ARRAY['low-carbon', 'baseline', 'high-carbon', 'extra'], 'rows in the paper''s order, then others')
FROM (SELECT scenario, row_number() OVER () AS ord FROM model, scen, stirpat_project_scenarios(m, ARRAY[20, 300], s)) r;
SELECT is((SELECT count(*) FROM model, scen, stirpat_project_scenarios(m, ARRAY[20, 300], s) r
           WHERE ROW(r.years, r.ce, r.peak_year, r.peak_ce, r.peaked_by_2030, r.cep_class)::stirpat_projection
                 IS DISTINCT FROM stirpat_project(m, ARRAY[20, 300], s -> r.scenario)), 0::bigint, 'each row equals stirpat_project of its scenario');
SELECT is((cep_assess(stirpat_project(m, b, s -> 'low-carbon'), stirpat_project(m, b, s -> 'baseline'),
                      stirpat_project(m, b, s -> 'high-carbon'), ARRAY[1e9])).cep_class, 'highly significant',
          'cep_assess on stirpat_project results')
FROM model, scen, (SELECT ARRAY[20, 300]::float8[] AS b) x;

-- bad input
SELECT throws_ok($$SELECT pg_temp.cep('falls', 'falls', 'falls', 50, 'cs=given')$$, '22023', 'cep_assess: invalid value "given" for option "cs"', 'bad cs mode');
SELECT throws_ok($$SELECT pg_temp.cep('falls', 'falls', 'falls', 50, 'neutral=2060')$$, '22023', 'cep_assess: unknown option "neutral"', 'unknown option');
SELECT throws_ok($$SELECT pg_temp.cep('falls', 'falls', 'falls', 50, 'neutral_by=2055')$$, '22023',
  'cep_assess: low_carbon has no projected CE for 2055, the neutrality year', 'neutrality year not projected');
SELECT throws_ok($$SELECT cep_assess(l.p, l.p, l.p, ARRAY[1, 2]::float8[], 'cs=projected') FROM paths l WHERE name = 'falls'$$, '2202E',
  'cep_assess: with cs=projected, cs must have one value per projection year (5), got 2', 'projected CS of the wrong length');
SELECT throws_ok($$SELECT cep_assess(l.p, ROW(ARRAY[2020, 2060], ARRAY[1, 2], 2060, 2, NULL, NULL)::stirpat_projection, l.p, ARRAY[1.0]) FROM paths l WHERE name = 'falls'$$,
  '22023', 'cep_assess: baseline must have the same years as low_carbon', 'projections of other years');
SELECT throws_ok($$SELECT cep_assess(l.p, ROW(ARRAY[2020, 2060], ARRAY[1, 2], NULL, 2, NULL, NULL)::stirpat_projection, l.p, ARRAY[1.0]) FROM paths l WHERE name = 'falls'$$,
  '22023', 'cep_assess: baseline has no peak_year', 'projection without a peak year');

SELECT throws_ok($$SELECT * FROM model, stirpat_project_scenarios(m, ARRAY[20, 300], '[]')$$, '22023',
  'stirpat_project_scenarios: scenarios must be a non-empty JSON object of named scenarios', 'scenarios not an object');
SELECT throws_ok($$SELECT * FROM model, stirpat_project_scenarios(m, ARRAY[20, 300], '{"baseline": {"periods": [{"to": 2030, "growth": [0.1]}]}}')$$, '2202E',
  'stirpat_project_scenarios: scenario "baseline": stirpat_project: periods[1] needs "growth" (and optional "cap") arrays of 2 elements',
  'an error of one scenario names it');
SELECT throws_ok($$SELECT * FROM model, stirpat_project_scenarios(m, ARRAY[20, -300], (SELECT s FROM scen))$$, '22023',
  'stirpat_project_scenarios: scenario "low-carbon": stirpat_project: base[2] must be a positive finite number', 'non-positive driver (its logarithm)');
SELECT is((SELECT count(*) FROM model, stirpat_project_scenarios(m, NULL, '{}')), 0::bigint, 'NULL argument: no rows (STRICT)');

SELECT * FROM finish();
