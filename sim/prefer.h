/* prefer.h — the Prefer request header (RFC 7240 as Dataverse uses it):
 * odata.include-annotations, odata.maxpagesize, return=representation and
 * odata.track-changes,
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
	bool track_changes; /* odata.track-changes (track.h) */
};

void prefer_parse(const char *header, struct prefer *p);

#endif
