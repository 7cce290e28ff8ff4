/* cache_status_history.c — the history of every sync (issue 14): a snapshot
 * of the status panel's counts per completed pull, the changes of mailboxes'
 * channel statuses (written by the triggers of schema version 10, tied to a
 * snapshot here), pruning to the configured bounds, and the reads the
 * console and `emailcfg history` make. Touches the status_snapshots and
 * status_changes tables; reads mailboxes and alerts. Not Test & Enable's
 * run history (cache_history.c). */
#include "core/cache/cache_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/mem.h"
#include "core/model/filter.h"

/* The snapshot columns in the order of ec_status_snapshot's counts. */
#define SNAPSHOT_COUNTS                                                                            \
	"mailboxes, active, inactive, incoming_success, incoming_failure, incoming_not_run, "      \
	"outgoing_success, outgoing_failure, outgoing_not_run, act_success, act_failure, "         \
	"act_not_run, approval_pending, alert_errors, alert_warnings, alert_information, queued, " \
	"conflicts"
#define SNAPSHOT_NCOUNTS 18

/* The snapshot's counts as an array, in SNAPSHOT_COUNTS order. */
static void snapshot_slots(ec_status_snapshot *s, long *slot[SNAPSHOT_NCOUNTS])
{
	long *all[SNAPSHOT_NCOUNTS] = {
	    &s->mailboxes,        &s->active,           &s->inactive,         &s->incoming.success,
	    &s->incoming.failure, &s->incoming.not_run, &s->outgoing.success, &s->outgoing.failure,
	    &s->outgoing.not_run, &s->act.success,      &s->act.failure,      &s->act.not_run,
	    &s->approval_pending, &s->alert_errors,     &s->alert_warnings,   &s->alert_information,
	    &s->queued,           &s->conflicts,
	};
	memcpy(slot, all, sizeof all);
}

static void snapshot_from_counts(const struct ec_status_counts *k, ec_status_snapshot *s)
{
	memset(s, 0, sizeof *s);
	s->mailboxes = k->mailboxes;
	s->active = k->active;
	s->inactive = k->inactive;
	s->incoming = k->incoming;
	s->outgoing = k->outgoing;
	s->act = k->act;
	s->incoming.not_used = s->outgoing.not_used = s->act.not_used = 0;
	s->approval_pending = k->approval_pending;
	s->alert_errors = k->alert_errors;
	s->alert_warnings = k->alert_warnings;
	s->alert_information = k->alert_information;
	s->queued = k->queued;
	s->conflicts = k->conflicts;
}

static int insert_snapshot(ec_cache *c, ec_status_snapshot *s, ec_error *err)
{
	static const char sql[] =
	    "INSERT INTO status_snapshots (taken_on, duration_ms, " SNAPSHOT_COUNTS
	    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	long *slot[SNAPSHOT_NCOUNTS];
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, s->taken_on);
	if (s->duration_ms == EC_NULL)
		sqlite3_bind_null(st, 2);
	else
		sqlite3_bind_int64(st, 2, s->duration_ms);
	snapshot_slots(s, slot);
	for (int i = 0; i < SNAPSHOT_NCOUNTS; i++)
		sqlite3_bind_int64(st, 3 + i, *slot[i]);
	status = cache_step_done(c, st, "recording the sync's snapshot", err);
	sqlite3_finalize(st);
	s->id = sqlite3_last_insert_rowid(c->db);
	return status;
}

/* When the organization last wrote alert a. */
#define ALERT_WRITTEN "max(COALESCE(a.modified_on, ''), COALESCE(a.created_on, ''))"

/* The changes the triggers wrote since the previous snapshot belong to this
 * one. A change into failure without an alert gets the mailbox's newest
 * alert written since the previous snapshot and not already the cause of an
 * earlier change (the organization's cause, bounded to 2,000 bytes): an
 * alert seen before is an older failure's cause, and a recovery has none. */
