#!/bin/sh
# tmux_views.sh — views and Tab completion in a real terminal: the console
# opens on the view active; in the `/` prompt Tab completes a value, Tab
# again gives the next candidate (the short form the list shows) and the
# list follows with the view's filter and the typed one both applying; v
# picks the view inactive. Counts come from the CLI on the same cache.
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
total=$(ec mailboxes --json | $JSON_GET len .)
active=$(ec mailboxes --view active --json | $JSON_GET len .)
sss=$(ec mailboxes --view active --filter incoming:server-side-sync --json | $JSON_GET len .)
inactive=$(ec mailboxes --view inactive --json | $JSON_GET len .)
[ "$sss" -lt "$active" ] || fail "the demo needs active mailboxes not on SSS"

tmux_start 110 30 sh
tmux_keys "PS1='$ '; EMAILCFG_REFRESH_SECONDS=3600 $EMAILCFG --offline --cache $C; echo EXIT=\$?" Enter
tmux_wait "Active Mailboxes  $active of $total mailboxes  filter: state:active  sort"
tmux_keys /
tmux_keys -l "incoming:s"
tmux_keys Tab
tmux_wait "/incoming:server-side-sync"
tmux_keys Tab
tmux_wait "/incoming:SSS"
tmux_keys Enter
tmux_wait "Active Mailboxes  $sss of $total mailboxes  filter: state:active incoming:SSS  sort"
tmux_keys Escape
tmux_wait "Active Mailboxes  $active of $total mailboxes  filter: state:active  sort"
tmux_keys v
tmux_wait "Inactive Mailboxes                 inactive"
tmux_keys Down Enter
tmux_wait "Inactive Mailboxes  $inactive of $total mailboxes  filter: state:inactive  sort"
tmux_keys q
tmux_wait "EXIT=0"
echo "tmux views: ok"
