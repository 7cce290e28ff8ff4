/* http.c — libmicrohttpd glue: keeps the raw request target (for nextLink),
 * collects the body, routes by URL space, applies latency and faults to the
 * Web API, turns a reply into a response (deliberately broken when a drop or
 * truncate fault is due), logs requests and prints -v lines. */
#include "http.h"

#include <json-c/json.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "faults.h"
#include "handlers.h"
#include "leak.h"
#include "hostile.h"
#include "json_out.h"

#define BODY_LIMIT (4 * 1024 * 1024)

static struct MHD_Daemon *daemon_handle;
/* The arrival of the last request (--idle-exit), written by every connection's thread. */
static int64_t last_request_ms;

void reply_header(struct reply *r, const char *name, const char *fmt, ...)
{
	if (r->nheaders >= REPLY_MAX_HEADERS)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *value = NULL;
	if (vasprintf(&value, fmt, ap) < 0)
		abort();
	va_end(ap);
	r->headers[r->nheaders].name = strdup(name);
	r->headers[r->nheaders].value = value;
	r->nheaders++;
}

void reply_error(struct reply *r, int status, const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->body.len = 0;
	json_out_error(&r->body, code, msg);
	r->status = status;
	r->content_type = CT_ODATA;
}

void reply_sim_err(struct reply *r, const struct sim_err *err)
{
	reply_error(r, err->status, err->code, "%s", err->msg);
}

void reply_json(struct reply *r, int status, const char *content_type, struct buf *b)
{
	buf_free(&r->body);
	r->body = *b;
	memset(b, 0, sizeof *b);
	r->status = status;
	r->content_type = content_type;
}

void reply_free(struct reply *r)
{
	buf_free(&r->body);
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->nheaders = 0;
	free(r->flood_row);
	r->flood_row = NULL;
}

const char *request_header(const struct request *q, const char *name)
{
	return MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, name);
}

struct join_ctx {
	const char *name;
	struct buf b;
	bool any;
};

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	struct join_ctx *j = cls;
	(void)kind;
	if (strcasecmp(key, j->name) || !value)
		return MHD_YES;
	if (j->any)
		buf_puts(&j->b, ", ");
	buf_puts(&j->b, value);
	j->any = true;
	return MHD_YES;
}

char *request_header_all(const struct request *q, const char *name)
{
	struct join_ctx j = {.name = name};
	MHD_get_connection_values(q->conn, MHD_HEADER_KIND, join_header, &j);
	return j.any ? buf_take(&j.b) : NULL;
}

/* ---- routing ---- */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* /<tenant>/oauth2/v2.0/<endpoint>: returns the tenant segment length or 0. */
static size_t tenant_path(const char *path, const char *endpoint)
{
	const char *slash = path[0] == '/' ? strchr(path + 1, '/') : NULL;
	if (!slash || slash == path + 1 || strncmp(slash, "/oauth2/v2.0/", 13) ||
	    strcmp(slash + 13, endpoint))
		return 0;
	return (size_t)(slash - path - 1);
}

static size_t token_path(const char *path)
{
	return tenant_path(path, "token");
}

/* The Web API's root in this path: /api/data/v9.2/ (online) or
 * /<org-name>/api/data/v9.0/ (on-premises); 0 when neither. */
static size_t api_root(const char *path)
{
	size_t n = strlen(sim_cfg.org_name);
	if (!strncmp(path, SIM_API_ROOT, strlen(SIM_API_ROOT)))
		return strlen(SIM_API_ROOT);
	if (path[0] == '/' && !strncasecmp(path + 1, sim_cfg.org_name, n) &&
	    !strncmp(path + 1 + n, "/api/data/v9.0/", 15))
		return n + 16;
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static enum fault route_api(struct request *q, struct reply *r, size_t root)
{
	long latency = 0;
	pthread_mutex_lock(&sim_lock);
	latency = sim_cfg.latency_ms;
	pthread_mutex_unlock(&sim_lock);
	if (latency > 0)
		sleep_ms(latency);
	pthread_mutex_lock(&sim_lock);
	enum fault f = faults_next();
	if (f == FAULT_THROTTLE)
		faults_throttle_reply(r);
	else if (f == FAULT_FAIL)
		faults_fail_reply(r);
	else if (sim_cfg.fail_match[0] && strstr(q->uri, sim_cfg.fail_match))
		reply_error(r, 500, "0x80040216", "An unexpected error occurred.");
	else if (leak_echo_headers(q, r))
		;
	else if (auth_check(q, r))
		api_handle(q, r, q->path + root);
	pthread_mutex_unlock(&sim_lock);
	return f;
}

static enum fault route(struct request *q, struct reply *r, bool *logged)
{
	size_t tlen;
	*logged = true;
	if (q->too_large) {
		reply_error(r, 413, "", "The request body is too large.");
		return FAULT_NONE;
	}
	if ((tlen = api_root(q->path)) > 0)
		return route_api(q, r, tlen);
	/* --refresh-delay: a slow refresh widens the window two clients
	 * sharing a refresh token race in. */
	if (sim_cfg.refresh_delay_ms && q->body.p && strstr(q->body.p, "grant_type=refresh_token"))
		sleep_ms(sim_cfg.refresh_delay_ms);
	pthread_mutex_lock(&sim_lock);
	if (starts(q->path, "/_sim/")) {
		*logged = false;
		control_handle(q, r, q->path + 6);
	} else if ((tlen = token_path(q->path)) > 0) {
		auth_token(q, r, q->path + 1, tlen);
	} else if ((tlen = tenant_path(q->path, "devicecode")) > 0) {
		signin_devicecode(q, r, q->path + 1, tlen, false);
	} else if (!strcmp(q->path, "/adfs/oauth2/token")) {
		signin_adfs_token(q, r);
	} else if (!strcmp(q->path, "/adfs/oauth2/devicecode")) {
		signin_devicecode(q, r, "", 0, true);
	} else if (!strcasecmp(q->path, "/EWS/Exchange.asmx")) {
		ews_handle(q, r);
	} else {
		reply_error(r, 404, "0x80060888", "Resource not found for the segment '%s'.",
		            q->path);
	}
	leak_pad_signin(q, r);
	pthread_mutex_unlock(&sim_lock);
	return FAULT_NONE;
}

/* ---- responses ---- */

struct drop_ctx {
	char *body;
	size_t send; /* bytes to send before failing */
};

static ssize_t drop_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct drop_ctx *d = cls;
	if (pos >= d->send)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t n = d->send - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(out, d->body + pos, n);
	return (ssize_t)n;
}

