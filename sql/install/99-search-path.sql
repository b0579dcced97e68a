-- Name resolution (SPEC section 11), last fragment of the install script.
-- Every SQL and PL/pgSQL routine of the extension runs with
--   search_path = pg_catalog, carbonbudget, pg_temp
-- whatever the caller's path: pg_catalog first, so built-in functions and
-- operators win; then this schema, which only its owner can write (00-header.sql
-- refuses a schema that others could); pg_temp last, so a temporary table or
-- type cannot shadow anything.  The PostGIS schema is deliberately not on the
-- path: it is usually public, where the database owner can create objects, and
-- an object planted there with exact argument types beats a polymorphic or
-- variadic built-in (cardinality(anyarray), format(text, VARIADIC "any")) even
-- behind pg_catalog.  Code that needs PostGIS qualifies it with the schema of
-- extension postgis, looked up in pg_extension when it runs (refresh_zoning).
-- The fragments create their routines with SET search_path FROM CURRENT; this
-- block then sets the pinned path on all of them (SQL-standard bodies, BEGIN
-- ATOMIC, are resolved when created and need none).  The upgrade script ends
-- with the same block.
DO $pin$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT p.oid::pg_catalog.regprocedure AS routine, p.prokind
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                               AND d.objid OPERATOR(pg_catalog.=) p.oid AND d.deptype OPERATOR(pg_catalog.=) 'e'
    JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
                                   AND e.extname OPERATOR(pg_catalog.=) 'carbonbudget'
    JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
    WHERE l.lanname OPERATOR(pg_catalog.=) ANY (ARRAY['sql', 'plpgsql']::pg_catalog.name[]) AND p.prosqlbody IS NULL
  LOOP
    EXECUTE pg_catalog.format('ALTER %s %s SET search_path = pg_catalog, carbonbudget, pg_temp',
                              CASE WHEN r.prokind OPERATOR(pg_catalog.=) 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.routine);
  END LOOP;
END
$pin$;
