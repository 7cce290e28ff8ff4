/* test_testjob_poll.c — the arithmetic of Test & Enable's batched polling
 * (core/jobs/testjob_poll.c): how many ids a request holds and how far
 * apart rounds must be to stay within the service-protection limits. The
 * requests themselves are tested against the emulator
 * (tests/integration/test_bulk_poll.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/jobs/testjob_poll.h"

/* A clause and its joiner: "mailboxid eq " (13) + a GUID (36) + " or " (4)
 * = 53; 8,000 characters and the last clause's missing joiner hold
 * (8000 + 4) / 53 = 151 ids. */
static void requests_per_round(void **state)
{
	(void)state;
	assert_int_equal(testpoll_requests_for(0), 0);
	assert_int_equal(testpoll_requests_for(1), 1);
	assert_int_equal(testpoll_requests_for(151), 1);
	assert_int_equal(testpoll_requests_for(152), 2);
	/* The 18,889 tagged mailboxes: 125 full pages and one of 14. */
	assert_int_equal(testpoll_requests_for(18889), 126);
}

/* 2,000 requests in 300 s: a request every 150 ms at most. */
static void pace_within_the_limits(void **state)
{
	(void)state;
	assert_int_equal(testpoll_pace_ms(0), 0);
	assert_int_equal(testpoll_pace_ms(1), 150);
	assert_int_equal(testpoll_pace_ms(126), 18900);
	/* A whole window's budget spread over the window. */
	assert_int_equal(testpoll_pace_ms(2000), 300000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(requests_per_round),
	    cmocka_unit_test(pace_within_the_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
