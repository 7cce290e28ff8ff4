#!/bin/sh
# client_mailbox_whole.sh — the whole mailbox against the emulator: what an
# admin reads when a mailbox stops syncing (the demo's failing mailbox, its
# error text sanitized), the editable fields with their checks, the rules
# of issue 11 (Forward Mailbox needs an active forward mailbox, for a queue
# and as the organization's default; `mailbox defaults` leaves a queue's
# ACT alone; only forward and queue mailboxes delete processed email), and
# an address change: the organization resets approval and the test
# statuses, and the CLI says to run Test & Enable again.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
JSON_GET=${JSON_GET:-build/tests/tools/json-get}
run_rc 0 ec sync

# The demo's failing mailbox, as data/demo-org.json holds it.
run_rc 0 ec mailbox tomaz.petek@kovinoplast.si --json
j=$OUT
assert_eq 2023-03-01 "$(echo "$j" | $JSON_GET get .process_email_from)" "process from (a date)"
assert_eq false "$(echo "$j" | $JSON_GET get .delete_after_processing)" "delete"
assert_eq https://outlook.office365.com/EWS/Exchange.asmx "$(echo "$j" | $JSON_GET get .ews_url)" "ews"
assert_eq false "$(echo "$j" | $JSON_GET get .is_forward_mailbox)" "forward flag"
assert_eq 0 "$(echo "$j" | $JSON_GET get .processing_state)" "processing state"
assert_eq failure "$(echo "$j" | $JSON_GET get .mailbox_status)" "mailbox status"
assert_eq 2024-03-01T06:40:00Z "$(echo "$j" | $JSON_GET get .last_sync_on)" "last good sync"
assert_eq -2147220970 "$(echo "$j" | $JSON_GET get .last_sync_error_code)" "error code"
assert_eq 2024-03-08T10:01:00Z "$(echo "$j" | $JSON_GET get .last_sync_error_on)" "error time"
assert_contains "$(echo "$j" | $JSON_GET get .last_sync_error)" "MailboxNotApprovedException" "error text"
assert_eq false "$(echo "$j" | $JSON_GET get .org_primary_for_exchange_sync)" "primary sync org (the emulator's default)"
run_rc 0 ec mailbox tomaz.petek@kovinoplast.si
assert_contains "$OUT" "Last sync error code      -2147220970" "the detail: code (values in one column)"
assert_contains "$OUT" "Process email from        2023-03-01" "the detail: date"

# error:TEXT finds the failing mailbox by its error, in any letter case;
# -error: keeps every other mailbox, those without an error too.
run_rc 0 ec mailboxes --filter error:mailboxnotapproved --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "error: one mailbox"
assert_eq tomaz.petek@kovinoplast.si "$(echo "$OUT" | $JSON_GET get .0.email)" "error: which"
total=$(ec mailboxes --json | $JSON_GET len .)
run_rc 0 ec mailboxes --filter -error:MailboxNotApproved --json
assert_eq $((total - 1)) "$(echo "$OUT" | $JSON_GET len .)" "-error: the rest"

# The error text is the organization's: what a terminal would act on is
# shown, never sent to it.
ana=$(ec mailbox ana.novak@kovinoplast.si --json | $JSON_GET get .id)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($ana)" '{"lastsyncerror":"boom\u001b]0;owned\u0007 \u202egnp.exe","lastsyncerrorcode":5}')" "hostile error"
run_rc 0 ec sync
run_rc 0 ec mailbox "$ana"
assert_contains "$OUT" 'boom^[]0;owned^G <U+202E>gnp.exe' "sanitized in the detail"
if printf '%s' "$OUT" | grep -q "$(printf '\033')"; then fail "an ESC reached the output"; fi
run_rc 0 ec mailbox "$ana" --json
if printf '%s' "$OUT" | grep -q "$(printf '\033')"; then fail "an ESC reached the JSON"; fi

