/* options.c — the option-set tables of docs/cli.md and their lookups.
 * Labels follow the product's English wording; po/sl.po carries the seed's
 * Slovenian terms. */
#include "core/model/options.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/base/i18n.h"
#include "core/model/model.h"

#define COUNT(a)                 ((int)(sizeof(a) / sizeof((a)[0])))
#define OPTSET(var, what, table) const ec_optset var = {what, table, COUNT(table)}

static const ec_option incoming[] = {
    {INCOMING_NONE, "none", N_("None")},
    {INCOMING_OUTLOOK, "outlook", N_("Microsoft Dynamics 365 for Outlook")},
    {INCOMING_SSS, "server-side-sync", N_("Server-Side Synchronization or Email Router"), "SSS"},
    {INCOMING_FORWARD, "forward-mailbox", N_("Forward Mailbox"), "forward"},
};
static const ec_option outgoing[] = {
    {OUTGOING_NONE, "none", N_("None")},
    {OUTGOING_OUTLOOK, "outlook", N_("Microsoft Dynamics 365 for Outlook")},
    {OUTGOING_SSS, "server-side-sync", N_("Server-Side Synchronization or Email Router"), "SSS"},
};
static const ec_option act[] = {
    {ACT_OUTLOOK, "outlook", N_("Microsoft Dynamics 365 for Outlook")},
    {ACT_SSS, "server-side-sync", N_("Server-Side Synchronization"), "SSS"},
    {ACT_NONE, "none", N_("None")},
};
static const ec_option channel_status[] = {
    {STATUS_NOT_RUN, "not-run", N_("Not Run")},
    {STATUS_SUCCESS, "success", N_("Success"), "ok"},
    {STATUS_FAILURE, "failure", N_("Failure"), "FAIL"},
};
static const ec_option approval[] = {
    {APPROVAL_EMPTY, "empty", N_("Empty")},
    {APPROVAL_APPROVED, "approved", N_("Approved")},
    {APPROVAL_PENDING, "pending", N_("Pending Approval")},
    {APPROVAL_REJECTED, "rejected", N_("Rejected")},
};
static const ec_option process_using[] = {
    {PROCESS_SSS, "server-side-sync", N_("Server-Side Synchronization")},
    {PROCESS_ROUTER, "email-router", N_("Microsoft Dynamics 365 Email Router")},
};
static const ec_option server_type[] = {
    {SERVER_EXCHANGE, "exchange", N_("Exchange Server")},
    {SERVER_POP3_SMTP, "pop3-smtp", N_("Other (POP3/SMTP)")},
    {SERVER_EXCHANGE_HYBRID, "exchange-hybrid", N_("Exchange Server (Hybrid)")},
    {SERVER_EXCHANGE_ONLINE_HYBRID, "exchange-online-hybrid", N_("Exchange Online (Hybrid)")},
    {SERVER_IMAP_SMTP, "imap-smtp", N_("IMAP/SMTP")},
};
static const ec_option owner_type[] = {
    {OWNER_USER, "user", N_("User")},
    {OWNER_QUEUE, "queue", N_("Queue")},
    {OWNER_FORWARD, "forward", N_("Forward Mailbox")},
};
static const ec_option state[] = {
    {STATE_ACTIVE, "active", N_("Active")},
    {STATE_INACTIVE, "inactive", N_("Inactive")},
};
static const ec_option credential[] = {
    {CRED_USER_OR_QUEUE, "user-or-queue", N_("Credentials Specified by a User or Queue")},
    {CRED_PROFILE, "profile", N_("Credentials Specified in Email Server Profile")},
    {CRED_S2S, "server-to-server", N_("Server to Server Authentication")},
    {CRED_WINDOWS, "windows-integrated", N_("Windows Integrated Authentication")},
    {CRED_ANONYMOUS, "anonymous", N_("Without Credentials (Anonymous)")},
    {CRED_GMAIL_OAUTH, "gmail-oauth", N_("Gmail OAuth")},
    {CRED_HMA, "hybrid-modern-auth", N_("Exchange Hybrid Modern Auth (HMA)")},
    {CRED_ENTRA_OAUTH, "entra-oauth", N_("OAuth with Microsoft Entra ID")},
};
static const ec_option auth_protocol[] = {
    {AUTH_AUTO, "auto-detect", N_("Auto Detect")},
    {AUTH_NEGOTIATE, "negotiate", N_("Negotiate")},
    {AUTH_NTLM, "ntlm", N_("NTLM")},
    {AUTH_BASIC, "basic", N_("Basic")},
    {AUTH_OAUTH, "oauth", N_("OAuth")},
};
static const ec_option alert_level[] = {
    {LEVEL_INFORMATION, "information", N_("Information")},
    {LEVEL_WARNING, "warning", N_("Warning")},
    {LEVEL_ERROR, "error", N_("Error")},
};

