/* snapshot.h — a copy of the whole store, and putting it back: how tests
 * play an organization restored from a backup (its rows as they were, its
 * version counter back where it was, so versionnumbers go down). Restoring
 * also expires every change-tracking token (track.h). Callers hold
 * sim_lock. */
#ifndef SIM_SNAPSHOT_H
#define SIM_SNAPSHOT_H

#include <stdbool.h>

/* Replaces the snapshot with a copy of the store as it is now. */
void snapshot_take(void);
/* The store becomes the snapshot again (which stays, for another restore);
 * false when none was taken. */
bool snapshot_restore(void);
void snapshot_free(void);

#endif
