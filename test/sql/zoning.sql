-- Carbon-neutral zoning (paper 003 Table 6): CLI, scores, zones, dynamic degree, and the
-- refresh procedure (atomic, idempotent, concurrent runs) with its QGIS views.
SET extra_float_digits = 0;
SELECT plan(47);

-- CLI by hand: 60% cropland (3), 30% forest (2), 10% construction (4): 100 * (1.8 + 0.6 + 0.4) = 280
SELECT ok(ref.close(cli(c, a), 280, 1e-14), 'CLI hand example = 280')
FROM (VALUES ('cropland', 60.0::float8), ('Forest', 30), ('construction', 10), (NULL, 5), ('water', NULL)) v(c, a);
SELECT ok(cli(c, a) = 100 AND land_use_grade('snow_ice') = 1 AND land_use_grade('wetland') = 2,
  'CLI all unused = 100; grades') FROM (VALUES ('unused', 3.0::float8), ('snow_ice', 1)) v(c, a);
SELECT ok(cli(c, a) IS NULL, 'CLI without area is NULL') FROM (VALUES ('unused', 0.0::float8)) v(c, a);

-- trend scores, Table 6 boundaries
SELECT is(ARRAY[trend_score(1.6601, 'increase'), trend_score(1.66, 'increase'), trend_score(0.001, 'increase'),
                trend_score(0, 'increase'), trend_score(-1.66, 'increase'), trend_score(-1.6601, 'increase')],
          ARRAY[5, 4, 4, 3, 2, 1], 'favourable increase: 5 4 4 3 2 1');
SELECT is(ARRAY[trend_score(-1.6601, 'decrease'), trend_score(-1.66, 'decrease'), trend_score(0, 'decrease'),
                trend_score(1.66, 'decrease'), trend_score(1.6601, 'decrease')],
          ARRAY[5, 4, 3, 2, 1], 'favourable decrease: 5 4 3 2 1');
SELECT is(ARRAY[trend_score(2, 'cs'), trend_score(2, 'nce'), trend_score(2, 'CE'), trend_score(2, 'ecc'),
                trend_score(2, 'esc'), trend_score(2, 'cf'), trend_score(2, 'ec'), trend_score(2, 'ed')],
          ARRAY[5, 1, 1, 5, 5, 1, 5, 1], 'Table 6 indicator directions');
SELECT is(ARRAY[trend_score(1.8, 'increase', 1.96), trend_score(1.97, 'increase', 1.96)], ARRAY[4, 5], 'threshold argument');
SELECT is(ARRAY[cep_score('highly significant'), cep_score('Moderately Significant'), cep_score('stable'),
                cep_score('slightly insignificant'), cep_score('insignificant'), cep_score('significant'),
                cep_score('slightly significant'), cep_score('slightly non-significant'), cep_score('non-significant')],
          ARRAY[5, 4, 3, 2, 1, 5, 4, 2, 1], 'CEP scores');
SELECT is(ARRAY[cli_score(400, 200, 400), cli_score(360, 200, 400), cli_score(359.99, 200, 400), cli_score(280, 200, 400),
                cli_score(240, 200, 400), cli_score(239.99, 200, 400), cli_score(200, 200, 400)],
          ARRAY[5, 5, 4, 3, 2, 1, 1], 'CLI scores: scaled 1, 0.8, <0.8, 0.4, 0.2, <0.2, 0');
SELECT ok(cli_score(250, 250, 250) IS NULL, 'CLI score without spread is NULL');
SELECT is(ARRAY[zone_name(5), zone_name(4), zone_name(3), zone_name(2), zone_name(1)],
          ARRAY['carbon sink functional', 'low-carbon development', 'net-carbon stabilisation',
                'high-carbon control', 'carbon source optimisation'], 'zone names');
SELECT ok(ref.close(dynamic_degree(1200, 1500, 20), 1.25, 1e-15) AND ref.close(dynamic_degree(80, 60, 10), -2.5, 1e-15)
  AND dynamic_degree(0, 5, 10) IS NULL, 'dynamic degree: (1500-1200)/1200/20*100 = 1.25, (60-80)/80/10*100 = -2.5');

