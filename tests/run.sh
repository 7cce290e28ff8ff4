#!/bin/sh
# run.sh [--unit-only] UNIT_BINARY... — the test driver behind `make check`.
# Runs the cmocka unit tests given, then every tests/*/*.sh script (each is
# a self-contained test that exits non-zero on failure), and prints a summary.
# TESTS=pattern limits the scripts to those whose path matches.
set -u
unit_only=0
if [ "${1:-}" = "--unit-only" ]; then unit_only=1; shift; fi
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
pass=0; fail=0; failed=""
log_dir=build/test-logs
mkdir -p "$log_dir"
run_one() { # name command...
	name=$1; shift
	log="$log_dir/$(echo "$name" | tr '/' '_').log"
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1)); echo "PASS $name ($(($(date +%s) - start)) s)"
	else
		fail=$((fail + 1)); failed="$failed $name"
		echo "FAIL $name ($(($(date +%s) - start)) s) — last lines of $log:"
		tail -n 25 "$log" | sed 's/^/    /'
	fi
}
for t in "$@"; do
	run_one "unit/$(basename "$t")" "$t"
done
if [ $unit_only -eq 0 ]; then
	for s in tests/sim/*.sh tests/integration/*.sh tests/tui/*.sh; do
		[ -f "$s" ] || continue
		case "$s" in *"${TESTS:-}"*) ;; *) continue ;; esac
		run_one "${s#tests/}" sh "$s"
	done
fi
echo "----"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "failed:$failed"; exit 1; }
