#!/bin/sh
# script_removed.sh — the console's live refresh (an incremental sync on
# the worker) removes a mailbox and the alerts the organization deleted
# behind its back: the Mailboxes list and the Alerts screen (newest first,
# where each alert's mailbox is named, information only: Ana Novak's is
# there) lose them.
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
run_rc 0 ec alerts "$ana" --json
ana_alerts=$(echo "$OUT" | $JSON_GET each . id)
[ -n "$ana_alerts" ] || fail "Ana Novak has no alerts in the demo data"

cat >"$T/removed" <<EOS
:wait-idle
:dump removed-before
4
v
L
L
L
:dump alerts-before
1
:wait-file $T/deleted
:wait-refresh
:wait-refresh
:dump removed-after
4
:dump alerts-after
q
EOS
tui_run 100x30 "$T/removed" --org "$SIM_URL" --cache "$C" &
pid=$!
i=0
while [ ! -f "$D/alerts-before" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the console never dumped alerts-before"
	sleep 0.1
done
assert_eq 204 "$(sim_ctl DELETE "mailboxes($ana)")" "delete the mailbox"
for id in $ana_alerts; do
	assert_eq 204 "$(sim_ctl DELETE "tracelogs($id)")" "delete an alert"
done
touch "$T/deleted"
wait $pid || fail "the console script failed"
assert_contains "$(tui_dump removed-before)" "Ana Novak" "listed before"
assert_not_contains "$(tui_dump removed-after)" "Ana Novak" "gone after the refresh"
assert_contains "$(tui_dump removed-before)" "62 mailboxes" "the panel before"
assert_contains "$(tui_dump removed-after)" "61 mailboxes" "the panel after"
assert_contains "$(tui_dump alerts-before)" "Information Ana Novak" "alert before"
assert_not_contains "$(tui_dump alerts-after)" "Ana Novak" "the alerts went too"
echo "console removals: ok"
