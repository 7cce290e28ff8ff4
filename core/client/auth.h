/* auth.h — the bearer token for the Web API, by the organization's auth
 * mode: OAuth 2.0 client credentials against
 * <authority>/<tenant>/oauth2/v2.0/token with scope <org>/.default
 * (client-secret), or against an AD FS <authority>/oauth2/token with
 * resource = <org> (adfs with a secret); a device-code sign-in's refresh
 * token (device-code, adfs without a secret; signin.h); or a token given in
 * EMAILCFG_TOKEN; or none with auth = windows (libcurl's Negotiate/NTLM
 * with the ticket cache or username + password-file; a password for
 * user@REALM gets its Kerberos ticket in kerberos.c). The token lives in
 * memory only, is renewed before it expires, and once more after a 401.
 * Sign-in errors (AADSTS codes) become one sentence saying what to fix,
 * with status EC_NETWORK (exit 4). */
#ifndef EMAILCFG_AUTH_H
#define EMAILCFG_AUTH_H

#include <time.h>

#include "core/base/config.h"
#include "core/base/error.h"
#include "core/client/http.h"

typedef struct ec_auth ec_auth;

/* The largest answer a sign-in endpoint (token, device code) may send:
 * they are a few KB, so anything near the general page bound is broken or
 * hostile and is refused as it arrives. */
#define AUTH_MAX_ANSWER ((size_t)64 * 1024)

/* Borrows cfg and http; both must outlive the ec_auth. */
ec_auth *auth_new(ec_config *cfg, ec_http *http);
void auth_free(ec_auth *a);

/* The "Authorization: Bearer …" header line, fetching or renewing the token
 * when needed. The string belongs to a and changes on renewal. With auth =
 * windows it is NULL: libcurl signs the request in itself (Negotiate or
 * NTLM, http_set_windows_auth), set up here on the first call. */
int auth_header(ec_auth *a, const char **header, ec_error *err);

/* Forget the token (after a 401) so the next auth_header() fetches anew.
 * Returns false when the token cannot be renewed (a given token). */
int auth_invalidate(ec_auth *a);

/* What to check after the 401 r from the Web API, by the auth mode: when
 * the server offers no way the configured auth signs in, which ways it
 * offers and what to set ("set auth = windows"); with
 * Kerberos, why it failed (kerberos_diagnose(), which may ask the KDC).
 * The string belongs to a until the next call. */
const char *auth_hint_401(ec_auth *a, const ec_http_response *r);

/* The failure for a token endpoint's error answer: one sentence from the
 * AADSTS or MSIS code, else the server's own words; EC_NETWORK. form is the
 * form the request posted (or NULL): every secret it carried is hidden
 * from those words, for a server may quote the request back. */
int auth_token_error(const ec_http_response *r, const char *form, ec_error *err);

/* The sentence for an MSIS code (AD FS, e.g. 9622 -> wrong secret), or NULL. */
const char *auth_explain_msis(long code);

/* The sentence for an AADSTS code (e.g. 7000215 -> wrong secret), or NULL. */
const char *auth_explain_aadsts(long code);

#endif
