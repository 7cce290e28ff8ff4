/* test_cache_outbox.c — the outbox and Test & Enable history in a real
 * cache: an entry's lifecycle (queued, conflict with the organization's
 * values, resolved, sent, failed, dropped), the pending and conflict markers
 * that listed mailboxes derive from it (and the pending: filter and sort), an
 * edit stored in one transaction with the organization's new row, the status
 * numbers of the outbox, and test runs with their checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cache/cache.h"

static char tmpdir[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void make_id(char *id, int i)
{
	snprintf(id, EC_ID_SIZE, "00000000-0000-0000-0000-%012u", (unsigned)i % 1000000u);
}

/* A fresh cache with mailboxes 0..2 named A, B, C. */
static int setup(void **state)
{
	static const char *const names[] = {"A", "B", "C"};
	char path[128];
	ec_mailbox rows[3];
	ec_error err = {0};
	ec_cache *c;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_cache_outbox.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof path, "%s/outbox.db", tmpdir);
	if (cache_open(path, &c, &err) != EC_OK)
		return -1;
	for (int i = 0; i < 3; i++) {
		mailbox_init(&rows[i]);
		make_id(rows[i].id, i);
		rows[i].name = (char *)names[i];
		rows[i].version = 10;
	}
	if (cache_put_mailboxes(c, rows, 3, &err) != EC_OK)
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	cache_close(*state);
	return nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static ec_outbox_entry edit(const char *entity, int target, const char *changes)
{
	ec_outbox_entry e;
	outbox_entry_init(&e);
	snprintf(e.entity, sizeof e.entity, "%s", entity);
	make_id(e.target_id, target);
	e.changes = (char *)changes;
	e.base = (char *)"{\"incoming\":\"none\"}";
	e.base_version = 10;
	e.state = OUTBOX_QUEUED;
	return e;
}

