-- Name resolution (SPEC section 11): functions, operators and tables that a
-- database owner (not a superuser) plants in the schemas it can write do not
-- run when a superuser calls the extension, whatever the superuser's
-- search_path; the results of every family stay what they are in a database
-- without planted objects.  The planted objects raise an error naming
-- themselves if they ever run.  CREATE EXTENSION refuses a schema carbonbudget
-- that another role made or can write.
\set regress_db :DBNAME
SET client_min_messages = warning;

-- results of every family in this database, which has nothing planted
\set ECHO none
\i test/lib/families.sql
\set ECHO all
CALL carbonbudget.refresh_zoning('fam_zoning_input', 'pg_temp.zones');
SELECT string_agg(family || ': ' || result, chr(30) ORDER BY family) AS baseline FROM family_results \gset
SELECT md5(string_agg(z::text, ';' ORDER BY id)) AS baseline_zones FROM pg_temp.zones_layer z \gset

DROP DATABASE IF EXISTS cb_planted;
DROP DATABASE IF EXISTS cb_planted_gis;
DROP DATABASE IF EXISTS cb_squat;
DROP ROLE IF EXISTS cb_db_owner;
DROP ROLE IF EXISTS cb_other_admin;
CREATE ROLE cb_db_owner;
CREATE DATABASE cb_planted OWNER cb_db_owner;
\c cb_planted
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;   -- PostGIS in public, which the database owner owns

