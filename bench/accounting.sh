#!/usr/bin/env bash
# Benchmark of the carbon accounting (not a test): carbonbudget through SQL
# against plain PostGIS SQL and R terra on identical data, in the same run.
#   bench/accounting.sh [n] [reps]   n x n land-cover raster (default 10000), best of reps (default 3)
# Data: an n x n CLCD land-cover raster of 30 m pixels in 256 x 256 tiles
# (bench/accounting_gen.R, fixed seed, loaded with raster2pgsql) and 100
# Voronoi counties (bench/accounting_data.sql).  NEP is compared on the first
# CB_BENCH_NEP_TILES tiles (default 16: ST_MapAlgebra expressions are slow);
# CB_BENCH_R_REPS sets the repetitions of R terra (default reps).
source "$(dirname "$0")/../scripts/lib.sh"
n=${1:-10000}
reps=${2:-3}
nep_tiles=${CB_BENCH_NEP_TILES:-16}
cb_setup_server r-cran-terra
export PGOPTIONS="-c search_path=public,carbonbudget"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

work=$(mktemp -d /tmp/carbonbudget-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"; cb_stop_cluster' EXIT
psql -c "SET client_min_messages = warning" -c "CREATE EXTENSION carbonbudget CASCADE" -c "CREATE SCHEMA bench"

cb_log "generating a $n x $n land-cover raster (fixed seed) and loading it in 256 x 256 tiles"
Rscript "$CB_ROOT/bench/accounting_gen.R" "$work/lc.tif" "$n"
raster2pgsql -q -s 32650 -t 256x256 -I -N 0 "$work/lc.tif" bench.lc 2>/dev/null | psql >/dev/null
psql -v nep_tiles="$nep_tiles" -f "$CB_ROOT/bench/accounting_data.sql" >/dev/null
psql -c "\\copy (SELECT id, ST_AsText(geom) AS wkt FROM bench.county ORDER BY id) TO '$work/county.csv' CSV HEADER"
psql -At -c "SELECT count(*) || ' tiles, ' || (SELECT count(*) FROM bench.county) || ' counties, ' ||
                    (SELECT count(*) FROM bench.county c JOIN bench.lc l ON ST_Intersects(l.rast, c.geom)) || ' tile-county pairs'
             FROM bench.lc" >&2

cb_log "timing carbonbudget and PostGIS SQL (best of $reps for carbonbudget, 1 run for ST_Clip / ST_MapAlgebra)"
psql -v reps="$reps" -f "$CB_ROOT/bench/accounting_time.sql" > "$work/sql.csv"
cb_log "timing R terra extract (best of ${CB_BENCH_R_REPS:-$reps})"
Rscript "$CB_ROOT/bench/accounting.R" "$work/lc.tif" "$work/county.csv" "${CB_BENCH_R_REPS:-$reps}" > "$work/r.csv"

python3 - "$work/sql.csv" "$work/r.csv" "$n" "$nep_tiles" <<'PY'
import csv, sys
rows = [r for f in sys.argv[1:3] for r in csv.reader(open(f)) if r]
t = {(r[0], r[1]): float(r[2]) for r in rows}
n, nep_tiles = sys.argv[3], sys.argv[4]
print(f"land cover {n} x {n} pixels in 256 x 256 tiles, 100 counties; NEP on {nep_tiles} tiles")
for (who, what), v in t.items():
    if who == 'check' or what == 'classified pixels':
        print(f"  check: {what} = {v:g}" if who == 'check' else f"  check: terra {what} = {v:g}")
cb = t[('carbonbudget', 'zonal class areas')]
print(f"{'step':34} {'carbonbudget s':>14} {'peer s':>9} {'peer/cb':>8}")
for step, peer in (('zonal class areas', 'postgis'), ('zonal class areas', 'terra'), ('nep_raster', 'postgis')):
    ours, theirs = t[('carbonbudget', step)], t[(peer, step)]
    label = {'postgis': 'ST_ValueCount(ST_Clip)' if step.startswith('zonal') else 'ST_MapAlgebra', 'terra': 'R terra extract'}[peer]
    print(f"{step + ' vs ' + label:34} {ours:14.3f} {theirs:9.3f} {theirs / ours:7.1f}x")
print(f"{'zonal exact coverage (no peer)':34} {t[('carbonbudget', 'zonal exact coverage')]:14.3f}")
print(f"{'ST_Intersects join alone (shared)':34} {t[('join', 'tile-county pairs only')]:14.3f}")
PY
