-- Decomposition and decoupling (SPEC section 14): lmdi against hand computations of Ang's (2005)
-- LMDI-I formulas, the small-value strategy for zeros, negative factors; tapio's eight states at
-- and beside the thresholds 0.8 and 1.2, the aggregate form; parallel plans; bad input.
SET extra_float_digits = 0;
SELECT plan(53);

-- A Kaya-type identity C = P * A * I over three years: C = 100, 118.8, 136.85.
CREATE TEMP TABLE kaya (t float8, p float8, a float8, i float8);
INSERT INTO kaya VALUES (2000, 10, 5, 2), (2001, 11, 6, 1.8), (2002, 11.5, 7, 1.7);

-- Reference values, computed independently (double precision, Python) from
--   dC_k = L(C_T, C_0) ln(x_kT / x_k0),  L(a, b) = (a - b) / ln(a / b),  D_k = x_kT / x_k0.
SELECT ok(ref.close(r.effects[1], 16.416886283838846, 1e-12) AND ref.close(r.effects[2], 39.52310874051774, 1e-12)
          AND ref.close(r.effects[3], -19.089995024356615, 1e-12), 'additive effects 2000-2002 as computed by hand')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i])).* FROM kaya) r;
SELECT ok(ref.close(r.d_factors[1], 1.15, 1e-12) AND ref.close(r.d_factors[2], 1.4, 1e-12) AND ref.close(r.d_factors[3], 0.85, 1e-12)
          AND ref.close(r.d_total, 1.3685, 1e-12), 'multiplicative factors x_T / x_0, product 1.3685')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i])).* FROM kaya) r;
SELECT ok(abs(r.residual) < 1e-12 AND r.identity_error < 1e-15 AND ref.close(r.delta, 36.85, 1e-13)
          AND r.base_t = 2000 AND r.target_t = 2002 AND r.c_base = 100 AND ref.close(r.c_target, 136.85, 1e-14) AND r.years = 2,
          'perfect decomposition: effects sum to delta, identity holds, base and target are the first and last t')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i])).* FROM kaya) r;
-- the same formula evaluated in SQL for an independent check of the logarithmic mean
SELECT ok(ref.close(r.effects[2], (136.85 - 100) / ln(136.85 / 100) * ln(7.0 / 5), 1e-13), 'effect = L(C_T, C_0) ln ratio, in SQL')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i])).* FROM kaya) r;
-- chained year on year: the effects of 2000-2001 and 2001-2002 added
SELECT ok(ref.close(r.effects[1], 16.073815320395763, 1e-12) AND ref.close(r.effects[2], 39.56832077295977, 1e-12)
          AND ref.close(r.effects[3], -18.792136093355516, 1e-12) AND abs(r.residual) < 1e-12 AND r.years = 3
          AND ref.close(r.d_factors[2], 1.4, 1e-12), 'chain=true: year-on-year effects summed, factors multiplied')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i], 'chain=true')).* FROM kaya) r;
SELECT ok(ref.close(c.effects[1] + c.effects[2] + c.effects[3],
                    (SELECT sum(e) FROM (SELECT unnest((lmdi(t, p * a * i, ARRAY[p, a, i])).effects) e FROM kaya WHERE t IN (2000, 2001)
                                         UNION ALL
                                         SELECT unnest((lmdi(t, p * a * i, ARRAY[p, a, i])).effects) FROM kaya WHERE t IN (2001, 2002)) s), 1e-13),
          'chained total equals the sum of the two single steps')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i], 'chain=true')).* FROM kaya) c;
-- base and target options; input order does not matter
SELECT ok(r.base_t = 2001 AND r.target_t = 2002 AND ref.close(r.delta, 136.85 - 118.8, 1e-13), 'base=2001 selects the base year')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i], 'base=2001')).* FROM kaya) r;
SELECT ok(r.base_t = 2000 AND r.target_t = 2001 AND ref.close(r.effects[3], (118.8 - 100) / ln(1.188) * ln(0.9), 1e-13),
          'target=2001 selects the target year')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i], 'target=2001')).* FROM kaya) r;
SELECT is((SELECT (lmdi(t, p * a * i, ARRAY[p, a, i] ORDER BY t DESC)).effects FROM kaya),
          (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i] ORDER BY t)).effects FROM kaya), 'input order does not matter');
