#!/usr/bin/env bash
# Benchmark of zonal statistics and land-use transitions (not a test):
# carbonbudget through SQL against R terra and plain PostGIS SQL on identical
# data, in the same run.
#   bench/zonal.sh [n] [reps] [k]   n x n rasters (default 10000), best of reps (default 3),
#                                   terra's exact extraction on the counties with id <= k (default 3)
# Data (bench/zonal_gen.R, fixed formulas, loaded with raster2pgsql in 256 x 256
# tiles): an n x n float raster of 30 m pixels in UTM 50N, the same values on a
# lon/lat grid, two CLCD land-cover years, and 100 Voronoi counties over each grid.
# CB_BENCH_R_REPS sets the repetitions of R terra (default 1: its steps take minutes);
# CB_BENCH_DATA names a directory of GeoTIFFs made earlier by zonal_gen.R for the same n
# (they are used instead of generating them again).
# Peak memory: VmHWM of a fresh backend that runs one query (shared buffers it touched
# included; the baseline row only reads and detoasts the same tiles), and of the R
# process during each step.
source "$(dirname "$0")/../scripts/lib.sh"
n=${1:-10000}
reps=${2:-3}
k=${3:-3}
cb_setup_server r-cran-terra
export PGOPTIONS="-c search_path=public,carbonbudget"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

