/* cache_sync.c — sync state in the cache: per-entity modifiedon watermarks
 * and completion times, the id set that lets every sync remove rows the
 * organization no longer has, the mark on rows a sync could not read, and
 * the meta key/value table. Touches sync_state, meta, the TEMP id tables,
 * and (removing or marking rows) profiles, mailboxes, alerts. */
#include "core/cache/cache_int.h"

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
	    "watermark = CASE WHEN watermark IS NULL OR excluded.watermark > watermark THEN "
	    "excluded.watermark ELSE watermark END, last_sync = excluded.last_sync";
	return run_entity(c, sql, entity, value && *value ? value : NULL, "storing a watermark",
	                  err);
}

/* ---- Rows the organization no longer has ------------------------------- */

/* The id set lives in TEMP tables of this connection: nothing of it is
 * written to the cache file (a refresh every 30 s must not rewrite 100,000
 * rows), and a crash mid-pass forgets it, so nothing is deleted. */
int cache_ids_begin(ec_cache *c, enum cache_entity entity, ec_error *err)
{
	char sql[160];
	int status = check_entity(entity, err);
	if (status == EC_OK && entity == CACHE_SETTINGS)
		status = ec_fail(err, EC_LOCAL, "the settings row has no id set");
	if (status == EC_OK)
		/* In memory: 100,000 listed ids are a few MB, written to a
		 * temporary file they cost a write and a read of each page. */
		status = cache_exec(c,
		                    "PRAGMA temp_store = MEMORY; "
		                    "CREATE TEMP TABLE IF NOT EXISTS listed_ids (id TEXT PRIMARY "
		                    "KEY, version INTEGER, modified_on TEXT) WITHOUT ROWID; CREATE "
		                    "TEMP TABLE IF NOT EXISTS "
		                    "cached_ids (id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM "
		                    "temp.listed_ids; DELETE FROM temp.cached_ids",
		                    err);
	/* Only rows cached before the listing began may go: one another
	 * emailcfg stores meanwhile may be newer than the listing. */
	snprintf(sql, sizeof sql, "INSERT INTO temp.cached_ids SELECT id FROM main.%s",
	         cache_entity_name(entity));
	if (status == EC_OK)
		status = cache_exec(c, sql, err);
	return status;
}

int cache_ids_add(ec_cache *c, const char (*ids)[EC_ID_SIZE], int n, ec_error *err)
{
	sqlite3_stmt *st = NULL;
	int status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_prepare(c, "INSERT OR IGNORE INTO temp.listed_ids (id) VALUES (?)",
		                       &st, err);
	for (int i = 0; i < n && status == EC_OK; i++) {
		cache_bind_text(st, 1, ids[i]);
		status = cache_step_done(c, st, "noting the organization's ids", err);
	}
	sqlite3_finalize(st);
	return cache_tx_end(c, status, err);
}

int cache_ids_none_noted(ec_cache *c, bool *none, ec_error *err)
{
	sqlite3_stmt *st;
	int rc, status =
	            cache_prepare(c, "SELECT NOT EXISTS (SELECT 1 FROM temp.cached_ids)", &st, err);
	*none = false;
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*none = sqlite3_column_int(st, 0) != 0;
	else
		status = cache_fail_rc(c, rc, err, "reading the noted ids");
	sqlite3_finalize(st);
	return status;
}

static int compare_listed_ids(const void *a, const void *b)
{
	return strcmp(((const struct cache_listed *)a)->id, ((const struct cache_listed *)b)->id);
}

void cache_listed_sort(struct cache_listed *rows, long n)
{
	for (long i = 1; i < n; i++)
		if (strcmp(rows[i - 1].id, rows[i].id) > 0) {
			qsort(rows, (size_t)n, sizeof *rows, compare_listed_ids);
			return;
		}
}

