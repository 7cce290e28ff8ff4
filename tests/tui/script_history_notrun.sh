#!/bin/sh
# script_history_notrun.sh — a failing channel that goes to "not run" (its
# delivery method switched off) did not recover, it stopped being checked:
# the status panel's last-sync line and the Changes screen's heading count
# it neither as failing nor as recovered, while a real recovery counts.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --sort name --json
A=$(jout get .0.id)
B=$(jout get .1.id)
[ -n "$B" ] || fail "the generated organization has too few succeeding mailboxes"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($A)" '{"incomingemailstatus":2}')" "A fails"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($B)" '{"incomingemailstatus":2}')" "B fails"
run_rc 0 ec sync
assert_eq 200 "$(sim_ctl PATCH "mailboxes($A)" \
	'{"incomingemailstatus":0,"incomingemaildeliverymethod":0}')" "A's incoming is switched off"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($B)" '{"incomingemailstatus":1}')" "B recovers"
run_rc 0 ec sync

cat >"$T/notrun.script" <<EOS
:wait-idle
:dump panel
7
:wait-idle
:dump changes
q
EOS
tui_run 120x40 "$T/notrun.script" --org "$SIM_URL" --cache "$C" --offline
assert_contains "$(tui_dump panel)" ": +0 failing, 1 recovered" \
	"B recovered; A stopped being checked"
# Within the day: A and B failed, B recovered, A went to not run.
assert_contains "$(tui_dump changes)" "4 changes · +2 failing, 1 recovered" "the Changes heading"
echo ok
