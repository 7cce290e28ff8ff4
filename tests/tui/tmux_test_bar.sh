#!/bin/sh
# tmux_test_bar.sh — `emailcfg test` on a terminal draws a progress line on
# stderr while the organization's tests run (done of total, failures, the
# mailboxes at each stage as the console's Tests header counts them; on a
# narrow terminal still one line that fits), and
# clears it before the verdicts are printed; with stderr on a file there is
# no bar at all (no carriage return, no escape, nothing of it).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
command -v tmux >/dev/null || fail "tmux is not installed"
sim_start --test-delay 4
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter type:queue --json
n=$(echo "$OUT" | $JSON_GET len .)
[ "$n" -gt 1 ] || fail "too few queues to test ($n)"
trap 'tmux_done; command -v sim__cleanup >/dev/null && sim__cleanup; rm -rf "$T"' EXIT

tmux_start 200 20 sh
tmux_keys "PS1='$ '; stty sane" Enter
tmux_keys "clear; $EMAILCFG --org $SIM_URL --cache $C test --filter type:queue >$T/tty.out; echo EXIT=\$?" Enter
tmux_wait "of $n done" 60
screen=$(tmux_screen)
assert_contains "$screen" "Test & Enable [" "the bar is drawn"
assert_contains "$screen" "failed" "with the failures so far"
# The console's Tests header: every stage with its count.
expect_match "the stage counts" 'rules [0-9]+  approval [0-9]+  connectivity [0-9]+  scheduled [0-9]+  waiting [0-9]+  done [0-9]+' "$screen"
tmux_wait "EXIT=" 120
sleep 0.2
tmux_screen | grep -q "Test & Enable \[" && { tmux_screen >&2; fail "the bar was left on the screen"; }
grep -q "Test & Enable \[" "$T/tty.out" && fail "the bar went to stdout"
assert_eq "$n" "$(grep -c '^[^ ].*: \(pass\|FAIL\|nothing to test\) (' "$T/tty.out")" "a verdict per queue on stdout"

# A narrow terminal: still one line that fits, with the stages that hold
# mailboxes (the bar and the empty stages make way first).
tmux -S "$TMUX_SOCK" resize-window -t 0 -x 72 -y 20
tmux_keys "clear; $EMAILCFG --org $SIM_URL --cache $C test --filter type:queue >$T/narrow.out; echo EXIT2=\$?" Enter
tmux_wait "of $n done" 60
screen=$(tmux_screen)
line=$(printf '%s\n' "$screen" | grep "of $n done")
[ "$(printf '%s' "$line" | wc -m)" -lt 72 ] || fail "the line does not fit 72 columns: [$line]"
printf '%s\n' "$screen" | sed '/^$/d' | tail -1 | grep -q "of $n done" ||
	{ printf '%s\n' "$screen" >&2; fail "the line wrapped onto the next"; }
expect_match "stages that hold mailboxes" '(scheduled|waiting|done) [1-9]' "$line"
tmux_wait "EXIT2=" 120

# stderr on a file: no bar.
ec test --filter type:queue >"$T/file.out" 2>"$T/file.err" || true
grep -q "Test & Enable \[" "$T/file.err" && fail "a bar in a file"
tr -d '\n' <"$T/file.err" | grep -q "$(printf '\r')\|$(printf '\033')" && fail "terminal control in a file"
assert_eq "$n" "$(grep -c '^[^ ].*: \(pass\|FAIL\|nothing to test\) (' "$T/file.out")" "the same verdicts"
echo "test progress bar on a terminal only: ok"
