#!/bin/sh
# script_form_refresh_settings.sh — the Email Configuration Settings form
# with an unsaved edit (a yes/no toggled) while the live refresh brings in
# another admin's change of another setting (the tracking prefix): the edit
# moves onto the fresh row, so `s` sends the toggle only and their prefix
# stays (form_rebase_edits, shared with the Mailbox and profile forms).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
EMAILCFG_REFRESH_SECONDS=1
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
ORG=$(sqlite3 "$C" "select id from settings")
org_settings() { # COLUMN
	sim_ctl GET "organizations($ORG)" >/dev/null
	jv "$1"
}

# The sixth editable row: "Raise mailbox alerts for errors" (yes -> no).
cat >"$T/edit" <<EOS
:wait-idle
2
<Down><Down><Down><Down><Down><Down>
<Enter>
:dump form-edited
:wait-file $T/changed
:wait-refresh
:wait-refresh
:dump form-refreshed
w
:wait-idle
:dump form-saved
q
EOS
tui_run 120x40 "$T/edit" --org "$SIM_URL" --cache "$C" &
pid=$!
tui_wait_dump form-edited
assert_contains "$(tui_dump form-edited)" "edited, not saved" "the toggle is an unsaved edit"
assert_eq 200 "$(sim_ctl PATCH "organizations($ORG)" '{"trackingprefix":"NEW:"}')" "their change"
touch "$T/changed"
wait $pid || fail "the console script failed"
assert_contains "$(tui_dump form-refreshed)" "NEW:" "the untouched prefix follows the organization"
assert_eq NEW: "$(org_settings trackingprefix)" "their prefix is not sent back as this admin's edit"
run_rc 0 ec outbox --json --all
assert_not_contains "$OUT" "tracking-prefix" "the saved entry holds the toggle only"
echo ok
