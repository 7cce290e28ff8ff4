/* dataverse.c — Web API requests and their error handling (see
 * dataverse.h). */
#include "core/base/i18n.h"
#include "core/client/dataverse.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/client/auth.h"
#include "core/codec/codec.h"
#include "core/codec/dv_scan.h"
#include "core/client/http.h"
#include "core/client/page_fetch.h"
#include "core/client/scrub.h"
#include "core/base/ini.h"

#define ANNOTATIONS                                                                                \
	"odata.include-annotations=\"OData.Community.Display.V1.FormattedValue,"                   \
	"Microsoft.Dynamics.CRM.lookuplogicalname,"                                                \
	"Microsoft.Dynamics.CRM.associatednavigationproperty\""
#define MALFORMED_RETRIES 3
/* Pages per pull: a million rows at whatever page size the client asks for,
 * and never fewer than 10,000 pages (50 million rows at the default 5,000). */
#define MAX_PULL_ROWS 1000000L
#define MIN_MAX_PAGES 10000L
/* Rows per page: twice the most Dataverse ever sends (5,000). */
#define MAX_PAGE_ROWS 10000L
/* Values per row (a mailbox has 26 columns, with annotations under 100),
 * and containers besides the rows: a page, its "value" and a little more. */
#define MAX_ROW_VALUES 256L
/* Values per page: 5,000 rows of 200; json-c needs about 200 bytes each. */
#define MAX_PAGE_VALUES 1000000L
#define MAX_OTHER_NODES 64L

struct ec_dv {
	ec_config *cfg;
	ec_sink sink;
	ec_http *http;
	ec_auth *auth;
	char *base; /* https://org.crm.dynamics.com/api/data/v9.2/ */
	int page_size;
	long max_pages;    /* per pull; EMAILCFG_MAX_PAGES */
	dv_guard_fn guard; /* until it passes; NULL while it runs */
	void *guard_ctx;
	/* Reading pages ahead (page_fetch.h): on a connection of its own,
	 * opened at the first listing with fetch_opts; EMAILCFG_READ_AHEAD=0
	 * turns it off. */
	bool read_ahead;
	ec_http_opts fetch_opts;
	ec_http *fetch_http;
	atomic_int fetch_abort; /* fetch_http's cancel */
};

/* EMAILCFG_MAX_PAGES, or the default for the page size. */
static int max_pages_load(ec_dv *dv, ec_error *err)
{
	const char *v = getenv("EMAILCFG_MAX_PAGES");
	char *end;
	long n = (MAX_PULL_ROWS + dv->page_size - 1) / dv->page_size;
	dv->max_pages = n > MIN_MAX_PAGES ? n : MIN_MAX_PAGES;
	if (!v || !*v)
		return EC_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 1)
		return ec_fail(err, EC_LOCAL,
		               "EMAILCFG_MAX_PAGES must be a whole number above 0, not "
		               "'%.40s'",
		               v);
	dv->max_pages = n;
	return EC_OK;
}

/* The read-ahead connection's options: the client's bounds, one attempt
 * (the caller's own read retries, with its messages), no events (they
 * would come from another thread), and a cancel of its own. */
static void read_ahead_setup(ec_dv *dv, const ec_http_opts *o)
{
	const char *v = getenv("EMAILCFG_READ_AHEAD");
	dv->read_ahead = !v || strcmp(v, "0") != 0;
	dv->fetch_opts = *o;
	dv->fetch_opts.max_attempts = 1;
	dv->fetch_opts.verbose = false;
	dv->fetch_opts.sink.emit = NULL;
	dv->fetch_opts.sink.ctx = NULL;
	dv->fetch_opts.sink.cancel = &dv->fetch_abort;
	atomic_init(&dv->fetch_abort, 0);
}

int dv_open(ec_config *cfg, const ec_sink *sink, int page_size, ec_dv **out, ec_error *err)
{
	ec_http_opts o;
	ec_dv *dv;
	int rc;
	size_t n;
	if ((rc = config_require_org(cfg, err)) != EC_OK)
		return rc;
	if ((rc = http_check_url(cfg->org_url, err)) != EC_OK)
		return rc;
	dv = ec_xcalloc(1, sizeof *dv);
	dv->page_size = page_size > 0 && page_size <= 5000 ? page_size : 5000;
	http_opts_default(&o);
	o.ca_file = cfg->ca_file;
	o.verbose = cfg->verbose;
	if (sink)
		o.sink = dv->sink = *sink;
	if ((rc = max_pages_load(dv, err)) != EC_OK ||
	    (rc = http_opts_from_env(&o, err)) != EC_OK ||
	    (rc = http_open(&o, &dv->http, err)) != EC_OK) {
		free(dv);
		return rc;
	}
	dv->cfg = cfg;
	dv->auth = auth_new(cfg, dv->http);
	read_ahead_setup(dv, &o);
	/* api-version: 9.2 online, 9.0 on-premises (config.h). */
	{
		const char *v = cfg->api_version ? cfg->api_version : "9.2";
		n = strlen(cfg->org_url) + strlen(v) + 32;
		dv->base = ec_xmalloc(n);
		snprintf(dv->base, n, "%s/api/data/v%s/", cfg->org_url, v);
	}
	*out = dv;
	return EC_OK;
}

