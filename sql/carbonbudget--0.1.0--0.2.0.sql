-- carbonbudget 0.1.0 -> 0.2.0 (see CHANGELOG.md).  Hand-written: every SQL
-- change of 0.2.0 also made in the install fragments of sql/install/, so that
-- an updated database has the catalogue of a fresh 0.2.0 install
-- (test/sql/upgrade.sql checks it).
\echo Use "ALTER EXTENSION carbonbudget UPDATE TO '0.2.0'" to load this file. \quit

-- 0.2.0: carbonbudget_version() and carbonbudget_full_version() (sql/install/01-version.sql).
CREATE FUNCTION carbonbudget_version() RETURNS text
AS 'MODULE_PATHNAME', 'cb_version' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION carbonbudget_version() IS
$$Version of the carbonbudget library, e.g. 0.2.0: the control file's default_version compiled into it. When the installed SQL
objects are of another version (the library was upgraded but not the extension, or the reverse) it raises a WARNING naming both;
ALTER EXTENSION carbonbudget UPDATE brings the SQL to the library's version.
Example: SELECT carbonbudget_version();$$;

CREATE FUNCTION carbonbudget_full_version() RETURNS text
AS 'MODULE_PATHNAME', 'cb_full_version' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION carbonbudget_full_version() IS
$$Versions carbonbudget runs with, in the style of PostGIS_Full_Version(): CARBONBUDGET (the library; the installed SQL version
too when it differs), PGSQL (server_version), POSTGIS (postgis_lib_version() of the schema PostGIS is installed in), GEOS
(GEOSversion() of the GEOS C library linked), LAPACK (ilaver) and BLAS (OpenBLAS's or BLIS's own description when one of them is
loaded, else the library file, called the reference BLAS when it is Debian's netlib libblas3). For bug reports.
Example: SELECT carbonbudget_full_version();
-- CARBONBUDGET="0.2.0" PGSQL="15.20 (Debian 15.20-0+deb12u1)" POSTGIS="3.3.2" GEOS="3.11.1-CAPI-1.17.1" LAPACK="3.11.0" BLAS="reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)"$$;

-- ---- NULL arguments: functions whose result is NULL for a NULL argument are STRICT ----
-- (spatial weights of an empty selection, per-tile raster functions after a LEFT JOIN;
-- the final functions of aggregates whose state is never NULL inside the aggregate)
ALTER FUNCTION spatial_weights(bigint[], geometry[], text) STRICT;
ALTER FUNCTION carbon_budget(raster, geometry, text) STRICT;
ALTER FUNCTION downscale_weight(raster, geometry, text) STRICT;
ALTER FUNCTION downscale_raster(raster, geometry, float8, float8, text) STRICT;
ALTER FUNCTION nep_raster(raster, raster, raster, text) STRICT;
ALTER FUNCTION rcs_raster(raster, float8, text) STRICT;
ALTER FUNCTION rcs_raster(raster, raster, text) STRICT;
ALTER FUNCTION ecs_raster(raster, raster, text) STRICT;
ALTER FUNCTION cnc_raster(raster, raster, text) STRICT;
ALTER FUNCTION _stirpat_ridge_final(float8[]) STRICT;
ALTER FUNCTION _stirpat_ridge_trace_final(float8[]) STRICT;
ALTER FUNCTION _ols_final(float8[]) STRICT;
ALTER FUNCTION _ols_stepwise_final(float8[]) STRICT;
ALTER FUNCTION _ttest_final(float8[]) STRICT;
ALTER FUNCTION _geodetector_final(float8[]) STRICT;
ALTER FUNCTION _geodetector_interaction_final(float8[]) STRICT;

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
-- (An upgrade script that adds or corrects shipped rows disables the trigger
-- around its change: ALTER TABLE ... DISABLE TRIGGER shipped_rows_guard.)
-- The canonical shipped rows, as CREATE EXTENSION makes them: only an exact copy
-- of one may be inserted with shipped = true (a Citus reference table copies
-- them into its shards that way); never dumped, recreated by CREATE EXTENSION.
CREATE TABLE _shipped_row (
  tab text NOT NULL,   -- coefficient table
  content jsonb NOT NULL,  -- the whole row, to_jsonb()
  PRIMARY KEY (tab, content)
);
COMMENT ON TABLE _shipped_row IS
  'Internal: the coefficient rows shipped with carbonbudget, one jsonb per row, checked by the shipped-row guard';
INSERT INTO _shipped_row
SELECT 'landuse_coefficient', pg_catalog.to_jsonb(t) FROM landuse_coefficient t WHERE t.shipped
UNION ALL SELECT 'landcover_code', pg_catalog.to_jsonb(t) FROM landcover_code t WHERE t.shipped
UNION ALL SELECT 'energy_factor', pg_catalog.to_jsonb(t) FROM energy_factor t WHERE t.shipped
UNION ALL SELECT 'agriculture_factor', pg_catalog.to_jsonb(t) FROM agriculture_factor t WHERE t.shipped
UNION ALL SELECT 'livestock_factor', pg_catalog.to_jsonb(t) FROM livestock_factor t WHERE t.shipped
UNION ALL SELECT 'breathing_factor', pg_catalog.to_jsonb(t) FROM breathing_factor t WHERE t.shipped
UNION ALL SELECT 'footprint_nep', pg_catalog.to_jsonb(t) FROM footprint_nep t WHERE t.shipped;
GRANT SELECT ON _shipped_row TO PUBLIC;

CREATE FUNCTION _shipped_row_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  -- TG_ARGV[0] is the table's own name: the trigger also fires on the shards of a Citus reference table
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'cannot truncate table "%": it holds the rows shipped with carbonbudget', TG_ARGV[0]
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Delete the rows of your own schemes instead (DELETE ... WHERE NOT shipped).';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    RAISE EXCEPTION 'cannot % the shipped rows of table "%"', lower(TG_OP), TG_ARGV[0]
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = format('Scheme "%s" ships with carbonbudget: CREATE EXTENSION recreates its rows and pg_dump does not keep them, so a change would be lost on restore.', OLD.scheme),
            HINT = format('Add a scheme instead: insert rows under a new scheme name (e.g. copy scheme "%s" with INSERT ... SELECT and change the copy) and pass that scheme to the functions.', OLD.scheme);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.shipped
     AND NOT (TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM carbonbudget._shipped_row s
                                           WHERE s.tab = TG_ARGV[0] AND s.content = to_jsonb(NEW))) THEN
    RAISE EXCEPTION 'cannot mark rows of table "%" as shipped', TG_ARGV[0]
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
  'Internal: trigger function that keeps the shipped coefficient rows as shipped (no UPDATE, DELETE, TRUNCATE, or new shipped rows but exact copies of the shipped ones)';
DO $guard$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['landuse_coefficient', 'landcover_code', 'energy_factor', 'agriculture_factor',
                           'livestock_factor', 'breathing_factor', 'footprint_nep'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER shipped_rows_guard BEFORE INSERT OR UPDATE OR DELETE ON carbonbudget.%I
                               FOR EACH ROW EXECUTE FUNCTION carbonbudget._shipped_row_guard(%L)', t, t);
    EXECUTE pg_catalog.format('CREATE TRIGGER shipped_rows_truncate_guard BEFORE TRUNCATE ON carbonbudget.%I
                               FOR EACH STATEMENT EXECUTE FUNCTION carbonbudget._shipped_row_guard(%L)', t, t);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER shipped_rows_guard ON carbonbudget.%I IS %L', t,
                              'Refuses UPDATE and DELETE of shipped rows and rows marked shipped by users: add a scheme instead');
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER shipped_rows_truncate_guard ON carbonbudget.%I IS %L', t,
                              'Refuses TRUNCATE, which would remove the shipped rows');
  END LOOP;
END
$guard$;

-- ---- NULL and non-finite arguments of the SQL and PL/pgSQL functions; literals typed ----
CREATE OR REPLACE FUNCTION _check_finite(func text, arg text, v float8) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF NOT (v > '-Infinity'::float8 AND v < 'Infinity'::float8) THEN
    RAISE EXCEPTION '%: % must be finite', func, arg
      USING ERRCODE = 'invalid_parameter_value', DETAIL = format('%s = %s.', arg, v);
  END IF;
  RETURN v;
