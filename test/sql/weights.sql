-- Spatial weights: neighbour sets against R spdep (poly2nb, knearneigh,
-- dnearneigh) and hand-built cases for the contiguity rules.
SET extra_float_digits = 0;

-- every reference edge set, both directions: no differences expected
CREATE TEMP TABLE ours AS
SELECT c.weights, w.i, w.j, w.w
FROM ref.weights_config c
CROSS JOIN LATERAL spatial_weights(
  (SELECT array_agg(id::bigint ORDER BY id) FROM ref.columbus),
  (SELECT array_agg(geom ORDER BY id) FROM ref.columbus),
  c.options || ' style=B') w;

SELECT weights, count(*) AS links FROM ours GROUP BY 1 ORDER BY 1;
(SELECT 'missing' AS problem, weights, id AS i, nb_id AS j FROM ref.nb WHERE weights <> 'colgal'
 EXCEPT SELECT 'missing', weights, i, j FROM ours)
UNION ALL
(SELECT 'extra', weights, i, j FROM ours
 EXCEPT SELECT 'extra', weights, id, nb_id FROM ref.nb)
ORDER BY 1, 2, 3, 4;

-- style=W rows sum to 1, style=B weights are 1
SELECT bool_and(abs(s - 1) < 1e-12) AS rows_sum_to_one
FROM (SELECT i, sum(w) AS s FROM spatial_weights(
        (SELECT array_agg(id::bigint) FROM ref.columbus), (SELECT array_agg(geom) FROM ref.columbus), 'weights=knn k=4') GROUP BY i) t;
SELECT bool_and(w = 1) AS binary_weights FROM ours;

-- hand-built polygons: a 3x1 strip A B C, D touching C at one corner,
-- E a two-part multipolygon whose second part shares an edge with A,
-- F inside a hole of G, H 1e-9 away from B's top edge, K 1e-6 away.
CREATE TEMP TABLE shapes (id bigint, geom geometry);
INSERT INTO shapes VALUES
 (1, 'POLYGON((0 0,1 0,1 1,0 1,0 0))'),                                    -- A
 (2, 'POLYGON((1 0,2 0,2 1,1 1,1 0))'),                                    -- B
 (3, 'POLYGON((2 0,3 0,3 1,2 1,2 0))'),                                    -- C
 (4, 'POLYGON((3 1,4 1,4 2,3 2,3 1))'),                                    -- D: corner of C
 (5, 'MULTIPOLYGON(((10 10,11 10,11 11,10 11,10 10)),((0 -1,1 -1,1 0,0 0,0 -1)))'),  -- E
 (6, 'POLYGON((21 1,22 1,22 2,21 2,21 1))'),                               -- F in G's hole
 (7, 'POLYGON((20 0,23 0,23 3,20 3,20 0),(21 1,21 2,22 2,22 1,21 1))'),   -- G
 (8, 'POLYGON((1 1.000000001,2 1.000000001,2 2,1 2,1 1.000000001))'),       -- H: within snap of B
 (9, 'POLYGON((5 1.000001,6 1.000001,6 2,5 2,5 1.000001))'),               -- K: alone
 (10,'POLYGON((5 0,6 0,6 1,5 1,5 0))');                                    -- L: 1e-6 below K
SELECT i, array_agg(j ORDER BY j) AS queen FROM spatial_weights(
  (SELECT array_agg(id ORDER BY id) FROM shapes), (SELECT array_agg(geom ORDER BY id) FROM shapes), 'style=B')
GROUP BY i ORDER BY i;
SELECT i, array_agg(j ORDER BY j) AS rook FROM spatial_weights(
  (SELECT array_agg(id ORDER BY id) FROM shapes), (SELECT array_agg(geom ORDER BY id) FROM shapes), 'weights=rook')
GROUP BY i ORDER BY i;
-- a larger snap joins K and L
SELECT i, j FROM spatial_weights(
  (SELECT array_agg(id ORDER BY id) FROM shapes), (SELECT array_agg(geom ORDER BY id) FROM shapes), 'snap=1e-5')
WHERE i IN (9, 10) ORDER BY i, j;

-- knn: ties at the k-th distance are broken by id
SELECT i, array_agg(j ORDER BY j) AS nearest2 FROM spatial_weights(
  ARRAY[10, 20, 30, 40, 50]::bigint[],
  ARRAY['POINT(0 0)', 'POINT(1 0)', 'POINT(-1 0)', 'POINT(0 1)', 'POINT(0 -1)']::geometry[],
  'weights=knn k=2')
GROUP BY i ORDER BY i;

-- geographic SRID: great-circle distances on WGS-84 in metres (1 degree of the equator = 111319.49 m)
SELECT i, j, round((1 / w)::numeric, 2) AS metres FROM spatial_weights(
  ARRAY[1, 2, 3]::bigint[],
  ARRAY['SRID=4326;POINT(0 0)', 'SRID=4326;POINT(1 0)', 'SRID=4326;POINT(0 2)']::geometry[],
  'weights=idw threshold=150000 style=B')
ORDER BY i, j;
-- threshold=auto: the smallest band that leaves no island
SELECT count(DISTINCT i) AS units_with_neighbours FROM spatial_weights(
  (SELECT array_agg(id::bigint) FROM ref.columbus), (SELECT array_agg(geom) FROM ref.columbus), 'weights=distance');
-- inverse distance with power 2, planar
SELECT i, j, w FROM spatial_weights(ARRAY[1, 2, 3]::bigint[],
  ARRAY['POINT(0 0)', 'POINT(2 0)', 'POINT(0 4)']::geometry[], 'weights=idw power=2 threshold=5 style=B')
ORDER BY i, j;
