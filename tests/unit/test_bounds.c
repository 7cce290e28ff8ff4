/* test_bounds.c — the bounds of the network code that need no server: a
 * header value with a control character is refused by http_request() before
 * anything is sent (naming the header, never its value), and a word list of
 * the probes stops growing at PROBE_WORDS_MAX. The bounds against hostile
 * servers are tests/integration/client_bounds.sh and probe_hostile.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/client/http.h"
#include "core/probes/probe_int.h"

/* Port 9 (discard) on loopback: nobody listens, so any attempt to send
 * would fail as "cannot reach", not as a refused header. */
#define NOWHERE "http://127.0.0.1:9/api/data/v9.2/WhoAmI"

static void refused(const char *header)
{
	ec_http_opts o;
	ec_http *h;
	ec_http_response r;
	ec_error err = {0};
	const char *hdrs[] = {"Accept: application/json", header, NULL};

	http_opts_default(&o);
	assert_int_equal(http_open(&o, &h, &err), EC_OK);
	assert_int_equal(http_request(h, "GET", NOWHERE, hdrs, NULL, &r, &err), EC_NETWORK);
	assert_non_null(strstr(err.msg, "refused to send the Authorization header"));
	assert_null(strstr(err.msg, "s3cr3t"));
	assert_int_equal(r.attempts, 0);
	http_response_free(&r);
	http_close(h);
}

static void header_values_with_control_characters_are_refused(void **state)
{
	(void)state;
	refused("Authorization: Bearer s3cr3t\r\nX-Injected: 1");
	refused("Authorization: Bearer s3cr3t\nX-Injected: 1");
	refused("Authorization: Bearer s3cr3t\r");
	refused("Authorization: Bearer s3\x01"
	        "cr3t");
}

static void a_tab_is_not_refused(void **state)
{
	ec_http_opts o;
	ec_http *h;
	ec_http_response r;
	ec_error err = {0};
	const char *hdrs[] = {"Authorization: Bearer\ts3cr3t", NULL};

	(void)state;
	http_opts_default(&o);
	o.max_attempts = 1;
	assert_int_equal(http_open(&o, &h, &err), EC_OK);
	assert_int_equal(http_request(h, "GET", NOWHERE, hdrs, NULL, &r, &err), EC_NETWORK);
	assert_null(strstr(err.msg, "refused to send"));
	http_response_free(&r);
	http_close(h);
}

static void word_lists_stop_growing(void **state)
{
	probe_buf b = {0};
	char word[32];

	(void)state;
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(word, sizeof word, "WORD%d", i);
		probe_buf_add_word(&b, word, (size_t)n);
	}
	assert_true(b.len < PROBE_WORDS_MAX);
	assert_non_null(strstr(b.s, "WORD0 WORD1 "));
	free(probe_buf_take(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(header_values_with_control_characters_are_refused),
	    cmocka_unit_test(a_tab_is_not_refused),
	    cmocka_unit_test(word_lists_stop_growing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
