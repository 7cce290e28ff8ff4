/* test_profile_rules.c — unit tests of the profile rule table
 * (core/model/profile_rules.c): every rule refused and allowed, by type;
 * a problem the saved profile already had does not refuse an unrelated
 * change; every rule has words; and the endpoint and type texts (an EWS
 * URL never gets ":port" appended, the organization's type name wins). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model/options.h"
#include "core/model/profile_rules.h"
#include "core/model/profile_text.h"

static void profile_of(ec_profile *p, int type)
{
	bool exchange = profile_is_exchange(type);
	profile_init(p);
	p->server_type = type;
	p->incoming_location =
	    strdup(exchange ? "https://mail.example.com/EWS/Exchange.asmx" : "imap.example.com");
	p->outgoing_location =
	    strdup(exchange ? "https://mail.example.com/EWS/Exchange.asmx" : "smtp.example.com");
	if (!exchange) {
		p->incoming_port = 993;
		p->outgoing_port = 587;
	}
	p->incoming_credential = p->outgoing_credential = exchange ? CRED_S2S : CRED_PROFILE;
	p->use_autodiscover = 0;
	p->state = STATE_ACTIVE;
}

/* The id of the rule refusing after (a copy of before changed by edit). */
static const char *refusal(int type, void (*edit)(ec_profile *p))
{
	ec_profile before, after;
	const profile_rule *r;
	profile_of(&before, type);
	profile_of(&after, type);
	edit(&after);
	r = profile_rules_refusal(&before, &after);
	profile_free(&before);
	profile_free(&after);
	return r ? r->id : "allowed";
}

static void set_host(ec_profile *p)
{
	free(p->incoming_location);
	p->incoming_location = strdup("mail.example.com");
}
static void set_url(ec_profile *p)
{
	free(p->outgoing_location);
	p->outgoing_location = strdup("https://mail.example.com/EWS/Exchange.asmx");
}
static void set_host_port(ec_profile *p)
{
	free(p->incoming_location);
	p->incoming_location = strdup("mail.example.com:993");
}
static void set_port(ec_profile *p)
{
	p->incoming_port = 443;
}
static void set_s2s(ec_profile *p)
{
	p->incoming_credential = p->outgoing_credential = CRED_S2S;
}
static void set_windows(ec_profile *p)
{
	p->incoming_credential = p->outgoing_credential = CRED_WINDOWS;
}
static void set_gmail(ec_profile *p)
{
	p->incoming_credential = p->outgoing_credential = CRED_GMAIL_OAUTH;
}
static void set_anonymous(ec_profile *p)
{
	p->incoming_credential = p->outgoing_credential = CRED_ANONYMOUS;
}
static void set_autodiscover(ec_profile *p)
{
	p->use_autodiscover = 1;
}
static void set_inactive(ec_profile *p)
{
	p->state = STATE_INACTIVE;
}

static void set_port_0(ec_profile *p)
{
	p->incoming_port = 0;
}
static void set_port_65536(ec_profile *p)
{
	p->outgoing_port = 65536;
}
static void set_port_edges(ec_profile *p)
{
	p->incoming_port = 1;
	p->outgoing_port = 65535;
}
static void clear_ports(ec_profile *p)
{
	p->incoming_port = p->outgoing_port = EC_NULL;
}
static void set_location(char **field, const char *value)
{
	free(*field);
	*field = value ? strdup(value) : NULL;
}
static void set_url_https_only(ec_profile *p)
{
	set_location(&p->incoming_location, "https://");
}
static void set_url_http_only(ec_profile *p)
{
	set_location(&p->outgoing_location, "http://");
}
static void set_url_space(ec_profile *p)
{
	set_location(&p->incoming_location, "https://a b/EWS");
}
static void set_url_user(ec_profile *p)
{
	set_location(&p->incoming_location, "https://user@mail.example.com/EWS/Exchange.asmx");
}
static void set_url_port_0(ec_profile *p)
{
	set_location(&p->incoming_location, "https://mail.example.com:0/EWS/Exchange.asmx");
}
static void set_url_ipv6(ec_profile *p)
{
	set_location(&p->incoming_location, "https://[2001:db8::1]:8443/EWS/Exchange.asmx");
}
static void set_url_http_port(ec_profile *p)
{
	set_location(&p->incoming_location, "http://127.0.0.1:8080/EWS/Exchange.asmx");
	set_location(&p->outgoing_location, "http://127.0.0.1:8080/EWS/Exchange.asmx");
}
static void set_host_empty(ec_profile *p)
{
	set_location(&p->incoming_location, "");
}
static void clear_outgoing_host(ec_profile *p)
{
	set_location(&p->outgoing_location, NULL);
}
static void set_incoming_ssl_off(ec_profile *p)
{
	p->incoming_ssl = 0;
}
static void set_outgoing_ssl_off(ec_profile *p)
{
	p->outgoing_ssl = 0;
}
static void set_basic(ec_profile *p)
{
	p->incoming_auth = p->outgoing_auth = AUTH_BASIC;
}
static void set_outgoing_basic(ec_profile *p)
{
	p->outgoing_auth = AUTH_BASIC;
}
static void set_oauth(ec_profile *p)
{
	p->incoming_auth = p->outgoing_auth = AUTH_OAUTH;
}
static void set_entra(ec_profile *p)
{
	p->incoming_credential = p->outgoing_credential = CRED_ENTRA_OAUTH;
}

