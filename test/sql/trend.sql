-- Trends (SPEC section 6) against R on the Nile and LakeHuron series
-- (test/data/timeseries: Mann-Kendall, Sen, OLS; 1e-9 relative), against R
-- base for spline gaps, the sequential test and the Hurst exponent (values
-- below computed in R 4.2.2: spline(method = "natural") and a direct
-- transcription of the formulas), and against hand computations.
SET extra_float_digits = 0;
CREATE SCHEMA trend;
CREATE TABLE trend.series (series text, index int, time int, value float8);
\copy trend.series FROM 'test/data/timeseries/series.csv' CSV HEADER
CREATE TABLE trend.ref (series text, units text, n int, start_time int, end_time int, deltat int, s float8,
  var_s_no_ties float8, var_s float8, z float8, p_two_sided float8, tau_a float8, tau_b float8,
  n_tie_groups int, n_tied_values int, tie_extents text, cortest_kendall_z float8, cortest_kendall_p float8,
  cortest_kendall_tau_b float8, sen_slope_per_index float8, sen_intercept_separate float8,
  sen_intercept_joint float8, sen_slope_per_year float8, sen_n_pairs int, ols_slope_per_index float8,
  ols_intercept float8, ols_slope_se float8, ols_slope_t float8, ols_slope_p float8, ols_r_squared float8);
\copy trend.ref FROM 'test/data/timeseries/trend_reference_R.csv' CSV HEADER

SELECT plan(58);

-- Mann-Kendall on t = index, rows fed in a scrambled order (the aggregate sorts by t itself)
CREATE TABLE trend.mk AS
SELECT series, (mann_kendall(index, value ORDER BY (index * 37) % 101)).* FROM trend.series GROUP BY series;
SELECT ok(ref.close(m.s, r.s) AND ref.close(m.var_s, r.var_s) AND ref.close(m.z, r.z) AND ref.close(m.p, r.p_two_sided)
          AND ref.close(m.tau, r.tau_b) AND ref.close(m.sen_slope, r.sen_slope_per_index)
          AND ref.close(m.sen_intercept, r.sen_intercept_separate),
          format('%s: S %s, Var(S) %s, Z %s, p %s, tau-b %s, Sen %s, intercept %s', r.series, m.s, m.var_s, m.z, m.p,
                 m.tau, m.sen_slope, m.sen_intercept))
FROM trend.mk m JOIN trend.ref r USING (series) ORDER BY series;
SELECT is(trend, 'marked decrease', series || ' is a marked decrease') FROM trend.mk ORDER BY series;
-- tau-b as R cor.test(method = "kendall") reports it
SELECT ok(ref.close(m.tau, r.cortest_kendall_tau_b), series || ' tau-b equals cor.test') FROM trend.mk m JOIN trend.ref r USING (series) ORDER BY series;

-- per year: slopes in value units per year
SELECT ok(ref.close(sen_slope(time, value), max(r.sen_slope_per_year)), series || ' sen_slope per year')
FROM trend.series JOIN trend.ref r USING (series) GROUP BY series ORDER BY series;
SELECT ok(ref.close(ols_trend(time, value), max(r.ols_slope_per_index)), series || ' ols_trend')
FROM trend.series JOIN trend.ref r USING (series) GROUP BY series ORDER BY series;
SELECT ok(ref.close(ols_trend(index, value ORDER BY value), regr_slope(value, index)), series || ' ols_trend = regr_slope')
FROM trend.series GROUP BY series ORDER BY series;
SELECT ok(ref.close((mann_kendall(time, value)).sen_intercept,
                    max(r.sen_intercept_separate) - max(r.sen_slope_per_index) * (max(r.start_time) - 1)),
          series || ' sen_intercept at t = 0 on the year scale')
FROM trend.series JOIN trend.ref r USING (series) GROUP BY series ORDER BY series;

-- Z threshold option: paper 003 uses 1.66; with 5 the Nile (Z = -4.13) is only a moderate decrease
SELECT is((SELECT (mann_kendall(index, value, 'z_threshold=5')).trend FROM trend.series WHERE series = 'Nile'),
          'moderate decrease', 'z_threshold=5: Nile moderate');
SELECT is((SELECT (mann_kendall(index, value, 'z_threshold=5')).trend FROM trend.series WHERE series = 'LakeHuron'),
          'marked decrease', 'z_threshold=5: LakeHuron (Z = -5.16) marked');
SELECT is((SELECT (mann_kendall(index, -value, 'z_threshold=1.66')).trend FROM trend.series WHERE series = 'Nile'),
          'marked increase', 'reversed sign: marked increase');

-- hand computation: x = 1, 3, 2, 4: S = 4, Var = 4*3*13/18, Z = 3/sqrt(26/3), tau = 4/6,
-- slopes {2, .5, 1, -1, .5, 2}: Sen 0.75, intercept 2.5 - 0.75 * 2.5 = 0.625
CREATE TABLE trend.small (t float8, x float8);
INSERT INTO trend.small VALUES (3, 2), (1, 1), (4, 4), (2, 3);
SELECT is((SELECT row(s, round(var_s::numeric, 12), round(z::numeric, 12), round(tau::numeric, 12), sen_slope, sen_intercept, trend)::text
           FROM (SELECT (mann_kendall(t, x)).* FROM trend.small) m),
          row(4, round(156/18.0, 12), round(3 / sqrt(26/3.0)::numeric, 12), round(4/6.0, 12), 0.75, 0.625, 'moderate increase')::text,
          'hand-computed Mann-Kendall');
