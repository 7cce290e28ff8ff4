/* sync_track.c — following a delta link (see sync_track.h). Touches the
 * cache's meta table (delta_link.<entity>) and the network; the rows it
 * gathers go back to sync.c. */
#include "core/base/i18n.h"
#include "core/sync/sync_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codec/codec.h"
#include "core/sync/sync.h"

static void track_key(enum cache_entity entity, char *key, size_t size)
{
	snprintf(key, size, "delta_link.%s", cache_entity_name(entity));
}

static void delta_add_deleted(sync_delta *d, const char *id)
{
	if (d->ndeleted == d->cap_deleted) {
		d->cap_deleted = d->cap_deleted ? d->cap_deleted * 2 : 64;
		d->deleted = ec_xrealloc(d->deleted, (size_t)d->cap_deleted * EC_ID_SIZE);
	}
	memcpy(d->deleted[d->ndeleted++], id, EC_ID_SIZE);
}

static struct cache_listed *delta_add_changed(sync_delta *d)
{
	if (d->nchanged == d->cap_changed) {
		if (d->cap_changed >= SYNC_LISTING_MAX)
			return NULL;
		d->cap_changed = d->cap_changed ? d->cap_changed * 2 : 256;
		d->changed = ec_xrealloc(d->changed, (size_t)d->cap_changed * sizeof *d->changed);
	}
	return memset(&d->changed[d->nchanged++], 0, sizeof *d->changed);
}

/* The normalized GUID of member name, or "" when it is not one. */
static void member_id(const dv_row *row, const char *name, char id[EC_ID_SIZE])
{
	dv_value v;
	id[0] = '\0';
	if (dv_row_get(row, name, &v) && v.type == json_type_string)
		codec_guid_normalize(v.str, id);
}

/* A deleted row: {"@odata.context":"...$deletedEntity","id":..,"reason":..}
 * (OData 4.0 JSON delta format; reason "deleted" or "changed" — either way
 * the row is no longer among those the read returns). */
static bool deleted_entry(const dv_row *row)
{
	dv_value v;
	if (dv_row_get(row, "@odata.context", &v) && v.type == json_type_string &&
	    strstr(v.str, "$deletedEntity"))
		return true;
	return dv_row_get(row, "reason", &v) && dv_row_get(row, "id", &v);
}

static int take_entry(void *ctx, const dv_row *row, ec_error *err)
{
	sync_delta *d = ctx;
	struct cache_listed *l;
	char id[EC_ID_SIZE];
	if (deleted_entry(row)) {
		member_id(row, "id", id);
		if (id[0])
			delta_add_deleted(d, id);
		else
			d->no_id++;
		return EC_OK;
	}
	member_id(row, d->id_column, id);
	if (!id[0]) {
		d->no_id++;
		return EC_OK;
	}
	if (!(l = delta_add_changed(d)))
		return ec_fail(err, EC_NETWORK,
		               "the organization's change list held over %ld rows; refused it, "
		               "check that --org is a Dataverse environment",
		               (long)SYNC_LISTING_MAX);
	memcpy(l->id, id, EC_ID_SIZE);
	sync_versions_read_row(row, l);
	return EC_OK;
}

/* Pages are gathered whole before anything is stored, so a page read
 * again (or a failed one) only needs its entries forgotten. */
typedef struct delta_page {
	sync_delta *d;
	long changed_at, deleted_at, no_id_at;
} delta_page;

static int page_begin(void *ctx, ec_error *err)
{
	delta_page *pg = ctx;
	pg->changed_at = pg->d->nchanged;
	pg->deleted_at = pg->d->ndeleted;
	pg->no_id_at = pg->d->no_id;
	(void)err;
	return EC_OK;
}

static int page_row(void *ctx, const dv_row *row, ec_error *err)
{
	return take_entry(((delta_page *)ctx)->d, row, err);
}

