/* http.c — libcurl requests with retries (see http.h). */
#include "core/base/i18n.h"
#include "core/client/http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/client/ca_trust.h"
#include "core/client/kerberos.h"
#include "core/base/ini.h"
#include "core/model/model.h"

struct ec_http {
	CURL *curl;
	ec_http_opts opts;
	char *ca_file;
	ca_trust trust; /* the system CAs plus ca_file */
	char errbuf[CURL_ERROR_SIZE];
	unsigned seed;
	long last_rtt_ms;
	bool throttled;
	ec_http_response *resp; /* the one being received */
	size_t body_cap;        /* bytes allocated for resp->body */
	bool too_large;         /* the last attempt passed max_body */
	bool stalled;           /* the last attempt ended by the low-speed limit */
	http_body_fn stream;    /* where a 200 body goes (http_request_stream) */
	void *stream_ctx;
	size_t streamed;     /* bytes of this attempt given to stream */
	bool stream_refused; /* stream asked to stop */
	bool windows;        /* http_set_windows_auth() */
	char *win_user, *win_password;
	long win_methods; /* CURLAUTH_NEGOTIATE and/or CURLAUTH_NTLM */
	char *win_ccache; /* Kerberos tickets for Negotiate; NULL: the default cache */
};

#define CONNECT_ATTEMPTS 3
/* A Retry-After beyond a day is a broken server; the total bound decides. */
#define RETRY_AFTER_MAX 86400L

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void http_opts_default(ec_http_opts *o)
{
	memset(o, 0, sizeof *o);
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 120000;
	o->max_attempts = 8;
	o->max_total_ms = 300000;
	o->max_body = (size_t)64 << 20;
	o->stall_s = 30;
}

/* A whole number from min to max in the environment variable name, or
 * *out unchanged when it is not set. */
static int env_number(const char *name, long min, long max, long *out, ec_error *err)
{
	const char *v = getenv(name);
	char *end;
	long n;
	if (!v || !*v)
		return EC_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return ec_fail(err, EC_LOCAL,
		               "%s must be a whole number from %ld to %ld, not '%.40s'", name, min,
		               max, v);
	*out = n;
	return EC_OK;
}

int http_opts_from_env(ec_http_opts *o, ec_error *err)
{
	long mb = (long)(o->max_body >> 20), wait_s = o->max_total_ms / 1000;
	int rc;
	if ((rc = env_number("EMAILCFG_MAX_RESPONSE_MB", 1, 4096, &mb, err)) != EC_OK ||
	    (rc = env_number("EMAILCFG_STALL_SECONDS", 1, 3600, &o->stall_s, err)) != EC_OK ||
	    (rc = env_number("EMAILCFG_MAX_WAIT_SECONDS", 1, 86400, &wait_s, err)) != EC_OK)
		return rc;
	o->max_body = (size_t)mb << 20;
	o->max_total_ms = wait_s * 1000;
	return EC_OK;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int http_open(const ec_http_opts *opts, ec_http **out, ec_error *err)
{
	ec_http *h;
	pthread_once(&global_once, global_init);
	h = ec_xcalloc(1, sizeof *h);
	h->curl = curl_easy_init();
	if (!h->curl) {
		free(h);
		return ec_fail(err, EC_LOCAL, "cannot start libcurl");
	}
	if (ca_trust_load(opts->ca_file, &h->trust, err) != EC_OK) {
		curl_easy_cleanup(h->curl);
		free(h);
		return EC_LOCAL;
	}
	h->opts = *opts;
	h->ca_file = ec_strdup(opts->ca_file);
	h->opts.ca_file = h->ca_file;
	h->seed = (unsigned)(time(NULL) ^ getpid());
	*out = h;
	return EC_OK;
}

void http_close(ec_http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	ca_trust_free(&h->trust);
	free(h->ca_file);
	ec_wipe_free(h->win_user);
	ec_wipe_free(h->win_password);
	free(h->win_ccache);
	free(h);
}

long http_last_rtt_ms(const ec_http *h)
{
	return h->last_rtt_ms;
}

bool http_was_throttled(const ec_http *h)
{
	return h->throttled;
}

/* Only a loopback address or "localhost" itself: a name such as
 * 127.0.0.1.example.net resolves anywhere and must not get plain http. */
static bool host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char bare[64];
	size_t n = strlen(host);
	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n >= 2 && n < sizeof bare + 2 && host[0] == '[' && host[n - 1] == ']') {
		memcpy(bare, host + 1, n - 2);
		bare[n - 2] = '\0';
		host = bare;
	}
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

