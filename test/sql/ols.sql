-- ols_fit, ols_stepwise and ttest_ind against R 4 (stats::lm, stats::t.test) on test/data/ridge/stirpat_data.csv.
-- R numbers produced by: lm(log(CE) ~ log(P)+log(W)+log(IS)+log(TI)+log(UR)+log(CEI)); diag(solve(cor(X))) for VIF;
-- stepwise by a loop over lm p-values (enter smallest p < 0.05, then remove p > 0.10); t.test(var.equal = TRUE / FALSE).
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS ols CASCADE;
CREATE SCHEMA ols;
RESET client_min_messages;
CREATE TABLE ols.data (year int, ce float8, p float8, w float8, is_ float8, ti float8, ur float8, cei float8);
\copy ols.data FROM 'test/data/ridge/stirpat_data.csv' CSV HEADER

CREATE TABLE ols.fit AS
SELECT (ols_fit(ln(ce), ARRAY[ln(p), ln(w), ln(is_), ln(ti), ln(ur), ln(cei)])).* FROM ols.data;
SELECT n, df FROM ols.fit;
-- R lm: intercept, P, W, IS, TI, UR, CEI
SELECT bool_and(ref.close(f.coef[i], r.coef, 1e-9) AND ref.close(f.se[i], r.se, 1e-9)
                AND ref.close(f.t[i], r.t, 1e-9) AND ref.close(f.p[i], r.p, 1e-8)) AS matches_r_lm
FROM ols.fit f, (VALUES
  (1, -11.17921885014784777, 4.115683711245594623, -2.71624829177276705, 1.2315897431339819e-02),
  (2,   1.46386177988639021, 0.526393201341131212,  2.78092835575535613, 1.0625046159619884e-02),
  (3,   0.57248661869621287, 0.073570500027491964,  7.78146972607614451, 6.8754047894289478e-08),
  (4,   0.27324447355838455, 0.145781340730696513,  1.87434463278227148, 7.3640807968439401e-02),
  (5,   0.55721452120482373, 0.105040729691038864,  5.30474724274845055, 2.1973472934104579e-05),
  (6,  -0.11140096775959163, 0.280408656224416852, -0.39728077320992233, 6.9482325701477277e-01),
  (7,   1.08841687677061660, 0.228533376054069093,  4.76261671517558227, 8.4123554353377771e-05)) r(i, coef, se, t, p);
