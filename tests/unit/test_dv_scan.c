/* test_dv_scan.c — the page scanner (core/codec/dv_scan.c): the same rows and
 * members whatever the pieces the bytes arrive in (split at every byte
 * boundary, and byte by byte), a page read again from its start, and each
 * bound refused with a sentence saying what was refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* A row as json-c would have made it: a view's members, in order, as
 * dv_row_get() reads them. */
static json_object *row_json(const dv_row *row)
{
	json_object *o;
	if (!row->view)
		return json_object_get(row->obj);
	o = json_object_new_object();
	for (int i = 0; i < row->view->n; i++) {
		const dv_member *m = &row->view->m[i];
		char key[256];
		dv_value v;
		json_object *j = NULL;
		snprintf(key, sizeof key, "%.*s", (int)m->keylen, m->key);
		assert_true(dv_row_get(row, key, &v));
		if (v.type == json_type_string)
			j = json_object_new_string_len(v.str, (int)v.len);
		else if (v.type == json_type_int)
			j = json_object_new_int64(v.num);
		else if (v.type == json_type_boolean)
			j = json_object_new_boolean(v.flag);
		json_object_object_add(o, key, j);
	}
	return o;
}

static int on_row(void *ctx, const dv_row *row, long index, ec_error *err)
{
	seen *s = ctx;
	json_object *obj = row_json(row);
	const char *t = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(index, s->rows);
	if (s->stop_at == index) {
		json_object_put(obj);
		return ec_fail(err, EC_LOCAL, "row %ld refused", index);
	}
	if (s->len + strlen(t) + 2 < sizeof s->text) /* the bound tests send thousands */
		s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, "%s\n", t);
	json_object_put(obj);
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

/* The caller reads no member named "x@y" (an annotation), but "@odata.etag". */
static bool keep_columns(void *ctx, const char *key, size_t len)
{
	(void)ctx;
	return !memchr(key, '@', len) || key[0] == '@';
}

static const char KEEP_PAGE[] =
    "{\"value\":[{\"a@F\":\"x\",\"id\":\"1\",\"b@F\":\"y\",\"n\":2,\"c@F\":\"z\"},"
    "{\"a@F\":\"x\"},{ \"a@F\" : \"x\" , \"k\":1,},{\"@odata.etag\":\"W/1\",\"a@F\":\"x\"},"
    "{\"a@F\":\"\\u00e9\",\"b@F\":\"\xc3\xa9\",\"c@F\":5,\"d@F\":\"x\ty\",\"e@F\":\"\xff\","
    "\"f\\u0040F\":\"x\",\"g@F\":{\"h\":\"x\"},\"i@F\":null,"
    "\"j@F\":\"0123456789abc\x01"
    "def\",\"k@F\":\"0123456789\x7f"
    "abcdefgh\","
    "\"l@F\":\"0123456789\xc3\xa9"
    "abcdefgh\",\"m@F\":\"01234567\\\\x\",\"n@F\":\"0123456\x1f\"}]}";

/* Members the caller does not read are left out before json-c parses the
 * row, only when plain: anything json-c could refuse, repair or decode
 * (escapes, non-ASCII, control bytes, other types) reaches it as sent. */
static void test_members_left_out(void **state)
{
	seen whole, part, plain;
	ec_error err = {0};
	size_t n = strlen(KEEP_PAGE);
	dv_scan *sc = dv_scan_new(on_row, &whole);
	(void)state;
	dv_scan_set_keep(sc, keep_columns, NULL);
	assert_int_equal(scan_pieces(KEEP_PAGE, n, NULL, 0, &whole, sc, &err), EC_OK);
	assert_int_equal(whole.rows, 5);
	/* The fifth row loses nothing: the same as read with every member. */
	dv_scan_free(sc);
	sc = dv_scan_new(on_row, &plain);
	assert_int_equal(scan_pieces(KEEP_PAGE, n, NULL, 0, &plain, sc, &err), EC_OK);
	{
		char want[4096];
		const char *fifth = strrchr(plain.text, '{') ? plain.text : "";
		for (int i = 0; i < 4; i++)
			fifth = strchr(fifth, '\n') + 1;
		snprintf(want, sizeof want,
		         "{\"id\":\"1\",\"n\":2}\n{}\n{\"k\":1}\n"
		         "{\"@odata.etag\":\"W\\/1\"}\n%s",
		         fifth);
		assert_string_equal(whole.text, want);
	}
	dv_scan_free(sc);
	sc = dv_scan_new(on_row, &part);
	dv_scan_set_keep(sc, keep_columns, NULL);
	for (size_t cut = 1; cut < n; cut++) {
		assert_int_equal(scan_pieces(KEEP_PAGE, n, &cut, 1, &part, sc, &err), EC_OK);
		assert_string_equal(part.text, whole.text);
	}
	dv_scan_free(sc);
}

