/* probe.c — the probe driver: the protocol table, the multi-interface loop
 * that runs many probes with bounded concurrency and a timeout each, the
 * dialogue capture (libcurl's debug callback, with credentials redacted), the
 * trusted CAs, and the names of the enums. Protocol details live in
 * probe_mail.c and probe_ews.c, judging in probe_verdict.c, profile mapping in
 * probe_profile.c. Touches the network only through libcurl; never prints. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/probes/probe_int.h"

/* clang-format off */
static const probe_proto_desc probe_protos[] = {
	/* proto      slug    name    scheme  tls scheme ports      greeting prefixes        refusal  closing verb  CURLOPT_PROTOCOLS_STR */
	{PROBE_IMAP, "imap", "IMAP", "imap", "imaps",   143, 993, {"* OK", "* PREAUTH"}, "* BYE", "CAPABILITY", "imap,imaps"},
	{PROBE_POP3, "pop3", "POP3", "pop3", "pop3s",   110, 995, {"+OK", NULL},         "-ERR",  "CAPA",       "pop3,pop3s"},
	{PROBE_SMTP, "smtp", "SMTP", "smtp", "smtps",   587, 465, {"220 ", "220-"},      "554",   "NOOP",       "smtp,smtps"},
	{PROBE_EWS,  "ews",  "EWS",  "http", "https",    80, 443, {"HTTP/", NULL},       NULL,    NULL,         "http,https"},
};
/* clang-format on */

static const char *const probe_tls_slugs[] = {"none", "starttls", "implicit",
                                              "starttls-if-offered"};
static const char *const probe_stage_slugs[] = {"setup",    "dns",          "connect", "tls",
                                                "greeting", "capabilities", "login",   "done"};
