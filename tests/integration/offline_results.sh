#!/bin/sh
# offline_results.sh — Test & Enable stores its results in batches, and a run
# killed (SIGKILL) while storing leaves a consistent cache holding every
# result up to its last commit: the stored runs are exactly the first K
# mailboxes of the run's order (no gaps), each with its complete checks
# (three verdict checks), and SQLite's integrity check passes. A later run
# stores all of them. Also: the EMAILCFG_TIMES markers come in order, and
# the first chunk is planned before probing starts; the chunks after it
# probe no endpoint again (the emulator sees as many EWS requests for all
# mailboxes as for one); a mailbox named twice, and again by --filter, is
# tested once.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
N=12000
sim_start --data none --generate $N --seed 7
client_env
run_rc 0 ec sync
# The run's order: test --all takes the mailboxes in name order.
ec --offline mailboxes --json | $JSON_GET each . id >"$T/order"
assert_eq $N "$(wc -l <"$T/order" | tr -d ' ')" "mailboxes listed"

runs() { sqlite3 "$C" "SELECT count(*) FROM test_runs" 2>/dev/null || echo 0; }

# Kill the run once some results are stored and before all are.
(EMAILCFG_TIMES="$T/times" exec $EMAILCFG --offline --cache "$C" -q test --all --local-only \
	>/dev/null 2>"$T/times.err") &
pid=$!
i=0
while [ "$(runs)" -eq 0 ]; do
	kill -0 $pid 2>/dev/null || fail "the run ended before storing was seen: $(cat "$T/times.err")"
	i=$((i + 1))
	[ $i -lt 3000 ] || fail "no result stored after 30 s"
	sleep 0.01
done
kill -9 $pid
wait $pid 2>/dev/null || true
k=$(runs)
echo "killed with $k of $N results stored"
[ "$k" -lt $N ] || fail "the run stored all $N results before the kill: nothing was tested"

assert_eq ok "$(sqlite3 "$C" "PRAGMA integrity_check")" "integrity after the kill"
assert_eq 0 "$(sqlite3 "$C" "SELECT count(*) FROM test_runs r WHERE (SELECT count(*) FROM \
test_checks c WHERE c.run_id = r.id AND c.stage = 'verdict') != 3")" "runs without their verdicts"
assert_eq 0 "$(sqlite3 "$C" "SELECT count(*) FROM test_checks WHERE run_id NOT IN \
(SELECT id FROM test_runs)")" "checks without a run"
sqlite3 "$C" "SELECT mailbox_id FROM test_runs ORDER BY id" >"$T/stored"
head -n "$k" "$T/order" >"$T/prefix"
cmp -s "$T/stored" "$T/prefix" || fail "the stored runs are not the first $k mailboxes in order"

# Probing starts after the first chunk (verdicts stream from then on, so the
# killed run may not have reached the end of planning).
grep -q "times: probing starts at [0-9]* ms (1000 mailboxes planned in" "$T/times" ||
	fail "no probing marker after the first chunk: $(cat "$T/times" "$T/times.err")"

# EWS requests the emulator saw since SEQ.
ews_since() {
	sim_log_since "$1"
	$JSON_GET each . uri <"$SIM_BODY" | grep -c '/EWS/' || true
}

# A full run stores every result (k more than before) and probes each
# endpoint once: as many EWS requests as a run of one Exchange mailbox.
seq=$(sim_seq)
EMAILCFG_TIMES="$T/times2" run_rc 1 ec --offline -q test --all --local-only
assert_eq $((k + N)) "$(runs)" "results after a complete run"
# Planning ends after all, once.
assert_eq 1 "$(grep -c "times: planning done at [0-9]* ms ($N mailboxes planned in" "$T/times2")" \
	"one planning marker for all $N"
all=$(ews_since "$seq")
run_rc 0 ec --offline mailboxes --filter profile:exchange --json
one=$(printf "%s\n" "$OUT" | $JSON_GET get .0.id)
seq=$(sim_seq)
ec --offline -q test "$one" --local-only >/dev/null 2>&1 || true # its verdict may fail
[ "$(ews_since "$seq")" -gt 0 ] || fail "no EWS probe for an Exchange mailbox"
assert_eq "$(ews_since "$seq")" "$all" "EWS requests for all mailboxes and for one"

# Named twice and matched by the filter: tested once.
email=$(printf "%s\n" "$OUT" | $JSON_GET get .0.email)
OUT=$(ec --offline test "$one" "$one" --filter "email:$email" --local-only --json 2>/dev/null ||
	true)
assert_eq 1 "$(printf "%s\n" "$OUT" | $JSON_GET len .)" "one result for one mailbox"
assert_eq ok "$(sqlite3 "$C" "PRAGMA integrity_check")" "integrity after the full run"
echo "offline_results: OK"