-- bad input
SELECT throws_ok($$SELECT cli(c, a) FROM (VALUES ('urban', 1.0::float8)) v(c, a)$$, '22023', 'cli: unknown land_class "urban"', 'unknown land class');
SELECT throws_ok($$SELECT cli('forest', -1)$$, '22023', 'cli: area must not be negative', 'negative area');
SELECT throws_ok($$SELECT trend_score(1, 'up')$$, '22023', 'trend_score: unknown favourable "up"', 'unknown direction');
SELECT throws_ok($$SELECT trend_score('NaN', 'cs')$$, '22023', 'trend_score: z must be finite', 'NaN z');
SELECT throws_ok($$SELECT cep_score('unknown')$$, '22023', 'cep_score: unknown cep_class "unknown"', 'unknown CEP class');
SELECT throws_ok($$SELECT cli_score(500, 200, 400)$$, '22023', 'cli_score: cli must lie between cli_min and cli_max', 'CLI out of range');
SELECT throws_ok($$SELECT dynamic_degree(1, 2, 0)$$, '22023', 'dynamic_degree: years must be a positive finite number', 'zero years');
SELECT throws_ok($$SELECT zone_name(6)$$, '22023', 'zone_name: zone_class must be between 1 and 5', 'zone class 6');

-- the cli aggregate splits under parallel plans
CREATE TABLE zoning_landuse AS
SELECT i % 50 AS county, (ARRAY['cropland', 'forest', 'grassland', 'construction', 'unused', 'water'])[1 + i % 6] AS land_class,
       1 + (i * 7919) % 101 AS area FROM generate_series(1, 60000) i;
ANALYZE zoning_landuse;
CREATE TEMP TABLE cli_serial AS SELECT county, cli(land_class, area) FROM zoning_landuse GROUP BY county;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
SELECT ok(bool_or(l LIKE '%Partial%Aggregate%'), 'cli: EXPLAIN shows a partial aggregate')
FROM ref.plan('SELECT county, cli(land_class, area) FROM zoning_landuse GROUP BY county') l;
CREATE TEMP TABLE cli_par AS SELECT county, cli(land_class, area) FROM zoning_landuse GROUP BY county;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;
SELECT ok(count(*) = 50 AND bool_and(ref.close(p.cli, s.cli, 1e-12)), 'cli: parallel = serial')
FROM cli_par p JOIN cli_serial s USING (county);
SELECT ok(bool_and(ref.close(s.cli, h.cli, 1e-12)), 'cli = 100 * sum(grade * area) / sum(area) by hand')
FROM cli_serial s JOIN (SELECT county, 100 * sum(CASE land_class WHEN 'unused' THEN 1 WHEN 'cropland' THEN 3
  WHEN 'construction' THEN 4 ELSE 2 END * area)::float8 / sum(area) cli FROM zoning_landuse GROUP BY county) h USING (county);
DROP TABLE zoning_landuse;

-- refresh_zoning on the 49 Columbus polygons with deterministic indicators
CREATE SCHEMA zoning;
CREATE TABLE zoning.county_input AS
SELECT id, geom, crime AS value,
       round((3 * sin(id))::numeric, 2)::float8 AS z_cs, round((3 * cos(id))::numeric, 2)::float8 AS z_nce,
       round((2 * sin(2 * id))::numeric, 2)::float8 AS z_ce, round((2 * cos(3 * id))::numeric, 2)::float8 AS z_ecc,
       CASE WHEN id % 7 = 0 THEN 0 ELSE round((2.5 * sin(5 * id))::numeric, 2)::float8 END AS z_esc,
       round((1.5 * cos(2 * id))::numeric, 2)::float8 AS z_cf, round((2 * sin(7 * id))::numeric, 2)::float8 AS z_ec,
       round((2 * cos(5 * id))::numeric, 2)::float8 AS z_ed,
       (ARRAY['highly significant', 'moderately significant', 'stable', 'slightly insignificant', 'insignificant'])[1 + id % 5] AS cep_class,
       200 + 2 * inc AS cli
FROM ref.columbus;
CALL refresh_zoning('zoning.county_input', 'zoning.zones');

-- Table 6 written out independently in SQL
CREATE TEMP VIEW expected_scores AS
WITH sc AS (
  SELECT id, z, dir FROM zoning.county_input,
  LATERAL (VALUES (z_cs, 1), (z_nce, -1), (z_ce, -1), (z_ecc, 1), (z_esc, 1), (z_cf, -1), (z_ec, 1), (z_ed, -1)) v(z, dir)),
t AS (SELECT id, sum(CASE WHEN dir * z > 1.66 THEN 5 WHEN dir * z > 0 THEN 4 WHEN z = 0 THEN 3
                          WHEN dir * z >= -1.66 THEN 2 ELSE 1 END) trend FROM sc GROUP BY id),
