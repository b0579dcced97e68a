-- Inventory of paper 003 (Table 2 eqs.1-5, Table 3), paper 001 eq.1, and the
-- indices NCE, ECC, ESC, carbon footprint, ecological capacity and deficit
-- (paper 003 eqs.6-11), each against a hand computation.
SET extra_float_digits = 0;

-- energy: E x standard coal coefficient x carbon coefficient (t C), and in t CO2
SELECT ref.close(energy_emissions('raw_coal', 1000), 1000 * 0.7143 * 0.7260) AS raw_coal,
       ref.close(energy_emissions('Natural_Gas', 50), 50 * 1.2143 * 0.4483) AS natural_gas,
       ref.close(energy_emissions('electricity', 1e6), 1e6 * 0.0001229 * 0.7935) AS electricity,
       ref.close(energy_emissions('raw_coal', 1000, unit => 't CO2'), 1000 * 0.7143 * 0.7260 * 44 / 12) AS raw_coal_co2,
       ref.close(energy_emissions_ipcc(1000, 0.020908, 98.3), 1000 * 0.020908 * 98.3) AS ipcc_eq1;

-- agriculture eq.1: 0.86 Fe + 4.93 Pe + 5.18e-3 Pf + 0.266 Ir + 0.02 Co + 1.81e-4 Mp
SELECT ref.close(agriculture_emissions(100, 5, 2, 1000, 1000, 50000),
                 0.86 * 100 + 4.93 * 5 + 5.18e-3 * 2 + 0.266 * 1000 + 0.02 * 1000 + 1.81e-4 * 50000) AS agriculture,
       round(agriculture_emissions(100, 5, 2, 1000, 1000, 50000)::numeric, 5) AS agriculture_t_c,
       agriculture_emissions(100, NULL, 2, 1000, 1000, 50000) IS NULL AS null_input;

-- livestock eq.3, breathing eq.2, crop eq.4, land eq.5
SELECT ref.close(livestock_emissions('cattle', 100), 100 * (0.79 + 0.005 + 0.003)) AS cattle,
       ref.close(livestock_emissions('PIG', 1000), 1000 * (0.08 + 0.001 + 0.005)) AS pig,
       ref.close(livestock_emissions('chicken', 1e5), 1e5 * (1e-5 + 0.001 + 2e-5)) AS chicken,
       ref.close(breathing_emissions(10000), 790) AS breathing,
       ref.close(crop_sequestration(1000, 0.12, 0.4, 0.45), 1000 * 0.88 / 0.4 * 0.45) AS crop,
       ref.close(land_sequestration('forest', 100), 577) AS forest,
       ref.close(land_sequestration('shrubland', 10, unit => 'tCO2'), 39.8 * 44 / 12) AS shrub_co2,
       land_sequestration('cropland', 100) AS cropland_not_a_sink;

-- NCE, footprint, capacity, deficit: shares (0.1, 0.2, 0.6, 0.1) over NEP (4.05, 2.93, 3.81, 0.95)
SELECT nce(120, 100) AS nce,
       ref.close(carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1]), 1000 * (0.1 / 4.05 + 0.2 / 2.93 + 0.6 / 3.81 + 0.1 / 0.95)) AS footprint,
       ref.close(ecological_capacity(800, ARRAY[0.1, 0.2, 0.6, 0.1]), 800 * (0.1 / 4.05 + 0.2 / 2.93 + 0.6 / 3.81 + 0.1 / 0.95)) AS capacity,
       ref.close(ecological_deficit(1000, 800, ARRAY[0.1, 0.2, 0.6, 0.1]),
                 carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1]) - ecological_capacity(800, ARRAY[0.1, 0.2, 0.6, 0.1])) AS deficit,
       ecs(150, 10) AS ecs, cnc(160, 200) AS cnc, c_to_co2(12) AS co2, co2_to_c(44) AS c;

-- ECC and ESC over the study area (window functions), by hand:
-- GDP 100, 300, 600 (sum 1000); CE 50, 50, 100 (sum 200); CS 10, 30, 60 (sum 100)
CREATE TEMP TABLE units (id int, region text, gdp float8, ce float8, cs float8);
INSERT INTO units VALUES (1, 'a', 100, 50, 10), (2, 'a', 300, 50, 30), (3, 'a', 600, 100, 60),
                         (4, 'b', 10, 0, 5), (5, 'b', 30, 20, NULL), (6, 'b', 60, 20, 15);
SELECT id, round(ecc(gdp, ce) OVER ()::numeric, 6) AS ecc_all,
       round(ecc(gdp, ce) OVER (PARTITION BY region)::numeric, 6) AS ecc,
       round(esc(cs, ce) OVER (PARTITION BY region)::numeric, 6) AS esc
