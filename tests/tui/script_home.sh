#!/bin/sh
# script_home.sh — the Mailboxes screen in script mode at 120x40, 80x24 and
# 60x16: columns that fit, the status panel, the filter as you type with
# Slovenian text (Enter keeps, Esc clears, an invalid filter keeps the last
# valid one), sort, find with n/N, tags, the help overlay, the panel toggle,
# "terminal too small" below 60x16, and the ASCII + monochrome fallbacks.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync

cat >"$T/home" <<'EOS'
:wait-idle
:dump home-SIZE
/Žu
:dump filter-typing-SIZE
<Enter>
:dump filter-kept-SIZE
/<C-u>type:nosuch
:dump filter-invalid-SIZE
<Enter>
<Esc>
:dump filter-cleared-SIZE
s
:dump sort-picker-SIZE
<Down><Down><Enter>
S
:dump sorted-SIZE
S
f
čer
<Enter>
:dump find-SIZE
n
N
<Home>
<Space><Space>
:dump tagged-SIZE
u
?
:dump help-SIZE
<Esc>
p
:dump nopanel-SIZE
p
:resize 50x15
:dump toosmall-SIZE
:resize SIZE
:dump restored-SIZE
q
EOS
for size in 120x40 80x24 60x16; do
	sed "s/SIZE/$size/g" "$T/home" >"$T/home.$size"
	tui_run "$size" "$T/home.$size" --org "$SIM_URL" --cache "$C"
	for d in home filter-typing filter-kept filter-invalid filter-cleared sort-picker sorted \
		find tagged help nopanel toosmall restored; do
		tui_expect "$d-$size"
	done
done

# What the dumps must show, whatever the expected files say.
assert_contains "$(tui_dump filter-kept-80x24)" "Matej Žužek" "Slovenian filter"
assert_contains "$(tui_dump filter-kept-80x24)" "1 of 62 mailboxes" "filtered count"
assert_contains "$(tui_dump filter-invalid-80x24)" "nosuch" "invalid filter explained"
assert_contains "$(tui_dump filter-invalid-80x24)" "1 of 62 mailboxes  filter: state:active Žu" "last valid filter kept"
assert_contains "$(tui_dump filter-cleared-80x24)" "60 of 62 mailboxes  filter: state:active  sort" "Esc cleared the typed filter, not the view (2 of the 62 are inactive)"
assert_contains "$(tui_dump toosmall-80x24)" "terminal too small" "too small"
assert_contains "$(tui_dump restored-60x16)" "mailboxes" "alive after resize"

# ASCII fallback and monochrome: no UTF-8 symbols, roles from attributes.
printf ':wait-idle\n:dump ascii-home-80x24\n<Down>\n/ana\n:dump ascii-filter-80x24\n' >"$T/ascii"
LC_ALL=C NO_COLOR=1 tui_run 80x24 "$T/ascii" --org "$SIM_URL" --cache "$C"
tui_expect ascii-home-80x24
tui_expect ascii-filter-80x24
if grep -q "$(printf '\342')" "$D/ascii-home-80x24"; then
	fail "the ASCII fallback printed UTF-8"
fi
