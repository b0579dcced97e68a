-- The catalogue of extension carbonbudget as text lines, one per object or
-- property, without OIDs: functions with their definitions and labels,
-- aggregates with their support functions, types, tables with columns,
-- constraints, indexes and rows, comments, privileges and the dump
-- configuration.  Two databases with equal lines have the same extension.
-- Included by the upgrade test (\i test/lib/catalog.sql) in each database.
CREATE FUNCTION pg_temp.cb_catalog() RETURNS SETOF text LANGUAGE sql STABLE AS $catalog$
WITH ext AS (SELECT oid, extnamespace, extconfig, extcondition FROM pg_extension WHERE extname = 'carbonbudget'),
member AS (SELECT d.classid, d.objid FROM pg_depend d, ext
           WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
fn AS (SELECT p.* FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
-- functions and procedures: full definition (labels, SET, body), privileges, comment
SELECT format('function %s: %s | acl %s | comment %s', p.oid::regprocedure, pg_get_functiondef(p.oid),
              p.proacl, obj_description(p.oid, 'pg_proc'))
FROM fn p WHERE p.prokind <> 'a'
UNION ALL
-- aggregates
SELECT format('aggregate %s: sfunc %s stype %s final %s %s combine %s serial %s deserial %s init %s parallel %s strict %s | acl %s | comment %s',
              p.oid::regprocedure, a.aggtransfn::regprocedure, format_type(a.aggtranstype, NULL),
              nullif(a.aggfinalfn, 0)::regprocedure, a.aggfinalmodify, nullif(a.aggcombinefn, 0)::regprocedure,
              nullif(a.aggserialfn, 0)::regprocedure, nullif(a.aggdeserialfn, 0)::regprocedure, a.agginitval,
              p.proparallel, p.proisstrict, p.proacl, obj_description(p.oid, 'pg_proc'))
FROM fn p JOIN pg_aggregate a ON a.aggfnoid = p.oid
UNION ALL
-- types: composite attributes in order, comment
SELECT format('type %s: %s | comment %s', t.oid::regtype,
              (SELECT string_agg(format('%I %s', att.attname, format_type(att.atttypid, att.atttypmod)), ', ' ORDER BY att.attnum)
               FROM pg_attribute att WHERE att.attrelid = t.typrelid AND att.attnum > 0 AND NOT att.attisdropped),
              obj_description(t.oid, 'pg_type'))
FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
UNION ALL
-- tables and views: kind, privileges, comment
SELECT format('relation %s: kind %s | acl %s | comment %s', c.oid::regclass, c.relkind, c.relacl,
              obj_description(c.oid, 'pg_class'))
FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
UNION ALL
-- columns: type, default, not null, comment
SELECT format('column %s.%I: %s default %s not null %s | comment %s', c.oid::regclass, att.attname,
              format_type(att.atttypid, att.atttypmod), pg_get_expr(ad.adbin, ad.adrelid), att.attnotnull,
              col_description(c.oid, att.attnum))
FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
JOIN pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0 AND NOT att.attisdropped
LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = att.attnum
UNION ALL
-- constraints, indexes, triggers and policies of the extension's tables
SELECT format('constraint %s %s: %s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid))
FROM pg_constraint con JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = con.conrelid
UNION ALL
SELECT format('index %s: %s', i.indrelid::regclass, regexp_replace(pg_get_indexdef(i.indexrelid), 'INDEX \S+ ON', 'INDEX ON'))
FROM pg_index i JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = i.indrelid
UNION ALL
SELECT format('trigger %s %s: %s', tg.tgrelid::regclass, tg.tgname, pg_get_triggerdef(tg.oid))
FROM pg_trigger tg JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = tg.tgrelid
WHERE NOT tg.tgisinternal
UNION ALL
SELECT format('policy %s %s: %s %s %s', pol.polrelid::regclass, pol.polname, pol.polcmd,
              pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid))
FROM pg_policy pol JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = pol.polrelid
UNION ALL
-- the schema and what pg_dump keeps of the tables
SELECT format('schema %s: owner is installer %s | acl %s | comment %s', n.nspname, n.nspowner = current_user::regrole,
              n.nspacl, obj_description(n.oid, 'pg_namespace'))
FROM pg_namespace n, ext WHERE n.oid = ext.extnamespace
UNION ALL
SELECT format('dump %s: %s', cfg.rel::regclass, cfg.cond)
FROM ext, unnest(ext.extconfig, ext.extcondition) cfg(rel, cond)
$catalog$;

-- Rows of the extension's ordinary tables, one line per row.
CREATE FUNCTION pg_temp.cb_catalog_rows() RETURNS SETOF text LANGUAGE plpgsql STABLE AS $rows$
DECLARE rel regclass;
BEGIN
  FOR rel IN SELECT c.oid FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
             JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid AND d.deptype = 'e'
             WHERE e.extname = 'carbonbudget' AND c.relkind = 'r' ORDER BY c.oid::regclass::text LOOP
    RETURN QUERY EXECUTE format('SELECT %L || '': '' || t::text FROM %s t', rel::text, rel);
  END LOOP;
END $rows$;
