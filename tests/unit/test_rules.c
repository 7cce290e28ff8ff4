/* test_rules.c — every rule of the table, allowed and refused, for edits,
 * for Test & Enable, and in the pickers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/model/options.h"
#include "core/model/rules.h"

#define PROFILE_ID "3c0f4a5d-2f1e-ec11-b6e6-000d3a5b1c2d"

static ec_mailbox user_mailbox(void)
{
	ec_mailbox m;
	mailbox_init(&m);
	strcpy(m.id, "a1b2c3d4-1111-ec11-8c62-000d3adcebd7");
	m.owner_type = OWNER_USER;
	m.incoming = INCOMING_SSS;
	m.outgoing = OUTGOING_SSS;
	m.act = ACT_SSS;
	m.approval = APPROVAL_APPROVED;
	m.state = STATE_ACTIVE;
	m.allow_credentials = 0;
	strcpy(m.profile_id, PROFILE_ID);
	return m;
}

static ec_profile exchange_profile(void)
{
	ec_profile p;
	profile_init(&p);
	strcpy(p.id, PROFILE_ID);
	p.server_type = SERVER_EXCHANGE;
	p.state = STATE_ACTIVE;
	p.incoming_credential = CRED_S2S;
	p.outgoing_credential = CRED_S2S;
	p.use_same_settings = 1;
	return p;
}

static ec_settings approving_settings(void)
{
	ec_settings s;
	settings_init(&s);
	s.process_using = PROCESS_SSS;
	s.approve_users = 1;
	s.approve_queues = 1;
	return s;
}

/* The id of the first refusal for an edit, or NULL. */
static const char *edit_refusal(const ec_mailbox *before, const ec_mailbox *after,
                                const ec_settings *s, const ec_profile *p)
{
	const ec_rule *r = rules_refusal(before, after, s, p);
	return r ? r->id : NULL;
}

/* The ids of the rules a mailbox fails for Test & Enable, space-separated. */
static void test_refusals(const ec_mailbox *m, const ec_settings *s, const ec_profile *p, char *out,
                          size_t size)
{
	rule_ctx ctx = {NULL, m, s, p};
	rule_finding f[16];
	int n = rules_check(&ctx, RULE_REFUSES_TEST, f, 16);
	out[0] = '\0';
	for (int i = 0; i < n && i < 16; i++)
		if (f[i].refused) {
			strncat(out, f[i].rule->id, size - strlen(out) - 2);
			strcat(out, " ");
		}
}

static void a_good_mailbox_passes(void **state)
{
	ec_mailbox m = user_mailbox();
	ec_settings s = approving_settings();
	ec_profile p = exchange_profile();
	char ids[256];
	(void)state;
	test_refusals(&m, &s, &p, ids, sizeof ids);
	assert_string_equal(ids, "");
	assert_null(edit_refusal(&m, &m, &s, &p));
}

static void queue_cannot_use_outlook(void **state)
{
	ec_mailbox before = user_mailbox(), after;
	ec_profile p = exchange_profile();
	(void)state;
	before.owner_type = OWNER_QUEUE;
	after = before;
	after.incoming = INCOMING_OUTLOOK;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "queue-no-outlook");
	after.incoming = INCOMING_SSS;
	after.outgoing = OUTGOING_OUTLOOK;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "queue-no-outlook");
	/* A user may use Outlook. */
	before.owner_type = after.owner_type = OWNER_USER;
	assert_null(edit_refusal(&before, &after, NULL, &p));
}

static void forward_mailbox_rules(void **state)
{
	ec_mailbox before = user_mailbox(), after;
	ec_profile p = exchange_profile();
	(void)state;
	before.owner_type = OWNER_FORWARD;
	before.outgoing = OUTGOING_NONE;
	before.act = ACT_NONE;
	after = before;
	assert_null(edit_refusal(&before, &after, NULL, &p));
	after.outgoing = OUTGOING_SSS;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "forward-outgoing-none");
	after.outgoing = OUTGOING_NONE;
	after.incoming = INCOMING_FORWARD;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "forward-incoming");
	after.incoming = INCOMING_OUTLOOK;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "forward-incoming");
}

