-- Timings for bench/accounting.sh: best of :reps runs of each query, as CSV.
\ir best.sql

SELECT 'join', 'tile-county pairs only', bench.best($$
  SELECT c.id, l.rid FROM bench.county c JOIN bench.lc l ON ST_Intersects(l.rast, c.geom) $$, :reps);
SELECT 'carbonbudget', 'zonal class areas', bench.best($$
  SELECT c.id, carbon_budget_agg(l.rast, c.geom, 'zone=east') AS b
  FROM bench.county c JOIN bench.lc l ON ST_Intersects(l.rast, c.geom) GROUP BY c.id $$, :reps);
CREATE TABLE bench.ours AS SELECT * FROM bench_out;
SELECT 'carbonbudget', 'zonal exact coverage', bench.best($$
  SELECT c.id, carbon_budget_agg(l.rast, c.geom, 'zone=east coverage=exact') AS b
  FROM bench.county c JOIN bench.lc l ON ST_Intersects(l.rast, c.geom) GROUP BY c.id $$, :reps);
CREATE TABLE bench.ours_exact AS SELECT * FROM bench_out;
SELECT 'postgis', 'zonal class areas', bench.best($$
  SELECT c.id, vc.value, sum(vc.count) AS n
  FROM bench.county c JOIN bench.lc l ON ST_Intersects(l.rast, c.geom),
       LATERAL ST_ValueCount(ST_Clip(l.rast, c.geom), 1, true) vc
  GROUP BY c.id, vc.value $$, 1);
CREATE TABLE bench.theirs AS SELECT * FROM bench_out;

SELECT 'carbonbudget', 'nep_raster', bench.best($$ SELECT rid, nep_raster(npp, t, p) AS r FROM bench.clim $$, :reps);
CREATE TABLE bench.nep_ours AS SELECT * FROM bench_out;
SELECT 'postgis', 'nep_raster', bench.best($$
  SELECT rid, ST_MapAlgebra(npp, 1, ST_MapAlgebra(t, 1, p, 1,
      '12 * 0.22 * (exp(0.0913 * [rast1.val]) + ln(0.3145 * [rast2.val] / 12 + 1)) * 30 * 0.465', '64BF'), 1,
      '[rast1.val] - [rast2.val]', '64BF') AS r
  FROM bench.clim $$, 1);
CREATE TABLE bench.nep_theirs AS SELECT * FROM bench_out;

-- agreement: class areas (hm2) per county and class, NEP per pixel
SELECT 'check', 'zonal areas differing from ST_Clip', count(*) FROM (
  SELECT id, u.cls, u.area, t.area AS t_area
  FROM (SELECT o.id, u.cls, u.area FROM bench.ours o, LATERAL unnest((o.b).land_class, (o.b).area_hm2) u(cls, area)) u
  FULL JOIN (SELECT t.id, c.land_class AS cls, sum(t.n) * 0.09 AS area FROM bench.theirs t
             JOIN landcover_code c ON c.scheme = 'clcd' AND c.code = t.value GROUP BY 1, 2) t USING (id, cls)
  WHERE abs(coalesce(u.area, 0) - coalesce(t.area, 0)) > 1e-6 * greatest(abs(t.area), 1)) d;
SELECT 'check', 'classified pixels', round(sum(a) / 0.09) FROM bench.ours o, unnest((o.b).area_hm2) a;
SELECT 'check', 'exact minus centre area (hm2)',
       round(((SELECT sum(a) FROM bench.ours_exact o, unnest((o.b).area_hm2) a)
              - (SELECT sum(a) FROM bench.ours o, unnest((o.b).area_hm2) a))::numeric, 3);
SELECT 'check', 'nep max abs difference', max(d) FROM (
  SELECT (ST_SummaryStats(ST_MapAlgebra(o.r, t.r, 'abs([rast1.val] - [rast2.val])', '64BF'))).max AS d
  FROM bench.nep_ours o JOIN bench.nep_theirs t USING (rid)) s;
SELECT 'check', 'nep pixels', sum(ST_Width(r) * ST_Height(r)) FROM bench.nep_ours;
