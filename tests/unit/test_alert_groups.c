/* test_alert_groups.c — grouping alerts by cause (core/model/alert_groups.c):
 * counts, distinct mailboxes, profile alerts left out of the mailboxes,
 * errors first, and 100,000 distinct texts grouped in linear time (the
 * console's grouping was quadratic in the number of groups). */
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
	alert_groups_build(a, 5, &g, &n);
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
		snprintf(texts[i], sizeof texts[i], "zz distinct text %d", i);
		a[i] = make_alert(texts[i], "m1", LEVEL_WARNING, false);
	}
	t = cpu_seconds();
	alert_groups_build(a, N, &g, &n);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
