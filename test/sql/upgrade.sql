-- Upgrade from the previous release (SPEC section 12): install 0.1.0, create
-- user objects that depend on the extension, ALTER EXTENSION ... UPDATE, then
-- the objects still work with the same results, and the extension's catalogue
-- (functions with definitions and labels, aggregates, types, tables, rows,
-- comments, privileges, dump configuration) equals a fresh install's.
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS cb_upgrade_old;
DROP DATABASE IF EXISTS cb_upgrade_fresh;
CREATE DATABASE cb_upgrade_old;
CREATE DATABASE cb_upgrade_fresh;

\c cb_upgrade_old
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget VERSION '0.1.0' CASCADE;
SELECT extversion FROM pg_extension WHERE extname = 'carbonbudget';

-- user objects over the extension: a view over a window function, a table with a
-- column of a result type, a generated column, a refresh_zoning target and its layer views
CREATE TABLE county AS
SELECT i AS id, ST_MakeEnvelope(i % 5, i / 5, i % 5 + 1, i / 5 + 1, 32650) AS geom,
       (i * 37 % 11)::float8 + i * 0.1 AS value, 100 + i * 7 + (i % 3) * 5 AS ce,
       10 + i AS p, 2 + (i * i % 7) AS w,
       (i * 13 % 7)::float8 - 3 AS z_cs, (i * 5 % 7)::float8 - 3 AS z_nce, (i * 3 % 7)::float8 - 3 AS z_ce,
       1.0 AS z_ecc, -1.0 AS z_esc, 0.5 AS z_cf, (i % 3)::float8 AS z_ec, -0.5 AS z_ed,
       (ARRAY['stable', 'insignificant', 'highly significant'])[i % 3 + 1] AS cep_class, 200.0 + i * 3 AS cli
FROM generate_series(0, 24) i;
CREATE VIEW hotspots AS
SELECT id, (carbonbudget.getis_ord_gi(value, geom, 'weights=queen') OVER ()).* FROM county;
CREATE TABLE models (name text PRIMARY KEY, model carbonbudget.stirpat_ridge_result);
INSERT INTO models SELECT 'county', carbonbudget.stirpat_ridge(ce, ARRAY[p, w], 'k=0.01') FROM county;
CREATE TABLE inventory (t_c float8, t_co2 float8 GENERATED ALWAYS AS (carbonbudget.c_to_co2(t_c)) STORED);
INSERT INTO inventory VALUES (12), (24);
CALL carbonbudget.refresh_zoning('county', 'public.zoning');

CREATE TABLE before AS
SELECT 'hotspots' AS what, md5(string_agg(h::text, ';' ORDER BY id)) AS digest FROM hotspots h
UNION ALL SELECT 'zones', md5(string_agg(z::text, ';' ORDER BY id)) FROM zoning_layer z
UNION ALL SELECT 'clusters', md5(string_agg(c::text, ';' ORDER BY id)) FROM zoning_clusters c
UNION ALL SELECT 'model', md5(model::text) FROM models
UNION ALL SELECT 'inventory', md5(string_agg(i::text, ';' ORDER BY t_c)) FROM inventory i;

ALTER EXTENSION carbonbudget UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'carbonbudget';

-- the user objects still work and give what they gave before the update: no rows expected
CALL carbonbudget.refresh_zoning('county', 'public.zoning');
INSERT INTO inventory VALUES (36);
SELECT b.what FROM before b
LEFT JOIN (SELECT 'hotspots' AS what, md5(string_agg(h::text, ';' ORDER BY id)) AS digest FROM hotspots h
           UNION ALL SELECT 'zones', md5(string_agg(z::text, ';' ORDER BY id)) FROM zoning_layer z
           UNION ALL SELECT 'clusters', md5(string_agg(c::text, ';' ORDER BY id)) FROM zoning_clusters c
           UNION ALL SELECT 'model', md5(model::text) FROM models
           UNION ALL SELECT 'inventory', md5(string_agg(i::text, ';' ORDER BY t_c)) FROM inventory i WHERE t_c < 30) a
  USING (what)
WHERE a.digest IS DISTINCT FROM b.digest;
-- the layer views that 0.1.0 made (writable) were replaced by the refresh: read-only now
SELECT string_agg(table_name || ' ' || is_updatable, ', ' ORDER BY table_name) AS layer_views_updatable
FROM information_schema.views WHERE table_schema = 'public' AND table_name IN ('zoning_layer', 'zoning_clusters');
SELECT count(*) AS write_privileges FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
WHERE c.oid IN ('zoning_layer'::regclass, 'zoning_clusters'::regclass) AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE');
SELECT (carbonbudget.stirpat_project(model, ARRAY[40, 5],
         '{"periods": [{"to": 2030, "growth": [0.01, 0.02]}]}')).peak_year FROM models;
SELECT t_co2 FROM inventory WHERE t_c = 36;

\set ECHO none
\i test/lib/catalog.sql
\set ECHO all
SELECT string_agg(line, chr(30) ORDER BY line) AS upgraded
FROM (SELECT pg_temp.cb_catalog() AS line UNION ALL SELECT pg_temp.cb_catalog_rows()) s \gset

\c cb_upgrade_fresh
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;
SELECT extversion FROM pg_extension WHERE extname = 'carbonbudget';
\set ECHO none
\i test/lib/catalog.sql
\set ECHO all
CREATE TEMP TABLE fresh AS
SELECT pg_temp.cb_catalog() AS line UNION ALL SELECT pg_temp.cb_catalog_rows();
CREATE TEMP TABLE upgraded AS SELECT regexp_split_to_table(:'upgraded', chr(30)) AS line;

SELECT count(*) > 300 AS catalogue_described FROM fresh;
-- differences between an updated and a fresh install: no rows expected
(SELECT 'only after update' AS "where", line FROM upgraded EXCEPT ALL SELECT 'only after update', line FROM fresh)
UNION ALL
(SELECT 'only in fresh install', line FROM fresh EXCEPT ALL SELECT 'only in fresh install', line FROM upgraded)
ORDER BY 2, 1;

\c :regress_db
DROP DATABASE cb_upgrade_old;
DROP DATABASE cb_upgrade_fresh;
