#!/bin/sh
# test_bulk_poll.sh — the organization's Test & Enable of many mailboxes is
# polled in batches: each round sends one GET per page of waiting mailboxes
# ($filter of their ids joined by `or`, within 8,000 characters: 151 ids of
# 53 characters each), never a GET of one mailbox, with $select of the test
# columns only; -v shows each round's request count. And verdicts stream: a
# mailbox the rules refuse has its verdict stored while another mailbox of
# the same run still waits for the organization.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --generate 400 --test-delay 2
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --json
total=$(echo "$OUT" | $JSON_GET len .)
mark=$(sim_seq)
# Failures are expected among generated mailboxes: exit 1, not a crash.
run_rc 1 ec -v test --all --timeout 120 --json
assert_eq "$total" "$(echo "$OUT" | $JSON_GET len .)" "a verdict for every mailbox"
rounds=$(printf '%s\n' "$ERR" | grep 'poll round [0-9]*: [0-9]* waiting mailboxes\? in [0-9]* requests\?$' || true)
[ -n "$rounds" ] || fail "-v shows no poll round"
# One request is "1 request", one waiting mailbox "1 waiting mailbox"
# (ngettext; test_interrupt.sh sees the singular).
printf '%s\n' "$ERR" | grep -E ': 1 waiting mailboxes|in 1 requests' && fail "a poll round counted in the plural for 1"
# 8,000 characters of clauses "mailboxid eq GUID" joined by " or ": each
# clause with its joiner is 13 + 36 + 4 = 53, so (8000 + 4) / 53 = 151 ids.
sum=0
for line in $(printf '%s\n' "$rounds" | sed 's/.*: \([0-9]*\) waiting mailboxes\{0,1\} in \([0-9]*\) requests\{0,1\}$/\1:\2/'); do
	w=${line%:*} r=${line#*:}
	assert_eq $(((w + 150) / 151)) "$r" "requests for $w waiting mailboxes"
	sum=$((sum + r))
done
[ "$(printf '%s\n' "$rounds" | sed 's/.*: \([0-9]*\) waiting.*/\1/' | sort -n | tail -1)" -gt 151 ] ||
	fail "no round had more than one page of waiting mailboxes"
sim_log_since "$mark"
$JSON_GET each . uri <"$SIM_BODY" >"$T/uris"
polls=$(grep -c 'mailboxes?.*mailboxid%20eq%20.*%20or%20mailboxid%20eq%20' "$T/uris" || true)
assert_eq "$sum" "$polls" "the requests the rounds counted are the batched GETs sent"
grep 'mailboxes?' "$T/uris" | grep 'mailboxid%20eq%20' | grep -v '\$select=mailboxid,testemailconfigurationscheduled,testmailboxaccesscompletedon,incomingemailstatus,outgoingemailstatus,actstatus&' &&
	fail "a poll asked for more columns than the test's"
$JSON_GET each . method <"$SIM_BODY" >"$T/methods"
paste "$T/methods" "$T/uris" | grep -q '^GET	.*/mailboxes(' && fail "a mailbox was polled on its own"
# Alerts are read only to explain a failure of the organization's test:
# one read per mailbox with a failed server check, none for the others.
server_failed=0
echo "$OUT" >"$T/results"
i=0
while [ $i -lt "$total" ]; do
	$JSON_GET each .$i.checks stage <"$T/results" >"$T/stages"
	$JSON_GET each .$i.checks status <"$T/results" >"$T/statuses"
	paste "$T/stages" "$T/statuses" | grep -q '^server	fail$' && server_failed=$((server_failed + 1))
	i=$((i + 1))
done
[ "$server_failed" -gt 0 ] || fail "no mailbox failed at the organization: the case did not happen"
assert_eq "$server_failed" "$(grep -c '/tracelogs?' "$T/uris" || true)" "alert reads"
sim_stop

# Streaming: B is refused by the rules (ACT on a POP3 profile), A waits for
# an organization that never completes; B's verdict is in the cache while
# the run still waits for A.
sim_start --never-complete
client_env
rm -f "$C"
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active approval:approved profile:exchange incoming:server-side-sync' --json
a=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec mailboxes --filter 'state:active profile:pop3' --json
b=$(echo "$OUT" | $JSON_GET get .0.id)
sqlite3 "$C" "update mailboxes set act=1 where id='$b'"
ec test "$a" "$b" --timeout 60 >"$T/run.out" 2>"$T/run.err" &
pid=$!
i=0
until [ "$(ec mailbox "$b" --json | $JSON_GET get .last_test.verdict)" = fail ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "B's verdict was not stored while A waits"
	sleep 0.2
done
kill -0 $pid 2>/dev/null || fail "the run ended before B's verdict was seen: nothing streamed"
assert_eq null "$(ec mailbox "$a" --json | $JSON_GET get .last_test.verdict)" "A has no verdict yet"
kill $pid
wait $pid || true
# Throttled (429, Retry-After: 1 on every third request, polls too): each
# wait is waited out and the same request sent again; every mailbox still
# gets the organization's verdict, none is taken for unreachable.
sim_start --test-delay 2 --throttle-every 3 --retry-after 1
client_env
rm -f "$C"
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter type:queue --json
q=$(echo "$OUT" | $JSON_GET len .)
mark=$(sim_seq)
EMAILCFG_RC=0
ec test --filter type:queue --json >"$T/thr.out" 2>"$T/thr.err" || EMAILCFG_RC=$?
[ "$EMAILCFG_RC" -le 1 ] || fail "the throttled run ended with $EMAILCFG_RC: $(cat "$T/thr.err")"
assert_contains "$(cat "$T/thr.err")" "throttled by the organization, retrying in 1 s" "the waits reported"
assert_eq "$q" "$($JSON_GET len . <"$T/thr.out")" "a verdict per queue"
$JSON_GET each . checks <"$T/thr.out" | grep -q 'server\.unreachable' && fail "a throttled poll was taken for an outage"
sim_log_since "$mark"
$JSON_GET each . status <"$SIM_BODY" >"$T/st"
$JSON_GET each . uri <"$SIM_BODY" >"$T/u"
$JSON_GET each . t_ms <"$SIM_BODY" >"$T/t"
paste "$T/st" "$T/u" | grep -q '^429	.*mailboxid%20eq%20' || fail "no poll was throttled: the case did not happen"
# The next request after a throttled poll is that poll again, Retry-After
# (1 s) later.
paste "$T/st" "$T/u" "$T/t" | awk -F'\t' 'prev429 && ($2 != prevuri || $3 - prevt < 1000) { bad = 1 }
	{ prev429 = ($1 == 429 && $2 ~ /mailboxid%20eq%20/); prevuri = $2; prevt = $3 } END { exit bad }' ||
	fail "a throttled poll was not sent again after its Retry-After"
echo "test & enable, batched polling and streamed verdicts: ok"
