/* test_filter.c — the filter language compiled to SQL, without a database:
 * the key table, tokenizing (negation, quotes, escapes, key:value), the
 * fragment and its bound parameters for every kind of key, errors for
 * unknown keys and values, hostile input kept out of the SQL text, and sort
 * keys. What the SQL selects is tested against a real cache in
 * test_cache_list.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/model/filter.h"
#include "core/base/utf8.h"

static ec_filter compile_ok(const char *expr)
{
	ec_filter f;
	ec_error err = {0};
	if (filter_compile(expr, &f, &err) != EC_OK)
		fail_msg("filter_compile(%s): %s", expr, err.msg);
	return f;
}

static void compile_fails(const char *expr, const char *needle)
{
	ec_filter f;
	ec_error err = {0};
	assert_int_equal(filter_compile(expr, &f, &err), EC_USAGE);
	assert_int_equal(err.status, EC_USAGE);
	if (!strstr(err.msg, needle))
		fail_msg("error for '%s' is '%s', expected to contain '%s'", expr, err.msg, needle);
	assert_null(f.where);
	assert_int_equal(f.nparams, 0);
	filter_free(&f);
}

/* Counts the ? placeholders of the fragment. */
static int placeholders(const char *sql)
{
	int n = 0;
	for (; *sql; sql++)
		n += *sql == '?';
	return n;
}

static void test_empty_matches_all(void **state)
{
	const char *empties[] = {NULL, "", "   ", "\t \n", "\"\""};
	(void)state;
	for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
		ec_filter f = compile_ok(empties[i]);
		assert_string_equal(f.where, "1");
		assert_int_equal(f.nparams, 0);
		filter_free(&f);
	}
}

static void test_key_table(void **state)
{
	static const char *const filter_list[] = {"name",
	                                          "email",
	                                          "owner",
	                                          "type",
	                                          "incoming",
	                                          "outgoing",
	                                          "act",
	                                          "status",
	                                          "incoming-status",
	                                          "outgoing-status",
	                                          "act-status",
	                                          "approval",
	                                          "error",
	                                          "profile",
	                                          "state",
	                                          "pending",
	                                          "since",
	                                          "changed"};
	static const char *const sort_list[] = {
	    "name",  "email",           "owner",           "type",       "incoming", "outgoing",
	    "act",   "incoming-status", "outgoing-status", "act-status", "approval", "profile",
	    "state", "modified",        "pending",         "since",      "changed"};
	char buf[512];
	(void)state;
	for (size_t i = 0; i < sizeof filter_list / sizeof filter_list[0]; i++) {
		const ec_filter_key *k = filter_find_key(filter_list[i]);
		assert_non_null(k);
		assert_true(k->kind != FILTER_SORT_ONLY);
		assert_non_null(k->help);
	}
	for (size_t i = 0; i < sizeof sort_list / sizeof sort_list[0]; i++) {
		char *sql;
		assert_non_null(filter_find_key(sort_list[i])->sort);
		assert_int_equal(filter_order_by(sort_list[i], &sql, NULL), EC_OK);
		free(sql);
	}
	assert_non_null(filter_find_key("NAME"));
	assert_null(filter_find_key("colour"));
	filter_list_keys(false, buf, sizeof buf);
	assert_string_equal(buf, "name, email, owner, type, incoming, outgoing, act, status, "
	                         "incoming-status, outgoing-status, act-status, approval, "
	                         "error, profile, state, pending, since, changed, cause");
	filter_list_keys(true, buf, sizeof buf);
	assert_string_equal(buf, "name, email, owner, type, incoming, outgoing, act, "
	                         "incoming-status, outgoing-status, act-status, approval, "
	                         "profile, state, modified, pending, since, changed");
}

static void test_bare_word(void **state)
{
	ec_filter f = compile_ok("ANA");
	(void)state;
	assert_int_equal(f.nparams, 3);
	assert_int_equal(placeholders(f.where), 3);
	for (int i = 0; i < 3; i++) {
		assert_true(f.params[i].is_text);
		assert_string_equal(f.params[i].text, "ana");
	}
	assert_non_null(strstr(f.where, "m.name_folded"));
	assert_non_null(strstr(f.where, "m.email_folded"));
	assert_non_null(strstr(f.where, "m.owner_folded"));
	assert_null(strstr(f.where, "NOT"));
	filter_free(&f);

	f = compile_ok("-ŽUŽEK");
	assert_int_equal(strncmp(f.where, "NOT ", 4), 0);
	{
		char *key = utf8_fold("žužek"); /* the same key as the stored column */
		assert_string_equal(f.params[0].text, key);
		free(key);
	}
	filter_free(&f);
}

