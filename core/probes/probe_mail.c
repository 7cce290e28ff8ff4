/* probe_mail.c — IMAP, POP3 and SMTP probes: the libcurl setup of one probe,
 * the reading of the dialogue that libcurl's debug callback hands over
 * (greeting, STARTTLS, CAPABILITY / CAPA / EHLO lists, login), and the
 * redaction of what is sent. libcurl drives the protocol: its connect phase
 * reads the greeting, asks for capabilities, upgrades with STARTTLS and logs
 * in; a harmless command from the protocol table (CAPABILITY, CAPA, NOOP)
 * ends the session, followed by libcurl's LOGOUT or QUIT. No mail is sent. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/probes/probe_int.h"

enum { VERB_TLS = 1, VERB_AUTH = 2 };
enum { SHOW_NONE = 0, SHOW_FIRST = 1, SHOW_ALL = 99 };

/* Every command a probe may send, with how much of it the transcript shows. */
static const struct probe_verb {
	const char *verb;
	int show; /* arguments shown: SHOW_NONE, SHOW_FIRST (the mechanism), SHOW_ALL */
	int flags;
} probe_verbs[] = {
    {"CAPABILITY", SHOW_ALL, 0},     {"CAPA", SHOW_ALL, 0},
    {"EHLO", SHOW_ALL, 0},           {"HELO", SHOW_ALL, 0},
    {"NOOP", SHOW_ALL, 0},           {"HELP", SHOW_ALL, 0},
    {"RSET", SHOW_ALL, 0},           {"LOGOUT", SHOW_ALL, 0},
    {"QUIT", SHOW_ALL, 0},           {"STARTTLS", SHOW_ALL, VERB_TLS},
    {"STLS", SHOW_ALL, VERB_TLS},    {"AUTHENTICATE", SHOW_FIRST, VERB_AUTH},
    {"AUTH", SHOW_FIRST, VERB_AUTH}, {"LOGIN", SHOW_NONE, VERB_AUTH},
    {"USER", SHOW_NONE, VERB_AUTH},  {"PASS", SHOW_NONE, VERB_AUTH},
    {"APOP", SHOW_NONE, VERB_AUTH},
};

static const struct probe_verb *probe_verb_find(const char *verb, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(probe_verbs) / sizeof(probe_verbs[0]); i++)
		if (strlen(probe_verbs[i].verb) == n &&
		    strncasecmp(probe_verbs[i].verb, verb, n) == 0)
			return &probe_verbs[i];
	return NULL;
}

static const char *probe_skip_word(const char *p)
{
	p += strcspn(p, " ");
	return p + strspn(p, " ");
}

/* The command word of a line sent: after the tag for IMAP. */
static const char *probe_line_verb(enum probe_proto proto, const char *line)
{
	return proto == PROBE_IMAP ? probe_skip_word(line) : line;
}

static void probe_redact_http(const char *line, char *out, size_t size)
{
	if (strncasecmp(line, "Authorization:", 14) == 0 ||
	    strncasecmp(line, "Proxy-Authorization:", 20) == 0 ||
	    strncasecmp(line, "Cookie:", 7) == 0)
		snprintf(out, size, "%.*s ***", (int)strcspn(line, ":") + 1, line);
	else
		snprintf(out, size, "%s", line);
}

/* Known commands keep their verb (and the tag, and the arguments the verb
 * table allows); anything else, such as a SASL response, becomes "***". */
void probe_redact_out(enum probe_proto proto, const char *line, char *out, size_t size)
{
	const char *verb = probe_line_verb(proto, line);
	size_t vlen = strcspn(verb, " ");
	const struct probe_verb *v;
	const char *args = probe_skip_word(verb);
	int shown = 0;

	if (proto == PROBE_EWS) {
		probe_redact_http(line, out, size);
		return;
	}
	v = probe_verb_find(verb, vlen);
	if (!v) {
		snprintf(out, size, "***");
		return;
	}
	if (v->show >= SHOW_FIRST && *args)
		shown = (int)strcspn(args, " ");
	if (v->show == SHOW_ALL)
		shown = (int)strlen(args);
	snprintf(out, size, "%.*s%.*s%s", (int)(args - line), line, shown, args,
	         (int)strlen(args) > shown ? (shown ? " ***" : "***") : "");
}

