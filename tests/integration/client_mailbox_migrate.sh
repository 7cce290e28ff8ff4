#!/bin/sh
# client_mailbox_migrate.sh — a cache of schema 8 (synced before the whole
# mailbox was read) opened by this emailcfg: the migration to 9 adds the
# columns and releases the cached versions, so the next sync, incremental,
# reads every mailbox again and shows the new fields. The schema-8 cache is
# made from a synced one by dropping what version 9 added (sqlite3), with
# its versions and watermark kept, as the older emailcfg left them.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
command -v sqlite3 >/dev/null || fail "sqlite3 is needed (the check set of mk/packages.txt)"
sim_start
client_env
JSON_GET=${JSON_GET:-build/tests/tools/json-get}
run_rc 0 ec sync
total=$(ec mailboxes --json | $JSON_GET len .)

# Back to schema 8: the columns of the version 9 block gone, and what the
# later blocks added (their tables, triggers and columns), nothing else.
cols=$(sed -n '/^-- version 9$/,/^-- version 10$/p' data/schema.sql |
	sed -n 's/^ALTER TABLE \([a-z]*\) ADD COLUMN \([a-z_]*\) .*/ALTER TABLE \1 DROP COLUMN \2;/p')
[ -n "$cols" ] || fail "no version 9 block in data/schema.sql"
. tests/lib/schema_undo.sh
later=$(schema_undo 10)
sqlite3 "$C" "$later $cols PRAGMA user_version = 8;"
assert_eq 8 "$(sqlite3 "$C" 'PRAGMA user_version;')" "a schema 8 cache"
if sqlite3 "$C" 'SELECT last_sync_error FROM mailboxes' 2>/dev/null; then
	fail "the schema 8 cache still has last_sync_error"
fi
versions=$(sqlite3 "$C" 'SELECT count(*) FROM mailboxes WHERE version > 0')
assert_eq "$total" "$versions" "the older sync left versions"

# Opened by this emailcfg: migrated, and the incremental sync reads all.
run_rc 0 ec sync
latest=$(sed -n 's/^-- version \([0-9]*\)$/\1/p' data/schema.sql | tail -n 1)
assert_eq "$latest" "$(sqlite3 "$C" 'PRAGMA user_version;')" "migrated through 9 to the latest"
assert_contains "$OUT" "stored $total mailboxes" "every mailbox read again"
run_rc 0 ec mailbox tomaz.petek@kovinoplast.si --json
assert_eq -2147220970 "$(echo "$OUT" | $JSON_GET get .last_sync_error_code)" "error code after migration"
assert_eq 2024-03-08T10:01:00Z "$(echo "$OUT" | $JSON_GET get .last_sync_error_on)" "error time after migration"
assert_eq 2023-03-01 "$(echo "$OUT" | $JSON_GET get .process_email_from)" "date after migration"
# A sync with nothing changed reads nothing again.
run_rc 0 ec sync
assert_contains "$OUT" "stored 0 mailboxes" "versions back in place"
echo ok
