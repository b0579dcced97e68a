-- Times gwr_fit through SQL on bench.gwr_<n>: prints "step,n,seconds,bandwidth(s),aicc" lines.
SET client_min_messages = warning;
SET search_path = public, carbonbudget;

CREATE OR REPLACE FUNCTION bench.gwr_time(n int, options text, OUT seconds float8, OUT bandwidth text, OUT aicc float8)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE format('SELECT coalesce(bandwidth::text, bandwidths::text), aicc FROM (SELECT (gwr_fit(y, x, geom, %L) OVER ()).* FROM bench.gwr_%s) s LIMIT 1',
                 options, n) INTO bandwidth, aicc;
  seconds := extract(epoch FROM clock_timestamp() - t0);
END $$;
