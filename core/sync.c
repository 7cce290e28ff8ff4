/* sync.c — pulling the organization into the cache (see sync.h). */
#include "core/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codec.h"
#include "core/outbox.h"

/* How one entity's rows meet the model and the cache: the same page
 * function then serves mailboxes, profiles and alerts. */
typedef struct row_kind {
	size_t size;
	void (*init)(void *row);
	int (*parse)(json_object *json, void *row, ec_error *err);
	void (*release)(void *row);
	const char *(*modified_on)(const void *row); /* NULL: no watermark */
	int (*put)(ec_cache *c, const void *rows, const char *const *raw, int n, ec_error *err);
} row_kind;

static void mailbox_init_v(void *r)
{
	mailbox_init(r);
}
static int mailbox_parse_v(json_object *j, void *r, ec_error *err)
{
	return codec_mailbox_from_json(j, r, err);
}
static void mailbox_free_v(void *r)
{
	mailbox_free(r);
}
static const char *mailbox_modified_v(const void *r)
{
	return ((const ec_mailbox *)r)->modified_on;
}
static int mailbox_put_v(ec_cache *c, const void *rows, const char *const *raw, int n,
                         ec_error *err)
{
	return cache_put_mailboxes(c, rows, raw, n, err);
}
static void profile_init_v(void *r)
{
	profile_init(r);
}
static int profile_parse_v(json_object *j, void *r, ec_error *err)
{
	return codec_profile_from_json(j, r, err);
}
static void profile_free_v(void *r)
{
	profile_free(r);
}
static int profile_put_v(ec_cache *c, const void *rows, const char *const *raw, int n,
                         ec_error *err)
{
	return cache_put_profiles(c, rows, raw, n, err);
}
static void alert_init_v(void *r)
{
	alert_init(r);
}
static int alert_parse_v(json_object *j, void *r, ec_error *err)
{
	return codec_alert_from_json(j, r, err);
}
static void alert_free_v(void *r)
{
	alert_free(r);
}
static const char *alert_modified_v(const void *r)
{
	return ((const ec_alert *)r)->modified_on;
}
static int alert_put_v(ec_cache *c, const void *rows, const char *const *raw, int n, ec_error *err)
{
	(void)raw; /* alerts are kept as their columns only */
	return cache_put_alerts(c, rows, n, err);
}

static const row_kind mailbox_rows = {sizeof(ec_mailbox), mailbox_init_v,     mailbox_parse_v,
                                      mailbox_free_v,     mailbox_modified_v, mailbox_put_v};
static const row_kind profile_rows = {sizeof(ec_profile), profile_init_v, profile_parse_v,
                                      profile_free_v,     NULL,           profile_put_v};
static const row_kind alert_rows = {sizeof(ec_alert), alert_init_v,     alert_parse_v,
                                    alert_free_v,     alert_modified_v, alert_put_v};

/* A pull of one entity set, page by page. */
typedef struct pull {
	ec_session *s;
	const row_kind *kind;
	const char *label;
	long done;
	char newest[EC_TIME_SIZE]; /* the largest modifiedon seen */
	ec_sync_stats *stats;
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

/* A row emailcfg cannot read (a new option value, a wrong type) is skipped
 * with a notice, so one odd row never stops the sync of the others; the
 * sync reports it at the end. */
static void skip_row(pull *p, const ec_error *why)
{
	if (p->stats->skipped++ == 0)
		snprintf(p->stats->skipped_why, sizeof p->stats->skipped_why, "%s", why->msg);
	ec_emitf(&p->s->sink, EV_NOTICE, "sync",
	         "skipped a row of %s that emailcfg cannot read: %s", p->label, why->msg);
}

static int page_rows(void *ctx, json_object *rows, long total, ec_error *err)
{
	pull *p = ctx;
	const row_kind *k = p->kind;
	int n = (int)json_object_array_length(rows), kept = 0, rc = EC_OK;
	char *buf = ec_xcalloc((unsigned long)n + 1, k->size);
	const char **raw = ec_xcalloc((unsigned long)n + 1, sizeof *raw);
	for (int i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, (size_t)i);
		void *slot = buf + (size_t)kept * k->size;
		ec_error why = {0};
		k->init(slot);
		if (k->parse(row, slot, &why) != EC_OK) {
			skip_row(p, &why);
			k->release(slot);
			continue;
		}
		raw[kept] = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN);
		if (k->modified_on)
			note_newest(p, k->modified_on(slot));
		kept++;
	}
	if (kept)
		rc = k->put(p->s->cache, buf, raw, kept, err);
	for (int i = 0; i < kept; i++)
		k->release(buf + (size_t)i * k->size);
	free(buf);
	free(raw);
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
                       const row_kind *kind, bool full, long *count, ec_sync_stats *st,
                       ec_error *err)
{
	pull p = {s, kind, cache_entity_name(entity), 0, "", st};
	dv_page_fn fn = kind ? page_rows : page_settings;
	long *removed = &st->removed;
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
		rc = pull_entity(s, CACHE_SETTINGS, "organizations", codec_settings_select, NULL,
		                 full, &settings_rows, st, err);
	if (rc == EC_OK)
		rc = pull_entity(s, CACHE_PROFILES, "emailserverprofiles", codec_profile_select,
		                 &profile_rows, full, &st->profiles, st, err);
	if (rc == EC_OK)
		rc = pull_entity(s, CACHE_MAILBOXES, "mailboxes", codec_mailbox_select,
		                 &mailbox_rows, full, &st->mailboxes, st, err);
	if (rc == EC_OK)
		rc = pull_entity(s, CACHE_ALERTS, "tracelogs", codec_alert_select, &alert_rows,
		                 full, &st->alerts, st, err);
	if (rc == EC_OK && st->skipped)
		rc = ec_fail(err, EC_FAILED,
		             "%ld row%s the organization sent could not be read and %s skipped "
		             "(first: %s); everything else is synced",
		             st->skipped, st->skipped == 1 ? "" : "s",
		             st->skipped == 1 ? "was" : "were", st->skipped_why);
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
