-- Times carbonbudget through SQL: the best of :reps runs of each step, in
-- seconds, printed as "dataset,step,seconds" lines.
SET client_min_messages = warning;
SET search_path = public, carbonbudget;

CREATE FUNCTION bench.best_seconds(query text, reps int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  best float8 := 'Infinity';
BEGIN
  FOR i IN 1..reps LOOP
    t0 := clock_timestamp();
    EXECUTE query;
    best := least(best, extract(epoch FROM clock_timestamp() - t0));
  END LOOP;
  RETURN best;
END $$;

-- neighbour lists stored once, as an analyst keeps weights in a table
CREATE FUNCTION bench.store_neighbours(dataset text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($q$
    CREATE TABLE bench.%1$I_nb AS
    SELECT d.id, d.x, d.y, d.b, d.events, d.pop, coalesce(l.neighbors, '{}') AS neighbors
    FROM bench.%1$I d
    LEFT JOIN (SELECT i AS id, array_agg(j ORDER BY j) AS neighbors
               FROM spatial_weights((SELECT array_agg(id) FROM bench.%1$I),
                                    (SELECT array_agg(geom) FROM bench.%1$I), 'weights=queen')
               GROUP BY i) l USING (id)$q$, dataset);
END $$;

CREATE FUNCTION bench.time_dataset(dataset text, reps int) RETURNS TABLE (step text, seconds float8)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bench.store_neighbours(dataset);
  step := 'queen weights';
  seconds := bench.best_seconds(format($q$SELECT count(*) FROM spatial_weights(
      (SELECT array_agg(id) FROM bench.%1$I), (SELECT array_agg(geom) FROM bench.%1$I), 'weights=queen')$q$,
      dataset), reps);
  RETURN NEXT;
  step := 'queen weights (validate=false)';
  seconds := bench.best_seconds(format($q$SELECT count(*) FROM spatial_weights(
      (SELECT array_agg(id) FROM bench.%1$I), (SELECT array_agg(geom) FROM bench.%1$I),
      'weights=queen validate=false')$q$, dataset), reps);
  RETURN NEXT;
  step := 'global Moran 999 perm';
  seconds := bench.best_seconds(format($q$SELECT morans_i(x, id, neighbors, 'permutations=999')
      FROM bench.%I_nb$q$, dataset), reps);
  RETURN NEXT;
  step := 'local Moran 999 perm';
  seconds := bench.best_seconds(format($q$SELECT count(r) FROM (SELECT local_moran(x, id, neighbors,
      'permutations=999') OVER () AS r FROM bench.%I_nb) s$q$, dataset), reps);
  RETURN NEXT;
  -- the statistics of GeoDa and PySAL beside Moran's I, over the stored neighbour lists
  step := 'bivariate Moran 999 perm';
  seconds := bench.best_seconds(format($q$SELECT morans_i_bv(x, y, id, neighbors, 'permutations=999')
      FROM bench.%I_nb$q$, dataset), reps);
  RETURN NEXT;
  step := 'local bivariate Moran 999 perm';
  seconds := bench.best_seconds(format($q$SELECT count(r) FROM (SELECT local_moran_bv(x, y, id, neighbors,
      'permutations=999') OVER () AS r FROM bench.%I_nb) s$q$, dataset), reps);
  RETURN NEXT;
  step := 'EB rate Moran 999 perm';
  seconds := bench.best_seconds(format($q$SELECT morans_i_rate(events, pop, id, neighbors, 'permutations=999')
      FROM bench.%I_nb$q$, dataset), reps);
  RETURN NEXT;
  step := 'Geary C 999 perm';
  seconds := bench.best_seconds(format($q$SELECT gearys_c(x, id, neighbors, 'permutations=999')
      FROM bench.%I_nb$q$, dataset), reps);
  RETURN NEXT;
  step := 'local Geary 999 perm';
  seconds := bench.best_seconds(format($q$SELECT count(r) FROM (SELECT local_geary(x, id, neighbors,
      'permutations=999') OVER () AS r FROM bench.%I_nb) s$q$, dataset), reps);
  RETURN NEXT;
  step := 'join counts 999 perm';
  seconds := bench.best_seconds(format($q$SELECT join_counts(b, id, neighbors, 'permutations=999')
      FROM bench.%I_nb$q$, dataset), reps);
  RETURN NEXT;
  step := 'local join count 999 perm';
  seconds := bench.best_seconds(format($q$SELECT count(r) FROM (SELECT local_join_count(b, id, neighbors,
      'permutations=999') OVER () AS r FROM bench.%I_nb) s$q$, dataset), reps);
  RETURN NEXT;
  step := 'spatial lag';
  seconds := bench.best_seconds(format($q$SELECT count(l) FROM (SELECT spatial_lag(x, id, neighbors) OVER () AS l
      FROM bench.%I_nb) s$q$, dataset), reps);
  RETURN NEXT;
  step := 'global Moran 999 perm (from polygons)';
  seconds := bench.best_seconds(format($q$SELECT morans_i(x, geom, 'permutations=999')
      FROM bench.%I$q$, dataset), reps);
  RETURN NEXT;
  step := 'local Moran 999 perm (from polygons)';
  seconds := bench.best_seconds(format($q$SELECT count(r) FROM (SELECT local_moran(x, geom,
      'permutations=999') OVER () AS r FROM bench.%I) s$q$, dataset), reps);
  RETURN NEXT;
END $$;

\pset format unaligned
\pset tuples_only on
\pset fieldsep ','
SELECT 'voronoi', step, round(seconds::numeric, 4) FROM bench.time_dataset('voronoi', :reps);
SELECT 'grid', step, round(seconds::numeric, 4) FROM bench.time_dataset('grid', greatest(1, :reps / 2));
