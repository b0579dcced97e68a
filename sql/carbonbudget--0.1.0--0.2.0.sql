-- carbonbudget 0.1.0 -> 0.2.0 (see CHANGELOG.md).  Hand-written: every SQL
-- change of 0.2.0 also made in the install fragments of sql/install/, so that
-- an updated database has the catalogue of a fresh 0.2.0 install
-- (test/sql/upgrade.sql checks it).
\echo Use "ALTER EXTENSION carbonbudget UPDATE TO '0.2.0'" to load this file. \quit

-- 0.2.0: carbonbudget_version() and carbonbudget_full_version() (sql/install/01-version.sql).
CREATE FUNCTION carbonbudget_version() RETURNS text
AS 'MODULE_PATHNAME', 'cb_version' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION carbonbudget_version() IS
$$Version of the carbonbudget library, e.g. 0.2.0: the control file's default_version compiled into it. When the installed SQL
objects are of another version (the library was upgraded but not the extension, or the reverse) it raises a WARNING naming both;
ALTER EXTENSION carbonbudget UPDATE brings the SQL to the library's version.
Example: SELECT carbonbudget_version();$$;

CREATE FUNCTION carbonbudget_full_version() RETURNS text
AS 'MODULE_PATHNAME', 'cb_full_version' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION carbonbudget_full_version() IS
$$Versions carbonbudget runs with, in the style of PostGIS_Full_Version(): CARBONBUDGET (the library; the installed SQL version
too when it differs), PGSQL (server_version), POSTGIS (postgis_lib_version() of the schema PostGIS is installed in), GEOS
(GEOSversion() of the GEOS C library linked), LAPACK (ilaver) and BLAS (OpenBLAS's or BLIS's own description when one of them is
loaded, else the library file, called the reference BLAS when it is Debian's netlib libblas3). For bug reports.
Example: SELECT carbonbudget_full_version();
-- CARBONBUDGET="0.2.0" PGSQL="15.20 (Debian 15.20-0+deb12u1)" POSTGIS="3.3.2" GEOS="3.11.1-CAPI-1.17.1" LAPACK="3.11.0" BLAS="reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)"$$;

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
