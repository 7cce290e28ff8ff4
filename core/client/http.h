/* http.h — HTTPS requests over libcurl for the Web API client: one reused
 * connection, connect and total timeouts, TLS always verified (plus an extra
 * CA file), plain http:// only to loopback hosts, a User-Agent, and retries
 * of 429/503/connection failures honouring Retry-After or backing off
 * exponentially with jitter, bounded by attempts and total time. Each wait
 * is reported as an EV_WAIT event; with verbose, each request as an EV_LOG
 * line without headers or bodies, so no token or secret is ever logged.
 * Bounds against a hostile or broken server: a response larger than
 * max_body is refused as it arrives, a transfer that stalls (under 1 byte/s
 * for stall_s) is ended, a Retry-After (seconds or an HTTP date) is clamped,
 * and one request with its retries and waits never takes longer than
 * max_total_ms. A header value with a control character (CR, LF...) is
 * refused before anything is sent.
 * Touches the network only; knows nothing of Dataverse. */
#ifndef EMAILCFG_HTTP_H
#define EMAILCFG_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/base/error.h"
#include "core/base/events.h"

typedef struct ec_http ec_http;

typedef struct ec_http_opts {
	const char *ca_file; /* extra trusted CA bundle, or NULL */
	long connect_timeout_ms;
	long timeout_ms;   /* one attempt */
	int max_attempts;  /* retries of 429/503/connection failures */
	long max_total_ms; /* across attempts, waits included */
	size_t max_body;   /* bytes; a larger response is refused */
	long stall_s;      /* under 1 byte/s for this long ends a transfer */
	bool verbose;
	ec_sink sink;
} ec_http_opts;

typedef struct ec_http_response {
	long status; /* 0 when no response arrived */
	char *body;  /* NUL-terminated */
	size_t len;
	char *etag; /* ETag header, or NULL */
	char *www_authenticate;
	unsigned offered;         /* HTTP_AUTH_* the WWW-Authenticate headers of a 401 named */
	char *preference_applied; /* every Preference-Applied header, comma-joined, or NULL */
	long retry_after;         /* seconds (from seconds or an HTTP date), -1 when absent */
	long attempts;            /* how many tries it took */
	long elapsed_ms;          /* all attempts and waits */
} ec_http_response;

/* The ways of signing in a 401 may offer (libcurl's CURLINFO_HTTPAUTH_AVAIL). */
enum {
	HTTP_AUTH_BEARER = 1,
	HTTP_AUTH_NEGOTIATE = 2,
	HTTP_AUTH_NTLM = 4,
	HTTP_AUTH_BASIC = 8,
	HTTP_AUTH_DIGEST = 16,
};

/* r->offered, and their names ("Negotiate, NTLM") in names; "" for none. */
unsigned http_auth_offered(const ec_http_response *r, char *names, size_t size);

/* Defaults: 10 s connect, 120 s per attempt, 8 attempts, 5 min total, 64 MB
 * per response, 30 s without a byte. */
void http_opts_default(ec_http_opts *o);

/* Applies EMAILCFG_MAX_RESPONSE_MB, EMAILCFG_STALL_SECONDS and
 * EMAILCFG_MAX_WAIT_SECONDS when set; EC_LOCAL naming a malformed one. */
int http_opts_from_env(ec_http_opts *o, ec_error *err);

int http_open(const ec_http_opts *opts, ec_http **out, ec_error *err);
void http_close(ec_http *h);

/* Windows authentication on every later request, by libcurl: Negotiate
 * (Kerberos through GSS-API, with the tickets in ccache — a MEMORY: cache
 * kerberos_kinit() filled — or, when ccache is NULL, the admin's own
 * ticket cache) when negotiate, and NTLM with user ("DOMAIN\\user") and
 * password when ntlm; Negotiate first when the server offers both. All
 * strings may be NULL; they are copied, and user and password wiped at
 * http_close(). */
void http_set_windows_auth(ec_http *h, const char *user, const char *password, bool negotiate,
                           bool ntlm, const char *ccache);

/* Refuses http:// unless the host is loopback (EC_USAGE, saying so). */
int http_check_url(const char *url, ec_error *err);

/* One request with retries. headers is a NULL-terminated list of "Name:
 * value" lines (include Content-Type with a body); body may be NULL. Free
 * resp with http_response_free() whatever the result. A response with any status is EC_OK (the
 * caller judges the status); failing to get one after the retries is
 * EC_NETWORK with the cause (refused, DNS, TLS certificate, timeout, a
 * stall, a response over max_body, a header value with a control character). */
int http_request(ec_http *h, const char *method, const char *url, const char *const *headers,
                 const char *body, ec_http_response *resp, ec_error *err);

/* Like http_request(), with the answer bounded by max bytes instead of
 * max_body (a sign-in answer is a few KB; a larger one is refused as it
 * arrives, EC_NETWORK). */
int http_request_capped(ec_http *h, const char *method, const char *url, const char *const *headers,
                        const char *body, size_t max, ec_http_response *resp, ec_error *err);

/* Like http_request(), but the body of a 200 answer goes to fn as it
 * arrives (resp->body stays empty; other answers are kept as usual, for
 * their error message). Each attempt first calls fn(ctx, NULL, 0): start
 * over. fn returns false to stop the transfer: EC_NETWORK, and the caller
 * knows why. max_body bounds the streamed bytes too. */
typedef bool (*http_body_fn)(void *ctx, const char *data, size_t len);
int http_request_stream(ec_http *h, const char *method, const char *url, const char *const *headers,
                        const char *body, http_body_fn fn, void *ctx, ec_http_response *resp,
                        ec_error *err);
void http_response_free(ec_http_response *r);

/* Whether the last request failed in a way a new request would only
 * repeat at the same cost: a transfer that stalled for stall_s, or an
 * answer over max_body. */
bool http_last_final(const ec_http *h);

/* After an answer that asks to try again (429, 502, 503, 504) which came on
 * another connection (the read-ahead's, page_fetch.h): the wait a request
 * makes before its next attempt — Retry-After, else the backoff — announced
 * as an EV_WAIT and cut short by a cancel, so the request made after it
 * honours the answer as a retry would. Nothing for any other status, nor
 * for a wait longer than max_total_ms allows (the request then finds out). */
void http_wait_transient(ec_http *h, long status, long retry_after);

/* Percent-encodes s for a query string or form body; caller frees. */
char *http_escape(const char *s);

/* The URL as -v logs it: whole when it fits in size, else its start and end
 * around "...", so the status and timing after it stay within a log line
 * (a listing's $select alone is half a line). */
const char *http_url_for_log(const char *url, char *buf, size_t size);

/* The round-trip time of the last completed request, in ms (for the status
 * panel), and whether the last request had to wait for throttling. */
long http_last_rtt_ms(const ec_http *h);
bool http_was_throttled(const ec_http *h);

#endif
