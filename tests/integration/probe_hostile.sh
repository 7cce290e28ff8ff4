#!/bin/sh
# probe_hostile.sh — probes against servers that misbehave on purpose.
# A plain-text SMTP and IMAP server offering AUTH without STARTTLS: a server
# profile without SSL plus a login means STARTTLS is required, so the probe
# refuses, and the servers' own logs show that no AUTH/LOGIN line arrived.
# A server that talks without end: the transcript keeps its first and last
# 16 kB and says how much it left out, in bounded memory.
. tests/lib/assert.sh
. tests/lib/mailservers.sh
set -e
PROBE_RUN=${PROBE_RUN:-build/tests/tools/probe-run}
PEAK_RSS=build/tests/tools/peak-rss
field() { echo "$OUT" | $JSON_GET get ".$1.$2"; }
[ -x "$PROBE_NET" ] || fail "$PROBE_NET is missing (make $PROBE_NET)"

mailservers_start_plain_auth
printf '%s\n' "$MAIL_PASS" >"$T/pass"
profile="imap-smtp|127.0.0.1|$PLAIN_IMAP_PORT|false|127.0.0.1|$PLAIN_SMTP_PORT|false"
logins() { grep -Eci '^(smtp|imap) ([^ ]+ )?(AUTH|AUTHENTICATE|LOGIN|USER|PASS)( |$)' "$PLAIN_LOG" || true; }

# Without a login the profile's plain text is fine: capabilities only.
run_rc 0 "$PROBE_RUN" --json --profile "$profile"
assert_eq "PLAIN LOGIN" "$(field 1 auth_mechanisms)" "the server offers AUTH"
assert_eq false "$(field 1 tls)" "in plain text"

# With a login: STARTTLS is required, not offered, and no credentials go out.
: >"$PLAIN_LOG"
set +e
"$PROBE_RUN" --json --transcript --user "$MAIL_USER" --password-file "$T/pass" \
	--profile "$profile" >"$T/out" 2>"$T/err"
rc=$?
set -e
OUT=$(cat "$T/out")
assert_eq 0 "$(logins)" "AUTH or LOGIN lines that reached a server: $(cat "$PLAIN_LOG")"
assert_eq 1 "$rc" "exit status of a refused login"
for i in 0 1; do
	assert_eq probe.tls.not_offered "$(field $i code)" "probe $i refuses"
	assert_eq false "$(field $i logged_in)" "probe $i did not log in"
done
grep -qi '^smtp EHLO' "$PLAIN_LOG" || fail "the SMTP server saw no EHLO: the log is not working"
grep -qi '^imap [^ ]* CAPABILITY' "$PLAIN_LOG" || fail "the IMAP server saw no CAPABILITY"
assert_not_contains "$OUT" "$MAIL_PASS" "the password"

# The logs do catch a login: an explicit plain-text target sends it.
: >"$PLAIN_LOG"
run_rc 0 "$PROBE_RUN" --json --user "$MAIL_USER" --password-file "$T/pass" \
	smtp:none:127.0.0.1:$PLAIN_SMTP_PORT
[ "$(logins)" -ge 1 ] || fail "the log missed a plain-text login: $(cat "$PLAIN_LOG")"

# A server that never stops talking, for the whole 2 s timeout.
mailservers_start_flood
run_rc 1 "$PEAK_RSS" "$T/rss" "$PROBE_RUN" --json --transcript --timeout-ms 2000 \
	imap:none:127.0.0.1:$FLOOD_PORT
tr=$(field 0 transcript)
assert_contains "$tr" "S: * OK flood.example.si ready" "the head is kept"
assert_contains "$tr" "bytes left out: a transcript keeps its first and last 16 kB" "the cut is said"
[ ${#tr} -lt 40000 ] || fail "a transcript of ${#tr} bytes"
[ ${#OUT} -lt 50000 ] || fail "an output of ${#OUT} bytes"
rss_max=60000
grep -q fsanitize build/flags 2>/dev/null && rss_max=300000 # ASan's shadow and quarantine
[ "$(cat "$T/rss")" -lt $rss_max ] || fail "peak RSS $(cat "$T/rss") kB"
echo "probe_hostile: ok"