static int page_end(void *ctx, long total, ec_error *err)
{
	(void)ctx;
	(void)total;
	(void)err;
	return EC_OK;
}

static void page_abort(void *ctx)
{
	delta_page *pg = ctx;
	pg->d->nchanged = pg->changed_at;
	pg->d->ndeleted = pg->deleted_at;
	pg->d->no_id = pg->no_id_at;
}

static const dv_rows_fns delta_fns = {page_begin, page_row, page_end, page_abort};

static int drop_link(ec_session *s, enum cache_entity entity, ec_error *err)
{
	char key[64];
	track_key(entity, key, sizeof key);
	return cache_meta_set(s->cache, key, NULL, err);
}

int sync_track_read(ec_session *s, enum cache_entity entity, const char *id_column, sync_delta *d,
                    ec_error *err)
{
	char key[64], *link = NULL;
	delta_page pg = {d, 0, 0, 0};
	ec_error why = {0};
	int rc;
	memset(d, 0, sizeof *d);
	d->id_column = id_column;
	track_key(entity, key, sizeof key);
	rc = cache_meta_get(s->cache, key, &link, err);
	if (rc != EC_OK || !link) {
		free(link);
		return rc == EC_OK ? SYNC_TRACK_NONE : rc;
	}
	rc = dv_follow_delta(s->dv, link, &delta_fns, &pg, &d->next, &why);
	free(link);
	if (rc == DV_DELTA_REFUSED) {
		ec_emitf(&s->sink, EV_NOTICE, "sync",
		         _("the organization no longer takes the change list of %s (%s); reading "
		           "every version instead"),
		         cache_entity_name(entity), why.msg);
		sync_delta_free(d);
		rc = drop_link(s, entity, err);
		return rc == EC_OK ? SYNC_TRACK_NONE : rc;
	}
	if (rc != EC_OK) {
		*err = why;
		return rc;
	}
	/* An entry without a readable id could be any row: the version
	 * listing reads them all and names that one by its name and place. */
	if (d->no_id > 0) {
		sync_delta_free(d);
		return SYNC_TRACK_NONE;
	}
	return EC_OK;
}

static int compare_listed_id(const void *a, const void *b)
{
	return strcmp(a, ((const struct cache_listed *)b)->id);
}

void sync_track_diff(sync_delta *d, const struct cache_listed *cached, long ncached,
                     sync_diff *diff)
{
	sync_diff all;
	cache_listed_sort(d->changed, d->nchanged);
	sync_versions_compare(d->changed, d->nchanged, cached, ncached, &all);
	free(all.missing); /* every cached row the change list did not name */
	all.missing = ec_xcalloc((size_t)d->ndeleted + 1, EC_ID_SIZE);
	all.nmissing = 0;
	for (long i = 0; i < d->ndeleted; i++)
		if (d->nchanged == 0 || !bsearch(d->deleted[i], d->changed, (size_t)d->nchanged,
		                                 sizeof *d->changed, compare_listed_id))
			memcpy(all.missing[all.nmissing++], d->deleted[i], EC_ID_SIZE);
	*diff = all;
}

/* A link with what looks like a credential in it is not kept: the cache
 * holds no secret. */
static bool link_storable(const char *link)
{
	static const char *const words[] = {"access_token", "client_secret", "password="};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		for (const char *p = link; *p; p++)
			if (strncasecmp(p, words[i], strlen(words[i])) == 0)
				return false;
	return true;
}

int sync_track_store(ec_session *s, enum cache_entity entity, const dv_track *t, ec_error *err)
{
	char key[64];
	if (!t->delta_link || !link_storable(t->delta_link))
		return drop_link(s, entity, err);
	track_key(entity, key, sizeof key);
	return cache_meta_set(s->cache, key, t->delta_link, err);
}

void sync_delta_free(sync_delta *d)
{
	free(d->changed);
	free(d->deleted);
	free(d->next.delta_link);
	memset(d, 0, sizeof *d);
}
