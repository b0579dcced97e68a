-- geodetector, geodetector_interaction and discretisation.
-- Reference: R 4 with the formulas of the R GD/geodetector packages (q = 1 - SSW/SST,
-- F = (N-L)/(L-1) q/(1-q), lambda = (sum m_h^2 - (sum sqrt(N_h) m_h)^2/N)/var(y),
-- p = pf(F, L-1, N-L, ncp = lambda, lower.tail = FALSE)) on the data below.  R's noncentral pf stops at
-- an absolute error of about 1e-9, so p is checked against pf within 1e-8 and within 1e-10 against the exact
-- Poisson mixture sum(dpois(j, lambda/2) * pbeta(x, (L-1)/2 + j, (N-L)/2, lower.tail = FALSE)), j = 0..400, in R,
-- i = 1..60, y = ((37 i) mod 101)/10 + (i mod 4), s1 = i mod 4, s2 = (i div 7) mod 3.
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS geodetector CASCADE;
CREATE SCHEMA geodetector;
RESET client_min_messages;
CREATE TABLE geodetector.d AS
SELECT i, ((i * 37) % 101) / 10.0::float8 + (i % 4) AS y, (i % 4)::bigint AS s1, ((i / 7) % 3)::bigint AS s2
FROM generate_series(1, 60) i;

SELECT ref.close(q, 0.11632283917946684) AS q, ref.close(f, 2.45718658459745409) AS f,
       ref.close(lambda, 0.45753650077256935) AS lambda, ref.close(p, 0.10575436139744815, 1e-8) AND ref.close(p, 0.10575436124155614, 1e-10) AS p, strata, n
FROM (SELECT (geodetector(y, s1)).* FROM geodetector.d) s;
SELECT ref.close(q, 0.0035248769428178894) AS q, ref.close(f, 0.1008143510518376140) AS f,
       ref.close(p, 0.9055639717751495787, 1e-8) AND ref.close(p, 0.90556397177277415, 1e-10) AS p
FROM (SELECT (geodetector(y, s2)).* FROM geodetector.d) s;
SELECT ref.close(q1, 0.11632283917946684) AS q1, ref.close(q2, 0.0035248769428178894) AS q2,
       ref.close(q12, 0.18236359829472426) AS q12, interaction
FROM (SELECT (geodetector_interaction(y, s1, s2)).* FROM geodetector.d) s;
-- the overlay as one factor gives q12 and R's p for the 12 intersection strata
SELECT ref.close(p, 0.63362569170548033, 1e-8) AND ref.close(p, 0.63362569138000202, 1e-10) AS p_overlay
FROM (SELECT (geodetector(y, s1 * 10 + s2)).* FROM geodetector.d) s;

-- hand cases: strata that explain everything but within-noise, one stratum, independent factors
SELECT (geodetector(y, g)).q AS q_one_stratum, (geodetector(y, g)).f IS NULL AS f_null
FROM (VALUES (1.0, 1), (2, 1), (4, 1)) v(y, g);
-- y = a + b with a, b on a balanced 2 x 2 design: q12 = q1 + q2 exactly
SELECT round(q1::numeric, 12) AS q1, round(q2::numeric, 12) AS q2, round(q12::numeric, 12) AS q12, interaction
FROM (SELECT (geodetector_interaction(a * 1 + b * 2 + e, a, b)).*
      FROM (VALUES (0, 0, 0.1), (0, 0, -0.1), (0, 1, 0.1), (0, 1, -0.1), (1, 0, 0.1), (1, 0, -0.1), (1, 1, 0.1), (1, 1, -0.1)) v(a, b, e)) s;
-- overlay strata refine each factor, so q12 >= max(q1, q2); here max < q12 < q1 + q2: bivariate enhance
SELECT interaction FROM (SELECT (geodetector_interaction(y, a, b)).*
      FROM (VALUES (1.0, 0, 0), (1.2, 0, 0), (3, 1, 1), (3.2, 1, 1), (2, 0, 1), (2.2, 1, 0)) v(y, a, b)) s;

-- NULL rows skipped; empty input NULL
SELECT (geodetector(y, s)).n FROM (SELECT y, s1 AS s FROM geodetector.d UNION ALL SELECT NULL, 1 UNION ALL SELECT 1, NULL) x;
SELECT geodetector(y, s1) IS NULL AS empty_is_null FROM geodetector.d WHERE false;

-- forced parallelism
CREATE TABLE geodetector.big AS SELECT d.* FROM geodetector.d d, generate_series(1, 1000) g;
ANALYZE geodetector.big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT count(*) AS partial_aggregates FROM ref.plan($$SELECT geodetector(y, s1), geodetector_interaction(y, s1, s2) FROM geodetector.big$$) line
WHERE line ~ 'Partial Aggregate';
CREATE TABLE geodetector.par AS SELECT (geodetector(y, s1)).q, (geodetector_interaction(y, s1, s2)).q12 FROM geodetector.big;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE geodetector.ser AS SELECT (geodetector(y, s1)).q, (geodetector_interaction(y, s1, s2)).q12 FROM geodetector.big;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
SELECT ref.close(p.q, s.q, 1e-10) AND ref.close(p.q12, s.q12, 1e-10) AS parallel_equals_serial,
       ref.close(p.q, 0.11632283917946684, 1e-9) AS copies_keep_q
FROM geodetector.par p, geodetector.ser s;

-- discretisation: R quantile(type = 7) of x = {3.1, 7.4, 1.2, 9.9, 5.5, 2.2, 8.8, 4.4, 6.6, 0.5}: 2.425, 4.95, 7.2
SELECT (SELECT bool_and(ref.close(a, b, 1e-12)) FROM unnest(geodetector_breaks('{3.1,7.4,1.2,9.9,5.5,2.2,8.8,4.4,6.6,0.5}', 'quantile', 4),
        ARRAY[2.425, 4.95, 7.2]) u(a, b)) AS quantile_matches_r;
SELECT geodetector_breaks('{0,2,5,10}', 'equal', 4) AS equal_breaks;
-- three clear clusters: Jenks puts the thresholds at the first value of each upper cluster
SELECT geodetector_breaks('{22,1,11,2,21,3,10,12,20}', 'natural', 3) AS natural_breaks;
-- y is constant within x's three clusters: q = 1 at 3 classes, and ties keep the fewest classes
SELECT classes, breaks, q FROM geodetector_discretize('{5,5,5,9,9,9,1,1,1}', '{1,2,3,10,11,12,20,21,22}', 'natural', 2, 6);
SELECT classes, round(q::numeric, 6) AS q FROM geodetector_discretize(
  (SELECT array_agg(y ORDER BY i) FROM geodetector.d), (SELECT array_agg(i::float8 ORDER BY i) FROM geodetector.d), 'quantile', 2, 6);

-- bad input
\set VERBOSITY terse
SELECT geodetector('NaN', 1) FROM geodetector.d;
SELECT geodetector(1.0, s1) FROM geodetector.d;
SELECT geodetector(y, i) FROM geodetector.d;
SELECT geodetector(y, 9007199254740993) FROM geodetector.d;
SELECT geodetector_breaks('{1,2,3}', 'jenks', 2);
SELECT geodetector_breaks('{1,2,3}', 'natural', 4);
SELECT geodetector_breaks('{1,NULL,3}', 'natural', 2);
SELECT geodetector_discretize('{1,2}', '{1,2,3}');
SELECT geodetector_discretize('{1,2,3}', '{1,2,3}', 'equal', 3, 2);
