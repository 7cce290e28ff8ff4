#!/bin/sh
# script_error_code.sh — a mailbox's last sync error code of -1 (or any
# negative) is a value, not "none": the Mailbox form, `mailbox SEL` and
# `mailbox SEL --json` show it; a code the organization has not set stays
# empty (null).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
id=$(ec mailbox ana.novak@kovinoplast.si --json | $JSON_GET get .id)
assert_eq null "$(ec mailbox "$id" --json | $JSON_GET get .last_sync_error_code)" "none set: null"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" '{"lastsyncerror":"Sync stopped","lastsyncerrorcode":-1,"orgmarkedasprimaryforexchangesync":true}')" "code -1"
run_rc 0 ec sync
run_rc 0 ec mailbox "$id" --json
assert_eq -1 "$(echo "$OUT" | $JSON_GET get .last_sync_error_code)" "--json keeps -1"
run_rc 0 ec mailbox "$id"
assert_contains "$(echo "$OUT" | grep "Last sync error code")" "-1" "mailbox SEL shows -1"

printf ':wait-idle\n/Ana Novak\n<Enter>\n<Enter>\n:dump error-code-form\nq\n' >"$T/form"
tui_run 120x70 "$T/form" --offline --cache "$C"
assert_contains "$(tui_dump error-code-form | grep -A1 "Sync stopped")" "code" "the form's code line"
# The primary synchronization organization (read-only) on the same form.
assert_contains "$(tui_dump error-code-form | grep "Primary sync organization")" "yes: sync items with Exchange from this org only" "the form's primary org"
assert_contains "$(tui_dump error-code-form | grep -A1 "Sync stopped")" "-1" "shows -1"
echo "negative sync error codes: ok"