END $$;
COMMENT ON FUNCTION _check_finite(text, text, float8) IS 'Internal: v itself, or an error naming arg when v is NaN or infinite';
CREATE OR REPLACE FUNCTION c_to_co2(t_c float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('c_to_co2', 't_c', t_c) * 44.0::float8 / 12.0::float8 $$;
CREATE OR REPLACE FUNCTION co2_to_c(t_co2 float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('co2_to_c', 't_co2', t_co2) * 12.0::float8 / 44.0::float8 $$;
CREATE OR REPLACE FUNCTION _check_amount(func text, arg text, v float8) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF v IS NULL THEN RETURN; END IF;
  PERFORM carbonbudget._check_finite(func, arg, v);
  IF v < 0 THEN
    RAISE EXCEPTION '%: % must be non-negative', func, arg
      USING ERRCODE = 'invalid_parameter_value', DETAIL = format('%s = %s.', arg, v);
  END IF;
END $$;
CREATE OR REPLACE FUNCTION _land_class(func text, land_class text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
DECLARE k text := lower(btrim(land_class));
BEGIN
  IF k IS NULL THEN
    RAISE EXCEPTION '%: land_class must not be NULL', func USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF k NOT IN ('cropland', 'forest', 'shrubland', 'grassland', 'water', 'wetland',
                            'construction', 'unused', 'snow_ice') THEN
    RAISE EXCEPTION '%: unknown land class "%"', func, land_class USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use cropland, forest, shrubland, grassland, water, wetland, construction, unused or snow_ice.';
  END IF;
  RETURN k;
END $$;
CREATE OR REPLACE FUNCTION _scheme(func text, scheme text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF scheme IS NULL THEN
    RAISE EXCEPTION '%: scheme must not be NULL', func USING ERRCODE = 'null_value_not_allowed',
      HINT = 'Omit the argument for the default scheme, or name a scheme of the coefficient tables.';
  END IF;
  RETURN lower(btrim(scheme));
END $$;
COMMENT ON FUNCTION _scheme(text, text) IS 'Internal: the lower-case scheme key; NULL is an error naming the scheme argument';
CREATE OR REPLACE FUNCTION _landuse_coefficient(func text, land_class text, zone text, scheme text)
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  cls text := _land_class(func, land_class);
  zn text := _zone(func, zone);
  sch text := _scheme(func, scheme);
  c float8;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM carbonbudget.landuse_coefficient l WHERE l.scheme = sch) THEN
    RAISE EXCEPTION '%: unknown scheme "%"', func, scheme USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use a scheme of table landuse_coefficient (shipped: liu, huo).';
  END IF;
  SELECT l.coefficient INTO c FROM carbonbudget.landuse_coefficient l
  WHERE l.scheme = sch AND l.land_class = cls AND l.zone IN (coalesce(zn, 'any'), 'any')
  ORDER BY l.zone = 'any' LIMIT 1;
  IF FOUND THEN RETURN c; END IF;
  IF EXISTS (SELECT 1 FROM carbonbudget.landuse_coefficient l WHERE l.scheme = sch AND l.land_class = cls) THEN
    RAISE EXCEPTION '%: zone is required for land class % in scheme %', func, cls, sch
      USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Pass zone => north, east, northeast, central_south, southwest or northwest.';
  END IF;
  RETURN 0;  -- the scheme does not count this class (e.g. wetland in liu)
END $$;
CREATE OR REPLACE FUNCTION energy_emissions(fuel text, consumption float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  f record;
  sch text := carbonbudget._scheme('energy_emissions', scheme);
BEGIN
  IF fuel IS NULL OR consumption IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('energy_emissions', 'consumption', consumption);
  SELECT * INTO f FROM carbonbudget.energy_factor e WHERE e.scheme = sch AND e.fuel = lower(btrim(energy_emissions.fuel));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'energy_emissions: unknown fuel "%" in scheme "%"', fuel, scheme
      USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce((SELECT 'Use one of: ' || string_agg(e.fuel, ', ' ORDER BY e.fuel) || '.'
                       FROM carbonbudget.energy_factor e WHERE e.scheme = sch),
                      'Table energy_factor has no rows of this scheme (shipped: huo).');
  END IF;
  RETURN consumption * f.standard_coal_coefficient * f.carbon_coefficient
         * carbonbudget._mass_unit_factor('energy_emissions', unit);
END $$;
CREATE OR REPLACE FUNCTION energy_emissions_ipcc(consumption float8, ncv float8, cef float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('energy_emissions_ipcc', 'consumption', consumption)
             * carbonbudget._check_finite('energy_emissions_ipcc', 'ncv', ncv)
             * carbonbudget._check_finite('energy_emissions_ipcc', 'cef', cef) $$;
CREATE OR REPLACE FUNCTION agriculture_emissions(fertilizer_t float8, pesticide_t float8, film_t float8, irrigation_hm2 float8,
                                      crop_area_hm2 float8, machinery_kw float8, scheme text DEFAULT 'huo',
                                      unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  a record;
  x float8[] := ARRAY[fertilizer_t, pesticide_t, film_t, irrigation_hm2, crop_area_hm2, machinery_kw];
  names text[] := ARRAY['fertilizer_t', 'pesticide_t', 'film_t', 'irrigation_hm2', 'crop_area_hm2', 'machinery_kw'];
  factors text[] := ARRAY['fertilizer', 'pesticide', 'film', 'irrigation', 'crop_cover', 'machinery'];
  total float8 := 0;
  c float8;
  sch text := carbonbudget._scheme('agriculture_emissions', scheme);
BEGIN
  FOR k IN 1..6 LOOP
    IF x[k] IS NULL THEN RETURN NULL; END IF;
    PERFORM carbonbudget._check_amount('agriculture_emissions', names[k], x[k]);
    SELECT f.coefficient INTO c FROM carbonbudget.agriculture_factor f
    WHERE f.scheme = sch AND f.factor = factors[k];
    IF NOT FOUND THEN
      RAISE EXCEPTION 'agriculture_emissions: scheme "%" has no % factor', scheme, factors[k]
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Add the row to table agriculture_factor or use scheme huo.';
    END IF;
    total := total + c * x[k];
  END LOOP;
  RETURN total * carbonbudget._mass_unit_factor('agriculture_emissions', unit);
END $$;
CREATE OR REPLACE FUNCTION livestock_emissions(species text, head float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  f record;
  sch text := carbonbudget._scheme('livestock_emissions', scheme);
BEGIN
  IF species IS NULL OR head IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('livestock_emissions', 'head', head);
  SELECT * INTO f FROM carbonbudget.livestock_factor l WHERE l.scheme = sch
    AND l.species = lower(btrim(livestock_emissions.species));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'livestock_emissions: unknown species "%" in scheme "%"', species, scheme
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use pig, cattle, sheep or chicken, or add rows to table livestock_factor.';
  END IF;
  RETURN head * (f.breathing + f.enteric + f.manure) * carbonbudget._mass_unit_factor('livestock_emissions', unit);
END $$;
CREATE OR REPLACE FUNCTION breathing_emissions(population float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  b float8;
  sch text := carbonbudget._scheme('breathing_emissions', scheme);
BEGIN
  IF population IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('breathing_emissions', 'population', population);
  SELECT f.coefficient INTO b FROM carbonbudget.breathing_factor f WHERE f.scheme = sch;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'breathing_emissions: unknown scheme "%"', scheme USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use scheme huo or add a row to table breathing_factor.';
  END IF;
  RETURN population * b * carbonbudget._mass_unit_factor('breathing_emissions', unit);
END $$;
CREATE OR REPLACE FUNCTION nce(ce float8, cs float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('nce', 'ce', ce) - carbonbudget._check_finite('nce', 'cs', cs) $$;
CREATE OR REPLACE FUNCTION _footprint_factor(func text, shares float8[], scheme text) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  classes CONSTANT text[] := ARRAY['cropland', 'shrubland', 'forest', 'grassland'];
  s float8 := 0;
  n float8;
  sch text := carbonbudget._scheme(func, scheme);
BEGIN
  IF array_ndims(shares) IS DISTINCT FROM 1 OR cardinality(shares) <> 4 THEN
    RAISE EXCEPTION '%: shares must hold 4 values (cropland, shrubland, forest, grassland)', func
      USING ERRCODE = 'array_subscript_error';
  END IF;
  FOR k IN 1..4 LOOP
    IF shares[k] IS NULL OR NOT (shares[k] >= 0 AND shares[k] <= 1) THEN
      RAISE EXCEPTION '%: shares must be proportions in [0, 1]', func USING ERRCODE = 'invalid_parameter_value',
        DETAIL = format('Element %s is %s.', k, coalesce(shares[k]::text, 'NULL'));
    END IF;
    SELECT f.nep INTO n FROM carbonbudget.footprint_nep f WHERE f.scheme = sch AND f.land_class = classes[k];
    IF NOT FOUND THEN
      RAISE EXCEPTION '%: scheme "%" has no NEP for %', func, scheme, classes[k] USING ERRCODE = 'invalid_parameter_value',
        HINT = 'Use scheme huo or add the row to table footprint_nep.';
    END IF;
    s := s + shares[k] / n;
  END LOOP;
  RETURN s;
END $$;
CREATE OR REPLACE FUNCTION ecs(nep float8, rcs float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('ecs', 'nep', nep) + carbonbudget._check_finite('ecs', 'rcs', rcs) $$;
CREATE OR REPLACE FUNCTION cnc(ecs float8, ce float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('cnc', 'ecs', ecs) - carbonbudget._check_finite('cnc', 'ce', ce) $$;
CREATE OR REPLACE FUNCTION stirpat_project(model stirpat_ridge_result, base float8[], scenario jsonb)
RETURNS stirpat_projection
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  p          int := cardinality(model.coef);
  x          float8[] := base;
  base_year  int;
  step       int;
  peak_by    int;
  periods    jsonb := scenario->'periods';
  classes    float8[];
  last_year  int;
  period     jsonb;
  g          float8;
  cap        float8;
  ce_now     float8;
  ce_start   float8;
  ce_base    float8;
  log_base   float8 := 0;
  out_years  int[] := '{}';
  out_ce     float8[] := '{}';
  peak_year  int;
  peak_ce    float8;
  ratio      float8;
  cls        text;
  pi         int;
BEGIN
  -- a model SQL can hand in (fields may be NULL) and a scenario with JSON nulls: clear errors, never NULL maths
  IF coalesce(p, 0) = 0 OR (model.intercept > '-Infinity'::float8 AND model.intercept < 'Infinity'::float8) IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: model must have a finite intercept and at least one coefficient',
      HINT = 'Pass a result of stirpat_ridge.';
  END IF;
  FOR j IN 1..p LOOP
    IF (model.coef[j] > '-Infinity'::float8 AND model.coef[j] < 'Infinity'::float8) IS NOT TRUE THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: model coef[%s] must be a finite number', j),
        HINT = 'Pass a result of stirpat_ridge.';
    END IF;
  END LOOP;
  IF cardinality(base) IS DISTINCT FROM p THEN
    RAISE EXCEPTION USING ERRCODE = '2202E', MESSAGE = format('stirpat_project: base must have %s elements, one per driver of the model', p);
  END IF;
  FOR j IN 1..p LOOP
    IF (base[j] > 0 AND base[j] < 'Infinity'::float8) IS NOT TRUE THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: base[%s] must be a positive finite number', j);
    END IF;
  END LOOP;
  IF jsonb_typeof(periods) IS DISTINCT FROM 'array' OR jsonb_array_length(periods) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario must have a non-empty "periods" array',
      HINT = 'Example: {"base_year": 2020, "periods": [{"to": 2030, "growth": [0.01, 0.06]}, {"to": 2060, "growth": [0.005, 0.04], "cap": [null, 9e4]}]}';
  END IF;
  base_year := coalesce((scenario->>'base_year')::int, 2020);
  step := coalesce((scenario->>'step')::int, 5);
  peak_by := coalesce((scenario->>'peak_by')::int, 2030);
  IF scenario ? 'classes' AND jsonb_typeof(scenario->'classes') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario "step" must be >= 1 and "classes" must have 4 ratios';
  END IF;
  classes := CASE WHEN scenario ? 'classes'
                  THEN ARRAY(SELECT jsonb_array_elements_text(scenario->'classes')::float8)
                  ELSE '{0.8,0.95,1.05,1.2}' END;
  IF step < 1 OR cardinality(classes) <> 4 OR array_position(classes, NULL) IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: scenario "step" must be >= 1 and "classes" must have 4 ratios';
  END IF;
  last_year := base_year;
  FOR pi IN 0..jsonb_array_length(periods) - 1 LOOP
    period := periods->pi;
    IF (period->>'to') IS NULL OR NOT (period->>'to')::int > last_year THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: periods[%s]."to" must be after %s', pi + 1, last_year);
    END IF;
    IF jsonb_typeof(period->'growth') IS DISTINCT FROM 'array' OR jsonb_array_length(period->'growth') <> p
       OR (period ? 'cap' AND (jsonb_typeof(period->'cap') IS DISTINCT FROM 'array' OR jsonb_array_length(period->'cap') <> p)) THEN
      RAISE EXCEPTION USING ERRCODE = '2202E', MESSAGE = format('stirpat_project: periods[%s] needs "growth" (and optional "cap") arrays of %s elements', pi + 1, p);
    END IF;
    last_year := (period->>'to')::int;
  END LOOP;

  FOR j IN 1..p LOOP
    log_base := log_base + model.coef[j] * ln(base[j]);
  END LOOP;
  ce_start := exp(model.intercept + log_base);
  -- optional observed base-year CE: the model then gives only the relative change
  ce_base := coalesce((scenario->>'ce_base')::float8, ce_start);
  IF (ce_base > 0 AND ce_base < 'Infinity'::float8) IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project: the base-year CE ("ce_base", or the model''s at base) must be a positive finite number';
  END IF;
  ce_now := ce_base;
  out_years := ARRAY[base_year]; out_ce := ARRAY[ce_now];
  peak_year := base_year; peak_ce := ce_now;
  pi := 0;
  FOR yr IN base_year + 1 .. last_year LOOP
    WHILE yr > (periods->pi->>'to')::int LOOP pi := pi + 1; END LOOP;
    period := periods->pi;
    FOR j IN 1..p LOOP
      g := coalesce((period->'growth'->>(j - 1))::float8, 0);
      IF g <= -1 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('stirpat_project: periods[%s].growth[%s] must be greater than -1', pi + 1, j);
      END IF;
      x[j] := x[j] * (1 + g);
      cap := (period->'cap'->>(j - 1))::float8;
      IF cap IS NOT NULL AND x[j] > cap THEN x[j] := cap; END IF;
    END LOOP;
    ce_now := ce_base;
    FOR j IN 1..p LOOP
      ce_now := ce_now * exp(model.coef[j] * (ln(x[j]) - ln(base[j])));
    END LOOP;
    IF ce_now > peak_ce THEN peak_ce := ce_now; peak_year := yr; END IF;
    IF (yr - base_year) % step = 0 OR yr = last_year THEN
      out_years := out_years || yr; out_ce := out_ce || ce_now;
    END IF;
  END LOOP;

  ratio := ce_now / ce_base;
  cls := CASE WHEN peak_year <= peak_by AND ratio <= classes[1] THEN 'highly significant'
              WHEN peak_year <= peak_by AND ratio <= classes[2] THEN 'moderately significant'
              WHEN ratio <= classes[3] THEN 'stable'
              WHEN ratio <= classes[4] THEN 'slightly insignificant'
              ELSE 'insignificant' END;
  RETURN ROW(out_years, out_ce, peak_year, peak_ce, peak_year <= peak_by, cls)::stirpat_projection;
END
$fn$;

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
CREATE OR REPLACE PROCEDURE refresh_zoning(source regclass, target text DEFAULT 'zoning')
LANGUAGE sql
BEGIN ATOMIC
  SELECT @extschema@._refresh_zoning(source, target, current_schema());
END;
COMMENT ON PROCEDURE refresh_zoning(regclass, text) IS
$$Rebuilds the carbon-neutral zoning table target (default zoning, in the current schema; schema.table accepted) from source, for scheduled jobs (pg_cron). source must have columns id (integer key), geom (polygons), value (the mapped carbon quantity, e.g. net emission), z_cs, z_nce, z_ce, z_ecc, z_esc, z_cf, z_ec, z_ed (Mann-Kendall Z of each index), cep_class (stirpat_project class) and cli. Scores per paper 003 Table 6 (trend_score, cep_score, cli_score), total, zone_class by natural_breaks(total, 5) and zone (zone_name). Atomic and idempotent: new rows are built in a staging table, then swapped in one transaction under an exclusive lock (readers see the old rows until commit); an advisory lock serialises concurrent runs. Checked before anything is locked or written: source must be a table or view with those columns (one error names the missing ones); an existing target must be a table with the columns refresh_zoning gives it, owned by the caller. Runs with a pinned search_path (an unqualified target goes to the caller's current schema). Creates the QGIS views target_layer (zones) and target_clusters (LISA clusters and Getis-Ord Gi* bins of value), both with the typed geometry column and the integer key id, and read-only (not automatically updatable, no INSERT, UPDATE, DELETE or TRUNCATE privilege for anyone), so GIS clients offer no editing that the next refresh would overwrite; a writable layer view of an earlier release is replaced at the next refresh, another relation under those names is left alone.
Example: SELECT cron.schedule('zoning', '0 3 * * *', $job$CALL carbonbudget.refresh_zoning('public.county_indicators', 'public.zoning')$job$);$$;

-- ---- the footprint indices reject non-finite CE and CS, as the other scalar formulas ----
CREATE OR REPLACE FUNCTION carbon_footprint(ce float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('carbon_footprint', 'ce', ce) * carbonbudget._footprint_factor('carbon_footprint', shares, scheme) $$;
CREATE OR REPLACE FUNCTION ecological_capacity(cs float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('ecological_capacity', 'cs', cs) * carbonbudget._footprint_factor('ecological_capacity', shares, scheme) $$;
CREATE OR REPLACE FUNCTION ecological_deficit(ce float8, cs float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE AS $$
  SELECT (carbonbudget._check_finite('ecological_deficit', 'ce', ce) - carbonbudget._check_finite('ecological_deficit', 'cs', cs))
         * carbonbudget._footprint_factor('ecological_deficit', shares, scheme) $$;

-- ---- Citus: the coefficient tables as reference tables (sql/install/70-citus.sql) ----
CREATE PROCEDURE citus_reference_coefficients()
LANGUAGE plpgsql SET search_path FROM CURRENT AS $proc$
DECLARE
  tables CONSTANT text[] := ARRAY['landuse_coefficient', 'landcover_code', 'energy_factor', 'agriculture_factor',
                                  'livestock_factor', 'breathing_factor', 'footprint_nep', 'lithology_coefficient'];
  t text;
  routine text;
  missing boolean;
  alter_cmd text;
  failed text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'citus_reference_coefficients: extension citus is not installed in this database'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Run it on a Citus coordinator, after CREATE EXTENSION citus and citus_add_node for the workers.';
  END IF;
  -- the shipped-row guard fires on the reference tables' shards as well (and lets through
  -- the exact copies of the shipped rows that create_reference_table makes)
  PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
  FOREACH t IN ARRAY tables LOOP
    EXECUTE 'SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = $1)'
      INTO STRICT missing USING pg_catalog.format('carbonbudget.%I', t)::regclass;
    IF missing THEN
      EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING pg_catalog.format('carbonbudget.%I', t)::regclass;
    END IF;
  END LOOP;
  -- The routines that read the tables run inside queries pushed down to the workers, where
  -- a reference table is read from its local replica: Citus allows that as nested execution.
  FOR routine IN
    SELECT pg_catalog.format('carbonbudget.%I(%s)', p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid))
    FROM pg_catalog.pg_proc p
    WHERE p.pronamespace = 'carbonbudget'::regnamespace
      AND (p.prosrc ~ ('carbonbudget\.(' || pg_catalog.array_to_string(tables, '|') || ')\M')
           OR p.prosrc IN ('cb_carbon_budget_final', 'cb_carbon_budget_raster', 'cb_rcs_raster'))
    ORDER BY 1
  LOOP
    alter_cmd := pg_catalog.format('ALTER ROUTINE %s SET citus.allow_nested_distributed_execution = on', routine);
    EXECUTE alter_cmd;
    EXECUTE 'SELECT pg_catalog.string_agg(nodename || '':'' || nodeport || '': '' || result, ''; '')
             FROM pg_catalog.run_command_on_workers($1) WHERE NOT success' INTO failed USING alter_cmd;
    IF failed IS NOT NULL THEN
      RAISE EXCEPTION 'citus_reference_coefficients: % failed on a worker', alter_cmd
        USING ERRCODE = 'connection_failure', DETAIL = failed;
    END IF;
  END LOOP;
END
$proc$;
COMMENT ON PROCEDURE citus_reference_coefficients() IS
$$Makes the coefficient tables (landuse_coefficient, landcover_code, energy_factor, agriculture_factor, livestock_factor, breathing_factor,
footprint_nep, lithology_coefficient) Citus reference tables, so that one copy of every scheme, users' rows included, is on every node, and lets the accounting
routines that read them run inside queries pushed down to the workers (citus.allow_nested_distributed_execution on those routines, on every
node). Run once on the Citus coordinator, as the extension's owner, after the workers are added; again after adding workers is not needed
(Citus copies reference tables to new nodes). Without Citus: an error.
Example: CALL carbonbudget.citus_reference_coefficients();$$;

-- ==== Two-phase spatial statistics (new in 0.2.0) ====
CREATE FUNCTION _spatial_state_step(bytea, float8, bigint) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_spatial_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _spatial_state_step(bytea, float8, bigint) IS 'Transition function of spatial_state: logs (id, value)';
CREATE FUNCTION _spatial_state_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_spatial_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _spatial_state_combine(bytea, bytea) IS 'Combine function of spatial_state: concatenates two logs';
CREATE FUNCTION _spatial_state_final(bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_spatial_state_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _spatial_state_final(bytea) IS 'Final function of spatial_state: the sorted ids and scaled values, checked and checksummed';

CREATE AGGREGATE spatial_state(value float8, id bigint) (
  SFUNC = _spatial_state_step, STYPE = bytea,
  COMBINEFUNC = _spatial_state_combine,
  FINALFUNC = _spatial_state_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE spatial_state(float8, bigint) IS
$$Phase 1 of the two-phase spatial statistics: what every unit's statistic needs from the whole set (the ids and values; rows with a
NULL value are remembered so that links to them are dropped, as in the window forms), as bytea to pass to local_moran_at,
getis_ord_gi_at and morans_i_at. Combinable: on a distributed table the workers build partial states.
Example: SELECT local_moran_at(s, crime, id, neighbors) FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;

CREATE FUNCTION local_moran_at(state bytea, value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION local_moran_at(bytea, float8, bigint, bigint[], text) IS
$$Local Moran I_i of one row from the spatial_state of the whole set and the row's neighbour list: the result of
local_moran(value, id, neighbors, options) OVER () for that row, to the last bit, computed per row (pushed down to Citus workers,
parallel query). Options: style=W|B, missing=error|drop, permutations=999, seed=12345, alternative, variance=conditional|total,
alpha=0.05 (fdr needs every p-value and is refused).
Example: SELECT id, (local_moran_at(s, crime, id, neighbors)).cluster FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;
CREATE FUNCTION local_moran_at(state bytea, value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION local_moran_at(bytea, float8, bigint, bigint[], float8[], text) IS
$$Local Moran I_i of one row from the spatial_state and the row's neighbour list with weights (weights[k] belongs to neighbors[k]).$$;

CREATE FUNCTION getis_ord_gi_at(state bytea, value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS getis_ord_result
AS 'MODULE_PATHNAME', 'cb_getis_ord_gi_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION getis_ord_gi_at(bytea, float8, bigint, bigint[], text) IS
$$Getis-Ord Gi* (star=true) or Gi of one row from the spatial_state of the whole set and the row's neighbour list: the result of
getis_ord_gi(value, id, neighbors, options) OVER () for that row, computed per row. Options: style=W|B, missing=error|drop, star=true.
Example: SELECT id, (getis_ord_gi_at(s, crime, id, neighbors)).bin FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;
CREATE FUNCTION getis_ord_gi_at(state bytea, value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS getis_ord_result
AS 'MODULE_PATHNAME', 'cb_getis_ord_gi_at' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION getis_ord_gi_at(bytea, float8, bigint, bigint[], float8[], text) IS
$$Getis-Ord Gi* or Gi of one row from the spatial_state and the row's neighbour list with weights.$$;

CREATE FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[]) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[]) IS 'Transition function of morans_i_at: adds the row''s cross-product terms and links';
CREATE FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], text) IS 'Transition function of morans_i_at: adds the row''s cross-product terms and links';
CREATE FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], float8[], text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_step(bytea, bytea, float8, bigint, bigint[], float8[], text) IS 'Transition function of morans_i_at (weighted neighbour lists)';
CREATE FUNCTION _morans_i_at_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_morans_i_at_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_combine(bytea, bytea) IS 'Combine function of morans_i_at: adds the exact sums, concatenates the links';
CREATE FUNCTION _morans_i_at_final(bytea) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_at_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_at_final(bytea) IS 'Final function of morans_i_at: I, its moments and the permutation pseudo p-value';

CREATE AGGREGATE morans_i_at(state bytea, value float8, id bigint, neighbors bigint[]) (
  SFUNC = _morans_i_at_step, STYPE = bytea, COMBINEFUNC = _morans_i_at_combine,
  FINALFUNC = _morans_i_at_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_at(bytea, float8, bigint, bigint[]) IS
$$Global Moran's I from the spatial_state and each row's neighbour list, row-standardised, 999 permutations (seed 12345): the result of
morans_i(value, id, neighbors) over the same rows, to the last bit. Combinable: on a distributed table each worker sums its own units'
terms of the observed and of every permutation.$$;
CREATE AGGREGATE morans_i_at(state bytea, value float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _morans_i_at_step, STYPE = bytea, COMBINEFUNC = _morans_i_at_combine,
  FINALFUNC = _morans_i_at_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_at(bytea, float8, bigint, bigint[], text) IS
$$Global Moran's I from the spatial_state and each row's neighbour list. Options: style=W|B, missing=error|drop, permutations=999,
seed=12345, alternative=two.sided|greater|less.
Example: SELECT (morans_i_at(s, crime, id, neighbors, 'permutations=99')).i FROM columbus_nb, (SELECT spatial_state(crime, id) AS s FROM columbus_nb) st;$$;
CREATE AGGREGATE morans_i_at(state bytea, value float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _morans_i_at_step, STYPE = bytea, COMBINEFUNC = _morans_i_at_combine,
  FINALFUNC = _morans_i_at_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_at(bytea, float8, bigint, bigint[], float8[], text) IS
$$Global Moran's I from the spatial_state and each row's neighbour list with weights (weights[k] belongs to neighbors[k]).$$;

-- ---- the GEM-CO2 lithology coefficients (sql/install/30-coefficients.sql) ----
CREATE TABLE lithology_coefficient (
  scheme      text NOT NULL,
  lithology   text NOT NULL,
  code        integer NOT NULL,  -- pixel value of the lithology class in a lithology raster
  coefficient float8 NOT NULL CHECK (coefficient >= 0 AND coefficient < 'Infinity'),
  unit        text NOT NULL DEFAULT '1e-3 mol/L',
  source      text NOT NULL,
  PRIMARY KEY (scheme, lithology),
  UNIQUE (scheme, code),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE lithology_coefficient IS
$$GEM-CO2 coefficients a of the rock-weathering carbon sink F = a Q (paper 001 eq.4; Amiotte Suchet & Probst 1995), in 1e-3 mol of
atmospheric CO2 consumed per litre of runoff: with runoff Q in mm yr-1 (litres per m2 and year) F is in 1e-3 mol C m-2 yr-1, which rcs and
rcs_raster convert to g C m-2 yr-1 (x 12.011e-3). code is the pixel value of the class in a lithology raster.
Example: SELECT lithology, code, coefficient FROM lithology_coefficient WHERE scheme = 'gem_co2' ORDER BY code;$$;
COMMENT ON COLUMN lithology_coefficient.coefficient IS 'a of F = a Q, in unit (1e-3 mol/L: mmol CO2 consumed per litre of runoff)';
INSERT INTO lithology_coefficient (scheme, lithology, code, coefficient, source) VALUES
  ('gem_co2', 'plutonic_metamorphic', 1, 0.095, 'Amiotte Suchet & Probst (1995) Tellus 47B, GEM-CO2; SPEC section 14'),
  ('gem_co2', 'felsic_volcanic', 2, 0.222, 'Amiotte Suchet & Probst (1995) GEM-CO2 (acid volcanic rocks)'),
  ('gem_co2', 'basalt', 3, 0.479, 'Amiotte Suchet & Probst (1995) GEM-CO2'),
  ('gem_co2', 'sandstone', 4, 0.152, 'Amiotte Suchet & Probst (1995) GEM-CO2'),
  ('gem_co2', 'shale', 5, 0.627, 'Amiotte Suchet & Probst (1995) GEM-CO2'),
  ('gem_co2', 'carbonate', 6, 1.586, 'Amiotte Suchet & Probst (1995) GEM-CO2 (carbonate rocks)');

UPDATE lithology_coefficient SET shipped = true;
SELECT pg_catalog.pg_extension_config_dump('lithology_coefficient', 'WHERE NOT shipped');
INSERT INTO _shipped_row SELECT 'lithology_coefficient', pg_catalog.to_jsonb(t) FROM lithology_coefficient t WHERE t.shipped;
CREATE TRIGGER shipped_rows_guard BEFORE INSERT OR UPDATE OR DELETE ON lithology_coefficient
  FOR EACH ROW EXECUTE FUNCTION _shipped_row_guard('lithology_coefficient');
CREATE TRIGGER shipped_rows_truncate_guard BEFORE TRUNCATE ON lithology_coefficient
  FOR EACH STATEMENT EXECUTE FUNCTION _shipped_row_guard('lithology_coefficient');
COMMENT ON TRIGGER shipped_rows_guard ON lithology_coefficient IS
  'Refuses UPDATE and DELETE of shipped rows and rows marked shipped by users: add a scheme instead';
COMMENT ON TRIGGER shipped_rows_truncate_guard ON lithology_coefficient IS 'Refuses TRUNCATE, which would remove the shipped rows';
GRANT SELECT ON lithology_coefficient TO PUBLIC;

-- ---- the six classes of paper 002 from CLCD codes (landcover_code scheme clcd_liu) ----
COMMENT ON TABLE landcover_code IS
$$Raster land-cover codes and their land classes; scheme clcd (China Land Cover Dataset) is the default of carbon_budget(raster, ...).
Codes 0..65535; pixels whose code has no row are reported as unclassified. Scheme clcd_liu maps CLCD onto the six classes of
paper 002 (shrubland with forest, wetland with water, snow/ice and barren as unused) for landuse_coefficient scheme liu.
Example: SELECT * FROM landcover_code WHERE scheme = 'clcd' ORDER BY code;$$;
INSERT INTO landcover_code (scheme, code, land_class, source) VALUES
  ('clcd_liu', 1, 'cropland', 'paper 002 section 2.1: CLCD reclassified into six classes'),
  ('clcd_liu', 2, 'forest', 'paper 002 section 2.1'),
  ('clcd_liu', 3, 'forest', 'paper 002 section 2.1 (shrubland merged into forest)'),
  ('clcd_liu', 4, 'grassland', 'paper 002 section 2.1'),
  ('clcd_liu', 5, 'water', 'paper 002 section 2.1'),
  ('clcd_liu', 6, 'unused', 'paper 002 section 2.1 (snow and ice with unused land)'),
  ('clcd_liu', 7, 'unused', 'paper 002 section 2.1 (barren)'),
  ('clcd_liu', 8, 'construction', 'paper 002 section 2.1 (impervious)'),
  ('clcd_liu', 9, 'water', 'paper 002 section 2.1 (wetland merged into water)');
ALTER TABLE landcover_code DISABLE TRIGGER shipped_rows_guard;
UPDATE landcover_code SET shipped = true WHERE scheme = 'clcd_liu';
ALTER TABLE landcover_code ENABLE TRIGGER shipped_rows_guard;
INSERT INTO _shipped_row SELECT 'landcover_code', pg_catalog.to_jsonb(t) FROM landcover_code t WHERE t.scheme = 'clcd_liu';

-- ---- units of the paper 001 chain (sql/install/32-budget.sql, 34-rasters.sql) ----
-- Units of the paper 001 chain: masses (to t C) or areal fluxes (to g C m-2 yr-1), CO2 converted with 12/44.
CREATE FUNCTION _carbon_unit(func text, arg text, unit text) RETURNS float8[]
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  u text := lower(regexp_replace(coalesce(unit, ''), '[[:space:]]', '', 'g'));
  c float8 := 12.0::float8 / 44.0::float8;
BEGIN
  u := replace(replace(replace(u, '/m2/yr', 'm-2yr-1'), '/km2/yr', 'km-2yr-1'), '/hm2/yr', 'hm-2yr-1');
  RETURN CASE u  -- {1 = mass in t C, 2 = areal flux in g C m-2 yr-1, factor}
    WHEN 'gc' THEN ARRAY[1, 1e-6]::float8[] WHEN 'kgc' THEN ARRAY[1, 1e-3]::float8[] WHEN 'tc' THEN ARRAY[1, 1]::float8[]
    WHEN 'ktc' THEN ARRAY[1, 1e3]::float8[] WHEN 'ggc' THEN ARRAY[1, 1e3]::float8[] WHEN 'mtc' THEN ARRAY[1, 1e6]::float8[]
    WHEN 'tgc' THEN ARRAY[1, 1e6]::float8[] WHEN 'gtc' THEN ARRAY[1, 1e9]::float8[] WHEN 'pgc' THEN ARRAY[1, 1e9]::float8[]
    WHEN 'gco2' THEN ARRAY[1, 1e-6 * c]::float8[] WHEN 'kgco2' THEN ARRAY[1, 1e-3 * c]::float8[] WHEN 'tco2' THEN ARRAY[1, c]::float8[]
    WHEN 'ktco2' THEN ARRAY[1, 1e3 * c]::float8[] WHEN 'mtco2' THEN ARRAY[1, 1e6 * c]::float8[] WHEN 'tgco2' THEN ARRAY[1, 1e6 * c]::float8[]
    WHEN 'gtco2' THEN ARRAY[1, 1e9 * c]::float8[] WHEN 'pgco2' THEN ARRAY[1, 1e9 * c]::float8[]
    WHEN 'gcm-2yr-1' THEN ARRAY[2, 1]::float8[] WHEN 'kgcm-2yr-1' THEN ARRAY[2, 1e3]::float8[] WHEN 'tckm-2yr-1' THEN ARRAY[2, 1]::float8[]
    WHEN 'tchm-2yr-1' THEN ARRAY[2, 100]::float8[] WHEN 'gco2m-2yr-1' THEN ARRAY[2, c]::float8[] WHEN 'tco2km-2yr-1' THEN ARRAY[2, c]::float8[]
    ELSE carbonbudget._unit_error(func, arg, unit) END;
END $$;
COMMENT ON FUNCTION _carbon_unit(text, text, text) IS
  'Internal: {1, factor to t C} for a carbon or CO2 mass unit, {2, factor to g C m-2 yr-1} for an areal flux; an error naming arg otherwise';
CREATE FUNCTION _unit_error(func text, arg text, unit text) RETURNS float8[]
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RAISE EXCEPTION '%: unknown unit "%" of %', func, unit, arg USING ERRCODE = 'invalid_parameter_value',
    HINT = 'Use a mass (g C, kg C, t C, kt C, Mt C, Tg C, Pg C, or the same of CO2) or an areal flux (g C m-2 yr-1, kg C m-2 yr-1, t C km-2 yr-1, t C hm-2 yr-1, g CO2 m-2 yr-1, t CO2 km-2 yr-1).';
END $$;
COMMENT ON FUNCTION _unit_error(text, text, text) IS 'Internal: the error of _carbon_unit for a unit it does not know';

-- x in unit_x and y in unit_y, in one common unit: {x', y'}; a mass and a flux are refused.
CREATE FUNCTION _carbon_pair(func text, x_arg text, x float8, x_unit text, y_arg text, y float8, y_unit text) RETURNS float8[]
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  ux float8[] := carbonbudget._carbon_unit(func, x_arg || '_unit', x_unit);
  uy float8[] := carbonbudget._carbon_unit(func, y_arg || '_unit', y_unit);
BEGIN
  IF ux[1] <> uy[1] THEN
    RAISE EXCEPTION '%: % and % are in mixed units: % is %, % is %', func, x_arg, y_arg,
      x_arg, CASE WHEN ux[1] = 1 THEN 'a mass' ELSE 'an areal flux' END, y_arg, CASE WHEN uy[1] = 1 THEN 'a mass' ELSE 'an areal flux' END
      USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Turn a raster flux (g C m-2 yr-1) into a regional mass with zonal_stats_agg(raster, region, ''scale=1e-6'').area_sum (t C yr-1).';
  END IF;
  RETURN ARRAY[carbonbudget._check_finite(func, x_arg, x) * ux[2], carbonbudget._check_finite(func, y_arg, y) * uy[2]];
END $$;
COMMENT ON FUNCTION _carbon_pair(text, text, float8, text, text, float8, text) IS
  'Internal: two carbon quantities in one unit (t C, or g C m-2 yr-1 for fluxes); mixed mass and flux units are an error';

CREATE FUNCTION ecs(nep float8, rcs float8, nep_unit text, rcs_unit text) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT p[1] + p[2] FROM (SELECT carbonbudget._carbon_pair('ecs', 'nep', nep, nep_unit, 'rcs', rcs, rcs_unit) p) s $$;
COMMENT ON FUNCTION ecs(float8, float8, text, text) IS
$$Ecosystem carbon sink ECS = NEP + RCS (paper 001) with units: in t C when both are masses (g C ... Pg C, or CO2 masses converted with 12/44),
in g C m-2 yr-1 when both are areal fluxes; a mass with a flux is an error. Example: SELECT ecs(1.2e5, 2.2, 't C', 'Gg C');  -- 122200 t C$$;

CREATE FUNCTION cnc(ecs float8, ce float8, ecs_unit text, ce_unit text) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT p[1] - p[2] FROM (SELECT carbonbudget._carbon_pair('cnc', 'ecs', ecs, ecs_unit, 'ce', ce, ce_unit) p) s $$;
COMMENT ON FUNCTION cnc(float8, float8, text, text) IS
$$Carbon neutral capacity CNC = ECS - CE (paper 001) with units: in t C when both are masses (county emissions in t CO2 are converted with
12/44), in g C m-2 yr-1 when both are areal fluxes; a mass with a flux is an error.
Example: SELECT cnc(1.2e5, 5.5e5, 't C', 't CO2');  -- -30000 t C$$;

CREATE OR REPLACE FUNCTION nep_raster(npp raster, temperature raster, precipitation raster, options text DEFAULT '')
RETURNS raster
AS 'MODULE_PATHNAME', 'cb_nep_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION nep_raster(raster, raster, raster, text) IS
$$NEP raster (paper 001 eqs.2-3), g C m-2 yr-1 per pixel: band 1 of npp (g C m-2 yr-1; npp_scale= converts other units, e.g. 1000 for
kg C m-2 yr-1, 0.1 for MOD17A3 integers of 0.0001 kg C m-2) minus the sum of the monthly RH of Pei et al. (2009). temperature and
precipitation are 12-band monthly stacks (degrees C, mm per month), or 1-band annual rasters (annual mean temperature, annual precipitation
in mm): then RH = 12 * rh_pei2009(T, R/12), which is biased low by Jensen's inequality (about 15% for a temperate climate; a NOTICE says so).
All three must be aligned (same SRID, scale, skew, grid and extent). Nodata in any input gives nodata.
Options: npp_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT nep_raster(n.rast, t.rast, p.rast) FROM npp n JOIN tmp t USING (rid) JOIN pre p USING (rid);$$;

CREATE OR REPLACE FUNCTION rcs_raster(runoff raster, coefficient float8, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster_const' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, float8, text) IS
$$Rock-weathering carbon sink of the GEM-CO2 model (paper 001 eq.4): F = a * Q per pixel, Q runoff (band 1, mm yr-1; runoff_scale=
converts other units), a the coefficient of the rock type. coefficient_unit=mmol_per_l: a in 1e-3 mol/L as table lithology_coefficient
(GEM-CO2), F in g C m-2 yr-1; coefficient_unit=raw (default): F = a * Q in the unit of a times mm.
Options: coefficient_unit=raw|mmol_per_l, runoff_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rcs_raster(rast, 1.586, 'coefficient_unit=mmol_per_l') FROM runoff;  -- carbonate rock, g C m-2 yr-1$$;

CREATE OR REPLACE FUNCTION rcs_raster(runoff raster, coefficient raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, raster, text) IS
$$Rock-weathering carbon sink (GEM-CO2, paper 001 eq.4) with a per-pixel second raster, aligned with runoff (same SRID, scale, skew, grid
and extent). lithology=SCHEME: the second raster holds lithology codes of table lithology_coefficient (shipped scheme gem_co2), and
F = a * Q is in g C m-2 yr-1 from runoff in mm yr-1. Without it the second raster holds coefficients a, as in rcs_raster(raster, float8, text)
(coefficient_unit=raw|mmol_per_l). Options: lithology=, coefficient_unit=, runoff_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rcs_raster(q.rast, l.rast, 'lithology=gem_co2') FROM runoff q JOIN lithology l USING (rid);  -- g C m-2 yr-1$$;

CREATE FUNCTION rcs(runoff float8, lithology text, scheme text DEFAULT 'gem_co2') RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  a float8;
  sch text := carbonbudget._scheme('rcs', scheme);
BEGIN
  IF runoff IS NULL OR lithology IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('rcs', 'runoff', runoff);
  SELECT l.coefficient INTO a FROM carbonbudget.lithology_coefficient l
  WHERE l.scheme = sch AND l.lithology = lower(btrim(rcs.lithology));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'rcs: unknown lithology "%" in scheme "%"', lithology, scheme
      USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce((SELECT 'Use one of: ' || string_agg(l.lithology, ', ' ORDER BY l.code) || '.'
                       FROM carbonbudget.lithology_coefficient l WHERE l.scheme = sch),
                      'Table lithology_coefficient has no rows of this scheme (shipped: gem_co2).');
  END IF;
  RETURN a * runoff * 12.011e-3::float8;
END $$;
COMMENT ON FUNCTION rcs(float8, text, text) IS
$$Rock-weathering carbon sink of GEM-CO2 (paper 001 eq.4) for one lithology, g C m-2 yr-1: F = a Q x 12.011e-3 g C per 1e-3 mol, runoff Q
in mm yr-1 (>= 0), a from table lithology_coefficient (1e-3 mol/L; scheme gem_co2 of Amiotte Suchet & Probst 1995).
Example: SELECT rcs(500, 'carbonate');  -- 9.52 g C m-2 yr-1$$;

CREATE OR REPLACE FUNCTION ecs_raster(nep raster, rcs raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_ecs_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ecs_raster(raster, raster, text) IS
$$Ecosystem carbon sink ECS = NEP + RCS per pixel (paper 001), g C m-2 yr-1 from nep_raster and rcs_raster outputs (both g C m-2 yr-1;
nep_scale= and rcs_scale= convert inputs in other units), aligned. Options: nep_scale=1, rcs_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT ecs_raster(n.rast, r.rast) FROM nep n JOIN rcs r USING (rid);$$;

CREATE OR REPLACE FUNCTION cnc_raster(ecs raster, ce raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_cnc_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnc_raster(raster, raster, text) IS
$$Carbon neutral capacity CNC = ECS - CE per pixel (paper 001), g C m-2 yr-1: positive is carbon surplus, negative deficit. ecs in g C m-2 yr-1,
ce an emission raster in g C m-2 yr-1 (ce_scale=12/44 converts g CO2 m-2 yr-1), aligned.
Options: ecs_scale=1, ce_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT cnc_raster(e.rast, c.rast) FROM ecs e JOIN ce c USING (rid);$$;

-- ---- zonal statistics and land-use transitions (sql/install/36-zonal.sql) ----

CREATE TYPE zonal_stats_result AS (
  pixels   bigint,  -- pixels inside the region (coverage > 0) with a value; nodata skipped
  coverage float8,  -- sum of the coverage fractions of those pixels, in pixels
  area_m2  float8,  -- their covered area, m2 (geodesic for lon/lat rasters)
  sum      float8,  -- sum of value x coverage, value units x pixels
  mean     float8,  -- coverage-weighted mean, value units (NULL without pixels)
  min      float8,  -- smallest value (NULL without pixels)
  max      float8,  -- largest value (NULL without pixels)
  stddev   float8,  -- coverage-weighted population standard deviation, value units
  area_sum float8   -- sum of value x covered area in m2 x scale: e.g. g C m-2 yr-1 x m2 x 1e-6 = t C yr-1
);
COMMENT ON TYPE zonal_stats_result IS
  'Zonal statistics of a band over a region: pixels, coverage (pixels), area_m2 (m2), sum, mean, min, max, stddev (value units), area_sum (value x m2 x scale)';

CREATE FUNCTION zonal_stats(raster raster, region geometry, options text DEFAULT '')
RETURNS zonal_stats_result
AS 'MODULE_PATHNAME', 'cb_zonal_stats' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION zonal_stats(raster, geometry, text) IS
$$Zonal statistics of one band of one raster tile inside a region polygon (SPEC section 14); zonal_stats_agg over many tiles.
Fields: pixels, coverage (sum of fractions, pixels), area_m2 (m2), sum (value x fraction), mean, min, max, stddev (value units,
coverage-weighted as exactextract), area_sum = sum of value x covered area in m2 x scale (a value in g C m-2 yr-1 with scale=1e-6 gives t C yr-1).
Options: coverage=exact (default: the fraction of each pixel inside, as exactextract) | centre (pixels whose centre is inside), band=1,
scale=1. Nodata pixels are skipped. Pixel area: |det of the georeference| in m2 for projected SRIDs (metre units), ellipsoidal WGS 84
area for geographic SRIDs. The region must be a valid polygon or multipolygon in the raster's SRID.
Example: SELECT (zonal_stats(rast, geom, 'scale=1e-6')).area_sum FROM nep, county WHERE ST_Intersects(rast, geom);$$;

CREATE FUNCTION _zonal_stats_step(bytea, raster, geometry, text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_zonal_stats_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _zonal_stats_step(bytea, raster, geometry, text) IS
  'Transition function of zonal_stats_agg: coverage, area and weighted moments of the pixels inside the region';
CREATE FUNCTION _zonal_stats_step(bytea, raster, geometry) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_zonal_stats_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _zonal_stats_step(bytea, raster, geometry) IS 'Transition function of zonal_stats_agg (default options)';
CREATE FUNCTION _zonal_stats_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_zonal_stats_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _zonal_stats_combine(bytea, bytea) IS
  'Combine function of zonal_stats_agg: adds sums and merges weighted moments (Chan et al.)';
CREATE FUNCTION _zonal_stats_final(bytea) RETURNS zonal_stats_result
AS 'MODULE_PATHNAME', 'cb_zonal_stats_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _zonal_stats_final(bytea) IS 'Final function of zonal_stats_agg';

CREATE AGGREGATE zonal_stats_agg(raster raster, region geometry, options text) (
  SFUNC = _zonal_stats_step, STYPE = bytea, COMBINEFUNC = _zonal_stats_combine,
  FINALFUNC = _zonal_stats_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE zonal_stats_agg(raster, geometry, text) IS
$$Zonal statistics of a region over all its tiles (SPEC section 14): pixels, coverage (pixels), area_m2 (m2), sum, mean, min, max,
stddev (value units), area_sum (value x m2 x scale; g C m-2 yr-1 with scale=1e-6 gives t C yr-1). Pixels along tile edges are
counted with their exact fractions of the undivided raster. Options as zonal_stats; the same in every row. NULL tiles and regions
are skipped. Parallel safe (combine function).
Example: SELECT c.id, (zonal_stats_agg(n.rast, c.geom, 'scale=1e-6')).area_sum AS nep_t_c FROM county c JOIN nep n ON ST_Intersects(n.rast, c.geom) GROUP BY c.id;$$;
CREATE AGGREGATE zonal_stats_agg(raster raster, region geometry) (
  SFUNC = _zonal_stats_step, STYPE = bytea, COMBINEFUNC = _zonal_stats_combine,
  FINALFUNC = _zonal_stats_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE zonal_stats_agg(raster, geometry) IS
$$Zonal statistics of a region over its tiles with exact coverage, band 1 and scale 1 (area_sum in value units x m2).
Example: SELECT (zonal_stats_agg(rast, geom)).mean FROM ntl, county WHERE ST_Intersects(rast, geom);$$;

-- ---- land-use transitions between two years (paper 003 Fig. 3) ----

CREATE TYPE landuse_transition_result AS (
  class       integer[],  -- land-cover codes present in either year, ascending
  area_hm2    float8[],   -- 2-D: area_hm2[i][j] = hm2 that were class[i] before and class[j] after
  total_hm2   float8,     -- sum of the matrix, hm2
  changed_hm2 float8,     -- sum off the diagonal (land that changed class), hm2
  nodata_hm2  float8      -- region area where either year is nodata, hm2
);
COMMENT ON TYPE landuse_transition_result IS
  'Land-use transition matrix in hm2: codes, area_hm2[from][to], total, changed (off-diagonal) and nodata areas';

CREATE FUNCTION _landuse_transition_step(bytea, raster, raster, geometry, text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_landuse_transition_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _landuse_transition_step(bytea, raster, raster, geometry, text) IS
  'Transition function of landuse_transition: m2 per (before, after) code pair inside the region';
CREATE FUNCTION _landuse_transition_step(bytea, raster, raster, geometry) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_landuse_transition_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _landuse_transition_step(bytea, raster, raster, geometry) IS
  'Transition function of landuse_transition (default options)';
CREATE FUNCTION _landuse_transition_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_landuse_transition_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _landuse_transition_combine(bytea, bytea) IS 'Combine function of landuse_transition: adds the matrices';
CREATE FUNCTION _landuse_transition_final(bytea) RETURNS landuse_transition_result
AS 'MODULE_PATHNAME', 'cb_landuse_transition_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _landuse_transition_final(bytea) IS 'Final function of landuse_transition: the matrix over the codes present, in hm2';

CREATE AGGREGATE landuse_transition(before raster, after raster, region geometry, options text) (
  SFUNC = _landuse_transition_step, STYPE = bytea, COMBINEFUNC = _landuse_transition_combine,
  FINALFUNC = _landuse_transition_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE landuse_transition(raster, raster, geometry, text) IS
$$Land-use transition matrix inside a region (paper 003 Fig. 3), hm2: over pairs of land-cover tiles of two years that lie on the same
grid with the same extent (an error says whether SRID, scale, skew, grid or extent differs), the area of every (before, after) code pair,
with exact coverage fractions (coverage=exact, default) or pixel centres (coverage=centre), band=1 of both; geodesic pixel areas for lon/lat.
Pixels nodata in either year go to nodata_hm2. Codes are integers 0..1023 (join landcover_code for class names).
Example: SELECT (landuse_transition(a.rast, b.rast, c.geom)).* FROM lc2000 a JOIN lc2020 b USING (rid), county c WHERE ST_Intersects(a.rast, c.geom) GROUP BY c.id;$$;
CREATE AGGREGATE landuse_transition(before raster, after raster, region geometry) (
  SFUNC = _landuse_transition_step, STYPE = bytea, COMBINEFUNC = _landuse_transition_combine,
  FINALFUNC = _landuse_transition_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE landuse_transition(raster, raster, geometry) IS
$$Land-use transition matrix inside a region in hm2 with exact coverage and band 1 (see the form with options).
Example: SELECT landuse_transition(a.rast, b.rast, c.geom) FROM lc2000 a JOIN lc2020 b USING (rid), county c GROUP BY c.id;$$;

CREATE FUNCTION landuse_transition_rows(transition landuse_transition_result)
RETURNS TABLE (from_class integer, to_class integer, area_hm2 float8)
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  n int := coalesce(cardinality(transition.class), 0);
BEGIN
  IF n > 0 AND (array_ndims(transition.area_hm2) IS DISTINCT FROM 2 OR array_length(transition.area_hm2, 1) <> n
                OR array_length(transition.area_hm2, 2) <> n) THEN
    RAISE EXCEPTION 'landuse_transition_rows: transition.area_hm2 must be a % x % matrix, one row and column per class', n, n
      USING ERRCODE = 'array_subscript_error', HINT = 'Pass a result of landuse_transition.';
  END IF;
  RETURN QUERY
    SELECT f.code, t.code, a.cell
    FROM unnest(transition.class) WITH ORDINALITY AS f(code, i)
    CROSS JOIN unnest(transition.class) WITH ORDINALITY AS t(code, j)
    JOIN unnest(transition.area_hm2) WITH ORDINALITY AS a(cell, k) ON a.k = (f.i - 1) * n + t.j
    WHERE a.cell > 0
    ORDER BY f.i, t.j;
END $$;
COMMENT ON FUNCTION landuse_transition_rows(landuse_transition_result) IS
$$The cells of a landuse_transition matrix with area as rows (from_class, to_class, area_hm2), hm2, ordered by from and to class:
the land-use transfer table of paper 003 Fig. 3.
Example: SELECT r.* FROM (SELECT landuse_transition(a.rast, b.rast, c.geom) t FROM ...) s, landuse_transition_rows(s.t) r;$$;

CREATE FUNCTION dynamic_degree(transition landuse_transition_result, years float8) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF NOT (years > 0 AND years < 'Infinity'::float8) THEN
    RAISE EXCEPTION 'dynamic_degree: years must be a positive finite number' USING ERRCODE = 'invalid_parameter_value',
      DETAIL = format('years = %s.', years);
  END IF;
  IF (transition.total_hm2 >= 0 AND transition.total_hm2 < 'Infinity'::float8
      AND transition.changed_hm2 >= 0 AND transition.changed_hm2 <= transition.total_hm2) IS NOT TRUE THEN
    RAISE EXCEPTION 'dynamic_degree: transition must have total_hm2 >= changed_hm2 >= 0'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass a result of landuse_transition.';
  END IF;
  IF transition.total_hm2 = 0 THEN RETURN NULL; END IF;
  RETURN transition.changed_hm2 / (2.0::float8 * transition.total_hm2) / years * 100.0::float8;
END $$;
COMMENT ON FUNCTION dynamic_degree(landuse_transition_result, float8) IS
$$Comprehensive land-use dynamic degree LC = sum_i dLU(i->j) / (2 sum_i LU_i) / T * 100 (Liu et al. 2003), percent per year, from a
landuse_transition matrix: dLU(i->j) the area of class i turned into other classes (changed_hm2), sum LU_i the area at the start (total_hm2),
T the years between. NULL for an empty matrix.
Example: SELECT dynamic_degree(landuse_transition(a.rast, b.rast, c.geom), 20) FROM ...;$$;

-- ==== The papers' analysis: CEP, ECC/ESC forms, LMDI, Tapio, emerging hot spots ====

-- ---- ECC and ESC: the form printed in paper 003 Table 2 as an option (sql/install/32-budget.sql) ----
CREATE FUNCTION ecc(gdp float8, ce float8, options text) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_ecc_window' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION ecc(float8, float8, text) IS
$$Economy contributive coefficient with options: form=share (default, (G_i / sum G) / (CE_i / sum CE), unitless, 1 for the whole area)
or form=printed ((G_i - CE_i) / G_i as printed in paper 003 Table 2, a fraction that depends on the units of gdp and ce; NULL when G_i = 0).
Example: SELECT county, ecc(gdp, ce, 'form=printed') OVER () FROM county;$$;

CREATE FUNCTION esc(cs float8, ce float8, options text) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_esc_window' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION esc(float8, float8, text) IS
$$Ecological support coefficient with options: form=share (default, (CS_i / sum CS) / (CE_i / sum CE), unitless)
or form=printed ((CS_i - CE_i) / CS_i as printed in paper 003 Table 2, a fraction of the unit's own sink; NULL when CS_i = 0).
Example: SELECT county, esc(cs, ce, 'form=printed') OVER () FROM county;$$;

-- ---- several scenarios in one call and the CEP across three (sql/install/55-ridge.sql) ----
CREATE FUNCTION stirpat_project_scenarios(model stirpat_ridge_result, base float8[], scenarios jsonb)
RETURNS TABLE (scenario text, years integer[], ce float8[], peak_year integer, peak_ce float8,
               peaked_by_2030 boolean, cep_class text)
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  s record;
  p stirpat_projection;
  msg text; state text; hint text;
BEGIN
  IF jsonb_typeof(scenarios) IS DISTINCT FROM 'object' OR scenarios = '{}'::jsonb THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'stirpat_project_scenarios: scenarios must be a non-empty JSON object of named scenarios',
      HINT = 'Example: {"low-carbon": {"periods": [...]}, "baseline": {"periods": [...]}, "high-carbon": {"periods": [...]}}, each as stirpat_project takes it.';
  END IF;
  -- the three scenarios of paper 003 first, in their order, then any others by name
  FOR s IN SELECT e.key, e.value FROM jsonb_each(scenarios) e
           ORDER BY array_position(ARRAY['low-carbon', 'baseline', 'high-carbon'], e.key) NULLS LAST, e.key LOOP
    BEGIN
      p := stirpat_project(model, base, s.value);
    EXCEPTION WHEN OTHERS THEN
      -- the error of one scenario, with its name
      GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE, hint = PG_EXCEPTION_HINT;
      RAISE EXCEPTION USING ERRCODE = state, MESSAGE = format('stirpat_project_scenarios: scenario "%s": %s', s.key, msg),
        HINT = coalesce(nullif(hint, ''), 'Each scenario is a scenario of stirpat_project.');
    END;
    scenario := s.key; years := p.years; ce := p.ce; peak_year := p.peak_year; peak_ce := p.peak_ce;
    peaked_by_2030 := p.peaked_by_2030; cep_class := p.cep_class;
    RETURN NEXT;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION stirpat_project_scenarios(stirpat_ridge_result, float8[], jsonb) IS
$$Projects CE of a STIRPAT model under several scenarios in one call (paper 003: low-carbon, baseline, high-carbon), one row per scenario:
scenarios is a JSON object {"<name>": <scenario of stirpat_project>, ...}; rows come in the order low-carbon, baseline, high-carbon, then other names alphabetically.
The fields are those of stirpat_project (cep_class is its single-scenario class; cep_assess gives the class across the three scenarios).
Example: SELECT scenario, peak_year FROM stirpat_project_scenarios(m, ARRAY[5000, 40000], '{"baseline": {...}, "low-carbon": {...}}');$$;

CREATE TYPE cep_result AS (
  peak_year_low      integer,  -- peak year of the low-carbon projection
  peak_year_baseline integer,  -- peak year of the baseline projection
  peak_year_high     integer,  -- peak year of the high-carbon projection
  peaked_low         boolean,  -- peak year <= peak_by (2030), low-carbon
  peaked_baseline    boolean,  -- the same, baseline
  peaked_high        boolean,  -- the same, high-carbon
  ce_low             float8,   -- projected CE in the neutrality year (2060), low-carbon
  ce_baseline        float8,   -- the same, baseline
  ce_high            float8,   -- the same, high-carbon
  cs                 float8,   -- CS in the neutrality year (held at the last observed value, or projected)
  neutral_low        boolean,  -- ce_low <= cs
  neutral_baseline   boolean,  -- ce_baseline <= cs
  neutral_high       boolean,  -- ce_high <= cs
  cep_class          text,     -- highly significant, moderately significant, stable, slightly insignificant, insignificant
  cep_score          integer   -- 5 .. 1 for paper 003 Table 6, as cep_score(cep_class)
);
COMMENT ON TYPE cep_result IS
'Carbon emission potential across the three scenarios of paper 003: peak years, peaking by 2030, neutrality by 2060, CEP class and its Table 6 score';

CREATE FUNCTION cep_assess(low_carbon stirpat_projection, baseline stirpat_projection, high_carbon stirpat_projection,
                           cs float8[], options text) RETURNS cep_result
AS 'MODULE_PATHNAME', 'cb_cep_assess' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cep_assess(stirpat_projection, stirpat_projection, stirpat_projection, float8[], text) IS
$$Carbon emission potential (CEP) of a unit across the low-carbon, baseline and high-carbon projections of paper 003 (Results, "Comprehensive predictions
for three scenarios"), first rule that holds: highly significant (peaked by 2030 under low-carbon and baseline, baseline CE <= CS in 2060); moderately significant
(peaked under all three, baseline CE of 2060 at least 5% below its peak); stable (peaked under low-carbon and baseline); slightly insignificant (baseline CE of
2060 at most 1.2 times its base-year CE); insignificant. cs: observed CS series (its last value is held) or, with cs=projected, one CS per projection year.
Options: cs=held|projected, peak_by=2030, neutral_by=2060, decline=0.05, increase=1.2 (NULL: the defaults; checked even when the data are NULL). A NULL projection or cs gives NULL. The three projections must have the same years.
Example: SELECT (cep_assess(stirpat_project(m, b, s->'low-carbon'), stirpat_project(m, b, s->'baseline'), stirpat_project(m, b, s->'high-carbon'), ARRAY[cs2020], 'cs=held')).*;$$;
CREATE FUNCTION cep_assess(low_carbon stirpat_projection, baseline stirpat_projection, high_carbon stirpat_projection,
                           cs float8[]) RETURNS cep_result
AS 'MODULE_PATHNAME', 'cb_cep_assess' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cep_assess(stirpat_projection, stirpat_projection, stirpat_projection, float8[]) IS
$$Carbon emission potential across three scenario projections with the default rule (peak by 2030, neutrality by 2060 against the last value of cs held).
Example: SELECT (cep_assess(low, baseline, high, ARRAY[95.2])).cep_class FROM county_projections;$$;

-- ---- cep_score names the classes of cep_assess (sql/install/64-zoning.sql) ----
COMMENT ON FUNCTION cep_score(text) IS
$$Score 1-5 of the carbon emission potential class (paper 003 Table 6): highly significant 5, moderately significant 4, stable 3, slightly insignificant 2, insignificant 1 (the classes of cep_assess and stirpat_project); Table 6's wording significant, slightly significant, slightly non-significant, non-significant is accepted too. Case-insensitive.
Example: SELECT cep_score('stable');  -- 3$$;

-- ---- LMDI decomposition and Tapio decoupling (sql/install/59-decomposition.sql) ----
CREATE TYPE lmdi_result AS (
  base_t         float8,    -- base year (option base, default the first t)
  target_t       float8,    -- target year (option target, default the last t)
  c_base         float8,    -- emission in the base year
  c_target       float8,    -- emission in the target year
  delta          float8,    -- c_target - c_base
  effects        float8[],  -- additive LMDI-I effect of each factor, in the units of the emission
  d_total        float8,    -- c_target / c_base; NULL when either is 0
  d_factors      float8[],  -- multiplicative LMDI-I factor of each factor (their product is d_total); NULL elements when C is 0
  residual       float8,    -- delta - sum(effects): 0 up to rounding when C = prod x_k
  identity_error float8,    -- largest |C - prod x_k| / max(|C|, |prod x_k|) over the years used
  years          bigint     -- years used: 2, or every year from base to target with chain=true
);
COMMENT ON TYPE lmdi_result IS
'LMDI-I decomposition of the change of an emission C = prod x_k between two years: additive effects, multiplicative factors, residual and identity check';

CREATE FUNCTION _lmdi_step(internal, float8, float8, float8[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_step(internal, float8, float8, float8[]) IS 'Transition function of lmdi: collects (t, emission, factors)';
CREATE FUNCTION _lmdi_step(internal, float8, float8, float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_step(internal, float8, float8, float8[], text) IS 'Transition function of lmdi: collects (t, emission, factors)';
CREATE FUNCTION _lmdi_final(internal) RETURNS lmdi_result
AS 'MODULE_PATHNAME', 'cb_lmdi_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_final(internal) IS 'Final function of lmdi';
CREATE FUNCTION _lmdi_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_combine(internal, internal) IS 'Combine function of lmdi: concatenates the rows of two partial states';
CREATE FUNCTION _lmdi_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_lmdi_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_serialize(internal) IS 'Serialise function of lmdi';
CREATE FUNCTION _lmdi_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_lmdi_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _lmdi_deserialize(bytea, internal) IS 'Deserialise function of lmdi';

CREATE AGGREGATE lmdi(t float8, emission float8, factors float8[]) (
  SFUNC = _lmdi_step, STYPE = internal, FINALFUNC = _lmdi_final,
  COMBINEFUNC = _lmdi_combine, SERIALFUNC = _lmdi_serialize, DESERIALFUNC = _lmdi_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE lmdi(float8, float8, float8[]) IS
$$LMDI-I decomposition (Ang 2005) of the change of emission C = prod factors[k] (e.g. Kaya: population, GDP per person, energy per GDP, emission per energy)
from the first to the last t: additive effects L(C1, C0) ln(x1_k / x0_k) in the units of C, multiplicative factors x1_k / x0_k, the residual and the identity check
(an error when C differs from the product by more than 1e-6 relative). Zeros by the small-value limit, negative values that keep their sign as they come.
Example: SELECT (lmdi(year, ce, ARRAY[pop, gdp / pop, energy / gdp, ce / energy])).* FROM nation_year;$$;
CREATE AGGREGATE lmdi(t float8, emission float8, factors float8[], options text) (
  SFUNC = _lmdi_step, STYPE = internal, FINALFUNC = _lmdi_final,
  COMBINEFUNC = _lmdi_combine, SERIALFUNC = _lmdi_serialize, DESERIALFUNC = _lmdi_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE lmdi(float8, float8, float8[], text) IS
$$LMDI-I decomposition with options: base=<t> and target=<t> (default the first and the last t), chain=true (sum the effects of each pair of consecutive years
from base to target, multiply the factors), tolerance=1e-6 (largest relative difference of C from the product of the factors, at most 0.5).
Example: SELECT (lmdi(year, ce, ARRAY[pop, gdp / pop, ce / gdp], 'base=2005 target=2015 chain=true')).effects FROM nation_year;$$;

CREATE TYPE tapio_result AS (
  elasticity float8,  -- e = (dC / C0) / (dGDP / GDP0); NULL when GDP did not change
  state      text,    -- one of Tapio's eight states; NULL when GDP did not change
  c_change   float8,  -- dC / C0
  gdp_change float8   -- dGDP / GDP0
);
COMMENT ON TYPE tapio_result IS 'Tapio (2005) decoupling elasticity of emission from GDP and its state';

CREATE FUNCTION tapio(c0 float8, c1 float8, gdp0 float8, gdp1 float8) RETURNS tapio_result
AS 'MODULE_PATHNAME', 'cb_tapio_scalar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tapio(float8, float8, float8, float8) IS
$$Tapio (2005) decoupling from a base (c0, gdp0) to a later year (c1, gdp1): e = (dC/C0) / (dGDP/GDP0) and the state: GDP up: strong decoupling (C down),
weak decoupling (e < 0.8), expansive coupling (0.8 <= e <= 1.2), expansive negative decoupling (e > 1.2); GDP down: strong negative decoupling (C up),
weak negative decoupling (e < 0.8), recessive coupling (0.8 <= e <= 1.2), recessive decoupling (e > 1.2). c0 and gdp0 positive, c1 and gdp1 non-negative.
Example: SELECT (tapio(100, 104, 1000, 1100)).*;  -- e = 0.4, weak decoupling$$;

CREATE FUNCTION _tapio_step(float8[], float8, float8, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_tapio_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _tapio_step(float8[], float8, float8, float8) IS 'Transition function of tapio: keeps the first and the last year';
CREATE FUNCTION _tapio_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_tapio_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _tapio_combine(float8[], float8[]) IS 'Combine function of tapio: the earlier first year and the later last year';
CREATE FUNCTION _tapio_final(float8[]) RETURNS tapio_result
AS 'MODULE_PATHNAME', 'cb_tapio_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _tapio_final(float8[]) IS 'Final function of tapio';

-- state: rows used, rows skipped, then t, c, gdp of the first and of the last year
CREATE AGGREGATE tapio(t float8, c float8, gdp float8) (
  SFUNC = _tapio_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
  COMBINEFUNC = _tapio_combine, FINALFUNC = _tapio_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE tapio(float8, float8, float8) IS
$$Tapio decoupling of a unit's emission c from its gdp between its first and its last t (the rows between do not enter; the first and last t must not repeat).
NULL rows are skipped; no rows gives NULL, one year an error. Year on year: tapio(lag(c) OVER w, c, lag(gdp) OVER w, gdp).
Example: SELECT county, (tapio(year, ce, gdp)).* FROM county_year GROUP BY county;$$;

-- ---- emerging hot spot analysis (sql/install/26-ehsa.sql) ----
CREATE TYPE emerging_hot_spot_result AS (
  z          float8,   -- Gi* z-score of the row's unit in the row's time step
  p          float8,   -- its two-sided normal p-value
  bin        integer,  -- ArcGIS Gi_Bin of the step: +-3 (99 %), +-2 (95 %), +-1 (90 %), 0
  trend_z    float8,   -- Mann-Kendall Z of the unit's z series over the time steps
  trend_p    float8,   -- its two-sided p-value
  hot_steps  integer,  -- time steps in which the unit is a hot spot (p < alpha, z > 0)
  cold_steps integer,  -- time steps in which it is a cold spot (p < alpha, z < 0)
  category   text      -- no pattern detected, or new, consecutive, intensifying, persistent, diminishing,
                       -- sporadic, oscillating or historical hot (cold) spot
);
COMMENT ON TYPE emerging_hot_spot_result IS
'Emerging hot spot analysis per row of a space-time cube: Gi* of the step, the trend of the unit''s z series and the unit''s ArcGIS category';

CREATE FUNCTION emerging_hot_spots(value float8, t float8, id bigint, geom geometry, options text DEFAULT '')
RETURNS emerging_hot_spot_result
AS 'MODULE_PATHNAME', 'cb_emerging_hot_spots_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION emerging_hot_spots(float8, float8, bigint, geometry, text) IS
$$Emerging hot spot analysis (ArcGIS Pro) over the rows (value, t, id) of the window partition, one row per unit and time step (a complete
space-time cube), weights from each unit's geometry: Gi* z of each unit in each step (neighbourhood over time_lags=1 earlier steps, mean and
variance of window=cube), the Mann-Kendall trend of the unit's z series, and its category by ArcGIS's rules (hot or cold at alpha=0.10, trend at
trend_alpha=0.10): new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical hot or cold spot, or no pattern detected.
Options: weights options of getis_ord_gi, time_lags, window=cube|neighborhood|step, alpha, trend_alpha.
Example: SELECT id, year, (emerging_hot_spots(ce, year, id, geom) OVER ()).category FROM county_panel JOIN county USING (id);$$;

CREATE FUNCTION emerging_hot_spots(value float8, t float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS emerging_hot_spot_result
AS 'MODULE_PATHNAME', 'cb_emerging_hot_spots_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION emerging_hot_spots(float8, float8, bigint, bigint[], text) IS
$$Emerging hot spot analysis with weights from explicit neighbour lists (those of each unit's first row).$$;

CREATE FUNCTION emerging_hot_spots(value float8, t float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS emerging_hot_spot_result
AS 'MODULE_PATHNAME', 'cb_emerging_hot_spots_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION emerging_hot_spots(float8, float8, bigint, bigint[], float8[], text) IS
$$Emerging hot spot analysis with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;

-- ==== QGIS styles of result layers (sql/install/63-qgis.sql) ====
-- Nothing is created outside the extension's schema: public.layer_styles, QGIS's table, is made by
-- the first call that needs it (see the fragment).
CREATE FUNCTION _qgis_options(func text, options text) RETURNS text[]
AS 'MODULE_PATHNAME', 'cb_qgis_options' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _qgis_options(text, text) IS
  'Internal: the options of qgis_style_layer or refresh_zoning (func) as key/value pairs, parsed as every options argument';

-- The categories of each kind of layer, in legend order: value of the attribute, legend label,
-- colour.  Zones: the five zones of paper 003 as zone_name gives them, green (carbon sink) to red
-- (carbon source); LISA clusters: GeoDa's colours and order; Gi* bins: ArcGIS's Gi_Bin colours.
CREATE FUNCTION _qgis_categories(kind text) RETURNS TABLE (ord integer, value text, label text, colour text)
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT c.ord, c.value, c.label, c.colour
  FROM (SELECT 'zones'::text AS kind, 6 - z.k AS ord, @extschema@.zone_name(z.k) AS value,
               @extschema@.zone_name(z.k) AS label, z.colour
        FROM (VALUES (5, '#1a9641'), (4, '#a6d96a'), (3, '#ffffbf'), (2, '#fdae61'), (1, '#d7191c')) AS z(k, colour)
        UNION ALL
        SELECT 'lisa', l.ord, l.value, l.label, l.colour
        FROM (VALUES (1, 'not significant', 'Not significant', '#eeeeee'), (2, 'HH', 'High-High', '#ff0000'),
                     (3, 'LL', 'Low-Low', '#0000ff'), (4, 'LH', 'Low-High', '#a7adf9'),
                     (5, 'HL', 'High-Low', '#f4ada8')) AS l(ord, value, label, colour)
        UNION ALL
        SELECT 'gi', g.bin + 4, g.bin::text, g.label, g.colour
        FROM (VALUES (-3, 'Cold spot, 99% confidence', '#4575b5'), (-2, 'Cold spot, 95% confidence', '#849eba'),
                     (-1, 'Cold spot, 90% confidence', '#c0ccbe'), (0, 'Not significant', '#ffffbf'),
                     (1, 'Hot spot, 90% confidence', '#fab984'), (2, 'Hot spot, 95% confidence', '#ed7551'),
                     (3, 'Hot spot, 99% confidence', '#d62f27')) AS g(bin, label, colour)) AS c
  WHERE c.kind = pg_catalog.lower(_qgis_categories.kind)
  ORDER BY c.ord
$fn$;
COMMENT ON FUNCTION _qgis_categories(text) IS
  'Internal: the categories (legend order, value, label, colour) of the QGIS styles of kind zones, lisa or gi';

-- The arguments of the style builders: a kind of _qgis_categories and a QGIS symbol type.
CREATE FUNCTION _qgis_check_style(func text, kind text, symbol text) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
  IF NOT EXISTS (SELECT FROM @extschema@._qgis_categories(kind)) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: unknown kind "%s"', func, kind),
      HINT = 'Use zones, lisa or gi.';
  ELSIF symbol IS NULL OR symbol NOT IN ('fill', 'line', 'marker') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: unknown symbol "%s"', func, symbol),
      HINT = 'Use fill, line or marker.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION _qgis_check_style(text, text, text) IS
  'Internal: refuses a kind other than zones, lisa or gi and a symbol other than fill, line or marker (func names the caller)';

-- The QML of a categorized renderer, as QGIS 3.22 writes it for the style category Symbology:
-- one category and one simple symbol (fill, line or marker) per value.
CREATE FUNCTION _qgis_qml(kind text, style_column text, symbol text) RETURNS xml
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  doc xml;
BEGIN
  PERFORM @extschema@._qgis_check_style('_qgis_qml', kind, symbol);
  SELECT xmlelement(name qgis, xmlattributes('3.22.0' AS version, 'Symbology' AS "styleCategories"),
           xmlelement(name "renderer-v2",
             xmlattributes('categorizedSymbol' AS type, style_column AS attr, '0' AS symbollevels, '0' AS enableorderby,
                           '0' AS forceraster, '-1' AS referencescale),
             xmlelement(name categories,
               pg_catalog.xmlagg(xmlelement(name category, xmlattributes(c.value AS value, (c.ord - 1)::text AS symbol,
                                                                       c.label AS label, 'true' AS render))
                                 ORDER BY c.ord)),
             xmlelement(name symbols,
               pg_catalog.xmlagg(xmlelement(name symbol,
                   xmlattributes(symbol AS type, (c.ord - 1)::text AS name, '1' AS alpha, '1' AS clip_to_extent, '0' AS force_rhr),
                   xmlelement(name layer,
                     xmlattributes(CASE symbol WHEN 'fill' THEN 'SimpleFill' WHEN 'line' THEN 'SimpleLine' ELSE 'SimpleMarker' END AS class,
                                   '1' AS enabled, '0' AS locked, '0' AS pass),
                     xmlelement(name "Option", xmlattributes('Map' AS type),
                       (SELECT pg_catalog.xmlagg(xmlelement(name "Option",
                                 xmlattributes('QString' AS type, o.name AS name,
                                               CASE WHEN o.value = 'rgb' THEN c.rgb ELSE o.value END AS value)) ORDER BY o.name)
                        FROM (VALUES ('fill', 'color', 'rgb'), ('fill', 'outline_color', '64,64,64,255'),
                                     ('fill', 'outline_style', 'solid'), ('fill', 'outline_width', '0.2'),
                                     ('fill', 'outline_width_unit', 'MM'), ('fill', 'style', 'solid'),
                                     ('fill', 'joinstyle', 'bevel'),
                                     ('line', 'line_color', 'rgb'), ('line', 'line_style', 'solid'),
                                     ('line', 'line_width', '0.66'), ('line', 'line_width_unit', 'MM'),
                                     ('line', 'capstyle', 'square'), ('line', 'joinstyle', 'bevel'),
                                     ('marker', 'name', 'circle'), ('marker', 'color', 'rgb'),
                                     ('marker', 'outline_color', '64,64,64,255'), ('marker', 'outline_style', 'solid'),
                                     ('marker', 'outline_width', '0.2'), ('marker', 'outline_width_unit', 'MM'),
                                     ('marker', 'size', '2.6'), ('marker', 'size_unit', 'MM'),
                                     ('marker', 'scale_method', 'diameter')) AS o(symbol, name, value)
                        WHERE o.symbol = _qgis_qml.symbol))))
                 ORDER BY c.ord)),
             xmlelement(name rotation), xmlelement(name sizescale)),
           xmlelement(name "blendMode", 0), xmlelement(name "featureBlendMode", 0),
           xmlelement(name "layerGeometryType", CASE symbol WHEN 'marker' THEN 0 WHEN 'line' THEN 1 ELSE 2 END))
  INTO doc
  FROM (SELECT k.ord, k.value, k.label,
               pg_catalog.format('%s,%s,%s,255', ('x' || pg_catalog.substr(k.colour, 2, 2))::bit(8)::integer,
                                 ('x' || pg_catalog.substr(k.colour, 4, 2))::bit(8)::integer,
                                 ('x' || pg_catalog.substr(k.colour, 6, 2))::bit(8)::integer) AS rgb
        FROM @extschema@._qgis_categories(kind) AS k) AS c;
  RETURN XMLPARSE(DOCUMENT $$<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>$$ || doc::text);
END
$fn$;
COMMENT ON FUNCTION _qgis_qml(text, text, text) IS
  'Internal: QML of a QGIS categorized renderer of kind zones, lisa or gi on style_column, with fill, line or marker symbols';

-- The same style as an SLD 1.1 (as QGIS exports it): one rule per category.
CREATE FUNCTION _qgis_sld(kind text, style_column text, symbol text, layer_name text, style_name text) RETURNS xml
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  doc xml;
BEGIN
  PERFORM @extschema@._qgis_check_style('_qgis_sld', kind, symbol);
  SELECT xmlelement(name "StyledLayerDescriptor",
           xmlattributes('http://www.opengis.net/sld' AS xmlns, 'http://www.opengis.net/ogc' AS "xmlns:ogc",
                         'http://www.opengis.net/se' AS "xmlns:se", 'http://www.w3.org/1999/xlink' AS "xmlns:xlink",
                         'http://www.w3.org/2001/XMLSchema-instance' AS "xmlns:xsi",
                         'http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd' AS "xsi:schemaLocation",
                         '1.1.0' AS version),
           xmlelement(name "NamedLayer", xmlelement(name "se:Name", layer_name),
             xmlelement(name "UserStyle", xmlelement(name "se:Name", style_name),
               xmlelement(name "se:FeatureTypeStyle",
                 pg_catalog.xmlagg(xmlelement(name "se:Rule",
                     xmlelement(name "se:Name", c.label),
                     xmlelement(name "se:Description", xmlelement(name "se:Title", c.label)),
                     xmlelement(name "ogc:Filter",
                       xmlelement(name "ogc:PropertyIsEqualTo", xmlelement(name "ogc:PropertyName", style_column),
                                  xmlelement(name "ogc:Literal", c.value))),
                     CASE symbol
                       WHEN 'fill' THEN
                         xmlelement(name "se:PolygonSymbolizer",
                           xmlelement(name "se:Fill", xmlelement(name "se:SvgParameter", xmlattributes('fill' AS name), c.colour)),
                           xmlelement(name "se:Stroke",
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke' AS name), '#404040'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-width' AS name), '1'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-linejoin' AS name), 'bevel')))
                       WHEN 'line' THEN
                         xmlelement(name "se:LineSymbolizer",
                           xmlelement(name "se:Stroke",
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke' AS name), c.colour),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-width' AS name), '2'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-linejoin' AS name), 'bevel'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-linecap' AS name), 'square')))
                       ELSE
                         xmlelement(name "se:PointSymbolizer",
                           xmlelement(name "se:Graphic",
                             xmlelement(name "se:Mark", xmlelement(name "se:WellKnownName", 'circle'),
                               xmlelement(name "se:Fill", xmlelement(name "se:SvgParameter", xmlattributes('fill' AS name), c.colour)),
                               xmlelement(name "se:Stroke",
                                 xmlelement(name "se:SvgParameter", xmlattributes('stroke' AS name), '#404040'),
                                 xmlelement(name "se:SvgParameter", xmlattributes('stroke-width' AS name), '1'))),
                             xmlelement(name "se:Size", '7')))
                     END)
                   ORDER BY c.ord)))))
  INTO doc
  FROM @extschema@._qgis_categories(kind) AS c;
  RETURN XMLPARSE(DOCUMENT doc::text);
END
$fn$;
COMMENT ON FUNCTION _qgis_sld(text, text, text, text, text) IS
  'Internal: SLD 1.1 of the QGIS style of kind zones, lisa or gi on style_column (the stylesld of public.layer_styles)';

-- public.layer_styles, ready to be written by the caller: created with QGIS's DDL when missing
-- (QgsPostgresUtils::createStylesTable; QGIS 3.22 makes the same table without r_raster_column),
-- else checked (QGIS's columns; privileges; nothing that runs another role's code), then locked
-- against concurrent writers and changes of its definition until the end of the transaction.
CREATE FUNCTION _qgis_layer_styles(func text) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  required CONSTANT text[] := ARRAY['id', 'f_table_catalog', 'f_table_schema', 'f_table_name', 'f_geometry_column',
                                    'stylename', 'styleqml', 'stylesld', 'useasdefault', 'description', 'owner', 'update_time'];
  nsp     oid;
  tbl     oid;
  rel     record;
  missing text;
  foreign_code text;
  seq     text;
BEGIN
  func := coalesce(func, 'qgis_style_layer');
  SELECT n.oid INTO nsp FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public';
  IF nsp IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_schema_name', MESSAGE = pg_catalog.format('%s: schema public does not exist', func),
      DETAIL = 'QGIS reads the styles of PostGIS layers from public.layer_styles.';
  END IF;
  SELECT c.oid INTO tbl FROM pg_catalog.pg_class c WHERE c.relnamespace = nsp AND c.relname = 'layer_styles';
  IF tbl IS NULL THEN
    IF NOT pg_catalog.has_schema_privilege(nsp, 'CREATE') THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = pg_catalog.format('%s: public.layer_styles does not exist, and creating it needs CREATE on schema public', func),
        HINT = 'A role with CREATE on schema public (e.g. the database owner) creates it with a first qgis_style_layer call, '
               'or by saving a style to the database in QGIS, and grants SELECT, INSERT, UPDATE on it and USAGE on its '
               'sequence layer_styles_id_seq (docs/privileges.md).';
    END IF;
    -- one creator at a time; a second waits here and then finds the table
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('carbonbudget.layer_styles'));
    SELECT c.oid INTO tbl FROM pg_catalog.pg_class c WHERE c.relnamespace = nsp AND c.relname = 'layer_styles';
    IF tbl IS NULL THEN
      CREATE TABLE public.layer_styles (
        id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar,
        f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean,
        description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP,
        type varchar, r_raster_column varchar);
      RETURN;
    END IF;
  END IF;

  -- trusted: a superuser's table, or one of a role whose rights the caller has anyway (a superuser
  -- caller trusts only its own and other superusers' tables)
  SELECT c.relkind, c.relowner, c.relispartition, c.relrowsecurity,
         o.rolsuper OR o.rolname = CURRENT_USER
           OR (NOT (SELECT u.rolsuper FROM pg_catalog.pg_roles u WHERE u.rolname = CURRENT_USER)
               AND pg_catalog.pg_has_role(c.relowner, 'USAGE')) AS trusted
  INTO rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles o ON o.oid = c.relowner WHERE c.oid = tbl;
  IF rel.relkind <> 'r' OR rel.relispartition THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type', MESSAGE = pg_catalog.format('%s: public.layer_styles is not a table', func),
      HINT = 'QGIS stores styles in a table public.layer_styles; rename that relation.';
  END IF;
  -- QGIS's columns, of QGIS's types (or text and timestamptz where QGIS reads them alike)
  SELECT pg_catalog.string_agg(w.col, ', ' ORDER BY w.ord) INTO missing
  FROM pg_catalog.unnest(required) WITH ORDINALITY AS w(col, ord)
  WHERE NOT EXISTS (
    SELECT FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = tbl AND a.attname = w.col::name AND a.attnum > 0 AND NOT a.attisdropped
      AND a.atttypid = ANY (CASE w.col
            WHEN 'id' THEN ARRAY['pg_catalog.int4', 'pg_catalog.int8']::pg_catalog.regtype[]
            WHEN 'styleqml' THEN ARRAY['pg_catalog.xml']::pg_catalog.regtype[]
            WHEN 'stylesld' THEN ARRAY['pg_catalog.xml']::pg_catalog.regtype[]
            WHEN 'useasdefault' THEN ARRAY['pg_catalog.bool']::pg_catalog.regtype[]
            WHEN 'update_time' THEN ARRAY['pg_catalog.timestamp', 'pg_catalog.timestamptz']::pg_catalog.regtype[]
            ELSE ARRAY['pg_catalog.varchar', 'pg_catalog.text']::pg_catalog.regtype[] END::pg_catalog.oid[])
      AND (w.col <> 'id' OR a.attidentity <> '' OR a.atthasdef));
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
      MESSAGE = pg_catalog.format('%s: public.layer_styles is not QGIS''s table of layer styles', func),
      DETAIL = pg_catalog.format('Missing, or of another type: %s.', missing),
      HINT = 'QGIS creates it with the columns id serial, f_table_catalog, f_table_schema, f_table_name, f_geometry_column, '
             'stylename, styleqml xml, stylesld xml, useasdefault boolean, description, owner, ui xml, update_time timestamp, type.';
  END IF;
  IF NOT (pg_catalog.has_table_privilege(tbl, 'SELECT') AND pg_catalog.has_table_privilege(tbl, 'INSERT')
          AND pg_catalog.has_table_privilege(tbl, 'UPDATE')) THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = pg_catalog.format('%s: writing styles needs SELECT, INSERT and UPDATE on public.layer_styles', func),
      HINT = pg_catalog.format('Its owner %s grants them (docs/privileges.md).', pg_catalog.pg_get_userbyid(rel.relowner));
  END IF;
  SELECT pg_catalog.pg_get_serial_sequence('public.layer_styles', 'id') INTO seq
  FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = 'id' AND a.attidentity = '';
  IF seq IS NOT NULL AND NOT pg_catalog.has_sequence_privilege(seq, 'USAGE') AND NOT pg_catalog.has_sequence_privilege(seq, 'UPDATE') THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = pg_catalog.format('%s: writing styles needs USAGE on sequence %s', func, seq),
      HINT = pg_catalog.format('Its owner %s grants it (docs/privileges.md).', pg_catalog.pg_get_userbyid(rel.relowner));
  END IF;

  -- writers wait for each other, and nobody changes the table's definition until commit
  LOCK TABLE public.layer_styles IN SHARE ROW EXCLUSIVE MODE;
  IF (SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relnamespace = nsp AND c.relname = 'layer_styles') IS DISTINCT FROM tbl THEN
    RAISE EXCEPTION USING ERRCODE = 'object_in_use', MESSAGE = pg_catalog.format('%s: public.layer_styles was replaced meanwhile', func),
      HINT = 'Run it again.';
  END IF;

  -- a table of another role: an INSERT or UPDATE would run that role's triggers, rules, policies and
  -- the functions of its defaults, constraints and indexes with the caller's rights, so it must have
  -- none but built-ins
  IF NOT rel.trusted THEN
    SELECT pg_catalog.string_agg(DISTINCT o.what, ', ') INTO foreign_code
    FROM (SELECT 'trigger ' || t.tgname AS what FROM pg_catalog.pg_trigger t WHERE t.tgrelid = tbl
          UNION ALL SELECT 'rule ' || r.rulename FROM pg_catalog.pg_rewrite r WHERE r.ev_class = tbl
          UNION ALL SELECT 'policy ' || p.polname FROM pg_catalog.pg_policy p WHERE p.polrelid = tbl AND rel.relrowsecurity
          UNION ALL SELECT 'foreign key ' || k.conname FROM pg_catalog.pg_constraint k WHERE k.conrelid = tbl AND k.contype = 'f'
          UNION ALL SELECT 'column ' || a.attname || ' of type ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
          FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
          WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
            AND (ty.typnamespace <> 'pg_catalog'::pg_catalog.regnamespace OR ty.typtype = 'd')
          UNION ALL SELECT pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
          FROM pg_catalog.pg_depend d
          WHERE ((d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                  AND d.objid IN (SELECT ad.oid FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = tbl))
              OR (d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                  AND d.objid IN (SELECT k.oid FROM pg_catalog.pg_constraint k WHERE k.conrelid = tbl))
              OR (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                  AND d.objid IN (SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE i.indrelid = tbl)))
            AND NOT (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                     AND (d.refobjid = tbl OR EXISTS (SELECT FROM pg_catalog.pg_class s WHERE s.oid = d.refobjid AND s.relkind = 'S')))
            AND NOT (d.refclassid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                     AND EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.oid = d.refobjid AND k.conrelid = tbl))
            AND (pg_catalog.pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid)).schema IS DISTINCT FROM 'pg_catalog') AS o;
    IF foreign_code IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = pg_catalog.format('%s: public.layer_styles of role %s has code that would run with your rights', func,
                                    pg_catalog.pg_get_userbyid(rel.relowner)),
        DETAIL = pg_catalog.format('It has %s.', foreign_code),
        HINT = 'Let its owner remove them, or write the styles as its owner.';
    END IF;
  END IF;
END
$fn$;
COMMENT ON FUNCTION _qgis_layer_styles(text) IS
  'Internal: creates public.layer_styles as QGIS does, or checks an existing one (QGIS''s columns, privileges, no code of another role), and locks it';

-- One style row of a layer: checks the layer (the caller's, not temporary, one typed geometry
-- column, the style column of the right type), then inserts the style or, with replace, rewrites
-- it where it differs.  make_default: yes (the layer's default style from now on; the others of
-- the layer lose the flag, as in QGIS), no, or if_none (default when the layer has none yet).
-- func names the public routine in messages.
CREATE FUNCTION _qgis_style_write(layer regclass, kind text, style_column text, geometry_column text,
                                  style_name text, make_default text, replace boolean, func text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  rel      record;
  gis      text;
  geomtype oid;
  gcol     record;
  ncols    integer;
  scol     record;
  symbol   text;
  layer_where CONSTANT text := 'f_table_catalog = $1 AND f_table_schema = $2 AND f_table_name = $3 AND f_geometry_column = $4';
  old      record;
  qml      xml;
  sld      xml;
  is_default boolean;
BEGIN
  func := coalesce(func, 'qgis_style_layer');
  IF layer IS NULL OR kind IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = pg_catalog.format('%s: %s must not be NULL', func, CASE WHEN layer IS NULL THEN 'layer' ELSE 'kind' END);
  END IF;
  kind := pg_catalog.lower(kind);
  IF kind NOT IN ('zones', 'lisa', 'gi') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: unknown kind "%s"', func, kind),
      HINT = 'Use zones (the zones of paper 003), lisa (LISA clusters) or gi (Getis-Ord Gi* bins).';
  END IF;
  IF make_default IS NULL OR make_default NOT IN ('yes', 'no', 'if_none') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: make_default must be yes, no or if_none', func);
  END IF;
  SELECT c.relkind, c.relowner, c.relpersistence, c.relname, n.nspname, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
  INTO rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = layer;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: layer must be an existing table or view', func),
      DETAIL = pg_catalog.format('No relation has OID %s.', layer::oid);
  ELSIF rel.relkind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type', MESSAGE = pg_catalog.format('%s: %s is not a table or view', func, rel.name);
  ELSIF rel.relpersistence = 't' THEN
    RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = pg_catalog.format('%s: %s is a temporary relation', func, rel.name),
      DETAIL = 'QGIS cannot open the temporary relations of another session.';
  ELSIF NOT pg_catalog.pg_has_role(rel.relowner, 'USAGE') THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = pg_catalog.format('%s: must be owner of %s', func, rel.name),
      HINT = 'Style your own layers; the owner of this one can style it.';
  END IF;

  -- the geometry column: the one named, or the only one; QGIS styles a layer of one geometry type
  SELECT n.nspname INTO gis FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'postgis';
  geomtype := pg_catalog.to_regtype(pg_catalog.format('%I.geometry', gis));
  SELECT pg_catalog.count(*) INTO ncols FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = layer AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = geomtype
    AND (geometry_column IS NULL OR a.attname::text = geometry_column);
  IF ncols = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column',
      MESSAGE = CASE WHEN geometry_column IS NULL THEN pg_catalog.format('%s: %s has no geometry column', func, rel.name)
                     ELSE pg_catalog.format('%s: %s has no geometry column "%s"', func, rel.name, geometry_column) END;
  ELSIF ncols > 1 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: %s has several geometry columns', func, rel.name),
      HINT = 'Name the one to style with geometry=column.';
  END IF;
  SELECT a.attname::text AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
         pg_catalog.substring(pg_catalog.format_type(a.atttypid, a.atttypmod),
                              '(?i)geometry\((?:multi)?(point|linestring|polygon)(?:zm|z|m)?[,)]') AS base
  INTO gcol FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = layer AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = geomtype
    AND (geometry_column IS NULL OR a.attname::text = geometry_column);
  IF gcol.base IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = pg_catalog.format('%s: geometry column %s of %s is %s, not a typed point, line or polygon column', func, gcol.name, rel.name, gcol.type),
      HINT = 'QGIS styles a layer of one geometry type: type the column, e.g. geom::geometry(MultiPolygon, 32617) in the view.';
  END IF;
  symbol := CASE pg_catalog.lower(gcol.base) WHEN 'point' THEN 'marker' WHEN 'linestring' THEN 'line' ELSE 'fill' END;

  -- the column the categories are read from
  style_column := coalesce(style_column, CASE kind WHEN 'zones' THEN 'zone' WHEN 'lisa' THEN 'lisa_cluster' ELSE 'gi_bin' END);
  SELECT a.attname::text AS name, t.typcategory, a.atttypid INTO scol
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = layer AND a.attname::text = style_column AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column', MESSAGE = pg_catalog.format('%s: %s has no column "%s"', func, rel.name, style_column),
      HINT = 'Name the column of the categories with column=name.';
  ELSIF (kind = 'gi' AND scol.atttypid NOT IN ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype,
                                               'pg_catalog.int8'::pg_catalog.regtype))
     OR (kind <> 'gi' AND scol.typcategory <> 'S') THEN
    RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
      MESSAGE = pg_catalog.format('%s: column %s of %s must be %s for kind %s', func, style_column, rel.name,
                                  CASE kind WHEN 'gi' THEN 'an integer (the Gi* bin, -3 to 3)' ELSE 'text' END, kind);
  END IF;
  style_name := coalesce(style_name, CASE kind WHEN 'zones' THEN 'carbonbudget zones' WHEN 'lisa' THEN 'carbonbudget LISA clusters'
                                               ELSE 'carbonbudget Gi* bins' END);

  qml := @extschema@._qgis_qml(kind, style_column, symbol);
  sld := @extschema@._qgis_sld(kind, style_column, symbol, rel.relname::text, style_name);
  PERFORM @extschema@._qgis_layer_styles(func);

  -- the layer's rows as QGIS selects them: database, schema, table and geometry column.  The column
  -- type (QGIS 3.14 and later) is left NULL: QGIS takes a row whose type is the geometry type named in
  -- the layer's URI or NULL, so the style applies however a client gives (or omits) the type.
  EXECUTE 'SELECT id::bigint AS id, styleqml::text AS qml, stylesld::text AS sld, coalesce(useasdefault, false) AS useasdefault'
          ' FROM ONLY public.layer_styles WHERE ' || layer_where || ' AND stylename = $5 ORDER BY id LIMIT 1'
    INTO old USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name, style_name;
  IF old.id IS NULL THEN
    IF make_default = 'if_none' THEN
      EXECUTE 'SELECT NOT EXISTS (SELECT FROM ONLY public.layer_styles WHERE ' || layer_where || ' AND useasdefault)'
        INTO is_default USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name;
    ELSE
      is_default := make_default = 'yes';
    END IF;
  ELSIF NOT replace THEN
    RETURN style_name;
  ELSE
    is_default := CASE make_default WHEN 'yes' THEN true WHEN 'no' THEN false ELSE old.useasdefault END;
  END IF;
  IF make_default = 'yes' THEN
    EXECUTE 'UPDATE ONLY public.layer_styles SET useasdefault = false WHERE ' || layer_where
            || ' AND useasdefault AND id IS DISTINCT FROM $5'
      USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name, old.id;
  END IF;
  IF old.id IS NULL THEN
    EXECUTE 'INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename,'
            ' styleqml, stylesld, useasdefault, description, owner, update_time)'
            ' VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CURRENT_USER, CURRENT_TIMESTAMP)'
      USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name, style_name, qml, sld,
            is_default, pg_catalog.format('%s of %s, written by carbonbudget',
                                          CASE kind WHEN 'zones' THEN 'Carbon-neutral zones (paper 003)'
                                                    WHEN 'lisa' THEN 'LISA clusters' ELSE 'Getis-Ord Gi* bins' END, style_column);
  ELSIF old.qml IS DISTINCT FROM qml::text OR old.sld IS DISTINCT FROM sld::text OR old.useasdefault IS DISTINCT FROM is_default THEN
    EXECUTE 'UPDATE ONLY public.layer_styles SET styleqml = $2, stylesld = $3, useasdefault = $4, owner = CURRENT_USER,'
            ' update_time = CURRENT_TIMESTAMP WHERE id = $1'
      USING old.id, qml, sld, is_default;
  END IF;
  RETURN style_name;
END
$fn$;
COMMENT ON FUNCTION _qgis_style_write(regclass, text, text, text, text, text, boolean, text) IS
  'Internal: the work of qgis_style_layer and of the styles of refresh_zoning: checks the layer, then inserts (or, with replace, rewrites) its style in public.layer_styles';

CREATE FUNCTION qgis_style_layer(layer regclass, kind text, options text DEFAULT '') RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT VOLATILE PARALLEL UNSAFE AS $fn$
DECLARE
  opts jsonb;
BEGIN
  -- the options first: a bad key is reported whatever the other arguments are
  opts := pg_catalog.jsonb_object(@extschema@._qgis_options('qgis_style_layer', options));
  RETURN @extschema@._qgis_style_write(layer, kind, opts ->> 'column', opts ->> 'geometry', opts ->> 'name',
                                       CASE WHEN coalesce(opts ->> 'default', 'true') = 'true' THEN 'yes' ELSE 'no' END,
                                       true, 'qgis_style_layer');
END
$fn$;
COMMENT ON FUNCTION qgis_style_layer(regclass, text, text) IS
$$Writes a QGIS style of layer (a table or view of the caller's with one typed geometry column) into public.layer_styles, the table from which QGIS loads the style of a PostGIS layer when it opens it (created with QGIS's DDL when missing): a categorized renderer of kind zones (the five zones of paper 003 by zone_name, green to red; column zone), lisa (LISA clusters HH, LL, LH, HL and not significant in GeoDa's colours; column lisa_cluster) or gi (Getis-Ord Gi* bins -3 to 3 in ArcGIS's hot and cold colours; column gi_bin), as QML with an SLD. Rewrites a style of the same name; returns the style name. Options: column= (the attribute of the categories), geometry= (the geometry column when there are several), name= (the style name, default carbonbudget zones, carbonbudget LISA clusters or carbonbudget Gi* bins), default=true|false (make it the layer's default style, the one QGIS applies; default true).
Example: SELECT carbonbudget.qgis_style_layer('public.county_lisa', 'lisa', 'column=cluster');$$;

-- The styles of refresh_zoning's layers (option qgis_styles: auto, the default, writes them when
-- the caller may and says in a NOTICE why not otherwise; on makes that an error; off writes none):
-- zones on the target and <target>_layer, LISA clusters and Gi* bins on <target>_clusters, each
-- written once (a style saved over it in QGIS is kept) and made the layer's default style only when
-- the layer has none yet; Gi* bins is a second style of the clusters layer, never the default.
CREATE FUNCTION _qgis_style_zoning(target text, default_schema name, options text) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  mode    text;
  parts   text[];
  tschema text;
  tname   text;
  layers  record;
  unstyled    regclass[] := '{}';
  kinds   text[] := '{}';
  lid    oid;
BEGIN
  mode := coalesce(pg_catalog.jsonb_object(@extschema@._qgis_options('refresh_zoning', options)) ->> 'qgis_styles', 'auto');
  IF mode = 'off' OR target IS NULL THEN
    RETURN;
  END IF;
  parts := pg_catalog.parse_ident(target);
  IF pg_catalog.cardinality(parts) = 2 THEN
    tschema := parts[1]; tname := parts[2];
  ELSE
    tschema := default_schema; tname := parts[1];
  END IF;
  -- the layers of this refresh: its own (a relation of another role under a layer's name, which
  -- refresh_zoning left alone, is skipped), none for a temporary target
  FOR layers IN SELECT * FROM (VALUES (1, '', 'zones'), (2, '_layer', 'zones'), (3, '_clusters', 'lisa'),
                                      (4, '_clusters', 'gi')) AS l(ord, suffix, kind) ORDER BY l.ord LOOP
    SELECT c.oid INTO lid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = tschema AND c.relname = tname || layers.suffix AND c.relpersistence <> 't'
      AND c.relkind = CASE layers.suffix WHEN '' THEN 'r' ELSE 'v' END AND pg_catalog.pg_has_role(c.relowner, 'USAGE');
    IF lid IS NOT NULL THEN
      unstyled := unstyled || lid::regclass;
      kinds := kinds || layers.kind;
    END IF;
  END LOOP;
  IF pg_catalog.cardinality(unstyled) = 0 THEN
    RETURN;
  END IF;
  -- the table of styles first: without it (no right to create or write it) no layer is styled
  BEGIN
    PERFORM @extschema@._qgis_layer_styles('refresh_zoning');
  EXCEPTION WHEN insufficient_privilege OR wrong_object_type OR invalid_schema_name THEN
    IF mode = 'on' THEN
      RAISE;
    END IF;
    RAISE NOTICE USING MESSAGE = SQLERRM,
      DETAIL = 'The zoning table and its views are refreshed; the QGIS styles of the layers are not written.',
      HINT = 'Write them with qgis_style_layer once that is fixed (docs/privileges.md), or refresh with options ''qgis_styles=off''.';
    RETURN;
  END;
  FOR i IN 1 .. pg_catalog.cardinality(unstyled) LOOP
    BEGIN
      PERFORM @extschema@._qgis_style_write(unstyled[i], kinds[i], NULL, NULL, NULL,
                                            CASE kinds[i] WHEN 'gi' THEN 'no' ELSE 'if_none' END, false, 'refresh_zoning');
    EXCEPTION WHEN insufficient_privilege OR wrong_object_type OR undefined_column OR datatype_mismatch
                   OR invalid_parameter_value OR string_data_right_truncation THEN
      IF mode = 'on' THEN
        RAISE;
      END IF;
      RAISE NOTICE USING MESSAGE = SQLERRM,
        DETAIL = pg_catalog.format('The QGIS style of %s is not written.', unstyled[i]);
    END;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION _qgis_style_zoning(text, name, text) IS
  'Internal: the QGIS styles of the layers of a refresh_zoning target (option qgis_styles=auto|on|off)';

-- ---- refresh_zoning writes the QGIS styles of its layers (sql/install/64-zoning.sql) ----
DROP PROCEDURE refresh_zoning(regclass, text);
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

-- ==== Bivariate, rate and differential Moran, Geary's C, join counts, spatial lag ====
-- Bivariate Moran, Moran's I of rates and differential Moran (SPEC section 4; GeoDa, esda).

CREATE TYPE morans_i_bv_result AS (
  i            float8,  -- bivariate Moran's I: sum_i x_i (W y)_i / sqrt(Sx Sy) on centred x and y
  expected     float8,  -- E(I) when y is permuted over the units: 0
  variance     float8,  -- Var(I) when y is permuted over the units
  z            float8,
  p            float8,
  p_sim        float8,  -- pseudo p-value (M+1)/(R+1) of the permutations of y
  permutations integer,
  n            integer, -- units used (rows with non-NULL x, y and geometry or id)
  islands      integer  -- units without neighbours
);
COMMENT ON TYPE morans_i_bv_result IS 'Bivariate Moran''s I of x against the spatial lag of y (esda Moran_BV, spdep moran_bv) with its moments under permutation of y and a permutation pseudo p-value';

-- morans_i_bv: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, geometry, text) IS 'Transition function of morans_i_bv (geometry form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, geometry) IS 'Transition function of morans_i_bv (geometry form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], text) IS 'Transition function of morans_i_bv (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[]) IS 'Transition function of morans_i_bv (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_bv_step(internal, float8, float8, bigint, bigint[], float8[], text) IS 'Transition function of morans_i_bv (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_bv_final_geom(internal) RETURNS morans_i_bv_result
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_bv_final_geom(internal) IS 'Final function of morans_i_bv (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _morans_i_bv_final(internal) RETURNS morans_i_bv_result
AS 'MODULE_PATHNAME', 'cb_morans_i_bv_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_bv_final(internal) IS 'Final function of morans_i_bv (neighbour-list forms)';

CREATE AGGREGATE morans_i_bv(x float8, y float8, geom geometry, options text) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, geometry, text) IS
$$Bivariate Moran's I: x at each unit against the spatial lag of y (GeoDa, esda Moran_BV), with weights from geom; "is high x surrounded by high y?".
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (morans_i_bv(crime, inc, geom, 'weights=queen')).* FROM columbus;$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, geom geometry) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, geometry) IS
$$Bivariate Moran's I of x against the spatial lag of y with queen contiguity weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, bigint, bigint[], text) IS
$$Bivariate Moran's I with weights from explicit neighbour lists (id, neighbors); options style=W|B, missing=error|drop, permutations, seed, alternative.$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, id bigint, neighbors bigint[]) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, bigint, bigint[]) IS
$$Bivariate Moran's I with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_bv(x float8, y float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _morans_i_bv_step, STYPE = internal,
  FINALFUNC = _morans_i_bv_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_bv(float8, float8, bigint, bigint[], float8[], text) IS
$$Bivariate Moran's I with explicit neighbour lists and their weights (weights[k] belongs to neighbors[k]); style=B keeps them as given.$$;

-- local_moran_bv: window function

CREATE FUNCTION local_moran_bv(x float8, y float8, geom geometry, options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_bv_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_bv(float8, float8, geometry, text) IS
$$Local bivariate Moran I_i = (n - 1) x_i (W y)_i / sqrt(Sx Sy) per row (GeoDa's bivariate LISA, esda Moran_Local_BV), with weights from geom.
Expected and variance: x_i held, its neighbours' y drawn from the other units; quadrant from x_i and the lag of y; cluster as local_moran.
Options: weights options (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less; alpha=0.05, fdr=false.
Example: SELECT id, (local_moran_bv(crime, inc, geom) OVER ()).cluster FROM columbus;$$;

CREATE FUNCTION local_moran_bv(x float8, y float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_bv_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_bv(float8, float8, bigint, bigint[], text) IS
$$Local bivariate Moran I_i per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_moran_bv(x float8, y float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_bv_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_bv(float8, float8, bigint, bigint[], float8[], text) IS
$$Local bivariate Moran I_i per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;

-- morans_i_rate: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, geometry, text) IS 'Transition function of morans_i_rate (geometry form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, geometry) IS 'Transition function of morans_i_rate (geometry form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], text) IS 'Transition function of morans_i_rate (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[]) IS 'Transition function of morans_i_rate (neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _morans_i_rate_step(internal, float8, float8, bigint, bigint[], float8[], text) IS 'Transition function of morans_i_rate (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _morans_i_rate_final_geom(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_rate_final_geom(internal) IS 'Final function of morans_i_rate (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _morans_i_rate_final(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_morans_i_rate_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _morans_i_rate_final(internal) IS 'Final function of morans_i_rate (neighbour-list forms)';

CREATE AGGREGATE morans_i_rate(events float8, population float8, geom geometry, options text) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, geometry, text) IS
$$Moran's I of the rate events / population after the empirical Bayes standardisation of Assuncao & Reis (1999), as esda Moran_Rate and GeoDa, with weights from geom.
events must not be negative, population must be positive. Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (morans_i_rate(sid79, bir79, geom)).* FROM nc;$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, geom geometry) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, geometry) IS
$$Moran's I of empirical Bayes standardised rates events / population with queen weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, bigint, bigint[], text) IS
$$Moran's I of empirical Bayes standardised rates with weights from explicit neighbour lists (id, neighbors); options style, missing, permutations, seed, alternative.$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, id bigint, neighbors bigint[]) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, bigint, bigint[]) IS
$$Moran's I of empirical Bayes standardised rates with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE morans_i_rate(events float8, population float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _morans_i_rate_step, STYPE = internal,
  FINALFUNC = _morans_i_rate_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE morans_i_rate(float8, float8, bigint, bigint[], float8[], text) IS
$$Moran's I of empirical Bayes standardised rates with explicit neighbour lists and their weights.$$;

-- local_moran_rate: window function

CREATE FUNCTION local_moran_rate(events float8, population float8, geom geometry, options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_rate_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_rate(float8, float8, geometry, text) IS
$$Local Moran I_i of empirical Bayes standardised rates events / population (Assuncao & Reis 1999; esda Moran_Local_Rate) per row, with weights from geom.
Options as local_moran. Example: SELECT id, (local_moran_rate(sid79, bir79, geom) OVER ()).cluster FROM nc;$$;

CREATE FUNCTION local_moran_rate(events float8, population float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_rate_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_rate(float8, float8, bigint, bigint[], text) IS
$$Local Moran I_i of empirical Bayes standardised rates per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_moran_rate(events float8, population float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_moran_rate_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_moran_rate(float8, float8, bigint, bigint[], float8[], text) IS
$$Local Moran I_i of empirical Bayes standardised rates per row with explicit neighbour lists and weights.$$;

-- differential_moran: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _differential_moran_step(internal, float8, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, geometry, text) IS 'Transition function of differential_moran (geometry form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, geometry) IS 'Transition function of differential_moran (geometry form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], text) IS 'Transition function of differential_moran (neighbour-list form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[]) IS 'Transition function of differential_moran (neighbour-list form): collects the rows';
CREATE FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_differential_moran_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _differential_moran_step(internal, float8, float8, bigint, bigint[], float8[], text) IS 'Transition function of differential_moran (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _differential_moran_final_geom(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_differential_moran_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _differential_moran_final_geom(internal) IS 'Final function of differential_moran (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _differential_moran_final(internal) RETURNS morans_i_result
AS 'MODULE_PATHNAME', 'cb_differential_moran_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _differential_moran_final(internal) IS 'Final function of differential_moran (neighbour-list forms)';

CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, geom geometry, options text) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, geometry, text) IS
$$Differential Moran's I (GeoDa): Moran's I of the change value_t1 - value_t0 between two years, with weights from geom ("did emission growth cluster?").
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (differential_moran(ce_2010, ce_2020, geom)).* FROM county;$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, geom geometry) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, geometry) IS
$$Differential Moran's I of value_t1 - value_t0 with queen weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, bigint, bigint[], text) IS
$$Differential Moran's I with weights from explicit neighbour lists (id, neighbors); options style, missing, permutations, seed, alternative.$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[]) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, bigint, bigint[]) IS
$$Differential Moran's I with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _differential_moran_step, STYPE = internal,
  FINALFUNC = _differential_moran_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE differential_moran(float8, float8, bigint, bigint[], float8[], text) IS
$$Differential Moran's I with explicit neighbour lists and their weights.$$;

-- local_differential_moran: window function

CREATE FUNCTION local_differential_moran(value_t0 float8, value_t1 float8, geom geometry, options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_differential_moran_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_differential_moran(float8, float8, geometry, text) IS
$$Local Moran I_i of the change value_t1 - value_t0 per row (GeoDa's differential LISA), with weights from geom; quadrant HH: a unit that grew more than the mean among neighbours that did.
Options as local_moran. Example: SELECT id, (local_differential_moran(ce_2010, ce_2020, geom) OVER ()).cluster FROM county;$$;

CREATE FUNCTION local_differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_differential_moran_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_differential_moran(float8, float8, bigint, bigint[], text) IS
$$Local Moran I_i of the change value_t1 - value_t0 per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_differential_moran(value_t0 float8, value_t1 float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_moran_result
AS 'MODULE_PATHNAME', 'cb_local_differential_moran_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_differential_moran(float8, float8, bigint, bigint[], float8[], text) IS
$$Local Moran I_i of the change value_t1 - value_t0 per row with explicit neighbour lists and weights.$$;

-- Geary's C, global and local (SPEC section 4; Geary 1954, Anselin 2019).

CREATE TYPE gearys_c_result AS (
  c             float8,  -- Geary's C
  expected      float8,  -- E(C) = 1
  variance_norm float8,  -- Var(C) under normality
  z_norm        float8,  -- (E(C) - C) / sd: positive for positive autocorrelation
  p_norm        float8,
  variance_rand float8,  -- Var(C) under randomisation
  z_rand        float8,
  p_rand        float8,
  p_sim         float8,  -- pseudo p-value (M+1)/(R+1) of the permutations
  permutations  integer,
  n             integer, -- units used (rows with non-NULL value and geometry or id)
  islands       integer  -- units without neighbours
);
COMMENT ON TYPE gearys_c_result IS 'Geary''s C with moments under normality and randomisation (Cliff & Ord; R spdep geary.test) and a permutation pseudo p-value';

CREATE TYPE local_geary_result AS (
  c        float8,  -- local Geary c_i = sum_j w_ij (z_i - z_j)^2, z standardised with the sample sd
  expected float8,  -- E(c_i) under conditional permutation
  p_sim    float8,  -- conditional permutation pseudo p-value, on the side of E(c_i) that c_i lies
  quadrant text,    -- HH, LL, LH or HL from the signs of z_i and its lag
  cluster  text     -- GeoDa: HH, LL, other positive, negative, or not significant
);
COMMENT ON TYPE local_geary_result IS 'Local Geary per unit: c_i, its expectation, the pseudo p-value, quadrant and GeoDa''s cluster category';

-- gearys_c: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _gearys_c_step(internal, float8, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, geometry, text) IS 'Transition function of gearys_c (geometry form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, geometry) IS 'Transition function of gearys_c (geometry form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], text) IS 'Transition function of gearys_c (neighbour-list form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, bigint, bigint[]) IS 'Transition function of gearys_c (neighbour-list form): collects the rows';
CREATE FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gearys_c_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gearys_c_step(internal, float8, bigint, bigint[], float8[], text) IS 'Transition function of gearys_c (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _gearys_c_final_geom(internal) RETURNS gearys_c_result
AS 'MODULE_PATHNAME', 'cb_gearys_c_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _gearys_c_final_geom(internal) IS 'Final function of gearys_c (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _gearys_c_final(internal) RETURNS gearys_c_result
AS 'MODULE_PATHNAME', 'cb_gearys_c_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _gearys_c_final(internal) IS 'Final function of gearys_c (neighbour-list forms)';

CREATE AGGREGATE gearys_c(value float8, geom geometry, options text) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, geometry, text) IS
$$Geary's C of value (Geary 1954; spdep geary.test, esda Geary) with spatial weights from geom: C below 1 for positive, above 1 for negative autocorrelation.
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (gearys_c(crime, geom, 'weights=rook')).* FROM columbus;$$;
CREATE AGGREGATE gearys_c(value float8, geom geometry) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, geometry) IS
$$Geary's C of value with queen contiguity weights from geom, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE gearys_c(value float8, id bigint, neighbors bigint[], options text) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, bigint, bigint[], text) IS
$$Geary's C with weights from explicit neighbour lists (id, neighbors); options style=W|B, missing=error|drop, permutations, seed, alternative.$$;
CREATE AGGREGATE gearys_c(value float8, id bigint, neighbors bigint[]) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, bigint, bigint[]) IS
$$Geary's C with weights from explicit neighbour lists, row-standardised, 999 permutations (seed 12345).$$;
CREATE AGGREGATE gearys_c(value float8, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _gearys_c_step, STYPE = internal,
  FINALFUNC = _gearys_c_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE gearys_c(float8, bigint, bigint[], float8[], text) IS
$$Geary's C with explicit neighbour lists and their weights (weights[k] belongs to neighbors[k]); style=B keeps them as given.$$;

-- local_geary: window function

CREATE FUNCTION local_geary(value float8, geom geometry, options text DEFAULT '')
RETURNS local_geary_result
AS 'MODULE_PATHNAME', 'cb_local_geary_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_geary(float8, geometry, text) IS
$$Local Geary c_i (Anselin 2019; esda Geary_Local, spdep localC, GeoDa) per row over the window partition, with weights from geom.
Options: weights options (see spatial_weights); permutations=999, seed=12345 (conditional permutation); alpha=0.05 and fdr=false for the cluster rule (p_sim <= alpha).
Example: SELECT id, (local_geary(crime, geom) OVER ()).cluster FROM columbus;$$;

CREATE FUNCTION local_geary(value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_geary_result
AS 'MODULE_PATHNAME', 'cb_local_geary_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_geary(float8, bigint, bigint[], text) IS
$$Local Geary c_i per row with weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_geary(value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_geary_result
AS 'MODULE_PATHNAME', 'cb_local_geary_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_geary(float8, bigint, bigint[], float8[], text) IS
$$Local Geary c_i per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;

-- Join counts of binary maps, global and local (SPEC section 4; Cliff & Ord 1981, Anselin & Li 2019).

CREATE TYPE join_counts_result AS (
  bb            float8,  -- joins between two true (black) units
  bw            float8,  -- joins between a true and a false unit
  ww            float8,  -- joins between two false (white) units
  joins         float8,  -- all joins, S0 / 2
  expected_bb   float8,  -- moments under non-free sampling (spdep joincount.multi)
  variance_bb   float8,
  z_bb          float8,
  p_bb          float8,
  expected_bw   float8,
  variance_bw   float8,
  z_bw          float8,
  p_bw          float8,
  expected_ww   float8,
  variance_ww   float8,
  z_ww          float8,
  p_ww          float8,
  p_sim_bb      float8,  -- pseudo p-values (M+1)/(R+1) of the permutations
  p_sim_bw      float8,
  p_sim_ww      float8,
  permutations  integer,
  n             integer, -- units used
  n_true        integer, -- units where binary is true
  islands       integer  -- units without neighbours
);
COMMENT ON TYPE join_counts_result IS 'Join counts BB, BW and WW of a binary map with their moments under non-free sampling (spdep joincount.multi) and permutation pseudo p-values (esda Join_Counts)';

CREATE TYPE local_join_count_result AS (
  bb       float8,  -- BB_i = x_i sum_j w_ij x_j: true neighbours of a true unit
  expected float8,  -- E(BB_i) under conditional permutation
  p_sim    float8,  -- conditional permutation pseudo p-value; NULL where BB_i = 0
  cluster  text     -- BB where p_sim <= alpha, else not significant
);
COMMENT ON TYPE local_join_count_result IS 'Local join count per unit (Anselin & Li 2019; esda Join_Counts_Local): BB_i, its expectation and pseudo p-value';

-- join_counts: aggregate over geometries or explicit neighbour lists
CREATE FUNCTION _join_counts_step(internal, boolean, geometry, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, geometry, text) IS 'Transition function of join_counts (geometry form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, geometry) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, geometry) IS 'Transition function of join_counts (geometry form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], text) IS 'Transition function of join_counts (neighbour-list form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, bigint, bigint[]) IS 'Transition function of join_counts (neighbour-list form): collects the rows';
CREATE FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_join_counts_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _join_counts_step(internal, boolean, bigint, bigint[], float8[], text) IS 'Transition function of join_counts (weighted neighbour-list form): collects the rows';
CREATE FUNCTION _join_counts_final_geom(internal) RETURNS join_counts_result
AS 'MODULE_PATHNAME', 'cb_join_counts_final' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _join_counts_final_geom(internal) IS 'Final function of join_counts (geometry form): builds weights (reading spatial_ref_sys for geographic SRIDs) and computes the statistic';
CREATE FUNCTION _join_counts_final(internal) RETURNS join_counts_result
AS 'MODULE_PATHNAME', 'cb_join_counts_final' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _join_counts_final(internal) IS 'Final function of join_counts (neighbour-list forms)';

CREATE AGGREGATE join_counts(binary boolean, geom geometry, options text) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, geometry, text) IS
$$Join counts BB, BW and WW of a binary map (Cliff & Ord 1981; spdep joincount.multi, esda Join_Counts) with weights from geom, binary unless style=W.
Options: weights, k, threshold, power, style, snap, validate (see spatial_weights); permutations=999, seed=12345, alternative=two.sided|greater|less.
Example: SELECT (join_counts(surplus, geom)).* FROM county;$$;
CREATE AGGREGATE join_counts(binary boolean, geom geometry) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final_geom, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, geometry) IS
$$Join counts of a binary map with binary queen contiguity weights from geom, 999 permutations (seed 12345).$$;
CREATE AGGREGATE join_counts(binary boolean, id bigint, neighbors bigint[], options text) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, bigint, bigint[], text) IS
$$Join counts with weights from explicit neighbour lists (id, neighbors); options style=B|W, missing=error|drop, permutations, seed, alternative.$$;
CREATE AGGREGATE join_counts(binary boolean, id bigint, neighbors bigint[]) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, bigint, bigint[]) IS
$$Join counts with binary weights from explicit neighbour lists, 999 permutations (seed 12345).$$;
CREATE AGGREGATE join_counts(binary boolean, id bigint, neighbors bigint[], weights float8[], options text) (
  SFUNC = _join_counts_step, STYPE = internal,
  FINALFUNC = _join_counts_final, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);
COMMENT ON AGGREGATE join_counts(boolean, bigint, bigint[], float8[], text) IS
$$Join counts with explicit neighbour lists and their weights (weights[k] belongs to neighbors[k]), kept as given unless style=W.$$;

-- local_join_count: window function

CREATE FUNCTION local_join_count(binary boolean, geom geometry, options text DEFAULT '')
RETURNS local_join_count_result
AS 'MODULE_PATHNAME', 'cb_local_join_count_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_join_count(boolean, geometry, text) IS
$$Local join count BB_i (Anselin & Li 2019; esda Join_Counts_Local, spdep local_joincount_uni) per row over the window partition, with binary weights from geom.
Options: weights options (see spatial_weights); permutations=999, seed=12345 (conditional permutation); alpha=0.05, fdr=false.
Example: SELECT id, (local_join_count(surplus, geom) OVER ()).* FROM county;$$;

CREATE FUNCTION local_join_count(binary boolean, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS local_join_count_result
AS 'MODULE_PATHNAME', 'cb_local_join_count_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_join_count(boolean, bigint, bigint[], text) IS
$$Local join count BB_i per row with binary weights from explicit neighbour lists (id, neighbors).$$;

CREATE FUNCTION local_join_count(binary boolean, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS local_join_count_result
AS 'MODULE_PATHNAME', 'cb_local_join_count_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION local_join_count(boolean, bigint, bigint[], float8[], text) IS
$$Local join count BB_i per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;

-- The spatial lag W x per row (SPEC section 4).

CREATE FUNCTION spatial_lag(value float8, geom geometry, options text DEFAULT '')
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spatial_lag_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION spatial_lag(float8, geometry, text) IS
$$Spatial lag sum_j w_ij x_j of value per row over the window partition, with the weights the options build from geom (row-standardised: the neighbours' mean); islands 0.
Options: weights options (see spatial_weights). Example: SELECT id, crime, spatial_lag(crime, geom) OVER () FROM columbus;$$;

CREATE FUNCTION spatial_lag(value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spatial_lag_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION spatial_lag(float8, bigint, bigint[], text) IS
$$Spatial lag of value per row with weights from explicit neighbour lists (id, neighbors); options style, missing.$$;

CREATE FUNCTION spatial_lag(value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spatial_lag_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION spatial_lag(float8, bigint, bigint[], float8[], text) IS
$$Spatial lag of value per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;

-- gwr_fit: option hat_probes (MGWR hat-matrix estimates from random probe columns)
COMMENT ON FUNCTION gwr_fit(float8, float8[], geometry, text) IS
$$Geographically weighted regression of y on the covariates x (an intercept is added) over the window partition, located at the centroids of geom (projected SRID; distances in SRID units), as PySAL mgwr (paper 004).
Options: kernel=bisquare|gaussian|exponential (default bisquare); fixed=false (adaptive: bandwidth counts nearest neighbours including the point itself) or true (distance);
bandwidth=auto (default: mgwr Sel_BW golden-section search) or a number; criterion=aicc|aic|cv (default aicc);
multiscale=false, or true for MGWR (backfitting, a bandwidth per term) with tol=1e-5 and max_iter=200;
hat_probes=0 (exact MGWR hat matrix) or N >= 16 (ENP, AICc and standard errors estimated from N random probe columns, influence NULL; for large n).
Rows with NULL y, x or geom are skipped (result NULL). Errors for NULL or NaN inside x, x of different lengths, too few rows, constant or collinear covariates, a bandwidth too small for a non-singular local fit.
Example: SELECT id, (gwr_fit(y, ARRAY[x1, x2], geom) OVER ()).* FROM county;$$;

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
