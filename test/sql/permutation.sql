-- Permutation inference: pseudo p-values within Monte Carlo error of spdep
-- moran.mc, reproducible for a seed, and independent of row order and of
-- parallel plans (units are put in canonical order before anything is drawn).
SET extra_float_digits = 0;

-- spdep ran 999 permutations with R's RNG, ours another stream: the two
-- estimates of the same p differ by at most 4 standard errors of a difference
-- (plus one step of 1/1000 for the discreteness of the pseudo p-value).
CREATE TEMP TABLE mc AS
SELECT c.weights, st.style, l.variable,
       (morans_i(l.x, l.geom, c.options || ' style=' || st.style || ' permutations=999 seed=7')).p_sim AS ours
FROM ref.weights_config c
CROSS JOIN (VALUES ('W'), ('B')) st(style)
CROSS JOIN ref.columbus_long l
GROUP BY c.weights, st.style, l.variable;

SELECT count(*) AS compared,
       count(*) FILTER (WHERE abs(mc.ours - r.p_value_standard)
                              > 4 * sqrt(2 * p * (1 - p) / 1000) + 0.001) AS outside_mc_error,
       count(*) FILTER (WHERE mc.ours * 1000 <> round(mc.ours * 1000)) AS not_multiple_of_1_over_1000
FROM mc
JOIN ref.moran_mc r USING (weights, style, variable)
CROSS JOIN LATERAL (SELECT (mc.ours + r.p_value_standard) / 2 AS p) pp;

-- the HOVAL p-value is moderate, so the check above is not trivially met by 0.001 = 0.001
SELECT r.p_value_standard AS spdep_p, mc.ours BETWEEN 0.002 AND 0.1 AS ours_moderate
FROM mc JOIN ref.moran_mc r USING (weights, style, variable)
WHERE weights = 'queen' AND style = 'W' AND variable = 'HOVAL';

-- same seed, same result; another seed, another draw
SELECT (SELECT (morans_i(crime, geom, 'seed=1')).p_sim FROM ref.columbus)
     = (SELECT (morans_i(crime, geom, 'seed=1')).p_sim FROM ref.columbus) AS same_seed_same_p,
       (SELECT array_agg(p ORDER BY s) FROM (
          SELECT s, (SELECT (morans_i(hoval, geom, 'seed=' || s)).p_sim FROM ref.columbus) AS p
          FROM generate_series(1, 5) s) t) AS p_sim_for_seeds_1_to_5;

-- row order does not matter, for the aggregate and for the window function
CREATE TEMP TABLE grid AS
SELECT g AS id, (sin(g % 71 / 9.0) + cos(g / 71 / 7.0) + (g * 7919 % 101) / 100.0)::float8 AS x,
       ST_MakeEnvelope(g % 71, g / 71, g % 71 + 1, g / 71 + 1) AS geom
FROM generate_series(0, 4999) g;
CREATE TEMP TABLE grid_shuffled AS SELECT * FROM grid ORDER BY (id * 2654435761) % 4999;

SELECT (SELECT morans_i(x, geom) FROM grid)::text = (SELECT morans_i(x, geom) FROM grid_shuffled)::text
       AS aggregate_order_free;
SELECT count(*) AS rows_differing FROM
  (SELECT id, local_moran(x, geom) OVER () AS r FROM grid) a
  JOIN (SELECT id, local_moran(x, geom) OVER () AS r FROM grid_shuffled) b USING (id)
WHERE a.r::text <> b.r::text;

-- parallel plans give the same results as serial ones
CREATE TABLE perm_grid AS SELECT * FROM grid_shuffled;
ANALYZE perm_grid;
CREATE TEMP TABLE serial_global AS SELECT morans_i(x, geom)::text AS r FROM perm_grid;
CREATE TEMP TABLE serial_local AS SELECT id, local_moran(x, geom) OVER ()::text AS r FROM perm_grid;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT ref.plan_has('SELECT morans_i(x, geom) FROM perm_grid', 'Parallel Seq Scan') AS global_plan_parallel,
       ref.plan_has('SELECT local_moran(x, geom) OVER () FROM perm_grid', 'Parallel Seq Scan') AS local_plan_parallel;
SELECT (SELECT morans_i(x, geom)::text FROM perm_grid) = (SELECT r FROM serial_global) AS global_same_in_parallel;
SELECT count(*) AS local_rows_differing_in_parallel
FROM (SELECT id, local_moran(x, geom) OVER ()::text AS r FROM perm_grid) p
JOIN serial_local s USING (id) WHERE p.r <> s.r;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE perm_grid;

-- The permutations are uniform: on a ring of 8 units (every unit a neighbour
-- of the next) with values whose sums are exact in float8, the exact
-- permutation p-value P(I >= I_obs) over all 8! = 40320 arrangements against
-- the mean p_sim of 200 seeds of 999 permutations each (p_sim is folded to
-- the smaller tail: with p far from 1/2, E p_sim = (999 p + 1) / 1000), within
-- 4 standard errors of that mean.
CREATE TEMP TABLE ring AS
SELECT id, (ARRAY[7, 1, 16, 4, 29, 2, 22, 11])[id]::float8 AS x,
       ARRAY[(id + 6) % 8 + 1, id % 8 + 1]::bigint[] AS neighbors
FROM generate_series(1, 8) id;
WITH RECURSIVE perm(p) AS (
  SELECT ARRAY[v] FROM generate_series(1, 8) v
  UNION ALL
  SELECT p || v FROM perm, generate_series(1, 8) v WHERE NOT v = ANY (p)
), z AS (SELECT array_agg(x - m ORDER BY id) AS z FROM ring, (SELECT avg(x) AS m FROM ring) a),
cross_of AS (
  SELECT (SELECT sum(z[p[i]] * z[p[i % 8 + 1]]) FROM generate_series(1, 8) i) AS c
  FROM perm, z WHERE cardinality(p) = 8
), observed AS (SELECT sum(z[i] * z[i % 8 + 1]) AS c FROM z, generate_series(1, 8) i),
exact AS (SELECT least(avg((cross_of.c >= observed.c)::int), avg((cross_of.c < observed.c)::int)) AS p,
                 count(*) AS arrangements FROM cross_of, observed),
sim AS (
  SELECT avg(p_sim) AS mean_p_sim, count(*) AS seeds
  FROM generate_series(1, 200) s,
       LATERAL (SELECT (morans_i(x, id, neighbors, 'permutations=999 seed=' || s)).p_sim FROM ring) m
)
SELECT arrangements, seeds, exact.p BETWEEN 0.05 AND 0.4 AS p_moderate, round(exact.p, 4) AS p, round(mean_p_sim::numeric, 4) AS mean_p_sim,
       abs(mean_p_sim - (999 * exact.p + 1) / 1000) <= 4 * 0.999 * sqrt(exact.p * (1 - exact.p) / (999 * seeds))
         AS mean_p_sim_within_4_se
FROM exact, sim;
