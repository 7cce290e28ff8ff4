#!/bin/sh
# client_sync.sh — a full sync of 12,345 generated mailboxes in pages of 500
# stores every row once with the DESIGN keys; an incremental sync picks up
# rows changed behind the client's back; --full removes deleted ones.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 12345 --seed 7 --max-page 500 -v
client_env

run_rc 0 ec sync
assert_contains "$OUT" "12345 mailboxes" "sync summary"
run_rc 0 ec mailboxes --json
assert_eq 12345 "$(echo "$OUT" | $JSON_GET len .)" "rows after the first sync"
assert_eq 12345 "$(echo "$OUT" | $JSON_GET each . id | sort -u | wc -l)" "distinct ids"
assert_eq "id name email owner_type owner incoming outgoing act incoming_status outgoing_status act_status approval server_profile server_profile_id enabled_incoming enabled_outgoing enabled_act test_scheduled test_completed_on state modified_on pending_edits conflict" \
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
run_rc 0 ec mailboxes --filter 'name:Changed' --json
assert_eq 10 "$(echo "$OUT" | $JSON_GET len .)" "incremental sync picked up the changes"
# The incremental pull asked only for recent rows.
sim_log_since "$before"
assert_contains "$(cat "$SIM_BODY")" "modifiedon%20gt%20" "incremental filter"
run_rc 0 ec mailboxes --json
assert_eq 12345 "$(echo "$OUT" | $JSON_GET len .)" "an incremental sync keeps deleted rows"

# A row emailcfg cannot read (an option value it does not know) is skipped
# with a notice; everything else is synced, and the exit status says so.
odd=$(echo "$ids" | sed -n 300p)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($odd)" '{"incomingemaildeliverymethod":9}')" "odd value"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($(echo "$ids" | sed -n 301p))" '{"name":"Also changed"}')" "a normal change"
run_rc 1 ec sync
assert_contains "$ERR" "skipped a row of mailboxes" "the notice"
assert_contains "$ERR" "1 row the organization sent could not be read" "the summary line"
run_rc 0 ec mailboxes --filter 'name:"Also changed"' --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "the other rows are synced"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($odd)" '{"incomingemaildeliverymethod":2}')" "repaired"

run_rc 0 ec sync --full
assert_contains "$OUT" "removed 3" "full sync summary"
run_rc 0 ec mailboxes --json
assert_eq 12342 "$(echo "$OUT" | $JSON_GET len .)" "--full removed the deleted rows"
for id in $gone; do
	run_rc 2 ec mailbox "$id"
done
echo "client sync: ok"
