#!/bin/sh
# client_org.sh — one cache, one organization: a cache synced from one
# emulator refuses (exit 5, one line naming both) to sync another and is left
# untouched; --org URL of an organization that no [org] section names uses a
# cache of its own and none of the sections' credentials.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
A=$SIM_URL
sim_start
B=$SIM_URL

run_rc 0 $EMAILCFG --org "$A" --cache "$C" sync
before=$(sha256sum <"$C")
seq=$(sim_seq)
run_rc 5 $EMAILCFG --org "$B" --cache "$C" sync
assert_contains "$ERR" "$A" "the cache's organization named"
assert_contains "$ERR" "$B" "the other organization named"
assert_contains "$ERR" "--cache" "what to do"
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line"
assert_eq "$before" "$(sha256sum <"$C")" "cache untouched"
sim_log_since "$seq"
assert_eq 0 "$($JSON_GET len . <"$SIM_BODY")" "no request to the other organization"
# An edit is neither sent to the other organization nor queued for it.
id=$($EMAILCFG --cache "$C" mailboxes --json | $JSON_GET get .0.id)
run_rc 5 $EMAILCFG --org "$B" --cache "$C" mailbox set "$id" act=none
sim_log_since "$seq"
assert_eq 0 "$($JSON_GET len . <"$SIM_BODY")" "no edit sent to the other organization"
run_rc 0 $EMAILCFG --org "$A/" --cache "$C" sync

# An organization no section names: its own cache, no credentials of prod.
mkdir -p "$XDG_CONFIG_HOME/emailcfg"
printf 'prod-secret-0f7c\n' >"$T/prod.secret"
chmod 600 "$T/prod.secret"
cat >"$XDG_CONFIG_HOME/emailcfg/config" <<EOT
[org prod]
url = https://contoso.crm4.dynamics.com
tenant = $SIM_TENANT
client-id = $SIM_CLIENT_ID
client-secret-file = $T/prod.secret
authority = $B
cache = $T/prod.db
EOT
seq=$(sim_seq)
run_rc 5 env -u EMAILCFG_TENANT -u EMAILCFG_CLIENT_ID -u EMAILCFG_CLIENT_SECRET \
	-u EMAILCFG_AUTHORITY $EMAILCFG --org "$B" sync
assert_contains "$ERR" "no tenant" "no credentials for an unknown organization"
[ ! -e "$T/prod.db" ] || fail "the cache of [org prod] was used for $B"
own=$XDG_CACHE_HOME/emailcfg/127.0.0.1-${B##*:}.db
[ -f "$own" ] || fail "no cache of its own at $own"
sim_log_since "$seq"
assert_eq 0 "$($JSON_GET len . <"$SIM_BODY")" "nothing sent to $B"
# With credentials of its own it syncs into that cache.
EMAILCFG_AUTHORITY=$B run_rc 0 $EMAILCFG --org "$B" sync
run_rc 0 $EMAILCFG --cache "$own" mailboxes --json
[ ! -e "$T/prod.db" ] || fail "the cache of [org prod] was used for $B"
echo "client org: ok"
