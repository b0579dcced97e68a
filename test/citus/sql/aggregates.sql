-- Every aggregate with a combine function gives the single-node result when
-- Citus runs it over a distributed table: whole-table queries and GROUP BY a
-- column other than the distribution column are split into worker partials
-- and a combine on the coordinator (aggregates with a float8[] or bytea state),
-- or run on the coordinator over the rows (internal states).
SET search_path = public, carbonbudget;
SET client_min_messages = warning;

CREATE TEMP TABLE agg_case (agg text PRIMARY KEY, query text);
INSERT INTO agg_case VALUES
  ('carbon_budget_agg(raster,geometry)', $$SELECT (carbon_budget_agg(rast, ST_Envelope(rast))).* FROM %s $$),
  ('carbon_budget_agg(raster,geometry,text)', $$SELECT stratum, (carbon_budget_agg(rast, ST_Envelope(rast), 'zone=east coverage=exact')).net FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('gini_signed(double precision)', $$SELECT gini_signed(value - 25) FROM %s$$),
  ('gini_signed(double precision,text)', $$SELECT stratum, gini_signed(value - 25, 'ai2017') FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('gini_signed(double precision,text,double precision)', $$SELECT gini_signed(value, 'standard', area) FROM %s$$),
  ('mann_kendall(double precision,double precision)', $$SELECT (mann_kendall(t + id * 1e-3, value)).* FROM %s$$),
  ('mann_kendall(double precision,double precision,text)', $$SELECT stratum, (mann_kendall(t + id * 1e-3, value, 'z_threshold=1.66')).* FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('sen_slope(double precision,double precision)', $$SELECT sen_slope(t + id * 1e-3, value) FROM %s$$),
  ('ols_trend(double precision,double precision)', $$SELECT ols_trend(t + id * 1e-3, value) FROM %s$$),
  ('hurst(double precision,double precision)', $$SELECT hurst(id, value) FROM %s$$),
  ('stirpat_ridge(double precision,double precision[],text)', $$SELECT (stirpat_ridge(ce, x, 'k=0.02')).* FROM %s$$),
  ('stirpat_ridge(double precision,double precision[])', $$SELECT stratum, (stirpat_ridge(ce, x)).* FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('stirpat_ridge_trace(double precision,double precision[],text)', $$SELECT stirpat_ridge_trace(ce, x, 'k_max=0.1 k_step=0.02') FROM %s$$),
  ('stirpat_ridge_trace(double precision,double precision[])', $$SELECT cardinality(stirpat_ridge_trace(ce, x)), (stirpat_ridge_trace(ce, x))[3] FROM %s$$),
  ('ols_fit(double precision,double precision[])', $$SELECT (ols_fit(value + 0.5 * x[1] - 0.3 * x[2], x)).* FROM %s$$),
  ('ols_stepwise(double precision,double precision[],text)', $$SELECT (ols_stepwise(value, x || ce, 'enter=0.1 remove=0.2')).* FROM %s$$),
  ('ols_stepwise(double precision,double precision[])', $$SELECT stratum, (ols_stepwise(value, x || ce)).* FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('ttest_ind(double precision,boolean)', $$SELECT (ttest_ind(value, treated)).* FROM %s$$),
  ('geodetector(double precision,bigint)', $$SELECT (geodetector(value, stratum)).* FROM %s$$),
  ('geodetector_interaction(double precision,bigint,bigint)', $$SELECT (geodetector_interaction(value, stratum, stratum2)).* FROM %s$$),
  ('mean_center(geometry,double precision)', $$SELECT ST_AsText(mean_center(geom, value), 17) FROM %s$$),
  ('std_ellipse(geometry,double precision)', $$SELECT (e).sigma_x, (e).sigma_y, (e).rotation_deg, ST_AsText((e).center, 17) FROM (SELECT std_ellipse(geom, value) AS e FROM %s) s$$),
  ('std_ellipse(geometry,double precision,text)', $$SELECT stratum, (std_ellipse(geom, value, 'convention=arcgis')).sigma_y FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('cli(text,double precision)', $$SELECT stratum, cli(land_class, area) FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('zonal_stats_agg(raster,geometry)', $$SELECT (zonal_stats_agg(rast, ST_Envelope(rast))).* FROM %s$$),
  ('zonal_stats_agg(raster,geometry,text)', $$SELECT stratum, (zonal_stats_agg(rast, ST_Buffer(ST_Envelope(rast), -30), 'coverage=exact scale=1e-6')).area_sum FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('landuse_transition(raster,raster,geometry)', $$SELECT (landuse_transition(rast, ST_MapAlgebra(rast, 1, NULL, '([rast]::int %% 3) + 1'), ST_Envelope(rast))).* FROM %s$$),
  ('landuse_transition(raster,raster,geometry,text)', $$SELECT stratum, (landuse_transition(rast, rast, ST_Buffer(ST_Envelope(rast), -30), '')).changed_hm2 FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('spatial_state(double precision,bigint)', $$SELECT stratum, translate(md5(spatial_state(value, id)), '0123456789', 'ghijklmnop') AS state_digest FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('morans_i_at(bytea,double precision,bigint,bigint[])', $$SELECT (morans_i_at(st.s, value, id, neighbors)).* FROM %1$s, (SELECT spatial_state(value, id) AS s FROM %1$s) st$$),
  ('morans_i_at(bytea,double precision,bigint,bigint[],text)', $$SELECT (morans_i_at(st.s, value, id, neighbors, 'style=B permutations=99 seed=4')).* FROM %1$s, (SELECT spatial_state(value, id) AS s FROM %1$s) st$$),
  ('morans_i_at(bytea,double precision,bigint,bigint[],double precision[],text)', $$SELECT (morans_i_at(st.s, value, id, neighbors, ARRAY(SELECT 1.0 / (1 + abs(id - n)) FROM unnest(neighbors) n), 'permutations=19')).* FROM %1$s, (SELECT spatial_state(value, id) AS s FROM %1$s) st$$),
  ('lmdi(double precision,double precision,double precision[])', $$SELECT (lmdi(id, ce, ARRAY[x[1], ce / x[1]])).* FROM %s$$),
  ('lmdi(double precision,double precision,double precision[],text)', $$SELECT stratum, (lmdi(id, ce, ARRAY[x[1], ce / x[1]], 'chain=true')).effects FROM %s GROUP BY stratum ORDER BY stratum$$),
  ('tapio(double precision,double precision,double precision)', $$SELECT stratum, (tapio(id, ce, value)).* FROM %s GROUP BY stratum ORDER BY stratum$$);

-- every aggregate of the extension with a combine function has a case: no rows expected
SELECT p.oid::regprocedure::text AS aggregate_without_case
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.pronamespace = 'carbonbudget'::regnamespace AND a.aggcombinefn <> 0
  AND p.oid NOT IN (SELECT ('carbonbudget.' || agg)::regprocedure::oid FROM agg_case);

-- each query in a transaction of its own (Citus does not mix local and remote
-- execution of the reference tables in one transaction)
CREATE TEMP TABLE agg_out (agg text, distributed boolean, result text);
CREATE TEMP TABLE agg_plan (agg text, split boolean);
-- (Citus warns that a function in pg_temp is not propagated to the workers)
SET client_min_messages = error;
CREATE FUNCTION pg_temp.is_split(query text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE line text; plan text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP plan := plan || line; END LOOP;
  RETURN plan LIKE '%worker_partial_agg%';
END $$;
SET client_min_messages = warning;
\set ECHO none
SELECT format('INSERT INTO agg_out SELECT %L, true, string_agg(r::text, %L ORDER BY r::text) FROM (%s) r', agg, '; ', format(query, 'units')),
       format('INSERT INTO agg_out SELECT %L, false, string_agg(r::text, %L ORDER BY r::text) FROM (%s) r', agg, '; ', format(query, 'units_local')),
       format('INSERT INTO agg_plan SELECT %L, pg_temp.is_split(%L)', agg, format(query, 'units'))
FROM agg_case ORDER BY agg \gexec
\set ECHO all
CREATE TEMP TABLE agg_run AS
SELECT c.agg, p.split, public.same_result(d.result, l.result) AS same, d.result AS distributed, l.result AS local
FROM agg_case c JOIN agg_plan p ON p.agg = c.agg
JOIN agg_out d ON d.agg = c.agg AND d.distributed JOIN agg_out l ON l.agg = c.agg AND NOT l.distributed;

-- split on the workers: every aggregate whose state is not internal
SELECT a.agg, r.split
FROM agg_case a JOIN agg_run r USING (agg)
JOIN pg_proc p ON p.oid = ('carbonbudget.' || a.agg)::regprocedure
JOIN pg_aggregate g ON g.aggfnoid = p.oid
WHERE r.split IS DISTINCT FROM (g.aggtranstype <> 'internal'::regtype)
ORDER BY 1;
-- results equal the single-node ones: no rows expected
SELECT agg, distributed, local FROM agg_run WHERE NOT same OR distributed IS NULL ORDER BY agg;
SELECT count(*) AS cases, count(*) FILTER (WHERE split) AS split_on_workers FROM agg_run;
