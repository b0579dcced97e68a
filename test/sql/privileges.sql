-- Privileges (SPEC section 11, docs/privileges.md): after a superuser's CREATE
-- EXTENSION, a role with no grants and the default search_path uses every
-- family, schema-qualified, with the results the superuser gets, refreshes a
-- zoning table in its own schema, and cannot change the shipped coefficients.
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS cb_privileges;
DROP ROLE IF EXISTS cb_analyst;
DROP ROLE IF EXISTS cb_coefficient_editors;
CREATE ROLE cb_analyst;
CREATE DATABASE cb_privileges;
\c cb_privileges
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;
CREATE SCHEMA cb_analyst AUTHORIZATION cb_analyst;   -- its own schema ("$user" on its default path)
SELECT has_schema_privilege('public', 'carbonbudget', 'USAGE') AS schema_usage,
       has_table_privilege('public', 'carbonbudget.landuse_coefficient', 'SELECT') AS read_coefficients,
       has_table_privilege('public', 'carbonbudget.landuse_coefficient', 'INSERT') AS write_coefficients;

-- the superuser's results
\set ECHO none
\i test/lib/families.sql
\set ECHO all
SELECT string_agg(family || ': ' || result, chr(30) ORDER BY family) AS baseline FROM family_results \gset
CALL carbonbudget.refresh_zoning('fam_zoning_input', 'public.zones_admin');
SELECT md5(string_agg(z::text, ';' ORDER BY id)) AS baseline_zones FROM public.zones_admin_layer z \gset

-- the plain role, in a new session with the default search_path
\c cb_privileges
SET client_min_messages = warning;
SET ROLE cb_analyst;
SHOW search_path;
\set ECHO none
\i test/lib/families.sql
\set ECHO all
-- every family as the superuser gets it: no rows expected
SELECT family, r.result FROM family_results r FULL JOIN regexp_split_to_table(:'baseline', chr(30)) b(line)
  ON b.line = r.family || ': ' || r.result
WHERE b.line IS NULL OR r.family IS NULL;
SELECT count(*) AS families FROM family_results;
-- refresh_zoning into its own schema (its default target schema: "$user")
CALL carbonbudget.refresh_zoning('fam_zoning_input', 'zones');
SELECT (SELECT md5(string_agg(z::text, ';' ORDER BY id)) FROM cb_analyst.zones_layer z) = :'baseline_zones' AS own_zones,
       (SELECT relowner::regrole FROM pg_class WHERE oid = 'cb_analyst.zones'::regclass) AS owner;
-- its layer views are read-only, for their owner too (what QGIS asks before it offers editing)
SELECT has_table_privilege('cb_analyst.zones_layer', 'SELECT') AS layer_select,
       has_any_column_privilege('cb_analyst.zones_layer', 'UPDATE') OR has_table_privilege('cb_analyst.zones_layer', 'INSERT')
       OR has_table_privilege('cb_analyst.zones_layer', 'DELETE') AS layer_writable,
       has_any_column_privilege('cb_analyst.zones_clusters', 'UPDATE') AS clusters_writable;
-- but not into the superuser's zoning table
CALL carbonbudget.refresh_zoning('fam_zoning_input', 'public.zones_admin');
-- the shipped coefficients are read-only for it
INSERT INTO carbonbudget.landuse_coefficient (scheme, land_class, coefficient, source) VALUES ('mine', 'forest', -1, 'test');
UPDATE carbonbudget.landuse_coefficient SET coefficient = 0 WHERE scheme = 'liu' AND land_class = 'forest';
DELETE FROM carbonbudget.energy_factor WHERE scheme = 'huo';
TRUNCATE carbonbudget.landcover_code;
CREATE TABLE carbonbudget.planted (x int);

-- the owner lets a group of analysts add schemes (docs/privileges.md)
RESET ROLE;
CREATE ROLE cb_coefficient_editors NOLOGIN;
GRANT INSERT, UPDATE, DELETE ON carbonbudget.landuse_coefficient, carbonbudget.landcover_code,
      carbonbudget.energy_factor, carbonbudget.agriculture_factor, carbonbudget.livestock_factor,
      carbonbudget.breathing_factor, carbonbudget.footprint_nep TO cb_coefficient_editors;
GRANT cb_coefficient_editors TO cb_analyst;
SET ROLE cb_analyst;
INSERT INTO carbonbudget.landuse_coefficient (scheme, land_class, zone, coefficient, unit, source)
SELECT 'liu_local', land_class, zone, coefficient, unit, 'local survey 2024, after ' || source
FROM carbonbudget.landuse_coefficient WHERE scheme = 'liu';
UPDATE carbonbudget.landuse_coefficient SET coefficient = -0.6 WHERE scheme = 'liu_local' AND land_class = 'forest';
SELECT carbonbudget.carbon_budget('forest', 100, scheme => 'liu_local') AS liu_local,
       carbonbudget.carbon_budget('forest', 100) AS liu;
-- the shipped rows stay as shipped for the group too
UPDATE carbonbudget.landuse_coefficient SET coefficient = -0.6 WHERE scheme = 'liu' AND land_class = 'forest';

RESET ROLE;
\c :regress_db
DROP DATABASE cb_privileges;
DROP ROLE cb_analyst;
DROP ROLE cb_coefficient_editors;
