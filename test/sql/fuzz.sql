-- Fuzz test (SPEC section 11): every routine of schema carbonbudget, read from
-- the catalogue, is called with NULL in each argument and with adversarial
-- values of each argument type; aggregates and window functions run over
-- 0, 1, 2, 3 and 30-row sets, and the support functions of aggregates get
-- real, mutated and hand-crafted states (also inside an aggregate of the
-- caller's own).  The server must survive every call (a crash ends this
-- test's connection), no call may raise an internal error (XX000) or report a
-- resource error for user input (53xxx), a call cancelled by statement_timeout
-- must stop promptly, and no call may return NaN or Infinity.  Routines added
-- later are covered without changing this file: value lists per type are in
-- fuzz.bad, valid values per type (and per argument name) in fuzz.base.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS fuzz CASCADE;
CREATE SCHEMA fuzz;

-- Replace element i of an array / bytes at offset off (crafted aggregate states).
CREATE FUNCTION fuzz.setel(a float8[], i int, v float8) RETURNS float8[] LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN cardinality(a) >= i THEN a[:i - 1] || v || a[i + 1:] ELSE a END $$;
CREATE FUNCTION fuzz.setbytes(b bytea, off int, v bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN length(b) >= off + length(v) THEN overlay(b PLACING v FROM off + 1 FOR length(v)) ELSE b END $$;

-- Valid values.  fname/argname '*' match any routine / argument; r is the row
-- of a 1-3 row set (0: a single call, or any row when no row-specific value).
CREATE TABLE fuzz.base (fname text NOT NULL DEFAULT '*', argname text NOT NULL DEFAULT '*',
                        typ regtype NOT NULL, r int NOT NULL DEFAULT 0, expr text NOT NULL);
INSERT INTO fuzz.base (typ, r, expr) VALUES
  ('float8', 0, '1.5'), ('float8', 1, '1.5'), ('float8', 2, '4.25'), ('float8', 3, '2.75'),
  ('integer', 0, '2'), ('bigint', 0, '2'), ('bigint', 1, '1'), ('bigint', 2, '2'), ('bigint', 3, '3'),
  ('boolean', 0, 'true'), ('boolean', 2, 'false'),
  ('text', 0, $$''$$),
  ('float8[]', 0, '''{1.5,2.5}'''), ('float8[]', 1, '''{1.5,2.5}'''), ('float8[]', 2, '''{3,1}'''), ('float8[]', 3, '''{2,7}'''),
  ('bigint[]', 0, '''{2,3}'''), ('bigint[]', 1, '''{2}'''), ('bigint[]', 2, '''{1,3}'''), ('bigint[]', 3, '''{2}'''),
  ('geometry', 0, $$'POLYGON((0 0,1 0,1 1,0 1,0 0))'$$),
  ('geometry', 1, $$'POLYGON((0 0,1 0,1 1,0 1,0 0))'$$),
  ('geometry', 2, $$'POLYGON((1 0,2 0,2 1,1 1,1 0))'$$),
  ('geometry', 3, $$'POLYGON((2 0,3 0,3 1,2 1,2 0))'$$),
  ('geometry[]', 0, $$ARRAY['POLYGON((0 0,1 0,1 1,0 1,0 0))', 'POLYGON((1 0,2 0,2 1,1 1,1 0))', 'POLYGON((2 0,3 0,3 1,2 1,2 0))']::geometry[]$$),
  ('raster', 0, $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 2.5, -9999)$$),
  ('raster[]', 0, $$ARRAY[ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999),
                          ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 3, -9999),
                          ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 2, -9999)]$$),
  ('jsonb', 0, $$'{"base_year": 2020, "periods": [{"to": 2030, "growth": [0.01, 0.02]}, {"to": 2060, "growth": [-0.01, 0.01]}]}'$$),
  ('bytea', 0, $$(SELECT (carbonbudget.bp_fit(y, ARRAY[x, x * x], 'epochs=5' ORDER BY y)).model
                  FROM (VALUES (1.0::float8, 2.0::float8), (2, 3), (3, 5), (4, 4)) v(y, x))$$),
  ('regclass', 0, $$'fuzz.zoning_source'$$),
  ('carbonbudget.stirpat_ridge_result', 0,
   $$(SELECT carbonbudget.stirpat_ridge(ce, ARRAY[p, w], 'k=0.01')
      FROM (VALUES (10.0::float8, 100.0::float8, 5.0::float8), (20, 150, 7), (35, 210, 8), (50, 260, 11), (61, 300, 13)) v(ce, p, w))$$);
-- rows of the 30-row set: a 6 x 5 grid of unit squares, {i} the row number 1..30
INSERT INTO fuzz.base (fname, argname, typ, r, expr) VALUES
  ('*', '*', 'float8', -1, '(({i} * 7919) % 101)::float8 / 7 + sin({i}) + 1.5'),
  ('*', '*', 'bigint', -1, '{i}'),
  ('*', '*', 'boolean', -1, '{i} % 2 = 0'),
  ('*', '*', 'geometry', -1, 'ST_MakeEnvelope(({i} - 1) % 6, ({i} - 1) / 6, ({i} - 1) % 6 + 1, ({i} - 1) / 6 + 1)'),
  ('*', '*', 'float8[]', -1, 'ARRAY[1 + ({i} * 37 % 11)::float8, 2 + sqrt({i}), 1 + ({i} % 4) + cos({i})]'),
  ('*', '*', 'bigint[]', -1, 'ARRAY(SELECT j::bigint FROM generate_series(1, 30) j WHERE abs((j - 1) % 6 - ({i} - 1) % 6) + abs((j - 1) / 6 - ({i} - 1) / 6) = 1)'),
  ('*', 'weights', 'float8[]', -1, 'ARRAY(SELECT 1::float8 / j FROM generate_series(1, 30) j WHERE abs((j - 1) % 6 - ({i} - 1) % 6) + abs((j - 1) / 6 - ({i} - 1) / 6) = 1)'),
  ('*', 'land_class', 'text', -1, '(ARRAY[''forest'', ''cropland'', ''water'', ''construction''])[{i} % 4 + 1]'),
  ('*', 'stratum', 'bigint', -1, '{i} % 3'), ('*', 's1', 'bigint', -1, '{i} % 3'), ('*', 's2', 'bigint', -1, '{i} % 2'),
  ('*', 'group', 'boolean', -1, '{i} % 3 = 0');
