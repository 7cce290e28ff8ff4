/* jobs.c — the worker thread and its two queues (see jobs.h). */
#include "core/jobs/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/model/model.h"

typedef struct job {
	long id;
	char name[32];
	job_fn fn;
	void *arg;
	void (*free_arg)(void *);
	struct job *next;
} job;

/* The most events waiting for the reader. Past it the worker waits for the
 * reader (back-pressure), so nothing is dropped; a 100,000-mailbox Test &
 * Enable once queued 75,000 events (90 MB) faster than the console took
 * them. Progress never waits: it replaces the progress already queued. */
#define EVENT_QUEUE_MAX 256

typedef struct event_node {
	ec_job_event ev;
	struct event_node *next;
} event_node;

struct ec_worker {
	ec_config *cfg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	job *jobs, *jobs_tail;
	event_node *events, *events_tail;
	event_node *progress; /* the queued EV_PROGRESS, replaced by newer ones */
	int nevents;
	pthread_cond_t drained; /* the reader took an event, or stopping */
	int pipe[2];            /* one byte per queued event batch */
	long next_id;
	int running; /* a job is on the thread */
	bool stopping;
	atomic_int cancel; /* the running job should stop; reset when one starts */
	long current;      /* the running job's id */
	char current_name[32];
	ec_session session;
	bool session_open;
};

/* Replaces the queued progress event of the same job; false when none. */
static bool progress_coalesce(ec_worker *w, const ec_job_event *ev)
{
	if (ev->kind != EV_PROGRESS || !w->progress || w->progress->ev.job != ev->job)
		return false;
	w->progress->ev = *ev;
	return true;
}

static void push_event(ec_worker *w, const ec_job_event *ev)
{
	event_node *n;
	char byte = 1;
	pthread_mutex_lock(&w->lock);
	if (progress_coalesce(w, ev)) {
		pthread_mutex_unlock(&w->lock);
		return; /* its byte is in the pipe already */
	}
	while (w->nevents >= EVENT_QUEUE_MAX && !w->stopping)
		pthread_cond_wait(&w->drained, &w->lock);
	n = ec_xcalloc(1, sizeof *n);
	n->ev = *ev;
	if (w->events_tail)
		w->events_tail->next = n;
	else
		w->events = n;
	w->events_tail = n;
	w->nevents++;
	if (ev->kind == EV_PROGRESS)
		w->progress = n;
	/* A job's EV_DONE and the end of its run are one step: whoever sees
	 * the event sees no job running (worker_pending), and whoever sees no
	 * job running finds its EV_DONE already queued. */
	if (ev->kind == EV_DONE)
		w->running = 0;
	pthread_mutex_unlock(&w->lock);
	/* The pipe is non-blocking: when it is full, the reader is already
	 * due to wake, and the event is in the queue anyway. */
	if (write(w->pipe[1], &byte, 1) < 0 && errno != EAGAIN)
		perror("emailcfg: event pipe");
}

/* The worker session's sink: copies each event into the queue. */
static void worker_emit(void *ctx, const ec_event *e)
{
	ec_worker *w = ctx;
	ec_job_event ev;
	memset(&ev, 0, sizeof ev);
	ev.job = w->current;
	snprintf(ev.name, sizeof ev.name, "%s", w->current_name);
	ev.kind = e->kind;
	snprintf(ev.message, sizeof ev.message, "%s", e->message ? e->message : "");
	snprintf(ev.subject, sizeof ev.subject, "%s", e->subject ? e->subject : "");
	snprintf(ev.stage, sizeof ev.stage, "%s", e->stage ? e->stage : "");
	ev.done = e->done;
	ev.total = e->total;
	ev.seconds = e->seconds;
	ev.status = e->status;
	push_event(w, &ev);
}

static void finish(ec_worker *w, job *j, int rc, const ec_error *err)
{
	ec_job_event ev;
	memset(&ev, 0, sizeof ev);
	ev.job = j->id;
	snprintf(ev.name, sizeof ev.name, "%s", j->name);
	ev.kind = EV_DONE;
	ev.status = rc;
	snprintf(ev.message, sizeof ev.message, "%s", rc == EC_OK ? "" : err->msg);
	push_event(w, &ev);
}

static int run_job(ec_worker *w, job *j, ec_error *err)
{
	if (!w->session_open) {
		ec_sink sink = {worker_emit, w, &w->cancel};
		int rc = session_open(w->cfg, &sink, &w->session, err);
		if (rc != EC_OK)
			return rc;
		w->session_open = true;
	}
	return j->fn(&w->session, j->arg, err);
}

