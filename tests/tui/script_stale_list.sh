#!/bin/sh
# script_stale_list.sh — the Mailboxes list marks a mailbox whose approval
# and test results predate a change of methods, profile or address (the
# Mailbox form's stale line, asked in the list's own query): a '?' after
# the I O A symbols, in colour and in ASCII without colour; a change of
# another key (process-email-from) marks nothing.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec --offline mailbox set ana.novak@kovinoplast.si outgoing=none
run_rc 0 ec --offline mailbox set matej.zuzek@kovinoplast.si process-email-from=2026-01-01

stale_script() {
	printf ':wait-idle\n/ana novak\n<Enter>\n:dump %s\n/\n<C-u>\nmatej\n<Enter>\n:dump %s\n' "$1" "$2" >"$T/stale"
}
stale_script stale-list stale-other
tui_run 100x16 "$T/stale" --offline --cache "$C"
tui_expect stale-list
assert_contains "$(tui_dump stale-list | grep "Ana Novak")" "?approved" "the changed mailbox is marked"
assert_contains "$(tui_dump stale-other)" "Matej Žužek" "the other mailbox listed"
assert_not_contains "$(tui_dump stale-other | grep "Matej Žužek")" "?" "another key's change marks nothing"

stale_script stale-list-ascii stale-other-ascii
LC_ALL=C NO_COLOR=1 tui_run 100x16 "$T/stale" --offline --cache "$C"
tui_expect stale-list-ascii
assert_contains "$(tui_dump stale-list-ascii | grep "Ana Novak")" "?approved" "marked in ASCII without colour"
echo "stale marks in the list: ok"
