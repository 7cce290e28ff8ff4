/* sync_versions.c — the in-memory compare of an incremental sync (see
 * sync_versions.h). Touches only the arrays it is given and the diff it
 * fills. */
#include "core/sync/sync_versions.h"

#include <stdlib.h>
#include <string.h>

#include "core/codec/codec.h"
#include "core/model/model.h"

/* Whether the cache's row m differs from the listed row l: another
 * version, or another modifiedon. Not "older": an organization restored
 * from a backup lists lower versions, and a version reused after it is
 * told apart by its modifiedon. */
static bool row_changed(const struct cache_listed *l, const struct cache_listed *m)
{
	if (!m)
		return true;
	if (l->version > 0 && l->version != m->version)
		return true;
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

/* A changed row whose cached version is above the listed one. */
static void note_lowered(sync_diff *d, const struct cache_listed *l, const struct cache_listed *m)
{
	long n = d->nlowered;
	if (l->version <= 0 || m->version <= l->version ||
	    (n > 0 && strcmp(d->lowered[n - 1].id, m->id) == 0))
		return;
	/* Rare (a restore): grown by doubling from 16. */
	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0))
		d->lowered = ec_xrealloc(d->lowered, (size_t)(n ? 2 * n : 16) * sizeof *d->lowered);
	d->lowered[d->nlowered++] = *m;
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
				if (row_changed(&listed[i], &cached[j])) {
					note_changed(d, &listed[i]);
					note_lowered(d, &listed[i], &cached[j]);
				}
			j++;
		}
	}
}

void sync_versions_read_row(const dv_row *row, struct cache_listed *l)
{
	dv_value v;
	if (dv_row_get(row, "versionnumber", &v) &&
	    (v.type == json_type_int || v.type == json_type_string))
		l->version = dv_value_int64(&v);
	if (!dv_row_get(row, "modifiedon", &v) || v.type != json_type_string ||
	    codec_time_normalize(v.str, l->modified_on) != 0)
		l->modified_on[0] = '\0';
}

void sync_diff_free(sync_diff *d)
{
	free(d->changed);
	free(d->missing);
	free(d->lowered);
	memset(d, 0, sizeof *d);
}
