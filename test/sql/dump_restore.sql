-- Dump and restore (SPEC section 11): user-added coefficient rows, a user
-- table and a QGIS style in public.layer_styles survive pg_dump -Fc +
-- pg_restore --single-transaction --exit-on-error into a fresh database,
-- with the whole extension catalogue; edits of the
-- shipped rows (which a dump leaves out, as CREATE EXTENSION recreates them)
-- are refused with a hint to add a scheme, so the restore cannot lose them or
-- fail on them.  pg_dump and pg_restore are those of the server's installation
-- ($CB_PG_BIN, exported by the Makefile).
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS cb_dump_source;
DROP DATABASE IF EXISTS cb_dump_target;
CREATE DATABASE cb_dump_source;
\c cb_dump_source
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;

-- user rows in every coefficient table: a scheme of one's own
INSERT INTO carbonbudget.landuse_coefficient (scheme, land_class, zone, coefficient, unit, source)
SELECT 'liu_local', land_class, zone, coefficient, unit, 'local survey, after ' || source
FROM carbonbudget.landuse_coefficient WHERE scheme = 'liu';
UPDATE carbonbudget.landuse_coefficient SET coefficient = -0.6 WHERE scheme = 'liu_local' AND land_class = 'forest';
INSERT INTO carbonbudget.landcover_code (scheme, code, land_class, source) VALUES ('local', 1, 'forest', 'local map');
INSERT INTO carbonbudget.energy_factor (scheme, fuel, consumption_unit, standard_coal_coefficient, carbon_coefficient, source)
VALUES ('local', 'peat', 't', 0.5, 0.6, 'local inventory');
INSERT INTO carbonbudget.agriculture_factor VALUES ('local', 'fertilizer', 0.9, 't C/t', 'local inventory');
INSERT INTO carbonbudget.livestock_factor (scheme, species, breathing, enteric, manure, source)
VALUES ('local', 'horse', 0.1, 0.01, 0.01, 'local inventory');
INSERT INTO carbonbudget.breathing_factor (scheme, coefficient, source) VALUES ('local', 0.08, 'local inventory');
INSERT INTO carbonbudget.footprint_nep (scheme, land_class, nep, source) VALUES ('local', 'forest', 4.0, 'local inventory');
DELETE FROM carbonbudget.landcover_code WHERE scheme = 'local';
INSERT INTO carbonbudget.landcover_code (scheme, code, land_class, source) VALUES ('local', 2, 'forest', 'local map');

-- edits of shipped rows are refused (the restore would undo the first and fail on the second)
UPDATE carbonbudget.landuse_coefficient SET coefficient = -0.6 WHERE scheme = 'liu' AND land_class = 'forest';
UPDATE carbonbudget.landuse_coefficient SET shipped = false WHERE scheme = 'liu' AND land_class = 'forest';
DELETE FROM carbonbudget.energy_factor WHERE scheme = 'huo' AND fuel = 'coke';
TRUNCATE carbonbudget.footprint_nep;
INSERT INTO carbonbudget.breathing_factor VALUES ('shipped_too', 0.1, 't C/(person a)', 'user row', true);
UPDATE carbonbudget.breathing_factor SET shipped = true WHERE scheme = 'local';
SELECT coefficient FROM carbonbudget.landuse_coefficient WHERE scheme = 'liu' AND land_class = 'forest';

-- a user table over the extension
CREATE TABLE inventory AS
SELECT land_class, carbonbudget.carbon_budget(land_class, 100, 'east', 'liu_local') AS budget_t_c
FROM (VALUES ('forest'), ('construction'), ('cropland')) v(land_class);
-- a layer with its QGIS style: public.layer_styles, made by qgis_style_layer, with QML and SLD
CREATE TABLE zone_map AS
SELECT 1 AS id, 'SRID=32650;MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'::geometry(MultiPolygon, 32650) AS geom, carbonbudget.zone_name(5) AS zone;
SELECT carbonbudget.qgis_style_layer('zone_map', 'zones');

\set ECHO none
\i test/lib/catalog.sql
\set ECHO all
SELECT string_agg(line, chr(30) ORDER BY line) AS source_lines
FROM (SELECT pg_temp.cb_catalog() AS line UNION ALL SELECT pg_temp.cb_catalog_rows()
      UNION ALL SELECT 'inventory: ' || i::text FROM inventory i
      UNION ALL SELECT 'layer_styles: ' || concat_ws(' ', f_table_name, stylename, useasdefault, md5(styleqml::text), md5(stylesld::text))
      FROM public.layer_styles) s \gset

-- dump, then restore into a fresh database in one transaction that stops at the first error
\! d=$(mktemp -d) && "$CB_PG_BIN/pg_dump" -Fc -d cb_dump_source -f "$d/source.dump" && "$CB_PG_BIN/createdb" cb_dump_target && "$CB_PG_BIN/pg_restore" --single-transaction --exit-on-error -d cb_dump_target "$d/source.dump"; echo "pg_restore exit status: $?"; rm -rf "$d"

\c cb_dump_target
SET client_min_messages = warning;
\set ECHO none
\i test/lib/catalog.sql
\set ECHO all
CREATE TEMP TABLE restored AS
SELECT pg_temp.cb_catalog() AS line UNION ALL SELECT pg_temp.cb_catalog_rows()
UNION ALL SELECT 'inventory: ' || i::text FROM inventory i
UNION ALL SELECT 'layer_styles: ' || concat_ws(' ', f_table_name, stylename, useasdefault, md5(styleqml::text), md5(stylesld::text))
FROM public.layer_styles;
SELECT count(*) AS styles FROM public.layer_styles;
CREATE TEMP TABLE source AS SELECT regexp_split_to_table(:'source_lines', chr(30)) AS line;
SELECT count(*) FILTER (WHERE line ~ ': \((liu_)?local,') AS user_rows, count(*) > 300 AS catalogue_described FROM restored;
-- differences between the source and the restored database: no rows expected
(SELECT 'only in source' AS "where", line FROM source EXCEPT ALL SELECT 'only in source', line FROM restored)
UNION ALL
(SELECT 'only after restore', line FROM restored EXCEPT ALL SELECT 'only after restore', line FROM source)
ORDER BY 2, 1;
SELECT * FROM inventory ORDER BY land_class;

\c :regress_db
DROP DATABASE cb_dump_source;
DROP DATABASE cb_dump_target;
