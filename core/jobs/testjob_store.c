/* testjob_store.c — batched storing of Test & Enable results, and their
 * verdict events after the commit (see testjob_store.h). */
#include "core/jobs/testjob_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One transaction (and one fsync) per mailbox took 283 s for 100,000. A
 * run killed midway keeps every result before its last commit. */
#define TESTJOB_STORE_BATCH    500
#define TESTJOB_STORE_BATCH_MS 100

static long store_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void testjob_store_init(testjob_store *b, ec_cache *c, const ec_sink *sink, long total)
{
	memset(b, 0, sizeof *b);
	b->c = c;
	b->sink = sink;
	b->total = total;
}

void testjob_store_progress(const testjob_store *b)
{
	char msg[64];
	ec_event ev = {EV_PROGRESS, "test", msg, b->done, b->total, 0, NULL, NULL, 0};
	snprintf(msg, sizeof msg, "%ld failed", b->failed);
	ec_emit(b->sink, &ev);
}

/* The verdicts of the transaction just committed, told in the order they
 * were reached, then one progress event for all of them. */
static void store_tell(testjob_store *b, int n)
{
	for (int i = 0; i < n; i++) {
		const testjob_note *note = &b->notes[i];
		ec_event ev = {EV_STAGE, "test",    note->cause,  0, 0, 0,
		               note->id, "verdict", note->verdict};
		ec_emit(b->sink, &ev);
		b->done++;
		b->failed += note->verdict == CHECK_FAIL;
	}
	if (n)
		testjob_store_progress(b);
}

int testjob_store_flush(testjob_store *b, ec_error *err)
{
	int rc = b->n ? cache_transaction_commit(b->c, err) : EC_OK;
	if (rc == EC_OK)
		store_tell(b, b->n);
	b->n = 0;
	return rc;
}

static void store_note(testjob_store *b, const ec_test_result *t, const char *cause)
{
	testjob_note *note;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->notes = ec_xrealloc(b->notes, sizeof *b->notes * (unsigned long)b->cap);
	}
	note = &b->notes[b->n];
	snprintf(note->id, sizeof note->id, "%s", t->id);
	note->verdict = (int)t->verdict;
	snprintf(note->cause, sizeof note->cause, "%s", cause ? cause : "");
}

int testjob_store_add(testjob_store *b, const ec_test_result *t, const char *cause, ec_error *err)
{
	int rc = EC_OK;
	if (b->n == 0) {
		rc = cache_transaction_begin(b->c, err);
		b->opened_ms = store_now_ms();
	}
	if (rc != EC_OK)
		return rc;
	rc = cache_test_add(b->c, t, err);
	if (rc != EC_OK) {
		/* Its savepoint is undone; the results before it stay, and are
		 * told. */
		testjob_store_flush(b, NULL);
		return rc;
	}
	store_note(b, t, cause);
	b->n++;
	if (b->n >= TESTJOB_STORE_BATCH || store_now_ms() - b->opened_ms >= TESTJOB_STORE_BATCH_MS)
		rc = testjob_store_flush(b, err);
	return rc;
}

void testjob_store_free(testjob_store *b)
{
	free(b->notes);
	b->notes = NULL;
	b->cap = b->n = 0;
}
