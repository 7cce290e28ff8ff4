/* profile_rules.c — the profile rule table (see profile_rules.h): what a
 * server profile's type allows. Each rule is a predicate plus its words;
 * adding a rule is adding a row. Source: docs/dataverse.md (the Email
 * Server Profile form: Exchange types take an EWS URL, POP3/IMAP types a
 * host name and a port). Touches nothing but the profile it is given. */
#include "core/model/profile_rules.h"

#include <stdlib.h>
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

static bool is_https(const char *s)
{
	return strncasecmp(s, "https://", 8) == 0;
}

static bool is_url(const char *s)
{
	return is_https(s) || strncasecmp(s, "http://", 7) == 0;
}

/* A URL's host: letters (an international name's too, "pošta.example.si",
 * or its xn-- form), digits, dots and hyphens, or an IPv6 address in
 * brackets; then an optional
 * port 1-65535, then the end, a path, a query or a fragment; and no space
 * or control character anywhere. "https://", "https://a b/EWS" and
 * "https://user@host/" have none. */
static bool url_host_ok(const char *s)
{
	size_t host;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c <= 0x20 || *c == 0x7f || strchr("\"<>\\^`{|}", *c))
			return false;
	s += is_https(s) ? 8 : 7;
	if (*s == '[') {
		host = 1 + strspn(s + 1, "0123456789abcdefABCDEF:.");
		if (host < 3 || s[host] != ']')
			return false;
		host++;
	} else {
		host = 0;
		while (s[host] && ((unsigned char)s[host] >= 0x80 ||
		                   strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                          "0123456789.-",
		                          s[host])))
			host++;
		if (host == 0 || *s == '.' || *s == '-')
			return false;
	}
	s += host;
	if (*s == ':') {
		size_t digits = strspn(s + 1, "0123456789");
		long port = digits && digits <= 5 ? strtol(s + 1, NULL, 10) : 0;
		if (port < 1 || port > 65535)
			return false;
		s += 1 + digits;
	}
	return *s == '\0' || *s == '/' || *s == '?' || *s == '#';
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

/* The column takes 0-65536 (the organization's storage range), but no TCP
 * connection can use port 0 or 65536. No port (EC_NULL) is no port. */
static bool port_bad(int port)
{
	return port != EC_NULL && (port < 1 || port > 65535);
}

static bool port_out_of_range(const ec_profile *p)
{
	return port_bad(p->incoming_port) || port_bad(p->outgoing_port);
}

/* A location written as a URL (only an Exchange type takes one; POP3 and
 * IMAP refuse it by pop-imap-host) must name a host. */
static bool url_bad(const char *s)
{
	return is_url(s) && !url_host_ok(s);
}

static bool url_without_host(const ec_profile *p)
{
	return (p->incoming_location && url_bad(p->incoming_location)) ||
	       (p->outgoing_location && url_bad(p->outgoing_location));
}

/* is_host_name accepts ""; a POP3 or IMAP profile has no Auto Discover
 * (autodiscover-exchange), so it must name both its servers. An empty
 * value is stored as no value (NULL). */
static bool location_empty(const char *s)
{
	return !s || !s[strspn(s, " \t")];
}

static bool pop_imap_host_missing(const ec_profile *p)
{
	return is_pop_imap(p) &&
	       (location_empty(p->incoming_location) || location_empty(p->outgoing_location));
}

/* "Use SSL: No" while that direction's server is an https:// URL: the URL
 * says TLS, the flag says none; one of them is a mistake. The other way
 * round (SSL yes with an http:// URL) is not refused: "Use SSL" defaults
 * to yes on every new profile, so yes says nothing an admin chose, and an
 * Exchange server reached over plain http (a test server, the emulator's
 * own demo profile) keeps it; the URL's scheme is what the connection
 * uses. */
static bool ssl_off_with_https(const ec_profile *p)
{
	return (p->incoming_location && is_https(p->incoming_location) && p->incoming_ssl == 0) ||
	       (p->outgoing_location && is_https(p->outgoing_location) && p->outgoing_ssl == 0);
}

