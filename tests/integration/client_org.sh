#!/bin/sh
# client_org.sh — one cache, one organization: a cache synced from one
# emulator refuses (exit 5, one line naming both) to sync another and is left
# untouched; --org URL of an organization that no [org] section names uses a
# cache of its own and none of the sections' credentials. A cache that records
# an organization id but no URL (made before the URL was recorded) has the id
# checked before anything is sent: another organization gets no edit.
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
# (no secret: auth is device-code, and nobody has signed in to it)
run_rc 4 env -u EMAILCFG_TENANT -u EMAILCFG_CLIENT_ID -u EMAILCFG_CLIENT_SECRET \
	-u EMAILCFG_AUTHORITY $EMAILCFG --org "$B" sync
assert_contains "$ERR" "not signed in to $B" "no credentials for an unknown organization"
[ ! -e "$T/prod.db" ] || fail "the cache of [org prod] was used for $B"
own=$XDG_CACHE_HOME/emailcfg/127.0.0.1-${B##*:}.db
[ -f "$own" ] || fail "no cache of its own at $own"
sim_log_since "$seq"
assert_eq 0 "$($JSON_GET len . <"$SIM_BODY")" "nothing sent to $B"
# With credentials of its own it syncs into that cache.
EMAILCFG_AUTHORITY=$B run_rc 0 $EMAILCFG --org "$B" sync
run_rc 0 $EMAILCFG --cache "$own" mailboxes --json
[ ! -e "$T/prod.db" ] || fail "the cache of [org prod] was used for $B"

# A cache from before the URL was recorded: the id only. Another organization
# (O: the demo data under another organization id) gets no edit, by sync or
# by mailbox set; the edit stays queued for A and goes there.
other=0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6
sed "s/f360d704-a982-5164-8ffe-c542940b5ef5/$other/g" data/demo-org.json >"$T/other-org.json"
sim_start --data "$T/other-org.json"
O=$SIM_URL
L=$T/legacy.db
EMAILCFG_AUTHORITY=$A run_rc 0 $EMAILCFG --org "$A" --cache "$L" sync
id=$($EMAILCFG --cache "$L" mailboxes --filter 'type:user act:server-side-sync' --json |
	$JSON_GET get .0.id)
run_rc 0 $EMAILCFG --offline --cache "$L" mailbox set "$id" act=none
entry=$($EMAILCFG --cache "$L" outbox --json | $JSON_GET get .0.id)
sqlite3 "$L" "delete from meta where key = 'org_url'"
seq=$(sim_seq)
only_reads() { # what ran: the other organization got no change (a token aside)
	sim_log_since "$seq"
	$JSON_GET each . method <"$SIM_BODY" >"$T/methods"
	$JSON_GET each . uri <"$SIM_BODY" >"$T/uris"
	if paste -d ' ' "$T/methods" "$T/uris" | grep -v ' /[^/]*/oauth2/' | grep -qv '^GET '; then
		fail "$1 sent a change to the other organization"
	fi
}
EMAILCFG_AUTHORITY=$O run_rc 5 $EMAILCFG --org "$O" --cache "$L" sync
only_reads sync
assert_contains "$ERR" "f360d704-a982-5164-8ffe-c542940b5ef5" "the cache's organization id named"
assert_contains "$ERR" "$other" "the other organization's id named"
assert_contains "$ERR" "--cache" "what to do"
EMAILCFG_AUTHORITY=$O run_rc 5 $EMAILCFG --org "$O" --cache "$L" mailbox set "$id" incoming=none
only_reads "mailbox set"
sim_ctl GET "mailboxes($id)" >/dev/null
assert_eq 1 "$(jv actdeliverymethod)" "the other organization's mailbox unchanged"
assert_eq "" "$(sqlite3 "$L" "select value from meta where key = 'org_url'")" \
	"the cache not bound to the other organization"
run_rc 0 $EMAILCFG --cache "$L" outbox --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "one edit, none queued for the other organization"
assert_eq "$entry" "$(echo "$OUT" | $JSON_GET get .0.id)" "the edit made on the cache"
assert_eq queued "$(echo "$OUT" | $JSON_GET get .0.state)" "the edit still queued"
EMAILCFG_AUTHORITY=$A run_rc 0 $EMAILCFG --org "$A" --cache "$L" sync
assert_contains "$OUT" "pushed 1 edit" "the edit went to its organization"
assert_eq "$A" "$(sqlite3 "$L" "select value from meta where key = 'org_url'")" \
	"the URL recorded once the id checked"
SIM_URL=$A
sim_ctl GET "mailboxes($id)" >/dev/null
assert_eq 2 "$(jv actdeliverymethod)" "the edit reached its organization"

# A cache that records neither: the first session that talks to an
# organization binds it, so the next one cannot push elsewhere.
sqlite3 "$L" "delete from meta where key in ('org_url', 'organization_id')"
EMAILCFG_AUTHORITY=$A run_rc 0 $EMAILCFG --org "$A" --cache "$L" mailbox set "$id" \
	act=server-side-sync
assert_eq "$A" "$(sqlite3 "$L" "select value from meta where key = 'org_url'")" \
	"an unbound cache bound by its first session"
EMAILCFG_AUTHORITY=$O run_rc 5 $EMAILCFG --org "$O" --cache "$L" sync
# An empty cache is not bound by a session that never got an answer (a
# mistyped URL): the right one syncs into it after.
run_rc 4 $EMAILCFG --org http://127.0.0.1:9 --cache "$T/new.db" sync
EMAILCFG_AUTHORITY=$A run_rc 0 $EMAILCFG --org "$A" --cache "$T/new.db" sync
echo "client org: ok"