void dv_close(ec_dv *dv)
{
	if (!dv)
		return;
	auth_free(dv->auth);
	http_close(dv->http);
	http_close(dv->fetch_http);
	free(dv->base);
	free(dv);
}

long dv_rtt_ms(const ec_dv *dv)
{
	return http_last_rtt_ms(dv->http);
}

bool dv_throttled(const ec_dv *dv)
{
	return http_was_throttled(dv->http);
}

static int check_body_shape(const ec_http_response *r, long max_rows, ec_error *err);

/* The one sentence for an error status, with the organization's message
 * (read only from a body that is cheap to parse). */
static int fail_status(const ec_http_response *r, const char *what, const char *hint_401,
                       ec_error *err)
{
	char code[64] = "", msg[600] = "";
	bool odata = check_body_shape(r, 0, NULL) == EC_OK &&
	             codec_odata_error(r->body, r->len, code, sizeof code, msg, sizeof msg) == 0;
	const char *m = odata && msg[0] ? msg : "no details";
	switch (r->status) {
	case 401:
		return ec_fail(err, EC_NETWORK,
		               "the organization refused the credentials while %s "
		               "(401: %s); %s",
		               what, m, hint_401);
	case 403:
		return ec_fail(err, EC_FAILED, "the organization refused %s: %s%s%s", what, m,
		               code[0] ? " " : "", code);
	case 404:
		ec_fail(err, EC_FAILED, "the organization has no such row (%s): %s", what, m);
		return DV_NOT_FOUND;
	case 412:
		return ec_fail(err, EC_CONFLICT,
		               "the row changed on the organization since it was "
		               "read (412) while %s",
		               what);
	default:
		if (r->status >= 400 && r->status < 500)
			return ec_fail(err, EC_FAILED, "the organization refused %s (%ld): %s%s%s",
			               what, r->status, m, code[0] ? " " : "", code);
		return ec_fail(err, EC_NETWORK, "the organization failed while %s (%ld): %s", what,
		               r->status, m);
	}
}

/* Tells the front end how the link is (the status panel's round trip). */
static void report_link(ec_dv *dv)
{
	ec_event ev = {EV_LINK, "http", "",   http_last_rtt_ms(dv->http),  0,
	               0,       NULL,   NULL, http_was_throttled(dv->http)};
	ec_emit(&dv->sink, &ev);
}

void dv_set_guard(ec_dv *dv, dv_guard_fn fn, void *ctx)
{
	dv->guard = fn;
	dv->guard_ctx = ctx;
}

int dv_guard_check(ec_dv *dv, ec_error *err)
{
	dv_guard_fn fn = dv->guard;
	int rc;
	if (!fn)
		return EC_OK;
	dv->guard = NULL; /* its own requests pass */
	if ((rc = fn(dv->guard_ctx, dv, err)) != EC_OK)
		dv->guard = fn;
	return rc;
}

/* One authorized request; renews the token once after a 401. With
 * stream, a 200 body goes there as it arrives (http_request_stream). */
/* An error answer may quote the request's headers: the access token in
 * authz ("Authorization: Bearer TOKEN") is hidden before anything reads it. */
static void hide_token(ec_http_response *r, const char *authz)
{
	const char *token = strchr(authz, ' ');
	const char *secrets[] = {NULL, NULL};
	char *clean;
	if (r->status < 400 || !r->body || !token || !(token = strchr(token + 1, ' ')))
		return;
	secrets[0] = token + 1;
	clean = scrub_secrets(r->body, secrets);
	ec_wipe_free(r->body);
	r->body = clean;
	r->len = strlen(clean);
}