static void test_quotes(void **state)
{
	ec_filter f = compile_ok("\"Ana Novak\"");
	(void)state;
	assert_int_equal(f.nparams, 3);
	assert_string_equal(f.params[0].text, "ana novak");
	filter_free(&f);

	f = compile_ok("name:\"Ana Novak\" email:x");
	assert_int_equal(f.nparams, 2);
	assert_string_equal(f.params[0].text, "ana novak");
	assert_string_equal(f.params[1].text, "x");
	assert_non_null(strstr(f.where, " AND "));
	filter_free(&f);

	/* A quoted colon is text; an escaped quote is a quote; an open quote
	 * runs to the end. */
	f = compile_ok("\"a:b\" \"say \\\"hi\\\" \\\\o/\" \"open end");
	assert_int_equal(f.nparams, 9);
	assert_string_equal(f.params[0].text, "a:b");
	assert_string_equal(f.params[3].text, "say \"hi\" \\o/");
	assert_string_equal(f.params[6].text, "open end");
	filter_free(&f);

	/* A quoted leading dash is text, not a negation. */
	f = compile_ok("\"-x\"");
	assert_null(strstr(f.where, "NOT"));
	assert_string_equal(f.params[0].text, "-x");
	filter_free(&f);

	f = compile_ok("-\"Ana Novak\"");
	assert_int_equal(strncmp(f.where, "NOT ", 4), 0);
	assert_string_equal(f.params[0].text, "ana novak");
	filter_free(&f);
}

