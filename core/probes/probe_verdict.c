/* probe_verdict.c — judging a finished probe: which stages it passed (from
 * what the dialogue and libcurl's timers show), the stage that failed, the
 * certificate problem by name, and the stable code with its message and fix
 * from one table. The codes are the keys data/alerts.tsv uses for our own
 * probe failures. Pure computation on the job; no I/O. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/i18n.h"
#include "core/probes/probe_int.h"

/* ---- TLS problems ---- */

/* OpenSSL's X509_V_ERR_* values, as CURLINFO_SSL_VERIFYRESULT reports them. */
static const struct {
	long verify;
	enum probe_tls_problem problem;
} probe_verify_codes[] = {
    {2, PROBE_TLS_UNTRUSTED},     /* unable to get issuer certificate */
    {9, PROBE_TLS_NOT_YET_VALID}, /* certificate is not yet valid */
    {10, PROBE_TLS_EXPIRED},      /* certificate has expired */
    {18, PROBE_TLS_UNTRUSTED},    /* self-signed certificate */
    {19, PROBE_TLS_UNTRUSTED},    /* self-signed certificate in chain */
    {20, PROBE_TLS_UNTRUSTED},    /* unable to get local issuer certificate */
    {21, PROBE_TLS_UNTRUSTED},    /* unable to verify the first certificate */
    {24, PROBE_TLS_UNTRUSTED},    /* invalid CA certificate */
    {27, PROBE_TLS_UNTRUSTED},    /* certificate not trusted */
    {62, PROBE_TLS_WRONG_HOST},   /* hostname mismatch */
    {64, PROBE_TLS_WRONG_HOST},   /* IP address mismatch */
};

