/* test_testjob_race.c — the worker writes Test & Enable verdicts while the
 * UI thread reads them: the job runs on the background worker over 3,000
 * mailboxes while this thread, on its own cache connection as the
 * console's Tests screen does, reads each mailbox's stored result the
 * moment the verdict event for it arrives. Every one must be there, whole
 * (its checks and the verdict the event told), however the two threads
 * interleave: a verdict event told before its batch was committed made
 * Enter on a just-finished row say "no stored result". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/cache/cache.h"
#include "core/jobs/jobs.h"
#include "core/jobs/job_types.h"
#include "core/jobs/testjob.h"

#define RACE_N 3000

static char dir[] = "/tmp/emailcfg-race-XXXXXX";
static char path[160];
static char (*ids)[EC_ID_SIZE];

/* RACE_N mailboxes without a profile (nothing to probe): the rules and
 * approval stages judge them, fast enough that verdicts pour out while
 * this thread reads. */
static void fill_cache(void)
{
	ec_cache *c;
	ec_error err;
	ec_mailbox *m = calloc(RACE_N, sizeof *m);
	ids = calloc(RACE_N, sizeof *ids);
	assert_int_equal(cache_open(path, &c, &err), EC_OK);
	for (int i = 0; i < RACE_N; i++) {
		mailbox_init(&m[i]);
		snprintf(m[i].id, sizeof m[i].id, "00000000-0000-0000-0000-%012d", i);
		snprintf(ids[i], EC_ID_SIZE, "%s", m[i].id);
		m[i].name = ec_strdup("m");
	}
	assert_int_equal(cache_put_mailboxes(c, m, RACE_N, &err), EC_OK);
	for (int i = 0; i < RACE_N; i++)
		mailbox_free(&m[i]);
	free(m);
	cache_close(c);
}

static void next_event(ec_worker *w, ec_job_event *ev)
{
	for (int i = 0; i < 100; i++) {
		struct pollfd p = {worker_event_fd(w), POLLIN, 0};
		if (worker_next_event(w, ev))
			return;
		poll(&p, 1, 100);
	}
	fail_msg("no event within 10 s");
}

static void verdicts_readable_when_told(void **state)
{
	ec_config cfg;
	ec_worker *w;
	ec_cache *ui;
	ec_error err;
	ec_job_event ev;
	ec_test_opts o;
	int told = 0;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/race.db", dir);
	fill_cache();
	memset(&cfg, 0, sizeof cfg);
	cfg.cache_path = path;
	cfg.offline = true;
	memset(&o, 0, sizeof o);
	o.local_only = true; /* the console's own choice; it sets discard_results */
	assert_int_equal(cache_open(path, &ui, &err), EC_OK);
	assert_int_equal(worker_start(&cfg, &w, &err), EC_OK);
	job_submit_test(w, ids, RACE_N, &o);
	do {
		next_event(w, &ev);
		if (ev.kind == EV_STAGE && strcmp(ev.stage, "verdict") == 0) {
			ec_test_result t;
			test_result_init(&t);
			assert_int_equal(cache_test_last(ui, ev.subject, &t, &err), EC_OK);
			assert_int_equal((int)t.verdict, ev.status);
			assert_true(t.nchecks > 0);
			test_result_free(&t);
			told++;
		}
	} while (ev.kind != EV_DONE);
	assert_int_equal(told, RACE_N);
	worker_stop(w);
	cache_close(ui);
	free(ids);
	unlink(path);
	{
		char more[200];
		snprintf(more, sizeof more, "rm -rf '%s'", dir);
		assert_int_equal(system(more), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(verdicts_readable_when_told),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
