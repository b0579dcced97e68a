-- stirpat_ridge, stirpat_ridge_trace and stirpat_project (paper 003 eqs.12-13, Table 5)
-- against test/data/ridge (correlation-form ridge; R MASS::lm.ridge agrees with it for k = lambda/n).
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS ridge CASCADE;
CREATE SCHEMA ridge;
RESET client_min_messages;

CREATE TABLE ridge.data (year int, ce float8, p float8, w float8, is_ float8, ti float8, ur float8, cei float8);
\copy ridge.data FROM 'test/data/ridge/stirpat_data.csv' CSV HEADER
CREATE TABLE ridge.ref (convention text, k float8, term text, std_coef float8, coef float8,
  vif float8, r2 float8, adj_r2 float8, rss float8);
\copy ridge.ref FROM 'test/data/ridge/ridge_coefficients.csv' CSV HEADER
CREATE VIEW ridge.terms AS
  SELECT * FROM unnest(ARRAY['lnP','lnW','lnIS','lnTI','lnUR','lnCEI']) WITH ORDINALITY t(term, j);

-- fits at the reference K values
CREATE TABLE ridge.fit AS
SELECT (stirpat_ridge(d.ce, ARRAY[d.p, d.w, d.is_, d.ti, d.ur, d.cei], 'k=' || kk.kval)).*
FROM (SELECT DISTINCT k AS kval FROM ridge.ref) kk, ridge.data d GROUP BY kk.kval;

SELECT k, n, round(r2::numeric, 6) AS r2 FROM ridge.fit ORDER BY k;

-- every coefficient, standardised coefficient and VIF within 1e-9 relative
SELECT count(*) AS compared,
       count(*) FILTER (WHERE NOT (ref.close(f.coef[t.j], r.coef) AND ref.close(f.std_coef[t.j], r.std_coef)
                                   AND ref.close(f.vif[t.j], r.vif, 1e-9))) AS mismatches
FROM ridge.fit f JOIN ridge.ref r ON r.k = f.k AND r.convention = 'i_correlation_form'
JOIN ridge.terms t ON t.term = r.term;

SELECT count(*) AS compared,
       count(*) FILTER (WHERE NOT (ref.close(f.intercept, r.coef) AND ref.close(f.r2, r.r2)
                                   AND ref.close(f.adj_r2, r.adj_r2))) AS mismatches
FROM ridge.fit f JOIN ridge.ref r ON r.k = f.k AND r.convention = 'i_correlation_form' AND r.term = 'Intercept';

-- k=auto: the smallest K on the 0.01 grid with every VIF below 10
CREATE TABLE ridge.trace AS
SELECT t.* FROM (SELECT stirpat_ridge_trace(ce, ARRAY[p, w, is_, ti, ur, cei], 'k_max=0.2 k_step=0.01') tr
                 FROM ridge.data) s, unnest(s.tr) t;
SELECT count(*) AS trace_points, min(k) AS first_k, max(k) AS last_k FROM ridge.trace;
SELECT (stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=auto')).k AS auto_k,
       (SELECT min(k) FROM ridge.trace t WHERE (SELECT max(v) FROM unnest(t.vif) v) < 10) AS trace_k,
       (SELECT max(v) < 10 FROM ridge.trace t, unnest(t.vif) v WHERE t.k = 0.01) AS vif_ok_at_001
FROM ridge.data;
-- the default is k=auto
SELECT (stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei])).k AS default_k FROM ridge.data;
-- trace points equal the single fits and the reference
SELECT bool_and(ref.close(t.coef[2], r.coef)) AS trace_matches_ref
FROM ridge.trace t JOIN ridge.ref r ON abs(r.k - t.k) < 1e-12 AND r.term = 'lnW' AND r.convention = 'i_correlation_form';

-- the fitted model reproduces ln CE: residual sum of squares from the fit equals the reference RSS at k = 0.02
SELECT ref.close(sum((ln(d.ce) - (f.intercept + f.coef[1]*ln(d.p) + f.coef[2]*ln(d.w) + f.coef[3]*ln(d.is_)
                      + f.coef[4]*ln(d.ti) + f.coef[5]*ln(d.ur) + f.coef[6]*ln(d.cei)))^2),
                 (SELECT rss FROM ridge.ref WHERE k = 0.02 AND term = 'Intercept' AND convention = 'i_correlation_form'),
                 1e-8) AS rss_matches
