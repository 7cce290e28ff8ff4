/* testjob_poll.c — batched polling of the organization's Test & Enable (see
 * testjob_poll.h). A round used to be one GET mailboxes(id) per waiting
 * mailbox: 18,889 of them made tens of thousands of requests a minute, far
 * past the 6,000 in 5 minutes a user may send. Talks to the network only. */
#include "core/jobs/testjob_poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/codec/codec.h"

/* What says whether a test finished (testjob.c, finished()), and the id
 * to match a row to its mailbox. No versionnumber: the cached row keeps
 * its older version, so the next sync reads the whole row again. */
static const char poll_select[] = "mailboxid,testemailconfigurationscheduled,"
                                  "testmailboxaccesscompletedon,incomingemailstatus,"
                                  "outgoingemailstatus,actstatus";

#define CLAUSE_HEAD "mailboxid eq "
#define CLAUSE_JOIN " or "

static size_t clause_len(const char *id)
{
	return sizeof CLAUSE_HEAD - 1 + strlen(id) + sizeof CLAUSE_JOIN - 1;
}

/* How many items from `from` fit one request's filter (at least one). */
static int batch_size(const testpoll_item *items, int from, int n)
{
	size_t len = 0;
	int k = 0;
	while (from + k < n && (k == 0 || len + clause_len(items[from + k].id) <=
	                                      TESTPOLL_FILTER_MAX + sizeof CLAUSE_JOIN - 1)) {
		len += clause_len(items[from + k].id);
		k++;
	}
	return k;
}

int testpoll_requests_for(int n)
{
	/* Every id is as long as a GUID; the limit holds whole clauses. */
	int per = (int)((TESTPOLL_FILTER_MAX + sizeof CLAUSE_JOIN - 1) /
	                clause_len("00000000-0000-0000-0000-000000000000"));
	return (n + per - 1) / per;
}

static char *filter_of(const testpoll_item *items, int k)
{
	size_t cap = 1, used = 0;
	char *f;
	for (int i = 0; i < k; i++)
		cap += clause_len(items[i].id);
	f = ec_xmalloc(cap);
	f[0] = '\0';
	for (int i = 0; i < k; i++)
		used += (size_t)snprintf(f + used, cap - used, "%s" CLAUSE_HEAD "%s",
		                         i ? CLAUSE_JOIN : "", items[i].id);
	return f;
}

typedef struct page_ctx {
	testpoll_item *items;
	int n;
} page_ctx;

/* A returned row to its item: the ids of one request are at most ~150, so a
 * linear search is cheaper than a table. A row nobody asked for is ignored. */
static int page_rows(void *ctx, json_object *rows, long total, ec_error *err)
{
	page_ctx *c = ctx;
	int nrows = (int)json_object_array_length(rows);
	(void)total;
	for (int r = 0; r < nrows; r++) {
		ec_mailbox m;
		int rc =
		    codec_mailbox_from_json(json_object_array_get_idx(rows, (size_t)r), &m, err);
		if (rc != EC_OK)
			return rc;
		for (int i = 0; i < c->n; i++)
			if (!c->items[i].seen && strcasecmp(c->items[i].id, m.id) == 0) {
				mailbox_free(&c->items[i].now);
				c->items[i].now = m;
				c->items[i].seen = true;
				mailbox_init(&m);
				break;
			}
		mailbox_free(&m);
	}
	return EC_OK;
}

int testpoll_fetch(ec_dv *dv, testpoll_item *items, int n, int *requests, ec_error *err)
{
	int rc = EC_OK;
	*requests = 0;
	for (int i = 0; i < n; i++) {
		items[i].seen = items[i].failed = false;
		mailbox_init(&items[i].now);
	}
	for (int from = 0, k; from < n; from += k) {
		page_ctx ctx;
		char *filter;
		int one;
		k = batch_size(items, from, n);
		ctx = (page_ctx){items + from, k};
		filter = filter_of(items + from, k);
		one = dv_list(dv, "mailboxes", poll_select, filter, NULL, page_rows, &ctx, err);
		free(filter);
		(*requests)++;
		if (one != EC_OK) {
			for (int i = from; i < from + k; i++)
				items[i].failed = true;
			rc = one;
		}
	}
	return rc;
}

void testpoll_items_free(testpoll_item *items, int n)
{
	for (int i = 0; items && i < n; i++)
		mailbox_free(&items[i].now);
	free(items);
}

long testpoll_pace_ms(int requests)
{
	return (long)requests * TESTPOLL_WINDOW_MS / TESTPOLL_WINDOW_REQUESTS;
}
