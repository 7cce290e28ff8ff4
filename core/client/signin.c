/* signin.c — device-code sign-in and silent refresh (see signin.h). */
#include "core/base/i18n.h"
#include "core/client/signin.h"

#include <ctype.h>
#include <stdatomic.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/client/auth.h"
#include "core/codec/codec.h"
#include "core/base/ini.h"
#include "core/model/model.h"
#include "core/client/token_store.h"

/* The longest we poll, whatever the authority says (Entra gives 15 min). */
#define MAX_POLL_SECONDS 1800
#define MAX_INTERVAL     60
/* Entra's refresh tokens live 90 days unless used; when the answer does not
 * say, that is how long "signed in until" reads. */
#define DEFAULT_REFRESH_LIFETIME (90L * 86400)
#define MAX_ID_TOKEN             16384

static const char *const form_hdrs[] = {"Content-Type: application/x-www-form-urlencoded",
                                        "Accept: application/json", NULL};

static bool adfs(const ec_config *cfg)
{
	return config_auth_is(cfg, "adfs");
}

/* {authority}/{tenant}/oauth2/v2.0/NAME, or {authority}/oauth2/NAME at AD FS. */
static void endpoint(const ec_config *cfg, const char *authority, const char *tenant,
                     const char *name, char *out, size_t size)
{
	if (adfs(cfg))
		snprintf(out, size, "%s/oauth2/%s", authority, name);
	else
		snprintf(out, size, "%s/%s/oauth2/v2.0/%s", authority, tenant, name);
}

/* "&scope=..." (Entra) or "&resource=..." (AD FS) for the organization. */
static char *audience_param(const ec_config *cfg)
{
	char buf[2300], *v, *out;
	size_t n;
	if (adfs(cfg))
		snprintf(buf, sizeof buf, "%s", cfg->org_url);
	else
		snprintf(buf, sizeof buf, "%s/user_impersonation offline_access openid profile",
		         cfg->org_url);
	v = http_escape(buf);
	n = strlen(v) + 16;
	out = ec_xmalloc(n);
	snprintf(out, n, "&%s=%s", adfs(cfg) ? "resource" : "scope", v);
	free(v);
	return out;
}

/* The caller keeps body (to hide its secrets from an error answer) and
 * wipes it: it may hold a device code or a refresh token. */
static int post_form(ec_http *http, const char *url, const char *body, ec_http_response *r,
                     ec_error *err)
{
	return http_request_capped(http, "POST", url, form_hdrs, body, AUTH_MAX_ANSWER, r, err);
}

static void response_wipe_free(ec_http_response *r)
{
	if (r->body)
		ec_wipe(r->body, r->len);
	http_response_free(r);
}

static const char *member(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static long long member_int(json_object *o, const char *key, long long dflt)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return dflt;
	if (json_object_is_type(v, json_type_string))
		return strtoll(json_object_get_string(v), NULL, 10);
	return json_object_get_int64(v);
}

