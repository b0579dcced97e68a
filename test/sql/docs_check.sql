-- Documentation check: every function, aggregate, window function and procedure of schema
-- carbonbudget (helpers named _* excepted) has a COMMENT and exactly one reference entry, and
-- what an entry says about the catalogue is the catalogue's: signatures and labels (the block
-- scripts/docs-gen writes), option keys (the parser's own key lists), units, an example with
-- its stated output (compared by docs_examples.sql) and "See also" links that resolve.  The
-- README's reference index names every routine with the page of its entry.  The lists are read
-- from the catalogue, so routines added later by any family are covered.  Conventions:
-- docs/README.md.
SELECT plan(17);

CREATE TEMP VIEW public_routines AS
SELECT p.oid, p.proname, p.prokind,
       p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'carbonbudget' AND left(p.proname, 1) <> '_';

SELECT ok((SELECT count(*) FROM public_routines) >= 30, 'the catalogue lists the public routines');
SELECT is((SELECT string_agg(signature, ', ' ORDER BY signature) FROM public_routines
           WHERE coalesce(btrim(comment), '') = ''), NULL, 'every public routine has a COMMENT');
-- the comments of types of results (composite types of the schema) as well
SELECT is((SELECT string_agg(t.typname, ', ' ORDER BY t.typname)
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
           WHERE n.nspname = 'carbonbudget' AND coalesce(obj_description(t.oid, 'pg_type'), '') = ''),
          NULL, 'every result type has a COMMENT');

-- the check catches an undocumented function
BEGIN;
CREATE FUNCTION carbonbudget.undocumented_example(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
SELECT is((SELECT string_agg(signature, ', ') FROM public_routines WHERE coalesce(btrim(comment), '') = ''),
          'undocumented_example(x integer)', 'a function without COMMENT is reported');
ROLLBACK;

-- the reference entries, read from README.md and docs/*.md
\set ECHO none
\i test/docs/parse.sql
\i test/docs/catalogue.sql
\set ECHO all

-- the catalogue blocks as written, with the entry they stand in
CREATE TEMP VIEW doc_catalogue AS
WITH marked AS (
  SELECT file, n, line, substring(line FROM '^<!-- catalogue: ([a-z_0-9]+) ') AS opens,
         count(*) FILTER (WHERE line ~ '^<!-- catalogue: ') OVER w AS opened,
         count(*) FILTER (WHERE line = '<!-- /catalogue -->') OVER w - (line = '<!-- /catalogue -->')::int AS closed
  FROM doc_line WHERE fence IS NULL WINDOW w AS (PARTITION BY file ORDER BY n))
SELECT m.file, min(m.n) AS first_line, (array_agg(m.opens ORDER BY m.n))[1] AS name,
       string_agg(m.line, E'\n' ORDER BY m.n) AS text,
       (SELECT e.name FROM doc_entry e WHERE e.file = m.file AND min(m.n) BETWEEN e.first_line AND e.last_line) AS entry
FROM marked m WHERE m.opened > m.closed GROUP BY m.file, m.opened;

-- the lines of each entry
CREATE TEMP VIEW doc_entry_line AS
SELECT e.name, e.file, l.n, l.line, l.fence FROM doc_entry e
JOIN doc_line l ON l.file = e.file AND l.n BETWEEN e.first_line AND e.last_line;

-- links of "See also" lines, resolved to a page and an anchor
CREATE TEMP VIEW doc_see_also AS
SELECT l.name, l.file, t.target,
       CASE WHEN t.target LIKE '#%' THEN l.file
            ELSE regexp_replace(l.file, '[^/]*$', '') || split_part(t.target, '#', 1) END AS page,
       nullif(split_part(t.target, '#', 2), '') AS anchor
FROM doc_entry_line l
CROSS JOIN LATERAL regexp_matches(l.line, '\]\(([^)]*)\)', 'g') AS m
CROSS JOIN LATERAL (SELECT m[1] AS target) t
WHERE l.fence IS NULL AND l.line LIKE '**See also:**%';

-- the option keys an entry documents: its own key tables and those of the sections (not entries) it
-- links to outside its See also line
CREATE TEMP VIEW doc_entry_keys AS
SELECT e.name, array_agg(DISTINCT k.key ORDER BY k.key) AS keys
FROM doc_entry e
JOIN doc_option_key k ON k.file = e.file AND (k.n BETWEEN e.first_line AND e.last_line OR EXISTS (
       SELECT FROM doc_entry_line l CROSS JOIN LATERAL regexp_matches(l.line, '\]\(#([a-z0-9_-]+)\)', 'g') AS m
       JOIN doc_section s ON s.file = e.file AND s.anchor = m[1] AND s.entry IS NULL
       WHERE l.name = e.name AND l.fence IS NULL AND l.line NOT LIKE '**See also:**%'
         AND k.n BETWEEN s.first_line AND s.last_line))
GROUP BY e.name;

-- the option keys each routine accepts (one call per form with an options argument)
CREATE TEMP TABLE doc_accepted_keys AS
SELECT r.name, r.signature, (SELECT array_agg(k ORDER BY k) FROM unnest(pg_temp.option_keys(r.oid)) k) AS keys
FROM doc_routine r WHERE 'options' = ANY (r.proargnames);

-- the README's reference index: routine names and the page of each row
CREATE TEMP VIEW doc_index AS
SELECT substring(l.line FROM '(docs/[a-z_-]+\.md)') AS page, m[1] AS name
FROM doc_line l CROSS JOIN LATERAL regexp_matches(split_part(l.line, '|', 3), '`([a-z_0-9]+)`', 'g') AS m
WHERE l.file = 'README.md' AND l.fence IS NULL AND l.line ~ '^\|.*docs/[a-z_-]+\.md';

-- everything the reference gets wrong, one row per problem
CREATE TEMP VIEW doc_problem AS
SELECT 'no entry' AS problem, name AS entry, NULL::text AS detail FROM doc_routine GROUP BY name
HAVING NOT EXISTS (SELECT FROM doc_entry e WHERE e.name = doc_routine.name)
UNION ALL
SELECT 'entry twice', name, string_agg(file, ', ') FROM doc_entry GROUP BY name HAVING count(*) > 1
UNION ALL
SELECT 'entry for no routine', name, file FROM doc_entry e WHERE NOT EXISTS (SELECT FROM doc_routine r WHERE r.name = e.name)
UNION ALL
SELECT 'catalogue block', e.name, coalesce(c.count::text || ' blocks', 'none') FROM doc_entry e
LEFT JOIN (SELECT entry, count(*) FROM doc_catalogue GROUP BY entry) c ON c.entry = e.name WHERE c.count IS DISTINCT FROM 1
UNION ALL
SELECT 'catalogue block', coalesce(c.entry, c.file), 'block of ' || c.name || ' outside its entry'
FROM doc_catalogue c WHERE c.entry IS DISTINCT FROM c.name
UNION ALL
SELECT 'signatures or labels differ from the catalogue (run scripts/docs-gen)', c.name, E'\n' || pg_temp.catalogue_block(c.name)
FROM doc_catalogue c WHERE c.text IS DISTINCT FROM pg_temp.catalogue_block(c.name)
UNION ALL
SELECT 'no units', name, NULL FROM doc_entry e
WHERE NOT EXISTS (SELECT FROM doc_entry_line l WHERE l.name = e.name AND l.fence IS NULL AND l.line ~ '^\*\*Units:\*\* \S')
UNION ALL
SELECT 'no see also', name, NULL FROM doc_entry e WHERE NOT EXISTS (SELECT FROM doc_see_also s WHERE s.name = e.name)
UNION ALL
SELECT 'see also link does not resolve', name, target FROM doc_see_also s
WHERE NOT EXISTS (SELECT FROM doc_file f WHERE f.file = s.page)
   OR (s.anchor IS NOT NULL AND NOT EXISTS (SELECT FROM doc_section t WHERE t.file = s.page AND t.anchor = s.anchor))
UNION ALL
SELECT 'no example', name, NULL FROM doc_entry e WHERE NOT EXISTS (SELECT FROM doc_example x WHERE x.entry = e.name)
UNION ALL
SELECT 'example without stated output', coalesce(entry, file), 'line ' || first_line FROM doc_example WHERE output IS NULL
UNION ALL
SELECT 'option keys differ from the function''s', a.name,
       a.signature || ': accepts ' || array_to_string(a.keys, ', ') || '; documented ' || coalesce(array_to_string(k.keys, ', '), 'none')
FROM doc_accepted_keys a LEFT JOIN doc_entry_keys k USING (name) WHERE a.keys IS DISTINCT FROM k.keys
UNION ALL
SELECT 'option keys documented for a routine without options', k.name, array_to_string(k.keys, ', ') FROM doc_entry_keys k
WHERE NOT EXISTS (SELECT FROM doc_accepted_keys a WHERE a.name = k.name)
UNION ALL
SELECT 'README index', r.name, coalesce(string_agg(i.page, ', '), 'not listed') FROM (SELECT DISTINCT name FROM doc_routine) r
LEFT JOIN doc_index i USING (name) GROUP BY r.name
HAVING count(i.page) <> 1 OR NOT EXISTS (SELECT FROM doc_entry e WHERE e.name = r.name AND e.file = min(i.page))
UNION ALL
SELECT 'README index names no routine', i.name, i.page FROM doc_index i
WHERE NOT EXISTS (SELECT FROM doc_routine r WHERE r.name = i.name);

SELECT count(*) AS routines, count(DISTINCT name) AS entries_needed FROM doc_routine;
SELECT file, count(*) AS entries FROM doc_entry GROUP BY file ORDER BY file;
-- no rows expected
SELECT problem, entry, detail FROM doc_problem ORDER BY problem, entry, detail;

SELECT is((SELECT count(*) FROM doc_problem WHERE problem IN ('no entry', 'entry twice', 'entry for no routine')), 0::bigint,
          'every public routine has exactly one reference entry');
SELECT is((SELECT count(*) FROM doc_problem WHERE problem LIKE '%catalogue%'), 0::bigint,
          'signatures and labels are the catalogue''s');
SELECT is((SELECT count(*) FROM doc_problem WHERE problem LIKE '%option keys%'), 0::bigint,
          'documented option keys are the keys each function accepts');
SELECT is((SELECT count(*) FROM doc_problem WHERE problem IN ('no units', 'no see also', 'see also link does not resolve',
                                                               'no example', 'example without stated output')), 0::bigint,
          'every entry has units, an example with its output and See also');
SELECT is((SELECT count(*) FROM doc_problem WHERE problem LIKE 'README%'), 0::bigint,
          'the README index names every routine with the page of its entry');

-- the checks catch what they are for (each change is rolled back)
BEGIN;
CREATE FUNCTION carbonbudget.undocumented_example(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
SELECT is((SELECT string_agg(problem, ', ' ORDER BY problem) FROM doc_problem WHERE entry = 'undocumented_example'),
          'README index, no entry', 'a routine without entry is reported');
ROLLBACK;
BEGIN;
UPDATE doc_line SET line = replace(line, 'IMMUTABLE', 'STABLE')
WHERE (file, n) = (SELECT file, min(n) FROM doc_line WHERE line LIKE '| `cep_score(%' GROUP BY file);
SELECT is((SELECT string_agg(entry, ', ') FROM doc_problem WHERE problem LIKE 'signatures or labels%'),
          'cep_score', 'a wrong label is reported');
ROLLBACK;
BEGIN;
UPDATE doc_line SET line = replace(line, 'cep_class text', 'cep text')
WHERE (file, n) = (SELECT file, min(n) FROM doc_line WHERE line LIKE '| `cep_score(%' GROUP BY file);
SELECT is((SELECT string_agg(entry, ', ') FROM doc_problem WHERE problem LIKE 'signatures or labels%'),
          'cep_score', 'a wrong signature is reported');
ROLLBACK;
BEGIN;
UPDATE doc_section SET entry = 'no_such_function' WHERE entry = 'cep_score';
SELECT is((SELECT string_agg(problem || ' ' || entry, ', ' ORDER BY problem, entry) FROM doc_problem
           WHERE problem IN ('no entry', 'entry for no routine')),
          'entry for no routine no_such_function, no entry cep_score', 'an entry for a routine that does not exist is reported');
ROLLBACK;
BEGIN;
DELETE FROM doc_line WHERE (file, n) IN (SELECT file, n FROM doc_entry_line WHERE name = 'cep_score'
                                         AND (line LIKE '**Units:**%' OR line LIKE '**See also:**%'));
DELETE FROM doc_example WHERE entry = 'trend_score';
UPDATE doc_example SET output = NULL WHERE entry = 'zone_name';
SELECT is((SELECT string_agg(problem || ' ' || entry, ', ' ORDER BY problem, entry) FROM doc_problem),
          'example without stated output zone_name, no example trend_score, no see also cep_score, no units cep_score',
          'missing units, See also, example and output are reported');
ROLLBACK;
BEGIN;
DELETE FROM doc_option_key k USING doc_entry e
WHERE k.key = 'seed' AND e.name = 'bp_fit' AND k.file = e.file AND k.n BETWEEN e.first_line AND e.last_line;
SELECT is((SELECT string_agg(entry, ', ') FROM doc_problem WHERE problem LIKE 'option keys%'),
          'bp_fit', 'an undocumented option key is reported');
ROLLBACK;
BEGIN;
UPDATE doc_line SET line = replace(line, '`zone_name`, ', '') WHERE file = 'README.md' AND line LIKE '%`zone_name`, %';
SELECT is((SELECT string_agg(problem || ' ' || entry, ', ') FROM doc_problem),
          'README index zone_name', 'a routine missing from the README index is reported');
ROLLBACK;

SELECT * FROM finish();