static void *worker_main(void *arg)
{
	ec_worker *w = arg;
	for (;;) {
		job *j;
		ec_error err = {0};
		int rc;
		pthread_mutex_lock(&w->lock);
		while (!w->jobs && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stopping) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		j = w->jobs;
		w->jobs = j->next;
		if (!w->jobs)
			w->jobs_tail = NULL;
		w->running = 1;
		w->current = j->id;
		snprintf(w->current_name, sizeof w->current_name, "%s", j->name);
		atomic_store(&w->cancel, 0);
		pthread_mutex_unlock(&w->lock);

		rc = run_job(w, j, &err);
		finish(w, j, rc, &err); /* also marks it no longer running */
		if (j->free_arg)
			j->free_arg(j->arg);
		free(j);
	}
	if (w->session_open)
		session_close(&w->session);
	return NULL;
}

int worker_start(ec_config *cfg, ec_worker **out, ec_error *err)
{
	ec_worker *w = ec_xcalloc(1, sizeof *w);
	w->cfg = cfg;
	w->next_id = 1;
	if (pipe(w->pipe) != 0) {
		free(w);
		return ec_fail(err, EC_LOCAL, "cannot create the event pipe: %s", strerror(errno));
	}
	for (int i = 0; i < 2; i++) {
		fcntl(w->pipe[i], F_SETFL, fcntl(w->pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(w->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->drained, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		close(w->pipe[0]);
		close(w->pipe[1]);
		free(w);
		return ec_fail(err, EC_LOCAL, "cannot start the worker thread");
	}
	*out = w;
	return EC_OK;
}

long worker_submit(ec_worker *w, const char *name, job_fn fn, void *arg, void (*free_arg)(void *))
{
	job *j = ec_xcalloc(1, sizeof *j);
	long id;
	snprintf(j->name, sizeof j->name, "%s", name);
	j->fn = fn;
	j->arg = arg;
	j->free_arg = free_arg;
	pthread_mutex_lock(&w->lock);
	id = j->id = w->next_id++;
	if (w->jobs_tail)
		w->jobs_tail->next = j;
	else
		w->jobs = j;
	w->jobs_tail = j;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return id;
}

int worker_event_fd(const ec_worker *w)
{
	return w->pipe[0];
}

bool worker_next_event(ec_worker *w, ec_job_event *out)
{
	event_node *n;
	char drain[64];
	pthread_mutex_lock(&w->lock);
	n = w->events;
	if (n) {
		w->events = n->next;
		if (!w->events)
			w->events_tail = NULL;
		if (w->progress == n)
			w->progress = NULL;
		w->nevents--;
		pthread_cond_signal(&w->drained);
	}
	/* Empty the pipe once the queue is empty, so poll() sleeps again. */
	if (!w->events)
		while (read(w->pipe[0], drain, sizeof drain) > 0)
			;
	pthread_mutex_unlock(&w->lock);
	if (!n)
		return false;
	*out = n->ev;
	free(n);
	return true;
}

int worker_events_queued(ec_worker *w)
{
	int n;
	pthread_mutex_lock(&w->lock);
	n = w->nevents;
	pthread_mutex_unlock(&w->lock);
	return n;
}

int worker_pending(ec_worker *w)
{
	int n;
	pthread_mutex_lock(&w->lock);
	n = w->running;
	for (job *j = w->jobs; j; j = j->next)
		n++;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void worker_cancel(ec_worker *w)
{
	/* Under the lock, so a cancel pressed as one job ends cannot reach the
	 * next one: a job resets the flag when it starts, also under the lock. */
	pthread_mutex_lock(&w->lock);
	if (w->running)
		atomic_store(&w->cancel, 1);
	pthread_mutex_unlock(&w->lock);
}

void worker_stop(ec_worker *w)
{
	job *j;
	event_node *e;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	atomic_store(&w->cancel, 1);
	j = w->jobs;
	w->jobs = w->jobs_tail = NULL;
	pthread_cond_signal(&w->wake);
	pthread_cond_broadcast(&w->drained); /* a job waiting for the reader */
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while (j) {
		job *next = j->next;
		if (j->free_arg)
			j->free_arg(j->arg);
		free(j);
		j = next;
	}
	for (e = w->events; e;) {
		event_node *next = e->next;
		free(e);
		e = next;
	}
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->drained);
	free(w);
}
