-- Every ```sql example in docs/*.md runs without error, so the reference
-- cannot drift from the code.  Blocks fenced as ```sql setup create the
-- sample tables the examples use (readers can run them too); they run first.
SET client_min_messages = warning;
-- the table the demo loads with shp2pgsql (data/columbus), from the same data
CREATE TABLE columbus AS
SELECT id AS polyid, crime, hoval, inc, ST_Multi(geom)::geometry(MultiPolygon) AS geom FROM ref.columbus;
-- the Georgia counties of the GWR reference (PySAL mgwr example data)
CREATE TABLE georgia (areakey int PRIMARY KEY, latitude float8, longitud float8, totpop90 float8,
  pctrural float8, pctbach float8, pcteld float8, pctfb float8, pctpov float8, pctblack float8, id int,
  x float8, y float8);
\copy georgia FROM 'test/data/gwr/georgia.csv' CSV HEADER

\set docs `for f in docs/*.md; do printf '\n<<<file %s>>>\n' "$f"; cat "$f"; done`
CREATE TEMP TABLE doc_block AS
SELECT f.file, e.ord AS block, coalesce(e.m[1], '') = ' setup' AS setup, e.m[2] AS sql
FROM regexp_split_to_table(:'docs', '\n<<<file ') AS d(chunk)
CROSS JOIN LATERAL (SELECT substring(d.chunk FROM '^(\S+)>>>') AS file) f
CROSS JOIN LATERAL regexp_matches(d.chunk, '```sql( setup)??\n(.*?)```', 'g') WITH ORDINALITY AS e(m, ord)
WHERE f.file IS NOT NULL;

-- (the lazy ?? keeps the whole pattern non-greedy in PostgreSQL regular expressions)
-- runs the blocks in order, setup blocks first, each in its own subtransaction
CREATE FUNCTION pg_temp.run_blocks() RETURNS TABLE (file text, block bigint, setup boolean, sql text, result text)
LANGUAGE plpgsql AS $$
DECLARE b record;
BEGIN
  FOR b IN SELECT * FROM doc_block ORDER BY NOT doc_block.setup, doc_block.file, doc_block.block LOOP
    file := b.file; block := b.block; setup := b.setup; sql := b.sql;
    BEGIN
      EXECUTE b.sql;
      result := 'ok';
    EXCEPTION WHEN OTHERS THEN
      result := SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END $$;
CREATE TEMP TABLE doc_run AS SELECT * FROM pg_temp.run_blocks();

SELECT file, count(*) FILTER (WHERE setup) AS setup_blocks, count(*) FILTER (WHERE NOT setup) AS examples,
       count(*) FILTER (WHERE result = 'ok') AS run_ok
FROM doc_run GROUP BY file ORDER BY file;

-- the failing ones, with their error: no rows expected
SELECT file, block, left(sql, 60) AS starts_with, result
FROM doc_run WHERE result <> 'ok' ORDER BY file, block;
DROP SCHEMA sample, zoning CASCADE;
DROP TABLE columbus, georgia;
