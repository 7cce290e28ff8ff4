/* api.h — helpers shared by the Web API handlers (api.c, patch.c). */
#ifndef SIM_API_H
#define SIM_API_H

#include "http.h"
#include "prefer.h"
#include "query.h"

/* PATCH <set>(<id>): validates and applies the body (patch.c). */
void patch_handle(struct request *q, struct reply *r, const struct entity *e, const struct guid *id,
                  const struct prefer *pf);
/* Writes one row with @odata.context "<root>/$metadata#<set>(<cols>)/$entity". */
void api_reply_row(struct reply *r, int status, const struct query *qy, const struct row *row,
                   const struct prefer *pf);
/* "<logical> With Id = <id> Does Not Exist" (404, 0x80040217). */
void api_not_found(struct reply *r, const struct entity *e, const struct guid *id);

#endif
