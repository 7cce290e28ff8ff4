#!/bin/sh
# script_screens.sh — Server profiles (list and detail), Alerts grouped by
# cause with counts (Enter lists the affected mailboxes, Enter opens one),
# the Outbox with a conflict resolved field by field (mine for one field,
# theirs for the other), the help overlay, and the Test & Enable screen
# before any run — at 120x40, 80x24 and 60x16.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync

for size in 120x40 80x24 60x16; do
	cat >"$T/screens.$size" <<EOS
:wait-idle
3
:dump profiles-$size
<Down>
<Enter>
:dump profile-detail-$size
<Esc>
4
:dump alerts-$size
<Enter>
:dump alert-members-$size
<Enter>
:dump alert-mailbox-$size
<Esc>
<Esc>
6
:dump tests-empty-$size
5
:dump outbox-empty-$size
q
EOS
	tui_run "$size" "$T/screens.$size" --org "$SIM_URL" --cache "$C"
	for d in profiles profile-detail alerts alert-members alert-mailbox tests-empty outbox-empty; do
		tui_expect "$d-$size"
	done
done
assert_contains "$(tui_dump alerts-120x40)" "Mailboxes" "alerts grouped"
assert_contains "$(tui_dump alert-mailbox-120x40)" "Alerts" "a mailbox's alerts"

# A conflict: two fields edited here while the organization changed both.
run_rc 0 ec mailboxes --filter 'name:"Ana Novak"' --json
ana=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($ana)" '{"actdeliverymethod":0,"outgoingemaildeliverymethod":0}')" "bump"
run_rc 3 ec mailbox set "$ana" act=none outgoing=outlook
cat >"$T/conflict" <<'EOS'
:wait-idle
:dump conflict-home
/Ana Novak
<Enter>
<Enter>
:dump conflict-form
c
:dump conflict-fields
m
o
:dump conflict-chosen
R
:wait-idle
:dump conflict-resolved
q
EOS
tui_run 120x40 "$T/conflict" --org "$SIM_URL" --cache "$C"
for d in conflict-form conflict-fields conflict-chosen conflict-resolved; do
	tui_expect "$d"
done
assert_contains "$(tui_dump conflict-fields)" "theirs" "mine/theirs/base columns"
run_rc 0 ec mailbox "$ana" --json
# The fields come in the order of the edit: act (mine: none), outgoing (theirs: none).
assert_eq none "$(echo "$OUT" | $JSON_GET get .act)" "act kept as mine"
assert_eq none "$(echo "$OUT" | $JSON_GET get .outgoing)" "outgoing taken from theirs"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "the conflict is resolved"
