#!/bin/sh
# history_alert_cause.sh — a change into failure takes as its cause only an
# alert written for it: a second failure with no new alert has none, and a
# recovery never has one.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 10 --seed 11
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
status() {
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($1)" "{\"incomingemailstatus\":$2}")" "PATCH $1"
}
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --json
A=$(jout each . id | sed -n 1p)
status "$A" 2
assert_eq 201 "$(sim_ctl POST tracelogs "{\"text\":\"OLD cause: password expired\",\"level\":3,\
\"tracecode\":7,\"_regardingobjectid_value\":\"$A\"}")" "an alert on A"
run_rc 0 ec sync
status "$A" 1
run_rc 0 ec sync
status "$A" 2
run_rc 0 ec sync
run_rc 0 ec history --mailbox "$A" --json
echo "$OUT"
assert_eq 3 "$(jout len .)" "three changes"
assert_eq "success" "$(jout get .1.to)" "the recovery"
assert_not_contains "$(jout get .1.alert_text)" "OLD cause" "a recovery has no failure cause"
assert_not_contains "$(jout get .0.alert_text)" "OLD cause" "the second failure did not come with the first failure's alert"