int cache_versions_read(ec_cache *c, enum cache_entity entity, struct cache_listed **rows, long *n,
                        ec_error *err)
{
	char sql[160];
	sqlite3_stmt *st;
	long cap = 0;
	int rc, status = check_entity(entity, err);
	*rows = NULL;
	*n = 0;
	if (status == EC_OK && entity == CACHE_SETTINGS)
		status = ec_fail(err, EC_LOCAL, "the settings row has no versions");
	/* Alerts have no version column: 0 stands in for it. No ORDER BY:
	 * mailboxes are read from their covering index (schema 8), in id order
	 * already; the other tables in their own order, mostly sorted (as a full
	 * sync listed them), where ORDER BY id would look up every row at
	 * random. cache_listed_sort() below sorts what is not. */
	snprintf(sql, sizeof sql, "SELECT id, %s, modified_on FROM main.%s",
	         entity == CACHE_ALERTS ? "0" : "version", cache_entity_name(entity));
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_listed *r;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			*rows = ec_xrealloc(*rows, (size_t)cap * sizeof **rows);
		}
		r = &(*rows)[(*n)++];
		cache_col_copy(st, 0, r->id, sizeof r->id);
		r->version = sqlite3_column_int64(st, 1);
		cache_col_copy(st, 2, r->modified_on, sizeof r->modified_on);
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading the cached versions");
	sqlite3_finalize(st);
	cache_listed_sort(*rows, *n);
	return status;
}

int cache_rows_delete(ec_cache *c, enum cache_entity entity, const char (*ids)[EC_ID_SIZE], long n,
                      long *removed, ec_error *err)
{
	char sql[96];
	sqlite3_stmt *st = NULL;
	int status = check_entity(entity, err);
	*removed = 0;
	if (status == EC_OK && entity == CACHE_SETTINGS)
		status = ec_fail(err, EC_LOCAL, "the settings row is never deleted");
	if (status != EC_OK || n == 0)
		return status;
	snprintf(sql, sizeof sql, "DELETE FROM main.%s WHERE id = ?", cache_entity_name(entity));
	status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	for (long i = 0; i < n && status == EC_OK; i++) {
		cache_bind_text(st, 1, ids[i]);
		status =
		    cache_step_done(c, st, "removing a row the organization no longer has", err);
		if (status == EC_OK)
			*removed += sqlite3_changes(c->db);
	}
	sqlite3_finalize(st);
	status = cache_tx_end(c, status, err);
	if (status != EC_OK)
		*removed = 0;
	return status;
}

static int delete_unlisted(ec_cache *c, enum cache_entity entity, long *removed, ec_error *err)
{
	char sql[200];
	int status;
	snprintf(sql, sizeof sql,
	         "DELETE FROM main.%s WHERE id IN (SELECT id FROM temp.cached_ids) AND id NOT "
	         "IN (SELECT id FROM temp.listed_ids)",
	         cache_entity_name(entity));
	status = cache_exec(c, sql, err);
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

int cache_ids_remove_missing(ec_cache *c, enum cache_entity entity, bool full, long *removed,
                             ec_error *err)
{
	static const char sql[] = "INSERT INTO sync_state (entity, last_full) VALUES (?1, "
	                          "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (entity) "
	                          "DO UPDATE SET last_full = excluded.last_full";
	long n = 0;
	int status = check_entity(entity, err);
	if (status == EC_OK && entity == CACHE_SETTINGS)
		status = ec_fail(err, EC_LOCAL, "the settings row has no id set");
	if (status == EC_OK)
		status = cache_tx_begin(c, err);
	if (status != EC_OK)
		return status;
	status = delete_unlisted(c, entity, &n, err);
	if (status == EC_OK && full)
		status = run_entity(c, sql, entity, NULL, "recording a full sync", err);
	if (status == EC_OK && full)
		status = analyze(c, entity, err);
	status = cache_tx_end(c, status, err);
	if (removed)
		*removed = status == EC_OK ? n : 0;
	return status;
}

void cache_ids_end(ec_cache *c)
{
	sqlite3_exec(c->db, "DELETE FROM temp.listed_ids; DELETE FROM temp.cached_ids", NULL, NULL,
	             NULL);
}

int cache_mark_unreadable(ec_cache *c, enum cache_entity entity, const char *id, const char *why,
                          bool *found, ec_error *err)
{
	char sql[96];
	sqlite3_stmt *st;
	int status = check_entity(entity, err);
	*found = false;
	if (status == EC_OK && entity == CACHE_SETTINGS)
		return EC_OK; /* the one settings row is not marked */
	snprintf(sql, sizeof sql, "UPDATE %s SET unreadable = ?2 WHERE id = ?1",
	         cache_entity_name(entity));
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, id);
	cache_bind_text(st, 2, why);
	status = cache_step_done(c, st, "marking a row emailcfg could not read", err);
	sqlite3_finalize(st);
	*found = status == EC_OK && sqlite3_changes(c->db) > 0;
	return status;
}

