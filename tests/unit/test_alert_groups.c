/* test_alert_groups.c — grouping alerts by cause (core/model/alert_groups.c):
 * counts, distinct mailboxes, profile alerts left out of the mailboxes,
 * errors first and an order that does not depend on the alerts' order, the
 * severity filter, unexplained texts grouped with their names, addresses,
 * numbers, GUIDs and times masked (100,000 mailboxes' alerts of one
 * unexplained kind are one group), and 100,000 distinct texts grouped in
 * linear time (the console's grouping was quadratic in the number of
 * groups). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/model/alert_groups.h"
#include "core/model/options.h"

static ec_alert make_alert(const char *text, const char *regarding, int level, bool profile)
{
	ec_alert a;
	memset(&a, 0, sizeof a);
	a.text = (char *)text;
	snprintf(a.regarding_id, sizeof a.regarding_id, "%s", regarding);
	a.level = level;
	a.regarding_profile = profile;
	return a;
}

static void groups_by_text(void **state)
{
	ec_alert a[5];
	ec_alert_group *g = NULL;
	int n = 0;
	(void)state;
	a[0] = make_alert("zz unexplained warning", "m1", LEVEL_WARNING, false);
	a[1] = make_alert("zz unexplained warning", "m1", LEVEL_WARNING, false);
	a[2] = make_alert("zz unexplained warning", "m2", LEVEL_WARNING, false);
	a[3] = make_alert("zz unexplained warning", "p1", LEVEL_WARNING, true);
	a[4] = make_alert("zz unexplained error", "m3", LEVEL_ERROR, false);
	alert_groups_build(a, 5, 0, &g, &n);
	assert_int_equal(n, 2);
	assert_string_equal(g[0].title, "zz unexplained error"); /* errors first */
	assert_int_equal(g[0].count, 1);
	assert_string_equal(g[1].title, "zz unexplained warning");
	assert_int_equal(g[1].count, 4);
	assert_int_equal(g[1].nids, 2); /* m1 once, the profile left out */
	assert_string_equal(g[1].ids[0], "m1");
	assert_string_equal(g[1].ids[1], "m2");
	alert_groups_free(g, n);
}

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void masks_what_differs(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"A general mailbox access error occurred. Mailbox Helena Zorko didn't synchronize.",
	     "A general mailbox access error occurred. Mailbox <name> didn't synchronize."},
	    {"Sync failed for the mailbox Izvoz \xe2\x80\x93 \xe8\xbe\x93\xe5\x87\xba while "
	     "sending",
	     "Sync failed for the mailbox <name> while sending"},
	    {"for the mailbox Ana Novak. Next", "for the mailbox <name>. Next"},
	    {"the mailbox Sanja \"Quote\" x", "the mailbox <name> \"<name>\" x"},
	    {"the mailbox user lacks rights", "the mailbox user lacks rights"},
	    {"no user ana.novak@kovinoplast.si here", "no user <email> here"},
	    {"record 5a0e3c71-1b2d-ee11-9cf4-000d3adcebd7 gone", "record <guid> gone"},
	    {"at 2026-12-06T06:24:14Z and 06:24, code 42 or 0x8009",
	     "at <time> and <time>, code <n> or <n>x<n>"},
	    {"(\"a@b.c\")", "(\"<email>\")"},
	    /* names that start in lowercase, end at a connective or go on in capitals */
	    {"Sync stopped for the mailbox info while syncing",
	     "Sync stopped for the mailbox <name> while syncing"},
	    {"The email server profile IMAP mail has too many errors.",
	     "The email server profile <name> has too many errors."},
	    {"More than 50 percent of the mailboxes that use the email server profile IMAP/SMTP "
	     "\xe2\x80\x93 po\xc5\xa1ta failed in the last hour.",
	     "More than <n> percent of the mailboxes that use the email server profile <name> "
	     "failed in the last hour."},
	    {"Queue 'Sales EU' failed to connect to mail.contoso.com:993",
	     "Queue '<name>' failed to connect to <host>"},
	    {"Queue Sales EU failed at 10.0.0.12:143 via https://mail.contoso.com/EWS/x.asmx",
	     "Queue <name> failed at <host> via <url>"},
	    {"the user A. Novak didn't sign in", "the user <name> didn't sign in"},
	    {"The subject \xe2\x80\x9cPonudba 42\xe2\x80\x9d of "
	     "{5a0e3c71-1b2d-ee11-9cf4-000d3adcebd7}",
	     "The subject \xe2\x80\x9c<name>\xe2\x80\x9d of {<guid>}"},
	    {"the mailbox Ana Novak's item didn't sync, version 9.2.22104",
	     "the mailbox <name> item didn't sync, version <n>.<n>.<n>"},
	    /* an apostrophe inside a word opens no quote; one left open masks nothing */
	    {"Ana's 'open quote", "Ana's 'open quote"},
	};
	char out[200];
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		alert_groups_mask_text(cases[i].text, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
	/* a text of 100,000 quotes none closes stays linear (and unmasked): each
	 * looking for its close to the end took minutes */
	{
		enum { Q = 100000 };
		char *many = malloc(3 * Q + 1);
		double t = cpu_seconds();
		for (int i = 0; i < Q; i++)
			memcpy(many + 3 * i, "'x ", 3);
		many[3 * Q] = '\0';
		alert_groups_mask_text(many, out, sizeof out);
		t = cpu_seconds() - t;
		assert_int_equal(strlen(out), sizeof out - 1);
		assert_memory_equal(out, "'x 'x ", 6);
		if (t > 3.0)
			fail_msg("masking %d unclosed quotes took %.2f s of CPU", Q, t);
		free(many);
	}
	alert_groups_mask_text("the mailbox Ana Novak", out, 12); /* bounded */
	assert_string_equal(out, "the mailbox");
	alert_groups_mask_text("zz \xc5\xbe\xc5\xbe", out, 7); /* not half of a ž */
	assert_string_equal(out, "zz \xc5\xbe");
	alert_groups_mask_text("zz \xc5\xbe", out, 5);
	assert_string_equal(out, "zz ");
}

