/* test_dv_row.c — the row view (core/codec/dv_view.c, dv_row.c) against
 * json-c: hand-written rows, hostile ones among them, each read as a view
 * and as a json-c object, must give the codec the same mailbox, profile,
 * organization and tracelog (or the same error), and the version listing
 * the same version and modifiedon. Rows a view must read (escapes, pairs,
 * nulls, numbers at the int64 edge, wrong types) are checked to go as views;
 * rows only json-c reads (invalid UTF-8, duplicate keys, nested values,
 * fractions, ...) to be refused, so that json-c reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/codec.h"
#include "core/codec/dv_row.h"
#include "core/sync/sync_versions.h"

/* Everything the codec and the version listing say of a row, as text. */
static void said(const dv_row *row, char *out, size_t size)
{
	size_t n = 0;
	ec_error why = {0};
	ec_mailbox m;
	ec_profile p;
	ec_settings st;
	ec_alert a;
	struct cache_listed l = {0};
	json_object *cli;
#define SAY(...) (n += (size_t)snprintf(out + n, n < size ? size - n : 0, __VA_ARGS__))
	if (codec_mailbox_from_row(row, &m, &why) == EC_OK) {
		cli = codec_mailbox_to_cli(&m);
		SAY("mailbox %s v%lld o%d u[%s]\n", json_object_to_json_string(cli), m.version,
		    m.owner_type, m.unreadable ? m.unreadable : "");
		json_object_put(cli);
		mailbox_free(&m);
	} else {
		SAY("mailbox error %s\n", why.msg);
	}
	if (codec_profile_from_row(row, &p, &why) == EC_OK) {
		cli = codec_profile_to_cli(&p);
		SAY("profile %s v%lld u[%s]\n", json_object_to_json_string(cli), p.version,
		    p.unreadable ? p.unreadable : "");
		json_object_put(cli);
		profile_free(&p);
	} else {
		SAY("profile error %s\n", why.msg);
	}
	if (codec_settings_from_row(row, &st, &why) == EC_OK) {
		cli = codec_settings_to_cli(&st);
		SAY("settings %s v%lld u[%s]\n", json_object_to_json_string(cli), st.version,
		    st.unreadable ? st.unreadable : "");
		json_object_put(cli);
		settings_free(&st);
	} else {
		SAY("settings error %s\n", why.msg);
	}
	if (codec_alert_from_row(row, &a, &why) == EC_OK) {
		cli = codec_alert_to_cli(&a);
		SAY("alert %s u[%s]\n", json_object_to_json_string(cli),
		    a.unreadable ? a.unreadable : "");
		json_object_put(cli);
		alert_free(&a);
	} else {
		SAY("alert error %s\n", why.msg);
	}
	sync_versions_read_row(row, &l);
	SAY("listed %lld %s\n", (long long)l.version, l.modified_on);
#undef SAY
}

static dv_view view;

/* Reads text both ways; returns whether a view read it. */
static bool compare(const char *text)
{
	char a[8192], b[8192];
	dv_row j = {NULL, NULL}, v = {NULL, &view};
	bool lean = dv_view_parse(&view, text, strlen(text));
	j.obj = json_tokener_parse(text);
	if (!lean) {
		json_object_put(j.obj);
		return false;
	}
	assert_non_null(j.obj); /* a view never reads what json-c refuses */
	said(&v, a, sizeof a);
	said(&j, b, sizeof b);
	if (strcmp(a, b) != 0)
		fail_msg("%s\nview:\n%s\njson-c:\n%s", text, a, b);
	json_object_put(j.obj);
	return true;
}

#define ID  "\"mailboxid\":\"0017673C-3F48-4C4E-8270-B5EDE7916DF4\""
#define REG "\"_regardingobjectid_value\":\"1516d94a-8144-4388-80c5-b6d4fdbafc82\""

