/* json_out.h — writes rows as Dataverse JSON: @odata.etag, the selected
 * columns in order, the primary key, and the annotations the client asked
 * for with Prefer: odata.include-annotations. */
#ifndef SIM_JSON_OUT_H
#define SIM_JSON_OUT_H

#include <stdbool.h>

#include "buf.h"
#include "store.h"

struct annotations {
	bool formatted; /* OData.Community.Display.V1.FormattedValue */
	bool logical;   /* Microsoft.Dynamics.CRM.lookuplogicalname */
	bool nav;       /* Microsoft.Dynamics.CRM.associatednavigationproperty */
};

struct projection {
	int cols[128]; /* selected column indexes, in $select order */
	int ncols;     /* 0: every readable column */
	bool all;
};

/* Every readable column of e, in table order. */
void projection_all(const struct entity *e, struct projection *p);
/* "(a,b,c)" for @odata.context, or "" when everything is selected. */
void projection_context(const struct entity *e, const struct projection *p, bool all,
                        struct buf *b);
/* Writes {"@odata.etag":..., ...}; context (may be NULL) is written first as
 * "@odata.context". */
void json_out_row(struct buf *b, const struct entity *e, const struct row *r,
                  const struct projection *p, const struct annotations *an, const char *context);
/* Appends {"error":{"code":..,"message":..}}. */
void json_out_error(struct buf *b, const char *code, const char *message);

#endif
