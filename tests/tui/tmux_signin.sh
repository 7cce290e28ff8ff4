#!/bin/sh
# tmux_signin.sh — the console's sign-in in a real terminal (tmux): with
# auth = device-code and no sign-in kept, the dialog with the address, the
# code and "Waiting for you to sign in…" is visible; once the emulator's
# control approves the code, the mailbox list of the first sync replaces
# it. No token the emulator issued is ever in the pane.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
command -v tmux >/dev/null || fail "tmux is not installed"
USER_NAME=tomaz@kovinoplast.example
sim_start --device-interval 1
export EMAILCFG_AUTHORITY="$SIM_URL"
trap 'tmux_done; command -v sim__cleanup >/dev/null && sim__cleanup; rm -rf "$T"' EXIT

tmux_start 100 30 sh
tmux_keys "PS1='$ '; stty sane" Enter
tmux_keys "clear; $EMAILCFG --org $SIM_URL --cache $C; echo \"EXIT=\$?\"" Enter
tmux_wait "Waiting for you to sign in"
tmux_wait "and enter the code"
tmux_screen >"$T/pane-dialog"
assert_contains "$(cat "$T/pane-dialog")" "$SIM_URL/devicelogin" "address visible"
[ "$(signin_approve)" = 204 ] || fail "approve"
tmux_wait "of 62 mailboxes" 30
tmux_wait "Aljaž Oblak"
tmux_screen >"$T/pane-list"
assert_contains "$(cat "$T/pane-list")" "Signed in as $USER_NAME" "status line"
assert_not_contains "$(cat "$T/pane-list")" "Waiting for you to sign in" "dialog gone"
tmux_keys q
tmux_wait "EXIT=0"

sim_ctl GET signin >/dev/null
n=$(jv 'issued/#')
[ "$n" -ge 2 ] || fail "only $n tokens issued"
i=0
while [ $i -lt "$n" ]; do
	tok=$(jv "issued/$i")
	for f in "$T/pane-dialog" "$T/pane-list"; do
		if grep -qF -- "$tok" "$f"; then fail "a token is in the pane ($f)"; fi
	done
	i=$((i + 1))
done
echo "tmux signin: ok"
