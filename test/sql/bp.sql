-- bp_fit / bp_predict: determinism, a known function, stored model, bad input.
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bp CASCADE;
CREATE SCHEMA bp;
RESET client_min_messages;
-- y = x1^2 + 0.5 x2 on a 15 x 15 grid over [-1, 1]^2
CREATE TABLE bp.grid AS
SELECT a, b, -1 + a / 7.0::float8 AS x1, -1 + b / 7.0::float8 AS x2, (-1 + a / 7.0::float8)^2 + 0.5 * (-1 + b / 7.0::float8) AS y
FROM generate_series(0, 14) a, generate_series(0, 14) b;
CREATE TABLE bp.m AS
SELECT 'a' AS run, (bp_fit(y, ARRAY[x1, x2], 'hidden=16 epochs=3000 learning_rate=0.01 seed=7' ORDER BY a, b)).* FROM bp.grid;
INSERT INTO bp.m SELECT 'b', (bp_fit(y, ARRAY[x1, x2], 'hidden=16 epochs=3000 learning_rate=0.01 seed=7' ORDER BY a, b)).* FROM bp.grid;
INSERT INTO bp.m SELECT 'c', (bp_fit(y, ARRAY[x1, x2], 'hidden=16 epochs=3000 learning_rate=0.01 seed=8' ORDER BY a, b)).* FROM bp.grid;
SELECT run, n, hidden, epochs, r2 > 0.99 AS fits_well, length(model) AS model_bytes FROM bp.m ORDER BY run;
-- same seed, same model byte for byte; another seed, another model
SELECT (SELECT model FROM bp.m WHERE run = 'a') = (SELECT model FROM bp.m WHERE run = 'b') AS same_seed_same_model,
       (SELECT model FROM bp.m WHERE run = 'a') <> (SELECT model FROM bp.m WHERE run = 'c') AS other_seed_other_model;
-- the reported R2 is the R2 of bp_predict on the training rows
SELECT ref.close(1 - sum((y - bp_predict(m.model, ARRAY[x1, x2]))^2) / sum((y - (SELECT avg(y) FROM bp.grid))^2), m.r2, 1e-9) AS r2_consistent
FROM bp.grid, bp.m m WHERE m.run = 'a' GROUP BY m.r2;
-- predictions between grid points follow the function
SELECT bool_and(abs(bp_predict(m.model, ARRAY[u, v]) - (u * u + 0.5 * v)) < 0.05) AS interpolates
FROM bp.m m, (VALUES (0.5, 0.5), (-0.3, 0.2), (0.05, -0.6)) t(u, v) WHERE m.run = 'a';
-- a linear function with the default options (4 hidden units)
SELECT r2 > 0.999 AS linear_fit FROM (SELECT (bp_fit(3 * x1 - 2 * x2 + 1, ARRAY[x1, x2] ORDER BY a, b)).* FROM bp.grid) s;
-- constant inputs are harmless; NULL rows skipped; empty input gives NULL
SELECT n, r2 > 0.99 AS fits FROM (SELECT (bp_fit(y, ARRAY[x1, x2, 5.0], 'hidden=16 epochs=3000' ORDER BY a, b)).* FROM bp.grid) s;
SELECT (bp_fit(y, x)).n FROM (SELECT y, ARRAY[x1, x2] AS x FROM bp.grid UNION ALL SELECT NULL, ARRAY[1.0, 1] UNION ALL SELECT 1, NULL) s;
SELECT bp_fit(y, ARRAY[x1]) IS NULL AS empty_is_null FROM bp.grid WHERE false;

-- bad input
\set VERBOSITY terse
SELECT bp_fit(y, ARRAY[x1, NULL]) FROM bp.grid;
SELECT bp_fit(y, CASE WHEN a = 3 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM bp.grid;
SELECT bp_fit('NaN', ARRAY[x1]) FROM bp.grid;
SELECT bp_fit(y, ARRAY[x1], 'layers=2') FROM bp.grid;
SELECT bp_fit(y, ARRAY[x1], 'hidden=0') FROM bp.grid;
SELECT bp_fit(1.0, ARRAY[x1], 'epochs=10') FROM bp.grid;
SELECT bp_fit(y, ARRAY[x1]) FROM bp.grid WHERE a = 0 AND b < 2;
SELECT bp_predict(m.model, ARRAY[1.0]) FROM bp.m m WHERE run = 'a';
SELECT bp_predict(m.model, ARRAY[1.0, 'Infinity']) FROM bp.m m WHERE run = 'a';
SELECT bp_predict('\x00010203'::bytea, ARRAY[1.0]);