static const char *const probe_problem_slugs[] = {
    "ok", "untrusted", "expired", "not-yet-valid", "wrong-host", "not-offered", "handshake"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const probe_proto_desc *probe_proto_find(enum probe_proto p)
{
	int i;

	for (i = 0; i < COUNT(probe_protos); i++)
		if (probe_protos[i].proto == p)
			return &probe_protos[i];
	return NULL;
}

const char *probe_proto_slug(enum probe_proto p)
{
	const probe_proto_desc *pd = probe_proto_find(p);

	return pd ? pd->slug : "?";
}

const char *probe_tls_slug(enum probe_tls t)
{
	return (int)t >= 0 && (int)t < COUNT(probe_tls_slugs) ? probe_tls_slugs[t] : "?";
}

const char *probe_stage_slug(enum probe_stage s)
{
	return (int)s >= 0 && (int)s < COUNT(probe_stage_slugs) ? probe_stage_slugs[s] : "?";
}

const char *probe_tls_problem_slug(enum probe_tls_problem p)
{
	return (int)p >= 0 && (int)p < COUNT(probe_problem_slugs) ? probe_problem_slugs[p] : "?";
}

int probe_proto_parse(const char *s, enum probe_proto *out, ec_error *err)
{
	int i;

	for (i = 0; s && i < COUNT(probe_protos); i++) {
		if (strcasecmp(s, probe_protos[i].slug) == 0) {
			*out = probe_protos[i].proto;
			return EC_OK;
		}
	}
	return ec_fail(err, EC_USAGE, "unknown protocol \"%s\"; use imap, pop3, smtp or ews",
	               s ? s : "");
}

int probe_tls_parse(const char *s, enum probe_tls *out, ec_error *err)
{
	int i;

	for (i = 0; s && i < COUNT(probe_tls_slugs); i++) {
		if (strcasecmp(s, probe_tls_slugs[i]) == 0) {
			*out = (enum probe_tls)i;
			return EC_OK;
		}
	}
	return ec_fail(err, EC_USAGE,
	               "unknown TLS mode \"%s\"; use none, starttls, implicit or "
	               "starttls-if-offered",
	               s ? s : "");
}

void probe_target_init(ec_probe_target *t, enum probe_proto proto)
{
	memset(t, 0, sizeof(*t));
	t->proto = proto;
	t->tls = PROBE_TLS_IMPLICIT;
}

int probe_target_port(const ec_probe_target *t)
{
	const probe_proto_desc *pd = probe_proto_find(t->proto);

	if (t->port > 0 || !pd)
		return t->port;
	return t->tls == PROBE_TLS_IMPLICIT ? pd->tls_port : pd->port;
}

void probe_result_free(ec_probe_result *r)
{
	if (!r)
		return;
	free(r->greeting);
	free(r->reply);
	free(r->capabilities);
	free(r->auth_mechanisms);
	free(r->message);
	free(r->fix);
	free(r->detail);
	free(r->transcript);
	memset(r, 0, sizeof(*r));
}

/* ---- growable text ---- */

void probe_buf_add(probe_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = ec_xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void probe_buf_adds(probe_buf *b, const char *s)
{
	probe_buf_add(b, s, strlen(s));
}

void probe_buf_add_word(probe_buf *b, const char *word, size_t n)
{
	const char *p = b->s;

	if (b->len + n >= PROBE_WORDS_MAX)
		return;
	while (p && *p) {
		size_t wl = strcspn(p, " ");

		if (wl == n && strncasecmp(p, word, n) == 0)
			return;
		p += wl;
		p += *p == ' ';
	}
	if (b->len)
		probe_buf_add(b, " ", 1);
	probe_buf_add(b, word, n);
}

void probe_buf_reset(probe_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

char *probe_buf_take(probe_buf *b)
{
	char *s = b->len ? b->s : NULL;

	if (!s)
		free(b->s);
	memset(b, 0, sizeof(*b));
	return s;
}

/* ---- the dialogue capture ---- */

static void probe_copy_line(char *dst, size_t size, const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Keeps the last PROBE_TRANSCRIPT_TAIL bytes of the tail, from a line start. */
static void probe_tail_trim(probe_job *j)
{
	probe_buf *b = &j->transcript_tail;
	size_t drop;
	const char *nl;

	if (b->len <= PROBE_TRANSCRIPT_TAIL)
		return;
	drop = b->len - PROBE_TRANSCRIPT_TAIL;
	nl = memchr(b->s + drop, '\n', b->len - drop);
	drop = nl ? (size_t)(nl + 1 - b->s) : b->len;
	memmove(b->s, b->s + drop, b->len - drop + 1);
	b->len -= drop;
	j->transcript_cut += drop;
}

/* Lines go to the head until it is full, then to the tail, which is
 * trimmed each time it has grown to twice its size (so trimming is cheap). */
static void probe_transcript_add(probe_job *j, const char *who, const char *line)
{
	probe_buf *b =
	    j->transcript.len < PROBE_TRANSCRIPT_HEAD ? &j->transcript : &j->transcript_tail;

	probe_buf_adds(b, who);
	probe_buf_adds(b, line);
	probe_buf_add(b, "\n", 1);
	if (b == &j->transcript_tail && b->len > 2 * PROBE_TRANSCRIPT_TAIL)
		probe_tail_trim(j);
}

char *probe_transcript_take(probe_job *j)
{
	char note[160];

	probe_tail_trim(j);
	if (j->transcript_cut) {
		snprintf(
		    note, sizeof(note),
		    "[... %zu bytes left out: a transcript keeps its first and last %d kB ...]\n",
		    j->transcript_cut, PROBE_TRANSCRIPT_TAIL / 1024);
		probe_buf_adds(&j->transcript, note);
	}
	if (j->transcript_tail.len)
		probe_buf_add(&j->transcript, j->transcript_tail.s, j->transcript_tail.len);
	free(probe_buf_take(&j->transcript_tail));
	j->transcript_cut = 0;
	return probe_buf_take(&j->transcript);
}

static void probe_on_line_in(probe_job *j, const char *line)
{
	if (!*line && j->pd->proto == PROBE_EWS)
		return;
	j->seen.lines_in++;
	snprintf(j->seen.last_in, sizeof(j->seen.last_in), "%s", line);
	probe_transcript_add(j, "S: ", line);
	if (j->pd->proto == PROBE_EWS)
		probe_ews_line_in(j, line);
	else
		probe_mail_line_in(j, line);
}

static void probe_on_line_out(probe_job *j, const char *line)
{
	char red[512];

	if (!*line)
		return;
	if (j->seen.auth_open)
		snprintf(red, sizeof(red), "***");
	else
		probe_redact_out(j->pd->proto, line, red, sizeof(red));
	probe_transcript_add(j, "C: ", red);
	if (j->pd->proto != PROBE_EWS)
		probe_mail_line_out(j, line);
}

/* Splits one debug chunk into lines. */
static void probe_on_chunk(probe_job *j, const char *data, size_t size, bool in)
{
	char line[512];

	while (size > 0) {
		const char *nl = memchr(data, '\n', size);
		size_t n = nl ? (size_t)(nl - data) + 1 : size;

		probe_copy_line(line, sizeof(line), data, n);
		if (in)
			probe_on_line_in(j, line);
		else
			probe_on_line_out(j, line);
		data += n;
		size -= n;
	}
}

static int probe_debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
	(void)h;
	if (type == CURLINFO_HEADER_IN)
		probe_on_chunk(userp, data, size, true);
	else if (type == CURLINFO_HEADER_OUT)
		probe_on_chunk(userp, data, size, false);
	return 0;
}

static size_t probe_discard_cb(char *p, size_t size, size_t n, void *userp)
{
	(void)p;
	(void)userp;
	return size * n;
}

/* ---- one job ---- */

static double probe_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How the probes trust certificates (see probe_trust_load). */
typedef struct probe_trust {
	const char *ca_file; /* CURLOPT_CAINFO: the caller's extra CAs, or NULL */
	bool use_capath;     /* system CAs through libcurl's hashed CA directory */
	probe_buf pem;       /* else: system bundle + extra CAs, as one blob */
	struct curl_blob blob;
} probe_trust;

static void probe_trust_apply(CURL *c, const probe_trust *tr)
{
	if (tr->use_capath)
		curl_easy_setopt(c, CURLOPT_CAINFO, tr->ca_file);
	else if (tr->pem.len)
		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &tr->blob);
}

static void probe_job_common(probe_job *j, const probe_trust *tr)
{
	CURL *c = j->easy;
	long secs = (j->timeout_ms + 999) / 1000;

	curl_easy_setopt(c, CURLOPT_PRIVATE, j);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, probe_debug_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, j);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, probe_discard_cb);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, j->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, j->timeout_ms);
	curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, secs);
	curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, j->pd->protocols);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, j->pd->protocols);
	probe_trust_apply(c, tr);
	if (j->t->username && j->t->password) {
		curl_easy_setopt(c, CURLOPT_USERNAME, j->t->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, j->t->password);
	}
}

