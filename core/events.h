/* events.h — what long-running core work tells its front end while it runs:
 * progress (done/total), waits (throttled, retrying), rows changed, log
 * lines (-v), and job completion. Core calls the sink; the CLI prints, the
 * console queues the event to its UI thread. A sink must be cheap and must
 * not call back into the job. */
#ifndef EMAILCFG_EVENTS_H
#define EMAILCFG_EVENTS_H

enum ec_event_kind {
	EV_PROGRESS, /* job made progress: done of total (total < 0: unknown) */
	EV_WAIT,     /* waiting before a retry: message says why, seconds how long */
	EV_CHANGED,  /* rows of the cache changed: message names the entity */
	EV_LOG,      /* a -v line: one request, redacted */
	EV_NOTICE,   /* something the user should know, not an error */
};

typedef struct ec_event {
	enum ec_event_kind kind;
	const char *job;     /* "sync", "push", "test", ... */
	const char *message; /* one line, already free of secrets */
	long done, total;
	double seconds;      /* EV_WAIT */
} ec_event;

typedef struct ec_sink {
	void (*emit)(void *ctx, const ec_event *ev);
	void *ctx;
} ec_sink;

/* Calls the sink when there is one. */
void ec_emit(const ec_sink *sink, const ec_event *ev);
void ec_emitf(const ec_sink *sink, enum ec_event_kind kind, const char *job, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
