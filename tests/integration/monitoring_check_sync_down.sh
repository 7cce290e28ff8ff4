#!/bin/sh
# monitoring_check_sync_down.sh — `check --sync` against an organization it
# cannot reach is CRITICAL, not UNKNOWN (the monitoring-plugin guidelines
# keep UNKNOWN for the plugin's own trouble), with the numbers of the cache.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
# The last success two days ago (as sync_outcome stores it: Unix seconds).
sqlite3 "$C" "UPDATE meta SET value = CAST(strftime('%s', 'now', '-2 days') AS TEXT) \
WHERE key = 'sync.last_success'"
run_rc 2 ec check --age-critical 1h
sim_stop
set +e
OUT=$(ec check --sync --age-critical 1h 2>&1)
rc=$?
set -e
echo "$OUT"
assert_eq 2 "$rc" "an unreachable organization and a stale cache are CRITICAL"