static int dv_request_to(ec_dv *dv, const char *method, const char *url, const char *prefer,
                         const char *if_match, const char *body, http_body_fn stream,
                         void *stream_ctx, ec_http_response *r, ec_error *err)
{
	const char *hdrs[10];
	char if_match_line[96];
	int rc = EC_OK;
	memset(r, 0, sizeof *r);
	if ((rc = dv_guard_check(dv, err)) != EC_OK)
		return rc;
	for (int attempt = 0; attempt < 2; attempt++) {
		const char *authz;
		int n = 0;
		if ((rc = auth_header(dv->auth, &authz, err)) != EC_OK)
			return rc;
		if (authz)
			hdrs[n++] = authz;
		hdrs[n++] = "Accept: application/json";
		hdrs[n++] = "OData-MaxVersion: 4.0";
		hdrs[n++] = "OData-Version: 4.0";
		if (strcmp(method, "GET") == 0)
			hdrs[n++] = "If-None-Match: null";
		if (prefer)
			hdrs[n++] = prefer;
		if (if_match) {
			snprintf(if_match_line, sizeof if_match_line, "If-Match: %s", if_match);
			hdrs[n++] = if_match_line;
		}
		if (body)
			hdrs[n++] = "Content-Type: application/json; charset=utf-8";
		hdrs[n] = NULL;
		rc = stream ? http_request_stream(dv->http, method, url, hdrs, body, stream,
		                                  stream_ctx, r, err)
		            : http_request(dv->http, method, url, hdrs, body, r, err);
		report_link(dv);
		if (rc == EC_OK && authz)
			hide_token(r, authz);
		if (rc != EC_OK || r->status != 401 || attempt == 1 || !auth_invalidate(dv->auth))
			return rc;
		http_response_free(r);
	}
	return rc;
}

static int dv_request(ec_dv *dv, const char *method, const char *url, const char *prefer,
                      const char *if_match, const char *body, ec_http_response *r, ec_error *err)
{
	return dv_request_to(dv, method, url, prefer, if_match, body, NULL, NULL, r, err);
}

/* Scheme, host and port of url, lower-cased into out; -1 when url is not an
 * absolute URL, or carries a user name (an "org@elsewhere" trick). */
static int url_origin(const char *url, char *out, size_t size, char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL;
	int rc = -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_NO_USER &&
	    curl_url_get(u, CURLUPART_PATH, path, 0) == CURLUE_OK) {
		snprintf(out, size, "%s://%s:%s", scheme, host, port);
		for (char *c = out; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_url_cleanup(u);
	return rc;
}

/* A nextLink must stay on the organization's origin and its Web API: the
 * token goes with it. */
static int check_next_link(ec_dv *dv, const char *next, ec_error *err)
{
	char want[600], got[600] = "";
	char *want_path = NULL, *got_path = NULL;
	bool ok = url_origin(dv->base, want, sizeof want, &want_path) == 0 &&
	          url_origin(next, got, sizeof got, &got_path) == 0 && strcmp(want, got) == 0 &&
	          strncmp(got_path, want_path, strlen(want_path)) == 0;
	curl_free(want_path);
	curl_free(got_path);
	if (ok)
		return EC_OK;
	return ec_fail(err, EC_NETWORK,
	               "the organization sent a next-page link to another address (%.200s); "
	               "refused to follow it, check that --org is the environment's own URL",
	               got[0] ? got : "a URL with a user name, or none");
}

/* The links of one pull, as 64-bit FNV-1a hashes in an open-addressed table
 * (a link may be kilobytes; a million pages of hashes are 16 MB). */
typedef struct link_set {
	uint64_t *slot; /* 0: empty */
	size_t cap, n;
} link_set;

static uint64_t link_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

/* Adds link; false when it was there already. */
static bool link_set_add(link_set *ls, const char *link)
{
	uint64_t h = link_hash(link);
	size_t i;
	if (2 * (ls->n + 1) > ls->cap) {
		link_set old = *ls;
		ls->cap = old.cap ? old.cap * 2 : 64;
		ls->slot = ec_xcalloc(ls->cap, sizeof *ls->slot);
		ls->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.slot[i]) {
				size_t j = old.slot[i] & (ls->cap - 1);
				while (ls->slot[j])
					j = (j + 1) & (ls->cap - 1);
				ls->slot[j] = old.slot[i];
				ls->n++;
			}
		free(old.slot);
	}
	for (i = h & (ls->cap - 1); ls->slot[i]; i = (i + 1) & (ls->cap - 1))
		if (ls->slot[i] == h)
			return false;
	ls->slot[i] = h;
	ls->n++;
	return true;
}

