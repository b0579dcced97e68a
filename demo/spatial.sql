-- carbonbudget demo, part 1: spatial autocorrelation on the Columbus (Ohio)
-- neighbourhoods bundled in data/columbus (spData, CC0), loaded with shp2pgsql.
\pset footer off
SET search_path = public, carbonbudget;

\echo
\echo '== Queen contiguity weights (R spdep poly2nb rules)'
SELECT count(*) AS links,
       round(count(*)::numeric / (SELECT count(*) FROM columbus), 2) AS mean_neighbours,
       (SELECT count(*) FROM columbus) - count(DISTINCT i) AS islands
FROM spatial_weights((SELECT array_agg(polyid::bigint) FROM columbus),
                     (SELECT array_agg(geom) FROM columbus), 'weights=queen');

\echo
\echo '== Global Moran''s I of residential crime (queen, row-standardised, 999 permutations)'
SELECT round(i::numeric, 5) AS i, round(expected::numeric, 5) AS expected,
       round(z_rand::numeric, 3) AS z_rand, p_rand, p_sim, n, islands
FROM (SELECT (morans_i(crime, geom, 'weights=queen permutations=999 seed=42')).* FROM columbus) m;

\echo
\echo '== The same with the GAL file shipped with the data (the published I = 0.48577)'
SELECT round(i::numeric, 5) AS i, round(z_rand::numeric, 3) AS z_rand, p_sim
FROM (SELECT (morans_i(c.crime, g.id, g.neighbors)).* FROM columbus c
      JOIN gal_import(:'gal') g ON g.id = c.polyid) m;

\echo
\echo '== LISA clusters of crime (conditional permutation, alpha = 0.05)'
CREATE TEMP TABLE lisa AS
SELECT polyid, crime, (local_moran(crime, geom, 'permutations=999 seed=42') OVER ()).*
FROM columbus;
SELECT cluster, count(*) AS neighbourhoods, round(avg(crime)::numeric, 1) AS mean_crime
FROM lisa GROUP BY cluster ORDER BY cluster;

\echo
\echo '== Significant LISA units'
SELECT polyid, round(crime::numeric, 1) AS crime, round(ii::numeric, 3) AS ii, round(z::numeric, 2) AS z,
       p_sim, quadrant, cluster
FROM lisa WHERE cluster <> 'not significant' ORDER BY cluster, polyid;

\echo
\echo '== Getis-Ord Gi* hot and cold spots (ArcGIS bins)'
SELECT bin, count(*) AS neighbourhoods
FROM (SELECT (getis_ord_gi(crime, geom, 'weights=queen') OVER ()).bin FROM columbus) g
GROUP BY bin ORDER BY bin DESC;
