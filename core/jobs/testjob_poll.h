/* testjob_poll.h — how Test & Enable looks at the mailboxes whose test the
 * organization is running: one GET a page of waiting mailboxes, their ids
 * joined by `or` in $filter within a URL-length limit, $select of only the
 * columns that say whether a test finished; and the pacing between rounds
 * that keeps polling within the service-protection limits
 * (docs/dataverse.md). Talks to the network only, never to the cache. */
#ifndef EMAILCFG_TESTJOB_POLL_H
#define EMAILCFG_TESTJOB_POLL_H

#include <stdbool.h>

#include "core/client/dataverse.h"
#include "core/model/model.h"

/* The longest $filter a poll request sends, before URL escaping: about
 * 150 ids of 54 characters each. Dataverse takes URLs of many times this;
 * a short one keeps a proxy or an IIS front end from refusing it. */
#define TESTPOLL_FILTER_MAX 8000

/* Of the service-protection window (6,000 requests in 300 s per user),
 * polling takes at most a third: the rest stays for the other requests of
 * the run (scheduling, alerts) and for other clients of the same user. */
#define TESTPOLL_WINDOW_MS       300000L
#define TESTPOLL_WINDOW_REQUESTS 2000L

/* One waiting mailbox: id in; seen and now out (now holds only the polled
 * columns; the others keep mailbox_init's defaults). */
typedef struct testpoll_item {
	char id[EC_ID_SIZE];
	bool seen;   /* the organization returned its row this round */
	bool failed; /* its request failed */
	ec_mailbox now;
} testpoll_item;

/* Reads the polled columns of items [0, n) in as few requests as the
 * filter limit allows; *requests gets the number sent. A request that fails
 * marks its items failed and the others go on; the last error is in err.
 * Returns EC_OK when every request answered. */
int testpoll_fetch(ec_dv *dv, testpoll_item *items, int n, int *requests, ec_error *err);

/* Frees the items' mailboxes. */
void testpoll_items_free(testpoll_item *items, int n);

/* The shortest wait before the next round of `requests` requests that
 * keeps polling within TESTPOLL_WINDOW_REQUESTS per window. */
long testpoll_pace_ms(int requests);

/* The number of requests a round of n waiting mailboxes takes. */
int testpoll_requests_for(int n);

#endif
