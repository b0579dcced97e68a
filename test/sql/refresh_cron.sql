-- The zoning refresh as a scheduled job: pg_cron runs refresh_zoning and the run is
-- recorded as succeeded in cron.job_run_details (the cluster preloads pg_cron with
-- cron.database_name = contrib_regression and background workers; see scripts/lib.sh).
SET extra_float_digits = 0;
CREATE EXTENSION IF NOT EXISTS pg_cron;
SELECT plan(5);

CREATE SCHEMA refresh;
CREATE TABLE refresh.county_input AS
SELECT id, ST_SetSRID(geom, 3857) AS geom, hoval AS value,
       sign(crime - 35) * 2 AS z_cs, sign(35 - crime) AS z_nce, (inc - 14) / 3 AS z_ce, (hoval - 38) / 10 AS z_ecc,
       0::float8 AS z_esc, (crime - inc) / 20 AS z_cf, (hoval - inc) / 15 AS z_ec, 1.7::float8 AS z_ed,
       CASE WHEN id % 2 = 0 THEN 'stable' ELSE 'highly significant' END AS cep_class, 150 + 3 * inc AS cli
FROM ref.columbus;

SELECT ok(cron.schedule('carbonbudget-zoning', '* * * * *',
  $$CALL carbonbudget.refresh_zoning('refresh.county_input', 'refresh.zones')$$) > 0, 'refresh scheduled every minute');

-- wait for the first finished run (pg_cron 1.4 starts jobs on the minute)
DO $$
DECLARE
  waited int := 0;
BEGIN
  WHILE NOT EXISTS (SELECT 1 FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                    WHERE j.jobname = 'carbonbudget-zoning' AND d.status IN ('succeeded', 'failed')) LOOP
    IF waited >= 180 THEN
      RAISE EXCEPTION 'no finished pg_cron run of refresh_zoning after % s', waited;
    END IF;
    PERFORM pg_sleep(1);
    waited := waited + 1;
  END LOOP;
END
$$;
SELECT is((SELECT d.status || ': ' || d.return_message FROM cron.job_run_details d JOIN cron.job j USING (jobid)
           WHERE j.jobname = 'carbonbudget-zoning' AND d.status IN ('succeeded', 'failed') ORDER BY d.runid LIMIT 1),
          'succeeded: CALL', 'cron.job_run_details: the run succeeded');
SELECT ok(cron.unschedule('carbonbudget-zoning'), 'job unscheduled');
-- wait until no run is active, so the table is stable
DO $$
BEGIN
  WHILE EXISTS (SELECT 1 FROM cron.job_run_details WHERE status IN ('starting', 'running')) LOOP
    PERFORM pg_sleep(0.2);
  END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM refresh.zones), 49::bigint, 'the scheduled run built the zoning table');
SELECT is((SELECT count(*) FROM refresh.zones z JOIN refresh.county_input i USING (id)
           WHERE z.score_cep = CASE WHEN i.id % 2 = 0 THEN 3 ELSE 5 END AND z.score_ed = 1 AND z.score_esc = 3
             AND z.zone = zone_name(z.zone_class)), 49::bigint, 'scheduled run: scores and zones filled');

SELECT * FROM finish();