work=$(mktemp -d /tmp/carbonbudget-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"; cb_stop_cluster' EXIT
psql -c "SET client_min_messages = warning" -c "CREATE EXTENSION carbonbudget CASCADE" -c "CREATE SCHEMA bench"

if [ -n "${CB_BENCH_DATA:-}" ]; then
  cb_log "loading the $n x $n rasters of $CB_BENCH_DATA in 256 x 256 tiles"
  for f in value value_ll lc2000 lc2020; do ln -s "$(realpath "$CB_BENCH_DATA/$f.tif")" "$work/$f.tif"; done
else
  cb_log "generating $n x $n rasters and loading them in 256 x 256 tiles"
  Rscript "$CB_ROOT/bench/zonal_gen.R" "$work" "$n"
fi
raster2pgsql -q -s 32650 -t 256x256 -I "$work/value.tif" bench.value 2>/dev/null | psql >/dev/null
raster2pgsql -q -s 4326 -t 256x256 -I "$work/value_ll.tif" bench.value_ll 2>/dev/null | psql >/dev/null
raster2pgsql -q -s 32650 -t 256x256 -N 0 "$work/lc2000.tif" bench.lc2000 2>/dev/null | psql >/dev/null
raster2pgsql -q -s 32650 -t 256x256 -N 0 "$work/lc2020.tif" bench.lc2020 2>/dev/null | psql >/dev/null
psql <<'SQL'
-- 100 Voronoi counties (fixed seed) over each grid's extent
SELECT setseed(0.42) \gset
CREATE FUNCTION bench.voronoi(tab regclass, srid int) RETURNS TABLE (id int, geom geometry) LANGUAGE plpgsql AS $$
DECLARE box geometry;
BEGIN
  EXECUTE format('SELECT ST_Envelope(ST_Union(ST_Envelope(rast))) FROM %s', tab) INTO box;
  RETURN QUERY
  SELECT (row_number() OVER ())::int, ST_Intersection((d).geom, box)
  FROM (SELECT ST_Dump(ST_VoronoiPolygons(ST_SetSRID(ST_Collect(ST_MakePoint(
          ST_XMin(box) + random() * (ST_XMax(box) - ST_XMin(box)), ST_YMin(box) + random() * (ST_YMax(box) - ST_YMin(box)))), srid),
          0, box)) AS d FROM generate_series(1, 100)) s;
END $$;
CREATE TABLE bench.county AS SELECT * FROM bench.voronoi('bench.value', 32650);
CREATE TABLE bench.county_ll AS SELECT * FROM bench.voronoi('bench.value_ll', 4326);
CREATE INDEX ON bench.county USING gist (geom);
CREATE INDEX ON bench.county_ll USING gist (geom);
ANALYZE;
SQL
psql -c "\\copy (SELECT id, ST_AsText(geom) AS wkt FROM bench.county ORDER BY id) TO '$work/counties_utm.csv' CSV HEADER"
psql -c "\\copy (SELECT id, ST_AsText(geom) AS wkt FROM bench.county_ll ORDER BY id) TO '$work/counties_ll.csv' CSV HEADER"
psql -At -c "SELECT count(*) || ' tiles, ' || (SELECT count(*) FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom)) || ' tile-county pairs' FROM bench.value" >&2

cb_log "timing carbonbudget and PostGIS SQL (best of $reps for carbonbudget, 1 run for ST_Clip)"
psql -v reps="$reps" -v k="$k" -f "$CB_ROOT/bench/zonal_time.sql" > "$work/sql.csv"

cb_log "peak memory of one query per fresh backend"
peak() {
  psql -At -c "SET max_parallel_workers_per_gather = 0" -c "SET client_min_messages = warning" \
       -c "CREATE TEMP TABLE m AS $3" \
       -c "SELECT '$1,$2 peak MB,' || round((regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\\s+(\\d+)'))[1]::numeric / 1024)" \
    >> "$work/sql.csv"
}
peak join "baseline: detoast the tiles of the join" \
  "SELECT c.id, sum(length(v.rast::bytea)) FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom) GROUP BY c.id"
peak carbonbudget "zonal exact utm" \
  "SELECT c.id, (zonal_stats_agg(v.rast, c.geom)).* FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom) GROUP BY c.id"
peak postgis "zonal centre utm" \
  "SELECT c.id, (ST_SummaryStatsAgg(ST_Clip(v.rast, c.geom), 1, true)).* FROM bench.county c JOIN bench.value v ON ST_Intersects(v.rast, c.geom) GROUP BY c.id"
peak carbonbudget "transition matrix" \
  "SELECT landuse_transition(a.rast, b.rast, e.box) AS t FROM bench.lc2000 a JOIN bench.lc2020 b USING (rid), (SELECT ST_Envelope(ST_Union(ST_Envelope(rast))) AS box FROM bench.lc2000) e"

cb_log "timing R terra (best of ${CB_BENCH_R_REPS:-1}; exact extraction on counties 1..$k)"
Rscript "$CB_ROOT/bench/zonal.R" "$work" "${CB_BENCH_R_REPS:-1}" "$k" > "$work/r.csv"
for g in utm ll; do
  psql -At -c "CREATE TEMP TABLE t (id int, sum float8);" -c "\\copy t FROM '$work/terra_$g.csv' CSV HEADER" \
       -c "SELECT 'check,exact sums $g (counties 1..$k): max relative difference to terra,' || max(abs(o.sum - t.sum) / abs(t.sum)) FROM bench.ours_$g o JOIN t USING (id)" >> "$work/sql.csv"
done
psql -At -c "CREATE TEMP TABLE t (id int, sum float8);" -c "\\copy t FROM '$work/terra_centre.csv' CSV HEADER" \
     -c "SELECT 'check,centre sums utm: max relative difference to terra rasterize + zonal,' || max(abs(o.sum - t.sum) / abs(t.sum)) || ' over ' || count(*) || ' counties' FROM bench.ours_centre o JOIN t USING (id)" >> "$work/sql.csv"

python3 - "$work/sql.csv" "$work/r.csv" "$n" "$k" <<'PY'
import csv, sys
rows = [r for f in sys.argv[1:3] for r in csv.reader(open(f)) if r]
t = {(r[0], r[1]): r[2] for r in rows}
n, k = sys.argv[3], sys.argv[4]
print(f"rasters {n} x {n} pixels in 256 x 256 tiles, 100 counties; terra's exact extraction on counties 1..{k}")
for (who, what), v in t.items():
    if who == 'check' or what == 'transition pixels':
        print(f"  check: {what}{'' if who == 'check' else ' (' + who + ')'} = {v}")
f = lambda k: float(t[k])
print(f"{'step':58} {'carbonbudget s':>14} {'peer s':>9} {'peer/cb':>8}")
for step, ours, peer, label in (
        (f'zonal exact, UTM, counties 1..{k}', ('carbonbudget', 'zonal exact utm subset'), ('terra', 'zonal exact utm subset'), 'terra extract(exact=TRUE)'),
        (f'zonal exact, lon/lat, counties 1..{k}', ('carbonbudget', 'zonal exact ll subset'), ('terra', 'zonal exact ll subset'), 'terra extract(exact=TRUE)'),
        ('zonal centre, UTM', ('carbonbudget', 'zonal centre utm'), ('terra', 'zonal centre utm'), 'terra rasterize+zonal'),
        ('zonal exact, UTM', ('carbonbudget', 'zonal exact utm'), ('postgis', 'zonal centre utm'), 'ST_SummaryStatsAgg(ST_Clip)'),
        ('zonal centre, UTM', ('carbonbudget', 'zonal centre utm'), ('postgis', 'zonal centre utm'), 'ST_SummaryStatsAgg(ST_Clip)'),
        ('transition matrix, whole raster', ('carbonbudget', 'transition matrix'), ('terra', 'transition matrix'), 'terra crosstab')):
    print(f"{step + ' vs ' + label:58} {f(ours):14.3f} {f(peer):9.3f} {f(peer) / f(ours):7.1f}x")
for step, key in (('zonal exact, UTM, all counties (no peer)', 'zonal exact utm'),
                  ('zonal exact, lon/lat, all counties (no peer)', 'zonal exact ll'),
                  ('transition per county (no peer)', 'transition county')):
    print(f"{step:58} {f(('carbonbudget', key)):14.3f}")
print(f"{'ST_Intersects join alone (shared)':58} {f(('join', 'tile-county pairs only')):14.3f}")
print("peak resident memory, MB:")
for (who, what), v in t.items():
    if what.endswith('peak MB'):
        print(f"  {who:13} {what[:-8]:45} {float(v):8.0f}")
PY
