/* cache_paging.c — benchmark: the console's virtual list over 100,000
 * cached mailboxes. Loads them page by page as a full sync does, then times
 * the queries a screen makes: a page at offset 50,000 by name, the last
 * page by -email, a page sorted by a status, the count, the index of a mailbox (selection kept
 * across refreshes) and a filtered page. Checks the answers too, so a fast wrong result fails.
 * Prints one line per measurement; run by `make bench`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cache/cache.h"
#include "core/model/options.h"

#define TOTAL 100000
#define PAGE  1000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const ec_error *err)
{
	fprintf(stderr, "cache_paging: %s: %s\n", what, err->msg);
	exit(1);
}

static void fill(ec_mailbox *m, int k, char *name, char *email)
{
	unsigned h = (unsigned)k * 2654435761u;
	mailbox_init(m);
	snprintf(m->id, sizeof m->id, "%08x-0000-4000-8000-%012x", h, k);
	snprintf(name, 32, "Mailbox %08x", h);
	snprintf(email, 48, "user%d@contoso.si", k);
	m->name = name;
	m->email = email;
	m->owner_type = k % 10 == 0 ? OWNER_QUEUE : OWNER_USER;
	m->incoming = m->outgoing = INCOMING_SSS;
	m->act = k % 3 ? ACT_SSS : ACT_NONE;
	m->incoming_status = k % 3 ? STATUS_SUCCESS : STATUS_FAILURE;
	m->outgoing_status = k % 5 ? STATUS_SUCCESS : STATUS_FAILURE;
	m->act_status = STATUS_NOT_RUN;
	m->approval = k % 7 ? APPROVAL_APPROVED : APPROVAL_PENDING;
	m->state = k % 50 ? STATE_ACTIVE : STATE_INACTIVE;
	snprintf(m->modified_on, sizeof m->modified_on, "2024-03-01T09:00:00Z");
	m->version = k + 1;
}

static void load(ec_cache *c)
{
	static ec_mailbox page[PAGE];
	static char names[PAGE][32], emails[PAGE][48];
	ec_error err;
	long removed;
	static char ids[PAGE][EC_ID_SIZE];
	if (cache_ids_begin(c, CACHE_MAILBOXES, &err) != EC_OK)
		die("begin", &err);
	for (int base = 0; base < TOTAL; base += PAGE) {
		for (int i = 0; i < PAGE; i++) {
			fill(&page[i], base + i, names[i], emails[i]);
			memcpy(ids[i], page[i].id, EC_ID_SIZE);
		}
		if (cache_put_mailboxes(c, page, PAGE, &err) != EC_OK)
			die("put", &err);
		if (cache_ids_add(c, (const char(*)[EC_ID_SIZE])ids, PAGE, &err) != EC_OK)
			die("ids", &err);
	}
	if (cache_ids_remove_missing(c, CACHE_MAILBOXES, true, &removed, &err) != EC_OK)
		die("remove", &err);
	cache_ids_end(c);
}

int main(void)
{
	char dir[] = "/tmp/emailcfg-bench-XXXXXX", path[64], cmd[96];
	ec_cache *c;
	ec_error err;
	ec_mailbox *rows;
	int n;
	long count, index;
	double t0;
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/bench.db", dir);
	if (cache_open(path, &c, &err) != EC_OK)
		die("open", &err);
	t0 = now_ms();
	load(c);
	printf("cache: load 100,000 mailboxes in pages of 1,000: %.0f ms\n", now_ms() - t0);

	t0 = now_ms();
	if (cache_list_mailboxes(c, NULL, "name", 50000, 40, &rows, &n, &err) != EC_OK || n != 40)
		die("list", &err);
	printf("cache: 40 rows at offset 50,000 sorted by name: %.1f ms\n", now_ms() - t0);
	t0 = now_ms();
	if (cache_index_of_mailbox(c, NULL, "name", rows[0].id, &index, &err) != EC_OK ||
	    index != 50000)
		die("index", &err);
	printf("cache: index of a mailbox in that order: %.1f ms\n", now_ms() - t0);
	cache_free_mailboxes(rows, n);

	t0 = now_ms();
	if (cache_list_mailboxes(c, NULL, "-email", TOTAL - 40, 40, &rows, &n, &err) != EC_OK ||
	    n != 40)
		die("last page", &err);
	printf("cache: last 40 rows sorted by -email: %.1f ms\n", now_ms() - t0);
	cache_free_mailboxes(rows, n);

	t0 = now_ms();
	if (cache_list_mailboxes(c, NULL, "incoming-status", 50000, 40, &rows, &n, &err) != EC_OK ||
	    n != 40)
		die("sort by status", &err);
	printf("cache: 40 rows at offset 50,000 sorted by incoming-status: %.1f ms\n",
	       now_ms() - t0);
	cache_free_mailboxes(rows, n);

	t0 = now_ms();
	if (cache_count_mailboxes(c, NULL, &count, &err) != EC_OK || count != TOTAL)
		die("count", &err);
	printf("cache: count: %.1f ms\n", now_ms() - t0);

	t0 = now_ms();
	if (cache_list_mailboxes(c, "mailbox status:failure", "name", 20000, 40, &rows, &n, &err) !=
	        EC_OK ||
	    n != 40)
		die("filter", &err);
	printf("cache: 40 rows at offset 20,000 of 'mailbox status:failure': %.1f ms\n",
	       now_ms() - t0);
	cache_free_mailboxes(rows, n);

	cache_close(c);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
