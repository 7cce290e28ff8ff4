/* json_out.h — writes rows as Dataverse JSON: @odata.etag, the selected
 * columns in order, the primary key, and the annotations the client asked
 * for with Prefer: odata.include-annotations.
 *
 * A page writes thousands of rows with the same columns and annotations, so
 * the text that depends only on those (every "name": key, every annotation
 * key, a choice's whole "label",value pair, a lookup's navigation and
 * logical-name annotations) is built once into a row plan, and a row is then
 * copied fragment by fragment into space reserved for it in one step. */
#ifndef SIM_JSON_OUT_H
#define SIM_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>

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

/* A piece of a row plan's text: offset and length in row_plan.text. */
struct frag {
	uint32_t off, len;
};

/* One column of the output, in output order (see json_out.c). */
struct plan_col {
	int col;
	bool sep;           /* a ',' goes before it */
	bool quoted;        /* a number written as a JSON string (quote_column) */
	struct frag key;    /* "name": */
	struct frag fv_key; /* "name@OData.Community.Display.V1.FormattedValue": */
	int first, n;       /* choices: plan choices [first, first+n); lookups: targets */
};

/* A choice or boolean value and its whole text, FormattedValue included. */
struct plan_choice {
	int64_t value;
	struct frag text;
};

struct row_plan {
	const struct entity *e;
	bool formatted;
	struct buf text; /* every fragment, back to back */
	struct plan_col cols[129];
	int ncols;
	struct plan_choice *choices; /* per choice or boolean column, its options */
	int nchoices;
	struct frag *targets; /* per lookup column and target: its annotations */
	int ntargets;
	size_t fixed_max; /* the most a row can take, strings aside */
};

/* Every readable column of e, in table order. */
void projection_all(const struct entity *e, struct projection *p);
/* "(a,b,c)" for @odata.context, or "" when everything is selected. */
void projection_context(const struct entity *e, const struct projection *p, bool all,
                        struct buf *b);
/* Prepares the fragments of rows of e with these columns and annotations. */
void row_plan_init(struct row_plan *rp, const struct entity *e, const struct projection *p,
                   const struct annotations *an);
/* Asks the processor for what row_plan_write will read of r: with
 * strings false its values (r itself a few rows ahead), with strings true
 * the text of its string values (once the values have arrived). */
void row_plan_prefetch(const struct row_plan *rp, const struct row *r, bool strings);
/* Appends {"@odata.etag":..., ...} for r; context (may be NULL) is written
 * first as "@odata.context". */
void row_plan_write(const struct row_plan *rp, struct buf *b, const struct row *r,
                    const char *context);
void row_plan_free(struct row_plan *rp);
/* One row without a prepared plan (a single GET, a PATCH, the control
 * endpoint): the same text as row_plan_write. */
void json_out_row(struct buf *b, const struct entity *e, const struct row *r,
                  const struct projection *p, const struct annotations *an, const char *context);
/* Appends {"error":{"code":..,"message":..}}. */
void json_out_error(struct buf *b, const char *code, const char *message);

#endif
