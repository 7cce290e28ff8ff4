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
3
:dump sl-profiles-$size
4
:dump sl-alerts-$size
5
:dump sl-outbox-$size
6
:dump sl-tests-$size
7
:dump sl-changes-$size
q
EOS
	tui_run "$size" "$T/sl.$size" --org "$SIM_URL" --cache "$C"
	for d in home mailbox picker-refused settings help profiles alerts outbox tests changes; do
		tui_expect "sl-$d-$size"
	done
done