FROM ridge.data d, ridge.fit f WHERE f.k = 0.02;

-- NULL rows are skipped; empty input gives NULL
SELECT (stirpat_ridge(ce, drivers, 'k=0.02')).n
FROM (SELECT ce, ARRAY[p, w, is_, ti, ur, cei] AS drivers FROM ridge.data
      UNION ALL SELECT NULL, ARRAY[1.0, 1, 1, 1, 1, 1] UNION ALL SELECT 5.0, NULL) s;
SELECT stirpat_ridge(ce, ARRAY[p, w], 'k=0.02') IS NULL AS empty_is_null FROM ridge.data WHERE false;

-- forced parallel plan: partial aggregates combine to the serial result
CREATE TABLE ridge.big AS SELECT d.* FROM ridge.data d, generate_series(1, 2000) g;
ANALYZE ridge.big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT count(*) > 0 AS partial_aggregate
FROM ref.plan($$SELECT stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=0.02') FROM ridge.big$$) line
WHERE line ~ 'Partial Aggregate';
CREATE TABLE ridge.par AS SELECT (stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=0.02')).* FROM ridge.big;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE ridge.ser AS SELECT (stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=0.02')).* FROM ridge.big;
RESET max_parallel_workers_per_gather;
SELECT p.n, s.n AS serial_n,
       ref.close(p.intercept, s.intercept, 1e-10) AND ref.close(p.r2, s.r2, 1e-10)
       AND (SELECT bool_and(ref.close(a, b, 1e-10)) FROM unnest(p.coef, s.coef) u(a, b))
       AND (SELECT bool_and(ref.close(a, b, 1e-10)) FROM unnest(p.vif, s.vif) u(a, b)) AS parallel_equals_serial,
       -- 2000 copies of the data: same coefficients as the 30 rows
       (SELECT bool_and(ref.close(a, b, 1e-9)) FROM unnest(p.coef, f.coef) u(a, b)) AS copies_keep_coef
FROM ridge.par p, ridge.ser s, ridge.fit f WHERE f.k = 0.02;

-- stirpat_project, checked by hand: ln CE = 1 + 1.0 ln X1 + 0.5 ln X2, X1 grows 10 %/yr to 2022 then is capped at 1.25,
-- X2 falls 20 %/yr after 2022.  CE(2020) = e * 1 * 2 = 2e.
SELECT (stirpat_project(ROW(0.02, 1.0, ARRAY[1.0, 0.5], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result,
        ARRAY[1.0, 4.0],
        '{"base_year": 2020, "step": 1, "peak_by": 2022,
          "periods": [{"to": 2022, "growth": [0.1, 0]}, {"to": 2024, "growth": [0.1, -0.2], "cap": [1.25, null]}]}')).* ;
SELECT round(exp(1.0)*2, 9) AS ce_2020, round(exp(1.0)*1.21*2, 9) AS ce_2022,
       round(exp(1.0)*1.25*2*sqrt(0.8), 9) AS ce_2023, round(exp(1.0)*1.25*2*0.8, 9) AS ce_2024;
-- a Table 5-style low-carbon scenario on the reference model (k = 0.02): 5-year steps to 2060
SELECT pr.years, pr.peak_year, pr.peaked_by_2030, pr.cep_class,
       ref.close(pr.ce[1], d.ce, 0.05) AS base_near_observed
FROM ridge.fit f, ridge.data d,
     stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[d.p, d.w, d.is_, d.ti, d.ur, d.cei],
       '{"periods": [{"to": 2030, "growth": [0.002, 0.05, 0, 0.02, 0.01, -0.04], "cap": [null, null, 45, null, 65, null]},
                     {"to": 2060, "growth": [-0.003, 0.03, 0, 0.02, 0.005, -0.05], "cap": [null, null, 40, null, 70, null]}]}') pr
WHERE f.k = 0.02 AND d.year = 2020;
-- ce_base anchors the projection to an observed value
SELECT (stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[d.p, d.w, d.is_, d.ti, d.ur, d.cei],
       jsonb_build_object('ce_base', d.ce, 'periods', '[{"to": 2025, "growth": [0,0,0,0,0,0]}]'::jsonb))).ce = ARRAY[d.ce, d.ce] AS anchored
FROM ridge.fit f, ridge.data d WHERE f.k = 0.02 AND d.year = 2020;

