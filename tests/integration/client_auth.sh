#!/bin/sh
# client_auth.sh — sign-in failures end with exit 4 and one sentence naming
# the cause: wrong secret, expired secret, unknown client, wrong tenant, an
# unreachable organization; a given bearer token skips OAuth; a 401 renews
# the token once; secrets never reach the output.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --token-lifetime 3600
client_env

EMAILCFG_CLIENT_SECRET=not-the-secret run_rc 4 ec sync
assert_contains "$ERR" "client secret is wrong" "wrong secret"
assert_not_contains "$ERR" "not-the-secret" "secret not shown"
EMAILCFG_CLIENT_ID=00000000-0000-0000-0000-000000000001 run_rc 4 ec sync
assert_contains "$ERR" "not known in this tenant" "unknown client"
EMAILCFG_TENANT=11111111-2222-3333-4444-555555555555 run_rc 4 ec sync
assert_contains "$ERR" "tenant does not exist" "wrong tenant"

# A secret file others can read is refused before anything is sent.
printf '%s\n' "$SIM_CLIENT_SECRET" >"$T/secret"
chmod 644 "$T/secret"
EMAILCFG_CLIENT_SECRET= EMAILCFG_CLIENT_SECRET_FILE="$T/secret" run_rc 5 ec sync
assert_contains "$ERR" "chmod 600 $T/secret" "secret file permissions"
chmod 600 "$T/secret"
EMAILCFG_CLIENT_SECRET= EMAILCFG_CLIENT_SECRET_FILE="$T/secret" run_rc 0 ec sync

# An unreachable organization.
port=$SIM_PORT
sim_stop
run_rc 4 $EMAILCFG --org "http://127.0.0.1:$port" --cache "$C" sync
assert_contains "$ERR" "cannot reach 127.0.0.1" "unreachable named"
# Plain http to a non-loopback host is refused.
run_rc 2 $EMAILCFG --org "http://example.com" --cache "$C" sync
assert_contains "$ERR" "only https://" "plain http refused"
run_rc 2 $EMAILCFG --org "http://127.0.0.1.nip.io" --cache "$C" sync
assert_contains "$ERR" "only https://" "a name that starts like loopback is not loopback"
run_rc 2 $EMAILCFG --org "http://[::2]:80" --cache "$C" sync

# Expired secret.
sim_start --expired-secret
client_env
run_rc 4 ec sync
assert_contains "$ERR" "client secret has expired" "expired secret"
sim_stop

# A bearer token from the environment skips OAuth; a 401 with it fails.
sim_start
client_env
sim_token
EMAILCFG_CLIENT_SECRET= EMAILCFG_TOKEN="$SIM_TOKEN" run_rc 0 ec sync
EMAILCFG_CLIENT_SECRET= EMAILCFG_TOKEN=bogus run_rc 4 ec sync
assert_contains "$ERR" "refused the credentials" "bad token"
assert_not_contains "$ERR" "bogus" "token not shown"

# The token is renewed after a 401 (the emulator forgets every token).
run_rc 0 ec sync
sim_ctl POST tokens/expire '{}' >/dev/null
run_rc 0 ec -v sync
assert_not_contains "$ERR" "$SIM_CLIENT_SECRET" "secret not logged"
assert_not_contains "$ERR" "Bearer" "token not logged"
assert_contains "$ERR" "GET $SIM_URL/api/data/v9.2/mailboxes" "-v logs requests"
echo "client auth: ok"
