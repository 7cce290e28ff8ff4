/* cache_outbox.c — the outbox of local edits: durable insert before
 * anything is sent, listing, claims (the lease of the one pusher of an
 * entry), state changes (sent, conflict with the organization's values,
 * failed) that match the claim, merging a new edit into an unclaimed entry,
 * rewriting an entry when a conflict is resolved, and dropping one. Touches
 * only the outbox table; a mailbox is "pending" because it has entries
 * here, nothing else marks it. */
#include "core/cache/cache_int.h"

#include <stdlib.h>
#include <string.h>

#define OUTBOX_COLUMNS                                                                             \
	"id, entity, target_id, changes, base, theirs, base_version, state, created_on, error, "   \
	"claim, claim_expires"

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
	cache_col_copy(st, 10, e->claim, sizeof e->claim);
	e->claim_expires = sqlite3_column_int64(st, 11);
}

static int check_entity(ec_cache *c, const ec_outbox_entry *e, ec_error *err)
{
	if (strcmp(e->entity, "mailbox") == 0 || strcmp(e->entity, "organization") == 0 ||
	    strcmp(e->entity, "profile") == 0)
		return EC_OK;
	return ec_fail(err, EC_LOCAL,
	               "cache %s: an outbox entry for '%.16s' (not a mailbox, "
	               "the organization or a server profile) was refused",
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

/* Moves entry id to state if its claim is claim (NULL: unclaimed), clearing
 * the claim; *changed tells whether it did. */
static int set_state_if(ec_cache *c, long long id, const char *claim, enum ec_outbox_state state,
                        const char *theirs_json, const char *error_text, bool *changed,
                        ec_error *err)
{
	static const char sql[] = "UPDATE outbox SET state = ?, theirs = COALESCE(?, theirs), "
	                          "error = ?, updated_on = ?, claim = NULL, claim_expires = 0 "
	                          "WHERE id = ? AND claim IS ?";
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
	cache_bind_text(st, 6, claim);
	status = cache_step_done(c, st, "updating the outbox", err);
	sqlite3_finalize(st);
	*changed = status == EC_OK && sqlite3_changes(c->db) > 0;
	return status;
}

int cache_outbox_set_state(ec_cache *c, long long id, enum ec_outbox_state state,
                           const char *theirs_json, const char *error_text, ec_error *err)
{
	bool changed;
	int status = set_state_if(c, id, NULL, state, theirs_json, error_text, &changed, err);
	return status == EC_OK && !changed ? entry_not_found(err, id) : status;
}

int cache_outbox_update(ec_cache *c, const ec_outbox_entry *e, ec_error *err)
{
	static const char sql[] = "UPDATE outbox SET entity = ?, target_id = ?, changes = ?, "
	                          "base = ?, theirs = ?, base_version = ?, state = ?, error = ?, "
	                          "updated_on = ? WHERE id = ? AND claim IS NULL";
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

int cache_outbox_drop(ec_cache *c, long long id, long long now, const char *stale,
                      bool conflict_only, ec_error *err)
{
	/* One statement: a push that claims the entry after the caller looked
	 * keeps it (the PATCH it sends is never an edit reported dropped). */
	static const char sql[] = "DELETE FROM outbox WHERE id = ?1 AND (claim IS NULL OR "
	                          "claim_expires <= ?2 OR claim = ?3) AND (?4 = 0 OR state = "
	                          "'conflict')";
	ec_outbox_entry e;
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	cache_bind_text(st, 3, stale);
	sqlite3_bind_int(st, 4, conflict_only);
	status = cache_step_done(c, st, "dropping an outbox entry", err);
	sqlite3_finalize(st);
	if (status != EC_OK || sqlite3_changes(c->db) > 0)
		return status;
	status = cache_outbox_get(c, id, &e, err);
	outbox_entry_free(&e);
	if (status != EC_OK)
		return status;
	ec_fail(err, EC_USAGE,
	        "outbox entry %lld is being pushed by another emailcfg right now (or changed "
	        "meanwhile); try again after that push, if it is still there",
	        id);
	return CACHE_CLAIMED;
}

/* ---- Claims ----------------------------------------------------------------- */

static int claim_lost(ec_error *err, long long id)
{
	ec_fail(err, EC_USAGE,
	        "outbox entry %lld is not this push's to change (another emailcfg is pushing "
	        "it, or it changed meanwhile); see emailcfg outbox",
	        id);
	return CACHE_CLAIMED;
}

/* Steps an UPDATE of a claimed entry: no row changed is CACHE_CLAIMED. */
static int step_claimed(ec_cache *c, sqlite3_stmt *st, long long id, ec_error *err)
{
	int status = cache_step_done(c, st, "updating the outbox", err);
	sqlite3_finalize(st);
	if (status == EC_OK && sqlite3_changes(c->db) == 0)
		return claim_lost(err, id);
	return status;
}

int cache_outbox_claim(ec_cache *c, long long id, const char *token, long long now,
                       long long expires, const char *stale, ec_error *err)
{
	return cache_outbox_claim_as_read(c, id, token, now, expires, stale, NULL, err);
}

int cache_outbox_claim_as_read(ec_cache *c, long long id, const char *token, long long now,
                               long long expires, const char *stale, const char *changes,
                               ec_error *err)
{
	/* One statement, so two pushers can never both succeed: the entry is
	 * queued, nobody holds a live claim on it (none, expired, or the one
	 * the caller found dead), and no older edit of the same row waits. */
	static const char sql[] =
	    "UPDATE outbox SET claim = ?1, claim_expires = ?2 WHERE id = ?3 AND state = 'queued' "
	    "AND (claim IS NULL OR claim_expires <= ?4 OR claim = ?5) AND NOT EXISTS (SELECT 1 "
	    "FROM outbox o WHERE o.entity = outbox.entity AND o.target_id = outbox.target_id AND "
	    "o.id < outbox.id AND o.state IN ('queued', 'conflict')) AND (?6 IS NULL OR "
	    "changes = ?6)";
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, token);
	sqlite3_bind_int64(st, 2, expires);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, now);
	cache_bind_text(st, 5, stale);
	cache_bind_text(st, 6, changes);
	return step_claimed(c, st, id, err);
}

int cache_outbox_renew(ec_cache *c, long long id, const char *token, long long expires,
                       long long base_version, ec_error *err)
{
	static const char sql[] = "UPDATE outbox SET claim_expires = ?, base_version = ? WHERE "
	                          "id = ? AND claim = ?";
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	sqlite3_bind_int64(st, 1, expires);
	sqlite3_bind_int64(st, 2, base_version);
	sqlite3_bind_int64(st, 3, id);
	cache_bind_text(st, 4, token);
	return step_claimed(c, st, id, err);
}

int cache_outbox_settle(ec_cache *c, long long id, const char *token, enum ec_outbox_state state,
                        const char *theirs_json, const char *error_text, ec_error *err)
{
	bool changed;
	int status;
	if (!token) /* "claim IS NULL" would match an unclaimed entry */
		return claim_lost(err, id);
	status = set_state_if(c, id, token, state, theirs_json, error_text, &changed, err);
	return status == EC_OK && !changed ? claim_lost(err, id) : status;
}

int cache_outbox_settle_conflict(ec_cache *c, long long id, const char *token, const char *changes,
                                 const char *base, const char *theirs, long long version,
                                 ec_error *err)
{
	static const char sql[] = "UPDATE outbox SET state = 'conflict', changes = ?, base = ?, "
	                          "theirs = ?, base_version = ?, error = NULL, updated_on = ?, "
	                          "claim = NULL, claim_expires = 0 WHERE id = ? AND claim = ?";
	char now[EC_TIME_SIZE];
	sqlite3_stmt *st;
	int status = token ? cache_prepare(c, sql, &st, err) : claim_lost(err, id);
	if (status != EC_OK)
		return status;
	cache_now(now);
	cache_bind_text(st, 1, changes);
	cache_bind_text(st, 2, base);
	cache_bind_text(st, 3, theirs);
	sqlite3_bind_int64(st, 4, version);
	cache_bind_text(st, 5, now);
	sqlite3_bind_int64(st, 6, id);
	cache_bind_text(st, 7, token);
	return step_claimed(c, st, id, err);
}

int cache_outbox_merge(ec_cache *c, long long id, const char *old_changes, const char *changes,
                       const char *base, ec_error *err)
{
	/* Only into an entry nobody is pushing, and only over what the caller
	 * read: a claimed entry's changes are on their way already. No changes
	 * left: the entry is deleted, on the same terms. */
	static const char sql[] = "UPDATE outbox SET changes = ?, base = ?, updated_on = ? WHERE "
	                          "id = ? AND state = 'queued' AND claim IS NULL AND changes = ?";
	static const char drop[] = "DELETE FROM outbox WHERE id = ?4 AND state = 'queued' AND "
	                           "claim IS NULL AND changes = ?5";
	char now[EC_TIME_SIZE];
	sqlite3_stmt *st;
	int status = cache_prepare(c, changes ? sql : drop, &st, err);
	if (status != EC_OK)
		return status;
	cache_now(now);
	if (changes) {
		cache_bind_text(st, 1, changes);
		cache_bind_text(st, 2, base);
		cache_bind_text(st, 3, now);
	}
	sqlite3_bind_int64(st, 4, id);
	cache_bind_text(st, 5, old_changes);
	return step_claimed(c, st, id, err);
}

int cache_outbox_requeue(ec_cache *c, long long id, ec_error *err)
{
	static const char sql[] =
	    "UPDATE outbox SET state = 'queued', error = NULL, updated_on = ? "
	    "WHERE id = ? AND state = 'failed' AND claim IS NULL";
	char now[EC_TIME_SIZE];
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_now(now);
	cache_bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return step_one(c, st, id, "retrying an outbox entry", err);
}
