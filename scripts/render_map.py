#!/usr/bin/env python3
"""Renders a PNG map of carbon-neutral zones with QGIS, headless.

Reads a zoning layer (refresh_zoning's <target>_layer view or table: integer key
``id``, typed geometry ``geom``, text ``zone``) from PostgreSQL through QGIS's
postgres provider, colours the five zones of paper 003 and writes a PNG.

    QT_QPA_PLATFORM=offscreen python3 scripts/render_map.py public.zoning_layer zones.png

The connection comes from the usual libpq variables (PGHOST, PGPORT,
PGDATABASE, PGUSER, PGPASSWORD).  Needs Debian python3-qgis.
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (QGIS must see QT_QPA_PLATFORM first)
    QgsApplication, QgsCategorizedSymbolRenderer, QgsDataSourceUri, QgsFillSymbol,
    QgsMapRendererParallelJob, QgsMapSettings, QgsRendererCategory, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

# Zones from the highest total score (carbon sink) to the lowest, greens to reds
ZONE_COLOURS = [
    ("carbon sink functional", "#1a9641"),
    ("low-carbon development", "#a6d96a"),
    ("net-carbon stabilisation", "#ffffbf"),
    ("high-carbon control", "#fdae61"),
    ("carbon source optimisation", "#d7191c"),
]


def zone_layer(relation: str) -> QgsVectorLayer:
    schema, _, table = relation.rpartition(".")
    uri = QgsDataSourceUri()
    uri.setConnection(os.environ.get("PGHOST", ""), os.environ.get("PGPORT", "5432"),
                      os.environ.get("PGDATABASE", ""), os.environ.get("PGUSER", ""),
                      os.environ.get("PGPASSWORD", ""))
    # the integer key of the layer is named explicitly, as views have no primary key
    uri.setDataSource(schema or "public", table, "geom", "", "id")
    layer = QgsVectorLayer(uri.uri(False), "zones", "postgres")
    if not layer.isValid():
        raise SystemExit(f"render_map: cannot open {relation} through the QGIS postgres provider")
    return layer


def style_zones(layer: QgsVectorLayer) -> None:
    categories = []
    for name, colour in ZONE_COLOURS:
        symbol = QgsFillSymbol.createSimple({"color": colour, "outline_color": "#404040",
                                             "outline_width": "0.2"})
        categories.append(QgsRendererCategory(name, symbol, name))
    layer.setRenderer(QgsCategorizedSymbolRenderer("zone", categories))


def render(layer: QgsVectorLayer, out: str, width: int, height: int) -> None:
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setBackgroundColor(QColor("white"))
    settings.setOutputSize(QSize(width, height))
    settings.setDestinationCrs(layer.crs())
    extent = layer.extent()
    extent.scale(1.05)
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    if not job.renderedImage().save(out, "PNG"):
        raise SystemExit(f"render_map: cannot write {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layer", help="schema.relation with id, geom and zone columns")
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()

    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    try:
        layer = zone_layer(args.layer)
        style_zones(layer)
        render(layer, args.out, args.width, args.height)
        print(f"{args.out}: {layer.featureCount()} units")
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