static int attach_changes(ec_cache *c, long long snapshot, ec_error *err)
{
	static const char sql[] =
	    "UPDATE status_changes SET snapshot_id = ?1, alert_id = COALESCE(alert_id, CASE WHEN "
	    "to_status = 2 THEN (SELECT a.id FROM alerts a WHERE a.regarding_id = "
	    "status_changes.mailbox_id AND " ALERT_WRITTEN " >= COALESCE((SELECT p.taken_on FROM "
	    "status_snapshots p WHERE p.id < ?1 ORDER BY p.id DESC LIMIT 1), '') AND NOT EXISTS "
	    "(SELECT 1 FROM status_changes u WHERE u.mailbox_id = a.regarding_id AND u.alert_id = "
	    "a.id AND u.snapshot_id IS NOT NULL AND u.changed_on >= " ALERT_WRITTEN ") ORDER BY "
	    "a.modified_on DESC, a.created_on DESC, a.id DESC LIMIT 1) END) WHERE snapshot_id IS "
	    "NULL";
	static const char text_sql[] =
	    "UPDATE status_changes SET alert_text = (SELECT substr(a.text, 1, 2000) FROM alerts a "
	    "WHERE a.id = status_changes.alert_id) WHERE snapshot_id = ?1 AND alert_text IS NULL "
	    "AND alert_id IS NOT NULL";
	const char *steps[2] = {sql, text_sql};
	int status = EC_OK;
	for (int i = 0; i < 2 && status == EC_OK; i++) {
		sqlite3_stmt *st;
		status = cache_prepare(c, steps[i], &st, err);
		if (status != EC_OK)
			break;
		sqlite3_bind_int64(st, 1, snapshot);
		status = cache_step_done(c, st, "tying status changes to the sync", err);
		sqlite3_finalize(st);
	}
	return status;
}

/* Whole UTC days: a snapshot is folded into its day's summary only once the
 * whole day is older than the detail bound, so a day never gets two. The
 * newest change of each cached mailbox and channel stays whatever its age:
 * it says since when the current status holds (at most three a mailbox). */
/* The worst of a day that its summary keeps (the rest are the day's last
 * counts): a four-hour outage that recovered before midnight still shows. */
#define DAY_WORST(col)                                                                             \
	col " = (SELECT max(d." col ") FROM status_snapshots d WHERE substr(d.taken_on, 1, 10) = " \
	    "substr(status_snapshots.taken_on, 1, 10))"

static const char *const prune_sql[] = {
    "UPDATE status_snapshots SET " DAY_WORST("incoming_failure") ", " DAY_WORST("outgoing_failure") ", " DAY_WORST("act_failure") ", " DAY_WORST("approval_pending") ", " DAY_WORST(
        "alert_errors") ", " DAY_WORST("alert_warnings") ", " DAY_WORST("queued") ", " DAY_WORST("c"
                                                                                                 "o"
                                                                                                 "n"
                                                                                                 "f"
                                                                                                 "l"
                                                                                                 "i"
                                                                                                 "c"
                                                                                                 "t"
                                                                                                 "s") " WHERE daily = 0 AND taken_on < date('now', ?1) AND id IN "
                                                                                                      "(SELECT max(id) FROM status_snapshots WHERE taken_on < "
                                                                                                      "date('now', ?1) GROUP BY substr(taken_on, 1, 10))",
    "DELETE FROM status_snapshots WHERE taken_on < date('now', ?1) AND id NOT IN (SELECT "
    "max(id) FROM status_snapshots WHERE taken_on < date('now', ?1) GROUP BY substr(taken_on, "
    "1, 10))",
    "UPDATE status_snapshots SET daily = 1 WHERE taken_on < date('now', ?1) AND daily = 0",
    "DELETE FROM status_snapshots WHERE taken_on < date('now', ?2)",
    "DELETE FROM status_changes WHERE changed_on < date('now', ?1) AND (id NOT IN (SELECT "
    "max(id) FROM status_changes GROUP BY mailbox_id, channel) OR mailbox_id NOT IN (SELECT id "
    "FROM mailboxes))",
};

static int bound_days(int days, int fallback)
{
	return days > 0 ? days : fallback;
}

int cache_history_prune(ec_cache *c, const struct cache_history_bounds *bounds, ec_error *err)
{
	struct cache_history_bounds b = {bounds ? bounds->detail_days : 0,
	                                 bounds ? bounds->days : 0};
	char detail[32], days[32];
	int status = cache_tx_begin(c, err);
	b.detail_days = bound_days(b.detail_days, CACHE_HISTORY_DETAIL_DAYS);
	b.days = bound_days(b.days, CACHE_HISTORY_DAYS);
	/* Summaries outlive the detail they come from. */
	if (b.days < b.detail_days)
		b.days = b.detail_days;
	snprintf(detail, sizeof detail, "-%d days", b.detail_days);
	snprintf(days, sizeof days, "-%d days", b.days);
	for (size_t i = 0; i < sizeof prune_sql / sizeof prune_sql[0] && status == EC_OK; i++) {
		sqlite3_stmt *st;
		status = cache_prepare(c, prune_sql[i], &st, err);
		if (status != EC_OK)
			break;
		cache_bind_text(st, 1, detail);
		if (sqlite3_bind_parameter_count(st) >= 2)
			cache_bind_text(st, 2, days);
		status = cache_step_done(c, st, "pruning the sync history", err);
		sqlite3_finalize(st);
	}
	return cache_tx_end(c, status, err);
}

