/* sync.c — pulling the organization into the cache (see sync.h). */
#include "core/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codec.h"
#include "core/outbox.h"

/* A pull of one entity set, page by page. */
typedef struct pull {
	ec_session *s;
	enum cache_entity entity;
	const char *label;
	long done;
	char newest[EC_TIME_SIZE]; /* the largest modifiedon seen */
} pull;

static void note_newest(pull *p, const char *modified_on)
{
	if (modified_on[0] && strcmp(modified_on, p->newest) > 0)
		snprintf(p->newest, sizeof p->newest, "%s", modified_on);
}

static void progress(pull *p, long total)
{
	ec_event ev = {EV_PROGRESS, "sync", p->label, p->done, total, 0};
	ec_emit(&p->s->sink, &ev);
}

static int page_mailboxes(void *ctx, json_object *rows, long total, ec_error *err)
{
	pull *p = ctx;
	int n = (int)json_object_array_length(rows), rc = EC_OK;
	ec_mailbox *m = ec_xcalloc((unsigned long)n + 1, sizeof *m);
	const char **raw = ec_xcalloc((unsigned long)n + 1, sizeof *raw);
	for (int i = 0; i < n; i++)
		mailbox_init(&m[i]);
	for (int i = 0; i < n && rc == EC_OK; i++) {
		json_object *row = json_object_array_get_idx(rows, (size_t)i);
		rc = codec_mailbox_from_json(row, &m[i], err);
		raw[i] = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN);
		note_newest(p, m[i].modified_on);
	}
	if (rc == EC_OK)
		rc = cache_put_mailboxes(p->s->cache, m, raw, n, err);
	for (int i = 0; i < n; i++)
		mailbox_free(&m[i]);
	free(m);
	free(raw);
	p->done += n;
	progress(p, total);
	return rc;
}

static int page_profiles(void *ctx, json_object *rows, long total, ec_error *err)
{
	pull *p = ctx;
	int n = (int)json_object_array_length(rows), rc = EC_OK;
	ec_profile *pr = ec_xcalloc((unsigned long)n + 1, sizeof *pr);
	const char **raw = ec_xcalloc((unsigned long)n + 1, sizeof *raw);
	for (int i = 0; i < n; i++)
		profile_init(&pr[i]);
	for (int i = 0; i < n && rc == EC_OK; i++) {
		json_object *row = json_object_array_get_idx(rows, (size_t)i);
		rc = codec_profile_from_json(row, &pr[i], err);
		raw[i] = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN);
	}
	if (rc == EC_OK)
		rc = cache_put_profiles(p->s->cache, pr, raw, n, err);
	for (int i = 0; i < n; i++)
		profile_free(&pr[i]);
	free(pr);
	free(raw);
	p->done += n;
	progress(p, total);
	return rc;
}

static int page_alerts(void *ctx, json_object *rows, long total, ec_error *err)
{
	pull *p = ctx;
	int n = (int)json_object_array_length(rows), rc = EC_OK;
	ec_alert *a = ec_xcalloc((unsigned long)n + 1, sizeof *a);
	for (int i = 0; i < n; i++)
		alert_init(&a[i]);
	for (int i = 0; i < n && rc == EC_OK; i++) {
		rc = codec_alert_from_json(json_object_array_get_idx(rows, (size_t)i), &a[i], err);
		note_newest(p, a[i].modified_on);
	}
	if (rc == EC_OK)
		rc = cache_put_alerts(p->s->cache, a, n, err);
	for (int i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	p->done += n;
	progress(p, total);
	return rc;
}

static int page_settings(void *ctx, json_object *rows, long total, ec_error *err)
{
	pull *p = ctx;
	ec_settings st;
	json_object *row = json_object_array_get_idx(rows, 0);
	int rc;
	(void)total;
	if (!row)
		return ec_fail(err, EC_NETWORK,
		               "the organization returned no organizations row; "
		               "does the app user have read access to it?");
	rc = codec_settings_from_json(row, &st, err);
	if (rc == EC_OK)
		rc = cache_put_settings(p->s->cache, &st,
		                        json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN),
		                        err);
	if (rc == EC_OK)
		rc = cache_meta_set(p->s->cache, "organization_id", st.id, err);
	settings_free(&st);
	p->done = 1;
	return rc;
}