static bool is_exchange_online_host(const char *s)
{
	static const char *const hosts[] = {"https://outlook.office365.com/",
	                                    "https://outlook.office.com/"};
	for (int i = 0; s && i < COUNT(hosts); i++)
		if (strncasecmp(s, hosts[i], strlen(hosts[i])) == 0)
			return true;
	return false;
}

/* Exchange Online: the "Exchange Online (Hybrid)" type, an Exchange Server
 * type the organization names "Exchange Online" (the built-in "Microsoft
 * Exchange Online" profile: there is no option of its own for it), or an
 * Exchange profile whose EWS URL is Exchange Online's own. */
static bool is_exchange_online(const ec_profile *p)
{
	if (p->server_type == SERVER_EXCHANGE_ONLINE_HYBRID)
		return true;
	if (!profile_is_exchange(p->server_type))
		return false;
	return (p->server_type_name &&
	        strncasecmp(p->server_type_name, "Exchange Online", 15) == 0) ||
	       is_exchange_online_host(p->incoming_location) ||
	       is_exchange_online_host(p->outgoing_location);
}

/* Exchange Online signs a mailbox in by server-to-server authentication
 * (the only way Microsoft supports for Dynamics 365 and Exchange Online in
 * the same tenant) or OAuth with Microsoft Entra ID (another tenant). It
 * has no anonymous EWS, and Windows integrated authentication
 * (Kerberos/NTLM against the domain) reaches only an Exchange server on
 * premises: both are refused. User-or-queue and profile credentials are
 * outside the supported setup too, but a profile may still carry them from
 * before; they are not refused here (yet). */
static bool exchange_online_anonymous(const ec_profile *p)
{
	return is_exchange_online(p) && credential_is(p, CRED_ANONYMOUS);
}

static bool exchange_online_windows(const ec_profile *p)
{
	return is_exchange_online(p) && credential_is(p, CRED_WINDOWS);
}

/* Microsoft turned Basic authentication off for EWS in Exchange Online
 * (retired from October 2022). */
static bool exchange_online_basic(const ec_profile *p)
{
	return is_exchange_online(p) &&
	       (p->incoming_auth == AUTH_BASIC || p->outgoing_auth == AUTH_BASIC);
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
    {"port-range", "incoming-port", port_out_of_range,
     N_("A port is a number from 1 to 65535; no connection can use port 0 or 65536."),
     N_("Give the server's port (e.g. 993 for IMAP, 995 for POP3, 587 for SMTP), or leave it "
        "empty.")},
    {"url-host", "incoming-server", url_without_host,
     N_("The server location's URL has no valid host name: after http:// or https:// comes the "
        "host, made of letters, digits, dots and hyphens, with no spaces."),
     N_("Give the whole URL, e.g. https://mail.example.com/EWS/Exchange.asmx.")},
    {"pop-imap-host-missing", "incoming-server", pop_imap_host_missing,
     N_("A POP3 or IMAP profile needs the host name of both its incoming and its outgoing "
        "(SMTP) server."),
     N_("Give incoming-server and outgoing-server, e.g. imap.example.com and "
        "smtp.example.com.")},
    {"ssl-https", "incoming-ssl", ssl_off_with_https,
     N_("An https:// server location always connects over SSL/TLS, so Use SSL cannot be "
        "no."),
     N_("Set incoming-ssl=yes and outgoing-ssl=yes, or give an http:// URL if the server "
        "really takes no SSL.")},
    {"exchange-online-anonymous", "credentials", exchange_online_anonymous,
     N_("Exchange Online takes no anonymous sign-in: every mailbox must sign in."),
     N_("Use credentials=server-to-server (entra-oauth for Exchange Online in another "
        "tenant).")},
    {"exchange-online-windows", "credentials", exchange_online_windows,
     N_("Windows integrated authentication works only with an Exchange server on premises, "
        "not with Exchange Online."),
     N_("Use credentials=server-to-server (entra-oauth for Exchange Online in another "
        "tenant).")},
    {"exchange-online-basic", "incoming-auth", exchange_online_basic,
     N_("Microsoft has turned off Basic authentication for EWS in Exchange Online."),
     N_("Use incoming-auth=oauth and outgoing-auth=oauth (or auto-detect).")},
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
