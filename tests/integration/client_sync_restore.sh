#!/bin/sh
# client_sync_restore.sh — an organization restored from a backup lists
# LOWER versionnumbers and older modifiedon values than the cache holds; the
# next incremental sync still makes the cache equal the restored
# organization: rows changed after the backup get their old values (and
# versions) back, a row deleted after it returns, a row created after it
# goes, and the watermark goes back to the restored organization's newest
# change. The emulator's /_sim/snapshot and /_sim/restore play the backup.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 300 --seed 11 --max-page 100 -v
client_env
dump() {
	sqlite3 "$C" "SELECT id, name, version, modified_on FROM mailboxes ORDER BY id"
}
field() { # field COLUMN ID
	sqlite3 "$C" "SELECT $1 FROM mailboxes WHERE id = '$2'"
}
watermark() {
	sqlite3 "$C" "SELECT watermark FROM sync_state WHERE entity = 'mailboxes'"
}

run_rc 0 ec sync
ids=$(sqlite3 "$C" "SELECT id FROM mailboxes ORDER BY id")
a=$(echo "$ids" | sed -n 10p)
b=$(echo "$ids" | sed -n 200p)
d=$(echo "$ids" | sed -n 30p)
# The cache equals the organization now: this is what the backup holds.
backup=$(dump)
name_a=$(field name "$a")
version_a=$(field version "$a")
wm=$(watermark)
assert_eq 204 "$(sim_ctl POST snapshot)" "snapshot"

# After the backup: two renamed, one deleted, one created; synced.
sleep 1 # a modifiedon later than every row of the backup
for id in $a $b; do
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" '{"name":"After the backup"}')" "rename"
done
assert_eq 204 "$(sim_ctl DELETE "mailboxes($d)")" "delete"
assert_eq 201 "$(sim_ctl POST mailboxes '{"name":"Created after the backup"}')" "create"
new=$(jv id)
run_rc 0 ec sync
assert_eq "After the backup" "$(field name "$a")" "the rename arrived"
assert_eq 1 "$([ "$(field version "$a")" -gt "$version_a" ] && echo 1)" "at a higher version"
assert_eq "" "$(field id "$d")" "the deleted row left"
assert_eq "$new" "$(field id "$new")" "the created row arrived"
[ "$(watermark)" \> "$wm" ] || fail "the watermark did not move on: $(watermark) after $wm"

# The organization is restored from the backup: lower versions everywhere.
assert_eq 204 "$(sim_ctl POST restore)" "restore"
run_rc 0 ec sync
assert_eq "$name_a" "$(field name "$a")" "the old name is back"
assert_eq "$version_a" "$(field version "$a")" "at the old, lower version"
assert_eq "$d" "$(field id "$d")" "the deleted row is back"
assert_eq "" "$(field id "$new")" "the row created after the backup left"
assert_eq "$backup" "$(dump)" "the cache equals the restored organization, row for row"
assert_eq "$wm" "$(watermark)" "the watermark went back to the restored organization's newest"

# And it stays so: nothing is read again.
run_rc 0 ec sync
assert_contains "$OUT" "stored 0 mailboxes" "nothing changed since"
echo "client sync restore: ok"
