-- Coefficient tables of the carbon accounting (SPEC section 7).  Shipped rows
-- cite their paper and cannot be changed; users add schemes (rows of their
-- own, which they may edit), and pg_dump keeps those (pg_extension_config_dump).  Masses are t C unless a row says otherwise.

CREATE TABLE landuse_coefficient (
  scheme      text NOT NULL,
  land_class  text NOT NULL CHECK (land_class IN ('cropland', 'forest', 'shrubland', 'grassland', 'water',
                                                  'wetland', 'construction', 'unused', 'snow_ice')),
  zone        text NOT NULL DEFAULT 'any' CHECK (zone IN ('any', 'north', 'east', 'northeast', 'central_south',
                                                          'southwest', 'northwest')),
  coefficient float8 NOT NULL CHECK (coefficient = coefficient AND abs(coefficient) < 'Infinity'),
  unit        text NOT NULL DEFAULT 't C/hm2/yr',
  source      text NOT NULL,
  PRIMARY KEY (scheme, land_class, zone),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE landuse_coefficient IS
$$Land-use carbon budget coefficients s_i (paper 002 eq.1), t C per hm2 per year: positive = emission, negative = sequestration.
zone 'any' applies in every zone; a zone-specific row (construction land in scheme liu) takes precedence.
Example: SELECT * FROM landuse_coefficient WHERE scheme = 'liu';$$;
COMMENT ON COLUMN landuse_coefficient.zone IS 'Region of paper 002 (north, east, northeast, central_south, southwest, northwest) or any';
COMMENT ON COLUMN landuse_coefficient.coefficient IS 'Signed coefficient in unit (t C/hm2/yr): + emission, - sequestration';

INSERT INTO landuse_coefficient (scheme, land_class, zone, coefficient, source) VALUES
  ('liu', 'cropland', 'any', 0.4970, 'paper 002 (Liu 2022), section 2.2'),
  ('liu', 'construction', 'north', 81.2, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'east', 65.3, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'northeast', 48.8, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'central_south', 46.5, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'southwest', 49.1, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'construction', 'northwest', 33.9, 'paper 002, Ministry of Natural Resources regional value'),
  ('liu', 'grassland', 'any', -0.021, 'paper 002, section 2.2'),
  ('liu', 'forest', 'any', -0.581, 'paper 002, section 2.2'),
  ('liu', 'water', 'any', -0.253, 'paper 002, section 2.2'),
  ('liu', 'unused', 'any', -0.005, 'paper 002, section 2.2'),
  ('huo', 'shrubland', 'any', -3.98, 'paper 003 (Huo et al. 2025) Table 2 eq.5'),
  ('huo', 'forest', 'any', -5.77, 'paper 003 Table 2 eq.5'),
  ('huo', 'grassland', 'any', -0.021, 'paper 003 Table 2 eq.5'),
  ('huo', 'water', 'any', -0.298, 'paper 003 Table 2 eq.5');

CREATE TABLE landcover_code (
  scheme     text NOT NULL,
  code       integer NOT NULL,
  land_class text NOT NULL CHECK (land_class IN ('cropland', 'forest', 'shrubland', 'grassland', 'water',
                                                 'wetland', 'construction', 'unused', 'snow_ice')),
  source     text NOT NULL,
  PRIMARY KEY (scheme, code),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE landcover_code IS
$$Raster land-cover codes and their land classes; scheme clcd (China Land Cover Dataset) is the default of carbon_budget(raster, ...).
Codes 0..65535; pixels whose code has no row are reported as unclassified. Scheme clcd_liu maps CLCD onto the six classes of
paper 002 (shrubland with forest, wetland with water, snow/ice and barren as unused) for landuse_coefficient scheme liu.
Example: SELECT * FROM landcover_code WHERE scheme = 'clcd' ORDER BY code;$$;
INSERT INTO landcover_code (scheme, code, land_class, source) VALUES
  ('clcd', 1, 'cropland', 'CLCD (Yang & Huang 2021), SPEC section 7'),
  ('clcd', 2, 'forest', 'CLCD'), ('clcd', 3, 'shrubland', 'CLCD'), ('clcd', 4, 'grassland', 'CLCD'),
  ('clcd', 5, 'water', 'CLCD'), ('clcd', 6, 'snow_ice', 'CLCD'), ('clcd', 7, 'unused', 'CLCD (barren)'),
  ('clcd', 8, 'construction', 'CLCD (impervious)'), ('clcd', 9, 'wetland', 'CLCD');

-- The six land classes of paper 002 from CLCD codes, for scheme liu: shrubland
-- with forest, wetland with water (as paper 002 merged them), snow and ice
-- with unused land (no vegetation; liu has no snow_ice coefficient).
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

CREATE TABLE energy_factor (
  scheme                    text NOT NULL,
  fuel                      text NOT NULL,
  consumption_unit          text NOT NULL,
  standard_coal_coefficient float8 NOT NULL,  -- t standard coal per consumption_unit
  carbon_coefficient        float8 NOT NULL,  -- t C per t standard coal
  unit                      text NOT NULL DEFAULT 't C',
  source                    text NOT NULL,
  PRIMARY KEY (scheme, fuel),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE energy_factor IS
$$Fossil energy factors (paper 003 Table 3, eq.2): C = E * standard_coal_coefficient * carbon_coefficient, in t C,
E the consumption in consumption_unit. Per-volume and per-energy coefficients of the paper (kg standard coal per m3, kWh, MJ)
are stored converted to t standard coal per consumption_unit.
Example: SELECT energy_emissions('raw_coal', 1000);$$;
INSERT INTO energy_factor VALUES
  ('huo', 'raw_coal', 't', 0.7143, 0.7260, 't C', 'paper 003 Table 3'),
  ('huo', 'coke', 't', 0.9714, 0.8550, 't C', 'paper 003 Table 3'),
  ('huo', 'gasoline', 't', 1.4714, 0.5538, 't C', 'paper 003 Table 3'),
  ('huo', 'kerosene', 't', 1.4714, 0.5714, 't C', 'paper 003 Table 3'),
  ('huo', 'diesel', 't', 1.4571, 0.5921, 't C', 'paper 003 Table 3'),
  ('huo', 'fuel_oil', 't', 1.4286, 0.6185, 't C', 'paper 003 Table 3 (combustion oil)'),
  ('huo', 'natural_gas', '1000 m3', 1.2143, 0.4483, 't C', 'paper 003 Table 3 (1.2143 kg standard coal/m3)'),
  ('huo', 'lng', 'm3', 0.0017572, 0.3548, 't C', 'paper 003 Table 3 (1.7572 kg standard coal/m3)'),
  ('huo', 'lpg', 'm3', 0.0017143, 0.5042, 't C', 'paper 003 Table 3 (1.7143 kg standard coal/m3)'),
  ('huo', 'electricity', 'kWh', 0.0001229, 0.7935, 't C', 'paper 003 Table 3 (0.1229 kg standard coal/kWh)'),
  ('huo', 'heat', 'MJ', 0.0000341, 0.2600, 't C', 'paper 003 Table 3 (0.0341 kg standard coal/MJ)');

CREATE TABLE agriculture_factor (
  scheme      text NOT NULL,
  factor      text NOT NULL CHECK (factor IN ('fertilizer', 'pesticide', 'film', 'irrigation', 'crop_cover', 'machinery')),
  coefficient float8 NOT NULL,
  unit        text NOT NULL,
  source      text NOT NULL,
  PRIMARY KEY (scheme, factor),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE agriculture_factor IS
$$Cropland emission coefficients of paper 003 Table 2 eq.1 (alpha..zeta), t C per unit of activity.
Example: SELECT agriculture_emissions(100, 5, 2, 1000, 1000, 50000);$$;
INSERT INTO agriculture_factor VALUES
  ('huo', 'fertilizer', 0.86, 't C/t', 'paper 003 Table 2 eq.1 (alpha)'),
  ('huo', 'pesticide', 4.93, 't C/t', 'paper 003 Table 2 eq.1 (beta)'),
  ('huo', 'film', 5.18e-3, 't C/t', 'paper 003 Table 2 eq.1 (gamma)'),
  ('huo', 'irrigation', 0.266, 't C/hm2', 'paper 003 Table 2 eq.1 (delta)'),
  ('huo', 'crop_cover', 0.02, 't C/hm2', 'paper 003 Table 2 eq.1 (epsilon)'),
  ('huo', 'machinery', 1.81e-4, 't C/kW', 'paper 003 Table 2 eq.1 (zeta)');

CREATE TABLE livestock_factor (
  scheme    text NOT NULL,
  species   text NOT NULL,
  breathing float8 NOT NULL,  -- eta
  enteric   float8 NOT NULL,  -- lambda
  manure    float8 NOT NULL,  -- mu
  unit      text NOT NULL DEFAULT 't C/(head a)',
  source    text NOT NULL,
  PRIMARY KEY (scheme, species),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE livestock_factor IS
$$Livestock emission coefficients of paper 003 Table 2 eq.3 (breathing, enteric fermentation, manure management), t C per head and year.
Example: SELECT livestock_emissions('pig', 1000);$$;
INSERT INTO livestock_factor VALUES
  ('huo', 'pig', 0.08, 0.001, 0.005, 't C/(head a)', 'paper 003 Table 2 eq.3'),
  ('huo', 'cattle', 0.79, 0.005, 0.003, 't C/(head a)', 'paper 003 Table 2 eq.3'),
  ('huo', 'sheep', 0.02, 0.005, 5e-4, 't C/(head a)', 'paper 003 Table 2 eq.3'),
  ('huo', 'chicken', 1e-5, 0.001, 2e-5, 't C/(head a)', 'paper 003 Table 2 eq.3');

CREATE TABLE breathing_factor (
  scheme      text PRIMARY KEY,
  coefficient float8 NOT NULL,
  unit        text NOT NULL DEFAULT 't C/(person a)',
  source      text NOT NULL,
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE breathing_factor IS
$$Human breathing emission coefficient b of paper 003 Table 2 eq.2, t C per person and year.
Example: SELECT breathing_emissions(10000);$$;
INSERT INTO breathing_factor VALUES ('huo', 0.079, 't C/(person a)', 'paper 003 Table 2 eq.2');

CREATE TABLE footprint_nep (
  scheme     text NOT NULL,
  land_class text NOT NULL CHECK (land_class IN ('cropland', 'shrubland', 'forest', 'grassland')),
  nep        float8 NOT NULL CHECK (nep > 0),
  unit       text NOT NULL DEFAULT 't C/hm2/yr',
  source     text NOT NULL,
  PRIMARY KEY (scheme, land_class),
  shipped     boolean NOT NULL DEFAULT false  -- row shipped with the extension (not dumped)
);
COMMENT ON TABLE footprint_nep IS
$$NEP per land class used by the carbon footprint and ecological capacity (paper 003 eqs.9-10), t C per hm2 and year.
Example: SELECT carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;
INSERT INTO footprint_nep VALUES
  ('huo', 'cropland', 4.05, 't C/hm2/yr', 'paper 003 Table 2 eq.9'),
  ('huo', 'shrubland', 2.93, 't C/hm2/yr', 'paper 003 Table 2 eq.9'),
  ('huo', 'forest', 3.81, 't C/hm2/yr', 'paper 003 Table 2 eq.9'),
  ('huo', 'grassland', 0.95, 't C/hm2/yr', 'paper 003 Table 2 eq.9');

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

-- Shipped rows are recreated by CREATE EXTENSION; pg_dump keeps the rows users add.
UPDATE landuse_coefficient SET shipped = true;
UPDATE landcover_code SET shipped = true;
UPDATE energy_factor SET shipped = true;
UPDATE agriculture_factor SET shipped = true;
UPDATE livestock_factor SET shipped = true;
UPDATE breathing_factor SET shipped = true;
UPDATE footprint_nep SET shipped = true;
UPDATE lithology_coefficient SET shipped = true;
SELECT pg_catalog.pg_extension_config_dump('landuse_coefficient', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('landcover_code', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('energy_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('agriculture_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('livestock_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('breathing_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('footprint_nep', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('lithology_coefficient', 'WHERE NOT shipped');

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
UNION ALL SELECT 'footprint_nep', pg_catalog.to_jsonb(t) FROM footprint_nep t WHERE t.shipped
UNION ALL SELECT 'lithology_coefficient', pg_catalog.to_jsonb(t) FROM lithology_coefficient t WHERE t.shipped;
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
                           'livestock_factor', 'breathing_factor', 'footprint_nep', 'lithology_coefficient'] LOOP
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

-- Every role reads the coefficients (the accounting functions query them as the
-- caller); only the owner writes them, and may grant writes (docs/privileges.md).
GRANT SELECT ON landuse_coefficient, landcover_code, energy_factor, agriculture_factor, livestock_factor,
                breathing_factor, footprint_nep, lithology_coefficient TO PUBLIC;