-- time reversal: from T back to 0 the effects change sign
SELECT ok(ref.close(f.effects[1], -b.effects[1], 1e-13) AND ref.close(f.effects[3], -b.effects[3], 1e-13), 'time reversal')
FROM (SELECT (lmdi(t, p * a * i, ARRAY[p, a, i])).* FROM kaya) f,
     (SELECT (lmdi(-t, p * a * i, ARRAY[p, a, i])).* FROM kaya) b;
-- NULL rows are skipped
SELECT ok((lmdi(t, e, f)).years = 2, 'rows with a NULL t, emission or factors are skipped')
FROM (VALUES (1.0::float8, 2.0::float8, ARRAY[2.0]::float8[]), (NULL, 3, ARRAY[3.0]), (2, NULL, ARRAY[3.0]), (3, 3, NULL), (4, 5, ARRAY[5.0])) v(t, e, f);
SELECT is((SELECT lmdi(t, p, ARRAY[p]) FROM kaya WHERE false), NULL, 'no rows: NULL');

-- Zeros: the small-value strategy (Ang 2005) at its limit.  A factor that starts at 0 takes the whole
-- change; two that start at 0 share it; C = 0 in both years gives 0 effects.
SELECT ok(r.effects = ARRAY[0, 90, 0]::float8[] AND r.d_total IS NULL AND r.d_factors[1] IS NULL AND abs(r.residual) < 1e-12,
          'C from 0 to 90: the factor that was 0 carries 90, no multiplicative ratio')
FROM (SELECT (lmdi(t, e, f)).* FROM (VALUES (1.0::float8, 0.0::float8, ARRAY[10, 0, 2]::float8[]), (2, 90, ARRAY[12, 3, 2.5])) v(t, e, f)) r;
SELECT ok(r.effects = ARRAY[0, -40, -40]::float8[], 'C from 80 to 0 with two factors becoming 0: -40 each')
FROM (SELECT (lmdi(t, e, f)).* FROM (VALUES (1.0::float8, 80.0::float8, ARRAY[10, 4, 2]::float8[]), (2, 0, ARRAY[12, 0, 0])) v(t, e, f)) r;
SELECT ok(r.effects = ARRAY[0, 0, 0]::float8[] AND r.delta = 0, 'C = 0 in both years: every effect 0')
FROM (SELECT (lmdi(t, e, f)).* FROM (VALUES (1.0::float8, 0.0::float8, ARRAY[0, 4, 2]::float8[]), (2, 0, ARRAY[5, 0, 1])) v(t, e, f)) r;
-- The limit is what replacing the zero by a small delta converges to, as Ang (2005) recommends
-- delta between 1e-10 and 1e-20: the substituted results approach the limit as delta shrinks.
SELECT ok(abs(r.effects[2] - d.e20) < abs(r.effects[2] - d.e10) AND abs(r.effects[2] - d.e300) < abs(r.effects[2] - d.e20)
          AND abs(r.effects[2] - d.e300) < 1.0, 'the small-value substitution converges to the limit')
FROM (SELECT (lmdi(t, e, f)).* FROM (VALUES (1.0::float8, 0.0::float8, ARRAY[10, 0, 2]::float8[]), (2, 90, ARRAY[12, 3, 2.5])) v(t, e, f)) r,
     LATERAL (SELECT (lmdi(t, e, f)).effects[2] AS e10 FROM (VALUES (1.0::float8, 20e-10::float8, ARRAY[10, 1e-10, 2]::float8[]), (2, 90, ARRAY[12, 3, 2.5])) v(t, e, f)) a,
     LATERAL (SELECT a.e10, (lmdi(t, e, f)).effects[2] AS e20 FROM (VALUES (1.0::float8, 20e-20::float8, ARRAY[10, 1e-20, 2]::float8[]), (2, 90, ARRAY[12, 3, 2.5])) v(t, e, f)) b,
     LATERAL (SELECT b.e10, b.e20, (lmdi(t, e, f)).effects[2] AS e300 FROM (VALUES (1.0::float8, 20e-300::float8, ARRAY[10, 1e-300, 2]::float8[]), (2, 90, ARRAY[12, 3, 2.5])) v(t, e, f)) d;
