/* cookie.h — the Dataverse $skiptoken paging cookie (docs/dataverse.md,
 * "Paging"): an outer <cookie pagenumber=.. pagingcookie=.. istracking="False" />
 * whose pagingcookie attribute holds the URL-encoded inner cookie
 * <cookie page="N"><col last=".." first=".." />...</cookie> with the order
 * columns and, last, the primary key as {UPPER-CASE-GUID}. */
#ifndef SIM_COOKIE_H
#define SIM_COOKIE_H

#include "query.h"

/* Appends the encoded $skiptoken value (ready to put in a URL) that resumes
 * after last; first is the first row of the page, page its number. */
void cookie_encode(struct buf *b, const struct query *q, long page, const struct row *first,
                   const struct row *last);
/* Parses a $skiptoken value already percent-decoded once. */
bool cookie_decode(const struct query *q, const char *text, struct cookie *out,
                   struct sim_err *err);
void cookie_free(const struct query *q, struct cookie *c);

#endif