/* 0 when the job is ready for the multi handle; otherwise it is judged
 * already (a setup failure). */
static int probe_job_start(probe_job *j, const probe_trust *tr)
{
	const char *why = NULL, *code = NULL;
	int rc;

	j->started = probe_now();
	if (!j->pd) {
		probe_judge_setup(j, "probe.setup.invalid", "the protocol is unknown");
		return -1;
	}
	j->easy = curl_easy_init();
	if (!j->easy) {
		probe_judge_setup(j, "probe.setup.invalid", "libcurl could not make a handle");
		return -1;
	}
	probe_job_common(j, tr);
	rc = j->pd->proto == PROBE_EWS ? probe_ews_setup(j, &code, &why)
	                               : probe_mail_setup(j, &code, &why);
	if (rc != 0) {
		probe_judge_setup(j, code, why);
		return -1;
	}
	curl_easy_setopt(j->easy, CURLOPT_URL, j->url);
	return 0;
}

static void probe_job_finish(probe_job *j, CURLcode rc)
{
	j->r->elapsed_ms = (long)((probe_now() - j->started) * 1000.0 + 0.5);
	probe_judge(j, rc);
	j->r->transcript = probe_transcript_take(j);
	free(probe_buf_take(&j->seen.caps));
	free(probe_buf_take(&j->seen.mechs));
	free(probe_buf_take(&j->seen.new_caps));
	free(probe_buf_take(&j->seen.new_mechs));
}

