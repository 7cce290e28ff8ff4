#!/bin/sh
# script_outbox_retry.sh — A (again) on the Outbox screen tries a failed edit again:
# an approval the organization refused (no approver role) is failed; once
# the role is there, A queues it again and the worker pushes it.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
assert_eq 200 "$(sim_ctl POST config '{"approver_role":"none"}')" "no approver"
run_rc 0 ec mailboxes --filter 'approval:pending type:user' --json
pending=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 1 ec approve "$pending"
assert_eq 200 "$(sim_ctl POST config '{"approver_role":"admin"}')" "cause removed"
cat >"$T/retry" <<'EOS'
:wait-idle
5
:wait-idle
:dump retry-failed
A
:wait-idle
:dump retry-done
q
EOS
tui_run 120x40 "$T/retry" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump retry-failed)" "failed" "the failed entry is listed"
assert_contains "$(tui_dump retry-failed)" "A retry" "A is offered"
assert_contains "$(tui_dump retry-done)" "the outbox is empty" "retried and sent"
run_rc 0 ec --offline outbox --json --all
assert_eq sent "$(echo "$OUT" | $JSON_GET get .0.state)" "sent"
assert_eq 200 "$(sim_ctl GET "mailboxes($pending)")" "the organization's row"
assert_eq 1 "$(jv emailrouteraccessapproval)" "approved on the organization"
echo "outbox retry in the console: ok"
