#!/bin/sh
# script_panel.sh — the status panel's numbers are the lists they open: each
# count clicked (or chosen with Left/Right and Enter once the panel has the
# focus) lists on the Mailboxes screen exactly as many mailboxes as it says,
# and as many as `emailcfg mailboxes --filter` lists with the same filter;
# the legend, "not used", "N pending (M blocking mail)"; the tabs 1-7 at
# 80x24 and the panel beside the list at 200x60.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
count() { ec mailboxes --json --filter "$1" | $JSON_GET len .; }

for size in 80x24 120x40 200x60; do
	printf ':wait-idle\n:dump panel-%s\n' "$size" >"$T/home"
	tui_run "$size" "$T/home" --org "$SIM_URL" --cache "$C"
	tui_expect "panel-$size"
done
home=$(tui_dump panel-80x24)
assert_contains "$home" "In  ✓ " "short channel names at 80 columns"
for tab in "1 Mail" "2 Set" "3 Prof" "4 Alrt" "5 Out" "6 Test" "7 Chg"; do
	assert_contains "$(echo "$home" | head -1)" "$tab" "tab $tab in the header at 80x24"
done
assert_contains "$home" "✓ success  ✗ failure  · not run  ○ not used" "legend"
assert_contains "$(tui_dump panel-200x60)" "✓ success  ✗ failure  · not run  ○ not used" "legend beside the list"
# The numbers are read at 120x40 (full names).
home=$(tui_dump panel-120x40)

# The number after TEXT in the panel (TEXT then a space then digits).
panel_num() {
	echo "$home" | sed -n "s/.*$1 \([0-9][0-9]*\).*/\1/p" | head -1
}

# Each channel's four numbers and the approvals: click, compare.
i=0
for ch in Incoming Outgoing ACT; do
	key=$(echo "$ch" | tr 'A-Z' 'a-z')
	for s in "✓:$key:SSS $key-status:success" "✗:$key:SSS $key-status:failure" \
		"·:$key:SSS -$key-status:success -$key-status:failure" "○:-$key:SSS"; do
		sym=${s%%:*}
		filter=${s#*:}
		# The channel's line: "Incoming ✓ 30 ✗ 16 · 8 ○ 6".
		line=$(echo "$home" | grep -o "$ch *✓ [0-9]* ✗ [0-9]* · [0-9]* ○ [0-9]*" | head -1)
		[ -n "$line" ] || fail "no $ch counts in the panel"
		n=$(echo "$line" | sed "s/.*$sym \([0-9]*\).*/\1/")
		prefix=$(echo "$line" | sed "s/\($sym [0-9]*\).*/\1/")
		i=$((i + 1))
		printf ':wait-idle\n:click-on %s\n:dump click-%s\n' "$prefix" "$i" >"$T/click"
		tui_run 120x40 "$T/click" --org "$SIM_URL" --cache "$C"
		got=$(tui_dump "click-$i" | sed -n 2p)
		assert_contains "$got" " of " "the Mailboxes list after clicking $ch $sym"
		listed=$(echo "$got" | sed -n 's/.* \([0-9][0-9]*\) of [0-9]* mailboxes.*/\1/p')
		assert_eq "$n" "$listed" "$ch $sym: the panel's number is what clicking it lists"
		assert_contains "$(tui_dump "click-$i")" "listing: view active, filter $filter" "$ch $sym applies its filter"
		assert_eq "$n" "$(count "state:active $filter")" "$ch $sym equals mailboxes --filter"
	done
done

# Approvals: "N pending (M blocking mail)", both lists.
line=$(echo "$home" | grep -o "approvals [0-9]* pending ([0-9]* blocking mail)")
[ -n "$line" ] || fail "no approvals line in the panel"
n=$(echo "$line" | sed 's/approvals \([0-9]*\) .*/\1/')
m=$(echo "$line" | sed 's/.*(\([0-9]*\) blocking.*/\1/')
printf ':wait-idle\n:click-on approvals %s pending\n:dump click-pending\n:click-on pending (%s blocking mail\n:dump click-blocking\n' "$n" "$m" >"$T/click"
tui_run 120x40 "$T/click" --org "$SIM_URL" --cache "$C"
for c in "pending:$n:-approval:approved -approval:rejected" \
	"blocking:$m:-approval:approved -approval:rejected -type:forward"; do
	what=${c%%:*}
	rest=${c#*:}
	want=${rest%%:*}
	filter=${rest#*:}
	got=$(tui_dump "click-$what" | sed -n 2p)
	assert_eq "$want" "$(echo "$got" | sed -n 's/.* \([0-9][0-9]*\) of [0-9]* mailboxes.*/\1/p')" "approvals $what: the number is what clicking it lists"
	assert_contains "$(tui_dump "click-$what")" "listing: view active, filter $filter" "approvals $what applies its filter"
	assert_eq "$want" "$(count "state:active $filter")" "approvals $what equals mailboxes --filter"
done

# The keyboard: the panel takes the focus (here by a click on its title, as
# the command table's key does), Right moves to the next number, Enter lists
# it; Esc gives the focus back.
cat >"$T/keys" <<'KEYS'
:wait-idle
:click-on ── Status
:dump focus-120x40
<Right>
:dump focus-right-120x40
<Enter>
:dump focus-enter-120x40
:click-on ── Status
<Esc>
:dump focus-esc-120x40
KEYS
tui_run 120x40 "$T/keys" --org "$SIM_URL" --cache "$C"
for d in focus focus-right focus-enter focus-esc; do
	tui_expect "$d-120x40"
done
assert_contains "$(tui_dump focus-120x40)" "Left/Right choose a number" "the focus says its keys"
assert_contains "$(tui_dump focus-enter-120x40)" "listing: view active, filter incoming:SSS incoming-status:failure" "Right then Enter: the second number"
# The chosen number is drawn selected (S), none after Esc.
grep -q S "$TUI_EXPECTED/focus-right-120x40.attr" || fail "no number drawn selected"
if tail -n 12 "$TUI_EXPECTED/focus-esc-120x40.attr" | grep -q S; then
	fail "a number stays selected after Esc"
fi
