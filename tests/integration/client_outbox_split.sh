#!/bin/sh
# client_outbox_split.sh — a conflict is a field, not the whole edit: after
# a 412 the fields the organization did not change go out with the new
# etag, and only the fields changed on both sides to different values stay
# in the outbox as the conflict (so --theirs drops only those). "Keep mine"
# goes out against the row read at the conflict: a change the organization
# made since (even after a sync) is a new conflict, never overwritten unseen.
# A settings key given its current value queues nothing.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

run_rc 0 ec mailboxes --filter 'type:user state:active act:server-side-sync outgoing:server-side-sync' --json
user=$(echo "$OUT" | $JSON_GET get .0.id)
other=$(echo "$OUT" | $JSON_GET get .1.id)
[ -n "$other" ] && [ "$other" != null ] || fail "no suitable user mailboxes in the demo data"
org() { sim_ctl GET "mailboxes($1)" >/dev/null; jv "$2"; }

# The organization changes act; the admin sets act and outgoing.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"actdeliverymethod":0}')" "theirs: outlook"
run_rc 3 ec mailbox set "$user" act=none outgoing=none
assert_contains "$ERR" "act was changed on the organization" "the field named"
assert_eq 0 "$(org "$user" outgoingemaildeliverymethod)" "outgoing, untouched by them, was saved"
assert_eq 0 "$(org "$user" actdeliverymethod)" "act stays theirs"
run_rc 0 ec outbox --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "one entry"
entry=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq conflict "$(echo "$OUT" | $JSON_GET get .0.state)" "conflict"
assert_eq none "$(echo "$OUT" | $JSON_GET get .0.conflict.mine.act)" "mine"
assert_eq outlook "$(echo "$OUT" | $JSON_GET get .0.conflict.theirs.act)" "theirs"
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .0.conflict.base.act)" "base"
assert_eq null "$(echo "$OUT" | $JSON_GET get .0.changes.outgoing)" "outgoing is no conflict"
run_rc 0 ec outbox resolve "$entry" --theirs
run_rc 0 ec sync
assert_eq 0 "$(org "$user" outgoingemaildeliverymethod)" "--theirs kept the saved outgoing"
assert_eq 0 "$(org "$user" actdeliverymethod)" "--theirs kept their act"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "outbox empty"

# Keep mine after the organization changed the field again and a sync ran.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($other)" '{"actdeliverymethod":0}')" "theirs: outlook"
run_rc 3 ec mailbox set "$other" act=none
assert_eq 200 "$(sim_ctl PATCH "mailboxes($other)" '{"actdeliverymethod":1}')" "theirs again"
run_rc 0 ec sync
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 3 ec outbox resolve "$entry" --mine
assert_contains "$ERR" "act was changed on the organization" "a new conflict"
assert_eq 1 "$(org "$other" actdeliverymethod)" "their newer value is not overwritten"
run_rc 0 ec outbox --json
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .0.conflict.theirs.act)" "theirs now"
run_rc 0 ec outbox resolve "$entry" --mine
assert_eq 2 "$(org "$other" actdeliverymethod)" "mine, once the admin saw theirs"

# A settings key given the value it has: nothing queued, nothing sent.
run_rc 0 ec settings --json
prefix=$(echo "$OUT" | $JSON_GET get .tracking_prefix)
before=$(sim_seq)
run_rc 0 ec settings set "tracking-prefix=$prefix"
assert_eq "$before" "$(sim_seq)" "nothing sent"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "nothing queued"
echo "client outbox split: ok"