int http_check_url(const char *url, ec_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = EC_OK;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		rc = ec_fail(err, EC_USAGE,
		             "'%s' is not a valid URL; give the organization as "
		             "https://NAME.crm.dynamics.com",
		             url);
	else if (strcasecmp(scheme, "https") != 0 &&
	         !(strcasecmp(scheme, "http") == 0 && host_is_loopback(host)))
		rc = ec_fail(err, EC_USAGE,
		             "refusing %s://%s: only https:// is allowed (plain "
		             "http:// only to loopback); use https://%s",
		             scheme, host, host);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

char *http_escape(const char *s)
{
	CURL *c;
	char *e, *out;
	pthread_once(&global_once, global_init);
	c = curl_easy_init();
	e = curl_easy_escape(c, s, 0);
	out = ec_strdup(e);
	curl_free(e);
	curl_easy_cleanup(c);
	return out;
}

const char *http_url_for_log(const char *url, char *buf, size_t size)
{
	size_t len = strlen(url), keep;
	if (len < size)
		return url;
	keep = (size - 4) / 2; /* "..." and the NUL */
	memcpy(buf, url, keep);
	memcpy(buf + keep, "...", 3);
	memcpy(buf + keep + 3, url + len - keep, keep);
	buf[keep * 2 + 3] = '\0';
	return buf;
}

/* Stores a piece of the body; refuses (aborting the transfer) the piece
 * that would take it past max_body, so a huge response never sits in
 * memory. The buffer doubles, so a large body is not copied over and over. */
/* A 200 body of a streamed request goes to the stream as it arrives,
 * bounded by max_body all the same. */
static size_t on_stream(ec_http *h, const char *data, size_t len)
{
	if (len > h->opts.max_body - h->streamed) {
		h->too_large = true;
		return 0;
	}
	h->streamed += len;
	if (!h->stream(h->stream_ctx, data, len)) {
		h->stream_refused = true;
		return 0;
	}
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	ec_http *h = userp;
	ec_http_response *r = h->resp;
	size_t len = size * n;
	long status = 0;
	if (h->stream && curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
	    status == 200)
		return on_stream(h, data, len);
	if (len > h->opts.max_body - r->len) {
		h->too_large = true;
		return 0;
	}
	if (r->len + len + 1 > h->body_cap) {
		size_t cap = h->body_cap < 4096 ? 4096 : h->body_cap;
		while (cap < r->len + len + 1)
			cap *= 2;
		if (cap > h->opts.max_body + 1)
			cap = h->opts.max_body + 1;
		r->body = ec_xrealloc(r->body, cap);
		h->body_cap = cap;
	}
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

/* The value of header line "Name: value" when it is name, else NULL. */
static char *header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	char *v;
	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	line += n + 1, len -= n + 1;
	while (len && isspace((unsigned char)*line))
		line++, len--;
	while (len && isspace((unsigned char)line[len - 1]))
		len--;
	v = ec_xmalloc(len + 1);
	memcpy(v, line, len);
	v[len] = '\0';
	return v;
}

/* Retry-After in seconds or as an HTTP date, clamped to 0 ..
 * RETRY_AFTER_MAX; -1 when it is neither. */
static long retry_after_parse(const char *v)
{
	long s;
	if (isdigit((unsigned char)*v)) {
		char *end;
		errno = 0;
		s = strtol(v, &end, 10);
		if (*end)
			return -1;
		return errno == ERANGE || s > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : s;
	}
	time_t at = curl_getdate(v, NULL);
	if (at == (time_t)-1)
		return -1;
	s = (long)(at - time(NULL));
	return s < 0 ? 0 : s > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : s;
}

/* Preferences may come in several headers (RFC 7240): joined, at most
 * PREFERENCE_MAX bytes kept. Takes v. */
#define PREFERENCE_MAX 1024
static void preference_add(ec_http_response *r, char *v)
{
	size_t have = r->preference_applied ? strlen(r->preference_applied) : 0, add = strlen(v);
	if (!r->preference_applied) {
		r->preference_applied = v;
		v[add > PREFERENCE_MAX ? PREFERENCE_MAX : add] = '\0';
		return;
	}
	if (have + 1 + add <= PREFERENCE_MAX) {
		r->preference_applied = ec_xrealloc(r->preference_applied, have + add + 2);
		r->preference_applied[have] = ',';
		memcpy(r->preference_applied + have + 1, v, add + 1);
	}
	free(v);
}

static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
	ec_http_response *r = userp;
	size_t len = size * n;
	char *v;
	if ((v = header_value(data, len, "Retry-After"))) {
		r->retry_after = retry_after_parse(v);
		free(v);
	} else if ((v = header_value(data, len, "ETag"))) {
		free(r->etag);
		r->etag = v;
	} else if ((v = header_value(data, len, "WWW-Authenticate"))) {
		free(r->www_authenticate);
		r->www_authenticate = v;
	} else if ((v = header_value(data, len, "Preference-Applied"))) {
		preference_add(r, v);
	}
	return len;
}

