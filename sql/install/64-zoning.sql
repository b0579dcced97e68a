-- Carbon-neutral zoning (SPEC section 9; paper 003 Table 6), land-use dynamics, the scheduled
-- refresh of zoning tables and the QGIS layers built on them.

CREATE FUNCTION land_use_grade(land_class text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_land_use_grade' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION land_use_grade(text) IS
$$Grade of land-use degree (Zhuang & Liu 1997) used by the comprehensive land-use index: 1 unused, snow_ice; 2 forest, shrubland, grassland, water, wetland; 3 cropland; 4 construction. Land classes are case-insensitive; unknown ones are an error.
Example: SELECT land_use_grade('cropland');  -- 3$$;

CREATE FUNCTION _cli_step(float8[], text, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_cli_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _cli_step(float8[], text, float8) IS 'Transition function of cli: adds grade * area and area';
CREATE FUNCTION _cli_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_cli_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _cli_combine(float8[], float8[]) IS 'Combine function of cli: adds two partial sums';
CREATE FUNCTION _cli_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_cli_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _cli_final(float8[]) IS 'Final function of cli: 100 * sum grade * area / sum area';

-- state: sum grade * area, sum area, rows used, rows skipped
CREATE AGGREGATE cli(land_class text, area float8) (
  SFUNC = _cli_step, STYPE = float8[], INITCOND = '{0,0,0,0}',
  COMBINEFUNC = _cli_combine, FINALFUNC = _cli_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE cli(text, float8) IS
$$Comprehensive land-use index CLI = 100 * sum(grade * area share) (paper 003; grades as land_use_grade), dimensionless in [100, 400]; area in any unit (hm2, km2). Rows with NULL class or area are skipped; no area gives NULL.
Example: SELECT county_id, cli(land_class, area_hm2) FROM county_landuse WHERE year = 2020 GROUP BY county_id;$$;

CREATE FUNCTION trend_score(z float8, favourable text, threshold float8) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_trend_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION trend_score(float8, text, float8) IS
$$Score 1-5 of a carbon index from its Mann-Kendall trend Z (paper 003 Table 6) with the favourable direction (increase or decrease, or an indicator name: cs, ecc, esc, ec favour increase; nce, ce, cf, ed favour decrease): with Z taken positive in the favourable direction, Z > threshold scores 5, 0 < Z <= threshold 4, Z = 0 3, -threshold <= Z < 0 2, Z < -threshold 1.
Example: SELECT trend_score(-2.1, 'ce', 1.96);  -- 5$$;

CREATE FUNCTION trend_score(z float8, favourable text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_trend_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION trend_score(float8, text) IS
$$Score 1-5 of a carbon index from its trend Z with paper 003's threshold 1.66 (Table 6); favourable is increase, decrease or an indicator name (cs, nce, ce, ecc, esc, cf, ec, ed).
Example: SELECT trend_score(1.2, 'cs');  -- 4$$;

CREATE FUNCTION cep_score(cep_class text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_cep_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cep_score(text) IS
$$Score 1-5 of the carbon emission potential class (paper 003 Table 6): highly significant 5, moderately significant 4, stable 3, slightly insignificant 2, insignificant 1 (the classes of cep_assess and stirpat_project); Table 6's wording significant, slightly significant, slightly non-significant, non-significant is accepted too. Case-insensitive.
Example: SELECT cep_score('stable');  -- 3$$;

CREATE FUNCTION cli_score(cli float8, cli_min float8, cli_max float8) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_cli_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cli_score(float8, float8, float8) IS
$$Score 1-5 of CLI (paper 003 Table 6): min-max scaled s = (cli - cli_min) / (cli_max - cli_min) in five equal intervals closed below: s >= 0.8 scores 5, >= 0.6 4, >= 0.4 3, >= 0.2 2, otherwise 1. NULL when cli_min = cli_max.
Example: SELECT id, cli_score(cli, min(cli) OVER (), max(cli) OVER ()) FROM county;$$;

CREATE FUNCTION zone_name(zone_class integer) RETURNS text
AS 'MODULE_PATHNAME', 'cb_zone_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION zone_name(integer) IS
$$Name of a carbon-neutral zone of paper 003 from its natural-breaks class of the total score (5 = highest): 5 carbon sink functional, 4 low-carbon development, 3 net-carbon stabilisation, 2 high-carbon control, 1 carbon source optimisation.
Example: SELECT id, zone_name(natural_breaks(total, 5) OVER ()) FROM county_scores;$$;

CREATE FUNCTION dynamic_degree(area_start float8, area_end float8, years float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_dynamic_degree' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dynamic_degree(float8, float8, float8) IS
$$Single land-use dynamic degree K = (Ub - Ua) / Ua / T * 100 (paper 003 Fig. 3), percent per year, from the area at the start (Ua), at the end (Ub) and the years between (T); also the annual change rate of CLI between years. NULL when Ua = 0.
Example: SELECT dynamic_degree(1200, 1500, 20);  -- 1.25$$;

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
  layer   record;
  qview   text;
  vid     oid;   -- an existing layer view
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

  -- 4. QGIS layers over the target (they read the table, so they follow every refresh), read-only:
  --    not automatically updatable (each reads a subquery, not the table itself) and without
  --    INSERT, UPDATE, DELETE or TRUNCATE for anyone, the owner included, so that QGIS and GDAL,
  --    which ask the privileges and information_schema.views, offer no editing that the next refresh
  --    would overwrite.  A layer view of an earlier release (auto-updatable, writable) is replaced;
  --    a relation of another kind or with other columns under these names is left alone.
  FOR layer IN SELECT * FROM (VALUES
      ('_layer', ARRAY['id', 'zone_class', 'zone', 'total', 'value', 'cli', 'geom'],
       pg_catalog.format($q$SELECT id, zone_class, zone, total, value, cli, geom
      FROM (SELECT id, zone_class, zone, total, value, cli, geom FROM %s) AS zoning$q$, qtarget)),
      ('_clusters', ARRAY['id', 'value', 'zone', 'lisa_cluster', 'lisa_quadrant', 'lisa_ii', 'lisa_p', 'gi_z', 'gi_bin', 'geom'],
       pg_catalog.format($q$SELECT id, value, zone, (lm).cluster AS lisa_cluster, (lm).quadrant AS lisa_quadrant,
             (lm).ii AS lisa_ii, (lm).p_sim AS lisa_p, (gi).z AS gi_z, (gi).bin AS gi_bin, geom
      FROM (SELECT id, value, zone, geom,
                   @extschema@.local_moran(value, geom, 'weights=queen seed=12345'::text) OVER () AS lm,
                   @extschema@.getis_ord_gi(value, geom, 'weights=queen'::text) OVER () AS gi
            FROM %s) s$q$, qtarget))) AS l(suffix, columns, query)
  LOOP
    qview := pg_catalog.format('%I.%I', tschema, tname || layer.suffix);
    vid := pg_catalog.to_regclass(qview);
    IF vid IS NULL THEN
      EXECUTE pg_catalog.format('CREATE VIEW %s AS %s', qview, layer.query);
    ELSE
      SELECT c.relkind, c.relowner, c.relacl,
             (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS names
      INTO rel FROM pg_catalog.pg_class c WHERE c.oid = vid;
      IF rel.relkind <> 'v' OR rel.names IS DISTINCT FROM layer.columns OR NOT pg_catalog.pg_has_role(rel.relowner, 'USAGE') THEN
        RAISE NOTICE USING MESSAGE = pg_catalog.format('refresh_zoning: %s is not a layer view of refresh_zoning; left unchanged', qview);
        CONTINUE;
      END IF;
      IF pg_catalog.pg_relation_is_updatable(vid, false) <> 0 THEN
        EXECUTE pg_catalog.format('CREATE OR REPLACE VIEW %s AS %s', qview, layer.query);
      END IF;
    END IF;
    SELECT c.relowner, c.relacl INTO rel FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(qview);
    IF rel.relacl IS NULL OR EXISTS (SELECT FROM pg_catalog.aclexplode(rel.relacl) a
                                     WHERE a.privilege_type = ANY (ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'])) THEN
      EXECUTE pg_catalog.format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %s FROM PUBLIC, %I', qview,
                                pg_catalog.pg_get_userbyid(rel.relowner));
    END IF;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION _refresh_zoning(regclass, text, name) IS
  'Internal: the work of refresh_zoning; default_schema is the schema of a target given without one';

-- A SQL-standard body is resolved when it is created, not when it runs: the
-- caller's search_path can neither redirect the call nor the current_schema()
-- it passes (the caller's, evaluated at run time), so it needs no pinned path.
-- The options are read first, so that a bad key is reported before any work; the QGIS styles of
-- the layers (63-qgis.sql) are written in the same transaction, after the swap.
CREATE PROCEDURE refresh_zoning(source regclass, target text DEFAULT 'zoning', options text DEFAULT '')
LANGUAGE sql
BEGIN ATOMIC
  SELECT @extschema@._qgis_options('refresh_zoning'::text, options);
  SELECT @extschema@._refresh_zoning(source, target, current_schema());
  SELECT @extschema@._qgis_style_zoning(target, current_schema(), options);
END;
COMMENT ON PROCEDURE refresh_zoning(regclass, text, text) IS
$$Rebuilds the carbon-neutral zoning table target (default zoning, in the current schema; schema.table accepted) from source, for scheduled jobs (pg_cron). source must have columns id (integer key), geom (polygons), value (the mapped carbon quantity, e.g. net emission), z_cs, z_nce, z_ce, z_ecc, z_esc, z_cf, z_ec, z_ed (Mann-Kendall Z of each index), cep_class (stirpat_project class) and cli. Scores per paper 003 Table 6 (trend_score, cep_score, cli_score), total, zone_class by natural_breaks(total, 5) and zone (zone_name). Atomic and idempotent: new rows are built in a staging table, then swapped in one transaction under an exclusive lock (readers see the old rows until commit); an advisory lock serialises concurrent runs. Checked before anything is locked or written: source must be a table or view with those columns (one error names the missing ones); an existing target must be a table with the columns refresh_zoning gives it, owned by the caller. Runs with a pinned search_path (an unqualified target goes to the caller's current schema). Creates the QGIS views target_layer (zones) and target_clusters (LISA clusters and Getis-Ord Gi* bins of value), both with the typed geometry column and the integer key id, and read-only (not automatically updatable, no INSERT, UPDATE, DELETE or TRUNCATE privilege for anyone), so GIS clients offer no editing that the next refresh would overwrite; a writable layer view of an earlier release is replaced at the next refresh, another relation under those names is left alone. QGIS styles (option qgis_styles=auto|on|off, default auto): the zones on target and target_layer, LISA clusters and, as a second style, Gi* bins on target_clusters, written to public.layer_styles as qgis_style_layer does when they are not there yet (auto: when the caller may create or write that table, else a NOTICE; on: an error instead; off: none).
Example: SELECT cron.schedule('zoning', '0 3 * * *', $job$CALL carbonbudget.refresh_zoning('public.county_indicators', 'public.zoning')$job$);$$;
