#!/bin/sh
# script_nothing_cut.sh — nothing cut without a way to read it (issue 12), in
# English at 80x24 and 120x40:
# - the forms (Settings, a Mailbox, a server Profile, every row scrolled into
#   view): each label the form's own table holds (the script's :labels) is
#   shown whole whenever the screen has room for it beside a value of 24
#   columns or two fifths of the width; a longer one is cut with an ellipsis
#   and i reads it whole;
# - the help overlay: every command of the screen (`emailcfg --keys`) with
#   its whole help, wrapped, none cut;
# - a prompt: what is wrong with the value (a range) wrapped under the field;
# - the message line: a filter error listing the valid values (the CLI's own
#   words) is whole where it fits, and where it is cut the hint offers i and
#   i reads it whole;
# - a chooser: the reason a rule refuses an option (the CLI's refusal) read
#   whole with i;
# - screens 1-7: the hint line never cuts a hint (? help and q quit whole);
# - the Mailboxes and Profiles lists: i reads the selected row whole, also
#   the columns the width leaves out;
# - --read-only: a form is a view, the cursor marks the label, not the value.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
# The CLI's words, which the console must show whole somewhere.
run_rc 2 ec mailboxes --filter type:bogus
filter_error=$(printf '%s' "$ERR" | sed -e 's/^emailcfg: //' | head -1)
assert_contains "$filter_error" "use one of" "the filter error lists the valid values"
run_rc 2 ec mailbox set Podpora outgoing=outlook
refusal=$(printf '%s\n' "$ERR" | grep -o 'A queue mailbox cannot use[^.]*\.' | head -1)
[ -n "$refusal" ] || fail "no refusal of Outlook for a queue: $ERR"
run_rc 2 ec settings set max-attachment-kb=999999999
range_error=$(printf '%s\n' "$ERR" | grep -o "key 'max-attachment-kb'.*" | head -1)
assert_contains "$range_error" "131072" "the range of max-attachment-kb"

squeeze() { tr -d ' \n'; }
# The text inside an overlay's box (the border and what is beside it cut off).
boxed() { # DUMP
	tui_dump "$1" | sed -n '3,$p' | grep '│' | sed -e 's/^[^│]*│//' -e 's/│[^│]*$//'
}
width() { printf '%s' "$1" | wc -m; }

# check_labels DUMP COLS: each label on the form is whole when it has room.
check_labels() {
	_vmin=$(($2 * 2 / 5))
	[ $_vmin -ge 24 ] || _vmin=24
	_cap=$(($2 - 3 - _vmin))
	[ -s "$D/$1.labels" ] || fail "$1: no form labels on the screen"
	while IFS= read -r label; do
		[ -n "$label" ] || continue
		if [ "$(width "$label")" -le $_cap ]; then
			tui_dump "$1" | awk -v l="  $label " 'index($0 " ", l) == 1 { found = 1 } END { exit !found }' ||
				fail "$1: the label '$label' has room ($(width "$label") <= $_cap columns) but is not whole: $(tui_dump "$1")"
		else
			_cut=$(printf '%s' "$label" | sed -E "s/^(.{$((_cap - 1))}).*/\\1/")
			tui_dump "$1" | grep -qF -- "  $_cut… " ||
				fail "$1: the label '$label' wider than $_cap columns is not cut at $_cap with an ellipsis"
		fi
	done <"$D/$1.labels"
}

# The help texts of a screen, from the command table (`--keys`).
$EMAILCFG --keys | awk -F' [|] ' '/^\| `/ && ($2 == "everywhere" || $2 ~ /Settings/) {
	sub(/ \(not with --read-only\) \|$/, "", $3); sub(/ \|$/, "", $3); print $3 }' >"$T/settings-help"
[ "$(wc -l <"$T/settings-help")" -gt 20 ] || fail "too few Settings commands in --keys"

# form_steps NAME: the form at its top, a page down and its end, each dumped
# with the labels on screen.
form_steps() {
	for part in 1 2 3; do
		case $part in 2) echo "<PgDn>" ;; 3) echo "<End>" ;; esac
		printf ':dump %s-%s\n:labels %s-%s.labels\n' "$1" $part "$1" $part
	done
}

