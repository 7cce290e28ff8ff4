#!/bin/sh
# probe_login.sh — connectivity probes against real servers started by the
# test (tests/lib/mailservers.sh): logins to Dovecot IMAP, POP3 and
# submission over STARTTLS, implicit TLS and plain text, and to an EWS-like
# HTTPS endpoint; without credentials only capabilities and AUTH mechanisms;
# a wrong password shows the server's own reply; the password never shows.
. tests/lib/assert.sh
. tests/lib/mailservers.sh
set -e
PROBE_RUN=${PROBE_RUN:-build/tests/tools/probe-run}
field() { echo "$OUT" | $JSON_GET get ".$1.$2"; }

mailservers_start
mailservers_start_ews
export EMAILCFG_CA_FILE="$MAIL_CA"
printf '%s\n' "$MAIL_PASS" >"$T/pass"
b64=$(printf '\000%s\000%s' "$MAIL_USER" "$MAIL_PASS" | openssl base64 -A)
basic=$(printf '%s:%s' "$MAIL_USER" "$MAIL_PASS" | openssl base64 -A)
no_secrets() { # what
	assert_not_contains "$OUT$ERR" "$MAIL_PASS" "password in $1"
	assert_not_contains "$OUT$ERR" "$b64" "SASL PLAIN response in $1"
	assert_not_contains "$OUT$ERR" "$basic" "Basic credentials in $1"
}

# Logins succeed over STARTTLS and implicit TLS, and log out.
set -- imap:starttls:127.0.0.1:$IMAP_PORT imap:implicit:localhost:$IMAPS_PORT \
	pop3:starttls:127.0.0.1:$POP3_PORT pop3:implicit:localhost:$POP3S_PORT \
	smtp:starttls:127.0.0.1:$SMTP_PORT smtp:implicit:localhost:$SMTPS_PORT "ews:$EWS_URL"
run_rc 0 "$PROBE_RUN" --json --transcript --progress --user "$MAIL_USER" \
	--password-file "$T/pass" "$@"
i=0
for t in "$@"; do
	assert_eq true "$(field $i ok)" "ok of $t"
	assert_eq done "$(field $i reached)" "reached of $t"
	assert_eq probe.ok.login "$(field $i code)" "code of $t"
	assert_eq true "$(field $i logged_in)" "logged_in of $t"
	assert_eq true "$(field $i tls)" "tls of $t"
	i=$((i + 1))
done
assert_contains "$(field 0 transcript)" "C: A002 STARTTLS" "IMAP STARTTLS"
assert_contains "$(field 0 transcript)" "AUTHENTICATE PLAIN ***" "IMAP login redacted"
assert_contains "$(field 0 transcript)" "LOGOUT" "IMAP logout"
assert_contains "$(field 2 transcript)" "C: STLS" "POP3 STLS"
assert_contains "$(field 2 transcript)" "C: QUIT" "POP3 quit"
assert_contains "$(field 4 transcript)" "C: STARTTLS" "SMTP STARTTLS"
assert_contains "$(field 4 transcript)" "S: 235 " "SMTP AUTH accepted"
assert_not_contains "$(field 4 transcript)" "MAIL FROM" "no mail is sent"
assert_contains "$(field 6 transcript)" "Authorization: ***" "EWS credentials redacted"
assert_eq 200 "$(field 6 http_status)" "EWS status with credentials"
assert_contains "$ERR" "[7/7]" "progress for every probe"
no_secrets "a successful run"

# Plain text, and STARTTLS only when offered (then used).
run_rc 0 "$PROBE_RUN" --json --user "$MAIL_USER" --password-file "$T/pass" \
	imap:none:127.0.0.1:$IMAP_PORT pop3:starttls-if-offered:127.0.0.1:$POP3_PORT
assert_eq false "$(field 0 tls)" "plain IMAP is not encrypted"
assert_contains "$(field 0 message)" "without encryption" "plain IMAP message"
assert_eq true "$(field 1 tls)" "POP3 STARTTLS when offered"

# Without credentials: capabilities and AUTH mechanisms only.
run_rc 0 "$PROBE_RUN" --json --transcript imap:starttls:127.0.0.1:$IMAP_PORT \
	pop3:implicit:127.0.0.1:$POP3S_PORT smtp:starttls:127.0.0.1:$SMTP_PORT "ews:$EWS_URL"
for i in 0 1 2 3; do
	assert_eq probe.ok.reachable "$(field $i code)" "code of unauthenticated probe $i"
	assert_eq false "$(field $i logged_in)" "logged_in of probe $i"
	assert_not_contains "$(field $i transcript)" "C: AUTH" "no login in probe $i"
	assert_not_contains "$(field $i transcript)" "LOGIN ***" "no login in probe $i"
done
assert_contains "$(field 0 capabilities)" "IMAP4rev1" "IMAP capabilities"
assert_eq "PLAIN LOGIN" "$(field 0 auth_mechanisms)" "IMAP AUTH mechanisms"
assert_contains "$(field 1 capabilities)" "UIDL" "POP3 CAPA"
assert_eq "PLAIN LOGIN" "$(field 1 auth_mechanisms)" "POP3 SASL mechanisms"
assert_contains "$(field 2 capabilities)" "PIPELINING" "SMTP EHLO keywords"
assert_eq "PLAIN LOGIN" "$(field 2 auth_mechanisms)" "SMTP AUTH mechanisms"
assert_contains "$(field 2 transcript)" "C: NOOP" "SMTP ends with NOOP"
assert_eq 401 "$(field 3 http_status)" "EWS challenge status"
assert_eq "Negotiate NTLM Basic" "$(field 3 capabilities)" "EWS challenge schemes"
assert_contains "$(field 3 message)" "authentication challenge" "EWS reachable message"

# A wrong password: the server's own reply, at the login stage.
bad='Not-The-Password-77'
printf '%s\n' "$bad" >"$T/bad"
run_rc 1 "$PROBE_RUN" --json --transcript --progress --user "$MAIL_USER" --password-file "$T/bad" \
	imap:starttls:127.0.0.1:$IMAP_PORT pop3:implicit:127.0.0.1:$POP3S_PORT \
	smtp:starttls:127.0.0.1:$SMTP_PORT "ews:$EWS_URL"
for i in 0 1 2 3; do
	assert_eq false "$(field $i ok)" "ok with a wrong password, probe $i"
	assert_eq login "$(field $i failed_at)" "failed_at with a wrong password, probe $i"
	assert_eq probe.login.refused "$(field $i code)" "code with a wrong password, probe $i"
done
assert_eq tls "$(field 0 reached)" "IMAP STARTTLS reached tls before the login"
assert_eq capabilities "$(field 1 reached)" "POP3S reached capabilities before the login"
assert_contains "$(field 0 reply)" "NO [AUTHENTICATIONFAILED] Authentication failed." "IMAP reply"
assert_eq "-ERR [AUTH] Authentication failed." "$(field 1 reply)" "POP3 reply"
assert_contains "$(field 2 reply)" "535 5.7.8" "SMTP reply"
assert_eq "HTTP/1.1 401 Unauthorized" "$(field 3 reply)" "EWS reply"
assert_contains "$(field 0 message)" "AUTHENTICATIONFAILED" "the message quotes the reply"
assert_not_contains "$OUT$ERR" "$bad" "the wrong password in the output"
echo "probe_login: ok"