-- by argument name, where the type's value does not fit
INSERT INTO fuzz.base (fname, argname, typ, r, expr) VALUES
  ('*', 'land_class', 'text', 0, $$'forest'$$),
  ('*', 'land_class', 'text', 2, $$'cropland'$$),
  ('*', 'fuel', 'text', 0, $$'raw_coal'$$),
  ('*', 'species', 'text', 0, $$'pig'$$),
  ('*', 'scheme', 'text', 0, $$'huo'$$),
  ('carbon_budget', 'scheme', 'text', 0, $$'liu'$$),
  ('*', 'unit', 'text', 0, $$'t C'$$),
  ('*', 'zone', 'text', 0, $$'east'$$),
  ('*', 'method', 'text', 0, $$'quantile'$$),
  ('gini_signed', 'method', 'text', 0, $$'raffinetti'$$),
  ('hclust', 'method', 'text', 0, $$'average'$$),
  ('*', 'favourable', 'text', 0, $$'ce'$$),
  ('*', 'cep_class', 'text', 0, $$'stable'$$),
  ('*', 'target', 'text', 0, $$'fuzz.zoning_out'$$),
  ('*', 'kind', 'text', 0, $$'zones'$$),
  ('*', 'gal', 'text', 0, $$E'3\n1 1\n2\n2 2\n1 3\n3 1\n2\n'$$),
  ('*', 'gwt', 'text', 0, $$E'0 3 fuzz id\n1 2 1\n2 1 1\n2 3 0.5\n3 2 0.5\n'$$),
  ('*', 'ids', 'bigint[]', 0, '''{1,2,3}'''),
  ('*', 'weights', 'float8[]', 1, '''{1}'''), ('*', 'weights', 'float8[]', 2, '''{0.5,0.5}'''),
  ('*', 'weights', 'float8[]', 3, '''{1}'''),
  ('*', 't', 'float8[]', 0, 'array_fill(12.5::float8, ARRAY[12])'),
  ('*', 'r', 'float8[]', 0, 'array_fill(60::float8, ARRAY[12])'),
  ('*', 'shares', 'float8[]', 0, '''{0.1,0.2,0.6,0.1}'''),
  ('geodetector_discretize', 'x', 'float8[]', 0, '''{1.5,2.5,7,4,3.25}'''),
  ('geodetector_discretize', 'y', 'float8[]', 0, '''{1,2,3,4.5,5}'''),
  ('geodetector_breaks', 'x', 'float8[]', 0, '''{1.5,2.5,7,4,3.25}'''),
  ('*', 'rast', 'raster', 0, $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650),
                             ARRAY(SELECT ROW(NULL, '32BF', k * 1.5 + (k % 3), -9999)::addbandarg FROM generate_series(1, 12) k))$$),
  ('*', 'landuse', 'raster', 0, $$ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '8BUI'::text, 1, 0),
                                 1, 1, 1, ARRAY[[1, 2, 2, 4], [1, 1, 2, 5], [3, 4, 2, 1], [0, 7, 2, 1]]::float8[])$$),
  ('*', 'region', 'geometry', 0, $$'SRID=32650;POLYGON((0.5 0.5,3.5 0.5,3.5 3.5,0.5 3.5,0.5 0.5))'$$),
  ('*', 'before', 'raster', 0, $$ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '8BUI'::text, 1, 0),
                                1, 1, 1, ARRAY[[1, 2, 2, 4], [1, 1, 2, 5], [3, 4, 2, 1], [0, 7, 2, 1]]::float8[])$$),
  ('*', 'after', 'raster', 0, $$ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '8BUI'::text, 1, 0),
                               1, 1, 1, ARRAY[[1, 8, 2, 4], [8, 1, 2, 5], [3, 4, 4, 1], [1, 0, 2, 1]]::float8[])$$),
  ('*', 'transition', 'carbonbudget.landuse_transition_result', 0,
   $$(SELECT carbonbudget.landuse_transition(r, r, 'SRID=32650;POLYGON((0.5 0.5,3.5 0.5,3.5 3.5,0.5 3.5,0.5 0.5))'::geometry)
      FROM (SELECT ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '8BUI'::text, 1, 0),
                                1, 1, 1, ARRAY[[1, 2, 2, 4], [1, 1, 2, 5], [3, 4, 2, 1], [0, 7, 2, 1]]::float8[]) r) s)$$),
  ('*', 'lithology', 'text', 0, $$'carbonate'$$),
  ('*', 'from_geom', 'geometry', 0, $$'POINT(0 0)'$$),
  ('*', 'to_geom', 'geometry', 0, $$'POINT(3 4)'$$),
  ('*', 'water_content', 'float8', 0, '0.12'),
  ('*', 'economic_coefficient', 'float8', 0, '0.4'),
  ('*', 'carbon_fraction', 'float8', 0, '0.45'),
  ('*', 'years', 'float8', 0, '20');

