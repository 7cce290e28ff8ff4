#!/bin/sh
# script_bulk_offer.sh — bulk D (apply defaults) and bulk e (set one field)
# on tagged mailboxes offer "Test & Enable now?" as the Mailbox form does
# after a change of methods, profile or address (No first; Yes opens Test
# & Enable's own choices on the mailboxes the batch changed); a bulk set of
# a key that calls for no test (process-email-from) offers nothing.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync

# Lea Fras and Simon Ravnikar: users with every method none, so the
# organization's defaults (server-side sync) change them.
cat >"$T/offer" <<'EOS'
:wait-idle
/Lea Fras
<Enter>
<Space>
/
<C-u>
Simon Ravnikar
<Enter>
<Space>
D
<Right>
<Enter>
:dump offer-defaults
<Right>
<Enter>
:dump offer-yes
<Esc>
/
<C-u>
Ana Novak
<Enter>
<Space>
e
<Down>
<Enter>
<Enter>
<Right>
<Enter>
:dump offer-set
<Enter>
:wait-idle
e
<Down><Down><Down><Down><Down><Down><Down>
<Enter>
2026-01-01
<Enter>
<Right>
<Enter>
:dump offer-none
q
EOS
tui_run 120x40 "$T/offer" --offline --cache "$C"
assert_contains "$(tui_dump offer-defaults)" "Test & Enable now?" "defaults offer a test"
assert_contains "$(tui_dump offer-defaults)" "of 2 mailboxes changed" "on the two changed"
assert_contains "$(tui_dump offer-defaults)" "[ No ] [ Yes ]" "No first"
assert_contains "$(tui_dump offer-yes)" "Local checks only" "Yes opens Test & Enable's choices"
assert_contains "$(tui_dump offer-yes)" "2 tagged mailboxes" "for the batch"
assert_contains "$(tui_dump offer-set)" "queued: outgoing=none" "the set queued"
assert_contains "$(tui_dump offer-set)" "Test & Enable now?" "a set of a method offers a test"
assert_contains "$(tui_dump offer-none)" "queued: process-email-from=2026-01-01" "the other set queued"
assert_not_contains "$(tui_dump offer-none)" "Test & Enable now?" "no test for a key that needs none"
echo "bulk offers Test & Enable: ok"