void probe_mail_line_out(probe_job *j, const char *line)
{
	const char *verb = probe_line_verb(j->pd->proto, line);
	size_t n = strcspn(verb, " ");
	const struct probe_verb *v = probe_verb_find(verb, n);

	if (!v)
		return;
	snprintf(j->seen.verb, sizeof(j->seen.verb), "%s", v->verb);
	j->seen.verb_lines = 0;
	if (v->flags & VERB_TLS)
		j->seen.starttls_sent = true;
	if (v->flags & VERB_AUTH)
		j->seen.auth_sent = j->seen.auth_open = true;
}

/* ---- reading what the server says ---- */

static bool probe_starts(const char *line, const char *prefix)
{
	return prefix && strncasecmp(line, prefix, strlen(prefix)) == 0;
}

static bool probe_mail_positive(enum probe_proto proto, const char *line)
{
	switch (proto) {
	case PROBE_IMAP: return strncasecmp(probe_skip_word(line), "OK", 2) == 0;
	case PROBE_POP3: return strncmp(line, "+OK", 3) == 0;
	default: return line[0] == '2';
	}
}

/* The final positive answer to a login: a tagged OK, +OK to PASS/AUTH, 235. */
static bool probe_mail_auth_ok(enum probe_proto proto, const char *verb, const char *line)
{
	switch (proto) {
	case PROBE_IMAP:
		return line[0] != '*' && line[0] != '+' && probe_mail_positive(proto, line);
	case PROBE_POP3: return strcmp(verb, "USER") != 0 && strncmp(line, "+OK", 3) == 0;
	default: return strncmp(line, "235", 3) == 0;
	}
}

/* A SASL challenge: the exchange goes on with a client line. */
static bool probe_mail_continuation(enum probe_proto proto, const char *line)
{
	return proto == PROBE_SMTP ? strncmp(line, "334", 3) == 0
	                           : strncmp(line, "+ ", 2) == 0 || strcmp(line, "+") == 0;
}

static void probe_mail_greeting(probe_job *j, const char *line)
{
	probe_seen *s = &j->seen;

	s->greeting = true;
	snprintf(s->first_in, sizeof(s->first_in), "%s", line);
	if (probe_starts(line, j->pd->greet_ok[0]) || probe_starts(line, j->pd->greet_ok[1]))
		return;
	if (probe_starts(line, j->pd->greet_no)) {
		s->greeting_refused = true;
		return;
	}
	s->greeting_bad = true;
	s->aborted = true;
}

/* Words of an IMAP capability list: "IMAP4rev1 STARTTLS AUTH=PLAIN ...". */
static void probe_imap_caps(probe_seen *s, const char *line)
{
	const char *p = strcasestr(line, "CAPABILITY ");

	if (!p || (line[0] != '*' && !strchr(line, '[')))
		return;
	probe_buf_reset(&s->new_caps);
	probe_buf_reset(&s->new_mechs);
	p += strlen("CAPABILITY ");
	while (*p && *p != ']') {
		size_t n = strcspn(p, " ]");

		probe_buf_add_word(&s->new_caps, p, n);
		if (n > 5 && strncasecmp(p, "AUTH=", 5) == 0)
			probe_buf_add_word(&s->new_mechs, p + 5, n - 5);
		p += n;
		p += strspn(p, " ");
	}
	probe_caps_commit(s);
}

/* Adds the words of p to b. */
static void probe_add_words(probe_buf *b, const char *p)
{
	while (*p) {
		size_t n = strcspn(p, " =");

		if (n)
			probe_buf_add_word(b, p, n);
		p += n;
		p += strspn(p, " =");
	}
}

