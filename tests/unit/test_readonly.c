/* test_readonly.c — --read-only is enforced in core, not only by the CLI's
 * dispatcher: every changing entry point of the engine refuses with
 * EC_USAGE and leaves the outbox empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/options.h"
#include "core/outbox.h"
#include "core/session.h"
#include "core/testjob.h"

static char dir[] = "/tmp/emailcfg-ro-XXXXXX";

static void open_read_only(ec_config *cfg, ec_session *s)
{
	char path[128];
	ec_cache *c;
	ec_mailbox m;
	ec_error err;
	snprintf(path, sizeof path, "%s/c.db", dir);
	/* One mailbox in the cache, so refusals are not "no such mailbox". */
	assert_int_equal(cache_open(path, &c, &err), EC_OK);
	mailbox_init(&m);
	strcpy(m.id, "a1b2c3d4-1111-ec11-8c62-000d3adcebd7");
	m.name = "Ana";
	m.owner_type = OWNER_USER;
	m.incoming = m.outgoing = INCOMING_NONE;
	m.act = ACT_NONE;
	m.state = STATE_ACTIVE;
	assert_int_equal(cache_put_mailboxes(c, &m, NULL, 1, &err), EC_OK);
	cache_close(c);
	memset(cfg, 0, sizeof *cfg);
	cfg->cache_path = path;
	cfg->read_only = true;
	cfg->offline = true;
	assert_int_equal(session_open(cfg, NULL, s, &err), EC_OK);
	cfg->cache_path = NULL; /* path is on our stack */
}

static void assert_outbox_empty(ec_session *s)
{
	ec_outbox_entry *rows;
	int n;
	assert_int_equal(cache_outbox_list(s->cache, NULL, false, &rows, &n, NULL), EC_OK);
	assert_int_equal(n, 0);
	cache_free_outbox(rows, n);
}

static void every_change_is_refused(void **state)
{
	ec_config cfg;
	ec_session s;
	ec_error err;
	char ids[1][EC_ID_SIZE] = {"a1b2c3d4-1111-ec11-8c62-000d3adcebd7"};
	char *assign[] = {"act=none"};
	ec_edit_result *res = NULL, one;
	ec_test_result *tr = NULL;
	ec_test_opts o = {.approve = true, .local_only = true};
	(void)state;
	open_read_only(&cfg, &s);
	assert_int_equal(edit_mailboxes(&s, ids, 1, assign, 1, &res, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "read-only"));
	edit_results_free(res, 1);
	res = NULL;
	assert_int_equal(edit_approve(&s, ids, 1, &res, &err), EC_USAGE);
	edit_results_free(res, 1);
	res = NULL;
	assert_int_equal(edit_mailbox_defaults(&s, ids, 1, &res, &err), EC_USAGE);
	edit_results_free(res, 1);
	assert_int_equal(edit_settings(&s, assign, 1, &one, &err), EC_USAGE);
	assert_int_equal(outbox_drop(&s, 1, &err), EC_USAGE);
	assert_int_equal(outbox_resolve(&s, 1, true, &err), EC_USAGE);
	assert_int_equal(outbox_push(&s, 1, &err), EC_USAGE);
	assert_int_equal(testjob_run(&s, ids, 1, &o, &tr, &err), EC_USAGE);
	testjob_results_free(tr, 1);
	assert_outbox_empty(&s);
	session_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(every_change_is_refused)};
	int rc;
	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return rc;
}
