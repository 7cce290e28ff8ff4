#!/bin/sh
# sync_progress_total.sh — the progress a sync shows on a terminal never
# counts past its total: an incremental sync reads the changed mailboxes by
# id, 40 a request, and counted every request's rows against that request's
# own count ("sync: 51/11 mailboxes" for 51 changed mailboxes).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
command -v script >/dev/null || fail "script (util-linux) is not installed"
sim_start
client_env
run_rc 0 ec sync
# 51 mailboxes changed behind the client: more than one request by id.
run_rc 0 ec mailboxes --json
echo "$OUT" | $JSON_GET each . id | head -51 >"$T/ids"
assert_eq 51 "$(wc -l <"$T/ids")" "51 mailboxes to change"
i=0
while read -r id; do
	i=$((i + 1))
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" "{\"name\":\"Changed $i\"}")" "change $i"
done <"$T/ids"

# On a terminal (script gives the sync one), the progress lines.
script -qec "$EMAILCFG --org $SIM_URL --cache $C sync" "$T/typescript" >/dev/null </dev/null ||
	fail "the sync failed: $(cat "$T/typescript")"
tr '\r' '\n' <"$T/typescript" | grep -o 'sync: [0-9]*/[0-9]* mailboxes' | sort -u >"$T/shown"
[ -s "$T/shown" ] || fail "no mailbox progress on the terminal: $(cat "$T/typescript")"
within() {
	while read -r _ frac _; do
		done_n=${frac%/*} total=${frac#*/}
		[ "$done_n" -le "$total" ] ||
			fail "the progress counted past its total: $frac ($(tr '\n' ' ' <"$T/shown"))"
	done <"$T/shown"
}
within
assert_contains "$(cat "$T/shown")" "sync: 51/51 mailboxes" "the changed mailboxes counted to their number"
run_rc 0 ec mailboxes --filter "Changed" --json
assert_eq 51 "$(echo "$OUT" | $JSON_GET len .)" "every changed mailbox read"

# The same after the organization refused the delta link: the version
# listing counts every mailbox first, then the changed ones from 0.
assert_eq 204 "$(sim_ctl POST track/expire)" "delta link expired"
i=0
while read -r id; do
	i=$((i + 1))
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" "{\"name\":\"Again $i\"}")" "change $i again"
done <"$T/ids"
script -qec "$EMAILCFG --org $SIM_URL --cache $C sync" "$T/typescript" >/dev/null </dev/null ||
	fail "the second sync failed: $(cat "$T/typescript")"
tr '\r' '\n' <"$T/typescript" | grep -o 'sync: [0-9]*/[0-9]* mailboxes' | sort -u >"$T/shown"
within
assert_contains "$(cat "$T/shown")" "sync: 51/51 mailboxes" "counted to their number after the listing"
run_rc 0 ec mailboxes --filter "Again" --json
assert_eq 51 "$(echo "$OUT" | $JSON_GET len .)" "every mailbox changed again read"
echo "sync progress within its total: ok"
