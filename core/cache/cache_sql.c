/* cache_sql.c — the cache's plumbing over SQLite: error sentences, nested
 * transactions, statement helpers, the generic column binding and reading
 * that the column tables drive, and SQL text builders. Touches only the
 * connection it is given. */
#include "core/cache/cache_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/utf8.h"

int cache_fail_rc(ec_cache *c, int rc, ec_error *err, const char *what)
{
	const char *path = c->path ? c->path : "?";
	const char *msg = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_FULL:
		return ec_fail(err, EC_LOCAL,
		               "disk full while writing the cache %s; free space and retry "
		               "(nothing was lost)",
		               path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return ec_fail(err, EC_LOCAL,
		               "cache %s is damaged (%s); move it away and run `emailcfg sync` to "
		               "rebuild it",
		               path, msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ec_fail(err, EC_LOCAL,
		               "cache %s is busy (another emailcfg is writing to it); retry in a "
		               "moment",
		               path);
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return ec_fail(err, EC_LOCAL,
		               "cache %s cannot be written (%s); check its owner and permissions",
		               path, msg);
	case SQLITE_CANTOPEN:
		return ec_fail(err, EC_LOCAL,
		               "cannot open the cache %s (%s); check that its directory is "
		               "writable",
		               path, msg);
	case SQLITE_IOERR:
		return ec_fail(err, EC_LOCAL,
		               "cannot read or write the cache %s (%s); check the disk", path, msg);
	default: return ec_fail(err, EC_LOCAL, "cache %s: %s failed (%s)", path, what, msg);
	}
}

int cache_exec(ec_cache *c, const char *sql, ec_error *err)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? EC_OK : cache_fail_rc(c, rc, err, "a statement");
}

int cache_prepare(ec_cache *c, const char *sql, sqlite3_stmt **st, ec_error *err)
{
	int rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
	if (rc == SQLITE_OK)
		return EC_OK;
	*st = NULL;
	return cache_fail_rc(c, rc, err, "preparing a query");
}

int cache_step_done(ec_cache *c, sqlite3_stmt *st, const char *what, ec_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return EC_OK;
	return cache_fail_rc(c, rc, err, what);
}

/* ---- Transactions ------------------------------------------------------ */

int cache_tx_begin(ec_cache *c, ec_error *err)
{
	char sql[32];
	int status;
	if (c->depth == 0)
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
	else
		snprintf(sql, sizeof sql, "SAVEPOINT tx%d", c->depth);
	status = cache_exec(c, sql, err);
	if (status == EC_OK)
		c->depth++;
	return status;
}

int cache_tx_commit(ec_cache *c, ec_error *err)
{
	char sql[32];
	int status;
	if (c->depth <= 0)
		return ec_fail(err, EC_LOCAL, "cache %s: commit without a transaction", c->path);
	if (sqlite3_get_autocommit(c->db)) {
		/* SQLite already rolled the whole transaction back (disk full,
		 * I/O error): nothing of it is left to commit. */
		c->depth = 0;
		return ec_fail(err, EC_LOCAL,
		               "cache %s: the transaction was rolled back after an earlier error; "
		               "retry",
		               c->path);
	}
	c->depth--;
	if (c->depth == 0)
		snprintf(sql, sizeof sql, "COMMIT");
	else
		snprintf(sql, sizeof sql, "RELEASE tx%d", c->depth);
	status = cache_exec(c, sql, err);
	if (status != EC_OK && c->depth == 0 && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}

int cache_tx_rollback(ec_cache *c, ec_error *err)
{
	char sql[64];
	if (c->depth <= 0)
		return EC_OK;
	c->depth--;
	if (sqlite3_get_autocommit(c->db))
		return EC_OK; /* already rolled back by SQLite */
	if (c->depth == 0)
		snprintf(sql, sizeof sql, "ROLLBACK");
	else
		snprintf(sql, sizeof sql, "ROLLBACK TO tx%d; RELEASE tx%d", c->depth, c->depth);
	return cache_exec(c, sql, err);
}

int cache_tx_end(ec_cache *c, int status, ec_error *err)
{
	if (status == EC_OK)
		return cache_tx_commit(c, err);
	cache_tx_rollback(c, NULL);
	return status;
}

int cache_transaction_begin(ec_cache *c, ec_error *err)
{
	return cache_tx_begin(c, err);
}

int cache_transaction_commit(ec_cache *c, ec_error *err)
{
	return cache_tx_commit(c, err);
}

int cache_transaction_rollback(ec_cache *c, ec_error *err)
{
	return cache_tx_rollback(c, err);
}

/* A deferred transaction takes no lock until it reads, then holds that
 * snapshot (WAL) until it ends: writers go on, this reader sees none of
 * their commits. */
int cache_snapshot_begin(ec_cache *c, ec_error *err)
{
	return c->depth ? EC_OK : cache_exec(c, "BEGIN DEFERRED", err);
}

int cache_snapshot_end(ec_cache *c, ec_error *err)
{
	return c->depth || sqlite3_get_autocommit(c->db) ? EC_OK : cache_exec(c, "COMMIT", err);
}

/* ---- SQL text ---------------------------------------------------------- */

FILE *cache_sql_open(char **buf, size_t *size)
{
	FILE *f = open_memstream(buf, size);
	if (!f) {
		fputs("emailcfg: out of memory\n", stderr);
		abort();
	}
	return f;
}

char *cache_sql_close(FILE *f, char **buf)
{
	if (fclose(f) != 0 || !*buf) {
		fputs("emailcfg: out of memory\n", stderr);
		abort();
	}
	return *buf;
}

void cache_cols_write(FILE *f, const struct cache_col *cols, int n, const char *prefix)
{
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s%s", i ? ", " : "", prefix, cols[i].name);
}

char *cache_upsert_sql(const char *table, const char *key, const struct cache_col *cols, int n,
                       const char *const *extra, int nextra)
{
	char *buf = NULL;
	size_t size;
	FILE *f = cache_sql_open(&buf, &size);

	fprintf(f, "INSERT INTO %s (", table);
	cache_cols_write(f, cols, n, "");
	for (int i = 0; i < nextra; i++)
		fprintf(f, ", %s", extra[i]);
	fputs(") VALUES (", f);
	for (int i = 0; i < n + nextra; i++)
		fputs(i ? ", ?" : "?", f);
	fprintf(f, ") ON CONFLICT (%s) DO UPDATE SET ", key);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s = excluded.%s", i ? ", " : "", cols[i].name, cols[i].name);
	for (int i = 0; i < nextra; i++)
		fprintf(f, ", %s = excluded.%s", extra[i], extra[i]);
	/* A row read before a newer one was stored (a sync racing a push) is
	 * not written back over it, not one column of it: the unreadable
	 * marking stays that of the stored row. A version of
	 * 0 or NULL is unknown and always taken. */
	for (int i = 0; i < n; i++)
		if (strcmp(cols[i].name, "version") == 0)
			fprintf(f,
			        " WHERE excluded.version IS NULL OR excluded.version = 0 OR "
			        "%s.version IS NULL OR excluded.version >= %s.version",
			        table, table);
	return cache_sql_close(f, &buf);
}

/* ---- Binding and reading ----------------------------------------------- */

void cache_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void cache_bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	cache_bind_text(st, i, s && *s ? s : NULL);
}

