#!/bin/sh
# tmux_terminal.sh — the real binary in a real terminal (tmux): the console
# draws; `/` with Slovenian text filters; a mailbox named with an OSC title,
# OSC 52, CSI and U+202E leaves the pane's title and contents intact (shown
# as visible placeholders); resizing to 50x15 shows "terminal too small"
# and back keeps it alive; q, SIGTERM and SIGHUP each restore the terminal
# (alternate screen left, cursor visible, echo on).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
command -v tmux >/dev/null || fail "tmux is not installed"
sim_start
client_env
hostile=$(printf 'Evil\033]0;pwned\007 \033]52;c;aGk=\007 \033[2J \342\200\256gnp.exe')
body=$(printf '{"name":"%s","emailaddress":"evil@kovinoplast.si"}' "$hostile" |
	sed 's/\x1b/\\u001b/g; s/\x07/\\u0007/g')
assert_eq 201 "$(sim_ctl POST mailboxes "$body")" "insert the hostile mailbox"
run_rc 0 ec sync
trap 'tmux_done; command -v sim__cleanup >/dev/null && sim__cleanup; rm -rf "$T"' EXIT

tmux_start 100 30 sh
tmux_keys "PS1='$ '; stty sane" Enter
title_before=$(tmux_display '#{pane_title}')
run_console() {
	tmux_keys "clear; $EMAILCFG --org $SIM_URL --cache $C; echo \"EXIT=\$?\"; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo" Enter
	tmux_wait "of 63 mailboxes"
	tmux_wait "Aljaž Oblak" # the list, not a sync's "… 30 of 63 mailboxes"
}
check_restored() { # what
	tmux_wait "EXIT="
	sleep 0.2
	assert_eq 0 "$(tmux_display '#{alternate_on}')" "$1: alternate screen left"
	assert_eq 1 "$(tmux_display '#{cursor_flag}')" "$1: cursor visible"
	tmux_screen | grep -qx "echo" || { tmux_screen >&2; fail "$1: echo is not on"; }
}
console_pid() {
	ps -o pid= --ppid "$(tmux_display '#{pane_pid}')" | tr -d ' ' | head -n 1
}

run_console
assert_contains "$(tmux_screen)" "Aljaž Oblak" "the console draws"
tmux_keys /
tmux_keys -l "Žužek"
tmux_wait "1 of 63 mailboxes"
tmux_wait "Matej Žužek"
tmux_keys Enter
tmux_keys Escape
tmux_keys /
tmux_keys -l "evil"
tmux_wait "1 of 63 mailboxes"
tmux_keys Enter Enter
tmux_wait "<U+202E>gnp.exe"
screen=$(tmux_screen)
assert_contains "$screen" "<U+202E>" "bidi override shown, not obeyed"
assert_contains "$screen" "^[]52;c;aGk=^G" "OSC 52 shown, not obeyed"
assert_contains "$screen" "^[[2J" "CSI shown, not obeyed"
assert_contains "$screen" "Synchronization method" "the screen was not cleared"
assert_eq "$title_before" "$(tmux_display '#{pane_title}')" "pane title untouched"
tmux_keys Escape Escape
# Esc clears the typed filter; the view active stays (the demo's two
# inactive mailboxes are not listed).
active=$($EMAILCFG --offline --cache "$C" mailboxes --view active --json | $JSON_GET len .)
tmux_wait "$active of 63 mailboxes"

tmux -S "$TMUX_SOCK" resize-window -x 50 -y 15
tmux_wait "terminal too small"
tmux -S "$TMUX_SOCK" resize-window -x 100 -y 30
tmux_wait "of 63 mailboxes"
tmux_keys q
check_restored "q"

tmux_keys "clear" Enter
run_console
kill -TERM "$(console_pid)"
check_restored "SIGTERM"

tmux_keys "clear" Enter
run_console
kill -HUP "$(console_pid)"
check_restored "SIGHUP"
