-- Versions (SPEC section 12): the version compiled into the library and the
-- versions of what it runs with.  STABLE, not IMMUTABLE: the answers come from
-- the catalogue and the libraries loaded at run time, which a package upgrade
-- or ALTER EXTENSION ... UPDATE changes.

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
