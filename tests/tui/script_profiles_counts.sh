#!/bin/sh
# script_profiles_counts.sh — the Profiles screen's mailbox counts come
# from the reader thread (one GROUP BY), never from the UI thread: with the
# reader held the screen opens at once with "..." for the counts, and the
# numbers appear when the reader's answer is let through.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
total=$(ec mailboxes --filter 'profile:"Microsoft Exchange Online"' --json | $JSON_GET len .)

cat >"$T/counts" <<'EOS'
:wait-idle
:reader async
:reader hold
3
:dump profiles-held
:reader release
:wait-reader
:dump profiles-counted
q
EOS
tui_run 120x30 "$T/counts" --offline --cache "$C"
held=$(tui_dump profiles-held | grep "^Microsoft Exchange Online")
assert_contains "$held" "..." "no count on the UI thread while the reader is held"
counted=$(tui_dump profiles-counted | grep "^Microsoft Exchange Online")
assert_not_contains "$counted" "..." "the reader's answer drawn"
assert_contains "$counted" " $total" "the profile's mailboxes counted"
echo "profile counts on the reader: ok"
