/* test_cache_list.c — listing mailboxes from a real cache: the filter
 * language on a known data set (every key, negation, quotes, bare words,
 * Slovenian and CJK case-insensitivity, status:failure over any channel),
 * hostile filters (the table survives, % and _ are literal), sorting by every
 * key both ways with stable paging, counts, ids, positions, selectors, the
 * status numbers, and paging at 100,000 mailboxes (timed); the one-statement
 * walk of the CLI's listings gives exactly the paged list's rows, and
 * status:failure is answered from the three status indexes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "core/cache/cache.h"
#include "core/model/filter.h"
#include "core/model/options.h"
#include "core/base/utf8.h"

#define N        EC_NULL
#define EXCHANGE "e0000000-0000-0000-0000-000000000001"
#define GMAIL    "e0000000-0000-0000-0000-000000000002"

static const struct row {
	const char *name, *email;
	int type;
	const char *owner;
	int in, out, act, in_st, out_st, act_st, approval;
	const char *profile_id, *profile;
	int state;
	const char *modified;
} data[] = {
    {"ANA Novak", "ana.novak@contoso.si", OWNER_USER, "Ana Novak", 2, 2, 1, 1, 1, 1, 1, EXCHANGE,
     "Exchange Online", 0, "2024-01-05T00:00:00Z"},
    {"ŽUŽEK Marko", "zuzek@contoso.si", OWNER_USER, "Marko Žužek", 2, 2, 2, 2, 1, 0, 2, EXCHANGE,
     "Exchange Online", 0, "2024-01-02T00:00:00Z"},
    {"Support", "support@contoso.si", OWNER_QUEUE, "Support Queue", 2, 2, 0, 1, 2, 0, 1, GMAIL,
     "Gmail IMAP", 0, "2024-01-09T00:00:00Z"},
    {"東京 Office", "tokyo@contoso.jp", OWNER_USER, "山田 太郎", 1, 1, 0, 0, 0, 0, 0, NULL, NULL, 0,
     "2024-01-01T00:00:00Z"},
    {"100% Sales", "sales@contoso.si", OWNER_QUEUE, "Sales", 2, 0, 2, 0, 0, 2, 3, EXCHANGE,
     "Exchange Online", 1, "2024-01-07T00:00:00Z"},
    {"under_score", "u_s@contoso.si", OWNER_USER, "Under Score", 0, 0, 2, N, N, N, N, NULL, NULL, 0,
     NULL},
    {"Forwarder", "fwd@contoso.si", OWNER_FORWARD, NULL, 3, 0, 2, 1, 0, 0, 1, EXCHANGE,
     "Exchange Online", 0, "2024-01-03T00:00:00Z"},
    {"Shared", "shared@contoso.si", OWNER_QUEUE, "Shared Queue", 2, 2, 1, 2, 2, 2, 2, EXCHANGE,
     "Exchange Online", 0, "2024-01-04T00:00:00Z"},
    {"Shared", "SHARED@contoso.si", OWNER_QUEUE, "Shared Queue", 2, 2, 1, 1, 1, 1, 1, EXCHANGE,
     "Exchange Online", 0, "2024-01-06T00:00:00Z"},
    {"bad\xff name", "bad@contoso.si", OWNER_USER, "O'Brien", 2, 2, 1, 1, 1, 0, 1, EXCHANGE,
     "Exchange Online", 0, "2024-01-08T00:00:00Z"},
};
#define NROWS ((int)(sizeof data / sizeof data[0]))

static char tmpdir[64];
static ec_cache *cache;

static void make_id(char *id, int i)
{
	snprintf(id, EC_ID_SIZE, "00000000-0000-0000-0000-%012u", (unsigned)i % 1000000u);
}

static int id_index(const char *id)
{
	return atoi(id + 24);
}

static ec_mailbox row_mailbox(const struct row *r, int i)
{
	ec_mailbox m;
	mailbox_init(&m);
	make_id(m.id, i);
	m.name = (char *)r->name;
	m.email = (char *)r->email;
	m.owner_type = r->type;
	m.owner = (char *)r->owner;
	if (r->owner)
		snprintf(m.owner_id, sizeof m.owner_id, "0a000000-0000-0000-0000-%012u",
		         (unsigned)i % 1000000u);
	m.incoming = r->in;
	m.outgoing = r->out;
	m.act = r->act;
	m.incoming_status = r->in_st;
	m.outgoing_status = r->out_st;
	m.act_status = r->act_st;
	m.approval = r->approval;
	if (r->profile_id)
		snprintf(m.profile_id, sizeof m.profile_id, "%s", r->profile_id);
	m.profile_name = (char *)r->profile;
	m.state = r->state;
	if (r->modified)
		snprintf(m.modified_on, sizeof m.modified_on, "%s", r->modified);
	m.version = 100 + i;
	return m;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	ec_error err = {0};
	ec_mailbox rows[NROWS];
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_cache_list.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/list.db", tmpdir);
	if (cache_open(path, &cache, &err) != EC_OK)
		return -1;
	for (int i = 0; i < NROWS; i++)
		rows[i] = row_mailbox(&data[i], i);
	/* Two pages. */
	if (cache_put_mailboxes(cache, rows, 4, &err) != EC_OK ||
	    cache_put_mailboxes(cache, rows + 4, NROWS - 4, &err) != EC_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cache_close(cache);
	return nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The indexes of data[] that filter selects, as "0,3,7" (ascending). */
static void matches(const char *filter, char *out, size_t size)
{
	ec_mailbox *rows;
	int n, hit[NROWS] = {0};
	ec_error err = {0};
	size_t used = 0;
	long count = -1;
	if (cache_list_mailboxes(cache, filter, NULL, 0, -1, &rows, &n, &err) != EC_OK)
		fail_msg("filter '%s': %s", filter, err.msg);
	for (int i = 0; i < n; i++)
		hit[id_index(rows[i].id)] = 1;
	cache_free_mailboxes(rows, n);
	out[0] = '\0';
	for (int i = 0; i < NROWS; i++)
		if (hit[i])
			used +=
			    (size_t)snprintf(out + used, size - used, "%s%d", used ? "," : "", i);
	assert_int_equal(cache_count_mailboxes(cache, filter, &count, &err), EC_OK);
	assert_int_equal(count, n);
}

static void expect(const char *filter, const char *want)
{
	char got[64];
	matches(filter, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("filter '%s' selects {%s}, expected {%s}", filter, got, want);
}

static void test_filter_keys(void **state)
{
	(void)state;
	expect("", "0,1,2,3,4,5,6,7,8,9");
	expect(NULL, "0,1,2,3,4,5,6,7,8,9");
	expect("name:shared", "7,8");
	expect("email:CONTOSO.JP", "3");
	expect("owner:queue", "2,7,8");
	expect("owner:0a000000-0000-0000-0000-000000000002", "2");
	expect("type:queue", "2,4,7,8");
	expect("type:user", "0,1,3,5,9");
	expect("type:forward", "6");
	expect("incoming:server-side-sync", "0,1,2,4,7,8,9");
	expect("incoming:forward-mailbox", "6");
	expect("outgoing:none", "4,5,6");
	expect("act:none", "1,4,5,6");
	expect("act:outlook", "2,3");
	expect("act:server-side-sync", "0,7,8,9");
	expect("incoming-status:failure", "1,7");
	expect("outgoing-status:failure", "2,7");
	expect("act-status:failure", "4,7");
	expect("act-status:not-run", "1,2,3,6,9");
	expect("approval:pending", "1,7");
	expect("approval:empty", "3");
	expect("approval:rejected", "4");
	expect("profile:exchange", "0,1,4,6,7,8,9");
	expect("profile:GMAIL", "2");
	expect("profile:" GMAIL, "2");
	expect("state:inactive", "4");
	expect("state:active", "0,1,2,3,5,6,7,8,9");
	expect("pending:yes", "");
	expect("pending:no", "0,1,2,3,4,5,6,7,8,9");
	expect("pending:conflict", "");
}

static void test_filter_any_status(void **state)
{
	(void)state;
	expect("status:failure", "1,2,4,7");
	expect("-status:failure", "0,3,5,6,8,9");
	expect("status:success", "0,1,2,6,8,9");
	expect("status:not-run", "1,2,3,4,6,9");
}

static void test_filter_negation_and_combination(void **state)
{
	(void)state;
	expect("-type:queue", "0,1,3,5,6,9");
	/* NULL values are "not X" too. */
	expect("-approval:approved", "1,3,4,5,7");
	expect("-profile:exchange", "2,3,5");
	expect("-incoming-status:success", "1,3,4,5,7");
	expect("type:queue approval:pending", "7");
	expect("type:queue -approval:pending state:active", "2,8");
	expect("shared -email:SHARED@", "");
	expect("-ana -shared", "1,2,3,4,5,6,9");
}

static void test_filter_words_and_quotes(void **state)
{
	(void)state;
	expect("ana", "0");
	expect("ANA", "0");
	expect("\"Ana Novak\"", "0");
	expect("name:\"Ana Novak\"", "0");
	expect("owner:\"ana novak\"", "0");
	expect("-\"Ana Novak\"", "1,2,3,4,5,6,7,8,9");
	expect("žužek", "1");
	expect("ŽUŽEK", "1");
	expect("Žužek marko", "1");
	expect("東京", "3");
	expect("山田", "3");
	expect("contoso.si", "0,1,2,4,5,6,7,8,9");
	expect("queue shared", "7,8");
	expect("'", "9");
	expect("owner:o'brien", "9");
}

/* Diacritics count: a plain letter matches only the plain letter, and a
 * letter with a diacritic only itself, in any case; the sort key that puts
 * ž right after z must not make "z" a prefix match of "ž". */
static void test_filter_diacritics_exact(void **state)
{
	(void)state;
	expect("name:z", "");
	expect("name:ž", "1");
	expect("name:Ž", "1");
	expect("name:žu", "1");
	expect("name:zu", "");
	expect("owner:žužek", "1");
	expect("owner:zuzek", "");
	expect("owner:ž", "1");
	expect("zuzek", "1"); /* the email is plain ASCII */
	expect("name:u", "1,2,5");
	expect("name:k", "0,1");
	/* GLOB's own characters are plain text in a filter. */
	expect("name:*", "");
	expect("name:?", "");
	expect("name:[", "");
	expect("name:%", "4");
	expect("name:_", "5");
}

static void test_filter_errors(void **state)
{
	ec_mailbox *rows = NULL;
	ec_error err = {0};
	long count = 0;
	int n = -1;
	(void)state;
	assert_int_equal(cache_list_mailboxes(cache, "colour:red", NULL, 0, 10, &rows, &n, &err),
	                 EC_USAGE);
	assert_null(rows);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.msg, "unknown filter key 'colour'"));
	assert_int_equal(cache_count_mailboxes(cache, "type:robot", &count, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "user, queue, forward"));
	assert_int_equal(cache_list_mailboxes(cache, "", "colour", 0, 10, &rows, &n, &err),
	                 EC_USAGE);
	assert_non_null(strstr(err.msg, "unknown sort key 'colour'"));
}

