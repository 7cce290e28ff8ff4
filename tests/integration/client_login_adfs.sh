#!/bin/sh
# client_login_adfs.sh — an on-premises organization behind AD FS, as the
# emulator serves it (/ORGNAME/api/data/v9.0/, /adfs/oauth2/...): auth = adfs
# with a client secret gets a token by client credentials with resource =
# the organization URL and pages through the 9.0 Web API (api-version's
# on-premises default); a wrong secret, an unknown client and an
# organization AD FS does not know each give exit 4 with the MSIS code
# explained; without a secret, `emailcfg login` signs in at AD FS 2019's
# device endpoint and later commands refresh silently; an AD FS without
# that endpoint (2016) is named; an authority not ending in /adfs is refused.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --device-interval 1
ORG=$SIM_URL/kovinarstvo
C=$T/onprem.db
export EMAILCFG_AUTH=adfs EMAILCFG_AUTHORITY=$SIM_URL/adfs
export EMAILCFG_CLIENT_ID=$SIM_CLIENT_ID EMAILCFG_CLIENT_SECRET=$SIM_CLIENT_SECRET
op() { $EMAILCFG --org "$ORG" --cache "$C" "$@"; }

# Client credentials at AD FS, the Web API at /ORGNAME/api/data/v9.0/.
seq=$(sim_seq)
EMAILCFG_PAGE_SIZE=10 run_rc 0 op -v sync
assert_contains "$ERR" "GET $ORG/api/data/v9.0/mailboxes" "9.0 on-premises path"
assert_not_contains "$ERR" "v9.2" "no 9.2 request"
sim_log_since "$seq"
uris=$($JSON_GET each . uri <"$SIM_BODY")
assert_contains "$uris" "/adfs/oauth2/token" "token from AD FS"
[ "$(printf '%s\n' "$uris" | grep -c '^/kovinarstvo/api/data/v9.0/mailboxes')" -gt 5 ] ||
	fail "did not page through the on-premises mailboxes"
run_rc 0 op mailboxes --csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -gt 50 ] || fail "mailboxes not stored"
# api-version can still be set.
EMAILCFG_API_VERSION=9.2 run_rc 1 op sync
assert_contains "$ERR" "v9.2" "api-version honoured"

# MSIS codes explained.
EMAILCFG_CLIENT_SECRET=wrong run_rc 4 op sync
assert_contains "$ERR" "AD FS refused the client secret (MSIS9622)" "wrong secret"
assert_not_contains "$ERR" "wrong" "secret not shown"
EMAILCFG_CLIENT_ID=00000000-0000-0000-0000-000000000009 run_rc 4 op sync
assert_contains "$ERR" "(MSIS9607)" "unknown client"
run_rc 4 $EMAILCFG --org "$SIM_URL/otherorg" --cache "$T/other.db" sync
assert_contains "$ERR" "(MSIS9605)" "organization AD FS does not know"

# Device code at AD FS 2019, for an admin without a client secret.
unset EMAILCFG_CLIENT_SECRET
export EMAILCFG_CLIENT_ID=51f81489-12ee-4a9e-aaae-a2591f45987d
login_start op
assert_contains "$(cat "$T/login.err")" "open $SIM_URL/adfs/oauth2/deviceauth" "AD FS address"
sim_ctl POST signin/approve '{"user":"KOVINOPLAST\\ana"}' >/dev/null
wait "$LOGIN_PID" || fail "AD FS login failed: $(cat "$T/login.err")"
assert_contains "$(cat "$T/login.err")" 'Signed in as KOVINOPLAST\ana' "AD FS user named"
run_rc 0 op sync
run_rc 0 op status
assert_contains "$OUT" "Signed in as KOVINOPLAST\\ana to $ORG until" "status"
sim_ctl POST signin/revoke >/dev/null
run_rc 4 op sync
assert_contains "$ERR" "run emailcfg login" "revoked at AD FS"
sim_stop

# AD FS 2016 has no device endpoint; an authority must end in /adfs.
sim_start --adfs-no-device
ORG=$SIM_URL/kovinarstvo
export EMAILCFG_AUTHORITY=$SIM_URL/adfs
run_rc 4 op login
assert_contains "$ERR" "does not offer device sign-in" "AD FS 2016"
EMAILCFG_AUTHORITY=$SIM_URL run_rc 2 op login
assert_contains "$ERR" "ending in /adfs" "authority shape"
sim_stop
echo "client login adfs: ok"
