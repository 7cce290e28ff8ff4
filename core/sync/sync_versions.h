/* sync_versions.h — the compare of an incremental sync: the organization's
 * version listing against what the cache holds, both in memory and sorted by
 * id, in one merge (no temporary table, no join). Pure memory; knows nothing
 * of the network or of SQLite. */
#ifndef EMAILCFG_SYNC_VERSIONS_H
#define EMAILCFG_SYNC_VERSIONS_H

#include "core/cache/cache.h"

/* Sorts a listing by id (strcmp order, the cache's). */
void sync_versions_sort(struct cache_listed *rows, long n);

typedef struct sync_diff {
	char (*changed)[EC_ID_SIZE]; /* listed rows the cache lacks or holds older, sorted */
	long nchanged;
	char oldest[EC_TIME_SIZE];   /* the smallest modifiedon of them ("" when none has one) */
	char (*missing)[EC_ID_SIZE]; /* cached rows the listing does not have */
	long nmissing;
} sync_diff;

/* Compares the sorted listing with the sorted cached rows. A listed row is
 * changed when the cache lacks it, holds an older version, or (a version
 * missing on either side) another modifiedon; an id listed twice counts
 * once. Free with sync_diff_free(). */
void sync_versions_compare(const struct cache_listed *listed, long nlisted,
                           const struct cache_listed *cached, long ncached, sync_diff *d);
void sync_diff_free(sync_diff *d);

#endif