static void test_every_key(void **state)
{
	static const struct {
		const char *expr;
		int nparams;
		long long first_num; /* -1: text */
	} cases[] = {
	    {"name:ana", 1, -1},
	    {"email:@contoso", 1, -1},
	    {"owner:ana", 2, -1},
	    {"type:user", 1, 0},
	    {"type:queue", 1, 1},
	    {"type:forward", 1, 2},
	    {"incoming:server-side-sync", 1, 2},
	    {"incoming:forward-mailbox", 1, 3},
	    {"outgoing:none", 1, 0},
	    {"act:outlook", 1, 0},
	    {"act:none", 1, 2},
	    {"status:failure", 3, 2},
	    {"incoming-status:success", 1, 1},
	    {"outgoing-status:not-run", 1, 0},
	    {"act-status:failure", 1, 2},
	    {"approval:pending", 1, 2},
	    {"approval:rejected", 1, 3},
	    {"profile:exchange", 2, -1},
	    {"state:active", 1, 0},
	    {"state:inactive", 1, 1},
	    {"pending:yes", 0, 0},
	    {"pending:no", 0, 0},
	    {"pending:conflict", 0, 0},
	    {"TYPE:Queue", 1, 1},
	    {"since:>2d", 1, -1},
	    {"since:<90m", 1, -1},
	    {"changed:<1h", 1, -1},
	    {"-changed:>1w", 1, -1},
	    {"cause:approval", 2, -1},
	    {"cause:other", 2, -1},
	    {"-CAUSE:Profile-Wide", 2, -1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ec_filter f = compile_ok(cases[i].expr);
		if (f.nparams != cases[i].nparams)
			fail_msg("%s: %d parameters", cases[i].expr, f.nparams);
		assert_int_equal(placeholders(f.where), f.nparams);
		if (f.nparams && cases[i].first_num >= 0) {
			assert_false(f.params[0].is_text);
			assert_int_equal(f.params[0].num, cases[i].first_num);
		}
		filter_free(&f);
	}
}

static void test_negation(void **state)
{
	ec_filter f = compile_ok("-type:queue -pending:yes approval:pending");
	(void)state;
	assert_int_equal(strncmp(f.where, "NOT (m.owner_type IS ?)", 23), 0);
	assert_non_null(strstr(f.where, "AND NOT (EXISTS"));
	assert_non_null(strstr(f.where, "AND (m.approval IS ?)"));
	filter_free(&f);
	/* A lone dash is a word like any other. */
	f = compile_ok("-");
	assert_int_equal(f.nparams, 3);
	assert_string_equal(f.params[0].text, "-");
	filter_free(&f);
}

static void test_errors(void **state)
{
	(void)state;
	compile_fails("colour:red", "unknown filter key 'colour'; use one of: name, email");
	compile_fails("a:b", "pending");
	compile_fails(":x", "unknown filter key ''");
	compile_fails("modified:2024", "unknown filter key 'modified'");
	compile_fails("type:robot", "unknown value 'robot' for the filter key 'type'; use one "
	                            "of: user, queue, forward");
	compile_fails("status:broken", "not-run, success (ok), failure (FAIL)");
	compile_fails("pending:maybe", "use one of: no, yes, conflict");
	compile_fails("approval:", "the filter key 'approval' needs a value");
	compile_fails("ana -state:", "needs a value");
	compile_fails("since:2d", "takes >DURATION or <DURATION");
	compile_fails("since:>2y", "as in since:>2d");
	compile_fails("changed:<-1h", "not '<-1h'");
	compile_fails("changed:>1h5", "changed:<1h");
	compile_fails("since:>99999999999999999999d", "takes >DURATION");
	compile_fails("cause:aproval", "unknown cause 'aproval' for the filter key 'cause'; use "
	                               "one of: test-enabled, ");
	compile_fails("cause:nope", "profile-wide, router, other");
	compile_fails("cause:", "the filter key 'cause' needs a value");
}

/* since: and changed: bind how far back as an SQLite modifier; > means
 * older than that, < newer. */
static void test_age_keys(void **state)
{
	ec_filter f = compile_ok("since:>2d");
	long long s = 0;
	(void)state;
	assert_string_equal(f.params[0].text, "-172800 seconds");
	assert_non_null(strstr(f.where, " < strftime("));
	filter_free(&f);
	f = compile_ok("changed:<90m");
	assert_string_equal(f.params[0].text, "-5400 seconds");
	assert_non_null(strstr(f.where, " >= strftime("));
	filter_free(&f);
	assert_true(filter_parse_duration("1w", &s));
	assert_int_equal(s, 604800);
	assert_true(filter_parse_duration("45s", &s));
	assert_int_equal(s, 45);
	assert_false(filter_parse_duration("", &s));
	assert_false(filter_parse_duration("h", &s));
	assert_false(filter_parse_duration("1 h", &s));
	assert_false(filter_parse_duration("+1h", &s));
	assert_false(filter_parse_duration("36501d", &s));
}

static void test_too_many_terms(void **state)
{
	char expr[FILTER_MAX_TERMS * 3 + 8] = "";
	ec_filter f;
	(void)state;
	for (int i = 0; i < FILTER_MAX_TERMS; i++)
		strcat(expr, "a ");
	f = compile_ok(expr);
	filter_free(&f);
	strcat(expr, "b");
	compile_fails(expr, "more than");
}

static void test_hostile_text_stays_out_of_sql(void **state)
{
	static const char *const hostile[] = {
	    "'; DROP TABLE mailboxes; --",
	    "\"; DELETE FROM outbox; --",
	    "%",
	    "_",
	    "a%b_c",
	    ";",
	    "' OR '1'='1",
	    "SELECT",
	    "name:'OR'",
	    "owner:\"x') OR 1 --\"",
	    "\xff\xfe\x80",
	    "name:\xc3\x28",
	    "UNION SELECT * FROM meta",
	    "?",
	    "?1",
	    ":x:y",
	    "name:a:b",
	};
	(void)state;
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		ec_error err = {0};
		ec_filter f;
		int status = filter_compile(hostile[i], &f, &err);
		if (status == EC_OK) {
			assert_int_equal(placeholders(f.where), f.nparams);
			assert_null(strstr(f.where, "DROP"));
			assert_null(strstr(f.where, "DELETE"));
			assert_null(strstr(f.where, "'1'"));
			assert_null(strstr(f.where, "UNION"));
			assert_null(strchr(f.where, ';'));
			assert_null(strchr(f.where, '%'));
		} else {
			assert_int_equal(status, EC_USAGE);
		}
		filter_free(&f);
	}
}

static void test_long_term(void **state)
{
	char *expr = malloc(10001 + 6);
	ec_filter f;
	(void)state;
	memcpy(expr, "name:", 5);
	memset(expr + 5, 'Z', 10000);
	expr[10005] = '\0';
	f = compile_ok(expr);
	assert_int_equal(strlen(f.params[0].text), 10000);
	assert_int_equal(f.params[0].text[0], 'z');
	assert_true(strlen(f.where) < 200);
	filter_free(&f);
	free(expr);
}

