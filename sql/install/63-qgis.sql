-- QGIS styles of result layers (SPEC section 15): categorized renderers for the carbon-neutral
-- zones of paper 003, LISA clusters and Getis-Ord Gi* bins, stored the way QGIS stores a style in
-- a PostGIS database (a row of public.layer_styles with the QML, and an SLD), so that QGIS opens
-- the layer symbolised.  Before 64-zoning.sql: refresh_zoning, an SQL-standard body resolved when
-- it is created, calls _qgis_style_zoning.
--
-- Nothing is created at install time outside the extension's schema: public.layer_styles is
-- QGIS's own table; the first call that needs it creates it, owned by the caller, as QGIS does.
-- An existing one is written only when it is QGIS's table (its columns and types) and, when
-- another role owns it, when nothing in it runs code of that role: no triggers, rules, policies
-- or foreign keys, and defaults, constraints and indexes that use built-ins only (SPEC section 11).

CREATE FUNCTION _qgis_options(func text, options text) RETURNS text[]
AS 'MODULE_PATHNAME', 'cb_qgis_options' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _qgis_options(text, text) IS
  'Internal: the options of qgis_style_layer or refresh_zoning (func) as key/value pairs, parsed as every options argument';

-- The categories of each kind of layer, in legend order: value of the attribute, legend label,
-- colour.  Zones: the five zones of paper 003 as zone_name gives them, green (carbon sink) to red
-- (carbon source); LISA clusters: GeoDa's colours and order; Gi* bins: ArcGIS's Gi_Bin colours.
CREATE FUNCTION _qgis_categories(kind text) RETURNS TABLE (ord integer, value text, label text, colour text)
LANGUAGE sql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT c.ord, c.value, c.label, c.colour
  FROM (SELECT 'zones'::text AS kind, 6 - z.k AS ord, @extschema@.zone_name(z.k) AS value,
               @extschema@.zone_name(z.k) AS label, z.colour
        FROM (VALUES (5, '#1a9641'), (4, '#a6d96a'), (3, '#ffffbf'), (2, '#fdae61'), (1, '#d7191c')) AS z(k, colour)
        UNION ALL
        SELECT 'lisa', l.ord, l.value, l.label, l.colour
        FROM (VALUES (1, 'not significant', 'Not significant', '#eeeeee'), (2, 'HH', 'High-High', '#ff0000'),
                     (3, 'LL', 'Low-Low', '#0000ff'), (4, 'LH', 'Low-High', '#a7adf9'),
                     (5, 'HL', 'High-Low', '#f4ada8')) AS l(ord, value, label, colour)
        UNION ALL
        SELECT 'gi', g.bin + 4, g.bin::text, g.label, g.colour
        FROM (VALUES (-3, 'Cold spot, 99% confidence', '#4575b5'), (-2, 'Cold spot, 95% confidence', '#849eba'),
                     (-1, 'Cold spot, 90% confidence', '#c0ccbe'), (0, 'Not significant', '#ffffbf'),
                     (1, 'Hot spot, 90% confidence', '#fab984'), (2, 'Hot spot, 95% confidence', '#ed7551'),
                     (3, 'Hot spot, 99% confidence', '#d62f27')) AS g(bin, label, colour)) AS c
  WHERE c.kind = pg_catalog.lower(_qgis_categories.kind)
  ORDER BY c.ord
$fn$;
COMMENT ON FUNCTION _qgis_categories(text) IS
  'Internal: the categories (legend order, value, label, colour) of the QGIS styles of kind zones, lisa or gi';

-- The arguments of the style builders: a kind of _qgis_categories and a QGIS symbol type.
CREATE FUNCTION _qgis_check_style(func text, kind text, symbol text) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
  IF NOT EXISTS (SELECT FROM @extschema@._qgis_categories(kind)) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: unknown kind "%s"', func, kind),
      HINT = 'Use zones, lisa or gi.';
  ELSIF symbol IS NULL OR symbol NOT IN ('fill', 'line', 'marker') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: unknown symbol "%s"', func, symbol),
      HINT = 'Use fill, line or marker.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION _qgis_check_style(text, text, text) IS
  'Internal: refuses a kind other than zones, lisa or gi and a symbol other than fill, line or marker (func names the caller)';

