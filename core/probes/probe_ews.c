/* probe_ews.c — the EWS probe: one GET of the EWS URL over HTTPS. Without
 * credentials the endpoint is reachable when it answers 401 with an
 * authentication challenge (its WWW-Authenticate schemes are reported as the
 * capabilities); with credentials it must answer 200 to Basic authentication.
 * Credentials go over https only, or over plain http to a loopback host (for
 * tests). Redirects are not followed: a redirect is not the EWS endpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/probes/probe_int.h"

/* Host and port of the URL into the job, for messages; -1 when it is not a
 * usable http(s) URL. */
static int probe_ews_parse(probe_job *j, bool *https)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -1;

	if (u && curl_url_set(u, CURLUPART_URL, j->t->url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    (strcasecmp(scheme, "https") == 0 || strcasecmp(scheme, "http") == 0)) {
		*https = strcasecmp(scheme, "https") == 0;
		snprintf(j->host, sizeof(j->host), "%s", host);
		j->port = atoi(port);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

int probe_ews_setup(probe_job *j, const char **code, const char **why)
{
	bool https = false;
	bool creds = j->t->username && j->t->password;

	*code = "probe.setup.invalid";
	if (!*j->t->url || probe_ews_parse(j, &https) != 0) {
		*why = *j->t->url ? "the EWS URL is not an https:// URL" : "no EWS URL is set";
		return -1;
	}
	if (!https && creds && !probe_host_is_loopback(j->host)) {
		*code = "probe.setup.plain_http";
		*why = "credentials are sent over https only";
		return -1;
	}
	snprintf(j->url, sizeof(j->url), "%s", j->t->url);
	curl_easy_setopt(j->easy, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(j->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(j->easy, CURLOPT_USERAGENT, "emailcfg-probe");
	if (creds)
		curl_easy_setopt(j->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	return 0;
}

/* Status lines start a response; WWW-Authenticate headers name its schemes. */
void probe_ews_line_in(probe_job *j, const char *line)
{
	probe_seen *s = &j->seen;
	const char *v;

	if (strncmp(line, "HTTP/", 5) == 0) {
		if (!s->greeting)
			snprintf(s->first_in, sizeof(s->first_in), "%s", line);
		s->greeting = true;
		snprintf(s->status_line, sizeof(s->status_line), "%s", line);
		probe_buf_reset(&s->caps);
		probe_buf_reset(&s->mechs);
		s->caps_seen = false;
		return;
	}
	if (strncasecmp(line, "WWW-Authenticate:", 17) != 0)
		return;
	v = line + 17;
	v += strspn(v, " \t");
	probe_buf_add_word(&s->caps, v, strcspn(v, " ,"));
	probe_buf_add_word(&s->mechs, v, strcspn(v, " ,"));
	s->caps_seen = true;
}
