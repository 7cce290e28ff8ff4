#!/bin/sh
# monitoring_approval_words.sh — issue 12 item 7 ("approvals pending 0
# when 13,760 are pending: it counts only those whose approval blocks mail,
# without saying so") fixed in the panel ("17 pending (16 blocking mail)")
# but not in `check` and `status`: on the demo organization they say "16
# pending approvals" / "Pending approval 16" while the console says 17
# pending, and `mailboxes --filter approval:pending` lists 14. A count
# called pending must be the panel's pending count (what its filter lists),
# or say that it counts the mailboxes whose approval blocks mail.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active -approval:approved -approval:rejected' --json
pending=$(printf '%s\n' "$OUT" | $JSON_GET len .)
run_rc 0 ec check
line=$(printf '%s\n' "$OUT" | head -1)
case $line in
*" approvals blocking mail ($pending pending)"*) ;;
*) fail "check says [$(printf '%s' "$line" | sed 's/ |.*//')] while $pending mailboxes are pending (the panel's count)" ;;
esac
run_rc 0 ec status
st=$(printf '%s\n' "$OUT" | grep "^Approvals")
case $st in
*" $pending pending, "*"blocking mail"*) ;;
*) fail "status says [$st] while $pending mailboxes are pending" ;;
esac
