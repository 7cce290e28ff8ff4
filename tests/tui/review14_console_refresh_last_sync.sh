#!/bin/sh
# review14_console_refresh_last_sync.sh — the console's live refresh is a
# pull and records a snapshot like a sync (every EMAILCFG_REFRESH_SECONDS,
# 30 s by default, and once on opening). So the status panel's "what the
# last sync changed" is the change of the last 30 seconds: an admin who
# opens the console after the night's timer sync saw two mailboxes fail
# reads "no change", and the 24-point sparkline spans 12 minutes while a
# console is open, 2 hours when not.
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
tui_dump open | grep -i "last sync" || true
assert_contains "$(tui_dump open)" "+2 failing" "the night's two failures, as the admin opens the console"
