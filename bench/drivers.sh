#!/usr/bin/env bash
# Benchmark of the driver models (not a test): n = 1,000,000 rows with 6 log-normal drivers generated
# with a fixed seed; times stirpat_ridge (serial and 2 parallel workers), ols_fit, geodetector with 10
# strata, and bp_fit on 10,000 rows; then R 4 lm / MASS::lm.ridge on the same rows, data already in memory.
# Run as root: bench/drivers.sh
source "$(dirname "$0")/../scripts/lib.sh"
cb_setup_server r-base-core

N=${N:-1000000}
export PGOPTIONS="-c search_path=public,carbonbudget"
data=$(mktemp /tmp/carbonbudget-bench-drivers.XXXXXX.csv)
chmod 644 "$data"
trap 'rm -f "$data"; cb_stop_cluster' EXIT

psql -q -X -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION carbonbudget CASCADE;
SELECT setseed(0.42);
CREATE TABLE d AS
SELECT i, exp(random()) AS p, exp(random() * 2) AS w, exp(random()) AS is_, exp(random()) AS ti,
       exp(random()) AS ur, exp(random()) AS cei
FROM generate_series(1, $N) i;
ALTER TABLE d ADD COLUMN ce float8;
UPDATE d SET ce = exp(1 + 0.5 * ln(p) + 0.8 * ln(w) + 0.1 * ln(is_) - 0.2 * ln(ti) + 0.3 * ln(ur) + 0.9 * ln(cei) + (random() - 0.5) * 0.2);
VACUUM ANALYZE d;
\copy d (ce, p, w, is_, ti, ur, cei) TO '$data' CSV
SQL

run() {  # label, sql, settings
  local t
  t=$(psql -X -q -t -A -v ON_ERROR_STOP=1 -c "$3" -c "\\timing on" -c "$2" | sed -n "s/^Time: \([0-9.]*\) ms.*/\1/p" | tail -1)
  printf '%-44s %10.1f ms\n' "$1" "$t"
}
serial='SET max_parallel_workers_per_gather = 0'
par='SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0'
echo "n = $N"
run "stirpat_ridge k=0.02 (serial)" "SELECT stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=0.02') FROM d" "$serial"
run "stirpat_ridge k=0.02 (2 workers)" "SELECT stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei], 'k=0.02') FROM d" "$par"
run "stirpat_ridge k=auto (serial)" "SELECT stirpat_ridge(ce, ARRAY[p, w, is_, ti, ur, cei]) FROM d" "$serial"
run "ols_fit ln-ln (serial)" "SELECT ols_fit(ln(ce), ARRAY[ln(p), ln(w), ln(is_), ln(ti), ln(ur), ln(cei)]) FROM d" "$serial"
run "geodetector 10 strata (serial)" "SELECT geodetector(ce, i % 10) FROM d" "$serial"
run "geodetector 10 strata (2 workers)" "SELECT geodetector(ce, i % 10) FROM d" "$par"
run "bp_fit 10k rows, hidden=8, 500 epochs" "SELECT (bp_fit(ce, ARRAY[p, w, is_, ti, ur, cei], 'hidden=8 epochs=500' ORDER BY i)).r2 FROM d WHERE i <= 10000" "$serial"

Rscript -e "
d <- read.csv('$data', header = FALSE, col.names = c('ce','p','w','is_','ti','ur','cei'))
L <- log(d)
t1 <- system.time(f <- lm(ce ~ p + w + is_ + ti + ur + cei, data = L))[['elapsed']]
t2 <- system.time(r <- MASS::lm.ridge(ce ~ p + w + is_ + ti + ur + cei, data = L, lambda = 0.02 * nrow(L)))[['elapsed']]
cat(sprintf('%-44s %10.1f ms\n', 'R lm on the logs (data in memory)', 1000 * t1))
cat(sprintf('%-44s %10.1f ms\n', 'R MASS::lm.ridge lambda = 0.02 n', 1000 * t2))
"