for size in 80x24 120x40; do
	w=${size%x*}
	{
		printf ':wait-idle\n2\n'
		form_steps nc-settings
		cat <<'EOS'
i
:dump nc-settings-read
q
<Enter>
999999999
:dump nc-prompt
<Esc>
?
:dump nc-help-1
<PgDn>
:dump nc-help-2
<End>
:dump nc-help-3
<Esc>
:dump nc-hint-2
1
:dump nc-hint-1
i
:dump nc-row-read
q
/type:bogus
<Enter>
:dump nc-message
i
:dump nc-message-read
q
/Podpora
<Enter>
<Enter>
EOS
		form_steps nc-mailbox
		cat <<'EOS'
<Home>
<Down><Down><Down><Down>
<Enter>
<Up>
:dump nc-chooser
i
:dump nc-chooser-read
q
<Esc>
<Esc>
3
:dump nc-hint-3
i
:dump nc-profile-row-read
q
e
EOS
		form_steps nc-profile
		cat <<'EOS'
<Esc>
4
:dump nc-hint-4
5
:dump nc-hint-5
6
:dump nc-hint-6
7
:dump nc-hint-7
q
EOS
	} >"$T/cut.$size"
	tui_run "$size" "$T/cut.$size" --org "$SIM_URL" --cache "$C"
	# the lists: the selected row whole (first: a script that went astray
	# after a missing pager would fail below for the wrong reason)
	assert_contains "$(boxed nc-row-read)" "Email: aljaz.oblak@kovinoplast.si" "$size: a mailbox row"
	assert_contains "$(boxed nc-row-read)" "Profile: Microsoft Exchange Online" "$size: a column left out"
	assert_contains "$(boxed nc-profile-row-read)" "Server type:" "$size: a profile row"

	# the forms' labels
	for d in nc-settings-1 nc-settings-2 nc-settings-3 nc-mailbox-1 nc-mailbox-2 nc-mailbox-3 \
		nc-profile-1 nc-profile-2 nc-profile-3; do
		check_labels "$d" "$w"
	done
	# i on a form: the selected field whole, and every row the form cuts
	assert_contains "$(boxed nc-settings-read | squeeze)" \
		"$(printf '%s' 'Maximum size of an attachment, in KB: 5120' | squeeze)" "$size: i on a field"
	if [ "$w" -lt 100 ]; then
		assert_contains "$(tui_dump nc-settings-3 | tail -1)" "i read" "$size: a cut form offers i"
		assert_contains "$(boxed nc-settings-read | squeeze)" \
			"$(printf '%s' 'Track email sent between two users as two activities: yes' | squeeze)" \
			"$size: i reads the cut labels whole"
	fi

	# a prompt: what is wrong with the value (the CLI's words) wrapped, whole
	assert_contains "$(boxed nc-prompt | squeeze)" "$(printf '%s' "$range_error" | squeeze)" \
		"$size: the range message whole"

	# the help overlay: every command's help whole
	help=$(for d in nc-help-1 nc-help-2 nc-help-3; do boxed $d | squeeze; echo; done)
	while IFS= read -r text; do
		assert_contains "$help" "$(printf '%s' "$text" | squeeze)" "$size: help of Settings"
	done <"$T/settings-help"
	if tui_dump nc-help-1 | grep -q '…│'; then
		fail "$size: a help line is cut: $(tui_dump nc-help-1)"
	fi

	# the message line: whole where it fits, else i reads it
	if [ $(($(width "kept the last valid filter: $filter_error"))) -le "$w" ]; then
		assert_contains "$(tui_dump nc-message)" "kept the last valid filter: $filter_error" \
			"$size: the filter error whole on the message line"
	else
		assert_contains "$(tui_dump nc-message | tail -1)" "i read" "$size: the hint offers i"
		assert_contains "$(boxed nc-message-read | squeeze)" "$(printf '%s' "$filter_error" | squeeze)" \
			"$size: i reads the message whole"
	fi

	# a chooser: the refused option's reason
	assert_contains "$(tui_dump nc-chooser)" "i read" "$size: the chooser offers i"
	assert_contains "$(boxed nc-chooser-read | squeeze)" "$(printf '%s' "$refusal" | squeeze)" \
		"$size: i reads the reason whole"

	# the hint line of every screen: no hint cut
	for s in 1 2 3 4 5 6 7; do
		hint=$(tui_dump nc-hint-$s | tail -1)
		assert_contains "$hint" "? help  q quit" "$size: screen $s's hint line ends whole"
		case "$hint" in *…) fail "$size: screen $s's hint line is cut: $hint" ;; esac
	done
	cp "$D/nc-settings-1" "$D/nothing-cut-settings-$size"
	cp "$D/nc-settings-1.attr" "$D/nothing-cut-settings-$size.attr"
	tui_expect "nothing-cut-settings-$size"
done

# --read-only: a form is a view; the cursor marks the label (what i reads),
# never the value as if it took typing (watched with the old highlight).
printf ':wait-idle\n2\n:dump nc-ro-settings\nq\n' >"$T/ro"
tui_run 80x24 "$T/ro" --org "$SIM_URL" --cache "$C" --read-only --offline
row=$(grep -n "How the organization processes email" "$D/nc-ro-settings" | cut -d: -f1)
[ -n "$row" ] || fail "no first field on the read-only Settings: $(tui_dump nc-ro-settings)"
col=$(sed -n "${row}p" "$D/nc-ro-settings" | awk '{ print index($0, "Server-Side") }')
roles=$(sed -n "${row}p" "$D/nc-ro-settings.attr")
[ "$(printf '%s' "$roles" | cut -c3)" = S ] || fail "read-only: the selected label is not marked: $roles"
case "$(printf '%s' "$roles" | cut -c"$col"-)" in
*S*) fail "read-only: the selected value is highlighted as if editable: $roles" ;;
esac
echo ok
