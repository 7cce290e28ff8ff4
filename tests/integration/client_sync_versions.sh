#!/bin/sh
# client_sync_versions.sh — an incremental sync reads again exactly the rows
# that changed: it lists id, version and modifiedon of every mailbox,
# compares them with the cache, and reads the changed rows by id (a few) or
# by modifiedon (many, storing only the changed ones). Nothing changed: 0
# rows read, and the watermark follows the newest change; deleted rows are
# removed; after a bulk change the next sync reads nothing again. The first
# fill builds the sort indexes at its end, and indexes a cut-short fill left
# pending are built when the cache is next opened.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
# The version-listing path: the emulator offers no change tracking
# (client_sync_track.sh tests the delta links).
export EMAILCFG_SIM_NO_TRACK=1
sim_start --data none --generate 3000 --seed 5 --max-page 500 -v
client_env
indexes() {
	sqlite3 "$C" "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = \
'mailboxes' AND sql IS NOT NULL"
}
watermark() {
	sqlite3 "$C" "SELECT watermark FROM sync_state WHERE entity = 'mailboxes'"
}
# change FIRST LAST NAME: renames mailboxes FIRST..LAST (in id order) on the
# organization, one curl process.
change() {
	echo "$ids" | sed -n "$1,$2p" |
		sed "s|.*|url = \"$SIM_URL/_sim/mailboxes(&)\"\\noutput = /dev/null|" >"$T/curlcfg"
	curl -sS -g -f -X PATCH -H 'Content-Type: application/json' \
		--data-binary "{\"name\":\"$3\"}" -K "$T/curlcfg"
}
stored() {
	echo "$OUT" | sed -n 's/.*stored \([0-9]*\) mailboxes.*/\1/p'
}

run_rc 0 ec sync
assert_eq 3000 "$(stored)" "the first sync stores every mailbox"
assert_eq 16 "$(indexes)" "the indexes (15 sort keys, the versions) are built after the first fill"
assert_eq "" "$(sqlite3 "$C" "SELECT value FROM meta WHERE key = 'pending_indexes'")" \
	"no index left pending"
ids=$(sqlite3 "$C" "SELECT id FROM mailboxes ORDER BY id")

run_rc 0 ec sync
assert_eq 0 "$(stored)" "nothing changed: nothing read again"

# 100 changed and 5 deleted on the organization.
change 101 200 "Changed"
for id in $(echo "$ids" | sed -n '2901,2905p'); do
	assert_eq 204 "$(sim_ctl DELETE "mailboxes($id)")" "delete"
done
before_wm=$(watermark)
before=$(sim_seq)
run_rc 0 ec sync
assert_eq 100 "$(stored)" "exactly the 100 changed rows are read again"
assert_contains "$OUT" "removed 5;" "the deleted rows are removed"
run_rc 0 ec mailboxes --filter 'name:Changed' --json
assert_eq 100 "$(echo "$OUT" | $JSON_GET len .)" "the changes arrived"
sim_log_since "$before"
assert_eq 3 "$(grep -o 'filter=mailboxid%20eq%20' "$SIM_BODY" | wc -l)" \
	"read by id, 40 to a request"
newest=$(sqlite3 "$C" "SELECT max(modified_on) FROM mailboxes")
assert_eq "$newest" "$(watermark)" "the watermark follows the newest change"
[ "$(watermark)" \> "$before_wm" ] || fail "the watermark did not advance: $before_wm -> $(watermark)"

run_rc 0 ec sync
assert_eq 0 "$(stored)" "nothing changed since: nothing read again"
assert_eq "$newest" "$(watermark)" "the watermark stays"

# A bulk change of 1,500 (more than are read by id): the rows modified since
# the oldest change are read, only the changed ones stored; the next sync
# reads nothing again.
change 1001 2500 "Bulk"
# One more, pushed by this client, which stores the organization's answer:
# it is in the window but already current, so it is not stored again.
run_rc 0 ec mailbox set "$(echo "$ids" | sed -n 2600p)" username=pushed.user
before=$(sim_seq)
run_rc 0 ec sync
assert_eq 1500 "$(stored)" "the bulk change is read, the pushed row is not stored again"
sim_log_since "$before"
assert_contains "$(cat "$SIM_BODY")" "filter=modifiedon%20ge%20" "many changes: by modifiedon"
run_rc 0 ec sync
assert_eq 0 "$(stored)" "after the bulk change, nothing read again"
run_rc 0 ec mailboxes --filter 'name:Bulk' --json
assert_eq 1500 "$(echo "$OUT" | $JSON_GET len .)" "the bulk change arrived"

# A bulk change again, and one changed row whose modifiedon reads null: it
# is outside the modifiedon window, and is read by id after it.
change 1001 2500 "Again"
null_id=$(echo "$ids" | sed -n 50p)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($null_id)" '{"name":"Nullmod","modifiedon":null}')" \
	"a row changed with a null modifiedon"
run_rc 0 ec sync
assert_eq 1501 "$(stored)" "the bulk change and the row without a modifiedon are read"
run_rc 0 ec mailboxes --filter 'name:Nullmod' --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "the row without a modifiedon arrived"

# More than 1,000 such rows beside a bulk change: left for the next sync,
# with a notice, not skipped silently; that sync reads them.
change 1001 2500 "Third"
echo "$ids" | sed -n '2501,2900p;1,700p' |
	sed "s|.*|url = \"$SIM_URL/_sim/mailboxes(&)\"\\noutput = /dev/null|" >"$T/curlcfg"
curl -sS -g -f -X PATCH -H 'Content-Type: application/json' \
	--data-binary '{"name":"Nomod","modifiedon":null}' -K "$T/curlcfg"
run_rc 0 ec sync
assert_eq 1500 "$(stored)" "the bulk change is read"
assert_contains "$ERR" "1100 changed mailboxes were not in the modifiedon window" \
	"the rows left for the next sync are named"
assert_contains "$OUT" "1100 changed rows left for the next sync (run emailcfg sync again)" \
	"the summary says rows were left"
run_rc 0 ec sync
assert_eq 1100 "$(stored)" "the next sync reads them"
assert_not_contains "$OUT" "left for the next sync" "none left after it"
run_rc 0 ec mailboxes --filter 'name:Nomod' --json
assert_eq 1100 "$(echo "$OUT" | $JSON_GET len .)" "they arrived"

# A first fill cut short (here: its indexes dropped and left pending):
# the next open builds them.
sql=$(sqlite3 "$C" "SELECT 'CREATE INDEX IF NOT EXISTS ' || substr(sql, 14) || ';' FROM \
sqlite_schema WHERE name = 'mailboxes_email'")
sqlite3 "$C" "DROP INDEX mailboxes_email; INSERT INTO meta VALUES ('pending_indexes', '$sql')"
assert_eq 15 "$(indexes)" "one index dropped"
run_rc 0 ec mailboxes --sort email --json
assert_eq 16 "$(indexes)" "the pending index is built at open"
assert_eq "" "$(sqlite3 "$C" "SELECT value FROM meta WHERE key = 'pending_indexes'")" \
	"and no longer pending"
echo "client sync versions: ok"
