-- Runs the families of test/lib/families.sql in a new session (nothing
-- cached) of the current database with search_path :caller_path, and compares
-- them with :'baseline' and :'baseline_zones' (test/sql/security.sql).  The
-- families' data and queries are created with pg_catalog explicitly first (then
-- PostGIS, in public or postgis), so only the extension's own code meets what
-- the caller's path brings.
\c :DBNAME
SET client_min_messages = warning;
SET search_path = pg_catalog, public, postgis;
\set ECHO none
\i test/lib/families.sql
\set ECHO all
SET search_path = :caller_path;
CREATE TEMP TABLE run AS SELECT * FROM family_results;
CALL carbonbudget.refresh_zoning('fam_zoning_input', 'pg_temp.zones');
RESET search_path;
-- every family's results unchanged: no rows expected
SELECT family, r.result FROM run r FULL JOIN regexp_split_to_table(:'baseline', chr(30)) b(line)
  ON b.line = r.family || ': ' || r.result
WHERE b.line IS NULL OR r.family IS NULL;
SELECT :'caller_path' AS caller_path, count(*) AS families, (SELECT md5(string_agg(z::text, ';' ORDER BY id)) FROM pg_temp.zones_layer z) = :'baseline_zones' AS zones
FROM run;
