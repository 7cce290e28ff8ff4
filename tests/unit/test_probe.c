/* test_probe.c — the parts of core/probe that need no server: profile ->
 * targets, redaction of what is sent, naming of TLS problems, message
 * templates, word lists, and setup failures reported through probe_run().
 * The probes against real servers are tests/integration/probe_*.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model/options.h"
#include "core/probes/probe_int.h"

static ec_profile mail_profile(int type, const char *in, int in_port, int in_ssl, const char *out,
                               int out_port, int out_ssl)
{
	ec_profile p;

	profile_init(&p);
	p.name = "p";
	p.server_type = type;
	p.incoming_location = (char *)in;
	p.incoming_port = in_port;
	p.incoming_ssl = in_ssl;
	p.outgoing_location = (char *)out;
	p.outgoing_port = out_port;
	p.outgoing_ssl = out_ssl;
	return p;
}

static void imap_smtp_profile_maps_ports_and_tls(void **state)
{
	ec_probe_target t[2];
	ec_profile p = mail_profile(SERVER_IMAP_SMTP, "imap.example.si", EC_NULL, 1,
	                            "smtp.example.si:587", EC_NULL, 1);
	(void)state;
	assert_int_equal(probe_targets_for_profile(&p, "ana", "pw", t, NULL), EC_OK);
	assert_int_equal(t[0].proto, PROBE_IMAP);
	assert_string_equal(t[0].host, "imap.example.si");
	assert_int_equal(t[0].port, 993);
	assert_int_equal(t[0].tls, PROBE_TLS_IMPLICIT);
	assert_int_equal(t[1].proto, PROBE_SMTP);
	assert_string_equal(t[1].host, "smtp.example.si");
	assert_int_equal(t[1].port, 587);
	assert_int_equal(t[1].tls, PROBE_TLS_STARTTLS); /* ssl on a non-TLS port */
	assert_string_equal(t[1].username, "ana");
	assert_string_equal(t[1].password, "pw");
}

static void pop3_profile_without_ssl_uses_starttls_if_offered(void **state)
{
	ec_probe_target t[2];
	ec_profile p = mail_profile(SERVER_POP3_SMTP, "pop3://pop.example.si:1110/", EC_NULL, 0,
	                            "[2001:db8::1]:2525", 25, 0);
	(void)state;
	assert_int_equal(probe_targets_for_profile(&p, NULL, NULL, t, NULL), EC_OK);
	assert_int_equal(t[0].proto, PROBE_POP3);
	assert_string_equal(t[0].host, "pop.example.si");
	assert_int_equal(t[0].port, 1110);
	assert_int_equal(t[0].tls, PROBE_TLS_STARTTLS_IF_OFFERED);
	assert_string_equal(t[1].host, "2001:db8::1");
	assert_int_equal(t[1].port, 25); /* the profile's port wins */
	assert_null(t[1].username);
	p.incoming_location = "pop.example.si";
	p.incoming_ssl = 1;
	assert_int_equal(probe_targets_for_profile(&p, NULL, NULL, t, NULL), EC_OK);
	assert_int_equal(t[0].port, 995);
	assert_int_equal(t[0].tls, PROBE_TLS_IMPLICIT);
}

static void exchange_profile_maps_to_ews(void **state)
{
	ec_probe_target t[2];
	ec_profile p = mail_profile(SERVER_EXCHANGE, "https://mail.example.si/EWS/Exchange.asmx",
	                            EC_NULL, 1, NULL, EC_NULL, 1);
	ec_error err;
	(void)state;
	assert_int_equal(probe_targets_for_profile(&p, NULL, NULL, t, NULL), EC_OK);
	assert_int_equal(t[0].proto, PROBE_EWS);
	assert_string_equal(t[1].url, "https://mail.example.si/EWS/Exchange.asmx");
	assert_string_equal(t[1].host, "mail.example.si");
	p.incoming_location = "ex.example.si";
	assert_int_equal(probe_targets_for_profile(&p, NULL, NULL, t, NULL), EC_OK);
	assert_string_equal(t[0].url, "https://ex.example.si/EWS/Exchange.asmx");
	p.incoming_location = NULL;
	assert_int_equal(probe_targets_for_profile(&p, NULL, NULL, t, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "incoming"));
	p.server_type = 42;
	assert_int_equal(probe_targets_for_profile(&p, NULL, NULL, t, &err), EC_USAGE);
}

static void redact(enum probe_proto proto, const char *line, const char *want)
{
	char out[256];

	probe_redact_out(proto, line, out, sizeof(out));
	assert_string_equal(out, want);
}