/* Printable ASCII only, bounded: what reaches the screen or a URL. */
static bool printable(const char *s, size_t max)
{
	size_t n = 0;
	if (!s || !*s)
		return false;
	for (; *s; s++, n++)
		if (n >= max || (unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* ---- the id_token's user ---- */

static int b64url_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '-' || c == '+' ? 62 : c == '_' || c == '/' ? 63 : -1;
}

static char *b64url_decode(const char *s, size_t n)
{
	char *out = ec_xmalloc(n + 1);
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64url_value((unsigned char)s[i]);
		if (v < 0)
			break;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

/* preferred_username (Entra), upn or unique_name (AD FS) of the id_token:
 * only a name for the cache and the screen; the token is not trusted for
 * anything else, the organization checks the access token itself. */
static char *id_token_user(const char *jwt)
{
	const char *dot1 = jwt ? strchr(jwt, '.') : NULL,
	           *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	static const char *const claims[] = {"preferred_username", "upn", "unique_name", "email"};
	char *payload, *user = NULL;
	json_object *o;
	if (!dot2 || strlen(jwt) > MAX_ID_TOKEN)
		return NULL;
	payload = b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	o = json_tokener_parse(payload);
	free(payload);
	for (size_t i = 0; o && !user && i < sizeof claims / sizeof claims[0]; i++)
		if (printable(member(o, claims[i]), 256))
			user = ec_strdup(member(o, claims[i]));
	json_object_put(o);
	return user;
}

/* ---- the token answer ---- */

typedef struct token_answer {
	char *access, *refresh, *user;
	long long expires_in, refresh_expires_in;
} token_answer;

static void answer_free(token_answer *t)
{
	ec_wipe_free(t->access);
	ec_wipe_free(t->refresh);
	free(t->user);
	memset(t, 0, sizeof *t);
}

static bool token_chars_ok(const char *t)
{
	if (!t || !*t)
		return false;
	for (; *t; t++)
		if (!isalnum((unsigned char)*t) && !strchr("-._~+/=*!", *t))
			return false;
	return true;
}

static int answer_parse(const ec_http_response *r, token_answer *t, ec_error *err)
{
	json_object *root = NULL;
	const char *access, *refresh;
	int rc = codec_json_parse(r->body, r->len, &root, err);
	memset(t, 0, sizeof *t);
	if (rc != EC_OK)
		return rc;
	access = member(root, "access_token");
	refresh = member(root, "refresh_token");
	if (!token_chars_ok(access) || (refresh && !token_chars_ok(refresh)))
		rc = ec_fail(err, EC_NETWORK,
		             "the sign-in answer had no usable access_token or refresh_token; "
		             "check the authority URL");
	if (rc == EC_OK) {
		t->access = ec_strdup(access);
		t->refresh = refresh ? ec_strdup(refresh) : NULL;
		t->user = id_token_user(member(root, "id_token"));
		t->expires_in = member_int(root, "expires_in", 3599);
		t->refresh_expires_in = member_int(root, "refresh_token_expires_in", 0);
	}
	/* json-c keeps its own copies: wipe them before freeing. */
	if (access)
		ec_wipe((char *)access, strlen(access));
	if (refresh)
		ec_wipe((char *)refresh, strlen(refresh));
	json_object_put(root);
	return rc;
}

static time_t refresh_until(const token_answer *t)
{
	long long life = t->refresh_expires_in > 0 && t->refresh_expires_in < 10LL * 365 * 86400
	                     ? t->refresh_expires_in
	                     : DEFAULT_REFRESH_LIFETIME;
	return time(NULL) + (time_t)life;
}

/* ---- device code ---- */

typedef struct device_code {
	char *device_code, *user_code, *uri;
	long expires_in, interval;
} device_code;

static void device_free(device_code *d)
{
	ec_wipe_free(d->device_code);
	free(d->user_code);
	free(d->uri);
}

static int device_parse(const ec_http_response *r, device_code *d, ec_error *err)
{
	json_object *root = NULL;
	const char *uri;
	int rc = codec_json_parse(r->body, r->len, &root, err);
	memset(d, 0, sizeof *d);
	if (rc != EC_OK)
		return rc;
	/* AD FS 2019 says verification_url, as Entra's v1 endpoint did. */
	uri = member(root, "verification_uri") ? member(root, "verification_uri")
	                                       : member(root, "verification_url");
	if (!token_chars_ok(member(root, "device_code")) ||
	    !printable(member(root, "user_code"), 64) || !printable(uri, 512) ||
	    (strncmp(uri, "https://", 8) && strncmp(uri, "http://", 7)))
		rc = ec_fail(err, EC_NETWORK,
		             "the device-code answer lacked a code or a verification address; "
		             "check the authority URL");
	if (rc == EC_OK) {
		d->device_code = ec_strdup(member(root, "device_code"));
		d->user_code = ec_strdup(member(root, "user_code"));
		d->uri = ec_strdup(uri);
		d->expires_in = (long)member_int(root, "expires_in", 900);
		d->interval = (long)member_int(root, "interval", 5);
		if (d->expires_in <= 0 || d->expires_in > MAX_POLL_SECONDS)
			d->expires_in = MAX_POLL_SECONDS;
		if (d->interval < 1 || d->interval > MAX_INTERVAL)
			d->interval = 5;
	}
	json_object_put(root);
	return rc;
}

static int device_request(ec_config *cfg, ec_http *http, device_code *d, ec_error *err)
{
	char url[2400], *id = http_escape(cfg->client_id), *aud = audience_param(cfg), *body;
	size_t n = strlen(id) + strlen(aud) + 32;
	ec_http_response r;
	int rc;
	body = ec_xmalloc(n);
	snprintf(body, n, "client_id=%s%s", id, aud);
	free(id);
	free(aud);
	endpoint(cfg, cfg->authority, cfg->tenant, "devicecode", url, sizeof url);
	rc = post_form(http, url, body, &r, err);
	ec_wipe_free(body);
	if (rc == EC_OK && r.status == 404 && adfs(cfg))
		rc = ec_fail(err, EC_NETWORK,
		             "this AD FS does not offer device sign-in (it needs AD FS 2019 or "
		             "later); use auth = adfs with client-secret-file instead");
	else if (rc == EC_OK)
		rc = r.status == 200 ? device_parse(&r, d, err) : auth_token_error(&r, NULL, err);
	response_wipe_free(&r);
	return rc;
}

/* Sleeps s seconds in short slices, so a cancel is seen within 100 ms;
 * true when cancelled. */
static bool sleep_unless_cancelled(long s, const atomic_int *cancel)
{
	for (long slice = 0; slice < s * 10; slice++) {
		struct timespec ts = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
		if (cancel && atomic_load(cancel))
			return true;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	return cancel && atomic_load(cancel);
}

/* The device code ran out before anyone signed in with it. */
static int code_expired(const device_code *d, ec_error *err)
{
	long minutes = (d->expires_in + 59) / 60;
	return ec_fail(err, EC_NETWORK,
	               ngettext("the code expired before anyone signed in with it; run emailcfg "
	                        "login again and finish within %ld minute",
	                        "the code expired before anyone signed in with it; run emailcfg "
	                        "login again and finish within %ld minutes",
	                        (unsigned long)minutes),
	               minutes);
}

/* One poll: EC_OK with t filled, or pending (1), or a failure. */
static int device_poll_once(ec_config *cfg, ec_http *http, const device_code *d, bool *slow,
                            token_answer *t, ec_error *err)
{
	char url[2400], *id = http_escape(cfg->client_id), *code = http_escape(d->device_code),
	                *aud = adfs(cfg) ? audience_param(cfg) : ec_strdup(""), *body, error[128],
	                desc[512];
	size_t n = strlen(id) + strlen(code) + strlen(aud) + 128;
	ec_http_response r;
	long aadsts = 0;
	int rc;
	body = ec_xmalloc(n);
	snprintf(body, n,
	         "grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3Agrant-type%%3Adevice_code"
	         "&client_id=%s&device_code=%s%s",
	         id, code, aud);
	free(id);
	ec_wipe_free(code);
	free(aud);
	endpoint(cfg, cfg->authority, cfg->tenant, "token", url, sizeof url);
	if ((rc = post_form(http, url, body, &r, err)) != EC_OK) {
		ec_wipe_free(body);
		response_wipe_free(&r);
		return rc;
	}
	*slow = false;
	if (r.status == 200) {
		rc = answer_parse(&r, t, err);
	} else if (codec_token_error(r.body, r.len, &aadsts, error, sizeof error, desc,
	                             sizeof desc) == 0 &&
	           (!strcmp(error, "authorization_pending") || !strcmp(error, "slow_down"))) {
		*slow = !strcmp(error, "slow_down");
		rc = 1;
	} else if (!strcmp(error, "expired_token") || !strcmp(error, "code_expired")) {
		rc = code_expired(d, err);
	} else if (!strcmp(error, "access_denied") || !strcmp(error, "authorization_declined")) {
		rc = ec_fail(err, EC_NETWORK,
		             "the sign-in was declined at %s; run emailcfg login again and accept "
		             "to continue",
		             d->uri);
	} else if (!strcmp(error, "bad_verification_code")) {
		rc = ec_fail(err, EC_NETWORK,
		             "the authority no longer knows this code; run emailcfg login again");
	} else {
		rc = auth_token_error(&r, body, err);
	}
	ec_wipe_free(body);
	response_wipe_free(&r);
	return rc;
}

static int device_poll(ec_config *cfg, ec_http *http, const device_code *d,
                       const atomic_int *cancel, token_answer *t, ec_error *err)
{
	time_t deadline = time(NULL) + d->expires_in;
	long interval = d->interval;
	for (;;) {
		bool slow = false;
		int rc;
		/* RFC 8628 3.5: wait the interval before each poll, 5 s more
		 * after every slow_down. */
		if (sleep_unless_cancelled(interval, cancel))
			return ec_fail(err, EC_FAILED, "the sign-in was cancelled");
		rc = device_poll_once(cfg, http, d, &slow, t, err);
		if (rc != 1)
			return rc;
		if (slow && interval < MAX_INTERVAL)
			interval += 5;
		if (time(NULL) >= deadline)
			return code_expired(d, err);
	}
}

static int login_check(const ec_config *cfg, ec_error *err)
{
	int rc = config_require_org(cfg, err);
	if (rc == EC_OK)
		rc = http_check_url(cfg->authority, err);
	if (rc != EC_OK)
		return rc;
	if (!config_auth_is(cfg, "device-code") && !adfs(cfg))
		return ec_fail(err, EC_USAGE,
		               "emailcfg login signs in with auth = device-code or adfs; this "
		               "organization uses auth = %s",
		               cfg->auth);
	if (!cfg->client_id)
		return ec_fail(err, EC_USAGE,
		               "auth = adfs needs client-id: the client identifier of the AD FS "
		               "application group for emailcfg");
	if (adfs(cfg) && (strlen(cfg->authority) < 5 ||
	                  strcmp(cfg->authority + strlen(cfg->authority) - 5, "/adfs")))
		return ec_fail(err, EC_USAGE,
		               "auth = adfs needs authority = https://ADFS-SERVER/adfs (the AD FS "
		               "address ending in /adfs)");
	return EC_OK;
}

/* Entra's defaults for a user's sign-in (config.h). */
static void login_defaults(ec_config *cfg)
{
	if (!cfg->client_id && !adfs(cfg))
		cfg->client_id = ec_strdup(EC_SAMPLE_CLIENT_ID);
	if (!cfg->tenant && !adfs(cfg))
		cfg->tenant = ec_strdup("organizations");
}

struct ec_signin {
	ec_config *cfg;
	ec_http *http;
	device_code d;
};

int signin_prepare(ec_config *cfg, ec_error *err)
{
	login_defaults(cfg);
	return login_check(cfg, err);
}

int signin_start(ec_config *cfg, ec_http *http, ec_signin **out, ec_error *err)
{
	ec_signin *s = ec_xcalloc(1, sizeof *s);
	int rc = device_request(cfg, http, &s->d, err);
	if (rc != EC_OK) {
		free(s);
		return rc;
	}
	s->cfg = cfg;
	s->http = http;
	*out = s;
	return EC_OK;
}

const char *signin_uri(const ec_signin *s)
{
	return s->d.uri;
}

const char *signin_code(const ec_signin *s)
{
	return s->d.user_code;
}

long signin_expires_in(const ec_signin *s)
{
	return s->d.expires_in;
}

/* Keeps the refresh token of t for the organization and its user. */
static int signin_keep(ec_config *cfg, token_answer *t, char **user, ec_error *err)
{
	ec_signin_rec rec = {0};
	int rc;
	if (!t->refresh || !t->user)
		return ec_fail(err, EC_NETWORK,
		               "the sign-in gave no %s; the app registration must allow "
		               "offline_access and openid (public client flows)",
		               t->refresh ? "id_token naming the user" : "refresh token");
	rec.org = cfg->org_url;
	rec.user = t->user;
	rec.auth = cfg->auth;
	rec.authority = cfg->authority;
	rec.tenant = adfs(cfg) ? "" : cfg->tenant;
	rec.client_id = cfg->client_id;
	rec.refresh_token = t->refresh;
	rec.until = refresh_until(t);
	rc = token_store_save(&rec, err);
	if (rc == EC_OK)
		*user = ec_strdup(t->user);
	return rc;
}

int signin_wait(ec_signin *s, const atomic_int *cancel, char **user, ec_error *err)
{
	token_answer t;
	int rc = device_poll(s->cfg, s->http, &s->d, cancel, &t, err);
	if (rc != EC_OK)
		return rc;
	/* Cancelled while the last poll was answered: the admin said no, so
	 * nothing is kept. */
	if (cancel && atomic_load(cancel)) {
		answer_free(&t);
		return ec_fail(err, EC_FAILED, "the sign-in was cancelled");
	}
	rc = signin_keep(s->cfg, &t, user, err);
	answer_free(&t);
	return rc;
}

void signin_free(ec_signin *s)
{
	if (!s)
		return;
	device_free(&s->d);
	free(s);
}

int signin_login(ec_config *cfg, ec_http *http, signin_show_fn show, void *show_ctx, char **user,
                 ec_error *err)
{
	ec_signin *s;
	int rc;
	if ((rc = signin_prepare(cfg, err)) != EC_OK)
		return rc;
	if ((rc = signin_start(cfg, http, &s, err)) != EC_OK)
		return rc;
	show(show_ctx, signin_uri(s), signin_code(s), signin_expires_in(s));
	rc = signin_wait(s, NULL, user, err);
	signin_free(s);
	return rc;
}

/* ---- refresh ---- */

static int refresh_failed(const ec_config *cfg, const ec_signin_rec *rec, const ec_http_response *r,
                          const char *form, ec_error *err)
{
	long aadsts = 0;
	char error[128], desc[512];
	if (codec_token_error(r->body, r->len, &aadsts, error, sizeof error, desc, sizeof desc) ==
	        0 &&
	    !strcmp(error, "invalid_grant"))
		return ec_fail(err, EC_NETWORK,
		               "the sign-in of %s to %s has expired or been revoked (%s%ld); run "
		               "emailcfg login",
		               rec->user, cfg->org_url, aadsts ? "AADSTS" : "error ", aadsts);
	auth_token_error(r, form, err);
	if (!err)
		return EC_NETWORK;
	{
		char msg[sizeof err->msg];
		memcpy(msg, err->msg, sizeof msg);
		msg[sizeof msg - 32] = '\0'; /* room for the advice */
		return ec_fail(err, EC_NETWORK, "%s; or run emailcfg login", msg);
	}
}

static char *refresh_body(const ec_config *cfg, const ec_signin_rec *rec)
{
	char *id = http_escape(rec->client_id), *tok = http_escape(rec->refresh_token),
	     *aud = audience_param(cfg), *body;
	size_t n = strlen(id) + strlen(tok) + strlen(aud) + 64;
	body = ec_xmalloc(n);
	snprintf(body, n, "grant_type=refresh_token&client_id=%s&refresh_token=%s%s", id, tok, aud);
	free(id);
	ec_wipe_free(tok);
	free(aud);
	return body;
}

/* Redeems rec's refresh token; the lock is held. */
static int refresh_locked(ec_config *cfg, ec_http *http, ec_signin_rec *rec, token_answer *t,
                          ec_error *err)
{
	char url[2400], *body;
	ec_http_response r;
	int rc = http_check_url(rec->authority, err);
	/* Redeeming spends the old token: first make sure the new one can be
	 * kept. */
	if (rc == EC_OK)
		rc = token_store_check_room(rec, err);
	if (rc != EC_OK)
		return rc;
	endpoint(cfg, rec->authority, rec->tenant, "token", url, sizeof url);
	body = refresh_body(cfg, rec);
	rc = post_form(http, url, body, &r, err);
	if (rc == EC_OK)
		rc = r.status == 200 ? answer_parse(&r, t, err)
		                     : refresh_failed(cfg, rec, &r, body, err);
	ec_wipe_free(body);
	response_wipe_free(&r);
	if (rc != EC_OK || !t->refresh)
		return rc; /* no rotation: the old refresh token stays */
	ec_wipe_free(rec->refresh_token);
	rec->refresh_token = ec_strdup(t->refresh);
	rec->until = refresh_until(t);
	return token_store_save(rec, err);
}

int signin_refresh(ec_config *cfg, ec_http *http, char **access, long long *expires_in,
                   ec_error *err)
{
	ec_store_lock lock;
	ec_signin_rec rec;
	token_answer t = {0};
	int rc = token_store_lock(cfg->org_url, &lock, err);
	if (rc != EC_OK)
		return rc;
	/* Read under the lock: a process that refreshed meanwhile left the
	 * rotated token, and the one we would have read is spent. */
	rc = token_store_load(cfg->org_url, &rec, err);
	if (rc == EC_FAILED)
		rc = ec_fail(err, EC_NETWORK,
		             "not signed in to %s (auth = %s); run emailcfg login, or configure "
		             "client-secret-file for an app registration",
		             cfg->org_url, cfg->auth);
	if (rc == EC_OK) {
		if (rec.until && time(NULL) >= rec.until)
			rc = ec_fail(err, EC_NETWORK,
			             "the sign-in of %s to %s has expired; run emailcfg login",
			             rec.user, cfg->org_url);
		else
			rc = refresh_locked(cfg, http, &rec, &t, err);
		token_store_rec_free(&rec);
	}
	token_store_unlock(&lock);
	if (rc == EC_OK) {
		*access = t.access;
		*expires_in = t.expires_in;
		t.access = NULL;
	}
	answer_free(&t);
	return rc;
}

int signin_who(const ec_config *cfg, char **user, time_t *until, ec_error *err)
{
	ec_signin_rec rec;
	int rc;
	if (!cfg->org_url)
		return EC_FAILED;
	rc = token_store_load(cfg->org_url, &rec, err);
	if (rc != EC_OK)
		return rc;
	*user = ec_strdup(rec.user);
	*until = rec.until;
	token_store_rec_free(&rec);
	return EC_OK;
}
