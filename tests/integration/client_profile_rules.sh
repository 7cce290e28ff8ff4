#!/bin/sh
# client_profile_rules.sh — what a server profile's type allows, through the
# real client and the emulator: `profile set` refuses (exit 2, one line
# that says what to do, nothing queued in the outbox, nothing sent) a port
# outside 1-65535, anonymous and Windows integrated credentials and Basic
# authentication on Exchange Online, Use SSL=no with an https:// URL, a URL
# with no valid host and a POP3/IMAP profile without a host name; the
# values next to them (ports 1 and 65535, an emptied port, SSL yes with the
# emulator's http:// URL) are saved. The rules are core/model/profile_rules.c.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

EXO=f4f820de-1f43-5ed4-9af1-be1fbeb5d25a  # Microsoft Exchange Online (demo data)
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c # IMAP/SMTP – pošta.kovinoplast.si
POP=47794251-4922-561f-982f-a82d47e51a97  # POP3/SMTP

# api_since SEQ — "METHOD STATUS ..." of the Web API requests after SEQ.
api_since() {
	sim_log_since "$1"
	$JSON_GET each . method <"$SIM_BODY" >"$T/m"
	$JSON_GET each . status <"$SIM_BODY" >"$T/s"
	paste -d' ' "$T/m" "$T/s" | grep -v '^POST' | tr '\n' ' ' | sed 's/ $//'
}

org_profile() { # ID COLUMN — the organization's value
	sim_ctl GET "emailserverprofiles($1)" >/dev/null
	jv "$2"
}

# refused WHY FIX PROFILE KEY=VALUE... — exit 2, one line with the reason
# and the fix.
refused() {
	why=$1 fix=$2
	shift 2
	run_rc 2 ec profile set "$@"
	assert_contains "$ERR" "$why" "$* refused: the reason"
	assert_contains "$ERR" "$fix" "$* refused: what to do"
	assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')" "$* refused: one line"
}

before=$(sim_seq)
# 1. Ports: the column stores 0-65536, no connection uses 0 or 65536.
refused "from 1 to 65535" "or leave it empty" "$IMAP" incoming-port=0
refused "from 1 to 65535" "or leave it empty" "$IMAP" outgoing-port=65536
refused "from 1 to 65535" "or leave it empty" "$POP" incoming-port=0
# 2. Exchange Online: no anonymous, no Windows integrated, no Basic.
refused "Exchange Online takes no anonymous sign-in" "credentials=server-to-server" \
	"$EXO" credentials=anonymous
refused "works only with an Exchange server on premises, not with Exchange Online" \
	"credentials=server-to-server" "$EXO" credentials=windows-integrated
refused "turned off Basic authentication for EWS in Exchange Online" "incoming-auth=oauth" \
	"$EXO" incoming-auth=basic
refused "turned off Basic authentication" "outgoing-auth=oauth" "$EXO" outgoing-auth=basic
# 3. Use SSL=no with an https:// server location.
refused "https:// server location always connects over SSL/TLS" "incoming-ssl=yes" \
	"$EXO" incoming-server=https://mail.example.com/EWS/Exchange.asmx incoming-ssl=no
refused "https:// server location always connects over SSL/TLS" "outgoing-ssl=yes" \
	"$EXO" outgoing-server=https://mail.example.com/EWS/Exchange.asmx outgoing-ssl=no
# 4. A URL names a valid host; a POP3/IMAP profile names its hosts.
refused "URL has no valid host name" "https://mail.example.com/EWS/Exchange.asmx" \
	"$EXO" incoming-server=https://
refused "URL has no valid host name" "https://mail.example.com/EWS/Exchange.asmx" \
	"$EXO" outgoing-server=http://
refused "URL has no valid host name" "https://mail.example.com/EWS/Exchange.asmx" \
	"$EXO" "incoming-server=https://a b/EWS"
refused "needs the host name of both its incoming and its outgoing" "incoming-server" \
	"$IMAP" incoming-server=
refused "needs the host name of both its incoming and its outgoing" "outgoing-server" \
	"$POP" outgoing-server=
assert_eq "" "$(api_since "$before")" "nothing was sent"
run_rc 0 ec outbox --json
assert_eq 0 "$(echo "$OUT" | $JSON_GET len .)" "nothing in the outbox"
assert_eq 0 "$(sqlite3 "$C" "select count(*) from outbox")" "nothing queued"
assert_eq 1 "$(org_profile "$IMAP" incomingportnumber)" "the organization's port untouched"
assert_eq 2 "$(org_profile "$EXO" incomingcredentialretrieval)" "EXO credentials untouched"

# What the rules leave alone is saved: the ends of the range, an emptied
# port, Use SSL=yes with the emulator's http:// EWS URL, S2S on EXO.
run_rc 0 ec profile set "$IMAP" incoming-port=65535 outgoing-port=1
assert_eq 65535 "$(org_profile "$IMAP" incomingportnumber)" "port 65535 saved"
assert_eq 1 "$(org_profile "$IMAP" outgoingportnumber)" "port 1 saved"
run_rc 0 ec profile set "$IMAP" incoming-port=
assert_eq null "$(org_profile "$IMAP" incomingportnumber)" "an empty port clears it"
run_rc 0 ec profile set "$EXO" incoming-ssl=yes outgoing-ssl=yes credentials=server-to-server \
	incoming-auth=oauth max-connections=12
assert_eq 12 "$(org_profile "$EXO" maxconcurrentconnections)" "an allowed edit of EXO saved"
echo "ok"
