/* cache_release.c — the only ways a cached version or watermark goes down:
 * compare-and-set, each write taking effect only while the cache still
 * holds what the caller read. An organization restored from a backup lists
 * lower versionnumbers and older modifiedon values than the cache holds;
 * everything else that writes them only raises them (the upsert's version
 * guard, cache_watermark_set), so a racing writer never lowers one.
 * Touches the version column of profiles and mailboxes, and sync_state. */
#include "core/cache/cache_int.h"

#include <stdio.h>

int cache_versions_release(ec_cache *c, enum cache_entity entity, const struct cache_listed *rows,
                           long n, long *released, ec_error *err)
{
	char sql[96];
	sqlite3_stmt *st = NULL;
	int status = EC_OK;
	*released = 0;
	if (entity != CACHE_MAILBOXES && entity != CACHE_PROFILES)
		return EC_OK; /* alerts and settings have no version guard */
	if (n == 0)
		return EC_OK;
	/* 0 is "unknown": the upsert takes whatever version comes next. */
	snprintf(sql, sizeof sql, "UPDATE main.%s SET version = 0 WHERE id = ?1 AND version = ?2",
	         cache_entity_name(entity));
	status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	for (long i = 0; i < n && status == EC_OK; i++) {
		cache_bind_text(st, 1, rows[i].id);
		sqlite3_bind_int64(st, 2, rows[i].version);
		status = cache_step_done(c, st, "releasing a version a restore lowered", err);
		if (status == EC_OK)
			*released += sqlite3_changes(c->db);
	}
	sqlite3_finalize(st);
	status = cache_tx_end(c, status, err);
	if (status != EC_OK)
		*released = 0;
	return status;
}

int cache_watermark_release(ec_cache *c, enum cache_entity entity, const char *expected,
                            const char *value, ec_error *err)
{
	static const char sql[] = "UPDATE sync_state SET watermark = ?3 WHERE entity = ?1 AND "
	                          "watermark IS ?2";
	sqlite3_stmt *st;
	int status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, cache_entity_name(entity));
	cache_bind_text(st, 2, expected && *expected ? expected : NULL);
	cache_bind_text(st, 3, value && *value ? value : NULL);
	status = cache_step_done(c, st, "lowering a watermark a restore moved back", err);
	sqlite3_finalize(st);
	return status;
}