-- ties: x = 1, 2, 2, 3: S = 5, Var = (156 - 2*1*9)/18, tau-b = 5/sqrt(6 * 5)
SELECT ok(ref.close(var_s, 138/18.0, 1e-12) AND s = 5 AND ref.close(tau, 5 / sqrt(30), 1e-12) AND ref.close(z, 4 / sqrt(138/18.0), 1e-12),
          'tie correction of Var(S) and tau-b')
FROM (SELECT (mann_kendall(t, v)).* FROM (VALUES (1, 1), (2, 2), (3, 2), (4, 3)) d(t, v)) m;

-- constant series: S = 0, Var(S) = 0, Z = 0 by definition, p = 1, tau undefined, slope 0, unchanged
SELECT is((SELECT row(s, var_s, z, p, tau, sen_slope, trend)::text FROM (SELECT (mann_kendall(g, 7)).* FROM generate_series(1, 10) g) m),
          row(0, 0, 0, 1, NULL, 0, 'unchanged')::text, 'constant series');
SELECT is((SELECT hurst(g, 7) FROM generate_series(1, 10) g), NULL, 'constant series: hurst NULL');

-- Hurst exponent, aggregated variance (R: 1 + coef(lm(log(v) ~ log(m)))[2] / 2, m = 1..floor(n/2))
SELECT ok(ref.close((SELECT hurst(time, value ORDER BY value) FROM trend.series WHERE series = 'Nile'), 0.8220450318178556),
          'hurst Nile');
SELECT ok(ref.close((SELECT hurst(time, value) FROM trend.series WHERE series = 'LakeHuron'), 0.81634138080047491),
          'hurst LakeHuron');

-- sequential Mann-Kendall on the Nile (R transcription of UF/UB)
CREATE TABLE trend.seq AS
SELECT index, time, (mann_kendall_sequential(time, value) OVER (ORDER BY value)).* FROM trend.series WHERE series = 'Nile';
SELECT ok(ref.close(uf, e), format('UF at index %s', index))
FROM trend.seq JOIN (VALUES (1, 0), (2, 1), (10, 0.62609903369994113), (28, 0.27659127289275987), (100, -4.1872322034368832)) v(index, e)
USING (index) ORDER BY index;
SELECT ok(ref.close(ub, e), format('UB at index %s', index))
FROM trend.seq JOIN (VALUES (1, -4.074063765506156), (10, -2.8008867877706116), (28, 0.72387518440056098), (99, 1), (100, 0)) v(index, e)
USING (index) ORDER BY index;
-- crossings inside +/-1.96 after 1888 (f = 0.17), 1889 (0.99), 1890 (0.005), 1891 (0.68), 1896 (0.99): nearest rows
SELECT is((SELECT array_agg(time ORDER BY time) FROM trend.seq WHERE change_point), ARRAY[1888, 1890, 1892, 1897],
          'Nile change points');
SELECT is((SELECT array_agg(time ORDER BY time) FROM (SELECT time, (mann_kendall_sequential(time, value, 'z_threshold=1.5') OVER ()).change_point
           FROM trend.series WHERE series = 'Nile') s WHERE change_point), ARRAY[1892, 1897], 'z_threshold=1.5 keeps the crossings inside');
SELECT is((SELECT count(*) FROM (SELECT series, mann_kendall_sequential(time, value) OVER (PARTITION BY series) r FROM trend.series) s
           WHERE r IS NOT NULL), 198::bigint, 'PARTITION BY series');
SELECT is((SELECT count(*) FROM (SELECT mann_kendall_sequential(time, CASE WHEN index = 7 THEN NULL ELSE value END) OVER () r
           FROM trend.series WHERE series = 'Nile') s WHERE r IS NULL), 1::bigint, 'NULL value row returns NULL');

-- spline_fill: natural cubic spline through the Nile with six years removed (R spline(method = "natural"))
CREATE TABLE trend.filled AS
SELECT index, value, spline_fill(time, CASE WHEN index IN (5, 17, 18, 19, 50, 99) THEN NULL ELSE value END)
         OVER (ORDER BY index DESC) AS filled
FROM trend.series WHERE series = 'Nile';
SELECT ok(ref.close(filled, e), format('spline gap at index %s: %s', index, filled))
FROM trend.filled JOIN (VALUES (5, 1368.3639512267698), (17, 966.26752039808378), (18, 1048.2431082464996),
  (19, 1131.0971419716655), (50, 745.65698756251209), (99, 642.18027993905287)) v(index, e) USING (index) ORDER BY index;
SELECT is((SELECT count(*) FROM trend.filled WHERE index NOT IN (5, 17, 18, 19, 50, 99) AND filled = value), 94::bigint,
          'known values returned unchanged');
