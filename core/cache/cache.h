/* cache.h — the local SQLite cache (docs/architecture.md): organization settings,
 * server profiles, mailboxes, alerts, the outbox of local edits, Test & Enable
 * history and sync state. The only door to SQLite: front ends and the rest of
 * core go through these functions.
 *
 * One ec_cache is one connection; use it from one thread at a time. Several
 * connections to the same file may be open at once (the console's UI and its
 * worker each open their own): the file is in WAL mode, readers never wait for
 * the writer, and writers wait up to 5 s for each other.
 *
 * Every function returns EC_OK (0) or an ec_status with err filled in (one
 * sentence: what failed and what to do). Getters that look up one thing return
 * CACHE_NOT_FOUND when it is not there, also with err filled in, so a caller
 * can either print it or treat the absence as normal.
 *
 * Writes are durable when the function returns (synchronous=FULL), and each
 * write function is one transaction: all of it or nothing. Inside
 * cache_transaction_begin()/commit() they join the caller's transaction. */
#ifndef EMAILCFG_CACHE_H
#define EMAILCFG_CACHE_H

#include <stdbool.h>

#include "core/base/error.h"
#include "core/model/model.h"

/* Returned by the getters when the row is not in the cache (err says which). */
#define CACHE_NOT_FOUND (-1)

typedef struct ec_cache ec_cache;

/* The synchronized entities, for full syncs and watermarks. */
enum cache_entity { CACHE_SETTINGS, CACHE_PROFILES, CACHE_MAILBOXES, CACHE_ALERTS };

/* "settings", "profiles", "mailboxes", "alerts". */
const char *cache_entity_name(enum cache_entity entity);

/* ---- Opening (cache.c) ------------------------------------------------- */

/* Opens (creating when missing) the cache at path and brings its schema up
 * to date. The directory is created 0700 with its missing parents; the file
 * and its -wal/-shm are 0600. Looser permissions on a file or directory we
 * own are tightened; on one we do not own they are refused (EC_LOCAL, naming
 * the chmod to run). A file that is not a cache, a damaged one, or one written
 * by a newer emailcfg is refused with EC_LOCAL. */
int cache_open(const char *path, ec_cache **out, ec_error *err);

/* For commands that only read: cache_open(), or, where neither the file nor
 * its directory may be written (a read-only mount, another user's
 * directory), the cache opened read-only (immutable when it has no -wal).
 * Such a cache is not upgraded: an older one is refused, saying what to do. */
int cache_open_reader(const char *path, ec_cache **out, ec_error *err);

/* cache_open() that migrates no further than version (for tests and tools:
 * 1 gives a cache exactly as the first release wrote it). */
int cache_open_version(const char *path, int version, ec_cache **out, ec_error *err);

/* Applies the schema blocks above the cache's version up to version. */
int cache_migrate_to(ec_cache *c, int version, ec_error *err);

/* The newest schema version this build knows (from data/schema.sql). */
int cache_schema_version(void);

/* The cache's PRAGMA user_version. */
int cache_user_version(ec_cache *c, int *version, ec_error *err);

void cache_close(ec_cache *c);

/* One cache, one organization (cache_org.c): this connection syncs the
 * organization at url. Refused (EC_LOCAL, naming both and what to do) when
 * the cache records another organization's URL; recorded by
 * cache_org_confirm() or the first cache_put_settings(), which refuses
 * another organization's settings. */
int cache_bind_org(ec_cache *c, const char *url, ec_error *err);
/* Before anything is sent to the bound organization: *pending when the
 * cache holds rows or edits but does not record its URL, and *need_id when
 * it records an organization id without a URL (a cache from before URLs
 * were recorded): the organization's own id must then be given to
 * cache_org_confirm(). */
int cache_org_pending(ec_cache *c, bool *pending, bool *need_id, ec_error *err);
/* Records the bound URL (and id, when not NULL) in a cache that records no
 * URL; refused (EC_LOCAL) when the cache records another organization's
 * id, and then nothing is recorded. */
int cache_org_confirm(ec_cache *c, const char *id, ec_error *err);
const char *cache_path(const ec_cache *c);

