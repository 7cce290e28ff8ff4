/* auth.c — bearer tokens in memory by the organization's auth mode (see
 * auth.h); the device-code refresh is signin.c's. */
#include "core/client/auth.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/codec/codec.h"
#include "core/base/ini.h"
#include "core/model/model.h"
#include "core/client/kerberos.h"
#include "core/client/scrub.h"
#include "core/client/signin.h"

/* A token the organization says lives longer than a day is renewed after a
 * day all the same: the clamp keeps the renewal time from overflowing. */
#define TOKEN_MAX_SECONDS 86400
#define TOKEN_MIN_SECONDS 60

struct ec_auth {
	ec_config *cfg;
	ec_http *http;
	char *header;        /* "Authorization: Bearer <token>" */
	time_t renew_at;     /* fetch a new token from this time on */
	int fetched;         /* how many tokens were fetched (for 401 handling) */
	bool windows;        /* auth = windows is set up on the HTTP handle */
	bool negotiate;      /* ... with Kerberos (Negotiate) among its methods */
	char ccache[96];     /* the MEMORY: cache of a kinit with the password, or "" */
	time_t krb_renew_at; /* ... which is got anew from this time on */
	bool renewing;       /* ... and is being got anew: read the password again */
	char hint[640];      /* auth_hint_401()'s sentence */
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
    {700082, "the sign-in has expired after 90 days without use (AADSTS700082); run "
             "emailcfg login"},
    {50173, "the sign-in was revoked, for example by a password change (AADSTS50173); run "
            "emailcfg login"},
    {70008, "the sign-in has expired (AADSTS70008); run emailcfg login"},
    {65001, "nobody has consented to the app for this organization (AADSTS65001); have a "
            "Microsoft Entra admin grant consent, or set client-id to your own public "
            "client app registration"},
};

/* AD FS says MSISnnnn where Entra says AADSTSnnnnnnn. */
static const struct {
	long code;
	const char *text;
} msis[] = {
    {9607, "AD FS knows no client with this client-id (MSIS9607); check client-id against the "
           "AD FS application group for emailcfg"},
    {9622, "AD FS refused the client secret (MSIS9622); check client-secret-file against the "
           "application group's server application"},
    {9605, "AD FS does not let this client reach the organization (MSIS9605); add the "
           "organization URL as an identifier of the application group's Web API, and "
           "grant the client access to it"},
};

const char *auth_explain_msis(long code)
{
	for (size_t i = 0; i < sizeof msis / sizeof msis[0]; i++)
		if (msis[i].code == code)
			return msis[i].text;
	return NULL;
}

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
	kerberos_forget(a->ccache);
	free(a);
}

/* A bearer token is base64url and dots (RFC 6750's b64token): a line break
 * in it would become a header line of its own in every request. */
