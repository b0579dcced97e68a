-- GWR against PySAL mgwr on the Georgia data (test/data/gwr): adaptive
-- bisquare kernel, AICc golden-section search; bandwidth exactly, fit
-- diagnostics and every local result within 1e-6 relative.
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS gwr CASCADE;
CREATE SCHEMA gwr;
RESET client_min_messages;

CREATE TABLE gwr.georgia (areakey int PRIMARY KEY, latitude float8, longitud float8, totpop90 float8,
  pctrural float8, pctbach float8, pcteld float8, pctfb float8, pctpov float8, pctblack float8,
  id int, x float8, y float8);
\copy gwr.georgia FROM 'test/data/gwr/georgia.csv' CSV HEADER

CREATE TABLE gwr.local_ref (areakey int PRIMARY KEY, x float8, y float8,
  beta_intercept float8, beta_pctfb float8, beta_pctblack float8, beta_pctrural float8,
  se_intercept float8, se_pctfb float8, se_pctblack float8, se_pctrural float8,
  t_intercept float8, t_pctfb float8, t_pctblack float8, t_pctrural float8,
  localr2 float8, predy float8, resid float8, influ_sii float8, std_resid float8, cooksd float8);
\copy gwr.local_ref FROM 'test/data/gwr/gwr_adaptive_bisquare_local.csv' CSV HEADER

-- the reference z-scores y and X with the population standard deviation
CREATE VIEW gwr.georgia_z AS
SELECT areakey,
       (pctbach - avg(pctbach) OVER ()) / stddev_pop(pctbach) OVER () AS y,
       ARRAY[(pctfb - avg(pctfb) OVER ()) / stddev_pop(pctfb) OVER (),
             (pctblack - avg(pctblack) OVER ()) / stddev_pop(pctblack) OVER (),
             (pctrural - avg(pctrural) OVER ()) / stddev_pop(pctrural) OVER ()] AS x,
       ST_SetSRID(ST_MakePoint(x, y), 32617) AS geom
FROM gwr.georgia;

CREATE TABLE gwr.ours AS
SELECT areakey, (gwr_fit(y, x, geom) OVER ()).* FROM gwr.georgia_z;

SELECT plan(17);

SELECT is((SELECT count(*) FROM gwr.ours JOIN gwr.local_ref USING (areakey)), 159::bigint, 'one result per county');
SELECT is((SELECT DISTINCT bandwidth FROM gwr.ours), 117::float8, 'AICc search finds mgwr''s bandwidth 117');
SELECT ok((SELECT bool_and(bandwidths IS NULL AND term_enp IS NULL) FROM gwr.ours), 'GWR has no per-term bandwidths');
SELECT ok((SELECT ref.close(max(aicc), 299.0508086830287, 1e-6) FROM gwr.ours), 'AICc');
SELECT ok((SELECT ref.close(max(aic), 296.61592295199813, 1e-6) FROM gwr.ours), 'AIC');
SELECT ok((SELECT ref.close(max(r2), 0.678074266959346, 1e-6) FROM gwr.ours), 'R2');
SELECT ok((SELECT ref.close(max(adj_r2), 0.6520798543025786, 1e-6) FROM gwr.ours), 'adjusted R2');
SELECT ok((SELECT ref.close(max(enp), 11.804769716730096, 1e-6) FROM gwr.ours), 'ENP = tr S');
SELECT ok((SELECT ref.close(max(sigma2), 0.3477435474978279, 1e-6) FROM gwr.ours), 'sigma2 = RSS/(n - tr S)');
SELECT ok((SELECT ref.close(sum(residual ^ 2), 51.18619155346398, 1e-6) FROM gwr.ours), 'RSS');

-- every local value of the reference, within 1e-6 relative (1e-9 absolute near zero)
CREATE TEMP VIEW local_cmp AS
SELECT areakey, f.field, f.ours, f.theirs
FROM gwr.ours o JOIN gwr.local_ref r USING (areakey)
CROSS JOIN LATERAL (VALUES
  ('beta_intercept', o.beta[1], r.beta_intercept), ('beta_pctfb', o.beta[2], r.beta_pctfb),
  ('beta_pctblack', o.beta[3], r.beta_pctblack), ('beta_pctrural', o.beta[4], r.beta_pctrural),
  ('se_intercept', o.se[1], r.se_intercept), ('se_pctfb', o.se[2], r.se_pctfb),
  ('se_pctblack', o.se[3], r.se_pctblack), ('se_pctrural', o.se[4], r.se_pctrural),
  ('t_intercept', o.t[1], r.t_intercept), ('t_pctfb', o.t[2], r.t_pctfb),
  ('t_pctblack', o.t[3], r.t_pctblack), ('t_pctrural', o.t[4], r.t_pctrural),
  ('local_r2', o.local_r2, r.localr2), ('yhat', o.yhat, r.predy),
  ('residual', o.residual, r.resid), ('influence', o.influence, r.influ_sii)
) f(field, ours, theirs);
SELECT is((SELECT count(*) FROM local_cmp), 2544::bigint, '16 local values for each of 159 counties');
SELECT is((SELECT array_agg(DISTINCT field || ' ' || areakey) FROM local_cmp WHERE NOT ref.close(ours, theirs, 1e-6, 1e-9)),
          NULL, 'local coefficients, SE, t, local R2, yhat, residual, S_ii match mgwr');