/* A number that changes when another connection commits to the cache: poll
 * it to learn that the worker wrote something (PRAGMA data_version). */
int cache_data_version(ec_cache *c, long long *version, ec_error *err);

/* One transaction around several calls (e.g. store the organization's row
 * and mark the outbox entry sent). Calls nest: an inner begin/commit is a
 * savepoint, and a rollback undoes only what followed its begin. */
int cache_transaction_begin(ec_cache *c, ec_error *err);
int cache_transaction_commit(ec_cache *c, ec_error *err);
int cache_transaction_rollback(ec_cache *c, ec_error *err);

/* Several reads that must agree (listing page by page while a sync may
 * commit): they all see the cache as it was at the first of them. Takes no
 * write lock; inside a write transaction it does nothing. */
int cache_snapshot_begin(ec_cache *c, ec_error *err);
int cache_snapshot_end(ec_cache *c, ec_error *err);

/* ---- Settings, profiles, alerts (cache_rows.c) -------------------------- */

/* Stores the organization's settings (the one row). Rows are kept as their
 * columns only: no JSON of what the organization sent. */
int cache_put_settings(ec_cache *c, const ec_settings *s, ec_error *err);
/* CACHE_NOT_FOUND before the first sync. out is initialised either way. */
int cache_get_settings(ec_cache *c, ec_settings *out, ec_error *err);

/* Upserts n profiles in one transaction. */
int cache_put_profiles(ec_cache *c, const ec_profile *rows, int n, ec_error *err);
int cache_get_profile(ec_cache *c, const char *id, ec_profile *out, ec_error *err);
/* The cached name of profile id (caller frees), or NULL: a keys_profile_namer
 * over a cache, so edits show profiles by name. */
char *cache_profile_name(void *cache, const char *id);
/* By id, or by name (case-insensitive, exact). Several profiles with that
 * name: EC_USAGE asking for the id. None: CACHE_NOT_FOUND. */
int cache_find_profile(ec_cache *c, const char *name_or_id, ec_profile *out, ec_error *err);
/* Every profile, by name. Free with cache_free_profiles(). */
int cache_list_profiles(ec_cache *c, ec_profile **rows, int *n, ec_error *err);
int cache_delete_profile(ec_cache *c, const char *id, ec_error *err);
/* How many cached mailboxes use the profile, and how many of them fail
 * (any channel's status is failure, as the filter status:failure). */
int cache_profile_mailbox_counts(ec_cache *c, const char *id, long *total, long *failing,
                                 ec_error *err);
/* The ids of the profile's failing mailboxes (as status:failure), by id:
 * an alert_groups_members_fn over a cache, so a group of alerts about a
 * profile stands for them. Free *ids with free(). */
int cache_profile_failing_ids(void *cache, const char *id, char (**ids)[EC_ID_SIZE], long *n);
/* The same for every profile in one pass (a GROUP BY over the
 * mailboxes_profile_id index): one row per profile id that has mailboxes.
 * For the console's reader thread: at 100,000 mailboxes it is no question
 * for the UI thread. Free *rows with free(). */
typedef struct ec_profile_count {
	char id[EC_ID_SIZE];
	long total, failing;
} ec_profile_count;
int cache_profiles_mailbox_counts(ec_cache *c, ec_profile_count **rows, int *n, ec_error *err);

/* Upserts n alerts in one transaction. */
int cache_put_alerts(ec_cache *c, const ec_alert *rows, int n, ec_error *err);
/* Alerts of one mailbox or profile (regarding_id), or all when NULL; newest
 * first (modified_on, then created_on, descending); limit <= 0: all. */
int cache_list_alerts(ec_cache *c, const char *regarding_id, int limit, ec_alert **rows, int *n,
                      ec_error *err);

/* ---- Mailboxes (cache_mailboxes.c) ------------------------------------- */

/* Upserts n mailboxes in one transaction. The pending_edits and conflict
 * fields are ignored: they come from the outbox. */
