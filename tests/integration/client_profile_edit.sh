#!/bin/sh
# client_profile_edit.sh — server profiles through the real client and the
# emulator: `profiles` counts each profile's mailboxes as the organization
# has them; `profile set` goes through the outbox with If-Match and reaches
# the organization; the profile rules refuse what a type does not allow
# (one line, nothing queued, nothing sent); a 412 is compared field by
# field (an untouched field goes out, a field changed on both sides is a
# conflict kept with base, mine and theirs, resolved with --mine); an
# --offline edit waits for the next sync; passwords are never cached or
# shown.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

EXO=f4f820de-1f43-5ed4-9af1-be1fbeb5d25a  # Microsoft Exchange Online (demo data)
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c # IMAP/SMTP – pošta.kovinoplast.si
POP=47794251-4922-561f-982f-a82d47e51a97  # POP3/SMTP, with passwords set

# api_since SEQ — "METHOD STATUS ..." of the Web API requests after SEQ.
api_since() {
	sim_log_since "$1"
	$JSON_GET each . method <"$SIM_BODY" >"$T/m"
	$JSON_GET each . status <"$SIM_BODY" >"$T/s"
	paste -d' ' "$T/m" "$T/s" | grep -v '^POST' | tr '\n' ' ' | sed 's/ $//'
}

# org_count FILTER — how many mailboxes the organization's Web API lists.
org_count() {
	sim_token
	st=$(sim_req GET "mailboxes?\$select=mailboxid&\$filter=$(printf '%s' "$1" | sed 's/ /%20/g')")
	[ "$st" = 200 ] || fail "mailboxes?\$filter=$1 answered $st: $(cat "$SIM_BODY")"
	$JSON_GET len .value <"$SIM_BODY"
}

org_profile() { # ID COLUMN — the organization's value
	sim_ctl GET "emailserverprofiles($1)" >/dev/null
	jv "$2"
}

# A mailbox failing on appointments, contacts and tasks alone counts as
# failing too.
act_only=$(sqlite3 "$C" "select id from mailboxes where profile_id='$EXO' and incoming_status=1 and outgoing_status=1 and act_status=1 limit 1")
[ -n "$act_only" ] || fail "no mailbox of the Exchange profile that passes every channel"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($act_only)" '{"actstatus":2}')" "ACT fails"
run_rc 0 ec sync

# The list: every profile with its mailbox count, as the organization has it.
run_rc 0 ec profiles --json
assert_eq 3 "$(echo "$OUT" | $JSON_GET len .)" "three profiles in the demo data"
for i in 0 1 2; do
	id=$(echo "$OUT" | $JSON_GET get ".$i.id")
	want=$(org_count "_emailserverprofile_value eq $id")
	failing=$(org_count "_emailserverprofile_value eq $id and (incomingemailstatus eq 2 or outgoingemailstatus eq 2 or actstatus eq 2)")
	assert_eq "$want" "$(echo "$OUT" | $JSON_GET get ".$i.mailboxes")" "mailboxes of $id"
	assert_eq "$failing" "$(echo "$OUT" | $JSON_GET get ".$i.failing_mailboxes")" "failing of $id"
done
run_rc 0 ec profile "$EXO" --json
assert_eq "Exchange Online" "$(echo "$OUT" | $JSON_GET get .server_type_name)" "the organization's type name"
assert_eq null "$(echo "$OUT" | $JSON_GET get .incoming_port)" "an EWS profile has no port"
run_rc 0 ec profile "Microsoft Exchange Online"
assert_contains "$OUT" "Exchange Online" "type shown as the organization names it"
assert_not_contains "$OUT" "Exchange.asmx:" "no port appended to the EWS URL"
assert_not_contains "$OUT" ":-1" "no :-1"
run_rc 0 ec profiles
assert_contains "$OUT" "127.0.0.1:1 " "host:port for a host name with a port"
assert_not_contains "$OUT" "Exchange.asmx:" "no port appended to a URL in the list"

# profile set: If-Match with the cached etag, and the organization has it.
etag=$(sqlite3 "$C" "select version from profiles where id='$EXO'")
before=$(sim_seq)
run_rc 0 ec profile set "Microsoft Exchange Online" max-connections=20
assert_contains "$OUT" "saved" "saved"
sim_log_since "$before"
$JSON_GET each . method <"$SIM_BODY" >"$T/m"
$JSON_GET each . status <"$SIM_BODY" >"$T/s"
$JSON_GET each . if_match <"$SIM_BODY" >"$T/i"
assert_eq "PATCH 200 W/\"$etag\"" "$(paste -d' ' "$T/m" "$T/s" "$T/i" | grep '^PATCH')" \
	"PATCH with If-Match: the cached etag"
assert_eq 20 "$(org_profile "$EXO" maxconcurrentconnections)" "the organization has 20"
assert_eq 20 "$(sqlite3 "$C" "select max_connections from profiles where id='$EXO'")" \
	"the cache has the answered row"

# credentials writes both directions; ports and SSL of an IMAP profile.
run_rc 0 ec profile set "$IMAP" credentials=profile incoming-port=993 outgoing-ssl=no
assert_eq 1 "$(org_profile "$IMAP" incomingcredentialretrieval)" "incoming credentials"
assert_eq 1 "$(org_profile "$IMAP" outgoingcredentialretrieval)" "outgoing credentials"
assert_eq 993 "$(org_profile "$IMAP" incomingportnumber)" "incoming port"
assert_eq false "$(org_profile "$IMAP" outgoingusessl)" "outgoing ssl"