static void bind_int(sqlite3_stmt *st, int i, long long v)
{
	if (v == EC_NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/* -1 is a value here (an error code); only EC_NULL_CODE is NULL. */
static void bind_sint(sqlite3_stmt *st, int i, int v)
{
	if (v == EC_NULL_CODE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int(st, i, v);
}

/* Text the row owns, not copied: a first sync binds over a million strings of
 * 100,000 mailboxes, and SQLite's copy of each was a malloc, a memcpy and a
 * free. */
static void bind_row_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void cache_cols_bind(sqlite3_stmt *st, int first, const struct cache_col *cols, int n,
                     const void *row)
{
	const char *base = row;
	for (int i = 0; i < n; i++) {
		const void *field = base + cols[i].offset;
		int idx = first + i;
		switch (cols[i].kind) {
		case COL_ID:
		case COL_TIME: {
			const char *t = field;
			bind_row_text(st, idx, *t ? t : NULL);
			break;
		}
		case COL_TEXT: bind_row_text(st, idx, *(char *const *)field); break;
		case COL_INT: bind_int(st, idx, *(const int *)field); break;
		case COL_I64: bind_int(st, idx, *(const long long *)field); break;
		case COL_SINT: bind_sint(st, idx, *(const int *)field); break;
		case COL_BOOL: sqlite3_bind_int(st, idx, *(const bool *)field); break;
		}
	}
}

char *cache_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? ec_strdup((const char *)s) : NULL;
}

void cache_col_copy(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	/* What snprintf("%s") would give, without its cost: an incremental
	 * sync reads 100,000 cached ids and times through here. */
	const char *s = (const char *)sqlite3_column_text(st, i);
	size_t n = s ? strnlen(s, size - 1) : 0;
	memcpy(buf, s ? s : "", n);
	buf[n] = '\0';
}

int cache_col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? EC_NULL : sqlite3_column_int(st, i);
}

static int col_sint(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? EC_NULL_CODE : sqlite3_column_int(st, i);
}

static long long col_i64(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? EC_NULL : sqlite3_column_int64(st, i);
}

void cache_cols_read(sqlite3_stmt *st, int first, const struct cache_col *cols, int n, void *row)
{
	char *base = row;
	for (int i = 0; i < n; i++) {
		void *field = base + cols[i].offset;
		int idx = first + i;
		switch (cols[i].kind) {
		case COL_ID: cache_col_copy(st, idx, field, EC_ID_SIZE); break;
		case COL_TIME: cache_col_copy(st, idx, field, EC_TIME_SIZE); break;
		case COL_TEXT: *(char **)field = cache_col_dup(st, idx); break;
		case COL_INT: *(int *)field = cache_col_int(st, idx); break;
		case COL_I64: *(long long *)field = col_i64(st, idx); break;
		case COL_SINT: *(int *)field = col_sint(st, idx); break;
		case COL_BOOL: *(bool *)field = sqlite3_column_int(st, idx) != 0; break;
		}
	}
}

char *cache_fold(const char *s)
{
	return utf8_fold(s ? s : "");
}

void cache_now(char out[EC_TIME_SIZE])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, EC_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cache_not_found(ec_error *err, enum ec_status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ec_vfail(err, status, fmt, ap);
	va_end(ap);
	return CACHE_NOT_FOUND;
}