int cache_put_mailboxes(ec_cache *c, const ec_mailbox *rows, int n, ec_error *err);
/* Deleting a mailbox keeps its outbox entries, alerts and test history. */
int cache_delete_mailbox(ec_cache *c, const char *id, ec_error *err);
/* With pending_edits and conflict filled in from the outbox. */
int cache_get_mailbox(ec_cache *c, const char *id, ec_mailbox *out, ec_error *err);
/* Whether the mailbox's approval and test results are stale: a change of
 * its methods, profile or address (rules_key_needs_test) was queued or
 * sent after its last test, the organization's (test_completed_on) or one
 * run from here (test_runs), whichever is newer. */
int cache_mailbox_tests_stale(ec_cache *c, const ec_mailbox *m, bool *stale, ec_error *err);

/* SEL is a mailbox id, an email address (case-insensitive) or an exact name.
 * Every match is returned (several mailboxes may share a name or an email;
 * the caller decides whether that is ambiguous), by name. No match: EC_USAGE
 * "no mailbox matches 'SEL'; try `emailcfg mailboxes --filter SEL`".
 * Free *ids with free(). */
int cache_select_mailboxes(ec_cache *c, const char *sel, char (**ids)[EC_ID_SIZE], int *n,
                           ec_error *err);

/* Mailboxes matching filter (the language of core/model/filter.h; NULL or "" for
 * all) in the order of sort (a sort key of filter.h, "-key" descending, NULL
 * or "" for "name"; ties broken by id, so pages never overlap or skip), rows
 * offset .. offset+limit-1 (limit < 0: all the rest). Each carries
 * pending_edits and conflict. Free with cache_free_mailboxes(). */
int cache_list_mailboxes(ec_cache *c, const char *filter, const char *sort, long offset, int limit,
                         ec_mailbox **rows, int *n, ec_error *err);
int cache_count_mailboxes(ec_cache *c, const char *filter, long *count, ec_error *err);
/* The ids of every mailbox the filter matches, in sort order (for bulk
 * commands). Free *ids with free(). */
int cache_list_mailbox_ids(ec_cache *c, const char *filter, const char *sort,
                           char (**ids)[EC_ID_SIZE], long *n, ec_error *err);
/* The position of mailbox id in that list, or -1 when the filter does not
 * match it (so the console keeps its selection across refreshes). */
int cache_index_of_mailbox(ec_cache *c, const char *filter, const char *sort, const char *id,
                           long *index, ec_error *err);

/* The numbers of `emailcfg status` and the console's status panel. */
struct ec_channel_counts {
	/* Active mailboxes whose method for the channel is server-side-sync, by
	 * the channel's status (NULL counts as not run). */
	long success, failure, not_run;
	/* Active mailboxes that use another method (or none) for the channel. */
	long not_used;
};

struct ec_status_counts {
	long mailboxes, active, inactive;
	struct ec_channel_counts incoming, outgoing, act;
	/* Active mailboxes whose approval blocks mail: neither approved nor
	 * rejected, while the organization requires approval for users (only
	 * user mailboxes), queues (only queue mailboxes) or both (any but a
	 * forward mailbox); when the cache has no settings yet, approval counts
	 * as required. */
	long approval_pending;
	long approval_waiting; /* active mailboxes neither approved nor rejected (any kind) */
	bool approve_users, approve_queues; /* what approval_pending took as required */
	long approval_rejected;             /* active mailboxes whose address was rejected */
	long queued, conflicts, failed;     /* outbox entries, mailboxes and settings */
	long alert_errors, alert_warnings, alert_information;
	long profiles;
	long unreadable;              /* mailboxes, profiles, alerts a sync marked */
	char last_sync[EC_TIME_SIZE]; /* the latest completed pull, "" never */
};

int cache_status_counts(ec_cache *c, struct ec_status_counts *out, ec_error *err);

/* ---- Outbox (cache_outbox.c) ------------------------------------------- */

/* Adds an entry (state as given, normally OUTBOX_QUEUED; created_on filled in
 * when empty) and sets e->id. Committed before it returns. */
int cache_outbox_add(ec_cache *c, ec_outbox_entry *e, ec_error *err);
/* Entries of one target (mailbox or organization id), or all when NULL,
 * oldest first; active_only keeps queued, conflict and failed ones. Free
 * with cache_free_outbox(). */
