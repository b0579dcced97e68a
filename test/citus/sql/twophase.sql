-- Two-phase spatial statistics on a distributed table: spatial_state is built
-- from partial states on the workers; local_moran_at and getis_ord_gi_at run
-- on the workers with the state broadcast to them (from a reference table, or
-- a subquery Citus sends as an intermediate result); morans_i_at is split into
-- worker partials.  Every result equals the single-node window or aggregate
-- form on the same rows, to the last bit.
SET search_path = public, carbonbudget;
SET client_min_messages = warning;
-- (Citus warns that a function in pg_temp is not propagated to the workers)
SET client_min_messages = error;
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; plan text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP plan := plan || line || E'\n'; END LOOP;
  RETURN plan;
END $$;
SET client_min_messages = warning;

-- neighbour lists of a distributed table without moving every geometry to one node: each province's
-- weights from its own units and a halo of the other provinces' units along its boundary (docs/scale-out.md)
CREATE TABLE province_outline AS SELECT province, ST_Union(geom) AS geom FROM units GROUP BY province;
SELECT create_reference_table('province_outline');
CREATE TABLE unit_halo (target int, id bigint, geom geometry);
SELECT create_distributed_table('unit_halo', 'target', colocate_with => 'units');
INSERT INTO unit_halo
SELECT o.province, u.id, u.geom FROM units u JOIN province_outline o
  ON o.province <> u.province AND ST_DWithin(u.geom, o.geom, 0.001);
CREATE TABLE unit_nb (province int, id bigint, neighbors bigint[]);
SELECT create_distributed_table('unit_nb', 'province', colocate_with => 'units');
SELECT $q$INSERT INTO unit_nb (province, id, neighbors)
SELECT s.province, l.i, array_agg(l.j ORDER BY l.j)
FROM (SELECT province, array_agg(id ORDER BY id) AS ids, array_agg(geom ORDER BY id) AS geoms,
             array_agg(id) FILTER (WHERE own) AS own_ids
      FROM (SELECT province, id, geom, true AS own FROM units
            UNION ALL SELECT target, id, geom, false FROM unit_halo) a
      GROUP BY province) s
CROSS JOIN LATERAL spatial_weights(s.ids, s.geoms, 'weights=rook style=B') l
WHERE l.i = ANY (s.own_ids)
GROUP BY s.province, l.i$q$ AS weights_query \gset
SELECT pg_temp.plan_of(:'weights_query') ~ 'Task Count: 32.*spatial_weights' AS weights_on_the_workers;
:weights_query;
SELECT count(*) AS halo_units FROM unit_halo;
SELECT count(*) AS units, count(*) FILTER (WHERE n.neighbors = u.neighbors) AS same_as_whole_set
FROM units u JOIN unit_nb n ON n.province = u.province AND n.id = u.id;
DROP TABLE unit_nb, unit_halo, province_outline;

-- phase 1: partial states on the workers, one state equal to the single-node one
SELECT pg_temp.plan_of($$SELECT spatial_state(value, id) FROM units$$) LIKE '%worker_partial_agg%' AS state_split;
CREATE TABLE unit_state (s bytea);
SELECT create_reference_table('unit_state');
INSERT INTO unit_state SELECT spatial_state(value, id) FROM units;
SELECT (SELECT s FROM unit_state) = (SELECT spatial_state(value, id) FROM units_local) AS same_state;

-- phase 2 pushed down: a join with the reference table runs on the workers, one task per shard
SELECT pg_temp.plan_of($$SELECT id, local_moran_at(s, value, id, neighbors) FROM units, unit_state$$)
         ~ 'Task Count: 32.*local_moran_at' AS lisa_pushed_down;
CREATE TEMP TABLE lisa_window AS
SELECT id, local_moran(value, id, neighbors, 'permutations=999 seed=9') OVER () AS r,
       getis_ord_gi(value, id, neighbors) OVER () AS g,
       getis_ord_gi(value, id, neighbors, 'star=false style=B') OVER () AS g_b
FROM units_local;
CREATE TEMP TABLE lisa_two AS
SELECT id, local_moran_at(s, value, id, neighbors, 'permutations=999 seed=9') AS r,
       getis_ord_gi_at(s, value, id, neighbors) AS g,
       getis_ord_gi_at(s, value, id, neighbors, 'star=false style=B') AS g_b
FROM units, unit_state;
SELECT count(*) AS units,
       count(*) FILTER (WHERE w.r IS NOT DISTINCT FROM t.r) AS same_lisa,
       count(*) FILTER (WHERE w.g IS NOT DISTINCT FROM t.g AND w.g_b IS NOT DISTINCT FROM t.g_b) AS same_gi,
       count(*) FILTER (WHERE (t.r).cluster <> 'not significant') AS significant
FROM lisa_window w JOIN lisa_two t USING (id);

-- the state as a subquery: Citus computes it once and sends it to the workers
SELECT count(*) FILTER (WHERE w.r IS NOT DISTINCT FROM t.r) AS same_lisa_subquery
FROM lisa_window w
JOIN (SELECT id, local_moran_at((SELECT spatial_state(value, id) FROM units), value, id, neighbors,
                                'permutations=999 seed=9') AS r FROM units) t USING (id);

-- one province at a time (a shard's rows only): the same rows of the whole-table result
SELECT count(*) FILTER (WHERE w.r IS NOT DISTINCT FROM t.r) AS same_in_province_4, count(*) AS units
FROM lisa_window w
JOIN (SELECT id, local_moran_at(s, value, id, neighbors, 'permutations=999 seed=9') AS r
      FROM units, unit_state WHERE province = 4) t USING (id);

-- global Moran: worker partials of the exact cross-product sums
SELECT pg_temp.plan_of($$SELECT morans_i_at(s, value, id, neighbors) FROM units, unit_state$$)
         LIKE '%worker_partial_agg%' AS moran_split;
SELECT (SELECT morans_i_at(s, value, id, neighbors, 'permutations=499 seed=2') FROM units, unit_state)
     = (SELECT morans_i(value, id, neighbors, 'permutations=499 seed=2') FROM units_local) AS same_moran;
SELECT round((m).i::numeric, 6) AS i, (m).p_sim, (m).n
FROM (SELECT morans_i_at(s, value, id, neighbors, 'permutations=499 seed=2') AS m FROM units, unit_state) q;

DROP TABLE unit_state;

-- EXPLAIN ANALYZE of a pushed-down query whose result column is a composite (any row type, not only
-- carbonbudget's): Citus fetches the rows and the plan of a task with one result format, binary when
-- the plan's columns allow it, and then parses the composite column as text ("invalid input syntax").
-- With the binary protocol off, or with the composite's fields selected, it runs.
SET client_min_messages = error;
CREATE FUNCTION pg_temp.analyze_lines(query text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE line text; n bigint := 0;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP n := n + 1; END LOOP;
  RETURN n;
END $$;
SET client_min_messages = warning;
SELECT pg_temp.analyze_lines($$SELECT id, (local_moran(value, id, neighbors, 'missing=drop') OVER (PARTITION BY province)).* FROM units$$) > 5
       AS fields_selected;
SET citus.enable_binary_protocol = off;
SELECT pg_temp.analyze_lines($$SELECT id, local_moran(value, id, neighbors, 'missing=drop') OVER (PARTITION BY province) FROM units$$) > 5
       AS binary_protocol_off;
RESET citus.enable_binary_protocol;
