#!/bin/sh
# history_removed_mailbox.sh — a failing mailbox removed from the
# organization keeps its past: `history --mailbox` reads it by id and by the
# name it had, the removal closes it (to "removed"), and when the mailbox
# comes back (same id) still failing it is cached anew: no "failing since"
# reaching across the gap, a status the cache never saw.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --json
A=$(jout get .0.id)
NAME=$(jout get .0.name)
MAIL=$(jout get .0.email)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($A)" '{"incomingemailstatus":2}')" "A fails"
run_rc 0 ec sync
assert_eq 204 "$(sim_ctl DELETE "mailboxes($A)")" "A removed"
run_rc 0 ec sync
assert_eq 0 "$(sqlite3 "$C" "SELECT count(*) FROM mailboxes WHERE id = '$A'")" "A left the cache"
# Its failure was 20 days ago (within the 30 days of detail).
sqlite3 "$C" "UPDATE status_changes SET changed_on = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', \
'-20 days') WHERE mailbox_id = '$A' AND removed = 0"
run_rc 0 ec history --mailbox "$A" --csv
assert_contains "$OUT" ",incoming,failure,removed," "the removal closes the failing channel"
assert_contains "$OUT" ",incoming,success,failure," "the failure before it is kept"
run_rc 0 ec history --mailbox "$A" --json
assert_eq removed "$(jout get .0.to)" "the newest change is a removal"
run_rc 0 ec history --mailbox "$NAME"
assert_contains "$OUT" "removed" "the table by the name it had"
run_rc 2 ec history --mailbox "nobody-ever-had-this-name"
assert_contains "$ERR" "no mailbox matches" "an unknown selector is still refused"
# It comes back with the same id, still failing.
body=$(printf '{"mailboxid":"%s","name":"%s","emailaddress":"%s","incomingemaildeliverymethod":2,"incomingemailstatus":2,"statecode":0}' \
	"$A" "$NAME" "$MAIL")
assert_eq 201 "$(sim_ctl POST mailboxes "$body")" "A restored, still failing"
run_rc 0 ec sync
assert_eq 2 "$(sqlite3 "$C" "SELECT incoming_status FROM mailboxes WHERE id = '$A'")" "A cached, failing"
# The console's Changes screen says so in words.
printf ':wait-idle\n7\n:dump changes\nq\n' >"$T/changes.script"
tui_run 120x40 "$T/changes.script" --offline --cache "$C"
assert_contains "$(tui_dump changes)" "Failure → removed" "the Changes screen names the removal"
run_rc 0 ec mailboxes --filter 'since:>7d' --json
assert_eq 0 "$(jout len .)" "a mailbox cached anew has no 'failing since' from before its removal"
