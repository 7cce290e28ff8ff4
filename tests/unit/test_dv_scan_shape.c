/* test_dv_scan_shape.c — the streamed read of a page (dv_scan) reads the
 * page's own members as the whole-page read it replaced did
 * (codec_page_parse: json-c, then "value" must be an array and
 * "@odata.nextLink" a string), or refuses the page. Each test gives a page
 * json-c reads one way; the scanner must read the same rows and link or
 * fail. Found by review: a page with no "value" array was an empty page, a
 * next link under an escaped name or with a value that is not a string was
 * lost, an escaped "value" gave no rows, the rows of a second "value" were
 * handed over, a null @odata.count was "malformed", rows without commas were
 * read, and a row over the values bound passed as a view. An empty or
 * cut-short listing is complete to the sync, whose remove_missing()
 * (core/sync/sync.c) then deletes every cached row that was not listed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/dv_scan.h"

static int count_row(void *ctx, const dv_row *row, long index, ec_error *err)
{
	(void)row, (void)index, (void)err;
	(*(long *)ctx)++;
	return EC_OK;
}

/* The page scanned whole and byte by byte: both must agree; returns the
 * status, the rows and the link. */
static int scan(const char *page, long *rows, char *next, size_t nextsz)
{
	int rc[2];
	long n[2] = {0, 0};
	for (int k = 0; k < 2; k++) {
		dv_scan *sc = dv_scan_new(count_row, &n[k]);
		ec_error err = {0};
		size_t len = strlen(page), piece = k ? 1 : len;
		rc[k] = EC_OK;
		for (size_t at = 0; at < len && rc[k] == EC_OK; at += piece)
			rc[k] =
			    dv_scan_feed(sc, page + at, len - at < piece ? len - at : piece, &err);
		if (rc[k] == EC_OK)
			rc[k] = dv_scan_finish(sc, &err);
		if (k == 0)
			snprintf(next, nextsz, "%s", dv_scan_next_link(sc));
		dv_scan_free(sc);
	}
	assert_int_equal(rc[0], rc[1]);
	assert_int_equal(n[0], n[1]);
	*rows = n[0];
	return rc[0];
}

/* 200 with no "value" array ({} from a proxy, an error object, "value"
 * that is null or an object): codec_page_parse refuses it ("no value
 * array of rows"); the scanner says EC_OK with 0 rows, so a full sync
 * removes every cached mailbox. */
static void test_page_without_value_is_refused(void **state)
{
	static const char *pages[] = {
	    "{}",
	    "{\"error\":{\"code\":\"0x80040220\",\"message\":\"denied\"}}",
	    "{\"@odata.context\":\"x\",\"value\":null}",
	    "{\"@odata.context\":\"x\",\"value\":{\"mailboxid\":\"a\"}}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		long rows;
		char next[256];
		int rc = scan(pages[i], &rows, next, sizeof next);
		print_message("page %zu: rc %d rows %ld\n", i, rc, rows);
		assert_int_not_equal(rc, EC_OK);
	}
}

/* A key json-c reads as "value" or "@odata.nextLink" (JSON escapes are
 * allowed in member names): the scanner compares the raw bytes. */
static void test_escaped_known_keys(void **state)
{
	long rows;
	char next[256];
	int rc;
	(void)state;
	rc = scan("{\"value\":[{\"a\":1}],"
	          "\"@odata.next\\u004cink\":\"https://o/api/data/v9.2/x?p=2\"}",
	          &rows, next, sizeof next);
	/* json-c: a next page. Scanner: rc OK, no link: the walk ends here. */
	assert_true(rc != EC_OK || strcmp(next, "https://o/api/data/v9.2/x?p=2") == 0);
	rc = scan("{\"valu\\u0065\":[{\"a\":1},{\"a\":2}]}", &rows, next, sizeof next);
	/* json-c: two rows. Scanner: rc OK, zero rows. */
	assert_true(rc != EC_OK || rows == 2);
}

/* A next link that is not a string: codec_page_parse refuses the page;
 * the scanner ignores it and the listing silently ends. */
static void test_next_link_not_a_string(void **state)
{
	long rows;
	char next[256];
	int rc;
	(void)state;
	rc = scan("{\"value\":[{\"a\":1}],\"@odata.nextLink\":[\"https://o/api/data/v9.2/x\"]}",
	          &rows, next, sizeof next);
	assert_int_not_equal(rc, EC_OK);
}

