-- Synthetic GWR data with a fixed seed: n points in a 100 km square, four
-- standard-normal covariates, smooth spatially varying coefficients and
-- gaussian noise:  y = b0 + b1 x1 + b2 x2 + b3 x3 + b4 x4 + 0.5 e.
CREATE SCHEMA IF NOT EXISTS bench;

-- standard normal from two uniforms (Box-Muller)
CREATE OR REPLACE FUNCTION bench.gwr_normal() RETURNS float8 LANGUAGE sql VOLATILE AS
$$ SELECT sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) $$;

CREATE OR REPLACE FUNCTION bench.gwr_make(n int, seed float8 DEFAULT 0.42) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM setseed(seed);
  EXECUTE format('DROP TABLE IF EXISTS bench.gwr_%s', n);
  EXECUTE format($q$
    CREATE TABLE bench.gwr_%1$s AS
    WITH p AS (
      SELECT i AS id, random() * 100000 AS px, random() * 100000 AS py,
             bench.gwr_normal() AS x1, bench.gwr_normal() AS x2, bench.gwr_normal() AS x3,
             bench.gwr_normal() AS x4, bench.gwr_normal() AS e
      FROM generate_series(1, %1$s) i ORDER BY i)
    SELECT id, ST_SetSRID(ST_MakePoint(px, py), 3857) AS geom, ARRAY[x1, x2, x3, x4] AS x,
           3 + (px + py) / 50000                                  -- b0: plane
           + (1 + sin(px / 100000 * pi()) ) * x1                   -- b1: ridge east-west
           + (1 + cos(py / 100000 * pi())) * x2                    -- b2: gradient north-south
           + (0.5 + ((px - 50000) ^ 2 + (py - 50000) ^ 2) / 5e9) * x3  -- b3: bowl
           + 0.5 * x4                                              -- b4: constant
           + 0.5 * e AS y
    FROM p$q$, n);
END $$;
