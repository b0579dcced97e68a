-- QGIS-ready layers read the way a GIS client reads them: GDAL's PostgreSQL driver
-- (ogrinfo) on the zoning table and its views, with typed geometry, SRID and key.
SET extra_float_digits = 0;
SELECT plan(8);

CREATE SCHEMA qgis;
CREATE TABLE qgis.county_input AS SELECT * FROM ref.columbus_zoning_input;
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

-- read-only layers: not automatically updatable and without write privileges, so QGIS (which asks
-- information_schema and the privileges) offers no editing that the next refresh would overwrite
SELECT is((SELECT string_agg(table_name || ' ' || is_updatable || ' ' || is_insertable_into, ', ' ORDER BY table_name)
           FROM information_schema.views WHERE table_schema = 'qgis'),
          'zones_clusters NO NO, zones_layer NO NO', 'information_schema: the layer views are not updatable');
SELECT is((SELECT string_agg(DISTINCT c.relname || ' ' || a.privilege_type, ', ')
           FROM pg_class c CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
           WHERE c.relnamespace = 'qgis'::regnamespace AND c.relkind = 'v'
             AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
          NULL, 'nobody, not even the owner, may write to the layer views');
SELECT throws_ok($$UPDATE qgis.zones_layer SET zone = 'edited' WHERE id = 5$$, '55000', NULL, 'an UPDATE of the layer view fails');
-- a writable layer view as an earlier release made it is replaced by the next refresh
CREATE OR REPLACE VIEW qgis.zones_layer AS SELECT id, zone_class, zone, total, value, cli, geom FROM qgis.zones;
GRANT ALL ON qgis.zones_layer TO PUBLIC;
CALL refresh_zoning('qgis.county_input', 'qgis.zones');
SELECT ok((SELECT pg_relation_is_updatable('qgis.zones_layer', false) = 0 AND NOT EXISTS (
             SELECT FROM aclexplode((SELECT relacl FROM pg_class WHERE oid = 'qgis.zones_layer'::regclass)) a
             WHERE a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'))),
          'an older writable layer view is made read-only by the next refresh');

-- GDAL/OGR: layer summaries and one feature (the connection string is not printed).  The table's
-- primary key is found by itself; for the views a client names the key (QGIS: "key column",
-- GDAL: PGSQL_OGR_FID), and the FIDs are then the stable county ids.
\! ogrinfo -ro -so "PG:dbname=contrib_regression schemas=qgis" zones | grep -E '^(Layer name|Geometry:|Feature Count|FID Column)'
\! ogrinfo -ro -so --config PGSQL_OGR_FID id "PG:dbname=contrib_regression schemas=qgis" zones_layer | grep -E '^(Layer name|Geometry|Feature Count|Extent|FID Column|[a-z_]+: )|^    ID\["EPSG"'
\! ogrinfo -ro -q -geom=NO --config PGSQL_OGR_FID id -where "id = 5" "PG:dbname=contrib_regression schemas=qgis" zones_layer
\! ogrinfo -ro -q -geom=NO --config PGSQL_OGR_FID id -where "id = 5" "PG:dbname=contrib_regression schemas=qgis" zones_clusters | grep -E 'OGRFeature|lisa_cluster|gi_bin|zone \('

SELECT * FROM finish();
