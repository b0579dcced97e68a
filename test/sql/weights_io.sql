-- GAL and GWT import/export against R spdep (read.gal, read.gwt2nb).
SET extra_float_digits = 0;

-- columbus.gal as shipped with spData: 230 links, and the published CRIME I = 0.48577
\set gal `cat data/columbus/columbus.gal`
CREATE TEMP TABLE gal AS SELECT * FROM gal_import(:'gal');
SELECT count(*) AS units, sum(cardinality(neighbors)) AS links FROM gal;
-- same links as spdep's col.gal.nb: no rows expected
(SELECT id, unnest(neighbors) FROM gal EXCEPT SELECT id, nb_id FROM ref.nb WHERE weights = 'colgal')
UNION ALL
(SELECT id, nb_id FROM ref.nb WHERE weights = 'colgal' EXCEPT SELECT id, unnest(neighbors) FROM gal);

CREATE TEMP TABLE ours AS
SELECT st.style, l.variable, (morans_i(l.x, l.id, g.neighbors, 'permutations=0 style=' || st.style)).*
FROM ref.columbus_long l JOIN gal g USING (id) CROSS JOIN (VALUES ('W'), ('B')) st(style)
GROUP BY 1, 2;
SELECT count(*) AS compared,
       count(*) FILTER (WHERE NOT (ref.close(o.i, r.i) AND ref.close(o.variance_rand, r.var_i)
                                   AND ref.close(o.z_rand, r.z_i))) AS mismatches
FROM ours o JOIN ref.global_moran r ON r.weights = 'colgal' AND r.assumption = 'randomisation'
  AND r.style = o.style AND r.variable = o.variable;
SELECT round(i::numeric, 5) AS crime_i FROM ours WHERE style = 'W' AND variable = 'CRIME';

-- export and import again: the same lists
SELECT count(*) AS roundtrip_differences FROM (
  (SELECT * FROM gal EXCEPT SELECT * FROM gal_import((SELECT gal_export(id, neighbors) FROM gal)))
  UNION ALL
  (SELECT * FROM gal_import((SELECT gal_export(id, neighbors) FROM gal)) EXCEPT SELECT * FROM gal)) d;
SELECT gal_export(id, neighbors) FROM (VALUES (3, '{1}'::bigint[]), (1, '{3}'), (2, NULL)) v(id, neighbors);

-- baltk4.GWT (spData): asymmetric 4-nearest-neighbour links weighted by distance.
-- Reference: R 4.2.2, spdep 1.2-7: nb2listw(read.gwt2nb(...), glist = distances, style = B / W),
-- moran.test(PRICE, randomisation = TRUE).
\set gwt `cat test/data/baltk4.GWT`
CREATE TEMP TABLE baltim (station bigint, price float8);
\copy baltim FROM 'test/data/baltim_price.csv' CSV HEADER
CREATE TEMP TABLE gwt AS SELECT * FROM gwt_import(:'gwt');
SELECT count(*) AS links, count(DISTINCT i) AS units FROM gwt;
CREATE TEMP TABLE balt_lists AS
SELECT b.station, b.price, array_agg(g.j ORDER BY g.j) AS neighbors, array_agg(g.w ORDER BY g.j) AS weights
FROM baltim b JOIN gwt g ON g.i = b.station GROUP BY 1, 2;
SELECT style,
       ref.close(i, CASE style WHEN 'B' THEN 0.51694837089125401 ELSE 0.50555621471998036 END) AS i_matches,
       ref.close(variance_rand, CASE style WHEN 'B' THEN 0.0021303854533589904 ELSE 0.002060955272311094 END) AS variance_matches,
       ref.close(z_rand, CASE style WHEN 'B' THEN 11.303170969680071 ELSE 11.241045493646567 END) AS z_matches
FROM (SELECT st.style, (morans_i(price, station, neighbors, weights, 'permutations=0 style=' || st.style)).*
      FROM balt_lists CROSS JOIN (VALUES ('B'), ('W')) st(style) GROUP BY 1) m
ORDER BY 1;
SELECT count(*) AS gwt_roundtrip_differences FROM (
  (SELECT * FROM gwt EXCEPT SELECT * FROM gwt_import((SELECT gwt_export(i, j, w) FROM gwt)))
  UNION ALL
  (SELECT * FROM gwt_import((SELECT gwt_export(i, j, w) FROM gwt)) EXCEPT SELECT * FROM gwt)) d;
SELECT gwt_export(i, j, w) FROM (VALUES (2, 1, 0.1), (1, 2, 1.0 / 3)) v(i, j, w);

-- malformed files name the line
SELECT * FROM gal_import(E'2\n1 1\n2\n2 x\n1');
SELECT * FROM gal_import(E'3\n1 1\n2\n2 1\n1');
SELECT * FROM gwt_import(E'0 2 x id\n1 2 0.5\n2 1');
