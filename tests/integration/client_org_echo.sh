#!/bin/sh
# client_org_echo.sh — an organization whose error answers quote the
# request's headers (the emulator's echo_headers, EMAILCFG_SIM_ECHO_HEADERS=1),
# Authorization: Bearer TOKEN too: the access token is hidden ("[hidden]")
# in the message emailcfg shows, for a given token (EMAILCFG_TOKEN) and for
# one the client fetched, and is nowhere in stdout, stderr (with -v) or the
# SQLite cache.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
EMAILCFG_SIM_ECHO_HEADERS=1 sim_start
client_env

# A given token, with the characters a bearer token may have beyond letters.
TOKEN='eyJ0eXAi.Echo/Token+Value=='
EMAILCFG_TOKEN="$TOKEN" run_rc 1 ec -v sync
assert_contains "$ERR" "the organization refused" "the organization's refusal"
assert_contains "$ERR" "Authorization: Bearer [hidden]" "the echoed token is hidden"
assert_not_contains "$ERR$OUT" "Echo/Token" "the given token is not shown"
assert_not_contains "$ERR$OUT" "Echo\\/Token" "the given token is not shown (JSON)"

# A fetched token: whatever follows "Bearer " is the mark.
run_rc 1 ec -v sync
assert_contains "$ERR" "Authorization: Bearer [hidden]" "the fetched token is hidden"
case "$ERR" in *"Bearer "[!\[]*) fail "a token is shown: $ERR" ;; esac
sim_ctl GET signin >/dev/null
for f in "$T"/*.db*; do
	[ -f "$f" ] || continue
	if grep -qF -- "$TOKEN" "$f"; then fail "the token is in $f"; fi
done
echo "client_org_echo: ok"
