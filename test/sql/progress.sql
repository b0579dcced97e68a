-- carbonbudget.progress (SPEC section 15): long calls print NOTICE lines with
-- the phase, done/total and the elapsed time, at most once a second, and the
-- results do not change.  Each call below runs for well over a second; it is
-- run once with progress off (its digest kept in $CB_EXPECTED) and once in a
-- new session with progress on by test/lib/progress_check.sh, which checks the
-- format of the lines and the digest.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS progress_data CASCADE;
CREATE SCHEMA progress_data;
CREATE TABLE progress_data.pts AS
SELECT g::bigint AS id, ST_MakePoint((g::bigint * 7919 % 100003) / 100.0, (g::bigint * 104729 % 99991) / 100.0) AS geom
FROM generate_series(1, 250000) g;
CREATE TABLE progress_data.feats AS
SELECT g AS id, ARRAY[sin(g * 0.37), cos(g * 1.91), sin(g * 0.05)] AS f FROM generate_series(1, 9000) g;
CREATE TABLE progress_data.stack AS
SELECT array_agg(ST_AddBand(ST_MakeEmptyRaster(1600, 1600, 0, 1600, 1, -1, 0, 0, 32650), '32BF'::text, y * (y % 3), -9999)
                 ORDER BY y) AS rasters
FROM generate_series(1, 20) y;

CREATE VIEW progress_data.weights AS
SELECT count(*) || ' ' || sum(i * 1000003 + j) || ' ' || sum(w) AS digest
FROM (SELECT array_agg(id) AS ids, array_agg(geom) AS geoms FROM progress_data.pts) s,
     spatial_weights(s.ids, s.geoms, 'weights=knn k=24');
CREATE VIEW progress_data.clusters AS
SELECT md5(string_agg(c::text, '' ORDER BY id)) AS digest
FROM (SELECT id, hclust(f, 5, 'ward') OVER (ORDER BY id) AS c FROM progress_data.feats) s;
CREATE VIEW progress_data.trends AS
SELECT md5(ST_AsHexWKB(trend_raster(rasters, 'method=all start=2001'))) AS digest FROM progress_data.stack;

-- the psql of the checks connects to this database, as this session does
\setenv PGDATABASE :DBNAME

SELECT * FROM progress_data.weights \gset
\setenv CB_EXPECTED :digest
\! sh test/lib/progress_check.sh spatial_weights progress_data.weights

SELECT * FROM progress_data.clusters \gset
\setenv CB_EXPECTED :digest
\! sh test/lib/progress_check.sh hclust progress_data.clusters

SELECT * FROM progress_data.trends \gset
\setenv CB_EXPECTED :digest
\! sh test/lib/progress_check.sh trend_raster progress_data.trends

-- off by default; a user may set it; a plain role cannot raise carbonbudget.threads
RESET carbonbudget.progress;
SHOW carbonbudget.progress;
SHOW carbonbudget.threads;
SELECT name, setting, context, vartype, min_val, max_val FROM pg_settings WHERE name LIKE 'carbonbudget.%' ORDER BY name;
DROP ROLE IF EXISTS progress_plain;
CREATE ROLE progress_plain;
SET ROLE progress_plain;
SET carbonbudget.progress = on;
SET carbonbudget.threads = 2;
RESET ROLE;
DROP ROLE progress_plain;

DROP SCHEMA progress_data CASCADE;
