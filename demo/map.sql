-- An SVG map of the counties, one of: cnc (carbon neutral capacity in five
-- natural-breaks classes), lisa (LISA clusters of CNC), zones (carbon-neutral
-- zones).  Usage: psql -At -v map=zones -f demo/map.sql > zones.svg
\set ON_ERROR_STOP on
WITH unit AS (
  SELECT c.id, ST_SimplifyPreserveTopology(c.geom, 300) AS geom,
         CASE :'map'
           WHEN 'cnc' THEN natural_breaks(c.cnc, 5) OVER ()
           WHEN 'lisa' THEN array_position(ARRAY['HH', 'HL', 'LH', 'LL', 'not significant'], l.cluster)
           WHEN 'zones' THEN z.zone_class
         END AS class
  FROM county_2020 c JOIN county_lisa l USING (id) JOIN zones z USING (id)),
legend AS (
  SELECT * FROM (VALUES
    ('cnc', 1, '#b2182b', 'largest deficit'), ('cnc', 2, '#ef8a62', ''), ('cnc', 3, '#fddbc7', ''),
    ('cnc', 4, '#a6d96a', ''), ('cnc', 5, '#1a9641', 'largest surplus'),
    ('lisa', 1, '#d7191c', 'HH'), ('lisa', 2, '#fdae61', 'HL'), ('lisa', 3, '#abd9e9', 'LH'),
    ('lisa', 4, '#2c7bb6', 'LL'), ('lisa', 5, '#eeeeee', 'not significant'),
    ('zones', 5, '#1a9641', 'carbon sink functional'), ('zones', 4, '#a6d96a', 'low-carbon development'),
    ('zones', 3, '#ffffbf', 'net-carbon stabilisation'), ('zones', 2, '#fdae61', 'high-carbon control'),
    ('zones', 1, '#d7191c', 'carbon source optimisation')) v(map, class, colour, label)
  WHERE map = :'map'),
frame AS (SELECT ST_Extent(geom) AS box FROM unit),
title AS (SELECT CASE :'map' WHEN 'cnc' THEN 'Carbon neutral capacity 2020 (natural breaks)'
                             WHEN 'lisa' THEN 'LISA clusters of carbon neutral capacity (p &lt; 0.05, 999 permutations)'
                             ELSE 'Carbon-neutral zones (paper 003 Table 6)' END
                        || ' - North Carolina counties, synthetic carbon data' AS text)
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1200" height="%s">',
              ST_XMin(box) - 10000, -ST_YMax(box) - 60000, ST_XMax(box) - ST_XMin(box) + 20000,
              ST_YMax(box) - ST_YMin(box) + 170000,
              round(1200 * (ST_YMax(box) - ST_YMin(box) + 170000) / (ST_XMax(box) - ST_XMin(box) + 20000)))
    || format('<text x="%s" y="%s" font-size="16000" font-family="sans-serif">%s</text>',
              ST_XMin(box), -ST_YMax(box) - 25000, (SELECT text FROM title))
    || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="#555" stroke-width="600"/>',
                                 ST_AsSVG(u.geom, 0, 0), g.colour), '' ORDER BY u.id)
        FROM unit u JOIN legend g USING (class))
    || (SELECT string_agg(format('<rect x="%s" y="%s" width="20000" height="12000" fill="%s" stroke="#555" stroke-width="600"/>'
                                 || '<text x="%s" y="%s" font-size="9500" font-family="sans-serif">%s</text>',
                                 ST_XMin(box) + (k - 1) * 150000, -ST_YMin(box) + 40000, g.colour,
                                 ST_XMin(box) + (k - 1) * 150000 + 25000, -ST_YMin(box) + 50000, g.label), '')
        FROM (SELECT *, row_number() OVER (ORDER BY CASE WHEN map = 'zones' THEN -class ELSE class END) AS k
              FROM legend) g)
    || '</svg>'
FROM frame;