int cache_outbox_list(ec_cache *c, const char *target_id, bool active_only, ec_outbox_entry **rows,
                      int *n, ec_error *err);
int cache_outbox_get(ec_cache *c, long long id, ec_outbox_entry *out, ec_error *err);
/* Moves an unclaimed entry to state. theirs_json replaces the stored organization
 * values when not NULL (NULL keeps them); error_text replaces the error
 * (NULL clears it). */
int cache_outbox_set_state(ec_cache *c, long long id, enum ec_outbox_state state,
                           const char *theirs_json, const char *error_text, ec_error *err);
/* Rewrites every field of unclaimed entry e->id but created_on (e.g. a
 * conflict resolved with "keep mine": new base, base_version, state queued). */
int cache_outbox_update(ec_cache *c, const ec_outbox_entry *e, ec_error *err);
int cache_outbox_delete(ec_cache *c, long long id, ec_error *err);
/* Drops entry id unless a live pusher has it, in one DELETE: only when its
 * claim is empty, expired (claim_expires <= now) or stale (a claim the
 * caller knows is dead; NULL: none), and with conflict_only only while it
 * is a conflict. CACHE_CLAIMED when it stays (being pushed, or no longer a
 * conflict), CACHE_NOT_FOUND when it is gone. */
int cache_outbox_drop(ec_cache *c, long long id, long long now, const char *stale,
                      bool conflict_only, ec_error *err);

/* Claims (schema version 5). An entry being pushed carries its pusher's
 * token and an expiry (Unix seconds); every call below that changes a claimed
 * entry matches the token as well as the id, and returns CACHE_CLAIMED when
 * the entry is not (or no longer) the caller's: another pusher has it, it was
 * dropped, or it changed meanwhile. */
#define CACHE_CLAIMED (-2)
/* Claims entry id for token until expires, in one UPDATE: only a queued
 * entry whose claim is empty, expired (claim_expires <= now) or equal to
 * stale (a claim the caller knows is dead; NULL: none), and only when no
 * older entry of the same target is queued or a conflict (edits of one row
 * go out in order). */
int cache_outbox_claim(ec_cache *c, long long id, const char *token, long long now,
                       long long expires, const char *stale, ec_error *err);
/* cache_outbox_claim() of the entry as the caller read it: only while its
 * changes are still changes (NULL: any), so an edit merged in after the
 * read is never settled with a push that does not carry it. */
int cache_outbox_claim_as_read(ec_cache *c, long long id, const char *token, long long now,
                               long long expires, const char *stale, const char *changes,
                               ec_error *err);
/* Extends token's claim to expires and records the etag the next PATCH of
 * the entry carries (after a 412 whose fields were all still ours to push). */
int cache_outbox_renew(ec_cache *c, long long id, const char *token, long long expires,
                       long long base_version, ec_error *err);
/* Moves token's entry to state (OUTBOX_QUEUED: released, to be pushed
 * again) and clears the claim; theirs_json and error_text as in
 * cache_outbox_set_state(). */
int cache_outbox_settle(ec_cache *c, long long id, const char *token, enum ec_outbox_state state,
                        const char *theirs_json, const char *error_text, ec_error *err);
/* Token's entry becomes a conflict of only the keys in changes (mine), with
 * their base and the organization's values (theirs), and version, the etag
 * of the row those were read from, as the If-Match of a later "keep mine";
 * the claim is cleared. The entry's other keys were pushed. */
int cache_outbox_settle_conflict(ec_cache *c, long long id, const char *token, const char *changes,
                                 const char *base, const char *theirs, long long version,
                                 ec_error *err);
/* A later edit of the same target added to queued entry id: only when
 * nobody has claimed it and its changes are still old_changes. changes
 * NULL (the edit undid every change): the entry is deleted instead. */
int cache_outbox_merge(ec_cache *c, long long id, const char *old_changes, const char *changes,
                       const char *base, ec_error *err);
/* A failed (unclaimed) entry queued again, its error cleared. */
int cache_outbox_requeue(ec_cache *c, long long id, ec_error *err);

/* ---- Test & Enable history (cache_history.c) --------------------------- */

