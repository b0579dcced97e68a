#!/usr/bin/env python3
"""Renders a PostGIS layer to PNG with QGIS, headless, in its stored QGIS style.

Reads a layer (a table or view with an integer key and a typed geometry column, such as
refresh_zoning's <target>_layer and <target>_clusters) from PostgreSQL through QGIS's
postgres provider, which applies the layer's default style from public.layer_styles
(written by carbonbudget.qgis_style_layer or refresh_zoning), or the stored style named
by --style, and exports a print layout with the map, a legend of the style's categories,
a title and a scale bar (a north arrow with --north-arrow) to a PNG.

    QT_QPA_PLATFORM=offscreen python3 scripts/render_map.py public.zoning_layer zones.png
    python3 scripts/render_map.py public.zoning_clusters gi.png --style 'carbonbudget Gi* bins'

The connection comes from --host/--port/--dbname/--user or the libpq variables (PGHOST,
PGPORT, PGDATABASE, PGUSER; the password from PGPASSWORD or ~/.pgpass, as libpq reads
them).  Needs Debian python3-qgis.
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (QGIS must see QT_QPA_PLATFORM first)
    QgsApplication, QgsDataSourceUri, QgsLayoutExporter, QgsLayoutItemLabel, QgsLayoutItemLegend,
    QgsLayoutItemMap, QgsLayoutItemPage, QgsLayoutItemPicture, QgsLayoutItemScaleBar, QgsLayoutPoint,
    QgsLayoutSize, QgsPrintLayout, QgsProject, QgsRectangle, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QFont  # noqa: E402
from qgis.PyQt.QtXml import QDomDocument  # noqa: E402

MM = QgsUnitTypes.LayoutMillimeters
PAGE_W, PAGE_H = 297.0, 210.0          # A4 landscape, mm
MARGIN, TOP = 10.0, 22.0               # page margin; top of the map frame under the title
MAP_W = 200.0                          # map frame width; the legend stands to its right
MAP_MIN_H, MAP_MAX_H = 90.0, 160.0     # map frame height, under it the scale bar


def open_layer(args) -> QgsVectorLayer:
    schema, _, table = args.layer.rpartition(".")
    uri = QgsDataSourceUri()
    uri.setConnection(args.host or "", args.port or "5432", args.dbname or "", args.user or "", "")
    # views have no primary key: the integer key is named, as in QGIS's "key column"
    uri.setDataSource(schema or "public", table, args.geometry, "", args.key)
    layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    if not layer.isValid():
        raise SystemExit(f"render_map: cannot open {args.layer} through the QGIS postgres provider")
    return layer


def apply_style(layer: QgsVectorLayer, name: str) -> str:
    """Applies the stored style called name (None: the default style QGIS applied on opening)."""
    related, ids, names, _descriptions, error = layer.listStylesInDatabase()
    if error:
        raise SystemExit(f"render_map: cannot list the styles of {layer.name()}: {error}")
    own = list(zip(ids[:related], names[:related]))
    if not own:
        raise SystemExit(f"render_map: no QGIS style of {layer.name()} in public.layer_styles "
                         "(write one with carbonbudget.qgis_style_layer)")
    if name is None:
        # QGIS lists the default style first (ORDER BY useasdefault DESC, update_time DESC) and has
        # applied it when it opened the layer
        return own[0][1]
    for style_id, style_name in own:
        if style_name == name:
            qml, error = layer.getStyleFromDatabase(style_id)
            doc = QDomDocument()
            if error or not doc.setContent(qml)[0]:
                raise SystemExit(f"render_map: cannot read style {name!r}: {error}")
            ok, error = layer.importNamedStyle(doc)
            if not ok:
                raise SystemExit(f"render_map: cannot apply style {name!r}: {error}")
            return name
    raise SystemExit(f"render_map: {layer.name()} has no stored style {name!r}; it has: "
                     + ", ".join(n for _, n in own))


def compose(project: QgsProject, layer: QgsVectorLayer, title: str, legend_title: str,
            north_arrow: bool) -> QgsPrintLayout:
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Landscape)

    heading = QgsLayoutItemLabel(layout)
    heading.setText(title)
    heading.setFont(QFont("DejaVu Sans", 18, QFont.Bold))
    heading.attemptMove(QgsLayoutPoint(MARGIN, 6, MM))
    heading.attemptResize(QgsLayoutSize(PAGE_W - 2 * MARGIN, 12, MM))
    layout.addLayoutItem(heading)

    # the frame takes the layer's shape within the page (a wide region gets a low frame), the
    # extent is the layer's with a 5 % margin, widened to the frame's shape
    box = layer.extent()
    width, height = box.width() * 1.05, box.height() * 1.05
    frame_h = min(max(MAP_W * height / width, MAP_MIN_H), MAP_MAX_H) if width > 0 else MAP_MAX_H
    ratio = MAP_W / frame_h
    width, height = max(width, height * ratio), max(height, width / ratio)
    centre = box.center()
    extent = QgsRectangle(centre.x() - width / 2, centre.y() - height / 2,
                          centre.x() + width / 2, centre.y() + height / 2)
    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)
    map_item.attemptMove(QgsLayoutPoint(MARGIN, TOP, MM))
    map_item.attemptResize(QgsLayoutSize(MAP_W, frame_h, MM))
    map_item.setFrameEnabled(True)
    map_item.setLayers([layer])
    map_item.setCrs(layer.crs())
    map_item.setExtent(extent)      # of the frame's shape, so the frame keeps its size

    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(legend_title)
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(True)
    legend.attemptMove(QgsLayoutPoint(MARGIN + MAP_W + 6, TOP, MM))
    layout.addLayoutItem(legend)
    legend.adjustBoxSize()

    scale_bar = QgsLayoutItemScaleBar(layout)
    scale_bar.setStyle("Single Box")
    scale_bar.setLinkedMap(map_item)
    metres = layer.crs().mapUnits() == QgsUnitTypes.DistanceMeters
    wide = map_item.extent().width() > 20000
    scale_bar.applyDefaultSize(QgsUnitTypes.DistanceKilometers if metres and wide
                               else layer.crs().mapUnits())
    layout.addLayoutItem(scale_bar)
    scale_bar.attemptMove(QgsLayoutPoint(MARGIN, TOP + frame_h + 4, MM))

    if north_arrow:
        svg = next((os.path.join(p, "arrows", "NorthArrow_02.svg") for p in QgsApplication.svgPaths()
                    if os.path.exists(os.path.join(p, "arrows", "NorthArrow_02.svg"))), None)
        if svg is None:
            raise SystemExit("render_map: QGIS's north arrow (arrows/NorthArrow_02.svg) is not installed")
        arrow = QgsLayoutItemPicture(layout)
        arrow.setPicturePath(svg)
        arrow.setLinkedMap(map_item)
        arrow.attemptMove(QgsLayoutPoint(MARGIN + MAP_W - 12, TOP + frame_h + 3, MM))  # under the frame
        arrow.attemptResize(QgsLayoutSize(12, 12, MM))
        layout.addLayoutItem(arrow)
    return layout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layer", help="schema.relation: an integer key and a typed geometry column")
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--host", default=os.environ.get("PGHOST"))
    parser.add_argument("--port", default=os.environ.get("PGPORT"))
    parser.add_argument("--dbname", default=os.environ.get("PGDATABASE"))
    parser.add_argument("--user", default=os.environ.get("PGUSER"))
    parser.add_argument("--key", default="id", help="integer key column (default id)")
    parser.add_argument("--geometry", default="geom", help="geometry column (default geom)")
    parser.add_argument("--style", help="a stored style of the layer by name (default: its default style)")
    parser.add_argument("--title", help="map title (default: the layer's name)")
    parser.add_argument("--north-arrow", action="store_true", help="add a north arrow")
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args()

    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    try:
        project = QgsProject.instance()
        layer = open_layer(args)
        style = apply_style(layer, args.style)
        layer.setName(style)            # the legend's heading over the categories
        project.addMapLayer(layer)
        project.setCrs(layer.crs())
        layout = compose(project, layer, args.title or args.layer, "Legend", args.north_arrow)
        # the page as an image (exportToImage would also try to georeference the PNG through GDAL)
        image = QgsLayoutExporter(layout).renderPageToImage(0, QSize(), args.dpi)
        if image.isNull() or not image.save(args.out, "PNG"):
            raise SystemExit(f"render_map: cannot write {args.out}")
        print(f"{args.out}: {image.width()} x {image.height()} pixels, {layer.featureCount()} features of "
              f"{args.layer} in style {style!r}")
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
