/* cache_org.c — one cache, one organization. A cache records the URL and id
 * of the organization it was first synced from (meta keys org_url and
 * organization_id) and refuses ever to store another organization's rows:
 * two organizations in one file would mix their mailboxes, and a queued edit
 * of one could be pushed to the other. A cache from before URLs were
 * recorded has the id only; it gets the URL once the organization's id is
 * confirmed. Writes the meta table only. */
#include "core/cache/cache_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/config.h"

/* url: the organization the cache records, NULL when it records its id
 * only. */
static int refuse(ec_cache *c, const char *url, const char *id, const char *other_url,
                  const char *other_id, ec_error *err)
{
	return ec_fail(err, EC_LOCAL,
	               "the cache %s belongs to the organization %s%s(id %s), not to %s (id %s); "
	               "give that one a cache of its own with --cache FILE",
	               c->path, url ? url : "", url ? " " : "", id && *id ? id : "?",
	               other_url ? other_url : "?", other_id && *other_id ? other_id : "?");
}

int cache_bind_org(ec_cache *c, const char *url, ec_error *err)
{
	char *bound = NULL, *id = NULL;
	int status = cache_meta_get(c, "org_url", &bound, err);
	if (status == EC_OK && bound && !config_url_same(bound, url)) {
		cache_meta_get(c, "organization_id", &id, NULL);
		status = refuse(c, bound, id, url, NULL, err);
	}
	if (status == EC_OK) {
		free(c->org_url);
		c->org_url = ec_strdup(url);
	}
	free(bound);
	free(id);
	return status;
}

/* Whether the organization recorded (bound_url, bound_id) is another than
 * the one being stored; what is not known on either side does not differ. */
static bool other_org(const ec_cache *c, const char *bound_url, const char *bound_id,
                      const char *id)
{
	if (bound_url && c->org_url && !config_url_same(bound_url, c->org_url))
		return true;
	return bound_id && *bound_id && id && *id && strcasecmp(bound_id, id) != 0;
}

int cache_org_claim(ec_cache *c, const char *id, ec_error *err)
{
	char *bound_url = NULL, *bound_id = NULL;
	int status = cache_meta_get(c, "org_url", &bound_url, err);
	if (status == EC_OK)
		status = cache_meta_get(c, "organization_id", &bound_id, err);
	if (status == EC_OK && other_org(c, bound_url, bound_id, id))
		status = refuse(c, bound_url, bound_id, c->org_url, id, err);
	if (status == EC_OK && !bound_url && c->org_url)
		status = cache_meta_set(c, "org_url", c->org_url, err);
	if (status == EC_OK && !(bound_id && *bound_id) && id && *id)
		status = cache_meta_set(c, "organization_id", id, err);
	free(bound_url);
	free(bound_id);
	return status;
}

/* Whether the cache holds any organization's rows or edits. */
static int holds_rows(ec_cache *c, bool *rows, ec_error *err)
{
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c,
	                               "SELECT EXISTS (SELECT 1 FROM settings) OR EXISTS (SELECT 1 "
	                               "FROM profiles) OR EXISTS (SELECT 1 FROM mailboxes) OR "
	                               "EXISTS (SELECT 1 FROM alerts) OR EXISTS (SELECT 1 FROM "
	                               "outbox)",
	                               &st, err);
	*rows = false;
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*rows = sqlite3_column_int(st, 0) != 0;
	else
		status = cache_fail_rc(c, rc, err, "reading the cache");
	sqlite3_finalize(st);
	return status;
}

int cache_org_pending(ec_cache *c, bool *pending, bool *need_id, ec_error *err)
{
	char *url = NULL, *id = NULL;
	int status = cache_meta_get(c, "org_url", &url, err);
	if (status == EC_OK)
		status = cache_meta_get(c, "organization_id", &id, err);
	*pending = status == EC_OK && !url;
	*need_id = *pending && id && *id;
	/* An empty cache has nothing to mix up: its first settings bind it. */
	if (status == EC_OK && *pending && !*need_id)
		status = holds_rows(c, pending, err);
	free(url);
	free(id);
	return status;
}

int cache_org_confirm(ec_cache *c, const char *id, ec_error *err)
{
	int status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_org_claim(c, id, err);
	return cache_tx_end(c, status, err);
}
