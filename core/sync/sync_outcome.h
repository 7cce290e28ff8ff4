/* sync_outcome.h — what the last syncs came to, kept in the cache's meta so
 * `emailcfg check` and `emailcfg metrics` can tell the age of the last
 * successful sync, the last one's duration and how many failed: the time of
 * the last attempt and of the last success (Unix seconds), the duration of
 * the last attempt (milliseconds) and a counter of failed syncs. A sync
 * succeeds when every entity was pulled (rows not read fully are stored
 * marked, and queued edits that conflict or fail are the outbox's, not the
 * sync's). Only numbers are written: never a secret. */
#ifndef EMAILCFG_SYNC_OUTCOME_H
#define EMAILCFG_SYNC_OUTCOME_H

#include <stdbool.h>

#include "core/cache/cache.h"
#include "core/sync/session.h"

typedef struct sync_outcome {
	long long last_attempt, last_success; /* Unix seconds; 0: never */
	long long duration_ms;                /* of the last attempt; -1: never */
	long long errors;                     /* failed syncs, ever */
} sync_outcome;

/* A monotonic clock in milliseconds: when a sync starts. */
long long sync_outcome_clock_ms(void);

/* Records one sync of session s that started at started_ms
 * (sync_outcome_clock_ms) and succeeded or not; an offline session
 * attempted nothing and records nothing. Best effort: a cache that cannot
 * be written keeps what it had, and the sync's own result stands. */
void sync_outcome_record(const ec_session *s, long long started_ms, bool success);

/* Reads what the syncs recorded (zeroes, duration -1, for a cache that was
 * never synced by this version). */
int sync_outcome_read(ec_cache *c, sync_outcome *out, ec_error *err);

/* When the last successful sync ended (Unix seconds): o's, or for a cache
 * last synced by an emailcfg that did not record outcomes the latest
 * completed pull (ec_status_counts.last_sync, "YYYY-MM-DDTHH:MM:SSZ"); 0
 * when neither is known. */
long long sync_outcome_success_time(const sync_outcome *o, const char *last_pull);

#endif
