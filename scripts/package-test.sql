-- Smoke test of an installed carbonbudget (scripts/package-test): CREATE
-- EXTENSION, then one query of each family compared with a reference value
-- (R spdep and PySAL mgwr through test/data, or a hand computation).  One
-- line per family, then a closing "N passed, N failed" line; an ERROR when a
-- check fails.  Run from the top of the source tree with
--   psql -X -v ON_ERROR_STOP=1 -v version=0.2.0 -f scripts/package-test.sql
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;
SET search_path = public, carbonbudget;
CREATE TEMP TABLE smoke (family text PRIMARY KEY, ok boolean);
CREATE FUNCTION pg_temp.close(ours float8, theirs float8, rtol float8 DEFAULT 1e-9) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(ours - theirs) <= rtol * abs(theirs) + 1e-13 $$;

CREATE TEMP TABLE columbus (id bigint, key text, label text, crime float8, hoval float8, inc float8, wkt text);
\copy columbus FROM 'test/data/columbus/data.csv' CSV HEADER
ALTER TABLE columbus ADD COLUMN geom geometry(Polygon);
UPDATE columbus SET geom = ST_GeomFromText(wkt);

-- spdep: poly2nb(queen = TRUE) has 236 links; Moran's I of CRIME 0.5001885571828611;
-- localmoran Ii and localG (G*) z of unit 1
INSERT INTO smoke SELECT 'weights', count(*) = 236
FROM spatial_weights((SELECT array_agg(id ORDER BY id) FROM columbus), (SELECT array_agg(geom ORDER BY id) FROM columbus),
                     'weights=queen');
INSERT INTO smoke SELECT 'moran', pg_temp.close((morans_i(crime, geom, 'permutations=0')).i, 0.5001885571828611)
FROM columbus;
INSERT INTO smoke SELECT 'lisa', pg_temp.close((l).ii, 0.7368184906083562)
FROM (SELECT id, local_moran(crime, geom, 'permutations=0') OVER () AS l FROM columbus) s WHERE id = 1;
INSERT INTO smoke SELECT 'getis_ord', pg_temp.close((g).z, -1.4327796539664284)
FROM (SELECT id, getis_ord_gi(crime, geom) OVER () AS g FROM columbus) s WHERE id = 1;

-- accounting from the shipped coefficient table: construction land in East China, 65.3 t C/hm2 (scheme liu)
INSERT INTO smoke SELECT 'accounting', carbon_budget('construction', 100, 'east') = 100 * c.coefficient
  AND pg_temp.close(c.coefficient, 65.3)
FROM landuse_coefficient c WHERE c.scheme = 'liu' AND c.land_class = 'construction' AND c.zone = 'east';

-- rock-weathering sink F = a Q on a 2 x 2 runoff raster
INSERT INTO smoke SELECT 'raster_sinks', pg_temp.close((ST_SummaryStats(rcs_raster(r, 0.5))).sum, 5)
FROM (SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(2, 2, 0, 2, 1, -1, 0, 0, 32650), '32BF'::text, 0, NULL),
                          1, 1, 1, ARRAY[[1, 2], [3, 4]]::float8[]) AS r) s;

-- the usual Gini of 1, 2, 3, 4 is 0.25
INSERT INTO smoke SELECT 'gini', pg_temp.close(gini_signed(v, 'standard'), 0.25) FROM generate_series(1, 4) v;

-- a strictly increasing series of 10: S = 45, Sen slope 2
INSERT INTO smoke SELECT 'mann_kendall', (m).s = 45 AND pg_temp.close((m).sen_slope, 2)
FROM (SELECT mann_kendall(t, 2 * t + 1) AS m FROM generate_series(1, 10) t) s;

-- mgwr on Georgia: bandwidth 117, AICc 299.0508086830287
CREATE TEMP TABLE georgia (areakey int, latitude float8, longitud float8, totpop90 float8, pctrural float8,
  pctbach float8, pcteld float8, pctfb float8, pctpov float8, pctblack float8, id int, x float8, y float8);
\copy georgia FROM 'test/data/gwr/georgia.csv' CSV HEADER
INSERT INTO smoke SELECT 'gwr', bool_and((g).bandwidth = 117) AND pg_temp.close(max((g).aicc), 299.0508086830287, 1e-6)
FROM (SELECT gwr_fit(y, x, geom) OVER () AS g
      FROM (SELECT (pctbach - avg(pctbach) OVER ()) / stddev_pop(pctbach) OVER () AS y,
                   ARRAY[(pctfb - avg(pctfb) OVER ()) / stddev_pop(pctfb) OVER (),
                         (pctblack - avg(pctblack) OVER ()) / stddev_pop(pctblack) OVER (),
                         (pctrural - avg(pctrural) OVER ()) / stddev_pop(pctrural) OVER ()] AS x,
                   ST_SetSRID(ST_MakePoint(x, y), 32617) AS geom
            FROM georgia) z) s;