/* Forward Mailbox as a delivery method needs an active forward mailbox:
 * refused when the cache knows there is none, allowed when one exists or
 * when nobody could tell (no settings, or unknown), and the same for the
 * organization's default; a forward mailbox itself is judged by its own
 * rule. */
static void forward_method_needs_a_forward_mailbox(void **state)
{
	ec_mailbox before = user_mailbox(), after;
	ec_settings s = approving_settings(), was;
	ec_profile p = exchange_profile();
	(void)state;
	before.owner_type = OWNER_QUEUE;
	before.act = ACT_NONE;
	after = before;
	after.incoming = INCOMING_FORWARD;
	s.forward_mailbox_active = 0;
	assert_string_equal(edit_refusal(&before, &after, &s, &p), "forward-needs-forward-mailbox");
	after.owner_type = before.owner_type = OWNER_USER;
	assert_string_equal(edit_refusal(&before, &after, &s, &p), "forward-needs-forward-mailbox");
	s.forward_mailbox_active = 1;
	assert_null(edit_refusal(&before, &after, &s, &p));
	s.forward_mailbox_active = EC_NULL;
	assert_null(edit_refusal(&before, &after, &s, &p));
	assert_null(edit_refusal(&before, &after, NULL, &p));
	/* The organization's default. */
	was = approving_settings();
	was.default_incoming = INCOMING_SSS;
	was.forward_mailbox_active = 0;
	s = was;
	s.default_incoming = INCOMING_FORWARD;
	assert_string_equal(rules_settings_refusal(&was, &s)->id, "forward-needs-forward-mailbox");
	s.forward_mailbox_active = was.forward_mailbox_active = 1;
	assert_null(rules_settings_refusal(&was, &s));
	/* Already so before: another settings edit stays possible. */
	s.forward_mailbox_active = was.forward_mailbox_active = 0;
	was.default_incoming = INCOMING_FORWARD;
	assert_null(rules_settings_refusal(&was, &s));
}

/* ACT belongs to users: a queue may not sync it, and defaults leave it. */
static void act_is_for_users(void **state)
{
	ec_mailbox before = user_mailbox(), after;
	ec_profile p = exchange_profile();
	(void)state;
	before.owner_type = OWNER_QUEUE;
	before.act = ACT_NONE;
	after = before;
	after.act = ACT_SSS;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "act-users-only");
	after.act = ACT_OUTLOOK; /* the column's default: not refused */
	assert_null(edit_refusal(&before, &after, NULL, &p));
	assert_false(rules_act_applies(&before));
	before.owner_type = after.owner_type = OWNER_USER;
	after.act = ACT_SSS;
	assert_null(edit_refusal(&before, &after, NULL, &p));
	assert_true(rules_act_applies(&before));
}

/* Deleting processed email: forward and queue mailboxes only. */
static void only_forward_and_queue_delete(void **state)
{
	ec_mailbox before = user_mailbox(), after;
	ec_profile p = exchange_profile();
	(void)state;
	before.delete_after_processing = 0;
	after = before;
	after.delete_after_processing = 1;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "delete-forward-queue-only");
	before.owner_type = after.owner_type = OWNER_QUEUE;
	before.act = after.act = ACT_NONE;
	assert_null(edit_refusal(&before, &after, NULL, &p));
	before.owner_type = after.owner_type = OWNER_FORWARD;
	before.outgoing = after.outgoing = OUTGOING_NONE;
	assert_null(edit_refusal(&before, &after, NULL, &p));
}

/* Which keys call for Test & Enable again. */
static void retest_keys(void **state)
{
	static const char *const yes[] = {"incoming", "outgoing", "act", "email", "server-profile"};
	static const char *const no[] = {
	    "username", "allow-credentials",  "state",
	    "ews-url",  "process-email-from", "delete-after-processing"};
	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		assert_true(rules_key_needs_test(yes[i]));
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_false(rules_key_needs_test(no[i]));
}

static void owner_type_cannot_change(void **state)
{
	ec_mailbox before = user_mailbox(), after = before;
	(void)state;
	after.owner_type = OWNER_QUEUE;
	assert_string_equal(edit_refusal(&before, &after, NULL, NULL), "owner-type-fixed");
}

