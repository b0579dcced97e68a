-- gini_signed (SPEC section 5) against hand computations for every method:
-- positive, mixed signs, ties, all negative, all zero, one value, weights.
-- Fractions in the comments are worked out by hand from the definitions
-- (sum over all pairs |y_i - y_j|, Lorenz areas), not from this code.
SET extra_float_digits = 0;
CREATE SCHEMA inequality;
CREATE TABLE inequality.cases (name text, y float8, w float8);
INSERT INTO inequality.cases VALUES
  ('positive', 1, 1), ('positive', 2, 1), ('positive', 3, 1), ('positive', 4, 1),
  ('mixed3', 3, 1), ('mixed3', -2, 1), ('mixed3', 1, 1),
  ('mixed5', 6, 2), ('mixed5', -3, 2), ('mixed5', 0, 3), ('mixed5', 2, 1), ('mixed5', -1, 1),
  ('ties', 2, 1), ('ties', 5, 1), ('ties', 2, 1), ('ties', 2, 1),
  ('negative', -1, 1), ('negative', -2, 1), ('negative', -3, 1), ('negative', -4, 1),
  ('zero', 0, 1), ('zero', 0, 1), ('zero', 0, 1),
  ('one', 5, 1), ('one_negative', -5, 1),
  ('rsv_b', -45, 1), ('rsv_b', 45.01, 1);
INSERT INTO inequality.cases SELECT 'rsv_b', 0, 1 FROM generate_series(1, 8);

CREATE TABLE inequality.expected (name text, method text, g float8);
INSERT INTO inequality.expected VALUES
  -- {1,2,3,4}: sum|diff| = 20, G = 20 / (2 * 16 * 2.5) = 1/4 for every method
  ('positive', 'raffinetti', 0.25), ('positive', 'chen', 0.25), ('positive', 'ai2017', 0.25), ('positive', 'standard', 0.25),
  -- {-2,1,3}: D = sum (2i-n-1) y = 10; raffinetti 10 / (3 * 6) = 5/9; usual Gini 10 / (3 * 2) = 5/3;
  -- Lorenz curve (0,0) (1/3,-1) (2/3,-1/2) (1,1): area below zero 1/6 + 1/4 + 1/36 = 4/9,
  -- chen = (5/3) / (1 + 8/9) = 15/17; ai2017: deficit {2} 0 + surplus {1,3} 2/8 = 1/4
  ('mixed3', 'raffinetti', 5.0/9), ('mixed3', 'chen', 15.0/17), ('mixed3', 'ai2017', 0.25),
  -- {2,2,2,5}: sum|diff| = 18, G = 18 / (2 * 16 * 11/4) = 9/44
  ('ties', 'raffinetti', 9.0/44), ('ties', 'chen', 9.0/44), ('ties', 'ai2017', 9.0/44), ('ties', 'standard', 9.0/44),
  -- {-1,-2,-3,-4}: raffinetti 20 / (2 * 4 * 10) = 1/4; ai2017 = Gini of {1,2,3,4} = 1/4; chen undefined (total < 0)
  ('negative', 'raffinetti', 0.25), ('negative', 'chen', NULL), ('negative', 'ai2017', 0.25),
  -- all zero: raffinetti 0/0 and chen (total 0) undefined; ai2017: only the neutral group, 0
  ('zero', 'raffinetti', NULL), ('zero', 'chen', NULL), ('zero', 'ai2017', 0),
  -- one value: no dispersion
  ('one', 'raffinetti', 0), ('one', 'chen', 0), ('one', 'ai2017', 0), ('one', 'standard', 0),
  ('one_negative', 'raffinetti', 0), ('one_negative', 'chen', NULL), ('one_negative', 'ai2017', 0),
  -- Raffinetti et al. (2015) example b: -45, eight zeros, 45.01: D = 9 * 45 + 9 * 45.01,
  -- G = D / (10 * 90.01) = 9/10 = (n-1)/n, the maximum under the n^2 normalisation
  ('rsv_b', 'raffinetti', 0.9), ('rsv_b', 'ai2017', 0);

SELECT plan(45);

-- unweighted, every method
SELECT ok(ref.close(o.g, e.g, 1e-12), format('%s %s: %s (expected %s)', e.name, e.method, o.g, e.g))
FROM inequality.expected e
JOIN LATERAL (SELECT gini_signed(y, e.method) AS g FROM inequality.cases c WHERE c.name = e.name) o ON true
ORDER BY e.name, e.method;

-- default method is raffinetti
SELECT is((SELECT gini_signed(y) FROM inequality.cases WHERE name = 'mixed3'),
          (SELECT gini_signed(y, 'raffinetti') FROM inequality.cases WHERE name = 'mixed3'), 'default method is raffinetti');

-- weighted {-3 x2, -1 x1, 0 x3, 2 x1, 6 x2}: equals the unweighted Gini of the replicated values
CREATE TABLE inequality.replicated AS
SELECT y FROM inequality.cases, generate_series(1, w::int) WHERE name = 'mixed5';
SELECT ok(bool_and(ref.close(
            (SELECT gini_signed(y, m, w) FROM inequality.cases WHERE name = 'mixed5'),
            (SELECT gini_signed(y, m) FROM inequality.replicated), 1e-12)),
          'integer weights equal replicated rows for raffinetti, chen and ai2017')
