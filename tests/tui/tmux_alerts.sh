#!/bin/sh
# tmux_alerts.sh — the Alerts screen's keys in a real terminal (tmux): 4
# opens it grouped by cause, L shows errors only, v lists every alert
# newest first and back, and t on the top group (the unapproved addresses
# of the demo's 6 mailboxes) opens Mailboxes with those 6 tagged; q quits.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
command -v tmux >/dev/null || fail "tmux is not installed"
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec alerts --summary --json --level error
top=$(printf '%s\n' "$OUT" | $JSON_GET get .0.mailboxes)
trap 'tmux_done; command -v sim__cleanup >/dev/null && sim__cleanup; rm -rf "$T"' EXIT

tmux_start 120 40 sh
tmux_keys "PS1='$ '; stty sane" Enter
tmux_keys "clear; $EMAILCFG --org $SIM_URL --cache $C; echo EXIT=\$?" Enter
tmux_wait "of 62 mailboxes"
tmux_keys 4
tmux_wait "Grouped by cause · all severities"
tmux_keys L
tmux_wait "Grouped by cause · Error"
tmux_screen | grep -q "^Information" && fail "information shown under errors only"
tmux_keys v
tmux_wait "Newest first · Error"
tmux_keys v
tmux_wait "Grouped by cause · Error"
tmux_keys t
tmux_wait "tagged $top mailboxes"
tmux_wait "of 62 mailboxes  filter: state:active  tagged $top"
tmux_keys q
tmux_wait "EXIT=0"
echo "alerts in a terminal: ok"