SELECT ref.close(r2, 0.99685197851433338) AS r2, ref.close(adj_r2, 0.99603075551807252) AS adj_r2,
       ref.close(f, 1213.8627182301409, 1e-9) AS f,
       (SELECT bool_and(ref.close(v, r, 1e-9)) FROM unnest(vif, ARRAY[238.89059174024737, 408.31812451912469,
          11.58229964612506, 183.57370279162228, 343.79973929716022, 41.505062597890856]) u(v, r)) AS vif,
       -- OLS equals the ridge fit at K = 0
       (SELECT bool_and(ref.close(a, b, 1e-9)) FROM unnest(coef[2:7], (SELECT (stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=0')).coef FROM ols.data)) u(a, b)) AS equals_ridge_k0
FROM ols.fit;

-- raw scale with magnitudes 1e1 .. 1e5 (R lm(CE ~ P + W + UR))
SELECT ref.close(coef[1], -7.2723519726202330e+03, 1e-9) AND ref.close(coef[2], 2.3659054799953743, 1e-9)
       AND ref.close(coef[3], 2.1810890425861311e-02, 1e-9) AND ref.close(coef[4], -1.0830483244426082e+01, 1e-8)
       AND ref.close(se[4], 6.4162307080843433e+01, 1e-9) AND ref.close(p[4], 0.867261696781504110, 1e-9)
       AND ref.close(r2, 0.98447684643318223) AND ref.close(adj_r2, 0.98268571332931864) AS raw_scale_matches_r
FROM (SELECT (ols_fit(ce, ARRAY[p, w, ur])).* FROM ols.data) s;

-- stepwise: R loop selects W, TI, CEI, P in that order
SELECT selected, ref.close(r2, 0.99629884150554937) AS r2, ref.close(adj_r2, 0.99570665614643727) AS adj_r2,
       ref.close(coef[1], -7.67487179266712616, 1e-9) AND ref.close(coef[2], 0.57505732431186252, 1e-9)
       AND ref.close(coef[5], 1.12247740217252212, 1e-9) AND ref.close(p[5], 2.9943869981322487e-02, 1e-8)
       AND ref.close(se[3], 0.105052524926372751, 1e-9) AS coef_match
FROM (SELECT (ols_stepwise(ln(ce), ARRAY[ln(p), ln(w), ln(is_), ln(ti), ln(ur), ln(cei)])).* FROM ols.data) s;
-- a stricter entry p keeps fewer covariates; nothing enters for pure noise -> intercept-only model
SELECT (ols_stepwise(ln(ce), ARRAY[ln(p), ln(w), ln(is_), ln(ti), ln(ur), ln(cei)], 'enter=0.0000001 remove=0.0000002')).selected FROM ols.data;
SELECT selected, cardinality(coef) AS n_coef, ref.close(coef[1], avg_y) AS intercept_is_mean
FROM (SELECT (ols_stepwise(y, ARRAY[x])).*, avg(y) AS avg_y FROM (VALUES (1.0, 1.0), (2, -1), (1, 1), (2, -1), (3, 0), (1.5, 0)) v(y, x)) s;

-- t-test: later (2006-2020) against earlier (1991-2005) ln CE
SELECT ref.close(t_student, 8.4937456833550673) AS t_s, df_student, ref.close(p_student, 3.1025467410556766e-09, 1e-8) AS p_s,
       ref.close(t_welch, 8.4937456833550673) AS t_w, ref.close(df_welch, 27.958141700607392) AS df_w,
       ref.close(p_welch, 3.1404088429517172e-09, 1e-8) AS p_w, n_true, n_false
FROM (SELECT (ttest_ind(ln(ce), year >= 2006)).* FROM ols.data) s;

-- forced parallelism: partial aggregates, same result as serial
CREATE TABLE ols.big AS SELECT d.* FROM ols.data d, generate_series(1, 2000) g;
ANALYZE ols.big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT count(*) AS partial_aggregates FROM ref.plan($$SELECT ols_fit(ce, ARRAY[p, w]), ttest_ind(ce, year > 2000) FROM ols.big$$) line
WHERE line ~ 'Partial Aggregate';
CREATE TABLE ols.par AS SELECT (ols_fit(ce, ARRAY[p, w])).coef, (ttest_ind(ce, year > 2000)).t_welch FROM ols.big;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE ols.ser AS SELECT (ols_fit(ce, ARRAY[p, w])).coef, (ttest_ind(ce, year > 2000)).t_welch FROM ols.big;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
SELECT (SELECT bool_and(ref.close(a, b, 1e-10)) FROM unnest(p.coef, s.coef) u(a, b)) AND ref.close(p.t_welch, s.t_welch, 1e-10) AS parallel_equals_serial
FROM ols.par p, ols.ser s;

-- an exact fit: coefficients exact, R2 = 1, no NaN anywhere (undefined t are NULL elements)
SELECT ref.close(coef[1], 1, 1e-12, 1e-12) AND ref.close(coef[2], 2, 1e-12) AS exact, r2 > 1 - 1e-12 AS r2_one,
       array_position(coef || se || t || p, 'NaN') IS NULL AS no_nan
FROM (SELECT (ols_fit(2 * x + 1, ARRAY[x])).* FROM generate_series(1, 10) x) s;

-- bad input
\set VERBOSITY terse
SELECT ols_fit(ce, ARRAY[p, w, 2 * p + 3 * w]) FROM ols.data;
SELECT ols_fit(ce, ARRAY[p, 1.0]) FROM ols.data;
SELECT ols_fit(ce, ARRAY[p, w, ur]) FROM ols.data WHERE year < 1995;
SELECT ols_fit(ce, ARRAY[p, NULL]) FROM ols.data;
SELECT ols_fit(ce, CASE WHEN year > 2010 THEN ARRAY[p, w] ELSE ARRAY[p] END) FROM ols.data;
SELECT ols_fit('NaN', ARRAY[p]) FROM ols.data;
SELECT ols_fit(ce, ARRAY[]::float8[]) FROM ols.data;
SELECT ols_fit(ce, ARRAY[p]) IS NULL AS empty_is_null FROM ols.data WHERE false;
SELECT ols_stepwise(ce, ARRAY[p], 'enter=0.2 remove=0.1') FROM ols.data;
SELECT ttest_ind(ce, year = 2000) FROM ols.data;
SELECT ttest_ind('Infinity', true) FROM ols.data;
SELECT (ttest_ind(v, g)).t_student IS NULL AS constant_groups_null FROM (VALUES (1.0, true), (1, true), (2, false), (2, false)) s(v, g);
