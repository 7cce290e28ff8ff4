# schema_undo.sh — builds caches of an older schema for migration tests.
# schema_undo N prints the SQL that takes a cache of the current schema
# back to before block "-- version N" of data/schema.sql: what every block
# from N on adds goes, triggers first, then columns (a later block may add
# one to a table an earlier one creates), then tables. A table a
# block rebuilds under a new name (outbox_v9) is the caller's to undo, as
# are PRAGMA user_version and any data the block changed.
schema_undo() {
	_blocks=$(sed -n "/^-- version $1\$/,\$p" data/schema.sql)
	printf '%s\n' "$_blocks" | sed -n 's/^CREATE TRIGGER \([a-z_]*\) .*/DROP TRIGGER \1;/p'
	printf '%s\n' "$_blocks" |
		sed -n 's/^ALTER TABLE \([a-z_]*\) ADD COLUMN \([a-z_]*\) .*/ALTER TABLE \1 DROP COLUMN \2;/p'
	printf '%s\n' "$_blocks" | grep -v '^CREATE TABLE [a-z_]*_v[0-9]* ' |
		sed -n 's/^CREATE TABLE \([a-z_]*\) .*/DROP TABLE \1;/p'
}

# schema_to_v8 CACHE — back to schema 8: the version 9 columns dropped, the outbox
# rebuilt with version 8's CHECK (no 'profile' entity), ids and counter kept.
schema_to_v8() {
	cols=$(schema_undo 9)
	sqlite3 "$1" "BEGIN; $cols
CREATE TABLE outbox_v8 (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	entity TEXT NOT NULL CHECK (entity IN ('mailbox', 'organization')),
	target_id TEXT NOT NULL, changes TEXT NOT NULL, base TEXT, theirs TEXT,
	base_version INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'conflict', 'failed')),
	created_on TEXT NOT NULL, updated_on TEXT NOT NULL, error TEXT,
	claim TEXT, claim_expires INTEGER NOT NULL DEFAULT 0);
INSERT INTO outbox_v8 SELECT id, entity, target_id, changes, base, theirs, base_version, state,
	created_on, updated_on, error, claim, claim_expires FROM outbox;
DELETE FROM sqlite_sequence WHERE name = 'outbox_v8'; INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v8', seq FROM sqlite_sequence WHERE name = 'outbox';
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
CREATE INDEX outbox_target ON outbox (entity, target_id, state);
CREATE INDEX outbox_state ON outbox (state, id);
PRAGMA user_version = 8; COMMIT;"
	assert_eq 8 "$(sqlite3 "$1" 'PRAGMA user_version;')" "a schema 8 cache"
}

# schema_latest — the version of the last block of data/schema.sql.
schema_latest() {
	sed -n 's/^-- version \([0-9]*\)$/\1/p' data/schema.sql | tail -n 1
}
