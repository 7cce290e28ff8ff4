/* cache_view.c — the console's reader thread and its budgeted queries
 * (cache_view.h). The thread owns its own connection to the cache, opened
 * query-only; the UI thread owns its own. They share only the request slots
 * (one per kind, newest wins), the answer queue and the hold state, under
 * one mutex; a pipe wakes the UI's poll() when an answer is queued. A
 * query a newer request of its kind (or view_stop) makes useless is
 * interrupted through SQLite's progress handler and its answer dropped, so
 * a filter typed fast or a quit never waits for a scan nobody will read. */
#include "core/cache/cache_view.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/cache/cache_int.h"

#define VIEW_PANEL_ALERTS 4
/* The most snapshots the trend reads to find VIEW_TREND_MAX distinct ones. */
#define VIEW_TREND_SCAN 2000
/* The reader scans (counts, positions) and the UI reads a screenful: a
 * large page cache would only hold rows already drawn (S3: 48 MB in all). */
#define VIEW_CACHE_KIB "-2048"

struct view_node {
	view_answer a;
	struct view_node *next;
};

struct ec_view {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *path;
	int pipe[2];
	bool stop, started;
	view_request slot[VIEW_KINDS];
	long slot_seq[VIEW_KINDS]; /* 0: empty; else the order asked */
	long seq;
	bool working;
	enum view_kind working_kind;
	atomic_bool abandon; /* the running query's answer is not wanted */
	struct view_node *head, *tail;
	bool hold, held;
	int steps;
};

/* ---- the reader's answers ------------------------------------------------ */

static void view_answer_ids(ec_cache *c, const view_request *rq, view_answer *a)
{
	long n = 0;
	a->status = cache_list_mailbox_ids(c, rq->filter, rq->sort, &a->ids, &n, &a->err);
	a->value = n;
}

/* The failing counts of the newest syncs, oldest first, a run of syncs that
 * failed the same on every channel drawn once: the console syncs every 30 s,
 * and VIEW_TREND_MAX points of an unchanged organization would show its last
 * minutes as a flat line instead of how it got there. At most
 * VIEW_TREND_SCAN snapshots are read (they come newest first). */
static int view_answer_trend(ec_cache *c, view_answer *a)
{
	ec_status_snapshot *s = NULL;
	long pts[3][VIEW_TREND_MAX];
	int n = 0, k = 0, status = cache_snapshots_newest(c, VIEW_TREND_SCAN, &s, &n, &a->err);
	for (int i = 0; status == EC_OK && i < n && k < VIEW_TREND_MAX; i++) {
		const long f[3] = {s[i].incoming.failure, s[i].outgoing.failure, s[i].act.failure};
		if (k && f[0] == pts[0][k - 1] && f[1] == pts[1][k - 1] && f[2] == pts[2][k - 1])
			continue;
		for (int ch = 0; ch < 3; ch++)
			pts[ch][k] = f[ch];
		k++;
	}
	for (int i = 0; i < k; i++)
		for (int ch = 0; ch < 3; ch++)
			a->trend[ch][k - 1 - i] = pts[ch][i];
	a->ntrend = status == EC_OK ? k : 0;
	free(s);
	if (status == EC_OK)
		status = cache_changes_newest(c, &a->last_failing, &a->last_recovered,
		                              a->last_changed_on, &a->err);
	return status;
}

static void view_answer_status(ec_cache *c, view_answer *a)
{
	a->status = cache_status_counts(c, &a->counts, &a->err);
	if (a->status == EC_OK)
		a->status =
		    cache_list_alerts(c, NULL, VIEW_PANEL_ALERTS, &a->alerts, &a->nalerts, &a->err);
	if (a->status == EC_OK)
		a->status = view_answer_trend(c, a);
}

/* The groups of the alerts of rq->level, and those alerts themselves,
 * newest first (the Alerts screen's chronological view). */
static void view_answer_groups(ec_cache *c, const view_request *rq, view_answer *a)
{
	int n = 0, kept = 0;
	a->status = cache_list_alerts(c, NULL, 0, &a->alerts, &n, &a->err);
	if (a->status != EC_OK) {
		a->nalerts = n;
		return;
	}
	alert_groups_build(a->alerts, n, rq->level, &a->groups, &a->ngroups);
	alert_groups_add_profile_mailboxes(a->groups, a->ngroups, cache_profile_failing_ids, c);
	for (int i = 0; i < n; i++) {
		if (rq->level && a->alerts[i].level != rq->level)
			alert_free(&a->alerts[i]);
		else
			a->alerts[kept++] = a->alerts[i];
	}
	a->nalerts = kept;
}

