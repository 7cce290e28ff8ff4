/* cache_view.h — what the console reads from the cache without waiting for
 * it: a reader thread with its own read-only connection that answers the
 * slow questions (how many mailboxes a filter matches, where a mailbox is in
 * a list, the status panel's numbers, the Alerts screen's groups, every id a
 * filter matches) off the UI thread, and the quick questions the UI thread
 * may ask itself within a time budget (one screenful, the last screenful by
 * a reversed query instead of an OFFSET walk).
 *
 * Requests carry a generation chosen by the caller; the caller drops an
 * answer whose generation is older than what it shows (a filter typed on
 * since). A newer request of a kind replaces one of the same kind not yet
 * started, and interrupts one of the same kind still running (its answer is
 * dropped); view_stop() interrupts the running query too. Answers are read with view_next() when
 * view_fd() is readable. The reader touches only its own connection and the queues below, under one
 * mutex; answers are handed over whole (the caller owns them). */
#ifndef EMAILCFG_CACHE_VIEW_H
#define EMAILCFG_CACHE_VIEW_H

#include <stdbool.h>

#include "core/model/alert_groups.h"
#include "core/cache/cache.h"

/* The most points a status answer carries for the panel's sparkline (a run
 * of syncs with the same failing counts is one point). */
#define VIEW_TREND_MAX 24

enum view_kind {
	VIEW_COUNT,    /* matches of filter */
	VIEW_INDEX,    /* position of id in filter/sort, -1 when absent */
	VIEW_PAGE,     /* rows offset..offset+limit-1 of filter/sort */
	VIEW_STATUS,   /* the status panel: counts and the latest alerts */
	VIEW_GROUPS,   /* alerts grouped by cause */
	VIEW_IDS,      /* every id of filter/sort (tag all, a batch in list order) */
	VIEW_PROFILES, /* mailboxes per server profile (the Profiles screen) */
	VIEW_KINDS
};

typedef struct view_request {
	enum view_kind kind;
	long gen;
	char filter[512];
	char sort[40];
	char id[EC_ID_SIZE];
	long offset;
	int limit;
	int level; /* GROUPS: only alerts of this level (opt_alert_level), 0 all */
} view_request;

typedef struct view_answer {
	enum view_kind kind;
	long gen;
	int status; /* EC_OK, or err says why */
	ec_error err;
	view_request rq;                /* what was asked */
	long value;                     /* COUNT: matches; INDEX: position; IDS: ids */
	ec_mailbox *rows;               /* PAGE */
	int nrows;                      /* PAGE */
	struct ec_status_counts counts; /* STATUS */
	ec_alert *alerts; /* STATUS: the latest few; GROUPS: those grouped, newest first */
	int nalerts;
	ec_alert_group *groups; /* GROUPS */
	int ngroups;
	char (*ids)[EC_ID_SIZE];   /* IDS */
	ec_profile_count *pcounts; /* PROFILES */
	int npcounts;
	/* STATUS: failing mailboxes per channel (incoming, outgoing, ACT) in the
	 * newest ntrend snapshots, oldest first; what the newest sync that changed
	 * a failure changed, and when (cache_changes_newest()). */
	long trend[3][VIEW_TREND_MAX];
	int ntrend;
	long last_failing, last_recovered;
	char last_changed_on[EC_TIME_SIZE];
} view_answer;

typedef struct ec_view ec_view;

/* Starts the reader on the cache at path (opened read-only by the thread). */
int view_start(const char *path, ec_view **out, ec_error *err);
void view_stop(ec_view *v);
/* Readable while answers wait. */
int view_fd(const ec_view *v);
void view_ask(ec_view *v, const view_request *rq);
/* The oldest answer not taken; false when none. Free with view_answer_free. */
bool view_next(ec_view *v, view_answer *out);
void view_answer_free(view_answer *a);
/* Requests waiting or being answered, or answers not taken. */
bool view_busy(ec_view *v);

/* For tests (the console's script mode): while held, every answer waits,
 * finished, until view_step() lets one through; view_held() says the reader
 * is waiting so with an answer. */
void view_hold(ec_view *v, bool hold);
void view_step(ec_view *v);
bool view_held(ec_view *v);

/* A small page cache for a connection that reads a screenful at a time. */
int view_tune(ec_cache *c, ec_error *err);

/* On the caller's own connection. The rows of filter/sort from offset, at
 * most limit, giving up after budget_ms of work (*done false then; 0: no
 * budget), so the UI thread can hand the question to the reader. */
int view_list_page(ec_cache *c, const char *filter, const char *sort, long offset, int limit,
                   int budget_ms, ec_mailbox **rows, int *n, bool *done, ec_error *err);
/* The last limit rows of filter/sort, in list order, by the reversed order
 * (no OFFSET walk over the rows before them). */
int view_list_last(ec_cache *c, const char *filter, const char *sort, int limit, ec_mailbox **rows,
                   int *n, ec_error *err);

#endif
