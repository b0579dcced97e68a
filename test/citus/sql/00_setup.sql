-- Scale-out tests: carbonbudget on a Citus coordinator with two workers
-- (scripts/test-citus), a table of units distributed by province and the same
-- rows in a local table, to compare distributed results with single-node ones.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbonbudget CASCADE;
RESET client_min_messages;
SELECT nodeport - (SELECT min(nodeport) FROM pg_dist_node) AS node, noderole, shouldhaveshards
FROM pg_dist_node ORDER BY nodeport;
-- the extension is on every node
SELECT count(*) AS nodes_with_carbonbudget
FROM run_command_on_all_nodes($$SELECT extversion FROM pg_extension WHERE extname = 'carbonbudget'$$)
WHERE success AND result = (SELECT extversion FROM pg_extension WHERE extname = 'carbonbudget');

-- 600 units of a 30 x 20 grid in 6 provinces (blocks of the grid)
CREATE TABLE units AS
SELECT i::bigint AS id, ((i % 30) / 10 + 3 * (i / 300))::int AS province,
       ST_MakeEnvelope(i % 30, i / 30, i % 30 + 1, i / 30 + 1, 32650) AS geom,
       sin(i * 0.37) * 10 + (i % 30) * 0.2 + (i / 30) * 0.1 + 20 AS value,
       ARRAY(SELECT j::bigint FROM generate_series(0, 599) j
             WHERE abs(j % 30 - i % 30) + abs(j / 30 - i / 30) = 1 ORDER BY j) AS neighbors,
       (2000 + i % 21)::float8 AS t,
       ARRAY[1 + (i * 37 % 11)::float8, 2 + sqrt(i) + cos(i)] AS x,
       100 + i * 0.3 + (i % 7) * 2 + sin(i) AS ce,
       i % 3 = 0 AS treated, (i % 4)::bigint AS stratum, (i % 3)::bigint AS stratum2,
       (ARRAY['forest', 'cropland', 'water', 'construction', 'grassland'])[i % 5 + 1] AS land_class,
       10 + (i % 13) AS area,
       ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 4, (i % 30) * 400, (i / 30) * 400 + 400, 100, -100, 0, 0, 32650),
                               '8BUI'::text, 1, 0), 1, 1, 1,
                    ARRAY[[1, 2, (i % 7) + 1, 4], [1, 1, 2, 5], [3, 4, (i % 6) + 1, 1], [9, 7, 2, 1]]::float8[]) AS rast
FROM generate_series(0, 599) i;
CREATE TABLE units_local AS SELECT * FROM units;
SET client_min_messages = warning;
SELECT create_distributed_table('units', 'province');
RESET client_min_messages;
SELECT count(*) AS shards FROM pg_dist_shard WHERE logicalrelid = 'units'::regclass;

-- a and b equal as text, numbers within rtol relative of each other
CREATE FUNCTION public.same_result(a text, b text, rtol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  num CONSTANT text := '-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?';
  na float8[];
  nb float8[];
BEGIN
  IF a IS NULL OR b IS NULL THEN RETURN a IS NULL AND b IS NULL; END IF;
  IF regexp_replace(a, num, '#', 'g') <> regexp_replace(b, num, '#', 'g') THEN RETURN false; END IF;
  na := ARRAY(SELECT (m[1] || coalesce(m[2], '') || coalesce(m[3], ''))::float8 FROM regexp_matches(a, '(-?[0-9]+)(\.[0-9]+)?([eE][-+]?[0-9]+)?', 'g') m);
  nb := ARRAY(SELECT (m[1] || coalesce(m[2], '') || coalesce(m[3], ''))::float8 FROM regexp_matches(b, '(-?[0-9]+)(\.[0-9]+)?([eE][-+]?[0-9]+)?', 'g') m);
  FOR k IN 1..coalesce(cardinality(na), 0) LOOP
    IF abs(na[k] - nb[k]) > rtol * greatest(abs(na[k]), abs(nb[k])) THEN RETURN false; END IF;
  END LOOP;
  RETURN true;
END $$;
