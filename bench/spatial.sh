#!/usr/bin/env bash
# Benchmark of spatial weights and autocorrelation (not a test): carbonbudget
# through SQL against R spdep on identical data, in the same run.
#   bench/spatial.sh [reps]        best of reps runs per step (default 3)
# Data: bench/spatial_data.sql (fixed seed): 3,000 Voronoi polygons and a
# 100,000-cell grid.  Set CB_BENCH_R_GRID=0 to skip R on the grid (slow).
source "$(dirname "$0")/../scripts/lib.sh"
reps=${1:-3}
cb_setup_server r-cran-spdep r-cran-sf
export PGOPTIONS="-c search_path=public,carbonbudget"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

work=$(mktemp -d /tmp/carbonbudget-bench.XXXXXX)
trap 'rm -rf "$work"; cb_stop_cluster' EXIT
psql -c "SET client_min_messages = warning" -c "CREATE EXTENSION carbonbudget CASCADE"

cb_log "generating data (fixed seed)"
psql -f "$CB_ROOT/bench/spatial_data.sql" >/dev/null
for ds in voronoi grid; do
  psql -c "\\copy (SELECT id, x, y, b::int AS b, events, pop, ST_AsText(geom) AS wkt FROM bench.$ds ORDER BY id) TO '$work/$ds.csv' CSV HEADER"
done

cb_log "timing carbonbudget (best of $reps)"
psql -v reps="$reps" -f "$CB_ROOT/bench/spatial_time.sql" > "$work/ours.csv"
psql -At -F, -c "SELECT 'voronoi', 'links', count(*) FROM spatial_weights((SELECT array_agg(id) FROM bench.voronoi), (SELECT array_agg(geom) FROM bench.voronoi), 'weights=queen')" \
           -c "SELECT 'grid', 'links', count(*) FROM spatial_weights((SELECT array_agg(id) FROM bench.grid), (SELECT array_agg(geom) FROM bench.grid), 'weights=queen')" \
  >> "$work/ours.csv"

r_sets=voronoi
[ "${CB_BENCH_R_GRID:-1}" = 1 ] && r_sets=voronoi,grid
cb_log "timing R spdep on $r_sets (best of $reps on voronoi; the GeoDa statistics on voronoi only)"
Rscript "$CB_ROOT/bench/spatial.R" "$work" "$reps" voronoi all > "$work/r.csv"
if [ "$r_sets" = voronoi,grid ]; then
  Rscript "$CB_ROOT/bench/spatial.R" "$work" 1 grid moran >> "$work/r.csv"
fi

# PySAL (libpysal + esda with numba, one thread, after compilation) on the
# same 3,000 Voronoi polygons on this machine: not packaged for Debian, so
# its figures are the ones measured once and recorded in bench/README.md.
python3 - "$work/ours.csv" "$work/r.csv" <<'PY'
import csv, sys
ours = {(r[0], r[1]): float(r[2]) for r in csv.reader(open(sys.argv[1])) if r}
theirs = {(r[0], r[1]): float(r[2]) for r in csv.reader(open(sys.argv[2])) if r}
pysal = {('voronoi', 'queen weights'): 0.095, ('voronoi', 'global Moran 999 perm'): 0.064,
         ('voronoi', 'local Moran 999 perm'): 0.158}
for ds in ('voronoi', 'grid'):
    if (ds, 'links') in theirs:
        same = ours[(ds, 'links')] == theirs[(ds, 'links')]
        print(f"{ds}: {int(ours[(ds, 'links')])} queen links, spdep {int(theirs[(ds, 'links')])}"
              f" ({'identical count' if same else 'DIFFERENT'})")
print(f"{'dataset':8} {'step':38} {'carbonbudget s':>14} {'spdep s':>9} {'spdep/cb':>9} {'PySAL/cb':>9}")
# the GeoDa statistics have no PySAL figures; spdep's are from the same run (voronoi)
for (ds, step), t in ours.items():
    if step == 'links':
        continue
    base = step.split(' (')[0]
    r = theirs.get((ds, base))
    p = pysal.get((ds, base))
    if step.endswith('(from polygons)') and r is not None:
        r += theirs[(ds, 'queen weights')]   # spdep needs poly2nb first
        p = p + pysal[(ds, 'queen weights')] if p else None
    fmt = lambda v: f"{v:9.1f}" if v is not None else f"{'-':>9}"
    print(f"{ds:8} {step:38} {t:14.4f} {(f'{r:9.3f}' if r is not None else '        -')} "
          f"{fmt(r / t if r is not None else None)} {fmt(p / t if p is not None else None)}")
PY
