-- Carbon accounting (SPEC section 7, papers 001-003): land-use budgets, the
-- emission and sequestration inventory of paper 003 and its indices.
-- Masses are t C per year; unit => 't CO2' converts with 44/12.

-- Finite input (SPEC section 10): NaN and infinities are rejected with the
-- argument named, as the aggregates do; a finite result that overflows is the
-- float8 operators' error (22003), never a silent Infinity.  The scalar
-- formulas stay LANGUAGE sql and call this check on each argument.
CREATE FUNCTION _check_finite(func text, arg text, v float8) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF NOT (v > '-Infinity'::float8 AND v < 'Infinity'::float8) THEN
    RAISE EXCEPTION '%: % must be finite', func, arg
      USING ERRCODE = 'invalid_parameter_value', DETAIL = format('%s = %s.', arg, v);
  END IF;
  RETURN v;
END $$;
COMMENT ON FUNCTION _check_finite(text, text, float8) IS 'Internal: v itself, or an error naming arg when v is NaN or infinite';

CREATE FUNCTION c_to_co2(t_c float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('c_to_co2', 't_c', t_c) * 44.0::float8 / 12.0::float8 $$;
COMMENT ON FUNCTION c_to_co2(float8) IS 'Converts a carbon mass to the CO2 mass holding it (x 44/12): t C -> t CO2. Example: SELECT c_to_co2(12);  -- 44';
CREATE FUNCTION co2_to_c(t_co2 float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('co2_to_c', 't_co2', t_co2) * 12.0::float8 / 44.0::float8 $$;
COMMENT ON FUNCTION co2_to_c(float8) IS 'Converts a CO2 mass to its carbon mass (x 12/44): t CO2 -> t C. Example: SELECT co2_to_c(44);  -- 12';

-- unit argument of the inventory functions: factor applied to t C
CREATE FUNCTION _mass_unit_factor(func text, unit text) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  CASE lower(replace(coalesce(unit, ''), ' ', ''))
    WHEN 'tc' THEN RETURN 1.0;
    WHEN 'tco2' THEN RETURN 44.0 / 12.0;
    ELSE RAISE EXCEPTION '%: unit must be ''t C'' or ''t CO2''', func
      USING ERRCODE = 'invalid_parameter_value', DETAIL = format('unit = %L.', unit);
  END CASE;
END $$;
COMMENT ON FUNCTION _mass_unit_factor(text, text) IS 'Internal: factor from t C to the requested mass unit (t C or t CO2)';

CREATE FUNCTION _check_amount(func text, arg text, v float8) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF v IS NULL THEN RETURN; END IF;
  PERFORM carbonbudget._check_finite(func, arg, v);
  IF v < 0 THEN
    RAISE EXCEPTION '%: % must be non-negative', func, arg
      USING ERRCODE = 'invalid_parameter_value', DETAIL = format('%s = %s.', arg, v);
  END IF;
END $$;
COMMENT ON FUNCTION _check_amount(text, text, float8) IS 'Internal: rejects NaN, infinite and negative amounts with the argument named';

-- Land class and zone vocabulary (case-insensitive); returns the lower-case key.
CREATE FUNCTION _land_class(func text, land_class text) RETURNS text
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
COMMENT ON FUNCTION _land_class(text, text) IS 'Internal: checks a land class against the vocabulary of SPEC section 7';

CREATE FUNCTION _zone(func text, zone text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
DECLARE k text := lower(btrim(zone));
BEGIN
  IF k IS NULL THEN RETURN NULL; END IF;
  IF k NOT IN ('north', 'east', 'northeast', 'central_south', 'southwest', 'northwest') THEN
    RAISE EXCEPTION '%: unknown zone "%"', func, zone USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Use north, east, northeast, central_south, southwest or northwest (regions of paper 002).';
  END IF;
  RETURN k;
END $$;
COMMENT ON FUNCTION _zone(text, text) IS 'Internal: checks a zone against the regions of paper 002';

-- Scheme argument of the table-driven functions: the lower-case key; NULL is an error.
CREATE FUNCTION _scheme(func text, scheme text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF scheme IS NULL THEN
    RAISE EXCEPTION '%: scheme must not be NULL', func USING ERRCODE = 'null_value_not_allowed',
      HINT = 'Omit the argument for the default scheme, or name a scheme of the coefficient tables.';
  END IF;
  RETURN lower(btrim(scheme));
END $$;
COMMENT ON FUNCTION _scheme(text, text) IS 'Internal: the lower-case scheme key; NULL is an error naming the scheme argument';

-- Signed coefficient (t C/hm2/yr) of a class in a scheme and zone; 0 for a class the scheme does not count.
CREATE FUNCTION _landuse_coefficient(func text, land_class text, zone text, scheme text)
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
COMMENT ON FUNCTION _landuse_coefficient(text, text, text, text) IS 'Internal: landuse_coefficient_of with the calling function named in errors';

CREATE FUNCTION landuse_coefficient_of(land_class text, zone text DEFAULT NULL, scheme text DEFAULT 'liu')
RETURNS float8 LANGUAGE sql SET search_path FROM CURRENT STABLE PARALLEL SAFE
AS $$ SELECT carbonbudget._landuse_coefficient('landuse_coefficient_of', land_class, zone, scheme) $$;
COMMENT ON FUNCTION landuse_coefficient_of(text, text, text) IS
$$Signed land-use coefficient s_i in t C/hm2/yr (+ emission, - sequestration) of a land class in a scheme and zone,
from table landuse_coefficient; 0 for a class the scheme does not count. Example: SELECT landuse_coefficient_of('construction', 'east');  -- 65.3$$;

CREATE FUNCTION carbon_budget(land_class text, area_hm2 float8, zone text DEFAULT NULL, scheme text DEFAULT 'liu')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
BEGIN
  IF land_class IS NULL OR area_hm2 IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('carbon_budget', 'area_hm2', area_hm2);
  RETURN area_hm2 * carbonbudget._landuse_coefficient('carbon_budget', land_class, zone, scheme);
END $$;
COMMENT ON FUNCTION carbon_budget(text, float8, text, text) IS
$$Land-use carbon budget e_i = s_i * area_i of paper 002 eq.1, t C/yr: positive = emission, negative = sequestration
(sum over classes with sum() for Ce). area_hm2 in hm2 (>= 0); zone required for construction land in scheme liu.
Example: SELECT carbon_budget('construction', 100, 'east');  -- 6530 t C/yr$$;

-- ---- inventory of paper 003 (Table 2 eqs.1-5) and paper 001 eq.1 ----

CREATE FUNCTION energy_emissions(fuel text, consumption float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
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
COMMENT ON FUNCTION energy_emissions(text, float8, text, text) IS
$$Fossil energy emissions of paper 003 eq.2: E * M * theta from table energy_factor (standard coal and carbon coefficients of Table 3),
consumption in the fuel's consumption_unit; result in t C (unit => 't CO2' for t CO2).
Example: SELECT energy_emissions('raw_coal', 1000);  -- 1000 * 0.7143 * 0.7260 = 518.58 t C$$;

CREATE FUNCTION energy_emissions_ipcc(consumption float8, ncv float8, cef float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('energy_emissions_ipcc', 'consumption', consumption)
             * carbonbudget._check_finite('energy_emissions_ipcc', 'ncv', ncv)
             * carbonbudget._check_finite('energy_emissions_ipcc', 'cef', cef) $$;
COMMENT ON FUNCTION energy_emissions_ipcc(float8, float8, float8) IS
$$IPCC (2006) tier 1 emissions of paper 001 eq.1 for one fuel: E * NCV * CEF. With E in t, NCV in TJ/t and CEF in t CO2/TJ the
result is t CO2 (sum over fuels with sum()). Example: SELECT energy_emissions_ipcc(1000, 0.020908, 98.3);  -- t CO2$$;

CREATE FUNCTION agriculture_emissions(fertilizer_t float8, pesticide_t float8, film_t float8, irrigation_hm2 float8,
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
COMMENT ON FUNCTION agriculture_emissions(float8, float8, float8, float8, float8, float8, text, text) IS
$$Cropland emissions of paper 003 eq.1: alpha Fe + beta Pe + gamma Pf + delta Ir + epsilon Co + zeta Mp with the factors of table
agriculture_factor (fertiliser t, pesticide t, film t, irrigated area hm2, crop area hm2, machinery power kW); t C (unit => 't CO2').
Example: SELECT agriculture_emissions(100, 5, 2, 1000, 1000, 50000);$$;

CREATE FUNCTION livestock_emissions(species text, head float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
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
COMMENT ON FUNCTION livestock_emissions(text, float8, text, text) IS
$$Livestock emissions of paper 003 eq.3: Num * (eta + lambda + mu) (breathing, enteric fermentation, manure management)
from table livestock_factor; head = number of animals; t C/yr (unit => 't CO2').
Example: SELECT livestock_emissions('cattle', 100);  -- 79.8 t C$$;

CREATE FUNCTION breathing_emissions(population float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
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
COMMENT ON FUNCTION breathing_emissions(float8, text, text) IS
$$Human breathing emissions of paper 003 eq.2: b * P, b from table breathing_factor (0.079 t C per person and year);
t C/yr (unit => 't CO2'). Example: SELECT breathing_emissions(10000);  -- 790 t C$$;

CREATE FUNCTION crop_sequestration(yield_t float8, water_content float8, economic_coefficient float8,
                                   carbon_fraction float8, unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF yield_t IS NULL OR water_content IS NULL OR economic_coefficient IS NULL OR carbon_fraction IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM carbonbudget._check_amount('crop_sequestration', 'yield_t', yield_t);
  IF NOT (water_content >= 0 AND water_content < 1) THEN
    RAISE EXCEPTION 'crop_sequestration: water_content must be in [0, 1)' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT (economic_coefficient > 0 AND economic_coefficient <= 1) THEN
    RAISE EXCEPTION 'crop_sequestration: economic_coefficient must be in (0, 1]' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT (carbon_fraction > 0 AND carbon_fraction <= 1) THEN
    RAISE EXCEPTION 'crop_sequestration: carbon_fraction must be in (0, 1]' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN yield_t * (1 - water_content) / economic_coefficient * carbon_fraction
         * carbonbudget._mass_unit_factor('crop_sequestration', unit);
END $$;
COMMENT ON FUNCTION crop_sequestration(float8, float8, float8, float8, text) IS
$$Crop carbon sequestration of paper 003 eq.4: Y (1 - Pw) / rho * V for one crop: economic yield Y (t), water content Pw,
economic coefficient rho, carbon fraction V; t C (unit => 't CO2'), a non-negative magnitude.
Example: SELECT crop_sequestration(1000, 0.12, 0.4, 0.45);  -- 990 t C$$;

CREATE FUNCTION land_sequestration(land_class text, area_hm2 float8, scheme text DEFAULT 'huo', unit text DEFAULT 't C')
RETURNS float8 LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE c float8;
BEGIN
  IF land_class IS NULL OR area_hm2 IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('land_sequestration', 'area_hm2', area_hm2);
  c := carbonbudget._landuse_coefficient('land_sequestration', land_class, NULL, scheme);
  RETURN CASE WHEN c < 0 THEN -c * area_hm2 * carbonbudget._mass_unit_factor('land_sequestration', unit) ELSE 0 END;
END $$;
COMMENT ON FUNCTION land_sequestration(text, float8, text, text) IS
$$Land carbon sequestration of paper 003 eq.5: S_i * xi_i (shrubland 3.98, forest 5.77, grassland 0.021, water 0.298 t C/hm2 in scheme huo),
a non-negative magnitude in t C/yr (unit => 't CO2'); 0 for classes that are not sinks.
Example: SELECT land_sequestration('forest', 100);  -- 577 t C$$;

-- ---- indices of paper 003 (eqs.6-11) ----

CREATE FUNCTION nce(ce float8, cs float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('nce', 'ce', ce) - carbonbudget._check_finite('nce', 'cs', cs) $$;
COMMENT ON FUNCTION nce(float8, float8) IS
$$Net carbon emission NCE = CE - CS (paper 003 eq.6), in the unit of its inputs (e.g. t C/yr). Example: SELECT nce(120, 100);  -- 20$$;

CREATE FUNCTION _footprint_factor(func text, shares float8[], scheme text) RETURNS float8
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
COMMENT ON FUNCTION _footprint_factor(text, float8[], text) IS 'Internal: sum_k P_k / NEP_k of paper 003 eqs.9-10 (hm2 per t C)';

CREATE FUNCTION carbon_footprint(ce float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('carbon_footprint', 'ce', ce) * carbonbudget._footprint_factor('carbon_footprint', shares, scheme) $$;
COMMENT ON FUNCTION carbon_footprint(float8, float8[], text) IS
$$Carbon footprint Cf = CE * sum_k P_k / NEP_k (paper 003 eq.9), hm2: CE in t C/yr, shares P_k the proportions of CS from
cropland, shrubland, forest and grassland (in that order), NEP_k from table footprint_nep (t C/hm2/yr).
Example: SELECT carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;

CREATE FUNCTION ecological_capacity(cs float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('ecological_capacity', 'cs', cs) * carbonbudget._footprint_factor('ecological_capacity', shares, scheme) $$;
COMMENT ON FUNCTION ecological_capacity(float8, float8[], text) IS
$$Ecological carrying capacity Ec = CS * sum_k P_k / NEP_k (paper 003 eq.10), hm2; CS in t C/yr, shares as carbon_footprint.
Example: SELECT ecological_capacity(800, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;

CREATE FUNCTION ecological_deficit(ce float8, cs float8, shares float8[], scheme text DEFAULT 'huo') RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT STABLE STRICT PARALLEL SAFE AS $$
  SELECT (carbonbudget._check_finite('ecological_deficit', 'ce', ce) - carbonbudget._check_finite('ecological_deficit', 'cs', cs))
         * carbonbudget._footprint_factor('ecological_deficit', shares, scheme) $$;
COMMENT ON FUNCTION ecological_deficit(float8, float8, float8[], text) IS
$$Ecological deficit Ed = Cf - Ec (paper 003 eq.11), hm2: positive when emissions need more productive land than the region offers.
Example: SELECT ecological_deficit(1000, 800, ARRAY[0.1, 0.2, 0.6, 0.1]);$$;

CREATE FUNCTION ecs(nep float8, rcs float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('ecs', 'nep', nep) + carbonbudget._check_finite('ecs', 'rcs', rcs) $$;
COMMENT ON FUNCTION ecs(float8, float8) IS 'Ecosystem carbon sink ECS = NEP + RCS (paper 001), in the unit of its inputs. Example: SELECT ecs(150, 10);';
CREATE FUNCTION cnc(ecs float8, ce float8) RETURNS float8
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT carbonbudget._check_finite('cnc', 'ecs', ecs) - carbonbudget._check_finite('cnc', 'ce', ce) $$;
COMMENT ON FUNCTION cnc(float8, float8) IS 'Carbon neutral capacity CNC = ECS - CE (paper 001): > 0 surplus, < 0 deficit; unit of its inputs. Example: SELECT cnc(160, 200);  -- -40';

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

CREATE FUNCTION ecc(gdp float8, ce float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_ecc_window' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION ecc(float8, float8) IS
$$Economy contributive coefficient (paper 003 eq.7), window function over the study area: ECC_i = (G_i / sum G) / (CE_i / sum CE).
> 1: the unit's share of GDP exceeds its share of emissions. Rows with NULL are left out and get NULL; CE_i = 0 gives NULL.
Example: SELECT county, ecc(gdp, ce) OVER () FROM county;$$;

CREATE FUNCTION esc(cs float8, ce float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_esc_window' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION esc(float8, float8) IS
$$Ecological support coefficient (paper 003 eq.8), window function over the study area: ESC_i = (CS_i / sum CS) / (CE_i / sum CE).
> 1: the unit's share of sequestration exceeds its share of emissions. Example: SELECT county, esc(cs, ce) OVER (PARTITION BY year) FROM county;$$;

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

-- ---- zonal land-use budget over land-cover rasters (paper 002 eq.1) ----

CREATE TYPE carbon_budget_result AS (
  land_class      text[],    -- land classes present in the region (vocabulary order)
  area_hm2        float8[],  -- area per class, hm2
  budget          float8[],  -- budget per class, t C/yr (+ emission, - sequestration)
  emission        float8,    -- sum of positive budgets, t C/yr
  sequestration   float8,    -- magnitude of the negative budgets, t C/yr
  net             float8,    -- emission - sequestration, t C/yr
  unclassified_hm2 float8,   -- area of pixels whose code has no row in landcover_code
  nodata_hm2      float8     -- area of nodata pixels inside the region
);
COMMENT ON TYPE carbon_budget_result IS 'Zonal land-use carbon budget: per-class areas (hm2) and budgets, emission, sequestration and net (t C/yr)';

CREATE FUNCTION carbon_budget(landuse raster, region geometry, options text DEFAULT '')
RETURNS carbon_budget_result
AS 'MODULE_PATHNAME', 'cb_carbon_budget_raster' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION carbon_budget(raster, geometry, text) IS
$$Land-use carbon budget of one land-cover tile inside a region polygon (paper 002 eq.1), t C/yr; use carbon_budget_agg over many tiles.
Options: scheme=liu (table landuse_coefficient), zone= (north, east, northeast, central_south, southwest, northwest; needed for construction land in liu),
landcover=clcd (table landcover_code), coverage=centre (pixel counted when its centre is inside) | exact (pixel weighted by the
fraction of its area inside, as exactextract), band=1.
Pixel area: |det of the georeference| in m2 for projected SRIDs (metre units), ellipsoidal WGS 84 area for geographic SRIDs.
Example: SELECT (carbon_budget(rast, geom, 'zone=east coverage=exact')).* FROM landcover, county WHERE ST_Intersects(rast, geom);$$;

CREATE FUNCTION _carbon_budget_step(bytea, raster, geometry, text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_carbon_budget_step' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _carbon_budget_step(bytea, raster, geometry, text) IS 'Transition function of carbon_budget_agg: m2 per land-cover code inside the region';
CREATE FUNCTION _carbon_budget_step(bytea, raster, geometry) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_carbon_budget_step' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _carbon_budget_step(bytea, raster, geometry) IS 'Transition function of carbon_budget_agg (default options)';
CREATE FUNCTION _carbon_budget_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_carbon_budget_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _carbon_budget_combine(bytea, bytea) IS 'Combine function of carbon_budget_agg: adds areas per code';
CREATE FUNCTION _carbon_budget_final(bytea) RETURNS carbon_budget_result
AS 'MODULE_PATHNAME', 'cb_carbon_budget_final' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION _carbon_budget_final(bytea) IS 'Final function of carbon_budget_agg: codes to classes to budgets (reads the coefficient tables)';

CREATE AGGREGATE carbon_budget_agg(landuse raster, region geometry, options text) (
  SFUNC = _carbon_budget_step, STYPE = bytea, COMBINEFUNC = _carbon_budget_combine,
  FINALFUNC = _carbon_budget_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE carbon_budget_agg(raster, geometry, text) IS
$$Land-use carbon budget of a region over all its land-cover tiles (paper 002 eq.1): per-class area (hm2) and budget, emission,
sequestration and net (t C/yr). Options as carbon_budget(raster, geometry, text); the same in every row. Parallel safe (combine function).
Example: SELECT c.id, (carbon_budget_agg(l.rast, c.geom, 'zone=east')).* FROM county c JOIN landcover l ON ST_Intersects(l.rast, c.geom) GROUP BY c.id;$$;
CREATE AGGREGATE carbon_budget_agg(landuse raster, region geometry) (
  SFUNC = _carbon_budget_step, STYPE = bytea, COMBINEFUNC = _carbon_budget_combine,
  FINALFUNC = _carbon_budget_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE carbon_budget_agg(raster, geometry) IS
$$Land-use carbon budget of a region over its land-cover tiles with scheme liu, CLCD codes and the centre rule (no zone: construction land is then an error).
Example: SELECT (carbon_budget_agg(rast, geom)).net FROM landcover, county WHERE ST_Intersects(rast, geom);$$;

-- ---- downscaling of a region total onto a weight raster (paper 004 eq.1) ----

CREATE FUNCTION downscale_weight(weight raster, region geometry, options text DEFAULT '') RETURNS float8
AS 'MODULE_PATHNAME', 'cb_downscale_weight' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION downscale_weight(raster, geometry, text) IS
$$Sum of the weight (night light, population) of one tile inside the region, DN_c of paper 004 eq.1 when summed over tiles.
Nodata pixels weigh 0; negative weights are an error. Options: coverage=centre|exact, band=1.
Example: SELECT sum(downscale_weight(rast, geom)) FROM ntl, province WHERE ST_Intersects(rast, geom);$$;

CREATE FUNCTION downscale_raster(weight raster, region geometry, total float8, weight_sum float8, options text DEFAULT '')
RETURNS raster
AS 'MODULE_PATHNAME', 'cb_downscale_raster' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION downscale_raster(raster, geometry, float8, float8, text) IS
$$Downscales a region total onto a weight raster tile (paper 004 eq.1): C_r = DN_r / DN_c * C_c with DN_r the pixel's weight inside the
region (times its coverage) and DN_c = weight_sum = sum(downscale_weight(...)) over all the region's tiles, so the pixels of all tiles
add up to total exactly (up to rounding). Pixels outside the region or nodata are nodata. Same unit as total.
Options: coverage=centre|exact (as in downscale_weight), band=1, pixeltype=64BF|32BF, nodata=-9999.
Example: WITH s AS (SELECT sum(downscale_weight(rast, geom)) dn FROM ntl, prov WHERE ST_Intersects(rast, geom))
SELECT downscale_raster(rast, geom, 1.2e8, s.dn) FROM ntl, prov, s WHERE ST_Intersects(rast, geom);$$;
