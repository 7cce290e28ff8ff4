#!/bin/sh
# script_empty.sh — a brand-new, empty cache under --offline: every screen
# opens and says what is missing instead of failing (no settings, no
# profiles, no alerts, an empty outbox).
. tests/lib/assert.sh
. tests/lib/tui.sh
set -e
cat >"$T/empty" <<'EOS'
:wait-idle
:dump empty-mailboxes
4
:dump empty-alerts
3
:dump empty-profiles
5
:dump empty-outbox
6
:dump empty-tests
2
:dump empty-settings
q
EOS
tui_run 80x24 "$T/empty" --offline --cache "$T/empty.db"
assert_contains "$(tui_dump empty-mailboxes)" "0 of 0" "an empty list"
assert_contains "$(tui_dump empty-settings)" "no settings in the cache yet" "settings say why"
echo "empty cache: ok"
