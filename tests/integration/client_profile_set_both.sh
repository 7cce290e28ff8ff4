#!/bin/sh
# client_profile_set_both.sh — `profile set` through the real client and
# the emulator: credentials compares and applies both directions (a profile
# whose incoming side already has the value still gets its outgoing side);
# a port given empty is cleared (null: the protocol's default port), sent
# as null at once and through the outbox after an --offline edit; the
# rules still check both directions.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

IMAP=e7414d04-dd37-55db-8653-90f9502ab86c # IMAP/SMTP – pošta.kovinoplast.si

org_profile() { # ID COLUMN — the organization's value
	sim_ctl GET "emailserverprofiles($1)" >/dev/null
	jv "$2"
}

# Incoming already "profile", outgoing "user-or-queue": credentials=profile
# is an edit, and both directions reach the organization.
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($IMAP)" \
	'{"incomingcredentialretrieval":1,"outgoingcredentialretrieval":0}')" "directions differ"
run_rc 0 ec sync
run_rc 0 ec profile "$IMAP" --json
assert_eq profile "$(echo "$OUT" | $JSON_GET get .incoming_credentials)" "incoming as the org has it"
run_rc 0 ec profile set "$IMAP" credentials=profile
assert_contains "$OUT" "saved" "an edit, not nothing to change"
assert_eq 1 "$(org_profile "$IMAP" incomingcredentialretrieval)" "incoming credentials"
assert_eq 1 "$(org_profile "$IMAP" outgoingcredentialretrieval)" "outgoing credentials too"
run_rc 0 ec profile set "$IMAP" credentials=profile
assert_not_contains "$OUT" "saved" "both alike now: nothing to change"
# The rules look at both directions: Exchange credentials on IMAP refused.
run_rc 2 ec profile set "$IMAP" credentials=server-to-server
assert_contains "$ERR" "credentials=" "refused with the fix"

# A port given empty is cleared: null on the organization and in the cache.
run_rc 0 ec profile set "$IMAP" incoming-port=993
assert_eq 993 "$(org_profile "$IMAP" incomingportnumber)" "a port set"
run_rc 0 ec profile set "$IMAP" incoming-port=
assert_contains "$OUT" "saved" "cleared"
assert_eq null "$(org_profile "$IMAP" incomingportnumber)" "null on the organization"
run_rc 0 ec profile "$IMAP" --json
assert_eq null "$(echo "$OUT" | $JSON_GET get .incoming_port)" "null in the cache"
run_rc 2 ec profile set "$IMAP" incoming-port=x
run_rc 2 ec profile set "$IMAP" max-connections=

# Through the outbox: queued offline as null, sent by the next sync.
[ "$(org_profile "$IMAP" outgoingportnumber)" != null ] || fail "the demo IMAP profile has an SMTP port"
run_rc 0 ec --offline profile set "$IMAP" outgoing-port=
assert_contains "$OUT" "queued" "queued offline"
assert_eq '{"outgoing-port":null}' "$(sqlite3 "$C" "select changes from outbox where state='queued'")" \
	"the outbox keeps null"
run_rc 0 ec sync
assert_eq null "$(org_profile "$IMAP" outgoingportnumber)" "sent as null"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "nothing left queued"
echo "profile set, both directions and cleared ports: ok"
