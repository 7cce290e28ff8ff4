#!/bin/sh
# client_removals.sh — a plain incremental sync removes the mailboxes,
# alerts and server profiles the organization no longer has, through an
# id-only listing paged like the rest; a listing cut short by a failing page
# removes nothing (and the next sync catches up).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
# The version-listing path: the emulator offers no change tracking
# (client_sync_track.sh tests the delta links).
export EMAILCFG_SIM_NO_TRACK=1
sim_start --max-page 20 -v
client_env

run_rc 0 ec sync
mailboxes=$(ec mailboxes --json | $JSON_GET len .)
alerts=$(ec alerts --json | $JSON_GET len .)
profiles=$(ec status --json | $JSON_GET get .profiles)
[ "$mailboxes" -gt 40 ] && [ "$alerts" -gt 20 ] && [ "$profiles" -ge 3 ] ||
	fail "demo data: $mailboxes mailboxes, $alerts alerts, $profiles profiles"
mb=$(ec mailboxes --json | $JSON_GET each . id | sed -n '5p;45p')
al=$(ec alerts --json | $JSON_GET each . id | sed -n '3p;21p')
# A profile that comes and goes.
pr=$(sim_ctl POST emailserverprofiles '{"name":"Short-lived","servertype":4}' >/dev/null && jv id)
run_rc 0 ec sync
assert_eq "$((profiles + 1))" "$(ec status --json | $JSON_GET get .profiles)" "the new profile arrived"

# Deleted behind the client's back; the first id page of mailboxes fails.
for id in $mb; do assert_eq 204 "$(sim_ctl DELETE "mailboxes($id)")" "delete mailbox"; done
for id in $al; do assert_eq 204 "$(sim_ctl DELETE "tracelogs($id)")" "delete alert"; done
assert_eq 204 "$(sim_ctl DELETE "emailserverprofiles($pr)")" "delete profile"
assert_eq 200 "$(sim_ctl POST config '{"fail_match":"$select=mailboxid,versionnumber,modifiedon,name&$count=true&$skiptoken"}')" "fault"
run_rc 4 ec sync
grep -q "select=mailboxid,versionnumber,modifiedon,name&\$count=true&\$skiptoken.* 500 " "$SIM_LOG" || fail "the second id page did not fail"
assert_eq "$mailboxes" "$(ec mailboxes --json | $JSON_GET len .)" "a cut listing removes no mailbox"
assert_eq "$profiles" "$(ec status --json | $JSON_GET get .profiles)" "profiles listed completely are removed"

# The next sync, with the fault gone, catches up.
assert_eq 200 "$(sim_ctl POST config '{"fail_match":""}')" "no fault"
before=$(sim_seq)
run_rc 0 ec sync
assert_contains "$OUT" "removed 4;" "two mailboxes and two alerts"
sim_log_since "$before"
assert_contains "$(cat "$SIM_BODY")" "tracelogs?\$select=tracelogid,modifiedon&" "alerts' id listing"
assert_contains "$(cat "$SIM_BODY")" "emailserverprofiles?\$select=emailserverprofileid" "profiles: the pull lists every id"
assert_eq "$((mailboxes - 2))" "$(ec mailboxes --json | $JSON_GET len .)" "mailboxes removed"
assert_eq "$((alerts - 2))" "$(ec alerts --json | $JSON_GET len .)" "alerts removed"
for id in $mb; do run_rc 2 ec mailbox "$id"; done
echo "client removals: ok"
