-- Every ```sql example in docs/*.md runs without error against the bundled
-- Columbus data, so the reference cannot drift from the code.
SET client_min_messages = warning;
-- the table the demo loads with shp2pgsql (data/columbus), from the same data
CREATE TABLE columbus AS
SELECT id AS polyid, crime, hoval, inc, ST_Multi(geom)::geometry(MultiPolygon) AS geom FROM ref.columbus;

\set docs `for f in docs/*.md; do printf '\n<<<file %s>>>\n' "$f"; cat "$f"; done`
CREATE TEMP TABLE doc_example AS
SELECT f.file, e.ord AS example, e.m[1] AS sql
FROM regexp_split_to_table(:'docs', '\n<<<file ') AS d(chunk)
CROSS JOIN LATERAL (SELECT substring(d.chunk FROM '^(\S+)>>>') AS file) f
CROSS JOIN LATERAL regexp_matches(d.chunk, '```sql\n(.*?)```', 'g') WITH ORDINALITY AS e(m, ord)
WHERE f.file IS NOT NULL;

CREATE FUNCTION pg_temp.run_example(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE query;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLERRM;
END $$;

SELECT file, count(*) AS examples, count(*) FILTER (WHERE pg_temp.run_example(sql) = 'ok') AS run_ok
FROM doc_example GROUP BY file ORDER BY file;

-- the failing ones, with their error: no rows expected
SELECT file, example, left(sql, 60) AS starts_with, result
FROM doc_example, LATERAL pg_temp.run_example(sql) AS result
WHERE result <> 'ok' ORDER BY file, example;
DROP TABLE columbus;
