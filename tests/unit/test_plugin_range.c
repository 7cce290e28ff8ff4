/* test_plugin_range.c — every form of the monitoring-plugin threshold range
 * (N, N:, ~:N, N:M, @N:M, durations), what alerts, and invalid input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model/plugin_range.h"

/* A value and whether it alerts against the range. */
typedef struct {
	double value;
	bool alerts;
} probe;

static void check_range(const char *text, bool durations, const char *formatted,
                        const probe *probes, int n)
{
	plugin_range r;
	char buf[96];
	assert_true(plugin_range_parse(text, durations, &r));
	plugin_range_format(&r, buf, sizeof buf);
	assert_string_equal(buf, formatted);
	for (int i = 0; i < n; i++) {
		if (plugin_range_alerts(&r, probes[i].value) != probes[i].alerts)
			fail_msg("%s: %g should %salert", text, probes[i].value,
			         probes[i].alerts ? "" : "not ");
	}
}

#define CHECK(text, dur, fmt, ...)                                                                 \
	do {                                                                                       \
		const probe p[] = {__VA_ARGS__};                                                   \
		check_range(text, dur, fmt, p, (int)(sizeof p / sizeof p[0]));                     \
	} while (0)

static void forms(void **state)
{
	(void)state;
	/* N: outside 0..N, the ends included in the range. */
	CHECK("10", false, "10", {-1, true}, {0, false}, {10, false}, {10.5, true}, {11, true});
	/* N: below N. */
	CHECK("10:", false, "10:", {9, true}, {10, false}, {1e9, false});
	/* ~:N: above N. */
	CHECK("~:10", false, "~:10", {-1e9, false}, {10, false}, {11, true});
	/* N:M: outside N..M. */
	CHECK("10:20", false, "10:20", {9, true}, {10, false}, {15, false}, {20, false},
	      {21, true});
	/* @N:M: inside N..M. */
	CHECK("@10:20", false, "@10:20", {9, false}, {10, true}, {20, true}, {21, false});
	CHECK("@10", false, "@0:10", {0, true}, {11, false});
	CHECK("@~:5", false, "@~:5", {-3, true}, {6, false});
	/* An empty start is 0; negative and decimal numbers. */
	CHECK(":10", false, "10", {-1, true}, {5, false});
	CHECK("-5:-1", false, "-5:-1", {-6, true}, {-3, false}, {0, true});
	CHECK("0.5", false, "0.5", {0.25, false}, {0.75, true});
	CHECK("0", false, "0", {0, false}, {1, true});
}

static void durations(void **state)
{
	(void)state;
	CHECK("15m", true, "900", {899, false}, {900, false}, {901, true});
	CHECK("1h:2h", true, "3600:7200", {3599, true}, {3600, false}, {7201, true});
	CHECK("~:2d", true, "~:172800", {172801, true});
	CHECK("90s", true, "90", {91, true});
	CHECK("300", true, "300", {301, true});
	CHECK("@1m:", true, "@60:", {59, false}, {60, true});
}

static void invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {"",    "@",    ":",   "abc",  "10:5",   "1 0",  " 10",
	                                  "10 ", "~",    "~10", "10:~", "1:2:3",  "@@1",  "nan",
	                                  "inf", "0x10", "10m", "--1",  "10:abc", "1e999"};
	plugin_range r = {.start = 42};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (plugin_range_parse(bad[i], false, &r))
			fail_msg("'%s' parsed as a range", bad[i]);
	assert_true(r.start == 42); /* untouched */
	assert_false(plugin_range_parse(NULL, false, &r));
	/* Suffixes only for durations; a suffix alone or unknown is no number. */
	assert_false(plugin_range_parse("m", true, &r));
	assert_false(plugin_range_parse("5w", true, &r));
	assert_false(plugin_range_parse("5mm", true, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(forms),
	    cmocka_unit_test(durations),
	    cmocka_unit_test(invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
