#!/bin/sh
# client_approve_after_email.sh — an address change queued (offline, or
# not pushed yet) shows the mailbox pending approval, as the organization
# will make it, so a following `approve` is queued (not "already so"); it
# goes out in an entry of its own after the address, and the mailbox ends
# Approved on the new address.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync
MB=$(sqlite3 "$C" "select id from mailboxes where approval=1 and owner_type=0 limit 1")
[ -n "$MB" ] || fail "no approved user mailbox in the demo data"

org_mailbox() { # COLUMN
	sim_ctl GET "mailboxes($MB)" >/dev/null
	jv "$1"
}
assert_eq 1 "$(org_mailbox emailrouteraccessapproval)" "approved to start with"

run_rc 0 ec --offline mailbox set "$MB" email=new.address@kovinoplast.si
run_rc 0 ec --offline approve "$MB"
approve_said="$OUT $ERR"
assert_eq 2 "$(sqlite3 "$C" "select count(*) from outbox where state='queued'")" \
	"the address and the approval in entries of their own"
run_rc 0 ec sync
assert_eq new.address@kovinoplast.si "$(org_mailbox emailaddress)" "the address reached the organization"
# The admin asked for the new address to be approved, and was not refused:
# the organization should end Approved (or approve should have said it
# cannot be queued yet).
assert_eq 1 "$(org_mailbox emailrouteraccessapproval)" \
	"approve after a queued address change (it said: $approve_said)"
echo ok
