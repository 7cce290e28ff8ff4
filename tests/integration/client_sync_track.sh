#!/bin/sh
# client_sync_track.sh — change tracking: the first sync asks for it and
# keeps the delta link of mailboxes and alerts in the cache; the next
# incremental sync follows the link alone (no version listing): changed
# rows arrive, deleted rows leave, an edit queued on a row deleted on the
# organization stays in the outbox as with the listing; an expired token
# (400 0x80044352) makes the sync start over with one notice line and still
# get every change; an organization without tracking gets the listing.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 400 --seed 13 --max-page 100 -v
client_env
LISTING='mailboxes?$select=mailboxid,versionnumber,modifiedon,name&$count=true'
link() {
	sqlite3 "$C" "SELECT value FROM meta WHERE key = 'delta_link.$1'"
}
stored() {
	echo "$OUT" | sed -n 's/.*stored \([0-9]*\) mailboxes.*/\1/p'
}
field() { # field COLUMN ID
	sqlite3 "$C" "SELECT $1 FROM mailboxes WHERE id = '$2'"
}
rename() { # rename FIRST LAST NAME: mailboxes FIRST..LAST in id order
	for id in $(echo "$ids" | sed -n "$1,$2p"); do
		assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" "{\"name\":\"$3\"}")" "rename"
	done
}
# requests_since SEQ: the Web API GETs after SEQ, one a line.
requests_since() {
	sim_log_since "$1"
	$JSON_GET each . uri <"$SIM_BODY" | grep '^/api/' || true
}

run_rc 0 ec sync
assert_eq 400 "$(stored)" "the first sync reads every mailbox"
case "$(link mailboxes)" in
"$SIM_URL/api/data/v9.2/mailboxes?"*'$deltatoken='*) ;;
*) fail "no delta link of mailboxes kept: [$(link mailboxes)]" ;;
esac
[ -n "$(link alerts)" ] || fail "no delta link of alerts kept"
assert_not_contains "$(sqlite3 "$C" "SELECT group_concat(value) FROM meta")" "$SIM_CLIENT_SECRET" \
	"no secret in the cache's meta"
ids=$(sqlite3 "$C" "SELECT id FROM mailboxes ORDER BY id")
total=$(sqlite3 "$C" "SELECT count(*) FROM mailboxes")

# 12 renamed, 3 deleted, 1 created: the delta link alone brings them.
rename 11 22 "Tracked"
gone=$(echo "$ids" | sed -n '301,303p')
for id in $gone; do assert_eq 204 "$(sim_ctl DELETE "mailboxes($id)")" "delete"; done
assert_eq 201 "$(sim_ctl POST mailboxes '{"name":"Tracked new"}')" "create"
new=$(jv id)
first_link=$(link mailboxes)
before=$(sim_seq)
run_rc 0 ec sync
assert_eq 13 "$(stored)" "the 12 changed and the created one are read"
assert_contains "$OUT" "removed 3;" "the 3 deleted leave"
requests_since "$before" >"$T/req"
grep -q 'mailboxes?.*\$deltatoken=' "$T/req" || fail "the delta link was not followed: $(cat "$T/req")"
if grep -qF "$LISTING" "$T/req"; then fail "a version listing was read: $(cat "$T/req")"; fi
for id in $gone; do assert_eq "" "$(field id "$id")" "a deleted row left"; done
assert_eq "Tracked new" "$(field name "$new")" "the created row arrived"
assert_eq 12 "$(sqlite3 "$C" "SELECT count(*) FROM mailboxes WHERE name = 'Tracked'")" "renamed"
assert_eq "$((total - 3 + 1))" "$(sqlite3 "$C" "SELECT count(*) FROM mailboxes")" "row count"
[ "$(link mailboxes)" != "$first_link" ] || fail "the delta link did not move on"

# Nothing changed: nothing read, the link is the only request for mailboxes.
before=$(sim_seq)
run_rc 0 ec sync
assert_eq 0 "$(stored)" "nothing changed: nothing read"
assert_eq 1 "$(requests_since "$before" | grep -c '^/api/data/v9.2/mailboxes')" \
	"one request for mailboxes: the delta link"

# An edit queued on a row the organization then deletes: the row leaves the
# cache, the edit stays in the outbox (failed, with why), as with a listing.
victim=$(echo "$ids" | sed -n 50p)
run_rc 0 ec --offline mailbox set "$victim" username=pending.edit
assert_contains "$OUT" "queued" "queued offline"
assert_eq 204 "$(sim_ctl DELETE "mailboxes($victim)")" "delete the edited row"
ec sync >"$T/out" 2>"$T/err" || true
assert_eq "" "$(field id "$victim")" "the deleted row left the cache"
run_rc 0 ec outbox --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "the edit is still in the outbox"
assert_eq "$victim" "$(echo "$OUT" | $JSON_GET get .0.mailbox_id)" "on that row"
assert_eq failed "$(echo "$OUT" | $JSON_GET get .0.state)" "failed, not dropped"
assert_contains "$(echo "$OUT" | $JSON_GET get .0.error)" "no such row" "with why"

# The token expires: one notice, the listing, every change still arrives,
# and a new link is kept.
assert_eq 204 "$(sim_ctl POST track/expire)" "expire the tokens"
rename 101 105 "After expiry"
before=$(sim_seq)
run_rc 0 ec sync
assert_eq 5 "$(stored)" "the 5 changed rows arrive"
assert_eq 1 "$(echo "$ERR" | grep -c "no longer takes the change list of mailboxes")" \
	"one line says so"
assert_not_contains "$ERR" "error" "not an error"
requests_since "$before" >"$T/req"
grep -qF "$LISTING" "$T/req" || fail "no version listing after the refusal: $(cat "$T/req")"
assert_eq 5 "$(sqlite3 "$C" "SELECT count(*) FROM mailboxes WHERE name = 'After expiry'")" "arrived"
[ -n "$(link mailboxes)" ] || fail "no new delta link after starting over"
before=$(sim_seq)
run_rc 0 ec sync
assert_eq 0 "$(stored)" "then nothing to read"
if requests_since "$before" | grep -qF "$LISTING"; then fail "listing again after the new link"; fi

# The organization stops tracking mailboxes: the link is refused, the
# listing reads the changes, and no link is kept while it does not track.
assert_eq 200 "$(sim_ctl POST track '{"mailboxes":false}')" "tracking off"
rename 201 204 "Untracked"
run_rc 0 ec sync
assert_eq 4 "$(stored)" "the 4 changed rows arrive"
assert_eq "" "$(link mailboxes)" "no link kept"
[ -n "$(link alerts)" ] || fail "alerts still tracked"
rename 205 206 "Untracked"
before=$(sim_seq)
run_rc 0 ec sync
assert_eq 2 "$(stored)" "the listing alone finds the next changes"
requests_since "$before" >"$T/req"
grep -qF "$LISTING" "$T/req" || fail "no listing: $(cat "$T/req")"
if grep -q 'mailboxes?.*\$deltatoken=' "$T/req"; then fail "a delta link without tracking"; fi
echo "client sync track: ok"