-- Adversarial values per type ({base} is the argument's valid value).
CREATE TABLE fuzz.bad (typ regtype NOT NULL, expr text NOT NULL, nonfinite boolean NOT NULL DEFAULT false);
INSERT INTO fuzz.bad (typ, expr, nonfinite) VALUES
  ('float8', 'NULL', false), ('float8', '''NaN''', true), ('float8', '''Infinity''', true),
  ('float8', '''-Infinity''', true), ('float8', '0', false), ('float8', '-1', false), ('float8', '1e308', false),
  ('float8', '-1e308', false), ('float8', '5e-324', false), ('float8', '1e300', false), ('float8', '-2.5', false),
  ('float8', '1e15', false), ('float8', '0.5', false),
  ('integer', 'NULL', false), ('integer', '0', false), ('integer', '-1', false), ('integer', '1', false),
  ('integer', '2147483647', false), ('integer', '-2147483648', false), ('integer', '100000', false),
  ('bigint', 'NULL', false), ('bigint', '0', false), ('bigint', '-1', false),
  ('bigint', '9223372036854775807', false), ('bigint', '-9223372036854775808', false),
  ('boolean', 'NULL', false), ('boolean', 'true', false), ('boolean', 'false', false),
  ('float8[]', 'NULL', false), ('float8[]', '''{}''', false), ('float8[]', '''{NULL}''', false),
  ('float8[]', '''{1,NULL}''', false), ('float8[]', '''{{1,2},{3,4}}''', false), ('float8[]', '''{NaN}''', true),
  ('float8[]', '''{Infinity,1}''', true), ('float8[]', '''{1e308,-1e308}''', false), ('float8[]', '''{0}''', false),
  ('float8[]', '''[0:1]={1,2}''', false), ('float8[]', '''{1e300,2e300,-3e300}''', false),
  ('float8[]', 'array_fill(1e300::float8, ARRAY[12])', false),
  ('float8[]', 'array_fill(0::float8, ARRAY[40])', false),
  ('float8[]', '''{1e9,1,2}''', false), ('float8[]', '''{2147483647}''', false), ('float8[]', '''{-1}''', false),
  ('float8[]', '''{3,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}''', false),
  ('float8[]', '({base})[1:1]', false), ('float8[]', '({base})[2:]', false),
  ('float8[]', '({base}) || ARRAY[1e9::float8]', false),
  ('float8[]', 'fuzz.setel({base}, 1, 1e9)', false), ('float8[]', 'fuzz.setel({base}, 1, -1)', false),
  ('float8[]', 'fuzz.setel({base}, 1, ''NaN'')', true), ('float8[]', 'fuzz.setel({base}, 1, 2147483648)', false),
  ('float8[]', 'fuzz.setel({base}, 1, 0.5)', false), ('float8[]', 'fuzz.setel({base}, 2, 1e9)', false),
  ('float8[]', 'fuzz.setel({base}, 2, -5)', false), ('float8[]', 'fuzz.setel({base}, 3, 1e9)', false),
  ('float8[]', 'fuzz.setel({base}, 3, -1e308)', false), ('float8[]', 'fuzz.setel({base}, 8, 4326)', false),
  ('float8[]', 'fuzz.setel({base}, 8, 1e12)', false), ('float8[]', 'fuzz.setel({base}, 10, -1)', false),
  ('bigint[]', 'NULL', false), ('bigint[]', '''{}''', false), ('bigint[]', '''{NULL}''', false),
  ('bigint[]', '''{1,NULL}''', false), ('bigint[]', '''{{1,2},{2,1}}''', false), ('bigint[]', '''{1,1}''', false),
  ('bigint[]', '''{-9223372036854775808,9223372036854775807}''', false), ('bigint[]', '''[0:1]={2,3}''', false),
  ('bigint[]', '''{999}''', false), ('bigint[]', '''{1,2,3}''', false),
  ('text', 'NULL', false), ('text', $$''$$, false), ('text', $$' '$$, false), ('text', $$'NaN'$$, false),
  ('text', $$'garbage'$$, false), ('text', $$'='$$, false), ('text', $$'k='$$, false), ('text', $$'=1'$$, false),
  ('text', $$',,,'$$, false), ('text', $$'a=1 a=1'$$, false), ('text', $$repeat('x', 100000)$$, false),
  ('text', $$repeat('k=1 ', 40)$$, false), ('text', $$'Ä=ß'$$, false), ('text', $$E'\\'$$, false),
  ('text', $$'weights=knn k=2147483647'$$, false), ('text', $$'weights=knn k=0'$$, false),
  ('text', $$'weights=distance threshold=0'$$, false), ('text', $$'weights=distance threshold=1e308'$$, false),
  ('text', $$'weights=idw power=1e308'$$, false), ('text', $$'weights=idw threshold=1e-300 power=300'$$, false),
  ('text', $$'weights=rook snap=1e308'$$, false), ('text', $$'snap=-1'$$, false),
  ('text', $$'permutations=-1'$$, false), ('text', $$'permutations=99999999999999999999'$$, false),
  ('text', $$'permutations=2147483647'$$, false), ('text', $$'seed=-1'$$, false),
  ('text', $$'seed=18446744073709551616'$$, false), ('text', $$'style=Q'$$, false), ('text', $$'style=B'$$, false),
  ('text', $$'alpha=2'$$, false), ('text', $$'alpha=NaN'$$, false), ('text', $$'fdr=maybe'$$, false),
  ('text', $$'variance=total fdr=true'$$, false), ('text', $$'star=false'$$, false),
  ('text', $$'missing=drop'$$, false), ('text', $$'alternative=less'$$, false), ('text', $$'validate=false'$$, false),
  ('text', $$'kernel=gaussian fixed=true bandwidth=1e-300'$$, false), ('text', $$'bandwidth=0.5'$$, false),
  ('text', $$'bandwidth=1e308'$$, false), ('text', $$'multiscale=true'$$, false),
  ('text', $$'multiscale=true max_iter=0 tol=0'$$, false), ('text', $$'criterion=cv fixed=true'$$, false),
  ('text', $$'k=auto'$$, false), ('text', $$'k=-1'$$, false), ('text', $$'k=1e308'$$, false),
  ('text', $$'k_max=1e6 k_step=1e-9'$$, false), ('text', $$'k_max=1 k_step=1'$$, false),
  ('text', $$'enter=1 remove=0'$$, false), ('text', $$'enter=0 remove=1'$$, false),
  ('text', $$'hidden=1000000 epochs=1'$$, false), ('text', $$'epochs=0'$$, false),
  ('text', $$'learning_rate=1e308 epochs=50'$$, false), ('text', $$'z_threshold=-1'$$, false),
  ('text', $$'convention=arcgis'$$, false), ('text', $$'scheme=nope'$$, false), ('text', $$'zone=east'$$, false),
  ('text', $$'coverage=exact'$$, false), ('text', $$'coverage=exact zone=north'$$, false),
  ('text', $$'band=0'$$, false), ('text', $$'band=2147483647'$$, false), ('text', $$'pixeltype=1BB'$$, false),
  ('text', $$'pixeltype=32BF nodata=NaN'$$, false), ('text', $$'nodata=1e308'$$, false),
  ('text', $$'start=1e308 step=1e308'$$, false), ('text', $$'min_points=0'$$, false),
  ('text', $$'min_points=2147483647'$$, false), ('text', $$'method=sen'$$, false),
  ('text', $$'landcover=nope'$$, false), ('text', $$'threshold=auto'$$, false),
  ('text', $$'ward'$$, false), ('text', $$'average'$$, false), ('text', $$'single'$$, false),
  ('text', $$'natural'$$, false), ('text', $$'equal'$$, false), ('text', $$'quantile'$$, false),
  ('text', $$'forest'$$, false), ('text', $$'construction'$$, false), ('text', $$'raw_coal'$$, false),
  ('text', $$'pig'$$, false), ('text', $$'t CO2'$$, false), ('text', $$'huo'$$, false), ('text', $$'liu'$$, false),
  ('text', $$'increase'$$, false), ('text', $$'stable'$$, false), ('text', $$'chen'$$, false),
  ('text', $$'ai2017'$$, false), ('text', $$'standard'$$, false),
  ('text', $$E'3\n1 1\n2\n2 1\n1\n3 0\n'$$, false), ('text', $$E'2147483647\n'$$, false),
  ('text', $$E'0 5 x id\n1 99999999\n'$$, false), ('text', $$E'2\n1 3\n2'$$, false), ('text', $$E'-5\n'$$, false),
  ('text', $$E'1\n1 1\n1\n'$$, false), ('text', $$E'0 3 x id\n1 2 0.5\n2 1 NaN\n'$$, false),
  ('text', $$E'1 2 1e400\n'$$, false), ('text', $$E'x\n1 2 3\n'$$, false),
  ('text', $$'a.b.c'$$, false), ('text', $$'"a'$$, false), ('text', $$'pg_catalog.pg_class'$$, false),
  ('text', $$'fuzz.zoning_source'$$, false),
  ('geometry', 'NULL', false), ('geometry', $$'POINT EMPTY'$$, false), ('geometry', $$'POLYGON EMPTY'$$, false),
  ('geometry', $$'GEOMETRYCOLLECTION EMPTY'$$, false), ('geometry', $$'POINT(1 1)'$$, false),
  ('geometry', $$'LINESTRING(0 0,1 1)'$$, false), ('geometry', $$'POLYGON((0 0,1 1,1 0,0 1,0 0))'$$, false),
  ('geometry', $$'POLYGON Z((0 0 1,1 0 1,1 1 1,0 1 1,0 0 1))'$$, false),
  ('geometry', $$'POLYGON M((0 0 1,1 0 1,1 1 1,0 1 1,0 0 1))'$$, false),
  ('geometry', $$'CURVEPOLYGON(CIRCULARSTRING(0 0,1 1,2 0,1 -1,0 0))'$$, false),
  ('geometry', $$'CIRCULARSTRING(0 0,1 1,2 0)'$$, false),
  ('geometry', $$'MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)),((2 2,3 2,3 3,2 3,2 2)))'$$, false),
  ('geometry', $$'SRID=4326;POLYGON((0 0,1 0,1 1,0 1,0 0))'$$, false),
  ('geometry', $$'SRID=4326;POLYGON((170 80,190 80,190 95,170 95,170 80))'$$, false),
  ('geometry', $$'SRID=3857;POLYGON((0 0,1 0,1 1,0 1,0 0))'$$, false),
  ('geometry', $$'SRID=999999;POINT(0 0)'$$, false),
  ('geometry', $$'POLYGON((0 0,1e308 0,1e308 1e308,0 1e308,0 0))'$$, false),
  ('geometry', $$'POLYGON((-1e308 -1e308,1e308 -1e308,1e308 1e308,-1e308 1e308,-1e308 -1e308))'$$, false),
  ('geometry', $$'POINT(1e308 -1e308)'$$, false),
  ('geometry', $$'GEOMETRYCOLLECTION(POINT(0 0),POLYGON((0 0,1 0,1 1,0 0)))'$$, false),
  ('geometry', $$'TRIANGLE((0 0,0 1,1 1,0 0))'$$, false),
  ('geometry', $$'TIN(((0 0 0,0 1 0,1 1 0,0 0 0)))'$$, false),
  ('geometry', $$'POLYHEDRALSURFACE(((0 0 0,0 1 0,1 1 0,0 0 0)))'$$, false),
  ('geometry', $$'POLYGON((0 0,0 0,0 0,0 0))'$$, false),
  ('geometry', $$ST_Buffer('POINT(0 0)'::geometry, 1, 2000)$$, false),
  ('geometry[]', 'NULL', false), ('geometry[]', '''{}''', false), ('geometry[]', 'ARRAY[NULL::geometry]', false),
  ('geometry[]', $$ARRAY['POLYGON((0 0,1 0,1 1,0 1,0 0))', NULL]::geometry[]$$, false),
  ('geometry[]', $$ARRAY['POLYGON((0 0,1 0,1 1,0 1,0 0))', 'POINT EMPTY', 'POLYGON EMPTY']::geometry[]$$, false),
  ('geometry[]', $$ARRAY['POLYGON((0 0,1 0,1 1,0 1,0 0))', 'SRID=4326;POLYGON((1 0,2 0,2 1,1 1,1 0))', 'POLYGON((2 0,3 0,3 1,2 1,2 0))']::geometry[]$$, false),
  ('geometry[]', $$ARRAY[['POINT(0 0)', 'POINT(1 0)'], ['POINT(0 1)', 'POINT(1 1)']]::geometry[]$$, false),
  ('geometry[]', $$ARRAY['POLYGON((0 0,1 1,1 0,0 1,0 0))', 'POLYGON((1 0,2 0,2 1,1 1,1 0))', 'CURVEPOLYGON(CIRCULARSTRING(0 0,1 1,2 0,1 -1,0 0))']::geometry[]$$, false),
  ('geometry[]', $$ARRAY['POINT(0 0)', 'POINT(0 0)', 'POINT(0 0)']::geometry[]$$, false),
  ('geometry[]', $$ARRAY['POINT(0 0)', 'POINT(1e308 1e308)', 'POINT(-1e308 -1e308)']::geometry[]$$, false),
  ('geometry[]', $$ARRAY['POINT(0 0)', 'POINT(1 1)']::geometry[]$$, false),
  ('raster', 'NULL', false),
  ('raster', $$ST_MakeEmptyRaster(0, 0, 0, 0, 1, -1, 0, 0, 0)$$, false),
  ('raster', $$ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, -9999, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0.5, 4.5, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 4326), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 0), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0.5, 0.5, 32650), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 2, -2, 0, 0, 32650), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(3, 5, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), ARRAY[ROW(NULL, '32BF', 1, -9999)]::addbandarg[])$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), array_fill(ROW(NULL, '16BSI', -3, NULL)::addbandarg, ARRAY[12]))$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '8BUI'::text, 200, NULL)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '1BB'::text, 1, 0)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '64BF'::text, 'NaN'::float8, NULL)$$, true),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '64BF'::text, 1e308, NULL)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BUI'::text, 4294967295, NULL)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 1e300, 1e300, -1e300, 0, 0, 32650), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 0, 0, 0, 0, 0, 32650), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(4, 4, 100, 50, 0.01, -0.01, 0, 0, 4326), '32BF'::text, 1, -9999)$$, false),
  ('raster', $$ST_AddBand(ST_MakeEmptyRaster(600, 600, 0, 4, 0.01, -0.01, 0, 0, 32650), '8BUI'::text, 1, 0)$$, false),
  ('raster[]', 'NULL', false), ('raster[]', '''{}''', false), ('raster[]', 'ARRAY[NULL::raster]', false),
  ('raster[]', $$ARRAY[ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999), NULL,
                        ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999)]$$, false),
  ('raster[]', $$ARRAY[ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999),
                        ST_AddBand(ST_MakeEmptyRaster(4, 4, 0.5, 4, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999),
                        ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 2, -9999)]$$, false),
  ('raster[]', $$ARRAY[ST_MakeEmptyRaster(0, 0, 0, 0, 1, -1, 0, 0, 0), ST_MakeEmptyRaster(0, 0, 0, 0, 1, -1, 0, 0, 0),
                        ST_MakeEmptyRaster(0, 0, 0, 0, 1, -1, 0, 0, 0)]$$, false),
  ('raster[]', $$ARRAY[ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650),
                        ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650)]$$, false),
  ('raster[]', $$array_fill(ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, -9999, -9999), ARRAY[3])$$, false),
  ('raster[]', $$ARRAY[[ST_AddBand(ST_MakeEmptyRaster(4, 4, 0, 4, 1, -1, 0, 0, 32650), '32BF'::text, 1, -9999)]]$$, false),
  ('jsonb', 'NULL', false), ('jsonb', $$'null'$$, false), ('jsonb', $$'{}'$$, false), ('jsonb', $$'[]'$$, false),
  ('jsonb', $$'"x"'$$, false), ('jsonb', $$'{"periods": []}'$$, false), ('jsonb', $$'{"periods": "x"}'$$, false),
  ('jsonb', $$'{"periods": [{"to": 2030}]}'$$, false),
  ('jsonb', $$'{"periods": [{"to": 2030, "growth": [0.1, "x"]}]}'$$, false),
  ('jsonb', $$'{"periods": [{"to": 2030, "growth": [1e308, 1e308]}]}'$$, false),
  ('jsonb', $$'{"periods": [{"to": 2030, "growth": [-1, 0]}]}'$$, false),
  ('jsonb', $$'{"periods": [{"to": 99999999999, "growth": [0, 0]}]}'$$, false),
  ('jsonb', $$'{"base_year": -2147483648, "periods": [{"to": 2147483647, "growth": [0, 0]}]}'$$, false),
  ('jsonb', $$'{"step": 0, "periods": [{"to": 2030, "growth": [0, 0]}]}'$$, false),
  ('jsonb', $$'{"classes": [1, "NaN", null, 2], "periods": [{"to": 2030, "growth": [0, 0]}]}'$$, false),
  ('jsonb', $$'{"ce_base": -1, "periods": [{"to": 2030, "growth": [0, 0], "cap": [0, -1]}]}'$$, false),
  ('jsonb', $$'{"ce_base": 1e308, "periods": [{"to": 2060, "growth": [0.5, 0.5]}]}'$$, false),
  ('bytea', 'NULL', false), ('bytea', $$''$$, false), ('bytea', $$'\x00'$$, false), ('bytea', $$'\xdeadbeef'$$, false),
  ('bytea', $$decode(repeat('ff', 64), 'hex')$$, false), ('bytea', $$decode(repeat('00', 4096), 'hex')$$, false),
  ('bytea', 'substr({base}, 1, 8)', false), ('bytea', 'substr({base}, 1, length({base}) - 8)', false),
  ('bytea', $$fuzz.setbytes({base}, 0, '\xffffffff')$$, false), ('bytea', $$fuzz.setbytes({base}, 4, '\xffffff7f')$$, false),
  ('bytea', $$fuzz.setbytes({base}, 8, '\xffffff7f')$$, false), ('bytea', $$fuzz.setbytes({base}, 12, '\x00000080')$$, false),
  ('bytea', $$fuzz.setbytes({base}, 16, '\xffffffffffffffff')$$, false),
  ('bytea', $$fuzz.setbytes({base}, 24, '\x000000000000f87f')$$, true),
  ('bytea', $$({base}) || '\x01'::bytea$$, false),
  ('regclass', 'NULL', false), ('regclass', $$'pg_catalog.pg_class'$$, false), ('regclass', $$'fuzz.bad'$$, false),
  ('regclass', '0', false), ('regclass', $$'fuzz.zoning_out'$$, false),
  ('carbonbudget.stirpat_ridge_result', 'NULL', false),
  ('carbonbudget.stirpat_ridge_result', 'ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)', false),
  ('carbonbudget.stirpat_ridge_result', $$ROW(0, 1, '{}', '{}', 1, 1, '{}', 5)$$, false),
  ('carbonbudget.stirpat_ridge_result', $$ROW(0, 1, '{NULL,1}', NULL, 1, 1, NULL, 5)$$, false),
  ('carbonbudget.stirpat_ridge_result', $$ROW(0, 'NaN', '{NaN,1}', NULL, 1, 1, NULL, 5)$$, true),
  ('carbonbudget.stirpat_ridge_result', $$ROW(0, 1e308, '{1e308,1e308}', NULL, 1, 1, NULL, 5)$$, false),
  ('carbonbudget.stirpat_ridge_result', $$ROW(0, 1, '{{1,2},{3,4}}', NULL, 1, 1, NULL, 5)$$, false);

