/* test_trend.c — sparkline levels (core/model/trend.c): zero is the floor,
 * the largest count the top, one failing mailbox is visible, levels are
 * linear between; the glyphs in UTF-8 and ASCII, and a short buffer cut at
 * a whole glyph. Expected levels are 1 + round(6 * count / max). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/model/trend.h"

static void levels_of(const long *v, int n, const unsigned char *want)
{
	unsigned char got[16];
	trend_levels(v, n, got);
	for (int i = 0; i < n; i++)
		assert_int_equal(want[i], got[i]);
}

static void test_levels(void **state)
{
	(void)state;
	levels_of((const long[]){0, 0, 0}, 3, (const unsigned char[]){0, 0, 0});
	/* 1 of 100 is level 1, not 0: one failing mailbox shows. */
	levels_of((const long[]){0, 1, 50, 100}, 4, (const unsigned char[]){0, 1, 4, 7});
	/* Zero-based: 40 -> 41 is flat at the top. */
	levels_of((const long[]){40, 41}, 2, (const unsigned char[]){7, 7});
	/* 1..7 of 7: 1+round(6/7)=2, 1+round(12/7)=3, ... */
	levels_of((const long[]){1, 2, 3, 4, 5, 6, 7}, 7,
	          (const unsigned char[]){2, 3, 4, 4, 5, 6, 7});
	levels_of((const long[]){-1, 5}, 2, (const unsigned char[]){0, 7});
}

static void test_sparkline(void **state)
{
	char buf[64];
	(void)state;
	trend_sparkline((const long[]){0, 1, 50, 100}, 4, 0, buf, sizeof buf);
	assert_string_equal("▁▂▅█", buf);
	trend_sparkline((const long[]){0, 1, 50, 100}, 4, 1, buf, sizeof buf);
	assert_string_equal("_.=#", buf);
	/* 7 bytes hold two 3-byte glyphs and the NUL, not a third's half. */
	trend_sparkline((const long[]){0, 1, 50, 100}, 4, 0, buf, 7);
	assert_string_equal("▁▂", buf);
	trend_sparkline(NULL, 0, 0, buf, sizeof buf);
	assert_string_equal("", buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_levels),
	    cmocka_unit_test(test_sparkline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
