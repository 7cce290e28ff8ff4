#!/bin/sh
# review_profile_credentials.sh — (review) the `credentials` key writes two
# columns (incoming and outgoing credential retrieval) but is read, diffed
# and compared as the incoming one alone:
#  (a) a profile whose outgoing credentials differ from its incoming ones:
#      `profile set credentials=<the incoming value>` is taken for "already
#      so" and nothing is sent — the outgoing side is never changed.
#  (b) the organization changed the outgoing credentials behind our back; a
#      `profile set credentials=X` gets a 412, the re-read compares only the
#      incoming value (untouched there), and the PATCH overwrites their
#      outgoing change: no conflict, their edit silently lost.
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

# Both sides "user-or-queue" (0) to start with.
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($IMAP)" \
	'{"incomingcredentialretrieval":0,"outgoingcredentialretrieval":0}')" "start"
run_rc 0 ec sync

# (b) Someone else sets the OUTGOING credentials to anonymous (4) after our sync.
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($IMAP)" '{"outgoingcredentialretrieval":4}')" \
	"their change of the outgoing credentials"
set +e
ec profile set "$IMAP" credentials=profile >"$T/out" 2>"$T/err"
rc=$?
set -e
echo "profile set exited $rc: $(cat "$T/out" "$T/err")"
theirs_kept=$(org_profile "$IMAP" outgoingcredentialretrieval)
conflicts=$(sqlite3 "$C" "select count(*) from outbox where state='conflict'")
# Expected: their outgoing=anonymous is either kept, or the clash is a
# conflict to resolve (exit 3) — never overwritten unseen.
if [ "$theirs_kept" != 4 ] && [ "$conflicts" = 0 ]; then
	fail "(b) their outgoing credentials (anonymous) were overwritten with $theirs_kept without a conflict (exit $rc)"
fi

# (a): review_profile_credentials_noop.sh
echo ok
