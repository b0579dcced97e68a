-- Reference data of the bivariate, rate and differential Moran, Geary, join
-- count and spatial lag tests (test/data/make/geoda.R), loaded into schema ref
-- beside the Columbus data of 00_setup.  Included with \i by those tests;
-- rerunnable.
SET client_min_messages = warning;
DROP VIEW IF EXISTS ref.nb_lists, ref.columbus_pairs, ref.columbus_binary_long;

-- Columbus: binary variables, and the weights configurations of the reference files
DROP TABLE IF EXISTS ref.columbus_binary;
CREATE TABLE ref.columbus_binary (id int PRIMARY KEY, cp int, ew int);
\copy ref.columbus_binary FROM 'test/data/columbus/binary.csv' CSV HEADER
-- neighbour lists of a reference weights set, as the list forms take them
CREATE VIEW ref.nb_lists AS
SELECT w.weights, c.id, coalesce(array_agg(nb.nb_id::bigint ORDER BY nb.nb_id) FILTER (WHERE nb.nb_id IS NOT NULL),
                                 '{}') AS neighbors
FROM (SELECT DISTINCT weights FROM ref.nb) w CROSS JOIN ref.columbus c
LEFT JOIN ref.nb nb ON nb.weights = w.weights AND nb.id = c.id
GROUP BY w.weights, c.id;

DROP TABLE IF EXISTS ref.bivariate;
CREATE TABLE ref.bivariate (weights text, style text, x text, y text, n int, i float8, e_i float8, var_i float8,
  sim_mean float8, sim_var float8, p_sim_ref float8);
\copy ref.bivariate FROM 'test/data/columbus/bivariate.csv' CSV HEADER
DROP TABLE IF EXISTS ref.local_bivariate;
CREATE TABLE ref.local_bivariate (weights text, style text, x text, y text, id int, card int, ibvi float8,
  e_ibvi float8, var_ibvi float8, p_sim_ref float8, quadrant text, cluster_ref text);
\copy ref.local_bivariate FROM 'test/data/columbus/local_bivariate.csv' CSV HEADER
DROP TABLE IF EXISTS ref.geary;
CREATE TABLE ref.geary (weights text, style text, variable text, assumption text, n int, n_used int, c float8,
  e_c float8, var_c float8, z_c float8, p_two_sided float8, p_sim_ref float8);
\copy ref.geary FROM 'test/data/columbus/geary.csv' CSV HEADER
DROP TABLE IF EXISTS ref.local_geary;
CREATE TABLE ref.local_geary (weights text, style text, variable text, id int, card int, c float8, e_c float8,
  p_sim_ref float8, quadrant text, cluster_ref text);
\copy ref.local_geary FROM 'test/data/columbus/local_geary.csv' CSV HEADER
DROP TABLE IF EXISTS ref.join_counts;
CREATE TABLE ref.join_counts (weights text, style text, variable text, kind text, n int, n_used int, count float8,
  expected float8, variance float8, z float8, p_two_sided float8, p_sim_ref float8);
\copy ref.join_counts FROM 'test/data/columbus/join_counts.csv' CSV HEADER
DROP TABLE IF EXISTS ref.local_join_count;
CREATE TABLE ref.local_join_count (weights text, style text, variable text, id int, card int, x int, bb float8,
  e_bb float8, p_sim_ref float8);
\copy ref.local_join_count FROM 'test/data/columbus/local_join_count.csv' CSV HEADER
DROP TABLE IF EXISTS ref.spatial_lag;
CREATE TABLE ref.spatial_lag (weights text, style text, id int, card int, lag_crime float8);
\copy ref.spatial_lag FROM 'test/data/columbus/spatial_lag.csv' CSV HEADER

-- the Columbus variables of the bivariate pairs, and the binary ones, long format
CREATE VIEW ref.columbus_pairs AS
SELECT c.id, c.geom, p.x AS xname, p.y AS yname, p.xv, p.yv
FROM ref.columbus c
CROSS JOIN LATERAL (VALUES ('CRIME', 'INC', c.crime, c.inc), ('INC', 'HOVAL', c.inc, c.hoval),
                           ('HOVAL', 'CRIME', c.hoval, c.crime)) p(x, y, xv, yv);