-- The QML of a categorized renderer, as QGIS 3.22 writes it for the style category Symbology:
-- one category and one simple symbol (fill, line or marker) per value.
CREATE FUNCTION _qgis_qml(kind text, style_column text, symbol text) RETURNS xml
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  doc xml;
BEGIN
  PERFORM @extschema@._qgis_check_style('_qgis_qml', kind, symbol);
  SELECT xmlelement(name qgis, xmlattributes('3.22.0' AS version, 'Symbology' AS "styleCategories"),
           xmlelement(name "renderer-v2",
             xmlattributes('categorizedSymbol' AS type, style_column AS attr, '0' AS symbollevels, '0' AS enableorderby,
                           '0' AS forceraster, '-1' AS referencescale),
             xmlelement(name categories,
               pg_catalog.xmlagg(xmlelement(name category, xmlattributes(c.value AS value, (c.ord - 1)::text AS symbol,
                                                                       c.label AS label, 'true' AS render))
                                 ORDER BY c.ord)),
             xmlelement(name symbols,
               pg_catalog.xmlagg(xmlelement(name symbol,
                   xmlattributes(symbol AS type, (c.ord - 1)::text AS name, '1' AS alpha, '1' AS clip_to_extent, '0' AS force_rhr),
                   xmlelement(name layer,
                     xmlattributes(CASE symbol WHEN 'fill' THEN 'SimpleFill' WHEN 'line' THEN 'SimpleLine' ELSE 'SimpleMarker' END AS class,
                                   '1' AS enabled, '0' AS locked, '0' AS pass),
                     xmlelement(name "Option", xmlattributes('Map' AS type),
                       (SELECT pg_catalog.xmlagg(xmlelement(name "Option",
                                 xmlattributes('QString' AS type, o.name AS name,
                                               CASE WHEN o.value = 'rgb' THEN c.rgb ELSE o.value END AS value)) ORDER BY o.name)
                        FROM (VALUES ('fill', 'color', 'rgb'), ('fill', 'outline_color', '64,64,64,255'),
                                     ('fill', 'outline_style', 'solid'), ('fill', 'outline_width', '0.2'),
                                     ('fill', 'outline_width_unit', 'MM'), ('fill', 'style', 'solid'),
                                     ('fill', 'joinstyle', 'bevel'),
                                     ('line', 'line_color', 'rgb'), ('line', 'line_style', 'solid'),
                                     ('line', 'line_width', '0.66'), ('line', 'line_width_unit', 'MM'),
                                     ('line', 'capstyle', 'square'), ('line', 'joinstyle', 'bevel'),
                                     ('marker', 'name', 'circle'), ('marker', 'color', 'rgb'),
                                     ('marker', 'outline_color', '64,64,64,255'), ('marker', 'outline_style', 'solid'),
                                     ('marker', 'outline_width', '0.2'), ('marker', 'outline_width_unit', 'MM'),
                                     ('marker', 'size', '2.6'), ('marker', 'size_unit', 'MM'),
                                     ('marker', 'scale_method', 'diameter')) AS o(symbol, name, value)
                        WHERE o.symbol = _qgis_qml.symbol))))
                 ORDER BY c.ord)),
             xmlelement(name rotation), xmlelement(name sizescale)),
           xmlelement(name "blendMode", 0), xmlelement(name "featureBlendMode", 0),
           xmlelement(name "layerGeometryType", CASE symbol WHEN 'marker' THEN 0 WHEN 'line' THEN 1 ELSE 2 END))
  INTO doc
  FROM (SELECT k.ord, k.value, k.label,
               pg_catalog.format('%s,%s,%s,255', ('x' || pg_catalog.substr(k.colour, 2, 2))::bit(8)::integer,
                                 ('x' || pg_catalog.substr(k.colour, 4, 2))::bit(8)::integer,
                                 ('x' || pg_catalog.substr(k.colour, 6, 2))::bit(8)::integer) AS rgb
        FROM @extschema@._qgis_categories(kind) AS k) AS c;
  RETURN XMLPARSE(DOCUMENT $$<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>$$ || doc::text);
END
$fn$;
COMMENT ON FUNCTION _qgis_qml(text, text, text) IS
  'Internal: QML of a QGIS categorized renderer of kind zones, lisa or gi on style_column, with fill, line or marker symbols';