/* A pull that changed nothing within this long of the newest snapshot adds
 * none: the console refreshes every 30 s, and a snapshot each time would
 * bury the night's sync (and what it changed) under identical rows. One an
 * hour still says the organization was watched and stayed the same. */
#define SNAPSHOT_REPEAT "'-1 hour'"

/* Whether s would repeat the newest snapshot: the same counts, no status
 * change since it, and taken less than SNAPSHOT_REPEAT ago. */
static int snapshot_repeats(ec_cache *c, ec_status_snapshot *s, bool *repeats, ec_error *err)
{
	static const char sql[] =
	    "SELECT " SNAPSHOT_COUNTS ", daily = 0 AND taken_on >= strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now', " SNAPSHOT_REPEAT ") AND NOT EXISTS (SELECT 1 FROM status_changes WHERE "
	    "snapshot_id IS NULL) FROM status_snapshots ORDER BY id DESC LIMIT 1";
	long *slot[SNAPSHOT_NCOUNTS];
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	*repeats = false;
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snapshot_slots(s, slot);
		*repeats = sqlite3_column_int(st, SNAPSHOT_NCOUNTS) != 0;
		for (int i = 0; i < SNAPSHOT_NCOUNTS && *repeats; i++)
			*repeats = sqlite3_column_int64(st, i) == *slot[i];
	} else if (rc != SQLITE_DONE) {
		status = cache_fail_rc(c, rc, err, "reading the newest snapshot");
	}
	sqlite3_finalize(st);
	return status;
}

int cache_snapshot_record(ec_cache *c, long long duration_ms,
                          const struct cache_history_bounds *bounds, long long *id, ec_error *err)
{
	struct ec_status_counts k;
	ec_status_snapshot s;
	bool repeats = false;
	int status = cache_tx_begin(c, err);
	s.id = 0;
	if (status == EC_OK)
		status = cache_status_counts(c, &k, err);
	if (status == EC_OK) {
		snapshot_from_counts(&k, &s);
		cache_now(s.taken_on);
		s.duration_ms = duration_ms;
		status = snapshot_repeats(c, &s, &repeats, err);
	}
	if (status == EC_OK && !repeats)
		status = insert_snapshot(c, &s, err);
	if (status == EC_OK && !repeats)
		status = attach_changes(c, s.id, err);
	if (status == EC_OK)
		status = cache_history_prune(c, bounds, err);
	if (status == EC_OK && id)
		*id = s.id;
	return cache_tx_end(c, status, err);
}

/* ---- Reading ------------------------------------------------------------ */

static void read_snapshot(sqlite3_stmt *st, ec_status_snapshot *s)
{
	long *slot[SNAPSHOT_NCOUNTS];
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	cache_col_copy(st, 1, s->taken_on, sizeof s->taken_on);
	s->duration_ms =
	    sqlite3_column_type(st, 2) == SQLITE_NULL ? EC_NULL : sqlite3_column_int64(st, 2);
	s->daily = sqlite3_column_int(st, 3) != 0;
	snapshot_slots(s, slot);
	for (int i = 0; i < SNAPSHOT_NCOUNTS; i++)
		*slot[i] = (long)sqlite3_column_int64(st, 4 + i);
}

/* Rows of a prepared snapshot query (bound by the caller), grown as read. */
static int read_snapshots(ec_cache *c, sqlite3_stmt *st, ec_status_snapshot **rows, int *n,
                          ec_error *err)
{
	int rc, cap = 0, status = EC_OK;
	*rows = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*rows = ec_xrealloc(*rows, (unsigned long)cap * sizeof **rows);
		}
		read_snapshot(st, &(*rows)[(*n)++]);
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading the sync history");
	sqlite3_finalize(st);
	if (status != EC_OK) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return status;
}

#define SNAPSHOT_SELECT                                                                            \
	"SELECT id, taken_on, duration_ms, daily, " SNAPSHOT_COUNTS " FROM status_snapshots "

int cache_snapshots_newest(ec_cache *c, int limit, ec_status_snapshot **rows, int *n, ec_error *err)
{
	sqlite3_stmt *st;
	int status = cache_prepare(c, SNAPSHOT_SELECT "ORDER BY id DESC LIMIT ?", &st, err);
	*rows = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	return read_snapshots(c, st, rows, n, err);
}

int cache_snapshots_since(ec_cache *c, const char *since, int limit, ec_status_snapshot **rows,
                          int *n, ec_error *err)
{
	sqlite3_stmt *st;
	int status =
	    cache_prepare(c, SNAPSHOT_SELECT "WHERE taken_on >= ? ORDER BY id LIMIT ?", &st, err);
	*rows = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, since ? since : "");
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	return read_snapshots(c, st, rows, n, err);
}

