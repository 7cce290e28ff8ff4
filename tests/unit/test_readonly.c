/* test_readonly.c — --read-only is enforced in core, not only by the CLI's
 * dispatcher: every changing entry point of the engine refuses with
 * EC_USAGE and a message naming --read-only, and leaves the cache exactly
 * as it was (every row of every table compared). Each case is set up so
 * the read-only guard is the only thing that can stop it: the session is
 * online (an organization that refuses connections, so nothing is sent
 * even without the guard), every mailbox, setting and outbox entry acted
 * on exists, and every edit really changes something. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/model/options.h"
#include "core/sync/outbox.h"
#include "core/sync/password.h"
#include "core/sync/session.h"
#include "core/jobs/testjob.h"

static char dir[] = "/tmp/emailcfg-ro-XXXXXX";
static char path[128];

/* Ana has a queued edit, Bor a conflict, Dana a failed edit; Cene has none
 * and is pending approval, the target of new edits. */
#define ANA  "a1b2c3d4-1111-ec11-8c62-000d3adcebd7"
#define BOR  "a1b2c3d4-2222-ec11-8c62-000d3adcebd7"
#define CENE "a1b2c3d4-3333-ec11-8c62-000d3adcebd7"
#define DANA "a1b2c3d4-4444-ec11-8c62-000d3adcebd7"

struct change;

typedef struct fixture {
	const struct change *change; /* the case, from the test's initial state */
	ec_config cfg;
	ec_session s;
	long long queued, conflict, failed; /* outbox entry ids */
} fixture;

static void put_mailbox(ec_cache *c, const char *id, const char *name)
{
	ec_mailbox m;
	ec_error err;
	mailbox_init(&m);
	strcpy(m.id, id);
	m.name = (char *)name;
	m.owner_type = OWNER_USER;
	m.incoming = INCOMING_NONE;
	m.outgoing = OUTGOING_NONE;
	m.act = ACT_NONE;
	m.approval = APPROVAL_PENDING;
	m.state = STATE_ACTIVE;
	m.version = 7;
	assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
}

/* Defaults that differ from every mailbox's methods, so "defaults" changes. */
static void put_settings(ec_cache *c)
{
	ec_settings st;
	ec_error err;
	settings_init(&st);
	strcpy(st.id, "0000000b-0000-0000-0000-000000000001");
	st.default_incoming = INCOMING_OUTLOOK;
	st.default_outgoing = OUTGOING_OUTLOOK;
	st.default_act = ACT_OUTLOOK;
	st.approve_users = 1;
	st.max_upload_bytes = 5242880;
	st.version = 9;
	assert_int_equal(cache_put_settings(c, &st, &err), EC_OK);
}