/* An unexplained kind of alert on 100,000 mailboxes is one group, its
 * title the masked text, its cause "other". */
static void unexplained_names_one_group(void **state)
{
	enum { N = 100000 };
	ec_alert *a = calloc(N, sizeof *a);
	char(*texts)[120] = calloc(N, sizeof *texts);
	char(*ids)[EC_ID_SIZE] = calloc(N, sizeof *ids);
	ec_alert_group *g = NULL;
	int n = 0;
	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(texts[i], sizeof texts[i],
		         "Zz odd failure for the mailbox Ime%c%c Priimek%c while polling %d items.",
		         'A' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26, i);
		snprintf(ids[i], sizeof ids[i], "m%d", i);
		a[i] = make_alert(texts[i], ids[i], LEVEL_WARNING, false);
	}
	alert_groups_build(a, N, 0, &g, &n);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].count, N);
	assert_int_equal(g[0].nids, N);
	assert_null(g[0].cause);
	assert_string_equal(alert_groups_slug(&g[0]), "other");
	assert_string_equal(g[0].title,
	                    "Zz odd failure for the mailbox <name> while polling <n> items.");
	alert_groups_free(g, n);
	free(ids);
	free(texts);
	free(a);
}

static void explained_by_cause_and_level(void **state)
{
	ec_alert a[6];
	ec_alert_group *g = NULL;
	int n = 0;
	(void)state;
	a[0] = make_alert("Email cannot be received because the email address of the mailbox Ana "
	                  "requires an approval by an Office 365 administrator.",
	                  "m1", LEVEL_ERROR, false);
	a[1] = make_alert("Email cannot be sent because the email address of the mailbox Rok "
	                  "requires an approval by an Office 365 administrator.",
	                  "m2", LEVEL_ERROR, false);
	a[2] = make_alert("Your mailbox is now connected to Dynamics 365. The mailbox Ana was "
	                  "tested and enabled for incoming email.",
	                  "m1", LEVEL_INFORMATION, false);
	a[3] = make_alert("Your mailbox is now connected to Dynamics 365. The mailbox Rok was "
	                  "tested and enabled for outgoing email.",
	                  "m2", LEVEL_INFORMATION, false);
	a[4] = make_alert("zz one warning", "m3", LEVEL_WARNING, false);
	a[5] = make_alert("zz two warning", "m3", LEVEL_WARNING, false);
	alert_groups_build(a, 6, 0, &g, &n);
	assert_int_equal(n, 4);
	assert_string_equal(alert_groups_slug(&g[0]), "approval");
	assert_int_equal(g[0].count, 2);
	assert_int_equal(g[0].nids, 2);
	/* warnings of one mailbox each: by key, "other:zz one" before "other:zz two" */
	assert_string_equal(g[1].title, "zz one warning");
	assert_string_equal(g[2].title, "zz two warning");
	assert_string_equal(alert_groups_slug(&g[3]), "test-enabled");
	assert_int_equal(g[3].level, LEVEL_INFORMATION);
	alert_groups_free(g, n);

	alert_groups_build(a, 6, LEVEL_INFORMATION, &g, &n);
	assert_int_equal(n, 1);
	assert_string_equal(alert_groups_slug(&g[0]), "test-enabled");
	assert_int_equal(g[0].count, 2);
	alert_groups_free(g, n);
}

