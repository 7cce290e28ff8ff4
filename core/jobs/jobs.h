/* jobs.h — the background worker (docs/architecture.md, "Threads"): one thread
 * that runs core jobs (sync, push, edits, Test & Enable, live refresh) one
 * after another with its own session — its own SQLite connection and curl
 * handles — and posts their events to a queue. A pipe becomes readable when
 * events are waiting, so the console's poll() wakes; the CLI calls the same
 * core functions (sync, outbox, testjob) directly on its one thread. The two
 * queues (jobs in, events out) are the only state
 * shared between threads. */
#ifndef EMAILCFG_JOBS_H
#define EMAILCFG_JOBS_H

#include <stdbool.h>

#include "core/base/config.h"
#include "core/base/events.h"
#include "core/sync/session.h"

typedef struct ec_worker ec_worker;

/* The work of a job: runs on the worker thread with the worker's session.
 * Progress goes to s->sink; the return value and err become EV_DONE. */
typedef int (*job_fn)(ec_session *s, void *arg, ec_error *err);

/* A copy of an event, owned by the queue's reader. */
typedef struct ec_job_event {
	long job;      /* the id worker_submit() returned */
	char name[32]; /* the job's name: "sync", "test", ... */
	enum ec_event_kind kind;
	char message[1024];
	char subject[EC_ID_SIZE];
	char stage[16];
	long done, total;
	double seconds;
	int status;
} ec_job_event;

/* Starts the thread. cfg is borrowed and must outlive the worker; the
 * worker opens its session (cache and, unless offline, the organization)
 * lazily, on its first job. */
int worker_start(ec_config *cfg, ec_worker **out, ec_error *err);

/* Queues a job; returns its id (> 0). free_arg (may be NULL) is called on
 * arg after the job ran, or when the worker stops before running it. */
long worker_submit(ec_worker *w, const char *name, job_fn fn, void *arg, void (*free_arg)(void *));

/* A file descriptor that is readable while events are queued. */
int worker_event_fd(const ec_worker *w);

/* Takes the oldest event; false when none is queued. The queue is
 * bounded: a job waits while it is full, so the reader must keep taking
 * events (progress events of a job are merged into the newest instead). */
bool worker_next_event(ec_worker *w, ec_job_event *out);

/* Events waiting for the reader: never more than a bound (jobs.c), since
 * a job waits for the reader when the queue is full. */
int worker_events_queued(ec_worker *w);

/* Jobs queued or running. */
int worker_pending(ec_worker *w);

/* Asks the running job to stop soon (requests abort, waits end). */
void worker_cancel(ec_worker *w);

/* Cancels what runs, drops what waits, joins the thread, frees. */
void worker_stop(ec_worker *w);

#endif
