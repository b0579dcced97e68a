-- MGWR (multiscale=true) on the Georgia data of test/data/gwr, per-term bandwidth
-- interval [2, 159] (mgwr multi_bw_min/multi_bw_max).  Expected values come from
-- bench/gwr_mgwr_check.py, an independent dense NumPy implementation of mgwr's
-- Sel_BW(multi=True) backfitting and MGWR.fit hat-matrix replay, which agrees with
-- these to about 1e-14 and checks S y = yhat; asserted here within 1e-6 relative.
SET extra_float_digits = 0;

CREATE TABLE gwr.mgwr AS
SELECT areakey, (gwr_fit(y, x, geom, 'multiscale=true bw_min=2 bw_max=159') OVER ()).* FROM gwr.georgia_z;

SELECT plan(13);

SELECT is((SELECT array_agg(DISTINCT bandwidths::text) FROM gwr.mgwr), ARRAY['{92,101,136,158}'],
          'one bandwidth per term: intercept 92, PctFB 101, PctBlack 136, PctRural 158');
SELECT ok((SELECT bool_and(bandwidth IS NULL AND local_r2 IS NULL) FROM gwr.mgwr), 'MGWR has no single bandwidth and no local R2');
SELECT ok((SELECT bool_and(ref.close(term_enp[1], 3.844671080264143, 1e-6) AND ref.close(term_enp[2], 3.513770805151652, 1e-6)
                           AND ref.close(term_enp[3], 2.2580525278898254, 1e-6) AND ref.close(term_enp[4], 1.7517564593926893, 1e-6))
           FROM gwr.mgwr), 'ENP per term (trace of R_j)');
SELECT ok((SELECT bool_and(ref.close(enp, 11.36825087269831, 1e-6)) FROM gwr.mgwr), 'ENP = sum of the terms');
SELECT ok((SELECT bool_and(ref.close(aicc, 297.12013812258783, 1e-6)) FROM gwr.mgwr), 'AICc');
SELECT ok((SELECT ref.close(sum(residual ^ 2), 50.89937946787041, 1e-6) FROM gwr.mgwr), 'RSS');
SELECT ok((SELECT bool_and(ref.close(sigma2, 0.3447725829217147, 1e-6)) FROM gwr.mgwr), 'sigma2 = RSS/(n - ENP)');
SELECT ok((SELECT bool_and(ref.close(beta[1], b1, 1e-6) AND ref.close(beta[2], b2, 1e-6) AND ref.close(beta[3], b3, 1e-6) AND ref.close(beta[4], b4, 1e-6))
           FROM gwr.mgwr JOIN (VALUES
             (13001, -0.19724851266597584, 0.29455637038801713, -0.04527794061596226, -0.33124348744163773),
             (13003, -0.2533938093747114, 0.22802268382180593, -0.026660170446639056, -0.3253123213265222),
             (13005, -0.21977661102577467, 0.2795719346534039, -0.037336250494952504, -0.33029039056826265)) r(areakey, b1, b2, b3, b4)
           USING (areakey)), 'coefficients of the first counties');
SELECT ok((SELECT bool_and(ref.close(se[1], s1, 1e-6) AND ref.close(se[2], s2, 1e-6) AND ref.close(se[3], s3, 1e-6) AND ref.close(se[4], s4, 1e-6))
           FROM gwr.mgwr JOIN (VALUES
             (13001, 0.0766516923302711, 0.10936917543231427, 0.06988981397393512, 0.061636782918416594),
             (13003, 0.07845054301421074, 0.09683866653018983, 0.06937882471592524, 0.06172297471046885),
             (13005, 0.07705403263844236, 0.11049481178068717, 0.06925705361207496, 0.06161955535625342)) r(areakey, s1, s2, s3, s4)
           USING (areakey)), 'standard errors of the first counties');
-- internal consistency on every row
SELECT ok((SELECT bool_and(ref.close(yhat, beta[1] + beta[2] * x[1] + beta[3] * x[2] + beta[4] * x[3], 1e-9, 1e-12)
                           AND ref.close(residual, y - yhat, 1e-9, 1e-12)
                           AND ref.close(t[2], beta[2] / se[2], 1e-12))
           FROM gwr.mgwr JOIN gwr.georgia_z USING (areakey)), 'yhat = x beta, residual = y - yhat, t = beta / se');
SELECT ok((SELECT ref.close(sum(influence), max(enp), 1e-9) FROM gwr.mgwr), 'the S_ii add up to the ENP');
-- with mgwr's default per-term interval [42, n] the search differs: another fixed point
SELECT is((SELECT DISTINCT bandwidths::text FROM (SELECT (gwr_fit(y, x, geom, 'multiscale=true') OVER ()).* FROM gwr.georgia_z) s),
          '{101,101,117,157}', 'default per-term interval [42, n]');

-- carbonbudget.threads = 1, 2 and 3 (the replay's 5 column groups dealt out to 1, 2, 3
-- threads): every output field the same to the last bit
SET carbonbudget.threads = 2;
CREATE TEMP TABLE mgwr_t2 AS
SELECT areakey, (gwr_fit(y, x, geom, 'multiscale=true bw_min=2 bw_max=159') OVER ()).* FROM gwr.georgia_z;
SET carbonbudget.threads = 3;
CREATE TEMP TABLE mgwr_t3 AS
SELECT areakey, (gwr_fit(y, x, geom, 'multiscale=true bw_min=2 bw_max=159') OVER ()).* FROM gwr.georgia_z;
RESET carbonbudget.threads;
SELECT is((SELECT array_agg(DISTINCT o.threads) FROM (
             SELECT 2 AS threads, m.* FROM mgwr_t2 m UNION ALL SELECT 3, m.* FROM mgwr_t3 m) o
           FULL JOIN gwr.mgwr a USING (areakey)
           WHERE o.areakey IS NULL OR a.areakey IS NULL
              OR (o.beta, o.se, o.t, o.local_r2, o.yhat, o.residual, o.influence, o.bandwidth, o.bandwidths,
                  o.aicc, o.aic, o.r2, o.adj_r2, o.enp, o.sigma2, o.term_enp)
                 IS DISTINCT FROM
                 (a.beta, a.se, a.t, a.local_r2, a.yhat, a.residual, a.influence, a.bandwidth, a.bandwidths,
                  a.aicc, a.aic, a.r2, a.adj_r2, a.enp, a.sigma2, a.term_enp)),
          NULL, 'carbonbudget.threads = 2 and 3 give the results of 1 in every field, bit for bit');

SELECT * FROM finish();
