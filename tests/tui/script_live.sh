#!/bin/sh
# script_live.sh — the live status panel: with EMAILCFG_REFRESH_SECONDS=1
# the console refreshes in the background; when the emulator's control
# endpoint flips a mailbox's incoming status behind our back, the next
# refresh changes the panel's counts and the row's symbol, while the
# selection stays on the same mailbox.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
EMAILCFG_REFRESH_SECONDS=1
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'name:"Ana Novak"' --json
ana=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq success "$(echo "$OUT" | $JSON_GET get .0.incoming_status)" "Ana's incoming before"

cat >"$T/live" <<EOS
:wait-idle
<Down>
:dump live-before
:wait-file $T/flipped
:wait-refresh
:wait-refresh
:dump live-after
q
EOS
tui_run 80x24 "$T/live" --org "$SIM_URL" --cache "$C" &
pid=$!
i=0
while [ ! -f "$D/live-before" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the console never dumped live-before"
	sleep 0.1
done
assert_eq 200 "$(sim_ctl PATCH "mailboxes($ana)" '{"incomingemailstatus":2}')" "flip"
touch "$T/flipped"
wait $pid || fail "the console script failed"
before=$(tui_dump live-before)
after=$(tui_dump live-after)
assert_contains "$before" "In  ✓ 30 ✗ 16" "counts before (short channel names at 80 columns)"
assert_contains "$after" "In  ✓ 29 ✗ 17" "counts after the refresh"
assert_contains "$(echo "$before" | grep 'Ana Novak')" "✓ ✓ ✓" "row before"
assert_contains "$(echo "$after" | grep 'Ana Novak')" "✗ ✓ ✓" "row after"
# The selection stayed on Ana Novak (row 2 of the list, the second line of the body).
assert_contains "$(sed -n 5p "$D/live-after.attr")" "SSSS" "selection kept"
assert_contains "$(sed -n 5p "$D/live-after")" "Ana Novak" "same mailbox selected"