/* "value" twice: json-c keeps the last; the scanner hands over the rows of
 * both (rows json-c never reads reach the cache). */
static void test_value_twice(void **state)
{
	long rows;
	char next[256];
	int rc;
	(void)state;
	rc = scan("{\"value\":[{\"a\":1}],\"value\":[{\"a\":2}]}", &rows, next, sizeof next);
	assert_true(rc != EC_OK || rows == 1);
}

/* A null @odata.count (or nextLink) is valid JSON json-c reads; the
 * scanner's member_done() takes json-c's NULL for null as "not valid
 * JSON": the page is re-read MALFORMED_RETRIES times and the sync fails. */
static void test_null_count_is_read(void **state)
{
	long rows;
	char next[256];
	(void)state;
	assert_int_equal(
	    scan("{\"@odata.count\":null,\"value\":[{\"a\":1}]}", &rows, next, sizeof next), EC_OK);
	assert_int_equal(rows, 1);
}

/* Rows with no ',' between them, or commas alone: json-c refuses the page
 * (the damaged page would be read again); the scanner reads it. */
static void test_rows_without_commas(void **state)
{
	long rows;
	char next[256];
	(void)state;
	assert_int_not_equal(scan("{\"value\":[{\"a\":1}{\"a\":2}]}", &rows, next, sizeof next),
	                     EC_OK);
	assert_int_not_equal(scan("{\"value\":[,{\"a\":1},,]}", &rows, next, sizeof next), EC_OK);
	assert_int_not_equal(scan("{\"value\":[,{\"a\":1}]}", &rows, next, sizeof next), EC_OK);
	assert_int_not_equal(scan("{\"value\":[{\"a\":1},,{\"a\":2}]}", &rows, next, sizeof next),
	                     EC_OK);
	/* A trailing ',' too: the whole-page reader was strict. */
	assert_int_not_equal(scan("{\"value\":[{\"a\":1},]}", &rows, next, sizeof next), EC_OK);
	assert_int_equal(scan("{\"value\":[ {\"a\":1} , {\"a\":2} ]}", &rows, next, sizeof next),
	                 EC_OK);
	assert_int_equal(rows, 2);
	assert_int_equal(scan("{\"value\":[ ]}", &rows, next, sizeof next), EC_OK);
	assert_int_equal(rows, 0);
}

static int none(void *ctx, const dv_row *row, long index, ec_error *err)
{
	(void)ctx, (void)row, (void)index, (void)err;
	return EC_OK;
}

static bool keep_id(void *ctx, const char *key, size_t len)
{
	(void)ctx;
	return len == 9 && memcmp(key, "mailboxid", 9) == 0;
}

/* The row bound DV_SCAN_MAX_ROW_VALUES counts members left out (dv_scan.h:
 * "Bounds count the bytes and values left out"), and the walk refuses a
 * row of 301 members; a view (row_whole, dv_view_read) counts only the
 * members it keeps, so the same page passes when rows go as views
 * (dv_scan.c:197 says "the bounds of a view are within the scanner's"). */
static void test_view_keeps_value_bound(void **state)
{
	char *p = malloc(100000);
	size_t n = 0;
	int rc[2];
	(void)state;
	n += (size_t)sprintf(p + n, "{\"value\":[{\"mailboxid\":\"a\"");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(p + n, ",\"x%d\":\"y\"", i);
	n += (size_t)sprintf(p + n, "}]}");
	for (int lean = 0; lean < 2; lean++) {
		dv_scan *sc = dv_scan_new(none, NULL);
		dv_scan_set_keep(sc, keep_id, NULL);
		dv_scan_set_lean(sc, lean);
		rc[lean] = dv_scan_feed(sc, p, n, NULL);
		if (rc[lean] == EC_OK)
			rc[lean] = dv_scan_finish(sc, NULL);
		dv_scan_free(sc);
	}
	free(p);
	assert_int_equal(rc[0], EC_NETWORK);
	assert_int_equal(rc[1], rc[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_without_value_is_refused),
	    cmocka_unit_test(test_escaped_known_keys),
	    cmocka_unit_test(test_next_link_not_a_string),
	    cmocka_unit_test(test_value_twice),
	    cmocka_unit_test(test_null_count_is_read),
	    cmocka_unit_test(test_rows_without_commas),
	    cmocka_unit_test(test_view_keeps_value_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
