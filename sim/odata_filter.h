/* odata_filter.h — the OData $filter subset Dataverse accepts for these
 * tables: eq ne gt ge lt le, and or not, parentheses, contains / startswith /
 * endswith, null true false, integers, quoted strings ('' escapes a quote),
 * unquoted GUIDs and ISO dates, and a bare boolean column. Parsed once per
 * request against a column table, then evaluated per row. */
#ifndef SIM_ODATA_FILTER_H
#define SIM_ODATA_FILTER_H

#include <stdbool.h>

#include "store.h"

struct filter;

/* NULL with err filled (400) on a syntax, property or type error. */
struct filter *filter_parse(const struct entity *e, const char *text, struct sim_err *err);
bool filter_eval(const struct filter *f, const struct row *r);
void filter_free(struct filter *f);

#endif