/* What a JSON text would cost json-c, counted without building it: json-c
 * spends hundreds of bytes on every object, so a 3 MB page of a million {}
 * took a gigabyte. Rows are the containers inside an array member of the
 * top-level object; values are object members and array elements.
 * Malformed text is the parser's business. */
typedef struct json_census {
	long rows, containers, values;
} json_census;

#define CENSUS_DEPTH 64 /* json-c refuses deeper nesting anyway */

static void json_census_take(const char *s, size_t n, json_census *c)
{
	char kind[CENSUS_DEPTH]; /* '{' or '[' at each depth */
	int depth = 0;
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < n; i++) {
		char k = depth > 0 && depth <= CENSUS_DEPTH ? kind[depth - 1] : '[';
		switch (s[i]) {
		case '"':
			for (i++; i < n && s[i] != '"'; i++)
				i += s[i] == '\\';
			break;
		case '{':
		case '[':
			c->containers++;
			c->rows += depth == 2 && kind[0] == '{' && kind[1] == '[';
			if (depth < CENSUS_DEPTH)
				kind[depth] = s[i];
			depth++;
			break;
		case '}':
		case ']': depth -= depth > 0; break;
		case ':': c->values += k == '{'; break;
		case ',': c->values += k == '['; break;
		}
	}
}

/* Refuses a body that would cost far more to parse than any real answer:
 * more than max_rows rows, nested containers inside rows, more than
 * MAX_ROW_VALUES values a row or MAX_PAGE_VALUES in all. */
static int check_body_shape(const ec_http_response *r, long max_rows, ec_error *err)
{
	json_census c;
	json_census_take(r->body, r->len, &c);
	if (c.rows > max_rows)
		return ec_fail(
		    err, EC_NETWORK,
		    "the organization sent a page of %ld rows, more than a page may hold "
		    "(%ld); refused it, check that --org is a Dataverse environment",
		    c.rows, max_rows);
	if (c.containers > c.rows + MAX_OTHER_NODES || c.values > (c.rows + 1) * MAX_ROW_VALUES ||
	    c.values > MAX_PAGE_VALUES)
		return ec_fail(
		    err, EC_NETWORK,
		    "the organization sent an answer of %ld rows with %ld nested objects "
		    "and %ld values, more than rows ever hold; refused it, check that "
		    "--org is a Dataverse environment",
		    c.rows, c.containers - c.rows, c.values);
	return EC_OK;
}

/* GET a page, retrying a malformed (say, truncated) body a few times. */
static int get_page(ec_dv *dv, const char *url, const char *prefer, json_object **root,
                    json_object **rows, const char **next, ec_error *err)
{
	int rc = EC_OK;
	for (int attempt = 1; attempt <= MALFORMED_RETRIES; attempt++) {
		ec_http_response r;
		bool malformed = false;
		rc = dv_request(dv, "GET", url, prefer, NULL, NULL, &r, err);
		if (rc == EC_OK && r.status != 200)
			rc = fail_status(&r, "reading a page", auth_hint_401(dv->auth, &r), err);
		else if (rc == EC_OK && (rc = check_body_shape(&r, MAX_PAGE_ROWS, err)) == EC_OK)
			malformed =
			    (rc = codec_page_parse(r.body, r.len, root, rows, next, err)) != EC_OK;
		http_response_free(&r);
		/* Only a page that arrived broken is read again here; the
		 * transport already retried everything else. */
		if (!malformed || attempt == MALFORMED_RETRIES)
			return rc;
		ec_emitf(&dv->sink, EV_WAIT, "http",
		         _("the organization sent a broken page, "
		           "reading it again"));
	}
	return rc;
}

static char *list_url(ec_dv *dv, const char *set, const char *select, const char *filter,
                      const char *orderby)
{
	char *f = filter ? http_escape(filter) : NULL, *o = orderby ? http_escape(orderby) : NULL;
	size_t n = strlen(dv->base) + strlen(set) + strlen(select) + (f ? strlen(f) : 0) +
	           (o ? strlen(o) : 0) + 64;
	char *url = ec_xmalloc(n);
	snprintf(url, n, "%s%s?$select=%s%s%s%s%s&$count=true", dv->base, set, select,
	         f ? "&$filter=" : "", f ? f : "", o ? "&$orderby=" : "", o ? o : "");
	free(f);
	free(o);
	return url;
}

/* Whether the pull may go on to next: a link seen before in this pull is a
 * loop, and a pull has at most max_pages pages. */
