#!/bin/sh
# probe_tls.sh — certificate problems named against real Dovecot listeners:
# an untrusted issuer (then accepted with EMAILCFG_CA_FILE), an expired
# certificate, a certificate for another host name, STARTTLS required but not
# offered, and TLS spoken to a plain-text port.
. tests/lib/assert.sh
. tests/lib/mailservers.sh
set -e
PROBE_RUN=${PROBE_RUN:-build/tests/tools/probe-run}
field() { echo "$OUT" | $JSON_GET get ".$1.$2"; }

mailservers_start
mailservers_start_ews
unset EMAILCFG_CA_FILE

# Untrusted issuer: the test CA is not in the system bundle.
run_rc 1 "$PROBE_RUN" --json imap:implicit:localhost:$IMAPS_PORT \
	smtp:starttls:127.0.0.1:$SMTP_PORT "ews:$EWS_URL"
for i in 0 1 2; do
	assert_eq tls "$(field $i failed_at)" "failed_at of untrusted probe $i"
	assert_eq untrusted "$(field $i tls_problem)" "tls_problem of probe $i"
	assert_eq probe.tls.untrusted "$(field $i code)" "code of probe $i"
	assert_contains "$(field $i message)" "not trusted" "message of probe $i"
	assert_contains "$(field $i fix)" "EMAILCFG_CA_FILE" "fix of probe $i"
done
assert_eq connect "$(field 0 reached)" "implicit TLS fails right after connect"
assert_eq capabilities "$(field 1 reached)" "STARTTLS fails after the EHLO"

# ...then accepted with the CA file, from the environment or the option.
EMAILCFG_CA_FILE="$MAIL_CA" run_rc 0 "$PROBE_RUN" --json imap:implicit:localhost:$IMAPS_PORT \
	smtp:starttls:127.0.0.1:$SMTP_PORT "ews:$EWS_URL"
assert_eq true "$(field 0 ok)" "trusted with EMAILCFG_CA_FILE"
run_rc 0 "$PROBE_RUN" --ca-file "$MAIL_CA" pop3:implicit:127.0.0.1:$POP3S_PORT
run_rc 1 "$PROBE_RUN" --ca-file "$T/missing.pem" pop3:implicit:127.0.0.1:$POP3S_PORT
assert_contains "$ERR" "cannot read the CA file" "an unreadable CA file is named"

# Expired, and made out for another host name (both signed by the trusted CA).
run_rc 1 "$PROBE_RUN" --json --ca-file "$MAIL_CA" imap:implicit:$EXPIRED_HOST:$EXPIRED_PORT \
	imap:implicit:$WRONGHOST_HOST:$WRONGHOST_PORT
assert_eq expired "$(field 0 tls_problem)" "expired certificate"
assert_eq probe.tls.expired "$(field 0 code)" "expired code"
assert_contains "$(field 0 message)" "has expired" "expired message"
assert_eq wrong-host "$(field 1 tls_problem)" "wrong host name"
assert_eq probe.tls.wrong_host "$(field 1 code)" "wrong host code"
assert_contains "$(field 1 message)" "another host name" "wrong host message"
assert_contains "$(field 1 detail)" "$WRONGHOST_HOST" "the detail names the host asked for"

# STARTTLS required where the server does not offer it (the stand-in relay
# speaks SMTP without STARTTLS or AUTH); when merely preferred, plain text.
run_rc 1 "$PROBE_RUN" --json smtp:starttls:127.0.0.1:$RELAY_PORT
assert_eq not-offered "$(field 0 tls_problem)" "STARTTLS not offered"
assert_eq probe.tls.not_offered "$(field 0 code)" "not offered code"
run_rc 0 "$PROBE_RUN" --json smtp:starttls-if-offered:127.0.0.1:$RELAY_PORT
assert_eq false "$(field 0 tls)" "no STARTTLS on offer"
printf 'pw\n' >"$T/pw"
run_rc 1 "$PROBE_RUN" --json --user someone --password-file "$T/pw" \
	smtp:starttls-if-offered:127.0.0.1:$RELAY_PORT
assert_eq probe.login.unavailable "$(field 0 code)" "no AUTH on offer"

# TLS spoken to a plain-text port.
run_rc 1 "$PROBE_RUN" --json --ca-file "$MAIL_CA" imap:implicit:127.0.0.1:$IMAP_PORT
assert_eq probe.tls.handshake "$(field 0 code)" "TLS to a plain port"
echo "probe_tls: ok"