# Refusals: one line that says what to do; nothing queued, nothing sent.
before=$(sim_seq)
run_rc 2 ec profile set "$EXO" incoming-port=443
assert_contains "$ERR" "has no port of its own" "Exchange takes no port"
assert_contains "$ERR" "https://host:port/EWS/Exchange.asmx" "and what to do"
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')" "one line"
run_rc 2 ec profile set "$EXO" incoming-server=mail.example.com
assert_contains "$ERR" "EWS URL, not a host name" "Exchange takes a URL"
run_rc 2 ec profile set "$IMAP" incoming-server=https://mail.example.com/EWS/Exchange.asmx
assert_contains "$ERR" "host name" "IMAP takes a host name"
run_rc 2 ec profile set "$IMAP" credentials=server-to-server
assert_contains "$ERR" "only with Exchange" "no S2S on IMAP"
run_rc 2 ec profile set "$IMAP" max-connections=301
assert_contains "$ERR" "from 1 to 300" "connections bounded"
run_rc 2 ec profile set "$IMAP" outgoing-port=65537
assert_contains "$ERR" "from 0 to 65536" "ports bounded"
run_rc 2 ec profile set "$IMAP" password=secret
assert_contains "$ERR" "valid keys" "no password key"
run_rc 2 ec profile set "no such profile" state=inactive
assert_contains "$ERR" "no server profile matches" "unknown profile"
assert_eq "" "$(api_since "$before")" "nothing was sent"
assert_eq 0 "$(sqlite3 "$C" "select count(*) from outbox where state in ('queued','conflict','failed')")" \
	"nothing was queued"

# A 412: the organization changed max-connections and the port behind our
# back. incoming-ssl (untouched there) goes out with the new etag;
# max-connections (changed on both sides) is a conflict, kept.
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($IMAP)" '{"maxconcurrentconnections":30,"incomingportnumber":143}')" \
	"changed behind our back"
before=$(sim_seq)
run_rc 3 ec profile set "$IMAP" max-connections=40 incoming-ssl=no
assert_contains "$ERR" "outbox resolve" "conflict explained"
assert_eq "PATCH 412 GET 200 PATCH 200" "$(api_since "$before")" \
	"412, re-read, the untouched field sent with the new etag"
assert_eq false "$(org_profile "$IMAP" incomingusessl)" "incoming-ssl reached the organization"
assert_eq 30 "$(org_profile "$IMAP" maxconcurrentconnections)" "theirs kept until resolved"
assert_eq 143 "$(org_profile "$IMAP" incomingportnumber)" "their port untouched"
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq conflict "$(echo "$OUT" | $JSON_GET get .0.state)" "a conflict"
assert_eq 40 "$(echo "$OUT" | $JSON_GET get '.0.conflict.mine.max_connections')" "mine"
assert_eq 30 "$(echo "$OUT" | $JSON_GET get '.0.conflict.theirs.max_connections')" "theirs"
assert_eq 5 "$(echo "$OUT" | $JSON_GET get '.0.conflict.base.max_connections')" "base"
assert_eq null "$(echo "$OUT" | $JSON_GET get '.0.conflict.mine.incoming_ssl')" \
	"the sent field left the entry"
# A profile in conflict takes no new edit until it is resolved.
run_rc 2 ec profile set "$IMAP" max-connections=50
assert_contains "$ERR" "resolve it first" "conflict first"
run_rc 0 ec outbox resolve "$entry" --mine
assert_eq 40 "$(org_profile "$IMAP" maxconcurrentconnections)" "--mine reached the organization"
assert_eq 143 "$(org_profile "$IMAP" incomingportnumber)" "their port still untouched"

# Offline: queued, shown in the outbox, pushed by the next sync.
run_rc 0 ec --offline profile set "$EXO" state=inactive autodiscover=yes
assert_contains "$OUT" "queued" "queued offline"
assert_eq 0 "$(org_profile "$EXO" statecode)" "not sent yet"
run_rc 0 ec outbox --json
assert_eq inactive "$(echo "$OUT" | $JSON_GET get '.0.changes.state')" "the outbox holds it"
run_rc 0 ec sync
assert_eq 1 "$(org_profile "$EXO" statecode)" "sent by the sync"
assert_eq 2 "$(org_profile "$EXO" statuscode)" "with its status"
assert_eq true "$(org_profile "$EXO" useautodiscover)" "autodiscover sent"
run_rc 0 ec profile "$EXO" --json
assert_eq inactive "$(echo "$OUT" | $JSON_GET get .state)" "the cache has it"

# Secrets: whether a password is set, never the password.
run_rc 0 ec profile "$POP" --json
assert_eq true "$(echo "$OUT" | $JSON_GET get .incoming_password_set)" "password set"
assert_not_contains "$OUT" "stara-skrivnost" "no password in the output"
run_rc 0 ec profile "$POP"
assert_not_contains "$OUT" "stara-skrivnost" "no password shown"
sqlite3 "$C" .dump >"$T/dump"
if grep -q "stara-skrivnost" "$T/dump"; then fail "a password reached the cache"; fi
echo "ok"