static long long put_entry(ec_cache *c, const char *target, enum ec_outbox_state state)
{
	ec_outbox_entry e;
	ec_error err;
	outbox_entry_init(&e);
	strcpy(e.entity, "mailbox");
	strcpy(e.target_id, target);
	e.changes = "{\"incoming\":\"server-side-sync\"}";
	e.base = "{\"incoming\":\"none\"}";
	e.theirs = state == OUTBOX_CONFLICT ? "{\"incoming\":\"outlook\"}" : NULL;
	e.error = state == OUTBOX_FAILED ? "refused by the organization" : NULL;
	e.base_version = 7;
	e.state = state;
	assert_int_equal(cache_outbox_add(c, &e, &err), EC_OK);
	return e.id;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	ec_cache *c;
	ec_error err;
	f->change = *state;
	unlink(path);
	assert_int_equal(cache_open(path, &c, &err), EC_OK);
	put_mailbox(c, ANA, "Ana");
	put_mailbox(c, BOR, "Bor");
	put_mailbox(c, CENE, "Cene");
	put_mailbox(c, DANA, "Dana");
	put_settings(c);
	f->queued = put_entry(c, ANA, OUTBOX_QUEUED);
	f->conflict = put_entry(c, BOR, OUTBOX_CONFLICT);
	f->failed = put_entry(c, DANA, OUTBOX_FAILED);
	cache_close(c);
	f->cfg.cache_path = path;
	f->cfg.org_url = "http://127.0.0.1:9"; /* discard: refused at once */
	f->cfg.token = "not-a-real-token";     /* no sign-in needed */
	f->cfg.read_only = true;
	assert_int_equal(session_open(&f->cfg, NULL, &f->s, &err), EC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	session_close(&f->s);
	free(f);
	return 0;
}

/* Every row of every table of the cache, as text: equal dumps, nothing
 * changed (read through a second connection, as another process would). */
static char *cache_dump(void)
{
	sqlite3 *db;
	sqlite3_stmt *tables, *rows;
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT name FROM sqlite_master WHERE type = 'table' "
	                                    "ORDER BY name",
	                                    -1, &tables, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
		fprintf(out, "[%s]\n", sqlite3_column_text(tables, 0));
		while (sqlite3_step(rows) == SQLITE_ROW)
			for (int i = 0; i < sqlite3_column_count(rows); i++) {
				const char *v = (const char *)sqlite3_column_text(rows, i);
				fprintf(out, "%s%c", v ? v : "NULL",
				        i + 1 < sqlite3_column_count(rows) ? '|' : '\n');
			}
		sqlite3_finalize(rows);
		sqlite3_free(sql);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	fclose(out);
	return text;
}

/* ---- The changing entry points, each on something it would change ----- */

static char cene[1][EC_ID_SIZE] = {CENE};

static int batch_done(int rc, ec_edit_result *res)
{
	edit_results_free(res, 1);
	return rc;
}

static int set_mailbox(fixture *f, ec_error *err)
{
	char *assign[] = {"act=outlook"};
	ec_edit_result *res = NULL;
	return batch_done(edit_mailboxes(&f->s, cene, 1, assign, 1, &res, err), res);
}

static int approve(fixture *f, ec_error *err)
{
	ec_edit_result *res = NULL;
	return batch_done(edit_approve(&f->s, cene, 1, &res, err), res);
}

static int apply_defaults(fixture *f, ec_error *err)
{
	ec_edit_result *res = NULL;
	return batch_done(edit_mailbox_defaults(&f->s, cene, 1, &res, err), res);
}

static int set_settings(fixture *f, ec_error *err)
{
	char *assign[] = {"max-attachment-kb=1024"};
	ec_edit_result one;
	return edit_settings(&f->s, assign, 1, &one, err);
}

static int drop(fixture *f, ec_error *err)
{
	return outbox_drop(&f->s, f->queued, err);
}

static int resolve_mine(fixture *f, ec_error *err)
{
	return outbox_resolve(&f->s, f->conflict, true, err);
}

static int resolve_theirs(fixture *f, ec_error *err)
{
	return outbox_resolve(&f->s, f->conflict, false, err);
}

static int push(fixture *f, ec_error *err)
{
	return outbox_push(&f->s, f->queued, err);
}

static int set_password(fixture *f, ec_error *err)
{
	return edit_password(&f->s, CENE, "Secret-1", err);
}

static int test_and_approve(fixture *f, ec_error *err)
{
	ec_test_opts o = {.approve = true, .local_only = true};
	ec_test_result *tr = NULL;
	int rc = testjob_run(&f->s, cene, 1, &o, &tr, err);
	testjob_results_free(tr, 1);
	return rc;
}

static const struct change {
	const char *name;
	int (*run)(fixture *f, ec_error *err);
} changes[] = {
    {"mailbox set", set_mailbox},
    {"approve", approve},
    {"mailbox defaults", apply_defaults},
    {"settings set", set_settings},
    {"outbox drop", drop},
    {"outbox resolve --mine", resolve_mine},
    {"outbox resolve --theirs", resolve_theirs},
    {"outbox push", push},
    {"set password", set_password},
    {"test --approve", test_and_approve},
    /* outbox retry: once core/sync/outbox.h has outbox_retry(), add
     * {"outbox retry", retry} running outbox_retry(&f->s, f->failed, err):
     * the fixture already holds the FAILED entry (Dana) it would resend. */
};

static void change_is_refused(void **state)
{
	fixture *f = *state;
	const struct change *c = f->change;
	ec_error err = {0};
	char *before = cache_dump(), *after;
	assert_int_equal(c->run(f, &err), EC_USAGE);
	if (!strstr(err.msg, "--read-only"))
		fail_msg("%s: refused for another reason: %s", c->name, err.msg);
	after = cache_dump();
	assert_string_equal(after, before);
	free(before);
	free(after);
}

int main(void)
{
	enum { N = sizeof changes / sizeof *changes };
	struct CMUnitTest tests[N];
	int rc;
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/c.db", dir);
	for (int i = 0; i < N; i++)
		tests[i] = (struct CMUnitTest){changes[i].name, change_is_refused, setup, teardown,
		                               (void *)&changes[i]};
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return rc;
}