-- the search history: AICc at every bandwidth mgwr evaluated, fitted with bandwidth=<number>
CREATE TEMP TABLE history (bw int, aicc float8);
INSERT INTO history VALUES (90, 301.830261004314), (117, 299.0508086830287), (133, 300.58314941789405),
  (106, 299.7506398293654), (123, 299.8521341213145), (112, 299.28699915648144),
  (119, 299.4251814510142), (115, 299.08407122065785);
CREATE TEMP TABLE history_fit AS
SELECT h.bw, h.aicc AS theirs,
       (SELECT s.aicc FROM (SELECT (gwr_fit(y, x, geom, 'bandwidth=' || h.bw) OVER ()).aicc FROM gwr.georgia_z) s LIMIT 1) AS ours
FROM history h;
SELECT is((SELECT array_agg(bw ORDER BY bw) FROM history_fit WHERE NOT ref.close(ours, theirs, 1e-6)),
          NULL, 'AICc at each bandwidth of mgwr''s search history');

-- a gaussian or exponential kernel with an enormous fixed bandwidth weights every point
-- alike: the local fits are the global OLS of the reference
SELECT ok((SELECT bool_and(ref.close(beta[2], 0.4579125882601811, 1e-6) AND ref.close(beta[3], -0.08384193190537698, 1e-6)
                           AND ref.close(beta[4], -0.37426590664683934, 1e-6) AND abs(beta[1]) < 1e-6)
           FROM (SELECT (gwr_fit(y, x, geom, 'kernel=gaussian fixed=true bandwidth=1e12') OVER ()).* FROM gwr.georgia_z) s),
          'gaussian kernel, huge fixed bandwidth: global OLS coefficients');
SELECT ok((SELECT bool_and(ref.close(se[2], 0.06552467190613594 * sqrt(sigma2 / (71.79283924859226 / 155)), 1e-5)
                           AND ref.close(r2, 0.5484727091283506, 1e-6))
           FROM (SELECT (gwr_fit(y, x, geom, 'kernel=exponential fixed=true bandwidth=1e13') OVER ()).* FROM gwr.georgia_z) s),
          'exponential kernel, huge fixed bandwidth: OLS R2 and standard errors');

-- fixed bandwidth search (bandwidth rounded to 0.01 as mgwr): no better AICc 5% either side
CREATE TEMP TABLE fixed_fit AS
SELECT DISTINCT bandwidth, aicc FROM (SELECT (gwr_fit(y, x, geom, 'kernel=gaussian fixed=true') OVER ()).* FROM gwr.georgia_z) s;
CREATE TEMP TABLE fixed_side AS
SELECT f.factor, (SELECT s.aicc FROM (SELECT (gwr_fit(y, x, geom, 'kernel=gaussian fixed=true bandwidth=' || (b.bandwidth * f.factor)) OVER ()).aicc
                  FROM gwr.georgia_z) s LIMIT 1) AS aicc
FROM fixed_fit b CROSS JOIN (VALUES (0.95), (1.05)) f(factor);
SELECT ok((SELECT count(*) = 1 AND bool_and(bandwidth = round(bandwidth::numeric, 2)) FROM fixed_fit)
          AND (SELECT bool_and(s.aicc >= f.aicc) FROM fixed_side s, fixed_fit f),
          'fixed gaussian search: one bandwidth, rounded to 0.01, AICc not beaten 5% either side');

-- results do not depend on the order of the rows
SELECT is((SELECT count(*) FROM (SELECT areakey, (gwr_fit(y, x, geom) OVER ()).beta FROM (SELECT * FROM gwr.georgia_z ORDER BY areakey DESC) z) a
           JOIN gwr.ours o USING (areakey) WHERE a.beta <> o.beta), 0::bigint, 'row order does not change results');

SELECT * FROM finish();
