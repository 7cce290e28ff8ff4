/* probe_profile.c — from a server profile (model.h) to the two probe
 * targets, incoming and outgoing: which protocol each server type uses, where
 * the host and port come from, and which TLS mode the SSL flag means. Pure
 * computation; touches nothing else. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/model/options.h"
#include "core/probes/probe.h"

/* Server type -> the protocols of its incoming and outgoing endpoints. */
static const struct {
	int server_type;
	enum probe_proto incoming, outgoing;
} probe_profile_protos[] = {
    {SERVER_EXCHANGE, PROBE_EWS, PROBE_EWS},
    {SERVER_EXCHANGE_HYBRID, PROBE_EWS, PROBE_EWS},
    {SERVER_EXCHANGE_ONLINE_HYBRID, PROBE_EWS, PROBE_EWS},
    {SERVER_POP3_SMTP, PROBE_POP3, PROBE_SMTP},
    {SERVER_IMAP_SMTP, PROBE_IMAP, PROBE_SMTP},
};

/* Host and port of a URL; port 0 when the URL names none. */
static int probe_url_split(const char *url, char *host, size_t size, int *port)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL;
	int rc = -1;

	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PORT, &p, 0) == CURLUE_OK)
			*port = atoi(p);
		snprintf(host, size, "%.*s", (int)strcspn(h[0] == '[' ? h + 1 : h, "]"),
		         h[0] == '[' ? h + 1 : h);
		rc = 0;
	}
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

/* "host", "host:port", "[v6]:port", a bare IPv6 address, or a URL. */
static int probe_location_split(const char *loc, char *host, size_t size, int *port)
{
	const char *colon;

	*port = 0;
	while (isspace((unsigned char)*loc))
		loc++;
	if (strstr(loc, "://"))
		return probe_url_split(loc, host, size, port);
	if (loc[0] == '[') {
		const char *end = strchr(loc, ']');

		if (!end)
			return -1;
		snprintf(host, size, "%.*s", (int)(end - loc - 1), loc + 1);
		*port = end[1] == ':' ? atoi(end + 2) : 0;
		return 0;
	}
	colon = strchr(loc, ':');
	if (colon && !strchr(colon + 1, ':')) {
		snprintf(host, size, "%.*s", (int)(colon - loc), loc);
		*port = atoi(colon + 1);
	} else {
		snprintf(host, size, "%.*s", (int)strcspn(loc, " \t\r\n/"), loc);
	}
	return host[0] ? 0 : -1;
}

static int probe_no_location(const ec_profile *p, const char *which, ec_error *err)
{
	return ec_fail(err, EC_USAGE,
	               "the server profile \"%s\" has no usable %s location; set its host name "
	               "or URL",
	               p->name ? p->name : p->id, which);
}

/* t arrives from probe_target_init(): tls IMPLICIT, port 0. */
static int probe_mail_target(ec_probe_target *t, const ec_profile *p, const char *which,
                             const char *loc, int port, int ssl, ec_error *err)
{
	int loc_port = 0;
	int tls_port = probe_target_port(t);

	if (!loc || !*loc || probe_location_split(loc, t->host, sizeof(t->host), &loc_port) != 0)
		return probe_no_location(p, which, err);
	port = port > 0 ? port : loc_port;
	if (ssl > 0)
		t->tls = port <= 0 || port == tls_port ? PROBE_TLS_IMPLICIT : PROBE_TLS_STARTTLS;
	else
		t->tls = PROBE_TLS_STARTTLS_IF_OFFERED;
	t->port = port > 0 ? port : 0;
	t->port = probe_target_port(t);
	return EC_OK;
}

static int probe_ews_target(ec_probe_target *t, const ec_profile *p, const char *which,
                            const char *loc, ec_error *err)
{
	int port = 0;

	if (!loc || !*loc)
		return probe_no_location(p, which, err);
	while (isspace((unsigned char)*loc))
		loc++;
	if (strstr(loc, "://"))
		snprintf(t->url, sizeof(t->url), "%s", loc);
	else
		snprintf(t->url, sizeof(t->url), "https://%s/EWS/Exchange.asmx", loc);
	if (probe_url_split(t->url, t->host, sizeof(t->host), &port) != 0)
		return probe_no_location(p, which, err);
	t->port = port;
	t->tls = strncmp(t->url, "http://", 7) == 0 ? PROBE_TLS_NONE : PROBE_TLS_IMPLICIT;
	return EC_OK;
}

static int probe_one_target(ec_probe_target *t, enum probe_proto proto, const ec_profile *p,
                            bool incoming, ec_error *err)
{
	const char *which = incoming ? "incoming" : "outgoing";
	const char *loc = incoming ? p->incoming_location : p->outgoing_location;

	probe_target_init(t, proto);
	if (proto == PROBE_EWS) {
		if (!incoming && (!loc || !*loc))
			loc = p->incoming_location;
		return probe_ews_target(t, p, which, loc, err);
	}
	return probe_mail_target(t, p, which, loc, incoming ? p->incoming_port : p->outgoing_port,
	                         incoming ? p->incoming_ssl : p->outgoing_ssl, err);
}

int probe_targets_for_profile(const ec_profile *p, const char *username, const char *password,
                              ec_probe_target out[2], ec_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(probe_profile_protos) / sizeof(probe_profile_protos[0]); i++) {
		if (probe_profile_protos[i].server_type != p->server_type)
			continue;
		rc = probe_one_target(&out[0], probe_profile_protos[i].incoming, p, true, err);
		if (rc == EC_OK)
			rc = probe_one_target(&out[1], probe_profile_protos[i].outgoing, p, false,
			                      err);
		out[0].username = out[1].username = username;
		out[0].password = out[1].password = password;
		/* A password never goes out unencrypted: where the profile only
		 * says "STARTTLS when offered", a login requires it. */
		for (int k = 0; k < 2 && username && password; k++)
			if (out[k].tls == PROBE_TLS_STARTTLS_IF_OFFERED)
				out[k].tls = PROBE_TLS_STARTTLS;
		return rc;
	}
	return ec_fail(err, EC_USAGE, "the server profile \"%s\" has an unknown server type %d",
	               p->name ? p->name : p->id, p->server_type);
}
