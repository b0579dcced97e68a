-- carbonbudget 0.1.0 -> 0.2.0 (see CHANGELOG.md).  Hand-written: every SQL
-- change of 0.2.0 also made in the install fragments of sql/install/, so that
-- an updated database has the catalogue of a fresh 0.2.0 install
-- (test/sql/upgrade.sql checks it).
\echo Use "ALTER EXTENSION carbonbudget UPDATE TO '0.2.0'" to load this file. \quit

-- ==== Production safety (SPEC section 11) ====================================

-- ---- privileges: every role may use the extension (docs/privileges.md) ----
GRANT USAGE ON SCHEMA carbonbudget TO PUBLIC;
GRANT SELECT ON landuse_coefficient, landcover_code, energy_factor, agriculture_factor, livestock_factor,
                breathing_factor, footprint_nep TO PUBLIC;

-- ---- coefficient tables: shipped rows kept as shipped (dump and restore) ----
-- Shipped rows cannot be changed, removed or faked (SPEC section 11): CREATE
-- EXTENSION recreates them and pg_dump leaves them out (WHERE NOT shipped), so
-- an edit would silently revert on restore and a row edited to shipped = false
-- would collide with the recreated one and fail the restore.  The guard refuses
-- UPDATE and DELETE of shipped rows, INSERT or UPDATE with shipped = true, and
-- TRUNCATE, for every role including the owner; users add a scheme instead.
-- (An upgrade script that corrects a shipped row disables the trigger around
-- its UPDATE: ALTER TABLE ... DISABLE TRIGGER shipped_rows_guard.)
CREATE FUNCTION _shipped_row_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'cannot truncate table "%": it holds the rows shipped with carbonbudget', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Delete the rows of your own schemes instead (DELETE ... WHERE NOT shipped).';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    RAISE EXCEPTION 'cannot % the shipped rows of table "%"', lower(TG_OP), TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = format('Scheme "%s" ships with carbonbudget: CREATE EXTENSION recreates its rows and pg_dump does not keep them, so a change would be lost on restore.', OLD.scheme),
            HINT = format('Add a scheme instead: insert rows under a new scheme name (e.g. copy scheme "%s" with INSERT ... SELECT and change the copy) and pass that scheme to the functions.', OLD.scheme);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.shipped THEN
    RAISE EXCEPTION 'cannot mark rows of table "%" as shipped', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'shipped = true marks the rows that CREATE EXTENSION recreates; pg_dump leaves them out, so the row would be lost on restore.',
            HINT = 'Leave shipped = false (the default) for rows you add.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION _shipped_row_guard() IS
  'Internal: trigger function that keeps the shipped coefficient rows as shipped (no UPDATE, DELETE, TRUNCATE, or new shipped rows)';
DO $guard$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['landuse_coefficient', 'landcover_code', 'energy_factor', 'agriculture_factor',
                           'livestock_factor', 'breathing_factor', 'footprint_nep'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER shipped_rows_guard BEFORE INSERT OR UPDATE OR DELETE ON carbonbudget.%I
                               FOR EACH ROW EXECUTE FUNCTION carbonbudget._shipped_row_guard()', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER shipped_rows_truncate_guard BEFORE TRUNCATE ON carbonbudget.%I
                               FOR EACH STATEMENT EXECUTE FUNCTION carbonbudget._shipped_row_guard()', t);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER shipped_rows_guard ON carbonbudget.%I IS %L', t,
                              'Refuses UPDATE and DELETE of shipped rows and rows marked shipped by users: add a scheme instead');
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER shipped_rows_truncate_guard ON carbonbudget.%I IS %L', t,
                              'Refuses TRUNCATE, which would remove the shipped rows');
  END LOOP;
END
$guard$;