/* A row malformed with its members is malformed without them. */
static void test_left_out_stays_malformed(void **state)
{
	static const char *const pages[] = {
	    "{\"value\":[{\"a@F\":\"x\",,\"k\":1}]}", "{\"value\":[{\"a@F\":\"x\" \"y\",\"k\":1}]}",
	    "{\"value\":[{,\"a@F\":\"x\"}]}", "{\"value\":[{\"a@F\":\"x\":\"y\"}]}",
	    "{\"value\":[{\"a@F\"\"x\"}]}"};
	seen s;
	ec_error err = {0};
	dv_scan *sc = dv_scan_new(on_row, &s);
	(void)state;
	dv_scan_set_keep(sc, keep_columns, NULL);
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		int rc = scan_pieces(pages[i], strlen(pages[i]), NULL, 0, &s, sc, &err);
		if (rc != EC_NETWORK)
			fail_msg("page %zu was read: %s", i, s.text);
		assert_true(dv_scan_malformed(sc));
	}
	dv_scan_free(sc);
}

/* The row bound counts the bytes left out: a row of 200 annotations of
 * 400 bytes each is over 64 KB however little of it is kept. */
static void test_left_out_bounded(void **state)
{
	size_t cap = 120000, len = 0;
	char *page = malloc(cap);
	seen s;
	ec_error err = {0};
	dv_scan *sc = dv_scan_new(on_row, &s);
	(void)state;
	len += (size_t)snprintf(page + len, cap - len, "{\"value\":[{\"id\":\"1\"");
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(page + len, cap - len, ",\"c%d@F\":\"%0400d\"", i, i);
	len += (size_t)snprintf(page + len, cap - len, "}]}");
	dv_scan_set_keep(sc, keep_columns, NULL);
	assert_int_equal(scan_pieces(page, len, NULL, 0, &s, sc, &err), EC_NETWORK);
	assert_non_null(strstr(err.msg, "a row over 64 KB"));
	dv_scan_free(sc);
	free(page);
}

/* A row that waits for the next piece (core/codec/dv_scan.c, row_pending)
 * says what the walk says: a page cut short in it is refused for what the
 * row holds (here too many values), and a row a view refuses is walked
 * from its start, so the rows after it in the same piece arrive too. */
static void test_waiting_rows(void **state)
{
	seen s;
	ec_error err = {0};
	dv_scan *sc = dv_scan_new(on_row, &s);
	char *text = malloc(8192);
	size_t n = (size_t)sprintf(text, "{\"value\":[{\"id\":\"1\"},{");
	size_t cut = n - 1, cuts[1];
	(void)state;
	for (long i = 0; i <= DV_SCAN_MAX_ROW_VALUES; i++)
		n += (size_t)sprintf(text + n, "%s\"k%ld\":1", i ? "," : "", i);
	/* cut short: the page ends in the row */
	cuts[0] = cut + 10;
	assert_int_equal(scan_pieces(text, n, cuts, 1, &s, sc, &err), EC_NETWORK);
	assert_non_null(strstr(err.msg, "more than 256 values"));
	assert_int_equal(s.rows, 1);
	/* a duplicate key: the view refuses it, json-c keeps the last */
	n = (size_t)sprintf(text, "{\"value\":[{\"a\":1,\"a\":2},{\"b\":3}]}");
	cuts[0] = 13;
	assert_int_equal(scan_pieces(text, n, cuts, 1, &s, sc, &err), EC_OK);
	assert_string_equal(s.text, "{\"a\":2}\n{\"b\":3}\n");
	free(text);
	/* a row over 64 KB in pieces of 1000 bytes: it waits up to the bound of
	 * a view, then the walk refuses it */
	text = malloc(DV_SCAN_MAX_ROW_BYTES + 200);
	n = (size_t)sprintf(text, "{\"value\":[{\"name\":\"");
	memset(text + n, 'a', DV_SCAN_MAX_ROW_BYTES);
	n += DV_SCAN_MAX_ROW_BYTES;
	n += (size_t)sprintf(text + n, "\"}]}");
	{
		size_t many[80];
		for (int i = 0; i < 80; i++)
			many[i] = 20 + (size_t)i * 1000;
		assert_int_equal(scan_pieces(text, n, many, 80, &s, sc, &err), EC_NETWORK);
		assert_non_null(strstr(err.msg, "a row over 64 KB"));
	}
	free(text);
	dv_scan_free(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_split),
	    cmocka_unit_test(test_cut_short),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_waiting_rows),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_members_left_out),
	    cmocka_unit_test(test_left_out_stays_malformed),
	    cmocka_unit_test(test_left_out_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
