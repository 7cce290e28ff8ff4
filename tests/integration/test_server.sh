#!/bin/sh
# test_server.sh — Test & Enable against the emulator's own test: a pass;
# pending approval failing with the approval explanation; --approve, and its
# refusal without the rights; ACT on a POP3 profile refused at the rules
# stage (never sent); --timeout when the test never completes; --no-wait;
# the history shown by `mailbox SEL`; the JSON shape.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --test-delay 1
client_env
run_rc 0 ec sync

pick() { # filter -> the first matching id
	run_rc 0 ec mailboxes --filter "$1" --json
	id=$(echo "$OUT" | $JSON_GET get .0.id)
	[ -n "$id" ] && [ "$id" != null ] || fail "no mailbox matches $1"
	echo "$id"
}
good=$(pick 'state:active approval:approved profile:exchange incoming:server-side-sync outgoing:server-side-sync act:server-side-sync')
pending=$(pick 'state:active approval:pending type:user profile:exchange incoming:server-side-sync')

# A good mailbox passes every stage and channel.
run_rc 0 ec test "$good" --json
assert_eq pass "$(echo "$OUT" | $JSON_GET get .0.verdict)" "verdict"
assert_eq "id name verdict checks" "$(echo "$OUT" | $JSON_GET keys .0 | tr '\n' ' ' | sed 's/ $//')" "result keys"
assert_eq "stage channel status code message fix elapsed_ms" \
	"$(echo "$OUT" | $JSON_GET keys .0.checks.0 | tr '\n' ' ' | sed 's/ $//')" "check keys"
stages=$(echo "$OUT" | $JSON_GET each .0.checks stage | uniq | tr '\n' ' ' | sed 's/ $//')
assert_eq "rules approval connectivity server verdict" "$stages" "stages in order"
# The history is kept and shown.
run_rc 0 ec mailbox "$good" --json
assert_eq pass "$(echo "$OUT" | $JSON_GET get .last_test.verdict)" "last test in mailbox --json"
run_rc 0 ec mailbox "$good"
assert_contains "$OUT" "Last Test & Enable: pass" "last test in mailbox"

# Pending approval: fails, and the organization's alert is explained.
run_rc 1 ec test "$pending"
assert_contains "$OUT" "FAIL" "pending fails"
assert_contains "$OUT" "requires an approval" "the organization's alert"
assert_contains "$OUT" "emailcfg approve" "the approval fix"
run_rc 0 ec alerts "$pending" --summary --json
assert_eq approval "$(echo "$OUT" | $JSON_GET get .0.cause)" "alerts --summary groups it as approval"

# --approve approves first, then the test passes.
run_rc 0 ec test "$pending" --approve --json
assert_eq pass "$(echo "$OUT" | $JSON_GET get .0.verdict)" "approved and passed"
assert_eq approval.approved "$(echo "$OUT" | $JSON_GET get .0.checks.1.code)" "approved by emailcfg"
sim_stop

# Without the rights, --approve reports the organization's message and the way out.
sim_start --test-delay 1 --approver-role none
client_env
rm -f "$C"
run_rc 0 ec sync
pending=$(pick 'state:active approval:pending type:user profile:exchange incoming:server-side-sync')
run_rc 1 ec test "$pending" --approve --local-only
assert_contains "$OUT" "Global Administrator or Exchange Administrator" "the organization's message"
assert_contains "$OUT" "Delegated Mailbox Approver" "the way out"
sim_stop

# ACT on a POP3 profile is refused at the rules stage and never sent.
sim_start --test-delay 1 --never-complete
client_env
rm -f "$C"
run_rc 0 ec sync
pop=$(pick 'state:active profile:pop3')
run_rc 0 ec --offline mailbox set "$pop" act=outlook
sqlite3 "$C" "update outbox set state='sent'" # keep the cache's view, do not push
sqlite3 "$C" "update mailboxes set act=1 where id='$pop'"
before=$(sim_seq)
run_rc 1 ec test "$pop" --json
assert_eq fail "$(echo "$OUT" | $JSON_GET get .0.verdict)" "refused"
assert_eq rule.act-needs-exchange "$(echo "$OUT" | $JSON_GET get .0.checks.0.code)" "at the rules stage"
sim_log_since "$before"
$JSON_GET each . method <"$SIM_BODY" | grep -q PATCH && fail "a refused test was sent"

# The organization never completes: --timeout ends the wait.
good=$(pick 'state:active approval:approved profile:exchange incoming:server-side-sync outgoing:server-side-sync act:server-side-sync')
# (timeout 120 only guards the suite against a hang; it is not a speed bound.)
run_rc 1 timeout 120 $EMAILCFG --org "$SIM_URL" --cache "$C" test "$good" --timeout 3
assert_contains "$OUT" "did not finish within 3 s" "timeout named"

# --read-only allows the local checks and refuses the organization's test.
run_rc 0 ec --read-only test "$good" --local-only
run_rc 2 ec --read-only test "$good"
assert_contains "$ERR" "read-only" "refused by core"

# --no-wait schedules and returns.
run_rc 0 ec test "$good" --no-wait --json
echo "$OUT" | $JSON_GET each .0.checks code | grep -qx server.scheduled || fail "not scheduled"
# The organization goes away while its test runs: the wait ends with exit 4.
$EMAILCFG --org "$SIM_URL" --cache "$C" test "$good" --timeout 600 >"$T/gone.out" 2>"$T/gone.err" &
pid=$!
sleep 3
sim_stop || true
set +e
wait $pid
rc=$?
set -e
assert_eq 4 "$rc" "exit status when the organization disappears"
assert_contains "$(cat "$T/gone.err")" "stopped answering" "one line saying so"
assert_contains "$(cat "$T/gone.out")" "FAIL" "the run still reports"
echo "test server stage: ok"
