/* snapshot.c — the store's backup and restore (see snapshot.h). Touches
 * the store's tables and version counter, and the tracking epoch. */
#include "snapshot.h"

#include <stdint.h>
#include <stdlib.h>

#include "store.h"
#include "track.h"

static struct {
	bool taken;
	struct row **rows[E_COUNT];
	size_t n[E_COUNT];
	int64_t version;
} snap;

void snapshot_free(void)
{
	for (int t = 0; t < E_COUNT; t++) {
		for (size_t i = 0; i < snap.n[t]; i++)
			store_row_free(schema_entities[t], snap.rows[t][i]);
		free(snap.rows[t]);
		snap.rows[t] = NULL;
		snap.n[t] = 0;
	}
	snap.taken = false;
}

void snapshot_take(void)
{
	snapshot_free();
	for (int t = 0; t < E_COUNT; t++) {
		const struct table *tb = &store_tables[t];
		snap.rows[t] = calloc(tb->n ? tb->n : 1, sizeof *snap.rows[t]);
		if (!snap.rows[t])
			abort();
		for (size_t i = 0; i < tb->n; i++)
			snap.rows[t][i] = store_row_copy(tb->e, tb->rows[i]);
		snap.n[t] = tb->n;
	}
	snap.version = store_version_now();
	snap.taken = true;
}

bool snapshot_restore(void)
{
	if (!snap.taken)
		return false;
	for (int t = 0; t < E_COUNT; t++) {
		struct table *tb = &store_tables[t];
		for (size_t i = 0; i < tb->n; i++)
			store_row_free(tb->e, tb->rows[i]);
		tb->n = 0;
		for (size_t i = 0; i < snap.n[t]; i++)
			store_append((enum entity_id)t, store_row_copy(tb->e, snap.rows[t][i]));
		store_sort((enum entity_id)t);
	}
	store_version_reset(snap.version);
	track_expire();
	return true;
}
