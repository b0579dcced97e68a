-- Trends and time series (SPEC section 6): Mann-Kendall with the Theil-Sen slope, least-squares trend,
-- Hurst exponent, sequential Mann-Kendall change points and natural-spline gap filling.
-- The aggregates collect their (t, value) pairs (support functions in 40-inequality.sql), order them
-- by t themselves and reject a repeated t.

CREATE TYPE mann_kendall_result AS (
  s             bigint,  -- S = sum over pairs i < j (by t) of sign(value_j - value_i)
  var_s         float8,  -- Var(S) with the tie correction
  z             float8,  -- (S - 1)/sqrt(Var) for S > 0, 0 for S = 0, (S + 1)/sqrt(Var) for S < 0
  p             float8,  -- two-sided p-value of z
  tau           float8,  -- Kendall's tau-b (tau-a when no values tie); NULL when every value ties
  sen_slope     float8,  -- Theil-Sen slope, value units per unit of t
  sen_intercept float8,  -- median(value) - sen_slope * median(t), value at t = 0
  trend         text     -- paper 003 Table 4 class
);
COMMENT ON TYPE mann_kendall_result IS 'Mann-Kendall trend test with the Theil-Sen slope and the trend class of paper 003 Table 4';

CREATE TYPE mann_kendall_sequential_result AS (
  uf           float8,  -- forward sequential statistic UF_k
  ub           float8,  -- backward sequential statistic UB_k
  change_point boolean  -- the UF and UB curves cross here, inside +/- z_threshold
);
COMMENT ON TYPE mann_kendall_sequential_result IS 'Sequential Mann-Kendall (paper 001 section 2.2.7): UF and UB curves and change points';

CREATE FUNCTION _mann_kendall_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_mann_kendall_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mann_kendall_step(internal, float8, float8) IS 'Transition function of mann_kendall: collects (t, value)';
CREATE FUNCTION _mann_kendall_step(internal, float8, float8, text) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_mann_kendall_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mann_kendall_step(internal, float8, float8, text) IS 'Transition function of mann_kendall: collects (t, value)';
CREATE FUNCTION _mann_kendall_final(internal) RETURNS mann_kendall_result
AS 'MODULE_PATHNAME', 'cb_mann_kendall_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mann_kendall_final(internal) IS 'Final function of mann_kendall';

