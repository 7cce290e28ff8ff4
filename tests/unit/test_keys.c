/* test_keys.c — unit tests of the `settings set` and `mailbox set` key
 * tables (core/codec/keys.c): every key applied and refused, the value spellings,
 * tracking tokens, sizes, profiles through a resolver, reading values back
 * as JSON, replaying changes, and the PATCH bodies of changed keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/codec.h"
#include "core/codec/keys.h"

#define EXO_ID  "3c0f4a5d-2f1e-ec11-b6e6-000d3a5b1c2d"
#define IMAP_ID "9b1d3e7f-4c6a-ec11-b6e6-000d3a5b1c2d"

/* ---- helpers ------------------------------------------------------------- */

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

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("'%s' does not contain '%s'", haystack, needle);
}

/* Knows two profiles by name or id; anything else is refused. */
static int resolve_profile(void *ctx, const char *name_or_id, char id[EC_ID_SIZE], char **name,
                           ec_error *err)
{
	static const struct {
		const char *id, *name;
	} known[] = {{EXO_ID, "Microsoft Exchange Online"}, {IMAP_ID, "Gmail IMAP"}};
	int *calls = ctx;
	(*calls)++;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(name_or_id, known[i].id) == 0 ||
		    strcmp(name_or_id, known[i].name) == 0) {
			strcpy(id, known[i].id);
			*name = strdup(known[i].name);
			return EC_OK;
		}
	return ec_fail(err, EC_USAGE, "no server profile is called '%s'", name_or_id);
}

static void settings_sample(ec_settings *s)
{
	settings_init(s);
	strcpy(s->id, "4faf1f34-f06d-e511-80d0-00155db07cb1");
	s->process_using = PROCESS_SSS;
	strcpy(s->default_profile_id, EXO_ID);
	s->default_profile_name = strdup("Microsoft Exchange Online");
	s->default_incoming = INCOMING_SSS;
	s->default_outgoing = OUTGOING_SSS;
	s->default_act = ACT_SSS;
	s->approve_users = s->approve_queues = 1;
	s->alerts_errors = s->alerts_information = 1;
	s->alerts_warnings = 0;
	s->notify_mailbox_owner = 0;
	s->correlation = 1;
	s->max_tracking_number = 0;
	s->tracking_prefix = strdup("CRM:");
	s->folder_tracking = s->smart_matching = s->ignore_internal_email = 0;
	s->allow_unresolved = 0;
	s->max_upload_bytes = 5120 * 1024;
}

static void mailbox_sample(ec_mailbox *m)
{
	mailbox_init(m);
	strcpy(m->id, "b2c3d4e5-3333-ec11-8c62-000d3adcebd7");
	m->name = strdup("Support");
	m->email = strdup("support@contoso.com");
	m->owner_type = OWNER_QUEUE;
	m->incoming = INCOMING_SSS;
	m->outgoing = OUTGOING_NONE;
	m->act = ACT_NONE;
	m->allow_credentials = 0;
	m->state = STATE_ACTIVE;
}

static char *settings_cli(const ec_settings *s)
{
	json_object *o = codec_settings_to_cli(s);
	char *text = strdup(plain(o));
	json_object_put(o);
	return text;
}

static char *mailbox_keys_json(const ec_mailbox *m)
{
	json_object *o = json_object_new_object();
	char *text;
	for (int i = 0; i < keys_mailbox_count; i++)
		json_object_object_add(o, keys_mailbox[i].key,
		                       keys_mailbox_get_json(m, keys_mailbox[i].key));
	text = strdup(plain(o));
	json_object_put(o);
	return text;
}

/* ---- the tables ---------------------------------------------------------- */

static void test_tables(void **state)
{
	static const char *const settings_keys[] = {
	    "process-email-using",
	    "server-profile",
	    "incoming",
	    "outgoing",
	    "act",
	    "approve-users",
	    "approve-queues",
	    "alerts-errors",
	    "alerts-warnings",
	    "alerts-information",
	    "notify-mailbox-owner",
	    "correlation",
	    "tracking-tokens",
	    "tracking-prefix",
	    "folder-tracking",
	    "smart-matching",
	    "track-internal-as-two",
	    "allow-unresolved-recipients",
	    "max-attachment-kb",
	};
	/* The `mailbox set` keys of docs/cli.md, then the internal ones
	 * that commands of their own set (approve). */
	static const char *const mailbox_keys[] = {
	    "incoming",
	    "outgoing",
	    "act",
	    "server-profile",
	    "email",
	    "allow-credentials",
	    "username",
	    "process-email-from",
	    "delete-after-processing",
	    "ews-url",
	    "state",
	    "approval",
	};
	(void)state;
	assert_int_equal(keys_settings_count, 19);
	assert_int_equal(keys_mailbox_count, 12);
	for (int i = 0; i < keys_settings_count; i++) {
		const struct ec_key *k = &keys_settings[i];
		assert_string_equal(k->key, settings_keys[i]);
		assert_true(k->help && *k->help);
		assert_true(k->group && *k->group && !k->internal);
		assert_ptr_equal(keys_settings_find(k->key), k);
		/* Every column is selected (or is the profile's navigation property). */
		if (k->kind != KEY_PROFILE)
			assert_non_null(strstr(codec_settings_select, k->column));
		assert_true(k->kind != KEY_OPTION || k->set != NULL);
	}
	for (int i = 0; i < keys_mailbox_count; i++) {
		const struct ec_key *k = &keys_mailbox[i];
		assert_string_equal(k->key, mailbox_keys[i]);
		assert_int_equal(k->internal, i == 11);
		assert_true(k->help && *k->help);
		assert_ptr_equal(keys_mailbox_find(k->key), k);
		if (k->kind != KEY_PROFILE)
			assert_non_null(strstr(codec_mailbox_select, k->column));
	}
	assert_null(keys_settings_find("email"));
	assert_null(keys_mailbox_find("approve-users"));
	assert_null(keys_mailbox_find(NULL));
	{
		/* An internal key is refused by `mailbox set`, accepted on replay. */
		ec_mailbox m;
		ec_error err;
		json_object *ch = json_object_new_object();
		mailbox_init(&m);
		assert_int_equal(keys_mailbox_apply(&m, "approval", "approved", NULL, NULL, &err),
		                 EC_USAGE);
		assert_null(strstr(strstr(err.msg, "valid keys"), "approval"));
		json_object_object_add(ch, "approval", json_object_new_string("approved"));
		assert_int_equal(keys_mailbox_apply_changes(&m, ch, NULL, NULL, &err), EC_OK);
		assert_int_equal(m.approval, APPROVAL_APPROVED);
		json_object_put(ch);
	}
}

