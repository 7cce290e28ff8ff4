/* sync_outcome.c — records each sync's time, duration and success in the
 * cache's meta and reads them back (sync_outcome.h). Touches only the meta
 * keys below. */
#include "core/sync/sync_outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/base/timefmt.h"

#define META_ATTEMPT  "sync.last_attempt"
#define META_SUCCESS  "sync.last_success"
#define META_DURATION "sync.last_duration_ms"
#define META_ERRORS   "sync.errors"

long long sync_outcome_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The number under key, or fallback when it is unset or not a number. */
static long long meta_get_number(ec_cache *c, const char *key, long long fallback, ec_error *err,
                                 int *rc)
{
	char *v = NULL, *end;
	long long n = fallback;
	if (*rc == EC_OK)
		*rc = cache_meta_get(c, key, &v, err);
	if (v) {
		n = strtoll(v, &end, 10);
		if (*end || end == v)
			n = fallback;
	}
	free(v);
	return n;
}

static int meta_set_number(ec_cache *c, const char *key, long long n, ec_error *err)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", n);
	return cache_meta_set(c, key, buf, err);
}

void sync_outcome_record(const ec_session *s, long long started_ms, bool success)
{
	ec_error err = {0};
	ec_cache *c = s->cache;
	long long now = (long long)time(NULL), errors;
	int rc;
	if (!s->dv)
		return;
	rc = cache_transaction_begin(c, &err);
	/* One transaction: the counter is read and written by one sync at a
	 * time, and the four keys always describe the same sync. */
	errors = meta_get_number(c, META_ERRORS, 0, &err, &rc);
	if (rc == EC_OK)
		rc = meta_set_number(c, META_ATTEMPT, now, &err);
	if (rc == EC_OK)
		rc = meta_set_number(c, META_DURATION, sync_outcome_clock_ms() - started_ms, &err);
	if (rc == EC_OK)
		rc = success ? meta_set_number(c, META_SUCCESS, now, &err)
		             : meta_set_number(c, META_ERRORS, errors + 1, &err);
	if (rc == EC_OK)
		rc = cache_transaction_commit(c, &err);
	else
		cache_transaction_rollback(c, &err); /* none of it stays */
	ec_error_clear(&err);
}

int sync_outcome_read(ec_cache *c, sync_outcome *out, ec_error *err)
{
	int rc = EC_OK;
	out->last_attempt = meta_get_number(c, META_ATTEMPT, 0, err, &rc);
	out->last_success = meta_get_number(c, META_SUCCESS, 0, err, &rc);
	out->duration_ms = meta_get_number(c, META_DURATION, -1, err, &rc);
	out->errors = meta_get_number(c, META_ERRORS, 0, err, &rc);
	return rc;
}

long long sync_outcome_success_time(const sync_outcome *o, const char *last_pull)
{
	time_t t;
	if (o->last_success > 0 || !last_pull || !last_pull[0])
		return o->last_success;
	return timefmt_parse_utc(last_pull, &t) ? (long long)t : 0;
}
