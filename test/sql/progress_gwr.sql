-- carbonbudget.progress in gwr_fit (SPEC section 15): NOTICE lines with the phase,
-- done/total and the elapsed time during a call of a few seconds, and results with
-- progress on identical to those with it off.  The lines carry timings, so they are
-- checked from a shell (psql inherits PGHOST and PGPORT from pg_regress).
SET extra_float_digits = 0;
SET client_min_messages = warning;
SELECT setseed(0.5);
CREATE TABLE progress_gwr_pts AS
SELECT i AS id, ST_SetSRID(ST_MakePoint(px, py), 3857) AS geom, ARRAY[x1, x2] AS x,
       1 + px / 1e5 + (1 + py / 1e5) * x1 - 0.5 * x2 + 0.3 * e AS y
FROM (SELECT i, random() * 1e5 AS px, random() * 1e5 AS py, random() - 0.5 AS x1,
             random() - 0.5 AS x2, random() - 0.5 AS e
      FROM generate_series(1, 12000) i) s;
RESET client_min_messages;

-- a GWR search over 12,000 points (several seconds) with progress on, from a shell
-- (grep -c reads every line: psql must not lose its output pipe before the table is made)
\! psql -X -q -d contrib_regression -c "SET search_path = public, carbonbudget; SET carbonbudget.progress = on; CREATE TABLE progress_gwr_on AS SELECT id, (gwr_fit(y, x, geom) OVER ()).* FROM progress_gwr_pts" 2>&1 | grep -Ec 'NOTICE:  gwr_fit: [a-z ]+ [0-9]+/[0-9]+ \([0-9]+%\), [0-9.]+ s elapsed' | grep -qv '^0$' && echo progress lines present

CREATE TABLE progress_gwr_off AS SELECT id, (gwr_fit(y, x, geom) OVER ()).* FROM progress_gwr_pts;

SELECT plan(2);
SELECT is((SELECT count(*) FROM progress_gwr_on), 12000::bigint, 'the run with progress on returned every row');
SELECT is((SELECT count(*) FROM progress_gwr_on a FULL JOIN progress_gwr_off b USING (id)
           WHERE a.id IS NULL OR b.id IS NULL
              OR (a.beta, a.se, a.t, a.local_r2, a.yhat, a.residual, a.influence, a.bandwidth, a.aicc, a.aic,
                  a.r2, a.adj_r2, a.enp, a.sigma2)
                 IS DISTINCT FROM
                 (b.beta, b.se, b.t, b.local_r2, b.yhat, b.residual, b.influence, b.bandwidth, b.aicc, b.aic,
                  b.r2, b.adj_r2, b.enp, b.sigma2)),
          0::bigint, 'progress on: every output field equal to progress off, exactly');
SELECT * FROM finish();

DROP TABLE progress_gwr_pts, progress_gwr_on, progress_gwr_off;
