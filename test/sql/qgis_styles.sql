-- QGIS styles of result layers (SPEC section 15, docs/zoning.md#qgis_style_layer): the rows that
-- refresh_zoning and qgis_style_layer write into public.layer_styles, read back as QGIS reads them
-- (its key columns; the QML and SLD with xpath), what a refresh keeps, and the refusals that keep
-- another role's code from running with the caller's rights (SPEC section 11); then, with Debian
-- python3-qgis, the layers opened by QGIS headless (test/lib/qgis_styles.py): QGIS applies the
-- stored styles, reads the SLD, and scripts/render_map.py draws the zones with legend, title and
-- scale bar.  Without PyQGIS that last part prints that it was skipped (qgis_styles_1.out).
SET extra_float_digits = 0;
SELECT plan(46);

DROP SCHEMA IF EXISTS qstyle CASCADE;
CREATE SCHEMA qstyle;
CREATE TABLE qstyle.county_input AS SELECT * FROM ref.columbus_zoning_input;
-- the table as other tests left it goes; the refresh creates it as QGIS does
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.layer_styles;
RESET client_min_messages;
CALL refresh_zoning('qstyle.county_input', 'qstyle.zones');

-- 1. the table: QGIS's DDL, owned by the caller
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                             || CASE WHEN a.atthasdef THEN ' default ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END, ', ' ORDER BY a.attnum)
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = 'public.layer_styles'::regclass AND a.attnum > 0 AND NOT a.attisdropped),
          'id integer default nextval(''layer_styles_id_seq''::regclass), f_table_catalog character varying, '
          'f_table_schema character varying, f_table_name character varying, f_geometry_column character varying, '
          'stylename text, styleqml xml, stylesld xml, useasdefault boolean, description text, '
          'owner character varying(63) default CURRENT_USER, ui xml, update_time timestamp without time zone default CURRENT_TIMESTAMP, '
          'type character varying, r_raster_column character varying',
          'public.layer_styles is created with the columns of QGIS''s DDL');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'public.layer_styles'::regclass), current_user::text,
          'owned by the caller, not by the extension');
SELECT is((SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'carbonbudget'
           WHERE d.classid = 'pg_class'::regclass AND d.objid = 'public.layer_styles'::regclass), 0::bigint,
          'and not a member of the extension (pg_dump dumps it with its rows)');

-- 2. the rows: one per layer and style, keyed as QGIS keys them
SELECT results_eq(
  $$SELECT f_table_catalog::text = current_database()::text COLLATE "C", f_table_schema::text, f_table_name::text,
           f_geometry_column::text, stylename, useasdefault, type IS NULL, owner::text = current_user::text COLLATE "C"
    FROM public.layer_styles ORDER BY f_table_name, stylename$$,
  $$VALUES (true, 'qstyle', 'zones', 'geom', 'carbonbudget zones', true, true, true),
           (true, 'qstyle', 'zones_clusters', 'geom', 'carbonbudget Gi* bins', false, true, true),
           (true, 'qstyle', 'zones_clusters', 'geom', 'carbonbudget LISA clusters', true, true, true),
           (true, 'qstyle', 'zones_layer', 'geom', 'carbonbudget zones', true, true, true)$$,
  'refresh_zoning stores zones on the table and its layer, LISA clusters (default) and Gi* bins on the clusters');

-- 3. the QML: categorized renderer on the right column, categories, labels and colours in legend order
CREATE TEMP VIEW qml AS
SELECT f_table_name AS layer, stylename, useasdefault,
       (xpath('/qgis/renderer-v2/@type', styleqml))[1]::text AS renderer,
       (xpath('/qgis/renderer-v2/@attr', styleqml))[1]::text AS attr,
       array_to_string(xpath('//category/@value', styleqml)::text[], '|') AS "values",
       array_to_string(xpath('//category/@label', styleqml)::text[], '|') AS labels,
       array_to_string(xpath('//symbol/layer/Option/Option[@name="color"]/@value', styleqml)::text[], '|') AS colours,
       array_to_string(xpath('//symbol/@type', styleqml)::text[], '|') AS symbols,
       (xpath('/qgis/layerGeometryType/text()', styleqml))[1]::text AS geometry_type,
       styleqml::text LIKE '<!DOCTYPE qgis PUBLIC ''http://mrcc.com/qgis.dtd'' ''SYSTEM''><qgis version="3.22.0" styleCategories="Symbology">%' AS header
