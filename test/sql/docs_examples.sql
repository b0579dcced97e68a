-- Every example of README.md, docs/*.md and docs/studies/*.md runs as written and prints what the text says it
-- prints, so the reference cannot drift from the code.  Conventions (docs/README.md): blocks
-- fenced ```sh setup and ```sql setup (docs/sample_data.md) load the sample data first, as a
-- reader would; every other ```sql block is an example, and the ```output block right after it
-- holds what psql prints for it.  Each example runs in a psql session of its own in the top
-- directory of the repository, with search_path = sample, public, carbonbudget; its output is
-- compared with the stated one after normalising whitespace.  Blocks fenced ```sql norun (a
-- superuser's install steps, other roles, pg_cron) are not run; they are counted below.
SET client_min_messages = warning;
\set ECHO none
\i test/docs/parse.sql
\set ECHO all

-- the runner: one shell script holding every setup block and example, each announced by a
-- marker line, run by the client with this database as PGDATABASE
CREATE TEMP VIEW doc_run_step AS
SELECT 0 AS phase, b.file, b.block, b.info AS kind, b.body AS text FROM doc_block b WHERE b.info IN ('sh setup', 'sql setup')
UNION ALL
SELECT 1, x.file, x.block, 'example', x.sql FROM doc_example x;

CREATE TEMP VIEW doc_runner AS
SELECT E'export PGOPTIONS="-c search_path=sample,public,carbonbudget -c client_min_messages=warning"\n'
       'export PATH="${CB_PG_BIN:+$CB_PG_BIN:}$PATH"\n'
       || string_agg(format(E'printf ''\\036step %%s\\n'' %s\n%s\nprintf ''\\036exit %%s\\n'' $?',
                            quote_literal(file || ' ' || block || ' ' || kind),
                            CASE kind WHEN 'sh setup' THEN E'(set -e\n' || text || E'\n) 2>&1 >/dev/null'
                                      ELSE E'psql -X -q -v ON_ERROR_STOP=1 2>&1 <<''CB_DOCS_BLOCK''\n' || text || E'\nCB_DOCS_BLOCK' END),
                     E'\n' ORDER BY phase, file, block) AS script
FROM doc_run_step;

\setenv PGDATABASE :DBNAME
\pset format unaligned
\pset tuples_only on
\o test/results/docs_examples.sh
SELECT script FROM doc_runner;
\o
\pset format aligned
\pset tuples_only off
\set docs_out `bash test/results/docs_examples.sh`

-- what each step printed, and its exit status
CREATE TEMP TABLE doc_run AS
WITH c AS (SELECT c, n FROM regexp_split_to_table(:'docs_out', chr(30)) WITH ORDINALITY AS x(c, n)),
s AS (SELECT substring(c.c FROM '^step ([^\n]*)') AS head, coalesce(substring(c.c FROM '^step [^\n]*\n(.*)$'), '') AS printed,
             (SELECT substring(e.c FROM '^exit (\d+)')::int FROM c e WHERE e.n = c.n + 1) AS exit_status
      FROM c WHERE c.c LIKE 'step %')
SELECT split_part(head, ' ', 1) AS file, split_part(head, ' ', 2)::int AS block,
       substring(head FROM '^\S+ \S+ (.*)$') AS kind, printed, exit_status
FROM s;

-- psql's aligned output with whitespace normalised: lines trimmed, runs of blanks made one,
-- table rules (---+---) made one rule, blank lines dropped
CREATE FUNCTION pg_temp.normalised(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(CASE WHEN l ~ '^[-+ ]+$' THEN '---' ELSE l END, E'\n' ORDER BY n), '')
  FROM (SELECT regexp_replace(btrim(line, E' \t\r'), '\s+', ' ', 'g') AS l, n
        FROM regexp_split_to_table(t, '\n') WITH ORDINALITY AS x(line, n)) s
  WHERE l <> ''
$$;

CREATE TEMP VIEW doc_result AS
SELECT x.file, x.block, x.first_line, x.entry, x.output, r.printed, r.exit_status,
       r.exit_status = 0 AND pg_temp.normalised(r.printed) = pg_temp.normalised(x.output) AS agrees
FROM doc_example x LEFT JOIN doc_run r ON r.file = x.file AND r.block = x.block AND r.kind = 'example';

SELECT file, count(*) FILTER (WHERE info IN ('sh setup', 'sql setup')) AS setup_blocks,
       count(*) FILTER (WHERE info = 'sql') AS examples, count(*) FILTER (WHERE info = 'sql norun') AS not_run
FROM doc_block GROUP BY file ORDER BY file;

-- setup blocks that failed: no rows expected
SELECT file, block, kind, printed FROM doc_run WHERE kind <> 'example' AND exit_status IS DISTINCT FROM 0;
-- examples whose output is not the stated one, with what they printed: no rows expected
SELECT file, first_line AS line, entry, exit_status, E'\n' || printed AS printed
FROM doc_result WHERE agrees IS NOT TRUE ORDER BY file, first_line;
SELECT count(*) AS examples, count(*) FILTER (WHERE agrees) AS outputs_as_stated FROM doc_result;

-- the comparison catches a wrong stated output, a changed number and an example that fails
BEGIN;
UPDATE doc_example SET output = replace(output, '4', '5') WHERE output LIKE '%4%'
  AND (file, block) = (SELECT file, min(block) FROM doc_example WHERE output LIKE '%4%' AND file = 'docs/zoning.md' GROUP BY file);
UPDATE doc_run SET printed = printed || E'\n extra row' WHERE (file, block) = (SELECT file, min(block) FROM doc_run WHERE file = 'docs/trends.md' AND kind = 'example' GROUP BY file);
UPDATE doc_run SET exit_status = 3 WHERE (file, block) = (SELECT file, min(block) FROM doc_run WHERE file = 'docs/spatial.md' AND kind = 'example' GROUP BY file);
SELECT file, count(*) AS reported FROM doc_result WHERE agrees IS NOT TRUE GROUP BY file ORDER BY file;
ROLLBACK;

DROP SCHEMA sample, zoning CASCADE;
DROP TABLE columbus, georgia;
-- the schemas of the worked studies (docs/studies/*.md), one per paper
SELECT count(*) AS study_schemas FROM pg_namespace WHERE nspname LIKE 'study%';
DO $$ DECLARE s name; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'study%' LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP;
END $$;