static void view_answer_one(ec_cache *c, const view_request *rq, view_answer *a)
{
	memset(a, 0, sizeof *a);
	a->kind = rq->kind;
	a->gen = rq->gen;
	a->rq = *rq;
	switch (rq->kind) {
	case VIEW_COUNT:
		a->status = cache_count_mailboxes(c, rq->filter, &a->value, &a->err);
		break;
	case VIEW_INDEX:
		a->status =
		    cache_index_of_mailbox(c, rq->filter, rq->sort, rq->id, &a->value, &a->err);
		break;
	case VIEW_PAGE:
		a->status = cache_list_mailboxes(c, rq->filter, rq->sort, rq->offset, rq->limit,
		                                 &a->rows, &a->nrows, &a->err);
		break;
	case VIEW_STATUS: view_answer_status(c, a); break;
	case VIEW_GROUPS: view_answer_groups(c, rq, a); break;
	case VIEW_IDS: view_answer_ids(c, rq, a); break;
	case VIEW_PROFILES:
		a->status = cache_profiles_mailbox_counts(c, &a->pcounts, &a->npcounts, &a->err);
		break;
	case VIEW_KINDS: break;
	}
}

/* ---- the thread ------------------------------------------------------------ */

/* The oldest request waiting; false when none. Called locked. */
static bool view_take(ec_view *v, view_request *rq)
{
	int best = -1;
	for (int k = 0; k < VIEW_KINDS; k++)
		if (v->slot_seq[k] && (best < 0 || v->slot_seq[k] < v->slot_seq[best]))
			best = k;
	if (best < 0)
		return false;
	*rq = v->slot[best];
	v->slot_seq[best] = 0;
	return true;
}

/* Queues an answer (after the test hold lets it through). Called locked. */
static void view_post(ec_view *v, struct view_node *node)
{
	char byte = 'a';
	if (v->hold) {
		v->held = true;
		pthread_cond_broadcast(&v->cv);
		while (v->hold && v->steps == 0 && !v->stop)
			pthread_cond_wait(&v->cv, &v->mu);
		if (v->steps > 0)
			v->steps--;
		v->held = false;
	}
	if (v->tail)
		v->tail->next = node;
	else
		v->head = node;
	v->tail = node;
	if (write(v->pipe[1], &byte, 1) < 0) {
		/* the pipe is full: the UI is already due to read */
	}
}

/* SQLite calls this every thousand steps of the reader's statement. */
static int view_abandon_check(void *arg)
{
	ec_view *v = arg;
	return atomic_load(&v->abandon); /* non-zero interrupts the statement */
}

static void *view_main(void *arg)
{
	ec_view *v = arg;
	ec_cache *c = NULL;
	ec_error err;
	int open_rc = cache_open(v->path, &c, &err);
	if (open_rc == EC_OK) {
		cache_exec(c, "PRAGMA query_only = 1; PRAGMA cache_size = " VIEW_CACHE_KIB, &err);
		sqlite3_progress_handler(c->db, 1000, view_abandon_check, v);
	}
	pthread_mutex_lock(&v->mu);
	for (;;) {
		view_request rq;
		struct view_node *node;
		while (!v->stop && !view_take(v, &rq))
			pthread_cond_wait(&v->cv, &v->mu);
		if (v->stop)
			break;
		v->working = true;
		v->working_kind = rq.kind;
		atomic_store(&v->abandon, false);
		pthread_mutex_unlock(&v->mu);
		node = ec_xcalloc(1, sizeof *node);
		if (open_rc == EC_OK) {
			view_answer_one(c, &rq, &node->a);
		} else {
			node->a.kind = rq.kind, node->a.gen = rq.gen, node->a.rq = rq;
			node->a.status = open_rc, node->a.err = err;
		}
		pthread_mutex_lock(&v->mu);
		if (atomic_load(&v->abandon)) { /* superseded or stopped: nobody reads it */
			view_answer_free(&node->a);
			free(node);
		} else {
			view_post(v, node);
		}
		v->working = false;
	}
	pthread_mutex_unlock(&v->mu);
	cache_close(c);
	return NULL;
}

int view_start(const char *path, ec_view **out, ec_error *err)
{
	ec_view *v = ec_xcalloc(1, sizeof *v);
	*out = NULL;
	pthread_mutex_init(&v->mu, NULL);
	pthread_cond_init(&v->cv, NULL);
	atomic_init(&v->abandon, false);
	v->path = ec_strdup(path);
	if (pipe(v->pipe) != 0) {
		view_stop(v);
		return ec_fail(err, EC_LOCAL, "cannot create a pipe: %s", strerror(errno));
	}
	for (int i = 0; i < 2; i++)
		fcntl(v->pipe[i], F_SETFL, O_NONBLOCK), fcntl(v->pipe[i], F_SETFD, FD_CLOEXEC);
	if (pthread_create(&v->thread, NULL, view_main, v) != 0) {
		view_stop(v);
		return ec_fail(err, EC_LOCAL, "cannot start the cache reader thread");
	}
	v->started = true;
	*out = v;
	return EC_OK;
}

void view_stop(ec_view *v)
{
	view_answer a;
	if (!v)
		return;
	pthread_mutex_lock(&v->mu);
	v->stop = true;
	atomic_store(&v->abandon, true);
	pthread_cond_broadcast(&v->cv);
	pthread_mutex_unlock(&v->mu);
	if (v->started)
		pthread_join(v->thread, NULL);
	while (view_next(v, &a))
		view_answer_free(&a);
	for (int i = 0; i < 2; i++)
		if (v->pipe[i] > 0)
			close(v->pipe[i]);
	pthread_cond_destroy(&v->cv);
	pthread_mutex_destroy(&v->mu);
	free(v->path);
	free(v);
}