static void drop_free(void *cls)
{
	struct drop_ctx *d = cls;
	free(d->body);
	free(d);
}

static struct MHD_Response *response_make(struct reply *r, enum fault f)
{
	size_t len = r->body.len;
	if (r->flood_rows)
		return hostile_flood_response(r);
	if (f == FAULT_DROP && len > 1) {
		struct drop_ctx *d = malloc(sizeof *d);
		if (!d)
			abort();
		d->send = len / 2;
		d->body = buf_take(&r->body);
		return MHD_create_response_from_callback(len, 4096, drop_reader, d, drop_free);
	}
	if (f == FAULT_TRUNCATE && len > 1)
		len = len / 2;
	char *body = buf_take(&r->body);
	return MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
}

static void response_headers(struct MHD_Response *resp, const struct reply *r, bool api)
{
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	if (api)
		MHD_add_response_header(resp, "OData-Version", "4.0");
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
}

/* With -v, the member names of a PATCH body (never the values: a body
 * may carry a password), so tests can see which columns a client sent. */
static void log_patch_keys(const struct request *q)
{
	json_object *obj;
	bool first = true;
	if (strcmp(q->method, "PATCH") || !q->body.len)
		return;
	obj = json_tokener_parse(q->body.p);
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return;
	}
	fputs("  body keys:", stderr);
	json_object_object_foreach(obj, key, v)
	{
		(void)v;
		fprintf(stderr, "%s%.64s", first ? " " : ",", key);
		first = false;
	}
	fputc('\n', stderr);
	json_object_put(obj);
}

static const char *fault_name(enum fault f)
{
	static const char *const names[] = {NULL, "throttle", "fail", "drop", "truncate"};
	return names[f];
}

static enum MHD_Result respond(struct request *q)
{
	struct reply r = {.status = 500};
	bool logged;
	enum fault f = route(q, &r, &logged);
	if (r.body.len == 0 || r.flood_rows)
		f = f == FAULT_DROP || f == FAULT_TRUNCATE ? FAULT_NONE : f;
	bool api = api_root(q->path) > 0;
	if (logged) {
		pthread_mutex_lock(&sim_lock);
		requests_record(q->method, q->uri, r.status, request_header(q, "If-Match"), q->t_ms,
		                fault_name(f));
		pthread_mutex_unlock(&sim_lock);
	}
	if (sim_cfg.verbose)
		fprintf(stderr, "%s %s %d %lld ms%s%s\n", q->method, q->uri, r.status,
		        (long long)(sim_clock_ms() - q->t_ms), f ? " fault=" : "",
		        f ? fault_name(f) : "");
	if (sim_cfg.verbose && api)
		log_patch_keys(q);
	struct MHD_Response *resp = response_make(&r, f);
	response_headers(resp, &r, api);
	enum MHD_Result ret = MHD_queue_response(q->conn, (unsigned)r.status, resp);
	MHD_destroy_response(resp);
	reply_free(&r);
	return ret;
}

/* ---- libmicrohttpd callbacks ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	struct request *q = calloc(1, sizeof *q);
	if (!q)
		abort();
	q->conn = conn;
	q->uri = strdup(uri);
	const char *qm = strchr(q->uri, '?');
	q->raw_path = strndup(q->uri, qm ? (size_t)(qm - q->uri) : strlen(q->uri));
	q->query = qm ? qm + 1 : NULL;
	q->path = pct_decode(q->raw_path, strlen(q->raw_path), false);
	if (!q->path)
		q->path = strdup(q->raw_path);
	q->t_ms = sim_clock_ms();
	__atomic_store_n(&last_request_ms, q->t_ms, __ATOMIC_RELAXED);
	return q;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	struct request *q = *con_cls;
	if (!q)
		return MHD_NO;
	q->conn = conn;
	q->method = method;
	if (!q->started) {
		q->started = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (q->body.len + *upload_size > BODY_LIMIT)
			q->too_large = true;
		else
			buf_put(&q->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(q);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct request *q = *con_cls;
	if (!q)
		return;
	free(q->uri);
	free(q->raw_path);
	free(q->path);
	buf_free(&q->body);
	free(q);
	*con_cls = NULL;
}

bool http_start(int listen_fd)
{
	unsigned flags =
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
	daemon_handle = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_LISTEN_SOCKET, listen_fd,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
	    NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
	return daemon_handle != NULL;
}

int64_t http_last_request_ms(void)
{
	return __atomic_load_n(&last_request_ms, __ATOMIC_RELAXED);
}

void http_stop(void)
{
	if (daemon_handle)
		MHD_stop_daemon(daemon_handle);
	daemon_handle = NULL;
}
