/* test_scrub.c — hiding echoed secrets: every occurrence, in each form a
 * server may quote it (as posted, plain, JSON-escaped), only secret form
 * fields, and text without secrets left alone; a token endpoint's error
 * quoting a secret through a JSON \u escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/client/auth.h"
#include "core/client/scrub.h"

static void hides(const char *text, const char *const *secrets, const char *want)
{
	char *out = scrub_secrets(text, secrets);
	assert_string_equal(out, want);
	free(out);
}

static void every_form_of_a_secret(void **state)
{
	const char *const s[] = {"a/b+c=", NULL};
	(void)state;
	hides("x a/b+c= y a/b+c=", s, "x [hidden] y [hidden]");
	hides("posted a%2Fb%2Bc%3D", s, "posted [hidden]");
	hides("json a\\/b+c=", s, "json [hidden]");
	hides("nothing here", s, "nothing here");
	hides("", s, "");
}

static void empty_secrets_are_skipped(void **state)
{
	const char *const s[] = {"", NULL};
	(void)state;
	hides("text stays", s, "text stays");
	hides("text stays", NULL, "text stays");
}

static void only_the_secret_fields_of_a_form(void **state)
{
	const char *form = "grant_type=refresh_token&client_id=app-1&refresh_token=0.AR%2Fx%2By"
	                   "&client_secret=s3cr3t&device_code=DC-9&scope=https%3A%2F%2Forg";
	char *out = scrub_form_secrets("echo: grant_type=refresh_token&client_id=app-1"
	                               "&refresh_token=0.AR%2Fx%2By 0.AR/x+y s3cr3t DC-9 "
	                               "https://org",
	                               form);
	(void)state;
	assert_string_equal(out, "echo: grant_type=refresh_token&client_id=app-1"
	                         "&refresh_token=[hidden] [hidden] [hidden] [hidden] https://org");
	free(out);
	out = scrub_form_secrets("no form", NULL);
	assert_string_equal(out, "no form");
	free(out);
}

/* A token endpoint's answer quoting the form, the refresh token's first
 * character written as a JSON \u escape: hidden all the same. (An escape
 * ending in the secret's first character would be cut by the first pass
 * and the answer read as having no details: nothing shown either.) */
static void a_token_error_quoting_an_escaped_secret(void **state)
{
	char body[] = "{\"error\":\"invalid_request\",\"error_description\":"
	              "\"AADSTS90023: Unsupported request: refresh_token=\\u005A9.ARsecret-77\"}";
	ec_http_response r = {.status = 400, .body = body, .len = sizeof body - 1};
	ec_error err = {0};
	(void)state;
	assert_int_equal(
	    auth_token_error(&r, "grant_type=refresh_token&refresh_token=Z9.ARsecret-77", &err),
	    EC_NETWORK);
	assert_non_null(strstr(err.msg, "AADSTS90023"));
	assert_non_null(strstr(err.msg, "refresh_token=[hidden]"));
	assert_null(strstr(err.msg, "ARsecret"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_form_of_a_secret),
	    cmocka_unit_test(empty_secrets_are_skipped),
	    cmocka_unit_test(only_the_secret_fields_of_a_form),
	    cmocka_unit_test(a_token_error_quoting_an_escaped_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