CREATE AGGREGATE mann_kendall(t float8, value float8) (
  SFUNC = _mann_kendall_step, STYPE = internal, FINALFUNC = _mann_kendall_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE mann_kendall(float8, float8) IS
$$Mann-Kendall trend test of value over t (year or index; input order does not matter, a repeated t is an error, at least 3 points),
with tie-corrected Var(S), continuity-corrected Z, two-sided p, Kendall's tau-b, Theil-Sen slope (value units per unit of t) and intercept,
and the trend class of paper 003 Table 4 at |Z| > 1.96. NULL rows are skipped.
Example: SELECT county, (mann_kendall(year, ce)).* FROM county_year GROUP BY county;$$;
CREATE AGGREGATE mann_kendall(t float8, value float8, options text) (
  SFUNC = _mann_kendall_step, STYPE = internal, FINALFUNC = _mann_kendall_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE mann_kendall(float8, float8, text) IS
$$Mann-Kendall trend test of value over t with options: z_threshold=1.96 (|Z| above it is a marked trend; paper 003 uses 1.66).
Example: SELECT (mann_kendall(year, ce, 'z_threshold=1.66')).trend FROM county_year GROUP BY county;$$;

CREATE FUNCTION _sen_slope_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_sen_slope_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _sen_slope_step(internal, float8, float8) IS 'Transition function of sen_slope: collects (t, value)';
CREATE FUNCTION _sen_slope_final(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_sen_slope_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _sen_slope_final(internal) IS 'Final function of sen_slope';
CREATE AGGREGATE sen_slope(t float8, value float8) (
  SFUNC = _sen_slope_step, STYPE = internal, FINALFUNC = _sen_slope_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE sen_slope(float8, float8) IS
$$Theil-Sen slope: the median of the pairwise slopes (value_j - value_i)/(t_j - t_i), in value units per unit of t (paper 003).
Needs n(n-1)/2 * 8 bytes within work_mem. Example: SELECT sen_slope(year, ce) FROM county_year GROUP BY county;$$;

CREATE FUNCTION _ols_trend_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_ols_trend_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_trend_step(internal, float8, float8) IS 'Transition function of ols_trend: collects (t, value)';
CREATE FUNCTION _ols_trend_final(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_ols_trend_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _ols_trend_final(internal) IS 'Final function of ols_trend';
CREATE AGGREGATE ols_trend(t float8, value float8) (
  SFUNC = _ols_trend_step, STYPE = internal, FINALFUNC = _ols_trend_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE ols_trend(float8, float8) IS
$$Least-squares trend slope of value on t (paper 001 eq.9 with t = year index), in value units per unit of t.
Example: SELECT ols_trend(year, cnc) FROM province_year GROUP BY province;$$;

CREATE FUNCTION _hurst_step(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'cb_hurst_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _hurst_step(internal, float8, float8) IS 'Transition function of hurst: collects (t, value)';
CREATE FUNCTION _hurst_final(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_hurst_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _hurst_final(internal) IS 'Final function of hurst';
CREATE AGGREGATE hurst(t float8, value float8) (
  SFUNC = _hurst_step, STYPE = internal, FINALFUNC = _hurst_final,
  COMBINEFUNC = _series_combine, SERIALFUNC = _series_serialize, DESERIALFUNC = _series_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE hurst(float8, float8) IS
$$Hurst exponent by aggregated variance (paper 001 eqs.7-8): block means of size m = 1 .. floor(n/2) in t order, their variance about
the series mean, H = 1 + beta/2 with beta the least-squares slope of ln variance on ln m. Unitless; H > 0.5 persistent, < 0.5
anti-persistent. At least 4 points; NULL when a block variance is zero (e.g. a constant series).
Example: SELECT hurst(year, cnc) FROM province_year GROUP BY province;$$;

CREATE FUNCTION mann_kendall_sequential(t float8, value float8, options text DEFAULT '')
RETURNS mann_kendall_sequential_result
AS 'MODULE_PATHNAME', 'cb_mk_sequential_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mann_kendall_sequential(float8, float8, text) IS
$$Sequential Mann-Kendall test per row over the window partition, in t order (paper 001 section 2.2.7): UF_k = (s_k - k(k-1)/4) /
sqrt(k(k-1)(2k+5)/72), s_k the count of earlier values below value_k; UB from the reversed series, negated. change_point marks the row
nearest each UF/UB crossing that lies inside +/- z_threshold (option, default 1.96). Rows with a NULL t or value return NULL.
Example: SELECT year, (mann_kendall_sequential(year, cnc) OVER (PARTITION BY province)).* FROM province_year;$$;

CREATE FUNCTION spline_fill(t float8, value float8)
RETURNS float8
AS 'MODULE_PATHNAME', 'cb_spline_fill_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION spline_fill(float8, float8) IS
$$Natural cubic spline through the rows of the window partition with a value, evaluated at the rows whose value is NULL (paper 003
repairs residual or biased years this way); rows with a value return it unchanged; no extrapolation: NULL before the first and after
the last known t, and when fewer than two values are known. Same units as value.
Example: SELECT year, spline_fill(year, CASE WHEN biased THEN NULL ELSE ce END) OVER (PARTITION BY county) FROM county_year;$$;

CREATE FUNCTION trend_raster(rasters raster[], options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_trend_raster_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION trend_raster(raster[], text) IS
$$Per-pixel trends over a time stack of aligned rasters (one per year, in time order; same SRID, scale, skew, grid and extent):
band 1 the least-squares slope (paper 001 eq.9), band 2 the Theil-Sen slope, both in pixel units per unit of t, band 3 the
Mann-Kendall Z (continuity-corrected, tie-corrected variance; paper 003). Layer k has t = start + (k-1)*step. Nodata pixels are left
out of a pixel's series; a pixel with fewer than min_points valid layers is nodata in every band.
Options: method=all|ols|sen|mk (one band for the last three), start=1, step=1, min_points=3, band=1 (band read from each raster),
pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rid, trend_raster(array_agg(rast ORDER BY year), 'start=2000') FROM ndvi GROUP BY rid;$$;

CREATE FUNCTION trend_raster(rast raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_trend_raster_bands' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION trend_raster(raster, text) IS
$$Per-pixel trends over the bands of one multi-band raster, band k at t = start + (k-1)*step: least-squares slope, Theil-Sen
slope and Mann-Kendall Z bands, as trend_raster(raster[]). Options as there, except band.
Example: SELECT rid, trend_raster(rast, 'start=2001 method=all') FROM cnc_stack;$$;
