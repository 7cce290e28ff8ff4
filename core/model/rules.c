/* rules.c — the rule table (see rules.h). Each rule is a predicate plus its
 * words; adding a rule is adding a row. Sources: docs/architecture.md and
 * docs/dataverse.md. */
#include "core/model/rules.h"

#include <string.h>

#include "core/base/i18n.h"
#include "core/model/options.h"

static bool uses_sss(const ec_mailbox *m)
{
	return m->incoming == INCOMING_SSS || m->outgoing == OUTGOING_SSS || m->act == ACT_SSS;
}

static bool queue_uses_outlook(const rule_ctx *c)
{
	return c->after->owner_type == OWNER_QUEUE &&
	       (c->after->incoming == INCOMING_OUTLOOK || c->after->outgoing == OUTGOING_OUTLOOK);
}

static bool forward_sends(const rule_ctx *c)
{
	return c->after->owner_type == OWNER_FORWARD && c->after->outgoing != EC_NULL &&
	       c->after->outgoing != OUTGOING_NONE;
}

static bool forward_incoming_wrong(const rule_ctx *c)
{
	return c->after->owner_type == OWNER_FORWARD &&
	       (c->after->incoming == INCOMING_OUTLOOK || c->after->incoming == INCOMING_FORWARD);
}

static bool owner_type_changed(const rule_ctx *c)
{
	return c->before && c->before->owner_type != c->after->owner_type;
}

static bool act_on_pop_imap(const rule_ctx *c)
{
	return c->after->act == ACT_SSS && c->profile &&
	       (c->profile->server_type == SERVER_POP3_SMTP ||
	        c->profile->server_type == SERVER_IMAP_SMTP);
}

static bool sss_without_profile(const rule_ctx *c)
{
	return uses_sss(c->after) && c->after->profile_id[0] == '\0';
}

static bool sss_profile_inactive(const rule_ctx *c)
{
	return uses_sss(c->after) && c->after->profile_id[0] && c->profile &&
	       c->profile->state == STATE_INACTIVE;
}

static bool not_approved(const rule_ctx *c)
{
	const ec_mailbox *m = c->after;
	bool required;
	if (!c->settings || m->approval == APPROVAL_APPROVED)
		return false;
	required = (m->owner_type == OWNER_USER && c->settings->approve_users == 1) ||
	           (m->owner_type == OWNER_QUEUE && c->settings->approve_queues == 1);
	return required && uses_sss(m);
}

static bool router_retired(const rule_ctx *c)
{
	return c->settings && c->settings->process_using == PROCESS_ROUTER;
}

/* A profile with "credentials specified by a user or queue" logs in with the
 * mailbox's own user name and password. */
static bool profile_wants_mailbox_credentials(const rule_ctx *c)
{
	const ec_profile *p = c->profile;
	int out_cred;
	if (!p)
		return false;
	out_cred = p->use_same_settings == 1 ? p->incoming_credential : p->outgoing_credential;
	return ((c->after->incoming == INCOMING_SSS || c->after->act == ACT_SSS) &&
	        p->incoming_credential == CRED_USER_OR_QUEUE) ||
	       (c->after->outgoing == OUTGOING_SSS && out_cred == CRED_USER_OR_QUEUE);
}

static bool credentials_missing(const rule_ctx *c)
{
	return profile_wants_mailbox_credentials(c) &&
	       (c->after->allow_credentials != 1 || !c->after->username || !c->after->username[0]);
}

/* Incoming email by Forward Mailbox is collected by a forward mailbox; with
 * none active in the organization it goes nowhere. Judged only when the
 * cache could tell (settings->forward_mailbox_active). */
static bool forward_without_forward_mailbox(const rule_ctx *c)
{
	return c->after->incoming == INCOMING_FORWARD && c->after->owner_type != OWNER_FORWARD &&
	       c->settings && c->settings->forward_mailbox_active == 0;
}

/* ACT (appointments, contacts, tasks) is a user mailbox feature. Outlook
 * (0) is the column's default on every new mailbox, so only server-side
 * synchronization is refused. */
static bool queue_syncs_act(const rule_ctx *c)
{
	return c->after->owner_type == OWNER_QUEUE && c->after->act == ACT_SSS;
}

bool rules_act_applies(const ec_mailbox *m)
{
	return m->owner_type != OWNER_QUEUE;
}

static bool user_deletes_processed(const rule_ctx *c)
{
	return c->after->owner_type == OWNER_USER && c->after->delete_after_processing == 1;
}

static bool mailbox_inactive(const rule_ctx *c)
{
	return c->after->state == STATE_INACTIVE;
}