static int check_next_page(ec_dv *dv, link_set *seen, long pages, const char *next, ec_error *err)
{
	int rc;
	if ((rc = check_next_link(dv, next, err)) != EC_OK)
		return rc;
	if (!link_set_add(seen, next))
		return ec_fail(
		    err, EC_NETWORK,
		    ngettext("the organization sent the same next-page link again after %ld "
		             "page (a loop); stopped reading, try again later",
		             "the organization sent the same next-page link again after %ld "
		             "pages (a loop); stopped reading, try again later",
		             (unsigned long)pages),
		    pages);
	if (pages >= dv->max_pages)
		return ec_fail(err, EC_NETWORK,
		               "the organization sent more than %ld pages in one read; stopped "
		               "(EMAILCFG_MAX_PAGES raises the limit)",
		               dv->max_pages);
	return EC_OK;
}

/* Every page from url on, with the Prefer header given. */
static int list_pages(ec_dv *dv, char *url, const char *prefer, dv_page_fn fn, void *ctx,
                      ec_error *err)
{
	link_set seen = {0};
	long total = -1, pages = 0;
	int rc = EC_OK;
	link_set_add(&seen, url);
	while (url && rc == EC_OK) {
		json_object *root = NULL, *rows = NULL, *count;
		const char *next = NULL;
		rc = get_page(dv, url, prefer, &root, &rows, &next, err);
		pages++;
		/* Dataverse caps @odata.count at 5000: at the cap the total is
		 * unknown, not 5000. */
		if (rc == EC_OK && json_object_object_get_ex(root, "@odata.count", &count))
			total = json_object_get_int64(count) >= 5000 ? -1
			                                             : json_object_get_int64(count);
		if (rc == EC_OK)
			rc = fn(ctx, rows, total, err);
		free(url);
		url = NULL;
		if (rc == EC_OK && next &&
		    (rc = check_next_page(dv, &seen, pages, next, err)) == EC_OK)
			url = ec_strdup(next); /* verbatim: never re-encoded */
		json_object_put(root);
	}
	free(url);
	free(seen.slot);
	return rc;
}

int dv_list(ec_dv *dv, const char *set, const char *select, const char *filter, const char *orderby,
            dv_page_fn fn, void *ctx, ec_error *err)
{
	char prefer[256];
	snprintf(prefer, sizeof prefer, "Prefer: odata.maxpagesize=%d,%s", dv->page_size,
	         ANNOTATIONS);
	return list_pages(dv, list_url(dv, set, select, filter, orderby), prefer, fn, ctx, err);
}

/* ---- Pages read row by row ---------------------------------------------- */

typedef struct page_stream {
	dv_scan *scan;
	const dv_rows_fns *fns;
	void *ctx;
	bool begun; /* page_begin called, neither end nor abort yet */
	int rc;     /* the scan's or the callbacks' failure */
	ec_error err;
	long status;  /* the last answer's HTTP status */
	bool tracked; /* it said Preference-Applied: odata.track-changes */
} page_stream;

static void page_abort(page_stream *ps)
{
	if (ps->begun)
		ps->fns->page_abort(ps->ctx);
	ps->begun = false;
}

static int scan_row(void *ctx, const dv_row *row, long index, ec_error *err)
{
	page_stream *ps = ctx;
	(void)index;
	return ps->fns->row(ps->ctx, row, err);
}

static bool keep_member(void *ctx, const char *key, size_t len)
{
	page_stream *ps = ctx;
	return ps->fns->keep(ps->ctx, key, len);
}

/* The bytes of a page as they arrive; NULL: an attempt starts over. */
static bool page_bytes(void *ctx, const char *data, size_t len)
{
	page_stream *ps = ctx;
	if (!data) {
		page_abort(ps);
		dv_scan_reset(ps->scan);
		ps->rc = ps->fns->page_begin(ps->ctx, &ps->err);
		ps->begun = ps->rc == EC_OK;
		return ps->begun;
	}
	if (ps->rc == EC_OK)
		ps->rc = dv_scan_feed(ps->scan, data, len, &ps->err);
	return ps->rc == EC_OK;
}

/* One attempt at a page: EC_OK with the page begun and every row handed
 * over; *malformed when the body arrived broken (worth another read). */