void probe_caps_commit(probe_seen *s)
{
	probe_buf t = s->caps;

	s->caps = s->new_caps;
	s->new_caps = t;
	probe_buf_reset(&s->new_caps);
	t = s->mechs;
	s->mechs = s->new_mechs;
	s->new_mechs = t;
	probe_buf_reset(&s->new_mechs);
	s->caps_seen = true;
}

static void probe_job_cleanup(probe_job *j, CURLM *multi)
{
	if (!j->easy)
		return;
	curl_multi_remove_handle(multi, j->easy);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
}

/* ---- trusted CAs ---- */

static int probe_file_append(probe_buf *b, const char *path)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		probe_buf_add(b, chunk, n);
	fclose(f);
	probe_buf_add(b, "\n", 1);
	return 0;
}

static bool probe_readable(const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;

	if (f)
		fclose(f);
	return f != NULL;
}

/* Trust = the system CAs + ca_file. Where libcurl has a hashed CA directory
 * (Debian: /etc/ssl/certs), the probes look system CAs up there, lazily, and
 * load only ca_file as the CA file: loading the whole system bundle costs
 * OpenSSL 3 tens of milliseconds per connection. Otherwise the system bundle
 * and ca_file go in as one blob (a CA blob replaces the CA file). Without
 * ca_file and without a CA directory libcurl's defaults apply. */
static int probe_trust_load(const char *ca_file, probe_trust *tr, ec_error *err)
{
	char *sys_file = NULL, *sys_dir = NULL;
	CURL *c;

	memset(tr, 0, sizeof(*tr));
	if (ca_file && *ca_file && !probe_readable(ca_file))
		return ec_fail(err, EC_LOCAL,
		               "cannot read the CA file %s; check EMAILCFG_CA_FILE or the ca-file "
		               "setting",
		               ca_file);
	tr->ca_file = ca_file && *ca_file ? ca_file : NULL;
	c = curl_easy_init();
	if (c) {
		curl_easy_getinfo(c, CURLINFO_CAINFO, &sys_file);
		curl_easy_getinfo(c, CURLINFO_CAPATH, &sys_dir);
	}
	tr->use_capath = sys_dir && *sys_dir;
	if (!tr->use_capath && tr->ca_file) {
		if (probe_readable(sys_file))
			probe_file_append(&tr->pem, sys_file);
		probe_file_append(&tr->pem, tr->ca_file);
		tr->blob = (struct curl_blob){
		    .data = tr->pem.s, .len = tr->pem.len, .flags = CURL_BLOB_NOCOPY};
	}
	if (c)
		curl_easy_cleanup(c);
	return EC_OK;
}

/* ---- the multi loop ---- */

typedef struct probe_runner {
	CURLM *multi;
	probe_job *jobs;
	int *active; /* indexes of running jobs */
	int nactive;
	probe_progress_fn progress;
	void *ctx;
	const probe_trust *trust;
} probe_runner;

