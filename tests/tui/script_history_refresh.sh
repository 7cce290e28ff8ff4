#!/bin/sh
# script_history_refresh.sh — the console's live refresh is a pull (once on
# opening, then every EMAILCFG_REFRESH_SECONDS) but adds no snapshot when
# nothing changed within the hour, and the status panel shows the newest
# changes of failures with their time: an admin who opens the console after
# the night's timer sync saw two mailboxes fail reads "+2 failing", not the
# refresh's "no change"; a quiet sync later does not hide it either.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --data none --generate 30 --seed 11
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --sort name --json
A=$(jout get .0.id)
B=$(jout get .1.id)
for id in "$A" "$B"; do
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" '{"incomingemailstatus":2}')" "PATCH $id"
done
run_rc 0 ec sync # the night's timer
n=$(sqlite3 "$C" "SELECT count(*) FROM status_snapshots")
cat >"$T/open.script" <<EOS
:wait-idle
:dump open
q
EOS
tui_run 120x40 "$T/open.script" --org "$SIM_URL" --cache "$C"
echo "snapshots before the console: $n, after: $(sqlite3 "$C" "SELECT count(*) FROM status_snapshots")"
tui_dump open | grep "changed" || true
assert_contains "$(tui_dump open)" "+2 failing" "the night's two failures, as the admin opens the console"
assert_eq "$n" "$(sqlite3 "$C" "SELECT count(*) FROM status_snapshots")" \
	"the console's refresh of an unchanged organization adds no snapshot"
# An hour on, a quiet sync is recorded; the failures stay the newest change.
sqlite3 "$C" "UPDATE status_snapshots SET taken_on = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-61 minutes')"
run_rc 0 ec sync
assert_eq $((n + 1)) "$(sqlite3 "$C" "SELECT count(*) FROM status_snapshots")" "the hour's snapshot"
tui_run 120x40 "$T/open.script" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump open)" "+2 failing" "the failures outlive a quiet sync"
