-- Two-phase spatial statistics (SPEC section 13): spatial_state, then
-- local_moran_at, getis_ord_gi_at and morans_i_at per row.  Each must equal
-- the window or aggregate form over the same neighbour lists exactly (the
-- same bits), for every weights set, style, option and NULL pattern, in any
-- row order and in a parallel plan; bad input gets its error.
SET client_min_messages = warning;

-- Columbus with the neighbour lists of every weights set (knn lists are asymmetric;
-- dist_islands has islands), weights 1/|id - nb| for the weighted forms, and a copy
-- with NULL values where links to them must be dropped as the window forms do
CREATE TEMP TABLE unit AS
SELECT w.weights, l.variable, l.id::bigint AS id, l.x,
       coalesce((SELECT array_agg(n.nb_id::bigint ORDER BY n.nb_id DESC) FROM ref.nb n
                 WHERE n.weights = w.weights AND n.id = l.id), '{}') AS neighbors
FROM (SELECT DISTINCT weights FROM ref.nb) w
CROSS JOIN ref.columbus_long l;
ALTER TABLE unit ADD COLUMN nbw float8[];
UPDATE unit SET nbw = ARRAY(SELECT 1.0 / abs(id - n) FROM unnest(neighbors) n);
-- an island (its neighbours still list it)
UPDATE unit SET neighbors = '{}', nbw = '{}' WHERE weights = 'rook' AND id = 5;
INSERT INTO unit
SELECT weights, variable || '_nulls', id, CASE WHEN id % 7 = 3 THEN NULL ELSE x END, neighbors, nbw FROM unit;

CREATE TEMP TABLE state AS
SELECT weights, variable, spatial_state(x, id) AS s FROM unit GROUP BY weights, variable;

SELECT plan(24);

SELECT is((SELECT count(*) FROM state), (SELECT count(DISTINCT weights) * 6 FROM ref.nb),
          'a state per weights set and variable (three with NULL values)');

-- local Moran: every option set, plain and weighted lists
CREATE TEMP TABLE lm_options (options text);
INSERT INTO lm_options VALUES (''), ('permutations=0'), ('style=B permutations=99 seed=3'),
  ('variance=total alternative=greater permutations=199 seed=11'), ('alpha=0.01 permutations=49');
CREATE TEMP TABLE lm AS
SELECT u.weights, u.variable, u.id, o.options,
       local_moran(u.x, u.id, u.neighbors, o.options) OVER (PARTITION BY u.weights, u.variable, o.options) AS win,
       local_moran(u.x, u.id, u.neighbors, u.nbw, o.options) OVER (PARTITION BY u.weights, u.variable, o.options) AS win_w
FROM unit u CROSS JOIN lm_options o;
ALTER TABLE lm ADD COLUMN two local_moran_result, ADD COLUMN two_w local_moran_result;
UPDATE lm SET two = local_moran_at(s.s, u.x, u.id, u.neighbors, lm.options),
              two_w = local_moran_at(s.s, u.x, u.id, u.neighbors, u.nbw, lm.options)
FROM unit u JOIN state s USING (weights, variable)
WHERE (u.weights, u.variable, u.id) = (lm.weights, lm.variable, lm.id);

SELECT is((SELECT count(*) FROM lm WHERE two IS DISTINCT FROM win), 0::bigint,
          'local_moran_at equals local_moran OVER () on every row, weights set and option set');
SELECT is((SELECT count(*) FROM lm WHERE two_w IS DISTINCT FROM win_w), 0::bigint,
          'the same with weighted neighbour lists');
SELECT ok((SELECT count(*) FILTER (WHERE (two).p_sim IS NOT NULL) > 1000 AND count(*) FILTER (WHERE two IS NULL) = 7 * 3 * 5 * (SELECT count(DISTINCT weights) FROM ref.nb)
                  AND count(*) FILTER (WHERE (two).z IS NULL AND (two).ii IS NOT NULL) > 0 FROM lm),
          'the comparison covers p_sim, rows with NULL values and islands');

