-- carbonbudget 0.1.0 -> 0.2.0 (see CHANGELOG.md).  Hand-written: every SQL
-- change of 0.2.0 also made in the install fragments of sql/install/, so that
-- an updated database has the catalogue of a fresh 0.2.0 install
-- (test/sql/upgrade.sql checks it).
\echo Use "ALTER EXTENSION carbonbudget UPDATE TO '0.2.0'" to load this file. \quit