FROM unnest(ARRAY['raffinetti', 'chen', 'ai2017']) m;
-- by hand: weighted sum|diff|/2 = 138, W = 9, sum w|y| = 21: raffinetti 138 / 189 = 46/63;
-- deficit {3 x2, 1}: 4 / (3 * 7) = 4/21, surplus {2, 6 x2}: 8 / (3 * 14) = 4/21, ai2017 = 8/21
SELECT ok(ref.close((SELECT gini_signed(y, 'raffinetti', w) FROM inequality.cases WHERE name = 'mixed5'), 46.0/63, 1e-12),
          'weighted raffinetti 46/63');
SELECT ok(ref.close((SELECT gini_signed(y, 'ai2017', w) FROM inequality.cases WHERE name = 'mixed5'), 8.0/21, 1e-12),
          'weighted ai2017 8/21');
-- unweighted {-3,-1,0,2,6}: usual Gini 42/20, area below zero 37/60, chen = 2.1 / (67/30) = 63/67
SELECT ok(ref.close((SELECT gini_signed(y, 'chen') FROM inequality.cases WHERE name = 'mixed5'), 63.0/67, 1e-12),
          'chen 63/67 with the exact zero crossing');
-- fractional weights scale-free: doubling every weight changes nothing
SELECT ok(ref.close((SELECT gini_signed(y, 'chen', w * 2.5) FROM inequality.cases WHERE name = 'mixed5'),
                    (SELECT gini_signed(y, 'chen', w) FROM inequality.cases WHERE name = 'mixed5'), 1e-12),
          'weights are relative');
-- input order does not matter; NULL values and weights are skipped
SELECT ok(ref.close((SELECT gini_signed(y, 'chen') FROM (SELECT y FROM inequality.cases WHERE name = 'mixed5' ORDER BY y DESC) s),
                    63.0/67, 1e-12), 'order of rows does not matter');
SELECT ok(ref.close((SELECT gini_signed(y, 'raffinetti', w) FROM (SELECT y, w FROM inequality.cases WHERE name = 'mixed3'
                     UNION ALL VALUES (NULL::float8, 1::float8), (100, NULL)) s), 5.0/9, 1e-12), 'NULL value or weight skipped');
SELECT is((SELECT gini_signed(y) FROM inequality.cases WHERE false), NULL, 'no rows: NULL');
SELECT is((SELECT gini_signed(NULL::float8) FROM generate_series(1, 3)), NULL, 'only NULL values: NULL');
-- GROUP BY, as for provincial Ginis
SELECT is((SELECT count(*) FROM (SELECT name, gini_signed(y, 'ai2017') FROM inequality.cases GROUP BY name) s), 9::bigint,
          'one coefficient per group');

-- bad input
SELECT throws_ok($$SELECT gini_signed(y, 'standard') FROM inequality.cases WHERE name = 'mixed3'$$,
  '22023', 'gini_signed: method standard needs non-negative values, got -2', 'standard rejects negative values');
SELECT throws_ok($$SELECT gini_signed(y, 'standard') FROM inequality.cases WHERE name = 'zero'$$,
  '22000', 'gini_signed: method standard needs a positive mean, got 0', 'standard rejects a zero mean');
SELECT throws_ok($$SELECT gini_signed(y, 'theil') FROM inequality.cases$$,
  '22023', 'gini_signed: unknown method "theil"', 'unknown method');
SELECT throws_ok($$SELECT gini_signed(y, NULL) FROM inequality.cases$$,
  '22004', 'gini_signed: method must not be NULL', 'NULL method');
SELECT throws_ok($$SELECT gini_signed(y, CASE WHEN y > 0 THEN 'chen' ELSE 'ai2017' END) FROM inequality.cases$$,
  '22023', 'gini_signed: method must be the same in every row', 'method changing between rows');
SELECT throws_ok($$SELECT gini_signed(CASE WHEN y = 3 THEN 'NaN' ELSE y END) FROM inequality.cases$$,
  '22023', 'gini_signed: value must be finite', 'NaN value');
SELECT throws_ok($$SELECT gini_signed(y, 'chen', -w) FROM inequality.cases$$,
  '22023', 'gini_signed: weight must not be negative, got -1', 'negative weight');
SELECT throws_ok($$SELECT gini_signed(y, 'chen', 'Infinity') FROM inequality.cases$$,
  '22023', 'gini_signed: weight must be finite', 'infinite weight');

SELECT * FROM finish();

-- parallel plans: partial states are concatenated, results equal the serial ones
CREATE TABLE inequality.big AS
SELECT g % 7 AS grp, sin(g) * 100 + (g % 13) AS y, 1 + g % 5 AS w FROM generate_series(1, 200000) g;
ANALYZE inequality.big;
CREATE TABLE inequality.serial AS
SELECT gini_signed(y) AS r, gini_signed(y, 'chen', w) AS c, gini_signed(y, 'ai2017', w) AS a FROM inequality.big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT ref.plan_has($$SELECT grp, gini_signed(y, 'chen', w) FROM inequality.big GROUP BY grp$$, 'Partial') AS partial_aggregate;
SELECT ref.close(p.r, s.r, 1e-9) AND ref.close(p.c, s.c, 1e-9) AND ref.close(p.a, s.a, 1e-9) AS parallel_equals_serial
FROM (SELECT gini_signed(y) AS r, gini_signed(y, 'chen', w) AS c, gini_signed(y, 'ai2017', w) AS a FROM inequality.big) p,
     inequality.serial s;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP SCHEMA inequality CASCADE;
