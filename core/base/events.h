/* events.h — what long-running core work tells its front end while it runs:
 * progress (done/total), waits (throttled, retrying), rows changed, log
 * lines (-v), and job completion. Core calls the sink; the CLI prints, the
 * console queues the event to its UI thread. A sink must be cheap and must
 * not call back into the job. */
#ifndef EMAILCFG_EVENTS_H
#define EMAILCFG_EVENTS_H

#include <stdatomic.h>

enum ec_event_kind {
	EV_PROGRESS, /* job made progress: done of total (total < 0: unknown) */
	EV_WAIT,     /* waiting before a retry: message says why, seconds how long */
	EV_CHANGED,  /* rows of the cache changed: message names the entity */
	EV_LOG,      /* a -v line: one request, redacted */
	EV_NOTICE,   /* something the user should know, not an error */
	EV_STAGE,    /* Test & Enable: subject (a mailbox id) reached stage */
	EV_DONE,     /* a job finished: status and message (the error, if any) */
	EV_LINK,     /* a request to the organization finished: done = round trip in
	                ms, status = 1 when it had to wait for throttling */
};

typedef struct ec_event {
	enum ec_event_kind kind;
	const char *job;     /* "sync", "push", "test", ... */
	const char *message; /* one line, already free of secrets */
	long done, total;
	double seconds;      /* EV_WAIT */
	const char *subject; /* EV_STAGE: the mailbox id; else NULL */
	const char *stage;   /* EV_STAGE: "rules", "connectivity", ..., "verdict" */
	int status;          /* EV_STAGE: check status; EV_DONE: the job's ec_status;
	                        EV_WAIT: the HTTP status waited on (429 throttled), 0 none */
} ec_event;

typedef struct ec_sink {
	void (*emit)(void *ctx, const ec_event *ev);
	void *ctx;
	/* Set non-zero by the front end to stop the job soon (a request in
	 * flight is aborted, a wait cut short); NULL when it never cancels. */
	atomic_int *cancel;
} ec_sink;

/* True when the front end asked the job to stop. */
int ec_cancelled(const ec_sink *sink);

/* Calls the sink when there is one. */
void ec_emit(const ec_sink *sink, const ec_event *ev);
void ec_emitf(const ec_sink *sink, enum ec_event_kind kind, const char *job, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
