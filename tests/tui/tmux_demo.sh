#!/bin/sh
# tmux_demo.sh — `make demo` in a real terminal: the emulator starts on a
# loopback port with the demo organization, the console shows its mailboxes
# (Kovinoplast's), and q stops the emulator and removes the throwaway cache.
# (`-o all`: the build is the caller's; this runs only the demo recipe.)
. tests/lib/assert.sh
. tests/lib/tui.sh
set -e
command -v tmux >/dev/null || fail "tmux is not installed"
trap 'tmux_done; rm -rf "$T"' EXIT
mkdir -p "$T/tmp"
tmux_start 120 40 sh
tmux_keys "PS1='$ '; TMPDIR=$T/tmp EMAILCFG_REFRESH_SECONDS=3600 make --no-print-directory -o all -o emailcfg -o emailcfg-sim demo; echo DEMO-EXIT=\$?" Enter
tmux_wait "kovinoplast.si" 30
tmux_wait "of 62 mailboxes" 30
tmux_wait "Ana Novak" 30 # the list, not the first sync's "… 30 of 62 mailboxes"
screen=$(tmux_screen)
assert_contains "$screen" "Ana Novak" "a known demo mailbox"
assert_contains "$screen" "Kovinoplast d.o.o." "the demo organization by name"
ls "$T/tmp" | grep -q '^emailcfg-demo\.' || fail "no throwaway directory while running"
tmux_keys q
tmux_wait "DEMO-EXIT=0" 20
[ -z "$(ls "$T/tmp")" ] || fail "the demo left $(ls "$T/tmp") behind"
