#!/bin/sh
# probe_profile_test.sh — `emailcfg profile test SEL` probes a server
# profile's two endpoints once, from this machine, against real servers
# (Dovecot's IMAP and submission on loopback): both answering is exit 0
# with each endpoint's host:port; a closed outgoing port is exit 1 naming
# the stage and what to do; no login is tried (no credentials are given).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/mailservers.sh
set -e
mailservers_start
sim_start
client_env
export EMAILCFG_CA_FILE="$MAIL_CA"
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c # IMAP/SMTP – pošta.kovinoplast.si
run_rc 0 ec sync

# The profile pointed at Dovecot through the client's own edit.
run_rc 0 ec profile set "$IMAP" incoming-server=127.0.0.1 incoming-port="$IMAP_PORT" \
	incoming-ssl=yes outgoing-server=127.0.0.1 outgoing-port="$SMTP_PORT" outgoing-ssl=no \
	use-same-for-outgoing=no
run_rc 0 ec profile test "$IMAP" --json
assert_eq true "$(echo "$OUT" | $JSON_GET get .0.ok)" "IMAP answered"
assert_eq imap "$(echo "$OUT" | $JSON_GET get .0.protocol)" "incoming is IMAP"
assert_eq "$IMAP_PORT" "$(echo "$OUT" | $JSON_GET get .0.port)" "on the profile's port"
assert_eq starttls "$(echo "$OUT" | $JSON_GET get .0.tls)" "ssl on a port other than 993: STARTTLS required"
assert_eq true "$(echo "$OUT" | $JSON_GET get .1.ok)" "submission answered"
assert_eq smtp "$(echo "$OUT" | $JSON_GET get .1.protocol)" "outgoing is SMTP"
assert_eq "$SMTP_PORT" "$(echo "$OUT" | $JSON_GET get .1.port)" "on its port"
assert_not_contains "$(echo "$OUT" | $JSON_GET get .0.code)" "login" "no login without credentials"
run_rc 0 ec profile test "IMAP/SMTP – pošta.kovinoplast.si"
assert_contains "$OUT" "incoming  imap  127.0.0.1:$IMAP_PORT  ok" "the text form"

# A closed outgoing port: exit 1, the stage and what to do.
run_rc 0 ec profile set "$IMAP" outgoing-port="$CLOSED_PORT"
run_rc 1 ec profile test "$IMAP" --json
assert_eq true "$(echo "$OUT" | $JSON_GET get .0.ok)" "incoming still fine"
assert_eq false "$(echo "$OUT" | $JSON_GET get .1.ok)" "outgoing refused"
assert_eq dns "$(echo "$OUT" | $JSON_GET get .1.reached)" "it got past DNS, not the connect"
[ -n "$(echo "$OUT" | $JSON_GET get .1.fix)" ] || fail "no fix for the closed port"
assert_contains "$ERR" "did not answer as it should" "one line on stderr"
echo ok
