#!/bin/sh
# client_bounds.sh — the Web API client against a hostile emulator: a
# nextLink loop, nextLinks to another origin (the token never reaches it),
# more pages than a pull may take, a page of a million {} rows, a 300 MB
# response, a silent server, Retry-After as an HTTP date and the total wait of
# one request. Each ends with one line and exit 4, quickly, in bounded memory
# (its peak RSS is measured: the unbounded client took 0.9 to 1.2 GB).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e

# api_gets PATTERN — how many logged API requests since $mark match PATTERN.
api_gets() {
	sim_log_since "$mark"
	$JSON_GET each . uri <"$SIM_BODY" | grep -c -- "$1" || true
}
# One line on stderr (retry notices aside).
one_line() { # what
	assert_eq 1 "$(printf '%s\n' "$ERR" | grep -v retrying | grep -c .)" "$1: one line"
}
PEAK_RSS=build/tests/tools/peak-rss
# A sync whose peak RSS stays under 120 MB (64 MB of it the largest response
# allowed). ulimit -v 3 GB only keeps a broken build from taking the machine.
# Under SANITIZE=1 ASan reserves terabytes of address space and keeps freed
# memory in quarantine: no ulimit, and a looser bound (still far below 0.9 GB).
RSS_MAX=120000 VLIMIT=3000000
if grep -q fsanitize build/flags 2>/dev/null; then RSS_MAX=400000 VLIMIT=unlimited; fi
bounded_sync() { # expected-status
	run_rc "$1" sh -c "ulimit -v $VLIMIT; exec $PEAK_RSS $T/rss $EMAILCFG --org $SIM_URL --cache $C sync"
	[ "$(cat "$T/rss")" -lt $RSS_MAX ] || fail "peak RSS $(cat "$T/rss") kB"
}

sim_start --data none --generate 1000 --seed 21 --max-page 100
client_env
run_rc 0 ec sync

# The same nextLink again: an error after two pages of mailboxes, not forever.
assert_eq 200 "$(sim_ctl POST config '{"next_link_repeat":true}')" "loop on"
mark=$(sim_seq)
run_rc 4 ec sync --full
assert_contains "$ERR" "the same next-page link again" "loop named"
one_line "loop"
assert_eq 2 "$(api_gets '/mailboxes?')" "mailbox pages read before the loop was seen"
sim_ctl POST config '{"next_link_repeat":false}' >/dev/null

# A pull takes at most EMAILCFG_MAX_PAGES pages (10 pages of mailboxes here).
run_rc 4 env EMAILCFG_MAX_PAGES=5 $EMAILCFG --org "$SIM_URL" --cache "$C" sync --full
assert_contains "$ERR" "more than 5 pages in one read" "page bound named"
assert_contains "$ERR" "EMAILCFG_MAX_PAGES" "how to raise it"
run_rc 0 env EMAILCFG_MAX_PAGES=10 $EMAILCFG --org "$SIM_URL" --cache "$C" sync --full
run_rc 5 env EMAILCFG_MAX_PAGES=lots $EMAILCFG --org "$SIM_URL" --cache "$C" sync
assert_contains "$ERR" "EMAILCFG_MAX_PAGES must be a whole number" "a malformed bound"

# nextLinks off the organization's origin (or off its Web API) are never
# followed: another emulator stands in for the attacker and must see no
# request (no token).
sim_stop
sim_start --data none --generate 10 --seed 23
attacker_url=$SIM_URL attacker_pid=$SIM_PID
sim_start --data none --generate 1000 --seed 21 --max-page 100
client_env
rm -f "$C"
for base in "$attacker_url" "http://127.0.0.2:$SIM_PORT" "https://127.0.0.1:$SIM_PORT" \
	"$SIM_URL@${attacker_url#http://}" "http://localhost:$SIM_PORT" "$SIM_URL/elsewhere"; do
	assert_eq 200 "$(sim_ctl POST config "{\"next_link_base\":\"$base\"}")" "next_link_base $base"
	mark=$(sim_seq)
	run_rc 4 ec sync
	assert_contains "$ERR" "next-page link to another address" "$base refused"
	one_line "$base"
	assert_eq 1 "$(api_gets '/mailboxes?')" "$base: only the first page was read"
done
assert_eq '[]' "$(curl -sS "$attacker_url/_sim/requests")" "the other origin saw no request"
# The origin compares scheme and host without case.
sim_ctl POST config "{\"next_link_base\":\"HTTP://127.0.0.1:$SIM_PORT\"}" >/dev/null
run_rc 0 ec sync
run_rc 0 ec mailboxes --json
assert_eq 1000 "$(echo "$OUT" | $JSON_GET len .)" "an upper-case scheme is the same origin"
sim_stop
SIM_PID=$attacker_pid
sim_stop

sim_start --data none --generate 100 --seed 22
client_env
rm -f "$C"
run_rc 0 ec sync
marks=$(sqlite3 "$C" 'select entity, watermark from sync_state order by entity')

# A page of a million {} rows (3 MB) is refused before json-c builds it.
assert_eq 200 "$(sim_ctl POST config '{"flood_rows":1000000}')" "flood on"
bounded_sync 4
assert_contains "$ERR" "a page of 1000000 rows, more than a page may hold (10000)" "rows named"
one_line "a million rows"
# ...and so are rows that carry far more values or objects than rows hold.
row=$(awk 'BEGIN { printf "{"; for (i = 0; i < 300; i++) printf "%s\\\"c%d\\\":1", i ? "," : "", i; printf "}" }')
sim_ctl POST config "{\"flood_rows\":10,\"flood_row\":\"$row\"}" >/dev/null
bounded_sync 4
assert_contains "$ERR" "more than rows ever hold" "values named"
sim_ctl POST config '{"flood_rows":10,"flood_row":"{\"a\":[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]}"}' >/dev/null
bounded_sync 4
assert_contains "$ERR" "nested objects" "nested objects named"
# An error body is read for its message only when it is cheap to parse.
sim_ctl POST config '{"flood_rows":1000000,"flood_row":"{}","flood_status":400}' >/dev/null
bounded_sync 1
assert_contains "$ERR" "the organization refused reading a page (400): no details" "error body"
sim_ctl POST config '{"flood_status":0}' >/dev/null

