/* signin.c — a user's sign-in, as Microsoft Entra and AD FS 2019 answer it:
 *   POST /<tenant>/oauth2/v2.0/devicecode   (client_id, scope)
 *   POST /adfs/oauth2/devicecode             (client_id, resource)
 *   the token endpoints' grant types device_code and refresh_token, with
 *   authorization_pending, slow_down (a poll sooner than the interval),
 *   expired_token, access_denied, and refresh tokens that rotate: each
 *   use gives a new one and spends the old one, so a client that redeems
 *   one twice loses the sign-in;
 *   POST /adfs/oauth2/token client_credentials with resource, and MSIS
 *   error bodies;
 * and the controls under /_sim/signin: approve, deny, expire a code, revoke
 * or expire every refresh token, and GET for the counters and every token
 * issued (so tests can look for them where they must not be). Runs with
 * sim_lock held; every table is bounded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "config.h"
#include "handlers.h"
#include "leak.h"
#include "query.h"
#include "text.h"

#define MAX_CODES  256
#define MAX_RT     4096
#define MAX_ISSUED 512

enum code_state { CODE_PENDING, CODE_APPROVED, CODE_DENIED, CODE_EXPIRED, CODE_USED };

struct dcode {
	char device[48], user_code[12], user[128];
	enum code_state state;
	bool adfs, offline; /* offline_access asked for: a refresh token comes too */
	int64_t expires_ms, last_poll_ms;
	long interval, polls;
};

struct rtok {
	char *value;
	char user[128];
	bool adfs, spent, revoked;
	int64_t expires_ms;
};

static struct dcode codes[MAX_CODES];
static int ncodes;
static struct rtok rts[MAX_RT];
static int nrts;
static char *issued[MAX_ISSUED];
static int nissued;
static long polls, slow_downs, refreshes;

void signin_free_all(void)
{
	for (int i = 0; i < MAX_RT; i++)
		free(rts[i].value);
	for (int i = 0; i < MAX_ISSUED; i++)
		free(issued[i]);
	memset(rts, 0, sizeof rts);
	memset(issued, 0, sizeof issued);
}

static void issued_add(const char *tok)
{
	char **slot = &issued[nissued++ % MAX_ISSUED];
	free(*slot);
	*slot = strdup(tok);
}

static void random_text(char *out, size_t n, const char *alphabet)
{
	unsigned char r[128];
	size_t k = strlen(alphabet);
	random_bytes(r, n - 1);
	for (size_t i = 0; i + 1 < n; i++)
		out[i] = alphabet[r[i] % k];
	out[n - 1] = '\0';
}

/* ---- errors ---- */

/* AD FS: {"error":..,"error_description":"MSIS<code>: .."}. */
static void msis_error(struct reply *r, int status, const char *error, int code, const char *msg)
{
	struct buf b = {0}, d = {0};
	buf_printf(&d, "MSIS%d: %s", code, msg);
	buf_puts(&b, "{\"error\":");
	buf_put_json_str(&b, error);
	buf_puts(&b, ",\"error_description\":");
	buf_put_json_str(&b, d.p);
	buf_putc(&b, '}');
	buf_free(&d);
	reply_json(r, status, CT_JSON, &b);
}

/* The device-code errors carry no AADSTS number of their own at AD FS. */
static void grant_error(struct reply *r, bool adfs, const char *error, int aadsts, const char *msg)
{
	if (adfs) {
		struct buf b = {0};
		buf_puts(&b, "{\"error\":");
		buf_put_json_str(&b, error);
		buf_puts(&b, ",\"error_description\":");
		buf_put_json_str(&b, msg);
		buf_putc(&b, '}');
		reply_json(r, 400, CT_JSON, &b);
	} else {
		aad_error(r, 400, error, aadsts, "%s", msg);
	}
}

/* ---- the organization a token is for ---- */

/* base_url or base_url/<org_name>, with or without a trailing slash. */
static bool org_ok(const char *s, size_t n)
{
	char onprem[160];
	snprintf(onprem, sizeof onprem, "%s/%s", sim_cfg.base_url, sim_cfg.org_name);
	while (n && s[n - 1] == '/')
		n--;
	return (n == strlen(sim_cfg.base_url) && !strncasecmp(s, sim_cfg.base_url, n)) ||
	       (n == strlen(onprem) && !strncasecmp(s, onprem, n));
}

/* Entra: "<org>/user_impersonation ..." somewhere in the scope. */
static bool scope_ok(const char *scope)
{
	const char *p = scope ? strstr(scope, "/user_impersonation") : NULL;
	const char *start = p;
	if (!p)
		return false;
	while (start > scope && start[-1] != ' ')
		start--;
	return org_ok(start, (size_t)(p - start));
}

/* ---- device codes ---- */

