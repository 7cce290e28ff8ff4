#!/bin/sh
# script_panel_failed_edit.sh — an edit the organization refused (state
# failed) never reached the organization, but the status panel shows only
# "queued edits 0  conflicts 0": once the "push failed" message is gone (any
# key clears it), nothing on the Mailboxes screen says an edit is lost.
# `emailcfg status` says "Queued edits 0 (conflicts 0, failed 1)"; the panel
# (and its history snapshot, which has no failed column) should too.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
assert_eq 200 "$(sim_ctl POST config '{"approver_role":"none"}')" "no approver"
run_rc 0 ec mailboxes --filter 'approval:pending type:user' --json
pending=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 1 ec approve "$pending"
run_rc 0 ec status
assert_contains "$OUT" "failed 1" "the CLI counts the refused edit"
printf ':wait-idle\n:dump panel\nq\n' >"$T/s"
tui_run 120x40 "$T/s" --offline --cache "$C"
panel=$(tui_dump panel | grep -E "queued edits")
assert_contains "$panel" "failed 1" "the panel counts the refused edit"