/* Stores a run with its checks; t->id is the mailbox id. */
int cache_test_add(ec_cache *c, const ec_test_result *t, ec_error *err);
/* The latest run of a mailbox; CACHE_NOT_FOUND when it was never tested. */
int cache_test_last(ec_cache *c, const char *mailbox_id, ec_test_result *out, ec_error *err);
/* Runs of a mailbox, newest first; limit <= 0: all. Free with
 * cache_free_tests(). */
int cache_test_list(ec_cache *c, const char *mailbox_id, int limit, ec_test_result **rows, int *n,
                    ec_error *err);

/* ---- Status history (cache_status_history.c) -------------------------- */

/* One completed pull's counts (the status panel's numbers then). */
typedef struct ec_status_snapshot {
	long long id;
	char taken_on[EC_TIME_SIZE];
	long long duration_ms; /* EC_NULL when unknown */
	bool daily;            /* the day's summary (older than the detail bound) */
	long mailboxes, active, inactive;
	struct ec_channel_counts incoming, outgoing, act; /* not_used is 0 */
	long approval_pending;
	long alert_errors, alert_warnings, alert_information;
	long queued, conflicts;
} ec_status_snapshot;

/* One change of a mailbox's channel status (statuses: STATUS_* of
 * options.h, EC_NULL when the organization sent none). */
typedef struct ec_status_change {
	long long id;
	char mailbox_id[EC_ID_SIZE];
	char *mailbox_name; /* at the time of the change */
	char channel[12];   /* "incoming", "outgoing", "act" */
	int from_status, to_status;
	char changed_on[EC_TIME_SIZE];
	long long snapshot_id;     /* the sync that saw it; EC_NULL before its snapshot */
	char alert_id[EC_ID_SIZE]; /* "" when none */
	char *alert_text;          /* the organization's text, unsanitized; NULL when none */
	bool removed;              /* the mailbox left the organization (to_status EC_NULL) */
	bool added;                /* it appeared in the organization (from_status EC_NULL) */
} ec_status_change;

/* How long history is kept, in days: every snapshot and change for detail,
 * then one snapshot a day for days. */
struct cache_history_bounds {
	int detail_days, days;
};
#define CACHE_HISTORY_DETAIL_DAYS 30
#define CACHE_HISTORY_DAYS        365

/* At the end of a completed pull, in one transaction: a snapshot of
 * cache_status_counts(), the changes recorded since the previous snapshot
 * tied to it (each given the mailbox's newest alert when it has none), and
 * the history pruned to bounds (NULL: the defaults). *id: the snapshot's, or
 * 0 when none was added: a pull that changed nothing less than an hour
 * after the newest snapshot repeats it and adds none. */
int cache_snapshot_record(ec_cache *c, long long duration_ms,
                          const struct cache_history_bounds *bounds, long long *id, ec_error *err);
/* Prunes alone (the record does it too). */
int cache_history_prune(ec_cache *c, const struct cache_history_bounds *bounds, ec_error *err);
/* The newest limit snapshots, newest first (a sparkline reads them
 * backwards). Free with free(). */
int cache_snapshots_newest(ec_cache *c, int limit, ec_status_snapshot **rows, int *n,
                           ec_error *err);
/* Snapshots taken at or after since ("" or NULL: all), oldest first, at
 * most limit (<= 0: all). Free with free(). */
int cache_snapshots_since(ec_cache *c, const char *since, int limit, ec_status_snapshot **rows,
                          int *n, ec_error *err);
/* What the newest sync that changed a failure changed: mailboxes with a
 * channel that went into failure, and with one that recovered (failure to
 * success), and when (its newest change). Zeros and "" before any: a
 * quiet sync or the console's refresh does not hide the night's failures. */
int cache_changes_newest(ec_cache *c, long *failing, long *recovered, char when[EC_TIME_SIZE],
                         ec_error *err);
/* A mailbox's changes (mailbox_id NULL: every mailbox's) at or after since
 * ("" or NULL: all), newest first, at most limit (<= 0: all). Free with
 * cache_free_status_changes(). */
int cache_changes_list(ec_cache *c, const char *mailbox_id, const char *since, int limit,
                       ec_status_change **rows, int *n, ec_error *err);
