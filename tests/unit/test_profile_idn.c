/* test_profile_idn.c — the url-host rule and international host names: an
 * on-premises Exchange server whose host name is international, as this
 * organization's own mail host is (pošta.kovinoplast.si), is a valid EWS
 * URL (Dynamics 365 and curl both take it; the rule's message even says
 * "letters", which š is); the rule refuses it, and an admin cannot save the
 * profile the organization itself accepts. */
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

static const char *refusal_for(const char *url)
{
	ec_profile before, after;
	const profile_rule *r;
	const char *id;
	ec_profile *ps[2] = {&before, &after};
	for (int i = 0; i < 2; i++) {
		profile_init(ps[i]);
		ps[i]->server_type = SERVER_EXCHANGE;
		ps[i]->incoming_location = strdup("https://mail.example.com/EWS/Exchange.asmx");
		ps[i]->outgoing_location = strdup("https://mail.example.com/EWS/Exchange.asmx");
		ps[i]->incoming_credential = ps[i]->outgoing_credential = CRED_S2S;
		ps[i]->incoming_ssl = ps[i]->outgoing_ssl = 1;
		ps[i]->use_autodiscover = 0;
		ps[i]->state = STATE_ACTIVE;
	}
	free(after.incoming_location);
	free(after.outgoing_location);
	after.incoming_location = strdup(url);
	after.outgoing_location = strdup(url);
	r = profile_rules_refusal(&before, &after);
	id = r ? r->id : "allowed";
	profile_free(&before);
	profile_free(&after);
	return id;
}

static void idn_host(void **state)
{
	(void)state;
	assert_string_equal(refusal_for("https://pošta.kovinoplast.si/EWS/Exchange.asmx"),
	                    "allowed");
}

static void idn_host_control(void **state)
{
	(void)state; /* the same host in its xn-- form is allowed today */
	assert_string_equal(refusal_for("https://xn--pota-s8a.kovinoplast.si/EWS/Exchange.asmx"),
	                    "allowed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(idn_host_control),
	    cmocka_unit_test(idn_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
