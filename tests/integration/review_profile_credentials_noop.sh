#!/bin/sh
# review_profile_credentials_noop.sh — (review) `credentials` sets incoming
# and outgoing credential retrieval alike, but its value is read from the
# incoming column alone: on a profile whose outgoing credentials differ,
# `profile set credentials=<the incoming value>` is taken for "no change",
# nothing is queued or sent, and the outgoing side keeps its other value
# while the CLI says the edit is done.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c # IMAP/SMTP – pošta.kovinoplast.si

org_profile() { # ID COLUMN — the organization's value
	sim_ctl GET "emailserverprofiles($1)" >/dev/null
	jv "$2"
}

# incoming: user-or-queue (0), outgoing: anonymous (4)
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($IMAP)" \
	'{"incomingcredentialretrieval":0,"outgoingcredentialretrieval":4}')" "start"
run_rc 0 ec sync
run_rc 0 ec profile set "$IMAP" credentials=user-or-queue
echo "profile set said: $OUT $ERR"
assert_eq 0 "$(org_profile "$IMAP" incomingcredentialretrieval)" "incoming"
assert_eq 0 "$(org_profile "$IMAP" outgoingcredentialretrieval)" \
	"credentials=user-or-queue should set the outgoing side too (it said: $OUT)"
echo ok
