#!/bin/sh
# offline_listing.sh — `mailboxes --json/--csv` walk the cache in one
# statement and write each row directly, yet say byte for byte what the
# json-c writer says: for hostile names (C0 and C1 controls, quotes,
# backslashes, CSV commas and line breaks, bidi and invisible characters),
# each row of `mailboxes --json` is the start of `mailbox ID --json` (made by
# json-c) up to its "alerts" key. pending_edits counts a queued edit (the
# listing skips the outbox lookups only while nothing is queued). Over more rows than the old page size
# (2,000) every mailbox comes exactly once, in name order, and
# status:failure selects exactly the mailboxes with a failed channel.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
N=4500
sim_start --data none --generate $N --seed 7
client_env
run_rc 0 ec sync
run_rc 0 ec --offline mailboxes --json
printf "%s\n" "$OUT" | $JSON_GET each . id >"$T/ids"
set -- $(head -n 6 "$T/ids")
rename() { # ID JSON_STRING
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($1)" "{\"name\":$2}")" "rename $1"
}
rename "$1" '"ctl \u0001\u0007\b\t\n\u000b\f\r\u001b[2J\u007f end"'
rename "$2" '"quote \" back\\ slash / slash"'
rename "$3" '"a,b,\"c\"\r\nd\ne"'
rename "$4" '"Eve\u009b31m\u202egnp\u2066x\u2069\u200e\u00ad\udb40\udc41"'
rename "$5" '"Žužek 山田 📧 \ufeff"'
rename "$6" '"=HYPERLINK(\"http://evil.example/\",\"x\")"'
run_rc 0 ec sync
for id; do
	run_rc 0 ec --offline mailboxes --json --filter "email:$(ec --offline mailbox "$id" --json |
		$JSON_GET get .email)"
	row=${OUT#\[}
	row=${row%\}\]}
	run_rc 0 ec --offline mailbox "$id" --json
	case "$OUT" in
	"$row,\"alerts\":"*) ;;
	*) fail "mailboxes --json row of $id: [$row] is not the start of [$OUT]" ;;
	esac
done

# Every mailbox once, in name order: as the ids listing by name gives them.
run_rc 0 ec --offline mailboxes --json
printf "%s\n" "$OUT" | $JSON_GET each . id >"$T/json-ids"
assert_eq $N "$(sort -u "$T/json-ids" | wc -l | tr -d ' ')" "distinct mailboxes in --json"
sqlite3 "$C" "SELECT id FROM mailboxes ORDER BY name_folded, id" >"$T/by-name"
cmp -s "$T/json-ids" "$T/by-name" || fail "--json is not in name order"
run_rc 0 ec --offline mailboxes --csv
assert_eq $((N + 1)) "$(printf '%s\r\n' "$OUT" | grep -c "$(printf '\r')$")" "CSV records"

# status:failure: any channel failed, as SQLite counts it (not $want: run_rc
# uses that name).
nfail=$(sqlite3 "$C" "SELECT count(*) FROM mailboxes WHERE incoming_status = 2 OR \
outgoing_status = 2 OR act_status = 2")
[ "$nfail" -gt 0 ] || fail "the organization has no failed mailbox"
run_rc 0 ec --offline mailboxes --filter status:failure --json
assert_eq "$nfail" "$(printf "%s\n" "$OUT" | $JSON_GET len .)" "status:failure rows"
run_rc 0 ec --offline mailboxes --filter -status:failure --json
assert_eq $((N - nfail)) "$(printf "%s\n" "$OUT" | $JSON_GET len .)" "-status:failure rows"

# pending_edits: 0 everywhere while nothing is queued, then 1 on the mailbox
# with an edit queued offline and still 0 on the others.
run_rc 0 ec --offline mailboxes --json
assert_eq 0 "$(printf "%s\n" "$OUT" | $JSON_GET each . pending_edits | sort -u)" "no edits"
run_rc 0 ec --offline mailboxes --filter -act:none --json
edited=$(printf "%s\n" "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec --offline mailbox set "$edited" act=none
run_rc 0 ec --offline mailboxes --json
printf "%s\n" "$OUT" | $JSON_GET each . pending_edits >"$T/pending"
printf "%s\n" "$OUT" | $JSON_GET each . id >"$T/pending-ids"
assert_eq "$edited 1" "$(paste -d ' ' "$T/pending-ids" "$T/pending" | grep ' 1$')" "the edited one"
assert_eq $((N - 1)) "$(grep -c '^0$' "$T/pending")" "the others"
echo "offline_listing: OK"