static void act_needs_exchange(void **state)
{
	ec_mailbox m = user_mailbox(), after;
	ec_profile p = exchange_profile();
	(void)state;
	m.act = ACT_NONE;
	after = m;
	after.act = ACT_SSS;
	assert_null(edit_refusal(&m, &after, NULL, &p));
	p.server_type = SERVER_POP3_SMTP;
	assert_string_equal(edit_refusal(&m, &after, NULL, &p), "act-needs-exchange");
	p.server_type = SERVER_IMAP_SMTP;
	assert_string_equal(edit_refusal(&m, &after, NULL, &p), "act-needs-exchange");
	after.act = ACT_OUTLOOK;
	assert_null(edit_refusal(&m, &after, NULL, &p));
}

static void sss_needs_an_active_profile(void **state)
{
	ec_mailbox before = user_mailbox(), after = before;
	ec_profile p = exchange_profile();
	(void)state;
	after.profile_id[0] = '\0';
	assert_string_equal(edit_refusal(&before, &after, NULL, NULL), "sss-needs-profile");
	/* Without server-side sync no profile is needed. */
	after.incoming = INCOMING_NONE;
	after.outgoing = OUTGOING_NONE;
	after.act = ACT_NONE;
	assert_null(edit_refusal(&before, &after, NULL, NULL));
	/* An inactive profile refuses switching a channel to server-side sync. */
	p.state = STATE_INACTIVE;
	before.incoming = INCOMING_NONE;
	before.outgoing = OUTGOING_NONE;
	before.act = ACT_NONE;
	after = before;
	after.incoming = INCOMING_SSS;
	assert_string_equal(edit_refusal(&before, &after, NULL, &p), "profile-inactive");
}

static void an_existing_problem_does_not_block_other_edits(void **state)
{
	ec_mailbox before = user_mailbox(), after;
	ec_profile p = exchange_profile();
	rule_ctx ctx;
	rule_finding f[8];
	int n;
	(void)state;
	p.state = STATE_INACTIVE; /* already broken */
	after = before;
	after.enabled_incoming = 1;
	assert_null(edit_refusal(&before, &after, NULL, &p));
	ctx = (rule_ctx){&before, &after, NULL, &p};
	n = rules_check(&ctx, RULE_REFUSES_EDIT, f, 8);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].rule->id, "profile-inactive");
	assert_false(f[0].refused);
}

static void approval_is_a_test_rule(void **state)
{
	ec_mailbox m = user_mailbox(), q;
	ec_settings s = approving_settings();
	ec_profile p = exchange_profile();
	char ids[256];
	(void)state;
	m.approval = APPROVAL_PENDING;
	test_refusals(&m, &s, &p, ids, sizeof ids);
	assert_string_equal(ids, "approval-required ");
	assert_null(edit_refusal(&m, &m, &s, &p)); /* an edit is still fine */
	s.approve_users = 0;
	test_refusals(&m, &s, &p, ids, sizeof ids);
	assert_string_equal(ids, "");
	/* Queues follow their own switch. */
	q = m;
	q.owner_type = OWNER_QUEUE;
	s.approve_queues = 1;
	q.approval = APPROVAL_REJECTED;
	test_refusals(&q, &s, &p, ids, sizeof ids);
	assert_string_equal(ids, "approval-required ");
	s.approve_queues = 0;
	test_refusals(&q, &s, &p, ids, sizeof ids);
	assert_string_equal(ids, "");
}

static void credentials_from_the_mailbox(void **state)
{
	ec_mailbox m = user_mailbox();
	ec_profile p = exchange_profile();
	char ids[256];
	char user[] = "ana@example.si";
	(void)state;
	p.incoming_credential = CRED_USER_OR_QUEUE;
	test_refusals(&m, NULL, &p, ids, sizeof ids);
	assert_string_equal(ids, "credentials-needed ");
	m.allow_credentials = 1;
	test_refusals(&m, NULL, &p, ids, sizeof ids);
	assert_string_equal(ids, "credentials-needed ");
	m.username = user;
	test_refusals(&m, NULL, &p, ids, sizeof ids);
	assert_string_equal(ids, "");
	/* Outgoing with its own credential setting. */
	m.allow_credentials = 0;
	m.incoming = INCOMING_NONE;
	m.act = ACT_NONE;
	p.use_same_settings = 0;
	p.outgoing_credential = CRED_PROFILE;
	test_refusals(&m, NULL, &p, ids, sizeof ids);
	assert_string_equal(ids, "");
	p.outgoing_credential = CRED_USER_OR_QUEUE;
	test_refusals(&m, NULL, &p, ids, sizeof ids);
	assert_string_equal(ids, "credentials-needed ");
}

