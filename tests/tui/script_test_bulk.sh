#!/bin/sh
# script_test_bulk.sh — a Test & Enable of the active ones of 20,000
# generated mailboxes from the console, with the organization's own test (which never completes
# here): verdicts stream in while the rest wait (the mailboxes the rules
# refuse are judged at once), the header counts the rows per stage and the
# failures by cause, a failed row shows its cause; keys are answered
# throughout (another screen, the help, back); x stops the run, and every
# verdict reached is kept: the header's count is the cache's.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
EMAILCFG_SCRIPT_TIMEOUT=600
. tests/lib/tui.sh
set -e
N=20000
sim_start --data none --generate $N --seed 7 --never-complete
client_env
run_rc 0 ec sync
# The console opens on the Active Mailboxes view: t tags its mailboxes.
ACTIVE=$(sqlite3 "$C" "select count(*) from mailboxes where state = 0")
[ "$ACTIVE" -gt 19000 ] || fail "expected most of the $N mailboxes active, got $ACTIVE"
runs() { sqlite3 "$C" "select count(*) from test_runs" 2>/dev/null || echo 0; }
# Tells the script (":wait-file") once the cache holds some verdicts.
(
	i=0
	while [ "$(runs)" -lt 1 ] && [ $i -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	touch "$T/some-verdicts"
) &
cat >"$T/bulk" <<EOS
:wait-idle
t
T
<Right>
<Enter>
:wait-file $T/some-verdicts
:dump bulk-running
1
?
:dump bulk-help
<Esc>
6
:dump bulk-back
x
:wait-idle
:dump bulk-stopped
q
EOS
tui_run 120x40 "$T/bulk" --org "$SIM_URL" --cache "$C"
running=$(tui_dump bulk-running)
assert_contains "$running" "of $ACTIVE done" "the progress header"
assert_contains "$running" "running" "still running"
echo "$running" | grep -Eq "about [0-9]+ (s|min|h [0-9]+ min) left" || fail "no estimate of the time left"
for stage in rules approval connectivity scheduled waiting done; do
	echo "$running" | grep -q "$stage [0-9]" || fail "no count of stage $stage"
done
echo "$running" | grep -q "failed: [0-9]" || fail "no failures by cause"
echo "$running" | grep -q "failed: [A-Za-z]" || fail "no failed row with its cause"
echo "$running" | grep -q " waiting  *skip" && fail "a waiting row says skip"
assert_contains "$(tui_dump bulk-help)" "Help" "a key answered during the run"
assert_contains "$(tui_dump bulk-back)" "of $ACTIVE done" "back on the progress"
stopped=$(tui_dump bulk-stopped)
assert_contains "$stopped" "stopped" "rows not judged say so"
assert_contains "$stopped" "not judged" "and have no verdict"
assert_not_contains "$stopped" " left" "no estimate once stopped"
done_n=$(echo "$stopped" | sed -n "s/.*: \([0-9]*\) of $ACTIVE done.*/\1/p" | head -n 1)
[ -n "$done_n" ] && [ "$done_n" -gt 0 ] || fail "no verdict reached before x"
[ "$done_n" -lt $ACTIVE ] || fail "the run was not stopped midway"
assert_eq "$done_n" "$(sqlite3 "$C" "select count(distinct mailbox_id) from test_runs")" "every verdict reached is stored"
echo "$stopped" | grep -q "waiting [1-9]" && fail "stopped rows still counted as waiting"
echo "bulk test & enable from the console: ok"
