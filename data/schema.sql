-- schema.sql — the SQLite cache of emailcfg (docs/architecture.md), compiled into
-- the binary by mk/embed.sh. Migrations by PRAGMA user_version: each block
-- below starts with a line "-- version N" and holds the statements that take
-- a cache from version N-1 to N. core/cache/cache.c applies every block above the
-- file's user_version, one transaction per block, and then sets user_version
-- to N. Never edit a released block; add a new one.
--
-- Conventions: ids are lowercase GUIDs; times are ISO 8601 UTC text
-- ("2024-03-01T09:00:00Z"); option columns hold wire values (core/model/options.h)
-- and NULL when the organization sent null; *_folded columns hold the
-- utf8_fold() of the column for case-insensitive search and sorting and are
-- never NULL ('' instead), so filters over them need no NULL handling.
-- core/model/filter.c compiles filters against the mailboxes and outbox columns.

-- version 1
-- Organization settings, server profiles, mailboxes and alerts.

CREATE TABLE settings (
	slot INTEGER PRIMARY KEY CHECK (slot = 1), -- exactly one row
	id TEXT,                                   -- organizationid
	process_using INTEGER,
	default_profile_id TEXT,
	default_profile_name TEXT,
	default_incoming INTEGER,
	default_outgoing INTEGER,
	default_act INTEGER,
	approve_users INTEGER,
	approve_queues INTEGER,
	alerts_errors INTEGER,
	alerts_warnings INTEGER,
	alerts_information INTEGER,
	notify_mailbox_owner INTEGER,
	correlation INTEGER,
	max_tracking_number INTEGER,
	tracking_prefix TEXT,
	folder_tracking INTEGER,
	smart_matching INTEGER,
	ignore_internal_email INTEGER,
	allow_unresolved INTEGER,
	max_upload_bytes INTEGER,
	modified_on TEXT,
	version INTEGER NOT NULL DEFAULT 0,
	raw TEXT
);

CREATE TABLE profiles (
	id TEXT PRIMARY KEY NOT NULL,
	name TEXT,
	name_folded TEXT NOT NULL DEFAULT '',
	server_type INTEGER,
	incoming_location TEXT,
	outgoing_location TEXT,
	incoming_port INTEGER,
	outgoing_port INTEGER,
	incoming_ssl INTEGER,
	outgoing_ssl INTEGER,
	incoming_credential INTEGER,
	outgoing_credential INTEGER,
	use_same_settings INTEGER,
	state INTEGER,
	modified_on TEXT,
	version INTEGER NOT NULL DEFAULT 0,
	raw TEXT
);
CREATE INDEX profiles_name ON profiles (name_folded, id);

CREATE TABLE mailboxes (
	id TEXT PRIMARY KEY NOT NULL,
	name TEXT,
	email TEXT,
	owner_type INTEGER,
	owner_id TEXT,
	owner TEXT,
	incoming INTEGER,
	outgoing INTEGER,
	act INTEGER,
	incoming_status INTEGER,
	outgoing_status INTEGER,
	act_status INTEGER,
	mailbox_status INTEGER,
	approval INTEGER,
	profile_id TEXT,
	profile_name TEXT,
	enabled_incoming INTEGER,
	enabled_outgoing INTEGER,
	enabled_act INTEGER,
	test_scheduled INTEGER,
	test_completed_on TEXT,
	retry_count INTEGER,
	allow_credentials INTEGER,
	username TEXT,
	password_set INTEGER,
	state INTEGER,
	modified_on TEXT,
	version INTEGER NOT NULL DEFAULT 0,
	name_folded TEXT NOT NULL DEFAULT '',
	email_folded TEXT NOT NULL DEFAULT '',
	owner_folded TEXT NOT NULL DEFAULT '',
	profile_folded TEXT NOT NULL DEFAULT '',
	raw TEXT
);
-- One index per sort key, each ending in id: the list's tie-break, so a page
-- at any offset is read from the index in order.
CREATE INDEX mailboxes_name ON mailboxes (name_folded, id);
CREATE INDEX mailboxes_email ON mailboxes (email_folded, id);
CREATE INDEX mailboxes_owner ON mailboxes (owner_folded, id);
CREATE INDEX mailboxes_type ON mailboxes (owner_type, id);
CREATE INDEX mailboxes_incoming ON mailboxes (incoming, id);
CREATE INDEX mailboxes_outgoing ON mailboxes (outgoing, id);
CREATE INDEX mailboxes_act ON mailboxes (act, id);
CREATE INDEX mailboxes_incoming_status ON mailboxes (incoming_status, id);
CREATE INDEX mailboxes_outgoing_status ON mailboxes (outgoing_status, id);
CREATE INDEX mailboxes_act_status ON mailboxes (act_status, id);
CREATE INDEX mailboxes_approval ON mailboxes (approval, id);
CREATE INDEX mailboxes_profile ON mailboxes (profile_folded, id);
CREATE INDEX mailboxes_profile_id ON mailboxes (profile_id);
CREATE INDEX mailboxes_state ON mailboxes (state, id);
CREATE INDEX mailboxes_modified ON mailboxes (modified_on, id);