FROM public.layer_styles;
SELECT results_eq(
  $$SELECT renderer, attr, "values", labels, colours, symbols, geometry_type, header FROM qml
    WHERE layer = 'zones_layer'$$,
  $$VALUES ('categorizedSymbol', 'zone',
            'carbon sink functional|low-carbon development|net-carbon stabilisation|high-carbon control|carbon source optimisation',
            'carbon sink functional|low-carbon development|net-carbon stabilisation|high-carbon control|carbon source optimisation',
            '26,150,65,255|166,217,106,255|255,255,191,255|253,174,97,255|215,25,28,255', 'fill|fill|fill|fill|fill', '2', true)$$,
  'zones: the five zone_name classes, green to red');
SELECT is((SELECT string_agg(zone_name(k), '|' ORDER BY k DESC) FROM generate_series(1, 5) k),
          (SELECT "values" FROM qml WHERE layer = 'zones_layer'), 'the zone categories are zone_name''s, class 5 first');
SELECT results_eq(
  $$SELECT attr, "values", labels, colours FROM qml WHERE stylename = 'carbonbudget LISA clusters'$$,
  $$VALUES ('lisa_cluster', 'not significant|HH|LL|LH|HL', 'Not significant|High-High|Low-Low|Low-High|High-Low',
            '238,238,238,255|255,0,0,255|0,0,255,255|167,173,249,255|244,173,168,255')$$,
  'LISA clusters: GeoDa''s classes, order and colours');
SELECT results_eq(
  $$SELECT attr, "values", labels, colours FROM qml WHERE stylename = 'carbonbudget Gi* bins'$$,
  $$VALUES ('gi_bin', '-3|-2|-1|0|1|2|3',
            'Cold spot, 99% confidence|Cold spot, 95% confidence|Cold spot, 90% confidence|Not significant|Hot spot, 90% confidence|Hot spot, 95% confidence|Hot spot, 99% confidence',
            '69,117,181,255|132,158,186,255|192,204,190,255|255,255,191,255|250,185,132,255|237,117,81,255|214,47,39,255')$$,
  'Gi* bins: ArcGIS''s bins -3 to 3 and colours');
SELECT is((SELECT count(*) FROM qstyle.zones_clusters c
           WHERE c.lisa_cluster <> ALL (string_to_array((SELECT "values" FROM qml WHERE stylename = 'carbonbudget LISA clusters'), '|'))
              OR c.gi_bin::text <> ALL (string_to_array((SELECT "values" FROM qml WHERE stylename = 'carbonbudget Gi* bins'), '|'))),
          0::bigint, 'every unit of the clusters view falls in a category of each style');

-- 4. the SLD: one rule per category, filtering on the column, in the same colours
SELECT results_eq(
  $$SELECT array_to_string(xpath('//se:Rule/se:Name/text()', stylesld, ns)::text[], '|'),
           array_to_string(xpath('//se:Rule/ogc:Filter/ogc:PropertyIsEqualTo/ogc:PropertyName/text()', stylesld, ns)::text[], '|'),
           array_to_string(xpath('//se:Rule/ogc:Filter/ogc:PropertyIsEqualTo/ogc:Literal/text()', stylesld, ns)::text[], '|'),
           array_to_string(xpath('//se:Rule/se:PolygonSymbolizer/se:Fill/se:SvgParameter[@name="fill"]/text()', stylesld, ns)::text[], '|'),
           (xpath('/sld:StyledLayerDescriptor/@version', stylesld, ns))[1]::text
    FROM public.layer_styles,
         (SELECT ARRAY[ARRAY['sld', 'http://www.opengis.net/sld'], ARRAY['se', 'http://www.opengis.net/se'],
                       ARRAY['ogc', 'http://www.opengis.net/ogc']]) AS n(ns)
    WHERE f_table_name = 'zones_clusters' AND stylename = 'carbonbudget LISA clusters'$$,
  $$VALUES ('Not significant|High-High|Low-Low|Low-High|High-Low', 'lisa_cluster|lisa_cluster|lisa_cluster|lisa_cluster|lisa_cluster',
            'not significant|HH|LL|LH|HL', '#eeeeee|#ff0000|#0000ff|#a7adf9|#f4ada8', '1.1.0')$$,
  'the SLD has the same rules');

