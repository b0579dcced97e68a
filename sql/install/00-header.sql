-- carbonbudget install script, concatenated from sql/install/*.sql by the Makefile.
\echo Use "CREATE EXTENSION carbonbudget CASCADE" to load this file. \quit

-- The schema.  CREATE EXTENSION creates it, owned by the installing role, when
-- it does not exist (schema = carbonbudget in the control file); otherwise it
-- uses the schema it finds.  A schema made beforehand by another role would let
-- that role plant objects here (e.g. _landuse_coefficient, which the C code
-- calls by name) that run with the rights of whoever uses the extension, so an
-- existing schema must be owned by the installing role or a superuser (pg_restore
-- recreates the schema with its original owner before CREATE EXTENSION), and
-- no other role may create objects in it or own objects in it.  Everything
-- below is qualified: the schema's contents are not trusted yet.
DO $squat$
DECLARE
  nsp record;
  intruder text;
BEGIN
  SELECT n.oid, n.nspowner, pg_catalog.pg_get_userbyid(n.nspowner) AS owner, r.rolsuper INTO nsp
  FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
  WHERE n.nspname OPERATOR(pg_catalog.=) 'carbonbudget'::pg_catalog.name;
  IF nsp.nspowner OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles r
                                          WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) AND NOT nsp.rolsuper THEN
    RAISE EXCEPTION 'schema "carbonbudget" exists and is owned by role "%", not by the installing role "%"',
                    nsp.owner, CURRENT_USER
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'The owner of the schema could create objects in it that run with the rights of every user of the extension.',
            HINT = 'Drop or rename the schema, or check its contents and ALTER SCHEMA carbonbudget OWNER TO the installing role, then run CREATE EXTENSION again.';
  END IF;
  SELECT pg_catalog.string_agg(DISTINCT CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0::pg_catalog.oid THEN 'PUBLIC'
                                             ELSE pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text END, ', ')
  INTO intruder
  FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
  WHERE n.oid OPERATOR(pg_catalog.=) nsp.oid AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'::pg_catalog.text
    AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner;
  IF intruder IS NOT NULL THEN
    RAISE EXCEPTION 'other roles can create objects in schema "carbonbudget": %', intruder
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'REVOKE CREATE ON SCHEMA carbonbudget FROM those roles, then run CREATE EXTENSION again.';
  END IF;
  SELECT pg_catalog.string_agg(DISTINCT pg_catalog.pg_get_userbyid(o.owner)::pg_catalog.text, ', ') INTO intruder
  FROM (SELECT c.relowner AS owner FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) nsp.oid
        UNION ALL SELECT p.proowner FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) nsp.oid
        UNION ALL SELECT t.typowner FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) nsp.oid
        UNION ALL SELECT o.oprowner FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) nsp.oid) o
  JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) o.owner
  WHERE NOT r.rolsuper AND r.rolname OPERATOR(pg_catalog.<>) CURRENT_USER;
  IF intruder IS NOT NULL THEN
    RAISE EXCEPTION 'schema "carbonbudget" holds objects owned by other roles: %', intruder
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Drop those objects (or the schema), then run CREATE EXTENSION again.';
  END IF;
END
$squat$;

COMMENT ON SCHEMA carbonbudget IS
  'carbonbudget: carbon accounting, spatial statistics, trends and driver models for regional carbon budgets';
-- Every role may use the extension (SPEC section 11, docs/privileges.md): USAGE
-- on the schema here, SELECT on the coefficient tables in 30-coefficients.sql;
-- EXECUTE on functions is PUBLIC's by default.  Only the owner may create here.
GRANT USAGE ON SCHEMA carbonbudget TO PUBLIC;

-- SQL and PL/pgSQL functions are created with SET search_path FROM CURRENT;
-- the last fragment (99-search-path.sql) pins them all to pg_catalog, this
-- schema and pg_temp, so that they find their helpers and the built-ins, and
-- nothing another role planted, whatever the caller's search_path.  Literals
-- are typed as the operators they meet (44.0::float8), and PostGIS objects
-- are qualified with the schema of extension postgis.