/* Ports 1-65535 on every type that takes one; empty clears. */
static void test_port_range(void **state)
{
	const int types[] = {SERVER_POP3_SMTP, SERVER_IMAP_SMTP};
	(void)state;
	for (int i = 0; i < 2; i++) {
		assert_string_equal(refusal(types[i], set_port_0), "port-range");
		assert_string_equal(refusal(types[i], set_port_65536), "port-range");
		assert_string_equal(refusal(types[i], set_port_edges), "allowed");
		assert_string_equal(refusal(types[i], clear_ports), "allowed");
	}
	/* an Exchange profile takes no port at all, 0 included */
	assert_string_equal(refusal(SERVER_EXCHANGE, set_port_0), "exchange-no-port");
}

/* An EWS URL names a valid host (and a port 1-65535 if any). */
static void test_url_host(void **state)
{
	(void)state;
	for (int t = 0; t <= SERVER_IMAP_SMTP; t++) {
		if (!profile_is_exchange(t))
			continue;
		assert_string_equal(refusal(t, set_url_https_only), "url-host");
		assert_string_equal(refusal(t, set_url_http_only), "url-host");
		assert_string_equal(refusal(t, set_url_space), "url-host");
		assert_string_equal(refusal(t, set_url_user), "url-host");
		assert_string_equal(refusal(t, set_url_port_0), "url-host");
		assert_string_equal(refusal(t, set_url_ipv6), "allowed");
		assert_string_equal(refusal(t, set_url_http_port), "allowed");
	}
}

/* A POP3 or IMAP profile names both its servers. */
static void test_pop_imap_host_missing(void **state)
{
	(void)state;
	assert_string_equal(refusal(SERVER_IMAP_SMTP, set_host_empty), "pop-imap-host-missing");
	assert_string_equal(refusal(SERVER_POP3_SMTP, set_host_empty), "pop-imap-host-missing");
	assert_string_equal(refusal(SERVER_IMAP_SMTP, clear_outgoing_host),
	                    "pop-imap-host-missing");
	/* Exchange with Auto Discover needs no location */
	assert_string_equal(refusal(SERVER_EXCHANGE, clear_outgoing_host), "allowed");
}

/* Use SSL: no contradicts an https:// URL; yes with http:// is allowed. */
static void test_ssl_https(void **state)
{
	(void)state;
	assert_string_equal(refusal(SERVER_EXCHANGE, set_incoming_ssl_off), "ssl-https");
	assert_string_equal(refusal(SERVER_EXCHANGE_HYBRID, set_outgoing_ssl_off), "ssl-https");
	assert_string_equal(refusal(SERVER_IMAP_SMTP, set_incoming_ssl_off), "allowed");
	assert_string_equal(refusal(SERVER_EXCHANGE, set_url_http_port), "allowed");
}

/* Exchange Online: the type the organization names so, the Exchange Online
 * (Hybrid) type, or Exchange Online's own EWS URL. */
static const char *refusal_online(int how, void (*edit)(ec_profile *p))
{
	ec_profile before, after;
	const profile_rule *r;
	ec_profile *both[2] = {&before, &after};
	for (int i = 0; i < 2; i++) {
		ec_profile *p = both[i];
		profile_of(p, how == 1 ? SERVER_EXCHANGE_ONLINE_HYBRID : SERVER_EXCHANGE);
		if (how == 0)
			p->server_type_name = strdup("Exchange Online");
		if (how == 2)
			set_location(&p->incoming_location,
			             "https://outlook.office365.com/EWS/Exchange.asmx");
	}
	edit(&after);
	r = profile_rules_refusal(&before, &after);
	profile_free(&before);
	profile_free(&after);
	return r ? r->id : "allowed";
}

static void test_exchange_online(void **state)
{
	(void)state;
	for (int how = 0; how < 3; how++) {
		assert_string_equal(refusal_online(how, set_anonymous),
		                    "exchange-online-anonymous");
		assert_string_equal(refusal_online(how, set_windows), "exchange-online-windows");
		assert_string_equal(refusal_online(how, set_basic), "exchange-online-basic");
		assert_string_equal(refusal_online(how, set_outgoing_basic),
		                    "exchange-online-basic");
		assert_string_equal(refusal_online(how, set_s2s), "allowed");
		assert_string_equal(refusal_online(how, set_entra), "allowed");
		assert_string_equal(refusal_online(how, set_oauth), "allowed");
	}
	/* an Exchange server on premises takes them */
	assert_string_equal(refusal(SERVER_EXCHANGE, set_basic), "allowed");
	assert_string_equal(refusal(SERVER_EXCHANGE_HYBRID, set_windows), "allowed");
}

