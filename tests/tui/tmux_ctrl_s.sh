#!/bin/sh
# tmux_ctrl_s.sh — Ctrl-S saves in a real terminal (tmux), whose line
# discipline has XON/XOFF flow control on (stty sane sets IXON): the console
# turns IXON off, so ^S reaches it instead of freezing the output; after
# quitting, the terminal has IXON back.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
command -v tmux >/dev/null || fail "tmux is not installed"
sim_start
client_env
run_rc 0 ec sync
trap 'tmux_done; command -v sim__cleanup >/dev/null && sim__cleanup; rm -rf "$T"' EXIT

tmux_start 100 30 sh
tmux_keys "PS1='$ '; stty sane" Enter
tmux_keys "clear; $EMAILCFG --org $SIM_URL --cache $C; echo \"EXIT=\$?\"; stty -a | tr ' ' '\\n' | grep -x -e ixon -e -ixon" Enter
tmux_wait "of 62 mailboxes"
tmux_keys 2
tmux_wait "Email Configuration Settings"
tmux_keys C-s
# With IXON the terminal would stop the output at ^S: nothing more drawn.
tmux_wait "nothing to save" 5
tmux_keys q
tmux_wait "EXIT=0"
sleep 0.2
tmux_screen | grep -qx "ixon" || { tmux_screen >&2; fail "IXON is not back after quitting"; }
echo ok