c AS (SELECT id, CASE 1 + id % 5 WHEN 1 THEN 5 WHEN 2 THEN 4 WHEN 3 THEN 3 WHEN 4 THEN 2 ELSE 1 END cep,
             (cli - min(cli) OVER ()) / (max(cli) OVER () - min(cli) OVER ()) s FROM zoning.county_input)
SELECT id, trend + cep + CASE WHEN s >= 0.8 THEN 5 WHEN s >= 0.6 THEN 4 WHEN s >= 0.4 THEN 3 WHEN s >= 0.2 THEN 2 ELSE 1 END total
FROM t JOIN c USING (id);
SELECT is((SELECT count(*) FROM zoning.zones), 49::bigint, 'refresh: 49 zoned units');
SELECT is((SELECT count(*) FROM zoning.zones z JOIN expected_scores e USING (id) WHERE z.total = e.total), 49::bigint,
  'refresh: total score = Table 6 by hand for every unit');
SELECT is((SELECT count(*) FROM zoning.zones WHERE total = score_cs + score_nce + score_ce + score_ecc + score_esc
  + score_cf + score_ec + score_ed + score_cep + score_cli), 49::bigint, 'refresh: total is the sum of the ten scores');
SELECT is((SELECT count(*) FROM zoning.zones z JOIN (SELECT id, natural_breaks(total::float8, 5) OVER () c FROM expected_scores) e USING (id)
  WHERE z.zone_class = e.c AND z.zone = zone_name(e.c)), 49::bigint, 'refresh: zones are natural breaks of the total');
SELECT results_eq($$SELECT zone_class, min(total), max(total) FROM zoning.zones GROUP BY zone_class ORDER BY zone_class$$,
  $$SELECT zone_class, min(total), max(total) FROM zoning.zones GROUP BY zone_class ORDER BY min(total)$$,
  'refresh: zone classes ordered by total');
SELECT zone, count(*), min(total), max(total) FROM zoning.zones GROUP BY zone ORDER BY min(total);
SELECT is((SELECT type || ' ' || srid || ' ' || coord_dimension FROM geometry_columns
           WHERE f_table_schema = 'zoning' AND f_table_name = 'zones_layer'), 'MULTIPOLYGON 0 2', 'layer view: typed geometry with SRID');

-- idempotent: a second run gives the same rows
CREATE TEMP TABLE first_run AS SELECT * FROM zoning.zones;
CALL refresh_zoning('zoning.county_input', 'zoning.zones');
SELECT is((SELECT count(*) FROM (SELECT id, geom, value, cli, total, zone_class, zone FROM first_run
  EXCEPT SELECT id, geom, value, cli, total, zone_class, zone FROM zoning.zones) d), 0::bigint, 'idempotent: second run, same rows');
-- input changes reach the table
UPDATE zoning.county_input SET z_ce = -3 WHERE id = 1;
CALL refresh_zoning('zoning.county_input', 'zoning.zones');
SELECT is((SELECT score_ce FROM zoning.zones WHERE id = 1), 5, 'refresh picks up a changed input');
-- two concurrent runs in other sessions (serialised by the advisory lock) leave one complete table
\! for i in 1 2 3; do psql -X -q -d contrib_regression -c "CALL carbonbudget.refresh_zoning('zoning.county_input', 'zoning.zones')" & done; wait
SELECT is((SELECT count(*) || ' ' || count(DISTINCT id) FROM zoning.zones), '49 49', 'concurrent runs: 49 distinct rows');
SELECT is((SELECT count(*) FROM zoning.zones z JOIN expected_scores e USING (id) WHERE z.total = e.total), 49::bigint,
  'concurrent runs: scores intact');
-- the cluster view: LISA clusters and Gi* bins equal the functions on the table
SELECT is((SELECT count(*) FROM zoning.zones_clusters c JOIN
  (SELECT id, (local_moran(value, geom, 'weights=queen seed=12345') OVER ()).cluster, (getis_ord_gi(value, geom) OVER ()).bin
   FROM zoning.zones) d USING (id) WHERE c.lisa_cluster = d.cluster AND c.gi_bin = d.bin), 49::bigint, 'cluster view = local_moran, getis_ord_gi');
SELECT throws_ok($$CALL refresh_zoning('zoning.county_input', 'a.b.c')$$, '22023', NULL, 'bad target name');
SELECT throws_ok($$CALL refresh_zoning('zoning.missing', 'zoning.zones')$$, '42P01', NULL, 'missing source');

-- arguments are checked before anything is locked or written
SELECT throws_ok($$CALL refresh_zoning(0, 'zoning.zones')$$, '22023', 'refresh_zoning: source must be an existing table or view',
  'source 0');