static void response_reset(ec_http *h, ec_http_response *r)
{
	free(r->body);
	free(r->etag);
	free(r->www_authenticate);
	free(r->preference_applied);
	r->body = ec_strdup("");
	h->resp = r;
	h->body_cap = 1;
	h->too_large = false;
	r->len = 0;
	r->etag = r->www_authenticate = r->preference_applied = NULL;
	r->retry_after = -1;
	r->status = 0;
}

int http_request_stream(ec_http *h, const char *method, const char *url, const char *const *headers,
                        const char *body, http_body_fn fn, void *ctx, ec_http_response *resp,
                        ec_error *err)
{
	int rc;
	h->stream = fn;
	h->stream_ctx = ctx;
	h->stream_refused = false;
	rc = http_request(h, method, url, headers, body, resp, err);
	h->stream = NULL;
	h->stream_ctx = NULL;
	return rc;
}

int http_request_capped(ec_http *h, const char *method, const char *url, const char *const *headers,
                        const char *body, size_t max, ec_http_response *resp, ec_error *err)
{
	size_t saved = h->opts.max_body;
	int rc;
	h->opts.max_body = max < saved ? max : saved;
	rc = http_request(h, method, url, headers, body, resp, err);
	h->opts.max_body = saved;
	return rc;
}

void http_response_free(ec_http_response *r)
{
	free(r->body);
	free(r->etag);
	free(r->www_authenticate);
	free(r->preference_applied);
	memset(r, 0, sizeof *r);
}

/* libcurl asks this during transfers: non-zero aborts (a cancelled job). */
static int on_progress(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return ec_cancelled(userp);
}

void http_set_windows_auth(ec_http *h, const char *user, const char *password, bool negotiate,
                           bool ntlm, const char *ccache)
{
	ec_wipe_free(h->win_user);
	ec_wipe_free(h->win_password);
	free(h->win_ccache);
	h->windows = true;
	h->win_user = user ? ec_strdup(user) : NULL;
	h->win_password = password ? ec_strdup(password) : NULL;
	h->win_methods = (negotiate ? CURLAUTH_NEGOTIATE : 0) | (ntlm ? CURLAUTH_NTLM : 0);
	h->win_ccache = ccache ? ec_strdup(ccache) : NULL;
}

