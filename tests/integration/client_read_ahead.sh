#!/bin/sh
# client_read_ahead.sh — a full sync reads its pages ahead (core/client/
# page_fetch.c); under the emulator's faults — dropped connections and
# truncated bodies, 429s and 503s, latency — landing on pages read ahead,
# the cache ends up with exactly the emulator's rows, the same as a sync
# that reads one page at a time without faults; an error status on a page
# read ahead fails the sync as before and leaves the cache as it was; a
# guessed next page that loops or leaves the organization is never asked
# for.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e

sim_start --data none --generate 2000 --seed 9 --max-page 100
client_env
dump() { sqlite3 "$C" "SELECT id, name, email, version, modified_on FROM mailboxes ORDER BY id"; }
api_requests() { sim_ctl GET requests >/dev/null && $JSON_GET len . <"$SIM_BODY"; }
NOFAULTS='{"drop_every":0,"truncate_every":0,"throttle_every":0,"fail_every":0,"latency_ms":0,"fail_match":""}'

# The reference: one page at a time, no faults.
(
	EMAILCFG_READ_AHEAD=0
	export EMAILCFG_READ_AHEAD
	ec sync --full
) >/dev/null 2>&1 || fail "the reference sync failed"
REF=$(dump)
assert_eq 2000 "$(printf '%s\n' "$REF" | grep -c .)" "the reference sync has every row"

# Read ahead, no faults: the same rows, and the pages after the first came
# from guesses.
rm -f "$C"
run_rc 0 ec -v sync --full
assert_eq "$REF" "$(dump)" "read ahead: the emulator's rows"
assert_eq 19 "$(printf '%s\n' "$ERR" | grep -c 'mailboxes?.* -> 200.*(read ahead)')" \
	"19 of the 20 mailbox pages read ahead"

# Faults on the pages read ahead: the same rows, or nothing lost.
for fault in '{"drop_every":3}' '{"truncate_every":3}' '{"throttle_every":4,"retry_after":0}' \
	'{"fail_every":5}' '{"latency_ms":20,"drop_every":5}' '{"latency_ms":20,"truncate_every":4}'; do
	assert_eq 200 "$(sim_ctl POST config "$fault")" "faults $fault"
	rm -f "$C"
	run_rc 0 ec sync --full
	assert_eq 200 "$(sim_ctl POST config "$NOFAULTS")" "faults off"
	assert_eq "$REF" "$(dump)" "with $fault: the emulator's rows, none lost, none wrong"
done

# A 500 on the eleventh page (read ahead): the sync fails with the
# organization's error and the cache keeps what it had.
assert_eq 200 "$(sim_ctl POST config '{"fail_match":"pagenumber=%2211%22"}')" "fail page 11"
run_rc 4 ec sync --full
assert_contains "$ERR" "500" "the error status is named"
assert_eq 200 "$(sim_ctl POST config "$NOFAULTS")" "faults off"
assert_eq "$REF" "$(dump)" "a failed sync leaves the cache as it was"

# A page naming itself as the next one (a loop): the guess is never asked
# for; the walk stops at the loop, as before.
assert_eq 200 "$(sim_ctl POST config '{"next_link_repeat":true}')" "loop on"
before=$(api_requests)
run_rc 4 ec sync --full
assert_contains "$ERR" "a loop" "the loop is named"
sim_log_since "$before"
assert_eq 2 "$($JSON_GET each . uri <"$SIM_BODY" | grep -c '/mailboxes?')" \
	"the first page and the looping one, each asked for once"
assert_eq 200 "$(sim_ctl POST config '{"next_link_repeat":false}')" "loop off"

# A next link to another origin: neither read nor read ahead (the token
# would go with it).
OTHER_URL=$SIM_URL
sim_start --data none --generate 10 --seed 1
OTHER=$SIM_URL
SIM_URL=$OTHER_URL
assert_eq 200 "$(sim_ctl POST config "{\"next_link_base\":\"$OTHER\"}")" "links elsewhere"
run_rc 4 ec sync --full
assert_contains "$ERR" "another address" "refused"
assert_eq '[]' "$(curl -sS "$OTHER/_sim/requests")" "nothing reached the other origin"
assert_eq "$REF" "$(dump)" "the cache as it was"
echo "client read ahead: ok"