SELECT throws_ok($$CALL refresh_zoning(NULL, 'zoning.zones')$$, '22004', 'refresh_zoning: source must not be NULL', 'NULL source');
SELECT throws_ok($$CALL refresh_zoning('zoning.county_input', NULL)$$, '22004', 'refresh_zoning: target must not be NULL', 'NULL target');
SELECT throws_ok($$CALL refresh_zoning('pg_class', 'zoning.zones')$$, '42703',
  'refresh_zoning: source pg_catalog.pg_class lacks columns id, geom, value, z_cs, z_nce, z_ce, z_ecc, z_esc, z_cf, z_ec, z_ed, cep_class, cli',
  'a source without the columns: one error naming them');
CREATE TABLE zoning.partial AS SELECT id, geom, value, z_cs, z_nce, z_ce, z_ecc, z_esc, z_cf, z_ec, cli FROM zoning.county_input;
SELECT throws_ok($$CALL refresh_zoning('zoning.partial', 'zoning.zones')$$, '42703',
  'refresh_zoning: source zoning.partial lacks columns z_ed, cep_class', 'a source lacking two columns');
SELECT throws_ok($$CALL refresh_zoning('zoning.county_input', 'pg_catalog.pg_class')$$, '42809',
  'refresh_zoning: target pg_catalog.pg_class is not a zoning table', 'a catalogue as target');
SELECT throws_ok($$CALL refresh_zoning('zoning.county_input', 'zoning.county_input')$$, '42809',
  'refresh_zoning: target zoning.county_input is not a zoning table', 'the source as target');
CREATE TABLE zoning.look_alike AS SELECT id, geom, value, cli FROM zoning.zones;
SELECT throws_ok($$CALL refresh_zoning('zoning.county_input', 'zoning.look_alike')$$, '42809',
  'refresh_zoning: target zoning.look_alike is not a zoning table', 'a table with some of the columns');
CREATE VIEW zoning.zones_view AS SELECT * FROM zoning.zones;
SELECT throws_ok($$CALL refresh_zoning('zoning.county_input', 'zoning.zones_view')$$, '42809',
  'refresh_zoning: target zoning.zones_view is not a zoning table', 'a view as target');
SELECT is((SELECT count(*) FROM zoning.county_input) || ' ' || (SELECT count(*) FROM zoning.look_alike), '49 49',
  'refused targets keep their rows');

-- a hostile search_path: functions and operators planted in a schema before pg_catalog never run
CREATE SCHEMA zoning_hostile;
CREATE FUNCTION zoning_hostile.planted() RETURNS void LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'planted object ran'; END $$;
CREATE FUNCTION zoning_hostile.parse_ident(text, boolean DEFAULT true) RETURNS text[] LANGUAGE plpgsql AS $$
BEGIN PERFORM zoning_hostile.planted(); RETURN NULL; END $$;
CREATE FUNCTION zoning_hostile.format(text, text, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM zoning_hostile.planted(); RETURN NULL; END $$;
CREATE FUNCTION zoning_hostile.cardinality(text[]) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN PERFORM zoning_hostile.planted(); RETURN NULL; END $$;
CREATE FUNCTION zoning_hostile.now() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN PERFORM zoning_hostile.planted(); RETURN NULL; END $$;
CREATE FUNCTION zoning_hostile.int4pl(integer, integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN PERFORM zoning_hostile.planted(); RETURN NULL; END $$;
CREATE OPERATOR zoning_hostile.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = zoning_hostile.int4pl);
CREATE FUNCTION zoning_hostile.min_step(float8, float8) RETURNS float8 LANGUAGE plpgsql AS $$
BEGIN PERFORM zoning_hostile.planted(); RETURN NULL; END $$;
CREATE AGGREGATE zoning_hostile.min(float8) (SFUNC = zoning_hostile.min_step, STYPE = float8);
CREATE TEMP TABLE before_hostile AS SELECT id, total, zone_class, zone FROM zoning.zones;
SET search_path = zoning_hostile, pg_catalog, public, carbonbudget;
CALL carbonbudget.refresh_zoning('zoning.county_input', 'zoning.zones');
RESET search_path;
SELECT is((SELECT count(*) FROM zoning.zones z JOIN before_hostile b USING (id)
           WHERE (z.total, z.zone_class, z.zone) = (b.total, b.zone_class, b.zone)), 49::bigint,
          'hostile search_path: the refresh runs none of the planted objects and gives the same zones');
SET client_min_messages = warning;
DROP SCHEMA zoning_hostile CASCADE;
RESET client_min_messages;

SELECT * FROM finish();
