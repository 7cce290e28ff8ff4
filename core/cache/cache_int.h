/* cache_int.h — private to core/cache/cache*.c (and the cache's unit tests): the
 * connection struct, SQLite error mapping, nested transactions, statement
 * helpers and the column tables that map model structs to table columns.
 * Nothing outside the cache includes this. */
#ifndef EMAILCFG_CACHE_INT_H
#define EMAILCFG_CACHE_INT_H

#include <stddef.h>
#include <stdio.h>

#include <sqlite3.h>

#include "core/cache/cache.h"

struct ec_cache {
	sqlite3 *db;
	char *path;
	int depth;     /* cache_tx_begin() nesting: 0 outside a transaction */
	char *org_url; /* the organization this connection syncs (cache_bind_org) */
};

/* Inside the settings' transaction: refuses (EC_LOCAL, naming both) the
 * settings of an organization other than the one the cache records, and
 * records this one (URL and id) when the cache records none. */
int cache_org_claim(ec_cache *c, const char *id, ec_error *err);

/* Whether the changes JSON of a mailbox's outbox entry names a key that
 * calls for a new Test & Enable (rules_key_needs_test()); ec_needs_test()
 * in SQL. */
bool cache_changes_need_test(const char *changes);

/* Fills err from an SQLite result code (and the connection's message):
 * disk full, damaged file, busy, read-only each get their own sentence that
 * names the file; anything else says what was being done. Returns EC_LOCAL. */
int cache_fail_rc(ec_cache *c, int rc, ec_error *err, const char *what);

int cache_exec(ec_cache *c, const char *sql, ec_error *err);
int cache_prepare(ec_cache *c, const char *sql, sqlite3_stmt **st, ec_error *err);
/* Steps a statement that returns no rows, then resets it for reuse. */
int cache_step_done(ec_cache *c, sqlite3_stmt *st, const char *what, ec_error *err);

/* Transactions as in cache.h; tx_end commits when status is EC_OK and rolls
 * back otherwise, returning the first failure. */
int cache_tx_begin(ec_cache *c, ec_error *err);
int cache_tx_commit(ec_cache *c, ec_error *err);
int cache_tx_rollback(ec_cache *c, ec_error *err);
int cache_tx_end(ec_cache *c, int status, ec_error *err);

/* A model field stored in a column of the same name. */
enum cache_col_kind {
	COL_ID,   /* char[EC_ID_SIZE]; "" is NULL */
	COL_TIME, /* char[EC_TIME_SIZE]; "" is NULL */
	COL_TEXT, /* char *; NULL is NULL */
	COL_INT,  /* int; EC_NULL is NULL */
	COL_I64,  /* long long; EC_NULL is NULL */
	COL_SINT, /* int that may be negative; EC_NULL_CODE is NULL */
	COL_BOOL, /* bool */
};

struct cache_col {
	const char *name;
	enum cache_col_kind kind;
	size_t offset;
};

/* The column tables (cache_rows.c). */
extern const struct cache_col cache_settings_cols[];
extern const int cache_settings_ncols;
extern const struct cache_col cache_profile_cols[];
extern const int cache_profile_ncols;
extern const struct cache_col cache_mailbox_cols[];
extern const int cache_mailbox_ncols;
extern const struct cache_col cache_alert_cols[];
extern const int cache_alert_ncols;

/* "p.id, p.name, ..." (prefix may be "" ). */
void cache_cols_write(FILE *f, const struct cache_col *cols, int n, const char *prefix);
/* Binds the fields of row to parameters first .. first+n-1, text without a
 * copy (SQLITE_STATIC): row must stay as it is until st is stepped (every
 * caller binds and steps one row at a time), and st is finalized or bound
 * again before row is freed. */
void cache_cols_bind(sqlite3_stmt *st, int first, const struct cache_col *cols, int n,
                     const void *row);
/* Reads result columns first .. first+n-1 into row (which must be empty). */
void cache_cols_read(sqlite3_stmt *st, int first, const struct cache_col *cols, int n, void *row);

/* INSERT INTO table (cols, extra...) VALUES (?...) ON CONFLICT (key) DO
 * UPDATE every column, unless the stored row has a newer version (a table
 * with a version column). Caller frees. */
char *cache_upsert_sql(const char *table, const char *key, const struct cache_col *cols, int n,
                       const char *const *extra, int nextra);

/* Strings built with open_memstream(); aborts when memory is exhausted. */
FILE *cache_sql_open(char **buf, size_t *size);
char *cache_sql_close(FILE *f, char **buf);

/* NULL-aware binding and reading. */
void cache_bind_text(sqlite3_stmt *st, int i, const char *s);
void cache_bind_opt_text(sqlite3_stmt *st, int i, const char *s); /* "" binds NULL */
char *cache_col_dup(sqlite3_stmt *st, int i);
void cache_col_copy(sqlite3_stmt *st, int i, char *buf, size_t size);
int cache_col_int(sqlite3_stmt *st, int i); /* EC_NULL for NULL */

/* Folded copy of s for the *_folded columns ("" for NULL). Caller frees. */
char *cache_fold(const char *s);

/* The current UTC time as "2024-03-01T09:00:00Z". */
void cache_now(char out[EC_TIME_SIZE]);

/* Standard "not found" results. */
int cache_not_found(ec_error *err, enum ec_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