# Editable fields: a bad value is one line, exit 2, nothing queued.
run_rc 2 ec mailbox set "$ana" process-email-from=2024-02-30
assert_contains "$ERR" "takes a date like 2024-03-01" "bad date"
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line"
run_rc 2 ec mailbox set "$ana" ews-url=outlook.office365.com/EWS
assert_contains "$ERR" "is not an http:// or https:// URL" "bad url"
run_rc 0 ec outbox --json
assert_eq 0 "$(echo "$OUT" | $JSON_GET len .)" "nothing queued"
run_rc 0 ec mailbox set "$ana" process-email-from=2024-02-29 ews-url=https://mail.kovinoplast.si/EWS/Exchange.asmx
assert_eq "" "$ERR" "no retest hint for these keys"
sim_token
sim_req GET "mailboxes($ana)?\$select=processemailreceivedafter,ewsurl" >/dev/null
assert_eq 2024-02-29T00:00:00Z "$(jv processemailreceivedafter)" "the date at the organization"
assert_eq https://mail.kovinoplast.si/EWS/Exchange.asmx "$(jv ewsurl)" "the url at the organization"

# Only forward and queue mailboxes delete processed email.
run_rc 2 ec mailbox set "$ana" delete-after-processing=yes
assert_contains "$ERR" "[delete-forward-queue-only]" "a user's mailbox"
queue=$(ec mailboxes --filter type:queue --sort name --json | $JSON_GET get .0.id)
run_rc 0 ec mailbox set "$queue" delete-after-processing=yes
sim_req GET "mailboxes($queue)?\$select=processanddeleteemails" >/dev/null
assert_eq true "$(jv processanddeleteemails)" "a queue's mailbox"

# `mailbox defaults` on a queue: the organization's default ACT is
# server-side synchronization (data/demo-org.json), the queue's stays none.
run_rc 0 ec mailbox defaults "$queue"
assert_contains "$ERR" "hint: the last Test & Enable no longer applies; run: emailcfg test $queue" "defaults hint"
sim_req GET "mailboxes($queue)?\$select=actdeliverymethod,incomingemaildeliverymethod" >/dev/null
assert_eq 2 "$(jv actdeliverymethod)" "ACT of the queue untouched"
run_rc 2 ec mailbox set "$queue" act=server-side-sync
assert_contains "$ERR" "[act-users-only]" "ACT is for users"

# Forward Mailbox needs an active forward mailbox: the demo has one.
fwd=$(ec mailboxes --filter type:forward --json | $JSON_GET get .0.id)
run_rc 0 ec mailbox set "$queue" incoming=forward-mailbox
run_rc 0 ec mailbox set "$queue" incoming=server-side-sync
run_rc 0 ec mailbox set "$fwd" state=inactive
run_rc 2 ec mailbox set "$queue" incoming=forward-mailbox
assert_contains "$ERR" "[forward-needs-forward-mailbox]" "a queue, no active forward mailbox"
run_rc 2 ec settings set incoming=forward-mailbox
assert_contains "$ERR" "[forward-needs-forward-mailbox]" "the default, no active forward mailbox"
run_rc 0 ec mailbox set "$fwd" state=active
run_rc 0 ec settings set incoming=forward-mailbox
run_rc 0 ec settings set incoming=server-side-sync

# An address change: the organization sets approval back to pending and
# the statuses to not run; the CLI says what to run.
run_rc 0 ec mailbox --json "$ana"
assert_eq approved "$(echo "$OUT" | $JSON_GET get .approval)" "approved before"
assert_eq false "$(echo "$OUT" | $JSON_GET get .tests_stale)" "not stale before"
run_rc 0 ec mailbox set "$ana" email=ana.novak@kovinoplast.eu
assert_contains "$ERR" "run: emailcfg test $ana" "the hint"
run_rc 0 ec mailbox "$ana" --json
assert_eq pending "$(echo "$OUT" | $JSON_GET get .approval)" "approval reset"
assert_eq not-run "$(echo "$OUT" | $JSON_GET get .incoming_status)" "incoming reset"
assert_eq not-run "$(echo "$OUT" | $JSON_GET get .outgoing_status)" "outgoing reset"
assert_eq not-run "$(echo "$OUT" | $JSON_GET get .act_status)" "act reset"
assert_eq not-run "$(echo "$OUT" | $JSON_GET get .mailbox_status)" "mailbox status reset"
assert_eq true "$(echo "$OUT" | $JSON_GET get .tests_stale)" "marked stale"
run_rc 0 ec mailbox "$ana"
assert_contains "$OUT" "Test results: stale" "stale in the detail"
# ...and in the list, as the console marks it: '?' after the statuses in
# the table, tests_stale in --json and the last column of --csv, for the
# same mailboxes as `mailbox SEL` finds stale one by one (her, and the queue
# whose methods changed above).
run_rc 0 ec mailboxes --json
echo "$OUT" | $JSON_GET each . id >"$T/ids"
echo "$OUT" | $JSON_GET each . tests_stale >"$T/stale"
assert_contains "$(echo "$OUT" | $JSON_GET each . email | paste -d' ' - "$T/stale")" \
	"ana.novak@kovinoplast.eu true" "mailboxes --json: she is stale"
