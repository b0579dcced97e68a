-- QGIS-ready layers read the way a GIS client reads them: GDAL's PostgreSQL driver
-- (ogrinfo) on the zoning table and its views, with typed geometry, SRID and key.
SET extra_float_digits = 0;
SELECT plan(4);

CREATE SCHEMA qgis;
CREATE TABLE qgis.county_input AS
SELECT id, ST_SetSRID(geom, 32617) AS geom, crime AS value,
       (hoval - 38) / 12 AS z_cs, (30 - crime) / 10 AS z_nce, (14 - inc) / 4 AS z_ce, (inc - 14) / 3 AS z_ecc,
       (hoval - inc) / 20 AS z_esc, (crime - 35) / 9 AS z_cf, 0.5::float8 AS z_ec, -0.5::float8 AS z_ed,
       CASE WHEN crime < 30 THEN 'moderately significant' ELSE 'slightly insignificant' END AS cep_class, 120 + 4 * hoval AS cli
FROM ref.columbus;
CALL refresh_zoning('qgis.county_input', 'qgis.zones');

SELECT is((SELECT string_agg(f_table_name || ' ' || f_geometry_column || ' ' || type || ' ' || srid, ', ' ORDER BY f_table_name)
           FROM geometry_columns WHERE f_table_schema = 'qgis' AND f_table_name LIKE 'zones%'),
          'zones geom MULTIPOLYGON 32617, zones_clusters geom MULTIPOLYGON 32617, zones_layer geom MULTIPOLYGON 32617',
          'typed geometry columns with SRID in geometry_columns');
SELECT ok((SELECT count(DISTINCT id) = 49 AND count(*) = 49 FROM qgis.zones_layer), 'layer key id is unique');
SELECT ok((SELECT count(*) = 49 FROM qgis.zones_clusters WHERE lisa_cluster IN ('HH', 'LL', 'HL', 'LH', 'not significant')
           AND gi_bin BETWEEN -3 AND 3), 'cluster view: LISA cluster and Gi* bin per unit');
SELECT is((SELECT count(*) FROM qgis.zones_layer l JOIN qgis.zones z USING (id) WHERE l.zone = z.zone AND ST_Equals(l.geom, z.geom)),
          49::bigint, 'layer view shows the zoning table');

-- GDAL/OGR: layer summaries and one feature (the connection string is not printed).  The table's
-- primary key is found by itself; for the views a client names the key (QGIS: "key column",
-- GDAL: PGSQL_OGR_FID), and the FIDs are then the stable county ids.
\! ogrinfo -ro -so "PG:dbname=contrib_regression schemas=qgis" zones | grep -E '^(Layer name|Geometry:|Feature Count|FID Column)'
\! ogrinfo -ro -so --config PGSQL_OGR_FID id "PG:dbname=contrib_regression schemas=qgis" zones_layer | grep -E '^(Layer name|Geometry|Feature Count|Extent|FID Column|[a-z_]+: )|^    ID\["EPSG"'
\! ogrinfo -ro -q -geom=NO --config PGSQL_OGR_FID id -where "id = 5" "PG:dbname=contrib_regression schemas=qgis" zones_layer
\! ogrinfo -ro -q -geom=NO --config PGSQL_OGR_FID id -where "id = 5" "PG:dbname=contrib_regression schemas=qgis" zones_clusters | grep -E 'OGRFeature|lisa_cluster|gi_bin|zone \('

SELECT * FROM finish();