/* libcurl's error texts, for what the verify result does not tell. */
static const struct {
	const char *text;
	enum probe_tls_problem problem;
} probe_tls_texts[] = {
    {"expired", PROBE_TLS_EXPIRED},
    {"not yet valid", PROBE_TLS_NOT_YET_VALID},
    {"self-signed", PROBE_TLS_UNTRUSTED},
    {"self signed", PROBE_TLS_UNTRUSTED},
    {"unable to get local issuer", PROBE_TLS_UNTRUSTED},
    {"unable to get issuer", PROBE_TLS_UNTRUSTED},
    {"unable to verify the first certificate", PROBE_TLS_UNTRUSTED},
    {"unknown ca", PROBE_TLS_UNTRUSTED},
    {"does not match target host", PROBE_TLS_WRONG_HOST},
    {"no alternative certificate subject name", PROBE_TLS_WRONG_HOST},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum probe_tls_problem probe_tls_classify(CURLcode rc, long verify_result, const char *errbuf)
{
	size_t i;

	if (rc == CURLE_OK)
		return PROBE_TLS_OK;
	if (rc == CURLE_USE_SSL_FAILED)
		return PROBE_TLS_NOT_OFFERED;
	for (i = 0; i < COUNT(probe_verify_codes); i++)
		if (verify_result == probe_verify_codes[i].verify)
			return probe_verify_codes[i].problem;
	for (i = 0; errbuf && i < COUNT(probe_tls_texts); i++)
		if (strcasestr(errbuf, probe_tls_texts[i].text))
			return probe_tls_texts[i].problem;
	return PROBE_TLS_HANDSHAKE;
}

/* ---- stages ---- */

typedef struct probe_stage_text {
	const char *what; /* for "... timed out during the greeting" */
	const char *fix;  /* what to do when it timed out or broke off */
} probe_stage_text;

static const probe_stage_text probe_stage_texts[] = {
    [PROBE_STAGE_SETUP] = {N_("the setup"), N_("Correct the target.")},
    [PROBE_STAGE_DNS] = {N_("the DNS lookup"),
                         N_("Check the host name and this machine's DNS servers.")},
    [PROBE_STAGE_CONNECT] =
        {N_("the TCP connection"),
         N_("Check the host, the port and any firewall between this machine and the server.")},
    [PROBE_STAGE_TLS] =
        {N_("the TLS handshake"),
         N_("Check that the port speaks TLS and that the profile's SSL setting matches it.")},
    [PROBE_STAGE_GREETING] = {N_("the greeting"),
                              N_("Check the port: on an implicit-TLS port ({tls_port}) turn SSL "
                                 "on; otherwise the service may be hung or overloaded.")},
    [PROBE_STAGE_CAPABILITIES] =
        {N_("the capability list"),
         N_("The server stopped answering; check its load and logs, then try again.")},
    [PROBE_STAGE_LOGIN] = {N_("the login"), N_("The server stopped answering during the login; "
                                               "check its authentication back end and logs.")},
    [PROBE_STAGE_DONE] = {N_("the end of the session"),
                          N_("The server stopped answering after the login; check its logs.")},
};

static bool probe_creds(const probe_job *j)
{
	return j->t->username && j->t->password;
}

static bool probe_https(const probe_job *j)
{
	return strncasecmp(j->url, "https:", 6) == 0;
}

static bool probe_implicit(const probe_job *j)
{
	return j->pd->proto == PROBE_EWS ? probe_https(j) : j->t->tls == PROBE_TLS_IMPLICIT;
}

/* The stages this probe goes through, in order. */
static int probe_sequence(const probe_job *j, enum probe_stage *seq)
{
	bool ews = j->pd->proto == PROBE_EWS;
	enum probe_tls tls = j->t->tls;
	int n = 0;

	seq[n++] = PROBE_STAGE_DNS;
	seq[n++] = PROBE_STAGE_CONNECT;
	if (probe_implicit(j))
		seq[n++] = PROBE_STAGE_TLS;
	seq[n++] = PROBE_STAGE_GREETING;
	if (!(ews && probe_creds(j)))
		seq[n++] = PROBE_STAGE_CAPABILITIES;
	if (!ews && (tls == PROBE_TLS_STARTTLS ||
	             (tls == PROBE_TLS_STARTTLS_IF_OFFERED && j->seen.starttls_sent)))
		seq[n++] = PROBE_STAGE_TLS;
	if (probe_creds(j))
		seq[n++] = PROBE_STAGE_LOGIN;
	seq[n++] = PROBE_STAGE_DONE;
	return n;
}

static curl_off_t probe_timer(CURL *c, CURLINFO what)
{
	curl_off_t v = 0;

	if (c && curl_easy_getinfo(c, what, &v) != CURLE_OK)
		v = 0;
	return v;
}

/* TCP is connected when a line arrived, a timer says so, or the socket got
 * a local port (libcurl reports no connect time when TLS fails). */
static bool probe_connected(const probe_job *j)
{
	long local_port = 0;

	if (j->seen.lines_in > 0 || probe_timer(j->easy, CURLINFO_CONNECT_TIME_T) > 0)
		return true;
	return curl_easy_getinfo(j->easy, CURLINFO_LOCAL_PORT, &local_port) == CURLE_OK &&
	       local_port > 0;
}

/* A timeout before any connection may have been the name lookup's. */
static bool probe_resolved(const probe_job *j, CURLcode rc, bool connected)
{
	char *ip = NULL;

	if (rc == CURLE_COULDNT_RESOLVE_HOST)
		return false;
	if (rc != CURLE_OPERATION_TIMEDOUT || connected ||
	    probe_timer(j->easy, CURLINFO_NAMELOOKUP_TIME_T) > 0)
		return true;
	return curl_easy_getinfo(j->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip && *ip;
}

/* What the evidence shows each stage passed. */
static void probe_evidence(const probe_job *j, CURLcode rc, bool *passed)
{
	const probe_seen *s = &j->seen;
	bool ews = j->pd->proto == PROBE_EWS;
	long status = ews ? atol(s->status_line + strcspn(s->status_line, " ")) : 0;

	passed[PROBE_STAGE_SETUP] = true;
	passed[PROBE_STAGE_CONNECT] = probe_connected(j);
	passed[PROBE_STAGE_DNS] = probe_resolved(j, rc, passed[PROBE_STAGE_CONNECT]);
	passed[PROBE_STAGE_TLS] =
	    probe_implicit(j) ? s->lines_in > 0 || probe_timer(j->easy, CURLINFO_APPCONNECT_TIME_T)
	                      : s->tls_done;
	passed[PROBE_STAGE_GREETING] = s->greeting && !s->greeting_bad && !s->greeting_refused;
	passed[PROBE_STAGE_CAPABILITIES] =
	    ews ? (status == 401 && s->caps_seen) || status == 200 : s->caps_seen;
	passed[PROBE_STAGE_LOGIN] = ews ? status == 200 : s->auth_ok;
	passed[PROBE_STAGE_DONE] = rc == CURLE_OK && (!ews || status == 200 || status == 401);
}

/* ---- codes and texts ---- */

typedef struct probe_text {
	const char *code;
	int proto; /* -1: any */
	const char *message, *fix;
} probe_text;

static const probe_text probe_texts[] = {
    {"probe.ok.login", PROBE_EWS, N_("EWS at {endpoint} accepted the Basic login."), ""},
    {"probe.ok.login", -1, N_("{proto} at {endpoint} accepted the login{secured}."), ""},
    {"probe.ok.reachable", PROBE_EWS,
     N_("EWS at {endpoint} answered with an authentication challenge ({caps}); the login was not "
        "tried without credentials."),
     N_("Give credentials to test the login as well.")},
    {"probe.ok.reachable", -1,
     N_("{proto} at {endpoint} answered{secured}; the login was not tried without credentials."),
     N_("Give credentials to test the login as well.")},
    {"probe.setup.invalid", -1, N_("The {proto} target cannot be probed: {detail}."),
     N_("Set the server profile's location to a host name, host:port or URL (EWS: "
        "https://HOST/EWS/Exchange.asmx).")},
    {"probe.setup.plain_http", -1,
     N_("The EWS URL {url} is plain http, and credentials are sent over https only."),
     N_("Use the https:// URL of the EWS endpoint.")},
    {"probe.dns.unresolved", -1, N_("The host name {host} does not resolve."),
     N_("Check the server profile's location for typos, and this machine's DNS.")},
    {"probe.connect.refused", -1, N_("{host} refused the connection on port {port}."),
     N_("Check the port in the server profile and that the {proto} service listens on it (or that "
        "no firewall rejects it).")},
    {"probe.connect.failed", -1, N_("Could not connect to {endpoint}: {detail}."),
     N_("Check the host, the port and the network route to the server.")},
    {"probe.tls.untrusted", -1, N_("The certificate of {host} is not trusted: {detail}."),
     N_("Install a certificate from a public CA on the server (Dataverse requires one too); for a "
        "private CA give this machine its certificate with EMAILCFG_CA_FILE.")},
    {"probe.tls.expired", -1, N_("The certificate of {host} has expired: {detail}."),
     N_("Renew the server's certificate and install the new one.")},
    {"probe.tls.not_yet_valid", -1, N_("The certificate of {host} is not valid yet: {detail}."),
     N_("Check the clocks of this machine and the server, or the certificate's start date.")},
    {"probe.tls.wrong_host", -1,
     N_("The certificate of {host} is made out for another host name: {detail}."),
     N_("Put a host name that the certificate names in the server profile's location, or add this "
        "one to the certificate.")},
    {"probe.tls.not_offered", -1,
     N_("{proto} at {endpoint} does not offer STARTTLS, and the profile requires an encrypted "
        "connection."),
     N_("Turn on STARTTLS on the server, or use its implicit-TLS port ({tls_port}) with SSL on.")},
    {"probe.tls.handshake", -1, N_("The TLS handshake with {endpoint} failed: {detail}."),
     N_("Check that the port speaks TLS from the first byte (implicit TLS: {tls_port}), or turn "
        "SSL off for a STARTTLS port ({plain_port}).")},
    {"probe.greeting.not_protocol", PROBE_EWS, N_("{endpoint} did not answer HTTP: {detail}."),
     N_("Check the scheme and port of the EWS URL (https://HOST/EWS/Exchange.asmx).")},
    {"probe.greeting.not_protocol", -1,
     N_("The greeting was not {proto}: {endpoint} answered \"{reply}\"."),
     N_("Point the profile at the {proto} port ({plain_port} with STARTTLS, {tls_port} with "
        "SSL).")},
    {"probe.greeting.refused", -1, N_("{endpoint} refused the session: \"{reply}\"."),
     N_("The server turns this client away or is overloaded; check its logs and connection "
        "limits.")},
    {"probe.ews.not_ews", -1,
     N_("{url} answered \"{reply}\" instead of an authentication challenge, so it is not an EWS "
        "endpoint."),
     N_("Use the EWS URL, usually https://HOST/EWS/Exchange.asmx (Exchange Online: "
        "https://outlook.office365.com/EWS/Exchange.asmx).")},
    {"probe.ews.no_challenge", -1,
     N_("{url} answered 401 without naming an authentication scheme."),
     N_("Check the authentication settings of the EWS virtual directory.")},
    {"probe.login.refused", PROBE_EWS,
     N_("EWS refused the Basic login: \"{reply}\" (it offers: {caps})."),
     N_("Check the user name and password, and that Basic authentication is on for EWS; Exchange "
        "Online takes server-to-server (OAuth) authentication instead.")},
    {"probe.login.refused", -1, N_("The server refused the login: \"{reply}\"."),
     N_("Check the user name and password (or app password) of this mailbox; the account may also "
        "be locked or not allowed to use {proto}.")},
    {"probe.login.unavailable", -1,
     N_("{proto} at {endpoint} offered no login method on this connection (capabilities: {caps})."),
     N_("Turn on SSL or STARTTLS in the profile (servers often offer login only after encryption), "
        "or allow plain-text login on the server.")},
    {"*.timeout", -1, N_("{endpoint}: {what} timed out after {secs} s."), NULL},
    {"*.failed", -1, N_("{endpoint} broke off during {what}: {detail}."), NULL},
};

static const probe_text *probe_text_find(const char *code, enum probe_proto proto)
{
	const char *suffix = strrchr(code, '.');
	size_t i;

	for (i = 0; i < COUNT(probe_texts); i++)
		if (strcmp(probe_texts[i].code, code) == 0 &&
		    (probe_texts[i].proto < 0 || probe_texts[i].proto == (int)proto))
			return &probe_texts[i];
	for (i = 0; suffix && i < COUNT(probe_texts); i++)
		if (probe_texts[i].code[0] == '*' && strcmp(probe_texts[i].code + 1, suffix) == 0)
			return &probe_texts[i];
	return &probe_texts[COUNT(probe_texts) - 1];
}

void probe_text_expand(char *out, size_t size, const char *tmpl, const char *const *vars)
{
	size_t o = 0;

	while (*tmpl && o + 1 < size) {
		const char *end = *tmpl == '{' ? strchr(tmpl, '}') : NULL;
		const char *val = NULL;
		int i;

		for (i = 0; end && vars[i]; i += 2)
			if (strlen(vars[i]) == (size_t)(end - tmpl - 1) &&
			    strncmp(vars[i], tmpl + 1, (size_t)(end - tmpl - 1)) == 0)
				val = vars[i + 1] ? vars[i + 1] : "";
		if (!val) {
			out[o++] = *tmpl++;
			continue;
		}
		o += (size_t)snprintf(out + o, size - o, "%s", val);
		if (o >= size)
			o = size - 1;
		tmpl = end + 1;
	}
	out[o] = '\0';
}

static const char *probe_timeout_or(CURLcode rc, const char *otherwise)
{
	return rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : otherwise;
}

static void probe_code_tls(const probe_job *j, CURLcode rc, char *code, size_t size)
{
	const char *slug;

	if (rc == CURLE_OPERATION_TIMEDOUT) {
		snprintf(code, size, "probe.tls.timeout");
		return;
	}
	slug = probe_tls_problem_slug(j->r->tls_problem);
	snprintf(code, size, "probe.tls.%s", slug);
	for (char *p = code; *p; p++)
		if (*p == '-')
			*p = '_';
}

static void probe_code_login(const probe_job *j, CURLcode rc, long status, char *code, size_t size)
{
	const char *what = "failed";

	if (j->pd->proto == PROBE_EWS)
		what = status == 401 ? "refused" : probe_timeout_or(rc, NULL);
	else if (!j->seen.auth_sent)
		what = probe_timeout_or(rc, "unavailable");
	else
		what = rc == CURLE_LOGIN_DENIED ? "refused" : probe_timeout_or(rc, "failed");
	if (what)
		snprintf(code, size, "probe.login.%s", what);
	else
		snprintf(code, size, "probe.ews.not_ews");
}

static bool probe_refused(const probe_job *j, CURLcode rc)
{
	long os_errno = 0;

	if (rc != CURLE_COULDNT_CONNECT)
		return false;
	curl_easy_getinfo(j->easy, CURLINFO_OS_ERRNO, &os_errno);
	return os_errno == ECONNREFUSED || strcasestr(j->errbuf, "refused");
}

/* An EWS URL whose server answered something other than HTTP. */
static bool probe_not_http(const probe_job *j, CURLcode rc)
{
	return j->pd->proto == PROBE_EWS && !j->seen.greeting &&
	       (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_WEIRD_SERVER_REPLY);
}

/* The stable code of a probe that stopped at stage `at`. */
static void probe_code(const probe_job *j, CURLcode rc, enum probe_stage at, long status,
                       char *code, size_t size)
{
	const probe_seen *s = &j->seen;
	const char *what;

	switch (at) {
	case PROBE_STAGE_DNS: what = probe_timeout_or(rc, "unresolved"); break;
	case PROBE_STAGE_CONNECT:
		what = probe_refused(j, rc) ? "refused" : probe_timeout_or(rc, "failed");
		break;
	case PROBE_STAGE_TLS: probe_code_tls(j, rc, code, size); return;
	case PROBE_STAGE_GREETING:
		what = s->greeting_bad || probe_not_http(j, rc) ? "not_protocol"
		       : s->greeting_refused                    ? "refused"
		                                                : probe_timeout_or(rc, "failed");
		break;
	case PROBE_STAGE_CAPABILITIES:
		if (j->pd->proto == PROBE_EWS && s->greeting) {
			snprintf(code, size, "probe.ews.%s",
			         status == 401 ? "no_challenge" : "not_ews");
			return;
		}
		what = probe_timeout_or(rc, "failed");
		break;
	case PROBE_STAGE_LOGIN: probe_code_login(j, rc, status, code, size); return;
	default: what = probe_timeout_or(rc, "failed"); break;
	}
	snprintf(code, size, "probe.%s.%s", probe_stage_slug(at), what);
}

/* ---- filling the result ---- */

static char *probe_dup_or_null(const char *s)
{
	return s && *s ? ec_strdup(s) : NULL;
}

/* For a target whose protocol is unknown. */
static const probe_proto_desc probe_unknown_proto = {.name = "unknown protocol", .slug = "?"};

static void probe_texts_fill(probe_job *j, enum probe_stage at)
{
	const probe_proto_desc *pd = j->pd ? j->pd : &probe_unknown_proto;
	const probe_text *t = probe_text_find(j->r->code, pd->proto);
	char endpoint[300], port[16], tls_port[16], plain_port[16], secs[32];
	char msg[1024], fix[1024];
	const char *fix_tmpl = t->fix ? t->fix : probe_stage_texts[at].fix;
	const char *reply = j->r->reply ? j->r->reply : "";
	const char *detail = j->errbuf[0] ? j->errbuf : "no more detail";

	snprintf(endpoint, sizeof(endpoint), "%s:%d", j->host, j->port);
	snprintf(port, sizeof(port), "%d", j->port);
	snprintf(tls_port, sizeof(tls_port), "%d", pd->tls_port);
	snprintf(plain_port, sizeof(plain_port), "%d", pd->port);
	snprintf(secs, sizeof(secs), "%g", (double)j->timeout_ms / 1000.0);
	{
		const char *vars[] = {
		    "proto",      pd->name,
		    "endpoint",   pd->proto == PROBE_EWS ? j->url : endpoint,
		    "host",       j->host,
		    "port",       port,
		    "url",        j->url[0] ? j->url : j->t->url,
		    "tls_port",   tls_port,
		    "plain_port", plain_port,
		    "secs",       secs,
		    "what",       probe_stage_texts[at].what,
		    "reply",      reply,
		    "detail",     j->r->detail ? j->r->detail : detail,
		    "caps",       j->r->capabilities ? j->r->capabilities : "none",
		    "secured",    j->r->tls ? _(" over TLS") : _(" without encryption"),
		    NULL};

		probe_text_expand(msg, sizeof(msg), _(t->message), vars);
		probe_text_expand(fix, sizeof(fix), *fix_tmpl ? _(fix_tmpl) : "", vars);
	}
	j->r->message = ec_strdup(msg);
	j->r->fix = ec_strdup(fix);
}

/* Walks the sequence: reached is the last stage passed, failed_at the first
 * one not passed (DONE when every stage passed). */
static void probe_walk(probe_job *j, CURLcode rc, bool *tls_passed)
{
	enum probe_stage seq[8];
	bool passed[PROBE_STAGE_DONE + 1];
	int n = probe_sequence(j, seq), i;

	probe_evidence(j, rc, passed);
	j->r->reached = PROBE_STAGE_SETUP;
	j->r->failed_at = PROBE_STAGE_DONE;
	*tls_passed = false;
	for (i = 0; i < n; i++) {
		if (!passed[seq[i]]) {
			j->r->failed_at = seq[i];
			return;
		}
		j->r->reached = seq[i];
		*tls_passed = *tls_passed || seq[i] == PROBE_STAGE_TLS;
	}
	j->r->ok = true;
}

void probe_judge(probe_job *j, CURLcode rc)
{
	ec_probe_result *r = j->r;
	long verify = 0;
	long status = 0;
	bool failed_late;

	curl_easy_getinfo(j->easy, CURLINFO_SSL_VERIFYRESULT, &verify);
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	probe_walk(j, rc, &r->tls);
	r->logged_in = r->ok && probe_creds(j);
	r->http_status = j->pd->proto == PROBE_EWS ? status : 0;
	r->greeting = probe_dup_or_null(j->seen.first_in);
	r->capabilities = probe_buf_take(&j->seen.caps);
	r->auth_mechanisms = probe_buf_take(&j->seen.mechs);
	/* The server's last line explains a failure it caused: not a TLS or
	 * network failure, nor a session that went well but offered no login. */
	failed_late = !r->ok && r->failed_at >= PROBE_STAGE_GREETING &&
	              (rc != CURLE_OK || j->pd->proto == PROBE_EWS);
	if (failed_late)
		r->reply = probe_dup_or_null(j->pd->proto == PROBE_EWS ? j->seen.status_line
		                                                       : j->seen.last_in);
	if (!r->ok && r->failed_at == PROBE_STAGE_TLS)
		r->tls_problem = probe_tls_classify(rc, verify, j->errbuf);
	if (!r->ok && rc != CURLE_OK && rc != CURLE_ABORTED_BY_CALLBACK && j->errbuf[0])
		r->detail = ec_strdup(j->errbuf);
	if (r->ok)
		snprintf(r->code, sizeof(r->code), "probe.ok.%s",
		         probe_creds(j) ? "login" : "reachable");
	else
		probe_code(j, rc, r->failed_at, status, r->code, sizeof(r->code));
	probe_texts_fill(j, r->ok ? PROBE_STAGE_DONE : r->failed_at);
}

void probe_judge_setup(probe_job *j, const char *code, const char *why)
{
	ec_probe_result *r = j->r;

	r->ok = false;
	r->reached = PROBE_STAGE_SETUP;
	r->failed_at = PROBE_STAGE_SETUP;
	r->detail = ec_strdup(why);
	snprintf(r->code, sizeof(r->code), "%s", code ? code : "probe.setup.invalid");
	probe_texts_fill(j, PROBE_STAGE_SETUP);
}
