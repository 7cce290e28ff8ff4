/* test_cache_view.c — the console's cache reader thread (cache_view.c) on
 * a real cache: a request answered off the caller's thread; a newer request
 * of the same kind interrupts the query still running for the older one,
 * whose answer never arrives; a request of another kind does not; stopping
 * the reader interrupts its query instead of waiting for it. The slow query
 * is a filter of many bare words over long names (seconds of LIKE), so the
 * reader is certainly inside it when the second request comes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/cache/cache.h"
#include "core/cache/cache_view.h"

#define ROWS      40000
#define ROWS_TEXT "40000"
/* Every row matches every word, at the end of a long name: each word is a
 * LIKE that walks the whole name, for every row. */
#define SLOW_WORD "zq"

static char tmpdir[64], path[128];

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int setup(void **state)
{
	ec_cache *c = NULL;
	ec_error err = {0};
	sqlite3 *db;
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/ec-view-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(path, sizeof path, "%s/view.db", tmpdir);
	assert_int_equal(cache_open(path, &c, &err), EC_OK); /* the schema */
	cache_close(c);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db,
	                 "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	                 "WHERE i < " ROWS_TEXT ") INSERT INTO mailboxes (id, name, name_folded, "
	                 "email_folded, owner_folded, profile_folded, "
	                 "version) SELECT printf('00000000-0000-0000-0000-"
	                 "%012d', i), 'm' || i, printf('%.1500c', 'a') || "
	                 "i || '" SLOW_WORD "', '', '', '', 1 FROM n; COMMIT",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	return 0;
}

static int teardown(void **state)
{
	char other[160];
	(void)state;
	unlink(path);
	snprintf(other, sizeof other, "%s-wal", path);
	unlink(other);
	snprintf(other, sizeof other, "%s-shm", path);
	unlink(other);
	rmdir(tmpdir);
	return 0;
}

static view_request ids_request(long gen, const char *filter)
{
	view_request rq;
	memset(&rq, 0, sizeof rq);
	rq.kind = VIEW_IDS;
	rq.gen = gen;
	snprintf(rq.filter, sizeof rq.filter, "%s", filter);
	return rq;
}

/* The slow filter: 60 words, each matched at the end of every name. */
static const char *slow_filter(void)
{
	static char f[512];
	size_t used = 0;
	for (int i = 0; i < 60; i++) /* the filter takes at most 64 terms */
		used += (size_t)snprintf(f + used, sizeof f - used, "%s ", SLOW_WORD);
	return f;
}

/* Waits (at most limit seconds) for one answer; false when none came. */
static bool wait_answer(ec_view *v, view_answer *a, double limit)
{
	double until = now_s() + limit;
	while (now_s() < until) {
		struct pollfd p = {view_fd(v), POLLIN, 0};
		if (view_next(v, a))
			return true;
		poll(&p, 1, 50);
	}
	return false;
}

/* How long the slow filter takes alone: the yardstick of the tests. */
static double slow_query_seconds(void)
{
	ec_view *v = NULL;
	ec_error err = {0};
	view_answer a;
	view_request rq = ids_request(1, slow_filter());
	double t0;
	assert_int_equal(view_start(path, &v, &err), EC_OK);
	t0 = now_s();
	view_ask(v, &rq);
	assert_true(wait_answer(v, &a, 120));
	if (a.status != EC_OK)
		fail_msg("the slow filter failed: %s", a.err.msg);
	assert_int_equal(a.value, ROWS); /* every row matches */
	view_answer_free(&a);
	view_stop(v);
	return now_s() - t0;
}

static void test_superseded_query_is_interrupted(void **state)
{
	ec_view *v = NULL;
	ec_error err = {0};
	view_answer a;
	view_request slow = ids_request(1, slow_filter()), quick = ids_request(2, "11" SLOW_WORD);
	double alone = slow_query_seconds(), t0;
	(void)state;
	print_message("the slow filter alone: %.2f s\n", alone);
	assert_true(alone > 0.5); /* else the data set is too small to tell */
	assert_int_equal(view_start(path, &v, &err), EC_OK);
	view_ask(v, &slow);
	usleep(100000); /* the reader is inside the slow scan now */
	t0 = now_s();
	view_ask(v, &quick);
	assert_true(wait_answer(v, &a, 120));
	/* The first answer is the newer request's: the old one was dropped. */
	assert_int_equal(a.kind, VIEW_IDS);
	assert_int_equal(a.gen, 2);
	assert_int_equal(a.status, EC_OK);
	assert_true(a.value > 0);
	view_answer_free(&a);
	/* ...and it came long before the slow scan could have finished. */
	if (now_s() - t0 > alone / 2)
		fail_msg("the newer request waited %.2f s for a scan of %.2f s", now_s() - t0,
		         alone);
	assert_false(wait_answer(v, &a, 0.3)); /* nothing else comes */
	view_stop(v);
}

static void test_other_kind_does_not_interrupt(void **state)
{
	ec_view *v = NULL;
	ec_error err = {0};
	view_answer a;
	view_request slow = ids_request(1, slow_filter()), count;
	bool got_ids = false, got_count = false;
	(void)state;
	memset(&count, 0, sizeof count);
	count.kind = VIEW_COUNT;
	count.gen = 2;
	assert_int_equal(view_start(path, &v, &err), EC_OK);
	view_ask(v, &slow);
	usleep(100000);
	view_ask(v, &count);
	for (int i = 0; i < 2 && wait_answer(v, &a, 120); i++) {
		if (a.kind == VIEW_IDS && a.gen == 1 && a.status == EC_OK && a.value == ROWS)
			got_ids = true;
		if (a.kind == VIEW_COUNT && a.status == EC_OK && a.value == ROWS)
			got_count = true;
		view_answer_free(&a);
	}
	assert_true(got_ids);
	assert_true(got_count);
	view_stop(v);
}

static void test_stop_interrupts_query(void **state)
{
	ec_view *v = NULL;
	ec_error err = {0};
	view_request slow = ids_request(1, slow_filter());
	double alone = slow_query_seconds(), t0;
	(void)state;
	assert_int_equal(view_start(path, &v, &err), EC_OK);
	view_ask(v, &slow);
	usleep(100000);
	t0 = now_s();
	view_stop(v); /* frees what was queued; ASan/valgrind see a leak if not */
	if (now_s() - t0 > alone / 2)
		fail_msg("stopping waited %.2f s for a scan of %.2f s", now_s() - t0, alone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_superseded_query_is_interrupted),
	    cmocka_unit_test(test_other_kind_does_not_interrupt),
	    cmocka_unit_test(test_stop_interrupts_query),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