-- the STIRPAT data of test/data/ridge: correlation-form ridge at K = 0.02, and OLS (= ridge at K = 0)
CREATE TEMP TABLE stirpat (year int, ce float8, p float8, w float8, is_ float8, ti float8, ur float8, cei float8);
\copy stirpat FROM 'test/data/ridge/stirpat_data.csv' CSV HEADER
CREATE TEMP TABLE ridge_ref (convention text, k float8, term text, std_coef float8, coef float8, vif float8,
  r2 float8, adj_r2 float8, rss float8);
\copy ridge_ref FROM 'test/data/ridge/ridge_coefficients.csv' CSV HEADER
INSERT INTO smoke SELECT 'stirpat_ridge', pg_temp.close((m).intercept, r0.coef) AND pg_temp.close((m).coef[1], r1.coef)
FROM (SELECT stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=0.02') AS m FROM stirpat) s,
     ridge_ref r0, ridge_ref r1
WHERE r0.convention = 'i_correlation_form' AND r0.k = 0.02 AND r0.term = 'Intercept'
  AND r1.convention = 'i_correlation_form' AND r1.k = 0.02 AND r1.term = 'lnP';
INSERT INTO smoke SELECT 'ols', pg_temp.close((f).coef[1], r0.coef) AND pg_temp.close((f).coef[2], r1.coef)
FROM (SELECT ols_fit(ln(ce), ARRAY[ln(p), ln(w), ln(is_), ln(ti), ln(ur), ln(cei)]) AS f FROM stirpat) s,
     ridge_ref r0, ridge_ref r1
WHERE r0.convention = 'i_correlation_form' AND r0.k = 0 AND r0.term = 'Intercept'
  AND r1.convention = 'i_correlation_form' AND r1.k = 0 AND r1.term = 'lnP';

-- factor detector: y = 1, 2 | 10, 11 in two strata, q = 1 - SSW/SST = 1 - 1/82
INSERT INTO smoke SELECT 'geodetector', pg_temp.close((geodetector(y, s)).q, 1 - 1 / 82.0)
FROM (VALUES (1.0::float8, 1::bigint), (2, 1), (10, 2), (11, 2)) v(y, s);

-- back-propagation network on y = 3 x1 - 2 x2 + 1 over a 15 x 15 grid, default options
INSERT INTO smoke SELECT 'bp', (m).r2 > 0.999 AND abs(bp_predict((m).model, ARRAY[0.2, -0.4]) - 2.4) < 0.05
FROM (SELECT bp_fit(3 * x1 - 2 * x2 + 1, ARRAY[x1, x2] ORDER BY x1, x2) AS m
      FROM (SELECT -1 + a / 7.0::float8 AS x1, -1 + b / 7.0::float8 AS x2
            FROM generate_series(0, 14) a, generate_series(0, 14) b) g) s;

-- Jenks natural breaks into two classes
INSERT INTO smoke SELECT 'classification', array_agg(c ORDER BY v) = '{1,1,1,2,2,2}'
FROM (SELECT v, natural_breaks(v, 2) OVER () AS c FROM unnest('{1,2,3,10,11,12}'::float8[]) v) s;

-- the corners of a square: centre (1, 1), a circle as the standard deviational ellipse
INSERT INTO smoke SELECT 'geostats', ST_Equals(mean_center(g, 1), 'POINT(1 1)') AND pg_temp.close((std_ellipse(g, 1)).sigma_x, (std_ellipse(g, 1)).sigma_y)
FROM unnest(ARRAY['POINT(0 0)', 'POINT(2 0)', 'POINT(0 2)', 'POINT(2 2)']::geometry[]) g;

-- comprehensive land-use index: half construction (grade 4), half forest (grade 2): CLI = 300
INSERT INTO smoke SELECT 'zoning', pg_temp.close(cli(c, a), 300) AND zone_name(1) IS NOT NULL
FROM (VALUES ('construction', 1.0::float8), ('forest', 1.0)) v(c, a);

-- the versions: the library is the package's version, and the full report has every part
INSERT INTO smoke SELECT 'version', carbonbudget_version() = :'version'
  AND carbonbudget_full_version() ~ '^CARBONBUDGET="[^"]+" PGSQL="[^"]+" POSTGIS="[0-9][^"]*" GEOS="[0-9][^"]*" LAPACK="[0-9.]+" BLAS="[^"]+"$';

-- every family, a family whose query gave no row counting as failed
CREATE TEMP VIEW result AS
SELECT f.family, coalesce(s.ok, false) AS ok
FROM unnest('{weights,moran,lisa,getis_ord,accounting,raster_sinks,gini,mann_kendall,gwr,stirpat_ridge,ols,
              geodetector,bp,classification,geostats,zoning,version}'::text[]) f(family)
LEFT JOIN smoke s USING (family);
\pset footer off
SELECT * FROM result ORDER BY family;
SELECT carbonbudget_full_version();
SELECT format('%s passed, %s failed', count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok)) AS summary
FROM result \gset
\echo :summary
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM result WHERE NOT ok) THEN
    RAISE EXCEPTION 'smoke test failed: %', (SELECT string_agg(family, ', ') FROM result WHERE NOT ok);
  END IF;
END $$;