-- 5. a second refresh writes nothing; a style saved over one in QGIS and another default chosen there are kept
CREATE TEMP TABLE before AS SELECT id, md5(l::text) AS digest FROM public.layer_styles l;
CALL refresh_zoning('qstyle.county_input', 'qstyle.zones');
SELECT is((SELECT count(*) FROM public.layer_styles l JOIN before b USING (id) WHERE md5(l::text) = b.digest), 4::bigint,
          'a second refresh rewrites no style row');
UPDATE public.layer_styles SET styleqml = '<qgis version="3.22.16"><renderer-v2 type="singleSymbol"/></qgis>', useasdefault = false
WHERE f_table_name = 'zones_layer';
INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename, styleqml, useasdefault)
VALUES (current_database()::text, 'qstyle', 'zones_layer', 'geom', 'edited in QGIS', '<qgis version="3.22.16"/>', true);
CALL refresh_zoning('qstyle.county_input', 'qstyle.zones');
SELECT results_eq(
  $$SELECT stylename, useasdefault, renderer FROM qml WHERE layer = 'zones_layer' ORDER BY stylename$$,
  $$VALUES ('carbonbudget zones', false, 'singleSymbol'), ('edited in QGIS', true, NULL)$$,
  'the refresh keeps a style edited in QGIS and the default chosen there');
-- qgis_style_layer rewrites the style and makes it the default, taking the flag from the other style
SELECT is(qgis_style_layer('qstyle.zones_layer', 'zones'), 'carbonbudget zones', 'qgis_style_layer returns the style name');
SELECT results_eq(
  $$SELECT stylename, useasdefault, renderer FROM qml WHERE layer = 'zones_layer' ORDER BY stylename$$,
  $$VALUES ('carbonbudget zones', true, 'categorizedSymbol'), ('edited in QGIS', false, NULL)$$,
  'qgis_style_layer rewrites its style and makes it the only default of the layer');
DELETE FROM public.layer_styles WHERE stylename = 'edited in QGIS';
SELECT is(qgis_style_layer('qstyle.zones_clusters', 'gi', 'default=false'), 'carbonbudget Gi* bins', 'default=false');
SELECT results_eq(
  $$SELECT stylename, useasdefault FROM public.layer_styles WHERE f_table_name = 'zones_clusters' ORDER BY stylename$$,
  $$VALUES ('carbonbudget Gi* bins', false), ('carbonbudget LISA clusters', true)$$,
  'with default=false the default style stays');

-- 6. any result table: a column named by option, a style name, point and line layers
CREATE TABLE qstyle.lisa_points AS
SELECT id, ST_PointOnSurface(geom)::geometry(Point, 32617) AS geom,
       (local_moran(value, geom, 'weights=queen seed=12345') OVER ()).cluster
FROM qstyle.county_input;
CREATE TABLE qstyle.gi_lines AS
SELECT id, ST_Multi(ST_Boundary(geom))::geometry(MultiLineString, 32617) AS geom, polygon AS label,
       (getis_ord_gi(value, geom, 'weights=queen') OVER ()).bin::smallint AS hot
FROM (SELECT id, geom, value, 'x' AS polygon FROM qstyle.county_input) s;
SELECT is(qgis_style_layer('qstyle.lisa_points', 'LISA', 'column=cluster name=lisa_points'), 'lisa_points', 'a points layer');
SELECT is(qgis_style_layer('qstyle.gi_lines', 'gi', 'column=hot'), 'carbonbudget Gi* bins', 'a lines layer with a smallint bin');
SELECT results_eq(
  $$SELECT layer::text, qml.stylename, attr, symbols, geometry_type,
           (SELECT array_to_string(array_agg(DISTINCT c::text), '|') FROM unnest(xpath('//symbol/layer/@class', styleqml)) c)
    FROM qml JOIN public.layer_styles l ON l.f_table_name = qml.layer AND l.stylename = qml.stylename
    WHERE layer IN ('lisa_points', 'gi_lines') ORDER BY layer$$,
  $$VALUES ('gi_lines', 'carbonbudget Gi* bins', 'hot', 'line|line|line|line|line|line|line', '1', 'SimpleLine'),
           ('lisa_points', 'lisa_points', 'cluster', 'marker|marker|marker|marker|marker', '0', 'SimpleMarker')$$,
  'marker symbols for points, line symbols for lines');