-- The same style as an SLD 1.1 (as QGIS exports it): one rule per category.
CREATE FUNCTION _qgis_sld(kind text, style_column text, symbol text, layer_name text, style_name text) RETURNS xml
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  doc xml;
BEGIN
  PERFORM @extschema@._qgis_check_style('_qgis_sld', kind, symbol);
  SELECT xmlelement(name "StyledLayerDescriptor",
           xmlattributes('http://www.opengis.net/sld' AS xmlns, 'http://www.opengis.net/ogc' AS "xmlns:ogc",
                         'http://www.opengis.net/se' AS "xmlns:se", 'http://www.w3.org/1999/xlink' AS "xmlns:xlink",
                         'http://www.w3.org/2001/XMLSchema-instance' AS "xmlns:xsi",
                         'http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd' AS "xsi:schemaLocation",
                         '1.1.0' AS version),
           xmlelement(name "NamedLayer", xmlelement(name "se:Name", layer_name),
             xmlelement(name "UserStyle", xmlelement(name "se:Name", style_name),
               xmlelement(name "se:FeatureTypeStyle",
                 pg_catalog.xmlagg(xmlelement(name "se:Rule",
                     xmlelement(name "se:Name", c.label),
                     xmlelement(name "se:Description", xmlelement(name "se:Title", c.label)),
                     xmlelement(name "ogc:Filter",
                       xmlelement(name "ogc:PropertyIsEqualTo", xmlelement(name "ogc:PropertyName", style_column),
                                  xmlelement(name "ogc:Literal", c.value))),
                     CASE symbol
                       WHEN 'fill' THEN
                         xmlelement(name "se:PolygonSymbolizer",
                           xmlelement(name "se:Fill", xmlelement(name "se:SvgParameter", xmlattributes('fill' AS name), c.colour)),
                           xmlelement(name "se:Stroke",
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke' AS name), '#404040'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-width' AS name), '1'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-linejoin' AS name), 'bevel')))
                       WHEN 'line' THEN
                         xmlelement(name "se:LineSymbolizer",
                           xmlelement(name "se:Stroke",
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke' AS name), c.colour),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-width' AS name), '2'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-linejoin' AS name), 'bevel'),
                             xmlelement(name "se:SvgParameter", xmlattributes('stroke-linecap' AS name), 'square')))
                       ELSE
                         xmlelement(name "se:PointSymbolizer",
                           xmlelement(name "se:Graphic",
                             xmlelement(name "se:Mark", xmlelement(name "se:WellKnownName", 'circle'),
                               xmlelement(name "se:Fill", xmlelement(name "se:SvgParameter", xmlattributes('fill' AS name), c.colour)),
                               xmlelement(name "se:Stroke",
                                 xmlelement(name "se:SvgParameter", xmlattributes('stroke' AS name), '#404040'),
                                 xmlelement(name "se:SvgParameter", xmlattributes('stroke-width' AS name), '1'))),
                             xmlelement(name "se:Size", '7')))
                     END)
                   ORDER BY c.ord)))))
  INTO doc
  FROM @extschema@._qgis_categories(kind) AS c;
  RETURN XMLPARSE(DOCUMENT doc::text);
END
$fn$;
COMMENT ON FUNCTION _qgis_sld(text, text, text, text, text) IS
  'Internal: SLD 1.1 of the QGIS style of kind zones, lisa or gi on style_column (the stylesld of public.layer_styles)';

-- public.layer_styles, ready to be written by the caller: created with QGIS's DDL when missing
-- (QgsPostgresUtils::createStylesTable; QGIS 3.22 makes the same table without r_raster_column),
-- else checked (QGIS's columns; privileges; nothing that runs another role's code), then locked
-- against concurrent writers and changes of its definition until the end of the transaction.
CREATE FUNCTION _qgis_layer_styles(func text) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  required CONSTANT text[] := ARRAY['id', 'f_table_catalog', 'f_table_schema', 'f_table_name', 'f_geometry_column',
                                    'stylename', 'styleqml', 'stylesld', 'useasdefault', 'description', 'owner', 'update_time'];
  nsp     oid;
  tbl     oid;
  rel     record;
  missing text;
  foreign_code text;
  seq     text;
BEGIN
  func := coalesce(func, 'qgis_style_layer');
  SELECT n.oid INTO nsp FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public';
  IF nsp IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_schema_name', MESSAGE = pg_catalog.format('%s: schema public does not exist', func),
      DETAIL = 'QGIS reads the styles of PostGIS layers from public.layer_styles.';
  END IF;
  SELECT c.oid INTO tbl FROM pg_catalog.pg_class c WHERE c.relnamespace = nsp AND c.relname = 'layer_styles';
  IF tbl IS NULL THEN
    IF NOT pg_catalog.has_schema_privilege(nsp, 'CREATE') THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = pg_catalog.format('%s: public.layer_styles does not exist, and creating it needs CREATE on schema public', func),
        HINT = 'A role with CREATE on schema public (e.g. the database owner) creates it with a first qgis_style_layer call, '
               'or by saving a style to the database in QGIS, and grants SELECT, INSERT, UPDATE on it and USAGE on its '
               'sequence layer_styles_id_seq (docs/privileges.md).';
    END IF;
    -- one creator at a time; a second waits here and then finds the table
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('carbonbudget.layer_styles'));
    SELECT c.oid INTO tbl FROM pg_catalog.pg_class c WHERE c.relnamespace = nsp AND c.relname = 'layer_styles';
    IF tbl IS NULL THEN
      CREATE TABLE public.layer_styles (
        id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar,
        f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean,
        description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP,
        type varchar, r_raster_column varchar);
      RETURN;
    END IF;
  END IF;

  -- trusted: a superuser's table, or one of a role whose rights the caller has anyway (a superuser
  -- caller trusts only its own and other superusers' tables)
  SELECT c.relkind, c.relowner, c.relispartition, c.relrowsecurity,
         o.rolsuper OR o.rolname = CURRENT_USER
           OR (NOT (SELECT u.rolsuper FROM pg_catalog.pg_roles u WHERE u.rolname = CURRENT_USER)
               AND pg_catalog.pg_has_role(c.relowner, 'USAGE')) AS trusted
  INTO rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles o ON o.oid = c.relowner WHERE c.oid = tbl;
  IF rel.relkind <> 'r' OR rel.relispartition THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type', MESSAGE = pg_catalog.format('%s: public.layer_styles is not a table', func),
      HINT = 'QGIS stores styles in a table public.layer_styles; rename that relation.';
  END IF;
  -- QGIS's columns, of QGIS's types (or text and timestamptz where QGIS reads them alike)
  SELECT pg_catalog.string_agg(w.col, ', ' ORDER BY w.ord) INTO missing
  FROM pg_catalog.unnest(required) WITH ORDINALITY AS w(col, ord)
  WHERE NOT EXISTS (
    SELECT FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = tbl AND a.attname = w.col::name AND a.attnum > 0 AND NOT a.attisdropped
      AND a.atttypid = ANY (CASE w.col
            WHEN 'id' THEN ARRAY['pg_catalog.int4', 'pg_catalog.int8']::pg_catalog.regtype[]
            WHEN 'styleqml' THEN ARRAY['pg_catalog.xml']::pg_catalog.regtype[]
            WHEN 'stylesld' THEN ARRAY['pg_catalog.xml']::pg_catalog.regtype[]
            WHEN 'useasdefault' THEN ARRAY['pg_catalog.bool']::pg_catalog.regtype[]
            WHEN 'update_time' THEN ARRAY['pg_catalog.timestamp', 'pg_catalog.timestamptz']::pg_catalog.regtype[]
            ELSE ARRAY['pg_catalog.varchar', 'pg_catalog.text']::pg_catalog.regtype[] END::pg_catalog.oid[])
      AND (w.col <> 'id' OR a.attidentity <> '' OR a.atthasdef));
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
      MESSAGE = pg_catalog.format('%s: public.layer_styles is not QGIS''s table of layer styles', func),
      DETAIL = pg_catalog.format('Missing, or of another type: %s.', missing),
      HINT = 'QGIS creates it with the columns id serial, f_table_catalog, f_table_schema, f_table_name, f_geometry_column, '
             'stylename, styleqml xml, stylesld xml, useasdefault boolean, description, owner, ui xml, update_time timestamp, type.';
  END IF;
  IF NOT (pg_catalog.has_table_privilege(tbl, 'SELECT') AND pg_catalog.has_table_privilege(tbl, 'INSERT')
          AND pg_catalog.has_table_privilege(tbl, 'UPDATE')) THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = pg_catalog.format('%s: writing styles needs SELECT, INSERT and UPDATE on public.layer_styles', func),
      HINT = pg_catalog.format('Its owner %s grants them (docs/privileges.md).', pg_catalog.pg_get_userbyid(rel.relowner));
  END IF;
  SELECT pg_catalog.pg_get_serial_sequence('public.layer_styles', 'id') INTO seq
  FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = 'id' AND a.attidentity = '';
  IF seq IS NOT NULL AND NOT pg_catalog.has_sequence_privilege(seq, 'USAGE') AND NOT pg_catalog.has_sequence_privilege(seq, 'UPDATE') THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = pg_catalog.format('%s: writing styles needs USAGE on sequence %s', func, seq),
      HINT = pg_catalog.format('Its owner %s grants it (docs/privileges.md).', pg_catalog.pg_get_userbyid(rel.relowner));
  END IF;

  -- writers wait for each other, and nobody changes the table's definition until commit
  LOCK TABLE public.layer_styles IN SHARE ROW EXCLUSIVE MODE;
  IF (SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relnamespace = nsp AND c.relname = 'layer_styles') IS DISTINCT FROM tbl THEN
    RAISE EXCEPTION USING ERRCODE = 'object_in_use', MESSAGE = pg_catalog.format('%s: public.layer_styles was replaced meanwhile', func),
      HINT = 'Run it again.';
  END IF;

  -- a table of another role: an INSERT or UPDATE would run that role's triggers, rules, policies and
  -- the functions of its defaults, constraints and indexes with the caller's rights, so it must have
  -- none but built-ins
  IF NOT rel.trusted THEN
    SELECT pg_catalog.string_agg(DISTINCT o.what, ', ') INTO foreign_code
    FROM (SELECT 'trigger ' || t.tgname AS what FROM pg_catalog.pg_trigger t WHERE t.tgrelid = tbl
          UNION ALL SELECT 'rule ' || r.rulename FROM pg_catalog.pg_rewrite r WHERE r.ev_class = tbl
          UNION ALL SELECT 'policy ' || p.polname FROM pg_catalog.pg_policy p WHERE p.polrelid = tbl AND rel.relrowsecurity
          UNION ALL SELECT 'foreign key ' || k.conname FROM pg_catalog.pg_constraint k WHERE k.conrelid = tbl AND k.contype = 'f'
          UNION ALL SELECT 'column ' || a.attname || ' of type ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
          FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
          WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
            AND (ty.typnamespace <> 'pg_catalog'::pg_catalog.regnamespace OR ty.typtype = 'd')
          UNION ALL SELECT pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
          FROM pg_catalog.pg_depend d
          WHERE ((d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                  AND d.objid IN (SELECT ad.oid FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = tbl))
              OR (d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                  AND d.objid IN (SELECT k.oid FROM pg_catalog.pg_constraint k WHERE k.conrelid = tbl))
              OR (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                  AND d.objid IN (SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE i.indrelid = tbl)))
            AND NOT (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                     AND (d.refobjid = tbl OR EXISTS (SELECT FROM pg_catalog.pg_class s WHERE s.oid = d.refobjid AND s.relkind = 'S')))
            AND NOT (d.refclassid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                     AND EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.oid = d.refobjid AND k.conrelid = tbl))
            AND (pg_catalog.pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid)).schema IS DISTINCT FROM 'pg_catalog') AS o;
    IF foreign_code IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = pg_catalog.format('%s: public.layer_styles of role %s has code that would run with your rights', func,
                                    pg_catalog.pg_get_userbyid(rel.relowner)),
        DETAIL = pg_catalog.format('It has %s.', foreign_code),
        HINT = 'Let its owner remove them, or write the styles as its owner.';
    END IF;
  END IF;