#define EDIT_TEST (RULE_REFUSES_EDIT | RULE_REFUSES_TEST)

const ec_rule rules_table[] = {
    {"owner-type-fixed", RULE_REFUSES_EDIT, CH_ALL, "type", owner_type_changed,
     N_("A mailbox's type (user, queue or forward mailbox) cannot be changed."),
     N_("Change the user or queue record in Dynamics 365, or create a new forward mailbox.")},
    {"queue-no-outlook", EDIT_TEST, CH_INCOMING | CH_OUTGOING, "incoming", queue_uses_outlook,
     N_("A queue mailbox cannot use Dynamics 365 for Outlook for incoming or outgoing email."),
     N_("Use incoming=server-side-sync (or none) and outgoing=server-side-sync (or none).")},
    {"forward-outgoing-none", EDIT_TEST, CH_OUTGOING, "outgoing", forward_sends,
     N_("A forward mailbox only collects email; its outgoing email must be None."),
     N_("Set outgoing=none.")},
    {"forward-incoming", EDIT_TEST, CH_INCOMING, "incoming", forward_incoming_wrong,
     N_("A forward mailbox receives email itself; it cannot use Outlook or another forward "
        "mailbox for incoming email."),
     N_("Set incoming=server-side-sync.")},
    {"act-needs-exchange", EDIT_TEST, CH_ACT, "act", act_on_pop_imap,
     N_("Appointments, contacts and tasks cannot be synchronized through a POP3/SMTP or "
        "IMAP/SMTP server profile."),
     N_("Set act=none (or outlook), or choose an Exchange server profile.")},
    {"sss-needs-profile", EDIT_TEST, CH_ALL, "server-profile", sss_without_profile,
     N_("Server-side synchronization needs an email server profile, and this mailbox has "
        "none."),
     N_("Choose one with server-profile=NAME, or set the methods to none.")},
    {"profile-inactive", EDIT_TEST, CH_ALL, "server-profile", sss_profile_inactive,
     N_("The mailbox's email server profile is inactive, so server-side synchronization "
        "skips the mailbox."),
     N_("Activate the profile in Dynamics 365, or choose an active profile.")},
    {"approval-required", RULE_REFUSES_TEST, CH_ALL, "approval", not_approved,
     N_("The organization processes email only for approved mailboxes, and this mailbox's "
        "email address is not approved."),
     N_("Approve it (press a in the console, or emailcfg approve; needs a Global or "
        "Exchange Administrator or the Delegated Mailbox Approver role), or turn off "
        "approve-users/approve-queues.")},
    {"credentials-needed", RULE_REFUSES_TEST, CH_ALL, "allow-credentials", credentials_missing,
     N_("The server profile takes credentials from the user or queue, but this mailbox does "
        "not allow their use or has no user name."),
     N_("Set allow-credentials=yes and username=NAME, and set the password in the console.")},
    {"forward-needs-forward-mailbox", RULE_REFUSES_EDIT, CH_INCOMING, "incoming",
     forward_without_forward_mailbox,
     N_("Incoming email by Forward Mailbox needs an active forward mailbox to collect it, and "
        "the organization has none."),
     N_("Create and activate a forward mailbox in Dynamics 365 first, or set "
        "incoming=server-side-sync.")},
    {"act-users-only", RULE_REFUSES_EDIT, CH_ACT, "act", queue_syncs_act,
     N_("Appointments, contacts and tasks are synchronized for users only, not for a queue "
        "mailbox."),
     N_("Set act=none.")},
    {"delete-forward-queue-only", RULE_REFUSES_EDIT, CH_INCOMING, "delete-after-processing",
     user_deletes_processed,
     N_("Only forward mailboxes and queue mailboxes may delete email after processing it; a "
        "user's mailbox keeps the user's email."),
     N_("Set delete-after-processing=no.")},
    {"mailbox-inactive", RULE_REFUSES_TEST, CH_ALL, "state", mailbox_inactive,
     N_("The mailbox is inactive; server-side synchronization does not process inactive "
        "mailboxes."),
     N_("Set state=active.")},
    {"email-router-retired", 0, CH_ALL, NULL, router_retired,
     N_("The organization processes email with the Email Router, which no longer works for "
        "online organizations."),
     N_("Set process-email-using=server-side-sync in the settings.")},
};
const int rules_count = (int)(sizeof rules_table / sizeof rules_table[0]);