SELECT is((xpath('//se:LineSymbolizer/se:Stroke/se:SvgParameter[@name="stroke"]/text()', stylesld,
                 ARRAY[ARRAY['se', 'http://www.opengis.net/se']]))[7]::text, '#d62f27', 'the SLD strokes lines in the bin colours')
FROM public.layer_styles WHERE f_table_name = 'gi_lines';

-- 7. refused, before anything is written
CREATE TEMP TABLE rows_before AS SELECT count(*) AS n FROM public.layer_styles;
SELECT throws_ok($$SELECT qgis_style_layer(NULL, 'zones')$$, '22004', 'qgis_style_layer: layer must not be NULL', 'NULL layer');
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones', NULL)$$, '22004', 'qgis_style_layer: kind must not be NULL', 'NULL kind');
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones', 'hot')$$, '22023', 'qgis_style_layer: unknown kind "hot"', 'unknown kind');
SELECT throws_ok($$SELECT qgis_style_layer(0, 'zones')$$, '22023', 'qgis_style_layer: layer must be an existing table or view', 'no relation');
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones', 'zones', 'colour=red')$$, '22023', 'qgis_style_layer: unknown option "colour"',
                 'unknown option');
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones', 'zones', 'default=maybe')$$, '22023',
                 'qgis_style_layer: option "default" must be true or false, got "maybe"', 'bad boolean');
SELECT throws_ok($$SELECT qgis_style_layer('pg_catalog.pg_class', 'zones')$$, '42703', 'qgis_style_layer: pg_catalog.pg_class has no geometry column',
                 'a relation without geometry');
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.county_input', 'zones')$$, '22023',
                 'qgis_style_layer: geometry column geom of qstyle.county_input is public.geometry, not a typed point, line or polygon column',
                 'an untyped geometry column');
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones', 'lisa')$$, '42703', 'qgis_style_layer: qstyle.zones has no column "lisa_cluster"',
                 'a missing column');
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones', 'gi', 'column=zone')$$, '42804',
                 'qgis_style_layer: column zone of qstyle.zones must be an integer (the Gi* bin, -3 to 3) for kind gi', 'a column of another type');
CREATE TABLE qstyle.two_geoms AS SELECT id, geom, ST_Centroid(geom)::geometry(Point, 32617) AS centre, zone FROM qstyle.zones;
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.two_geoms', 'zones')$$, '22023', 'qgis_style_layer: qstyle.two_geoms has several geometry columns',
                 'two geometry columns');
SELECT is(qgis_style_layer('qstyle.two_geoms', 'zones', 'geometry=centre'), 'carbonbudget zones', 'geometry= chooses one');
CREATE TEMP TABLE temp_zones AS SELECT * FROM qstyle.zones_layer;
SELECT throws_ok($$SELECT qgis_style_layer('temp_zones', 'zones')$$, '0A000', NULL, 'a temporary table');
SELECT is((SELECT count(*) FROM public.layer_styles), (SELECT n + 1 FROM rows_before), 'only the accepted call wrote a row');

-- 8. other roles: a layer of another role; no rights on public.layer_styles; a table of another role
--    with code in it, which must not run
SET client_min_messages = warning;
DROP ROLE IF EXISTS cb_qstyle_analyst;
DROP ROLE IF EXISTS cb_qstyle_squatter;
RESET client_min_messages;
CREATE ROLE cb_qstyle_analyst;
CREATE ROLE cb_qstyle_squatter;
CREATE SCHEMA qstyle_analyst AUTHORIZATION cb_qstyle_analyst;
GRANT USAGE ON SCHEMA qstyle TO cb_qstyle_analyst;
GRANT SELECT ON qstyle.county_input TO cb_qstyle_analyst;
SET ROLE cb_qstyle_analyst;
SELECT throws_ok($$SELECT carbonbudget.qgis_style_layer('qstyle.zones_layer', 'zones')$$, '42501',
                 'qgis_style_layer: must be owner of qstyle.zones_layer', 'another role''s layer');
