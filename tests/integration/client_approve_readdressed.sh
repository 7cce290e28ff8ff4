#!/bin/sh
# client_approve_readdressed.sh — an approval is of the address the admin
# saw. `approve`, queued offline, meets a mailbox whose address another
# admin changed meanwhile (the organization set its approval back to
# Pending): the 412 re-read finds approval still "pending" as in the base,
# but the address is not the one approved, so the approval is a conflict
# that names both addresses (not an approval of an address nobody looked
# at); `outbox resolve --mine` then approves the new address knowingly.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync
MB=$(sqlite3 "$C" "select id from mailboxes where approval=2 and state=0 limit 1")
[ -n "$MB" ] || fail "no mailbox pending approval in the demo data"
seen=$(sqlite3 "$C" "select email from mailboxes where id='$MB'")

org_mailbox() { # COLUMN
	sim_ctl GET "mailboxes($MB)" >/dev/null
	jv "$1"
}

run_rc 0 ec --offline approve "$MB"
# Another admin changes the address through the Web API (the organization
# resets approval and statuses, as the emulator's patch.c does).
sim_token
st=$(sim_req PATCH "mailboxes($MB)" -H 'Content-Type: application/json' -H 'If-Match: *' \
	--data '{"emailaddress":"someone.else@attacker.example"}')
assert_eq 204 "$st" "their change of the address"
assert_eq 2 "$(org_mailbox emailrouteraccessapproval)" "pending after their change"
run_rc 3 ec sync
assert_contains "$ERR" "its address changed on the organization to someone.else@attacker.example" "the conflict names the new address"
assert_contains "$ERR" "(for $seen)" "and the one approved"
assert_eq 2 "$(org_mailbox emailrouteraccessapproval)" "the new address is not approved"
entry=$(sqlite3 "$C" "select id from outbox where state='conflict'")
[ -n "$entry" ] || fail "no conflict kept"
run_rc 0 ec outbox resolve "$entry" --mine
run_rc 0 ec sync
assert_eq 1 "$(org_mailbox emailrouteraccessapproval)" "--mine approves the new address"
echo ok