FROM units ORDER BY id;
-- region a: ECC = (0.1/0.25, 0.3/0.25, 0.6/0.5) = (0.4, 1.2, 1.2); ESC = (0.1/0.25, 0.3/0.25, 0.6/0.5)
-- region b: unit 4 has CE 0 (NULL), unit 5 no CS (NULL, left out of the sums)
-- the form printed in paper 003 Table 2, per unit: ECC = (G - CE) / G, ESC = (CS - CE) / CS:
-- unit 1: (100 - 50) / 100 = 0.5, (10 - 50) / 10 = -4; unit 4: (10 - 0) / 10 = 1, (5 - 0) / 5 = 1
SELECT id, round(ecc(gdp, ce, 'form=printed') OVER ()::numeric, 6) AS ecc_printed,
       round(esc(cs, ce, 'Form=Printed') OVER ()::numeric, 6) AS esc_printed,
       round(ecc(gdp, ce, 'form=share') OVER (PARTITION BY region)::numeric, 6) AS ecc_share
FROM units ORDER BY id;
SELECT id, ecc(gdp, ce, 'form=ratio') OVER () FROM units;
SELECT id, ecc(gdp, ce, 'shape=printed') OVER () FROM units;
SELECT id, esc(cs, ce, CASE WHEN id = 2 THEN 'form=printed' ELSE '' END) OVER () FROM units;
SELECT id, esc(cs, ce, 'form=printed') OVER () FROM (VALUES (1, 0.0::float8, 2.0::float8)) v(id, cs, ce);

-- bad input
SELECT energy_emissions('peat', 10);
SELECT energy_emissions('raw_coal', -1);
SELECT energy_emissions('raw_coal', 'Infinity');
SELECT energy_emissions('raw_coal', 1, unit => 'kg');
SELECT livestock_emissions('horse', 10);
SELECT breathing_emissions(100, 'nosuch');
SELECT crop_sequestration(100, 1.2, 0.4, 0.45);
SELECT crop_sequestration(100, 0.1, 0, 0.45);
SELECT land_sequestration('moor', 10);
SELECT carbon_footprint(1000, ARRAY[0.1, 0.2, 0.7]);
SELECT carbon_footprint(1000, ARRAY[0.1, 0.2, 1.7, 0.1]);
SELECT id, ecc(gdp, ce) OVER () FROM (VALUES (1, 1.0::float8, 'NaN'::float8)) v(id, gdp, ce);
SELECT id, esc(cs, ce) OVER () FROM (VALUES (1, -1.0::float8, 2.0::float8)) v(id, cs, ce);

-- NULL and non-finite arguments (SPEC sections 10-11): NULL data give NULL; a NULL scheme or
-- unit, NaN, infinities and overflow are errors with a SQLSTATE naming the argument
CREATE FUNCTION pg_temp.outcome(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE 'SELECT (' || q || ')::text' INTO r;
  RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
SELECT q AS call, pg_temp.outcome(q) AS outcome FROM (VALUES
  ($$energy_emissions('raw_coal', 1000, NULL)$$),
  ($$energy_emissions('raw_coal', 1000, unit => NULL)$$),
  ($$energy_emissions(NULL, 1000)$$),
  ($$energy_emissions('raw_coal', NULL)$$),
  ($$energy_emissions('raw_coal', 1000, 'no_such_scheme')$$),
  ($$agriculture_emissions(1, 1, 1, 1, 1, 1, NULL)$$),
  ($$livestock_emissions('pig', 10, NULL)$$),
  ($$breathing_emissions(10, NULL)$$),
  ($$land_sequestration('forest', 10, NULL)$$),
  ($$carbon_budget('forest', 10, NULL, NULL)$$),
  ($$landuse_coefficient_of(NULL)$$),
  ($$landuse_coefficient_of('forest', NULL, NULL)$$),
  ($$carbon_footprint(1000, ARRAY[0.1, 0.2, 0.6, 0.1], NULL)$$),
  ($$crop_sequestration(1000, 0.12, 0.4, 'NaN')$$),
  ($$c_to_co2('NaN')$$),
  ($$co2_to_c('Infinity')$$),
  ($$nce(1, '-Infinity')$$),
  ($$ecs('NaN', 1)$$),
  ($$cnc(1, 'Infinity')$$),
  ($$energy_emissions_ipcc(1, 'NaN', 1)$$),
  ($$c_to_co2(1e308)$$),
  ($$nce(1e308, -1e308)$$),
  ($$energy_emissions_ipcc(1e200, 1e200, 1)$$),
  ($$c_to_co2(NULL)$$)) v(q);
