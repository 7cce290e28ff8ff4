#!/bin/sh
# client_sync.sh — a full sync of 12,345 generated mailboxes in pages of 500
# stores every row once with the keys of docs/cli.md; an incremental sync picks up
# rows changed behind the client's back and, through its id listing,
# removes deleted ones; a row holding an option value newer than the client
# is stored as its number, reported, and survives --full.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
# The version-listing path: the emulator offers no change tracking
# (client_sync_track.sh tests the delta links).
export EMAILCFG_SIM_NO_TRACK=1
sim_start --data none --generate 12345 --seed 7 --max-page 500 -v
client_env

run_rc 0 ec sync
assert_contains "$OUT" "stored 12345 mailboxes" "sync summary"
run_rc 0 ec mailboxes --json
assert_eq 12345 "$(echo "$OUT" | $JSON_GET len .)" "rows after the first sync"
assert_eq 12345 "$(echo "$OUT" | $JSON_GET each . id | sort -u | wc -l)" "distinct ids"
assert_eq "id name email owner_type owner incoming outgoing act incoming_status outgoing_status act_status approval server_profile server_profile_id enabled_incoming enabled_outgoing enabled_act test_scheduled test_completed_on state modified_on pending_edits conflict tests_stale" \
	"$(echo "$OUT" | $JSON_GET keys .0 | tr '\n' ' ' | sed 's/ $//')" "JSON keys"
ids=$(echo "$OUT" | $JSON_GET each . id)
[ "$(grep -c "GET /api/data/v9.2/mailboxes" "$SIM_LOG")" -ge 25 ] || fail "expected pages of 500"

# Behind the client's back: rename 10, delete 3.
i=0
for id in $(echo "$ids" | sed -n '100,109p'); do
	code=$(sim_ctl PATCH "mailboxes($id)" "{\"name\":\"Changed $i\"}")
	assert_eq 200 "$code" "control PATCH"
	i=$((i + 1))
done
gone=$(echo "$ids" | sed -n '200,202p')
for id in $gone; do
	code=$(sim_ctl DELETE "mailboxes($id)")
	case "$code" in 200|204) ;; *) fail "control DELETE answered $code" ;; esac
done

before=$(sim_seq)
run_rc 0 ec sync
# Stored: exactly the 10 changed rows, not 12,345.
assert_contains "$OUT" "stored 10 mailboxes" "only the changed rows are read again"
assert_contains "$OUT" "removed 3;" "the summary counts what was removed"
run_rc 0 ec mailboxes --filter 'name:Changed' --json
assert_eq 10 "$(echo "$OUT" | $JSON_GET len .)" "incremental sync picked up the changes"
# The incremental pull listed ids and versions alone, then read the changed
# rows by id.
sim_log_since "$before"
assert_contains "$(cat "$SIM_BODY")" "mailboxes?\$select=mailboxid,versionnumber,modifiedon,name&" \
	"version listing"
assert_contains "$(cat "$SIM_BODY")" "filter=mailboxid%20eq%20" "changed rows read by id"
run_rc 0 ec mailboxes --json
assert_eq 12342 "$(echo "$OUT" | $JSON_GET len .)" "an incremental sync removes deleted rows"
for id in $gone; do
	run_rc 2 ec mailbox "$id"
done

# A row holding an option value newer than the client is stored as its
# number, marked and reported (exit 1, the row and the field named);
# everything else is synced.
odd=$(echo "$ids" | sed -n 300p)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($odd)" '{"incomingemaildeliverymethod":7}')" "odd value"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($(echo "$ids" | sed -n 301p))" '{"name":"Also changed"}')" "a normal change"
run_rc 1 ec sync
assert_contains "$ERR" "($odd): field 'incomingemaildeliverymethod': value 7 is newer than this emailcfg" "the row's line"
assert_contains "$ERR" "1 row the organization sent could not be read fully" "the summary line"
run_rc 0 ec mailboxes --filter 'name:"Also changed"' --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "the other rows are synced"
run_rc 0 ec mailbox "$odd"
assert_contains "$OUT" "7 (unknown)" "the detail shows the number"
run_rc 1 ec sync --full
assert_contains "$OUT" "removed 0;" "--full removes nothing more"
run_rc 0 ec mailboxes --json
assert_eq 12342 "$(echo "$OUT" | $JSON_GET len .)" "--full kept the row it could not read fully"
echo "client sync: ok"
