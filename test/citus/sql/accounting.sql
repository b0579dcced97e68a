-- Accounting on Citus: the coefficient tables become reference tables (one
-- copy of every scheme on every node, users' rows included), and the
-- accounting functions that read them run in queries pushed down to the
-- workers, with the single-node results.
SET search_path = public, carbonbudget;
SET client_min_messages = warning;
CALL carbonbudget.citus_reference_coefficients();
RESET client_min_messages;
SELECT c.relname AS coefficient_table, d.partmethod, d.repmodel
FROM pg_dist_partition d JOIN pg_class c ON c.oid = d.logicalrelid
WHERE c.relnamespace = 'carbonbudget'::regnamespace ORDER BY 1;
-- a second call changes nothing
SET client_min_messages = warning;
CALL carbonbudget.citus_reference_coefficients();
RESET client_min_messages;

-- a user's scheme, added on the coordinator, is visible in queries run on the workers
INSERT INTO landuse_coefficient (scheme, land_class, zone, coefficient, source)
VALUES ('county_survey', 'forest', 'any', -0.75, 'county survey 2024'),
       ('county_survey', 'cropland', 'any', 0.41, 'county survey 2024'),
       ('county_survey', 'water', 'any', -0.2, 'county survey 2024'),
       ('county_survey', 'grassland', 'any', -0.03, 'county survey 2024'),
       ('county_survey', 'construction', 'any', 52.0, 'county survey 2024');
INSERT INTO energy_factor VALUES ('county_survey', 'raw_coal', 't', 0.7143, 0.70, 't C', 'county survey 2024');

-- the shipped rows stay as shipped, also on a reference table (whichever node reports it)
DO $$
BEGIN
  UPDATE landuse_coefficient SET coefficient = -0.6 WHERE scheme = 'liu' AND land_class = 'forest';
  RAISE NOTICE 'the shipped row was changed';
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE '% %', SQLSTATE, SQLERRM;
END $$;

-- per province (the distribution column: the whole query runs on the workers) and
-- for the whole table, every accounting function against the single-node result
CREATE TEMP TABLE acct_case (name text PRIMARY KEY, query text);
INSERT INTO acct_case VALUES
  ('carbon_budget', $$SELECT province, sum(carbon_budget(land_class, area, 'east', 'county_survey')) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('carbon_budget liu', $$SELECT province, sum(carbon_budget(land_class, area, 'east', 'liu')) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('landuse_coefficient_of', $$SELECT province, max(landuse_coefficient_of(land_class, 'east', 'county_survey')) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('energy_emissions', $$SELECT province, sum(energy_emissions('raw_coal', ce, 'county_survey')) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('agriculture_emissions', $$SELECT province, sum(agriculture_emissions(ce, area, 1, 2, 3, 4)) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('livestock_emissions', $$SELECT province, sum(livestock_emissions('cattle', ce)) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('breathing_emissions', $$SELECT province, sum(breathing_emissions(ce * 10)) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('land_sequestration', $$SELECT province, sum(land_sequestration('forest', area)) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('carbon_footprint', $$SELECT province, sum(carbon_footprint(ce, ARRAY[0.1, 0.2, 0.6, 0.1])) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('ecological_deficit', $$SELECT province, sum(ecological_deficit(ce, area, ARRAY[0.1, 0.2, 0.6, 0.1])) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('carbon_budget raster', $$SELECT province, sum((carbon_budget(rast, ST_Envelope(rast), 'zone=east coverage=exact')).net) FROM %s GROUP BY 1 ORDER BY 1$$),
  ('carbon_budget_agg', $$SELECT province, (carbon_budget_agg(rast, ST_Envelope(rast), 'zone=east scheme=county_survey')).* FROM %s GROUP BY 1 ORDER BY 1$$),
  ('carbon_budget_agg whole', $$SELECT (carbon_budget_agg(rast, ST_Envelope(rast), 'zone=east scheme=county_survey')).* FROM %s$$);

-- each query in a transaction of its own (Citus does not mix local and remote
-- execution of the reference tables in one transaction)
CREATE TEMP TABLE acct_out (name text, distributed boolean, result text);
-- (scheme liu counts shrubland, wetland and snow/ice as unclassified, with a NOTICE from each worker)
SET client_min_messages = warning;
\set ECHO none
SELECT format('INSERT INTO acct_out SELECT %L, true, string_agg(r::text, %L ORDER BY r::text) FROM (%s) r', name, '; ', format(query, 'units')),
       format('INSERT INTO acct_out SELECT %L, false, string_agg(r::text, %L ORDER BY r::text) FROM (%s) r', name, '; ', format(query, 'units_local'))
FROM acct_case ORDER BY name \gexec
\set ECHO all
RESET client_min_messages;
-- no rows expected
SELECT c.name, d.result AS distributed, l.result AS local
FROM acct_case c JOIN acct_out d ON d.name = c.name AND d.distributed JOIN acct_out l ON l.name = c.name AND NOT l.distributed
WHERE NOT public.same_result(d.result, l.result) OR d.result IS NULL ORDER BY 1;
-- the user's scheme gives a result of its own on the workers
SELECT (SELECT sum(carbon_budget(land_class, area, 'east', 'county_survey')) FROM units)
    <> (SELECT sum(carbon_budget(land_class, area, 'east', 'liu')) FROM units) AS own_scheme_used;

-- the zoning refresh from a distributed source
SET client_min_messages = warning;
CREATE TABLE zoning_source AS
SELECT id, geom, value, value - 25 AS z_cs, 2 - value / 10 AS z_nce, (id % 5)::float8 - 2 AS z_ce, 1.0 AS z_ecc,
       -1.0 AS z_esc, 0.5 AS z_cf, (id % 3)::float8 AS z_ec, -0.5 AS z_ed, province,
       (ARRAY['stable', 'insignificant', 'highly significant'])[id % 3 + 1] AS cep_class, 200.0 + id * 0.3 AS cli
FROM units_local;
CREATE TABLE zoning_source_local AS SELECT * FROM zoning_source;
SELECT create_distributed_table('zoning_source', 'province');
SET client_min_messages = error;  -- (Citus notes that the layer views over the local target stay local)
CALL refresh_zoning('zoning_source', 'public.zoning_dist');
CALL refresh_zoning('zoning_source_local', 'public.zoning_local');
RESET client_min_messages;
SELECT count(*) AS zones, bool_and(d.zone = l.zone AND d.total = l.total) AS same_zones
FROM zoning_dist d JOIN zoning_local l USING (id);
