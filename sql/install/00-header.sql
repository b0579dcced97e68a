-- carbonbudget install script, concatenated from sql/install/*.sql by the Makefile.
\echo Use "CREATE EXTENSION carbonbudget CASCADE" to load this file. \quit

COMMENT ON SCHEMA carbonbudget IS
  'carbonbudget: carbon accounting, spatial statistics, trends and driver models for regional carbon budgets';
