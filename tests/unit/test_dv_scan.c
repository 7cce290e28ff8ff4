/* test_dv_scan.c — the page scanner (core/codec/dv_scan.c): the same rows and
 * members whatever the pieces the bytes arrive in (split at every byte
 * boundary, and byte by byte), a page read again from its start, and each
 * bound refused with a sentence saying what was refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/dv_scan.h"

/* The rows handed over, each as compact JSON, one a line. */
typedef struct seen {
	char text[8192];
	size_t len;
	long rows;
	int stop_at; /* the callback refuses this row (-1: none) */
} seen;

static int on_row(void *ctx, json_object *row, long index, ec_error *err)
{
	seen *s = ctx;
	const char *t = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(index, s->rows);
	if (s->stop_at == index)
		return ec_fail(err, EC_LOCAL, "row %ld refused", index);
	if (s->len + strlen(t) + 2 < sizeof s->text) /* the bound tests send thousands */
		s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, "%s\n", t);
	s->rows++;
	return EC_OK;
}

static const char PAGE[] =
    "{\"@odata.context\":\"x\",\"@odata.count\":3,\"value\":[\n"
    "{\"mailboxid\":\"a\",\"name\":\"Ana \\\"Ž\\\" {[,:]}\",\"n\":1,\"x\":null},"
    " {\"mailboxid\":\"b\",\"v\":[1,{\"k\":\"}\"}],\"e\":\"\\\\\"} ,\r\n"
    "{\"mailboxid\":\"c\",\"q\":\"x\\\"}],\",\"d\":-1.5e3,\"t\":true}],"
    "\"@odata.nextLink\":\"http://h/api/data/v9.2/mailboxes?$skiptoken=%3C\\/x%3E\"}";

/* Feeds text in pieces at the given cut points; returns the scan's status. */
static int scan_pieces(const char *text, size_t n, const size_t *cuts, int ncuts, seen *s,
                       dv_scan *sc, ec_error *err)
{
	size_t at = 0;
	int rc = EC_OK;
	dv_scan_reset(sc);
	memset(s, 0, sizeof *s);
	s->stop_at = -1;
	for (int i = 0; i <= ncuts && rc == EC_OK; i++) {
		size_t end = i < ncuts ? cuts[i] : n;
		rc = dv_scan_feed(sc, text + at, end - at, err);
		at = end;
	}
	return rc == EC_OK ? dv_scan_finish(sc, err) : rc;
}

static void test_every_split(void **state)
{
	seen whole, part;
	ec_error err = {0};
	size_t n = strlen(PAGE);
	dv_scan *sc = dv_scan_new(on_row, &whole);
	(void)state;
	assert_int_equal(scan_pieces(PAGE, n, NULL, 0, &whole, sc, &err), EC_OK);
	assert_int_equal(whole.rows, 3);
	assert_int_equal(dv_scan_count(sc), 3);
	assert_string_equal(dv_scan_next_link(sc),
	                    "http://h/api/data/v9.2/mailboxes?$skiptoken=%3C/x%3E");
	assert_non_null(strstr(whole.text, "\"v\":[1,{\"k\":\"}\"}]"));
	assert_non_null(strstr(whole.text, "\"q\":\"x\\\"}],\",\"d\""));
	dv_scan_free(sc);
	sc = dv_scan_new(on_row, &part);
	for (size_t cut = 1; cut < n; cut++) {
		assert_int_equal(scan_pieces(PAGE, n, &cut, 1, &part, sc, &err), EC_OK);
		assert_int_equal(part.rows, 3);
		assert_string_equal(part.text, whole.text);
		assert_int_equal(dv_scan_count(sc), 3);
		assert_string_equal(dv_scan_next_link(sc),
		                    "http://h/api/data/v9.2/mailboxes?$skiptoken=%3C/x%3E");
	}
	/* Byte by byte. */
	{
		size_t cuts[sizeof PAGE];
		for (size_t i = 0; i + 1 < n; i++)
			cuts[i] = i + 1;
		assert_int_equal(scan_pieces(PAGE, n, cuts, (int)n - 1, &part, sc, &err), EC_OK);
		assert_string_equal(part.text, whole.text);
	}
	dv_scan_free(sc);
}