-- bad input
\set VERBOSITY terse
SELECT stirpat_ridge(ce, ARRAY[p, -w]) FROM ridge.data;
SELECT stirpat_ridge(0.0, ARRAY[p, w]) FROM ridge.data;
SELECT stirpat_ridge(ce, ARRAY[p, 'NaN']) FROM ridge.data;
SELECT stirpat_ridge(ce, ARRAY[p, NULL]) FROM ridge.data;
SELECT stirpat_ridge(ce, CASE WHEN year = 2000 THEN ARRAY[p] ELSE ARRAY[p, w] END) FROM ridge.data;
SELECT stirpat_ridge(ce, ARRAY[p, w, p * p], 'k=0') FROM ridge.data;
SELECT (stirpat_ridge(ce, ARRAY[p, w, p * p], 'k=0.05')).k FROM ridge.data;
SELECT stirpat_ridge(ce, ARRAY[p, 7.0]) FROM ridge.data;
SELECT stirpat_ridge(ce, ARRAY[p, w]) FROM ridge.data WHERE year < 1994;
SELECT stirpat_ridge(ce, ARRAY[p, w], 'k=-1') FROM ridge.data;
SELECT stirpat_ridge(ce, ARRAY[p, w], 'lambda=1') FROM ridge.data;
SELECT stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=auto k_max=0.005') FROM ridge.data;
SELECT stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[1.0]::float8[], '{"periods": [{"to": 2030, "growth": [0]}]}') FROM ridge.fit f WHERE k = 0;
SELECT stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[1,1,1,1,1,1.0]::float8[], '{"periods": []}') FROM ridge.fit f WHERE k = 0;
SELECT stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[1,1,1,1,1,1.0]::float8[], '{"periods": [{"to": 2030, "growth": [0,0,0,0,0,-1]}]}') FROM ridge.fit f WHERE k = 0;
SELECT stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[1,1,1,0,1,1.0]::float8[], '{"periods": [{"to": 2030, "growth": [0,0,0,0,0,0]}]}') FROM ridge.fit f WHERE k = 0;
SELECT stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[1,1,1,1,1,1.0]::float8[], '{"periods": [{"growth": [0,0,0,0,0,0]}]}') FROM ridge.fit f WHERE k = 0;
SELECT stirpat_project(ROW(f.*)::stirpat_ridge_result, ARRAY[1,1,1,1,1,1.0]::float8[], '{"periods": [{"to": 2030, "growth": [0,0]}]}') FROM ridge.fit f WHERE k = 0;
-- a model or scenario with NULLs or non-finite values: clear errors, never a projection of NULLs
SELECT stirpat_project(ROW(0.01, NULL, ARRAY[1.0, 0.5], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY[1.0, 1.0], '{"periods": [{"to": 2030, "growth": [0, 0]}]}');
SELECT stirpat_project(ROW(0.01, 1.0, ARRAY[1.0, NULL], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY[1.0, 1.0], '{"periods": [{"to": 2030, "growth": [0, 0]}]}');
SELECT stirpat_project(ROW(0.01, 1.0, NULL, NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY[1.0, 1.0], '{"periods": [{"to": 2030, "growth": [0, 0]}]}');
SELECT stirpat_project(ROW(0.01, 1.0, ARRAY[1.0, 0.5], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY['NaN', 1.0]::float8[], '{"periods": [{"to": 2030, "growth": [0, 0]}]}');
SELECT stirpat_project(ROW(0.01, 1.0, ARRAY[1.0, 0.5], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY[NULL, 1.0]::float8[], '{"periods": [{"to": 2030, "growth": [0, 0]}]}');
SELECT stirpat_project(ROW(0.01, 1.0, ARRAY[1.0, 0.5], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY[1.0, 1.0], '{"classes": null, "periods": [{"to": 2030, "growth": [0, 0]}]}');
SELECT stirpat_project(ROW(0.01, 1.0, ARRAY[1.0, 0.5], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY[1.0, 1.0], '{"classes": [0.8, null, 1.05, 1.2], "periods": [{"to": 2030, "growth": [0, 0]}]}');
SELECT stirpat_project(ROW(0.01, 1.0, ARRAY[1.0, 0.5], NULL, NULL, NULL, NULL, 30)::stirpat_ridge_result, ARRAY[1.0, 1.0], '{"ce_base": 0, "periods": [{"to": 2030, "growth": [0, 0]}]}');