/* pending_edits and conflict of mailbox i as listed. */
static void markers(ec_cache *c, int i, int *pending, bool *conflict)
{
	ec_mailbox *rows, one;
	char id[EC_ID_SIZE];
	ec_error err = {0};
	int n;
	make_id(id, i);
	assert_int_equal(cache_list_mailboxes(c, NULL, "name", 0, -1, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[i].id, id);
	*pending = rows[i].pending_edits;
	*conflict = rows[i].conflict;
	assert_int_equal(cache_get_mailbox(c, id, &one, &err), EC_OK);
	assert_int_equal(one.pending_edits, *pending);
	assert_int_equal(one.conflict, *conflict);
	mailbox_free(&one);
	cache_free_mailboxes(rows, n);
}

static void expect_filter(ec_cache *c, const char *filter, long want)
{
	long count = -1;
	ec_error err = {0};
	assert_int_equal(cache_count_mailboxes(c, filter, &count, &err), EC_OK);
	if (count != want)
		fail_msg("'%s' counts %ld, expected %ld", filter, count, want);
}

static void test_outbox_lifecycle(void **state)
{
	ec_cache *c = *state;
	ec_error err = {0};
	ec_outbox_entry e1 = edit("mailbox", 1, "{\"incoming\":\"server-side-sync\"}");
	ec_outbox_entry e2 = edit("mailbox", 1, "{\"act\":\"none\"}");
	ec_outbox_entry e3 = edit("organization", 9, "{\"approve-users\":false}");
	ec_outbox_entry got, *list;
	struct ec_status_counts s;
	int pending, n;
	bool conflict;

	markers(c, 1, &pending, &conflict);
	assert_int_equal(pending, 0);
	assert_false(conflict);

	assert_int_equal(cache_outbox_add(c, &e1, &err), EC_OK);
	assert_int_equal(cache_outbox_add(c, &e2, &err), EC_OK);
	assert_int_equal(cache_outbox_add(c, &e3, &err), EC_OK);
	assert_true(e1.id > 0 && e2.id > e1.id && e3.id > e2.id);
	assert_int_equal(strlen(e1.created_on), 20);
	markers(c, 1, &pending, &conflict);
	assert_int_equal(pending, 2);
	assert_false(conflict);
	markers(c, 0, &pending, &conflict);
	assert_int_equal(pending, 0);
	expect_filter(c, "pending:yes", 1);
	expect_filter(c, "pending:no", 2);
	expect_filter(c, "pending:conflict", 0);

	/* The organization changed the row: a conflict keeps the edit. */
	assert_int_equal(cache_outbox_set_state(c, e1.id, OUTBOX_CONFLICT,
	                                        "{\"incoming\":\"outlook\"}", "changed meanwhile",
	                                        &err),
	                 EC_OK);
	markers(c, 1, &pending, &conflict);
	assert_int_equal(pending, 2);
	assert_true(conflict);
	expect_filter(c, "pending:conflict", 1);
	expect_filter(c, "-pending:conflict", 2);
	assert_int_equal(cache_outbox_get(c, e1.id, &got, &err), EC_OK);
	assert_int_equal(got.state, OUTBOX_CONFLICT);
	assert_string_equal(got.changes, e1.changes);
	assert_string_equal(got.base, e1.base);
	assert_string_equal(got.theirs, "{\"incoming\":\"outlook\"}");
	assert_string_equal(got.error, "changed meanwhile");
	assert_string_equal(got.entity, "mailbox");
	assert_string_equal(got.target_id, e1.target_id);
	assert_int_equal(got.base_version, 10);
	assert_string_equal(got.created_on, e1.created_on);

	/* The conflicted mailbox sorts after the merely pending ones. */
	{
		ec_mailbox *rows;
		assert_int_equal(cache_list_mailboxes(c, NULL, "-pending", 0, -1, &rows, &n, &err),
		                 EC_OK);
		assert_string_equal(rows[0].id, e1.target_id);
		cache_free_mailboxes(rows, n);
	}

	/* Keep mine: rebased on their version, queued again. */
	got.base_version = 11;
	free(got.base);
	got.base = ec_strdup(got.theirs);
	got.state = OUTBOX_QUEUED;
	free(got.error);
	got.error = NULL;
	assert_int_equal(cache_outbox_update(c, &got, &err), EC_OK);
	outbox_entry_free(&got);
	assert_int_equal(cache_outbox_get(c, e1.id, &got, &err), EC_OK);
	assert_int_equal(got.base_version, 11);
	assert_int_equal(got.state, OUTBOX_QUEUED);
	assert_null(got.error);
	assert_string_equal(got.theirs, "{\"incoming\":\"outlook\"}");
	outbox_entry_free(&got);
	markers(c, 1, &pending, &conflict);
	assert_false(conflict);

	/* Sent, with the organization's new row, in one transaction. */
	{
		ec_mailbox m;
		assert_int_equal(cache_get_mailbox(c, e1.target_id, &m, &err), EC_OK);
		m.incoming = 2;
		m.version = 12;
		assert_int_equal(cache_transaction_begin(c, &err), EC_OK);
		assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
		assert_int_equal(cache_outbox_set_state(c, e1.id, OUTBOX_SENT, NULL, NULL, &err),
		                 EC_OK);
		assert_int_equal(cache_transaction_commit(c, &err), EC_OK);
		mailbox_free(&m);
	}
	markers(c, 1, &pending, &conflict);
	assert_int_equal(pending, 1);
	/* Failed. */
	assert_int_equal(
	    cache_outbox_set_state(c, e2.id, OUTBOX_FAILED, NULL, "400: bad value", &err), EC_OK);
	markers(c, 1, &pending, &conflict);
	assert_int_equal(pending, 0);
	expect_filter(c, "pending:yes", 0);

	/* Lists: all, active only, per target; oldest first. */
	assert_int_equal(cache_outbox_list(c, NULL, false, &list, &n, &err), EC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, e1.id);
	assert_int_equal(list[0].state, OUTBOX_SENT);
	assert_int_equal(list[2].id, e3.id);
	assert_string_equal(list[2].entity, "organization");
	cache_free_outbox(list, n);
	assert_int_equal(cache_outbox_list(c, NULL, true, &list, &n, &err), EC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, e2.id);
	assert_string_equal(list[0].error, "400: bad value");
	cache_free_outbox(list, n);
	assert_int_equal(cache_outbox_list(c, e3.target_id, false, &list, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	cache_free_outbox(list, n);

	assert_int_equal(cache_status_counts(c, &s, &err), EC_OK);
	assert_int_equal(s.queued, 1);
	assert_int_equal(s.conflicts, 0);
	assert_int_equal(s.failed, 1);

	/* Dropped. */
	assert_int_equal(cache_outbox_delete(c, e2.id, &err), EC_OK);
	assert_int_equal(cache_outbox_get(c, e2.id, &got, &err), CACHE_NOT_FOUND);
	assert_int_equal(err.status, EC_USAGE);
	assert_non_null(strstr(err.msg, "emailcfg outbox"));
	assert_int_equal(cache_outbox_delete(c, e2.id, &err), CACHE_NOT_FOUND);
	assert_int_equal(cache_outbox_set_state(c, 999, OUTBOX_SENT, NULL, NULL, &err),
	                 CACHE_NOT_FOUND);
}

static void test_outbox_survives_mailbox_removal(void **state)
{
	ec_cache *c = *state;
	ec_error err = {0};
	ec_outbox_entry e = edit("mailbox", 2, "{\"state\":\"inactive\"}"), *list;
	int n;
	assert_int_equal(cache_outbox_add(c, &e, &err), EC_OK);
	assert_int_equal(cache_delete_mailbox(c, e.target_id, &err), EC_OK);
	assert_int_equal(cache_outbox_list(c, e.target_id, true, &list, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	cache_free_outbox(list, n);
}

static void test_outbox_refuses_unknown_entity(void **state)
{
	ec_cache *c = *state;
	ec_error err = {0};
	ec_outbox_entry e = edit("systemuser", 1, "{}");
	assert_int_equal(cache_outbox_add(c, &e, &err), EC_LOCAL);
	assert_int_equal(e.id, 0);
}

/* A server profile's edit is an outbox entry like a mailbox's (schema 9
 * widened the table's CHECK). */
static void test_outbox_takes_profile(void **state)
{
	ec_cache *c = *state;
	ec_error err = {0};
	ec_outbox_entry e = edit("profile", 1, "{\"max-connections\":20}"), *list;
	int n;
	assert_int_equal(cache_outbox_add(c, &e, &err), EC_OK);
	assert_true(e.id > 0);
	assert_int_equal(cache_outbox_list(c, e.target_id, true, &list, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].entity, "profile");
	cache_free_outbox(list, n);
}

/* Version 9 rebuilds the outbox (a wider CHECK for profile entries): every
 * entry of a version 8 cache is kept with its id and values, and the id
 * counter goes on past the highest id ever given (an entry dropped before
 * the migration does not have its id given again). */
static void test_outbox_kept_by_v9(void **state)
{
	char path[160];
	ec_cache *c = NULL;
	ec_error err = {0};
	ec_outbox_entry e = edit("mailbox", 1, "{\"act\":\"none\"}"), *list;
	ec_outbox_entry p = edit("profile", 2, "{\"state\":\"inactive\"}");
	long long first, dropped;
	int n;
	(void)state;
	snprintf(path, sizeof path, "%s/v8.db", tmpdir);
	assert_int_equal(cache_open_version(path, 8, &c, &err), EC_OK);
	assert_int_equal(cache_outbox_add(c, &e, &err), EC_OK);
	first = e.id;
	e.id = 0;
	assert_int_equal(cache_outbox_add(c, &e, &err), EC_OK);
	dropped = e.id;
	assert_int_equal(cache_outbox_drop(c, dropped, 0, NULL, false, &err), EC_OK);
	/* version 8 refuses a profile entry in SQL */
	assert_int_not_equal(cache_outbox_add(c, &p, &err), EC_OK);
	assert_int_equal(cache_migrate_to(c, 9, &err), EC_OK);
	assert_int_equal(cache_outbox_list(c, e.target_id, true, &list, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, first);
	assert_string_equal(list[0].changes, "{\"act\":\"none\"}");
	assert_string_equal(list[0].base, "{\"incoming\":\"none\"}");
	assert_int_equal(list[0].base_version, 10);
	cache_free_outbox(list, n);
	p.id = 0;
	assert_int_equal(cache_outbox_add(c, &p, &err), EC_OK);
	assert_true(p.id > dropped);
	cache_close(c);
}

static void test_outbox_durable_across_connections(void **state)
{
	ec_cache *c = *state, *other;
	ec_error err = {0};
	ec_outbox_entry e = edit("mailbox", 0, "{\"outgoing\":\"none\"}"), got;
	assert_int_equal(cache_outbox_add(c, &e, &err), EC_OK);
	assert_int_equal(cache_open(cache_path(c), &other, &err), EC_OK);
	assert_int_equal(cache_outbox_get(other, e.id, &got, &err), EC_OK);
	assert_string_equal(got.changes, "{\"outgoing\":\"none\"}");
	outbox_entry_free(&got);
	cache_close(other);
}

/* ---- Test & Enable history --------------------------------------------- */

static void test_history(void **state)
{
	ec_cache *c = *state;
	ec_error err = {0};
	ec_test_result t, got, *list;
	char id[EC_ID_SIZE];
	int n;

	make_id(id, 0);
	assert_int_equal(cache_test_last(c, id, &got, &err), CACHE_NOT_FOUND);
	assert_non_null(strstr(err.msg, "never tested"));

	test_result_init(&t);
	snprintf(t.id, sizeof t.id, "%s", id);
	t.name = ec_strdup("A");
	t.verdict = CHECK_FAIL;
	snprintf(t.started_on, sizeof t.started_on, "2024-03-01T09:00:00Z");
	snprintf(t.finished_on, sizeof t.finished_on, "2024-03-01T09:02:00Z");
	test_result_add(&t, "rules", "", CHECK_PASS, NULL, NULL, NULL, 1);
	test_result_add(&t, "connectivity", "incoming", CHECK_FAIL, "tls",
	                "The certificate of imap.contoso.si expired", "Renew it", 250);
	test_result_add(&t, "server", "outgoing", CHECK_SKIP, NULL, "Not run", NULL, 0);
	assert_int_equal(cache_test_add(c, &t, &err), EC_OK);
	test_result_free(&t);

	test_result_init(&t);
	snprintf(t.id, sizeof t.id, "%s", id);
	t.verdict = CHECK_PASS;
	test_result_add(&t, "verdict", "incoming", CHECK_PASS, "ok", "Všechno v redu ✓", NULL, 9);
	assert_int_equal(cache_test_add(c, &t, &err), EC_OK);
	test_result_free(&t);

	assert_int_equal(cache_test_last(c, id, &got, &err), EC_OK);
	assert_int_equal(got.verdict, CHECK_PASS);
	assert_null(got.name);
	assert_string_equal(got.started_on, "");
	assert_int_equal(got.nchecks, 1);
	assert_string_equal(got.checks[0].message, "Všechno v redu ✓");
	test_result_free(&got);

	assert_int_equal(cache_test_list(c, id, 0, &list, &n, &err), EC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[1].verdict, CHECK_FAIL);
	assert_string_equal(list[1].name, "A");
	assert_string_equal(list[1].id, id);
	assert_string_equal(list[1].finished_on, "2024-03-01T09:02:00Z");
	assert_int_equal(list[1].nchecks, 3);
	assert_string_equal(list[1].checks[0].stage, "rules");
	assert_string_equal(list[1].checks[0].channel, "");
	assert_null(list[1].checks[0].code);
	assert_string_equal(list[1].checks[1].stage, "connectivity");
	assert_string_equal(list[1].checks[1].channel, "incoming");
	assert_int_equal(list[1].checks[1].status, CHECK_FAIL);
	assert_string_equal(list[1].checks[1].code, "tls");
	assert_string_equal(list[1].checks[1].fix, "Renew it");
	assert_int_equal(list[1].checks[1].elapsed_ms, 250);
	assert_int_equal(list[1].checks[2].status, CHECK_SKIP);
	cache_free_tests(list, n);

	assert_int_equal(cache_test_list(c, id, 1, &list, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].verdict, CHECK_PASS);
	cache_free_tests(list, n);
	make_id(id, 1);
	assert_int_equal(cache_test_list(c, id, 0, &list, &n, &err), EC_OK);
	assert_int_equal(n, 0);
	cache_free_tests(list, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_outbox_lifecycle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_survives_mailbox_removal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_refuses_unknown_entity, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_takes_profile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_kept_by_v9, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_durable_across_connections, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_history, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