-- its own zones: refreshed, with a NOTICE that the styles are not written (no rights on the table)
CALL carbonbudget.refresh_zoning('qstyle.county_input', 'qstyle_analyst.zones');
SELECT is((SELECT count(*) FROM qstyle_analyst.zones_layer), 49::bigint, 'the refresh of a role without rights on layer_styles goes on');
SELECT throws_ok($$CALL carbonbudget.refresh_zoning('qstyle.county_input', 'qstyle_analyst.zones', 'qgis_styles=on')$$, '42501',
                 'refresh_zoning: writing styles needs SELECT, INSERT and UPDATE on public.layer_styles', 'qgis_styles=on makes it an error');
CALL carbonbudget.refresh_zoning('qstyle.county_input', 'qstyle_analyst.zones', 'qgis_styles=off');
RESET ROLE;
-- the owner grants what docs/privileges.md says; the next refresh writes the styles
GRANT SELECT, INSERT, UPDATE ON public.layer_styles TO cb_qstyle_analyst;
GRANT USAGE ON SEQUENCE public.layer_styles_id_seq TO cb_qstyle_analyst;
SET ROLE cb_qstyle_analyst;
CALL carbonbudget.refresh_zoning('qstyle.county_input', 'qstyle_analyst.zones');
RESET ROLE;
SELECT results_eq(
  $$SELECT f_table_name::text, stylename, useasdefault, owner::text FROM public.layer_styles WHERE f_table_schema = 'qstyle_analyst'
    ORDER BY f_table_name, stylename$$,
  $$VALUES ('zones', 'carbonbudget zones', true, 'cb_qstyle_analyst'),
           ('zones_clusters', 'carbonbudget Gi* bins', false, 'cb_qstyle_analyst'),
           ('zones_clusters', 'carbonbudget LISA clusters', true, 'cb_qstyle_analyst'),
           ('zones_layer', 'carbonbudget zones', true, 'cb_qstyle_analyst')$$,
  'with the grants, the analyst''s refresh styles its layers');

-- a squatter's public.layer_styles, writable by all, with a trigger, then a default, a rule and a
-- policy that call its function: refused for the analyst and for a superuser, nothing of it runs
ALTER TABLE public.layer_styles RENAME TO layer_styles_kept;
ALTER SEQUENCE public.layer_styles_id_seq RENAME TO layer_styles_kept_id_seq;
GRANT CREATE ON SCHEMA public TO cb_qstyle_squatter;
SET ROLE cb_qstyle_squatter;
CREATE TABLE public.squatter_log (what text, by_role text);
GRANT INSERT ON public.squatter_log TO PUBLIC;
CREATE FUNCTION public.squatter_code() RETURNS text LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.squatter_log VALUES ('ran', current_user); RETURN 'x'; END $$;
CREATE FUNCTION public.squatter_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM public.squatter_code(); RETURN NEW; END $$;
CREATE TABLE public.layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar,
  f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean, description text,
  owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar);
GRANT SELECT, INSERT, UPDATE ON public.layer_styles TO PUBLIC;
GRANT USAGE ON SEQUENCE public.layer_styles_id_seq TO PUBLIC;
CREATE TRIGGER squat BEFORE INSERT OR UPDATE ON public.layer_styles FOR EACH ROW EXECUTE FUNCTION public.squatter_trigger();
RESET ROLE;
SET ROLE cb_qstyle_analyst;
SELECT throws_ok($$SELECT carbonbudget.qgis_style_layer('qstyle_analyst.zones_layer', 'zones')$$, '42501',
                 'qgis_style_layer: public.layer_styles of role cb_qstyle_squatter has code that would run with your rights',
                 'another role''s table with a trigger is refused');
