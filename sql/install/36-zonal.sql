-- Zonal statistics of continuous rasters and land-use transitions inside a
-- region (SPEC section 14): per-county totals of NEP, RCS or night light, and
-- the from-class x to-class matrix of paper 003 Fig. 3.  Both read the region
-- over each tile with the coverage rules of carbon_budget (exact fractions as
-- exactextract, or pixel centres) and geodesic pixel areas for lon/lat rasters.

CREATE TYPE zonal_stats_result AS (
  pixels   bigint,  -- pixels inside the region (coverage > 0) with a value; nodata skipped
  coverage float8,  -- sum of the coverage fractions of those pixels, in pixels
  area_m2  float8,  -- their covered area, m2 (geodesic for lon/lat rasters)
  sum      float8,  -- sum of value x coverage, value units x pixels
  mean     float8,  -- coverage-weighted mean, value units (NULL without pixels)
  min      float8,  -- smallest value (NULL without pixels)
  max      float8,  -- largest value (NULL without pixels)
  stddev   float8,  -- coverage-weighted population standard deviation, value units
  area_sum float8   -- sum of value x covered area in m2 x scale: e.g. g C m-2 yr-1 x m2 x 1e-6 = t C yr-1
);
COMMENT ON TYPE zonal_stats_result IS
  'Zonal statistics of a band over a region: pixels, coverage (pixels), area_m2 (m2), sum, mean, min, max, stddev (value units), area_sum (value x m2 x scale)';

CREATE FUNCTION zonal_stats(raster raster, region geometry, options text DEFAULT '')
RETURNS zonal_stats_result
AS 'MODULE_PATHNAME', 'cb_zonal_stats' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION zonal_stats(raster, geometry, text) IS
$$Zonal statistics of one band of one raster tile inside a region polygon (SPEC section 14); zonal_stats_agg over many tiles.
Fields: pixels, coverage (sum of fractions, pixels), area_m2 (m2), sum (value x fraction), mean, min, max, stddev (value units,
coverage-weighted as exactextract), area_sum = sum of value x covered area in m2 x scale (a value in g C m-2 yr-1 with scale=1e-6 gives t C yr-1).
Options: coverage=exact (default: the fraction of each pixel inside, as exactextract) | centre (pixels whose centre is inside), band=1,
scale=1. Nodata pixels are skipped. Pixel area: |det of the georeference| in m2 for projected SRIDs (metre units), ellipsoidal WGS 84
area for geographic SRIDs. The region must be a valid polygon or multipolygon in the raster's SRID.
Example: SELECT (zonal_stats(rast, geom, 'scale=1e-6')).area_sum FROM nep, county WHERE ST_Intersects(rast, geom);$$;

