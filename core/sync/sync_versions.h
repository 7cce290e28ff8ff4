/* sync_versions.h — the compare of an incremental sync: the organization's
 * version listing against what the cache holds, both in memory and sorted by
 * id, in one merge (no temporary table, no join); and the version and
 * modifiedon of a listed row. Pure memory; knows nothing of the network or
 * of SQLite. */
#ifndef EMAILCFG_SYNC_VERSIONS_H
#define EMAILCFG_SYNC_VERSIONS_H

#include <json-c/json.h>

#include "core/cache/cache.h"
#include "core/codec/dv_row.h"

typedef struct sync_diff {
	char (*changed)[EC_ID_SIZE]; /* listed rows the cache lacks or holds older, sorted */
	long nchanged;
	char oldest[EC_TIME_SIZE];   /* the smallest modifiedon of them ("" when none has one) */
	char (*missing)[EC_ID_SIZE]; /* cached rows the listing does not have */
	long nmissing;
	/* Changed rows the cache holds at a higher version than listed (an
	 * organization restored from a backup): their cached id and version,
	 * for cache_versions_release(). */
	struct cache_listed *lowered;
	long nlowered;
} sync_diff;

/* Compares the sorted listing with the sorted cached rows. A listed row is
 * changed when the cache lacks it or holds another version or modifiedon
 * (not only an older one: a restore lowers them); a cached version of 0 is
 * unknown, so changed too. An id listed twice counts once. Free with
 * sync_diff_free(). */
void sync_versions_compare(const struct cache_listed *listed, long nlisted,
                           const struct cache_listed *cached, long ncached, sync_diff *d);
void sync_diff_free(sync_diff *d);

/* The versionnumber (0 when none) and normalized modifiedon ("" when none
 * or unreadable) of a listed row into l; its id is the caller's. */
void sync_versions_read_row(const dv_row *row, struct cache_listed *l);

#endif
