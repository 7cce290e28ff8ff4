/* sync_track.h — the change-tracking pass of an incremental sync. The
 * first pull of an entity (its full read, or a version listing) asks the
 * organization to track changes (Prefer: odata.track-changes); when it
 * does, the last page's @odata.deltaLink is kept in the cache's meta table
 * (key delta_link.<entity>). The next incremental pull GETs that link and
 * gets only the rows changed since, with the deleted ones ($deletedEntity
 * entries), and a new link. When the organization refuses the link (an
 * expired token: 400 0x80044352, tracking turned off: any 4xx), it is
 * dropped and the pull starts over with a version listing, which asks for
 * a new link; one notice line says so. Talks to the network through
 * dataverse.h and to the cache's meta table; storing rows is sync.c's. */
#ifndef EMAILCFG_SYNC_TRACK_H
#define EMAILCFG_SYNC_TRACK_H

#include "core/client/dataverse.h"
#include "core/sync/session.h"
#include "core/sync/sync_versions.h"

/* What a delta link returned. */
typedef struct sync_delta {
	struct cache_listed *changed; /* id, version, modifiedon of each changed row */
	long nchanged, cap_changed;
	char (*deleted)[EC_ID_SIZE];
	long ndeleted, cap_deleted;
	long no_id;    /* entries without a readable id */
	dv_track next; /* the link for the next pull */
	const char *id_column;
} sync_delta;

/* sync_track_read(): no link stored, or the organization refused it. */
#define SYNC_TRACK_NONE 100

/* Follows the entity's stored delta link into d (freed with
 * sync_delta_free() in every case). SYNC_TRACK_NONE when there is no link,
 * or the organization refused it (then it is dropped, and a notice says
 * the pull reads the version listing instead), or an entry had no readable
 * id (the listing then reports that row by its name). */
int sync_track_read(ec_session *s, enum cache_entity entity, const char *id_column, sync_delta *d,
                    ec_error *err);

/* The diff an incremental pull fetches and removes by: the changed rows
 * compared with the cached ones (sorted by id, cache_versions_read()) as a
 * version listing is, so a row already stored at its version (an edit of
 * ours, pushed) is not read again; and the deleted ids that were not also
 * listed as changed (a row created again with its id). */
void sync_track_diff(sync_delta *d, const struct cache_listed *cached, long ncached,
                     sync_diff *diff);

/* After a pull completed: t's link becomes the entity's, or the stored one
 * is dropped when t has none (the organization did not track the read). A
 * link that looks like it holds a credential is never stored. */
int sync_track_store(ec_session *s, enum cache_entity entity, const dv_track *t, ec_error *err);

void sync_delta_free(sync_delta *d);

#endif
