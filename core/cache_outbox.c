/* cache_outbox.c — the outbox of local edits (DESIGN section 1, "Write"):
 * durable insert before anything is sent, listing, state changes (sent,
 * conflict with the organization's values, failed), rewriting an entry when a
 * conflict is resolved, and dropping one. Touches only the outbox table; a
 * mailbox is "pending" because it has entries here, nothing else marks it. */
#include "core/cache_int.h"

#include <stdlib.h>
#include <string.h>

#define OUTBOX_COLUMNS                                                                             \
	"id, entity, target_id, changes, base, theirs, base_version, state, created_on, error"

static void read_entry(sqlite3_stmt *st, ec_outbox_entry *e)
{
	const char *state = (const char *)sqlite3_column_text(st, 7);
	outbox_entry_init(e);
	e->id = sqlite3_column_int64(st, 0);
	cache_col_copy(st, 1, e->entity, sizeof e->entity);
	cache_col_copy(st, 2, e->target_id, sizeof e->target_id);
	e->changes = cache_col_dup(st, 3);
	e->base = cache_col_dup(st, 4);
	e->theirs = cache_col_dup(st, 5);
	e->base_version = sqlite3_column_int64(st, 6);
	if (outbox_state_parse(state, &e->state) != 0)
		e->state = OUTBOX_QUEUED;
	cache_col_copy(st, 8, e->created_on, sizeof e->created_on);
	e->error = cache_col_dup(st, 9);
}

static int check_entity(ec_cache *c, const ec_outbox_entry *e, ec_error *err)
{
	if (strcmp(e->entity, "mailbox") == 0 || strcmp(e->entity, "organization") == 0)
		return EC_OK;
	return ec_fail(err, EC_LOCAL,
	               "cache %s: an outbox entry for '%.16s' (neither a mailbox "
	               "nor the organization) was refused",
	               c->path, e->entity);
}

int cache_outbox_add(ec_cache *c, ec_outbox_entry *e, ec_error *err)
{
	static const char sql[] = "INSERT INTO outbox (entity, target_id, changes, base, theirs, "
	                          "base_version, state, created_on, updated_on, error) VALUES "
	                          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char now[EC_TIME_SIZE];
	sqlite3_stmt *st;
	int status = check_entity(c, e, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_now(now);
	if (!e->created_on[0])
		memcpy(e->created_on, now, sizeof now);
	cache_bind_text(st, 1, e->entity);
	cache_bind_text(st, 2, e->target_id);
	cache_bind_text(st, 3, e->changes ? e->changes : "{}");
	cache_bind_text(st, 4, e->base);
	cache_bind_text(st, 5, e->theirs);
	sqlite3_bind_int64(st, 6, e->base_version);
	cache_bind_text(st, 7, outbox_state_slug(e->state));
	cache_bind_text(st, 8, e->created_on);
	cache_bind_text(st, 9, now);
	cache_bind_text(st, 10, e->error);
	status = cache_step_done(c, st, "queuing an edit", err);
	if (status == EC_OK)
		e->id = sqlite3_last_insert_rowid(c->db);
	sqlite3_finalize(st);
	return status;
}

int cache_outbox_list(ec_cache *c, const char *target_id, bool active_only, ec_outbox_entry **rows,
                      int *n, ec_error *err)
{
	static const char sql[] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE (?1 IS NULL OR "
	                          "target_id = ?1) AND (?2 = 0 OR state IN ('queued', "
	                          "'conflict', 'failed')) ORDER BY id";
	ec_outbox_entry *arr = NULL;
	sqlite3_stmt *st;
	int rc, count = 0, cap = 0, status = cache_prepare(c, sql, &st, err);
	*rows = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, target_id);
	sqlite3_bind_int(st, 2, active_only);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			arr = ec_xrealloc(arr, sizeof *arr * (unsigned long)cap);
		}
		read_entry(st, &arr[count++]);
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "listing the outbox");
	sqlite3_finalize(st);
	*rows = arr;
	*n = count;
	return status;
}

static int entry_not_found(ec_error *err, long long id)
{
	return cache_not_found(err, EC_USAGE, "no outbox entry %lld; see `emailcfg outbox`", id);
}

int cache_outbox_get(ec_cache *c, long long id, ec_outbox_entry *out, ec_error *err)
{
	static const char sql[] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?";
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	outbox_entry_init(out);
	if (status != EC_OK)
		return status;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_entry(st, out);
	else if (rc == SQLITE_DONE)
		status = entry_not_found(err, id);
	else
		status = cache_fail_rc(c, rc, err, "reading the outbox");
	sqlite3_finalize(st);
	return status;
}

/* Steps an UPDATE/DELETE of entry id; no row changed is "not found". */
static int step_one(ec_cache *c, sqlite3_stmt *st, long long id, const char *what, ec_error *err)
{
	int status = cache_step_done(c, st, what, err);
	sqlite3_finalize(st);
	if (status == EC_OK && sqlite3_changes(c->db) == 0)
		return entry_not_found(err, id);
	return status;
}

int cache_outbox_set_state(ec_cache *c, long long id, enum ec_outbox_state state,
                           const char *theirs_json, const char *error_text, ec_error *err)
{
	static const char sql[] = "UPDATE outbox SET state = ?, theirs = COALESCE(?, theirs), "
	                          "error = ?, updated_on = ? WHERE id = ?";
	char now[EC_TIME_SIZE];
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_now(now);
	cache_bind_text(st, 1, outbox_state_slug(state));
	cache_bind_text(st, 2, theirs_json);
	cache_bind_text(st, 3, error_text);
	cache_bind_text(st, 4, now);
	sqlite3_bind_int64(st, 5, id);
	return step_one(c, st, id, "updating the outbox", err);
}

int cache_outbox_update(ec_cache *c, const ec_outbox_entry *e, ec_error *err)
{
	static const char sql[] = "UPDATE outbox SET entity = ?, target_id = ?, changes = ?, "
	                          "base = ?, theirs = ?, base_version = ?, state = ?, error = ?, "
	                          "updated_on = ? WHERE id = ?";
	char now[EC_TIME_SIZE];
	sqlite3_stmt *st;
	int status = check_entity(c, e, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_now(now);
	cache_bind_text(st, 1, e->entity);
	cache_bind_text(st, 2, e->target_id);
	cache_bind_text(st, 3, e->changes ? e->changes : "{}");
	cache_bind_text(st, 4, e->base);
	cache_bind_text(st, 5, e->theirs);
	sqlite3_bind_int64(st, 6, e->base_version);
	cache_bind_text(st, 7, outbox_state_slug(e->state));
	cache_bind_text(st, 8, e->error);
	cache_bind_text(st, 9, now);
	sqlite3_bind_int64(st, 10, e->id);
	return step_one(c, st, e->id, "updating the outbox", err);
}

int cache_outbox_delete(ec_cache *c, long long id, ec_error *err)
{
	sqlite3_stmt *st;
	int status = cache_prepare(c, "DELETE FROM outbox WHERE id = ?", &st, err);
	if (status != EC_OK)
		return status;
	sqlite3_bind_int64(st, 1, id);
	return step_one(c, st, id, "dropping an outbox entry", err);
}