END
$fn$;
COMMENT ON FUNCTION _qgis_layer_styles(text) IS
  'Internal: creates public.layer_styles as QGIS does, or checks an existing one (QGIS''s columns, privileges, no code of another role), and locks it';

-- One style row of a layer: checks the layer (the caller's, not temporary, one typed geometry
-- column, the style column of the right type), then inserts the style or, with replace, rewrites
-- it where it differs.  make_default: yes (the layer's default style from now on; the others of
-- the layer lose the flag, as in QGIS), no, or if_none (default when the layer has none yet).
-- func names the public routine in messages.
CREATE FUNCTION _qgis_style_write(layer regclass, kind text, style_column text, geometry_column text,
                                  style_name text, make_default text, replace boolean, func text) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  rel      record;
  gis      text;
  geomtype oid;
  gcol     record;
  ncols    integer;
  scol     record;
  symbol   text;
  layer_where CONSTANT text := 'f_table_catalog = $1 AND f_table_schema = $2 AND f_table_name = $3 AND f_geometry_column = $4';
  old      record;
  qml      xml;
  sld      xml;
  is_default boolean;
BEGIN
  func := coalesce(func, 'qgis_style_layer');
  IF layer IS NULL OR kind IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = pg_catalog.format('%s: %s must not be NULL', func, CASE WHEN layer IS NULL THEN 'layer' ELSE 'kind' END);
  END IF;
  kind := pg_catalog.lower(kind);
  IF kind NOT IN ('zones', 'lisa', 'gi') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: unknown kind "%s"', func, kind),
      HINT = 'Use zones (the zones of paper 003), lisa (LISA clusters) or gi (Getis-Ord Gi* bins).';
  END IF;
  IF make_default IS NULL OR make_default NOT IN ('yes', 'no', 'if_none') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: make_default must be yes, no or if_none', func);
  END IF;
  SELECT c.relkind, c.relowner, c.relpersistence, c.relname, n.nspname, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
  INTO rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = layer;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: layer must be an existing table or view', func),
      DETAIL = pg_catalog.format('No relation has OID %s.', layer::oid);
  ELSIF rel.relkind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type', MESSAGE = pg_catalog.format('%s: %s is not a table or view', func, rel.name);
  ELSIF rel.relpersistence = 't' THEN
    RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = pg_catalog.format('%s: %s is a temporary relation', func, rel.name),
      DETAIL = 'QGIS cannot open the temporary relations of another session.';
  ELSIF NOT pg_catalog.pg_has_role(rel.relowner, 'USAGE') THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = pg_catalog.format('%s: must be owner of %s', func, rel.name),
      HINT = 'Style your own layers; the owner of this one can style it.';
  END IF;

  -- the geometry column: the one named, or the only one; QGIS styles a layer of one geometry type
  SELECT n.nspname INTO gis FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'postgis';
  geomtype := pg_catalog.to_regtype(pg_catalog.format('%I.geometry', gis));
  SELECT pg_catalog.count(*) INTO ncols FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = layer AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = geomtype
    AND (geometry_column IS NULL OR a.attname::text = geometry_column);
  IF ncols = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column',
      MESSAGE = CASE WHEN geometry_column IS NULL THEN pg_catalog.format('%s: %s has no geometry column', func, rel.name)
                     ELSE pg_catalog.format('%s: %s has no geometry column "%s"', func, rel.name, geometry_column) END;
  ELSIF ncols > 1 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('%s: %s has several geometry columns', func, rel.name),
      HINT = 'Name the one to style with geometry=column.';
  END IF;
  SELECT a.attname::text AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
         pg_catalog.substring(pg_catalog.format_type(a.atttypid, a.atttypmod),
                              '(?i)geometry\((?:multi)?(point|linestring|polygon)(?:zm|z|m)?[,)]') AS base
  INTO gcol FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = layer AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = geomtype
    AND (geometry_column IS NULL OR a.attname::text = geometry_column);
  IF gcol.base IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = pg_catalog.format('%s: geometry column %s of %s is %s, not a typed point, line or polygon column', func, gcol.name, rel.name, gcol.type),
      HINT = 'QGIS styles a layer of one geometry type: type the column, e.g. geom::geometry(MultiPolygon, 32617) in the view.';
  END IF;
  symbol := CASE pg_catalog.lower(gcol.base) WHEN 'point' THEN 'marker' WHEN 'linestring' THEN 'line' ELSE 'fill' END;

  -- the column the categories are read from
  style_column := coalesce(style_column, CASE kind WHEN 'zones' THEN 'zone' WHEN 'lisa' THEN 'lisa_cluster' ELSE 'gi_bin' END);
  SELECT a.attname::text AS name, t.typcategory, a.atttypid INTO scol
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = layer AND a.attname::text = style_column AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column', MESSAGE = pg_catalog.format('%s: %s has no column "%s"', func, rel.name, style_column),
      HINT = 'Name the column of the categories with column=name.';
  ELSIF (kind = 'gi' AND scol.atttypid NOT IN ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype,
                                               'pg_catalog.int8'::pg_catalog.regtype))
     OR (kind <> 'gi' AND scol.typcategory <> 'S') THEN
    RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
      MESSAGE = pg_catalog.format('%s: column %s of %s must be %s for kind %s', func, style_column, rel.name,
                                  CASE kind WHEN 'gi' THEN 'an integer (the Gi* bin, -3 to 3)' ELSE 'text' END, kind);
  END IF;
  style_name := coalesce(style_name, CASE kind WHEN 'zones' THEN 'carbonbudget zones' WHEN 'lisa' THEN 'carbonbudget LISA clusters'
                                               ELSE 'carbonbudget Gi* bins' END);

  qml := @extschema@._qgis_qml(kind, style_column, symbol);
  sld := @extschema@._qgis_sld(kind, style_column, symbol, rel.relname::text, style_name);
  PERFORM @extschema@._qgis_layer_styles(func);

  -- the layer's rows as QGIS selects them: database, schema, table and geometry column.  The column
  -- type (QGIS 3.14 and later) is left NULL: QGIS takes a row whose type is the geometry type named in
  -- the layer's URI or NULL, so the style applies however a client gives (or omits) the type.
  EXECUTE 'SELECT id::bigint AS id, styleqml::text AS qml, stylesld::text AS sld, coalesce(useasdefault, false) AS useasdefault'
          ' FROM ONLY public.layer_styles WHERE ' || layer_where || ' AND stylename = $5 ORDER BY id LIMIT 1'
    INTO old USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name, style_name;
  IF old.id IS NULL THEN
    IF make_default = 'if_none' THEN
      EXECUTE 'SELECT NOT EXISTS (SELECT FROM ONLY public.layer_styles WHERE ' || layer_where || ' AND useasdefault)'
        INTO is_default USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name;
    ELSE
      is_default := make_default = 'yes';
    END IF;
  ELSIF NOT replace THEN
    RETURN style_name;
  ELSE
    is_default := CASE make_default WHEN 'yes' THEN true WHEN 'no' THEN false ELSE old.useasdefault END;
  END IF;
  IF make_default = 'yes' THEN
    EXECUTE 'UPDATE ONLY public.layer_styles SET useasdefault = false WHERE ' || layer_where
            || ' AND useasdefault AND id IS DISTINCT FROM $5'
      USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name, old.id;
  END IF;
  IF old.id IS NULL THEN
    EXECUTE 'INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename,'
            ' styleqml, stylesld, useasdefault, description, owner, update_time)'
            ' VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CURRENT_USER, CURRENT_TIMESTAMP)'
      USING pg_catalog.current_database()::text, rel.nspname::text, rel.relname::text, gcol.name, style_name, qml, sld,
            is_default, pg_catalog.format('%s of %s, written by carbonbudget',
                                          CASE kind WHEN 'zones' THEN 'Carbon-neutral zones (paper 003)'
                                                    WHEN 'lisa' THEN 'LISA clusters' ELSE 'Getis-Ord Gi* bins' END, style_column);
  ELSIF old.qml IS DISTINCT FROM qml::text OR old.sld IS DISTINCT FROM sld::text OR old.useasdefault IS DISTINCT FROM is_default THEN
    EXECUTE 'UPDATE ONLY public.layer_styles SET styleqml = $2, stylesld = $3, useasdefault = $4, owner = CURRENT_USER,'
            ' update_time = CURRENT_TIMESTAMP WHERE id = $1'
      USING old.id, qml, sld, is_default;
  END IF;
  RETURN style_name;