/* Without a user, an empty one: libcurl's cue to take Kerberos from the
 * ticket cache (GSS-API default credentials). GSS-API's cache is set per
 * thread, so it is set here, in the thread that runs the transfer. */
static void apply_windows_auth(ec_http *h)
{
	if (!h->windows)
		return;
	if (h->win_methods & CURLAUTH_NEGOTIATE)
		kerberos_use_ccache(h->win_ccache);
	curl_easy_setopt(h->curl, CURLOPT_HTTPAUTH, h->win_methods);
	curl_easy_setopt(h->curl, CURLOPT_USERNAME, h->win_user ? h->win_user : "");
	curl_easy_setopt(h->curl, CURLOPT_PASSWORD, h->win_password ? h->win_password : "");
}

static void setup_easy(ec_http *h, const char *method, const char *url, struct curl_slist *hdrs,
                       const char *body, long timeout_ms, ec_http_response *r)
{
	CURL *c = h->curl;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	ca_trust_apply(c, &h->trust);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	/* A silent server ends the transfer after stall_s, not timeout_ms. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->opts.stall_s);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "emailcfg/" EMAILCFG_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &h->opts.sink);
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	apply_windows_auth(h);
	h->errbuf[0] = '\0';
}

/* Failures worth another try: the server or the path may recover. A stall
 * is not: the server took the request and went quiet for stall_s already. */
static bool status_transient(long status)
{
	return status == 429 || status == 502 || status == 503 || status == 504;
}

static bool transient(const ec_http *h, CURLcode cc, long status)
{
	if (h->stalled)
		return false;
	if (cc == CURLE_OK)
		return status_transient(status);
	return cc == CURLE_COULDNT_CONNECT || cc == CURLE_OPERATION_TIMEDOUT ||
	       cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING ||
	       cc == CURLE_PARTIAL_FILE || cc == CURLE_HTTP2 || cc == CURLE_HTTP2_STREAM;
}

/* Seconds to wait before attempt+1: Retry-After when given, else 1, 2, 4 …
 * up to 30 s, each ±25 % so many clients do not retry in step. */
static double backoff_seconds(ec_http *h, const ec_http_response *r, int attempt)
{
	double base, jitter;
	if (r->retry_after >= 0)
		return (double)r->retry_after;
	base = 1.0 * (1 << (attempt > 5 ? 5 : attempt - 1));
	if (base > 30)
		base = 30;
	jitter = ((double)rand_r(&h->seed) / RAND_MAX - 0.5) * 0.5;
	return base * (1.0 + jitter);
}

/* Sleeps in short slices so a cancelled job stops waiting at once. */
static void sleep_seconds(const ec_sink *sink, double s)
{
	long left = (long)(s * 1000);
	while (left > 0 && !ec_cancelled(sink)) {
		long slice = left < 100 ? left : 100;
		struct timespec ts = {0, slice * 1000000L};
		nanosleep(&ts, NULL);
		left -= slice;
	}
}

static char *url_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *out;
	curl_url_set(u, CURLUPART_URL, url, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	out = ec_strdup(host ? host : url);
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}

/* The one-line reason a request got no response. */
static int fail_transport(ec_http *h, CURLcode cc, const char *url, int attempts, ec_error *err)
{
	char *host = url_host(url);
	const char *detail = h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc);
	int rc;
	if (h->too_large)
		cc = CURLE_FILESIZE_EXCEEDED;
	else if (h->stalled)
		cc = CURLE_OPERATION_TIMEDOUT;
	switch (cc) {
	case CURLE_FILESIZE_EXCEEDED:
		if (h->opts.max_body < ((size_t)1 << 20)) { /* a capped request's */
			rc = ec_fail(err, EC_NETWORK,
			             "%s sent an answer larger than %zu KB where a sign-in answer "
			             "is a few KB; refused it, check the authority URL",
			             host, h->opts.max_body >> 10);
			break;
		}
		rc = ec_fail(err, EC_NETWORK,
		             "%s sent a response larger than %zu MB; refused it (a larger limit: "
		             "EMAILCFG_MAX_RESPONSE_MB)",
		             host, h->opts.max_body >> 20);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		rc = h->stalled
		         ? ec_fail(err, EC_NETWORK,
		                   "the organization stopped answering: %s sent nothing for "
		                   "%ld s; try again later (queued edits stay queued)",
		                   host, h->opts.stall_s)
		         : ec_fail(err, EC_NETWORK,
		                   ngettext("%s did not answer in time after %d attempt: %s; try "
		                            "again later (queued edits stay queued)",
		                            "%s did not answer in time after %d attempts: %s; try "
		                            "again later (queued edits stay queued)",
		                            (unsigned long)attempts),
		                   host, attempts, detail);
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		rc = ec_fail(err, EC_NETWORK,
		             "cancelled while talking to %s (queued edits stay "
		             "queued)",
		             host);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		rc = ec_fail(err, EC_NETWORK,
		             "cannot find host %s (DNS); check the organization "
		             "URL and the network",
		             host);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		rc = ec_fail(err, EC_NETWORK,
		             "the TLS connection to %s failed: %s; if it uses a "
		             "private CA, set ca-file or EMAILCFG_CA_FILE",
		             host, detail);
		break;
	default:
		rc = ec_fail(err, EC_NETWORK,
		             ngettext("cannot reach %s after %d attempt: %s; check the "
		                      "network (queued edits stay queued)",
		                      "cannot reach %s after %d attempts: %s; check the "
		                      "network (queued edits stay queued)",
		                      (unsigned long)attempts),
		             host, attempts, detail);
	}
	free(host);
	return rc;
}

