-- Shared by the bench/*_time.sql scripts: bench.best(query, reps) runs a query reps times into a temporary
-- table and returns the best wall-clock seconds; output as CSV, serial plans, no notices.
CREATE FUNCTION bench.best(query text, reps int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best float8 := 'Infinity';
BEGIN
  FOR k IN 1..reps LOOP
    DROP TABLE IF EXISTS bench_out;
    t0 := clock_timestamp();
    EXECUTE 'CREATE TEMP TABLE bench_out AS ' || query;
    best := least(best, extract(epoch FROM clock_timestamp() - t0));
  END LOOP;
  RETURN best;
END $$;
\pset format csv
\pset tuples_only on
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