END
$fn$;
COMMENT ON FUNCTION _qgis_style_write(regclass, text, text, text, text, text, boolean, text) IS
  'Internal: the work of qgis_style_layer and of the styles of refresh_zoning: checks the layer, then inserts (or, with replace, rewrites) its style in public.layer_styles';

CREATE FUNCTION qgis_style_layer(layer regclass, kind text, options text DEFAULT '') RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT VOLATILE PARALLEL UNSAFE AS $fn$
DECLARE
  opts jsonb;
BEGIN
  -- the options first: a bad key is reported whatever the other arguments are
  opts := pg_catalog.jsonb_object(@extschema@._qgis_options('qgis_style_layer', options));
  RETURN @extschema@._qgis_style_write(layer, kind, opts ->> 'column', opts ->> 'geometry', opts ->> 'name',
                                       CASE WHEN coalesce(opts ->> 'default', 'true') = 'true' THEN 'yes' ELSE 'no' END,
                                       true, 'qgis_style_layer');
END
$fn$;
COMMENT ON FUNCTION qgis_style_layer(regclass, text, text) IS
$$Writes a QGIS style of layer (a table or view of the caller's with one typed geometry column) into public.layer_styles, the table from which QGIS loads the style of a PostGIS layer when it opens it (created with QGIS's DDL when missing): a categorized renderer of kind zones (the five zones of paper 003 by zone_name, green to red; column zone), lisa (LISA clusters HH, LL, LH, HL and not significant in GeoDa's colours; column lisa_cluster) or gi (Getis-Ord Gi* bins -3 to 3 in ArcGIS's hot and cold colours; column gi_bin), as QML with an SLD. Rewrites a style of the same name; returns the style name. Options: column= (the attribute of the categories), geometry= (the geometry column when there are several), name= (the style name, default carbonbudget zones, carbonbudget LISA clusters or carbonbudget Gi* bins), default=true|false (make it the layer's default style, the one QGIS applies; default true).
Example: SELECT carbonbudget.qgis_style_layer('public.county_lisa', 'lisa', 'column=cluster');$$;

-- The styles of refresh_zoning's layers (option qgis_styles: auto, the default, writes them when
-- the caller may and says in a NOTICE why not otherwise; on makes that an error; off writes none):
-- zones on the target and <target>_layer, LISA clusters and Gi* bins on <target>_clusters, each
-- written once (a style saved over it in QGIS is kept) and made the layer's default style only when
-- the layer has none yet; Gi* bins is a second style of the clusters layer, never the default.
CREATE FUNCTION _qgis_style_zoning(target text, default_schema name, options text) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  mode    text;
  parts   text[];
  tschema text;
  tname   text;
  layers  record;
  unstyled    regclass[] := '{}';
  kinds   text[] := '{}';
  lid    oid;
