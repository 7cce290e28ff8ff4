/* test_profile_keys.c — unit tests of the `profile set` key table
 * (core/codec/keys.c, keys_profile): every key applied and its bounds
 * refused with the struct unchanged, values read back as JSON, replaying
 * changes, and the PATCH body (credentials writes both directions, state
 * its status, ports and connections as numbers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/keys.h"

static const char *plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                             JSON_C_TO_STRING_NOSLASHESCAPE);
}

static void assert_json(json_object *o, const char *want)
{
	assert_string_equal(o ? plain(o) : "null", want);
	json_object_put(o);
}

/* An IMAP/SMTP profile as a sync would cache it. */
static void imap_profile(ec_profile *p)
{
	profile_init(p);
	snprintf(p->id, sizeof p->id, "%s", "e7414d04-dd37-55db-8653-90f9502ab86c");
	p->name = strdup("IMAP");
	p->server_type = SERVER_IMAP_SMTP;
	p->incoming_location = strdup("imap.example.com");
	p->outgoing_location = strdup("smtp.example.com");
	p->incoming_port = 993;
	p->outgoing_port = 587;
	p->incoming_ssl = p->outgoing_ssl = 1;
	p->incoming_credential = p->outgoing_credential = CRED_USER_OR_QUEUE;
	p->incoming_auth = p->outgoing_auth = AUTH_BASIC;
	p->use_same_settings = 1;
	p->use_autodiscover = 0;
	p->max_connections = 5;
	p->state = STATE_ACTIVE;
}

static void test_every_key_applied(void **state)
{
	ec_profile p;
	ec_error err = {0};
	(void)state;
	imap_profile(&p);
	assert_int_equal(keys_profile_apply(&p, "incoming-server", "mail.example.org", &err),
	                 EC_OK);
	assert_string_equal(p.incoming_location, "mail.example.org");
	assert_int_equal(keys_profile_apply(&p, "outgoing-server", "out.example.org", &err), EC_OK);
	assert_string_equal(p.outgoing_location, "out.example.org");
	assert_int_equal(keys_profile_apply(&p, "incoming-port", "143", &err), EC_OK);
	assert_int_equal(p.incoming_port, 143);
	assert_int_equal(keys_profile_apply(&p, "outgoing-port", "25", &err), EC_OK);
	assert_int_equal(p.outgoing_port, 25);
	assert_int_equal(keys_profile_apply(&p, "incoming-ssl", "no", &err), EC_OK);
	assert_int_equal(p.incoming_ssl, 0);
	assert_int_equal(keys_profile_apply(&p, "outgoing-ssl", "off", &err), EC_OK);
	assert_int_equal(p.outgoing_ssl, 0);
	assert_int_equal(keys_profile_apply(&p, "incoming-auth", "ntlm", &err), EC_OK);
	assert_int_equal(p.incoming_auth, AUTH_NTLM);
	assert_int_equal(keys_profile_apply(&p, "outgoing-auth", "auto-detect", &err), EC_OK);
	assert_int_equal(p.outgoing_auth, AUTH_AUTO);
	/* credentials: both directions at once */
	assert_int_equal(keys_profile_apply(&p, "credentials", "profile", &err), EC_OK);
	assert_int_equal(p.incoming_credential, CRED_PROFILE);
	assert_int_equal(p.outgoing_credential, CRED_PROFILE);
	assert_int_equal(keys_profile_apply(&p, "use-same-for-outgoing", "no", &err), EC_OK);
	assert_int_equal(p.use_same_settings, 0);
	assert_int_equal(keys_profile_apply(&p, "autodiscover", "yes", &err), EC_OK);
	assert_int_equal(p.use_autodiscover, 1);
	assert_int_equal(keys_profile_apply(&p, "max-connections", "300", &err), EC_OK);
	assert_int_equal(p.max_connections, 300);
	assert_int_equal(keys_profile_apply(&p, "state", "inactive", &err), EC_OK);
	assert_int_equal(p.state, STATE_INACTIVE);
	profile_free(&p);
}

/* Each bad value: EC_USAGE naming the key, and nothing changed. */
static void refused(const char *key, const char *value, const char *says)
{
	ec_profile p, before;
	ec_error err = {0};
	imap_profile(&p);
	imap_profile(&before);
	assert_int_equal(keys_profile_apply(&p, key, value, &err), EC_USAGE);
	if (!strstr(err.msg, says))
		fail_msg("%s=%s: '%s' does not say '%s'", key, value, err.msg, says);
	assert_int_equal(p.incoming_port, before.incoming_port);
	assert_int_equal(p.outgoing_port, before.outgoing_port);
	assert_int_equal(p.max_connections, before.max_connections);
	assert_int_equal(p.incoming_credential, before.incoming_credential);
	assert_int_equal(p.outgoing_credential, before.outgoing_credential);
	assert_string_equal(p.incoming_location, before.incoming_location);
	profile_free(&p);
	profile_free(&before);
}

