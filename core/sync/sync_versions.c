/* sync_versions.c — the in-memory compare of an incremental sync (see
 * sync_versions.h). Touches only the arrays it is given and the diff it
 * fills. */
#include "core/sync/sync_versions.h"

#include <stdlib.h>
#include <string.h>

#include "core/model/model.h"

static int compare_listed(const void *a, const void *b)
{
	return strcmp(((const struct cache_listed *)a)->id, ((const struct cache_listed *)b)->id);
}

void sync_versions_sort(struct cache_listed *rows, long n)
{
	if (n > 1)
		qsort(rows, (size_t)n, sizeof *rows, compare_listed);
}

/* Whether the cache's row m is behind the listed row l: the version when
 * both have one, else the modifiedon. */
static bool row_changed(const struct cache_listed *l, const struct cache_listed *m)
{
	if (!m)
		return true;
	if (l->version > 0 && m->version > 0)
		return l->version > m->version;
	return strcmp(l->modified_on, m->modified_on) != 0;
}

static void note_changed(sync_diff *d, const struct cache_listed *l)
{
	if (d->nchanged > 0 && strcmp(d->changed[d->nchanged - 1], l->id) == 0)
		return; /* listed twice: once is enough */
	memcpy(d->changed[d->nchanged++], l->id, EC_ID_SIZE);
	if (l->modified_on[0] && (!d->oldest[0] || strcmp(l->modified_on, d->oldest) < 0))
		memcpy(d->oldest, l->modified_on, EC_TIME_SIZE);
}

void sync_versions_compare(const struct cache_listed *listed, long nlisted,
                           const struct cache_listed *cached, long ncached, sync_diff *d)
{
	long i = 0, j = 0;
	memset(d, 0, sizeof *d);
	d->changed = ec_xcalloc((size_t)nlisted + 1, EC_ID_SIZE);
	d->missing = ec_xcalloc((size_t)ncached + 1, EC_ID_SIZE);
	while (i < nlisted || j < ncached) {
		int cmp = i == nlisted ? 1 : j == ncached ? -1 : strcmp(listed[i].id, cached[j].id);
		if (cmp < 0) {
			note_changed(d, &listed[i++]);
		} else if (cmp > 0) {
			memcpy(d->missing[d->nmissing++], cached[j++].id, EC_ID_SIZE);
		} else {
			/* Every listing of this id is compared with the one cached row. */
			for (; i < nlisted && strcmp(listed[i].id, cached[j].id) == 0; i++)
				if (row_changed(&listed[i], &cached[j]))
					note_changed(d, &listed[i]);
			j++;
		}
	}
}

void sync_diff_free(sync_diff *d)
{
	free(d->changed);
	free(d->missing);
	memset(d, 0, sizeof *d);
}
