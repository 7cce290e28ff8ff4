#!/bin/sh
# script_slovenian.sh — the console under LANGUAGE=sl at 80x24 and 120x40:
# the Mailboxes screen with its status panel, the Mailbox form with the
# outgoing chooser showing a refused option and its reason, Email
# Configuration Settings and the help overlay, and the other screens at
# 80x24. Every word the admin reads is Slovenian (the dumps), the longer
# words still fit (nothing cut without i), and the English run is unchanged
# (the other script tests).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
export LANGUAGE=sl

for size in 80x24 120x40; do
	cat >"$T/sl.$size" <<EOS
:wait-idle
:dump sl-home-$size
/Podpora
<Enter>
<Enter>
:dump sl-mailbox-$size
<Down><Down><Down><Down>
<Enter>
<Up>
<Enter>
:dump sl-picker-refused-$size
<Esc>
<Esc>
<Esc>
2
:wait-idle
:dump sl-settings-$size
?
:dump sl-help-$size
q
q
EOS
	tui_run "$size" "$T/sl.$size" --org "$SIM_URL" --cache "$C"
	for d in home mailbox picker-refused settings help; do
		tui_expect "sl-$d-$size"
	done
done

# The other screens at the narrow size, where the longer words are tightest.
printf ':wait-idle\n3\n:dump sl-profiles-80x24\n4\n:dump sl-alerts-80x24\n5\n:dump sl-outbox-80x24\n6\n:dump sl-tests-80x24\n7\n:dump sl-changes-80x24\nq\n' >"$T/sl.more"
tui_run 80x24 "$T/sl.more" --org "$SIM_URL" --cache "$C"
for d in profiles alerts outbox tests changes; do
	tui_expect "sl-$d-80x24"
done
# Nothing the admin reads on them is left in English.
for d in home-80x24 mailbox-80x24 settings-80x24 alerts-80x24 profiles-80x24; do
	for word in Mailboxes Settings Alerts Outbox " open " " help " " quit" Severity Cause; do
		assert_not_contains "$(tui_dump "sl-$d")" "$word" "English '$word' on sl-$d"
	done
done
