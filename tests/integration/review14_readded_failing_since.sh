#!/bin/sh
# review14_readded_failing_since.sh — a failing mailbox removed from the
# organization keeps its changes (up to history-detail-days) but
# `history --mailbox` can no longer reach them; when the mailbox comes back
# (same id, restored) still failing, "failing since" is taken from the
# change before its removal, a status the cache never saw across the gap
# (the schema's own rule: a mailbox cached anew is no change).
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
assert_eq 200 "$(sim_ctl GET "mailboxes($A)")" "read A"
python3 -c "import json; d=json.load(open('$SIM_BODY')); print(json.dumps({k: v for k, v in d.items() \
if '@' not in k and k not in ('versionnumber', 'modifiedon')}))" >"$T/a.json"
assert_eq 204 "$(sim_ctl DELETE "mailboxes($A)")" "A removed"
run_rc 0 ec sync
assert_eq 1 "$(sqlite3 "$C" "SELECT count(*) FROM status_changes WHERE mailbox_id = '$A'")" \
	"the removed mailbox's change is kept"
# Its failure was 20 days ago (within the detail bound).
sqlite3 "$C" "UPDATE status_changes SET changed_on = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-20 days')"
set +e
ec history --mailbox "$A" >"$T/h.out" 2>&1
rc=$?
set -e
echo "history --mailbox of the removed mailbox: rc=$rc $(cat "$T/h.out")"
assert_eq 201 "$(sim_ctl POST mailboxes "$(cat "$T/a.json")")" "A restored, still failing"
run_rc 0 ec sync
assert_eq 2 "$(sqlite3 "$C" "SELECT incoming_status FROM mailboxes WHERE id = '$A'")" "A cached, failing"
run_rc 0 ec mailboxes --filter 'since:>7d' --json
assert_eq 0 "$(jout len .)" "a mailbox cached anew has no 'failing since' from before its removal"
assert_eq 0 "$rc" "history --mailbox reaches a removed mailbox's kept changes"
