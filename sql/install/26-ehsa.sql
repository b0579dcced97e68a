-- Emerging hot spot analysis of a space-time cube (SPEC section 14): ArcGIS Pro's categories from the
-- Gi* z of every unit in every time step and the Mann-Kendall trend of each unit's z series.

CREATE TYPE emerging_hot_spot_result AS (
  z          float8,   -- Gi* z-score of the row's unit in the row's time step
  p          float8,   -- its two-sided normal p-value
  bin        integer,  -- ArcGIS Gi_Bin of the step: +-3 (99 %), +-2 (95 %), +-1 (90 %), 0
  trend_z    float8,   -- Mann-Kendall Z of the unit's z series over the time steps
  trend_p    float8,   -- its two-sided p-value
  hot_steps  integer,  -- time steps in which the unit is a hot spot (p < alpha, z > 0)
  cold_steps integer,  -- time steps in which it is a cold spot (p < alpha, z < 0)
  category   text      -- no pattern detected, or new, consecutive, intensifying, persistent, diminishing,
                       -- sporadic, oscillating or historical hot (cold) spot
);
COMMENT ON TYPE emerging_hot_spot_result IS
'Emerging hot spot analysis per row of a space-time cube: Gi* of the step, the trend of the unit''s z series and the unit''s ArcGIS category';

CREATE FUNCTION emerging_hot_spots(value float8, t float8, id bigint, geom geometry, options text DEFAULT '')
RETURNS emerging_hot_spot_result
AS 'MODULE_PATHNAME', 'cb_emerging_hot_spots_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION emerging_hot_spots(float8, float8, bigint, geometry, text) IS
$$Emerging hot spot analysis (ArcGIS Pro) over the rows (value, t, id) of the window partition, one row per unit and time step (a complete
space-time cube), weights from each unit's geometry: Gi* z of each unit in each step (neighbourhood over time_lags=1 earlier steps, mean and
variance of window=cube), the Mann-Kendall trend of the unit's z series, and its category by ArcGIS's rules (hot or cold at alpha=0.10, trend at
trend_alpha=0.10): new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical hot or cold spot, or no pattern detected.
Options: weights options of getis_ord_gi, time_lags, window=cube|neighborhood|step, alpha, trend_alpha.
Example: SELECT id, year, (emerging_hot_spots(ce, year, id, geom) OVER ()).category FROM county_panel JOIN county USING (id);$$;

CREATE FUNCTION emerging_hot_spots(value float8, t float8, id bigint, neighbors bigint[], options text DEFAULT '')
RETURNS emerging_hot_spot_result
AS 'MODULE_PATHNAME', 'cb_emerging_hot_spots_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION emerging_hot_spots(float8, float8, bigint, bigint[], text) IS
$$Emerging hot spot analysis with weights from explicit neighbour lists (those of each unit's first row).$$;

CREATE FUNCTION emerging_hot_spots(value float8, t float8, id bigint, neighbors bigint[], weights float8[], options text DEFAULT '')
RETURNS emerging_hot_spot_result
AS 'MODULE_PATHNAME', 'cb_emerging_hot_spots_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION emerging_hot_spots(float8, float8, bigint, bigint[], float8[], text) IS
$$Emerging hot spot analysis with explicit neighbour lists and weights (weights[k] belongs to neighbors[k]).$$;
