#!/bin/sh
# alerts_causes.sh — every alert text the product is known to write
# (tests/fixtures/alert-texts.tsv) and every text the emulator writes (taken
# from sim/*.c, names filled in) maps to a cause of data/alerts.tsv: loaded
# into a real cache through the codec and listed by `emailcfg alerts --json`.
# The fixture's texts must give the cause written beside them; an unknown
# text gives "other" (so the check can fail). The demo organization synced
# from the emulator has no unexplained alert either. Hostile and long
# unexplained texts are shown bounded and sanitized; a wrong --level is one
# line naming the levels.
. tests/lib/assert.sh
set -e
F=tests/fixtures
C=$T/cache/test.db

# One tracelog per text: id N, level 3, on mailbox N.
tracelog() { # N TEXT(JSON-escaped)
	id=$(printf '00000000-0000-4000-8000-%012d' "$1")
	printf '{"tracelogid":"%s","text":"%s","level":3,"tracecode":%d,"tracestatus":false,' \
		"$id" "$2" "$((1000 + $1))"
	printf '"_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"mailbox",'
	printf '"_regardingobjectid_value":"%s","createdon":"2026-01-01T00:00:00Z",' "$id"
	printf '"modifiedon":"2026-01-01T00:00:00Z"}'
}
json_escape() { sed 's/\\/\\\\/g; s/"/\\"/g'; }
# dash's echo would read the backslashes in the JSON
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }

: >"$T/expected"
n=0
{
	printf '{"value":['
	grep -v '^#' $F/alert-texts.tsv | while IFS='	' read -r cause text; do
		n=$((n + 1))
		[ $n -gt 1 ] && printf ','
		tracelog $n "$(printf '%s' "$text" | json_escape)"
		printf '%s\t%s\n' "$(printf '00000000-0000-4000-8000-%012d' $n)" "$cause" >>"$T/expected"
	done
	printf ']}'
} >"$T/known.json"
nknown=$(wc -l <"$T/expected")
[ "$nknown" -ge 40 ] || fail "expected the fixture's 41 texts, read $nknown"

# The emulator's texts: C literals, escapes kept (valid in JSON as they are);
# the first %s is a mailbox, the second a profile.
awk -f tests/lib/sim_texts.awk sim/*.c |
	sed 's/%s/Ana Novak/; s/%s/IMAP\/SMTP – pošta/' >"$T/sim-texts"
nsim=$(wc -l <"$T/sim-texts")
# testjob.c: 5 causes x 3 channels, ACT on a non-Exchange profile, success;
# generate.c: 3 channels and the last sync error (a WebException)
[ "$nsim" -eq 21 ] || fail "expected the emulator's 21 alert texts, read $nsim"
{
	printf '{"value":['
	n=100
	while IFS= read -r text; do
		[ $n -gt 100 ] && printf ','
		n=$((n + 1))
		tracelog $n "$text"
	done <"$T/sim-texts"
	printf ',%s' "$(tracelog 999 'Zz an alert nobody has seen for the mailbox Ana Novak')"
	printf ']}'
} >"$T/sim.json"

$CACHE_LOAD "$C" --alerts "$T/known.json" --alerts "$T/sim.json"
run_rc 0 $EMAILCFG --cache "$C" alerts --json
total=$(jout len .)
assert_eq $((nknown + nsim + 1)) "$total" "every text loaded"
i=0
while [ $i -lt "$total" ]; do
	id=$(jout get .$i.id)
	cause=$(jout get .$i.cause)
	want=$(awk -F'\t' -v id="$id" '$1 == id { print $2 }' "$T/expected")
	case "$id" in
	*000000000999) assert_eq other "$cause" "an unknown text" ;;
	*) if [ -n "$want" ]; then
		assert_eq "$want" "$cause" "cause of $(jout get .$i.text)"
	else
		[ "$cause" != other ] || fail "no cause for the emulator's: $(jout get .$i.text)"
	fi ;;
	esac
	i=$((i + 1))
done

# An unexplained text from the network reaches the terminal bounded and
# sanitized: its group's title in the summary table has no escape byte, and
# the masked title is at most 200 bytes of whole characters.
esc=$(printf '\\u001b[2J\\u001b]0;owned\\u0007')
long=$(printf 'ž%.0s' $(seq 1 150))
printf '{"value":[%s,%s]}' "$(tracelog 2001 "Zz odd ${esc} on the mailbox Ana Novak")" \
	"$(tracelog 2002 "Zz odd $long")" >"$T/hostile.json"
$CACHE_LOAD "$T/h.db" --alerts "$T/hostile.json"
run_rc 0 $EMAILCFG --cache "$T/h.db" alerts --summary
printf '%s' "$OUT" | grep -q "$(printf '\033')" && fail "an escape byte reached the terminal"
printf '%s' "$OUT" | grep -q "$(printf '\007')" && fail "a bell reached the terminal"
assert_contains "$OUT" "Zz odd" "the unexplained group listed"
run_rc 0 $EMAILCFG --cache "$T/h.db" alerts --summary --json
assert_eq 2 "$(jout len .)" "two unexplained groups"
for i in 0 1; do
	title=$(jout get .$i.title)
	[ "$(printf '%s' "$title" | wc -c)" -le 200 ] || fail "a title of $(printf '%s' "$title" | wc -c) bytes"
	printf '%s\n' "$title" | LC_ALL=C.UTF-8 grep -qax '.*' || fail "a title cut inside a character"
done

# A wrong --level says what to use, on one line, and changes nothing.
run_rc 2 $EMAILCFG --cache "$T/h.db" alerts --level errors --summary
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line"
assert_contains "$ERR" "use one of: information, warning, error" "the levels named"

# The demo organization, synced from the emulator.
run_rc 0 $EMAILCFG --demo alerts --json
total=$(jout len .)
[ "$total" -gt 20 ] || fail "expected the demo's alerts, got $total"
jout each . cause >"$T/demo-causes"
assert_not_contains "$(cat "$T/demo-causes")" "other" "demo alerts all explained"
echo "alert causes: ok"
