/* track.h — change tracking as Dataverse offers it (Prefer:
 * odata.track-changes): which entity sets offer it, the log of deleted rows,
 * and delta tokens. A token is "<version>!<epoch>": a delta request returns
 * the rows whose versionnumber is above the token's version and the rows
 * deleted after it ($deletedEntity entries). Expiring the tokens, or
 * restoring a snapshot, moves the epoch: every older token is then refused
 * with 400 0x80044352, as Dataverse refuses an expired one. Every version
 * comes from the store's one counter, so it orders every change. Callers
 * hold sim_lock. */
#ifndef SIM_TRACK_H
#define SIM_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "http.h"
#include "prefer.h"
#include "query.h"
#include "schema.h"
#include "store.h"

/* Every set tracks changes unless EMAILCFG_SIM_NO_TRACK=1. */
void track_init(void);
void track_free(void);
bool track_enabled(enum entity_id t);
/* Forgets every delete and refuses every token given out so far. */
void track_expire(void);
/* Called by store_delete(): the row's id, at a new version. */
void track_note_delete(enum entity_id t, const struct guid *id);

/* What a GET of a collection does about tracking. */
struct track_req {
	bool applied;  /* tracked: Preference-Applied, a deltaLink on the last page */
	bool delta;    /* a $deltatoken request: changes only, context "/$delta" */
	int64_t since; /* delta: the token's version */
	int64_t mark;  /* the version the next token carries (the first page's) */
	bool marked;   /* mark came from the request (a later page) */
};

/* Reads $deltatoken and the tracking preference; a delta request gets its
 * filter (versionnumber above the token's). False with err set when the
 * token is expired or the request cannot be tracked. */
bool track_query(const struct request *q, const struct prefer *pf, struct query *qy,
                 struct track_req *tr, struct sim_err *err);
/* A tracked page's nextLink carries the first page's version. */
void track_next_link(const struct track_req *tr, struct buf *link);
/* The last page of a delta: the deleted rows' entries, each after a comma
 * unless it is the first of "value". */
void track_put_deleted(struct buf *b, const struct entity *e, const struct track_req *tr,
                       bool first);
/* The last page of a tracked read: ,"@odata.deltaLink":"...". */
void track_put_delta_link(struct buf *b, const struct request *q, const struct track_req *tr);

/* Control: {"enabled":{"mailboxes":true,...},"epoch":N,"deleted":N}. */
void track_state_json(struct buf *b);
/* Control: sets tracking on or off, per set name or for all ("all"). */
bool track_set(const char *set, bool on);

#endif