/* ---- The first fill of a table ----------------------------------------- */

#define PENDING_INDEXES "pending_indexes"

/* The CREATE INDEX statements of the table's own indexes (not the primary
 * key's), each made IF NOT EXISTS, into *sql; their DROP INDEX into *drop. */
static int index_sql(ec_cache *c, const char *table, char **sql, char **drop, ec_error *err)
{
	char *b1 = NULL, *b2 = NULL;
	size_t n1, n2;
	FILE *f1 = cache_sql_open(&b1, &n1), *f2 = cache_sql_open(&b2, &n2);
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c,
	                               "SELECT name, substr(sql, 14) FROM sqlite_schema WHERE type "
	                               "= 'index' AND tbl_name = ? AND sql LIKE 'CREATE INDEX %'",
	                               &st, err);
	if (status == EC_OK) {
		cache_bind_text(st, 1, table);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			fprintf(f1, "CREATE INDEX IF NOT EXISTS %s;\n", sqlite3_column_text(st, 1));
			fprintf(f2, "DROP INDEX %s;\n", sqlite3_column_text(st, 0));
		}
		if (rc != SQLITE_DONE)
			status = cache_fail_rc(c, rc, err, "reading the indexes");
		sqlite3_finalize(st);
	}
	*sql = cache_sql_close(f1, &b1);
	*drop = cache_sql_close(f2, &b2);
	return status;
}

int cache_bulk_begin(ec_cache *c, enum cache_entity entity, bool *bulk, ec_error *err)
{
	char *sql = NULL, *drop = NULL;
	sqlite3_stmt *st;
	int status, empty = 0;
	*bulk = false;
	if (entity != CACHE_MAILBOXES)
		return EC_OK;
	status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_prepare(c, "SELECT NOT EXISTS (SELECT 1 FROM mailboxes)", &st, err);
	if (status == EC_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			empty = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (status == EC_OK && empty)
		status = index_sql(c, "mailboxes", &sql, &drop, err);
	if (status == EC_OK && empty && drop[0]) {
		status = cache_meta_set(c, PENDING_INDEXES, sql, err);
		if (status == EC_OK)
			status = cache_exec(c, drop, err);
		*bulk = status == EC_OK;
	}
	free(sql);
	free(drop);
	status = cache_tx_end(c, status, err);
	if (status != EC_OK)
		*bulk = false;
	return status;
}

int cache_bulk_end(ec_cache *c, ec_error *err)
{
	char *sql = NULL;
	/* Read first: most opens find nothing pending and take no lock. */
	int status = cache_meta_get(c, PENDING_INDEXES, &sql, err);
	if (status != EC_OK || !sql)
		return status;
	free(sql);
	sql = NULL;
	status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_meta_get(c, PENDING_INDEXES, &sql, err);
	if (status == EC_OK && sql)
		status = cache_exec(c, sql, err);
	if (status == EC_OK && sql)
		status = cache_meta_set(c, PENDING_INDEXES, NULL, err);
	free(sql);
	return cache_tx_end(c, status, err);
}

int cache_page_cache_set(ec_cache *c, int kib, ec_error *err)
{
	char sql[48];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", -kib);
	return cache_exec(c, sql, err);
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