static void test_value_hints(void **state)
{
	char buf[128];
	(void)state;
	assert_string_equal(keys_value_hint(keys_settings_find("approve-users"), buf, sizeof buf),
	                    "yes|no");
	assert_string_equal(
	    keys_value_hint(keys_settings_find("max-attachment-kb"), buf, sizeof buf), "0-131072");
	assert_string_equal(keys_value_hint(keys_mailbox_find("act"), buf, sizeof buf),
	                    "outlook|server-side-sync|none");
	assert_string_equal(keys_value_hint(keys_mailbox_find("server-profile"), buf, sizeof buf),
	                    "NAME|ID|none");
	assert_string_equal(keys_value_hint(keys_mailbox_find("email"), buf, sizeof buf),
	                    "ADDRESS");
	assert_string_equal(keys_value_hint(keys_settings_find("tracking-prefix"), buf, sizeof buf),
	                    "TEXT");
}

/* ---- settings set -------------------------------------------------------- */

static void test_settings_every_key_applied(void **state)
{
	static const struct {
		const char *key, *value, *json; /* json: the key's value afterwards */
	} cases[] = {
	    {"process-email-using", "email-router", "\"email-router\""},
	    {"process-email-using", "SERVER-SIDE-SYNC", "\"server-side-sync\""},
	    {"server-profile", "Gmail IMAP", "\"" IMAP_ID "\""},
	    {"server-profile", EXO_ID, "\"" EXO_ID "\""},
	    {"server-profile", "none", "null"},
	    {"incoming", "forward-mailbox", "\"forward-mailbox\""},
	    {"outgoing", "outlook", "\"outlook\""},
	    {"act", "none", "\"none\""},
	    {"approve-users", "no", "false"},
	    {"approve-queues", "off", "false"},
	    {"alerts-errors", "0", "false"},
	    {"alerts-warnings", "yes", "true"},
	    {"alerts-information", "FALSE", "false"},
	    {"notify-mailbox-owner", "on", "true"},
	    {"correlation", "false", "false"},
	    {"tracking-tokens", "yes", "true"},
	    {"tracking-prefix", "Ref#", "\"Ref#\""},
	    {"tracking-prefix", "", "null"},
	    {"folder-tracking", "1", "true"},
	    {"smart-matching", "True", "true"},
	    {"track-internal-as-two", "no", "false"},
	    {"allow-unresolved-recipients", "yes", "true"},
	    {"max-attachment-kb", "10240", "10240"},
	    {"max-attachment-kb", "0", "0"},
	    {"max-attachment-kb", "131072", "131072"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ec_settings s;
		ec_error err = {0};
		int calls = 0;
		settings_sample(&s);
		if (keys_settings_apply(&s, cases[i].key, cases[i].value, resolve_profile, &calls,
		                        &err))
			fail_msg("%s=%s refused: %s", cases[i].key, cases[i].value, err.msg);
		assert_json(keys_settings_get_json(&s, cases[i].key), cases[i].json);
		settings_free(&s);
	}
}

static void test_settings_every_key_refused(void **state)
{
	static const struct {
		const char *key, *value, *message;
	} cases[] = {
	    {"process-email-using", "router",
	     "settings key 'process-email-using': unknown process email using 'router'; use one "
	     "of: server-side-sync, email-router"},
	    {"server-profile", "Nonexistent", "no server profile is called 'Nonexistent'"},
	    {"incoming", "imap",
	     "settings key 'incoming': unknown incoming delivery method 'imap'"},
	    {"outgoing", "forward-mailbox",
	     "settings key 'outgoing': unknown outgoing delivery "
	     "method 'forward-mailbox'"},
	    {"act", "2",
	     "settings key 'act': unknown appointments, contacts and tasks delivery "
	     "method '2'"},
	    {"approve-users", "maybe",
	     "settings key 'approve-users' takes yes or no (or "
	     "true/false, on/off, 1/0), got 'maybe'"},
	    {"approve-queues", "", "settings key 'approve-queues' takes yes or no"},
	    {"alerts-errors", "2", "settings key 'alerts-errors' takes yes or no"},
	    {"alerts-warnings", "y", "settings key 'alerts-warnings' takes yes or no"},
	    {"alerts-information", "yes ", "settings key 'alerts-information' takes yes or no"},
	    {"notify-mailbox-owner", "enabled", "settings key 'notify-mailbox-owner' takes yes"},
	    {"correlation", "nope", "settings key 'correlation' takes yes or no"},
	    {"tracking-tokens", "999", "settings key 'tracking-tokens' takes yes or no"},
	    {"tracking-prefix", "CRM:\x1b[2J",
	     "settings key 'tracking-prefix': 'CRM:\\x1b[2J' "
	     "contains a control character"},
	    {"tracking-prefix",
	     "\xe2\x80\xae"
	     "CRM",
	     "contains a control character"},
	    {"tracking-prefix", "\xc3\x28", "is not valid UTF-8"},
	    {"folder-tracking", "si", "settings key 'folder-tracking' takes yes or no"},
	    {"smart-matching", "-1", "settings key 'smart-matching' takes yes or no"},
	    {"track-internal-as-two", "two", "settings key 'track-internal-as-two' takes yes"},
	    {"allow-unresolved-recipients", "ok",
	     "settings key 'allow-unresolved-recipients' "
	     "takes yes"},
	    {"max-attachment-kb", "131073",
	     "settings key 'max-attachment-kb' takes a whole number "
	     "from 0 to 131072, got '131073'"},
	    {"max-attachment-kb", "-1", "takes a whole number from 0 to 131072, got '-1'"},
	    {"max-attachment-kb", "12kb", "got '12kb'"},
	    {"max-attachment-kb", "", "got ''"},
	    {"max-attachment-kb", "99999999999999999999", "takes a whole number"},
	    {"max-attachment-kb", "+5", "takes a whole number"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ec_settings s;
		ec_error err = {0};
		char *before, *after;
		int calls = 0;
		settings_sample(&s);
		before = settings_cli(&s);
		if (keys_settings_apply(&s, cases[i].key, cases[i].value, resolve_profile, &calls,
		                        &err) != EC_USAGE)
			fail_msg("%s=%s accepted", cases[i].key, cases[i].value);
		assert_int_equal(err.status, EC_USAGE);
		assert_contains(err.msg, cases[i].message);
		after = settings_cli(&s);
		assert_string_equal(after, before); /* unchanged */
		free(before);
		free(after);
		settings_free(&s);
	}
}

static void test_settings_long_prefix(void **state)
{
	char prefix[600];
	ec_settings s;
	ec_error err = {0};
	(void)state;
	settings_sample(&s);
	memset(prefix, 'x', 256);
	prefix[256] = '\0';
	assert_int_equal(keys_settings_apply(&s, "tracking-prefix", prefix, NULL, NULL, &err), 0);
	strcat(prefix, "y");
	assert_int_equal(keys_settings_apply(&s, "tracking-prefix", prefix, NULL, NULL, &err),
	                 EC_USAGE);
	assert_string_equal(err.msg, "settings key 'tracking-prefix' takes at most 256 characters, "
	                             "got 257");
	/* Characters, not bytes: 256 × "č" is 512 bytes and fine. */
	prefix[0] = '\0';
	for (int i = 0; i < 128; i++)
		strcat(prefix, "čš");
	assert_int_equal(keys_settings_apply(&s, "tracking-prefix", prefix, NULL, NULL, &err), 0);
	settings_free(&s);
}

static void test_settings_unknown_key(void **state)
{
	ec_settings s;
	ec_error err = {0};
	(void)state;
	settings_sample(&s);
	assert_int_equal(keys_settings_apply(&s, "maximumtrackingnumber", "5", NULL, NULL, &err),
	                 EC_USAGE);
	assert_string_equal(
	    err.msg, "unknown settings key 'maximumtrackingnumber'; valid keys: "
	             "process-email-using, server-profile, incoming, outgoing, act, "
	             "approve-users, approve-queues, alerts-errors, alerts-warnings, "
	             "alerts-information, notify-mailbox-owner, correlation, tracking-tokens, "
	             "tracking-prefix, folder-tracking, smart-matching, track-internal-as-two, "
	             "allow-unresolved-recipients, max-attachment-kb");
	assert_int_equal(keys_settings_apply(&s, "approve-users", NULL, NULL, NULL, &err),
	                 EC_USAGE);
	assert_string_equal(err.msg, "settings key 'approve-users' needs a value: "
	                             "approve-users=VALUE");
	assert_null(keys_settings_get_json(&s, "nope"));
	settings_free(&s);
}

static void test_settings_tracking_tokens(void **state)
{
	ec_settings s;
	ec_error err = {0};
	(void)state;
	settings_sample(&s);
	assert_int_equal(s.max_tracking_number, 0);
	assert_json(keys_settings_get_json(&s, "tracking-tokens"), "false");
	assert_int_equal(keys_settings_apply(&s, "tracking-tokens", "yes", NULL, NULL, &err), 0);
	assert_int_equal(s.max_tracking_number, 999);
	s.max_tracking_number = 99;
	assert_int_equal(keys_settings_apply(&s, "tracking-tokens", "yes", NULL, NULL, &err), 0);
	assert_int_equal(s.max_tracking_number, 99); /* kept */
	assert_int_equal(keys_settings_apply(&s, "tracking-tokens", "no", NULL, NULL, &err), 0);
	assert_int_equal(s.max_tracking_number, 0);
	s.max_tracking_number = EC_NULL;
	assert_json(keys_settings_get_json(&s, "tracking-tokens"), "null");
	assert_int_equal(keys_settings_apply(&s, "tracking-tokens", "on", NULL, NULL, &err), 0);
	assert_int_equal(s.max_tracking_number, 999);
	settings_free(&s);
}

static void test_settings_inverted_and_sizes(void **state)
{
	ec_settings s;
	ec_error err = {0};
	(void)state;
	settings_sample(&s);
	assert_json(keys_settings_get_json(&s, "track-internal-as-two"), "true");
	assert_int_equal(keys_settings_apply(&s, "track-internal-as-two", "no", NULL, NULL, &err),
	                 0);
	assert_int_equal(s.ignore_internal_email, 1);
	assert_int_equal(keys_settings_apply(&s, "track-internal-as-two", "yes", NULL, NULL, &err),
	                 0);
	assert_int_equal(s.ignore_internal_email, 0);
	assert_int_equal(keys_settings_apply(&s, "max-attachment-kb", "131072", NULL, NULL, &err),
	                 0);
	assert_int_equal(s.max_upload_bytes, 134217728LL);
	s.max_upload_bytes = 1500; /* not a whole KB: rounds down */
	assert_json(keys_settings_get_json(&s, "max-attachment-kb"), "1");
	settings_free(&s);
}

static void test_settings_profile_without_resolver(void **state)
{
	ec_settings s;
	ec_error err = {0};
	(void)state;
	settings_sample(&s);
	assert_int_equal(keys_settings_apply(&s, "server-profile",
	                                     "9B1D3E7F-4C6A-EC11-B6E6-"
	                                     "000D3A5B1C2D",
	                                     NULL, NULL, &err),
	                 0);
	assert_string_equal(s.default_profile_id, IMAP_ID);
	assert_null(s.default_profile_name);
	assert_json(keys_settings_get_json(&s, "server-profile"), "\"" IMAP_ID "\"");
	assert_int_equal(keys_settings_apply(&s, "server-profile", "Gmail IMAP", NULL, NULL, &err),
	                 EC_USAGE);
	assert_string_equal(err.msg, "settings key 'server-profile' takes a profile id or none, "
	                             "got 'Gmail IMAP'");
	assert_int_equal(keys_settings_apply(&s, "server-profile", "NONE", NULL, NULL, &err), 0);
	assert_string_equal(s.default_profile_id, "");
	settings_free(&s);
}

static void test_settings_resolver_called_only_for_names(void **state)
{
	ec_settings s;
	ec_error err = {0};
	int calls = 0;
	(void)state;
	settings_sample(&s);
	assert_int_equal(
	    keys_settings_apply(&s, "server-profile", "none", resolve_profile, &calls, &err), 0);
	assert_int_equal(calls, 0);
	assert_int_equal(
	    keys_settings_apply(&s, "server-profile", "Gmail IMAP", resolve_profile, &calls, &err),
	    0);
	assert_int_equal(calls, 1);
	assert_string_equal(s.default_profile_id, IMAP_ID);
	assert_string_equal(s.default_profile_name, "Gmail IMAP");
	settings_free(&s);
}

/* ---- mailbox set --------------------------------------------------------- */

static void test_mailbox_every_key_applied(void **state)
{
	static const struct {
		const char *key, *value, *json;
	} cases[] = {
	    {"incoming", "none", "\"none\""},
	    {"incoming", "outlook", "\"outlook\""},
	    {"incoming", "forward-mailbox", "\"forward-mailbox\""},
	    {"outgoing", "server-side-sync", "\"server-side-sync\""},
	    {"act", "outlook", "\"outlook\""},
	    {"act", "server-side-sync", "\"server-side-sync\""},
	    {"server-profile", "Microsoft Exchange Online", "\"" EXO_ID "\""},
	    {"server-profile", IMAP_ID, "\"" IMAP_ID "\""},
	    {"server-profile", "none", "null"},
	    {"email", "podpora@contoso.si", "\"podpora@contoso.si\""},
	    {"email", "Žiga.Čuk@primer.si", "\"Žiga.Čuk@primer.si\""},
	    {"email", "", "null"},
	    {"allow-credentials", "yes", "true"},
	    {"allow-credentials", "0", "false"},
	    {"username", "CONTOSO\\support", "\"CONTOSO\\\\support\""},
	    {"username", "東京サポート", "\"東京サポート\""},
	    {"username", "", "null"},
	    {"state", "inactive", "\"inactive\""},
	    {"state", "Active", "\"active\""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ec_mailbox m;
		ec_error err = {0};
		int calls = 0;
		mailbox_sample(&m);
		if (keys_mailbox_apply(&m, cases[i].key, cases[i].value, resolve_profile, &calls,
		                       &err))
			fail_msg("%s=%s refused: %s", cases[i].key, cases[i].value, err.msg);
		assert_json(keys_mailbox_get_json(&m, cases[i].key), cases[i].json);
		mailbox_free(&m);
	}
}

static void test_mailbox_every_key_refused(void **state)
{
	static const struct {
		const char *key, *value, *message;
	} cases[] = {
	    {"incoming", "ssx", /* the short form sss is accepted */
	     "mailbox key 'incoming': unknown incoming delivery method 'ssx'; "
	     "use one of: none, outlook, server-side-sync, forward-mailbox"},
	    {"outgoing", "forward-mailbox",
	     "mailbox key 'outgoing': unknown outgoing delivery "
	     "method 'forward-mailbox'; use one of: none, outlook, "
	     "server-side-sync"},
	    {"act", "exchange",
	     "mailbox key 'act': unknown appointments, contacts and tasks "
	     "delivery method 'exchange'; use one of: outlook, server-side-sync, "
	     "none"},
	    {"server-profile", "Legacy", "no server profile is called 'Legacy'"},
	    {"email", "not-an-address",
	     "mailbox key 'email': 'not-an-address' is not an email "
	     "address"},
	    {"email", "a@b@c", "is not an email address"},
	    {"email", "@contoso.com", "is not an email address"},
	    {"email", "a b@contoso.com", "is not an email address"},
	    {"email", "x@y\r\nBcc: z@w", "contains a control character"},
	    {"allow-credentials", "always", "mailbox key 'allow-credentials' takes yes or no"},
	    {"username", "user\x07",
	     "mailbox key 'username': 'user\\x07' contains a control "
	     "character"},
	    {"username", "\xe2\x81\xa6x", "contains a control character"}, /* U+2066 */
	    {"state", "disabled",
	     "mailbox key 'state': unknown state 'disabled'; use one of: "
	     "active, inactive"},
	    {"state", "1", "mailbox key 'state': unknown state '1'"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ec_mailbox m;
		ec_error err = {0};
		char *before, *after;
		int calls = 0;
		mailbox_sample(&m);
		before = mailbox_keys_json(&m);
		if (keys_mailbox_apply(&m, cases[i].key, cases[i].value, resolve_profile, &calls,
		                       &err) != EC_USAGE)
			fail_msg("%s=%s accepted", cases[i].key, cases[i].value);
		assert_contains(err.msg, cases[i].message);
		after = mailbox_keys_json(&m);
		assert_string_equal(after, before);
		free(before);
		free(after);
		mailbox_free(&m);
	}
}

static void test_mailbox_lengths(void **state)
{
	char value[512];
	ec_mailbox m;
	ec_error err = {0};
	(void)state;
	mailbox_sample(&m);
	memset(value, 'u', 200);
	value[200] = '\0';
	assert_int_equal(keys_mailbox_apply(&m, "username", value, NULL, NULL, &err), 0);
	strcat(value, "u");
	assert_int_equal(keys_mailbox_apply(&m, "username", value, NULL, NULL, &err), EC_USAGE);
	assert_string_equal(err.msg,
	                    "mailbox key 'username' takes at most 200 characters, got 201");
	memset(value, 'e', 95);
	strcpy(value + 95, "@x.si"); /* 100 characters */
	assert_int_equal(keys_mailbox_apply(&m, "email", value, NULL, NULL, &err), 0);
	strcpy(value + 95, "@xy.si");
	assert_int_equal(keys_mailbox_apply(&m, "email", value, NULL, NULL, &err), EC_USAGE);
	assert_contains(err.msg, "takes at most 100 characters, got 101");
	mailbox_free(&m);
}

/* process-email-from takes a real date (29 February only in a leap year)
 * and keeps its midnight UTC, which the PATCH sends; ews-url takes only an
 * http(s) URL with a host. */
static void test_mailbox_date_and_url(void **state)
{
	static const char *const bad_dates[] = {"2023-02-29", "2024-13-01", "1.3.2024", "2024-3-1",
	                                        "yesterday"};
	static const char *const bad_urls[] = {"ftp://mail.example.com/EWS",
	                                       "https://",
	                                       "mail.example.com/EWS/Exchange.asmx",
	                                       "https://mail example.com/EWS",
	                                       "https://-x/",
	                                       "https://mail.example.com/EWS Exchange.asmx"};
	ec_mailbox m;
	ec_error err = {0};
	json_object *changes, *body, *v;
	(void)state;
	mailbox_sample(&m);
	for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++) {
		assert_int_equal(
		    keys_mailbox_apply(&m, "process-email-from", bad_dates[i], NULL, NULL, &err),
		    EC_USAGE);
		assert_contains(err.msg, "takes a date like 2024-03-01");
	}
	assert_int_equal(
	    keys_mailbox_apply(&m, "process-email-from", "2024-02-29", NULL, NULL, &err), 0);
	assert_string_equal(m.process_email_from, "2024-02-29T00:00:00Z");
	v = keys_mailbox_get_json(&m, "process-email-from");
	assert_string_equal(json_object_get_string(v), "2024-02-29");
	json_object_put(v);
	for (size_t i = 0; i < sizeof bad_urls / sizeof *bad_urls; i++) {
		assert_int_equal(keys_mailbox_apply(&m, "ews-url", bad_urls[i], NULL, NULL, &err),
		                 EC_USAGE);
		assert_contains(err.msg, "is not an http:// or https:// URL");
	}
	assert_int_equal(keys_mailbox_apply(&m, "ews-url",
	                                    "https://mail.example.com:8443/EWS/Exchange.asmx", NULL,
	                                    NULL, &err),
	                 0);
	changes = json_object_new_object();
	json_object_object_add(changes, "process-email-from", NULL);
	json_object_object_add(changes, "ews-url", NULL);
	body = keys_mailbox_patch(&m, changes);
	assert_string_equal(
	    json_object_get_string(json_object_object_get(body, "processemailreceivedafter")),
	    "2024-02-29T00:00:00Z");
	assert_string_equal(json_object_get_string(json_object_object_get(body, "ewsurl")),
	                    "https://mail.example.com:8443/EWS/Exchange.asmx");
	json_object_put(body);
	/* Empty clears both: null on the wire. */
	assert_int_equal(keys_mailbox_apply(&m, "process-email-from", "", NULL, NULL, &err), 0);
	assert_int_equal(keys_mailbox_apply(&m, "ews-url", "", NULL, NULL, &err), 0);
	body = keys_mailbox_patch(&m, changes);
	assert_true(json_object_object_get_ex(body, "processemailreceivedafter", &v) && !v);
	assert_true(json_object_object_get_ex(body, "ewsurl", &v) && !v);
	json_object_put(body);
	json_object_put(changes);
	mailbox_free(&m);
}

static void test_mailbox_unknown_key(void **state)
{
	ec_mailbox m;
	ec_error err = {0};
	(void)state;
	mailbox_sample(&m);
	assert_int_equal(keys_mailbox_apply(&m, "approval", "approved", NULL, NULL, &err),
	                 EC_USAGE);
	assert_string_equal(
	    err.msg, "unknown mailbox key 'approval'; valid keys: incoming, "
	             "outgoing, act, server-profile, email, allow-credentials, "
	             "username, process-email-from, delete-after-processing, ews-url, state");
	assert_int_equal(keys_mailbox_apply(&m, "\x1b]0;x\x07", "1", NULL, NULL, &err), EC_USAGE);
	assert_contains(err.msg, "unknown mailbox key '\\x1b]0;x\\x07'");
	mailbox_free(&m);
}

/* ---- changes and PATCH bodies --------------------------------------------- */

static void test_settings_patch(void **state)
{
	ec_settings s;
	ec_error err = {0};
	json_object *changes = json_object_new_object();
	int calls = 0;
	static const char *const edits[][2] = {
	    {"act", "none"},
	    {"approve-users", "no"},
	    {"server-profile", "Gmail IMAP"},
	    {"max-attachment-kb", "10240"},
	    {"track-internal-as-two", "no"},
	    {"tracking-tokens", "yes"},
	    {"tracking-prefix", "REF:"},
	    {"process-email-using", "email-router"},
	    {"incoming", "none"},
	};
	(void)state;
	settings_sample(&s);
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		assert_int_equal(keys_settings_apply(&s, edits[i][0], edits[i][1], resolve_profile,
		                                     &calls, &err),
		                 0);
		json_object_object_add(changes, edits[i][0],
		                       keys_settings_get_json(&s, edits[i][0]));
	}
	assert_string_equal(
	    plain(changes),
	    "{\"act\":\"none\",\"approve-users\":false,\"server-profile\":\"" IMAP_ID
	    "\",\"max-attachment-kb\":10240,\"track-internal-as-two\":false,"
	    "\"tracking-tokens\":true,\"tracking-prefix\":\"REF:\","
	    "\"process-email-using\":\"email-router\",\"incoming\":\"none\"}");
	assert_json(keys_settings_patch(&s, changes),
	            "{\"defaultemailsettings\":\"<EmailSettings><IncomingEmailDeliveryMethod>0"
	            "</IncomingEmailDeliveryMethod><OutgoingEmailDeliveryMethod>2"
	            "</OutgoingEmailDeliveryMethod><ACTDeliveryMethod>2</ACTDeliveryMethod>"
	            "</EmailSettings>\",\"requireapprovalforuseremail\":false,"
	            "\"defaultemailserverprofileid@odata.bind\":\"/emailserverprofiles(" IMAP_ID
	            ")\",\"maxuploadfilesize\":10485760,\"ignoreinternalemail\":true,"
	            "\"maximumtrackingnumber\":999,\"trackingprefix\":\"REF:\","
	            "\"emailconnectionchannel\":1}");
	json_object_put(changes);
	settings_free(&s);
}

static void test_settings_patch_clears(void **state)
{
	ec_settings s;
	ec_error err = {0};
	json_object *changes = json_object_new_object();
	(void)state;
	settings_sample(&s);
	assert_int_equal(keys_settings_apply(&s, "server-profile", "none", NULL, NULL, &err), 0);
	assert_int_equal(keys_settings_apply(&s, "tracking-prefix", "", NULL, NULL, &err), 0);
	json_object_object_add(changes, "server-profile", NULL);
	json_object_object_add(changes, "tracking-prefix", NULL);
	assert_json(keys_settings_patch(&s, changes),
	            "{\"defaultemailserverprofileid@odata.bind\":null,\"trackingprefix\":null}");
	json_object_object_add(changes, "bogus", NULL);
	assert_null(keys_settings_patch(&s, changes));
	assert_null(keys_settings_patch(&s, NULL));
	json_object_put(changes);
	settings_free(&s);
}

static void test_mailbox_patch(void **state)
{
	ec_mailbox m;
	ec_error err = {0};
	json_object *changes = json_object_new_object();
	static const char *const edits[][2] = {
	    {"incoming", "none"},    {"outgoing", "server-side-sync"},
	    {"act", "outlook"},      {"server-profile", EXO_ID},
	    {"email", ""},           {"allow-credentials", "yes"},
	    {"username", "svc-crm"}, {"state", "inactive"},
	};
	(void)state;
	mailbox_sample(&m);
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		assert_int_equal(keys_mailbox_apply(&m, edits[i][0], edits[i][1], NULL, NULL, &err),
		                 0);
		json_object_object_add(changes, edits[i][0],
		                       keys_mailbox_get_json(&m, edits[i][0]));
	}
	assert_string_equal(plain(changes),
	                    "{\"incoming\":\"none\",\"outgoing\":\"server-side-sync\","
	                    "\"act\":\"outlook\",\"server-profile\":\"" EXO_ID "\",\"email\":null,"
	                    "\"allow-credentials\":true,\"username\":\"svc-crm\","
	                    "\"state\":\"inactive\"}");
	assert_json(keys_mailbox_patch(&m, changes),
	            "{\"incomingemaildeliverymethod\":0,\"outgoingemaildeliverymethod\":2,"
	            "\"actdeliverymethod\":0,\"emailserverprofile@odata.bind\":"
	            "\"/emailserverprofiles(" EXO_ID ")\",\"emailaddress\":null,"
	            "\"allowemailconnectortousecredentials\":true,\"username\":\"svc-crm\","
	            "\"statecode\":1,\"statuscode\":2}");
	json_object_put(changes);
	changes = json_object_new_object();
	assert_int_equal(keys_mailbox_apply(&m, "server-profile", "none", NULL, NULL, &err), 0);
	json_object_object_add(changes, "server-profile", NULL);
	assert_json(keys_mailbox_patch(&m, changes), "{\"emailserverprofile@odata.bind\":null}");
	json_object_put(changes);
	mailbox_free(&m);
}

/* The PATCH body read back by the codec gives the edited values. */
static void test_mailbox_patch_round_trip(void **state)
{
	ec_mailbox m, back;
	ec_error err = {0};
	json_object *changes = json_object_new_object(), *body;
	(void)state;
	mailbox_sample(&m);
	assert_int_equal(keys_mailbox_apply(&m, "act", "server-side-sync", NULL, NULL, &err), 0);
	assert_int_equal(keys_mailbox_apply(&m, "server-profile", IMAP_ID, NULL, NULL, &err), 0);
	assert_int_equal(keys_mailbox_apply(&m, "state", "inactive", NULL, NULL, &err), 0);
	json_object_object_add(changes, "act", NULL);
	json_object_object_add(changes, "server-profile", NULL);
	json_object_object_add(changes, "state", NULL);
	body = keys_mailbox_patch(&m, changes);
	assert_int_equal(codec_mailbox_from_json(body, &back, &err), 0);
	assert_int_equal(back.act, ACT_SSS);
	assert_string_equal(back.profile_id, IMAP_ID);
	assert_int_equal(back.state, STATE_INACTIVE);
	mailbox_free(&back);
	json_object_put(body);
	json_object_put(changes);
	mailbox_free(&m);
}

static void test_apply_changes_replays(void **state)
{
	ec_settings s, fresh;
	ec_mailbox m, mfresh;
	ec_error err = {0};
	json_object *changes = json_object_new_object(), *mchanges = json_object_new_object();
	int calls = 0;
	char *want, *got;
	(void)state;
	settings_sample(&s);
	settings_sample(&fresh);
	keys_settings_apply(&s, "server-profile", "Gmail IMAP", resolve_profile, &calls, &err);
	keys_settings_apply(&s, "approve-queues", "no", NULL, NULL, &err);
	keys_settings_apply(&s, "max-attachment-kb", "2048", NULL, NULL, &err);
	keys_settings_apply(&s, "tracking-prefix", "", NULL, NULL, &err);
	keys_settings_apply(&s, "track-internal-as-two", "no", NULL, NULL, &err);
	for (int i = 0; i < keys_settings_count; i++)
		json_object_object_add(changes, keys_settings[i].key,
		                       keys_settings_get_json(&s, keys_settings[i].key));
	assert_int_equal(
	    keys_settings_apply_changes(&fresh, changes, resolve_profile, &calls, &err), 0);
	want = settings_cli(&s);
	got = settings_cli(&fresh);
	assert_string_equal(got, want);
	free(want);
	free(got);
	mailbox_sample(&m);
	mailbox_sample(&mfresh);
	keys_mailbox_apply(&m, "username", "svc", NULL, NULL, &err);
	keys_mailbox_apply(&m, "email", "", NULL, NULL, &err);
	keys_mailbox_apply(&m, "allow-credentials", "yes", NULL, NULL, &err);
	keys_mailbox_apply(&m, "delete-after-processing", "yes", NULL, NULL, &err);
	keys_mailbox_apply(&m, "process-email-from", "2024-02-29", NULL, NULL, &err);
	keys_mailbox_apply(&m, "ews-url", "https://mail.example.com/EWS/Exchange.asmx", NULL, NULL,
	                   &err);
	for (int i = 0; i < keys_mailbox_count; i++)
		if (!keys_mailbox[i].internal)
			json_object_object_add(mchanges, keys_mailbox[i].key,
			                       keys_mailbox_get_json(&m, keys_mailbox[i].key));
	assert_int_equal(keys_mailbox_apply_changes(&mfresh, mchanges, NULL, NULL, &err), 0);
	want = mailbox_keys_json(&m);
	got = mailbox_keys_json(&mfresh);
	assert_string_equal(got, want);
	free(want);
	free(got);
	/* A change that is not a plain value, or names no key, is refused. */
	json_object_object_add(mchanges, "username", json_object_new_array());
	assert_int_equal(keys_mailbox_apply_changes(&mfresh, mchanges, NULL, NULL, &err), EC_LOCAL);
	assert_int_equal(keys_mailbox_apply_changes(&mfresh, NULL, NULL, NULL, &err), EC_LOCAL);
	json_object_put(changes);
	json_object_put(mchanges);
	settings_free(&s);
	settings_free(&fresh);
	mailbox_free(&m);
	mailbox_free(&mfresh);
}

/* ---- server profiles by id ------------------------------------------------ */

#define TWIN_ID "3c0f4a5d-2f1e-ec11-b6e6-000d3a5b1c2e" /* also "Microsoft Exchange Online" */
#define NONE_ID "0c0f4a5d-2f1e-ec11-b6e6-000d3a5b1c2f" /* a profile named "None" */

/* Knows EXO_ID, TWIN_ID (the same name) and NONE_ID by id; by name only
 * "Gmail IMAP". */
static int resolve_by_id(void *ctx, const char *name_or_id, char id[EC_ID_SIZE], char **name,
                         ec_error *err)
{
	static const struct {
		const char *id, *name;
	} known[] = {{EXO_ID, "Microsoft Exchange Online"},
	             {TWIN_ID, "Microsoft Exchange Online"},
	             {NONE_ID, "None"},
	             {IMAP_ID, "Gmail IMAP"}};
	(void)ctx;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(name_or_id, known[i].id) == 0 ||
		    (i == 3 && strcmp(name_or_id, known[i].name) == 0)) {
			strcpy(id, known[i].id);
			*name = strdup(known[i].name);
			return EC_OK;
		}
	return ec_fail(err, EC_USAGE, "no server profile '%s'", name_or_id);
}

