#!/usr/bin/env bash
# Benchmark of the scale-out path (not a test): whole-table LISA (999
# conditional permutations) and Gi* on a grid distributed over two Citus
# workers, by the two-phase forms against the window forms, in the same run.
#   bench/citus.sh [side] [small_side]   grid of side^2 cells (default 1000:
#                                        10^6 cells); single-node parallel
#                                        comparison on small_side^2 (default 316)
# Reports per step: time, rows and bytes the coordinator received, per-worker
# task time, and a linear model of task time against cells per task.
source "$(dirname "$0")/../scripts/lib.sh"
source "$CB_ROOT/scripts/citus-lib.sh"
side=${1:-1000}
small_side=${2:-316}

cb_require_root
cb_install_packages "${CB_BUILD_PACKAGES[@]}"
cb_lock_install
cb_build_install
cb_citus_install
CB_CITUS_SERVER_OPTIONS="-c jit=off -c shared_buffers=512MB -c work_mem=256MB -c max_worker_processes=16 -c max_parallel_workers=4" \
  cb_citus_start cb_bench
export PGDATABASE=cb_bench PGPORT=$CB_CITUS_PORT PGOPTIONS="-c search_path=public,carbonbudget -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d /tmp/carbonbudget-bench.XXXXXX)
trap '[ -n "${CB_BENCH_KEEP:-}" ] || rm -rf "$work"; cb_citus_stop' EXIT

psql -c "CREATE EXTENSION carbonbudget CASCADE"
cb_log "generating a ${side} x ${side} grid (queen neighbour lists; provinces of 10 rows) and a ${small_side} x ${small_side} one"
psql -v side="$side" -v small_side="$small_side" <<'SQL'
CREATE FUNCTION pg_temp.grid(side int) RETURNS TABLE (id bigint, province int, value float8, neighbors bigint[])
LANGUAGE sql AS $$
  SELECT (r * side + c)::bigint, r / 10,
         sin(r * 0.05) * cos(c * 0.04) + ((r * 7919 + c * 104729) % 1000) / 2000.0,
         ARRAY(SELECT ((r + dr) * side + c + dc)::bigint
               FROM (VALUES (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)) d(dr, dc)
               WHERE r + dr BETWEEN 0 AND side - 1 AND c + dc BETWEEN 0 AND side - 1 ORDER BY 1)
  FROM generate_series(0, side - 1) r, generate_series(0, side - 1) c
$$;
CREATE TABLE grid_local AS SELECT * FROM pg_temp.grid(:side);
CREATE TABLE grid (LIKE grid_local);
SELECT create_distributed_table('grid', 'province');
INSERT INTO grid SELECT * FROM grid_local;
CREATE TABLE small AS SELECT * FROM pg_temp.grid(:small_side);
ALTER TABLE small SET (parallel_workers = 2);
VACUUM ANALYZE grid_local;
VACUUM ANALYZE grid;
VACUUM ANALYZE small;
CREATE TABLE grid_state (s bytea);
SELECT create_reference_table('grid_state');
SQL

# one EXPLAIN ANALYZE (JSON) per step: it runs the query and gives its time and what Citus moved
explain() {
  local name=$1 query=$2 settings=${3:-}
  psql -At -c "SET citus.explain_all_tasks = on" -c "SET citus.max_adaptive_executor_pool_size = 1" -c "$settings" \
    -c "EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF, SUMMARY ON) $query" > "$work/$name.json"
}
lisa="local_moran(value, id, neighbors, 'permutations=999') OVER ()"
# the per-row functions in FROM (LATERAL): in the select list, PostgreSQL would call them once per field used
lisa_at="LATERAL local_moran_at(s, value, id, neighbors, 'permutations=999') r"
gi="getis_ord_gi(value, id, neighbors) OVER ()"
gi_at="LATERAL getis_ord_gi_at(s, value, id, neighbors) r"
summary="count(*) FILTER (WHERE (r).cluster <> 'not significant') AS significant, sum((r).ii) AS sum_ii"
gi_summary="count(*) FILTER (WHERE (r).bin <> 0) AS hot_or_cold, sum((r).z) AS sum_z"

cb_log "warming up"
psql -c "SELECT count(*) FROM grid_local" -c "SELECT count(*) FROM grid" >/dev/null
cb_log "single node: window forms over the local copy"
explain window_lisa "SELECT $summary FROM (SELECT $lisa AS r FROM grid_local) q"
explain window_gi "SELECT $gi_summary FROM (SELECT $gi AS r FROM grid_local) q"
cb_log "Citus: window forms OVER () on the distributed table (every row to the coordinator)"
explain citus_window_lisa "SELECT $summary FROM (SELECT $lisa AS r FROM grid) q"
cb_log "Citus: two-phase forms"
# (Citus 13 cannot EXPLAIN ANALYZE an aggregate it splits into worker partials: timed by psql)
psql -c '\timing on' -c "INSERT INTO grid_state SELECT spatial_state(value, id) FROM grid" |
  sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' > "$work/state_ms"