/* Rows a view reads: each must give what json-c gives. */
static const char *const lean_rows[] = {
    "{}",
    " {\t" ID " ,\r\n\"name\" : \"Ana\" } ",
    "{\"@odata.etag\":\"W/\\\"4814122\\\"\"," ID ",\"name\":\"Ur\xc5\xa1ka Kolar\","
    "\"emailaddress\":\"urska@kovinoplast.si\"," REG ","
    "\"_regardingobjectid_value@OData.Community.Display.V1.FormattedValue\":\"Ur\xc5\xa1ka\","
    "\"_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname\":\"systemuser\","
    "\"_emailserverprofile_value\":\"173fa69d-de9d-4d9f-b46e-2041af7af5d5\","
    "\"_emailserverprofile_value@OData.Community.Display.V1.FormattedValue\":\"Exchange\","
    "\"incomingemaildeliverymethod\":2,\"outgoingemaildeliverymethod\":2,"
    "\"actdeliverymethod\":1,\"incomingemailstatus\":1,\"enabledforact\":true,"
    "\"enabledforincomingemail\":false,\"testemailconfigurationretrycount\":3,"
    "\"isforwardmailbox\":false,\"statecode\":0,\"modifiedon\":\"2024-03-01T09:00:00Z\","
    "\"versionnumber\":4814122}",
    /* escapes, decoded as json-c decodes them */
    "{" ID ",\"name\":\"A\\u00e9\\\"\\\\\\/\\b\\f\\n\\r\\tB\",\"username\":\"\\u017d\\u4e2d\"}",
    "{" ID ",\"name\":\"\\ud83d\\ude00 smile\",\"username\":\"\\uD83D\\uDE00\"}",
    /* nulls keep the empty value; a null regarding is a forward mailbox */
    "{" ID ",\"name\":null,\"_regardingobjectid_value\":null,\"versionnumber\":null}",
    "{" ID ",\"isforwardmailbox\":true}",
    /* an option newer than this emailcfg is kept and noted */
    "{" ID ",\"incomingemaildeliverymethod\":99,\"level\":77}",
    /* numbers at and past the ranges */
    "{" ID ",\"versionnumber\":9223372036854775807}",
    "{" ID ",\"versionnumber\":-9223372036854775808}",
    "{" ID ",\"incomingemaildeliverymethod\":2147483648}",
    "{" ID ",\"incomingemaildeliverymethod\":-2147483649}",
    "{" ID ",\"testemailconfigurationretrycount\":-1}",
    "{" ID ",\"incomingemaildeliverymethod\":-0}",
    /* wrong types */
    "{" ID ",\"name\":5}",
    "{" ID ",\"enabledforact\":\"true\"}",
    "{\"mailboxid\":true}",
    "{" ID ",\"incomingemaildeliverymethod\":\"2\"}",
    "{" ID ",\"incomingemaildeliverymethod\":true}",
    "{" ID ",\"isforwardmailbox\":1}",
    "{\"mailboxid\":\"not-a-guid\"}",
    "{" ID ",\"modifiedon\":\"yesterday\"}",
    "{" ID ",\"modifiedon\":\"0001-01-01T00:00:00Z\"}",
    /* lookups, their annotations and binds */
    "{" ID "," REG ",\"_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname\":"
    "\"queue\"}",
    "{" ID "," REG ",\"_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname\":"
    "\"account\"}",
    "{" ID "," REG ",\"_regardingobjectid_value@Microsoft.Dynamics.CRM."
    "associatednavigationproperty\":\"regardingobjectid_queue\"}",
    "{" ID "," REG ",\"_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname\":5}",
    "{" ID ",\"emailserverprofile@odata.bind\":\"/emailserverprofiles("
    "173fa69d-de9d-4d9f-b46e-2041af7af5d5)\"}",
    "{" ID ",\"emailserverprofile@odata.bind\":\"/elsewhere(1)\"}",
    /* the etag when versionnumber is absent, and versions sent as text */
    "{\"emailserverprofileid\":\"173fa69d-de9d-4d9f-b46e-2041af7af5d5\","
    "\"@odata.etag\":\"W/\\\"77\\\"\",\"incomingportnumber\":993,\"incomingusessl\":true}",
    "{" ID ",\"versionnumber\":\"123abc\",\"modifiedon\":\"2024-03-01T09:00:00Z\"}",
    "{" ID ",\"versionnumber\":\"99999999999999999999\"}",
    "{" ID ",\"versionnumber\":\" -5\"}",
    /* the organization's settings and a tracelog */
    "{\"organizationid\":\"173fa69d-de9d-4d9f-b46e-2041af7af5d5\",\"defaultemailsettings\":"
    "\"<EmailSettings><IncomingEmailDeliveryMethod>2</IncomingEmailDeliveryMethod>"
    "</EmailSettings>\"}",
    "{\"tracelogid\":\"173fa69d-de9d-4d9f-b46e-2041af7af5d5\",\"text\":\"x\\ny\","
    "\"level\":2,\"tracecode\":9223372036854775807,\"tracestatus\":false,"
    "\"createdon\":\"2024-03-01T09:00:00Z\"}",
};