-- Negative values that keep their sign: a net sink factor negative in both years
SELECT ok(ref.close(r.effects[2], (-60 - -50) / ln(60.0 / 50) * ln(6.0 / 5), 1e-13) AND abs(r.residual) < 1e-12 AND ref.close(r.d_total, 1.2, 1e-13),
          'a factor negative in both years: L of two negatives is negative')
FROM (SELECT (lmdi(t, e, f)).* FROM (VALUES (1.0::float8, -50.0::float8, ARRAY[10, -5]::float8[]), (2, -60, ARRAY[10, -6])) v(t, e, f)) r;
-- the identity within the tolerance: reported, not refused
SELECT ok(r.identity_error > 1e-4 AND r.identity_error < 2e-4 AND abs(r.residual) > 0, 'identity error and residual reported within tolerance')
FROM (SELECT (lmdi(t, e, f, 'tolerance=0.001')).* FROM (VALUES (1.0::float8, 100.0::float8, ARRAY[10, 10]::float8[]), (2, 120.02, ARRAY[12, 10])) v(t, e, f)) r;

-- lmdi bad input
SELECT throws_ok($$SELECT lmdi(t, e, f) FROM (VALUES (1.0::float8, 100.0::float8, ARRAY[10, 10]::float8[]), (2, 121, ARRAY[12, 10])) v(t, e, f)$$,
  '22023', 'lmdi: emission is not the product of the factors at t = 2', 'identity off beyond the tolerance');
SELECT throws_ok($$SELECT lmdi(t, e, f) FROM (VALUES (1.0::float8, 50.0::float8, ARRAY[10, 5]::float8[]), (2, -60, ARRAY[10, -6])) v(t, e, f)$$,
  '22023', 'lmdi: factors[2] changes sign at t = 2', 'a factor changing sign has no logarithm');
SELECT throws_ok($$SELECT lmdi(t, e, f) FROM (VALUES (1.0::float8, 50.0::float8, ARRAY[10, 5]::float8[])) v(t, e, f)$$,
  '22000', 'lmdi needs at least 2 years with non-NULL t, emission and factors, got 1', 'one year');
SELECT throws_ok($$SELECT lmdi(t, e, f) FROM (VALUES (1.0::float8, 50.0::float8, ARRAY[10, 5]::float8[]), (1, 50, ARRAY[10, 5])) v(t, e, f)$$,
  '22000', 'lmdi: t must not repeat, 1 occurs more than once', 'repeated year');
SELECT throws_ok($$SELECT lmdi(t, e, f) FROM (VALUES (1.0::float8, 50.0::float8, ARRAY[10, 5]::float8[]), (2, 50, ARRAY[50])) v(t, e, f)$$,
  '2202E', 'lmdi: factors must have the same length in every row', 'factor lists of different length');
SELECT throws_ok($$SELECT lmdi(1, 2, '{}'::float8[])$$, '22023', 'lmdi: factors must have 1 to 1000 elements, got 0', 'no factors');
SELECT throws_ok($$SELECT lmdi(1, 2, ARRAY[2, NULL]::float8[])$$, '22004', 'lmdi: factors must not contain NULL elements', 'NULL factor');
SELECT throws_ok($$SELECT lmdi(1, 'NaN', ARRAY[2]::float8[])$$, '22023', 'lmdi: emission must be finite', 'NaN emission');
SELECT throws_ok($$SELECT lmdi(t, p, ARRAY[p], 'basis=2000') FROM kaya$$, '22023', 'lmdi: unknown option "basis"', 'unknown option');
SELECT throws_ok($$SELECT lmdi(t, p, ARRAY[p], 'base=1999') FROM kaya$$, '22023', 'lmdi: option "base" is 1999, which is no t of the rows', 'base not a year');
SELECT throws_ok($$SELECT lmdi(t, p, ARRAY[p], 'base=2002 target=2000') FROM kaya$$, '22023', 'lmdi: option "base" must be before option "target"', 'base after target');
SELECT throws_ok($$SELECT lmdi(t, p, ARRAY[p], 'base=2002') FROM kaya$$, '22023', 'lmdi: the base year must be before the target year', 'base = last year');
SELECT throws_ok($$SELECT lmdi(t, p, ARRAY[p], 'tolerance=1') FROM kaya$$, '22023', 'lmdi: option "tolerance" is out of range: 1', 'tolerance too large');
SELECT throws_ok($$SELECT lmdi(t, p, ARRAY[p], CASE WHEN t = 2001 THEN 'chain=true' ELSE '' END) FROM kaya$$,
  '22023', 'lmdi: options must be the same in every row', 'options that differ between rows');

