/* test_jobs.c — the background worker: jobs run in order on their own
 * thread with their own session, events arrive through the queue and wake
 * the event fd, a cancel reaches only the running job, and stopping frees
 * the jobs that never ran. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/jobs.h"

static char dir[] = "/tmp/emailcfg-jobs-XXXXXX";
static char path[128];
static int freed;

static void count_free(void *arg)
{
	(void)arg;
	freed++;
}

static int job_progress(ec_session *s, void *arg, ec_error *err)
{
	(void)err;
	for (long i = 1; i <= 3; i++) {
		ec_event ev = {EV_PROGRESS, "t", "step", i, 3, 0, NULL, NULL, 0};
		ec_emit(&s->sink, &ev);
	}
	/* The worker's session has its own cache connection. */
	return s->cache && arg == NULL ? EC_OK : EC_LOCAL;
}

static int job_fail(ec_session *s, void *arg, ec_error *err)
{
	(void)s, (void)arg;
	return ec_fail(err, EC_FAILED, "it did not work");
}

/* Runs until cancelled (or 10 s, so a broken cancel fails, not hangs). */
static int job_until_cancelled(ec_session *s, void *arg, ec_error *err)
{
	(void)arg;
	ec_emitf(&s->sink, EV_NOTICE, "t", "started");
	for (int i = 0; i < 1000 && !ec_cancelled(&s->sink); i++) {
		struct timespec ts = {0, 10000000L};
		nanosleep(&ts, NULL);
	}
	return ec_cancelled(&s->sink) ? ec_fail(err, EC_FAILED, "cancelled") : EC_OK;
}

/* The next event, waiting on the fd as the console does (5 s at most). */
static void next_event(ec_worker *w, ec_job_event *ev)
{
	for (int i = 0; i < 50; i++) {
		struct pollfd p = {worker_event_fd(w), POLLIN, 0};
		if (worker_next_event(w, ev))
			return;
		poll(&p, 1, 100);
	}
	fail_msg("no event within 5 s");
}

static ec_worker *start(ec_config *cfg)
{
	ec_worker *w;
	ec_error err;
	memset(cfg, 0, sizeof *cfg);
	cfg->cache_path = path;
	cfg->offline = true;
	assert_int_equal(worker_start(cfg, &w, &err), EC_OK);
	return w;
}

static void events_in_order(void **state)
{
	ec_config cfg;
	ec_worker *w = start(&cfg);
	ec_job_event ev;
	long a, b;
	(void)state;
	a = worker_submit(w, "first", job_progress, NULL, NULL);
	b = worker_submit(w, "second", job_fail, NULL, NULL);
	assert_true(b > a);
	for (long i = 1; i <= 3; i++) {
		next_event(w, &ev);
		assert_int_equal(ev.kind, EV_PROGRESS);
		assert_int_equal(ev.job, a);
		assert_string_equal(ev.name, "first");
		assert_int_equal(ev.done, i);
	}
	next_event(w, &ev);
	assert_int_equal(ev.kind, EV_DONE);
	assert_int_equal(ev.status, EC_OK);
	next_event(w, &ev);
	assert_int_equal(ev.kind, EV_DONE);
	assert_int_equal(ev.job, b);
	assert_int_equal(ev.status, EC_FAILED);
	assert_string_equal(ev.message, "it did not work");
	assert_false(worker_next_event(w, &ev));
	assert_int_equal(worker_pending(w), 0);
	worker_stop(w);
}

static void cancel_reaches_the_running_job_only(void **state)
{
	ec_config cfg;
	ec_worker *w = start(&cfg);
	ec_job_event ev;
	(void)state;
	worker_cancel(w); /* nothing runs: no effect on the next job */
	worker_submit(w, "long", job_until_cancelled, NULL, NULL);
	next_event(w, &ev);
	assert_string_equal(ev.message, "started");
	assert_int_equal(worker_pending(w), 1);
	worker_cancel(w);
	next_event(w, &ev);
	assert_int_equal(ev.kind, EV_DONE);
	assert_string_equal(ev.message, "cancelled");
	/* The next job starts with the flag cleared. */
	worker_submit(w, "after", job_progress, NULL, NULL);
	for (int i = 0; i < 4; i++)
		next_event(w, &ev);
	assert_int_equal(ev.kind, EV_DONE);
	assert_int_equal(ev.status, EC_OK);
	worker_stop(w);
}

static void stop_frees_what_never_ran(void **state)
{
	ec_config cfg;
	ec_worker *w = start(&cfg);
	ec_job_event ev;
	(void)state;
	freed = 0;
	worker_submit(w, "long", job_until_cancelled, NULL, count_free);
	next_event(w, &ev); /* started */
	for (int i = 0; i < 3; i++)
		worker_submit(w, "queued", job_progress, NULL, count_free);
	assert_int_equal(worker_pending(w), 4);
	worker_stop(w); /* cancels the running one, drops the rest */
	assert_int_equal(freed, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(events_in_order),
	    cmocka_unit_test(cancel_reaches_the_running_job_only),
	    cmocka_unit_test(stop_frees_what_never_ran),
	};
	int rc;
	char cmd[64];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/c.db", dir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? rc : 1;
}