int view_fd(const ec_view *v)
{
	return v->pipe[0];
}

void view_ask(ec_view *v, const view_request *rq)
{
	pthread_mutex_lock(&v->mu);
	v->slot[rq->kind] = *rq;
	v->slot_seq[rq->kind] = ++v->seq;
	if (v->working && v->working_kind == rq->kind)
		atomic_store(&v->abandon, true);
	pthread_cond_broadcast(&v->cv);
	pthread_mutex_unlock(&v->mu);
}

bool view_next(ec_view *v, view_answer *out)
{
	struct view_node *node;
	char buf[64];
	pthread_mutex_lock(&v->mu);
	node = v->head;
	if (node) {
		v->head = node->next;
		if (!v->head)
			v->tail = NULL;
	} else {
		while (read(v->pipe[0], buf, sizeof buf) > 0)
			; /* drained: nothing waits */
	}
	pthread_mutex_unlock(&v->mu);
	if (!node)
		return false;
	*out = node->a;
	free(node);
	return true;
}

void view_answer_free(view_answer *a)
{
	cache_free_mailboxes(a->rows, a->nrows);
	cache_free_alerts(a->alerts, a->nalerts);
	alert_groups_free(a->groups, a->ngroups);
	free(a->pcounts);
	free(a->ids);
	memset(a, 0, sizeof *a);
}

bool view_busy(ec_view *v)
{
	bool busy;
	pthread_mutex_lock(&v->mu);
	busy = v->working || v->head != NULL;
	for (int k = 0; k < VIEW_KINDS; k++)
		busy = busy || v->slot_seq[k] != 0;
	pthread_mutex_unlock(&v->mu);
	return busy;
}

void view_hold(ec_view *v, bool hold)
{
	pthread_mutex_lock(&v->mu);
	v->hold = hold;
	v->steps = 0;
	pthread_cond_broadcast(&v->cv);
	pthread_mutex_unlock(&v->mu);
}

void view_step(ec_view *v)
{
	pthread_mutex_lock(&v->mu);
	v->steps++;
	pthread_cond_broadcast(&v->cv);
	pthread_mutex_unlock(&v->mu);
}

bool view_held(ec_view *v)
{
	bool held;
	pthread_mutex_lock(&v->mu);
	held = v->held;
	pthread_mutex_unlock(&v->mu);
	return held;
}

/* ---- budgeted queries on the caller's connection ------------------------------ */

int view_tune(ec_cache *c, ec_error *err)
{
	return cache_exec(c, "PRAGMA cache_size = " VIEW_CACHE_KIB, err);
}

struct view_budget {
	struct timespec until;
	bool expired;
};

static int view_budget_check(void *arg)
{
	struct view_budget *b = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > b->until.tv_sec ||
	    (now.tv_sec == b->until.tv_sec && now.tv_nsec >= b->until.tv_nsec))
		b->expired = true;
	return b->expired; /* non-zero interrupts the statement */
}

int view_list_page(ec_cache *c, const char *filter, const char *sort, long offset, int limit,
                   int budget_ms, ec_mailbox **rows, int *n, bool *done, ec_error *err)
{
	struct view_budget b = {{0, 0}, false};
	int status;
	if (budget_ms > 0) {
		clock_gettime(CLOCK_MONOTONIC, &b.until);
		b.until.tv_nsec += (long)budget_ms * 1000000L;
		b.until.tv_sec += b.until.tv_nsec / 1000000000L;
		b.until.tv_nsec %= 1000000000L;
		/* About every thousand virtual machine steps: well under a millisecond. */
		sqlite3_progress_handler(c->db, 1000, view_budget_check, &b);
	}
	status = cache_list_mailboxes(c, filter, sort, offset, limit, rows, n, err);
	if (budget_ms > 0)
		sqlite3_progress_handler(c->db, 0, NULL, NULL);
	*done = !b.expired;
	if (b.expired && status != EC_OK)
		status = EC_OK; /* not an error: the reader answers instead */
	return status;
}

int view_list_last(ec_cache *c, const char *filter, const char *sort, int limit, ec_mailbox **rows,
                   int *n, ec_error *err)
{
	char reversed[48];
	const char *key = sort && *sort ? sort : "name";
	int status;
	if (key[0] == '-')
		snprintf(reversed, sizeof reversed, "%s", key + 1);
	else
		snprintf(reversed, sizeof reversed, "-%s", key);
	status = cache_list_mailboxes(c, filter, reversed, 0, limit, rows, n, err);
	for (int i = 0, j = *n - 1; status == EC_OK && i < j; i++, j--) {
		ec_mailbox t = (*rows)[i];
		(*rows)[i] = (*rows)[j];
		(*rows)[j] = t;
	}
	return status;
}
