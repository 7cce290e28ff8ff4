#!/bin/sh
# script_profile_test.sh — T on the Server profiles screen tests the
# selected profile: a worker job probes its two servers once (real Dovecot
# IMAP and submission on loopback), the console stays responsive, and the
# message line says how each answered; a closed port is an error naming
# what to do.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
. tests/lib/mailservers.sh
set -e
mailservers_start
sim_start
client_env
export EMAILCFG_CA_FILE="$MAIL_CA"
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c # the first row: IMAP/SMTP – pošta.kovinoplast.si
run_rc 0 ec sync
run_rc 0 ec profile set "$IMAP" incoming-server=127.0.0.1 incoming-port="$IMAP_PORT" \
	incoming-ssl=yes outgoing-server=127.0.0.1 outgoing-port="$SMTP_PORT" outgoing-ssl=no \
	use-same-for-outgoing=no

cat >"$T/ok" <<'EOS'
:wait-idle
3
T
:wait-idle
:dump profile-test-ok
q
EOS
tui_run 120x40 "$T/ok" --org "$SIM_URL" --cache "$C"
line=$(tui_dump profile-test-ok | grep "^incoming imap" || true)
assert_contains "$line" "incoming imap 127.0.0.1:PORT ok" "IMAP answered"
assert_contains "$line" "outgoing smtp 127.0.0.1:PORT ok" "SMTP answered"

run_rc 0 ec profile set "$IMAP" outgoing-port="$CLOSED_PORT"
cat >"$T/bad" <<'EOS'
:wait-idle
3
T
:wait-idle
:dump profile-test-failed
q
EOS
tui_run 120x40 "$T/bad" --org "$SIM_URL" --cache "$C"
line=$(tui_dump profile-test-failed | grep '^profile test:' || true)
assert_contains "$line" "profile test: incoming imap 127.0.0.1:PORT ok; outgoing smtp 127.0.0.1:PORT: " \
	"the error line has both endpoints"
assert_not_contains "$line" "outgoing smtp 127.0.0.1:PORT ok" "the refused one is not ok"
echo ok