-- Tapio: the eight states, at and beside the thresholds
SELECT is(ARRAY[(tapio(100, 90, 1000, 1100)).state, (tapio(100, 100, 1000, 1100)).state, (tapio(100, 107.99, 1000, 1100)).state,
                (tapio(100, 108, 1000, 1100)).state, (tapio(100, 112, 1000, 1100)).state, (tapio(100, 112.01, 1000, 1100)).state],
          ARRAY['strong decoupling', 'weak decoupling', 'weak decoupling', 'expansive coupling', 'expansive coupling',
                'expansive negative decoupling'], 'GDP up: strong and weak decoupling, coupling from 0.8 to 1.2, negative decoupling beyond');
SELECT is(ARRAY[(tapio(100, 110, 1000, 900)).state, (tapio(100, 100, 1000, 900)).state, (tapio(100, 92.01, 1000, 900)).state,
                (tapio(100, 92, 1000, 900)).state, (tapio(100, 88, 1000, 900)).state, (tapio(100, 87.99, 1000, 900)).state],
          ARRAY['strong negative decoupling', 'weak negative decoupling', 'weak negative decoupling', 'recessive coupling',
                'recessive coupling', 'recessive decoupling'], 'GDP down: the four recessive states');
SELECT ok(ref.close(r.elasticity, 0.4, 1e-14) AND ref.close(r.c_change, 0.04, 1e-14) AND ref.close(r.gdp_change, 0.1, 1e-14),
          'e = (4/100) / (100/1000) = 0.4') FROM (SELECT (tapio(100, 104, 1000, 1100)).*) r;
SELECT ok(r.elasticity IS NULL AND r.state IS NULL AND r.c_change = -0.2 AND r.gdp_change = 0, 'GDP unchanged: no elasticity')
FROM (SELECT (tapio(100, 80, 1000, 1000)).*) r;
SELECT ok(tapio(NULL, 1, 1, 1) IS NULL, 'tapio is STRICT');
-- aggregate form: first and last year of each unit; the rows between do not enter
SELECT is(array_agg(s ORDER BY u), ARRAY['weak decoupling', 'strong decoupling'], 'tapio aggregate per unit, first to last year')
FROM (SELECT u, (tapio(y, c, g)).state AS s
      FROM (VALUES (1, 2000, 100.0::float8, 1000.0::float8), (1, 2005, 500, 1), (1, 2010, 115, 1500),
                   (2, 2010, 90, 1200), (2, 2000, 100, 1000)) v(u, y, c, g) GROUP BY u) a;
SELECT ok(ref.close((tapio(y, c, g)).elasticity, 0.3, 1e-14), 'tapio aggregate: (15/100) / (500/1000) = 0.3')
FROM (VALUES (2000, 100.0::float8, 1000.0::float8), (2005, NULL, 1300), (2010, 115, 1500)) v(y, c, g);
SELECT is((SELECT tapio(y, c, g) FROM (VALUES (1.0::float8, 1.0::float8, 1.0::float8)) v(y, c, g) WHERE false), NULL, 'tapio aggregate without rows: NULL');
-- year on year with the scalar and lag()
SELECT is(array_agg(s ORDER BY y), ARRAY[NULL, 'weak decoupling', 'strong decoupling'], 'year on year with lag()')
FROM (SELECT y, (tapio(lag(c) OVER w, c, lag(g) OVER w, g)).state AS s
      FROM (VALUES (2000, 100.0::float8, 1000.0::float8), (2001, 102, 1100), (2002, 101, 1200)) v(y, c, g) WINDOW w AS (ORDER BY y)) a;

