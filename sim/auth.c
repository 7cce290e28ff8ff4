/* auth.c — the Microsoft identity platform token endpoint
 * (POST /<tenant>/oauth2/v2.0/token, client credentials) with the real
 * AADSTS error bodies, and the bearer-token check of the Web API (401 with
 * WWW-Authenticate). Tokens are opaque random strings kept in memory with
 * their expiry. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "handlers.h"
#include "leak.h"
#include "negotiate.h"
#include "ntlm.h"
#include "query.h"

#define MAX_TOKENS 4096

struct token {
	char *value;
	int64_t expires_ms;
};

static struct token tokens[MAX_TOKENS];
static int ntokens_issued;

void auth_base64url(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_putc(b, tab[v >> 18 & 63]);
		buf_putc(b, tab[v >> 12 & 63]);
		if (i + 1 < n)
			buf_putc(b, tab[v >> 6 & 63]);
		if (i + 2 < n)
			buf_putc(b, tab[v & 63]);
	}
}

static char *token_make(void)
{
	struct buf b = {0}, payload = {0};
	unsigned char sig[32];
	random_bytes(sig, sizeof sig);
	buf_printf(
	    &payload,
	    "{\"aud\":\"%s\",\"iss\":\"%s/%s/\",\"appid\":\"%s\",\"tid\":\"%s\",\"exp\":%lld}",
	    sim_cfg.base_url, sim_cfg.base_url, sim_cfg.tenant, sim_cfg.client_id, sim_cfg.tenant,
	    (long long)(sim_clock_now() + sim_cfg.token_lifetime));
	buf_puts(&b, "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.");
	auth_base64url(&b, (const unsigned char *)payload.p, payload.len);
	buf_putc(&b, '.');
	auth_base64url(&b, sig, sizeof sig);
	buf_free(&payload);
	return buf_take(&b);
}

static void token_store(const char *value)
{
	struct token *t = &tokens[ntokens_issued++ % MAX_TOKENS];
	free(t->value);
	t->value = strdup(value);
	t->expires_ms = sim_clock_ms() + sim_cfg.token_lifetime * 1000;
}

char *auth_issue_access(void)
{
	char *tok = token_make();
	token_store(tok);
	return tok;
}

static bool token_valid(const char *value)
{
	int64_t now = sim_clock_ms();
	for (int i = 0; i < MAX_TOKENS; i++)
		if (tokens[i].value && !strcmp(tokens[i].value, value))
			return tokens[i].expires_ms > now;
	return false;
}

void auth_expire_all(void)
{
	for (int i = 0; i < MAX_TOKENS; i++)
		tokens[i].expires_ms = 0;
}

void auth_free_all(void)
{
	for (int i = 0; i < MAX_TOKENS; i++) {
		free(tokens[i].value);
		tokens[i].value = NULL;
	}
}

void aad_error(struct reply *r, int status, const char *error, int code, const char *fmt, ...)
{
	char msg[768], trace[37], corr[37], stamp[21], when[21];
	struct guid g;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	guid_random(&g);
	guid_format(&g, trace, false);
	guid_random(&g);
	guid_format(&g, corr, false);
	date_format(sim_clock_now(), stamp);
	snprintf(when, sizeof when, "%.10s %.9s", stamp, stamp + 11); /* "2024-03-01 09:00:00Z" */
	struct buf desc = {0}, b = {0};
	buf_printf(&desc, "AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
	           code, msg, trace, corr, when);
	buf_puts(&b, "{\"error\":");
	buf_put_json_str(&b, error);
	buf_puts(&b, ",\"error_description\":");
	buf_put_json_str(&b, desc.p);
	buf_printf(&b,
	           ",\"error_codes\":[%d],\"timestamp\":\"%s\",\"trace_id\":\"%s\","
	           "\"correlation_id\":\"%s\",\"error_uri\":"
	           "\"https://login.microsoftonline.com/error?code=%d\"}",
	           code, when, trace, corr, code);
	buf_free(&desc);
	reply_json(r, status, CT_JSON, &b);
}