RESET ROLE;
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones_layer', 'zones')$$, '42501',
                 'qgis_style_layer: public.layer_styles of role cb_qstyle_squatter has code that would run with your rights',
                 'also for a superuser');
SET ROLE cb_qstyle_squatter;
DROP TRIGGER squat ON public.layer_styles;
ALTER TABLE public.layer_styles ALTER COLUMN description SET DEFAULT public.squatter_code();
RESET ROLE;
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones_layer', 'zones')$$, '42501', NULL, 'a default calling its function');
SET ROLE cb_qstyle_squatter;
ALTER TABLE public.layer_styles ALTER COLUMN description DROP DEFAULT;
CREATE RULE squat AS ON INSERT TO public.layer_styles DO ALSO SELECT public.squatter_code();
RESET ROLE;
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones_layer', 'zones')$$, '42501', NULL, 'a rule');
SET ROLE cb_qstyle_squatter;
DROP RULE squat ON public.layer_styles;
ALTER TABLE public.layer_styles ENABLE ROW LEVEL SECURITY;
CREATE POLICY squat ON public.layer_styles USING (public.squatter_code() = 'x');
RESET ROLE;
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones_layer', 'zones')$$, '42501', NULL, 'a policy');
SET ROLE cb_qstyle_analyst;
CALL carbonbudget.refresh_zoning('qstyle.county_input', 'qstyle_analyst.zones');
RESET ROLE;
SELECT is((SELECT count(*) FROM public.squatter_log) + (SELECT count(*) FROM public.layer_styles), 0::bigint,
          'none of the squatter''s code ran and nothing was written (a refresh went on with a NOTICE)');
-- the same table without code, as a DBA makes it for the analysts: written
SET ROLE cb_qstyle_squatter;
DROP POLICY squat ON public.layer_styles;
ALTER TABLE public.layer_styles DISABLE ROW LEVEL SECURITY;
RESET ROLE;
SET ROLE cb_qstyle_analyst;
SELECT is(carbonbudget.qgis_style_layer('qstyle_analyst.zones_layer', 'zones'), 'carbonbudget zones',
          'another role''s QGIS table without code is written');
RESET ROLE;
-- not QGIS's table
SET ROLE cb_qstyle_squatter;
ALTER TABLE public.layer_styles DROP COLUMN styleqml;
RESET ROLE;
SELECT throws_ok($$SELECT qgis_style_layer('qstyle.zones_layer', 'zones')$$, '42809',
                 'qgis_style_layer: public.layer_styles is not QGIS''s table of layer styles', 'a table without QGIS''s columns');
DROP TABLE public.layer_styles, public.squatter_log;
DROP FUNCTION public.squatter_trigger(), public.squatter_code();
REVOKE CREATE ON SCHEMA public FROM cb_qstyle_squatter;
ALTER TABLE public.layer_styles_kept RENAME TO layer_styles;
ALTER SEQUENCE public.layer_styles_kept_id_seq RENAME TO layer_styles_id_seq;
DROP SCHEMA qstyle_analyst CASCADE;
REVOKE ALL ON public.layer_styles FROM cb_qstyle_analyst;
REVOKE ALL ON SEQUENCE public.layer_styles_id_seq FROM cb_qstyle_analyst;
REVOKE ALL ON SCHEMA qstyle FROM cb_qstyle_analyst;
REVOKE ALL ON qstyle.county_input FROM cb_qstyle_analyst;
DELETE FROM public.layer_styles WHERE f_table_schema = 'qstyle_analyst';
DROP ROLE cb_qstyle_analyst;
DROP ROLE cb_qstyle_squatter;

SELECT * FROM finish();

-- 9. QGIS itself (Debian python3-qgis): each layer opened as QGIS opens it, with its stored style
\! if /usr/bin/python3 -c 'import qgis.core' 2>/dev/null; then /usr/bin/python3 test/lib/qgis_styles.py contrib_regression qstyle scripts/render_map.py 2>&1 | grep -v -e '^QStandardPaths: ' -e '^$'; else echo 'SKIPPED: PyQGIS (Debian python3-qgis) is not installed, so QGIS did not open the styled layers'; fi