static void inactive_mailboxes_are_not_processed(void **state)
{
	ec_mailbox m = user_mailbox(), after;
	ec_profile p = exchange_profile();
	char ids[256];
	(void)state;
	m.state = STATE_INACTIVE;
	test_refusals(&m, NULL, &p, ids, sizeof ids);
	assert_string_equal(ids, "mailbox-inactive ");
	after = m;
	after.state = STATE_ACTIVE;
	assert_null(edit_refusal(&m, &after, NULL, &p));
	assert_null(edit_refusal(&after, &m, NULL, &p)); /* deactivating is allowed */
}

static void email_router_is_only_a_warning(void **state)
{
	ec_mailbox m = user_mailbox();
	ec_settings s = approving_settings();
	ec_profile p = exchange_profile();
	rule_ctx ctx = {NULL, &m, &s, &p};
	rule_finding f[8];
	(void)state;
	s.process_using = PROCESS_ROUTER;
	assert_int_equal(rules_check(&ctx, RULE_REFUSES_TEST, f, 8), 1);
	assert_string_equal(f[0].rule->id, "email-router-retired");
	assert_false(f[0].refused);
}

static void pickers_show_refused_options_with_reasons(void **state)
{
	ec_mailbox q = user_mailbox();
	ec_profile p = exchange_profile();
	rule_choice c[4];
	int n;
	(void)state;
	q.owner_type = OWNER_QUEUE;
	n = rules_choices(FIELD_INCOMING, &q, NULL, &p, c);
	assert_int_equal(n, 4);
	for (int i = 0; i < n; i++) {
		if (c[i].wire == INCOMING_OUTLOOK) {
			assert_non_null(c[i].refused_by);
			assert_string_equal(c[i].refused_by->id, "queue-no-outlook");
			assert_non_null(strstr(rule_message(c[i].refused_by), "queue"));
		} else {
			assert_null(c[i].refused_by);
		}
	}
	p.server_type = SERVER_POP3_SMTP;
	n = rules_choices(FIELD_ACT, &q, NULL, &p, c);
	assert_int_equal(n, 3);
	assert_string_equal(c[ACT_SSS].slug, "server-side-sync");
	assert_string_equal(c[ACT_SSS].refused_by->id, "act-needs-exchange");
	assert_null(c[ACT_NONE].refused_by);
}

static void every_rule_has_words(void **state)
{
	(void)state;
	for (int i = 0; i < rules_count; i++) {
		assert_true(strlen(rules_table[i].id) > 3);
		assert_true(strlen(rule_message(&rules_table[i])) > 20);
		assert_true(strlen(rule_fix(&rules_table[i])) > 5);
		assert_ptr_equal(rule_find(rules_table[i].id), &rules_table[i]);
	}
	assert_null(rule_find("no-such-rule"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_good_mailbox_passes),
	    cmocka_unit_test(queue_cannot_use_outlook),
	    cmocka_unit_test(forward_mailbox_rules),
	    cmocka_unit_test(forward_method_needs_a_forward_mailbox),
	    cmocka_unit_test(act_is_for_users),
	    cmocka_unit_test(only_forward_and_queue_delete),
	    cmocka_unit_test(retest_keys),
	    cmocka_unit_test(owner_type_cannot_change),
	    cmocka_unit_test(act_needs_exchange),
	    cmocka_unit_test(sss_needs_an_active_profile),
	    cmocka_unit_test(an_existing_problem_does_not_block_other_edits),
	    cmocka_unit_test(approval_is_a_test_rule),
	    cmocka_unit_test(credentials_from_the_mailbox),
	    cmocka_unit_test(inactive_mailboxes_are_not_processed),
	    cmocka_unit_test(email_router_is_only_a_warning),
	    cmocka_unit_test(pickers_show_refused_options_with_reasons),
	    cmocka_unit_test(every_rule_has_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
