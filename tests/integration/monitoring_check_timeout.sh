#!/bin/sh
# monitoring_check_timeout.sh — `check --sync` against an organization that
# answers 503 ends within its --timeout (50 s by default, under the 60 s
# after which Nagios and Icinga kill a check and show only "plugin timed
# out") with CRITICAL and its own line saying why; the cache stays usable.
# Found by review: the sync's retries ran for about 91 s.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
assert_eq 200 "$(sim_ctl POST config '{"fail_every":1}')" "the organization stops answering"
start=$(date +%s)
set +e
timeout 30 $EMAILCFG --org "$SIM_URL" --cache "$C" check --sync --timeout 3 >"$T/out" 2>"$T/err"
rc=$?
set -e
took=$(($(date +%s) - start))
[ "$rc" -ne 124 ] || fail "check --sync --timeout 3 still running after 30 s"
[ "$took" -le 6 ] || fail "check --sync --timeout 3 took $took s"
assert_eq 2 "$rc" "CRITICAL"
assert_eq "EMAILCFG CRITICAL - sync failed: it did not finish within 3s (the organization is slow or does not answer; --timeout)" \
	"$(cat "$T/out")" "the status line says why"
assert_eq 200 "$(sim_ctl POST config '{"fail_every":0}')" "the organization answers again"
run_rc 0 ec check
assert_contains "$OUT" "EMAILCFG OK" "the cache is usable after the timeout"
run_rc 3 ec check --timeout soon
assert_contains "$OUT" "EMAILCFG UNKNOWN - --timeout takes seconds" "a bad --timeout is UNKNOWN"