static char *name_by_id(void *ctx, const char *id)
{
	char found[EC_ID_SIZE], *name = NULL;
	ec_error err;
	if (resolve_by_id(ctx, id, found, &name, &err) != EC_OK)
		return NULL;
	return name;
}

/* Edits keep and compare the id: two profiles of one name differ, a rename
 * changes nothing, a profile named "None" is not "no profile". */
static void test_profile_value_is_the_id(void **state)
{
	ec_mailbox a, b;
	ec_settings s;
	ec_error err = {0};
	json_object *ja, *jb;
	(void)state;
	mailbox_sample(&a);
	mailbox_sample(&b);
	assert_int_equal(
	    keys_mailbox_apply(&a, "server-profile", EXO_ID, resolve_by_id, NULL, &err), 0);
	assert_int_equal(
	    keys_mailbox_apply(&b, "server-profile", TWIN_ID, resolve_by_id, NULL, &err), 0);
	assert_string_equal(a.profile_name, b.profile_name);
	ja = keys_mailbox_get_json(&a, "server-profile");
	jb = keys_mailbox_get_json(&b, "server-profile");
	assert_false(json_object_equal(ja, jb));
	json_object_put(ja);
	json_object_put(jb);
	/* Renamed: the same value. */
	free(b.profile_name);
	b.profile_name = strdup("Renamed on the org");
	assert_json(keys_mailbox_get_json(&b, "server-profile"), "\"" TWIN_ID "\"");
	/* For display: the name, or the id when it is unknown. */
	assert_json(keys_mailbox_show_json(&b, "server-profile"), "\"Renamed on the org\"");
	free(b.profile_name);
	b.profile_name = NULL;
	assert_json(keys_mailbox_show_json(&b, "server-profile"), "\"" TWIN_ID "\"");
	assert_json(keys_mailbox_show_json(&b, "act"), "\"none\"");
	assert_int_equal(
	    keys_mailbox_apply(&a, "server-profile", NONE_ID, resolve_by_id, NULL, &err), 0);
	assert_json(keys_mailbox_get_json(&a, "server-profile"), "\"" NONE_ID "\"");
	assert_json(keys_mailbox_show_json(&a, "server-profile"), "\"None\"");
	mailbox_free(&a);
	mailbox_free(&b);
	settings_sample(&s);
	assert_json(keys_settings_get_json(&s, "server-profile"), "\"" EXO_ID "\"");
	assert_json(keys_settings_show_json(&s, "server-profile"), "\"Microsoft Exchange Online\"");
	settings_free(&s);
}

