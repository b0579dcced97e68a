-- carbonbudget 0.1.0 -> 0.2.0 (see CHANGELOG.md).  Hand-written: every SQL
-- change of 0.2.0 also made in the install fragments of sql/install/, so that
-- an updated database has the catalogue of a fresh 0.2.0 install
-- (test/sql/upgrade.sql checks it).
\echo Use "ALTER EXTENSION carbonbudget UPDATE TO '0.2.0'" to load this file. \quit

-- ---- NULL arguments: functions whose result is NULL for a NULL argument are STRICT ----
-- (spatial weights of an empty selection, per-tile raster functions after a LEFT JOIN;
-- the final functions of aggregates whose state is never NULL inside the aggregate)
ALTER FUNCTION spatial_weights(bigint[], geometry[], text) STRICT;
ALTER FUNCTION carbon_budget(raster, geometry, text) STRICT;
ALTER FUNCTION downscale_weight(raster, geometry, text) STRICT;
ALTER FUNCTION downscale_raster(raster, geometry, float8, float8, text) STRICT;
ALTER FUNCTION nep_raster(raster, raster, raster, text) STRICT;
ALTER FUNCTION rcs_raster(raster, float8, text) STRICT;
ALTER FUNCTION rcs_raster(raster, raster, text) STRICT;
ALTER FUNCTION ecs_raster(raster, raster, text) STRICT;
ALTER FUNCTION cnc_raster(raster, raster, text) STRICT;
ALTER FUNCTION _stirpat_ridge_final(float8[]) STRICT;
ALTER FUNCTION _stirpat_ridge_trace_final(float8[]) STRICT;
ALTER FUNCTION _ols_final(float8[]) STRICT;
ALTER FUNCTION _ols_stepwise_final(float8[]) STRICT;
ALTER FUNCTION _ttest_final(float8[]) STRICT;
ALTER FUNCTION _geodetector_final(float8[]) STRICT;
ALTER FUNCTION _geodetector_interaction_final(float8[]) STRICT;
