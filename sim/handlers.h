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
void auth_free_all(void);
/* path is what follows /_sim/ */
void control_handle(struct request *q, struct reply *r, const char *path);
void ews_handle(struct request *q, struct reply *r);

#endif
