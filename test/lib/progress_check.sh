#!/bin/sh
# progress_check.sh ROUTINE VIEW: used by test/sql/progress.sql.  Reads VIEW
# (one row, one column: a digest of ROUTINE's result) in a new session with
# carbonbudget.progress on, and says whether ROUTINE printed progress lines
# in the documented format, at most once a second, and whether the digest
# equals $CB_EXPECTED, the same view read with progress off.  Progress lines carry timings, so they
# are checked here rather than compared as test output.
routine=$1
view=$2
out=$(mktemp)
psql -X -q -A -t -v ON_ERROR_STOP=1 -c 'SET carbonbudget.progress = on' -c "SELECT * FROM $view" >"$out" 2>&1
if grep -Eq "^NOTICE:  $routine: [a-z ]+ [0-9]+/[0-9]+ \([0-9]+%\), [0-9]+\.[0-9] s elapsed$" "$out"; then
  echo "$routine: progress lines as documented"
else
  echo "$routine: no progress line in the documented format"
  cat "$out"
fi
# at most one line a second: elapsed times (printed to 0.1 s) at least 0.9 s apart
if grep '^NOTICE:  ' "$out" | sed 's/.*, \([0-9.]*\) s elapsed$/\1/' |
   awk 'NR > 1 && $1 - last < 0.9 { bad = 1 } { last = $1 } END { exit bad }'; then
  echo "$routine: at most one line a second"
else
  echo "$routine: lines closer than a second"
  cat "$out"
fi
if [ "$(grep -v '^NOTICE:  ' "$out")" = "$CB_EXPECTED" ]; then
  echo "$routine: result unchanged"
else
  echo "$routine: result with progress on differs from the result with progress off"
  cat "$out"
fi
rm -f "$out"
