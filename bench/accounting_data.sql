-- Counties for bench/accounting.sh: 100 Voronoi polygons (fixed seed) over the
-- land-cover raster's extent, and the climate rasters of the NEP comparison.
SELECT setseed(0.42);
CREATE TABLE bench.county AS
WITH ext AS (SELECT ST_Envelope(ST_Union(ST_Envelope(rast))) AS box FROM bench.lc),
     pts AS (SELECT ST_SetSRID(ST_Collect(ST_MakePoint(ST_XMin(box) + random() * (ST_XMax(box) - ST_XMin(box)),
                                                       ST_YMin(box) + random() * (ST_YMax(box) - ST_YMin(box)))), 32650)
             AS g FROM ext, generate_series(1, 100))
SELECT row_number() OVER ()::int AS id, ST_Intersection((d).geom, ext.box) AS geom
FROM ext, pts, ST_Dump(ST_VoronoiPolygons(pts.g, 0, ext.box)) d;
CREATE INDEX ON bench.county USING gist (geom);
ANALYZE bench.county;

-- NPP (g C m-2 yr-1), annual mean temperature (C) and annual precipitation (mm) on the first :nep_tiles tiles
CREATE TABLE bench.clim AS
SELECT rid, ST_MapAlgebra(rast, 1, '32BF', '200 + 40 * [rast.val]') AS npp,
       ST_MapAlgebra(rast, 1, '32BF', '([rast.x] % 30) - 5') AS t,
       ST_MapAlgebra(rast, 1, '32BF', '400 + ([rast.y] % 50) * 20') AS p
FROM bench.lc WHERE rid <= :nep_tiles;
