#!/bin/sh
# script_key_names.sh — "KEY does nothing here" names the key as the help
# and the hints do (Right, Del, F5), never with curses' internal names: today
# commands_key_name (tui/commands.c) hands keyname() through, and the admin
# reads "KEY_RIGHT does nothing here", "KEY_DC does nothing here",
# "KEY_F(5) does nothing here".
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
cat >"$T/s" <<'EOS'
:wait-idle
4
:wait-idle
<Right>
:dump right
<Del>
:dump del
q
EOS
tui_run 120x40 "$T/s" --read-only --offline --cache "$C"
for d in right del; do
	msg=$(tui_dump $d | grep "does nothing here" || true)
	[ -n "$msg" ] || fail "$d: no 'does nothing here' message (the key may be bound now; pick another)"
	assert_not_contains "$msg" "KEY_" "$d: the key named as the admin knows it"
done