-- A source table for refresh_zoning.
CREATE TABLE fuzz.zoning_source AS
SELECT i AS id, ST_MakeEnvelope(i % 4, i / 4, i % 4 + 1, i / 4 + 1) AS geom, (i * 37 % 11)::float8 AS value,
       (i * 13 % 7)::float8 - 3 AS z_cs, (i * 5 % 7)::float8 - 3 AS z_nce, (i * 3 % 7)::float8 - 3 AS z_ce,
       1.0 AS z_ecc, -1.0 AS z_esc, 0.5 AS z_cf, (i % 3)::float8 AS z_ec, -0.5 AS z_ed,
       (ARRAY['stable', 'insignificant', 'highly significant'])[i % 3 + 1] AS cep_class, 200.0 + i * 3 AS cli
FROM generate_series(0, 15) i;

-- The valid value of an argument: r = 1..3 a row of a small set, -1 a row of
-- the 30-row set (expressions in the row number {i}), 0 a single call or any row.
CREATE FUNCTION fuzz.base_expr(fname text, argname text, typ regtype, r int) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT b.expr FROM fuzz.base b
  WHERE b.typ = base_expr.typ AND b.fname IN (base_expr.fname, '*') AND b.argname IN (coalesce(base_expr.argname, '*'), '*')
    AND b.r IN (base_expr.r, 0)
  ORDER BY b.fname = '*', b.argname = '*', b.r = 0
  LIMIT 1