/* Replaying changes: an id is set as it is (named when resolve knows it,
 * kept when it does not); a name (an entry of an older emailcfg) is
 * resolved and replaced by its id in the changes. */
static void test_apply_changes_profile_ids(void **state)
{
	ec_mailbox m;
	ec_settings s;
	ec_error err = {0};
	json_object *changes;
	(void)state;
	mailbox_sample(&m);
	changes = json_tokener_parse("{\"server-profile\":\"" NONE_ID "\"}");
	assert_int_equal(keys_mailbox_apply_changes(&m, changes, resolve_by_id, NULL, &err), 0);
	assert_string_equal(m.profile_id, NONE_ID);
	assert_string_equal(m.profile_name, "None");
	assert_json(changes, "{\"server-profile\":\"" NONE_ID "\"}");
	/* An id the cache does not know (the profile is gone, or not synced). */
	changes =
	    json_tokener_parse("{\"server-profile\":\"AAAAAAAA-2f1e-ec11-b6e6-000d3a5b1c2d\"}");
	assert_int_equal(keys_mailbox_apply_changes(&m, changes, resolve_by_id, NULL, &err), 0);
	assert_string_equal(m.profile_id, "aaaaaaaa-2f1e-ec11-b6e6-000d3a5b1c2d");
	assert_null(m.profile_name);
	json_object_put(changes);
	/* A name, kept by an older emailcfg. */
	changes = json_tokener_parse("{\"act\":\"none\",\"server-profile\":\"Gmail IMAP\"}");
	assert_int_equal(keys_mailbox_apply_changes(&m, changes, resolve_by_id, NULL, &err), 0);
	assert_string_equal(m.profile_id, IMAP_ID);
	assert_json(changes, "{\"act\":\"none\",\"server-profile\":\"" IMAP_ID "\"}");
	/* null, and an old "none", clear it. */
	changes = json_tokener_parse("{\"server-profile\":null}");
	assert_int_equal(keys_mailbox_apply_changes(&m, changes, resolve_by_id, NULL, &err), 0);
	assert_string_equal(m.profile_id, "");
	assert_null(m.profile_name);
	json_object_put(changes);
	mailbox_free(&m);
	settings_sample(&s);
	changes = json_tokener_parse("{\"server-profile\":\"" TWIN_ID "\"}");
	assert_int_equal(keys_settings_apply_changes(&s, changes, resolve_by_id, NULL, &err), 0);
	assert_string_equal(s.default_profile_id, TWIN_ID);
	json_object_put(changes);
	settings_free(&s);
	/* The base of an old entry: names become ids, unknown names stay. */
	changes = json_tokener_parse("{\"server-profile\":\"Gmail IMAP\",\"act\":\"none\"}");
	keys_profiles_to_ids(changes, resolve_by_id, NULL);
	assert_json(changes, "{\"server-profile\":\"" IMAP_ID "\",\"act\":\"none\"}");
	changes = json_tokener_parse("{\"server-profile\":\"Legacy\"}");
	keys_profiles_to_ids(changes, resolve_by_id, NULL);
	assert_json(changes, "{\"server-profile\":\"Legacy\"}");
	changes = json_tokener_parse("{\"server-profile\":\"None\"}");
	keys_profiles_to_ids(changes, resolve_by_id, NULL);
	assert_json(changes, "{\"server-profile\":null}");
}

