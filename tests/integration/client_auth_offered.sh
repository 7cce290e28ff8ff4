#!/bin/sh
# client_auth_offered.sh — the organization answers 401 and offers no way
# the configured auth signs in: emailcfg says which ways the server offers
# (its WWW-Authenticate headers, as libcurl read them) and what to set,
# exit 4. A Windows-authentication server (the emulator's NTLM front) with
# auth = client-secret and with auth = device-code: "set auth = windows";
# a bearer-token server with auth = windows: "set auth = client-secret,
# device-code or adfs".
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
USER_NAME=ana@kovinoplast.example
export XDG_STATE_HOME="$T/state"

# An NTLM server, a client secret.
EMAILCFG_SIM_NTLM_USER='KOVINA\jnovak:Winter-2026!ntlm' sim_start --device-interval 1
client_env
C=$T/ntlm.db
EMAILCFG_AUTH=client-secret run_rc 4 ec sync
assert_contains "$ERR" "the organization refused the credentials" "the refusal"
assert_contains "$ERR" "the server offers NTLM, not a bearer token: set auth = windows" \
	"client-secret: what the server offers and what to set"
assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line"

# The same server, a device-code sign-in.
unset EMAILCFG_CLIENT_SECRET EMAILCFG_CLIENT_ID EMAILCFG_TENANT
export EMAILCFG_AUTH=device-code
login_start
signin_approve "$CODE" >/dev/null
wait "$LOGIN_PID" || fail "login: $(cat "$T/login.err")"
run_rc 4 ec sync
assert_contains "$ERR" "the server offers NTLM, not a bearer token: set auth = windows" \
	"device-code: what the server offers and what to set"
sim_stop
unset EMAILCFG_AUTH

# A bearer-token server, auth = windows.
sim_start
printf 'Winter-2026!ntlm\n' >"$T/pw"
chmod 600 "$T/pw"
C=$T/bearer.db
EMAILCFG_API_VERSION=9.2 EMAILCFG_AUTH=windows EMAILCFG_USERNAME='KOVINA\jnovak' EMAILCFG_PASSWORD_FILE="$T/pw" \
	run_rc 4 ec sync
assert_contains "$ERR" "the server offers Bearer, not Windows authentication: set auth = client-secret, device-code or adfs" \
	"windows: what the server offers and what to set"
echo "client_auth_offered: ok"
