/* test_sync_versions.c — the in-memory compare of an incremental sync: a
 * row the cache lacks, or holds at another version (older, or newer: an
 * organization restored from a backup) or with another modifiedon is
 * changed, and one the cache holds at a higher version is also noted as
 * lowered; a row at the same version and modifiedon is not, a cached row
 * the listing lacks is missing, an id listed twice is changed once, and a
 * random listing agrees with a slow reference compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sync/sync_versions.h"

static struct cache_listed row(const char *id, long long version, const char *modified)
{
	struct cache_listed r;
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "%s", id);
	r.version = version;
	snprintf(r.modified_on, sizeof r.modified_on, "%s", modified);
	return r;
}

static void test_rules(void **state)
{
	struct cache_listed listed[] = {
	    row("a", 5, "2024-01-02T00:00:00Z"), /* same version and modifiedon */
	    row("b", 7, "2024-01-03T00:00:00Z"), /* newer version */
	    row("c", 3, "2024-01-09T00:00:00Z"), /* older version: a restore */
	    row("d", 0, "2024-01-05T00:00:00Z"), /* no version: another modifiedon */
	    row("e", 0, "2024-01-06T00:00:00Z"), /* no version, same modifiedon */
	    row("f", 4, "2024-01-01T00:00:00Z"), /* not cached */
	    row("f", 4, "2024-01-01T00:00:00Z"), /* listed twice */
	    row("h", 0, ""),                     /* no modifiedon, cached with one */
	};
	struct cache_listed cached[] = {
	    row("a", 5, "2024-01-02T00:00:00Z"), row("b", 6, "2024-01-01T00:00:00Z"),
	    row("c", 4, "2024-01-01T00:00:00Z"), row("d", 2, "2024-01-04T00:00:00Z"),
	    row("e", 0, "2024-01-06T00:00:00Z"), row("g", 1, ""),
	    row("h", 0, "2024-01-07T00:00:00Z"),
	};
	sync_diff d;
	(void)state;
	cache_listed_sort(listed, 8);
	sync_versions_compare(listed, 8, cached, 7, &d);
	assert_int_equal(d.nchanged, 5);
	assert_string_equal(d.changed[0], "b");
	assert_string_equal(d.changed[1], "c");
	assert_string_equal(d.changed[2], "d");
	assert_string_equal(d.changed[3], "f");
	assert_string_equal(d.changed[4], "h");
	assert_string_equal(d.oldest, "2024-01-01T00:00:00Z");
	assert_int_equal(d.nmissing, 1);
	assert_string_equal(d.missing[0], "g");
	/* c: cached at 4, listed at 3; its cached version is to be released. */
	assert_int_equal(d.nlowered, 1);
	assert_string_equal(d.lowered[0].id, "c");
	assert_int_equal(d.lowered[0].version, 4);
	sync_diff_free(&d);
}

static void test_empty_sides(void **state)
{
	struct cache_listed one = row("x", 1, "");
	sync_diff d;
	(void)state;
	sync_versions_compare(&one, 1, NULL, 0, &d);
	assert_int_equal(d.nchanged, 1);
	assert_string_equal(d.oldest, "");
	assert_int_equal(d.nmissing, 0);
	sync_diff_free(&d);
	sync_versions_compare(NULL, 0, &one, 1, &d);
	assert_int_equal(d.nchanged, 0);
	assert_int_equal(d.nmissing, 1);
	sync_diff_free(&d);
}

/* The reference: each listed id looked up in the cached rows one by one. */
static bool ref_changed(const struct cache_listed *l, const struct cache_listed *cached, long nc)
{
	for (long j = 0; j < nc; j++)
		if (strcmp(cached[j].id, l->id) == 0)
			return (l->version > 0 && l->version != cached[j].version) ||
			       strcmp(l->modified_on, cached[j].modified_on) != 0;
	return true;
}

/* Whether the cache holds l's row at a higher version than listed. */
static bool ref_lowered(const struct cache_listed *l, const struct cache_listed *cached, long nc)
{
	for (long j = 0; j < nc; j++)
		if (strcmp(cached[j].id, l->id) == 0)
			return l->version > 0 && cached[j].version > l->version;
	return false;
}

static void test_random_against_reference(void **state)
{
	enum { N = 3000 };
	static struct cache_listed listed[N], cached[N];
	long nl = 0, nc = 0, want_changed = 0, want_missing = 0, want_lowered = 0;
	sync_diff d;
	char id[16], mod[24];
	(void)state;
	srand(7);
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof id, "%06d", i);
		snprintf(mod, sizeof mod, "2024-01-%02dT00:00:00Z", 1 + rand() % 9);
		if (rand() % 10)
			listed[nl++] = row(id, rand() % 4, rand() % 5 ? mod : "");
		if (rand() % 10)
			cached[nc++] = row(id, rand() % 4, rand() % 5 ? mod : "");
	}
	for (long i = 0; i < nl; i++) {
		want_changed += ref_changed(&listed[i], cached, nc);
		want_lowered += ref_lowered(&listed[i], cached, nc);
	}
	for (long j = 0; j < nc; j++) {
		bool found = false;
		for (long i = 0; i < nl && !found; i++)
			found = strcmp(listed[i].id, cached[j].id) == 0;
		want_missing += !found;
	}
	/* Shuffle the listing: the compare sorts it. */
	for (long i = nl - 1; i > 0; i--) {
		long k = rand() % (i + 1);
		struct cache_listed t = listed[i];
		listed[i] = listed[k];
		listed[k] = t;
	}
	cache_listed_sort(listed, nl);
	sync_versions_compare(listed, nl, cached, nc, &d);
	assert_int_equal(d.nchanged, want_changed);
	assert_int_equal(d.nmissing, want_missing);
	assert_int_equal(d.nlowered, want_lowered);
	for (long i = 1; i < d.nchanged; i++)
		assert_true(strcmp(d.changed[i - 1], d.changed[i]) < 0);
	sync_diff_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_empty_sides),
	    cmocka_unit_test(test_random_against_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
