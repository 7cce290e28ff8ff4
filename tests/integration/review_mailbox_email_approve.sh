#!/bin/sh
# review_mailbox_email_approve.sh — (review) an address change queued
# (offline, or not pushed yet) resets nothing in the admin's view: the
# mailbox still looks Approved, so a following `approve` is taken for
# "unchanged (already so)" and never queued. When the address change is
# pushed, the organization sets the approval back to Pending Approval: the
# admin's approve is lost, and they were told it was already done.
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
run_rc 0 ec sync
assert_eq new.address@kovinoplast.si "$(org_mailbox emailaddress)" "the address reached the organization"
# The admin asked for the new address to be approved, and was not refused:
# the organization should end Approved (or approve should have said it
# cannot be queued yet).
assert_eq 1 "$(org_mailbox emailrouteraccessapproval)" \
	"approve after a queued address change (it said: $approve_said)"
echo ok