int cache_changes_newest(ec_cache *c, long *failing, long *recovered, char when[EC_TIME_SIZE],
                         ec_error *err)
{
	/* The newest sync with a change into or out of failure, found from the
	 * newest change back (an index walk that stops at the first one). */
	static const char sql[] =
	    "WITH last AS (SELECT snapshot_id AS sid FROM status_changes WHERE snapshot_id IS NOT "
	    "NULL AND (to_status = 2 OR (from_status = 2 AND to_status = 1)) ORDER BY id DESC "
	    "LIMIT 1) SELECT count(DISTINCT CASE WHEN to_status = 2 THEN mailbox_id END), "
	    "count(DISTINCT CASE WHEN from_status = 2 AND to_status = 1 THEN mailbox_id END), "
	    "max(changed_on) FROM status_changes WHERE snapshot_id = (SELECT sid FROM last)";
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	*failing = *recovered = 0;
	when[0] = '\0';
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*failing = (long)sqlite3_column_int64(st, 0);
		*recovered = (long)sqlite3_column_int64(st, 1);
		cache_col_copy(st, 2, when, EC_TIME_SIZE);
	} else {
		status = cache_fail_rc(c, rc, err, "reading the newest status changes");
	}
	sqlite3_finalize(st);
	return status;
}

static void read_change(sqlite3_stmt *st, ec_status_change *h)
{
	memset(h, 0, sizeof *h);
	h->id = sqlite3_column_int64(st, 0);
	cache_col_copy(st, 1, h->mailbox_id, sizeof h->mailbox_id);
	h->mailbox_name = cache_col_dup(st, 2);
	cache_col_copy(st, 3, h->channel, sizeof h->channel);
	h->from_status = cache_col_int(st, 4);
	h->to_status = cache_col_int(st, 5);
	cache_col_copy(st, 6, h->changed_on, sizeof h->changed_on);
	h->snapshot_id =
	    sqlite3_column_type(st, 7) == SQLITE_NULL ? EC_NULL : sqlite3_column_int64(st, 7);
	cache_col_copy(st, 8, h->alert_id, sizeof h->alert_id);
	h->alert_text = cache_col_dup(st, 9);
	h->removed = sqlite3_column_int(st, 10) != 0;
	h->added = sqlite3_column_int(st, 11) != 0;
}

int cache_changes_list(ec_cache *c, const char *mailbox_id, const char *since, int limit,
                       ec_status_change **rows, int *n, ec_error *err)
{
	static const char sql[] =
	    "SELECT id, mailbox_id, mailbox_name, channel, from_status, to_status, changed_on, "
	    "snapshot_id, alert_id, alert_text, removed, added FROM status_changes WHERE (?1 IS "
	    "NULL OR "
	    "mailbox_id "
	    "= "
	    "?1) AND changed_on >= ?2 ORDER BY changed_on DESC, id DESC LIMIT ?3";
	sqlite3_stmt *st;
	int rc, cap = 0, status = cache_prepare(c, sql, &st, err);
	*rows = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, mailbox_id);
	cache_bind_text(st, 2, since ? since : "");
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*rows = ec_xrealloc(*rows, (unsigned long)cap * sizeof **rows);
		}
		read_change(st, &(*rows)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		status = cache_fail_rc(c, rc, err, "reading status changes");
		cache_free_status_changes(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	sqlite3_finalize(st);
	return status;
}

void cache_free_status_changes(ec_status_change *rows, int n)
{
	for (int i = 0; rows && i < n; i++) {
		free(rows[i].mailbox_name);
		free(rows[i].alert_text);
	}
	free(rows);
}

int cache_failing_since(ec_cache *c, const char *mailbox_id, char out[EC_TIME_SIZE], ec_error *err)
{
	static const char sql[] =
	    "SELECT " FILTER_FAILING_SINCE_SQL " FROM mailboxes m WHERE m.id = ?";
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	out[0] = '\0';
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, mailbox_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cache_col_copy(st, 0, out, EC_TIME_SIZE);
	else if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading since when a mailbox fails");
	sqlite3_finalize(st);
	return status;
}

int cache_changes_mailbox_id(ec_cache *c, const char *sel, char out[EC_ID_SIZE], ec_error *err)
{
	static const char sql[] = "SELECT mailbox_id FROM status_changes WHERE mailbox_id = "
	                          "lower(?1) OR mailbox_name = ?1 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	out[0] = '\0';
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, sel);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cache_col_copy(st, 0, out, EC_ID_SIZE);
	else if (rc == SQLITE_DONE)
		status = CACHE_NOT_FOUND;
	else
		status = cache_fail_rc(c, rc, err, "reading status changes");
	sqlite3_finalize(st);
	return status;
}
