#!/bin/sh
# script_forms.sh — the Mailbox form and the Email Configuration Settings
# form in script mode: sections, the incoming/outgoing pickers with the
# options the rules refuse shown disabled with the reason, a text field
# validated as you type, the "Discard changes?" guard (Cancel by default),
# saving through the outbox (the row is pending, then saved on the
# organization), the settings grouped as the product groups them, and
# --read-only refusing at the dispatcher.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync

for size in 120x40 80x24 60x16; do
	cat >"$T/form.$size" <<EOS
:wait-idle
/Podpora
<Enter>
<Enter>
:dump mailbox-$size
<Down><Down><Down><Down>
<Enter>
:dump picker-outgoing-$size
<Up>
<Enter>
:dump picker-refused-$size
<Esc>
<Up><Up><Up><Up><Up>
<Enter>
<C-u>not-an-address
:dump email-invalid-$size
<Esc>
<Down><Down><Down><Down><Down><Down>
<Enter>
:dump edited-$size
<Esc>
:dump discard-$size
<Enter>
:dump kept-$size
<Esc>
<Right>
:dump discard-choice-$size
<Enter>
:dump discarded-$size
2
:wait-idle
:dump settings-$size
<PgDn>
:dump settings-pgdn-$size
q
EOS
	tui_run "$size" "$T/form.$size" --org "$SIM_URL" --cache "$C"
	for d in mailbox picker-outgoing picker-refused email-invalid edited discard kept \
		discard-choice discarded settings settings-pgdn; do
		tui_expect "$d-$size"
	done
done
assert_contains "$(tui_dump picker-refused-80x24)" "queue mailbox cannot use" "refusal reason"
assert_contains "$(tui_dump email-invalid-80x24)" "not-an-address" "typed text"
assert_contains "$(tui_dump discard-80x24)" "Discard changes?" "guard"

# Save: ACT of a queue to none through the outbox; pending, then saved.
# A method changed: "Test & Enable now?" is offered; Esc declines.
cat >"$T/save" <<'EOS'
:wait-idle
/Podpora
<Enter>
<Enter>
<Down><Down><Down><Down>
<Enter>
<Home>
<Enter>
w
:dump offer-test
<Esc>
:dump saving
:wait-idle
:dump saved
<Esc>
:dump saved-list
2
<Down><Down><Down><Down><Down><Down>
<Enter>
:dump settings-edited
w
:wait-idle
:dump settings-saved
EOS
tui_run 80x24 "$T/save" --org "$SIM_URL" --cache "$C"
tui_expect saved
tui_expect saved-list
assert_contains "$(tui_dump offer-test)" "Test & Enable now?" "a saved change of a method offers a test"
assert_contains "$(tui_dump offer-test)" "[ No ] [ Yes ]" "No first: the default"
run_rc 0 ec mailboxes --filter 'name:Podpora' --json
assert_eq none "$(echo "$OUT" | $JSON_GET get .0.outgoing)" "outgoing saved on the organization"
assert_eq 0 "$(echo "$OUT" | $JSON_GET get .0.pending_edits)" "nothing pending after the push"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "outbox empty"
assert_contains "$(tui_dump settings-edited)" "edited, not saved" "settings edited"

# --read-only: the changing keys are refused at the dispatcher and hidden.
printf ':wait-idle\n:dump ro-home\nT\n:dump ro-refused\n<Enter>\ns\n:dump ro-form\n' >"$T/ro"
tui_run 80x24 "$T/ro" --org "$SIM_URL" --cache "$C" --read-only
tui_expect ro-home
tui_expect ro-refused
assert_contains "$(tui_dump ro-refused)" "--read-only" "refused"
assert_not_contains "$(tui_dump ro-home)" "T test" "hidden from the hints"
