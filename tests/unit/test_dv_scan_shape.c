/* test_dv_scan_shape.c — review (t-review): pages the streamed read
 * (dv_scan) reads otherwise than the whole-page read it replaced
 * (codec_page_parse: json-c, then "value" must be an array and
 * "@odata.nextLink" a string). Each test gives a page json-c reads one way
 * and checks that the scanner either reads the same rows and link or
 * fails the page. They FAIL on main 461df78: the scanner takes a page with
 * no "value" array as an empty page, loses a next link whose key is
 * escaped or whose value is not a string, reads rows of a "value" sent
 * twice that json-c drops, and refuses a null @odata.count json-c reads.
 * A listing that ends early or empty is a complete listing to the sync:
 * remove_missing() (core/sync/sync.c) then deletes every cached row that
 * was not listed. */
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
			rc[k] = dv_scan_feed(sc, page + at, len - at < piece ? len - at : piece, &err);
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
	assert_int_equal(scan("{\"@odata.count\":null,\"value\":[{\"a\":1}]}", &rows, next,
	                      sizeof next),
	                 EC_OK);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