-- ---- name resolution: literals typed as their operators ----
CREATE OR REPLACE FUNCTION c_to_co2(t_c float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT t_c * 44.0::float8 / 12.0::float8 $$;
CREATE OR REPLACE FUNCTION co2_to_c(t_co2 float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT t_co2 * 12.0::float8 / 44.0::float8 $$;


-- ---- refresh_zoning: a SQL-standard procedure over a pinned function ----
-- The work of refresh_zoning, with the search_path pinned (99-search-path.sql);
-- default_schema is the caller's current schema, for a target without one.
-- Every argument is checked before anything is locked or written: an existing
-- target must be a table with the columns refresh_zoning gives it, owned by
-- the caller (so a typo or a hostile name cannot empty another table).
CREATE FUNCTION _refresh_zoning(source regclass, target text, default_schema name) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  source_columns CONSTANT text[] := ARRAY['id', 'geom', 'value', 'z_cs', 'z_nce', 'z_ce', 'z_ecc', 'z_esc', 'z_cf',
                                          'z_ec', 'z_ed', 'cep_class', 'cli'];
  target_columns CONSTANT text[] := ARRAY['id', 'geom', 'value', 'cli', 'score_cs', 'score_nce', 'score_ce', 'score_ecc',
                                          'score_esc', 'score_cf', 'score_ec', 'score_ed', 'score_cep', 'score_cli',
                                          'total', 'zone_class', 'zone', 'refreshed_at'];
  parts   text[];
  tschema text;
  tname   text;
  qtarget text;
  qsource text;
  toid    oid;
  target_types oid[];
  missing text;
  rel     record;
  gis     text;  -- schema of PostGIS
  srid    integer;
  nrows   bigint;
BEGIN
  IF source IS NULL OR target IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = pg_catalog.format('refresh_zoning: %s must not be NULL', CASE WHEN source IS NULL THEN 'source' ELSE 'target' END);
  END IF;
  SELECT c.relkind, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name INTO rel
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = source;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'refresh_zoning: source must be an existing table or view',
      DETAIL = pg_catalog.format('No relation has OID %s.', source::oid);
  ELSIF rel.relkind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type', MESSAGE = pg_catalog.format('refresh_zoning: source %s is not a table or view', rel.name);
  END IF;
  qsource := rel.name;
  SELECT pg_catalog.string_agg(w.col, ', ' ORDER BY w.ord) INTO missing
  FROM pg_catalog.unnest(source_columns) WITH ORDINALITY AS w(col, ord)
  WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = source AND a.attname = w.col::name AND a.attnum > 0 AND NOT a.attisdropped);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column', MESSAGE = pg_catalog.format('refresh_zoning: source %s lacks columns %s', qsource, missing),
      HINT = 'The source needs the columns ' || pg_catalog.array_to_string(source_columns, ', ') || ' (see COMMENT ON PROCEDURE refresh_zoning).';
  END IF;

  parts := pg_catalog.parse_ident(target);
  IF pg_catalog.cardinality(parts) = 2 THEN
    tschema := parts[1]; tname := parts[2];
  ELSIF pg_catalog.cardinality(parts) = 1 THEN
    tschema := default_schema; tname := parts[1];
  ELSE
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('refresh_zoning: target must be table or schema.table, not %s', target);
  END IF;
  IF tschema IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_schema_name', MESSAGE = pg_catalog.format('refresh_zoning: no schema for target %s', target),
      HINT = 'Give the target as schema.table, or call with a search_path that names an existing schema.';
  END IF;
  qtarget := pg_catalog.format('%I.%I', tschema, tname);
  -- one refresh of a target at a time: a second run waits here and then rebuilds from the same input
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('carbonbudget.refresh_zoning'), pg_catalog.hashtext(qtarget));
  SELECT n.nspname INTO gis FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'postgis';

  -- 0. an existing target must be a zoning table of the caller's (checked after the advisory lock,
  --    so that it is the table a concurrent run may just have made)
  toid := pg_catalog.to_regclass(qtarget);
  IF toid IS NOT NULL THEN
    target_types := ARRAY['pg_catalog.int8'::pg_catalog.regtype, pg_catalog.to_regtype(pg_catalog.format('%I.geometry', gis)),
                          'pg_catalog.float8', 'pg_catalog.float8', 'pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.int4',
                          'pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.int4',
                          'pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.text',
                          'pg_catalog.timestamptz']::pg_catalog.regtype[]::pg_catalog.oid[];
    SELECT c.relkind, c.relowner,
           (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS names,
           (SELECT pg_catalog.array_agg(a.atttypid ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS types
    INTO rel FROM pg_catalog.pg_class c WHERE c.oid = toid;
    IF rel.relkind <> 'r' OR rel.names IS DISTINCT FROM target_columns OR rel.types IS DISTINCT FROM target_types THEN
      RAISE EXCEPTION USING ERRCODE = 'wrong_object_type', MESSAGE = pg_catalog.format('refresh_zoning: target %s is not a zoning table', qtarget),
        DETAIL = 'An existing target must be a table made by refresh_zoning, with the columns '
                 || pg_catalog.array_to_string(target_columns, ', ') || '.',
        HINT = 'Choose another target name (refresh_zoning creates it), or drop that table.';
    END IF;
    IF NOT pg_catalog.pg_has_role(rel.relowner, 'USAGE') THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = pg_catalog.format('refresh_zoning: must be owner of table %s', qtarget),
        HINT = 'Refresh as the owner of the zoning table (e.g. in a job owned by that role), or choose a target of your own.';
    END IF;
  END IF;

  -- 1. build the new rows in a staging table, without locking the target
  IF pg_catalog.to_regclass('pg_temp._cb_zoning_stage') IS NOT NULL THEN
    DROP TABLE pg_temp._cb_zoning_stage;
  END IF;
  EXECUTE pg_catalog.format($q$
    CREATE TEMP TABLE _cb_zoning_stage ON COMMIT DROP AS
    SELECT t.*, @extschema@.natural_breaks(t.total::float8, 5) OVER () AS zone_class
    FROM (
      SELECT s.*, s.score_cs + s.score_nce + s.score_ce + s.score_ecc + s.score_esc + s.score_cf
                  + s.score_ec + s.score_ed + s.score_cep + s.score_cli AS total
      FROM (
        SELECT src.id::bigint AS id, %2$I.ST_Multi(src.geom) AS geom, src.value::float8 AS value,
               src.cli::float8 AS cli,
               @extschema@.trend_score(src.z_cs::float8, 'cs'::text) AS score_cs,
               @extschema@.trend_score(src.z_nce::float8, 'nce'::text) AS score_nce,
               @extschema@.trend_score(src.z_ce::float8, 'ce'::text) AS score_ce,
               @extschema@.trend_score(src.z_ecc::float8, 'ecc'::text) AS score_ecc,
               @extschema@.trend_score(src.z_esc::float8, 'esc'::text) AS score_esc,
               @extschema@.trend_score(src.z_cf::float8, 'cf'::text) AS score_cf,
               @extschema@.trend_score(src.z_ec::float8, 'ec'::text) AS score_ec,
               @extschema@.trend_score(src.z_ed::float8, 'ed'::text) AS score_ed,
               @extschema@.cep_score(src.cep_class::text) AS score_cep,
               @extschema@.cli_score(src.cli::float8, pg_catalog.min(src.cli::float8) OVER (),
                                     pg_catalog.max(src.cli::float8) OVER ()) AS score_cli
        FROM %1$s src) s) t$q$, qsource, gis);
  EXECUTE pg_catalog.format('SELECT pg_catalog.count(*), pg_catalog.max(%I.ST_SRID(geom)) FROM pg_temp._cb_zoning_stage', gis)
    INTO nrows, srid;
  IF nrows = 0 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('refresh_zoning: source %s has no rows', source);
  END IF;

  -- 2. the target, created once: typed geometry with SRID and a stable integer key for GIS clients
  IF toid IS NULL THEN
    EXECUTE pg_catalog.format($q$CREATE TABLE %1$s (
      id bigint PRIMARY KEY, geom %2$I.geometry(MultiPolygon, %3$s) NOT NULL, value float8, cli float8,
      score_cs int, score_nce int, score_ce int, score_ecc int, score_esc int, score_cf int,
      score_ec int, score_ed int, score_cep int, score_cli int, total int, zone_class int, zone text,
      refreshed_at timestamptz NOT NULL)$q$, qtarget, gis, srid);
    toid := pg_catalog.to_regclass(qtarget);
  END IF;

  -- 3. swap the rows in this transaction: writers are excluded, readers see the old rows until commit
  EXECUTE pg_catalog.format('LOCK TABLE %s IN EXCLUSIVE MODE', qtarget);
  IF pg_catalog.to_regclass(qtarget) IS DISTINCT FROM toid THEN
    RAISE EXCEPTION USING ERRCODE = 'object_in_use', MESSAGE = pg_catalog.format('refresh_zoning: target %s was replaced during the refresh', qtarget),
      HINT = 'Run the refresh again.';
  END IF;
  EXECUTE pg_catalog.format('DELETE FROM %s', qtarget);
  EXECUTE pg_catalog.format($q$INSERT INTO %s SELECT id, geom, value, cli, score_cs, score_nce, score_ce, score_ecc,
      score_esc, score_cf, score_ec, score_ed, score_cep, score_cli, total, zone_class,
      @extschema@.zone_name(zone_class), pg_catalog.now() FROM pg_temp._cb_zoning_stage$q$, qtarget);
  DROP TABLE pg_temp._cb_zoning_stage;

  -- 4. QGIS layers over the target, made once (they read the table, so they follow every refresh)
  IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', tschema, tname || '_layer')) IS NULL THEN
    EXECUTE pg_catalog.format($q$CREATE VIEW %I.%I AS
      SELECT id, zone_class, zone, total, value, cli, geom FROM %s$q$, tschema, tname || '_layer', qtarget);
  END IF;
  IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', tschema, tname || '_clusters')) IS NULL THEN
    EXECUTE pg_catalog.format($q$CREATE VIEW %I.%I AS
      SELECT id, value, zone, (lm).cluster AS lisa_cluster, (lm).quadrant AS lisa_quadrant,
             (lm).ii AS lisa_ii, (lm).p_sim AS lisa_p, (gi).z AS gi_z, (gi).bin AS gi_bin, geom
      FROM (SELECT id, value, zone, geom,
                   @extschema@.local_moran(value, geom, 'weights=queen seed=12345'::text) OVER () AS lm,
                   @extschema@.getis_ord_gi(value, geom, 'weights=queen'::text) OVER () AS gi
            FROM %s) s$q$, tschema, tname || '_clusters', qtarget);
  END IF;
END
$fn$;
COMMENT ON FUNCTION _refresh_zoning(regclass, text, name) IS
  'Internal: the work of refresh_zoning; default_schema is the schema of a target given without one';

-- A SQL-standard body is resolved when it is created, not when it runs: the
-- caller's search_path can neither redirect the call nor the current_schema()
-- it passes (the caller's, evaluated at run time), so it needs no pinned path.
CREATE OR REPLACE PROCEDURE refresh_zoning(source regclass, target text DEFAULT 'zoning')
LANGUAGE sql
BEGIN ATOMIC
  SELECT @extschema@._refresh_zoning(source, target, current_schema());
END;
COMMENT ON PROCEDURE refresh_zoning(regclass, text) IS
$$Rebuilds the carbon-neutral zoning table target (default zoning, in the current schema; schema.table accepted) from source, for scheduled jobs (pg_cron). source must have columns id (integer key), geom (polygons), value (the mapped carbon quantity, e.g. net emission), z_cs, z_nce, z_ce, z_ecc, z_esc, z_cf, z_ec, z_ed (Mann-Kendall Z of each index), cep_class (stirpat_project class) and cli. Scores per paper 003 Table 6 (trend_score, cep_score, cli_score), total, zone_class by natural_breaks(total, 5) and zone (zone_name). Atomic and idempotent: new rows are built in a staging table, then swapped in one transaction under an exclusive lock (readers see the old rows until commit); an advisory lock serialises concurrent runs. Checked before anything is locked or written: source must be a table or view with those columns (one error names the missing ones); an existing target must be a table with the columns refresh_zoning gives it, owned by the caller. Runs with a pinned search_path (an unqualified target goes to the caller's current schema). Creates once the QGIS views target_layer (zones) and target_clusters (LISA clusters and Getis-Ord Gi* bins of value), both with the typed geometry column and the integer key id.
Example: SELECT cron.schedule('zoning', '0 3 * * *', $job$CALL carbonbudget.refresh_zoning('public.county_indicators', 'public.zoning')$job$);$$;

-- ==== Pinned search_path of every SQL and PL/pgSQL routine ====================
-- As sql/install/99-search-path.sql, which explains it.  Keep this block at the
-- end of the script: it pins the routines created or replaced above it.
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