/* One keyword line of a CAPA or EHLO answer: "SASL PLAIN LOGIN", "AUTH PLAIN". */
static void probe_cap_line(probe_seen *s, const char *p, const char *mech_word)
{
	size_t n = strcspn(p, " =");

	if (!n)
		return;
	probe_buf_add_word(&s->new_caps, p, n);
	if (strlen(mech_word) == n && strncasecmp(p, mech_word, n) == 0)
		probe_add_words(&s->new_mechs, p + n);
}

static void probe_pop3_caps(probe_seen *s, const char *line)
{
	if (strcmp(s->verb, "CAPA") != 0)
		return;
	if (s->verb_lines == 1) {
		probe_buf_reset(&s->new_caps);
		probe_buf_reset(&s->new_mechs);
		if (strncmp(line, "-ERR", 4) == 0)
			probe_caps_commit(s); /* no CAPA: an answer all the same */
		return;
	}
	if (strcmp(line, ".") == 0)
		probe_caps_commit(s);
	else
		probe_cap_line(s, line, "SASL");
}

static void probe_smtp_caps(probe_seen *s, const char *line)
{
	if (strcmp(s->verb, "EHLO") != 0 && strcmp(s->verb, "HELO") != 0)
		return;
	if (strncmp(line, "250", 3) != 0 || (line[3] != ' ' && line[3] != '-'))
		return;
	if (s->verb_lines == 1) {
		probe_buf_reset(&s->new_caps);
		probe_buf_reset(&s->new_mechs);
	} else {
		probe_cap_line(s, line + 4, "AUTH");
	}
	if (line[3] == ' ')
		probe_caps_commit(s);
}

void probe_mail_line_in(probe_job *j, const char *line)
{
	probe_seen *s = &j->seen;

	s->verb_lines++;
	if (!s->greeting) {
		probe_mail_greeting(j, line);
		return;
	}
	if (s->starttls_sent && !s->tls_started) {
		s->tls_started = probe_mail_positive(j->pd->proto, line);
		return;
	}
	if (s->tls_started)
		s->tls_done = true;
	if (s->auth_sent) {
		s->auth_ok = s->auth_ok || probe_mail_auth_ok(j->pd->proto, s->verb, line);
		s->auth_open = s->auth_open && probe_mail_continuation(j->pd->proto, line);
		return;
	}
	switch (j->pd->proto) {
	case PROBE_IMAP: probe_imap_caps(s, line); break;
	case PROBE_POP3: probe_pop3_caps(s, line); break;
	default: probe_smtp_caps(s, line); break;
	}
}

/* ---- setup ---- */

/* Host names and IP addresses only: nothing that could change the URL. */
static bool probe_host_valid(const char *h)
{
	if (!*h)
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && !strchr(".-_:", *h))
			return false;
	return true;
}

static long probe_use_ssl(enum probe_tls tls)
{
	switch (tls) {
	case PROBE_TLS_STARTTLS: return (long)CURLUSESSL_ALL;
	case PROBE_TLS_STARTTLS_IF_OFFERED: return (long)CURLUSESSL_TRY;
	default: return (long)CURLUSESSL_NONE;
	}
}

int probe_mail_setup(probe_job *j, const char **code, const char **why)
{
	const ec_probe_target *t = j->t;
	bool v6 = strchr(t->host, ':') != NULL;

	snprintf(j->host, sizeof(j->host), "%s", t->host);
	j->port = probe_target_port(t);
	*code = "probe.setup.invalid";
	if (!probe_host_valid(t->host)) {
		*why = *t->host ? "the host name has characters a host name cannot have"
		                : "no host name is set";
		return -1;
	}
	if (j->port <= 0 || j->port > 65535) {
		*why = "the port is not between 1 and 65535";
		return -1;
	}
	snprintf(j->url, sizeof(j->url), "%s://%s%s%s:%d/",
	         t->tls == PROBE_TLS_IMPLICIT ? j->pd->tls_scheme : j->pd->scheme, v6 ? "[" : "",
	         t->host, v6 ? "]" : "", j->port);
	curl_easy_setopt(j->easy, CURLOPT_USE_SSL, probe_use_ssl(t->tls));
	curl_easy_setopt(j->easy, CURLOPT_CUSTOMREQUEST, j->pd->check_verb);
	return 0;
}
