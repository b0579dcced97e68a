-- Spatial weights (SPEC section 3).

CREATE FUNCTION spatial_weights(ids bigint[], geoms geometry[], options text DEFAULT '')
RETURNS TABLE (i bigint, j bigint, w float8)
AS 'MODULE_PATHNAME', 'cb_spatial_weights'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000 ROWS 1000;

COMMENT ON FUNCTION spatial_weights(bigint[], geometry[], text) IS
$$Spatial weights between units as (i, j, w) rows: i and j are ids from ids, w the weight (unitless; row sums are 1 with style=W).
Options: weights=queen|rook|knn|distance|idw (default queen), k=6 (knn), threshold=<distance>|auto (distance, idw; SRID units, metres for lon/lat),
power=1 (idw), style=W|B, snap=1.49e-8 (queen, rook; coordinate units), validate=true.
Contiguity as R spdep poly2nb; distances between centroids (great circle on WGS-84 for geographic SRIDs). Islands have no rows.
Example: SELECT * FROM spatial_weights(array_agg(id), array_agg(geom), 'weights=rook') ...$$;

-- GAL and GWT text formats (GeoDa; read by R spdep read.gal / read.gwt2nb and PySAL)

CREATE FUNCTION gal_import(gal text)
RETURNS TABLE (id bigint, neighbors bigint[])
AS 'MODULE_PATHNAME', 'cb_gal_import'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gal_import(text) IS
$$Reads a GAL neighbour file (header "n" or "0 n layer key", then "id k" and the k neighbour ids per unit) into (id, neighbors) rows.
Feed them to the neighbour-list forms of morans_i, local_moran, getis_ord_gi and general_g.
Example: SELECT * FROM gal_import(pg_read_file('/path/columbus.gal'));$$;

CREATE FUNCTION gwt_import(gwt text)
RETURNS TABLE (i bigint, j bigint, w float8)
AS 'MODULE_PATHNAME', 'cb_gwt_import'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gwt_import(text) IS
$$Reads a GWT weights file (header, then "i j w" per link) into (i, j, w) rows; aggregate them per i into neighbors and weights arrays
for the weighted neighbour-list forms. Example: SELECT i, array_agg(j ORDER BY j), array_agg(w ORDER BY j) FROM gwt_import(:'gwt') GROUP BY i;$$;

CREATE FUNCTION _gal_export_step(internal, bigint, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gal_export_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gal_export_step(internal, bigint, bigint[]) IS 'Transition function of gal_export';
CREATE FUNCTION _gal_export_final(internal) RETURNS text
AS 'MODULE_PATHNAME', 'cb_gal_export_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gal_export_final(internal) IS 'Final function of gal_export';
CREATE AGGREGATE gal_export(id bigint, neighbors bigint[]) (
  SFUNC = _gal_export_step, STYPE = internal, FINALFUNC = _gal_export_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE gal_export(bigint, bigint[]) IS
$$Writes (id, neighbors) rows as GAL text, units ordered by id; a NULL or empty list is a unit without neighbours.
Example: SELECT gal_export(i, array_agg(j ORDER BY j)) FROM spatial_weights(...) GROUP BY i;$$;

CREATE FUNCTION _gwt_export_step(internal, bigint, bigint, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_gwt_export_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gwt_export_step(internal, bigint, bigint, float8) IS 'Transition function of gwt_export';
CREATE FUNCTION _gwt_export_final(internal) RETURNS text
AS 'MODULE_PATHNAME', 'cb_gwt_export_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _gwt_export_final(internal) IS 'Final function of gwt_export';
CREATE AGGREGATE gwt_export(i bigint, j bigint, w float8) (
  SFUNC = _gwt_export_step, STYPE = internal, FINALFUNC = _gwt_export_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE gwt_export(bigint, bigint, float8) IS
$$Writes (i, j, w) links as GWT text ordered by i, j, with weights in shortest round-trip decimal.
Example: SELECT gwt_export(i, j, w) FROM spatial_weights(ids, geoms, 'weights=idw threshold=5000 style=B');$$;