/* Rows a view leaves to json-c. */
static const char *const json_rows[] = {
    "{" ID ",\"name\":\"bad \xff byte\"}",             /* invalid UTF-8: repaired */
    "{" ID ",\"name\":\"over\xc0\xaflong\"}",          /* an overlong form */
    "{" ID ",\"n\xff\":\"x\"}",                        /* a name that is not UTF-8 */
    "{" ID ",\"name\":\"a\",\"name\":\"b\"}",          /* json-c keeps the last */
    "{" ID ",\"name\":\"\\u0000x\"}",                  /* NUL */
    "{" ID ",\"name\":\"\\ud83d\"}",                   /* a lone surrogate */
    "{" ID ",\"name\":\"\\ude00\\ud83d\"}",            /* a reversed pair */
    "{" ID ",\"name\":\"\\ud83dx\"}",                  /* a high one alone */
    "{" ID ",\"na\\u006de\":\"x\"}",                   /* an escaped key */
    "{" ID ",\"name\":\"tab\there\"}",                 /* a raw control byte */
    "{" ID ",\"name\":{\"a\":1}}",                     /* nested */
    "{" ID ",\"name\":[1]}",                           /* nested */
    "{" ID ",\"incomingemaildeliverymethod\":1.5}",    /* a fraction */
    "{" ID ",\"incomingemaildeliverymethod\":1e3}",    /* an exponent */
    "{" ID ",\"versionnumber\":9223372036854775808}",  /* past int64 */
    "{" ID ",\"versionnumber\":-9223372036854775809}", /* past int64 */
    "{" ID ",\"incomingemaildeliverymethod\":01}",     /* a leading zero */
    "{" ID ",}",                                       /* a trailing comma */
    "{" ID ",\"enabledforact\":TRUE}",                 /* json-c's own literal */
    "{" ID ",\"name\":'x'}",                           /* json-c's own string */
    "{" ID "/* c */}",                                 /* a comment */
    "{" ID ",\"name\":\"x\\q\"}",                      /* an unknown escape */
    "{" ID "}x",                                       /* bytes after the row */
    "[1]",                                             /* not an object */
};

static void test_lean_rows_read_as_json_c(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof lean_rows / sizeof *lean_rows; i++)
		if (!compare(lean_rows[i]))
			fail_msg("a view did not read %s", lean_rows[i]);
}

static void test_other_rows_left_to_json_c(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof json_rows / sizeof *json_rows; i++)
		if (compare(json_rows[i]))
			fail_msg("a view read %s", json_rows[i]);
}

/* Past the bounds of a view: left to json-c, never cut. */
static void test_bounds_left_to_json_c(void **state)
{
	char *big = malloc(DV_VIEW_MAX_BYTES + 64);
	size_t n = 0;
	(void)state;
	n += (size_t)sprintf(big + n, "{" ID ",\"name\":\"");
	while (n < DV_VIEW_MAX_BYTES)
		big[n++] = 'a';
	n += (size_t)sprintf(big + n, "\"}");
	assert_false(dv_view_parse(&view, big, n));
	n = (size_t)sprintf(big, "{" ID);
	for (int i = 1; i < DV_VIEW_MAX_MEMBERS; i++)
		n += (size_t)sprintf(big + n, ",\"k%d\":%d", i, i);
	sprintf(big + n, "}");
	assert_true(compare(big)); /* 128 members */
	sprintf(big + n, ",\"k\":1}");
	assert_false(compare(big)); /* 129 */
	free(big);
}

/* Every prefix of a row is refused (a view never reads a cut row). */
static void test_cut_rows_refused(void **state)
{
	const char *row = lean_rows[2];
	(void)state;
	for (size_t n = 0; n < strlen(row); n++)
		assert_false(dv_view_parse(&view, row, n));
	assert_true(dv_view_parse(&view, row, strlen(row)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lean_rows_read_as_json_c),
	    cmocka_unit_test(test_other_rows_left_to_json_c),
	    cmocka_unit_test(test_bounds_left_to_json_c),
	    cmocka_unit_test(test_cut_rows_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
