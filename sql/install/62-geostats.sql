-- Geometry statistics (SPEC section 9): weighted mean centre and standard deviational ellipse (paper 004 eqs.2-4).

CREATE TYPE std_ellipse_result AS (
  center       geometry, -- weighted mean centre of the centroids (SRID kept)
  sigma_x      float8,   -- standard distance along the rotated x axis (SRID units)
  sigma_y      float8,   -- standard distance along the rotated y axis, the major axis (SRID units)
  rotation_deg float8,   -- rotation of the y axis, degrees clockwise from north, [0, 180)
  ellipse      geometry  -- the ellipse outline as a polygon (360 vertices)
);
COMMENT ON TYPE std_ellipse_result IS 'Standard deviational ellipse: centre, axes, rotation and outline (paper 004 eqs.2-4)';

CREATE TYPE center_shift_result AS (
  distance    float8, -- SRID units (planar) or metres (geographic SRID)
  bearing_deg float8  -- direction of the move, degrees clockwise from north, [0, 360)
);
COMMENT ON TYPE center_shift_result IS 'Shift of a centre between two years: distance and bearing';

CREATE FUNCTION _mean_center_step(float8[], geometry, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_mean_center_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mean_center_step(float8[], geometry, float8) IS 'Transition function of mean_center: adds the weighted centroid to the running moments';
CREATE FUNCTION _std_ellipse_step(float8[], geometry, float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_std_ellipse_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _std_ellipse_step(float8[], geometry, float8) IS 'Transition function of std_ellipse: adds the weighted centroid to the running moments';
CREATE FUNCTION _std_ellipse_step(float8[], geometry, float8, text) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_std_ellipse_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _std_ellipse_step(float8[], geometry, float8, text) IS 'Transition function of std_ellipse with options';
CREATE FUNCTION _geo_moments_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'cb_geo_moments_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _geo_moments_combine(float8[], float8[]) IS 'Combine function of mean_center and std_ellipse: merges two partial moment states (Chan et al.)';
CREATE FUNCTION _mean_center_final(float8[]) RETURNS geometry
AS 'MODULE_PATHNAME', 'cb_mean_center_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _mean_center_final(float8[]) IS 'Final function of mean_center: the weighted mean centre as a point';
CREATE FUNCTION _std_ellipse_final(float8[]) RETURNS std_ellipse_result
AS 'MODULE_PATHNAME', 'cb_std_ellipse_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _std_ellipse_final(float8[]) IS 'Final function of std_ellipse: rotation, axes and outline from the moments';

-- state: rows, sum w, mean x, mean y, Sxx, Syy, Sxy, SRID (-1 unset), skipped rows, scale (0 unset)
CREATE AGGREGATE mean_center(geom geometry, weight float8) (
  SFUNC = _mean_center_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,-1,0,0}',
  COMBINEFUNC = _geo_moments_combine, FINALFUNC = _mean_center_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE mean_center(geometry, float8) IS
$$Weighted mean centre (centre of gravity, paper 004) of the centroids of geom: (sum w x / sum w, sum w y / sum w) as a point with the input SRID, in SRID units. Rows with NULL or empty geometry or NULL or zero weight are skipped; negative weights and mixed SRIDs are errors; no usable rows give NULL.
Example: SELECT year, ST_AsText(mean_center(geom, ce)) FROM county_year GROUP BY year;$$;

CREATE AGGREGATE std_ellipse(geom geometry, weight float8) (
  SFUNC = _std_ellipse_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,-1,0,0}',
  COMBINEFUNC = _geo_moments_combine, FINALFUNC = _std_ellipse_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE std_ellipse(geometry, float8) IS
$$Weighted standard deviational ellipse of the centroids of geom (paper 004 eqs.2-4): tan(theta) = (A + sqrt(A^2 + 4B^2)) / 2B with A = sum w x'^2 - sum w y'^2, B = sum w x'y' (x', y' from the weighted mean centre); sigma_x = sqrt(sum w (x' cos - y' sin)^2 / sum w), sigma_y = sqrt(sum w (x' sin + y' cos)^2 / sum w), in SRID units; rotation_deg = theta, the major (y) axis clockwise from north. Result (center, sigma_x, sigma_y, rotation_deg, ellipse); NULL for fewer than two points.
Example: SELECT (std_ellipse(geom, ce)).* FROM county_year WHERE year = 2020;$$;

CREATE AGGREGATE std_ellipse(geom geometry, weight float8, options text) (
  SFUNC = _std_ellipse_step, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,-1,0,0}',
  COMBINEFUNC = _geo_moments_combine, FINALFUNC = _std_ellipse_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE std_ellipse(geometry, float8, text) IS
$$Weighted standard deviational ellipse with options. convention=paper (default: paper 004 eqs.3-4, divisor sum w) or convention=arcgis (ArcGIS Directional Distribution, one standard deviation: both axes times sqrt(2)).
Example: SELECT (std_ellipse(geom, ce, 'convention=arcgis')).sigma_y FROM county_year WHERE year = 2020;$$;

CREATE FUNCTION center_shift(from_geom geometry, to_geom geometry) RETURNS center_shift_result
AS 'MODULE_PATHNAME', 'cb_center_shift' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION center_shift(geometry, geometry) IS
$$Shift of a centre between two years, from the centroid of from_geom to that of to_geom: distance (SRID units; metres on the WGS-84 ellipsoid for geographic SRIDs) and bearing_deg (clockwise from north, [0, 360); initial great-circle bearing for geographic SRIDs; NULL when the centres coincide). STABLE: reads spatial_ref_sys.
Example: SELECT (center_shift(a.c, b.c)).* FROM (SELECT mean_center(geom, ce) c FROM county_year WHERE year = 2000) a, (SELECT mean_center(geom, ce) c FROM county_year WHERE year = 2020) b;$$;
