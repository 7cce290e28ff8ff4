/* sync.h — `emailcfg sync` and the console's refresh: push the outbox, then
 * pull settings, server profiles, mailboxes and alerts into the cache.
 * After the first full pull, mailboxes and alerts are pulled incrementally:
 * the id, versionnumber and modifiedon of every row are listed (paged, no
 * annotations), compared with the cache, and only new or changed rows are
 * read, by id when they are few; rows the cache holds at the listed version
 * are never read again. When the organization tracks changes, a kept delta
 * link replaces the listing (sync_track.h); a version that differs from the
 * cached one, lower too (a restored organization), is a change. Every pull,
 * full or not, then removes the rows the
 * organization no longer has (a full pull lists every id with its rows).
 * Nothing is removed when that listing failed or had a row without a
 * readable id.
 *
 * Pages are read row by row as they arrive (dv_list_rows) and stored a
 * batch at a time, so a page never sits in memory whole.
 *
 * A row emailcfg cannot read fully never stops the sync and is never
 * removed by it: an option value newer than this emailcfg is stored as its
 * number, text with invalid UTF-8 with U+FFFD in place of the bad bytes,
 * and a row it cannot read at all keeps its cached values; each is marked
 * in the cache (the row's unreadable column) and reported, one notice a row
 * (at most SYNC_REPORT_LINES, then "and N more"), and the sync ends with
 * EC_FAILED. A row without a readable id is reported by its name and
 * place. A marked row already stored at its version is not read again, so
 * not reported again (status counts the marked rows).
 *
 * Each page is one transaction, and a watermark advances only when its
 * pull completed, so an interrupted sync leaves the cache consistent and
 * the next one catches up. Progress goes to the session's sink. */
#ifndef EMAILCFG_SYNC_H
#define EMAILCFG_SYNC_H

#include <stdbool.h>

#include "core/sync/session.h"

typedef struct ec_sync_stats {
	long mailboxes, profiles, alerts; /* rows stored (with a mark or not) */
	long unreadable;                  /* rows not read fully (stored marked or kept) */
	long removed;                     /* rows the organization no longer has */
	bool removals_skipped;            /* a listing without a readable id */
	long deferred;                    /* changed rows left for the next sync */
	long pushed, conflicts, failed;   /* outbox entries */
	bool pulled;                      /* every entity was pulled (sync_outcome.h) */
} ec_sync_stats;

/* Changed rows an incremental pull reads by id (SYNC_IDS_PER_REQUEST ids a
 * request); more are read as every row modified since the oldest of them. */
#define SYNC_BY_ID_MAX       1000
#define SYNC_IDS_PER_REQUEST 40
/* The page cache of the sync's connection while it runs. */
#define SYNC_PAGE_CACHE_KIB 4096
/* Rows stored with one prepared statement. */
#define SYNC_BATCH 256
/* The most rows a version listing may have (about 72 bytes each in memory,
 * twice a Dataverse environment's largest tables). */
#define SYNC_LISTING_MAX 4000000L
/* The most rows a sync reports one line each. */
#define SYNC_REPORT_LINES 10

int sync_run(ec_session *s, bool full, ec_sync_stats *stats, ec_error *err);

/* The pull alone (the console's live refresh when nothing is queued). */
int sync_pull(ec_session *s, bool full, ec_sync_stats *stats, ec_error *err);

#endif