static void log_request(ec_http *h, const char *method, const char *url, const ec_http_response *r,
                        CURLcode cc, long ms)
{
	char shown[640];
	if (!h->opts.verbose)
		return;
	if (cc == CURLE_OK)
		ec_emitf(&h->opts.sink, EV_LOG, "http", "%s %s -> %ld, %zu bytes, %ld ms", method,
		         http_url_for_log(url, shown, sizeof shown), r->status, r->len, ms);
	else
		ec_emitf(&h->opts.sink, EV_LOG, "http", "%s %s -> %s, %ld ms", method,
		         http_url_for_log(url, shown, sizeof shown), curl_easy_strerror(cc), ms);
}

static void announce_wait(ec_http *h, long status, double wait)
{
	ec_event ev = {EV_WAIT, "http", NULL, 0, 0, wait, NULL, NULL, (int)status};
	char msg[160];
	if (status == 429)
		snprintf(msg, sizeof msg, "throttled by the organization, retrying in %.0f s",
		         wait < 1 ? 1 : wait);
	else if (status)
		snprintf(msg, sizeof msg, "the organization answered %ld, retrying in %.0f s",
		         status, wait < 1 ? 1 : wait);
	else
		snprintf(msg, sizeof msg, "connection failed, retrying in %.0f s",
		         wait < 1 ? 1 : wait);
	ev.message = msg;
	ec_emit(&h->opts.sink, &ev);
}

/* A header value with a control character would end the header early (CR,
 * LF: an injected second header). Names the header, never its value: it may
 * be a token. */
static int headers_check(const char *const *headers, ec_error *err)
{
	for (int i = 0; headers && headers[i]; i++)
		for (const unsigned char *p = (const unsigned char *)headers[i]; *p; p++)
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
				return ec_fail(err, EC_NETWORK,
				               "refused to send the %.*s header: it holds a line "
				               "break or another control character (nothing was "
				               "sent); if it is the access token, check "
				               "EMAILCFG_TOKEN or the sign-in service",
				               (int)strcspn(headers[i], ":\r\n\t"), headers[i]);
	return EC_OK;
}