static int stream_page_once(ec_dv *dv, const char *url, const char *prefer, page_stream *ps,
                            bool *malformed, ec_error *err)
{
	ec_http_response r;
	int rc;
	ps->rc = EC_OK;
	ps->begun = false;
	*malformed = false;
	rc = dv_request_to(dv, "GET", url, prefer, NULL, NULL, page_bytes, ps, &r, err);
	ps->status = r.status;
	ps->tracked = r.preference_applied && strstr(r.preference_applied, "odata.track-changes");
	if (ps->rc != EC_OK) {
		*err = ps->err;
		rc = ps->rc;
		*malformed = dv_scan_malformed(ps->scan);
	} else if (rc == EC_OK && r.status != 200) {
		rc = fail_status(&r, "reading a page", auth_hint_401(dv->auth, &r), err);
	} else if (rc == EC_OK && !ps->begun) {
		rc = ec_fail(err, EC_NETWORK, "reading a page: no answer arrived");
	} else if (rc == EC_OK && (rc = dv_scan_finish(ps->scan, err)) != EC_OK) {
		*malformed = dv_scan_malformed(ps->scan);
	}
	http_response_free(&r);
	if (rc != EC_OK)
		page_abort(ps);
	return rc;
}

/* A page read the ordinary way, from attempt first on. */
static int stream_page(ec_dv *dv, const char *url, const char *prefer, page_stream *ps, int first,
                       ec_error *err)
{
	int rc = EC_OK;
	for (int attempt = first; attempt <= MALFORMED_RETRIES; attempt++) {
		bool malformed;
		rc = stream_page_once(dv, url, prefer, ps, &malformed, err);
		if (!malformed || attempt == MALFORMED_RETRIES)
			return rc;
		ec_emitf(&dv->sink, EV_WAIT, "http",
		         _("the organization sent a broken page, reading it again"));
	}
	return rc;
}

/* page_fetch_ok_fn: a guessed next link is requested only where a real one
 * may lead (check_next_link); loops and the page bound are the walk's. */
static bool next_link_ok(void *ctx, const char *url)
{
	return check_next_link(ctx, url, NULL) == EC_OK;
}

/* Starts reading ahead for a walk; NULL when it is off or cannot start
 * (the walk then reads as before). */
static page_fetch *read_ahead_start(ec_dv *dv)
{
	page_fetch *pf = NULL;
	if (!dv->read_ahead)
		return NULL;
	if (!dv->fetch_http && http_open(&dv->fetch_opts, &dv->fetch_http, NULL) != EC_OK)
		dv->fetch_http = NULL;
	if (dv->fetch_http && page_fetch_start(dv->fetch_http, &dv->fetch_abort, next_link_ok, dv,
	                                       dv->max_pages, dv->sink.cancel, &pf, NULL) != EC_OK)
		pf = NULL;
	return pf;
}

/* A page through the read-ahead thread: its bytes go to the scanner as
 * stream_page_once() would give them. A fetch that fails (an error status,
 * a dropped connection, a cancel) is forgotten and the page read the
 * ordinary way, with its retries and messages; a broken body counts as the
 * first of MALFORMED_RETRIES. Windows sign-in (no Authorization header:
 * libcurl signs in on the client's own connection) reads the ordinary way. */
static int stream_page_ahead(ec_dv *dv, page_fetch *pf, const char *url, const char *prefer,
                             page_stream *ps, ec_error *err)
{
	const char *hdrs[8], *authz, *data;
	page_fetch_result res = {0};
	size_t len;
	bool guessed;
	int rc, n = 0;
	if ((rc = dv_guard_check(dv, err)) != EC_OK ||
	    (rc = auth_header(dv->auth, &authz, err)) != EC_OK)
		return rc;
	if (!authz)
		return stream_page(dv, url, prefer, ps, 1, err);
	/* As dv_request_to() sends a GET. */
	hdrs[n++] = authz;
	hdrs[n++] = "Accept: application/json";
	hdrs[n++] = "OData-MaxVersion: 4.0";
	hdrs[n++] = "OData-Version: 4.0";
	hdrs[n++] = "If-None-Match: null";
	hdrs[n++] = prefer;
	hdrs[n] = NULL;
	guessed = page_fetch_want(pf, url, hdrs);
	ps->rc = EC_OK;
	ps->begun = false;
	page_bytes(ps, NULL, 0);
	while (ps->rc == EC_OK && page_fetch_read(pf, &data, &len, &res))
		page_bytes(ps, data, len);
	if (ps->rc != EC_OK) { /* the scan or a callback refused it */
		page_fetch_drop(pf);
		page_abort(ps);
		if (!dv_scan_malformed(ps->scan)) {
			*err = ps->err;
			return ps->rc;
		}
	} else if (!res.ok) {
		free(res.preference_applied);
		page_abort(ps);
		if (res.final) { /* a stall or an answer too large: not twice */
			*err = res.err;
			return res.err.status;
		}
		/* A 429 or 5xx is honoured as if the page's own request had
		 * had it: its Retry-After (or backoff) is waited first. */
		http_wait_transient(dv->http, res.status, res.retry_after);
		return stream_page(dv, url, prefer, ps, 1, err);
	} else if ((rc = dv_scan_finish(ps->scan, err)) != EC_OK) {
		free(res.preference_applied);
		page_abort(ps);
		if (!dv_scan_malformed(ps->scan))
			return rc;
	} else {
		ec_event ev = {EV_LINK, "http", "", res.elapsed_ms, 0, 0, NULL, NULL, 0};
		char shown[640];
		ps->status = res.status;
		ps->tracked =
		    res.preference_applied && strstr(res.preference_applied, "odata.track-changes");
		free(res.preference_applied);
		if (dv->cfg->verbose)
			ec_emitf(&dv->sink, EV_LOG, "http", "GET %s -> %ld, %zu bytes, %ld ms (%s)",
			         http_url_for_log(url, shown, sizeof shown), res.status, res.bytes,
			         res.elapsed_ms,
			         guessed ? "read ahead" : "read on its own connection");
		ec_emit(&dv->sink, &ev);
		return EC_OK;
	}
	ec_emitf(&dv->sink, EV_WAIT, "http",
	         _("the organization sent a broken page, reading it again"));
	return stream_page(dv, url, prefer, ps, 2, err);
}

