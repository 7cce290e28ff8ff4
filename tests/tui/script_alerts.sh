#!/bin/sh
# script_alerts.sh — the Alerts screen against `emailcfg alerts --summary` on
# one cache (the demo organization synced from the emulator): the same
# groups in the same order at every severity; the header says which view
# and severity; L filters by severity, v lists every alert newest first;
# t on a group tags exactly its mailboxes in Mailboxes (a / T / e then act
# on them).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }

# The cause column of a dump's group rows (a 200-column screen without the
# status panel shows whole titles): the rows under the column headings up to
# the first blank line, after the three leading columns, trailing blanks cut.
dump_causes() {
	tui_dump "$1" | awk '/^Severity +Alerts +Mailboxes +Cause/ { on = 1; next }
		on && /^ *$/ { exit } on' | cut -c33- | sed 's/ *$//'
}
cli_titles() { # --summary --json output in $OUT
	n=$(jout len .)
	i=0
	while [ $i -lt "$n" ]; do
		jout get .$i.title
		i=$((i + 1))
	done
}

cat >"$T/levels" <<'EOS'
:wait-idle
p
4
:dump al-all
L
:dump al-error
L
:dump al-warning
L
:dump al-information
L
:dump al-again
v
:dump al-newest
L
L
L
:dump al-newest-info
q
EOS
tui_run 200x60 "$T/levels" --org "$SIM_URL" --cache "$C"

for level in all error warning information; do
	if [ $level = all ]; then run_rc 0 ec alerts --summary --json; else
		run_rc 0 ec alerts --summary --json --level $level; fi
	cli_titles >"$T/cli-$level"
	dump_causes al-$level >"$T/tui-$level"
	[ -s "$T/cli-$level" ] || [ $level = warning ] || fail "no $level groups in the demo"
	if ! diff -u "$T/cli-$level" "$T/tui-$level" >&2; then
		fail "the console's groups ($level) differ from alerts --summary"
	fi
	# every group of a filtered view has that severity
	if [ $level != all ]; then
		for s in $(jout each . level | sort -u); do assert_eq $level "$s" "severity of $level groups"; done
	fi
done
assert_contains "$(tui_dump al-all)" "Grouped by cause · all severities" "header: grouped, all"
assert_contains "$(tui_dump al-error)" "Grouped by cause · Error" "header: errors"
assert_contains "$(tui_dump al-information)" "Severity" "a severity column"
assert_eq "$(tui_dump al-all)" "$(tui_dump al-again)" "L four times comes back to all"

# Newest first: every alert, in the CLI's order (newest first).
run_rc 0 ec alerts --json
nall=$(jout len .)
assert_contains "$(tui_dump al-newest)" "Newest first · all severities · $nall alerts" "header: newest"
run_rc 0 ec alerts --json --level information
ninfo=$(jout len .)
assert_contains "$(tui_dump al-newest-info)" "Newest first · Information · $ninfo alerts" "newest, information"
first=$(jout get .0.text | cut -c1-40)
row=$(tui_dump al-newest-info | sed -n 4p)
assert_contains "$row" "Information" "first row's severity"
assert_contains "$row" "$first" "first row: the newest information alert"

# t on the top group tags exactly its mailboxes in Mailboxes, dropping tags
# made before (the first mailbox, tagged with Space, is not in the group).
run_rc 0 ec alerts --summary --json
top=$(jout get .0.mailboxes)
cause=$(jout get .0.cause)
[ "$top" -gt 1 ] || fail "the top group should touch several mailboxes, touches $top"
run_rc 0 ec alerts --json
jout each . cause >"$T/causes"
jout each . mailbox_id >"$T/ids"
paste "$T/causes" "$T/ids" | awk -F'\t' -v c="$cause" '$1 == c { print $2 }' | sort -u |
	while read -r id; do
		run_rc 0 ec mailbox "$id" --json
		jout get .name
	done | sort >"$T/group-names"
assert_eq "$top" "$(wc -l <"$T/group-names")" "the group's mailboxes by name"
cat >"$T/tag" <<'EOS'
:wait-idle
<Space>
:dump mb-before
4
t
:dump al-tagged
<End>
:dump al-tagged-end
q
EOS
tui_run 120x40 "$T/tag" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump mb-before)" "tagged 1" "one mailbox tagged before"
assert_contains "$(tui_dump al-tagged)" "tagged $top" "Mailboxes shows the group's mailboxes tagged"
# The list's rows (marker and name): tagged ones are exactly the group's.
rows() { tui_dump "$1" | sed -n '4,/^──/p' | grep -v '^──' | cut -c1-25 | sed 's/ *$//'; }
{ rows al-tagged; rows al-tagged-end; } | sort -u >"$T/rows"
grep '^\*' "$T/rows" | cut -c4- | sort >"$T/tagged-shown"
grep -v '^\*' "$T/rows" | cut -c4- | sort >"$T/untagged-shown"
[ -s "$T/tagged-shown" ] || fail "no row marked tagged"
assert_eq "" "$(comm -23 "$T/tagged-shown" "$T/group-names")" "tagged rows not in the group"
assert_eq "" "$(comm -12 "$T/untagged-shown" "$T/group-names")" "group's rows left untagged"

# A group of alerts about a server profile (the profile-wide warning) counts
# and tags that profile's failing mailboxes, as alerts --summary does.
run_rc 0 ec alerts --summary --json --level warning
assert_eq profile-wide "$(jout get .0.cause)" "the demo's first warning group"
nprofile=$(jout get .0.mailboxes)
[ "$nprofile" -ge 1 ] || fail "the profile-wide group should count the profile's failing mailboxes"
cat >"$T/profile" <<'EOS'
:wait-idle
4
L
:wait-idle
L
:wait-idle
:dump al-profile-group
t
:dump al-profile-tagged
q
EOS
tui_run 120x40 "$T/profile" --org "$SIM_URL" --cache "$C"
row=$(tui_dump al-profile-group | grep 'Many mailboxes on one server profile')
assert_contains "$row" "$(printf '%9d' "$nprofile")" "the console counts the profile's mailboxes"
assert_contains "$(tui_dump al-profile-tagged)" "tagged $nprofile" "t tags the profile's failing mailboxes"
# Newest first, the profile's alert names the profile, not its GUID.
# (the Mailbox column: 18 characters from the 30th)
who=$(tui_dump al-newest | grep 'More than 50 percent' | cut -c30-47)
assert_contains "$who" "server profile" "the profile named in the list"
echo "alerts screen: ok"
