#!/usr/bin/env python3
"""QGIS's view of the styles in public.layer_styles (test/sql/qgis_styles.sql).

Opens each layer of schema SCHEMA of database DB with PyQGIS headless through the postgres provider,
as QGIS does, and prints what QGIS applied: the renderer, its column, its categories with labels and
colours, how many features each draws; then the Gi* style loaded from the database, the SLD read by
QGIS, and a map rendered by scripts/render_map.py, checked pixel by pixel.

    python3 test/lib/qgis_styles.py contrib_regression qstyle RENDER_MAP_PY
"""
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication, QgsDataSourceUri, QgsProviderRegistry, QgsRenderContext, QgsVectorLayer, QgsWkbTypes)
from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402
from qgis.PyQt.QtXml import QDomDocument  # noqa: E402

DB, SCHEMA, RENDER_MAP = sys.argv[1], sys.argv[2], sys.argv[3]


def uri_of(table, wkb_type=None):
    uri = QgsDataSourceUri()
    uri.setConnection(os.environ.get("PGHOST", ""), os.environ.get("PGPORT", "5432"), DB,
                      os.environ.get("PGUSER", ""), "")
    uri.setDataSource(SCHEMA, table, "geom", "", "id")
    if wkb_type is not None:
        uri.setWkbType(wkb_type)
    return uri


def open_layer(table, wkb_type=None):
    layer = QgsVectorLayer(uri_of(table, wkb_type).uri(False), table, "postgres")
    if not layer.isValid():
        raise SystemExit(f"{SCHEMA}.{table}: QGIS cannot open it")
    return layer


def describe(layer, what):
    """The renderer QGIS applied, and the features each category draws."""
    renderer = layer.renderer()
    if renderer.type() != "categorizedSymbol":
        print(f"{what}: {renderer.type()} renderer, not the stored categorized style")
        return
    context = QgsRenderContext()
    renderer.startRender(context, layer.fields())
    drawn = [0] * len(renderer.categories())
    for feature in layer.getFeatures():
        if renderer.symbolForFeature(feature, context) is not None:
            drawn[renderer.categoryIndexForValue(feature[renderer.classAttribute()])] += 1
    renderer.stopRender(context)
    symbol_types = {c.symbol().type() for c in renderer.categories()}
    kinds = {0: "marker", 1: "line", 2: "fill"}
    print(f"{what}: categorized on {renderer.classAttribute()}, "
          f"{'/'.join(kinds.get(t, str(t)) for t in sorted(symbol_types))} symbols; "
          f"{sum(drawn)} of {layer.featureCount()} features drawn")
    for category, n in zip(renderer.categories(), drawn):
        print(f"  {category.value()!s:>26} | {category.label():<26} | {category.symbol().color().name()} | {n}")


def stored_styles(layer):
    related, ids, names, _descriptions, error = layer.listStylesInDatabase()
    if error:
        raise SystemExit(f"{layer.name()}: {error}")
    return list(zip(ids[:related], names[:related]))


def load_named(layer, name):
    style_id = dict((n, i) for i, n in stored_styles(layer))[name]
    qml, error = layer.getStyleFromDatabase(style_id)
    doc = QDomDocument()
    doc.setContent(qml)
    ok, error = layer.importNamedStyle(doc)
    if not ok:
        raise SystemExit(f"{layer.name()}: cannot apply {name}: {error}")


def check_sld(layer, table, name):
    """QGIS reads the stored SLD into a rule-based renderer with one rule per category."""
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    connection = metadata.createConnection(uri_of(table).uri(False), {})
    rows = connection.executeSql(
        "SELECT stylesld::text FROM public.layer_styles WHERE f_table_catalog = current_database() "
        f"AND f_table_schema = '{SCHEMA}' AND f_table_name = '{table}' AND stylename = '{name}'")
    with tempfile.NamedTemporaryFile("w", suffix=".sld", delete=False) as sld:
        sld.write(rows[0][0])
    try:
        message, ok = layer.loadSldStyle(sld.name)
    finally:
        os.unlink(sld.name)
    rules = layer.renderer().rootRule().children() if ok else []
    print(f"{SCHEMA}.{table} SLD of {name}: {'read' if ok else 'not read: ' + message}, "
          f"{layer.renderer().type()} renderer, {len(rules)} rules: "
          + ", ".join(f"{r.label()} {r.symbol().color().name()}" for r in rules))


def check_render(table, colours):
    """scripts/render_map.py draws the map in the stored colours and a legend beside it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "map.png")
        run = subprocess.run([sys.executable, RENDER_MAP, f"{SCHEMA}.{table}", out, "--dbname", DB,
                              "--title", "Carbon-neutral zones", "--north-arrow"],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(f"render_map.py failed: {run.stdout}{run.stderr}")
            return
        image = QImage(out)
    # at 150 dpi: the map frame spans x 10-210 mm, the legend starts at x 216 mm
    px = 150 / 25.4
    map_right, legend_left = int(210 * px), int(216 * px)
    counts = {name: [0, 0] for name in colours}
    wanted = {QColor(c).rgb(): name for name, c in colours.items()}
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            name = wanted.get(image.pixel(x, y))
            if name is not None and x < map_right:
                counts[name][0] += 1
            elif name is not None and x >= legend_left:
                counts[name][1] += 1
    print(f"render_map.py {SCHEMA}.{table}: {image.width()} x {image.height()} PNG; "
          + ", ".join(f"{name}: {'in the map' if m >= 50 else 'NOT in the map'}, "
                      f"{'in the legend' if g >= 20 else 'NOT in the legend'}"
                      for name, (m, g) in counts.items()))


def main():
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    try:
        for table in ("zones", "zones_layer", "zones_clusters", "lisa_points", "gi_lines"):
            layer = open_layer(table)
            default = stored_styles(layer)[0][1]
            describe(layer, f"{SCHEMA}.{table} opened, default style {default}")
        # a URI with the geometry type, as QGIS's browser makes it: the same style
        describe(open_layer("zones_layer", QgsWkbTypes.MultiPolygon), f"{SCHEMA}.zones_layer (type=MultiPolygon)")
        clusters = open_layer("zones_clusters")
        print(f"{SCHEMA}.zones_clusters stored styles: " + ", ".join(n for _, n in stored_styles(clusters)))
        load_named(clusters, "carbonbudget Gi* bins")
        describe(clusters, f"{SCHEMA}.zones_clusters with carbonbudget Gi* bins loaded from the database")
        check_sld(open_layer("zones_layer"), "zones_layer", "carbonbudget zones")
        check_sld(open_layer("zones_clusters"), "zones_clusters", "carbonbudget Gi* bins")
        zones = open_layer("zones_layer")       # kept: the renderer belongs to the layer
        check_render("zones_layer", {c.label(): c.symbol().color().name() for c in zones.renderer().categories()})
    finally:
        app.exitQgis()


if __name__ == "__main__":
    main()
