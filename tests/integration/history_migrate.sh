#!/bin/sh
# history_migrate.sh — a cache of schema 10 (history without removals)
# opened by this emailcfg: its snapshots and changes are kept, they read as
# they did (not removed), and a mailbox removed afterwards closes its past.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/schema_undo.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --json
A=$(printf '%s\n' "$OUT" | $JSON_GET get .0.id)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($A)" '{"incomingemailstatus":2}')" "A fails"
run_rc 0 ec sync
sqlite3 "$C" "BEGIN; $(schema_undo 11) PRAGMA user_version = 10; COMMIT;"
assert_eq 10 "$(sqlite3 "$C" 'PRAGMA user_version;')" "a schema 10 cache"
before=$(sqlite3 "$C" "SELECT count(*) || '/' || (SELECT count(*) FROM status_snapshots) FROM status_changes")
assert_eq 204 "$(sim_ctl DELETE "mailboxes($A)")" "A removed"
run_rc 0 ec history --mailbox "$A" --csv
assert_contains "$OUT" ",incoming,success,failure," "the change kept across the migration"
assert_eq "$(schema_latest)" "$(sqlite3 "$C" 'PRAGMA user_version;')" "migrated"
assert_eq "$before" "$(sqlite3 "$C" "SELECT count(*) || '/' || (SELECT count(*) FROM status_snapshots) FROM status_changes")" \
	"every change and snapshot kept"
assert_eq 0 "$(sqlite3 "$C" "SELECT count(*) FROM status_changes WHERE removed")" "none reads as a removal"
run_rc 0 ec sync
assert_eq 1 "$(sqlite3 "$C" "SELECT count(*) FROM status_changes WHERE removed AND mailbox_id = '$A' AND channel = 'incoming' AND from_status = 2")" \
	"the removal after the migration closes A's failing channel"
