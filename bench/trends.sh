#!/usr/bin/env bash
# Benchmark (not a test): per-pixel Mann-Kendall + Sen slope over a 20-band
# 1,000 x 1,000 stack (100 tiles of 100 x 100 pixels, one raster per tile and
# year), carbonbudget's trend_raster against the plain PostGIS SQL way
# (pixels as rows with ST_PixelAsCentroids, regr_slope, a SQL Sen median
# over all pairs and the Mann-Kendall S and tie-corrected Z, pixels first
# materialised into a table, which is part of the time), in the same
# run on the same data.  The SQL way is measured on a subset of SQL_TILES
# tiles and scaled to the whole stack (it grows linearly with the pixels).
# Both sides run in one backend (max_parallel_workers_per_gather = 0).
# Run as root: bench/trends.sh   (SQL_TILES=2 by default)
source "$(dirname "$0")/../scripts/lib.sh"
cb_setup_server

SQL_TILES=${SQL_TILES:-2}
TILES=100            # 10 x 10 tiles of 100 x 100 pixels
YEARS=20
q() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
now() { date +%s.%N; }

cb_log "generating the stack: $YEARS years x $TILES tiles of 100 x 100 pixels (deterministic values)"
q <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;
SET search_path = public, carbonbudget;
-- value = trend of a pixel-dependent slope + a seasonal-looking wave + a pixel-dependent offset,
-- rounded to 0.01 (so some years tie); pixel (x, y) of tile rid, year 1..20
CREATE TABLE stack AS
SELECT t.rid, yr.year,
       ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(100, 100, 500000 + 3000 * ((t.rid - 1) % 10), 4000000 - 3000 * ((t.rid - 1) / 10),
                                                  30, -30, 0, 0, 32650), '32BF'::text, 0::float8, -9999::float8),
                    1, 1, 1,
                    (SELECT array_agg(r ORDER BY y) FROM (
                       SELECT y, array_agg(round((50 + ((x * 7 + y * 13 + t.rid) % 17) * 2
                                               + yr.year * (((x + y + t.rid) % 9) - 4) * 0.3
                                               + 8 * sin(x * 0.37 + y * 0.11 + yr.year * 1.7 + t.rid))::numeric, 2)::float8 ORDER BY x) r
                       FROM generate_series(1, 100) x, generate_series(1, 100) y GROUP BY y) rows)::float8[][]) AS rast
FROM generate_series(1, 100) t(rid), generate_series(1, 20) yr(year);
CREATE INDEX ON stack (rid);
ANALYZE stack;
SQL

run_ours() {
  q <<SQL
SET search_path = public, carbonbudget; SET max_parallel_workers_per_gather = 0;
DROP TABLE IF EXISTS ours;
CREATE TABLE ours AS SELECT rid, trend_raster(array_agg(rast ORDER BY year)) AS rast FROM stack WHERE rid <= $1 GROUP BY rid;
SQL
}

run_sql() {
  q <<SQL
SET search_path = public, carbonbudget; SET max_parallel_workers_per_gather = 0; SET work_mem = '256MB';
DROP TABLE IF EXISTS px, plain;
-- pixels as rows
CREATE TABLE px AS
SELECT s.rid, d.x, d.y, s.year, d.val FROM stack s, LATERAL ST_PixelAsCentroids(s.rast, 1) d WHERE s.rid <= $1;
ANALYZE px;
CREATE TABLE plain AS
WITH pairs AS (
  SELECT a.rid, a.x, a.y, (b.val - a.val) / (b.year - a.year) AS slope, sign(b.val - a.val) AS sgn
  FROM px a JOIN px b ON a.rid = b.rid AND a.x = b.x AND a.y = b.y AND a.year < b.year),
sen AS (
  SELECT rid, x, y, percentile_cont(0.5) WITHIN GROUP (ORDER BY slope) AS sen_slope, sum(sgn) AS s
  FROM pairs GROUP BY rid, x, y),
ols AS (
  SELECT rid, x, y, count(*) AS n, regr_slope(val, year) AS ols_slope FROM px GROUP BY rid, x, y),
ties AS (
  SELECT rid, x, y, sum(tp * (tp - 1) * (2 * tp + 5)) AS tie_term
  FROM (SELECT rid, x, y, count(*) AS tp FROM px GROUP BY rid, x, y, val) g GROUP BY rid, x, y)
SELECT rid, x, y, ols_slope, sen_slope, s,
       CASE WHEN s = 0 THEN 0 ELSE (s - sign(s)) / sqrt((n * (n - 1) * (2 * n + 5) - tie_term) / 18.0) END AS z
FROM sen JOIN ols USING (rid, x, y) JOIN ties USING (rid, x, y);
SQL
}

cb_log "carbonbudget trend_raster on the whole stack (1,000,000 pixels x $YEARS years)"
t0=$(now); run_ours $TILES; t1=$(now)
ours_full=$(echo "$t1 - $t0" | bc -l)
echo "trend_raster: $ours_full s" >&2

cb_log "plain PostGIS SQL on $SQL_TILES tiles ($((SQL_TILES * 10000)) pixels)"
t0=$(now); run_sql "$SQL_TILES"; t1=$(now)
sql_subset=$(echo "$t1 - $t0" | bc -l)
sql_scaled=$(echo "$sql_subset * $TILES / $SQL_TILES" | bc -l)
echo "plain SQL: $sql_subset s" >&2

# agreement on the subset: every pixel's three values
check=$(q <<'SQL'
SET search_path = public, carbonbudget;
SELECT count(*) || ' pixels compared, ' ||
       count(*) FILTER (WHERE abs(ST_Value(o.rast, 1, p.x, p.y) - p.ols_slope) > 1e-9 * (1 + abs(p.ols_slope))
                         OR abs(ST_Value(o.rast, 2, p.x, p.y) - p.sen_slope) > 1e-9 * (1 + abs(p.sen_slope))
                         OR abs(ST_Value(o.rast, 3, p.x, p.y) - p.z) > 1e-9 * (1 + abs(p.z))) || ' differ'
FROM plain p JOIN ours o USING (rid);
SQL
)

printf '\n%-58s %10s\n' "step" "seconds"
printf '%-58s %10.2f\n' "trend_raster, 1,000,000 pixels x $YEARS years" "$ours_full"
printf '%-58s %10.2f\n' "plain SQL, $((SQL_TILES * 10000)) pixels (measured)" "$sql_subset"
printf '%-58s %10.2f\n' "plain SQL, 1,000,000 pixels (scaled x $((TILES / SQL_TILES)))" "$sql_scaled"
printf '%-58s %10.1fx\n' "ratio plain SQL / trend_raster" "$(echo "$sql_scaled / $ours_full" | bc -l)"
echo "agreement on the subset: $check"
