/* sync.h — `emailcfg sync` and the console's refresh: push the outbox, then
 * pull settings, server profiles, mailboxes and alerts into the cache.
 * After the first full pull, mailboxes and alerts are pulled incrementally
 * by their modifiedon watermark (minus an overlap for clock skew); a full
 * pull also removes rows the organization no longer has. Each page is one
 * transaction, and a watermark advances only when its pull completed, so an
 * interrupted sync leaves the cache consistent and the next one catches
 * up. Progress goes to the session's sink. */
#ifndef EMAILCFG_SYNC_H
#define EMAILCFG_SYNC_H

#include <stdbool.h>

#include "core/session.h"

typedef struct ec_sync_stats {
	long mailboxes, profiles, alerts; /* rows pulled */
	long removed;                     /* rows a full pull removed */
	long pushed, conflicts, failed;   /* outbox entries */
	long skipped;                     /* rows emailcfg could not read */
	char skipped_why[1024];           /* why the first one was skipped */
} ec_sync_stats;

/* The overlap an incremental pull re-reads before its watermark. */
#define SYNC_OVERLAP_SECONDS 300

int sync_run(ec_session *s, bool full, ec_sync_stats *stats, ec_error *err);

/* The pull alone (the console's live refresh when nothing is queued). */
int sync_pull(ec_session *s, bool full, ec_sync_stats *stats, ec_error *err);

#endif
