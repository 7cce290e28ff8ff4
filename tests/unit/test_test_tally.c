/* test_test_tally.c — the stage counts and failure causes the console's
 * Tests header and the CLI's progress line share (core/jobs/test_tally):
 * a mailbox counts in one stage at a time ("server" as waiting, an unknown
 * stage leaves it where it was), the counts line names every stage, causes
 * are counted by text with the most frequent first, and past the bound the
 * rest count as "other causes". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jobs/test_tally.h"

static void test_one_stage_at_a_time(void **state)
{
	test_tally t = {0};
	signed char a = TB_QUEUED, b = TB_QUEUED;
	char line[400];
	(void)state;
	tally_move(&t, &a, "rules");
	tally_move(&t, &b, "rules");
	tally_move(&t, &a, "connectivity");
	tally_move(&t, &a, "server");
	assert_int_equal(t.counts[TB_RULES], 1);
	assert_int_equal(t.counts[TB_CONNECTIVITY], 0);
	assert_int_equal(t.counts[TB_WAITING], 1);
	tally_move(&t, &a, "no such stage");
	assert_int_equal(a, TB_WAITING);
	tally_move(&t, &a, "verdict");
	tally_counts_line(&t, "  ", line, sizeof line);
	assert_string_equal(line,
	                    "rules 1  approval 0  connectivity 0  scheduled 0  waiting 0  done 1");
	tally_clear(&t);
}

static void test_causes_most_frequent_first(void **state)
{
	test_tally t = {0};
	char line[1200];
	(void)state;
	assert_int_equal(tally_causes_line(&t, line, sizeof line), 0);
	assert_string_equal(line, "");
	assert_int_equal(tally_cause_add(&t, "A"), 0);
	assert_int_equal(tally_cause_add(&t, "B\x1b[31m"), 1);
	assert_int_equal(tally_cause_add(&t, "B\x1b[31m"), 1);
	assert_int_equal(tally_cause_add(&t, NULL), 2);
	assert_int_equal(tally_causes_line(&t, line, sizeof line), 1);
	assert_null(strchr(line, '\x1b'));
	assert_true(strncmp(line, "failed: 2 B", 11) == 0);
	assert_non_null(strstr(line, ", 1 A, 1 no cause given"));
	tally_clear(&t);
	assert_int_equal(t.ncauses, 0);
}

static void test_bounded_with_other_causes(void **state)
{
	test_tally t = {0};
	char text[32], line[4000];
	(void)state;
	for (int i = 0; i < TALLY_CAUSES + 5; i++) {
		snprintf(text, sizeof text, "cause %d", i);
		tally_cause_add(&t, text);
	}
	assert_int_equal(t.ncauses, TALLY_CAUSES);
	assert_int_equal(t.causes[TALLY_CAUSES].count, 5);
	tally_causes_line(&t, line, sizeof line);
	assert_true(strncmp(line, "failed: 5 other causes", 22) == 0);
	tally_clear(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_stage_at_a_time),
	    cmocka_unit_test(test_causes_most_frequent_first),
	    cmocka_unit_test(test_bounded_with_other_causes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