CREATE FUNCTION _zonal_stats_step(bytea, raster, geometry, text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_zonal_stats_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _zonal_stats_step(bytea, raster, geometry, text) IS
  'Transition function of zonal_stats_agg: coverage, area and weighted moments of the pixels inside the region';
CREATE FUNCTION _zonal_stats_step(bytea, raster, geometry) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_zonal_stats_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _zonal_stats_step(bytea, raster, geometry) IS 'Transition function of zonal_stats_agg (default options)';
CREATE FUNCTION _zonal_stats_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_zonal_stats_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _zonal_stats_combine(bytea, bytea) IS
  'Combine function of zonal_stats_agg: adds sums and merges weighted moments (Chan et al.)';
CREATE FUNCTION _zonal_stats_final(bytea) RETURNS zonal_stats_result
AS 'MODULE_PATHNAME', 'cb_zonal_stats_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _zonal_stats_final(bytea) IS 'Final function of zonal_stats_agg';

CREATE AGGREGATE zonal_stats_agg(raster raster, region geometry, options text) (
  SFUNC = _zonal_stats_step, STYPE = bytea, COMBINEFUNC = _zonal_stats_combine,
  FINALFUNC = _zonal_stats_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE zonal_stats_agg(raster, geometry, text) IS
$$Zonal statistics of a region over all its tiles (SPEC section 14): pixels, coverage (pixels), area_m2 (m2), sum, mean, min, max,
stddev (value units), area_sum (value x m2 x scale; g C m-2 yr-1 with scale=1e-6 gives t C yr-1). Pixels along tile edges are
counted with their exact fractions of the undivided raster. Options as zonal_stats; the same in every row. NULL tiles and regions
are skipped. Parallel safe (combine function).
Example: SELECT c.id, (zonal_stats_agg(n.rast, c.geom, 'scale=1e-6')).area_sum AS nep_t_c FROM county c JOIN nep n ON ST_Intersects(n.rast, c.geom) GROUP BY c.id;$$;
CREATE AGGREGATE zonal_stats_agg(raster raster, region geometry) (
  SFUNC = _zonal_stats_step, STYPE = bytea, COMBINEFUNC = _zonal_stats_combine,
  FINALFUNC = _zonal_stats_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE zonal_stats_agg(raster, geometry) IS
$$Zonal statistics of a region over its tiles with exact coverage, band 1 and scale 1 (area_sum in value units x m2).
Example: SELECT (zonal_stats_agg(rast, geom)).mean FROM ntl, county WHERE ST_Intersects(rast, geom);$$;

-- ---- land-use transitions between two years (paper 003 Fig. 3) ----

CREATE TYPE landuse_transition_result AS (
  class       integer[],  -- land-cover codes present in either year, ascending
  area_hm2    float8[],   -- 2-D: area_hm2[i][j] = hm2 that were class[i] before and class[j] after
  total_hm2   float8,     -- sum of the matrix, hm2
  changed_hm2 float8,     -- sum off the diagonal (land that changed class), hm2
  nodata_hm2  float8      -- region area where either year is nodata, hm2
);
COMMENT ON TYPE landuse_transition_result IS
  'Land-use transition matrix in hm2: codes, area_hm2[from][to], total, changed (off-diagonal) and nodata areas';

CREATE FUNCTION _landuse_transition_step(bytea, raster, raster, geometry, text) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_landuse_transition_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _landuse_transition_step(bytea, raster, raster, geometry, text) IS
  'Transition function of landuse_transition: m2 per (before, after) code pair inside the region';
CREATE FUNCTION _landuse_transition_step(bytea, raster, raster, geometry) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_landuse_transition_step' LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION _landuse_transition_step(bytea, raster, raster, geometry) IS
  'Transition function of landuse_transition (default options)';
CREATE FUNCTION _landuse_transition_combine(bytea, bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'cb_landuse_transition_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _landuse_transition_combine(bytea, bytea) IS 'Combine function of landuse_transition: adds the matrices';
CREATE FUNCTION _landuse_transition_final(bytea) RETURNS landuse_transition_result
AS 'MODULE_PATHNAME', 'cb_landuse_transition_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _landuse_transition_final(bytea) IS 'Final function of landuse_transition: the matrix over the codes present, in hm2';

CREATE AGGREGATE landuse_transition(before raster, after raster, region geometry, options text) (
  SFUNC = _landuse_transition_step, STYPE = bytea, COMBINEFUNC = _landuse_transition_combine,
  FINALFUNC = _landuse_transition_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE landuse_transition(raster, raster, geometry, text) IS
$$Land-use transition matrix inside a region (paper 003 Fig. 3), hm2: over pairs of land-cover tiles of two years that lie on the same
grid with the same extent (an error says whether SRID, scale, skew, grid or extent differs), the area of every (before, after) code pair,
with exact coverage fractions (coverage=exact, default) or pixel centres (coverage=centre), band=1 of both; geodesic pixel areas for lon/lat.
Pixels nodata in either year go to nodata_hm2. Codes are integers 0..1023 (join landcover_code for class names).
Example: SELECT (landuse_transition(a.rast, b.rast, c.geom)).* FROM lc2000 a JOIN lc2020 b USING (rid), county c WHERE ST_Intersects(a.rast, c.geom) GROUP BY c.id;$$;
CREATE AGGREGATE landuse_transition(before raster, after raster, region geometry) (
  SFUNC = _landuse_transition_step, STYPE = bytea, COMBINEFUNC = _landuse_transition_combine,
  FINALFUNC = _landuse_transition_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE landuse_transition(raster, raster, geometry) IS
$$Land-use transition matrix inside a region in hm2 with exact coverage and band 1 (see the form with options).
Example: SELECT landuse_transition(a.rast, b.rast, c.geom) FROM lc2000 a JOIN lc2020 b USING (rid), county c GROUP BY c.id;$$;

CREATE FUNCTION landuse_transition_rows(transition landuse_transition_result)
RETURNS TABLE (from_class integer, to_class integer, area_hm2 float8)
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  n int := coalesce(cardinality(transition.class), 0);
BEGIN
  IF n > 0 AND (array_ndims(transition.area_hm2) IS DISTINCT FROM 2 OR array_length(transition.area_hm2, 1) <> n
                OR array_length(transition.area_hm2, 2) <> n) THEN
    RAISE EXCEPTION 'landuse_transition_rows: transition.area_hm2 must be a % x % matrix, one row and column per class', n, n
      USING ERRCODE = 'array_subscript_error', HINT = 'Pass a result of landuse_transition.';
  END IF;
  RETURN QUERY
    SELECT f.code, t.code, a.cell
    FROM unnest(transition.class) WITH ORDINALITY AS f(code, i)
    CROSS JOIN unnest(transition.class) WITH ORDINALITY AS t(code, j)
    JOIN unnest(transition.area_hm2) WITH ORDINALITY AS a(cell, k) ON a.k = (f.i - 1) * n + t.j
    WHERE a.cell > 0
    ORDER BY f.i, t.j;
END $$;
COMMENT ON FUNCTION landuse_transition_rows(landuse_transition_result) IS
$$The cells of a landuse_transition matrix with area as rows (from_class, to_class, area_hm2), hm2, ordered by from and to class:
the land-use transfer table of paper 003 Fig. 3.
Example: SELECT r.* FROM (SELECT landuse_transition(a.rast, b.rast, c.geom) t FROM ...) s, landuse_transition_rows(s.t) r;$$;

CREATE FUNCTION dynamic_degree(transition landuse_transition_result, years float8) RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF NOT (years > 0 AND years < 'Infinity'::float8) THEN
    RAISE EXCEPTION 'dynamic_degree: years must be a positive finite number' USING ERRCODE = 'invalid_parameter_value',
      DETAIL = format('years = %s.', years);
  END IF;
  IF (transition.total_hm2 >= 0 AND transition.total_hm2 < 'Infinity'::float8
      AND transition.changed_hm2 >= 0 AND transition.changed_hm2 <= transition.total_hm2) IS NOT TRUE THEN
    RAISE EXCEPTION 'dynamic_degree: transition must have total_hm2 >= changed_hm2 >= 0'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass a result of landuse_transition.';
  END IF;
  IF transition.total_hm2 = 0 THEN RETURN NULL; END IF;
  RETURN transition.changed_hm2 / (2.0::float8 * transition.total_hm2) / years * 100.0::float8;
END $$;
COMMENT ON FUNCTION dynamic_degree(landuse_transition_result, float8) IS
$$Comprehensive land-use dynamic degree LC = sum_i dLU(i->j) / (2 sum_i LU_i) / T * 100 (Liu et al. 2003), percent per year, from a
landuse_transition matrix: dLU(i->j) the area of class i turned into other classes (changed_hm2), sum LU_i the area at the start (total_hm2),
T the years between. NULL for an empty matrix.
Example: SELECT dynamic_degree(landuse_transition(a.rast, b.rast, c.geom), 20) FROM ...;$$;