static void test_sort_keys(void **state)
{
	char *sql;
	ec_error err = {0};
	(void)state;
	assert_int_equal(filter_order_by(NULL, &sql, &err), EC_OK);
	assert_string_equal(sql, "m.name_folded ASC, m.rowid ASC");
	free(sql);
	assert_int_equal(filter_order_by("", &sql, &err), EC_OK);
	assert_string_equal(sql, "m.name_folded ASC, m.rowid ASC");
	free(sql);
	assert_int_equal(filter_order_by("-email", &sql, &err), EC_OK);
	assert_string_equal(sql, "m.email_folded DESC, m.rowid DESC");
	free(sql);
	assert_int_equal(filter_order_by("-modified", &sql, &err), EC_OK);
	assert_string_equal(sql, "m.modified_on DESC, m.rowid DESC");
	free(sql);
	assert_int_equal(filter_order_by("status", &sql, &err), EC_USAGE);
	assert_null(sql);
	assert_non_null(strstr(err.msg, "unknown sort key 'status'"));
	assert_non_null(strstr(err.msg, "modified, pending"));
	assert_int_equal(filter_order_by("'; DROP TABLE x", &sql, &err), EC_USAGE);
	assert_null(sql);
}

/* Two filters compile to the same SQL with the same parameters. */
static void assert_same_filter(const char *a, const char *b)
{
	ec_filter fa = compile_ok(a), fb = compile_ok(b);
	assert_string_equal(fa.where, fb.where);
	assert_int_equal(fa.nparams, fb.nparams);
	for (int i = 0; i < fa.nparams; i++)
		assert_int_equal(fa.params[i].num, fb.params[i].num);
	filter_free(&fa);
	filter_free(&fb);
}

/* What the lists print can be typed back: the CLI's "sss", the console's
 * "SSS", "forward", "ok", "FAIL" select what their slugs select. */
static void test_short_forms(void **state)
{
	ec_filter f;
	(void)state;
	assert_same_filter("incoming:sss", "incoming:server-side-sync");
	assert_same_filter("incoming:SSS", "incoming:server-side-sync");
	assert_same_filter("incoming:forward", "incoming:forward-mailbox");
	assert_same_filter("outgoing:Sss", "outgoing:server-side-sync");
	assert_same_filter("act:sss", "act:server-side-sync");
	assert_same_filter("status:ok", "status:success");
	assert_same_filter("-status:fail", "-status:failure");
	assert_same_filter("act-status:FAIL", "act-status:failure");
	f = compile_ok("act:sss");
	assert_int_equal(f.params[0].num, 1); /* ACT numbers SSS 1, not 2 */
	filter_free(&f);
	/* Only forms that some list prints. */
	compile_fails("incoming:ss", "use one of: none, outlook, server-side-sync (SSS), "
	                             "forward-mailbox (forward)");
	compile_fails("approval:pend", "use one of: empty, approved, pending, rejected");
	compile_fails("type:forward-mailbox", "use one of: user, queue, forward");
}

static void complete_is(const char *word, int nth, int count, const char *want)
{
	char out[128] = "untouched";
	assert_int_equal(filter_complete(word, nth, out, sizeof out), count);
	assert_string_equal(out, want);
}

static void test_complete(void **state)
{
	(void)state;
	complete_is("inc", 0, 2, "incoming:");
	complete_is("inc", 1, 2, "incoming-status:");
	complete_is("inc", 2, 2, "untouched");
	complete_is("-APPR", 0, 1, "-approval:");
	complete_is("incoming:s", 0, 2, "incoming:server-side-sync");
	complete_is("incoming:s", 1, 2, "incoming:SSS");
	complete_is("status:f", 0, 2, "status:failure");
	complete_is("status:f", 1, 2, "status:FAIL");
	complete_is("state:", 1, 2, "state:inactive");
	complete_is("pending:c", 0, 1, "pending:conflict");
	complete_is("name:x", 0, 0, "untouched"); /* text has no values */
	complete_is("modified:", 0, 0, "untouched");
	complete_is("mod", 0, 0, "untouched"); /* sorts, does not filter */
	complete_is("colour:r", 0, 0, "untouched");
	{
		int filtering = 0; /* every key that filters, from the table */
		for (int i = 0; i < filter_key_count; i++)
			filtering += filter_keys[i].kind != FILTER_SORT_ONLY;
		assert_true(filtering >= 15);
		complete_is("", 0, filtering, "name:");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_matches_all),
	    cmocka_unit_test(test_key_table),
	    cmocka_unit_test(test_bare_word),
	    cmocka_unit_test(test_quotes),
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_negation),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_age_keys),
	    cmocka_unit_test(test_too_many_terms),
	    cmocka_unit_test(test_hostile_text_stays_out_of_sql),
	    cmocka_unit_test(test_long_term),
	    cmocka_unit_test(test_sort_keys),
	    cmocka_unit_test(test_short_forms),
	    cmocka_unit_test(test_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
