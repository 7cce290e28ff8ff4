/* signin.h — signing in as a person, without a browser on this machine:
 * the OAuth 2.0 device authorization grant (RFC 8628) against Microsoft
 * Entra ({authority}/{tenant}/oauth2/v2.0/devicecode, scope
 * {org}/user_impersonation offline_access) or AD FS 2019
 * ({authority}/oauth2/devicecode, resource = the organization URL), the
 * refresh token kept in the sign-in cache (token_store.h), and the silent
 * refresh every later command does under the cache's lock. Access tokens
 * stay in memory; nothing here prints (the code is shown through a
 * callback) or logs a token. Touches the network and the sign-in cache. */
#ifndef EMAILCFG_SIGNIN_H
#define EMAILCFG_SIGNIN_H

#include <stdatomic.h>
#include <time.h>

#include "core/base/config.h"
#include "core/base/error.h"
#include "core/client/http.h"

/* Shows where to sign in and the code to type there (uri and code are
 * straight from the authority: the front end sanitises them). */
typedef void (*signin_show_fn)(void *ctx, const char *uri, const char *code, long expires_s);

/* The same flow in steps, for a front end that must stay responsive (the
 * console runs signin_start and signin_wait on its worker thread):
 * signin_prepare (no network: the defaults for client-id and tenant, and
 * the checks; it may fill cfg, so call it before another thread reads cfg),
 * signin_start (asks for a code), signin_uri / signin_code /
 * signin_expires_in (what to show; straight from the authority, sanitise
 * them), signin_wait (polls until the sign-in is kept, refused or expired;
 * it looks at *cancel, when not NULL, at least every 100 ms between polls
 * and gives EC_FAILED "cancelled" when it is set), signin_free. */
typedef struct ec_signin ec_signin;
int signin_prepare(ec_config *cfg, ec_error *err);
int signin_start(ec_config *cfg, ec_http *http, ec_signin **out, ec_error *err);
const char *signin_uri(const ec_signin *s);
const char *signin_code(const ec_signin *s);
long signin_expires_in(const ec_signin *s);
int signin_wait(ec_signin *s, const atomic_int *cancel, char **user, ec_error *err);
void signin_free(ec_signin *s);

/* Runs the device-code flow to the end: asks for a code, shows it, polls
 * at the interval given (slower after slow_down), and keeps the refresh
 * token for the organization and the user who signed in. *user (caller
 * frees) names that user. EC_NETWORK (exit 4) with a sentence for a
 * declined or expired code and for every refusal. */
int signin_login(ec_config *cfg, ec_http *http, signin_show_fn show, void *show_ctx, char **user,
                 ec_error *err);

/* A fresh access token from the kept refresh token, replacing that refresh
 * token with the rotated one atomically, under the organization's lock so
 * two processes never redeem the same one. *access is wiped and freed by
 * the caller with ec_wipe_free(). EC_NETWORK "run emailcfg login" when
 * there is no sign-in or it has expired or been revoked. */
int signin_refresh(ec_config *cfg, ec_http *http, char **access, long long *expires_in,
                   ec_error *err);

/* Who is signed in to the organization and until when, from the cache
 * alone (no network). Returns EC_OK and fills user (caller frees) and
 * until, or EC_FAILED when nobody is. */
int signin_who(const ec_config *cfg, char **user, time_t *until, ec_error *err);

#endif
