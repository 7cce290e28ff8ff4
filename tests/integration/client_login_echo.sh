#!/bin/sh
# client_login_echo.sh — a token endpoint that quotes the request it was
# sent in its error (the emulator's echo_grant, EMAILCFG_SIM_ECHO_GRANT=1):
# the refresh token, the client secret and the device code it echoes are
# hidden ("[hidden]") in what emailcfg shows — Entra and AD FS alike — and
# none of them reaches stdout, stderr (with -v, the request log), the
# SQLite cache or the sign-in files' names. The secret has '/', '+' and '='
# so its percent-encoded form (as the form carried it) differs from itself.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
USER_NAME=ana@kovinoplast.example
export XDG_STATE_HOME="$T/state"
ALL=$T/all-output
: >"$ALL"

# keep — what the last command printed, for the final search.
keep() { printf '%s\n%s\n' "$OUT" "$ERR" >>"$ALL"; }

# absent SECRET WHAT — the secret is nowhere emailcfg wrote.
absent() {
	for f in "$ALL" "$T"/*.db* "$T/listing"; do
		[ -f "$f" ] || continue
		if grep -qF -- "$1" "$f"; then fail "$2 is in $f"; fi
	done
}

# Client credentials (Entra), the switch from the environment.
SECRET='Ech0/Secret+Value=='
EMAILCFG_SIM_ECHO_GRANT=1 sim_start
client_env
export EMAILCFG_CLIENT_SECRET="$SECRET"
run_rc 4 ec -v sync
keep
assert_contains "$ERR" "AADSTS90023" "the endpoint's own words are shown"
assert_contains "$ERR" "client_secret=[hidden]" "the echoed secret is hidden"
absent "$SECRET" "the client secret"
absent "Ech0%2FSecret%2BValue%3D%3D" "the percent-encoded client secret"
sim_stop
unset EMAILCFG_CLIENT_SECRET EMAILCFG_TENANT EMAILCFG_CLIENT_ID

# Device code and refresh token (Entra): the switch through /_sim/config.
sim_start --device-interval 1
export EMAILCFG_AUTHORITY="$SIM_URL"
C=$T/cache2.db
login_start
signin_approve "$CODE" >/dev/null
wait "$LOGIN_PID" || fail "login: $(cat "$T/login.err")"
run_rc 0 ec sync
keep
F=$(find "$XDG_STATE_HOME/emailcfg/signin" -type f ! -name .lock)
RT=$(sed -n 's/^refresh-token=//p' "$F")
[ -n "$RT" ] || fail "no refresh token kept"
[ "$(sim_ctl POST config '{"echo_grant":true}')" = 200 ] || fail "echo_grant: $(cat "$SIM_BODY")"
sim_ctl POST tokens/expire >/dev/null
run_rc 4 ec -v sync
keep
assert_contains "$ERR" "refresh_token=[hidden]" "the echoed refresh token is hidden"
assert_contains "$ERR" "or run emailcfg login" "what to do"
absent "$RT" "the refresh token"
assert_eq "$RT" "$(sed -n 's/^refresh-token=//p' "$F")" "the sign-in is kept"

# A device code echoed while the login polls.
sim_ctl POST config '{"echo_grant":false}' >/dev/null
login_start
sim_ctl POST config '{"echo_grant":true}' >/dev/null
set +e
wait "$LOGIN_PID"
got=$?
set -e
ERR=$(cat "$T/login.err")
OUT=$(cat "$T/login.out")
keep
assert_eq 4 "$got" "login with an echoing endpoint"
assert_contains "$ERR" "device_code=[hidden]" "the echoed device code is hidden"
case "$ERR" in *device_code=[!\[]*) fail "a device code is shown: $ERR" ;; esac
sim_stop

# AD FS: client secret and refresh token behind MSIS words.
sim_start --device-interval 1
ORG=$SIM_URL/kovinarstvo
C=$T/onprem.db
op() { $EMAILCFG --org "$ORG" --cache "$C" "$@"; }
export EMAILCFG_AUTH=adfs EMAILCFG_AUTHORITY=$SIM_URL/adfs EMAILCFG_CLIENT_ID=$SIM_CLIENT_ID
sim_ctl POST config '{"echo_grant":true}' >/dev/null
EMAILCFG_CLIENT_SECRET="$SECRET" run_rc 4 op -v sync
keep
assert_contains "$ERR" "MSIS9200" "AD FS's own words are shown"
assert_contains "$ERR" "client_secret=[hidden]" "the echoed secret is hidden (AD FS)"
sim_ctl POST config '{"echo_grant":false}' >/dev/null
export EMAILCFG_CLIENT_ID=51f81489-12ee-4a9e-aaae-a2591f45987d
login_start op
sim_ctl POST signin/approve '{"user":"KOVINOPLAST\\ana"}' >/dev/null
wait "$LOGIN_PID" || fail "AD FS login failed: $(cat "$T/login.err")"
F=$(find "$XDG_STATE_HOME/emailcfg/signin" -type f ! -name .lock -newer "$T/login.out" | head -1)
[ -n "$F" ] || F=$(ls -t $(find "$XDG_STATE_HOME/emailcfg/signin" -type f ! -name .lock) | head -1)
RT2=$(sed -n 's/^refresh-token=//p' "$F")
[ -n "$RT2" ] || fail "no AD FS refresh token kept"
sim_ctl POST config '{"echo_grant":true}' >/dev/null
run_rc 4 op -v sync
keep
assert_contains "$ERR" "refresh_token=[hidden]" "the echoed refresh token is hidden (AD FS)"
absent "$RT2" "the AD FS refresh token"
absent "$SECRET" "the client secret"
ls -laR "$XDG_STATE_HOME" >"$T/listing"
absent "$RT" "the refresh token"
echo "client_login_echo: ok"