CREATE TABLE alerts (
	id TEXT PRIMARY KEY NOT NULL,   -- tracelogid
	regarding_id TEXT,              -- the mailbox or server profile
	regarding_profile INTEGER NOT NULL DEFAULT 0,
	level INTEGER,
	code INTEGER,                   -- tracecode
	success INTEGER,                -- tracestatus
	text TEXT,
	created_on TEXT,
	modified_on TEXT
);
CREATE INDEX alerts_regarding ON alerts (regarding_id, modified_on);
CREATE INDEX alerts_modified ON alerts (modified_on, id);

-- version 2
-- The outbox, Test & Enable history, sync state and meta; the "seen"
-- generation that lets a full sync remove rows the organization no longer has.

ALTER TABLE profiles ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;

-- Every local change, written (durably) before it is sent. A mailbox with an
-- entry in state queued or conflict is "pending"; nothing else marks it.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	entity TEXT NOT NULL CHECK (entity IN ('mailbox', 'organization')),
	target_id TEXT NOT NULL,
	changes TEXT NOT NULL,          -- JSON {KEY: VALUE}
	base TEXT,                      -- JSON: the same keys before the edit
	theirs TEXT,                    -- JSON: the organization's values at a conflict
	base_version INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'queued'
		CHECK (state IN ('queued', 'sent', 'conflict', 'failed')),
	created_on TEXT NOT NULL,
	updated_on TEXT NOT NULL,
	error TEXT
);
CREATE INDEX outbox_target ON outbox (entity, target_id, state);
CREATE INDEX outbox_state ON outbox (state, id);

-- Test & Enable: one run per mailbox per test, with its checks in order.
CREATE TABLE test_runs (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mailbox_id TEXT NOT NULL,
	name TEXT,
	verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'skip')),
	started_on TEXT,
	finished_on TEXT
);
CREATE INDEX test_runs_mailbox ON test_runs (mailbox_id, id);

CREATE TABLE test_checks (
	run_id INTEGER NOT NULL REFERENCES test_runs (id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	stage TEXT NOT NULL,
	channel TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'skip')),
	code TEXT,
	message TEXT,
	fix TEXT,
	elapsed_ms INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (run_id, seq)
);

