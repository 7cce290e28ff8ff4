#!/bin/sh
# script_ascii_separator.sh — under an ASCII locale no typographic character
# becomes '?' (issue 12, item 9). The Changes screen's title (and the Alerts
# screen's) joins its parts with '·' (tui/screen_changes.c, the ngettext
# strings), which the ASCII fallback does not map: "Since 12-07 02:10 (1d)
# ? 1 change ? +1 failing, 0 recovered".
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --json
A=$(printf '%s\n' "$OUT" | $JSON_GET get .0.id)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($A)" '{"incomingemailstatus":2}')" "A fails"
run_rc 0 ec sync
cat >"$T/s" <<'EOS'
:wait-idle
7
:wait-idle
:dump changes
4
:wait-idle
:dump alerts
q
EOS
LC_ALL=C LANG=C tui_run 120x40 "$T/s" --offline --cache "$C"
for d in changes alerts; do
	title=$(tui_dump $d | sed -n 2p)
	assert_not_contains "$title" "?" "$d: the title has no '?' in ASCII mode"
done