static void probe_runner_done(probe_runner *pr, int idx, CURLcode rc)
{
	probe_job *j = &pr->jobs[idx];
	int i;

	probe_job_finish(j, rc);
	probe_job_cleanup(j, pr->multi);
	for (i = 0; i < pr->nactive; i++) {
		if (pr->active[i] == idx) {
			pr->active[i] = pr->active[--pr->nactive];
			break;
		}
	}
	if (pr->progress)
		pr->progress(pr->ctx, idx, j->r);
}

static void probe_runner_add(probe_runner *pr, int idx)
{
	probe_job *j = &pr->jobs[idx];

	if (probe_job_start(j, pr->trust) != 0) {
		probe_job_cleanup(j, pr->multi);
		j->r->transcript = probe_transcript_take(j);
		if (pr->progress)
			pr->progress(pr->ctx, idx, j->r);
		return;
	}
	curl_multi_add_handle(pr->multi, j->easy);
	pr->active[pr->nactive++] = idx;
}

static void probe_runner_reap(probe_runner *pr)
{
	CURLMsg *msg;
	int left, i;

	while ((msg = curl_multi_info_read(pr->multi, &left)) != NULL) {
		probe_job *j = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		probe_runner_done(pr, (int)(j - pr->jobs), msg->data.result);
	}
	/* A greeting of another protocol: stop waiting for the right one. */
	for (i = pr->nactive - 1; i >= 0; i--)
		if (pr->jobs[pr->active[i]].seen.aborted)
			probe_runner_done(pr, pr->active[i], CURLE_ABORTED_BY_CALLBACK);
}

static void probe_runner_loop(probe_runner *pr, int n, int concurrency)
{
	int next = 0, running = 0;

	while (next < n || pr->nactive > 0) {
		while (next < n && pr->nactive < concurrency)
			probe_runner_add(pr, next++);
		curl_multi_perform(pr->multi, &running);
		probe_runner_reap(pr);
		if (pr->nactive > 0 && running > 0)
			curl_multi_poll(pr->multi, NULL, 0, 100, NULL);
	}
}

static void probe_jobs_init(probe_job *jobs, const ec_probe_target *targets, int n, long timeout_ms,
                            ec_probe_result *results)
{
	int i;

	for (i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		memset(&results[i], 0, sizeof(results[i]));
		jobs[i].t = &targets[i];
		jobs[i].pd = probe_proto_find(targets[i].proto);
		jobs[i].r = &results[i];
		jobs[i].timeout_ms = timeout_ms;
	}
}

int probe_run(const ec_probe_target *targets, int n, int concurrency, long timeout_ms,
              const char *ca_file, probe_progress_fn progress, void *ctx, ec_probe_result *results,
              ec_error *err)
{
	probe_trust trust;
	probe_runner pr = {0};

	if (n <= 0)
		return EC_OK;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ec_fail(err, EC_LOCAL, "libcurl could not start");
	if (probe_trust_load(ca_file, &trust, err) != EC_OK) {
		curl_global_cleanup();
		return EC_LOCAL;
	}
	concurrency = concurrency > 0 ? concurrency : PROBE_DEFAULT_CONCURRENCY;
	concurrency = concurrency < n ? concurrency : n;
	pr = (probe_runner){.multi = curl_multi_init(),
	                    .jobs = ec_xcalloc((unsigned long)n, sizeof(probe_job)),
	                    .active = ec_xcalloc((unsigned long)concurrency, sizeof(int)),
	                    .progress = progress,
	                    .ctx = ctx,
	                    .trust = &trust};
	probe_jobs_init(pr.jobs, targets, n, timeout_ms > 0 ? timeout_ms : PROBE_DEFAULT_TIMEOUT_MS,
	                results);
	probe_runner_loop(&pr, n, concurrency);
	curl_multi_cleanup(pr.multi);
	free(pr.jobs);
	free(pr.active);
	free(probe_buf_take(&trust.pem));
	curl_global_cleanup();
	return EC_OK;
}

bool probe_host_is_loopback(const char *host)
{
	if (!host)
		return false;
	return strcasecmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	       strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0;
}
