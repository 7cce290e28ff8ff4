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

#include "core/cache/cache.h"
#include "core/jobs/jobs.h"
#include "core/jobs/testjob.h"

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
	/* Queued progress merges into the newest: counts only rise, to 3. */
	for (long last = 0; last < 3;) {
		next_event(w, &ev);
		assert_int_equal(ev.kind, EV_PROGRESS);
		assert_int_equal(ev.job, a);
		assert_string_equal(ev.name, "first");
		assert_true(ev.done > last);
		last = ev.done;
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

#define MANY 20000

/* Per mailbox, as Test & Enable does: its verdict, then the progress. */
static int job_many(ec_session *s, void *arg, ec_error *err)
{
	(void)arg, (void)err;
	for (long i = 1; i <= MANY; i++) {
		ec_event st = {EV_STAGE, "t", "m", 0, 0, 0, "id", "verdict", 1};
		ec_event pr = {EV_PROGRESS, "t", "p", i, MANY, 0, NULL, NULL, 0};
		ec_emit(&s->sink, &st);
		ec_emit(&s->sink, &pr);
	}
	return EC_OK;
}

/* A slow reader: the queue stays bounded (the job waits for it), every
 * verdict arrives, and the last progress says all are done. */
static void queue_bounded_with_slow_reader(void **state)
{
	ec_config cfg;
	ec_worker *w = start(&cfg);
	ec_job_event ev;
	long verdicts = 0, last = 0;
	int most = 0;
	(void)state;
	worker_submit(w, "many", job_many, NULL, NULL);
	for (long n = 0;; n++) {
		int q = worker_events_queued(w);
		most = q > most ? q : most;
		if (n % 1000 == 0) { /* let the job run ahead */
			struct timespec ts = {0, 20000000L};
			nanosleep(&ts, NULL);
		}
		next_event(w, &ev);
		if (ev.kind == EV_DONE)
			break;
		if (ev.kind == EV_STAGE)
			verdicts++;
		else if (ev.kind == EV_PROGRESS) {
			assert_true(ev.done >= last);
			last = ev.done;
		}
	}
	assert_int_equal(verdicts, MANY);
	assert_int_equal(last, MANY);
	assert_true(most <= 256);
	assert_true(most > 0);
	worker_stop(w);
}

/* A job blocked on a full queue must not hang worker_stop(). */
static void stop_while_queue_full(void **state)
{
	ec_config cfg;
	ec_worker *w = start(&cfg);
	struct timespec ts = {0, 100000000L}, t0, t1;
	(void)state;
	worker_submit(w, "many", job_many, NULL, NULL);
	nanosleep(&ts, NULL); /* nobody reads: the queue fills */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	worker_stop(w);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 5);
}

#define BIG 30000

static char (*big_ids)[EC_ID_SIZE];
static char big_path[160]; /* its own cache: the other tests keep theirs small */

/* BIG mailboxes in the worker's cache (no profile: nothing to probe). */
static void fill_cache(void)
{
	ec_cache *c;
	ec_error err;
	ec_mailbox *m = calloc(BIG, sizeof *m);
	big_ids = calloc(BIG, sizeof *big_ids);
	assert_int_equal(cache_open(big_path, &c, &err), EC_OK);
	for (int i = 0; i < BIG; i++) {
		mailbox_init(&m[i]);
		snprintf(m[i].id, sizeof m[i].id, "00000000-0000-0000-0000-%012d", i);
		snprintf(big_ids[i], EC_ID_SIZE, "%s", m[i].id);
		m[i].name = ec_strdup("m");
	}
	assert_int_equal(cache_put_mailboxes(c, m, BIG, &err), EC_OK);
	for (int i = 0; i < BIG; i++)
		mailbox_free(&m[i]);
	free(m);
	cache_close(c);
}

static int job_big_test(ec_session *s, void *arg, ec_error *err)
{
	ec_test_opts o = {0};
	ec_test_result *r = NULL;
	int rc;
	(void)arg;
	o.local_only = o.discard_results = true;
	rc = testjob_run(s, big_ids, BIG, &o, &r, err);
	testjob_results_free(r, BIG);
	return rc;
}

static double secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A cancel in the middle of a large Test & Enable ends it within 0.5 s,
 * as the cancel (not the end of the work) says. */
static void cancel_ends_large_test_soon(void **state)
{
	ec_config cfg;
	ec_worker *w;
	ec_job_event ev;
	ec_error ev_err;
	double t0;
	(void)state;
	snprintf(big_path, sizeof big_path, "%s/big.db", dir);
	fill_cache();
	memset(&cfg, 0, sizeof cfg);
	cfg.cache_path = big_path;
	cfg.offline = true;
	assert_int_equal(worker_start(&cfg, &w, &ev_err), EC_OK);
	worker_submit(w, "test", job_big_test, NULL, NULL);
	do
		next_event(w, &ev);
	while (ev.kind != EV_STAGE);
	worker_cancel(w);
	t0 = secs();
	do
		next_event(w, &ev);
	while (ev.kind != EV_DONE);
	assert_true(secs() - t0 < 0.5);
	assert_int_equal(ev.status, EC_FAILED);
	assert_string_equal(ev.message, "Test & Enable cancelled");
	worker_stop(w);
	free(big_ids);
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
	do /* its progress may come merged: wait for its end */
		next_event(w, &ev);
	while (ev.kind == EV_PROGRESS);
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
	    cmocka_unit_test(queue_bounded_with_slow_reader),
	    cmocka_unit_test(stop_while_queue_full),
	    cmocka_unit_test(cancel_ends_large_test_soon),
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