void cache_free_status_changes(ec_status_change *rows, int n);
/* The id of a mailbox the history knows by id or by its name at a change
 * (the newest such), cached or not: a removed mailbox's past stays
 * readable. CACHE_NOT_FOUND when none. */
int cache_changes_mailbox_id(ec_cache *c, const char *sel, char out[EC_ID_SIZE], ec_error *err);
/* Since when the mailbox fails: the earliest change into failure of its
 * channels that fail now and whose last change it was; "" when it does not
 * fail or the change is older than the history. */
int cache_failing_since(ec_cache *c, const char *mailbox_id, char out[EC_TIME_SIZE], ec_error *err);

/* The same as SQL over a mailboxes row m: FILTER_FAILING_SINCE_SQL and
 * FILTER_LAST_CHANGE_SQL of core/model/filter.h (the since: and changed:
 * filter keys and sort keys). */

/* ---- Sync state (cache.c) ---------------------------------------------- */

/* The modifiedon watermark of the entity's last completed pull, "" before
 * the first. Setting it also records the pull's completion time; it only
 * ever raises the watermark (cache_watermark_release() lowers it). */
int cache_watermark_get(ec_cache *c, enum cache_entity entity, char out[EC_TIME_SIZE],
                        ec_error *err);
int cache_watermark_set(ec_cache *c, enum cache_entity entity, const char *value, ec_error *err);

struct cache_sync_state {
	char watermark[EC_TIME_SIZE];
	char last_full[EC_TIME_SIZE]; /* completion of the last full pull */
	char last_sync[EC_TIME_SIZE]; /* completion of the last pull of any kind */
};
int cache_sync_state_get(ec_cache *c, enum cache_entity entity, struct cache_sync_state *out,
                         ec_error *err);

/* Removing the rows the organization no longer has (every sync, not only a
 * full one): cache_ids_begin() notes which rows of the entity the cache
 * holds now; cache_ids_add() records ids the organization listed (page by
 * page); cache_ids_remove_missing() deletes the noted rows it did not list
 * (full: also records a full pull). Call remove only after a listing that
 * was complete, every page read and every row's id readable: a partial list
 * would delete present rows. The set is private to this connection and
 * kept in memory; a crash forgets it, and cache_ids_end() frees it. Not for
 * CACHE_SETTINGS. */
int cache_ids_begin(ec_cache *c, enum cache_entity entity, ec_error *err);
int cache_ids_add(ec_cache *c, const char (*ids)[EC_ID_SIZE], int n, ec_error *err);
/* Whether cache_ids_begin() noted no row: then nothing can be removed and
 * the listed ids need not be recorded (a first sync into an empty cache). */
int cache_ids_none_noted(ec_cache *c, bool *none, ec_error *err);
int cache_ids_remove_missing(ec_cache *c, enum cache_entity entity, bool full, long *removed,
                             ec_error *err);
void cache_ids_end(ec_cache *c);

/* The first fill of an empty table: its sort indexes are dropped and built
 * again at the end (sorting once beats 14 index inserts a row). The SQL to
 * build them goes to meta first, so a fill that is cut short has them built
 * at the next cache_open(). *bulk says whether the indexes were dropped
 * (only for mailboxes, only when the table is empty); cache_bulk_end()
 * builds them (nothing when none are pending). */
int cache_bulk_begin(ec_cache *c, enum cache_entity entity, bool *bulk, ec_error *err);
int cache_bulk_end(ec_cache *c, ec_error *err);

/* The page cache of this connection, in KiB (a sync needs little); the
 * default of every connection is CACHE_PAGE_CACHE_KIB. */
#define CACHE_PAGE_CACHE_KIB 32768
int cache_page_cache_set(ec_cache *c, int kib, ec_error *err);

/* One row of a version listing: its id, versionnumber (0: none) and
 * modifiedon ("" when none). */
struct cache_listed {
	char id[EC_ID_SIZE];
	long long version;
	char modified_on[EC_TIME_SIZE];
};
/* Sorts rows by id (strcmp order, the cache's). A listing mostly comes
 * sorted already (the table's order after a full sync, the emulator's, any
 * organization that orders by the id as text): one pass says so, and
 * spares the sort. */