-- Per entity ("settings", "profiles", "mailboxes", "alerts"): the modifiedon
-- watermark of the last completed pull, when the last full and the last pull
-- completed, and the generation of the current full pull (rows written since
-- it began carry it in their seen column).
CREATE TABLE sync_state (
	entity TEXT PRIMARY KEY NOT NULL,
	watermark TEXT,
	last_full TEXT,
	last_sync TEXT,
	generation INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE meta (
	key TEXT PRIMARY KEY NOT NULL,
	value TEXT
);

-- version 3
-- The organization's display name, for the console's header and `status`.
ALTER TABLE settings ADD COLUMN name TEXT;

-- version 4
-- Search and sort keys that follow the Slovenian alphabet (c < č < d,
-- s < š < t, z < ž): recomputed with ec_fold(), the cache's utf8_fold().
UPDATE profiles SET name_folded = ec_fold(name);
UPDATE mailboxes SET name_folded = ec_fold(name), email_folded = ec_fold(email),
	owner_folded = ec_fold(owner), profile_folded = ec_fold(profile_name);

-- version 5
-- Rows a sync could not read fully are kept and marked: unreadable says
-- which field and why ("field 'incomingemaildeliverymethod': value 7 is newer
-- than this emailcfg"), NULL when the row was read completely. Rows the
-- organization no longer has are found by an id listing on every sync (in
-- TEMP tables of the connection), so the seen column of version 2 is no
-- longer written.
ALTER TABLE profiles ADD COLUMN unreadable TEXT;
ALTER TABLE mailboxes ADD COLUMN unreadable TEXT;
ALTER TABLE alerts ADD COLUMN unreadable TEXT;

-- version 6
-- A lease on an outbox entry being pushed (see core/sync/outbox.h): claim is the
-- pusher's token ("host pid nonce"), claim_expires the Unix time after which
-- the claim is void. Claiming is one UPDATE that succeeds only on a queued
-- entry with no live claim; settling matches id and claim. Other processes
-- and threads leave a claimed entry alone and never merge into it.
ALTER TABLE outbox ADD COLUMN claim TEXT;
ALTER TABLE outbox ADD COLUMN claim_expires INTEGER NOT NULL DEFAULT 0;

-- version 7
-- Smaller: rows are kept as their columns only (the raw JSON, 4 KB a mailbox
-- with its annotations, was never read back: a conflict reads the row from
-- the organization again), the seen generation of version 2 goes, and the
-- sort indexes hold their column alone. SQLite appends the rowid to every
-- index entry, and the lists break ties by rowid, so a page at any offset is
-- still read from the index in order, without the 36-byte id in each entry.
ALTER TABLE settings DROP COLUMN raw;
ALTER TABLE profiles DROP COLUMN raw;
ALTER TABLE profiles DROP COLUMN seen;
ALTER TABLE mailboxes DROP COLUMN raw;
ALTER TABLE mailboxes DROP COLUMN seen;
ALTER TABLE alerts DROP COLUMN seen;
DROP INDEX IF EXISTS mailboxes_name;
DROP INDEX IF EXISTS mailboxes_email;
DROP INDEX IF EXISTS mailboxes_owner;
DROP INDEX IF EXISTS mailboxes_type;
DROP INDEX IF EXISTS mailboxes_incoming;
DROP INDEX IF EXISTS mailboxes_outgoing;
DROP INDEX IF EXISTS mailboxes_act;
DROP INDEX IF EXISTS mailboxes_incoming_status;
DROP INDEX IF EXISTS mailboxes_outgoing_status;
DROP INDEX IF EXISTS mailboxes_act_status;
DROP INDEX IF EXISTS mailboxes_approval;
DROP INDEX IF EXISTS mailboxes_profile;
DROP INDEX IF EXISTS mailboxes_state;
DROP INDEX IF EXISTS mailboxes_modified;
CREATE INDEX mailboxes_name ON mailboxes (name_folded);
CREATE INDEX mailboxes_email ON mailboxes (email_folded);
CREATE INDEX mailboxes_owner ON mailboxes (owner_folded);
CREATE INDEX mailboxes_type ON mailboxes (owner_type);
CREATE INDEX mailboxes_incoming ON mailboxes (incoming);
CREATE INDEX mailboxes_outgoing ON mailboxes (outgoing);
CREATE INDEX mailboxes_act ON mailboxes (act);
CREATE INDEX mailboxes_incoming_status ON mailboxes (incoming_status);
CREATE INDEX mailboxes_outgoing_status ON mailboxes (outgoing_status);
CREATE INDEX mailboxes_act_status ON mailboxes (act_status);
CREATE INDEX mailboxes_approval ON mailboxes (approval);
CREATE INDEX mailboxes_profile ON mailboxes (profile_folded);
CREATE INDEX mailboxes_state ON mailboxes (state);
CREATE INDEX mailboxes_modified ON mailboxes (modified_on);

-- version 8
-- An incremental sync compares every row's id, version and modification
-- time with the organization's listing: an index of those alone is read in
-- id order without touching the table's 800-byte rows (a fifth of that
-- read's time at 100,000 mailboxes).
CREATE INDEX mailboxes_versions ON mailboxes (id, version, modified_on);

-- version 9
-- The whole mailbox (what an admin reads when a mailbox stops syncing) and
-- the whole server profile (what its form edits). The rows already cached
-- lack these columns' values, so their versions are released (0: the next
-- listing differs and reads them again) and the change-tracking links are
-- dropped (a delta would list only rows changed since).
ALTER TABLE mailboxes ADD COLUMN process_email_from TEXT;
ALTER TABLE mailboxes ADD COLUMN delete_after_processing INTEGER;
ALTER TABLE mailboxes ADD COLUMN ews_url TEXT;
ALTER TABLE mailboxes ADD COLUMN is_forward_mailbox INTEGER;
ALTER TABLE mailboxes ADD COLUMN processing_state INTEGER;
ALTER TABLE mailboxes ADD COLUMN last_sync_on TEXT;
ALTER TABLE mailboxes ADD COLUMN last_sync_error TEXT;
ALTER TABLE mailboxes ADD COLUMN last_sync_error_code INTEGER;
ALTER TABLE mailboxes ADD COLUMN last_sync_error_on TEXT;
ALTER TABLE profiles ADD COLUMN server_type_name TEXT;
ALTER TABLE profiles ADD COLUMN incoming_auth INTEGER;
ALTER TABLE profiles ADD COLUMN outgoing_auth INTEGER;
ALTER TABLE profiles ADD COLUMN incoming_username TEXT;
ALTER TABLE profiles ADD COLUMN outgoing_username TEXT;
ALTER TABLE profiles ADD COLUMN incoming_password_set INTEGER;
ALTER TABLE profiles ADD COLUMN outgoing_password_set INTEGER;
ALTER TABLE profiles ADD COLUMN use_autodiscover INTEGER;
ALTER TABLE profiles ADD COLUMN max_connections INTEGER;
UPDATE mailboxes SET version = 0;
UPDATE profiles SET version = 0;
DELETE FROM meta WHERE key LIKE 'delta\_link.%' ESCAPE '\';
-- A server profile's edits go through the outbox too (entity 'profile').
-- SQLite cannot change a CHECK, so the table is rebuilt with every entry,
-- its id and the id counter kept.
CREATE TABLE outbox_v9 (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	entity TEXT NOT NULL CHECK (entity IN ('mailbox', 'organization', 'profile')),
	target_id TEXT NOT NULL,
	changes TEXT NOT NULL,
	base TEXT,
	theirs TEXT,
	base_version INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'queued'
		CHECK (state IN ('queued', 'sent', 'conflict', 'failed')),
	created_on TEXT NOT NULL,
	updated_on TEXT NOT NULL,
	error TEXT,
	claim TEXT,
	claim_expires INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_v9 (id, entity, target_id, changes, base, theirs, base_version, state,
	created_on, updated_on, error, claim, claim_expires)
	SELECT id, entity, target_id, changes, base, theirs, base_version, state, created_on,
	updated_on, error, claim, claim_expires FROM outbox;
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'outbox')
	WHERE name = 'outbox_v9' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox');
DROP TABLE outbox;
ALTER TABLE outbox_v9 RENAME TO outbox;
CREATE INDEX outbox_target ON outbox (entity, target_id, state);
CREATE INDEX outbox_state ON outbox (state, id);

-- version 10
-- History of every sync (issue 14; core/cache/cache_status_history.c).
-- status_snapshots: one row per completed pull (`emailcfg sync` and the
-- console's refresh alike) with the counts of the status panel. Rows older
-- than history-detail-days (whole UTC days) are folded to the last one of
-- their day, marked daily = 1, and those go after history-days.
CREATE TABLE status_snapshots (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	taken_on TEXT NOT NULL,
	duration_ms INTEGER,            -- of the pull; NULL when unknown
	daily INTEGER NOT NULL DEFAULT 0,
	mailboxes INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 0,
	inactive INTEGER NOT NULL DEFAULT 0,
	incoming_success INTEGER NOT NULL DEFAULT 0,
	incoming_failure INTEGER NOT NULL DEFAULT 0,
	incoming_not_run INTEGER NOT NULL DEFAULT 0,
	outgoing_success INTEGER NOT NULL DEFAULT 0,
	outgoing_failure INTEGER NOT NULL DEFAULT 0,
	outgoing_not_run INTEGER NOT NULL DEFAULT 0,
	act_success INTEGER NOT NULL DEFAULT 0,
	act_failure INTEGER NOT NULL DEFAULT 0,
	act_not_run INTEGER NOT NULL DEFAULT 0,
	approval_pending INTEGER NOT NULL DEFAULT 0,
	alert_errors INTEGER NOT NULL DEFAULT 0,
	alert_warnings INTEGER NOT NULL DEFAULT 0,
	alert_information INTEGER NOT NULL DEFAULT 0,
	queued INTEGER NOT NULL DEFAULT 0,
	conflicts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX status_snapshots_taken ON status_snapshots (taken_on);

-- status_changes: every change of a cached mailbox's channel status, written
-- by the triggers below whatever stores the row (a sync, the console's
-- refresh, a push reading the row back). A mailbox cached for the first time
-- is not a change (its status before is unknown), so a mailbox already
-- failing then has no "failing since". NULL statuses are "not run" to the
-- status panel and recorded as NULL. snapshot_id is the sync that saw the
-- change (NULL until its snapshot is written); that sync also copies the
-- mailbox's newest alert into alert_id and alert_text. Changes older than
-- history-detail-days go, except the newest of each mailbox and channel (it
-- says since when the current status holds) while the mailbox is cached.
CREATE TABLE status_changes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mailbox_id TEXT NOT NULL,
	mailbox_name TEXT,              -- at the time of the change
	channel TEXT NOT NULL CHECK (channel IN ('incoming', 'outgoing', 'act')),
	from_status INTEGER,
	to_status INTEGER,
	changed_on TEXT NOT NULL,
	snapshot_id INTEGER,
	alert_id TEXT,
	alert_text TEXT
);
CREATE INDEX status_changes_mailbox ON status_changes (mailbox_id, changed_on);
CREATE INDEX status_changes_changed ON status_changes (changed_on);
CREATE INDEX status_changes_snapshot ON status_changes (snapshot_id);
CREATE TRIGGER mailboxes_incoming_changed AFTER UPDATE OF incoming_status ON mailboxes
	WHEN old.incoming_status IS NOT new.incoming_status
BEGIN
	INSERT INTO status_changes (mailbox_id, mailbox_name, channel, from_status, to_status,
		changed_on) VALUES (new.id, new.name, 'incoming', old.incoming_status,
		new.incoming_status, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
CREATE TRIGGER mailboxes_outgoing_changed AFTER UPDATE OF outgoing_status ON mailboxes
	WHEN old.outgoing_status IS NOT new.outgoing_status
BEGIN
	INSERT INTO status_changes (mailbox_id, mailbox_name, channel, from_status, to_status,
		changed_on) VALUES (new.id, new.name, 'outgoing', old.outgoing_status,
		new.outgoing_status, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
CREATE TRIGGER mailboxes_act_changed AFTER UPDATE OF act_status ON mailboxes
	WHEN old.act_status IS NOT new.act_status
BEGIN
	INSERT INTO status_changes (mailbox_id, mailbox_name, channel, from_status, to_status,
		changed_on) VALUES (new.id, new.name, 'act', old.act_status, new.act_status,
		strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
-- Whether the mailbox syncs items with Exchange from this organization only
-- (orgmarkedasprimaryforexchangesync): the cached rows lack it, so their
-- versions are released and the change-tracking links dropped (as the
-- block before does), and the next sync reads them again.
ALTER TABLE mailboxes ADD COLUMN org_primary_for_exchange_sync INTEGER;
UPDATE mailboxes SET version = 0;
DELETE FROM meta WHERE key LIKE 'delta\_link.%' ESCAPE '\';

-- version 11
-- A mailbox removed from the organization closes its channels' histories:
-- one change per channel that had a status, to none, marked removed. Its
-- past stays readable by id until history-detail-days; a mailbox that comes
-- back is cached anew, so its "failing since" does not reach across the gap.
-- A mailbox that appears once the cache has history opens them: one change
-- per channel with a status, from none, marked added (a new user whose
-- address is not approved is a failure that began). The first sync of a
-- cache records none: its mailboxes are not new, only newly seen.
ALTER TABLE status_changes ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE status_changes ADD COLUMN added INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER mailboxes_removed AFTER DELETE ON mailboxes
BEGIN
	INSERT INTO status_changes (mailbox_id, mailbox_name, channel, from_status, to_status,
		changed_on, removed) SELECT old.id, old.name, ch, st, NULL,
		strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 1 FROM (SELECT 'incoming' AS ch,
		old.incoming_status AS st UNION ALL SELECT 'outgoing', old.outgoing_status
		UNION ALL SELECT 'act', old.act_status) WHERE st IS NOT NULL;
END;
CREATE TRIGGER mailboxes_added AFTER INSERT ON mailboxes
	WHEN EXISTS (SELECT 1 FROM status_snapshots)
BEGIN
	INSERT INTO status_changes (mailbox_id, mailbox_name, channel, from_status, to_status,
		changed_on, added) SELECT new.id, new.name, ch, NULL, st,
		strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 1 FROM (SELECT 'incoming' AS ch,
		new.incoming_status AS st UNION ALL SELECT 'outgoing', new.outgoing_status
		UNION ALL SELECT 'act', new.act_status) WHERE st IS NOT NULL;
END;