CREATE VIEW ref.columbus_binary_long AS
SELECT c.id, c.geom, v.variable, v.b
FROM ref.columbus c JOIN ref.columbus_binary b USING (id)
CROSS JOIN LATERAL (VALUES ('CP', b.cp = 1), ('EW', b.ew = 1)) v(variable, b);

-- North Carolina SIDS (libpysal sids2, the data of esda's tests) and its rook neighbours (sids2.gal)
DROP TABLE IF EXISTS ref.nc;
CREATE TABLE ref.nc (id int PRIMARY KEY, fipsno int, name text, sid74 float8, bir74 float8, sid79 float8,
  bir79 float8, sidr74 float8, sidr79 float8, nwr74 float8, nwr79 float8, wkt text);
\copy ref.nc FROM 'test/data/nc/data.csv' CSV HEADER
ALTER TABLE ref.nc ADD COLUMN geom geometry(MultiPolygon);
UPDATE ref.nc SET geom = ST_GeomFromText(wkt);
DROP TABLE IF EXISTS pg_temp.nc_edges;
CREATE TEMP TABLE nc_edges (id int, nb_id int);
\copy nc_edges FROM 'test/data/nc/nb_rook.csv' CSV HEADER
DROP TABLE IF EXISTS ref.nc_nb;
CREATE TABLE ref.nc_nb AS
SELECT n.id::bigint AS id, coalesce(array_agg(e.nb_id::bigint ORDER BY e.nb_id) FILTER (WHERE e.nb_id IS NOT NULL),
                                    '{}') AS neighbors
FROM ref.nc n LEFT JOIN nc_edges e ON e.id = n.id GROUP BY n.id;

DROP TABLE IF EXISTS ref.nc_rate_moran;
CREATE TABLE ref.nc_rate_moran (weights text, style text, events text, population text, assumption text,
  i float8, e_i float8, var_i float8, z_i float8, p_two_sided float8);
\copy ref.nc_rate_moran FROM 'test/data/nc/rate_moran.csv' CSV HEADER
DROP TABLE IF EXISTS ref.nc_local_rate;
CREATE TABLE ref.nc_local_rate (weights text, style text, events text, population text, id int, ii float8,
  e_ii float8, var_ii float8, z_ii float8, p_two_sided float8, quadrant text);
\copy ref.nc_local_rate FROM 'test/data/nc/local_rate_moran.csv' CSV HEADER
DROP TABLE IF EXISTS ref.nc_differential;
CREATE TABLE ref.nc_differential (weights text, style text, t0 text, t1 text, assumption text,
  i float8, e_i float8, var_i float8, z_i float8, p_two_sided float8);
\copy ref.nc_differential FROM 'test/data/nc/differential_moran.csv' CSV HEADER
DROP TABLE IF EXISTS ref.nc_local_differential;
CREATE TABLE ref.nc_local_differential (weights text, style text, t0 text, t1 text, id int, ii float8,
  e_ii float8, var_ii float8, z_ii float8, p_two_sided float8, quadrant text);
\copy ref.nc_local_differential FROM 'test/data/nc/local_differential_moran.csv' CSV HEADER

-- the fields of a morans_i_result beside spdep moran.test's under one assumption
CREATE OR REPLACE FUNCTION ref.moran_fields(o carbonbudget.morans_i_result, assumption text, i float8, e_i float8,
                                            var_i float8, z_i float8, p float8)
RETURNS TABLE (field text, ours float8, theirs float8) LANGUAGE sql IMMUTABLE AS $$
  VALUES ('i', o.i, i), ('expected', o.expected, e_i),
         ('variance', CASE assumption WHEN 'normality' THEN o.variance_norm ELSE o.variance_rand END, var_i),
         ('z', CASE assumption WHEN 'normality' THEN o.z_norm ELSE o.z_rand END, z_i),
         ('p', CASE assumption WHEN 'normality' THEN o.p_norm ELSE o.p_rand END, p)
$$;

-- p_sim of R permutations against one of another stream: within 4 standard errors
-- of a difference of two estimates (R ours, r_ref theirs) plus one step of 1/(R+1)
CREATE OR REPLACE FUNCTION ref.within_mc(ours float8, theirs float8, r int, r_ref int DEFAULT 20000)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT abs(ours - theirs) <= 4 * sqrt(p * (1 - p) * (1.0 / r + 1.0 / r_ref)) + 1.0 / (r + 1)
  FROM (SELECT (ours + theirs) / 2 AS p) s
$$;
RESET client_min_messages;