$$;

-- Routines to call: name, kind, argument types and the names used to find
-- their values (support functions take the names of their aggregate's arguments).
CREATE TYPE fuzz.routine AS (oid oid, proname name, prokind "char", retset boolean, argtypes regtype[],
                             argnames text[], lookup text);
CREATE FUNCTION fuzz.routines() RETURNS SETOF fuzz.routine LANGUAGE sql STABLE AS $$
  SELECT p.oid, p.proname, p.prokind, p.proretset, ARRAY(SELECT unnest(p.proargtypes::oid[]::regtype[])),
         coalesce(p.proargnames[1:p.pronargs],
                  CASE WHEN ap.oid IS NOT NULL THEN ARRAY[NULL]::text[] || (ap.proargnames)[1:p.pronargs - 1] END,
                  array_fill(NULL::text, ARRAY[p.pronargs])),
         coalesce(ap.proname, p.proname)
  FROM pg_proc p
  LEFT JOIN LATERAL (SELECT ag.aggfnoid FROM pg_aggregate ag WHERE ag.aggtransfn = p.oid LIMIT 1) a ON true
  LEFT JOIN pg_proc ap ON ap.oid = a.aggfnoid
  WHERE p.pronamespace = 'carbonbudget'::regnamespace
    AND NOT ('internal'::regtype = ANY (p.proargtypes::oid[]::regtype[]))
$$;

-- Argument list of a routine for one row of a set: row r of 1..3, or the
-- 30-row set (r = -1, in terms of column i of generate_series).
CREATE FUNCTION fuzz.row_exprs(r fuzz.routine, rownum int) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT array_agg(format('(%s)::%s', coalesce(replace(fuzz.base_expr(r.lookup, r.argnames[k], r.argtypes[k], rownum),
                                                       '{i}', 'i'), 'NULL'),
                          format_type(r.argtypes[k], NULL)) ORDER BY k)
  FROM generate_series(1, cardinality(r.argtypes)) k
$$;

-- For every aggregate with a state SQL can see (float8[], bytea), an aggregate
-- that returns that state: final and combine functions are called with real states.
DO $$
DECLARE a record;
BEGIN
  FOR a IN SELECT ag.aggfnoid::regprocedure AS agg, p.oid, ag.aggtransfn::regproc AS sfunc,
                  format_type(ag.aggtranstype, NULL) AS stype, ag.agginitval,
                  (SELECT string_agg(format_type(t, NULL), ', ') FROM unnest(p.proargtypes::oid[]) t) AS args
           FROM pg_aggregate ag JOIN pg_proc p ON p.oid = ag.aggfnoid
           WHERE p.pronamespace = 'carbonbudget'::regnamespace AND ag.aggtranstype <> 'internal'::regtype LOOP
    EXECUTE format('CREATE AGGREGATE fuzz.state_%s(%s) (SFUNC = %s, STYPE = %s%s)', a.oid, a.args, a.sfunc, a.stype,
                   CASE WHEN a.agginitval IS NULL THEN '' ELSE format(', INITCOND = %L', a.agginitval) END);
  END LOOP;
END $$;

-- The same transition and final functions from crafted initial states, as a
-- role may declare them in an aggregate of its own.
CREATE TABLE fuzz.crafted (agg oid, craft text, state text);
DO $$
DECLARE
  a record;
  st text;
  k int := 0;
BEGIN
  FOR a IN SELECT ag.aggfnoid AS agg, ag.aggtransfn::regproc AS sfunc, nullif(ag.aggfinalfn, 0)::regproc AS ffunc,
                  format_type(ag.aggtranstype, NULL) AS stype,
                  (SELECT string_agg(format_type(t, NULL), ', ') FROM unnest(p.proargtypes::oid[]) t) AS args
           FROM pg_aggregate ag JOIN pg_proc p ON p.oid = ag.aggfnoid
           WHERE p.pronamespace = 'carbonbudget'::regnamespace AND ag.aggtranstype <> 'internal'::regtype LOOP
    FOREACH st IN ARRAY CASE WHEN a.stype = 'bytea'
        THEN ARRAY['\x', '\x00', '\x31424243', '\x31424243ffffff7f', repeat('\x31424243', 1) || repeat('00', 240)]
        ELSE ARRAY['{}', '{NaN}', '{1e9,1,2}', '{-1}', '{0,5,0,0,0,0}', '{1,2,0,0,0,0,1,1,1,1,1,1}',
                   '{3,2,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}', '{1,1,1,1,1,1,1,1,1,1}', '{0,0,0,0,0,0,0,-1,0,0}',
                   '{1,0,0,0,0,0,0,4326,0,5}', '{2,0,3,8,1,7,7,7,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}',
                   '{1,1,1e308,1e308}', '{0,0,0,0,0,0,0}', '{0,0,0,0}'] END LOOP
      k := k + 1;
      EXECUTE format('CREATE AGGREGATE fuzz.craft_%s(%s) (SFUNC = %s, STYPE = %s, INITCOND = %L%s)', k, a.args,
                     a.sfunc, a.stype, st, CASE WHEN a.ffunc IS NULL THEN '' ELSE ', FINALFUNC = ' || a.ffunc END);
      INSERT INTO fuzz.crafted VALUES (a.agg, 'fuzz.craft_' || k, st);
    END LOOP;
  END LOOP;
END $$;

-- The state an aggregate builds over the 30-row set, for its final and combine functions.
CREATE FUNCTION fuzz.built_state(fn oid) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  agg fuzz.routine;
  cols text;
BEGIN
  SELECT r.* INTO agg FROM pg_aggregate a JOIN fuzz.routines() r ON r.oid = a.aggfnoid
   WHERE (a.aggfinalfn = fn OR a.aggcombinefn = fn) AND a.aggtranstype <> 'internal'::regtype
   ORDER BY cardinality(r.argtypes) DESC LIMIT 1;
  IF NOT FOUND THEN RETURN NULL; END IF;
  cols := (SELECT string_agg('c' || k, ', ') FROM generate_series(1, cardinality(agg.argtypes)) k);
  RETURN format('(SELECT fuzz.state_%s(%s) FROM (SELECT %s FROM generate_series(1, 30) i) v(%s))',
                agg.oid, cols, array_to_string(fuzz.row_exprs(agg, -1), ', '), cols);
END $$;

-- The call for given argument expressions.  rows: 0 a single call; for
-- aggregates and window functions the size of the set: 0-3 (exprs then
-- holds max(rows, 1) * nargs expressions, row-major), or 30 (nargs
-- expressions in terms of the row number i).
CREATE FUNCTION fuzz.call(r fuzz.routine, exprs text[], rows int) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  f text := format('carbonbudget.%I', r.proname);
  nargs int := cardinality(r.argtypes);
  cols text := (SELECT string_agg('c' || k, ', ') FROM generate_series(1, nargs) k);
  over text := CASE WHEN r.prokind = 'w' THEN ' OVER ()' ELSE '' END;
  vals text;
BEGIN
  IF r.prokind = 'p' THEN
    RETURN format('CALL %s(%s)', f, array_to_string(exprs, ', '));
  ELSIF r.prokind = 'f' AND r.retset THEN
    RETURN format('SELECT count(*)::text FROM %s(%s)', f, array_to_string(exprs, ', '));
  ELSIF r.prokind = 'f' THEN
    RETURN format('SELECT (%s(%s))::text', f, array_to_string(exprs, ', '));
  ELSIF rows = 30 THEN
    RETURN format('SELECT string_agg(x::text, %L) FROM (SELECT %s(%s)%s AS x FROM (SELECT %s FROM generate_series(1, 30) i) v(%s)) s',
                  ';', f, cols, over, array_to_string(exprs, ', '), cols);
  END IF;
  SELECT string_agg('(' || (SELECT string_agg(exprs[(i - 1) * nargs + k], ', ' ORDER BY k)
                            FROM generate_series(1, nargs) k) || ')', ', ' ORDER BY i)
    INTO vals FROM generate_series(1, greatest(rows, 1)) i;
  RETURN format('SELECT string_agg(x::text, %L) FROM (SELECT %s(%s)%s AS x FROM (VALUES %s) v(%s)%s) s',
                ';', f, cols, over, vals, cols, CASE WHEN rows = 0 THEN ' WHERE false' ELSE '' END);
END $$;

-- Every call: (routine, call text, whether an input is not finite).
CREATE FUNCTION fuzz.calls() RETURNS TABLE (routine text, sql text, nonfinite boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  r fuzz.routine;
  nargs int;
  nr int;
  is_set boolean;     -- aggregate or window function
  small text[];       -- valid expressions of rows 1..3, row-major (row 1 only for single calls)
  wide text[];        -- valid expressions of the 30-row set
  state text;
  e text[];
  b record;
  v text;
BEGIN
  FOR r IN SELECT * FROM fuzz.routines() ORDER BY proname, oid LOOP
    nargs := cardinality(r.argtypes);
    is_set := r.prokind IN ('a', 'w');
    routine := format('%s(%s)', r.proname, array_to_string(r.argtypes, ', '));
    small := '{}';
    FOR i IN 1..CASE WHEN is_set THEN 3 ELSE 1 END LOOP
      small := small || fuzz.row_exprs(r, CASE WHEN is_set THEN i ELSE 0 END);
    END LOOP;
    wide := fuzz.row_exprs(r, -1);
    -- state arguments of support functions: a state the aggregate built
    state := fuzz.built_state(r.oid);
    IF state IS NOT NULL THEN
      FOR k IN 1..nargs LOOP
        IF format_type(r.argtypes[k], NULL) IN ('double precision[]', 'bytea') AND (k = 1 OR r.proname LIKE '%combine') THEN
          small[k] := format('%s::%s', state, format_type(r.argtypes[k], NULL));
        END IF;
      END LOOP;
    END IF;
    nonfinite := false;
    -- valid arguments; aggregates and window functions over 0, 1, 2, 3 and 30 rows
    IF is_set THEN
      FOREACH nr IN ARRAY ARRAY[0, 1, 2, 3] LOOP
        sql := fuzz.call(r, small[1:greatest(nr, 1) * nargs], nr); RETURN NEXT;
      END LOOP;
      sql := fuzz.call(r, wide, 30); RETURN NEXT;
    ELSE
      sql := fuzz.call(r, small, 0); RETURN NEXT;
    END IF;
    -- every argument NULL
    IF nargs > 0 THEN
      sql := fuzz.call(r, (SELECT array_agg(format('NULL::%s', format_type(t, NULL))) FROM unnest(r.argtypes) t), 1);
      RETURN NEXT;
    END IF;
    -- one argument adversarial: alone (1 row), in every row of 2, in the middle row of 3, in row 7 of 30
    FOR k IN 1..nargs LOOP
      FOR b IN SELECT * FROM fuzz.bad WHERE typ = r.argtypes[k] LOOP
        nonfinite := b.nonfinite;
        FOREACH nr IN ARRAY CASE WHEN is_set THEN ARRAY[1, 2, 3, 30] ELSE ARRAY[1] END LOOP
          IF nr = 30 THEN
            e := wide;
            v := replace(b.expr, '{base}', e[k]);
            e[k] := format('(CASE WHEN i = 7 THEN (%s)::%2$s ELSE %s END)::%2$s', v, format_type(r.argtypes[k], NULL), e[k]);
          ELSE
            e := small[1:nr * nargs];
            FOR i IN 1..nr LOOP
              IF nr <> 3 OR i = 2 THEN
                e[(i - 1) * nargs + k] := format('(%s)::%s', replace(b.expr, '{base}', e[(i - 1) * nargs + k]),
                                                 format_type(r.argtypes[k], NULL));
              END IF;
            END LOOP;
          END IF;
          sql := fuzz.call(r, e, CASE WHEN is_set THEN nr ELSE 0 END);
          RETURN NEXT;
        END LOOP;
      END LOOP;
    END LOOP;
    -- an aggregate's own support functions from crafted initial states, over 3 and 30 rows
    nonfinite := false;
    FOR b IN SELECT * FROM fuzz.crafted c WHERE c.agg = r.oid LOOP
      sql := replace(fuzz.call(r, small, 3), format('carbonbudget.%I(', r.proname), b.craft || '(');
      RETURN NEXT;
      sql := replace(fuzz.call(r, wide, 30), format('carbonbudget.%I(', r.proname), b.craft || '(');
      RETURN NEXT;
    END LOOP;
  END LOOP;
END $$;

CREATE TABLE fuzz.outcome (routine text, sql text, nonfinite boolean, sqlstate text, message text,
                           result text, seconds float8);

-- Runs one call; records its SQLSTATE (or 00000) and, for a cancelled call, how long it ran.
CREATE FUNCTION fuzz.try(routine text, call text, nonfinite boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
  res text;
  state text;
  msg text;
BEGIN
  BEGIN
    IF call LIKE 'CALL %' THEN EXECUTE call; ELSE EXECUTE call INTO res; END IF;
    state := '00000';
  EXCEPTION
    WHEN query_canceled THEN state := '57014'; msg := 'canceled';
    WHEN OTHERS THEN GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  END;
  INSERT INTO fuzz.outcome VALUES (routine, call, nonfinite, state, msg, left(res, 2000),
                                   extract(epoch FROM clock_timestamp() - started));
END $$;

-- the calls, made once: generating them is not a call and runs without the timeout
CREATE TABLE fuzz.call_list AS SELECT * FROM fuzz.calls();
RESET client_min_messages;
SELECT count(*) > 5000 AS many_calls, count(DISTINCT routine) = (SELECT count(*) FROM fuzz.routines()) AS every_routine
FROM fuzz.call_list;

-- Each call is its own statement, so statement_timeout bounds it.
SET statement_timeout = '3s';
SET client_min_messages = error;
\set ECHO none
\o /dev/null
SELECT format('SELECT fuzz.try(%L, %L, %L)', routine, sql, nonfinite) FROM fuzz.call_list \gexec
\o
\set ECHO all
RESET statement_timeout;
RESET client_min_messages;

-- The server is still here and every call was made.
SELECT count(*) = (SELECT count(*) FROM fuzz.call_list) AS all_calls_made FROM fuzz.outcome;
-- No internal errors, no resource errors for input, no slow cancellation: no rows expected.
SELECT routine, sqlstate, left(message, 200) AS message, left(sql, 300) AS sql
FROM fuzz.outcome
WHERE sqlstate LIKE 'XX%' OR sqlstate LIKE '53%' OR sqlstate LIKE '58%'
   OR (sqlstate = '57014' AND seconds > 8)
ORDER BY routine, sql;
-- No result holds NaN or Infinity: a non-finite input is an error, a finite one gives a finite
-- result (NULL where undefined): no rows expected.
SELECT routine, nonfinite AS nonfinite_input, left(result, 200) AS result, left(sql, 300) AS sql
FROM fuzz.outcome
WHERE sqlstate = '00000' AND result ~ '(NaN|Infinity)'
ORDER BY routine, sql;
-- Errors name the routine or its argument: every error message is one of ours or PostgreSQL's, not a C name.
SELECT routine, sqlstate, left(message, 200) AS message FROM fuzz.outcome
WHERE message ~ '\m(cb_[a-z_]+|palloc|SPI_[a-z]+)\M' ORDER BY 1, 2;

SET client_min_messages = warning;
DROP SCHEMA fuzz CASCADE;