static void test_filter_hostile(void **state)
{
	static const char *const none[] = {
	    "'; DROP TABLE mailboxes; --",
	    "name:'; DROP TABLE mailboxes; --",
	    "\"; DELETE FROM mailboxes; --\"",
	    "' OR '1'='1",
	    "\" OR 1=1 --",
	    "SELECT",
	    "UNION",
	    "owner:\"x') OR 1 --\"",
	    ";",
	    "?",
	    "\\",
	    "\xc3\x28",
	    "%%",
	    "a%",
	    "%a",
	    "__",
	    "profile:%",
	};
	char *longterm = malloc(10000 + 1);
	long count = 0;
	ec_error err = {0};
	(void)state;
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		expect(none[i], "");
	/* % and _ match themselves only. */
	expect("%", "4");
	expect("100%", "4");
	expect("_", "5");
	expect("name:_", "5");
	expect("email:u_s", "5");
	expect("email:_", "5");
	/* Invalid UTF-8 matches byte for byte. */
	expect("\xff", "9");
	expect("name:\"bad\xff\"", "9");
	/* A 10,000-character term. */
	memset(longterm, 'x', 10000);
	longterm[10000] = '\0';
	expect(longterm, "");
	memcpy(longterm, "name:", 5);
	expect(longterm, "");
	free(longterm);
	/* The table is intact. */
	assert_int_equal(cache_count_mailboxes(cache, NULL, &count, &err), EC_OK);
	assert_int_equal(count, NROWS);
}

