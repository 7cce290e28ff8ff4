#!/bin/sh
# probe_concurrency.sh — many probes through curl's multi interface: 50
# logins with concurrency 8 all complete and pass, each reported once; and a
# server profile mapped to its incoming and outgoing targets, probed.
. tests/lib/assert.sh
. tests/lib/mailservers.sh
set -e
PROBE_RUN=${PROBE_RUN:-build/tests/tools/probe-run}
field() { echo "$OUT" | $JSON_GET get ".$1.$2"; }

mailservers_start
mailservers_start_ews
export EMAILCFG_CA_FILE="$MAIL_CA" EMAILCFG_PROBE_PASSWORD="$MAIL_PASS"

run_rc 0 "$PROBE_RUN" --json --progress --concurrency 8 --repeat 10 --user "$MAIL_USER" \
	imap:starttls:127.0.0.1:$IMAP_PORT imap:implicit:localhost:$IMAPS_PORT \
	pop3:starttls:127.0.0.1:$POP3_PORT smtp:starttls:127.0.0.1:$SMTP_PORT "ews:$EWS_URL"
assert_eq 50 "$(echo "$OUT" | $JSON_GET len .)" "results"
assert_eq 50 "$(echo "$OUT" | $JSON_GET each . code | grep -c '^probe.ok.login$')" "logins"
assert_eq 50 "$(echo "$ERR" | grep -c '^\[[0-9]*/50\] ')" "progress lines"
assert_contains "$ERR" "[50/50]" "the last progress line"
assert_not_contains "$OUT$ERR" "$MAIL_PASS" "password in the output"

# An imap-smtp profile: IMAP without SSL (STARTTLS if offered), SMTP with SSL
# on a submission port (STARTTLS required).
profile="imap-smtp|127.0.0.1|$IMAP_PORT|false|127.0.0.1:$SMTP_PORT||true"
run_rc 0 "$PROBE_RUN" --plan --profile "$profile"
assert_eq "imap starttls-if-offered 127.0.0.1 $IMAP_PORT
smtp starttls 127.0.0.1 $SMTP_PORT" "$OUT" "the targets of the profile"
run_rc 0 "$PROBE_RUN" --json --user "$MAIL_USER" --profile "$profile"
assert_eq probe.ok.login "$(field 0 code)" "incoming of the profile"
assert_eq probe.ok.login "$(field 1 code)" "outgoing of the profile"
assert_eq true "$(field 0 tls)" "STARTTLS used when offered"

# With a login, "STARTTLS when offered" becomes "required": against a server
# that offers none (the relay stand-in), the password is never sent.
run_rc 1 "$PROBE_RUN" --json --transcript --user "$MAIL_USER" \
	--profile "imap-smtp|127.0.0.1|$IMAP_PORT|false|127.0.0.1:$RELAY_PORT||false"
assert_eq probe.tls.not_offered "$(field 1 code)" "no login without TLS"
assert_not_contains "$(field 1 transcript)" "AUTH" "no AUTH sent in clear text"

# pop3-smtp with SSL on the implicit-TLS ports; exchange -> the EWS URL.
run_rc 0 "$PROBE_RUN" --plan --profile "pop3-smtp|localhost:995||true|localhost|465|true"
assert_eq "pop3 implicit localhost 995
smtp implicit localhost 465" "$OUT" "pop3-smtp targets"
run_rc 0 "$PROBE_RUN" --json --user "$MAIL_USER" --profile "exchange|$EWS_URL||true|||"
assert_eq probe.ok.login "$(field 0 code)" "EWS incoming"
assert_eq probe.ok.login "$(field 1 code)" "EWS outgoing falls back to the incoming URL"
echo "probe_concurrency: ok"
