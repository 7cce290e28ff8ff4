#!/bin/sh
# tmux_resize.sh — a resize repaints the whole terminal: from 50x12 (the
# "terminal too small" message) to 30x8, no part of the old message stays
# on the screen, and back at 100x30 the console draws again.
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

tmux_start 100 30 $EMAILCFG --org "$SIM_URL" --cache "$C"
tmux_wait "of 62 mailboxes"
tmux -S "$TMUX_SOCK" resize-window -x 50 -y 12
tmux_wait "terminal too small (50x12)"
tmux -S "$TMUX_SOCK" resize-window -x 30 -y 8
tmux_wait "(30x8)"
screen=$(tmux_screen)
case $screen in
*50x12* | *"need at least 60x16"*"need at least 60x16"*)
	echo "$screen" >&2
	fail "parts of the old message stay after the resize"
	;;
esac
# Only the lines the new message draws: nothing else on the screen.
lines=$(echo "$screen" | grep -c '[^ ]' || true)
[ "$lines" -le 6 ] || { echo "$screen" >&2; fail "$lines lines drawn at 30x8: old text stays"; }
tmux -S "$TMUX_SOCK" resize-window -x 100 -y 30
tmux_wait "of 62 mailboxes"
tmux_keys q
