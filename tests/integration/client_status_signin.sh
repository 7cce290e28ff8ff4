#!/bin/sh
# client_status_signin.sh — `emailcfg status --json` says who is signed in:
# "signed_in" is null before any sign-in, {user, organization, until} after
# a device-code login (until: the refresh token's end, ISO 8601 UTC, in the
# future), null again after logout, and null when the organization signs
# in with a client secret even though a device-code sign-in is kept.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
USER_NAME=ines@kovinoplast.example
sim_start --device-interval 1
export EMAILCFG_AUTHORITY="$SIM_URL"
export XDG_STATE_HOME="$T/state"

# signed_in_field KEY — the member of "signed_in" in $OUT, or "null".
signed_in_field() {
	printf '%s' "$OUT" >"$T/status.json"
	if [ "$($JSON_GET get .signed_in <"$T/status.json")" = null ]; then
		echo null
	else
		$JSON_GET get ".signed_in.$1" <"$T/status.json"
	fi
}

run_rc 0 ec status --json
assert_eq null "$(signed_in_field user)" "nobody signed in yet"
assert_contains "$OUT" '"signed_in":null' "signed_in is present and null"

login_start
signin_approve "$CODE" >/dev/null
wait $LOGIN_PID || fail "login failed: $(cat "$T/login.err")"

run_rc 0 ec status --json
assert_eq "$USER_NAME" "$(signed_in_field user)" "signed_in.user"
assert_eq "$SIM_URL" "$(signed_in_field organization)" "signed_in.organization"
until=$(signed_in_field until)
case "$until" in
[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z) ;;
*) fail "signed_in.until is not ISO 8601 UTC: $until" ;;
esac
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
[ "$until" \> "$now" ] || fail "signed_in.until $until is not after now $now"

# The organization signing in with an app registration's secret: the kept
# device-code sign-in is not what it uses, so nobody is "signed in".
client_env
EMAILCFG_AUTH=client-secret run_rc 0 ec status --json
assert_eq null "$(signed_in_field user)" "client-secret: signed_in is null"
unset EMAILCFG_CLIENT_SECRET EMAILCFG_TENANT EMAILCFG_CLIENT_ID

# No token in the output.
sim_ctl GET signin >/dev/null
n=$(jv 'issued/#')
i=0
while [ $i -lt "$n" ]; do
	assert_not_contains "$OUT" "$(jv "issued/$i")" "a token in status --json"
	i=$((i + 1))
done

run_rc 0 ec logout
run_rc 0 ec status --json
assert_eq null "$(signed_in_field user)" "logged out: signed_in is null"
sim_stop
echo "client status signin: ok"