-- the database owner plants objects in public and in a schema of its own
SET ROLE cb_db_owner;
CREATE FUNCTION public.planted(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'planted % ran as %', what, current_user;
END $$;
CREATE FUNCTION public.planted_f8num(float8, numeric) RETURNS float8 LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('operator(float8, numeric)'); RETURN 0; END $$;
CREATE OPERATOR public.* (LEFTARG = float8, RIGHTARG = numeric, FUNCTION = public.planted_f8num);
CREATE OPERATOR public./ (LEFTARG = float8, RIGHTARG = numeric, FUNCTION = public.planted_f8num);
CREATE FUNCTION public.planted_texteq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('=(text, text)'); RETURN false; END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.planted_texteq);
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('lower(text)'); RETURN ''; END $$;
CREATE FUNCTION public.btrim(text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('btrim(text)'); RETURN ''; END $$;
CREATE FUNCTION public.replace(text, text, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('replace(text, text, text)'); RETURN ''; END $$;
-- more specific than the polymorphic and variadic functions of pg_catalog
CREATE FUNCTION public.cardinality(float8[]) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('cardinality(float8[])'); RETURN 0; END $$;
CREATE FUNCTION public.array_ndims(float8[]) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('array_ndims(float8[])'); RETURN 0; END $$;
CREATE FUNCTION public.array_length(text[], integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('array_length(text[], integer)'); RETURN 0; END $$;
CREATE FUNCTION public.format(text, text, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('format(text, text, text)'); RETURN ''; END $$;
CREATE FUNCTION public.format(text, regclass, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('format(text, regclass, text)'); RETURN ''; END $$;
CREATE TABLE public.landuse_coefficient (LIKE carbonbudget.landuse_coefficient);
CREATE TABLE public.landcover_code (LIKE carbonbudget.landcover_code);
-- a schema of the owner's, for callers who put it before pg_catalog
CREATE SCHEMA owner_tools;
CREATE FUNCTION owner_tools.planted_texteq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('owner_tools.=(text, text)'); RETURN false; END $$;
CREATE OPERATOR owner_tools.= (LEFTARG = text, RIGHTARG = text, FUNCTION = owner_tools.planted_texteq);
CREATE FUNCTION owner_tools.planted_inteq(integer, integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('owner_tools.=(integer, integer)'); RETURN false; END $$;
CREATE OPERATOR owner_tools.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = owner_tools.planted_inteq);
CREATE FUNCTION owner_tools.lower(text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted('owner_tools.lower(text)'); RETURN ''; END $$;
CREATE TABLE owner_tools.spatial_ref_sys (srid integer, auth_name text, auth_srid integer, srtext text, proj4text text);
INSERT INTO owner_tools.spatial_ref_sys VALUES (4326, 'x', 4326, 'PROJCS["planted"]', '+proj=merc'),
                                               (32650, 'x', 32650, 'GEOGCS["planted"]', '+proj=longlat');
RESET ROLE;

-- the planted objects are live: a caller that uses them directly runs them
SELECT 2.0::float8 * 1.0::numeric;
SET search_path = owner_tools, pg_catalog, public;
SELECT 1 = 1;
RESET search_path;

-- the families with a caller's usual path (pg_catalog implicitly first, public
-- next), then with a careless one that puts the owner's schema before pg_catalog
\set caller_path 'public, carbonbudget'
\i test/lib/families_run.sql
\set caller_path 'owner_tools, pg_catalog, public, carbonbudget'
\i test/lib/families_run.sql

-- PostGIS in a schema of its own: a shadow spatial_ref_sys in public, which the
-- database owner writes, is never read (it would make lon/lat planar)
\c :regress_db
CREATE DATABASE cb_planted_gis OWNER cb_db_owner;
\c cb_planted_gis
SET client_min_messages = warning;
CREATE SCHEMA postgis;
CREATE EXTENSION postgis SCHEMA postgis;
CREATE EXTENSION postgis_raster SCHEMA postgis;
CREATE EXTENSION carbonbudget;
SET ROLE cb_db_owner;
CREATE TABLE public.spatial_ref_sys (srid integer, auth_name text, auth_srid integer, srtext text, proj4text text);
INSERT INTO public.spatial_ref_sys VALUES (4326, 'x', 4326, 'PROJCS["planted"]', '+proj=merc'),
                                          (32650, 'x', 32650, 'GEOGCS["planted"]', '+proj=longlat');
CREATE FUNCTION public.planted_inteq(integer, integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'planted =(integer, integer) ran as %', current_user; END $$;
CREATE OPERATOR public.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.planted_inteq);
RESET ROLE;
\set caller_path 'public, postgis, carbonbudget'
\i test/lib/families_run.sql
\set caller_path 'public, pg_catalog, postgis, carbonbudget'
\i test/lib/families_run.sql

-- every SQL and PL/pgSQL routine of the extension pins its search_path to
-- pg_catalog, the extension's schema and pg_temp (no schema another role can
-- write): no rows expected
SELECT p.oid::regprocedure AS routine, p.proconfig
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'carbonbudget'
JOIN pg_language l ON l.oid = p.prolang
WHERE l.lanname IN ('sql', 'plpgsql') AND p.prosqlbody IS NULL
  AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, carbonbudget, pg_temp'];

-- Schema squat: a role that may create schemas (here the database owner)
-- makes schema carbonbudget before the install and plants the function that
-- the C code calls by name; CREATE EXTENSION refuses the schema
CREATE DATABASE cb_squat OWNER cb_db_owner;
\c cb_squat
SET client_min_messages = warning;
CREATE EXTENSION postgis_raster CASCADE;
SET ROLE cb_db_owner;
CREATE SCHEMA carbonbudget;
CREATE FUNCTION carbonbudget._landuse_coefficient(text, text, text, text) RETURNS float8 LANGUAGE sql AS 'SELECT 0::float8';
RESET ROLE;
CREATE EXTENSION carbonbudget;
-- handed to the installer, the schema still holds the squatter's function
ALTER SCHEMA carbonbudget OWNER TO CURRENT_USER;
CREATE EXTENSION carbonbudget;
DROP FUNCTION carbonbudget._landuse_coefficient(text, text, text, text);
-- and another role may not keep the right to create objects in it
GRANT CREATE ON SCHEMA carbonbudget TO cb_db_owner;
CREATE EXTENSION carbonbudget;
REVOKE CREATE ON SCHEMA carbonbudget FROM cb_db_owner;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'carbonbudget';
-- a clean schema of the installer is used
CREATE EXTENSION carbonbudget;
SELECT extversion FROM pg_extension WHERE extname = 'carbonbudget';
DROP EXTENSION carbonbudget;
DROP SCHEMA carbonbudget;
-- so is one that another superuser made, as pg_restore makes it with its original owner
CREATE ROLE cb_other_admin SUPERUSER;
SET ROLE cb_other_admin;
CREATE SCHEMA carbonbudget;
RESET ROLE;
CREATE EXTENSION carbonbudget;
SELECT extversion, n.nspowner::regrole AS schema_owner
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'carbonbudget';
-- without a schema, CREATE EXTENSION makes it for the installer
\c :regress_db
DROP DATABASE cb_squat;
CREATE DATABASE cb_squat;
\c cb_squat
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;
SELECT n.nspowner = current_user::regrole AS installer_owns_schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'carbonbudget';

\c :regress_db
DROP DATABASE cb_planted;
DROP DATABASE cb_planted_gis;
DROP DATABASE cb_squat;
DROP ROLE cb_db_owner;
DROP ROLE cb_other_admin;