/* ---- Sorting and paging ------------------------------------------------ */

/* The sort value of m under key, as a number or a folded string. */
static long long sort_number(const ec_mailbox *m, const char *key)
{
	static const struct {
		const char *key;
		size_t offset;
	} ints[] = {
	    {"type", offsetof(ec_mailbox, owner_type)},
	    {"incoming", offsetof(ec_mailbox, incoming)},
	    {"outgoing", offsetof(ec_mailbox, outgoing)},
	    {"act", offsetof(ec_mailbox, act)},
	    {"incoming-status", offsetof(ec_mailbox, incoming_status)},
	    {"outgoing-status", offsetof(ec_mailbox, outgoing_status)},
	    {"act-status", offsetof(ec_mailbox, act_status)},
	    {"approval", offsetof(ec_mailbox, approval)},
	    {"state", offsetof(ec_mailbox, state)},
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		if (strcmp(key, ints[i].key) == 0)
			return *(const int *)((const char *)m + ints[i].offset);
	if (strcmp(key, "pending") == 0)
		return m->pending_edits - m->conflict + 65536LL * m->conflict;
	return 0;
}

static char *sort_text(const ec_mailbox *m, const char *key)
{
	const char *s = strcmp(key, "name") == 0       ? m->name
	                : strcmp(key, "email") == 0    ? m->email
	                : strcmp(key, "owner") == 0    ? m->owner
	                : strcmp(key, "profile") == 0  ? m->profile_name
	                : strcmp(key, "modified") == 0 ? m->modified_on
	                                               : "";
	return utf8_fold(s ? s : "");
}

/* <0, 0, >0 as a comes before, ties with, or follows b under key. */
static int compare(const ec_mailbox *a, const ec_mailbox *b, const char *key)
{
	char *x = sort_text(a, key), *y = sort_text(b, key);
	long long p = sort_number(a, key), q = sort_number(b, key);
	int c = strcmp(x, y);
	free(x);
	free(y);
	if (c == 0)
		c = p < q ? -1 : p > q;
	if (c == 0)
		c = strcmp(a->id, b->id);
	return c;
}

static void check_sorted(const char *sort)
{
	bool desc = sort[0] == '-';
	const char *key = sort + desc;
	ec_mailbox *all, *page;
	char(*ids)[EC_ID_SIZE];
	long nids, index;
	int n, np, pos = 0;
	ec_error err = {0};

	assert_int_equal(cache_list_mailboxes(cache, NULL, sort, 0, -1, &all, &n, &err), EC_OK);
	assert_int_equal(n, NROWS);
	for (int i = 1; i < n; i++) {
		int c = compare(&all[i - 1], &all[i], key);
		if (desc ? c <= 0 : c >= 0)
			fail_msg("sort %s: %s before %s", sort, all[i - 1].id, all[i].id);
	}
	/* Pages of 3 at every offset put together give the same list. */
	for (long off = 0; off < n; off += 3) {
		assert_int_equal(cache_list_mailboxes(cache, "", sort, off, 3, &page, &np, &err),
		                 EC_OK);
		for (int i = 0; i < np; i++)
			assert_string_equal(page[i].id, all[pos++].id);
		cache_free_mailboxes(page, np);
	}
	assert_int_equal(pos, n);
	assert_int_equal(cache_list_mailbox_ids(cache, NULL, sort, &ids, &nids, &err), EC_OK);
	assert_int_equal(nids, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(ids[i], all[i].id);
		assert_int_equal(cache_index_of_mailbox(cache, NULL, sort, all[i].id, &index, &err),
		                 EC_OK);
		assert_int_equal(index, i);
	}
	free(ids);
	cache_free_mailboxes(all, n);
}

static void test_sort_every_key(void **state)
{
	(void)state;
	for (int i = 0; i < filter_key_count; i++) {
		char desc[40];
		if (!filter_keys[i].sort)
			continue;
		check_sorted(filter_keys[i].key);
		snprintf(desc, sizeof desc, "-%s", filter_keys[i].key);
		check_sorted(desc);
	}
}

static void test_sort_default_and_paging_edges(void **state)
{
	ec_mailbox *rows;
	int n;
	ec_error err = {0};
	(void)state;
	assert_int_equal(cache_list_mailboxes(cache, NULL, NULL, 0, 2, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "100% Sales");
	assert_string_equal(rows[1].name, "ANA Novak");
	cache_free_mailboxes(rows, n);
	/* Past the end, and a zero limit. */
	assert_int_equal(cache_list_mailboxes(cache, NULL, "name", 50, 10, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 0);
	cache_free_mailboxes(rows, n);
	assert_int_equal(cache_list_mailboxes(cache, NULL, "name", 0, 0, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 0);
	cache_free_mailboxes(rows, n);
	/* Ties ("Shared" twice) break by id, both ways. */
	assert_int_equal(
	    cache_list_mailboxes(cache, "name:shared", "-name", 0, -1, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(id_index(rows[0].id), 8);
	assert_int_equal(id_index(rows[1].id), 7);
	cache_free_mailboxes(rows, n);
}

static void test_index_of(void **state)
{
	char id[EC_ID_SIZE];
	long index = 0;
	ec_error err = {0};
	(void)state;
	make_id(id, 7);
	assert_int_equal(cache_index_of_mailbox(cache, "type:queue", "name", id, &index, &err),
	                 EC_OK);
	assert_int_equal(index, 1); /* 100% Sales, Shared(7), Shared(8), Support */
	assert_int_equal(cache_index_of_mailbox(cache, "type:user", "name", id, &index, &err),
	                 EC_OK);
	assert_int_equal(index, -1);
	assert_int_equal(cache_index_of_mailbox(cache, NULL, NULL, "nope", &index, &err), EC_OK);
	assert_int_equal(index, -1);
	assert_int_equal(cache_index_of_mailbox(cache, "x:y", NULL, id, &index, &err), EC_USAGE);
}

/* ---- Selectors --------------------------------------------------------- */

static void test_select(void **state)
{
	char(*ids)[EC_ID_SIZE];
	char id[EC_ID_SIZE];
	int n;
	ec_error err = {0};
	(void)state;
	make_id(id, 2);
	assert_int_equal(cache_select_mailboxes(cache, id, &ids, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], id);
	free(ids);
	/* Email, any case. */
	assert_int_equal(cache_select_mailboxes(cache, "ANA.NOVAK@contoso.si", &ids, &n, &err),
	                 EC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(id_index(ids[0]), 0);
	free(ids);
	assert_int_equal(cache_select_mailboxes(cache, "shared@CONTOSO.si", &ids, &n, &err), EC_OK);
	assert_int_equal(n, 2);
	free(ids);
	/* Exact name, several. */
	assert_int_equal(cache_select_mailboxes(cache, "Shared", &ids, &n, &err), EC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(id_index(ids[0]), 7);
	assert_int_equal(id_index(ids[1]), 8);
	free(ids);
	assert_int_equal(cache_select_mailboxes(cache, "東京 Office", &ids, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	free(ids);
	/* Names match exactly: no substring, no other case. */
	ids = NULL;
	assert_int_equal(cache_select_mailboxes(cache, "Share", &ids, &n, &err), EC_USAGE);
	assert_null(ids);
	assert_int_equal(n, 0);
	assert_string_equal(err.msg,
	                    "no mailbox matches 'Share'; try `emailcfg mailboxes --filter Share`");
	assert_int_equal(cache_select_mailboxes(cache, "shared", &ids, &n, &err), EC_USAGE);
	assert_int_equal(cache_select_mailboxes(cache, "Ana Novak", &ids, &n, &err), EC_USAGE);
	assert_string_equal(err.msg, "no mailbox matches 'Ana Novak'; try `emailcfg mailboxes "
	                             "--filter 'Ana Novak'`");
	assert_int_equal(cache_select_mailboxes(cache, "' OR 1=1 --", &ids, &n, &err), EC_USAGE);
}

/* ---- Status numbers ---------------------------------------------------- */

static ec_alert make_alert(int i, int level)
{
	ec_alert a;
	alert_init(&a);
	snprintf(a.id, sizeof a.id, "a0000000-0000-0000-0000-%012u", (unsigned)i % 1000000u);
	make_id(a.regarding_id, i);
	a.level = level;
	return a;
}

static void test_status_counts(void **state)
{
	struct ec_status_counts s;
	ec_error err = {0};
	ec_alert alerts[4] = {make_alert(1, LEVEL_ERROR), make_alert(2, LEVEL_ERROR),
	                      make_alert(3, LEVEL_WARNING), make_alert(4, LEVEL_INFORMATION)};
	ec_settings set;
	ec_profile p[2];
	(void)state;
	assert_int_equal(cache_status_counts(cache, &s, &err), EC_OK);
	assert_int_equal(s.mailboxes, 10);
	assert_int_equal(s.active, 9);
	assert_int_equal(s.inactive, 1);
	assert_int_equal(s.incoming.success, 4);
	assert_int_equal(s.incoming.failure, 2);
	assert_int_equal(s.incoming.not_run, 0);
	assert_int_equal(s.incoming.not_used, 3);
	assert_int_equal(s.outgoing.success, 4);
	assert_int_equal(s.outgoing.failure, 2);
	assert_int_equal(s.outgoing.not_run, 0);
	assert_int_equal(s.outgoing.not_used, 3);
	assert_int_equal(s.act.success, 2);
	assert_int_equal(s.act.failure, 1);
	assert_int_equal(s.act.not_run, 1);
	assert_int_equal(s.act.not_used, 5);
	/* No settings yet: approval counts as required for users and queues. */
	assert_int_equal(s.approval_pending, 4);
	assert_int_equal(s.approval_rejected, 0);
	assert_int_equal(s.queued + s.conflicts + s.failed, 0);
	assert_int_equal(s.alert_errors + s.alert_warnings + s.alert_information, 0);
	assert_int_equal(s.profiles, 0);
	assert_string_equal(s.last_sync, "");

	settings_init(&set);
	set.approve_users = 0;
	set.approve_queues = 1;
	assert_int_equal(cache_put_settings(cache, &set, &err), EC_OK);
	assert_int_equal(cache_put_alerts(cache, alerts, 4, &err), EC_OK);
	profile_init(&p[0]);
	profile_init(&p[1]);
	snprintf(p[0].id, sizeof p[0].id, EXCHANGE);
	snprintf(p[1].id, sizeof p[1].id, GMAIL);
	assert_int_equal(cache_put_profiles(cache, p, 2, &err), EC_OK);
	assert_int_equal(cache_watermark_set(cache, CACHE_MAILBOXES, "2024-01-09T00:00:00Z", &err),
	                 EC_OK);
	assert_int_equal(cache_status_counts(cache, &s, &err), EC_OK);
	assert_int_equal(s.approval_pending, 1);
	assert_int_equal(s.alert_errors, 2);
	assert_int_equal(s.alert_warnings, 1);
	assert_int_equal(s.alert_information, 1);
	assert_int_equal(s.profiles, 2);
	assert_int_equal(strlen(s.last_sync), 20);
}

/* The walk gives the rows of the paged list, in its order, field for field
 * (unreadable aside: the walk does not read it). */
static void walk_equals_list(const char *filter, const char *sort)
{
	ec_mailbox *rows, m;
	cache_mailbox_walk *w;
	ec_error err = {0};
	bool row = true;
	int n, i = 0;
	assert_int_equal(cache_list_mailboxes(cache, filter, sort, 0, -1, &rows, &n, &err), EC_OK);
	assert_int_equal(cache_walk_mailboxes_open(cache, filter, sort, &w, &err), EC_OK);
	for (;;) {
		assert_int_equal(cache_walk_mailboxes_next(w, &m, &row, &err), EC_OK);
		if (!row)
			break;
		if (i >= n)
			fail_msg("walk '%s' gives more than the list's %d rows", filter, n);
		assert_string_equal(m.id, rows[i].id);
		assert_string_equal(m.name ? m.name : "-", rows[i].name ? rows[i].name : "-");
		assert_int_equal(m.act_status, rows[i].act_status);
		assert_int_equal(m.pending_edits, rows[i].pending_edits);
		assert_null(m.unreadable);
		mailbox_free(&m);
		i++;
	}
	mailbox_free(&m);
	assert_int_equal(i, n);
	cache_walk_mailboxes_close(w);
	cache_free_mailboxes(rows, n);
}

static void test_walk(void **state)
{
	static const char *const filters[] = {
	    NULL,     "",        "status:failure", "-status:failure", "status:failure type:queue",
	    "shared", "name:zzz"};
	static const char *const sorts[] = {NULL, "-name", "email", "-modified"};
	cache_mailbox_walk *w = NULL;
	ec_error err = {0};
	(void)state;
	for (size_t f = 0; f < sizeof filters / sizeof *filters; f++)
		for (size_t s = 0; s < sizeof sorts / sizeof *sorts; s++)
			walk_equals_list(filters[f], sorts[s]);
	/* A bad filter or sort fails at open, with nothing to close. */
	assert_int_equal(cache_walk_mailboxes_open(cache, "bogus:1", NULL, &w, &err), EC_USAGE);
	assert_null(w);
	assert_int_equal(cache_walk_mailboxes_open(cache, NULL, "bogus", &w, &err), EC_USAGE);
	assert_null(w);
}

/* status:failure (any channel) looks the three status indexes up rather
 * than walking every row: SQLite's plan for the compiled filter names
 * them and scans no table. */
static void test_any_status_plan(void **state)
{
	char path[128], *sql, plan[2048] = "";
	sqlite3 *db;
	sqlite3_stmt *st;
	ec_filter f;
	ec_error err = {0};
	size_t used = 0;
	(void)state;
	snprintf(path, sizeof path, "%s/list.db", tmpdir);
	assert_int_equal(filter_compile("status:failure", &f, &err), EC_OK);
	sql = sqlite3_mprintf("EXPLAIN QUERY PLAN SELECT m.id FROM mailboxes m WHERE %s ORDER BY "
	                      "m.name_folded, m.id",
	                      f.where);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* The statistics ANALYZE gives a 100,000-mailbox organization: a
	 * third of the rows per status value, names nearly unique. */
	assert_int_equal(sqlite3_exec(db,
	                              "ANALYZE; UPDATE sqlite_stat1 SET stat = '100000 1 1' WHERE "
	                              "tbl = 'mailboxes'; UPDATE sqlite_stat1 SET stat = "
	                              "'100000 33334 1' WHERE idx LIKE 'mailboxes_%status';",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	for (int i = 0; i < f.nparams; i++)
		sqlite3_bind_int64(st, i + 1, f.params[i].num);
	while (sqlite3_step(st) == SQLITE_ROW)
		used += (size_t)snprintf(plan + used, sizeof plan - used, "%s\n",
		                         (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
	sqlite3_free(sql);
	filter_free(&f);
	for (int i = 0; i < 3; i++) {
		static const char *const idx[] = {"mailboxes_incoming_status",
		                                  "mailboxes_outgoing_status",
		                                  "mailboxes_act_status"};
		if (!strstr(plan, idx[i]))
			fail_msg("status:failure does not use %s:\n%s", idx[i], plan);
	}
	if (strstr(plan, "SCAN"))
		fail_msg("status:failure scans a table:\n%s", plan);
}

/* A lookup by id gives what cache_get_mailbox gives (unreadable aside),
 * again and again through its one statement; an unknown id is not found. */
static void test_lookup(void **state)
{
	cache_mailbox_lookup *l;
	ec_error err = {0};
	(void)state;
	assert_int_equal(cache_lookup_mailboxes_open(cache, &l, &err), EC_OK);
	for (int round = 0; round < 2; round++)
		for (int i = NROWS - 1; i >= 0; i--) {
			char id[EC_ID_SIZE];
			ec_mailbox a, b;
			make_id(id, i);
			assert_int_equal(cache_lookup_mailbox(l, id, &a, &err), EC_OK);
			assert_int_equal(cache_get_mailbox(cache, id, &b, &err), EC_OK);
			assert_string_equal(a.id, b.id);
			assert_string_equal(a.email, b.email);
			assert_int_equal(a.incoming_status, b.incoming_status);
			assert_int_equal(a.version, b.version);
			assert_null(a.unreadable);
			mailbox_free(&a);
			mailbox_free(&b);
		}
	{
		ec_mailbox m;
		assert_int_equal(
		    cache_lookup_mailbox(l, "ffffffff-0000-0000-0000-000000000000", &m, &err),
		    CACHE_NOT_FOUND);
		assert_null(m.name);
		mailbox_free(&m);
	}
	cache_lookup_mailboxes_close(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_filter_keys),
	    cmocka_unit_test(test_filter_any_status),
	    cmocka_unit_test(test_filter_negation_and_combination),
	    cmocka_unit_test(test_filter_diacritics_exact),
	    cmocka_unit_test(test_filter_words_and_quotes),
	    cmocka_unit_test(test_filter_errors),
	    cmocka_unit_test(test_filter_hostile),
	    cmocka_unit_test(test_sort_every_key),
	    cmocka_unit_test(test_sort_default_and_paging_edges),
	    cmocka_unit_test(test_index_of),
	    cmocka_unit_test(test_select),
	    cmocka_unit_test(test_status_counts),
	    cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_any_status_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