/* What a tracked read learned: set when every page was tracked and the
 * last had a delta link on the organization's own Web API. */
static void track_note(ec_dv *dv, const page_stream *ps, bool first, dv_track *t)
{
	const char *link = dv_scan_delta_link(ps->scan);
	t->applied = ps->tracked && (first || t->applied);
	free(t->delta_link);
	t->delta_link = NULL;
	if (t->applied && link[0] && strlen(link) <= DV_DELTA_LINK_MAX &&
	    check_next_link(dv, link, NULL) == EC_OK)
		t->delta_link = ec_strdup(link);
}

/* Every page from url on (taken), row by row; t: a tracked read. */
static int rows_walk(ec_dv *dv, char *url, const char *prefer, const dv_rows_fns *fns, void *ctx,
                     dv_track *t, ec_error *err)
{
	page_stream ps = {NULL, fns, ctx, false, EC_OK, {0}, 0, false};
	link_set seen = {0};
	long pages = 0;
	int rc = EC_OK;
	page_fetch *pf = read_ahead_start(dv);
	ps.scan = dv_scan_new(scan_row, &ps);
	if (fns->keep)
		dv_scan_set_keep(ps.scan, keep_member, &ps);
	link_set_add(&seen, url);
	while (url && rc == EC_OK) {
		long count;
		const char *next;
		rc = pf ? stream_page_ahead(dv, pf, url, prefer, &ps, err)
		        : stream_page(dv, url, prefer, &ps, 1, err);
		pages++;
		free(url);
		url = NULL;
		if (rc != EC_OK && t && ps.status >= 400 && ps.status < 500 && ps.status != 401 &&
		    ps.status != 429)
			rc = DV_DELTA_REFUSED;
		if (rc != EC_OK)
			break;
		if (t)
			track_note(dv, &ps, pages == 1, t);
		/* Dataverse caps @odata.count at 5000: at the cap the total is
		 * unknown, not 5000. */
		count = dv_scan_count(ps.scan);
		next = dv_scan_next_link(ps.scan);
		if (next[0] && (rc = check_next_page(dv, &seen, pages, next, err)) == EC_OK)
			url = ec_strdup(next); /* verbatim: never re-encoded */
		ps.begun = false;
		if (rc == EC_OK)
			rc = fns->page_end(ctx, count >= 5000 ? -1 : count, err);
		else
			fns->page_abort(ctx);
	}
	page_fetch_stop(pf);
	free(url);
	free(seen.slot);
	dv_scan_free(ps.scan);
	return rc;
}

int dv_list_rows(ec_dv *dv, const char *set, const char *select, const char *filter, bool annotate,
                 const dv_rows_fns *fns, void *ctx, ec_error *err)
{
	char prefer[256];
	snprintf(prefer, sizeof prefer, "Prefer: odata.maxpagesize=%d%s%s", dv->page_size,
	         annotate ? "," : "", annotate ? ANNOTATIONS : "");
	return rows_walk(dv, list_url(dv, set, select, filter, NULL), prefer, fns, ctx, NULL, err);
}

