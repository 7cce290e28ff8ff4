#!/bin/sh
# test_interrupt.sh — Ctrl-C (SIGINT) on `emailcfg test --all` stops the run
# as the console's x does: every verdict reached is stored and printed, the
# mailboxes not judged are listed as "not judged", one line on stderr says it
# was stopped and how many were not judged, and the status is 130 (143 for
# SIGTERM, with --json). The organization never completes its tests, so the
# verdicts reached are those the rules refused; the signal is sent once the
# cache holds some.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
sim_start --generate 300 --never-complete
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --json
total=$(echo "$OUT" | $JSON_GET len .)

runs() { sqlite3 "$C" 'SELECT count(*) FROM test_runs' 2>/dev/null || echo 0; }
# alive PID — the process runs (an exited child stays a zombie until waited).
alive() { st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st#Z}" = "$st" ]; }

# start_test SIGNAL ARGS... — `emailcfg test --all ARGS` in the background
# (emailcfg itself, not a subshell, gets the signal), then SIGNAL once the
# cache holds a verdict; the exit status in $RC.
start_test() {
	sig=$1
	shift
	before=$(runs)
	# A script's background job ignores SIGINT unless told otherwise.
	env --default-signal=INT $EMAILCFG --org "$SIM_URL" --cache "$C" test --all "$@" \
		>"$T/run.out" 2>"$T/run.err" &
	pid=$!
	i=0
	until [ "$(runs)" -gt "$before" ]; do
		alive "$pid" || fail "test ended before any verdict: $(cat "$T/run.err")"
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "no verdict stored within 120 s"
		sleep 0.1
	done
	kill -"$sig" "$pid"
	i=0
	while alive "$pid"; do
		i=$((i + 1))
		if [ $i -ge 600 ]; then
			kill -KILL "$pid"
			fail "SIG$sig did not stop the test within 60 s"
		fi
		sleep 0.1
	done
	set +e
	wait "$pid"
	RC=$?
	set -e
	STORED=$(($(runs) - before))
}

# Ctrl-C: text.
start_test INT
assert_eq 130 "$RC" "exit status after Ctrl-C; stderr: $(tail -3 "$T/run.err")"
judged=$(grep -c '^[^ ].*: \(pass\|FAIL\|nothing to test\) (' "$T/run.out" || true)
unjudged=$(grep -c '^[^ ].*: not judged$' "$T/run.out" || true)
[ "$judged" -gt 0 ] || fail "no verdict printed: $(head -5 "$T/run.out")"
[ "$unjudged" -gt 0 ] || fail "no mailbox listed as not judged"
assert_eq "$STORED" "$judged" "every verdict stored is printed, and only those"
assert_eq "$total" "$((judged + unjudged))" "each mailbox printed once, judged or not"
stop=$(grep 'stopped' "$T/run.err" || true)
assert_eq 1 "$(printf '%s\n' "$stop" | grep -c .)" "one line on stderr says it was stopped"
assert_contains "$stop" "Ctrl-C" "it names what stopped it"
assert_contains "$stop" "$unjudged of $total mailboxes not judged" "it counts the mailboxes not judged"
grep -q 'Test & Enable cancelled' "$T/run.err" && fail "the job's own cancel line was printed too"

# The names not judged are the mailboxes without a stored verdict.
sqlite3 "$C" "SELECT name FROM test_runs" | sort >"$T/stored"
sed -n 's/^\([^ ].*\): \(pass\|FAIL\|nothing to test\) (.*/\1/p' "$T/run.out" | sort >"$T/printed"
cmp -s "$T/stored" "$T/printed" || fail "the verdicts printed are not those stored: $(diff "$T/stored" "$T/printed" | head -5)"

# SIGTERM, --json: the judged results, then {"verdict":"not_judged","checks":[]}.
start_test TERM --json
assert_eq 143 "$RC" "exit status after SIGTERM"
json=$(cat "$T/run.out")
assert_eq "$total" "$(echo "$json" | $JSON_GET len .)" "every mailbox in the JSON"
n=0 nj=0
for v in $(echo "$json" | $JSON_GET each . verdict); do
	n=$((n + 1))
	[ "$v" = not_judged ] && nj=$((nj + 1))
done
assert_eq "$STORED" "$((n - nj))" "the JSON holds every verdict stored"
assert_contains "$(cat "$T/run.err")" "stopped by SIGTERM: $nj of $total mailboxes not judged" "the stop line"

# -v counts a poll round of one mailbox in the singular (ngettext): a
# mailbox the stopped run did not judge waits alone until --timeout.
k=0 one=""
for v in $(echo "$json" | $JSON_GET each . verdict); do
	[ "$v" = not_judged ] && { one=$(echo "$json" | $JSON_GET get ".$k.id"); break; }
	k=$((k + 1))
done
[ -n "$one" ] || fail "no mailbox left to test alone"
run_rc 1 ec -v test "$one" --timeout 3
assert_contains "$ERR" "waiting mailbox in 1 request" "a round of one mailbox in the singular"
assert_not_contains "$ERR" "1 requests" "no plural for one request"
echo "test stopped by Ctrl-C keeps and prints every verdict reached: ok"