BEGIN
  mode := coalesce(pg_catalog.jsonb_object(@extschema@._qgis_options('refresh_zoning', options)) ->> 'qgis_styles', 'auto');
  IF mode = 'off' OR target IS NULL THEN
    RETURN;
  END IF;
  parts := pg_catalog.parse_ident(target);
  IF pg_catalog.cardinality(parts) = 2 THEN
    tschema := parts[1]; tname := parts[2];
  ELSE
    tschema := default_schema; tname := parts[1];
  END IF;
  -- the layers of this refresh: its own (a relation of another role under a layer's name, which
  -- refresh_zoning left alone, is skipped), none for a temporary target
  FOR layers IN SELECT * FROM (VALUES (1, '', 'zones'), (2, '_layer', 'zones'), (3, '_clusters', 'lisa'),
                                      (4, '_clusters', 'gi')) AS l(ord, suffix, kind) ORDER BY l.ord LOOP
    SELECT c.oid INTO lid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = tschema AND c.relname = tname || layers.suffix AND c.relpersistence <> 't'
      AND c.relkind = CASE layers.suffix WHEN '' THEN 'r' ELSE 'v' END AND pg_catalog.pg_has_role(c.relowner, 'USAGE');
    IF lid IS NOT NULL THEN
      unstyled := unstyled || lid::regclass;
      kinds := kinds || layers.kind;
    END IF;
  END LOOP;
  IF pg_catalog.cardinality(unstyled) = 0 THEN
    RETURN;
  END IF;
  -- the table of styles first: without it (no right to create or write it) no layer is styled
  BEGIN
    PERFORM @extschema@._qgis_layer_styles('refresh_zoning');
  EXCEPTION WHEN insufficient_privilege OR wrong_object_type OR invalid_schema_name THEN
    IF mode = 'on' THEN
      RAISE;
    END IF;
    RAISE NOTICE USING MESSAGE = SQLERRM,
      DETAIL = 'The zoning table and its views are refreshed; the QGIS styles of the layers are not written.',
      HINT = 'Write them with qgis_style_layer once that is fixed (docs/privileges.md), or refresh with options ''qgis_styles=off''.';
    RETURN;
  END;
  FOR i IN 1 .. pg_catalog.cardinality(unstyled) LOOP
    BEGIN
      PERFORM @extschema@._qgis_style_write(unstyled[i], kinds[i], NULL, NULL, NULL,
                                            CASE kinds[i] WHEN 'gi' THEN 'no' ELSE 'if_none' END, false, 'refresh_zoning');
    EXCEPTION WHEN insufficient_privilege OR wrong_object_type OR undefined_column OR datatype_mismatch
                   OR invalid_parameter_value OR string_data_right_truncation THEN
      IF mode = 'on' THEN
        RAISE;
      END IF;
      RAISE NOTICE USING MESSAGE = SQLERRM,
        DETAIL = pg_catalog.format('The QGIS style of %s is not written.', unstyled[i]);
    END;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION _qgis_style_zoning(text, name, text) IS
  'Internal: the QGIS styles of the layers of a refresh_zoning target (option qgis_styles=auto|on|off)';