void cache_listed_sort(struct cache_listed *rows, long n);
/* What the cache holds of entity, sorted by id (strcmp order), into *rows
 * (caller frees; *n of them): an incremental sync compares its version
 * listing with these in memory, and removes the ones it did not list.
 * Alerts have no version: 0. Read before the listing begins, so a row
 * another emailcfg stores meanwhile is never removed. */
int cache_versions_read(ec_cache *c, enum cache_entity entity, struct cache_listed **rows, long *n,
                        ec_error *err);
/* Compare-and-set (cache_release.c), the only ways a version or watermark
 * goes down: each row's version becomes 0 ("unknown", so the next store
 * takes the organization's lower one) only while the cache still holds the
 * version given in rows; *released says how many did. For mailboxes and
 * profiles (the others have no version guard). */
int cache_versions_release(ec_cache *c, enum cache_entity entity, const struct cache_listed *rows,
                           long n, long *released, ec_error *err);
/* The watermark becomes value only while it is still expected. */
int cache_watermark_release(ec_cache *c, enum cache_entity entity, const char *expected,
                            const char *value, ec_error *err);
/* Deletes the rows of entity with these ids, in one write transaction;
 * *removed says how many there were. */
int cache_rows_delete(ec_cache *c, enum cache_entity entity, const char (*ids)[EC_ID_SIZE], long n,
                      long *removed, ec_error *err);

/* Marks a cached row the organization sent but emailcfg could not read at
 * all: the row keeps its values, unreadable says why. *found is false when
 * the cache has no such row. */
int cache_mark_unreadable(ec_cache *c, enum cache_entity entity, const char *id, const char *why,
                          bool *found, ec_error *err);

/* Free-form key/value pairs (organization id, URL, ...). *value is NULL when
 * the key is not set; caller frees. A NULL value deletes the key. */
int cache_meta_get(ec_cache *c, const char *key, char **value, ec_error *err);
int cache_meta_set(ec_cache *c, const char *key, const char *value, ec_error *err);

/* ---- Freeing what the list functions return ---------------------------- */

void cache_free_mailboxes(ec_mailbox *rows, int n);
void cache_free_profiles(ec_profile *rows, int n);
void cache_free_alerts(ec_alert *rows, int n);
void cache_free_outbox(ec_outbox_entry *rows, int n);
void cache_free_tests(ec_test_result *rows, int n);

/* ---- Walking a mailbox list (the CLI's listings, test planning) ------- */

/* One prepared statement walked to its end: the rows of
 * cache_list_mailboxes(filter, sort) without paging (OFFSET re-reads every
 * row before it, quadratic over a 100,000 listing), one snapshot for the
 * whole walk. Open it, call next until *row is false, close it. */
typedef struct cache_mailbox_walk cache_mailbox_walk;
int cache_walk_mailboxes_open(ec_cache *c, const char *filter, const char *sort,
                              cache_mailbox_walk **w, ec_error *err);
/* The next row into *m (initialised here; the caller frees it with
 * mailbox_free); *row false at the end, with *m empty. A walk leaves
 * m->unreadable NULL (no listing shows it; cache_get_mailbox reads it). */
int cache_walk_mailboxes_next(cache_mailbox_walk *w, ec_mailbox *m, bool *row, ec_error *err);
void cache_walk_mailboxes_close(cache_mailbox_walk *w);

/* Mailboxes by id through one prepared statement (planning a test of
 * 100,000 mailboxes prepared a statement per mailbox). get is
 * cache_get_mailbox() but for m->unreadable, which it leaves NULL; an id not
 * in the cache is CACHE_NOT_FOUND with *out empty. */
typedef struct cache_mailbox_lookup cache_mailbox_lookup;
int cache_lookup_mailboxes_open(ec_cache *c, cache_mailbox_lookup **l, ec_error *err);
int cache_lookup_mailbox(cache_mailbox_lookup *l, const char *id, ec_mailbox *out, ec_error *err);
void cache_lookup_mailboxes_close(cache_mailbox_lookup *l);

#endif
