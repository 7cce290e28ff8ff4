/* cache_sync.c — sync state in the cache: per-entity modifiedon watermarks
 * and completion times, the full-pull generation that lets a full sync remove
 * rows the organization no longer has, and the meta key/value table. Touches
 * sync_state, meta, and (removing unseen rows) profiles, mailboxes, alerts. */
#include "core/cache_int.h"

#include <stdlib.h>
#include <string.h>

static int check_entity(enum cache_entity entity, ec_error *err)
{
	if ((unsigned)entity <= CACHE_ALERTS)
		return EC_OK;
	return ec_fail(err, EC_LOCAL, "unknown cache entity %d", (int)entity);
}

/* Runs sql with the entity name as ?1 and text as ?2. */
static int run_entity(ec_cache *c, const char *sql, enum cache_entity entity, const char *text,
                      const char *what, ec_error *err)
{
	sqlite3_stmt *st;
	int status = check_entity(entity, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, cache_entity_name(entity));
	if (sqlite3_bind_parameter_count(st) >= 2)
		cache_bind_text(st, 2, text);
	status = cache_step_done(c, st, what, err);
	sqlite3_finalize(st);
	return status;
}

int cache_sync_state_get(ec_cache *c, enum cache_entity entity, struct cache_sync_state *out,
                         ec_error *err)
{
	static const char sql[] = "SELECT watermark, last_full, last_sync FROM sync_state "
	                          "WHERE entity = ?";
	sqlite3_stmt *st;
	int rc, status = check_entity(entity, err);
	memset(out, 0, sizeof *out);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, cache_entity_name(entity));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cache_col_copy(st, 0, out->watermark, sizeof out->watermark);
		cache_col_copy(st, 1, out->last_full, sizeof out->last_full);
		cache_col_copy(st, 2, out->last_sync, sizeof out->last_sync);
	} else if (rc != SQLITE_DONE) {
		status = cache_fail_rc(c, rc, err, "reading the sync state");
	}
	sqlite3_finalize(st);
	return status;
}

int cache_watermark_get(ec_cache *c, enum cache_entity entity, char out[EC_TIME_SIZE],
                        ec_error *err)
{
	struct cache_sync_state s;
	int status = cache_sync_state_get(c, entity, &s, err);
	memcpy(out, s.watermark, EC_TIME_SIZE);
	return status;
}

int cache_watermark_set(ec_cache *c, enum cache_entity entity, const char *value, ec_error *err)
{
	static const char sql[] =
	    "INSERT INTO sync_state (entity, watermark, last_sync) VALUES (?1, ?2, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (entity) DO UPDATE SET "
	    "watermark = excluded.watermark, last_sync = excluded.last_sync";
	return run_entity(c, sql, entity, value && *value ? value : NULL, "storing a watermark",
	                  err);
}

int cache_sync_begin_full(ec_cache *c, enum cache_entity entity, ec_error *err)
{
	static const char sql[] = "INSERT INTO sync_state (entity, generation) VALUES (?1, 1) "
	                          "ON CONFLICT (entity) DO UPDATE SET generation = generation + 1";
	return run_entity(c, sql, entity, NULL, "starting a full sync", err);
}

static int delete_unseen(ec_cache *c, enum cache_entity entity, long *removed, ec_error *err)
{
	char sql[160];
	sqlite3_stmt *st;
	int status;
	*removed = 0;
	if (entity == CACHE_SETTINGS)
		return EC_OK;
	snprintf(sql, sizeof sql,
	         "DELETE FROM %s WHERE seen < COALESCE((SELECT generation FROM sync_state "
	         "WHERE entity = ?), 0)",
	         cache_entity_name(entity));
	status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, cache_entity_name(entity));
	status = cache_step_done(c, st, "removing rows the organization no longer has", err);
	sqlite3_finalize(st);
	if (status == EC_OK)
		*removed = (long)sqlite3_changes(c->db);
	return status;
}

/* After a full pull the table holds what the organization has: refresh the
 * planner's statistics so that filters with a common value (status:failure
 * on a failing organization) walk the sort index instead of sorting
 * thousands of rows (about 0.1 s at 100,000 mailboxes). */
static int analyze(ec_cache *c, enum cache_entity entity, ec_error *err)
{
	char sql[32];
	snprintf(sql, sizeof sql, "ANALYZE %s", cache_entity_name(entity));
	return cache_exec(c, sql, err);
}

int cache_sync_remove_unseen(ec_cache *c, enum cache_entity entity, long *removed, ec_error *err)
{
	static const char sql[] = "INSERT INTO sync_state (entity, last_full) VALUES (?1, "
	                          "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (entity) "
	                          "DO UPDATE SET last_full = excluded.last_full";
	long n = 0;
	int status = check_entity(entity, err);
	if (status == EC_OK)
		status = cache_tx_begin(c, err);
	if (status != EC_OK)
		return status;
	status = delete_unseen(c, entity, &n, err);
	if (status == EC_OK)
		status = run_entity(c, sql, entity, NULL, "recording a full sync", err);
	if (status == EC_OK)
		status = analyze(c, entity, err);
	status = cache_tx_end(c, status, err);
	if (removed)
		*removed = status == EC_OK ? n : 0;
	return status;
}

int cache_meta_get(ec_cache *c, const char *key, char **value, ec_error *err)
{
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, "SELECT value FROM meta WHERE key = ?", &st, err);
	*value = NULL;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = cache_col_dup(st, 0);
	else if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading a setting of the cache");
	sqlite3_finalize(st);
	return status;
}

int cache_meta_set(ec_cache *c, const char *key, const char *value, ec_error *err)
{
	sqlite3_stmt *st;
	int status = cache_prepare(c,
	                           value ? "INSERT INTO meta (key, value) VALUES (?, ?) ON "
	                                   "CONFLICT (key) DO UPDATE SET value = excluded.value"
	                                 : "DELETE FROM meta WHERE key = ?",
	                           &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, key);
	if (value)
		cache_bind_text(st, 2, value);
	status = cache_step_done(c, st, "storing a setting of the cache", err);
	sqlite3_finalize(st);
	return status;
}
