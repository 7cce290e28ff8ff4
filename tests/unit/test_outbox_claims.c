/* test_outbox_claims.c — the claims of the outbox on a real SQLite file with
 * two connections, as two processes (or the console's UI thread and its
 * worker) have them: a claim is exclusive; an edit queued while its row's
 * entry is claimed becomes a new entry and the claimed one is untouched;
 * settling needs the claim's token; an expired or dead claim is taken over
 * and its old holder can no longer settle; entries of one row are claimed
 * in order; a claimed entry is not dropped; a failed entry is retried. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/cache/cache_int.h"
#include "core/model/options.h"
#include "core/sync/outbox.h"
#include "core/sync/session.h"

#define MAILBOX "a1b2c3d4-1111-ec11-8c62-000d3adcebd7"

typedef struct fixture {
	char dir[64], path[128];
	ec_config cfg;
	ec_session s;    /* the queueing side: offline, queue only */
	ec_cache *other; /* the pushing side: a second connection */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	ec_mailbox m;
	ec_error err;
	snprintf(f->dir, sizeof f->dir, "/tmp/emailcfg-claims-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/c.db", f->dir);
	f->cfg.cache_path = f->path;
	f->cfg.offline = true;
	if (session_open(&f->cfg, NULL, &f->s, &err) != EC_OK)
		return -1;
	f->s.queue_only = true;
	mailbox_init(&m);
	strcpy(m.id, MAILBOX);
	m.name = "Ana";
	m.owner_type = OWNER_USER;
	m.incoming = m.outgoing = INCOMING_SSS;
	m.act = ACT_SSS;
	m.state = STATE_ACTIVE;
	m.version = 10;
	if (cache_put_mailboxes(f->s.cache, &m, 1, &err) != EC_OK ||
	    cache_open(f->path, &f->other, &err) != EC_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[160];
	cache_close(f->other);
	session_close(&f->s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	free(f);
	return system(cmd) == 0 ? 0 : -1;
}

/* `mailbox set Ana KEY=VALUE` through the real queueing code. */
static long long queue_edit(fixture *f, const char *assignment)
{
	char ids[1][EC_ID_SIZE] = {MAILBOX};
	char *assign[] = {(char *)assignment};
	ec_edit_result *res = NULL;
	ec_error err = {0};
	long long id;
	if (edit_mailboxes(&f->s, ids, 1, assign, 1, &res, &err) != EC_OK)
		fail_msg("queueing %s: %s", assignment, err.msg);
	id = res[0].entry;
	edit_results_free(res, 1);
	return id;
}

static ec_outbox_entry entry(fixture *f, long long id)
{
	ec_outbox_entry e;
	ec_error err;
	assert_int_equal(cache_outbox_get(f->other, id, &e, &err), EC_OK);
	return e;
}

static int claim(ec_cache *c, long long id, const char *token, long long now)
{
	return cache_outbox_claim(c, id, token, now, now + 600, NULL, NULL);
}

static void claim_is_exclusive(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	ec_outbox_entry e;
	assert_int_equal(claim(f->other, id, "host 1 a", 1000), EC_OK);
	assert_int_equal(claim(f->s.cache, id, "host 2 b", 1000), CACHE_CLAIMED);
	assert_int_equal(claim(f->other, id, "host 1 c", 1000), CACHE_CLAIMED);
	e = entry(f, id);
	assert_string_equal(e.claim, "host 1 a");
	assert_int_equal(e.claim_expires, 1600);
	outbox_entry_free(&e);
}

/* The lost edit of issue 9: queued while the push of its row is in flight. */
static void queue_while_claimed_is_a_new_entry(void **state)
{
	fixture *f = *state;
	long long first = queue_edit(f, "act=none"), second, third;
	ec_outbox_entry e;
	ec_error err;
	assert_int_equal(claim(f->other, first, "pusher 1 a", 1000), EC_OK);
	second = queue_edit(f, "outgoing=none");
	assert_true(second != first);
	e = entry(f, first);
	assert_string_equal(e.changes, "{\"act\":\"none\"}");
	outbox_entry_free(&e);
	/* The second edit is made on what the admin saw: the first applied. */
	third = queue_edit(f, "act=outlook");
	assert_int_equal(third, second); /* merged: nobody pushes the second */
	e = entry(f, second);
	assert_string_equal(e.changes, "{\"outgoing\":\"none\",\"act\":\"outlook\"}");
	assert_string_equal(e.base, "{\"outgoing\":\"server-side-sync\",\"act\":\"none\"}");
	outbox_entry_free(&e);
	/* The pusher settles what it sent; the later edit stays queued. */
	assert_int_equal(
	    cache_outbox_settle(f->other, first, "pusher 1 a", OUTBOX_SENT, NULL, NULL, &err),
	    EC_OK);
	e = entry(f, second);
	assert_int_equal(e.state, OUTBOX_QUEUED);
	assert_string_equal(e.claim, "");
	outbox_entry_free(&e);
}

static void merge_refused_into_claimed_entry(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	ec_error err;
	assert_int_equal(claim(f->other, id, "pusher 1 a", 1000), EC_OK);
	assert_int_equal(cache_outbox_merge(f->s.cache, id, "{\"act\":\"none\"}",
	                                    "{\"act\":\"outlook\"}", "{}", &err),
	                 CACHE_CLAIMED);
}

static void settle_needs_the_token(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	ec_outbox_entry e;
	ec_error err;
	assert_int_equal(claim(f->other, id, "pusher 1 a", 1000), EC_OK);
	assert_int_equal(
	    cache_outbox_settle(f->s.cache, id, "pusher 1 z", OUTBOX_SENT, NULL, NULL, &err),
	    CACHE_CLAIMED);
	assert_int_equal(cache_outbox_settle(f->s.cache, id, NULL, OUTBOX_SENT, NULL, NULL, &err),
	                 CACHE_CLAIMED);
	assert_int_equal(cache_outbox_set_state(f->s.cache, id, OUTBOX_SENT, NULL, NULL, &err),
	                 CACHE_NOT_FOUND);
	assert_int_equal(cache_outbox_renew(f->s.cache, id, "pusher 1 z", 5000, 11, &err),
	                 CACHE_CLAIMED);
	e = entry(f, id);
	assert_int_equal(e.state, OUTBOX_QUEUED);
	assert_int_equal(e.base_version, 10);
	outbox_entry_free(&e);
	assert_int_equal(
	    cache_outbox_settle(f->other, id, "pusher 1 a", OUTBOX_SENT, NULL, NULL, &err), EC_OK);
	e = entry(f, id);
	assert_int_equal(e.state, OUTBOX_SENT);
	outbox_entry_free(&e);
}

static void expired_claim_is_taken_over(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	ec_error err;
	assert_int_equal(cache_outbox_claim(f->other, id, "old 1 a", 100, 110, NULL, &err), EC_OK);
	assert_int_equal(cache_outbox_claim(f->s.cache, id, "new 2 b", 109, 700, NULL, &err),
	                 CACHE_CLAIMED);
	assert_int_equal(cache_outbox_claim(f->s.cache, id, "new 2 b", 110, 700, NULL, &err),
	                 EC_OK);
	/* The old holder wakes up: its answer is no longer the entry's. */
	assert_int_equal(
	    cache_outbox_settle(f->other, id, "old 1 a", OUTBOX_SENT, NULL, NULL, &err),
	    CACHE_CLAIMED);
	assert_int_equal(
	    cache_outbox_settle(f->s.cache, id, "new 2 b", OUTBOX_SENT, NULL, NULL, &err), EC_OK);
}

static void dead_claim_is_taken_over(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	assert_int_equal(claim(f->other, id, "dead 1 a", 1000), EC_OK);
	assert_int_equal(
	    cache_outbox_claim(f->s.cache, id, "new 2 b", 1000, 1600, "dead 1 x", NULL),
	    CACHE_CLAIMED);
	assert_int_equal(
	    cache_outbox_claim(f->s.cache, id, "new 2 b", 1000, 1600, "dead 1 a", NULL), EC_OK);
}

/* Entries of one row go out oldest first: a later one waits while an older
 * one is queued (claimed or not) or a conflict. */
static void entries_of_a_row_are_claimed_in_order(void **state)
{
	fixture *f = *state;
	long long first = queue_edit(f, "act=none"), second;
	ec_error err;
	assert_int_equal(claim(f->other, first, "pusher 1 a", 1000), EC_OK);
	second = queue_edit(f, "outgoing=none");
	assert_int_equal(claim(f->s.cache, second, "pusher 2 b", 1000), CACHE_CLAIMED);
	assert_int_equal(cache_outbox_settle(f->other, first, "pusher 1 a", OUTBOX_CONFLICT,
	                                     "{\"act\":\"outlook\"}", NULL, &err),
	                 EC_OK);
	assert_int_equal(claim(f->s.cache, second, "pusher 2 b", 1000), CACHE_CLAIMED);
	assert_int_equal(cache_outbox_delete(f->other, first, &err), EC_OK);
	assert_int_equal(claim(f->s.cache, second, "pusher 2 b", 1000), EC_OK);
}

static void claimed_entry_is_not_dropped(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	char token[EC_CLAIM_SIZE], host[64] = "";
	ec_error err;
	gethostname(host, sizeof host - 1);
	snprintf(token, sizeof token, "%s %ld x", host, (long)getppid()); /* alive */
	assert_int_equal(claim(f->other, id, token, (long long)time(NULL)), EC_OK);
	assert_int_equal(outbox_drop(&f->s, id, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "being pushed"));
	assert_int_equal(
	    cache_outbox_settle(f->other, id, token, OUTBOX_QUEUED, NULL, "unreachable", &err),
	    EC_OK);
	assert_int_equal(outbox_drop(&f->s, id, &err), EC_OK);
}

/* Review finding 1: an edit merged into the entry after the pusher read it
 * and before it claimed it. The claim is refused (the pusher reads again),
 * so the entry is never settled by a push that did not carry the edit. */
static void claim_checks_the_entry_read(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	ec_outbox_entry read = entry(f, id), e;
	ec_error err;
	assert_int_equal(queue_edit(f, "outgoing=none"), id); /* merged */
	assert_int_equal(cache_outbox_claim_as_read(f->other, id, "pusher 1 a", 1000, 1600, NULL,
	                                            read.changes, &err),
	                 CACHE_CLAIMED);
	e = entry(f, id);
	assert_string_equal(e.claim, "");
	assert_non_null(strstr(e.changes, "outgoing"));
	assert_int_equal(cache_outbox_claim_as_read(f->other, id, "pusher 1 a", 1000, 1600, NULL,
	                                            e.changes, &err),
	                 EC_OK);
	outbox_entry_free(&read);
	outbox_entry_free(&e);
}

/* Review finding 6: a push claims the entry after `outbox drop` checked it
 * was not being sent; the DELETE itself leaves a live claim alone. */
static void drop_leaves_a_live_claim(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none"), now = (long long)time(NULL);
	ec_outbox_entry e;
	ec_error err;
	assert_int_equal(claim(f->other, id, "pusher 1 a", now), EC_OK);
	assert_int_equal(cache_outbox_drop(f->s.cache, id, now, NULL, false, &err), CACHE_CLAIMED);
	e = entry(f, id);
	assert_string_equal(e.claim, "pusher 1 a");
	outbox_entry_free(&e);
	/* A dead claim (named by the caller) or an expired one is dropped;
	 * --theirs drops only a conflict. */
	assert_int_equal(cache_outbox_drop(f->s.cache, id, now, "pusher 1 a", true, &err),
	                 CACHE_CLAIMED);
	assert_int_equal(cache_outbox_drop(f->s.cache, id, now + 600, NULL, false, &err), EC_OK);
	assert_int_equal(cache_outbox_drop(f->s.cache, id, now, NULL, false, &err),
	                 CACHE_NOT_FOUND);
	id = queue_edit(f, "outgoing=none");
	assert_int_equal(claim(f->other, id, "dead 1 a", now), EC_OK);
	assert_int_equal(cache_outbox_drop(f->s.cache, id, now, "dead 1 a", false, &err), EC_OK);
}

/* Review finding 10: the lease outlasts the longest wait of one request. */
static void claim_outlasts_the_longest_request(void **state)
{
	(void)state;
	unsetenv("EMAILCFG_MAX_WAIT_SECONDS");
	assert_true(outbox_claim_seconds() >= 600);
	setenv("EMAILCFG_MAX_WAIT_SECONDS", "86400", 1);
	assert_true(outbox_claim_seconds() > 86400);
	setenv("EMAILCFG_MAX_WAIT_SECONDS", "3600", 1);
	assert_true(outbox_claim_seconds() > 3600);
	unsetenv("EMAILCFG_MAX_WAIT_SECONDS");
}

/* Review finding 5: a key set back to its base value leaves the entry (it
 * would otherwise be pushed against the organization's later value), and
 * an entry left with nothing is dropped. */
static void revert_to_base_leaves_the_entry(void **state)
{
	fixture *f = *state;
	char ids[1][EC_ID_SIZE] = {MAILBOX};
	char *both[] = {"act=none", "outgoing=none"};
	ec_edit_result *res = NULL;
	ec_outbox_entry e;
	ec_error err;
	long long id;
	assert_int_equal(edit_mailboxes(&f->s, ids, 1, both, 2, &res, &err), EC_OK);
	id = res[0].entry;
	edit_results_free(res, 1);
	assert_int_equal(queue_edit(f, "act=server-side-sync"), id);
	e = entry(f, id);
	assert_string_equal(e.changes, "{\"outgoing\":\"none\"}");
	assert_string_equal(e.base, "{\"outgoing\":\"server-side-sync\"}");
	outbox_entry_free(&e);
	assert_int_equal(queue_edit(f, "outgoing=server-side-sync"), 0);
	assert_int_equal(cache_outbox_get(f->other, id, &e, &err), CACHE_NOT_FOUND);
	outbox_entry_free(&e);
}

static void failed_entry_is_retried(void **state)
{
	fixture *f = *state;
	long long id = queue_edit(f, "act=none");
	ec_outbox_entry e;
	ec_error err;
	assert_int_equal(claim(f->other, id, "pusher 1 a", 1000), EC_OK);
	assert_int_equal(cache_outbox_settle(f->other, id, "pusher 1 a", OUTBOX_FAILED, NULL,
	                                     "403: not an approver", &err),
	                 EC_OK);
	/* queue_only, like --offline: queued again, not pushed. */
	assert_int_equal(outbox_retry(&f->s, id, &err), EC_OK);
	e = entry(f, id);
	assert_int_equal(e.state, OUTBOX_QUEUED);
	assert_null(e.error);
	outbox_entry_free(&e);
	/* Only a failed (or queued) entry: a conflict is resolved instead. */
	assert_int_equal(claim(f->other, id, "pusher 1 b", 1000), EC_OK);
	assert_int_equal(
	    cache_outbox_settle(f->other, id, "pusher 1 b", OUTBOX_CONFLICT, "{}", NULL, &err),
	    EC_OK);
	assert_int_equal(outbox_retry(&f->s, id, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "outbox resolve"));
	f->cfg.read_only = true;
	assert_int_equal(outbox_retry(&f->s, id, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "read-only"));
}

/* A push that settles while an edit is being planned: the edit reads the
 * row and its queued entries as one snapshot. Read apart, it saw the row
 * before the push stored it and the entry after it was sent, took the
 * admin's value for "already so", and the edit was lost. */
typedef struct race {
	fixture *f;
	long long entry;
	int ran, blocked;
} race;

static int push_mid_plan(unsigned type, void *ctx, void *stmt, void *x)
{
	race *r = ctx;
	ec_mailbox m;
	ec_error err;
	int rc;
	(void)type;
	(void)x;
	if (r->ran || !strstr(sqlite3_sql(stmt), "FROM outbox"))
		return 0;
	r->ran = 1;
	if (claim(r->f->other, r->entry, "pusher 1 a", 1000) != EC_OK) {
		r->blocked = 1; /* the planner holds the write lock: no push now */
		return 0;
	}
	assert_int_equal(cache_get_mailbox(r->f->other, MAILBOX, &m, &err), EC_OK);
	m.act = ACT_NONE;
	m.version = 11;
	rc = cache_put_mailboxes(r->f->other, &m, 1, &err);
	mailbox_free(&m);
	assert_int_equal(rc, EC_OK);
	assert_int_equal(
	    cache_outbox_settle(r->f->other, r->entry, "pusher 1 a", OUTBOX_SENT, NULL, NULL, &err),
	    EC_OK);
	return 0;
}

static void edit_plans_on_one_snapshot(void **state)
{
	fixture *f = *state;
	race r = {f, 0, 0, 0};
	ec_outbox_entry *rows = NULL;
	ec_mailbox m;
	ec_error err;
	int n = 0, act;
	r.entry = queue_edit(f, "act=none");
	sqlite3_busy_timeout(f->other->db, 0); /* one thread: waiting would deadlock */
	sqlite3_trace_v2(f->s.cache->db, SQLITE_TRACE_STMT, push_mid_plan, &r);
	queue_edit(f, "act=outlook"); /* back to what the organization has */
	sqlite3_trace_v2(f->s.cache->db, 0, NULL, NULL);
	assert_true(r.ran);
	/* What the admin now sees: the row with its queued edits applied. */
	assert_int_equal(cache_get_mailbox(f->other, MAILBOX, &m, &err), EC_OK);
	act = m.act;
	mailbox_free(&m);
	assert_int_equal(cache_outbox_list(f->other, MAILBOX, true, &rows, &n, &err), EC_OK);
	for (int i = 0; i < n; i++)
		if (rows[i].state == OUTBOX_QUEUED &&
		    strstr(rows[i].changes, "\"act\":\"outlook\""))
			act = ACT_OUTLOOK;
	cache_free_outbox(rows, n);
	assert_int_equal(act, ACT_OUTLOOK);
	assert_true(r.blocked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(claim_is_exclusive, setup, teardown),
	    cmocka_unit_test_setup_teardown(queue_while_claimed_is_a_new_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(merge_refused_into_claimed_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(settle_needs_the_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(expired_claim_is_taken_over, setup, teardown),
	    cmocka_unit_test_setup_teardown(dead_claim_is_taken_over, setup, teardown),
	    cmocka_unit_test_setup_teardown(entries_of_a_row_are_claimed_in_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(claimed_entry_is_not_dropped, setup, teardown),
	    cmocka_unit_test_setup_teardown(failed_entry_is_retried, setup, teardown),
	    cmocka_unit_test_setup_teardown(claim_checks_the_entry_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(drop_leaves_a_live_claim, setup, teardown),
	    cmocka_unit_test_setup_teardown(claim_outlasts_the_longest_request, setup, teardown),
	    cmocka_unit_test_setup_teardown(revert_to_base_leaves_the_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(edit_plans_on_one_snapshot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