int rules_check(const rule_ctx *ctx, unsigned scope, rule_finding *out, int max)
{
	int n = 0;
	/* Two passes so refusals come first. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < rules_count; i++) {
			const ec_rule *r = &rules_table[i];
			bool refused;
			if (!r->violated(ctx))
				continue;
			refused = (r->refuses & scope) != 0;
			if (refused && ctx->before && scope == RULE_REFUSES_EDIT) {
				rule_ctx was = {NULL, ctx->before, ctx->settings, NULL};
				/* The profile may have changed; judge the saved
				 * mailbox with its own profile only when unchanged. */
				if (strcmp(ctx->before->profile_id, ctx->after->profile_id) == 0)
					was.profile = ctx->profile;
				if (r->violated(&was))
					refused = false;
			}
			if ((pass == 0) != refused)
				continue;
			if (n < max)
				out[n] = (rule_finding){r, refused};
			n++;
		}
	return n;
}

const ec_rule *rules_refusal(const ec_mailbox *before, const ec_mailbox *after,
                             const ec_settings *settings, const ec_profile *profile)
{
	rule_ctx ctx = {before, after, settings, profile};
	rule_finding f[1];
	if (rules_check(&ctx, RULE_REFUSES_EDIT, f, 1) > 0 && f[0].refused)
		return f[0].rule;
	return NULL;
}

static int *field_slot(ec_mailbox *m, enum rules_field field)
{
	return field == FIELD_INCOMING   ? &m->incoming
	       : field == FIELD_OUTGOING ? &m->outgoing
	                                 : &m->act;
}

/* Does rule r refuse an edit of this mailbox with the field set to wire? */
static bool refuses_with(const ec_rule *r, const ec_mailbox *current, enum rules_field field,
                         int wire, const ec_settings *settings, const ec_profile *profile)
{
	ec_mailbox trial = *current;                      /* shallow: only an int changes */
	rule_ctx ctx = {NULL, &trial, settings, profile}; /* the value, not the change */
	*field_slot(&trial, field) = wire;
	return (r->refuses & RULE_REFUSES_EDIT) && r->violated(&ctx);
}

/* A picker disables an option for a rule only when the option is what breaks
 * the rule: a rule that every option breaks is about another field and must
 * not grey out the whole list. */
int rules_choices(enum rules_field field, const ec_mailbox *current, const ec_settings *settings,
                  const ec_profile *profile, rule_choice *out)
{
	const ec_optset *set = field == FIELD_INCOMING   ? &opt_incoming
	                       : field == FIELD_OUTGOING ? &opt_outgoing
	                                                 : &opt_act;
	for (int i = 0; i < set->count; i++) {
		out[i].wire = set->opts[i].wire;
		out[i].slug = set->opts[i].slug;
		out[i].refused_by = NULL;
	}
	for (int r = 0; r < rules_count; r++) {
		const ec_rule *rule = &rules_table[r];
		int broken = 0;
		for (int i = 0; i < set->count; i++)
			broken +=
			    refuses_with(rule, current, field, out[i].wire, settings, profile);
		if (broken == 0 || broken == set->count)
			continue;
		for (int i = 0; i < set->count; i++)
			if (!out[i].refused_by &&
			    refuses_with(rule, current, field, out[i].wire, settings, profile))
				out[i].refused_by = rule;
	}
	return set->count;
}

const char *rule_message(const ec_rule *r)
{
	return _(r->message);
}

const char *rule_fix(const ec_rule *r)
{
	return _(r->fix);
}

const ec_rule *rule_find(const char *id)
{
	for (int i = 0; i < rules_count; i++)
		if (strcmp(rules_table[i].id, id) == 0)
			return &rules_table[i];
	return NULL;
}

/* The default applies to new users' and queues' mailboxes: judged as such
 * a mailbox would be, by the mailbox rule's own predicate. */
static bool default_breaks(const ec_rule *r, const ec_settings *s)
{
	ec_mailbox m;
	rule_ctx ctx = {NULL, &m, s, NULL};
	mailbox_init(&m);
	m.owner_type = OWNER_USER;
	m.incoming = s->default_incoming;
	return r->violated(&ctx);
}

const ec_rule *rules_settings_refusal(const ec_settings *before, const ec_settings *after)
{
	const ec_rule *r = rule_find("forward-needs-forward-mailbox");
	if (!default_breaks(r, after) || (before && default_breaks(r, before)))
		return NULL;
	return r;
}

/* What Test & Enable checked: a change of any of these makes its last
 * results (and the approval of the address) describe another mailbox. */
static const char *const retest_keys[] = {"incoming", "outgoing", "act", "email", "server-profile"};

bool rules_key_needs_test(const char *key)
{
	for (size_t i = 0; i < sizeof retest_keys / sizeof retest_keys[0]; i++)
		if (strcmp(retest_keys[i], key) == 0)
			return true;
	return false;
}
