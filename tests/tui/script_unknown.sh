#!/bin/sh
# script_unknown.sh — a mailbox holding an option value newer than the
# client: the console's list and form show its number, "7 (unknown)", and
# the form says what the sync could not read.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'name:Podpora' --json
id=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" '{"incomingemaildeliverymethod":7}')" "odd value"
run_rc 1 ec sync

cat >"$T/unknown" <<EOS
:wait-idle
/Podpora
<Enter>
:dump unknown-list
<Enter>
:dump unknown-form
q
EOS
tui_run 120x40 "$T/unknown" --offline --cache "$C"
assert_contains "$(tui_dump unknown-list | grep Podpora)" "7 (unk" "the list shows the number"
assert_contains "$(tui_dump unknown-form)" "7 (unknown)" "the form shows the number"
assert_contains "$(tui_dump unknown-form)" "value 7 is newer than this emailcfg" "and why"
echo "console unknown value: ok"
