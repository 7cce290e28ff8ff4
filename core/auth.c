/* auth.c — client-credentials tokens in memory (see auth.h). */
#include "core/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/codec.h"
#include "core/ini.h"
#include "core/model.h"

struct ec_auth {
	ec_config *cfg;
	ec_http *http;
	char *header;    /* "Authorization: Bearer <token>" */
	time_t renew_at; /* fetch a new token from this time on */
	int fetched;     /* how many tokens were fetched (for 401 handling) */
};

/* What each sign-in error means for the admin, and what to do. */
static const struct {
	long code;
	const char *text;
} aadsts[] = {
    {7000215, "the client secret is wrong (AADSTS7000215); check client-secret-file or "
              "EMAILCFG_CLIENT_SECRET against the app registration"},
    {7000222, "the client secret has expired (AADSTS7000222); create a new secret for the "
              "app registration in Microsoft Entra ID and update client-secret-file"},
    {700016, "the application (client-id) is not known in this tenant (AADSTS700016); check "
             "client-id and tenant, or have an admin consent to the app in that tenant"},
    {90002, "the tenant does not exist (AADSTS90002); check the tenant id or domain"},
    {900023, "the tenant id is not valid (AADSTS900023); check the tenant setting"},
    {900144, "the token request was incomplete (AADSTS900144); this is a bug in emailcfg, "
             "please report it"},
    {7000218, "the token request had no client secret (AADSTS7000218); set "
              "client-secret-file or EMAILCFG_CLIENT_SECRET"},
    {500011, "the organization URL is not registered in this tenant (AADSTS500011); check "
             "--org and tenant"},
};

const char *auth_explain_aadsts(long code)
{
	for (size_t i = 0; i < sizeof aadsts / sizeof aadsts[0]; i++)
		if (aadsts[i].code == code)
			return aadsts[i].text;
	return NULL;
}

ec_auth *auth_new(ec_config *cfg, ec_http *http)
{
	ec_auth *a = ec_xcalloc(1, sizeof *a);
	a->cfg = cfg;
	a->http = http;
	return a;
}

static void wipe_header(ec_auth *a)
{
	ec_wipe_free(a->header);
	a->header = NULL;
}

void auth_free(ec_auth *a)
{
	if (!a)
		return;
	wipe_header(a);
	free(a);
}

static void set_token(ec_auth *a, const char *token, long expires_in)
{
	size_t n = strlen(token) + 32;
	wipe_header(a);
	a->header = ec_xmalloc(n);
	snprintf(a->header, n, "Authorization: Bearer %s", token);
	/* Renew a little early: at 90 % of the lifetime, at most 5 min early. */
	if (expires_in <= 0)
		a->renew_at = (time_t)-1;
	else
		a->renew_at =
		    time(NULL) + expires_in - (expires_in / 10 < 300 ? expires_in / 10 : 300);
}

static char *token_body(ec_config *cfg, const char *secret)
{
	char *id = http_escape(cfg->client_id), *sec = http_escape(secret), *scope, *body;
	size_t n;
	{
		char buf[2048];
		snprintf(buf, sizeof buf, "%s/.default", cfg->org_url);
		scope = http_escape(buf);
	}
	n = strlen(id) + strlen(sec) + strlen(scope) + 96;
	body = ec_xmalloc(n);
	snprintf(body, n, "grant_type=client_credentials&client_id=%s&client_secret=%s&scope=%s",
	         id, sec, scope);
	memset(sec, 0, strlen(sec));
	free(id);
	free(sec);
	free(scope);
	return body;
}

static int token_error(const ec_http_response *r, ec_error *err)
{
	long code = 0;
	char error[128], desc[512];
	const char *text;
	if (codec_token_error(r->body, r->len, &code, error, sizeof error, desc, sizeof desc) != 0)
		return ec_fail(err, EC_NETWORK,
		               "sign-in failed with HTTP %ld and no error details; "
		               "check the authority and tenant",
		               r->status);
	text = auth_explain_aadsts(code);
	if (text)
		return ec_fail(err, EC_NETWORK, "sign-in refused: %s", text);
	return ec_fail(err, EC_NETWORK, "sign-in refused (%s): %s", error, desc);
}

static int parse_token(const ec_http_response *r, ec_auth *a, ec_error *err)
{
	json_object *root = NULL, *tok, *exp;
	int rc = codec_json_parse(r->body, r->len, &root, err);
	if (rc != EC_OK)
		return rc;
	if (!json_object_object_get_ex(root, "access_token", &tok) ||
	    !json_object_is_type(tok, json_type_string)) {
		json_object_put(root);
		return ec_fail(err, EC_NETWORK,
		               "the sign-in answer had no access_token; check the "
		               "authority URL");
	}
	json_object_object_get_ex(root, "expires_in", &exp);
	set_token(a, json_object_get_string(tok), exp ? json_object_get_int64(exp) : 3599);
	json_object_put(root);
	a->fetched++;
	return EC_OK;
}

static int fetch_token(ec_auth *a, ec_error *err)
{
	ec_config *cfg = a->cfg;
	const char *secret;
	const char *hdrs[] = {"Content-Type: application/x-www-form-urlencoded",
	                      "Accept: application/json", NULL};
	char url[2048], *body;
	ec_http_response r;
	int rc;
	if (!cfg->tenant || !cfg->client_id)
		return ec_fail(err, EC_LOCAL,
		               "no %s for sign-in; set it in the config, set "
		               "EMAILCFG_%s, or give a token in EMAILCFG_TOKEN",
		               cfg->tenant ? "client-id" : "tenant",
		               cfg->tenant ? "CLIENT_ID" : "TENANT");
	if ((rc = config_secret(cfg, &secret, err)) != EC_OK)
		return rc;
	snprintf(url, sizeof url, "%s/%s/oauth2/v2.0/token", cfg->authority, cfg->tenant);
	body = token_body(cfg, secret);
	rc = http_request(a->http, "POST", url, hdrs, body, &r, err);
	memset(body, 0, strlen(body));
	free(body);
	if (rc == EC_OK)
		rc = r.status == 200 ? parse_token(&r, a, err) : token_error(&r, err);
	http_response_free(&r);
	return rc;
}

int auth_header(ec_auth *a, const char **header, ec_error *err)
{
	int rc;
	if (!a->header && a->cfg->token) {
		set_token(a, a->cfg->token, 0);
	} else if (!a->header || (a->renew_at != (time_t)-1 && time(NULL) >= a->renew_at)) {
		if ((rc = fetch_token(a, err)) != EC_OK)
			return rc;
	}
	*header = a->header;
	return EC_OK;
}

int auth_invalidate(ec_auth *a)
{
	if (a->cfg->token)
		return 0;
	wipe_header(a);
	return 1;
}
