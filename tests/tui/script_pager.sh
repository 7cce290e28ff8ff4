#!/bin/sh
# script_pager.sh — nothing cut without a way to read it (issue 12, item 2):
# on the Alerts screen at 80x24 and 120x40, the newest alert's text is cut in
# its row, and i opens the pager with the whole of it (the same words as
# `emailcfg alerts --json` gives), wrapped at word boundaries inside the
# box; a group's cause and fix read whole too; q closes the pager and the
# list is back as it was.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
# i is the command table's row for OP_READ (tui/commands.c)
$EMAILCFG --keys | grep -qF '| `i` |' || fail "no i row (OP_READ) in the command table"
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec alerts --json
newest=$(printf '%s\n' "$OUT" | $JSON_GET get .0.text)
[ ${#newest} -gt 60 ] || fail "the newest alert is too short to be cut: $newest"

# The pager's text: the lines inside its box (between the title line and
# the footer), the border cut off, joined; compared without white space,
# since wrapping turns spaces into line ends (what the box covers shows
# at its sides).
pager_text() { # DUMP WIDTH HEIGHT
	tui_dump "$1" | sed -n "3,$(($3 - 3))p" | sed -e "s/^[^│]*│//" -e "s/│[^│]*$//" | tr -d " \n"
}
squeeze() { printf '%s' "$1" | tr -d ' \n'; }

for size in 80x24 120x40; do
	w=${size%x*}
	h=${size#*x}
	cat >"$T/pager.$size" <<'EOS'
:wait-idle
4
v
:dump pg-list
i
:dump pg-alert
q
:dump pg-closed
v
i
:dump pg-group
<Esc>
q
EOS
	tui_run "$size" "$T/pager.$size" --org "$SIM_URL" --cache "$C"
	# the row cuts the text...
	if tui_dump pg-list | grep -qF -- "$newest"; then
		fail "$size: the newest alert fits its row; the test needs a cut one"
	fi
	# ...the pager shows all of it (the expected dump: inside the box)
	tui_dump pg-alert | head -2 | tail -1 | grep -q "Alert" ||
		fail "$size: no pager titled Alert: $(tui_dump pg-alert)"
	assert_contains "$(pager_text pg-alert "$w" "$h")" "$(squeeze "$newest")" "$size: the whole alert in the pager"
	assert_contains "$(tui_dump pg-alert)" "q or Esc close" "$size: the pager footer"
	# q closes it: the list is back
	[ "$(tui_dump pg-closed)" = "$(tui_dump pg-list)" ] || fail "$size: q did not give the list back"
	# a group: its cause and fix whole
	assert_contains "$(tui_dump pg-group)" "fix:" "$size: the group read whole"
	cp "$D/pg-alert" "$D/pager-alert-$size"
	cp "$D/pg-alert.attr" "$D/pager-alert-$size.attr"
	tui_expect "pager-alert-$size"
done

# The Outbox: i reads an entry whole, the mailbox by name and the change in
# words, its time local (TZ=UTC here: the stored time without its Z).
run_rc 0 ec --offline mailbox set Podpora outgoing=none
created=$(sqlite3 "$C" "SELECT created_on FROM outbox ORDER BY id DESC LIMIT 1")
cat >"$T/outbox.script" <<'EOS'
:wait-idle
5
i
:dump pg-outbox
q
EOS
tui_run 120x40 "$T/outbox.script" --offline --cache "$C"
assert_contains "$(tui_dump pg-outbox)" "Podpora" "the entry's mailbox by name"
assert_contains "$(tui_dump pg-outbox)" "Outgoing" "the change in words"
assert_contains "$(cat "$D/pg-outbox")" "queued  $(printf '%s' "$created" | sed 's/T/ /; s/Z$//')" "its state and local time"
echo ok
