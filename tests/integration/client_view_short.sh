#!/bin/sh
# client_view_short.sh — `emailcfg view` with no subcommand lists the views
# as `view list` does (text and --json); `mailbox set` takes the short forms
# the list shows (SSS, sss), as filters do, and still refuses a value that
# is neither a slug nor a short form.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

run_rc 0 ec view list
list=$OUT
run_rc 0 ec view
assert_eq "$list" "$OUT" "view alone is view list"
assert_contains "$OUT" "pending-approval" "the built-in views"
run_rc 0 ec view list --json
list=$OUT
run_rc 0 ec view --json
assert_eq "$list" "$OUT" "and with --json"
run_rc 2 ec view nosuch

id=$(ec mailbox ana.novak@kovinoplast.si --json | $JSON_GET get .id)
run_rc 0 ec mailbox set "$id" act=none
run_rc 0 ec mailbox set "$id" act=SSS
run_rc 0 ec mailbox "$id" --json
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .act)" "SSS is server-side sync"
run_rc 0 ec mailbox set "$id" act=none
run_rc 0 ec mailbox set "$id" act=sss
run_rc 0 ec mailbox "$id" --json
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .act)" "sss too"
run_rc 2 ec mailbox set "$id" act=SSX
assert_contains "$ERR" "server-side-sync" "a wrong value names the accepted ones"
echo "view alone and short forms in mailbox set: ok"
