/* hostile.h — answers of a hostile or broken server, for the tests of the
 * client's bounds, switched on through /_sim/config: a page after the first
 * naming itself as the next page (a nextLink loop), nextLinks on another
 * origin, collection pages flooded with copies of one row (streamed, so any
 * size costs the emulator nothing), and Retry-After as an HTTP date. Callers
 * hold sim_lock, except for the flood's reader, which owns its copy. */
#ifndef SIM_HOSTILE_H
#define SIM_HOSTILE_H

#include <stdbool.h>

#include "buf.h"
#include "http.h"

struct MHD_Response;

/* The origin nextLinks start with: next_link_base when set, else base_url. */
const char *hostile_link_base(void);

/* With next_link_repeat and a request for a later page (skiptoken is
 * true), appends the request's own URL as its nextLink and returns true. */
bool hostile_next_link(const struct request *q, bool skiptoken, struct buf *link);

/* With flood_rows set, makes r a flooded page (status flood_status, or
 * 200) and returns true. */
bool hostile_flood(struct reply *r);
/* The streamed response of a flooded reply (its rows taken from r). */
struct MHD_Response *hostile_flood_response(struct reply *r);

/* Retry-After: seconds from now, in seconds or (retry_after_date) as an
 * HTTP date. */
void hostile_retry_after(struct reply *r, long seconds);

#endif
