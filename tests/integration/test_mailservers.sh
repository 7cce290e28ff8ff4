#!/bin/sh
# test_mailservers.sh — `emailcfg test` end to end with real mail servers:
# a server profile on the emulator pointed at Dovecot (IMAP over TLS, SMTP
# submission with STARTTLS), the mailbox's login read from a 0600
# --credentials file: the connectivity stage logs in and passes; a wrong
# password fails with the server's own reply and never shows the password;
# a world-readable credentials file is refused.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/mailservers.sh
trap 'mailservers_stop; sim__cleanup; rm -rf "$T"' EXIT
set -e
mailservers_start
sim_start
client_env
export EMAILCFG_CA_FILE="$MAIL_CA"
run_rc 0 ec sync

run_rc 0 ec mailboxes --filter 'state:active profile:imap type:user' --json
id=$(echo "$OUT" | $JSON_GET get .0.id)
profile=$(echo "$OUT" | $JSON_GET get .0.server_profile_id)
[ -n "$id" ] && [ "$id" != null ] || fail "no mailbox on the IMAP profile in the demo data"
code=$(sim_ctl PATCH "emailserverprofiles($profile)" "{\"incomingserverlocation\":\"127.0.0.1\",\
\"incomingportnumber\":$IMAP_PORT,\"incomingusessl\":true,\
\"outgoingserverlocation\":\"127.0.0.1\",\"outgoingportnumber\":$SMTP_PORT,\
\"outgoingusessl\":false,\"usesamesettingsforoutgoingconnections\":false}")
assert_eq 200 "$code" "profile pointed at Dovecot"
code=$(sim_ctl PATCH "mailboxes($id)" '{"actdeliverymethod":2,"incomingemaildeliverymethod":2,"outgoingemaildeliverymethod":2,"statecode":0,"emailrouteraccessapproval":1}')
assert_eq 200 "$code" "mailbox on server-side sync"
run_rc 0 ec sync

printf '[mailbox %s]\nusername = %s\npassword = %s\n' "$id" "$MAIL_USER" "$MAIL_PASS" >"$T/creds"
chmod 600 "$T/creds"

run_rc 0 ec test "$id" --local-only --credentials "$T/creds" --json
assert_eq pass "$(echo "$OUT" | $JSON_GET get .0.verdict)" "verdict with a real login"
codes=$(echo "$OUT" | $JSON_GET each .0.checks code | tr '\n' ' ')
assert_contains "$codes" "probe.ok.login probe.ok.login" "both channels logged in"
assert_not_contains "$OUT" "$MAIL_PASS" "no password in the results"

printf '[mailbox %s]\nusername = %s\npassword = wrong-password-123\n' "$id" "$MAIL_USER" >"$T/bad"
chmod 600 "$T/bad"
run_rc 1 ec test "$id" --local-only --credentials "$T/bad"
assert_contains "$OUT" "AUTHENTICATIONFAILED" "the IMAP server's own reply"
assert_not_contains "$OUT$ERR" "wrong-password-123" "the password is never shown"
run_rc 0 ec mailbox "$id"
assert_contains "$OUT" "Last Test & Enable: fail" "the failed run is in the history"

chmod 644 "$T/creds"
run_rc 5 ec test "$id" --local-only --credentials "$T/creds"
assert_contains "$ERR" "chmod 600" "credentials file permissions"
echo "test with real mail servers: ok"