/* The same alerts in another order give the same groups in the same order
 * (the console and `alerts --summary` read them in one order, but a sync
 * in between may reorder equal times). */
static void order_independent(void **state)
{
	ec_alert a[4], b[4];
	ec_alert_group *g = NULL, *h = NULL;
	int n = 0, m = 0;
	(void)state;
	a[0] = make_alert("zz alpha", "m1", LEVEL_WARNING, false);
	a[1] = make_alert("zz beta", "m2", LEVEL_WARNING, false);
	a[2] = make_alert("zz gamma", "m3", LEVEL_WARNING, false);
	a[3] = make_alert("zz delta", "m4", LEVEL_WARNING, false);
	for (int i = 0; i < 4; i++)
		b[i] = a[3 - i];
	alert_groups_build(a, 4, 0, &g, &n);
	alert_groups_build(b, 4, 0, &h, &m);
	assert_int_equal(n, m);
	for (int i = 0; i < n; i++)
		assert_string_equal(g[i].key, h[i].key);
	alert_groups_free(g, n);
	alert_groups_free(h, m);
}

/* A search of the groups per alert takes minutes here (5e9 comparisons);
 * the hash table takes well under a second, under the sanitizers too. */
static void many_distinct_texts_linear(void **state)
{
	enum { N = 100000 };
	ec_alert *a = calloc(N, sizeof *a);
	char(*texts)[40] = calloc(N, sizeof *texts);
	ec_alert_group *g = NULL;
	int n = 0;
	double t;
	(void)state;
	for (int i = 0; i < N; i++) {
		/* distinct after masking: the number spelled in letters */
		snprintf(texts[i], sizeof texts[i], "zz distinct text %c%c%c%c", 'a' + i % 26,
		         'a' + i / 26 % 26, 'a' + i / 676 % 26, 'a' + i / 17576 % 26);
		a[i] = make_alert(texts[i], "m1", LEVEL_WARNING, false);
	}
	t = cpu_seconds();
	alert_groups_build(a, N, 0, &g, &n);
	t = cpu_seconds() - t;
	assert_int_equal(n, N);
	if (t > 3.0)
		fail_msg("grouping %d distinct texts took %.2f s of CPU", N, t);
	alert_groups_free(g, n);
	free(texts);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(groups_by_text),
	    cmocka_unit_test(many_distinct_texts_linear),
	    cmocka_unit_test(masks_what_differs),
	    cmocka_unit_test(unexplained_names_one_group),
	    cmocka_unit_test(explained_by_cause_and_level),
	    cmocka_unit_test(order_independent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