# A 300 MB response is cut off at 64 MB as it streams (chunked: no length to
# refuse up front), and at 1 MB with EMAILCFG_MAX_RESPONSE_MB=1.
kb=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "x" }')
sim_ctl POST config "{\"flood_rows\":300000,\"flood_row\":\"{\\\"name\\\":\\\"$kb\\\"}\"}" >/dev/null
bounded_sync 4
assert_contains "$ERR" "sent a response larger than 64 MB" "size named"
assert_contains "$ERR" "EMAILCFG_MAX_RESPONSE_MB" "how to raise it"
one_line "300 MB"
sim_ctl POST config '{"flood_rows":3000}' >/dev/null
run_rc 4 env EMAILCFG_MAX_RESPONSE_MB=1 $EMAILCFG --org "$SIM_URL" --cache "$C" sync
assert_contains "$ERR" "larger than 1 MB" "a smaller limit"
run_rc 5 env EMAILCFG_MAX_RESPONSE_MB=0 $EMAILCFG --org "$SIM_URL" --cache "$C" sync
assert_contains "$ERR" "EMAILCFG_MAX_RESPONSE_MB must be a whole number from 1 to 4096" "bad limit"
sim_ctl POST config '{"flood_rows":0}' >/dev/null
assert_eq "$marks" "$(sqlite3 "$C" 'select entity, watermark from sync_state order by entity')" \
	"refused answers changed no watermark"

# A silent server: EMAILCFG_STALL_SECONDS=2 ends the request after 2 s of
# silence, once (a stall is not retried), not after 120 s x 3.
sim_ctl POST config '{"latency_ms":5000}' >/dev/null
mark=$(sim_seq)
t0=$(date +%s)
run_rc 4 env EMAILCFG_STALL_SECONDS=2 $EMAILCFG --org "$SIM_URL" --cache "$C" sync
t1=$(date +%s)
assert_contains "$ERR" "the organization stopped answering: 127.0.0.1 sent nothing for 2 s" "stall named"
one_line "stall"
[ $((t1 - t0)) -le 4 ] || fail "a stall of 2 s took $((t1 - t0)) s to end"
# A request's attempt ends when the total bound is up, silent or not.
t0=$(date +%s)
run_rc 4 env EMAILCFG_STALL_SECONDS=10 EMAILCFG_MAX_WAIT_SECONDS=2 \
	$EMAILCFG --org "$SIM_URL" --cache "$C" sync
assert_contains "$ERR" "127.0.0.1 did not answer in time after 1 attempt" "the total bound named"
[ $(($(date +%s) - t0)) -le 4 ] || fail "EMAILCFG_MAX_WAIT_SECONDS=2 took $(($(date +%s) - t0)) s"
sim_ctl POST config '{"latency_ms":0}' >/dev/null
sleep 5 # the emulator answers the stalled requests into the void
assert_eq 2 "$(api_gets /api/)" "a stalled request is not retried"

# Retry-After as an HTTP date is waited out (it was read as 0 s).
sim_ctl POST config '{"throttle_every":2,"retry_after":2,"retry_after_date":true}' >/dev/null
mark=$(sim_seq)
run_rc 0 ec sync --full
assert_contains "$ERR" "throttled by the organization, retrying in" "wait reported"
sim_log_since "$mark"
n=$($JSON_GET len . <"$SIM_BODY")
i=0
waits=0
while [ $i -lt $((n - 1)) ]; do
	if [ "$($JSON_GET get .$i.status <"$SIM_BODY")" = 429 ]; then
		gap=$(($($JSON_GET get .$((i + 1)).t_ms <"$SIM_BODY") - $($JSON_GET get .$i.t_ms <"$SIM_BODY")))
		[ $gap -ge 900 ] || fail "retried $gap ms after an HTTP-date Retry-After 2 s ahead"
		waits=$((waits + 1))
	fi
	i=$((i + 1))
done
[ $waits -ge 2 ] || fail "expected several 429s, saw $waits"

# A Retry-After beyond what one request may wait ends it at once, saying so.
sim_ctl POST config '{"throttle_every":1,"retry_after":100000}' >/dev/null
t0=$(date +%s)
run_rc 4 ec sync
assert_contains "$ERR" "asks to wait 86400 s more, past the 300 s one request may take" "clamped"
[ $(($(date +%s) - t0)) -le 2 ] || fail "a far Retry-After was waited for"
# The total wait of one request, retries and sleeps included, is bounded.
sim_ctl POST config '{"retry_after":1,"retry_after_date":false}' >/dev/null
t0=$(date +%s)
run_rc 4 env EMAILCFG_MAX_WAIT_SECONDS=4 $EMAILCFG --org "$SIM_URL" --cache "$C" sync
t1=$(date +%s)
assert_contains "$ERR" "answered 429 (throttled)" "the last answer named"
[ $((t1 - t0)) -le 5 ] || fail "EMAILCFG_MAX_WAIT_SECONDS=4 waited $((t1 - t0)) s"
sim_ctl POST config '{"throttle_every":0}' >/dev/null
run_rc 0 ec sync
echo "client bounds: ok"
