#!/bin/sh
# foundation_cli.sh — the cache-only commands on a cache filled through the
# codec from fixture files: exact --json keys, the filter language, CSV,
# sanitized tables and JSON, selectors and exit codes.
. tests/lib/assert.sh
set -e
F=tests/fixtures
C=$T/cache/test.db
$CACHE_LOAD "$C" --settings $F/organization.json --profiles $F/profiles.json \
	--mailboxes $F/mailboxes-page1.json --mailboxes $F/mailboxes-page2.json \
	--alerts $F/tracelogs.json

# The cache is private.
assert_eq 700 "$(stat -c %a "$T/cache")" "cache directory mode"
assert_eq 600 "$(stat -c %a "$C")" "cache file mode"

# --json prints exactly the contract's keys, in order.
run_rc 0 $EMAILCFG --cache "$C" mailboxes --json
want='id name email owner_type owner incoming outgoing act incoming_status outgoing_status act_status approval server_profile server_profile_id enabled_incoming enabled_outgoing enabled_act test_scheduled test_completed_on state modified_on pending_edits conflict tests_stale'
total=$(echo "$OUT" | $JSON_GET len .)
[ "$total" -ge 8 ] || fail "expected the fixture mailboxes, got $total"
i=0
while [ $i -lt "$total" ]; do
	keys=$(echo "$OUT" | $JSON_GET keys .$i | tr '\n' ' ' | sed 's/ $//')
	assert_eq "$want" "$keys" "keys of mailbox $i"
	i=$((i + 1))
done

# The filter language picks the right rows.
run_rc 0 $EMAILCFG --cache "$C" mailboxes --filter 'type:queue approval:pending' --json
n=$(echo "$OUT" | $JSON_GET len .)
[ "$n" -ge 1 ] || fail "no pending queue in the fixtures"
for t in $(echo "$OUT" | $JSON_GET each . owner_type); do assert_eq queue "$t" "type filter"; done
for a in $(echo "$OUT" | $JSON_GET each . approval); do assert_eq pending "$a" "approval filter"; done
# ...and every such row came back: count them in the whole list.
run_rc 0 $EMAILCFG --cache "$C" mailboxes --json
echo "$OUT" | $JSON_GET each . owner_type >"$T/types"
echo "$OUT" | $JSON_GET each . approval >"$T/approvals"
assert_eq "$(paste -d' ' "$T/types" "$T/approvals" | grep -c '^queue pending$')" "$n" \
	"the filter returned every pending queue"
# ...and the complement adds up.
run_rc 0 $EMAILCFG --cache "$C" mailboxes --filter '-type:queue' --json
others=$(echo "$OUT" | $JSON_GET len .)
run_rc 0 $EMAILCFG --cache "$C" mailboxes --filter 'type:queue' --json
queues=$(echo "$OUT" | $JSON_GET len .)
assert_eq "$total" "$((others + queues))" "type:queue + -type:queue"

# A bad filter is a usage error with one line.
run_rc 2 $EMAILCFG --cache "$C" mailboxes --filter 'colour:blue'
assert_contains "$ERR" "colour" "bad filter key named"
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one-line error"

# Sorting: descending by name is the reverse of ascending.
run_rc 0 $EMAILCFG --cache "$C" mailboxes --sort name --json
up=$(echo "$OUT" | $JSON_GET each . id)
run_rc 0 $EMAILCFG --cache "$C" mailboxes --sort -name --json
down=$(echo "$OUT" | $JSON_GET each . id | tac)
assert_eq "$up" "$down" "sort -name reverses sort name"

# The table of a hostile name carries no ESC byte and no raw C1/bidi bytes.
run_rc 0 $EMAILCFG --cache "$C" mailboxes
printf '%s' "$OUT" | grep -q "$(printf '\033')" && fail "ESC byte in the table output"
printf '%s' "$OUT" | grep -q "$(printf '\342\200\256')" && fail "U+202E in the table output"
assert_contains "$OUT" "^[]0;" "the OSC sequence is shown as text"
assert_contains "$OUT" "NAME" "table header"
# JSON escapes the override (json-c itself escapes ESC).
run_rc 0 $EMAILCFG --cache "$C" mailboxes --json
printf '%s' "$OUT" | grep -q "$(printf '\342\200\256')" && fail "U+202E in the JSON output"
assert_contains "$OUT" '\u202egnp.exe' "U+202E escaped in the JSON"
run_rc 0 $EMAILCFG --cache "$C" mailboxes --csv
printf '%s' "$OUT" | grep -q "$(printf '\033')" && fail "ESC byte in the CSV output"
assert_contains "$(echo "$OUT" | head -1)" "id,name,email,owner_type" "CSV header"
assert_eq "$((total + 1))" "$(printf '%s\n' "$OUT" | grep -c .)" "CSV rows"