static void test_bounds_refused(void **state)
{
	(void)state;
	/* ports 0-65536 (Dataverse's range), connections 1-300 */
	refused("incoming-port", "65537", "from 0 to 65536");
	refused("outgoing-port", "-1", "from 0 to 65536");
	refused("incoming-port", "99999999999999", "from 0 to 65536");
	refused("max-connections", "0", "from 1 to 300");
	refused("max-connections", "301", "from 1 to 300");
	refused("max-connections", "ten", "from 1 to 300");
	refused("credentials", "password", "use one of: user-or-queue, profile");
	refused("incoming-auth", "kerberos", "auto-detect, negotiate, ntlm, basic, oauth");
	refused("incoming-ssl", "maybe", "yes or no");
	refused("incoming-server", "mail\x1b[2J.example.com", "control character");
	refused("password", "secret", "valid keys: incoming-server");
	refused("name", "x", "unknown profile key");
}

static void test_edges_accepted(void **state)
{
	ec_profile p;
	ec_error err = {0};
	(void)state;
	imap_profile(&p);
	assert_int_equal(keys_profile_apply(&p, "incoming-port", "0", &err), EC_OK);
	assert_int_equal(p.incoming_port, 0);
	assert_int_equal(keys_profile_apply(&p, "outgoing-port", "65536", &err), EC_OK);
	assert_int_equal(p.outgoing_port, 65536);
	assert_int_equal(keys_profile_apply(&p, "max-connections", "1", &err), EC_OK);
	assert_int_equal(p.max_connections, 1);
	profile_free(&p);
}

static void test_get_json(void **state)
{
	ec_profile p;
	(void)state;
	imap_profile(&p);
	assert_json(keys_profile_get_json(&p, "incoming-server"), "\"imap.example.com\"");
	assert_json(keys_profile_get_json(&p, "incoming-port"), "993");
	assert_json(keys_profile_get_json(&p, "outgoing-ssl"), "true");
	assert_json(keys_profile_get_json(&p, "incoming-auth"), "\"basic\"");
	assert_json(keys_profile_get_json(&p, "credentials"), "\"user-or-queue\"");
	assert_json(keys_profile_get_json(&p, "max-connections"), "5");
	assert_json(keys_profile_get_json(&p, "state"), "\"active\"");
	p.max_connections = EC_NULL;
	assert_json(keys_profile_get_json(&p, "max-connections"), "null");
	assert_json(keys_profile_get_json(&p, "no-such-key"), "null");
	profile_free(&p);
}

static void test_patch_body(void **state)
{
	ec_profile p;
	ec_error err = {0};
	json_object *changes = json_object_new_object();
	(void)state;
	imap_profile(&p);
	assert_int_equal(keys_profile_apply(&p, "credentials", "profile", &err), EC_OK);
	assert_int_equal(keys_profile_apply(&p, "incoming-port", "143", &err), EC_OK);
	assert_int_equal(keys_profile_apply(&p, "state", "inactive", &err), EC_OK);
	assert_int_equal(keys_profile_apply(&p, "autodiscover", "no", &err), EC_OK);
	json_object_object_add(changes, "credentials", NULL);
	json_object_object_add(changes, "incoming-port", NULL);
	json_object_object_add(changes, "state", NULL);
	json_object_object_add(changes, "autodiscover", NULL);
	assert_json(keys_profile_patch(&p, changes),
	            "{\"incomingcredentialretrieval\":1,\"outgoingcredentialretrieval\":1,"
	            "\"incomingportnumber\":143,\"statecode\":1,\"statuscode\":2,"
	            "\"useautodiscover\":false}");
	json_object_put(changes);
	changes = json_object_new_object();
	json_object_object_add(changes, "password", NULL);
	assert_null(keys_profile_patch(&p, changes));
	json_object_put(changes);
	profile_free(&p);
}

static void test_apply_changes(void **state)
{
	ec_profile p;
	ec_error err = {0};
	json_object *changes = json_tokener_parse(
	    "{\"max-connections\":42,\"incoming-ssl\":false,\"incoming-server\":\"a.example\","
	    "\"credentials\":\"anonymous\"}");
	(void)state;
	imap_profile(&p);
	assert_int_equal(keys_profile_apply_changes(&p, changes, &err), EC_OK);
	assert_int_equal(p.max_connections, 42);
	assert_int_equal(p.incoming_ssl, 0);
	assert_string_equal(p.incoming_location, "a.example");
	assert_int_equal(p.incoming_credential, CRED_ANONYMOUS);
	assert_int_equal(p.outgoing_credential, CRED_ANONYMOUS);
	json_object_put(changes);
	changes = json_tokener_parse("{\"max-connections\":500}");
	assert_int_equal(keys_profile_apply_changes(&p, changes, &err), EC_USAGE);
	assert_int_equal(p.max_connections, 42);
	json_object_put(changes);
	profile_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key_applied), cmocka_unit_test(test_bounds_refused),
	    cmocka_unit_test(test_edges_accepted),    cmocka_unit_test(test_get_json),
	    cmocka_unit_test(test_patch_body),        cmocka_unit_test(test_apply_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
