/* prefer.h — the Prefer request header (RFC 7240 as Dataverse uses it):
 * odata.include-annotations, odata.maxpagesize and return=representation,
 * comma-joined in one header or spread over several; and the
 * Preference-Applied value echoing the ones honoured. */
#ifndef SIM_PREFER_H
#define SIM_PREFER_H

#include <stdbool.h>

#include "json_out.h"

struct prefer {
	struct annotations an;
	char annotations_raw[512]; /* the include-annotations value as sent, "" if absent */
	long maxpagesize;          /* 0 when absent or invalid */
	bool return_representation;
};

void prefer_parse(const char *header, struct prefer *p);

#endif
