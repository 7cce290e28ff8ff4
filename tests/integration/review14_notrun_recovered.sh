#!/bin/sh
# review14_notrun_recovered.sh — a failing channel that goes to "not run"
# (its delivery method set to none, a test scheduled) is counted as
# "recovered" by the status panel's last-sync line (cache_changes_last_sync)
# and the Changes screen's heading: the mailbox did not recover, it stopped
# being checked.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --json
A=$(jout each . id | sed -n 1p)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($A)" '{"incomingemailstatus":2}')" "A fails"
run_rc 0 ec sync
assert_eq 200 "$(sim_ctl PATCH "mailboxes($A)" '{"incomingemailstatus":0,"incomingemaildeliverymethod":0}')" \
	"A's incoming is switched off"
run_rc 0 ec sync
# The query of cache_changes_last_sync, as the panel runs it.
rec=$(sqlite3 "$C" "SELECT count(DISTINCT CASE WHEN from_status = 2 AND to_status IS NOT 2 THEN \
mailbox_id END) FROM status_changes WHERE snapshot_id = (SELECT max(id) FROM status_snapshots)")
run_rc 0 ec history --mailbox "$A" --json
echo "newest change: $(jout get .0.from) -> $(jout get .0.to); counted as recovered: $rec"
assert_eq 0 "$rec" "failure -> not run is no recovery"