/* Whether a timed-out attempt was ended by the low-speed limit: the request
 * was on its way (on a new or a reused connection), and its own time was not
 * up yet. */
static bool attempt_stalled(ec_http *h, CURLcode cc, long ms, long timeout_ms)
{
	curl_off_t pretransfer_us = 0;
	if (cc != CURLE_OPERATION_TIMEDOUT)
		return false;
	curl_easy_getinfo(h->curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
	return pretransfer_us > 0 && ms < timeout_ms;
}

/* The one line for a status that stayed transient to the end: retried until
 * the attempts ran out, or asked for a wait longer than the total allows. */
static int fail_transient_status(ec_http *h, const char *url, const ec_http_response *r,
                                 int attempt, bool over_budget, ec_error *err)
{
	char *host = url_host(url);
	const char *why = r->status == 429 ? "throttled" : "unavailable";
	int rc;
	if (over_budget)
		rc = ec_fail(
		    err, EC_NETWORK,
		    ngettext(
		        "%s answered %ld (%s) after %d attempt in %ld s and asks to wait %ld s "
		        "more, past the %ld s one request may take (EMAILCFG_MAX_WAIT_SECONDS); "
		        "try again later (queued edits stay queued)",
		        "%s answered %ld (%s) after %d attempts in %ld s and asks to wait %ld s "
		        "more, past the %ld s one request may take (EMAILCFG_MAX_WAIT_SECONDS); "
		        "try again later (queued edits stay queued)",
		        (unsigned long)attempt),
		    host, r->status, why, attempt, r->elapsed_ms / 1000, r->retry_after,
		    h->opts.max_total_ms / 1000);
	else
		rc = ec_fail(err, EC_NETWORK,
		             ngettext("%s kept answering %ld (%s) after %d attempt in %ld s; "
		                      "try again later (queued edits stay queued)",
		                      "%s kept answering %ld (%s) after %d attempts in %ld s; "
		                      "try again later (queued edits stay queued)",
		                      (unsigned long)attempt),
		             host, r->status, why, attempt, r->elapsed_ms / 1000);
	free(host);
	return rc;
}

static const struct {
	unsigned bit;
	unsigned long curl;
	const char *name;
} auth_names[] = {
    {HTTP_AUTH_NEGOTIATE, CURLAUTH_NEGOTIATE, "Negotiate"},
    {HTTP_AUTH_NTLM, CURLAUTH_NTLM, "NTLM"},
    {HTTP_AUTH_BEARER, CURLAUTH_BEARER, "Bearer"},
    {HTTP_AUTH_BASIC, CURLAUTH_BASIC, "Basic"},
    {HTTP_AUTH_DIGEST, CURLAUTH_DIGEST, "Digest"},
};

/* What the last response's WWW-Authenticate headers offered. */
static unsigned offered_methods(ec_http *h)
{
	long avail = 0;
	unsigned out = 0;
	curl_easy_getinfo(h->curl, CURLINFO_HTTPAUTH_AVAIL, &avail);
	for (size_t i = 0; i < sizeof auth_names / sizeof auth_names[0]; i++)
		if ((unsigned long)avail & auth_names[i].curl)
			out |= auth_names[i].bit;
	return out;
}

unsigned http_auth_offered(const ec_http_response *r, char *names, size_t size)
{
	size_t n = 0;
	if (size)
		names[0] = '\0';
	for (size_t i = 0; i < sizeof auth_names / sizeof auth_names[0]; i++)
		if ((r->offered & auth_names[i].bit) && n < size)
			n += (size_t)snprintf(names + n, size - n, "%s%s", n ? ", " : "",
			                      auth_names[i].name);
	return r->offered;
}

/* One attempt, its per-attempt timeout cut to what the total bound leaves. */
static CURLcode attempt_once(ec_http *h, const char *method, const char *url,
                             struct curl_slist *hdrs, const char *body, long left_ms,
                             ec_http_response *resp)
{
	long t0 = now_ms(), timeout = left_ms < h->opts.timeout_ms ? left_ms : h->opts.timeout_ms;
	CURLcode cc;
	response_reset(h, resp);
	if (h->stream) { /* every attempt starts the body over */
		h->streamed = 0;
		h->stream(h->stream_ctx, NULL, 0);
	}
	setup_easy(h, method, url, hdrs, body, timeout, resp);
	cc = curl_easy_perform(h->curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->offered = cc == CURLE_OK && resp->status == 401 ? offered_methods(h) : 0;
	h->last_rtt_ms = now_ms() - t0;
	h->stalled = attempt_stalled(h, cc, h->last_rtt_ms, timeout);
	log_request(h, method, url, resp, cc, h->last_rtt_ms);
	return cc;
}

int http_request(ec_http *h, const char *method, const char *url, const char *const *headers,
                 const char *body, ec_http_response *resp, ec_error *err)
{
	struct curl_slist *hdrs = NULL;
	long start = now_ms();
	int attempt = 0, rc = EC_OK;
	bool over_budget = false;
	CURLcode cc = CURLE_OK;

	memset(resp, 0, sizeof *resp);
	if ((rc = http_check_url(url, err)) != EC_OK || (rc = headers_check(headers, err)) != EC_OK)
		return rc;
	for (int i = 0; headers && headers[i]; i++)
		hdrs = curl_slist_append(hdrs, headers[i]);
	h->throttled = false;
	for (;;) {
		long remaining;
		double wait;
		attempt++;
		cc = attempt_once(h, method, url, hdrs, body,
		                  h->opts.max_total_ms - (now_ms() - start), resp);
		if (!transient(h, cc, resp->status))
			break;
		if (resp->status == 429)
			h->throttled = true;
		wait = backoff_seconds(h, resp, attempt);
		remaining = h->opts.max_total_ms - (now_ms() - start);
		/* The next attempt needs a second of its own after the wait. */
		over_budget = wait * 1000 + 1000 > remaining;
		if (attempt >= h->opts.max_attempts || over_budget)
			break;
		/* A refused or silent server rarely comes back within seconds:
		 * try it three times, not the full throttling budget. */
		if (cc != CURLE_OK && attempt >= CONNECT_ATTEMPTS)
			break;
		announce_wait(h, resp->status, wait);
		sleep_seconds(&h->opts.sink, wait);
		if (ec_cancelled(&h->opts.sink))
			break;
	}
	curl_slist_free_all(hdrs);
	resp->attempts = attempt;
	resp->elapsed_ms = now_ms() - start;
	if (cc != CURLE_OK && h->stream_refused)
		return ec_fail(err, EC_NETWORK, "the body of %s was refused as it arrived", url);
	if (cc != CURLE_OK)
		return fail_transport(h, cc, url, attempt, err);
	if (transient(h, cc, resp->status))
		return fail_transient_status(h, url, resp, attempt,
		                             over_budget && resp->retry_after >= 0, err);
	return EC_OK;
}

void http_wait_transient(ec_http *h, long status, long retry_after)
{
	ec_http_response r = {0};
	double wait;
	if (!status_transient(status))
		return;
	r.retry_after = retry_after;
	wait = backoff_seconds(h, &r, 1);
	h->throttled = status == 429;
	if (wait * 1000 + 1000 > h->opts.max_total_ms)
		return;
	announce_wait(h, status, wait);
	sleep_seconds(&h->opts.sink, wait);
}

bool http_last_final(const ec_http *h)
{
	return h->stalled || h->too_large;
}