/* The resource of "<resource>/.default" must be this emulator's base URL. */
static bool scope_resource_ok(const char *scope)
{
	size_t n = strlen(scope) - strlen("/.default");
	while (n && scope[n - 1] == '/')
		n--;
	char host_form[80];
	snprintf(host_form, sizeof host_form, "http://localhost:%d", sim_cfg.port);
	return (n == strlen(sim_cfg.base_url) && !strncasecmp(scope, sim_cfg.base_url, n)) ||
	       (n == strlen(host_form) && !strncasecmp(scope, host_form, n));
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static void token_checks(struct reply *r, const char *grant, const char *client, const char *secret,
                         const char *scope)
{
	if (!grant)
		aad_error(r, 400, "invalid_request", 900144,
		          "The request body must contain the following parameter: 'grant_type'.");
	else if (strcmp(grant, "client_credentials"))
		aad_error(r, 400, "unsupported_grant_type", 70003,
		          "The app requested an unsupported grant type '%s'.", grant);
	else if (!client)
		aad_error(r, 400, "invalid_request", 900144,
		          "The request body must contain the following parameter: 'client_id'.");
	else if (!scope)
		aad_error(r, 400, "invalid_request", 900144,
		          "The request body must contain the following parameter: 'scope'.");
	else if (!has_suffix(scope, "/.default"))
		aad_error(r, 400, "invalid_scope", 1002012,
		          "The provided value for scope %s is not valid. Client credential flows "
		          "must have a scope value with /.default suffixed to the resource "
		          "identifier (application ID URI).",
		          scope);
	else if (strcasecmp(client, sim_cfg.client_id))
		aad_error(r, 400, "unauthorized_client", 700016,
		          "Application with identifier '%s' was not found in the directory '%s'. "
		          "This can happen if the application has not been installed by the "
		          "administrator of the tenant or consented to by any user in the tenant. "
		          "You may have sent your authentication request to the wrong tenant.",
		          client, sim_cfg.tenant);
	else if (!secret)
		aad_error(r, 401, "invalid_client", 7000216,
		          "'client_assertion', 'client_secret' or 'request' is required for the "
		          "'client_credentials' grant type.");
	else if (strcmp(secret, sim_cfg.client_secret))
		aad_error(r, 401, "invalid_client", 7000215,
		          "Invalid client secret provided. Ensure the secret being sent in the "
		          "request is the client secret value, not the client secret ID, for a "
		          "secret added to app '%s'.",
		          client);
	else if (sim_cfg.expired_secret)
		aad_error(
		    r, 401, "invalid_client", 7000222,
		    "The provided client secret keys for app '%s' are expired. Visit the Azure "
		    "portal to create new keys for your app: https://aka.ms/NewClientSecret, or "
		    "consider using certificate credentials for added security: "
		    "https://aka.ms/certCreds.",
		    client);
	else if (!scope_resource_ok(scope))
		aad_error(
		    r, 400, "invalid_resource", 500011,
		    "The resource principal named %.*s was not found in the tenant named %s. "
		    "This can happen if the application has not been installed by the "
		    "administrator of the tenant or consented to by any user in the tenant. You "
		    "might have sent your authentication request to the wrong tenant.",
		    (int)(strlen(scope) - 9), scope, sim_cfg.tenant);
}

static void token_success(struct reply *r)
{
	char *tok = token_make();
	token_store(tok);
	struct buf b = {0};
	long stated = sim_cfg.token_expires_in ? sim_cfg.token_expires_in : sim_cfg.token_lifetime;
	struct buf answer = {0};
	buf_printf(&b,
	           "{\"token_type\":\"Bearer\",\"expires_in\":%ld,\"ext_expires_in\":%ld,"
	           "\"access_token\":",
	           stated, stated);
	/* --token-suffix: what a hostile endpoint might append (a line break and
	 * a header of its own); the token stored stays the valid one. */
	buf_puts(&answer, tok);
	if (sim_cfg.token_suffix)
		buf_puts(&answer, sim_cfg.token_suffix);
	buf_put_json_str(&b, answer.p);
	buf_free(&answer);
	buf_putc(&b, '}');
	free(tok);
	reply_json(r, 200, CT_JSON, &b);
	reply_header(r, "Cache-Control", "no-store, no-cache");
}

/* The tenant's id; "organizations" and "common" too for a user's sign-in,
 * which the user's home tenant completes. */
bool auth_tenant_ok(const char *tenant, size_t len, bool user)
{
	if (len == strlen(sim_cfg.tenant) && !strncasecmp(tenant, sim_cfg.tenant, len))
		return true;
	return user && ((len == 13 && !strncasecmp(tenant, "organizations", 13)) ||
	                (len == 6 && !strncasecmp(tenant, "common", 6)));
}

void auth_token(struct request *q, struct reply *r, const char *tenant, size_t tenant_len)
{
	if (strcmp(q->method, "POST")) {
		aad_error(r, 405, "invalid_request", 900561,
		          "The endpoint only accepts POST requests. Received a %s request.",
		          q->method);
		return;
	}
	if (!auth_tenant_ok(tenant, tenant_len, signin_user_grant(q))) {
		aad_error(
		    r, 400, "invalid_request", 90002,
		    "Tenant '%.*s' not found. Check to make sure you have the correct tenant ID "
		    "and are signing into the correct cloud. Check with your subscription "
		    "administrator, this may happen if there are no active subscriptions for "
		    "the tenant.",
		    (int)tenant_len, tenant);
		return;
	}
	if (leak_echo_grant(q, r, false))
		return;
	const char *body = q->body.p ? q->body.p : "";
	char *grant = query_param(body, "grant_type");
	char *client = query_param(body, "client_id");
	char *secret = query_param(body, "client_secret");
	char *scope = query_param(body, "scope");
	r->status = 0;
	/* The user's grants (device code, refresh) are signin.c's. */
	if (grant && signin_grant_known(grant))
		signin_grant(q, r, grant, false);
	else
		token_checks(r, grant, client, secret, scope);
	if (!r->status)
		token_success(r);
	free(grant);
	free(client);
	free(secret);
	free(scope);
}

/* auth = windows in the emulator (EMAILCFG_SIM_NTLM_USER or
 * EMAILCFG_SIM_GSS_KEYTAB set): NTLM and/or Kerberos (negotiate.c) instead
 * of bearer tokens, signed in per connection. A 401 offers each method
 * configured, as IIS does. */
static void windows_refuse(struct reply *r, const char *answer)
{
	if (answer && *answer)
		reply_header(r, "WWW-Authenticate", "%s", answer);
	else if (negotiate_enabled())
		reply_header(r, "WWW-Authenticate", "Negotiate");
	if (ntlm_enabled() && !(answer && !strncasecmp(answer, "NTLM ", 5)))
		reply_header(r, "WWW-Authenticate", "NTLM");
}

static bool negotiate_check(const char *token, struct reply *r)
{
	struct buf answer = {0};
	char who[256];
	int step = negotiate_step(token, &answer, who, sizeof who);
	if (step == NEGOTIATE_OK) {
		if (answer.p) /* mutual authentication: the server proves itself */
			reply_header(r, "WWW-Authenticate", "%s", answer.p);
		buf_free(&answer);
		return true;
	}
	if (step == NEGOTIATE_NOT_USER) {
		reply_error(r, 401, "0x80040225",
		            "The user %s was authenticated by Kerberos but is not a user of this "
		            "organization: add the domain account as a user with a security role.",
		            who);
	} else {
		r->status = 401;
		r->content_type = NULL;
	}
	windows_refuse(r, step == NEGOTIATE_NOT_USER ? NULL : answer.p);
	buf_free(&answer);
	return false;
}

static bool windows_check(struct request *q, struct reply *r)
{
	const char *h = request_header(q, "Authorization");
	struct buf challenge = {0};
	int step = NTLM_REFUSED;
	if (!h && (ntlm_conn_authed() || negotiate_conn_authed()))
		return true;
	if (h && negotiate_enabled() && !strncasecmp(h, "Negotiate ", 10))
		return negotiate_check(h + 10, r);
	if (h && ntlm_enabled() && !strncasecmp(h, "NTLM ", 5))
		step = ntlm_step(h + 5, &challenge);
	if (step == NTLM_OK)
		return true;
	r->status = 401;
	r->content_type = NULL;
	windows_refuse(r, step == NTLM_CHALLENGE ? challenge.p : NULL);
	buf_free(&challenge);
	return false;
}

bool auth_check(struct request *q, struct reply *r)
{
	const char *h = request_header(q, "Authorization");
	if (ntlm_enabled() || negotiate_enabled())
		return windows_check(q, r);
	if (h && !strncasecmp(h, "Bearer ", 7) && token_valid(h + 7))
		return true;
	r->status = 401;
	r->content_type = NULL;
	reply_header(r, "WWW-Authenticate",
	             "Bearer authorization_uri=%s/%s/oauth2/authorize, resource_id=%s/",
	             sim_cfg.base_url, sim_cfg.tenant, sim_cfg.base_url);
	return false;
}
