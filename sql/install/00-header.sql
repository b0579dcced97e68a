-- carbonbudget install script, concatenated from sql/install/*.sql by the Makefile.
\echo Use "CREATE EXTENSION carbonbudget CASCADE" to load this file. \quit

COMMENT ON SCHEMA carbonbudget IS
  'carbonbudget: carbon accounting, spatial statistics, trends and driver models for regional carbon budgets';

-- SQL and PL/pgSQL functions are created with SET search_path FROM CURRENT;
-- the last fragment (99-search-path.sql) pins them all to pg_catalog, this
-- schema and pg_temp, so that they find their helpers and the built-ins, and
-- nothing another role planted, whatever the caller's search_path.  Literals
-- are typed as the operators they meet (44.0::float8), and PostGIS objects
-- are qualified with the schema of extension postgis.
