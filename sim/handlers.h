/* handlers.h — the entry points http.c dispatches to, one per URL space:
 * the Web API (api.c), the token endpoint (auth.c), the control endpoints
 * (control.c) and the EWS stand-in (ews.c). Each runs with sim_lock held and
 * fills the reply. */
#ifndef SIM_HANDLERS_H
#define SIM_HANDLERS_H

#include "http.h"

/* path is what follows /api/data/v9.2/ */
void api_handle(struct request *q, struct reply *r, const char *path);
/* tenant is the first path segment of /<tenant>/oauth2/v2.0/token */
void auth_token(struct request *q, struct reply *r, const char *tenant, size_t tenant_len);
/* true when the request carries a valid bearer token; else fills a 401 */
bool auth_check(struct request *q, struct reply *r);
void auth_expire_all(void);
/* A new access token the Web API accepts (caller frees). */
char *auth_issue_access(void);
void auth_base64url(struct buf *b, const unsigned char *p, size_t n);
/* An Entra error body: {"error":..,"error_description":"AADSTS<code>: ..",..}. */
void aad_error(struct reply *r, int status, const char *error, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* signin.c: device codes, refresh tokens and AD FS (docs in signin.c). */
bool signin_grant_known(const char *grant);
/* Whether the request's body asks for a user's grant. */
bool signin_user_grant(const struct request *q);
bool auth_tenant_ok(const char *tenant, size_t len, bool user);
void signin_grant(struct request *q, struct reply *r, const char *grant, bool adfs);
void signin_devicecode(struct request *q, struct reply *r, const char *tenant, size_t tenant_len,
                       bool adfs);
void signin_adfs_token(struct request *q, struct reply *r);
void signin_control(struct request *q, struct reply *r, const char *path);
void signin_free_all(void);
void auth_free_all(void);
/* path is what follows /_sim/ */
void control_handle(struct request *q, struct reply *r, const char *path);
void ews_handle(struct request *q, struct reply *r);

#endif
