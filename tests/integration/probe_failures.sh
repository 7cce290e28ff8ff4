#!/bin/sh
# probe_failures.sh — where a probe stops and what it says: connection
# refused, a listener that accepts and never speaks (timed out at the
# greeting, or in the TLS handshake), a port of another protocol ("the
# greeting was not IMAP"), an unresolvable name, an EWS URL that is not HTTP.
. tests/lib/assert.sh
. tests/lib/mailservers.sh
set -e
PROBE_RUN=${PROBE_RUN:-build/tests/tools/probe-run}
field() { echo "$OUT" | $JSON_GET get ".$1.$2"; }

mailservers_start
mailservers_start_silent
export EMAILCFG_CA_FILE="$MAIL_CA"

# Connection refused.
run_rc 1 "$PROBE_RUN" --json imap:none:127.0.0.1:$CLOSED_PORT
assert_eq connect "$(field 0 failed_at)" "refused: failed_at"
assert_eq dns "$(field 0 reached)" "refused: reached"
assert_eq probe.connect.refused "$(field 0 code)" "refused: code"
assert_contains "$(field 0 message)" "refused the connection on port $CLOSED_PORT" "refused msg"

# Accepts, never speaks: the greeting (or the TLS handshake) times out.
run_rc 1 "$PROBE_RUN" --json --timeout-ms 1500 imap:none:127.0.0.1:$SILENT_PORT \
	smtp:implicit:127.0.0.1:$SILENT_PORT
assert_eq greeting "$(field 0 failed_at)" "silent: failed_at"
assert_eq connect "$(field 0 reached)" "silent: reached"
assert_eq probe.greeting.timeout "$(field 0 code)" "silent: code"
assert_contains "$(field 0 message)" "timed out after 1.5 s" "silent: message"
assert_eq tls "$(field 1 failed_at)" "silent TLS: failed_at"
assert_eq probe.tls.timeout "$(field 1 code)" "silent TLS: code"
ms=$(field 0 elapsed_ms)
[ "$ms" -ge 1400 ] && [ "$ms" -lt 5000 ] || fail "silent: elapsed $ms ms"

# A port of another protocol: said at once, with the line received.
run_rc 1 "$PROBE_RUN" --json imap:starttls:127.0.0.1:$SMTP_PORT \
	pop3:none:127.0.0.1:$IMAP_PORT smtp:starttls:127.0.0.1:$POP3_PORT
assert_eq probe.greeting.not_protocol "$(field 0 code)" "IMAP at SMTP: code"
assert_eq greeting "$(field 0 failed_at)" "IMAP at SMTP: failed_at"
assert_contains "$(field 0 message)" "greeting was not IMAP" "IMAP at SMTP: message"
assert_contains "$(field 0 reply)" "220 mail.example.si" "IMAP at SMTP: the line received"
assert_contains "$(field 1 message)" "greeting was not POP3" "POP3 at IMAP: message"
assert_contains "$(field 1 reply)" "* OK" "POP3 at IMAP: the line received"
assert_contains "$(field 2 message)" "greeting was not SMTP" "SMTP at POP3: message"
# Said on the greeting, not after waiting out the 15 s probe timeout.
for i in 0 1 2; do
	ms=$(field $i elapsed_ms)
	[ "$ms" -lt 15000 ] || fail "probe $i waited for the timeout instead of the greeting"
done

# A name that does not resolve (.invalid never does).
run_rc 1 "$PROBE_RUN" --json --timeout-ms 5000 imap:implicit:mail.emailcfg.invalid:993
assert_eq dns "$(field 0 failed_at)" "unresolvable: failed_at"

# An EWS URL that answers, but not HTTP (Dovecot's IMAPS port).
run_rc 1 "$PROBE_RUN" --json --timeout-ms 3000 "ews:https://localhost:$IMAPS_PORT/EWS/Exchange.asmx"
assert_eq greeting "$(field 0 failed_at)" "EWS at IMAPS: failed_at"
assert_eq probe.greeting.not_protocol "$(field 0 code)" "EWS at IMAPS: code"
echo "probe_failures: ok"