-- tapio bad input
SELECT throws_ok($$SELECT tapio(0, 1, 1000, 1100)$$, '22023', 'tapio: c0 must be positive', 'zero base emission');
SELECT throws_ok($$SELECT tapio(1, 1, -5, 1100)$$, '22023', 'tapio: gdp0 must be positive', 'negative base GDP');
SELECT throws_ok($$SELECT tapio(1, -1, 5, 1100)$$, '22023', 'tapio: c1 must be non-negative', 'negative emission');
SELECT throws_ok($$SELECT tapio(1, 'NaN', 5, 1100)$$, '22023', 'tapio: c1 must be finite', 'NaN emission');
SELECT throws_ok($$SELECT tapio(y, c, g) FROM (VALUES (2000, 100.0::float8, 1000.0::float8)) v(y, c, g)$$,
  '22000', 'tapio needs at least 2 years with non-NULL t, c and gdp, got 1', 'aggregate over one year');
SELECT throws_ok($$SELECT tapio(y, c, g) FROM (VALUES (2000, 100.0::float8, 1000.0::float8), (2000, 1, 1), (2001, 1, 1)) v(y, c, g)$$,
  '22000', 'tapio: t must not repeat, 2000 occurs more than once', 'aggregate with a repeated first year');
SELECT throws_ok($$SELECT tapio(y, c, g) FROM (VALUES (2000, 0.0::float8, 1000.0::float8), (2001, 1, 1)) v(y, c, g)$$,
  '22023', 'tapio: c of the first year must be positive', 'aggregate with zero emission in the first year');
SELECT throws_ok($$SELECT _tapio_final('{1,0,2000,1,1,1999,1,1}')$$, '22023', 'tapio: invalid aggregate state', 'crafted state');
SELECT throws_ok($$SELECT _tapio_combine('{2,0,2000,1,1,2001,1,1}', '{1,0,2001,1,1,2001,1,1}')$$,
  '22000', 'tapio: t must not repeat, 2001 occurs more than once', 'combine of two states with the same year');

-- parallel plans give the serial results
CREATE TABLE decomposition_panel AS
SELECT u, y::float8 AS y, ce, ARRAY[pop, ce / pop]::float8[] AS f, gdp
FROM generate_series(1, 400) u, generate_series(2000, 2020) y,
     LATERAL (SELECT 100.0 + u + (y - 2000) * (1 + u % 3) AS pop, 1000.0 + u * 10 + (y - 2000) * 7 * (1 + u % 5) AS ce,
                     5000.0 + (y - 2000) * 100 * u AS gdp) d;
INSERT INTO decomposition_panel SELECT u + 1000, y, ce, f, gdp FROM decomposition_panel;
ANALYZE decomposition_panel;
CREATE TEMP TABLE dec_serial AS
SELECT u, lmdi(y, ce, f, 'chain=true') AS l, tapio(y, ce, gdp) AS tp FROM decomposition_panel GROUP BY u;
CREATE TEMP TABLE dec_whole_serial AS SELECT lmdi(y + u * 100, ce, f) AS l, tapio(y + u * 100, ce, gdp) AS tp FROM decomposition_panel;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
SELECT ok(ref.plan_has('SELECT lmdi(y + u * 100, ce, f), tapio(y + u * 100, ce, gdp) FROM decomposition_panel', 'Partial Aggregate'),
          'lmdi and tapio: EXPLAIN shows a partial aggregate');
CREATE TEMP TABLE dec_whole_par AS SELECT lmdi(y + u * 100, ce, f) AS l, tapio(y + u * 100, ce, gdp) AS tp FROM decomposition_panel;
CREATE TEMP TABLE dec_par AS
SELECT u, lmdi(y, ce, f, 'chain=true') AS l, tapio(y, ce, gdp) AS tp FROM decomposition_panel GROUP BY u;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;
SELECT is((SELECT count(*) FROM dec_serial s JOIN dec_par p USING (u) WHERE s.l IS DISTINCT FROM p.l OR s.tp IS DISTINCT FROM p.tp),
          0::bigint, 'grouped results equal under a parallel plan');
SELECT ok((SELECT (w.l).effects = (p.l).effects AND w.tp = p.tp FROM dec_whole_serial w, dec_whole_par p),
          'whole-table results equal under a parallel plan');
DROP TABLE decomposition_panel;

SELECT * FROM finish();