-- no extrapolation; linear between two known points
SELECT is((SELECT array_agg(round(f::numeric, 9) ORDER BY t) FROM (SELECT t, spline_fill(t, v) OVER () f FROM (VALUES (1, NULL), (2, 10), (3, NULL), (5, 20), (6, NULL)) d(t, v)) s),
          ARRAY[NULL, 10, 13.333333333, 20, NULL]::numeric[], 'no extrapolation, linear with two points');
SELECT is((SELECT array_agg(f ORDER BY t) FROM (SELECT t, spline_fill(t, v) OVER () f FROM (VALUES (1, NULL), (2, 10)) d(t, v)) s),
          ARRAY[NULL, 10]::float8[], 'one known point: gaps stay NULL');

-- bad input
SELECT throws_ok($$SELECT mann_kendall(t, x) FROM (VALUES (1, 1), (2, 2), (2, 3)) d(t, x)$$,
  '22000', 'mann_kendall: t must not repeat, 2 occurs more than once', 'duplicate t');
SELECT throws_ok($$SELECT sen_slope(t, x) FROM (VALUES (1, 1), (2, 2)) d(t, x)$$,
  '22000', 'sen_slope needs at least 3 points with non-NULL t and value, got 2', 'two points');
SELECT throws_ok($$SELECT ols_trend(t, x) FROM (VALUES (1, 1), (2, 2), (3, NULL)) d(t, x)$$,
  '22000', 'ols_trend needs at least 3 points with non-NULL t and value, got 2', 'NULL rows skipped, then too few');
SELECT throws_ok($$SELECT hurst(g, g) FROM generate_series(1, 3) g$$,
  '22000', 'hurst needs at least 4 points with non-NULL t and value, got 3', 'hurst needs two block sizes');
SELECT throws_ok($$SELECT mann_kendall(g, CASE WHEN g = 2 THEN 'NaN' ELSE g::float8 END) FROM generate_series(1, 5) g$$,
  '22023', 'mann_kendall: value must be finite', 'NaN value');
SELECT throws_ok($$SELECT sen_slope(CASE WHEN g = 2 THEN 'Infinity' ELSE g::float8 END, g) FROM generate_series(1, 5) g$$,
  '22023', 'sen_slope: t must be finite', 'infinite t');
SELECT throws_ok($$SELECT mann_kendall(g, g, 'z_threshold=-1') FROM generate_series(1, 5) g$$,
  '22023', 'mann_kendall: option "z_threshold" is out of range: -1', 'negative threshold');
SELECT throws_ok($$SELECT mann_kendall(g, g, 'alpha=0.05') FROM generate_series(1, 5) g$$,
  '22023', 'mann_kendall: unknown option "alpha"', 'unknown option');
SELECT throws_ok($$SELECT mann_kendall(g, g, CASE WHEN g = 3 THEN 'z_threshold=1.66' ELSE '' END) FROM generate_series(1, 5) g$$,
  '22023', 'mann_kendall: options must be the same in every row', 'options changing between rows');
SELECT throws_ok($$SELECT mann_kendall_sequential(t, x) OVER () FROM (VALUES (1, 1), (1, 2), (2, 3)) d(t, x)$$,
  '22000', 'mann_kendall_sequential: t must not repeat, 1 occurs more than once', 'duplicate t, window');
SELECT throws_ok($$SELECT spline_fill(t, x) OVER () FROM (VALUES (1, 1), (1, 2), (2, NULL)) d(t, x)$$,
  '22000', 'spline_fill: t must not repeat, 1 occurs more than once', 'duplicate t, spline');
SET work_mem = '64kB';
SELECT throws_ok($$SELECT sen_slope(g, g) FROM generate_series(1, 200) g$$,
  '54000', 'sen_slope: the Sen slope of 200 points needs 156 kB, more than work_mem (64 kB)', 'work_mem limit');
RESET work_mem;

SELECT * FROM finish();

-- parallel plans: partial states are concatenated, results equal the serial ones
CREATE TABLE trend.big AS
SELECT g % 500 AS pixel, g / 500 AS year, sin(g) * 10 + (g / 500) * 0.1 * (g % 3) AS v FROM generate_series(0, 499999) g;
ANALYZE trend.big;
CREATE TABLE trend.serial AS
SELECT pixel, (mann_kendall(year, v)).*, ols_trend(year, v) AS ols, hurst(year, v) AS h FROM trend.big GROUP BY pixel;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT ref.plan_has($$SELECT pixel, mann_kendall(year, v) FROM trend.big GROUP BY pixel$$, 'Partial') AS partial_aggregate;
SELECT count(*) AS pixels, bool_and(p.s = s.s AND ref.close(p.z, s.z) AND ref.close(p.sen_slope, s.sen_slope)
                                     AND ref.close(p.ols, s.ols) AND ref.close(p.h, s.h)) AS parallel_equals_serial
FROM (SELECT pixel, (mann_kendall(year, v)).*, ols_trend(year, v) AS ols, hurst(year, v) AS h FROM trend.big GROUP BY pixel) p
JOIN trend.serial s USING (pixel);
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP SCHEMA trend CASCADE;