static bool token_shape_ok(const char *token)
{
	if (!*token)
		return false;
	for (const char *p = token; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-._~+/=", *p))
			return false;
	return true;
}

/* expires_in = 0 means a given token, never renewed (only after a 401). */
static void set_token(ec_auth *a, const char *token, long long expires_in)
{
	size_t n = strlen(token) + 32;
	wipe_header(a);
	a->header = ec_xmalloc(n);
	snprintf(a->header, n, "Authorization: Bearer %s", token);
	if (expires_in == 0) {
		a->renew_at = (time_t)-1;
		return;
	}
	if (expires_in < TOKEN_MIN_SECONDS)
		expires_in = TOKEN_MIN_SECONDS;
	if (expires_in > TOKEN_MAX_SECONDS)
		expires_in = TOKEN_MAX_SECONDS;
	/* Renew a little early: at 90 % of the lifetime, at most 5 min early. */
	a->renew_at =
	    time(NULL) + (time_t)(expires_in - (expires_in / 10 < 300 ? expires_in / 10 : 300));
}

/* Entra: scope = {org}/.default; AD FS: resource = {org}. */
static char *token_body(ec_config *cfg, const char *secret, bool adfs)
{
	char *id = http_escape(cfg->client_id), *sec = http_escape(secret), *scope, *body;
	size_t n;
	{
		char buf[2048];
		snprintf(buf, sizeof buf, "%s%s", cfg->org_url, adfs ? "" : "/.default");
		scope = http_escape(buf);
	}
	n = strlen(id) + strlen(sec) + strlen(scope) + 96;
	body = ec_xmalloc(n);
	snprintf(body, n, "grant_type=client_credentials&client_id=%s&client_secret=%s&%s=%s", id,
	         sec, adfs ? "resource" : "scope", scope);
	ec_wipe_free(sec);
	free(id);
	free(scope);
	return body;
}

static long msis_code(const char *desc)
{
	const char *p = strstr(desc, "MSIS");
	return p ? strtol(p + 4, NULL, 10) : 0;
}

/* The server's own words, hidden again once decoded: JSON may have
 * written a secret's characters as \u escapes the first pass did not see. */
static int fail_scrubbed(const char *error, const char *desc, const char *form, ec_error *err)
{
	char *e = scrub_form_secrets(error, form), *d = scrub_form_secrets(desc, form);
	int rc = ec_fail(err, EC_NETWORK, "sign-in refused (%s): %s", e, d);
	ec_wipe_free(e);
	ec_wipe_free(d);
	return rc;
}

int auth_token_error(const ec_http_response *r, const char *form, ec_error *err)
{
	long code = 0;
	char error[128], desc[512];
	const char *text;
	/* Hidden before the words are cut to size: a cut secret would show
	 * its first half. */
	char *body = scrub_form_secrets(r->body, form);
	int parsed =
	    codec_token_error(body, strlen(body), &code, error, sizeof error, desc, sizeof desc);
	ec_wipe_free(body);
	if (parsed != 0)
		return ec_fail(err, EC_NETWORK,
		               "sign-in failed with HTTP %ld and no error details; "
		               "check the authority and tenant",
		               r->status);
	text = code ? auth_explain_aadsts(code) : auth_explain_msis(msis_code(desc));
	if (text)
		return ec_fail(err, EC_NETWORK, "sign-in refused: %s", text);
	return fail_scrubbed(error, desc, form, err);
}

static int parse_token(const ec_http_response *r, ec_auth *a, ec_error *err)
{
	json_object *root = NULL, *tok, *exp;
	long long expires_in = 3599;
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
	if (!token_shape_ok(json_object_get_string(tok)))
		rc = ec_fail(err, EC_NETWORK,
		             "the sign-in answer's access_token holds characters a token never "
		             "has (line breaks, spaces); check the authority URL");
	if (json_object_object_get_ex(root, "expires_in", &exp))
		expires_in = json_object_get_int64(exp);
	if (rc == EC_OK)
		set_token(a, json_object_get_string(tok), expires_in > 0 ? expires_in : 1);
	ec_wipe((char *)json_object_get_string(tok), (size_t)json_object_get_string_len(tok));
	json_object_put(root);
	if (rc == EC_OK)
		a->fetched++;
	return rc;
}

/* The tenant goes into the token URL's path: only a GUID or a domain name
 * ("contoso.onmicrosoft.com"), so "../x" or "x?y" cannot move the POST
 * that carries the secret. */
static bool tenant_shape_ok(const char *t)
{
	size_t label = 0, n = strlen(t);
	if (n == 0 || n > 253)
		return false;
	for (const char *p = t; *p; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*p) || (*p == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && t[n - 1] != '-';
}

static int fetch_token(ec_auth *a, ec_error *err)
{
	ec_config *cfg = a->cfg;
	bool adfs = config_auth_is(cfg, "adfs");
	const char *secret;
	const char *hdrs[] = {"Content-Type: application/x-www-form-urlencoded",
	                      "Accept: application/json", NULL};
	char url[2048], *body;
	ec_http_response r;
	int rc;
	if ((!cfg->tenant && !adfs) || !cfg->client_id)
		return ec_fail(err, EC_LOCAL,
		               "no %s for sign-in; set it in the config, set "
		               "EMAILCFG_%s, or give a token in EMAILCFG_TOKEN",
		               cfg->tenant ? "client-id" : "tenant",
		               cfg->tenant ? "CLIENT_ID" : "TENANT");
	if (!adfs && !tenant_shape_ok(cfg->tenant))
		return ec_fail(err, EC_LOCAL,
		               "the tenant is neither a GUID nor a domain name; check the tenant "
		               "setting or EMAILCFG_TENANT");
	if ((rc = config_secret(cfg, &secret, err)) != EC_OK)
		return rc;
	if (adfs)
		snprintf(url, sizeof url, "%s/oauth2/token", cfg->authority);
	else
		snprintf(url, sizeof url, "%s/%s/oauth2/v2.0/token", cfg->authority, cfg->tenant);
	body = token_body(cfg, secret, adfs);
	rc = http_request_capped(a->http, "POST", url, hdrs, body, AUTH_MAX_ANSWER, &r, err);
	if (rc == EC_OK)
		rc = r.status == 200 ? parse_token(&r, a, err) : auth_token_error(&r, body, err);
	ec_wipe_free(body);
	if (r.body) /* it holds the token */
		ec_wipe(r.body, r.len);
	http_response_free(&r);
	return rc;
}

/* A secret configured wins over a defaulted device-code (the demo and the
 * environment may give one after the configuration was read). */
static bool uses_secret(const ec_config *cfg)
{
	bool secret = cfg->client_secret || cfg->secret_file;
	if (config_auth_is(cfg, "client-secret"))
		return true;
	if (config_auth_is(cfg, "adfs"))
		return secret;
	return config_auth_is(cfg, "device-code") && !cfg->auth_given && secret;
}

/* The user's sign-in: a refresh token redeemed for an access token. */
static int refresh_token(ec_auth *a, ec_error *err)
{
	char *access = NULL;
	long long expires_in = 0;
	int rc = signin_refresh(a->cfg, a->http, &access, &expires_in, err);
	if (rc != EC_OK)
		return rc;
	set_token(a, access, expires_in > 0 ? expires_in : 1);
	ec_wipe_free(access);
	a->fetched++;
	return EC_OK;
}

#define USERNAME_MAX 256

/* username for auth = windows: DOMAIN\user, user@REALM or a bare user,
 * each part non-empty, one separator, no control characters, at most
 * USERNAME_MAX bytes. Checked before anything is sent with it: a
 * malformed name would otherwise reach the KDC or the server and come
 * back as a refused password (and count toward a lockout). */
static const char *username_problem(const char *u)
{
	const char *bs = strchr(u, '\\'), *at = strrchr(u, '@');
	size_t n = strlen(u);
	if (n == 0 || n > USERNAME_MAX)
		return n ? "it is longer than 256 bytes" : "it is empty";
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "it holds a control character";
	if (bs && (bs == u || !bs[1]))
		return bs == u ? "the domain before \\ is empty" : "the user after \\ is empty";
	if (bs && (strchr(bs + 1, '\\') || at))
		return "it has more than one of \\ and @";
	if (at && (at == u || !at[1]))
		return at == u ? "the user before @ is empty" : "the realm after @ is empty";
	return NULL;
}

static int username_check(const char *u, ec_error *err)
{
	const char *why = username_problem(u);
	if (!why)
		return EC_OK;
	/* Never shown: a name with control characters would reach the screen. */
	return ec_fail(err, EC_LOCAL,
	               "username is not a Windows account name (%s); give it as DOMAIN\\user "
	               "(NTLM) or user@REALM (Kerberos), at most %d bytes, in the config or "
	               "EMAILCFG_USERNAME",
	               why, USERNAME_MAX);
}

/* auth = windows: no token, libcurl signs each request in. A password
 * only from the 0600 password-file, never a flag. With username =
 * user@REALM the password gets a Kerberos ticket here (libcurl cannot give
 * Negotiate a password), NTLM when the realm has no KDC to ask; with
 * DOMAIN\user it signs in by NTLM, so a ticket of someone else's kinit is
 * never used in its place; without a password, Kerberos from the ticket
 * cache. */
static int windows_signin(ec_auth *a, const char *password, ec_error *err)
{
	ec_config *cfg = a->cfg;
	int rc;
	if (password && !cfg->username)
		return ec_fail(err, EC_LOCAL,
		               "password-file %s is set but no username; set username = "
		               "user@DOMAIN (Kerberos) or DOMAIN\\user (NTLM) in the config or "
		               "EMAILCFG_USERNAME",
		               cfg->password_file);
	a->negotiate = !password;
	if (password && kerberos_is_principal(cfg->username)) {
		time_t now = time(NULL), ends = now;
		rc = kerberos_kinit(cfg->username, password, cfg->password_file, a->ccache,
		                    sizeof a->ccache, &ends, err);
		if (rc == KERBEROS_FAILED)
			return err ? (int)err->status : EC_NETWORK;
		a->negotiate = rc == KERBEROS_OK;
		/* Before it ends: 5 minutes early, or half way for a short one. */
		a->krb_renew_at = ends - (ends - now > 600 ? 300 : (ends - now) / 2);
	}
	http_set_windows_auth(a->http, cfg->username, password, a->negotiate, password != NULL,
	                      a->ccache[0] ? a->ccache : NULL);
	a->windows = true;
	a->renewing = false;
	return EC_OK;
}

/* The password as read at start, or, for a renewal, read again: the
 * admin may have changed it (and the file) since. */
static int windows_setup(ec_auth *a, ec_error *err)
{
	ec_config *cfg = a->cfg;
	const char *password = NULL;
	char *again = NULL;
	int rc = cfg->username ? username_check(cfg->username, err) : EC_OK;
	if (rc == EC_OK && a->renewing)
		rc = config_password_again(cfg, &again, err);
	else if (rc == EC_OK)
		rc = config_password(cfg, &password, err);
	if (rc == EC_OK)
		rc = windows_signin(a, again ? again : password, err);
	ec_wipe_free(again);
	return rc;
}

/* The password's ticket is about to end (a console open all day): forget
 * it, so the next request gets a new one. Open connections stay signed
 * in; a new connection needs a live ticket. */
static void windows_renew(ec_auth *a)
{
	kerberos_forget(a->ccache);
	a->ccache[0] = '\0';
	a->windows = false;
	a->renewing = true;
}

static int fetch_any(ec_auth *a, ec_error *err)
{
	if (config_auth_is(a->cfg, "windows"))
		return windows_setup(a, err);
	if (!a->cfg->auth || uses_secret(a->cfg))
		return fetch_token(a, err);
	return refresh_token(a, err);
}

int auth_header(ec_auth *a, const char **header, ec_error *err)
{
	int rc;
	if (config_auth_is(a->cfg, "windows") && !a->cfg->token) {
		if (a->windows && a->ccache[0] && time(NULL) >= a->krb_renew_at)
			windows_renew(a);
		if (!a->windows && (rc = windows_setup(a, err)) != EC_OK)
			return rc;
		*header = NULL; /* libcurl adds Authorization itself */
		return EC_OK;
	}
	if (!a->header && a->cfg->token) {
		if (!token_shape_ok(a->cfg->token))
			return ec_fail(err, EC_LOCAL,
			               "EMAILCFG_TOKEN holds characters a bearer token never has "
			               "(line breaks, spaces); set it to the token alone");
		set_token(a, a->cfg->token, 0);
	} else if (!a->header || (a->renew_at != (time_t)-1 && time(NULL) >= a->renew_at)) {
		if ((rc = fetch_any(a, err)) != EC_OK)
			return rc;
	}
	*header = a->header;
	return EC_OK;
}

/* After Kerberos was refused: what the KDC says about our ticket for
 * HTTP/<server>, or, when a ticket can be had, that the server itself
 * refused the account. */
static const char *windows_kerberos_hint(ec_auth *a)
{
	char *host = config_url_host(a->cfg->org_url);
	char why[512];
	if (kerberos_diagnose(a->ccache[0] ? a->ccache : NULL, host ? host : "", why, sizeof why))
		snprintf(a->hint, sizeof a->hint, "Windows sign-in was refused: %s", why);
	else
		snprintf(
		    a->hint, sizeof a->hint,
		    "Windows sign-in was refused: the server did not accept a valid Kerberos "
		    "ticket for HTTP/%s; check that the account is a domain account with a CRM "
		    "security role, and that the SPN is registered on the account that runs "
		    "the CRM web site",
		    host ? host : "");
	free(host);
	return a->hint;
}

/* The server does not offer the way auth signs in: say which ways it
 * offers and what to set; NULL when it offers ours (or says nothing). */
static const char *mismatch_hint(ec_auth *a, const ec_http_response *r)
{
	char names[96];
	unsigned offered = http_auth_offered(r, names, sizeof names);
	bool windows = config_auth_is(a->cfg, "windows") && !a->cfg->token;
	unsigned win = HTTP_AUTH_NEGOTIATE | HTTP_AUTH_NTLM;
	if (!offered)
		return NULL;
	if (!windows && !(offered & HTTP_AUTH_BEARER) && (offered & win))
		snprintf(a->hint, sizeof a->hint,
		         "the server offers %s, not a bearer token: set auth = windows (with "
		         "username and password-file, or a ticket from kinit)",
		         names);
	else if (windows && !(offered & win))
		snprintf(a->hint, sizeof a->hint,
		         "the server offers %s, not Windows authentication: set auth = "
		         "client-secret, device-code or adfs",
		         names);
	else if (windows && a->windows && !a->negotiate && !(offered & HTTP_AUTH_NTLM))
		snprintf(a->hint, sizeof a->hint,
		         "the server offers %s, not NTLM: set username = user@REALM for "
		         "Kerberos (with password-file, or a ticket from kinit)",
		         names);
	else
		return NULL;
	return a->hint;
}

const char *auth_hint_401(ec_auth *a, const ec_http_response *r)
{
	const char *mismatch = mismatch_hint(a, r);
	if (mismatch)
		return mismatch;
	if (!config_auth_is(a->cfg, "windows") || a->cfg->token)
		return "check that the app is an application user with a security role in this "
		       "environment";
	if (a->windows && a->negotiate)
		return windows_kerberos_hint(a);
	return "Windows sign-in was refused: check the password in password-file and that "
	       "username (DOMAIN\\user) is a domain account with a CRM security role";
}

int auth_invalidate(ec_auth *a)
{
	/* libcurl's handshake already ran its rounds: another try would fail
	 * the same way (and lock out the account sooner). */
	if (a->cfg->token || a->windows)
		return 0;
	wipe_header(a);
	return 1;
}
