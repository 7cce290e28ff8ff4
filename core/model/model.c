/* model.c — initialising, copying and freeing the model structs, and the
 * small slug tables of local states (outbox, check status). */
#include "core/model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"

void settings_init(ec_settings *s)
{
	memset(s, 0, sizeof *s);
	s->process_using = s->default_incoming = s->default_outgoing = s->default_act = EC_NULL;
	s->approve_users = s->approve_queues = EC_NULL;
	s->alerts_errors = s->alerts_warnings = s->alerts_information = EC_NULL;
	s->notify_mailbox_owner = s->correlation = s->max_tracking_number = EC_NULL;
	s->folder_tracking = s->smart_matching = s->ignore_internal_email = EC_NULL;
	s->allow_unresolved = EC_NULL;
	s->max_upload_bytes = EC_NULL;
	s->forward_mailbox_active = EC_NULL;
}

void profile_init(ec_profile *p)
{
	memset(p, 0, sizeof *p);
	p->server_type = p->incoming_port = p->outgoing_port = EC_NULL;
	p->incoming_ssl = p->outgoing_ssl = EC_NULL;
	p->incoming_credential = p->outgoing_credential = EC_NULL;
	p->use_same_settings = p->state = EC_NULL;
	p->incoming_auth = p->outgoing_auth = EC_NULL;
	p->incoming_password_set = p->outgoing_password_set = EC_NULL;
	p->use_autodiscover = p->max_connections = EC_NULL;
}

void mailbox_init(ec_mailbox *m)
{
	memset(m, 0, sizeof *m);
	m->owner_type = EC_NULL;
	m->incoming = m->outgoing = m->act = EC_NULL;
	m->incoming_status = m->outgoing_status = m->act_status = EC_NULL;
	m->mailbox_status = m->approval = EC_NULL;
	m->enabled_incoming = m->enabled_outgoing = m->enabled_act = EC_NULL;
	m->test_scheduled = m->retry_count = EC_NULL;
	m->allow_credentials = m->password_set = m->state = EC_NULL;
	m->delete_after_processing = m->is_forward_mailbox = m->processing_state = EC_NULL;
	m->org_primary_for_exchange_sync = EC_NULL;
	m->last_sync_error_code = EC_NULL_CODE;
}

void alert_init(ec_alert *a)
{
	memset(a, 0, sizeof *a);
	a->level = a->success = EC_NULL;
	a->code = EC_NULL;
}

void outbox_entry_init(ec_outbox_entry *e)
{
	memset(e, 0, sizeof *e);
}

void test_result_init(ec_test_result *t)
{
	memset(t, 0, sizeof *t);
	t->verdict = CHECK_SKIP;
}

void settings_free(ec_settings *s)
{
	free(s->name);
	free(s->default_profile_name);
	free(s->tracking_prefix);
	free(s->unreadable);
	settings_init(s);
}

void profile_free(ec_profile *p)
{
	free(p->name);
	free(p->incoming_location);
	free(p->outgoing_location);
	free(p->server_type_name);
	free(p->incoming_username);
	free(p->outgoing_username);
	free(p->unreadable);
	profile_init(p);
}

void mailbox_free(ec_mailbox *m)
{
	free(m->name);
	free(m->email);
	free(m->owner);
	free(m->profile_name);
	free(m->username);
	free(m->ews_url);
	free(m->last_sync_error);
	free(m->unreadable);
	mailbox_init(m);
}

void alert_free(ec_alert *a)
{
	free(a->text);
	free(a->unreadable);
	alert_init(a);
}

void outbox_entry_free(ec_outbox_entry *e)
{
	free(e->changes);
	free(e->base);
	free(e->theirs);
	free(e->error);
	outbox_entry_init(e);
}

void test_result_free(ec_test_result *t)
{
	for (int i = 0; i < t->nchecks; i++) {
		free(t->checks[i].code);
		free(t->checks[i].message);
		free(t->checks[i].fix);
	}
	free(t->checks);
	free(t->name);
	test_result_init(t);
}

void mailbox_copy(ec_mailbox *dst, const ec_mailbox *src)
{
	*dst = *src;
	dst->name = ec_strdup(src->name);
	dst->email = ec_strdup(src->email);
	dst->owner = ec_strdup(src->owner);
	dst->profile_name = ec_strdup(src->profile_name);
	dst->username = ec_strdup(src->username);
	dst->ews_url = ec_strdup(src->ews_url);
	dst->last_sync_error = ec_strdup(src->last_sync_error);
	dst->unreadable = ec_strdup(src->unreadable);
}

void settings_copy(ec_settings *dst, const ec_settings *src)
{
	*dst = *src;
	dst->name = ec_strdup(src->name);
	dst->default_profile_name = ec_strdup(src->default_profile_name);
	dst->tracking_prefix = ec_strdup(src->tracking_prefix);
	dst->unreadable = ec_strdup(src->unreadable);
}

void profile_copy(ec_profile *dst, const ec_profile *src)
{
	*dst = *src;
	dst->name = ec_strdup(src->name);
	dst->incoming_location = ec_strdup(src->incoming_location);
	dst->outgoing_location = ec_strdup(src->outgoing_location);
	dst->server_type_name = ec_strdup(src->server_type_name);
	dst->incoming_username = ec_strdup(src->incoming_username);
	dst->outgoing_username = ec_strdup(src->outgoing_username);
	dst->unreadable = ec_strdup(src->unreadable);
}

void test_result_add(ec_test_result *t, const char *stage, const char *channel,
                     enum ec_check_status status, const char *code, const char *message,
                     const char *fix, long elapsed_ms)
{
	ec_check *c;
	t->checks = ec_xrealloc(t->checks, sizeof *t->checks * (unsigned long)(t->nchecks + 1));
	c = &t->checks[t->nchecks++];
	memset(c, 0, sizeof *c);
	snprintf(c->stage, sizeof c->stage, "%s", stage ? stage : "");
	snprintf(c->channel, sizeof c->channel, "%s", channel ? channel : "");
	c->status = status;
	c->code = ec_strdup(code);
	c->message = ec_strdup(message);
	c->fix = ec_strdup(fix);
	c->elapsed_ms = elapsed_ms;
}

static const char *const outbox_slugs[] = {"queued", "sent", "conflict", "failed"};

const char *outbox_state_slug(enum ec_outbox_state s)
{
	return (unsigned)s < 4 ? outbox_slugs[s] : "queued";
}

int outbox_state_parse(const char *slug, enum ec_outbox_state *out)
{
	for (int i = 0; i < 4; i++)
		if (slug && strcmp(slug, outbox_slugs[i]) == 0) {
			*out = (enum ec_outbox_state)i;
			return 0;
		}
	return -1;
}

/* The words of a check as the admin reads them: its stage, channel and
 * status are slugs in the cache and in JSON, translated only when shown. */
static const char *const check_words[] = {
    NC_("check", "rules"),    NC_("check", "approval"), NC_("check", "connectivity"),
    NC_("check", "server"),   NC_("check", "verdict"),  NC_("check", "incoming"),
    NC_("check", "outgoing"), NC_("check", "act"),      NC_("check", "pass"),
    NC_("check", "fail"),     NC_("check", "skip")};

const char *check_word(const char *slug)
{
	for (size_t i = 0; i < sizeof check_words / sizeof check_words[0]; i++)
		if (strcmp(check_words[i], slug) == 0)
			return C_("check", check_words[i]);
	return slug;
}

const char *check_status_slug(enum ec_check_status s)
{
	switch (s) {
	case CHECK_PASS: return "pass";
	case CHECK_FAIL: return "fail";
	default: return "skip";
	}
}
