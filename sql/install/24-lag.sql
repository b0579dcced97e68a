-- The spatial lag W x per row (SPEC section 4).

CREATE FUNCTION spatial_lag(value float8, geom geometry, options text DEFAULT '')
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spatial_lag_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION spatial_lag(float8, geometry, text) IS
$$Spatial lag sum_j w_ij x_j of value per row over the window partition, with the weights the options build from geom (row-standardised: the neighbours' mean); islands 0.
Options: weights options (see spatial_weights). Example: SELECT id, crime, spatial_lag(crime, geom) OVER () FROM columbus;$$;

CREATE FUNCTION spatial_lag(value float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spatial_lag_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION spatial_lag(float8, bigint, bigint[], text) IS
$$Spatial lag of value per row with weights from explicit neighbour lists (id, neighbors); options style, missing.$$;

CREATE FUNCTION spatial_lag(value float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spatial_lag_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION spatial_lag(float8, bigint, bigint[], float8[], text) IS
$$Spatial lag of value per row with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;
