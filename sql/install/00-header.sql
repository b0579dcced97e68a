-- carbonbudget install script, concatenated from sql/install/*.sql by the Makefile.
\echo Use "CREATE EXTENSION carbonbudget CASCADE" to load this file. \quit

COMMENT ON SCHEMA carbonbudget IS
  'carbonbudget: carbon accounting, spatial statistics, trends and driver models for regional carbon budgets';

-- SQL and PL/pgSQL functions carry SET search_path FROM CURRENT: while this
-- script runs the path is this schema followed by the schemas of postgis and
-- postgis_raster, so the functions find their helpers and PostGIS whatever the
-- caller's search_path (e.g. when called as carbonbudget.f(...)).