psql -c "ANALYZE grid_state"
explain two_lisa "SELECT $summary FROM grid, grid_state, $lisa_at"
explain two_gi "SELECT $gi_summary FROM grid, grid_state, $gi_at"
psql -At -c "SELECT length(s) FROM grid_state" > "$work/state_bytes"
cb_log "single node, ${small_side}^2 cells: window form against per-row two-phase forms in parallel query"
psql -c "CREATE TABLE small_state AS SELECT spatial_state(value, id) AS s FROM small" -c "ANALYZE small_state"
explain small_window "SELECT $summary FROM (SELECT $lisa AS r FROM small) q"
explain small_parallel "SELECT $summary FROM small, LATERAL local_moran_at((SELECT s FROM small_state), value, id, neighbors, 'permutations=999') r" \
  "SET max_parallel_workers_per_gather = 2"
explain small_serial "SELECT $summary FROM small, LATERAL local_moran_at((SELECT s FROM small_state), value, id, neighbors, 'permutations=999') r" \
  "SET max_parallel_workers_per_gather = 0"

python3 - "$work" "$side" "$small_side" <<'PY'
import json, re, sys
work, side, small_side = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def load(name):
    return json.load(open(f"{work}/{name}.json"))[0]

def walk(node, key):
    if isinstance(node, dict):
        if key in node:
            yield node
        for v in node.values():
            yield from walk(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)

def nbytes(text):
    m = re.match(r"([0-9.]+)\s*(bytes|kB|MB|GB)", str(text))
    return float(m.group(1)) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[m.group(2)] if m else 0.0

def citus(name):
    """time (s), rows and bytes the coordinator received, per-worker task seconds, (rows, s) per task"""
    plan = load(name)
    scans = [n for n in walk(plan, "Custom Plan Provider") if n["Custom Plan Provider"].startswith("Citus")]
    rows = sum(s.get("Actual Rows", 0) for s in scans)
    moved = sum(nbytes(j["Tuple data received from nodes"]) for j in walk(plan, "Tuple data received from nodes"))
    per_worker, tasks = {}, []
    for t in walk(plan, "Node"):
        port = re.search(r"port=(\d+)", t["Node"]).group(1)
        remote = list(walk(t, "Execution Time"))
        secs = sum(r["Execution Time"] for r in remote) / 1000.0
        scan_rows = [p.get("Actual Rows", 0) for p in walk(t, "Relation Name") if p.get("Relation Name", "").startswith("grid")]
        per_worker[port] = per_worker.get(port, 0.0) + secs
        if scan_rows:
            tasks.append((max(scan_rows), secs))
    return plan["Execution Time"] / 1000.0, rows, moved, per_worker, tasks

cells = side * side
print(f"grid: {cells:,} cells ({side} x {side}), queen neighbour lists, {cells // (10 * side)} provinces; state "
      f"{int(open(f'{work}/state_bytes').read()):,} bytes, stored in a reference table (a copy on each worker)")
print(f"{'step':58} {'time s':>8} {'rows to coord.':>15} {'bytes to coord.':>16}  per-worker task s")
results = {}
for name, label in [("window_lisa", "LISA 999 perm, window form, one node (local table)"),
                    ("citus_window_lisa", "LISA 999 perm, window form OVER () on the distributed table"),
                    ("two_lisa", "LISA 999 perm, local_moran_at on the workers"),
                    ("window_gi", "Gi*, window form, one node (local table)"),
                    ("two_gi", "Gi*, getis_ord_gi_at on the workers")]:
    t, rows, moved, per_worker, tasks = citus(name)
    results[name] = (t, tasks)
    workers = ", ".join(f"{port}: {s:.1f}" for port, s in sorted(per_worker.items())) or "-"
    print(f"{label:58} {t:8.2f} {rows:15,.0f} {moved:16,.0f}  {workers}")
state_s = float(open(f"{work}/state_ms").read()) / 1000.0
print(f"{'phase 1: spatial_state from worker partials, into the reference table':58} {state_s:8.2f} "
      f"{'-':>15} {'~16 per cell':>16}  -")
t1 = results["window_lisa"][0]
t2 = results["two_lisa"][0] + state_s
print(f"two-phase LISA (state + per row) / single-node window: {t2 / t1:.2f}")

# scaling model: task time against cells per task (each task is one shard's rows)
tasks = [x for x in results["two_lisa"][1] if x[0] > 0]
if len(tasks) >= 3:
    n = len(tasks)
    mx = sum(r for r, _ in tasks) / n
    my = sum(s for _, s in tasks) / n
    b = sum((r - mx) * (s - my) for r, s in tasks) / sum((r - mx) ** 2 for r, _ in tasks)
    a = my - b * mx
    print(f"model, LISA task time = {a:.3f} s + {b * 1e6:.2f} s per million cells ({n} tasks of "
          f"{min(r for r, _ in tasks):,}-{max(r for r, _ in tasks):,} cells)")
    for workers in (2, 8, 32):
        print(f"  predicted LISA phase 2 for 10,000,000 cells on {workers} workers of one core each: "
              f"{b * 1e7 / workers:.0f} s")

small = {k: json.load(open(f"{work}/{k}.json"))[0]["Execution Time"] / 1000.0
         for k in ("small_window", "small_parallel", "small_serial")}
print(f"single node, {small_side * small_side:,} cells, LISA 999 perm: window {small['small_window']:.2f} s, "
      f"local_moran_at serial {small['small_serial']:.2f} s, parallel (2 workers + leader) "
      f"{small['small_parallel']:.2f} s = {small['small_parallel'] / small['small_window']:.2f} x the window")
PY
