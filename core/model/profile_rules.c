/* profile_rules.c — the profile rule table (see profile_rules.h): what a
 * server profile's type allows. Each rule is a predicate plus its words;
 * adding a rule is adding a row. Source: docs/dataverse.md (the Email
 * Server Profile form: Exchange types take an EWS URL, POP3/IMAP types a
 * host name and a port). Touches nothing but the profile it is given. */
#include "core/model/profile_rules.h"

#include <string.h>
#include <strings.h>

#include "core/base/i18n.h"
#include "core/model/options.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

bool profile_is_exchange(int server_type)
{
	return server_type == SERVER_EXCHANGE || server_type == SERVER_EXCHANGE_HYBRID ||
	       server_type == SERVER_EXCHANGE_ONLINE_HYBRID;
}

/* POP3/SMTP and IMAP/SMTP; an unknown type is neither, and judged by no
 * type rule. */
static bool is_pop_imap(const ec_profile *p)
{
	return p->server_type == SERVER_POP3_SMTP || p->server_type == SERVER_IMAP_SMTP;
}

static bool is_url(const char *s)
{
	return strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0;
}

/* A host name has no scheme, path or port of its own. */
static bool is_host_name(const char *s)
{
	return !strchr(s, '/') && !strchr(s, ':') && !strchr(s, ' ');
}

static bool location_bad(const ec_profile *p, bool (*ok)(const char *))
{
	return (p->incoming_location && !ok(p->incoming_location)) ||
	       (p->outgoing_location && !ok(p->outgoing_location));
}

static bool exchange_location_not_url(const ec_profile *p)
{
	return profile_is_exchange(p->server_type) && location_bad(p, is_url);
}

static bool exchange_has_port(const ec_profile *p)
{
	return profile_is_exchange(p->server_type) &&
	       (p->incoming_port != EC_NULL || p->outgoing_port != EC_NULL);
}

static bool pop_imap_location_not_host(const ec_profile *p)
{
	return is_pop_imap(p) && location_bad(p, is_host_name);
}

static bool credential_is(const ec_profile *p, int wire)
{
	return p->incoming_credential == wire || p->outgoing_credential == wire;
}

/* Server-to-server, Windows integrated, Hybrid Modern Auth and Entra ID
 * OAuth are ways of signing in to Exchange. */
static bool exchange_credentials_on_pop_imap(const ec_profile *p)
{
	return is_pop_imap(p) && (credential_is(p, CRED_S2S) || credential_is(p, CRED_WINDOWS) ||
	                          credential_is(p, CRED_HMA) || credential_is(p, CRED_ENTRA_OAUTH));
}

static bool gmail_on_exchange(const ec_profile *p)
{
	return profile_is_exchange(p->server_type) && credential_is(p, CRED_GMAIL_OAUTH);
}

static bool autodiscover_on_pop_imap(const ec_profile *p)
{
	return is_pop_imap(p) && p->use_autodiscover == 1;
}

const profile_rule profile_rules_table[] = {
    {"exchange-url", "incoming-server", exchange_location_not_url,
     N_("An Exchange profile's server location is its EWS URL, not a host name."),
     N_("Give the whole URL, e.g. https://outlook.office365.com/EWS/Exchange.asmx.")},
    {"exchange-no-port", "incoming-port", exchange_has_port,
     N_("An Exchange profile connects to its EWS URL and has no port of its own."),
     N_("Put a port the server needs into the URL (https://host:port/EWS/Exchange.asmx).")},
    {"pop-imap-host", "incoming-server", pop_imap_location_not_host,
     N_("A POP3 or IMAP profile's server location is a host name, without a scheme, path or "
        "port."),
     N_("Give the host name alone (mail.example.com) and the port in incoming-port or "
        "outgoing-port.")},
    {"pop-imap-credentials", "credentials", exchange_credentials_on_pop_imap,
     N_("Server-to-server, Windows integrated, Hybrid Modern Auth and Entra ID sign-in work "
        "only with Exchange, not with a POP3 or IMAP server."),
     N_("Use credentials=user-or-queue, profile, anonymous or gmail-oauth.")},
    {"gmail-needs-pop-imap", "credentials", gmail_on_exchange,
     N_("Gmail OAuth signs in to Gmail over POP3 or IMAP, not to Exchange."),
     N_("Choose another credentials option, or a POP3/SMTP or IMAP/SMTP profile for Gmail.")},
    {"autodiscover-exchange", "autodiscover", autodiscover_on_pop_imap,
     N_("Auto Discover finds an Exchange server's EWS URL; a POP3 or IMAP profile names its "
        "servers itself."),
     N_("Set autodiscover=no and give incoming-server and outgoing-server.")},
};
const int profile_rules_count = COUNT(profile_rules_table);

int profile_rules_check(const ec_profile *p, const profile_rule **out, int max)
{
	int n = 0;
	for (int i = 0; i < profile_rules_count; i++)
		if (profile_rules_table[i].violated(p)) {
			if (n < max)
				out[n] = &profile_rules_table[i];
			n++;
		}
	return n;
}

const profile_rule *profile_rules_refusal(const ec_profile *before, const ec_profile *after)
{
	for (int i = 0; i < profile_rules_count; i++) {
		const profile_rule *r = &profile_rules_table[i];
		if (r->violated(after) && !(before && r->violated(before)))
			return r;
	}
	return NULL;
}

const char *profile_rule_message(const profile_rule *r)
{
	return _(r->message);
}

const char *profile_rule_fix(const profile_rule *r)
{
	return _(r->fix);
}
