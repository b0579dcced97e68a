-- Scale-out on Citus (SPEC section 13).

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
