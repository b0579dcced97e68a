-- Timings for bench/zonal.sh: best of :reps runs of each query, as CSV; :k counties for the subset runs.
\ir best.sql

SELECT 'join', 'tile-county pairs only', bench.best($$
  SELECT c.id, v.rid FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom) $$, :reps);
SELECT 'carbonbudget', 'zonal exact utm', bench.best($$
  SELECT c.id, (zonal_stats_agg(v.rast, c.geom)).* FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom)
  GROUP BY c.id $$, :reps);
CREATE TABLE bench.ours_utm AS SELECT * FROM bench_out;
SELECT 'carbonbudget', 'zonal centre utm', bench.best($$
  SELECT c.id, (zonal_stats_agg(v.rast, c.geom, 'coverage=centre')).* FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom)
  GROUP BY c.id $$, :reps);
CREATE TABLE bench.ours_centre AS SELECT * FROM bench_out;
SELECT 'carbonbudget', 'zonal exact ll', bench.best($$
  SELECT c.id, (zonal_stats_agg(v.rast, c.geom, 'scale=1e-6')).* FROM bench.county_ll c JOIN bench.value_ll v ON ST_Intersects(v.rast, c.geom)
  GROUP BY c.id $$, :reps);
CREATE TABLE bench.ours_ll AS SELECT * FROM bench_out;
SELECT 'carbonbudget', 'zonal exact utm subset', bench.best($$
  SELECT c.id, (zonal_stats_agg(v.rast, c.geom)).* FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom)
  WHERE c.id <= $$ || :k || $$ GROUP BY c.id $$, :reps);
SELECT 'carbonbudget', 'zonal exact ll subset', bench.best($$
  SELECT c.id, (zonal_stats_agg(v.rast, c.geom, 'scale=1e-6')).* FROM bench.county_ll c JOIN bench.value_ll v ON ST_Intersects(v.rast, c.geom)
  WHERE c.id <= $$ || :k || $$ GROUP BY c.id $$, :reps);
SELECT 'postgis', 'zonal centre utm', bench.best($$
  SELECT c.id, (ST_SummaryStatsAgg(ST_Clip(v.rast, c.geom), 1, true)).*
  FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom) GROUP BY c.id $$, 1);
CREATE TABLE bench.theirs_centre AS SELECT * FROM bench_out;
SELECT 'carbonbudget', 'transition county', bench.best($$
  SELECT c.id, landuse_transition(a.rast, b.rast, c.geom) AS t
  FROM bench.county c JOIN bench.lc2000 a ON ST_Intersects(a.rast, c.geom) JOIN bench.lc2020 b USING (rid) GROUP BY c.id $$, :reps);
SELECT 'carbonbudget', 'transition matrix', bench.best($$
  SELECT landuse_transition(a.rast, b.rast, e.box) AS t
  FROM bench.lc2000 a JOIN bench.lc2020 b USING (rid), (SELECT ST_Envelope(ST_Union(ST_Envelope(rast))) AS box FROM bench.lc2000) e $$, :reps);
CREATE TABLE bench.trans AS SELECT * FROM bench_out;

SELECT 'check', 'centre pixels differing from ST_Clip', count(*)
FROM bench.ours_centre o FULL JOIN bench.theirs_centre t USING (id)
WHERE o.pixels IS DISTINCT FROM t.count OR abs(o.sum - t.sum) > 1e-9 * abs(t.sum);
SELECT 'check', 'transition pixels', round((t).total_hm2 / 0.09) FROM bench.trans;
