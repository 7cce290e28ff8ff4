#!/bin/sh
# output_hostile.sh — hostile mailbox names set in the emulator reach the
# CLI's outputs harmless: --csv cells that a spreadsheet would run as a
# formula are written '=..., a plain number keeps its sign; --json escapes C1
# controls, bidi marks and invisible characters as \u and still reads back as
# the same name; the human view shows them as <U+XXXX>; and the "try
# `emailcfg mailboxes --filter ...`" hint, pasted into sh, runs exactly that
# command and nothing else.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --json
set -- $(echo "$OUT" | $JSON_GET each . id | head -7)
[ $# -eq 7 ] || fail "the demo organization has fewer than 7 mailboxes"
rename() { # ID JSON_STRING
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($1)" "{\"name\":$2}")" "rename $1"
}
rename "$1" '"=HYPERLINK(\"http://evil.example/\",\"x\")"'
rename "$2" "\"+1+cmd|' /C calc'!A0\""
rename "$3" "\"@SUM(1+1)*cmd|' /C calc'!A0\""
rename "$4" "\"-2+3+cmd|' /C calc'!A0\""
rename "$5" '"-5"'
rename "$6" '"\t=1+1"'
# C1 CSI, RLO, LRI..PDI, LRM, RLM, ALM, soft hyphen, Mongolian vowel
# separator, Hangul filler, tag A.
rename "$7" '"Eve\u009b31m\u202egnp\u2066x\u2069\u200e\u200f\u061c\u00ad\u180e\u3164\udb40\udc41"'
hostile=$7
run_rc 0 ec sync

# CSV: each formula cell quoted behind a single quote (quotes doubled as
# RFC 4180 wants), the number as it is, the TAB shown as ^I.
run_rc 0 ec mailboxes --csv
csv=$OUT
for cell in '"'"'"'=HYPERLINK(""http://evil.example/"",""x"")"' \
	'"'"'"'+1+cmd|'"'"' /C calc'"'"'!A0"' \
	'"'"'"'@SUM(1+1)*cmd|'"'"' /C calc'"'"'!A0"' \
	'"'"'"'-2+3+cmd|'"'"' /C calc'"'"'!A0"' \
	'-5' '^I=1+1'; do
	printf '%s\n' "$csv" | grep -qF -- ",$cell," || fail "CSV cell [$cell] not in: $csv"
done
assert_eq 1 "$(printf '%s\n' "$csv" | grep -cE '(^|,)"?[-=+@]')" \
	"one cell (the number -5) starts with a formula character"
printf '%s' "$csv" | grep -q "$(printf '\t')" && fail "a raw TAB in the CSV"

# JSON: not one raw byte of the hidden characters, the \u escapes instead,
# and the same name once parsed as the organization has.
check_json() { # WHAT
	for seq in '\302\233' '\342\200\256' '\342\201\246' '\342\201\251' '\342\200\216' \
		'\342\200\217' '\330\234' '\302\255' '\341\240\216' '\343\205\244' '\363\240\201\201'; do
		printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf "$seq")" &&
			fail "$1: raw bytes $seq in the JSON"
	done
	assert_contains "$OUT" 'Eve\u009b31m\u202egnp\u2066x\u2069\u200e\u200f\u061c\u00ad\u180e\u3164\udb40\udc41' "$1: escapes"
}
assert_eq 200 "$(sim_ctl GET "mailboxes($hostile)")" "the organization's row"
org_name=$(jv name) # (run_rc uses $want)
run_rc 0 ec mailbox "$hostile" --json
check_json "mailbox --json"
assert_eq "$org_name" "$(echo "$OUT" | $JSON_GET get .name)" "mailbox --json reads back"
run_rc 0 ec mailboxes --json
check_json "mailboxes --json"
assert_eq "$org_name" "$(echo "$OUT" | $JSON_GET each . name | grep '^Eve')" \
	"mailboxes --json reads back"

# The human view names every hidden character.
run_rc 0 ec mailbox "$hostile"
assert_contains "$OUT" 'Eve<U+009B>31m<U+202E>gnp<U+2066>x<U+2069><U+200E><U+200F><U+061C><U+00AD><U+180E><U+3164><U+E0041>' \
	"human view"

# The hint: pasted into sh it runs exactly `emailcfg mailboxes --filter SEL`
# (a stand-in emailcfg records its arguments, then runs the real one).
mkdir "$T/bin" "$T/paste"
cat >"$T/bin/emailcfg" <<EOF
#!/bin/sh
n=0
for a; do n=\$((n + 1)); printf '%s' "\$a" >"$T/paste/arg.\$n"; done
echo \$n >"$T/paste/argc"
exec $(pwd)/$EMAILCFG --cache "$C" "\$@"
EOF
chmod +x "$T/bin/emailcfg"
sel="it's \$(touch $T/X) \`touch $T/Y\` \"\$HOME\" 'q'"
run_rc 2 ec mailbox "$sel"
cmd=$(printf '%s\n' "$ERR" | sed -n 's/.*; try `\(.*\)`$/\1/p')
[ -n "$cmd" ] || fail "no command in the hint: $ERR"
(cd "$T/paste" && PATH="$T/bin:$PATH" sh -c "$cmd") >/dev/null || fail "the hint did not run: $cmd"
[ -e "$T/X" ] || [ -e "$T/Y" ] || [ -e "$T/paste/X" ] && fail "pasting the hint ran a command"
assert_eq 3 "$(cat "$T/paste/argc")" "three arguments"
assert_eq mailboxes "$(cat "$T/paste/arg.1")" "argument 1"
assert_eq --filter "$(cat "$T/paste/arg.2")" "argument 2"
assert_eq "$sel" "$(cat "$T/paste/arg.3")" "argument 3 is the selector"
# A selector too long to quote whole within the one-line error gets no
# command to paste (a cut one would leave a quote open).
run_rc 2 ec mailbox "$(printf "'%.0s" $(seq 300))"
assert_contains "$ERR" "search with \`emailcfg mailboxes --filter TEXT\`" "long selector"
assert_not_contains "$ERR" "try \`" "no cut command"
echo "output of hostile names: ok"
