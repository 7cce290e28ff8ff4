/* testjob_store.h — Test & Enable's results into the cache in batches, and
 * the verdict events told only once their batch is committed: a front end
 * that hears of a verdict can read it from the cache at once (the console's
 * Tests screen does, on its own connection, while the worker goes on
 * writing). Talks to the cache and the event sink. */
#ifndef EMAILCFG_TESTJOB_STORE_H
#define EMAILCFG_TESTJOB_STORE_H

#include "core/base/events.h"
#include "core/cache/cache.h"

/* A verdict stored but not yet committed, waiting to be told. */
typedef struct testjob_note {
	char id[EC_ID_SIZE];
	int verdict;     /* CHECK_* */
	char cause[160]; /* of a failure (testjob.c, verdict_cause), or "" */
} testjob_note;

typedef struct testjob_store {
	ec_cache *c;
	const ec_sink *sink;
	int n; /* results in the open transaction */
	long opened_ms;
	testjob_note *notes;
	int cap;
	long done, failed, total; /* told so far, for EV_PROGRESS */
} testjob_store;

void testjob_store_init(testjob_store *b, ec_cache *c, const ec_sink *sink, long total);

/* Stores t; commits after TESTJOB_STORE_BATCH results or
 * TESTJOB_STORE_BATCH_MS, whichever comes first. */
int testjob_store_add(testjob_store *b, const ec_test_result *t, const char *cause, ec_error *err);

/* Commits what is open, then tells its verdicts (EV_STAGE "verdict" with
 * the cause as message) and the progress. */
int testjob_store_flush(testjob_store *b, ec_error *err);

/* Tells the progress so far (done of total, failures) again: while the
 * run waits for the organization, so a front end can show time passing. */
void testjob_store_progress(const testjob_store *b);

void testjob_store_free(testjob_store *b);

#endif
