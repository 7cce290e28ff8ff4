#!/bin/sh
# script_mailbox_sync.sh — the Mailbox form of a mailbox that stopped
# syncing (the demo's Tomaž Petek, its error text made hostile at the
# emulator): Processing and Last synchronization show what the
# organization reported, the error's control characters made visible; a
# new address saved offers "Test & Enable now?" (No first), Yes opens Test
# & Enable's own choices, and the test results are marked stale.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
id=$(ec mailbox tomaz.petek@kovinoplast.si --json | $JSON_GET get .id)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" '{"lastsyncerror":"Mailbox locked\u001b]0;owned\u0007 \u202egnp.exe"}')" "hostile error"
run_rc 0 ec sync

cat >"$T/form" <<'EOS'
:wait-idle
/Tomaž Petek
<Enter>
<Enter>
:dump sync-form
<Enter>
<C-u>tomaz.petek@kovinoplast.eu
<Enter>
w
:dump sync-offer
<Right>
<Enter>
:dump sync-yes
<Esc>
:wait-idle
:dump sync-stale
q
EOS
tui_run 120x70 "$T/form" --org "$SIM_URL" --cache "$C"
form=$(tui_dump sync-form)
assert_contains "$form" "Process email from" "the date's row"
assert_contains "$form" "https://outlook.office365.com/EWS/Exchange.asmx" "the EWS URL"
printf '%s\n' "$form" | grep -Eq "Mailbox status +✗ Failure" || fail "the mailbox status: $form"
assert_contains "$form" "Mailbox locked^[]0;owned^G <U+202E>gnp.exe" "the error, made visible"
assert_contains "$form" "-2147220970" "the error code"
if grep -q "$(printf '\033')" "$D/sync-form"; then fail "an ESC reached the screen"; fi
assert_contains "$(tui_dump sync-offer)" "Test & Enable now?" "a new address offers a test"
assert_contains "$(tui_dump sync-offer)" "[ No ] [ Yes ]" "No first"
assert_contains "$(tui_dump sync-yes)" "Local checks only" "Yes opens Test & Enable's choices"
assert_contains "$(tui_dump sync-stale)" "stale: the methods, profile or address changed" "marked stale"
run_rc 0 ec mailbox "$id" --json
assert_eq true "$(echo "$OUT" | $JSON_GET get .tests_stale)" "stale for the CLI too"
assert_eq pending "$(echo "$OUT" | $JSON_GET get .approval)" "approval reset by the organization"
echo "mailbox sync form: ok"