-- the random streams depend on the seed and the id only: a subset of rows gives the same draws
SELECT is((SELECT count(*) FROM lm l JOIN state s USING (weights, variable)
           JOIN unit u USING (weights, variable, id)
           WHERE l.options = 'style=B permutations=99 seed=3' AND u.id % 2 = 0
             AND local_moran_at(s.s, u.x, u.id, u.neighbors, l.options) IS DISTINCT FROM l.win), 0::bigint,
          'a row''s result does not depend on which other rows are computed');

-- Getis-Ord Gi* and Gi
CREATE TEMP TABLE gi AS
SELECT u.weights, u.variable, u.id, o.options,
       getis_ord_gi(u.x, u.id, u.neighbors, o.options) OVER (PARTITION BY u.weights, u.variable, o.options) AS win,
       getis_ord_gi(u.x, u.id, u.neighbors, u.nbw, o.options) OVER (PARTITION BY u.weights, u.variable, o.options) AS win_w,
       getis_ord_gi_at(s.s, u.x, u.id, u.neighbors, o.options) AS two,
       getis_ord_gi_at(s.s, u.x, u.id, u.neighbors, u.nbw, o.options) AS two_w
FROM unit u JOIN state s USING (weights, variable)
CROSS JOIN (VALUES (''), ('star=false'), ('style=B'), ('style=B star=false')) o(options);
SELECT is((SELECT count(*) FROM gi WHERE two IS DISTINCT FROM win OR two_w IS DISTINCT FROM win_w), 0::bigint,
          'getis_ord_gi_at equals getis_ord_gi OVER () for Gi* and Gi, both styles, plain and weighted');

-- global Moran
CREATE TEMP TABLE gm AS
SELECT u.weights, u.variable, o.options,
       morans_i(u.x, u.id, u.neighbors, o.options) AS one,
       morans_i(u.x, u.id, u.neighbors, u.nbw, o.options) AS one_w,
       morans_i_at(s.s, u.x, u.id, u.neighbors, o.options) AS two,
       morans_i_at(s.s, u.x, u.id, u.neighbors, u.nbw, o.options) AS two_w
FROM unit u JOIN state s USING (weights, variable)
CROSS JOIN (VALUES ('permutations=99'), ('style=B permutations=199 seed=5 alternative=less')) o(options)
GROUP BY u.weights, u.variable, o.options;
SELECT is((SELECT count(*) FROM gm WHERE two IS DISTINCT FROM one OR two_w IS DISTINCT FROM one_w), 0::bigint,
          'morans_i_at equals morans_i, p_sim included, for every weights set (knn: asymmetric)');
SELECT is((SELECT (morans_i_at(s.s, u.x, u.id, u.neighbors)).p_sim FROM unit u JOIN state s USING (weights, variable)
           WHERE u.weights = 'queen' AND u.variable = 'CRIME' GROUP BY s.s),
          (SELECT (morans_i(x, id, neighbors)).p_sim FROM unit WHERE weights = 'queen' AND variable = 'CRIME'),
          'the default 999 permutations agree');

-- order of rows and parallel plans do not change a bit
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE big AS
SELECT (r * 60 + c + 1)::bigint AS id, (sin(r * 0.3) * cos(c * 0.2) + ((r * 31 + c * 17) % 11) * 0.1)::float8 AS x,
       ARRAY(SELECT (r2 * 60 + c2 + 1)::bigint
             FROM generate_series(greatest(r - 1, 0), least(r + 1, 59)) r2,
                  generate_series(greatest(c - 1, 0), least(c + 1, 59)) c2
             WHERE (r2, c2) <> (r, c)) AS neighbors
FROM generate_series(0, 59) r, generate_series(0, 59) c;
-- parallel workers cannot read temporary tables
CREATE TABLE public.big_shuffled AS SELECT * FROM big ORDER BY md5(id::text);
ANALYZE big_shuffled;
CREATE TEMP TABLE big_state AS SELECT spatial_state(x, id) AS s FROM big_shuffled;
SELECT is((SELECT s FROM big_state), (SELECT spatial_state(x, id) FROM big),
          'spatial_state does not depend on the order of the rows');
SELECT ok(ref.plan_has($$SELECT spatial_state(x, id) FROM big_shuffled$$, 'Partial Aggregate'),
          'spatial_state runs as a partial aggregate in parallel plans');
