/* dataverse.c — Web API requests and their error handling (see
 * dataverse.h). */
#include "core/dataverse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/codec.h"
#include "core/http.h"

#define ANNOTATIONS                                                                                \
	"odata.include-annotations=\"OData.Community.Display.V1.FormattedValue,"                   \
	"Microsoft.Dynamics.CRM.lookuplogicalname,"                                                \
	"Microsoft.Dynamics.CRM.associatednavigationproperty\""
#define MALFORMED_RETRIES 3

struct ec_dv {
	ec_config *cfg;
	ec_sink sink;
	ec_http *http;
	ec_auth *auth;
	char *base; /* https://org.crm.dynamics.com/api/data/v9.2/ */
	int page_size;
};

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
	http_opts_default(&o);
	o.ca_file = cfg->ca_file;
	o.verbose = cfg->verbose;
	if (sink)
		o.sink = dv->sink = *sink;
	if ((rc = http_open(&o, &dv->http, err)) != EC_OK) {
		free(dv);
		return rc;
	}
	dv->cfg = cfg;
	dv->auth = auth_new(cfg, dv->http);
	n = strlen(cfg->org_url) + 32;
	dv->base = ec_xmalloc(n);
	snprintf(dv->base, n, "%s/api/data/v9.2/", cfg->org_url);
	dv->page_size = page_size > 0 && page_size <= 5000 ? page_size : 5000;
	*out = dv;
	return EC_OK;
}

void dv_close(ec_dv *dv)
{
	if (!dv)
		return;
	auth_free(dv->auth);
	http_close(dv->http);
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

/* The one sentence for an error status, with the organization's message. */
static int fail_status(const ec_http_response *r, const char *what, ec_error *err)
{
	char code[64], msg[600];
	bool odata = codec_odata_error(r->body, r->len, code, sizeof code, msg, sizeof msg) == 0;
	const char *m = odata && msg[0] ? msg : "no details";
	switch (r->status) {
	case 401:
		return ec_fail(err, EC_NETWORK,
		               "the organization refused the credentials while %s "
		               "(401: %s); check that the app is an application user with a "
		               "security role in this environment",
		               what, m);
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

/* One authorized request; renews the token once after a 401. */
static int dv_request(ec_dv *dv, const char *method, const char *url, const char *prefer,
                      const char *if_match, const char *body, ec_http_response *r, ec_error *err)
{
	const char *hdrs[10];
	char if_match_line[96];
	int rc = EC_OK;
	memset(r, 0, sizeof *r);
	for (int attempt = 0; attempt < 2; attempt++) {
		const char *authz;
		int n = 0;
		if ((rc = auth_header(dv->auth, &authz, err)) != EC_OK)
			return rc;
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
		rc = http_request(dv->http, method, url, hdrs, body, r, err);
		report_link(dv);
		if (rc != EC_OK || r->status != 401 || attempt == 1 || !auth_invalidate(dv->auth))
			return rc;
		http_response_free(r);
	}
	return rc;
}

/* A nextLink must stay on the organization: the token goes with it. */
static int check_next_link(ec_dv *dv, const char *next, ec_error *err)
{
	if (strncmp(next, dv->base, strlen(dv->base)) == 0)
		return EC_OK;
	return ec_fail(err, EC_NETWORK,
	               "the organization sent a next-page link to another "
	               "address; refusing to follow it");
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
			rc = fail_status(&r, "reading a page", err);
		else if (rc == EC_OK)
			malformed =
			    (rc = codec_page_parse(r.body, r.len, root, rows, next, err)) != EC_OK;
		http_response_free(&r);
		/* Only a page that arrived broken is read again here; the
		 * transport already retried everything else. */
		if (!malformed || attempt == MALFORMED_RETRIES)
			return rc;
		ec_emitf(&dv->sink, EV_WAIT, "http",
		         "the organization sent a broken page, "
		         "reading it again");
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

int dv_list(ec_dv *dv, const char *set, const char *select, const char *filter, const char *orderby,
            dv_page_fn fn, void *ctx, ec_error *err)
{
	char prefer[256], *url = list_url(dv, set, select, filter, orderby);
	long total = -1;
	int rc = EC_OK;
	snprintf(prefer, sizeof prefer, "Prefer: odata.maxpagesize=%d,%s", dv->page_size,
	         ANNOTATIONS);
	while (url && rc == EC_OK) {
		json_object *root = NULL, *rows = NULL, *count;
		const char *next = NULL;
		rc = get_page(dv, url, prefer, &root, &rows, &next, err);
		/* Dataverse caps @odata.count at 5000: at the cap the total is
		 * unknown, not 5000. */
		if (rc == EC_OK && json_object_object_get_ex(root, "@odata.count", &count))
			total = json_object_get_int64(count) >= 5000 ? -1
			                                             : json_object_get_int64(count);
		if (rc == EC_OK)
			rc = fn(ctx, rows, total, err);
		free(url);
		url = NULL;
		if (rc == EC_OK && next && (rc = check_next_link(dv, next, err)) == EC_OK)
			url = ec_strdup(next); /* verbatim: never re-encoded */
		json_object_put(root);
	}
	free(url);
	return rc;
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
		rc = fail_status(&r, "reading a row", err);
	else if (rc == EC_OK)
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
		rc = fail_status(&r, "saving the change", err);
	else if (rc == EC_OK && row && r.status == 200)
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
		rc = fail_status(&r, "asking WhoAmI", err);
	else if (rc == EC_OK)
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
