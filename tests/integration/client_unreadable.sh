#!/bin/sh
# client_unreadable.sh — rows the client cannot read fully never stop a sync
# and are never removed by it. A row holding an option value newer than the
# client is stored as its number ("7 (unknown)", 7 in --json) and an edit of
# another field sends that field alone; a row whose name is not UTF-8 is
# stored with U+FFFD; a row whose id reads as null is reported by its place
# and holds back removals; rows sent with a column of the wrong type keep
# their cached values, marked, and the report stops at ten lines.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 300 --seed 11 --max-page 100 -v
client_env

run_rc 0 ec sync
ids=$(ec mailboxes --json | $JSON_GET each . id)
odd=$(echo "$ids" | sed -n 10p)
noid=$(echo "$ids" | sed -n 20p)
badtext=$(echo "$ids" | sed -n 30p)
gone=$(echo "$ids" | sed -n 40p)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($odd)" '{"incomingemaildeliverymethod":7}')" "odd value"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($noid)" '{"_sim_null_id":true,"name":"Nobody Knows"}')" "null id"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($badtext)" "$(printf '{"name":"Bad \377\376 name"}')")" "bad UTF-8"
# Changes on every page, and one mailbox deleted.
for n in 50 150 250 290; do
	id=$(echo "$ids" | sed -n ${n}p)
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" "{\"name\":\"Later $n\"}")" "change $n"
done
assert_eq 204 "$(sim_ctl DELETE "mailboxes($gone)")" "delete"

# One line per row, naming it and the field; exit 1; the rest is synced.
run_rc 1 ec sync
assert_contains "$ERR" "($odd): field 'incomingemaildeliverymethod': value 7 is newer than this emailcfg" "odd line"
assert_contains "$ERR" "('Nobody Knows') has no readable id" "null id line"
assert_contains "$ERR" "of page " "null id: its page"
assert_contains "$ERR" "($badtext): field 'name': invalid UTF-8" "bad text line"
assert_contains "$ERR" "3 rows the organization sent could not be read fully" "summary line"
assert_contains "$OUT" "removals held back" "the summary says nothing was removed"
run_rc 0 ec mailboxes --filter 'name:Later' --json
assert_eq 4 "$(echo "$OUT" | $JSON_GET len .)" "the rest of the page and later pages are synced"
run_rc 0 ec mailboxes --json
assert_eq 300 "$(echo "$OUT" | $JSON_GET len .)" "nothing removed while an id is unreadable"

# The value newer than the client: its number, never dropped.
run_rc 0 ec mailbox "$odd" --json
assert_eq 7 "$(echo "$OUT" | $JSON_GET get .incoming)" "the number in --json"
run_rc 0 ec mailbox "$odd"
assert_contains "$OUT" "7 (unknown)" "the number in the detail"
assert_contains "$OUT" "value 7 is newer than this emailcfg" "the mark in the detail"
run_rc 0 ec mailboxes
assert_contains "$OUT" "7 (unknown)" "the number in the table"
# The text: U+FFFD where the bytes were, marked.
run_rc 0 ec mailbox "$badtext"
assert_contains "$OUT" "Bad �� name" "U+FFFD in the name"
assert_contains "$OUT" "invalid UTF-8" "the mark"

# The organization's settings with a value newer than the client: stored
# as its number and reported too.
sim_token
org=$(sim_req GET 'organizations?$select=name' >/dev/null; jv 'value/0/organizationid')
assert_eq 200 "$(sim_ctl PATCH "organizations($org)" '{"emailconnectionchannel":5}')" "odd setting"
run_rc 1 ec sync
assert_contains "$ERR" "the organization's settings: field 'emailconnectionchannel': value 5 is newer" "settings line"
run_rc 0 ec settings --json
assert_eq 5 "$(echo "$OUT" | $JSON_GET get .process_email_using)" "the number in settings --json"
run_rc 0 ec settings
assert_contains "$OUT" "5 (unknown)" "the number in settings"
assert_eq 200 "$(sim_ctl PATCH "organizations($org)" '{"emailconnectionchannel":0}')" "repaired"

# --full keeps them all (removals still held back by the null id).
run_rc 1 ec sync --full
run_rc 0 ec mailboxes --json
assert_eq 300 "$(echo "$OUT" | $JSON_GET len .)" "--full removes nothing while an id is unreadable"

# An edit of another field sends that field alone and leaves 7 in place.
before=$(wc -l <"$SIM_LOG")
run_rc 0 ec mailbox set "$odd" username=odd.user
patch=$(tail -n +"$((before + 1))" "$SIM_LOG" | grep -A1 "^PATCH /api/data/v9.2/mailboxes($odd)")
assert_eq "  body keys: username" "$(echo "$patch" | grep "body keys")" "the PATCH carries the changed field alone"
assert_eq 200 "$(sim_ctl GET "mailboxes($odd)")" "read back"
assert_eq 7 "$(jv incomingemaildeliverymethod)" "7 stays on the organization"

# The id readable again: the deleted mailbox goes, the unreadable ones stay.
# The marked rows are already stored at their version, so this sync does
# not read them again nor report them (status still counts them).
assert_eq 200 "$(sim_ctl PATCH "mailboxes($noid)" '{"_sim_null_id":false}')" "id back"
run_rc 0 ec sync
assert_contains "$OUT" "stored 1 mailbox," "only the row whose id came back is read"
assert_contains "$OUT" "removed 1;" "the deleted mailbox is removed"
run_rc 0 ec mailboxes --json
assert_eq 299 "$(echo "$OUT" | $JSON_GET len .)" "only the deleted one went"
run_rc 2 ec mailbox "$gone"

# A column of the wrong type on every row: each keeps its cached values and
# gets a mark; ten lines, then "and N more"; --full removes none of them.
assert_eq 200 "$(sim_ctl POST config '{"quote_column":"testemailconfigurationretrycount"}')" "quote"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($(echo "$ids" | sed -n 60p))" '{"name":"Not taken"}')" "rename"
run_rc 1 ec sync --full
assert_eq 10 "$(echo "$ERR" | grep -c "should be a number, got string; kept as it was")" "ten lines"
assert_contains "$ERR" "and 2" "then how many more"
assert_contains "$OUT" "stored 0 mailboxes" "none stored"
assert_contains "$OUT" "removed 0;" "none removed"
run_rc 0 ec mailboxes --json
assert_eq 299 "$(echo "$OUT" | $JSON_GET len .)" "every unreadable row kept"
run_rc 0 ec mailboxes --filter 'name:"Not taken"' --json
assert_eq 0 "$(echo "$OUT" | $JSON_GET len .)" "kept as it was"
run_rc 0 ec mailbox "$(echo "$ids" | sed -n 60p)"
assert_contains "$OUT" "should be a number, got string" "marked"
run_rc 0 ec status --json
assert_eq 299 "$(echo "$OUT" | $JSON_GET get .not_read_fully)" "status counts the marked rows"
run_rc 0 ec status
assert_contains "$OUT" "Not read fully   299 rows" "status says so"
echo "client unreadable: ok"
