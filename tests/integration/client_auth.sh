#!/bin/sh
# client_auth.sh — sign-in failures end with exit 4 and one sentence naming
# the cause: wrong secret, expired secret, unknown client, wrong tenant, an
# unreachable organization; a given bearer token skips OAuth; a 401 renews
# the token once; secrets never reach the output. A token with a line break
# (from the token endpoint or EMAILCFG_TOKEN) and a tenant that is not a
# GUID or a domain name are refused before anything is sent with them; a
# huge expires_in gives one token for many requests.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
# Every emulator is an organization of its own, with a cache of its own.
org_start() {
	sim_start "$@"
	client_env
	C=$T/cache.$SIM_PORT.db
}
org_start --token-lifetime 3600

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
org_start --expired-secret
run_rc 4 ec sync
assert_contains "$ERR" "client secret has expired" "expired secret"
sim_stop

# A bearer token from the environment skips OAuth; a 401 with it fails.
org_start
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

# requests_since SEQ — how many requests the emulator logged after SEQ.
requests_since() {
	sim_log_since "$1"
	$JSON_GET len . <"$SIM_BODY"
}
token_requests_since() {
	sim_log_since "$1"
	$JSON_GET each . uri <"$SIM_BODY" | grep -c oauth2 || true
}

# A tenant that is not a GUID or a domain name would move the token POST
# (and the secret in it) to another path: refused before any request.
for tenant in "../$SIM_TENANT" "$SIM_TENANT/../x" "x?y=1" "x#y" "a b" "-x"; do
	seq=$(sim_seq)
	EMAILCFG_TENANT=$tenant run_rc 5 ec sync
	assert_contains "$ERR" "neither a GUID nor a domain name" "tenant $tenant refused"
	assert_eq 0 "$(requests_since "$seq")" "nothing sent for tenant $tenant"
done
EMAILCFG_TENANT=contoso.onmicrosoft.com run_rc 4 ec sync
assert_contains "$ERR" "tenant does not exist" "a domain name is a tenant"

# A line break in EMAILCFG_TOKEN never becomes a header line of its own.
crlf_header=$(printf '\r\nX-Injected: 1')
seq=$(sim_seq)
EMAILCFG_CLIENT_SECRET= EMAILCFG_TOKEN="$SIM_TOKEN$crlf_header" run_rc 5 ec sync
assert_contains "$ERR" "EMAILCFG_TOKEN holds characters" "token with CR/LF refused"
assert_not_contains "$ERR" "$SIM_TOKEN" "token not shown"
assert_eq 0 "$(requests_since "$seq")" "nothing sent with the token"
sim_stop

# Nor does one in the token endpoint's answer: only the token POST was sent.
org_start --token-suffix "$crlf_header"
run_rc 4 ec sync
assert_contains "$ERR" "access_token holds characters" "token answer with CR/LF refused"
assert_eq 1 "$(requests_since 0)" "only the sign-in was sent"
sim_stop

# expires_in = INT64_MAX: clamped (no overflow), so one token serves a sync
# of many pages instead of a token fetched before every request.
org_start --token-expires-in 9223372036854775807
EMAILCFG_PAGE_SIZE=5 run_rc 0 ec sync
assert_not_contains "$ERR" "runtime error" "no undefined behaviour"
[ "$(requests_since 0)" -gt 10 ] || fail "the sync made fewer requests than expected"
assert_eq 1 "$(token_requests_since 0)" "one token for the whole sync"
sim_stop
echo "client auth: ok"
