-- carbonbudget_version() and carbonbudget_full_version() (SPEC section 12):
-- formats checked with regular expressions, not fixed versions.
SELECT carbonbudget_version() ~ '^[0-9]+\.[0-9]+\.[0-9]+$' AS semantic_version,
       carbonbudget_version() = (SELECT extversion FROM pg_extension WHERE extname = 'carbonbudget') AS equals_sql,
       carbonbudget_version() = (SELECT default_version FROM pg_available_extensions
                                 WHERE name = 'carbonbudget') AS equals_control_file;

CREATE TEMP TABLE full_version AS SELECT carbonbudget_full_version() AS v;
SELECT v ~ ('^CARBONBUDGET="[0-9]+\.[0-9]+\.[0-9]+" PGSQL="[0-9]+\.[0-9]+[^"]*" POSTGIS="[0-9]+\.[0-9]+\.[0-9]+[^"]*" '
            'GEOS="[0-9]+\.[0-9]+\.[0-9]+[^"]*" LAPACK="[0-9]+\.[0-9]+\.[0-9]+" BLAS="[^"]+"$') AS format,
       substring(v FROM '^CARBONBUDGET="([^"]*)"') = carbonbudget_version() AS carbonbudget,
       substring(v FROM ' PGSQL="([^"]*)"') = current_setting('server_version') AS pgsql,
       substring(v FROM ' POSTGIS="([^"]*)"') = postgis_lib_version() AS postgis,
       substring(v FROM ' BLAS="([^"]*)"') ~ '^(OpenBLAS |BLIS |reference BLAS \(/|BLAS of /)' AS blas
FROM full_version;

-- labels: both read the catalogue and the loaded libraries
SELECT proname, provolatile, proparallel FROM pg_proc
WHERE proname IN ('carbonbudget_version', 'carbonbudget_full_version')
  AND pronamespace = 'carbonbudget'::regnamespace ORDER BY proname;

-- SQL objects of another version than the library: a WARNING from
-- carbonbudget_version() (shown by SQLSTATE only, its text names versions),
-- and both versions in carbonbudget_full_version()
BEGIN;
UPDATE pg_extension SET extversion = '0.0.1' WHERE extname = 'carbonbudget';
\set VERBOSITY sqlstate
SELECT carbonbudget_version() ~ '^[0-9]+\.[0-9]+\.[0-9]+$' AS still_the_library_version;
\set VERBOSITY default
SELECT carbonbudget_full_version() ~ '^CARBONBUDGET="[0-9.]+" \(SQL objects of version 0\.0\.1: run ALTER EXTENSION carbonbudget UPDATE\) PGSQL='
       AS reports_both;
ROLLBACK;