int dv_list_rows_tracked(ec_dv *dv, const char *set, const char *select, bool annotate,
                         const dv_rows_fns *fns, void *ctx, dv_track *t, ec_error *err)
{
	char prefer[320];
	int rc;
	snprintf(prefer, sizeof prefer, "Prefer: odata.maxpagesize=%d,odata.track-changes%s%s",
	         dv->page_size, annotate ? "," : "", annotate ? ANNOTATIONS : "");
	memset(t, 0, sizeof *t);
	rc = rows_walk(dv, list_url(dv, set, select, NULL, NULL), prefer, fns, ctx, t, err);
	/* A refusal of a first read is not a delta's: the caller's error. */
	return rc == DV_DELTA_REFUSED ? EC_FAILED : rc;
}

int dv_follow_delta(ec_dv *dv, const char *link, const dv_rows_fns *fns, void *ctx, dv_track *t,
                    ec_error *err)
{
	char prefer[96];
	int rc = check_next_link(dv, link, err);
	memset(t, 0, sizeof *t);
	if (rc != EC_OK)
		return DV_DELTA_REFUSED; /* not the organization's: start over */
	snprintf(prefer, sizeof prefer, "Prefer: odata.maxpagesize=%d,odata.track-changes",
	         dv->page_size);
	return rows_walk(dv, ec_strdup(link), prefer, fns, ctx, t, err);
}

static char *row_url(ec_dv *dv, const char *set, const char *id, const char *select)
{
	size_t n = strlen(dv->base) + strlen(set) + strlen(id) + (select ? strlen(select) : 0) + 32;
	char *url = ec_xmalloc(n);
	snprintf(url, n, "%s%s(%s)%s%s", dv->base, set, id, select ? "?$select=" : "",
	         select ? select : "");
	return url;
}

int dv_get(ec_dv *dv, const char *set, const char *id, const char *select, json_object **row,
           ec_error *err)
{
	char *url = row_url(dv, set, id, select);
	ec_http_response r;
	int rc = dv_request(dv, "GET", url, "Prefer: " ANNOTATIONS, NULL, NULL, &r, err);
	*row = NULL;
	if (rc == EC_OK && r.status != 200)
		rc = fail_status(&r, "reading a row", auth_hint_401(dv->auth, &r), err);
	else if (rc == EC_OK && (rc = check_body_shape(&r, 0, err)) == EC_OK)
		rc = codec_json_parse(r.body, r.len, row, err);
	http_response_free(&r);
	free(url);
	return rc;
}

int dv_patch(ec_dv *dv, const char *set, const char *id, json_object *body, long long version,
             const char *select, json_object **row, ec_error *err)
{
	char *url = row_url(dv, set, id, select), etag[64];
	const char *text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
	ec_http_response r;
	int rc;
	if (version > 0)
		snprintf(etag, sizeof etag, "W/\"%lld\"", version);
	else
		snprintf(etag, sizeof etag, "*");
	rc = dv_request(dv, "PATCH", url, "Prefer: return=representation," ANNOTATIONS, etag, text,
	                &r, err);
	if (row)
		*row = NULL;
	if (rc == EC_OK && r.status != 200 && r.status != 204)
		rc = fail_status(&r, "saving the change", auth_hint_401(dv->auth, &r), err);
	else if (rc == EC_OK && row && r.status == 200 &&
	         (rc = check_body_shape(&r, 0, err)) == EC_OK)
		rc = codec_json_parse(r.body, r.len, row, err);
	http_response_free(&r);
	free(url);
	return rc;
}

int dv_whoami(ec_dv *dv, char org_id[EC_ID_SIZE], ec_error *err)
{
	char url[2048];
	ec_http_response r;
	json_object *root = NULL, *v;
	int rc;
	snprintf(url, sizeof url, "%sWhoAmI", dv->base);
	rc = dv_request(dv, "GET", url, NULL, NULL, NULL, &r, err);
	if (rc == EC_OK && r.status != 200)
		rc = fail_status(&r, "asking WhoAmI", auth_hint_401(dv->auth, &r), err);
	else if (rc == EC_OK && (rc = check_body_shape(&r, 0, err)) == EC_OK)
		rc = codec_json_parse(r.body, r.len, &root, err);
	if (rc == EC_OK) {
		if (!json_object_object_get_ex(root, "OrganizationId", &v) ||
		    codec_guid_normalize(json_object_get_string(v), org_id) != 0)
			rc = ec_fail(err, EC_NETWORK,
			             "WhoAmI answered without an organization id; "
			             "is --org a Dataverse environment URL?");
	}
	json_object_put(root);
	http_response_free(&r);
	return rc;
}