static void test_exchange(void **state)
{
	(void)state;
	for (int t = 0; t <= SERVER_IMAP_SMTP; t++) {
		if (!profile_is_exchange(t))
			continue;
		assert_string_equal(refusal(t, set_host), "exchange-url");
		assert_string_equal(refusal(t, set_port), "exchange-no-port");
		assert_string_equal(refusal(t, set_gmail), "gmail-needs-pop-imap");
		assert_string_equal(refusal(t, set_url), "allowed");
		/* Exchange Online refuses both: test_exchange_online */
		if (t != SERVER_EXCHANGE_ONLINE_HYBRID) {
			assert_string_equal(refusal(t, set_windows), "allowed");
			assert_string_equal(refusal(t, set_anonymous), "allowed");
		}
		assert_string_equal(refusal(t, set_autodiscover), "allowed");
		assert_string_equal(refusal(t, set_inactive), "allowed");
	}
}

static void test_pop_imap(void **state)
{
	const int types[] = {SERVER_POP3_SMTP, SERVER_IMAP_SMTP};
	(void)state;
	for (int i = 0; i < 2; i++) {
		int t = types[i];
		assert_string_equal(refusal(t, set_url), "pop-imap-host");
		assert_string_equal(refusal(t, set_host_port), "pop-imap-host");
		assert_string_equal(refusal(t, set_s2s), "pop-imap-credentials");
		assert_string_equal(refusal(t, set_windows), "pop-imap-credentials");
		assert_string_equal(refusal(t, set_autodiscover), "autodiscover-exchange");
		assert_string_equal(refusal(t, set_host), "allowed");
		assert_string_equal(refusal(t, set_port), "allowed");
		assert_string_equal(refusal(t, set_gmail), "allowed");
		assert_string_equal(refusal(t, set_anonymous), "allowed");
		assert_string_equal(refusal(t, set_inactive), "allowed");
	}
}

/* An Exchange profile the organization already holds with a port: a change
 * of something else is still allowed, and the port is only a warning. */
static void test_old_problem_does_not_refuse(void **state)
{
	ec_profile before, after;
	const profile_rule *found[8];
	(void)state;
	profile_of(&before, SERVER_EXCHANGE);
	before.incoming_port = 443;
	profile_of(&after, SERVER_EXCHANGE);
	after.incoming_port = 443;
	after.max_connections = 20;
	assert_null(profile_rules_refusal(&before, &after));
	assert_int_equal(profile_rules_check(&after, found, 8), 1);
	assert_string_equal(found[0]->id, "exchange-no-port");
	/* with no saved profile, the problem refuses */
	assert_non_null(profile_rules_refusal(NULL, &after));
	profile_free(&before);
	profile_free(&after);
}

static void test_every_rule_has_words(void **state)
{
	(void)state;
	assert_true(profile_rules_count >= 13);
	for (int i = 0; i < profile_rules_count; i++) {
		const profile_rule *r = &profile_rules_table[i];
		assert_true(strlen(profile_rule_message(r)) > 20);
		assert_true(strlen(profile_rule_fix(r)) > 10);
		for (int j = i + 1; j < profile_rules_count; j++)
			assert_string_not_equal(r->id, profile_rules_table[j].id);
	}
}

static void test_texts(void **state)
{
	ec_profile p;
	char buf[64], type[32];
	(void)state;
	/* a URL keeps its own port; ":-1" or ":443" is never appended */
	assert_string_equal(profile_endpoint_text("http://127.0.0.1:8080/EWS/Exchange.asmx",
	                                          EC_NULL, buf, sizeof buf),
	                    "http://127.0.0.1:8080/EWS/Exchange.asmx");
	assert_string_equal(profile_endpoint_text("https://outlook.office365.com/EWS/Exchange.asmx",
	                                          443, buf, sizeof buf),
	                    "https://outlook.office365.com/EWS/Exchange.asmx");
	assert_string_equal(profile_endpoint_text("imap.example.com", 993, buf, sizeof buf),
	                    "imap.example.com:993");
	assert_string_equal(profile_endpoint_text("imap.example.com", EC_NULL, buf, sizeof buf),
	                    "imap.example.com");
	assert_string_equal(profile_endpoint_text(NULL, 993, buf, sizeof buf), "");
	profile_of(&p, SERVER_EXCHANGE);
	assert_string_equal(profile_type_text(&p, type, sizeof type), "Exchange Server");
	p.server_type_name = strdup("Exchange Online");
	assert_string_equal(profile_type_text(&p, type, sizeof type), "Exchange Online");
	free(p.server_type_name);
	p.server_type_name = strdup("");
	p.server_type = 9;
	assert_string_equal(profile_type_text(&p, type, sizeof type), "9 (unknown)");
	profile_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exchange),
	    cmocka_unit_test(test_pop_imap),
	    cmocka_unit_test(test_port_range),
	    cmocka_unit_test(test_url_host),
	    cmocka_unit_test(test_pop_imap_host_missing),
	    cmocka_unit_test(test_ssl_https),
	    cmocka_unit_test(test_exchange_online),
	    cmocka_unit_test(test_old_problem_does_not_refuse),
	    cmocka_unit_test(test_every_rule_has_words),
	    cmocka_unit_test(test_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