while read -r id; do
	ec mailbox "$id" --json | $JSON_GET get .tests_stale
done <"$T/ids" >"$T/stale.one"
cmp -s "$T/stale" "$T/stale.one" || fail "mailboxes --json and mailbox SEL --json disagree on tests_stale"
stale_n=$(grep -c true "$T/stale")
[ "$stale_n" -lt "$(wc -l <"$T/stale")" ] || fail "every mailbox stale"
run_rc 0 ec mailboxes --csv
OUT=$(printf "%s\n" "$OUT" | tr -d "\r") # CRLF lines, as RFC 4180 writes them
assert_eq tests_stale "$(echo "$OUT" | head -1 | awk -F, '{print $NF}')" "the CSV's last column"
assert_eq "$stale_n" "$(echo "$OUT" | grep -c ',true$')" "CSV rows stale"
assert_contains "$(echo "$OUT" | grep ',true$')" "ana.novak@kovinoplast.eu" "her CSV row"
run_rc 0 ec mailboxes
assert_contains "$(echo "$OUT" | grep 'ana.novak@')" "/-?" "'?' after the statuses in the table"
assert_eq "$stale_n" "$(echo "$OUT" | grep -v "^? after" | grep -cF '?')" "rows marked '?'"
assert_contains "$OUT" "? after STATUS: $stale_n mailboxes' approval" "the table says what '?' means"
run_rc 0 ec mailboxes --filter "ana novak"
assert_contains "$OUT" "? after STATUS: 1 mailbox's approval" "one mailbox"
# A test run from here is newer than the change: no longer stale.
run_rc 1 ec test "$ana" --local-only
run_rc 0 ec mailbox "$ana" --json
assert_eq false "$(echo "$OUT" | $JSON_GET get .tests_stale)" "tested again"
run_rc 0 ec mailboxes --csv
OUT=$(printf "%s\n" "$OUT" | tr -d "\r") # CRLF lines, as RFC 4180 writes them
assert_eq $((stale_n - 1)) "$(echo "$OUT" | grep -c ",true\$" || true)" "one CSV row fewer stale once she is tested"
echo "$OUT" | grep ",true\$" | grep -q "ana.novak@" && fail "her CSV row still stale"
# The same address in other letters is no new address.
run_rc 0 ec approve "$ana"
run_rc 0 ec mailbox set "$ana" email=Ana.Novak@kovinoplast.eu
run_rc 0 ec mailbox "$ana" --json
assert_eq approved "$(echo "$OUT" | $JSON_GET get .approval)" "case only: still approved"
# A generated organization: a mailbox that fails (any channel: its
# mailboxstatus is failure) carries an error text, and only such a one.
sim_start --data none --generate 200 --seed 5
client_env
C=$T/generated.db
run_rc 0 ec sync
failing=$(ec mailboxes --filter status:failure --json | $JSON_GET len .)
[ "$failing" -gt 0 ] || fail "no failing mailbox among 200"
run_rc 0 ec mailboxes --filter error:connectfailure --json
assert_eq "$failing" "$(echo "$OUT" | $JSON_GET len .)" "an error for each failing mailbox"
id=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec mailbox "$id" --json
assert_eq -2146233079 "$(echo "$OUT" | $JSON_GET get .last_sync_error_code)" "its code"

# The primary synchronization organization, set on the organization: read.
tomaz=$(ec mailboxes --filter state:active --json | $JSON_GET get .0.id)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($tomaz)" '{"orgmarkedasprimaryforexchangesync":true}')" "primary"
run_rc 0 ec sync
run_rc 0 ec mailbox "$tomaz" --json
assert_eq true "$(echo "$OUT" | $JSON_GET get .org_primary_for_exchange_sync)" "primary sync org in --json"
run_rc 0 ec mailbox "$tomaz"
assert_contains "$(echo "$OUT" | grep "Primary sync organization")" "yes" "and in the detail"
echo ok
