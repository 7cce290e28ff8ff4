/* test_timefmt.c — the cache's UTC times read back and shown
 * (core/base/timefmt.c): parsing with and without Z or a fraction, refusing
 * what is not a time, local time (the full, short and clock forms) under a
 * fixed TZ with and without summer time (POSIX zone strings, so no time
 * zone database is needed), and ages in their two largest units. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/base/timefmt.h"

static void test_parse(void **state)
{
	time_t t;
	(void)state;
	assert_true(timefmt_parse_utc("1970-01-02T00:00:01Z", &t));
	assert_int_equal(86401, (long)t);
	assert_true(timefmt_parse_utc("2024-03-01T09:00:00.123Z", &t));
	assert_int_equal(1709283600, (long)t); /* date -u -d 2024-03-01T09:00:00 +%s */
	assert_true(timefmt_parse_utc("2024-03-01 09:00:00", &t));
	assert_int_equal(1709283600, (long)t);
	assert_false(timefmt_parse_utc("2024-03-01", &t));
	assert_false(timefmt_parse_utc("2024-13-01T09:00:00Z", &t));
	assert_false(timefmt_parse_utc("yesterday", &t));
	assert_false(timefmt_parse_utc(NULL, &t));
}

static void test_local(void **state)
{
	char buf[40];
	(void)state;
	setenv("TZ", "CET-1", 1); /* one hour east of UTC, no summer time */
	tzset();
	timefmt_local("2024-03-01T09:00:00Z", false, buf, sizeof buf);
	assert_string_equal("2024-03-01 10:00:00", buf);
	timefmt_local("2024-12-31T23:30:00Z", true, buf, sizeof buf);
	assert_string_equal("01-01 00:30", buf);
	timefmt_local("not a time", false, buf, sizeof buf);
	assert_string_equal("not a time", buf);
	timefmt_local(NULL, false, buf, sizeof buf);
	assert_string_equal("", buf);
	timefmt_local_clock("2024-12-31T23:30:00Z", buf, sizeof buf);
	assert_string_equal("00:30:00", buf);
	timefmt_local_clock("never", buf, sizeof buf);
	assert_string_equal("never", buf);
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1); /* New York's rules: summer time */
	tzset();
	timefmt_local("2026-07-01T10:00:00Z", false, buf, sizeof buf);
	assert_string_equal("2026-07-01 06:00:00", buf);
	timefmt_local("2026-12-01T10:00:00Z", false, buf, sizeof buf);
	assert_string_equal("2026-12-01 05:00:00", buf);
}

static void test_age(void **state)
{
	static const struct {
		long long secs;
		const char *want;
	} cases[] = {
	    {-5, "0s"},
	    {0, "0s"},
	    {45, "45s"},
	    {60, "1m"},
	    {125, "2m 5s"},
	    {3600, "1h"},
	    {3600 * 3 + 1200, "3h 20m"},
	    {86400 * 2 + 3600 * 5 + 59, "2d 5h"},
	    {86400 * 7 * 6 + 86400 * 2, "6w 2d"},
	};
	char buf[20];
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		timefmt_age(cases[i].secs, buf, sizeof buf);
		assert_string_equal(cases[i].want, buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_local),
	    cmocka_unit_test(test_age),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
