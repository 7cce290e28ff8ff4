#!/bin/sh
# outbox_doubt.sh — an edit merged into an entry whose PATCH may have
# arrived. The organization saves act=none but its answer is cut off, so
# the entry goes back to the outbox as queued; the admin then sets act
# back to what it was. That second edit must reach the organization: it
# may not be merged away as "back to the base" (the organization has the
# first edit's value, not the base).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

run_rc 0 ec mailboxes --filter 'type:user state:active act:server-side-sync' --json
# act: 1 server-side sync, 2 none (the organization's option values)
user=$(echo "$OUT" | $JSON_GET get .0.id)
[ -n "$user" ] && [ "$user" != null ] || fail "no suitable user mailbox in the demo data"

# Every answer cut in half: the PATCH is applied, its answer unreadable.
assert_eq 200 "$(sim_ctl POST config '{"truncate_every":1}')" "cut answers"
ec mailbox set "$user" act=none >"$T/a.out" 2>"$T/a.err" || true
assert_eq 200 "$(sim_ctl POST config '{"truncate_every":0}')" "whole answers"
assert_eq 200 "$(sim_ctl GET "mailboxes($user)")" "read the organization's row"
assert_eq 2 "$(jv actdeliverymethod)" "the first PATCH arrived"
run_rc 0 ec --offline outbox --json
assert_eq queued "$(echo "$OUT" | $JSON_GET get .0.state)" "the entry in doubt is queued again"
run_rc 0 ec --offline mailbox set "$user" act=server-side-sync
assert_contains "$OUT" "queued" "setting act back is an edit (the organization has none)"
run_rc 0 ec sync
assert_eq 200 "$(sim_ctl GET "mailboxes($user)")" "read the organization's row"
assert_eq 1 "$(jv actdeliverymethod)" "the admin's last edit (act back to server-side sync) arrived"
run_rc 0 ec --offline outbox --json
assert_eq 0 "$(echo "$OUT" | $JSON_GET len .)" "nothing left in the outbox"
run_rc 0 ec --offline mailbox "$user" --json
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .act)" "the cache shows the organization's value"