static void credentials_never_reach_the_transcript(void **state)
{
	(void)state;
	redact(PROBE_IMAP, "A001 CAPABILITY", "A001 CAPABILITY");
	redact(PROBE_IMAP, "A002 LOGIN ana s3cret", "A002 LOGIN ***");
	redact(PROBE_IMAP,
	       "A003 AUTHENTICATE PLAIN AGFuYQBzM2NyZXQ=", "A003 AUTHENTICATE PLAIN ***");
	redact(PROBE_IMAP, "AGFuYQBzM2NyZXQ=", "***");
	redact(PROBE_POP3, "USER ana", "USER ***");
	redact(PROBE_POP3, "PASS s3cret", "PASS ***");
	redact(PROBE_POP3, "STLS", "STLS");
	redact(PROBE_SMTP, "AUTH PLAIN", "AUTH PLAIN");
	redact(PROBE_SMTP, "AUTH LOGIN YW5h", "AUTH LOGIN ***");
	redact(PROBE_SMTP, "czNjcmV0", "***");
	redact(PROBE_SMTP, "EHLO client.example.si", "EHLO client.example.si");
	redact(PROBE_EWS, "Authorization: Basic YW5hOnMzY3JldA==", "Authorization: ***");
	redact(PROBE_EWS, "GET /EWS/Exchange.asmx HTTP/1.1", "GET /EWS/Exchange.asmx HTTP/1.1");
}

static void tls_problems_are_named(void **state)
{
	(void)state;
	assert_int_equal(probe_tls_classify(CURLE_PEER_FAILED_VERIFICATION, 18, ""),
	                 PROBE_TLS_UNTRUSTED);
	assert_int_equal(probe_tls_classify(CURLE_PEER_FAILED_VERIFICATION, 10, ""),
	                 PROBE_TLS_EXPIRED);
	assert_int_equal(
	    probe_tls_classify(CURLE_PEER_FAILED_VERIFICATION, 0,
	                       "SSL: no alternative certificate subject name matches target "
	                       "host name '10.0.0.1'"),
	    PROBE_TLS_WRONG_HOST);
	assert_int_equal(probe_tls_classify(CURLE_PEER_FAILED_VERIFICATION, 0,
	                                    "SSL certificate problem: self-signed certificate"),
	                 PROBE_TLS_UNTRUSTED);
	assert_int_equal(probe_tls_classify(CURLE_USE_SSL_FAILED, 0, ""), PROBE_TLS_NOT_OFFERED);
	assert_int_equal(probe_tls_classify(CURLE_SSL_CONNECT_ERROR, 0, "wrong version number"),
	                 PROBE_TLS_HANDSHAKE);
	assert_string_equal(probe_tls_problem_slug(PROBE_TLS_WRONG_HOST), "wrong-host");
}

static void templates_expand_named_values(void **state)
{
	char out[128];
	const char *vars[] = {"host", "mail.example.si", "port", "993", NULL};
	(void)state;
	probe_text_expand(out, sizeof(out), "{host}:{port} {unknown} {", vars);
	assert_string_equal(out, "mail.example.si:993 {unknown} {");
	probe_text_expand(out, 8, "{host}", vars);
	assert_string_equal(out, "mail.ex");
}

static void word_lists_have_no_duplicates(void **state)
{
	probe_buf b = {0};
	char *s;
	(void)state;
	probe_buf_add_word(&b, "PLAIN", 5);
	probe_buf_add_word(&b, "LOGIN", 5);
	probe_buf_add_word(&b, "plain", 5);
	s = probe_buf_take(&b);
	assert_string_equal(s, "PLAIN LOGIN");
	free(s);
	assert_null(probe_buf_take(&b));
}

static int progress_calls;

static void count_progress(void *ctx, int index, const ec_probe_result *r)
{
	(void)ctx;
	(void)index;
	assert_non_null(r->message);
	progress_calls++;
}

static void unusable_targets_fail_at_setup(void **state)
{
	ec_probe_target t[3];
	ec_probe_result r[3];
	ec_error err;
	int i;
	(void)state;
	probe_target_init(&t[0], PROBE_IMAP); /* no host */
	probe_target_init(&t[1], PROBE_EWS);
	strcpy(t[1].url, "http://mail.example.si/EWS/Exchange.asmx");
	t[1].username = "ana";
	t[1].password = "s3cret";
	probe_target_init(&t[2], PROBE_SMTP);
	strcpy(t[2].host, "bad/host");
	assert_int_equal(probe_run(t, 3, 2, 1000, NULL, count_progress, NULL, r, &err), EC_OK);
	assert_int_equal(progress_calls, 3);
	assert_string_equal(r[0].code, "probe.setup.invalid");
	assert_int_equal(r[0].failed_at, PROBE_STAGE_SETUP);
	assert_string_equal(r[1].code, "probe.setup.plain_http");
	assert_null(strstr(r[1].message, "s3cret"));
	assert_string_equal(r[2].code, "probe.setup.invalid");
	for (i = 0; i < 3; i++) {
		assert_false(r[i].ok);
		probe_result_free(&r[i]);
	}
	assert_int_equal(probe_run(t, 1, 1, 1000, "/nonexistent/ca.pem", NULL, NULL, r, &err),
	                 EC_LOCAL);
	assert_non_null(strstr(err.msg, "/nonexistent/ca.pem"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(imap_smtp_profile_maps_ports_and_tls),
	    cmocka_unit_test(pop3_profile_without_ssl_uses_starttls_if_offered),
	    cmocka_unit_test(exchange_profile_maps_to_ews),
	    cmocka_unit_test(credentials_never_reach_the_transcript),
	    cmocka_unit_test(tls_problems_are_named),
	    cmocka_unit_test(templates_expand_named_values),
	    cmocka_unit_test(word_lists_have_no_duplicates),
	    cmocka_unit_test(unusable_targets_fail_at_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
