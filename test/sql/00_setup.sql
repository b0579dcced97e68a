-- Test fixtures: extensions and the reference data in test/data (R spdep on the
-- Columbus neighbourhoods), loaded once into schema ref for the other tests.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbonbudget CASCADE;
CREATE EXTENSION IF NOT EXISTS pgtap;
RESET client_min_messages;
DO $$ BEGIN
  EXECUTE format('ALTER DATABASE %I SET search_path = "$user", public, carbonbudget', current_database());
END $$;
SET search_path = "$user", public, carbonbudget;

DROP SCHEMA IF EXISTS ref CASCADE;
CREATE SCHEMA ref;

-- relative closeness with a floor for values near zero
CREATE FUNCTION ref.close(ours float8, theirs float8, rtol float8 DEFAULT 1e-9, atol float8 DEFAULT 1e-13)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN ours IS NULL OR theirs IS NULL THEN ours IS NULL AND theirs IS NULL
              WHEN theirs = 'NaN' THEN ours = 'NaN'
              ELSE abs(ours - theirs) <= rtol * abs(theirs) + atol END
$$;

-- plans for the parallel tests: EXPLAIN lines, and whether a node appears
CREATE FUNCTION ref.plan(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || query; END $$;
CREATE FUNCTION ref.plan_has(query text, node text) RETURNS boolean LANGUAGE sql AS $$
  SELECT EXISTS (SELECT 1 FROM ref.plan(query) line WHERE line LIKE '%' || node || '%')
$$;

CREATE TABLE ref.columbus (id int PRIMARY KEY, key text, label text,
  crime float8, hoval float8, inc float8, wkt text);
\copy ref.columbus FROM 'test/data/columbus/data.csv' CSV HEADER
ALTER TABLE ref.columbus ADD COLUMN geom geometry(Polygon);
UPDATE ref.columbus SET geom = ST_GeomFromText(wkt);

CREATE TABLE ref.columbus_centroids (id int PRIMARY KEY, cx float8, cy float8);
\copy ref.columbus_centroids FROM 'test/data/columbus/centroids.csv' CSV HEADER

CREATE TABLE ref.nb (weights text, id int, nb_id int);
CREATE TEMP TABLE nb_load (id int, nb_id int);
\copy nb_load FROM 'test/data/columbus/nb_queen.csv' CSV HEADER
INSERT INTO ref.nb SELECT 'queen', * FROM nb_load; TRUNCATE nb_load;
\copy nb_load FROM 'test/data/columbus/nb_rook.csv' CSV HEADER
INSERT INTO ref.nb SELECT 'rook', * FROM nb_load; TRUNCATE nb_load;
\copy nb_load FROM 'test/data/columbus/nb_knn4_native.csv' CSV HEADER
INSERT INTO ref.nb SELECT 'knn4_native', * FROM nb_load; TRUNCATE nb_load;
\copy nb_load FROM 'test/data/columbus/nb_knn6_native.csv' CSV HEADER
INSERT INTO ref.nb SELECT 'knn6_native', * FROM nb_load; TRUNCATE nb_load;
\copy nb_load FROM 'test/data/columbus/nb_dist.csv' CSV HEADER
INSERT INTO ref.nb SELECT 'dist', * FROM nb_load; TRUNCATE nb_load;
\copy nb_load FROM 'test/data/columbus/nb_dist_islands.csv' CSV HEADER
INSERT INTO ref.nb SELECT 'dist_islands', * FROM nb_load; TRUNCATE nb_load;
\copy nb_load FROM 'test/data/columbus/nb_colgal.csv' CSV HEADER
INSERT INTO ref.nb SELECT 'colgal', * FROM nb_load; TRUNCATE nb_load;

-- weights configurations of the reference files, as carbonbudget options
CREATE TABLE ref.weights_config (weights text PRIMARY KEY, options text);
INSERT INTO ref.weights_config VALUES
  ('queen', 'weights=queen'), ('rook', 'weights=rook'),
  ('knn4_native', 'weights=knn k=4'), ('knn6_native', 'weights=knn k=6'),
  ('dist', 'weights=distance threshold=0.67'), ('dist_islands', 'weights=distance threshold=0.45');

-- the three Columbus variables, long format
CREATE VIEW ref.columbus_long AS
  SELECT c.id, c.geom, v.variable, v.x
  FROM ref.columbus c
  CROSS JOIN LATERAL (VALUES ('CRIME', c.crime), ('HOVAL', c.hoval), ('INC', c.inc)) v(variable, x);

-- a refresh_zoning source over the Columbus polygons (projected SRID, indicators from the
-- variables) for the tests of the QGIS layers and their styles
CREATE VIEW ref.columbus_zoning_input AS
SELECT id, ST_SetSRID(geom, 32617) AS geom, crime AS value,
       (hoval - 38) / 12 AS z_cs, (30 - crime) / 10 AS z_nce, (14 - inc) / 4 AS z_ce, (inc - 14) / 3 AS z_ecc,
       (hoval - inc) / 20 AS z_esc, (crime - 35) / 9 AS z_cf, 0.5::float8 AS z_ec, -0.5::float8 AS z_ed,
       CASE WHEN crime < 30 THEN 'moderately significant' ELSE 'slightly insignificant' END AS cep_class, 120 + 4 * hoval AS cli
FROM ref.columbus;

CREATE TABLE ref.global_moran (dataset text, weights text, style text, variable text, assumption text,
  n int, n_used int, s0 float8, s1 float8, s2 float8, i float8, e_i float8, var_i float8, z_i float8,
  p_greater float8, p_two_sided float8);
\copy ref.global_moran FROM 'test/data/columbus/global_moran.csv' CSV HEADER

CREATE TABLE ref.moran_mc (weights text, style text, variable text, nsim int, seed int, i_observed float8,
  observed_rank int, n_sims_ge_observed int, p_value_spdep float8, p_value_standard float8,
  sim_mean float8, sim_sd float8);
CREATE TEMP TABLE mc_load (dataset text, LIKE ref.moran_mc);
\copy mc_load FROM 'test/data/columbus/moran_mc.csv' CSV HEADER
INSERT INTO ref.moran_mc SELECT weights, style, variable, nsim, seed, i_observed, observed_rank,
  n_sims_ge_observed, p_value_spdep, p_value_standard, sim_mean, sim_sd FROM mc_load;

CREATE TABLE ref.local_moran (dataset text, weights text, style text, variable text, id int, card int,
  x float8, z float8, lag_z float8, ii float8, e_ii float8, var_ii float8, z_ii float8, p_two_sided float8,
  e_ii_total float8, var_ii_total float8, z_ii_total float8, p_two_sided_total float8,
  quadrant text, spdep_quadr_pysal text, spdep_quadr_mean text, spdep_quadr_median text);
\copy ref.local_moran FROM 'test/data/columbus/local_moran.csv' CSV HEADER

CREATE TABLE ref.local_g (dataset text, weights text, style text, statistic text, variable text, id int,
  card int, g float8, e_g float8, var_g float8, z float8, p_two_sided float8);
\copy ref.local_g FROM 'test/data/columbus/local_g.csv' CSV HEADER

SELECT (SELECT count(*) FROM ref.columbus) AS units,
       (SELECT count(*) FROM ref.nb) AS links,
       (SELECT count(*) FROM ref.global_moran) AS global_rows,
       (SELECT count(*) FROM ref.local_moran) AS local_rows,
       (SELECT count(*) FROM ref.local_g) AS local_g_rows;
