-- The reference as data: README.md, docs/*.md and the worked studies docs/studies/*.md read by psql from the working
-- directory (the top of the repository) and split into lines, fenced blocks,
-- sections, reference entries and examples.  Included by test/sql/docs_examples.sql,
-- test/sql/docs_check.sql and scripts/docs-gen; the conventions are in
-- docs/README.md.
\set docs_text `for f in README.md docs/*.md docs/studies/*.md; do printf '\036%s\037' "$f"; cat "$f"; done`
CREATE TEMP TABLE doc_file AS
SELECT split_part(chunk, chr(31), 1) AS file, split_part(chunk, chr(31), 2) AS body
FROM regexp_split_to_table(:'docs_text', chr(30)) AS chunk WHERE chunk <> '';

-- lines, with the fence they belong to (fence lines and their contents) and the heading they are under
CREATE TEMP TABLE doc_line AS
WITH l AS (
  SELECT f.file, l.n, l.line,
         count(*) FILTER (WHERE l.line ~ '^```') OVER (PARTITION BY f.file ORDER BY l.n) AS fences
  FROM doc_file f CROSS JOIN LATERAL regexp_split_to_table(f.body, '\n') WITH ORDINALITY AS l(line, n))
SELECT file, n, line,
       CASE WHEN fences % 2 = 1 OR line ~ '^```' THEN (fences + 1) / 2 END AS fence
FROM l;

-- fenced blocks: the info string (sql, sql setup, sh setup, output, ...) and the text between the fences
CREATE TEMP TABLE doc_block AS
SELECT file, fence AS block, min(n) AS first_line, max(n) AS last_line,
       btrim(substring((array_agg(line ORDER BY n))[1] FROM 4)) AS info,
       coalesce(string_agg(line, E'\n' ORDER BY n) FILTER (WHERE line !~ '^```'), '') AS body
FROM doc_line WHERE fence IS NOT NULL GROUP BY file, fence;

-- headings outside fences, with their GitHub anchors and where their section ends
CREATE TEMP TABLE doc_section AS
SELECT file, n AS first_line, length(substring(line FROM '^#+')) AS level,
       btrim(substring(line FROM '^#+ (.*)$')) AS title,
       substring(line FROM '^### `([a-z_0-9]+)`$') AS entry,
       regexp_replace(regexp_replace(lower(btrim(substring(line FROM '^#+ (.*)$'))), '[^a-z0-9 _-]', '', 'g'), ' ', '-', 'g') AS anchor,
       coalesce(lead(n) OVER (PARTITION BY file ORDER BY n), 1000000) - 1 AS last_line
FROM doc_line WHERE fence IS NULL AND line ~ '^#{1,6} ';
-- a section ends at the next heading of its level or above, not at a subsection
UPDATE doc_section s SET last_line = coalesce((SELECT min(t.first_line) - 1 FROM doc_section t
                                               WHERE t.file = s.file AND t.first_line > s.first_line AND t.level <= s.level), 1000000);

-- reference entries: headings "### `name`", one per routine name
CREATE TEMP VIEW doc_entry AS
SELECT file, entry AS name, anchor, first_line, last_line FROM doc_section WHERE entry IS NOT NULL;

-- examples: a ```sql block and the ```output block right after it (blank lines between allowed)
CREATE TEMP TABLE doc_example AS
SELECT s.file, s.block, s.first_line, s.body AS sql, o.body AS output,
       (SELECT e.name FROM doc_entry e WHERE e.file = s.file AND s.first_line BETWEEN e.first_line AND e.last_line) AS entry
FROM doc_block s
LEFT JOIN doc_block o ON o.file = s.file AND o.block = s.block + 1 AND o.info = 'output'
                     AND NOT EXISTS (SELECT FROM doc_line l WHERE l.file = s.file AND l.n > s.last_line
                                     AND l.n < o.first_line AND btrim(l.line) <> '')
WHERE s.info = 'sql';

-- option tables: the first column of tables whose header starts with "| key |"
CREATE TEMP TABLE doc_option_key AS
WITH rows AS (
  SELECT l.file, l.n, l.line,
         (SELECT max(h.n) FROM doc_line h WHERE h.file = l.file AND h.n <= l.n AND h.fence IS NULL
            AND h.line !~ '^\|') AS before_table
  FROM doc_line l WHERE l.fence IS NULL AND l.line ~ '^\|')
SELECT r.file, r.n, k.key
FROM rows r
JOIN rows h ON h.file = r.file AND h.n = r.before_table + 1 AND h.line ~ '^\| *key *\|'
CROSS JOIN LATERAL regexp_matches(split_part(r.line, '|', 2), '`([a-z_0-9]+)`', 'g') AS m
CROSS JOIN LATERAL (SELECT m[1] AS key) k
WHERE r.n > h.n + 1;