# One mailbox by id, by email (any case) and by exact name.
id=$(echo "$up" | head -1)
run_rc 0 $EMAILCFG --cache "$C" mailbox "$id" --json
assert_eq "$id" "$(echo "$OUT" | $JSON_GET get .id)" "mailbox by id"
email=$(echo "$OUT" | $JSON_GET get .email)
name=$(echo "$OUT" | $JSON_GET get .name)
run_rc 0 $EMAILCFG --cache "$C" mailbox "$(echo "$email" | tr a-z A-Z)" --json
assert_eq "$id" "$(echo "$OUT" | $JSON_GET get .id)" "mailbox by email"
run_rc 0 $EMAILCFG --cache "$C" mailbox "$name" --json
assert_eq "$id" "$(echo "$OUT" | $JSON_GET get .id)" "mailbox by name"
run_rc 0 $EMAILCFG --cache "$C" mailbox "$id"
assert_contains "$OUT" "Alerts" "human mailbox view"
run_rc 2 $EMAILCFG --cache "$C" mailbox "nobody@nowhere.example"
assert_contains "$ERR" "no mailbox matches" "unknown selector"

# Settings, status and the outbox.
run_rc 0 $EMAILCFG --cache "$C" settings --json
assert_eq "process_email_using server_profile incoming outgoing act approve_users approve_queues alerts_errors alerts_warnings alerts_information notify_mailbox_owner correlation tracking_tokens tracking_prefix folder_tracking smart_matching track_internal_as_two allow_unresolved_recipients max_attachment_kb" \
	"$(echo "$OUT" | $JSON_GET keys . | tr '\n' ' ' | sed 's/ $//')" "settings keys"
run_rc 0 $EMAILCFG --cache "$C" settings
assert_contains "$OUT" "Approval" "settings groups"
run_rc 0 $EMAILCFG --cache "$C" status --json
assert_eq "$total" "$(echo "$OUT" | $JSON_GET get .mailboxes)" "status counts every mailbox"
run_rc 0 $EMAILCFG --cache "$C" status
assert_contains "$OUT" "incoming" "status table"
# The organization's URL (here from the environment) is shown as text too.
run_rc 0 env EMAILCFG_ORG="$(printf 'https://x.example/\033]0;t\007')" $EMAILCFG --cache "$C" status
printf '%s' "$OUT" | grep -q "$(printf '\033')" && fail "ESC byte in the status output"
assert_contains "$OUT" "x.example/^[]0;t^G" "the URL's OSC sequence shown as text"
run_rc 0 $EMAILCFG --cache "$C" outbox --json
assert_eq "[]" "$OUT" "empty outbox"
$CACHE_LOAD "$C" --outbox "$id" '{"incoming":"none"}'
run_rc 0 $EMAILCFG --cache "$C" outbox --json
assert_eq "$id" "$(echo "$OUT" | $JSON_GET get .0.mailbox_id)" "outbox entry"
assert_eq "queued" "$(echo "$OUT" | $JSON_GET get .0.state)" "outbox state"
run_rc 0 $EMAILCFG --cache "$C" mailbox "$id" --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET get .pending_edits)" "pending marker"

# Output that cannot be written is a failure, not truncated success.
run_rc 5 sh -c "$EMAILCFG --cache '$C' mailboxes --json >/dev/full"
assert_contains "$ERR" "cannot write the output" "full disk named"

# Usage and local errors have their exit codes.
run_rc 2 $EMAILCFG --cache "$C" frobnicate
run_rc 2 $EMAILCFG --cache "$C" mailboxes --bogus
run_rc 5 $EMAILCFG mailboxes
mkdir -p "$T/ro" && printf 'not a database at all, just text\n%.0s' $(seq 200) > "$T/ro/bad.db"
chmod 600 "$T/ro/bad.db"
run_rc 5 $EMAILCFG --cache "$T/ro/bad.db" mailboxes
assert_contains "$ERR" "bad.db" "damaged cache named"
run_rc 0 $EMAILCFG --version
assert_contains "$OUT" "emailcfg " "version"
run_rc 0 $EMAILCFG --help
for c in sync settings "settings set" mailboxes mailbox "mailbox set" "mailbox defaults" approve test status alerts outbox "outbox resolve" "outbox drop"; do
	assert_contains "$OUT" "  $c " "--help lists $c"
done
echo "foundation CLI: ok ($total mailboxes)"
