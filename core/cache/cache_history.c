/* cache_history.c — Test & Enable history: each run of a mailbox with its
 * checks in order, the latest run and the runs newest first. Touches the
 * test_runs and test_checks tables. */
#include "core/cache/cache_int.h"

#include <stdlib.h>
#include <string.h>

static int parse_check_status(const char *slug, enum ec_check_status *out)
{
	static const enum ec_check_status all[] = {CHECK_PASS, CHECK_FAIL, CHECK_SKIP};
	for (int i = 0; i < 3; i++)
		if (slug && strcmp(slug, check_status_slug(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	*out = CHECK_SKIP;
	return -1;
}

static int add_check(ec_cache *c, sqlite3_stmt *st, long long run, int seq, const ec_check *k,
                     ec_error *err)
{
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int(st, 2, seq);
	cache_bind_text(st, 3, k->stage);
	cache_bind_text(st, 4, k->channel);
	cache_bind_text(st, 5, check_status_slug(k->status));
	cache_bind_text(st, 6, k->code);
	cache_bind_text(st, 7, k->message);
	cache_bind_text(st, 8, k->fix);
	sqlite3_bind_int64(st, 9, k->elapsed_ms);
	return cache_step_done(c, st, "storing a test check", err);
}

static int add_run(ec_cache *c, const ec_test_result *t, long long *run, ec_error *err)
{
	static const char sql[] = "INSERT INTO test_runs (mailbox_id, name, verdict, started_on, "
	                          "finished_on) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, t->id);
	cache_bind_text(st, 2, t->name);
	cache_bind_text(st, 3, check_status_slug(t->verdict));
	cache_bind_opt_text(st, 4, t->started_on);
	cache_bind_opt_text(st, 5, t->finished_on);
	status = cache_step_done(c, st, "storing a test run", err);
	sqlite3_finalize(st);
	*run = sqlite3_last_insert_rowid(c->db);
	return status;
}

int cache_test_add(ec_cache *c, const ec_test_result *t, ec_error *err)
{
	static const char sql[] =
	    "INSERT INTO test_checks (run_id, seq, stage, channel, status, "
	    "code, message, fix, elapsed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = NULL;
	long long run = 0;
	int status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = add_run(c, t, &run, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	for (int i = 0; i < t->nchecks && status == EC_OK; i++)
		status = add_check(c, st, run, i, &t->checks[i], err);
	sqlite3_finalize(st);
	return cache_tx_end(c, status, err);
}

/* Appends the checks of run to t, in order. */
static int read_checks(ec_cache *c, long long run, ec_test_result *t, ec_error *err)
{
	static const char sql[] = "SELECT stage, channel, status, code, message, fix, elapsed_ms "
	                          "FROM test_checks WHERE run_id = ? ORDER BY seq";
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	sqlite3_bind_int64(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum ec_check_status s;
		parse_check_status((const char *)sqlite3_column_text(st, 2), &s);
		test_result_add(t, (const char *)sqlite3_column_text(st, 0),
		                (const char *)sqlite3_column_text(st, 1), s,
		                (const char *)sqlite3_column_text(st, 3),
		                (const char *)sqlite3_column_text(st, 4),
		                (const char *)sqlite3_column_text(st, 5),
		                (long)sqlite3_column_int64(st, 6));
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading test checks");
	sqlite3_finalize(st);
	return status;
}

int cache_test_list(ec_cache *c, const char *mailbox_id, int limit, ec_test_result **rows, int *n,
                    ec_error *err)
{
	static const char sql[] = "SELECT id, mailbox_id, name, verdict, started_on, finished_on "
	                          "FROM test_runs WHERE mailbox_id = ? ORDER BY id DESC LIMIT ?";
	ec_test_result *arr = NULL;
	long long *runs = NULL;
	sqlite3_stmt *st;
	int rc, count = 0, cap = 0, status = cache_prepare(c, sql, &st, err);
	*rows = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, mailbox_id);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ec_test_result *t;
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			arr = ec_xrealloc(arr, sizeof *arr * (unsigned long)cap);
			runs = ec_xrealloc(runs, sizeof *runs * (unsigned long)cap);
		}
		t = &arr[count];
		test_result_init(t);
		runs[count++] = sqlite3_column_int64(st, 0);
		cache_col_copy(st, 1, t->id, sizeof t->id);
		t->name = cache_col_dup(st, 2);
		parse_check_status((const char *)sqlite3_column_text(st, 3), &t->verdict);
		cache_col_copy(st, 4, t->started_on, sizeof t->started_on);
		cache_col_copy(st, 5, t->finished_on, sizeof t->finished_on);
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading test history");
	sqlite3_finalize(st);
	for (int i = 0; i < count && status == EC_OK; i++)
		status = read_checks(c, runs[i], &arr[i], err);
	free(runs);
	*rows = arr;
	*n = count;
	return status;
}

int cache_test_last(ec_cache *c, const char *mailbox_id, ec_test_result *out, ec_error *err)
{
	ec_test_result *rows;
	int n, status = cache_test_list(c, mailbox_id, 1, &rows, &n, err);
	test_result_init(out);
	if (status == EC_OK && n == 0)
		status = cache_not_found(err, EC_USAGE,
		                         "mailbox %.64s was never tested here; run "
		                         "`emailcfg test %.64s`",
		                         mailbox_id, mailbox_id);
	if (status == EC_OK) {
		*out = rows[0];
		test_result_init(&rows[0]);
	}
	cache_free_tests(rows, n);
	return status;
}