OPTSET(opt_incoming, "incoming delivery method", incoming);
OPTSET(opt_outgoing, "outgoing delivery method", outgoing);
OPTSET(opt_act, "appointments, contacts and tasks delivery method", act);
OPTSET(opt_channel_status, "status", channel_status);
OPTSET(opt_approval, "email address approval", approval);
OPTSET(opt_process_using, "process email using", process_using);
OPTSET(opt_server_type, "server type", server_type);
OPTSET(opt_owner_type, "mailbox type", owner_type);
OPTSET(opt_state, "state", state);
OPTSET(opt_credential, "credential retrieval", credential);
OPTSET(opt_auth_protocol, "authentication protocol", auth_protocol);
OPTSET(opt_alert_level, "alert level", alert_level);

const ec_optset *const opt_all[] = {
    &opt_incoming, &opt_outgoing,      &opt_act,         &opt_channel_status,
    &opt_approval, &opt_process_using, &opt_server_type, &opt_owner_type,
    &opt_state,    &opt_credential,    &opt_alert_level, &opt_auth_protocol,
};
const int opt_all_count = COUNT(opt_all);

const ec_option *opt_find_wire(const ec_optset *set, int wire)
{
	for (int i = 0; i < set->count; i++)
		if (set->opts[i].wire == wire)
			return &set->opts[i];
	return NULL;
}

const ec_option *opt_find_slug(const ec_optset *set, const char *slug)
{
	if (!slug)
		return NULL;
	for (int i = 0; i < set->count; i++)
		if (strcasecmp(set->opts[i].slug, slug) == 0)
			return &set->opts[i];
	return NULL;
}

const ec_option *opt_find_name(const ec_optset *set, const char *name)
{
	const ec_option *o = opt_find_slug(set, name);
	for (int i = 0; !o && name && i < set->count; i++)
		if (set->opts[i].abbrev && strcasecmp(set->opts[i].abbrev, name) == 0)
			o = &set->opts[i];
	return o;
}

const char *opt_slug(const ec_optset *set, int wire)
{
	const ec_option *o = opt_find_wire(set, wire);
	return o ? o->slug : NULL;
}

const char *opt_label(const ec_optset *set, int wire)
{
	const ec_option *o = opt_find_wire(set, wire);
	return o ? _(o->label) : "?";
}

static const char *show_unknown(int wire, char *buf, unsigned long size)
{
	snprintf(buf, size, "%d (%s)", wire, _("unknown"));
	return buf;
}

const char *opt_show_slug(const ec_optset *set, int wire, char *buf, unsigned long size)
{
	const ec_option *o = opt_find_wire(set, wire);
	if (wire == EC_NULL)
		return NULL;
	return o ? o->slug : show_unknown(wire, buf, size);
}

const char *opt_show_label(const ec_optset *set, int wire, char *buf, unsigned long size)
{
	const ec_option *o = opt_find_wire(set, wire);
	if (wire == EC_NULL)
		return NULL;
	return o ? _(o->label) : show_unknown(wire, buf, size);
}

const char *opt_show_short(const ec_optset *set, int wire, char *buf, unsigned long size)
{
	const ec_option *o = opt_find_wire(set, wire);
	if (o && o->abbrev)
		return o->abbrev;
	return opt_show_slug(set, wire, buf, size);
}

/* "none, outlook, server-side-sync" for error messages. */
static void list_slugs(const ec_optset *set, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < set->count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		                         set->opts[i].slug);
}

int opt_parse_slug(const ec_optset *set, const char *slug, int *wire, ec_error *err)
{
	const ec_option *o = opt_find_slug(set, slug);
	char accepted[256];
	if (o) {
		*wire = o->wire;
		return EC_OK;
	}
	list_slugs(set, accepted, sizeof accepted);
	return ec_fail(err, EC_USAGE, "unknown %s '%s'; use one of: %s", set->name,
	               slug ? slug : "", accepted);
}

int opt_check_wire(const ec_optset *set, int wire, ec_error *err)
{
	char accepted[256];
	if (opt_find_wire(set, wire))
		return EC_OK;
	list_slugs(set, accepted, sizeof accepted);
	return ec_fail(err, EC_USAGE, "unknown %s value %d (known: %s)", set->name, wire, accepted);
}