/* What the outbox shows: ids as the cached names, anything else as is. */
static void test_values_shown(void **state)
{
	json_object *kept = json_tokener_parse("{\"act\":\"none\",\"server-profile\":\"" NONE_ID
	                                       "\",\"username\":null}");
	(void)state;
	assert_json(keys_values_shown(kept, name_by_id, NULL),
	            "{\"act\":\"none\",\"server-profile\":\"None\",\"username\":null}");
	assert_json(keys_values_shown(kept, NULL, NULL),
	            "{\"act\":\"none\",\"server-profile\":\"" NONE_ID "\",\"username\":null}");
	json_object_put(kept);
	kept = json_tokener_parse("{\"server-profile\":\"bbbbbbbb-2f1e-ec11-b6e6-000d3a5b1c2d\"}");
	assert_json(keys_values_shown(kept, name_by_id, NULL),
	            "{\"server-profile\":\"bbbbbbbb-2f1e-ec11-b6e6-000d3a5b1c2d\"}");
	json_object_put(kept);
	kept = json_tokener_parse("{\"server-profile\":\"Gmail IMAP\"}");
	assert_json(keys_values_shown(kept, name_by_id, NULL),
	            "{\"server-profile\":\"Gmail IMAP\"}");
	json_object_put(kept);
	assert_null(keys_values_shown(NULL, name_by_id, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_value_hints),
	    cmocka_unit_test(test_settings_every_key_applied),
	    cmocka_unit_test(test_settings_every_key_refused),
	    cmocka_unit_test(test_settings_long_prefix),
	    cmocka_unit_test(test_settings_unknown_key),
	    cmocka_unit_test(test_settings_tracking_tokens),
	    cmocka_unit_test(test_settings_inverted_and_sizes),
	    cmocka_unit_test(test_settings_profile_without_resolver),
	    cmocka_unit_test(test_settings_resolver_called_only_for_names),
	    cmocka_unit_test(test_mailbox_every_key_applied),
	    cmocka_unit_test(test_mailbox_every_key_refused),
	    cmocka_unit_test(test_mailbox_lengths),
	    cmocka_unit_test(test_mailbox_date_and_url),
	    cmocka_unit_test(test_mailbox_unknown_key),
	    cmocka_unit_test(test_settings_patch),
	    cmocka_unit_test(test_settings_patch_clears),
	    cmocka_unit_test(test_mailbox_patch),
	    cmocka_unit_test(test_mailbox_patch_round_trip),
	    cmocka_unit_test(test_apply_changes_replays),
	    cmocka_unit_test(test_profile_value_is_the_id),
	    cmocka_unit_test(test_apply_changes_profile_ids),
	    cmocka_unit_test(test_values_shown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
