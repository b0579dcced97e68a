-- MGWR with hat_probes=N: the per-term ENP, AICc and standard errors estimated
-- from N random sign columns instead of the exact hat-matrix replay over all n
-- columns of the identity (for n in the tens of thousands).  The backfitting is
-- the same, so bandwidths, coefficients and fitted values equal the exact run's
-- bit for bit; the estimates agree within their sampling error (Hutchinson: the
-- squared standard errors have a relative error of at most sqrt(2/N), here
-- N = 256, i.e. about 4% on a standard error); the leverages are NULL.
SET extra_float_digits = 0;
SET client_min_messages = warning;
SELECT setseed(0.25);
CREATE TABLE gwr_probe_pts AS
SELECT i AS id, ST_SetSRID(ST_MakePoint(px, py), 3857) AS geom,
       ARRAY[x1, x2, x3] AS x,
       1 + px / 5e4 + (1 + py / 5e4) * x1 - 0.5 * x2 + sin(px / 2e4) * x3 + 0.5 * e AS y
FROM (SELECT i, random() * 1e5 AS px, random() * 1e5 AS py, random() - 0.5 AS x1,
             random() - 0.5 AS x2, random() - 0.5 AS x3, random() - 0.5 AS e
      FROM generate_series(1, 2000) i) s;
CREATE TABLE gwr_probe_exact AS
SELECT id, (gwr_fit(y, x, geom, 'multiscale=true') OVER ()).* FROM gwr_probe_pts;
CREATE TABLE gwr_probe_est AS
SELECT id, (gwr_fit(y, x, geom, 'multiscale=true hat_probes=256') OVER ()).* FROM gwr_probe_pts;
SET carbonbudget.threads = 2;
CREATE TABLE gwr_probe_est2 AS
SELECT id, (gwr_fit(y, x, geom, 'multiscale=true hat_probes=256') OVER ()).* FROM gwr_probe_pts;
RESET carbonbudget.threads;
RESET client_min_messages;

SELECT plan(10);
SELECT is((SELECT count(*) FROM gwr_probe_exact a JOIN gwr_probe_est b USING (id)
           WHERE (a.beta, a.yhat, a.residual, a.bandwidths) IS NOT DISTINCT FROM (b.beta, b.yhat, b.residual, b.bandwidths)),
          2000::bigint, 'bandwidths, coefficients and fitted values equal the exact run''s');
SELECT ok((SELECT bool_and(influence IS NULL) FROM gwr_probe_est), 'no per-location leverage from probes');
SELECT ok((SELECT bool_and(abs(b.enp / a.enp - 1) < 0.02) FROM gwr_probe_exact a JOIN gwr_probe_est b USING (id)),
          'ENP = tr S within 2%');
SELECT ok((SELECT bool_and(abs(b.term_enp[k] - a.term_enp[k]) < 0.05 * a.enp)
           FROM gwr_probe_exact a JOIN gwr_probe_est b USING (id), generate_series(1, 4) k),
          'each term''s ENP within 5% of the total');
-- the residuals are exact, so AICc moves with the ENP only (about 2.3 units per unit of ENP here)
SELECT ok((SELECT bool_and(abs(b.aicc - a.aicc) < 0.03 * a.enp AND abs(b.sigma2 / a.sigma2 - 1) < 1e-3)
           FROM gwr_probe_exact a JOIN gwr_probe_est b USING (id)), 'AICc within 3% of ENP, sigma2 within 0.1%');
-- the standard errors: 4% on average, none off by more than five times that
SELECT ok((SELECT avg(abs(b.se[k] / a.se[k] - 1)) < 0.06 AND max(abs(b.se[k] / a.se[k] - 1)) < 0.25
           FROM gwr_probe_exact a JOIN gwr_probe_est b USING (id), generate_series(1, 4) k),
          'standard errors within their sampling error');
SELECT ok((SELECT corr(b.t[k], a.t[k]) > 0.99 FROM gwr_probe_exact a JOIN gwr_probe_est b USING (id), generate_series(1, 4) k),
          't-values follow the exact ones');
SELECT is((SELECT count(*) FROM gwr_probe_est a JOIN gwr_probe_est2 b USING (id)
           WHERE (a.se, a.t, a.aicc, a.enp, a.term_enp) IS NOT DISTINCT FROM (b.se, b.t, b.aicc, b.enp, b.term_enp)),
          2000::bigint, 'the probes are fixed: the same estimates with 2 threads, bit for bit');
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'hat_probes=256') OVER () FROM gwr_probe_pts$$,
  '22023', 'gwr_fit: option "hat_probes" applies to multiscale=true only', 'hat_probes needs MGWR');
SELECT throws_ok($$SELECT gwr_fit(y, x, geom, 'multiscale=true hat_probes=8') OVER () FROM gwr_probe_pts$$,
  '22023', 'gwr_fit: option "hat_probes" must be 0 (exact) or at least 16, got 8', 'too few probes');
SELECT * FROM finish();

DROP TABLE gwr_probe_pts, gwr_probe_exact, gwr_probe_est, gwr_probe_est2;