/* Cut short anywhere: never a whole page, always "malformed" (read again). */
static void test_cut_short(void **state)
{
	seen s;
	ec_error err = {0};
	size_t n = strlen(PAGE);
	dv_scan *sc = dv_scan_new(on_row, &s);
	(void)state;
	for (size_t len = 0; len < n; len++) {
		assert_int_equal(scan_pieces(PAGE, len, NULL, 0, &s, sc, &err), EC_NETWORK);
		assert_true(dv_scan_malformed(sc));
		assert_non_null(strstr(err.msg, "not valid JSON"));
	}
	/* Bytes after the page, a row that is not an object, a bad row. */
	assert_int_equal(scan_pieces("{\"value\":[]}x", 13, NULL, 0, &s, sc, &err), EC_NETWORK);
	assert_int_equal(scan_pieces("{\"value\":[1]}", 13, NULL, 0, &s, sc, &err), EC_NETWORK);
	assert_int_equal(scan_pieces("{\"value\":[{\"a\":}]}", 18, NULL, 0, &s, sc, &err),
	                 EC_NETWORK);
	assert_true(dv_scan_malformed(sc));
	dv_scan_free(sc);
}

static void test_bounds(void **state)
{
	seen s;
	ec_error err = {0};
	dv_scan *sc = dv_scan_new(on_row, &s);
	size_t big = DV_SCAN_MAX_ROW_BYTES + 100, n;
	char *text = malloc(big + 64);
	(void)state;
	/* A row over 64 KB. */
	n = (size_t)sprintf(text, "{\"value\":[{\"name\":\"");
	memset(text + n, 'a', big);
	n += big;
	n += (size_t)sprintf(text + n, "\"}]}");
	assert_int_equal(scan_pieces(text, n, NULL, 0, &s, sc, &err), EC_NETWORK);
	assert_false(dv_scan_malformed(sc));
	assert_non_null(strstr(err.msg, "a row over 64 KB"));
	assert_int_equal(s.rows, 0);
	/* A row of too many values. */
	n = (size_t)sprintf(text, "{\"value\":[{");
	for (long i = 0; i <= DV_SCAN_MAX_ROW_VALUES; i++)
		n += (size_t)sprintf(text + n, "%s\"k%ld\":1", i ? "," : "", i);
	n += (size_t)sprintf(text + n, "}]}");
	assert_int_equal(scan_pieces(text, n, NULL, 0, &s, sc, &err), EC_NETWORK);
	assert_non_null(strstr(err.msg, "more than 256 values"));
	free(text);
	/* More rows than a page holds. */
	text = malloc(16 + 3 * (DV_SCAN_MAX_ROWS + 1));
	n = (size_t)sprintf(text, "{\"value\":[");
	for (long i = 0; i <= DV_SCAN_MAX_ROWS; i++)
		n += (size_t)sprintf(text + n, "%s{}", i ? "," : "");
	n += (size_t)sprintf(text + n, "]}");
	assert_int_equal(scan_pieces(text, n, NULL, 0, &s, sc, &err), EC_NETWORK);
	assert_non_null(strstr(err.msg, "more than 10000 rows"));
	assert_int_equal(s.rows, DV_SCAN_MAX_ROWS);
	free(text);
	/* Nested objects in rows. */
	text = malloc(16 + 10 * (DV_SCAN_MAX_NESTED + 1));
	n = (size_t)sprintf(text, "{\"value\":[");
	for (long i = 0; i <= DV_SCAN_MAX_NESTED; i++)
		n += (size_t)sprintf(text + n, "%s{\"a\":{}}", i ? "," : "");
	n += (size_t)sprintf(text + n, "]}");
	assert_int_equal(scan_pieces(text, n, NULL, 0, &s, sc, &err), EC_NETWORK);
	assert_non_null(strstr(err.msg, "nested objects"));
	free(text);
	dv_scan_free(sc);
}

/* The callback's error stops the scan and is the scan's error. */
static void test_callback_stops(void **state)
{
	seen s;
	ec_error err = {0};
	dv_scan *sc = dv_scan_new(on_row, &s);
	(void)state;
	dv_scan_reset(sc);
	memset(&s, 0, sizeof s);
	s.stop_at = 1;
	assert_int_equal(dv_scan_feed(sc, PAGE, strlen(PAGE), &err), EC_LOCAL);
	assert_string_equal(err.msg, "row 1 refused");
	assert_int_equal(s.rows, 1);
	assert_int_equal(dv_scan_finish(sc, &err), EC_LOCAL);
	assert_false(dv_scan_malformed(sc));
	dv_scan_free(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_split),
	    cmocka_unit_test(test_cut_short),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