/* "modifiedon gt <watermark - overlap>", or NULL for a full pull. */
static char *incremental_filter(const char *watermark)
{
	struct tm tm = {0};
	char when[EC_TIME_SIZE], *out;
	time_t t;
	if (!watermark[0] || !strptime(watermark, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	t = timegm(&tm) - SYNC_OVERLAP_SECONDS;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	out = ec_xmalloc(64);
	snprintf(out, 64, "modifiedon gt %s", when);
	return out;
}

/* One entity: full (remove what was not seen) or incremental, then the
 * watermark, only once every page is stored. */
static int pull_entity(ec_session *s, enum cache_entity entity, const char *set, const char *select,
                       dv_page_fn fn, bool full, long *count, long *removed, ec_error *err)
{
	pull p = {s, entity, cache_entity_name(entity), 0, ""};
	char watermark[EC_TIME_SIZE] = "";
	char *filter = NULL;
	int rc = EC_OK;
	if (entity != CACHE_SETTINGS && entity != CACHE_PROFILES) {
		rc = cache_watermark_get(s->cache, entity, watermark, err);
		if (rc == EC_OK && !full)
			filter = incremental_filter(watermark);
	}
	if (rc == EC_OK && !filter && entity != CACHE_SETTINGS)
		rc = cache_sync_begin_full(s->cache, entity, err);
	if (rc == EC_OK)
		rc = dv_list(s->dv, set, select, filter, NULL, fn, &p, err);
	if (rc == EC_OK && !filter && entity != CACHE_SETTINGS) {
		long gone = 0;
		rc = cache_sync_remove_unseen(s->cache, entity, &gone, err);
		*removed += gone;
	}
	/* With no newer rows keep the old watermark; never move it back. */
	if (rc == EC_OK && strcmp(p.newest, watermark) < 0)
		snprintf(p.newest, sizeof p.newest, "%s", watermark);
	if (rc == EC_OK)
		rc = cache_watermark_set(s->cache, entity, p.newest, err);
	if (rc == EC_OK)
		ec_emitf(&s->sink, EV_CHANGED, "sync", "%s", p.label);
	free(filter);
	*count += p.done;
	return rc;
}

int sync_pull(ec_session *s, bool full, ec_sync_stats *st, ec_error *err)
{
	int rc = session_need_network(s, "sync", err);
	long settings_rows = 0;
	if (rc == EC_OK)
		rc = pull_entity(s, CACHE_SETTINGS, "organizations", codec_settings_select,
		                 page_settings, full, &settings_rows, &st->removed, err);
	if (rc == EC_OK)
		rc = pull_entity(s, CACHE_PROFILES, "emailserverprofiles", codec_profile_select,
		                 page_profiles, full, &st->profiles, &st->removed, err);
	if (rc == EC_OK)
		rc = pull_entity(s, CACHE_MAILBOXES, "mailboxes", codec_mailbox_select,
		                 page_mailboxes, full, &st->mailboxes, &st->removed, err);
	if (rc == EC_OK)
		rc = pull_entity(s, CACHE_ALERTS, "tracelogs", codec_alert_select, page_alerts,
		                 full, &st->alerts, &st->removed, err);
	return rc;
}

int sync_run(ec_session *s, bool full, ec_sync_stats *st, ec_error *err)
{
	int rc = session_need_network(s, "sync", err), push_rc = EC_OK;
	ec_error push_err = {0};
	memset(st, 0, sizeof *st);
	if (rc != EC_OK)
		return rc;
	/* Push first so the pull brings back what the organization made of
	 * our edits. Read-only sessions never push. A push that failed for
	 * one entry still lets the pull run; its status is reported after. */
	if (!s->cfg->read_only) {
		push_rc = outbox_push_all(s, &st->pushed, &st->conflicts, &st->failed, &push_err);
		if (push_rc == EC_NETWORK) {
			*err = push_err;
			return push_rc;
		}
	}
	rc = sync_pull(s, full, st, err);
	if (rc == EC_OK && push_rc != EC_OK) {
		*err = push_err;
		return push_rc;
	}
	return rc;
}