SELECT is((SELECT s FROM big_state), (SELECT spatial_state(x, id) FROM big_shuffled),
          'and gives the same state there');
SELECT ok(ref.plan_has($$SELECT local_moran_at((SELECT s FROM big_state), x, id, neighbors) FROM big_shuffled$$, 'Parallel Seq Scan'),
          'local_moran_at runs in parallel workers');
SELECT is((SELECT count(*) FROM (SELECT id, local_moran_at((SELECT s FROM big_state), x, id, neighbors, 'permutations=99') AS r
                                 FROM big_shuffled) p
           JOIN (SELECT id, local_moran(x, id, neighbors, 'permutations=99') OVER () AS r FROM big) w USING (id)
           WHERE p.r IS DISTINCT FROM w.r), 0::bigint,
          'a parallel local_moran_at equals the window form on 3,600 cells');
SELECT is((SELECT morans_i_at((SELECT s FROM big_state), x, id, neighbors, 'permutations=49') FROM big_shuffled),
          (SELECT morans_i(x, id, neighbors, 'permutations=49') FROM big),
          'a parallel morans_i_at equals morans_i');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE public.big_shuffled;

-- bad input
CREATE TEMP TABLE sq AS SELECT id::bigint AS id, (id * 7 % 5)::float8 AS x,
  ARRAY[CASE WHEN id > 1 THEN id - 1 END, CASE WHEN id < 9 THEN id + 1 END]::bigint[] AS neighbors
FROM generate_series(1, 9) id;
UPDATE sq SET neighbors = array_remove(neighbors, NULL);
CREATE TEMP TABLE sq_state AS SELECT spatial_state(x, id) AS s FROM sq;
SELECT throws_ok($$SELECT local_moran_at(s, x + 1, id, neighbors) FROM sq, sq_state$$, '22023',
                 'local_moran_at: the value of id 1 differs from the state''s',
                 'a value that is not the state''s is an error');
SELECT throws_ok($$SELECT getis_ord_gi_at(s, x, 10, neighbors) FROM sq, sq_state LIMIT 1$$, '22023',
                 'getis_ord_gi_at: id 10 is not in the state', 'an id that is not in the state is an error');
SELECT throws_ok($$SELECT local_moran_at(s, x, id, neighbors || 12::bigint) FROM sq, sq_state$$, '22023',
                 'local_moran_at: neighbour 12 of id 1 does not exist', 'an unknown neighbour is an error (as the window forms)');
SELECT is((SELECT count(*) FROM sq, sq_state WHERE local_moran_at(s, x, id, neighbors || 12::bigint, 'missing=drop')
                                                  = local_moran_at(s, x, id, neighbors)), 9::bigint,
          'missing=drop drops it');
SELECT throws_ok($$SELECT local_moran_at(s, x, id, neighbors, 'fdr=true') FROM sq, sq_state$$, '0A000',
                 'local_moran_at: option "fdr" is not available', 'fdr is refused with the reason');
SELECT throws_ok($$SELECT morans_i_at(s, x, id, neighbors) FROM sq, sq_state WHERE id < 9$$, '22023',
                 'morans_i_at: the rows are not the units of the state', 'morans_i_at over a subset of the units is an error');
SELECT throws_ok($$SELECT local_moran_at(decode('00112233', 'hex'), x, id, neighbors) FROM sq$$, '22023',
                 NULL, 'bytes that are not a state are an error');
SELECT throws_ok($$SELECT local_moran_at(overlay(s placing '\x7f'::bytea from 60), x, id, neighbors) FROM sq, sq_state$$, '22023',
                 NULL, 'a damaged state is an error');
SELECT throws_ok($$SELECT spatial_state(x, id % 4) FROM sq$$, '22023',
                 'spatial_state: id 0 appears twice', 'duplicate ids are an error');
SELECT is((SELECT count(*) FROM sq, sq_state WHERE local_moran_at(s, NULL, id, neighbors) IS NULL
                                                 AND local_moran_at(NULL, x, id, neighbors) IS NULL
                                                 AND getis_ord_gi_at(s, x, NULL, neighbors) IS NULL), 9::bigint,
          'NULL state, value or id: NULL, as the window forms skip such rows');

SELECT * FROM finish();
