#!/bin/sh
# review_approve_readdressed.sh — (review) `approve` approves the address
# the admin saw. Queued (offline, or before a refresh), it goes out with
# If-Match; meanwhile another admin changed the mailbox's email address
# (the organization set the approval back to Pending). The 412 re-read
# compares field by field: approval is still "pending" there, equal to the
# base, so the approval is sent against the new etag and the organization
# approves an address this admin never saw — with exit 0 and "pushed",
# no conflict. Expected: the changed address makes the approval a conflict
# (or a refusal), as the organization's own reset says the approval
# belongs to the address.
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
set +e
ec sync >"$T/out" 2>"$T/err"
rc=$?
set -e
echo "sync exited $rc: $(cat "$T/out" "$T/err")"
now=$(org_mailbox emailaddress)
approval=$(org_mailbox emailrouteraccessapproval)
conflicts=$(sqlite3 "$C" "select count(*) from outbox where state='conflict'")
if [ "$approval" = 1 ] && [ "$conflicts" = 0 ]; then
	fail "the organization approved $now, an address the admin never saw (they approved $seen); no conflict (sync exit $rc)"
fi
echo ok