void signin_devicecode(struct request *q, struct reply *r, const char *tenant, size_t tenant_len,
                       bool adfs)
{
	const char *body = q->body.p ? q->body.p : "";
	char *client = query_param(body, "client_id"), *scope = query_param(body, "scope"),
	     *resource = query_param(body, "resource");
	struct dcode *c;
	struct buf b = {0};
	r->status = 0; /* each refusal below sets one */
	if (strcmp(q->method, "POST"))
		aad_error(r, 405, "invalid_request", 900561,
		          "The endpoint only accepts POST requests.");
	else if (adfs && sim_cfg.adfs_no_device)
		reply_error(r, 404, "", "Not found.");
	else if (!adfs && !auth_tenant_ok(tenant, tenant_len, true))
		aad_error(r, 400, "invalid_request", 90002, "Tenant '%.*s' not found.",
		          (int)tenant_len, tenant);
	else if (!client || strcasecmp(client, sim_cfg.public_client_id))
		adfs ? msis_error(
		           r, 400, "invalid_client", 9607,
		           "The 'client_id' parameter in the request is invalid. No registered "
		           "client is found with this identifier.")
		     : aad_error(r, 400, "unauthorized_client", 700016,
		                 "Application with identifier '%s' was not found in the directory.",
		                 client ? client : "");
	else if (adfs ? !resource || !org_ok(resource, strlen(resource)) : !scope_ok(scope))
		adfs ? msis_error(r, 400, "invalid_resource", 9602,
		                  "The received 'resource' parameter is not known to AD FS.")
		     : aad_error(
		           r, 400, "invalid_resource", 500011,
		           "The resource principal named in scope was not found in the tenant.");
	if (r->status) {
		free(client), free(scope), free(resource);
		return;
	}
	c = &codes[ncodes++ % MAX_CODES];
	memset(c, 0, sizeof *c);
	random_text(c->device, sizeof c->device,
	            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	random_text(c->user_code, 10, "BCDFGHJKLMNPQRSTVWXZ23456789");
	c->adfs = adfs;
	c->offline = adfs || (scope && strstr(scope, "offline_access"));
	c->interval = sim_cfg.device_interval;
	c->expires_ms = sim_clock_ms() + sim_cfg.device_expires * 1000;
	c->last_poll_ms = sim_clock_ms();
	buf_puts(&b, "{\"user_code\":");
	buf_put_json_str(&b, c->user_code);
	buf_puts(&b, ",\"device_code\":");
	buf_put_json_str(&b, c->device);
	buf_printf(&b, ",\"%s\":\"%s/%s\",\"expires_in\":%ld,\"interval\":%ld,",
	           adfs ? "verification_url" : "verification_uri", sim_cfg.base_url,
	           adfs ? "adfs/oauth2/deviceauth" : "devicelogin", sim_cfg.device_expires,
	           sim_cfg.device_interval);
	buf_printf(&b,
	           "\"message\":\"To sign in, use a web browser to open the page %s/devicelogin "
	           "and enter the code %s to authenticate.\"}",
	           sim_cfg.base_url, c->user_code);
	reply_json(r, 200, CT_JSON, &b);
	free(client), free(scope), free(resource);
}

static struct dcode *code_find(const char *device)
{
	for (int i = 0; device && i < MAX_CODES; i++)
		if (codes[i].device[0] && !strcmp(codes[i].device, device))
			return &codes[i];
	return NULL;
}

/* ---- tokens ---- */

static char *id_token(const char *user, bool adfs)
{
	struct buf b = {0}, p = {0};
	buf_printf(&p, "{\"aud\":\"%s\",\"iss\":\"%s/%s\",\"tid\":\"%s\",\"%s\":",
	           sim_cfg.public_client_id, sim_cfg.base_url, adfs ? "adfs" : sim_cfg.tenant,
	           sim_cfg.tenant, adfs ? "upn" : "preferred_username");
	buf_put_json_str(&p, user);
	buf_printf(&p, ",\"exp\":%lld}", (long long)(sim_clock_now() + 3600));
	buf_puts(&b, "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.");
	auth_base64url(&b, (const unsigned char *)p.p, p.len);
	buf_putc(&b, '.');
	buf_free(&p);
	return buf_take(&b);
}

static const char *rt_new(const char *user, bool adfs)
{
	struct rtok *t = &rts[nrts++ % MAX_RT];
	char v[96];
	free(t->value);
	memset(t, 0, sizeof *t);
	random_text(v, sizeof v,
	            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	memcpy(v, "0.AR", 4); /* Entra's refresh tokens start so */
	t->value = strdup(v);
	snprintf(t->user, sizeof t->user, "%s", user);
	t->adfs = adfs;
	t->expires_ms = sim_clock_ms() + sim_cfg.refresh_lifetime * 1000;
	issued_add(t->value);
	return t->value;
}

static struct rtok *rt_find(const char *value)
{
	for (int i = 0; value && i < MAX_RT; i++)
		if (rts[i].value && !strcmp(rts[i].value, value))
			return &rts[i];
	return NULL;
}

static void tokens_reply(struct reply *r, const char *user, bool adfs, bool with_refresh)
{
	char *access = auth_issue_access(), *id = id_token(user, adfs);
	struct buf b = {0};
	issued_add(access);
	buf_printf(&b,
	           "{\"token_type\":\"Bearer\",\"scope\":\"user_impersonation\","
	           "\"expires_in\":%ld,\"access_token\":",
	           sim_cfg.token_lifetime);
	buf_put_json_str(&b, access);
	if (with_refresh) {
		buf_puts(&b, ",\"refresh_token\":");
		buf_put_json_str(&b, rt_new(user, adfs));
		buf_printf(&b, ",\"refresh_token_expires_in\":%ld", sim_cfg.refresh_lifetime);
	}
	buf_puts(&b, ",\"id_token\":");
	buf_put_json_str(&b, id);
	buf_putc(&b, '}');
	free(access);
	free(id);
	reply_json(r, 200, CT_JSON, &b);
	reply_header(r, "Cache-Control", "no-store, no-cache");
}

static void grant_device(struct reply *r, const char *body, bool adfs)
{
	char *device = query_param(body, "device_code");
	struct dcode *c = code_find(device);
	int64_t now = sim_clock_ms();
	polls++;
	if (c && c->state == CODE_PENDING && now >= c->expires_ms)
		c->state = CODE_EXPIRED;
	if (!c || c->state == CODE_USED)
		grant_error(r, adfs, "bad_verification_code", 70000,
		            "The device code is not known or was already redeemed.");
	else if (c->state == CODE_EXPIRED)
		grant_error(r, adfs, "expired_token", 70019,
		            "Verification code expired. The user did not sign in in time.");
	else if (c->state == CODE_DENIED)
		grant_error(r, adfs, "access_denied", 70000,
		            "The user declined the sign-in at the verification page.");
	else if (now - c->last_poll_ms < c->interval * 1000 - 100 ||
	         ++c->polls <= sim_cfg.device_slow_down) {
		/* RFC 8628: too soon; the client must add 5 s to its interval. */
		slow_downs++;
		c->interval += 5;
		c->last_poll_ms = now;
		grant_error(r, adfs, "slow_down", 70000, "The client polled too often.");
	} else if (c->state == CODE_PENDING) {
		c->last_poll_ms = now;
		grant_error(r, adfs, "authorization_pending", 70016,
		            "OAuth 2.0 device flow error. Authorization is pending. Continue "
		            "polling.");
	} else {
		c->state = CODE_USED;
		tokens_reply(r, c->user, adfs, c->offline);
	}
	free(device);
}

static void grant_refresh(struct reply *r, const char *body, bool adfs)
{
	char *value = query_param(body, "refresh_token");
	struct rtok *t = rt_find(value);
	refreshes++;
	if (!t || t->adfs != adfs)
		grant_error(r, adfs, "invalid_grant", 9002313, "Invalid refresh token: malformed.");
	else if (t->revoked || t->spent)
		/* A spent token is a replayed one: Entra answers as for a
		 * revocation, and so must a client that shares one. */
		grant_error(r, adfs, "invalid_grant", 50173,
		            "The provided grant has expired due to it being revoked, a fresh auth "
		            "token is needed.");
	else if (sim_clock_ms() >= t->expires_ms)
		grant_error(r, adfs, "invalid_grant", 700082,
		            "The refresh token has expired due to inactivity.");
	else {
		char user[128];
		snprintf(user, sizeof user, "%s", t->user);
		t->spent = true;
		tokens_reply(r, user, adfs, true);
	}
	free(value);
}

bool signin_grant_known(const char *grant)
{
	return !strcmp(grant, "urn:ietf:params:oauth:grant-type:device_code") ||
	       !strcmp(grant, "device_code") || !strcmp(grant, "refresh_token");
}

bool signin_user_grant(const struct request *q)
{
	char *grant = query_param(q->body.p ? q->body.p : "", "grant_type");
	bool user = grant && signin_grant_known(grant);
	free(grant);
	return user;
}

void signin_grant(struct request *q, struct reply *r, const char *grant, bool adfs)
{
	const char *body = q->body.p ? q->body.p : "";
	char *client = query_param(body, "client_id");
	if (!client || strcasecmp(client, sim_cfg.public_client_id))
		adfs ? msis_error(
		           r, 400, "invalid_client", 9607,
		           "The 'client_id' parameter in the request is invalid. No registered "
		           "client is found with this identifier.")
		     : aad_error(r, 400, "unauthorized_client", 700016,
		                 "Application with identifier '%s' was not found in the directory.",
		                 client ? client : "");
	else if (!strcmp(grant, "refresh_token"))
		grant_refresh(r, body, adfs);
	else
		grant_device(r, body, adfs);
	free(client);
}

/* /adfs/oauth2/token: client credentials with resource, or a user's grant. */
void signin_adfs_token(struct request *q, struct reply *r)
{
	if (leak_echo_grant(q, r, true))
		return;
	const char *body = q->body.p ? q->body.p : "";
	char *grant = query_param(body, "grant_type"), *client = query_param(body, "client_id"),
	     *secret = query_param(body, "client_secret"),
	     *resource = query_param(body, "resource");
	if (grant && signin_grant_known(grant))
		signin_grant(q, r, grant, true);
	else if (!grant || strcmp(grant, "client_credentials"))
		msis_error(r, 400, "unsupported_grant_type", 9611,
		           "The authorization server does not support the requested 'grant_type'.");
	else if (!client || strcasecmp(client, sim_cfg.client_id))
		msis_error(
		    r, 400, "invalid_client", 9607,
		    "The 'client_id' parameter in the request is invalid. No registered client "
		    "is found with this identifier.");
	else if (!secret || strcmp(secret, sim_cfg.client_secret))
		msis_error(
		    r, 401, "invalid_client", 9622,
		    "Client authentication failed. Please verify the credential provided for "
		    "client authentication is valid.");
	else if (!resource || !org_ok(resource, strlen(resource)))
		msis_error(r, 400, "invalid_resource", 9605,
		           "The client is not allowed to access the requested resource.");
	else {
		char *access = auth_issue_access();
		struct buf b = {0};
		issued_add(access);
		buf_printf(&b, "{\"token_type\":\"bearer\",\"expires_in\":%ld,\"access_token\":",
		           sim_cfg.token_lifetime);
		buf_put_json_str(&b, access);
		buf_putc(&b, '}');
		free(access);
		reply_json(r, 200, CT_JSON, &b);
	}
	free(grant), free(client), free(secret), free(resource);
}

/* ---- controls ---- */

/* The code named by {"user_code":..}, else the newest. */
static struct dcode *code_named(json_object *o)
{
	json_object *v;
	const char *want =
	    json_object_object_get_ex(o, "user_code", &v) ? json_object_get_string(v) : NULL;
	for (int k = 0; k < MAX_CODES && k < ncodes; k++) {
		struct dcode *c = &codes[(ncodes - 1 - k) % MAX_CODES];
		if (!want || !strcmp(c->user_code, want))
			return c;
	}
	return NULL;
}

static void stats_reply(struct reply *r)
{
	struct buf b = {0};
	buf_printf(&b, "{\"polls\":%ld,\"slow_down\":%ld,\"refreshes\":%ld,\"issued\":[", polls,
	           slow_downs, refreshes);
	for (int i = 0; i < MAX_ISSUED && i < nissued; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_put_json_str(&b, issued[i]);
	}
	buf_puts(&b, "]}");
	reply_json(r, 200, CT_JSON, &b);
}

static void code_action(struct request *q, struct reply *r, const char *action)
{
	json_object *o = json_tokener_parse(q->body.len ? q->body.p : "{}"), *v;
	struct dcode *c = o ? code_named(o) : NULL;
	if (!c) {
		reply_error(r, 404, "", "No such device code.");
	} else {
		if (!strcmp(action, "approve")) {
			c->state = CODE_APPROVED;
			snprintf(c->user, sizeof c->user, "%s",
			         json_object_object_get_ex(o, "user", &v)
			             ? json_object_get_string(v)
			             : "admin@kovinoplast.example");
		} else if (!strcmp(action, "deny")) {
			c->state = CODE_DENIED;
		} else {
			c->state = CODE_EXPIRED;
		}
		r->status = 204;
	}
	json_object_put(o);
}

void signin_control(struct request *q, struct reply *r, const char *path)
{
	if (!*path && !strcmp(q->method, "GET")) {
		stats_reply(r);
	} else if (strcmp(q->method, "POST")) {
		reply_error(r, 405, "", "Use POST /_sim/signin/ACTION.");
	} else if (!strcmp(path, "/approve") || !strcmp(path, "/deny") ||
	           !strcmp(path, "/expire-code")) {
		code_action(q, r, path + 1);
	} else if (!strcmp(path, "/revoke") || !strcmp(path, "/expire-refresh")) {
		for (int i = 0; i < MAX_RT; i++) {
			if (path[1] == 'r')
				rts[i].revoked = true;
			else
				rts[i].expires_ms = 0;
		}
		r->status = 204;
	} else {
		reply_error(r, 404, "", "No control endpoint /_sim/signin%s.", path);
	}
}
