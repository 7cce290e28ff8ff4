#!/bin/sh
# script_push_conflict_message.sh — P on an edit that meets a conflict must
# say so when it ends. P runs a sync (push, then pull); the push meets the
# conflict, the sync still returns EC_OK, and a sync's success prints no
# ending (tui/loop.c loop_job_done: a sync is the refresh job, so
# message_job_done is skipped). The message line keeps "pushing queued
# edits, then pulling" after the job ended (and outside script mode that
# information expires after 5 s), so nothing but "conflicts 1" in the panel
# tells the admin that the edit did not reach the organization.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'type:user state:active' --json
user=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec --offline mailbox set "$user" username=mine-user
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"username":"theirs-user"}')" "changed on the organization"
cat >"$T/s" <<'EOS'
:wait-idle
P
:wait-idle
:dump pushed
q
EOS
tui_run 120x40 "$T/s" --org "$SIM_URL" --cache "$C"
assert_eq conflict "$(sqlite3 "$C" "SELECT state FROM outbox")" "the edit waits as a conflict"
assert_contains "$(tui_dump pushed)" "conflicts 1" "the push met the conflict"
msg=$(tui_dump pushed | tail -2 | head -1)
assert_not_contains "$msg" "pushing queued edits" "the job ended: no 'pushing…' left behind"
echo "$msg" | grep -qi conflict || fail "the message line does not name the conflict: [$msg]"
