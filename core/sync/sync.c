/* sync.c — pulling the organization into the cache (see sync.h). */
#include "core/base/i18n.h"
#include "core/sync/sync.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codec/codec.h"
#include "core/sync/outbox.h"
#include "core/sync/sync_outcome.h"
#include "core/sync/sync_track.h"
#include "core/sync/sync_versions.h"
#include "core/base/utf8.h"

/* How one entity's rows meet the model and the cache: the same page
 * function then serves mailboxes, profiles and alerts. */
typedef struct row_kind {
	size_t size;
	void (*init)(void *row);
	int (*parse)(const dv_row *json, void *row, ec_error *err);
	void (*release)(void *row);
	const char *(*modified_on)(const void *row); /* NULL: no watermark */
	int (*put)(ec_cache *c, const void *rows, int n, ec_error *err);
	const char *(*unreadable)(const void *row);
	const char *id_column, *name_column; /* name_column: NULL when none */
	const char *what;                    /* "mailbox", for messages */
	/* The columns of the version listing of an incremental pull: the id,
	 * versionnumber when the table has it, modifiedon, and the name that
	 * reports a row without a readable id. */
	const char *list_select;
	bool (*reads)(const char *key, size_t len); /* the codec's (codec.h) */
} row_kind;

/* Every model struct starts with its id. */
static const char *row_id(const void *r)
{
	return r;
}

static void mailbox_init_v(void *r)
{
	mailbox_init(r);
}
static int mailbox_parse_v(const dv_row *j, void *r, ec_error *err)
{
	return codec_mailbox_from_row(j, r, err);
}
static void mailbox_free_v(void *r)
{
	mailbox_free(r);
}
static const char *mailbox_modified_v(const void *r)
{
	return ((const ec_mailbox *)r)->modified_on;
}
static int mailbox_put_v(ec_cache *c, const void *rows, int n, ec_error *err)
{
	return cache_put_mailboxes(c, rows, n, err);
}
static const char *mailbox_unreadable_v(const void *r)
{
	return ((const ec_mailbox *)r)->unreadable;
}
static void profile_init_v(void *r)
{
	profile_init(r);
}
static int profile_parse_v(const dv_row *j, void *r, ec_error *err)
{
	return codec_profile_from_row(j, r, err);
}
static void profile_free_v(void *r)
{
	profile_free(r);
}
static int profile_put_v(ec_cache *c, const void *rows, int n, ec_error *err)
{
	return cache_put_profiles(c, rows, n, err);
}
static const char *profile_unreadable_v(const void *r)
{
	return ((const ec_profile *)r)->unreadable;
}
static void alert_init_v(void *r)
{
	alert_init(r);
}
static int alert_parse_v(const dv_row *j, void *r, ec_error *err)
{
	return codec_alert_from_row(j, r, err);
}
static void alert_free_v(void *r)
{
	alert_free(r);
}
static const char *alert_modified_v(const void *r)
{
	return ((const ec_alert *)r)->modified_on;
}
static int alert_put_v(ec_cache *c, const void *rows, int n, ec_error *err)
{
	return cache_put_alerts(c, rows, n, err);
}
static const char *alert_unreadable_v(const void *r)
{
	return ((const ec_alert *)r)->unreadable;
}

static const row_kind mailbox_rows = {sizeof(ec_mailbox),
                                      mailbox_init_v,
                                      mailbox_parse_v,
                                      mailbox_free_v,
                                      mailbox_modified_v,
                                      mailbox_put_v,
                                      mailbox_unreadable_v,
                                      "mailboxid",
                                      "name",
                                      "mailbox",
                                      "mailboxid,versionnumber,modifiedon,name",
                                      codec_mailbox_reads};
static const row_kind profile_rows = {sizeof(ec_profile),
                                      profile_init_v,
                                      profile_parse_v,
                                      profile_free_v,
                                      NULL,
                                      profile_put_v,
                                      profile_unreadable_v,
                                      "emailserverprofileid",
                                      "name",
                                      "server profile",
                                      NULL,
                                      codec_profile_reads};
static const row_kind alert_rows = {sizeof(ec_alert),
                                    alert_init_v,
                                    alert_parse_v,
                                    alert_free_v,
                                    alert_modified_v,
                                    alert_put_v,
                                    alert_unreadable_v,
                                    "tracelogid",
                                    NULL,
                                    "alert",
                                    "tracelogid,modifiedon",
                                    codec_alert_reads};

/* A pull of one entity set, page by page. */
typedef struct pull {
	ec_session *s;
	const row_kind *kind;
	enum cache_entity entity;
	const char *label;
	long done, pages;
	long by_id_total;    /* the rows a read by id asks for: the progress's total (0: the page's
	                        count) */
	bool note_ids;       /* add every readable id to the cache's id set */
	bool ids_incomplete; /* a row without a readable id: delete nothing */
	char newest[EC_TIME_SIZE]; /* the largest modifiedon seen */
	long *stored;
	ec_sync_stats *stats;
	/* An incremental pull: the version listing gathered in memory (the
	 * rows of the page being read start at page_first), and what the cache
	 * held before it began; compared in one merge (sync_versions.h). */
	struct cache_listed *listed, *cached;
	long nlisted_all, cap_listed, page_first, ncached;
	sync_diff diff;
	sync_delta delta;         /* what the entity's delta link returned (sync_track.h) */
	dv_track track;           /* this pull's tracked read: the next delta link */
	bool by_delta;            /* this pull followed a delta link: not every row listed */
	char (*want)[EC_ID_SIZE]; /* sorted: only these rows are stored (NULL: all) */
	long nwant;
	bool *got; /* which of want the window returned */
	/* The page being read: its rows go to the cache SYNC_BATCH at a time
	 * (one prepared statement a batch), in the page's transaction. */
	long page_rows, page_stored, pages_done;
	bool in_tx;  /* the page's transaction is open (from its first batch) */
	char *batch; /* SYNC_BATCH rows of kind->size */
	int kept, nids;
	char (*ids)[EC_ID_SIZE];
} pull;

static void note_newest(pull *p, const char *modified_on)
{
	if (modified_on[0] && strcmp(modified_on, p->newest) > 0)
		snprintf(p->newest, sizeof p->newest, "%s", modified_on);
}

static void progress(pull *p, long total)
{
	ec_event ev = {
	    EV_PROGRESS, "sync", p->label, p->done, p->by_id_total ? p->by_id_total : total, 0};
	ec_emit(&p->s->sink, &ev);
}

/* One line per row emailcfg could not read fully, the first
 * SYNC_REPORT_LINES of them; sync_pull() says how many more. */
static void report_row(pull *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report_row(pull *p, const char *fmt, ...)
{
	char line[768];
	va_list ap;
	if (p->stats->unreadable++ >= SYNC_REPORT_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ec_emitf(&p->s->sink, EV_NOTICE, "sync", "%s", line);
}

/* The row's name for a message, cut to about 60 bytes at a character
 * boundary ("" when it has none or it is not text). The codec has already
 * made its text UTF-8; the sink sanitizes what it shows. */
static const char *row_name(const row_kind *k, const dv_row *row, char *buf, size_t size)
{
	dv_value v;
	const char *s;
	size_t n = 0, total;
	unsigned cp;
	if (!k->name_column || !dv_row_get(row, k->name_column, &v) || v.type != json_type_string)
		return "";
	s = v.str;
	total = strlen(s);
	for (size_t len; n < total && n < 60; n += len)
		if ((len = utf8_decode(s + n, total - n, &cp)) == 0 || n + len > size - 4)
			break;
	snprintf(buf, size, "%.*s%s", (int)n, s, n < total ? "..." : "");
	return buf;
}

/* The row's id, or "" when it has none that is a GUID. */
static void read_row_id(const row_kind *k, const dv_row *row, char id[EC_ID_SIZE])
{
	dv_value v;
	id[0] = '\0';
	if (dv_row_get(row, k->id_column, &v) && v.type == json_type_string)
		codec_guid_normalize(v.str, id);
}

/* A row without a readable id cannot be stored or matched to a cached
 * row: reported with its place, and no row of this entity is deleted by
 * this sync (it might be any of them). */
static void report_no_id(pull *p, const dv_row *row, int i, const char *why)
{
	char quoted[80];
	p->ids_incomplete = true;
	report_row(p,
	           "%s %d of page %ld ('%s') has no readable id (%s); not stored, and "
	           "nothing is removed from the cache this time",
	           p->kind->what, i + 1, p->pages, row_name(p->kind, row, quoted, sizeof quoted),
	           why);
}

/* A row emailcfg cannot read at all (a wrong type, a malformed value) is
 * kept as it was and marked; never skipped silently, never deleted. */
static int keep_unreadable(pull *p, const dv_row *row, const char *id, const ec_error *why,
                           ec_error *err)
{
	char quoted[80];
	bool found;
	int rc = cache_mark_unreadable(p->s->cache, p->entity, id, why->msg, &found, err);
	if (rc == EC_OK)
		report_row(p, "%s '%s' (%s): %s; %s", p->kind->what,
		           row_name(p->kind, row, quoted, sizeof quoted), id, why->msg,
		           found ? "kept as it was" : "not stored");
	return rc;
}

/* A row read with a note (a value newer than this emailcfg, text with
 * invalid UTF-8) is stored with its mark and reported. */
static void report_marked(pull *p, const void *slot, const dv_row *row)
{
	char quoted[80];
	const char *why = p->kind->unreadable(slot);
	if (why)
		report_row(p, "%s '%s' (%s): %s; stored and marked", p->kind->what,
		           row_name(p->kind, row, quoted, sizeof quoted), row_id(slot), why);
}

/* Parses row i into slot; *store says whether it is to be stored (then
 * slot holds it), id gets its id ("" when unreadable). */
static int read_row(pull *p, const dv_row *row, int i, void *slot, char id[EC_ID_SIZE], bool *store,
                    ec_error *err)
{
	ec_error why = {0};
	*store = false;
	read_row_id(p->kind, row, id);
	p->kind->init(slot);
	if (p->kind->parse(row, slot, &why) != EC_OK) {
		if (id[0])
			return keep_unreadable(p, row, id, &why, err);
		report_no_id(p, row, i, why.msg);
		return EC_OK;
	}
	if (!row_id(slot)[0]) {
		report_no_id(p, row, i, "it is null or missing");
		p->kind->release(slot);
		return EC_OK;
	}
	report_marked(p, slot, row);
	*store = true;
	return EC_OK;
}

static int compare_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Whether a row of a re-read window is one the version listing found
 * changed; a row without a readable id goes on, to be reported. */
static bool row_wanted(const pull *p, const dv_row *row)
{
	char id[EC_ID_SIZE];
	const char(*hit)[EC_ID_SIZE];
	if (!p->want)
		return true;
	read_row_id(p->kind, row, id);
	if (!id[0])
		return true;
	hit = bsearch(id, p->want, (size_t)p->nwant, EC_ID_SIZE, compare_ids);
	if (hit && p->got)
		p->got[hit - (const char(*)[EC_ID_SIZE])p->want] = true;
	return hit != NULL;
}

/* Stores the rows and ids gathered so far. */
static int flush_batch(pull *p, ec_error *err)
{
	const row_kind *k = p->kind;
	int rc = EC_OK;
	/* The write lock is taken when there is something to write, never
	 * across a request: a page that waits for its server (latency,
	 * retries, Retry-After) leaves the cache to the console's edits and
	 * the pushes of other processes. */
	if (!p->in_tx && (p->kept || p->nids)) {
		rc = cache_transaction_begin(p->s->cache, err);
		p->in_tx = rc == EC_OK;
	}
	if (rc == EC_OK && p->kept)
		rc = k->put(p->s->cache, p->batch, p->kept, err);
	if (rc == EC_OK && p->note_ids && p->nids)
		rc = cache_ids_add(p->s->cache, (const char(*)[EC_ID_SIZE])p->ids, p->nids, err);
	if (rc == EC_OK)
		p->page_stored += p->kept;
	for (int i = 0; i < p->kept; i++)
		k->release(p->batch + (size_t)i * k->size);
	p->kept = p->nids = 0;
	return rc;
}

static int page_begin(void *ctx, ec_error *err)
{
	pull *p = ctx;
	p->pages = p->pages_done + 1;
	p->page_rows = p->page_stored = 0;
	p->page_first = p->nlisted_all;
	if (!p->batch) {
		p->batch = ec_xcalloc(SYNC_BATCH, p->kind->size);
		p->ids = ec_xcalloc(SYNC_BATCH, EC_ID_SIZE);
	}
	(void)err;
	return EC_OK;
}

static int page_end(void *ctx, long total, ec_error *err)
{
	pull *p = ctx;
	int rc = flush_batch(p, err);
	if (rc == EC_OK && p->in_tx)
		rc = cache_transaction_commit(p->s->cache, err);
	else if (p->in_tx)
		cache_transaction_rollback(p->s->cache, NULL);
	p->in_tx = false;
	if (rc != EC_OK)
		return rc;
	p->pages_done++;
	*p->stored += p->page_stored;
	p->done += p->page_rows;
	progress(p, total);
	return EC_OK;
}

/* A page that failed or is read again: nothing of it stays. */
static void page_abort(void *ctx)
{
	pull *p = ctx;
	for (int i = 0; i < p->kept; i++)
		p->kind->release(p->batch + (size_t)i * p->kind->size);
	p->kept = p->nids = 0;
	p->nlisted_all = p->page_first; /* the listing of a failed page goes too */
	if (p->in_tx)
		cache_transaction_rollback(p->s->cache, NULL);
	p->in_tx = false;
}

static void pull_free(pull *p)
{
	free(p->batch);
	free(p->ids);
	free(p->listed);
	free(p->cached);
	sync_diff_free(&p->diff);
	sync_delta_free(&p->delta);
	free(p->track.delta_link);
}

/* One row of a page: read, and stored with its batch. */
static int take_row(void *ctx, const dv_row *row, ec_error *err)
{
	pull *p = ctx;
	const row_kind *k = p->kind;
	void *slot = p->batch + (size_t)p->kept * k->size;
	bool store;
	int i = (int)p->page_rows++, rc;
	if (!row_wanted(p, row))
		return EC_OK;
	rc = read_row(p, row, i, slot, p->ids[p->nids], &store, err);
	if (p->ids[p->nids][0])
		p->nids++;
	if (rc == EC_OK && store) {
		if (k->modified_on)
			note_newest(p, k->modified_on(slot));
		p->kept++;
	}
	if (rc == EC_OK && (p->kept == SYNC_BATCH || p->nids == SYNC_BATCH))
		rc = flush_batch(p, err);
	return rc;
}

/* The members the codec reads: a page's other annotations are left out
 * before json-c sees them. */
static bool row_reads(void *ctx, const char *key, size_t len)
{
	pull *p = ctx;
	return p->kind->reads(key, len);
}

static const dv_rows_fns row_fns = {page_begin, take_row, page_end, page_abort, row_reads};

/* The organization's settings row: one row, replaced. */
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
	if (rc == EC_USAGE) { /* a row we cannot read: the cached one stays */
		if (p->stats->unreadable++ < SYNC_REPORT_LINES)
			ec_emitf(&p->s->sink, EV_NOTICE, "sync",
			         _("the organization's settings: %s; kept as they were"), err->msg);
		settings_free(&st);
		p->done = 1;
		return EC_OK;
	}
	if (rc == EC_OK)
		rc = cache_put_settings(p->s->cache, &st, err);
	if (rc == EC_OK)
		rc = cache_meta_set(p->s->cache, "organization_id", st.id, err);
	if (rc == EC_OK && st.unreadable && p->stats->unreadable++ < SYNC_REPORT_LINES)
		ec_emitf(&p->s->sink, EV_NOTICE, "sync",
		         _("the organization's settings: %s; stored and marked"), st.unreadable);
	settings_free(&st);
	p->done = 1;
	return rc;
}

/* A row of the version listing: id, version and modifiedon, kept in
 * memory for the compare (SYNC_LISTING_MAX rows at most). */
static int take_version(void *ctx, const dv_row *row, ec_error *err)
{
	pull *p = ctx;
	struct cache_listed *l;
	int i = (int)p->page_rows++;
	if (p->nlisted_all == p->cap_listed) {
		if (p->cap_listed >= SYNC_LISTING_MAX)
			return ec_fail(err, EC_NETWORK,
			               "the organization listed over %ld %ss; refused the listing, "
			               "check that --org is a Dataverse environment",
			               (long)SYNC_LISTING_MAX, p->kind->what);
		p->cap_listed = p->cap_listed ? p->cap_listed * 2 : 4096;
		if (p->cap_listed > SYNC_LISTING_MAX)
			p->cap_listed = SYNC_LISTING_MAX;
		p->listed = ec_xrealloc(p->listed, (size_t)p->cap_listed * sizeof *p->listed);
	}
	l = &p->listed[p->nlisted_all];
	memset(l, 0, sizeof *l);
	read_row_id(p->kind, row, l->id);
	if (!l->id[0]) {
		report_no_id(p, row, i, "it is null, missing or not a GUID");
		return EC_OK;
	}
	sync_versions_read_row(row, l);
	note_newest(p, l->modified_on);
	p->nlisted_all++;
	return EC_OK;
}

static const dv_rows_fns version_fns = {page_begin, take_version, page_end, page_abort};

/* The changed rows by id, SYNC_IDS_PER_REQUEST a request. */
static int fetch_by_id(pull *p, const char *set, const char *select, char (*ids)[EC_ID_SIZE],
                       long n, ec_error *err)
{
	size_t per = strlen(p->kind->id_column) + EC_ID_SIZE + 8;
	char *filter = ec_xmalloc(per * SYNC_IDS_PER_REQUEST + 1);
	int rc = EC_OK;
	/* Each request's count is its own SYNC_IDS_PER_REQUEST: the progress
	 * counts these n from 0 (it showed "51/11" on the second request). */
	p->done = 0;
	p->by_id_total = n;
	for (long i = 0; i < n && rc == EC_OK; i += SYNC_IDS_PER_REQUEST) {
		size_t len = 0;
		for (long j = i; j < n && j < i + SYNC_IDS_PER_REQUEST; j++)
			len += (size_t)snprintf(filter + len, per + 1, "%s%s eq %s",
			                        j > i ? " or " : "", p->kind->id_column, ids[j]);
		rc = dv_list_rows(p->s->dv, set, select, filter, true, &row_fns, p, err);
	}
	p->by_id_total = 0;
	free(filter);
	return rc;
}

/* Changed rows the modifiedon window did not return (a null modifiedon is
 * outside any window): read by id, or, when more than SYNC_BY_ID_MAX, left
 * for the next sync and said so, never skipped silently. */
static int fetch_outside_window(pull *p, const char *set, const char *select,
                                char (*ids)[EC_ID_SIZE], long n, ec_error *err)
{
	long m = 0;
	int rc = EC_OK;
	for (long i = 0; i < n; i++)
		if (!p->got[i])
			memmove(ids[m++], ids[i], EC_ID_SIZE);
	if (m == 0)
		return EC_OK;
	if (m > SYNC_BY_ID_MAX) {
		p->stats->deferred += m;
		ec_emitf(
		    &p->s->sink, EV_NOTICE, "sync",
		    _("%ld changed %s were not in the modifiedon window (no modifiedon?) and are "
		      "more than %d; left for the next sync"),
		    m, cache_entity_name(p->entity), SYNC_BY_ID_MAX);
		return EC_OK;
	}
	p->pages = 0;
	rc = fetch_by_id(p, set, select, ids, m, err);
	return rc;
}

/* The rows the diff found new or changed: by id when they are few, else
 * every row modified since the oldest of them, storing only the changed
 * ones (the others are at the version the cache holds). */
static int fetch_diff(pull *p, const char *set, const char *select, ec_error *err)
{
	char(*ids)[EC_ID_SIZE], filter[64];
	const char *oldest;
	long n;
	int rc = EC_OK;
	ids = p->diff.changed;
	n = p->diff.nchanged;
	oldest = p->diff.oldest;
	p->pages = 0;
	if (rc == EC_OK && n > 0 && n <= SYNC_BY_ID_MAX) {
		rc = fetch_by_id(p, set, select, ids, n, err);
	} else if (rc == EC_OK && n > 0) {
		p->want = ids;
		p->nwant = n;
		p->got = ec_xcalloc((size_t)n, sizeof *p->got);
		p->done = 0; /* the window's rows, counted against its count */
		snprintf(filter, sizeof filter, "modifiedon ge %s", oldest);
		rc = dv_list_rows(p->s->dv, set, select, oldest[0] ? filter : NULL, true, &row_fns,
		                  p, err);
		p->want = NULL;
		if (rc == EC_OK)
			rc = fetch_outside_window(p, set, select, ids, n, err);
		free(p->got);
		p->got = NULL;
	}
	return rc;
}

/* The rows the version listing found changed; those a restore lowered
 * first have their cached versions released (compare-and-set), since only
 * then may the organization's lower ones be stored. */
static int fetch_changed(pull *p, const char *set, const char *select, ec_error *err)
{
	long released;
	int rc;
	cache_listed_sort(p->listed, p->nlisted_all);
	sync_versions_compare(p->listed, p->nlisted_all, p->cached, p->ncached, &p->diff);
	rc = cache_versions_release(p->s->cache, p->entity, p->diff.lowered, p->diff.nlowered,
	                            &released, err);
	return rc == EC_OK ? fetch_diff(p, set, select, err) : rc;
}

/* The read of the cached versions on a thread of its own, while the
 * listing is read. */
typedef struct versions_read {
	pull *p;
	int rc;
	ec_error err;
} versions_read;

static void *versions_read_main(void *arg)
{
	versions_read *r = arg;
	r->rc = cache_versions_read(r->p->s->cache, r->p->entity, &r->p->cached, &r->p->ncached,
	                            &r->err);
	return NULL;
}

/* The version listing, and beside it the read of what the cache holds
 * (100,000 rows: a third of an incremental sync's time when they were read
 * one after the other). The cache is read in a snapshot taken before the
 * first page is asked for, so a row another emailcfg stores meanwhile is
 * never removed (inside a write transaction, nobody else writes). The
 * connection is the thread's alone until it ends: the listing's callbacks
 * touch no cache, and the organization check, the one request hook that
 * does, has passed before. Without a thread, one after the other. */
static int list_versions(pull *p, const char *set, ec_error *err)
{
	versions_read r = {.p = p};
	char unused[EC_TIME_SIZE];
	pthread_t th;
	bool threaded = false, snapshot = false;
	int rc = dv_guard_check(p->s->dv, err);
	if (rc == EC_OK)
		rc = cache_snapshot_begin(p->s->cache, err);
	snapshot = rc == EC_OK;
	/* The snapshot starts at its first read. */
	if (rc == EC_OK)
		rc = cache_watermark_get(p->s->cache, p->entity, unused, err);
	if (rc == EC_OK)
		threaded = pthread_create(&th, NULL, versions_read_main, &r) == 0;
	if (rc == EC_OK && !threaded)
		versions_read_main(&r);
	if (rc == EC_OK)
		rc = dv_list_rows_tracked(p->s->dv, set, p->kind->list_select, false, &version_fns,
		                          p, &p->track, err);
	if (threaded)
		pthread_join(th, NULL);
	if (rc == EC_OK && r.rc != EC_OK) {
		*err = r.err;
		rc = r.rc;
	}
	if (snapshot) {
		int end = cache_snapshot_end(p->s->cache, rc == EC_OK ? err : NULL);
		rc = rc == EC_OK ? end : rc;
	}
	return rc;
}

/* An incremental pull: every row's id, version and modifiedon (a few bytes
 * a row, no annotations), compared in memory with what the cache held
 * before the listing began (one read of its rows, no temporary table); then
 * only the rows that changed are read. The cached rows the listing lacks
 * are the deletion pass's. */
static int pull_changed(pull *p, const char *set, const char *select, ec_error *err)
{
	int rc = list_versions(p, set, err);
	if (rc == EC_OK)
		rc = fetch_changed(p, set, select, err);
	return rc;
}

/* An incremental pull by the entity's delta link when the cache has one:
 * only the rows changed since, and the deleted ones, which go by the
 * listing's deletion path; else (or when the organization refused the
 * link) by the version listing. */
static int pull_incremental(pull *p, const char *set, const char *select, ec_error *err)
{
	long released;
	int rc = sync_track_read(p->s, p->entity, p->kind->id_column, &p->delta, err);
	if (rc == SYNC_TRACK_NONE)
		return pull_changed(p, set, select, err);
	if (rc != EC_OK)
		return rc;
	p->by_delta = true;
	/* Nothing changed: not even the cache is read. */
	if (p->delta.nchanged > 0)
		rc = cache_versions_read(p->s->cache, p->entity, &p->cached, &p->ncached, err);
	if (rc != EC_OK)
		return rc;
	sync_track_diff(&p->delta, p->cached, p->ncached, &p->diff);
	/* The next link is the one this read returned. */
	p->track = p->delta.next;
	memset(&p->delta.next, 0, sizeof p->delta.next);
	rc = cache_versions_release(p->s->cache, p->entity, p->diff.lowered, p->diff.nlowered,
	                            &released, err);
	return rc == EC_OK ? fetch_diff(p, set, select, err) : rc;
}

/* Deletes the cached rows the organization no longer listed; nothing when
 * the listing had a row without a readable id (it could be any of them).
 * An unreadable row with a readable id is listed, so it stays. */
static int remove_missing(pull *p, bool full, ec_error *err)
{
	long gone = 0;
	int rc;
	if (p->ids_incomplete) {
		p->stats->removals_skipped = true;
		return EC_OK;
	}
	if (full)
		rc = cache_ids_remove_missing(p->s->cache, p->entity, full, &gone, err);
	else
		rc = cache_rows_delete(p->s->cache, p->entity,
		                       (const char(*)[EC_ID_SIZE])p->diff.missing, p->diff.nmissing,
		                       &gone, err);
	p->stats->removed += gone;
	return rc;
}

/* The watermark, once every page is stored: with no newer rows keep the
 * old one. It goes back only when every row was listed and the newest is
 * older (a restored organization), by compare-and-set. */
static int store_watermark(pull *p, const char *old, ec_error *err)
{
	int rc = EC_OK;
	if (!p->kind->modified_on)
		return EC_OK;
	if (!p->by_delta && !p->ids_incomplete && p->newest[0] && strcmp(p->newest, old) < 0)
		rc = cache_watermark_release(p->s->cache, p->entity, old, p->newest, err);
	if (rc == EC_OK)
		rc = cache_watermark_set(p->s->cache, p->entity, p->newest, err);
	return rc;
}

/* Every row, and so every id. The first fill of a table builds its sort
 * indexes once at the end (cache_bulk_begin); they are built even when the
 * pull fails, so the cache stays usable. */
static int pull_all(pull *p, const char *set, const char *select, ec_error *err)
{
	bool bulk = false, none = false;
	int rc = cache_ids_begin(p->s->cache, p->entity, err), built;
	if (rc == EC_OK)
		rc = cache_ids_none_noted(p->s->cache, &none, err);
	p->note_ids = !none; /* an empty table: nothing to remove after */
	if (rc == EC_OK)
		rc = cache_bulk_begin(p->s->cache, p->entity, &bulk, err);
	if (rc == EC_OK && p->kind->list_select)
		rc = dv_list_rows_tracked(p->s->dv, set, select, true, &row_fns, p, &p->track, err);
	else if (rc == EC_OK)
		rc = dv_list_rows(p->s->dv, set, select, NULL, true, &row_fns, p, err);
	if (!bulk)
		return rc;
	built = cache_bulk_end(p->s->cache, rc == EC_OK ? err : NULL);
	return rc == EC_OK ? built : rc;
}

/* One entity: its rows (all of them, or those the version listing found
 * changed), then the rows the organization no longer has. Both kinds of
 * pull list every id, so both remove. */
static int pull_rows(ec_session *s, enum cache_entity entity, const char *set, const char *select,
                     const row_kind *kind, bool full, long *stored, ec_sync_stats *st,
                     ec_error *err)
{
	pull p = {.s = s,
	          .kind = kind,
	          .entity = entity,
	          .label = cache_entity_name(entity),
	          .stored = stored,
	          .stats = st};
	char watermark[EC_TIME_SIZE] = "";
	long deferred = st->deferred;
	bool incremental = false;
	int rc = EC_OK;
	if (kind->list_select) {
		rc = cache_watermark_get(s->cache, entity, watermark, err);
		incremental = rc == EC_OK && !full && watermark[0];
	}
	p.note_ids = !incremental;
	if (rc == EC_OK && incremental)
		rc = pull_incremental(&p, set, select, err);
	else if (rc == EC_OK)
		rc = pull_all(&p, set, select, err);
	if (rc == EC_OK)
		rc = store_watermark(&p, watermark, err);
	if (rc == EC_OK)
		rc = remove_missing(&p, !incremental, err);
	/* Rows left for the next sync, and removals held back, are in no
	 * later change list: then the next pull lists every version instead. */
	if (st->deferred > deferred || p.ids_incomplete) {
		free(p.track.delta_link);
		p.track.delta_link = NULL;
	}
	if (rc == EC_OK && kind->list_select)
		rc = sync_track_store(s, entity, &p.track, err);
	cache_ids_end(s->cache);
	pull_free(&p);
	if (rc == EC_OK)
		ec_emitf(&s->sink, EV_CHANGED, "sync", "%s", p.label);
	return rc;
}

static int pull_settings(ec_session *s, ec_sync_stats *st, ec_error *err)
{
	pull p = {.s = s, .entity = CACHE_SETTINGS, .label = "settings", .stats = st};
	int rc = dv_list(s->dv, "organizations", codec_settings_select, NULL, NULL, page_settings,
	                 &p, err);
	if (rc == EC_OK)
		rc = cache_watermark_set(s->cache, CACHE_SETTINGS, "", err);
	if (rc == EC_OK)
		ec_emitf(&s->sink, EV_CHANGED, "sync", "settings");
	return rc;
}

/* The end of the report: how many lines were left out, and the one line
 * that says the sync is complete but for those rows. */
static int report_unreadable(ec_session *s, const ec_sync_stats *st, ec_error *err)
{
	if (!st->unreadable)
		return EC_OK;
	if (st->unreadable > SYNC_REPORT_LINES)
		ec_emitf(&s->sink, EV_NOTICE, "sync", _("and %ld more"),
		         st->unreadable - SYNC_REPORT_LINES);
	return ec_fail(err, EC_FAILED,
	               ngettext("%ld row the organization sent could not be read fully; it is kept "
	                        "and marked (the lines above name it), everything else is synced",
	                        "%ld rows the organization sent could not be read fully; they are "
	                        "kept and marked (the lines above name them), everything else is "
	                        "synced",
	                        (unsigned long)st->unreadable),
	               st->unreadable);
}

/* A completed pull appends to the history (core/cache: status_snapshots);
 * rows left unreadable do not stop it, as they do not stop the rest of the
 * sync. A history that cannot be written fails the sync (a full disk). */
static int record_history(ec_session *s, long long started_ms, ec_error *err)
{
	struct cache_history_bounds b;
	config_history_days(s->cfg, &b.detail_days, &b.days);
	return cache_snapshot_record(s->cache, sync_outcome_clock_ms() - started_ms, &b, NULL, err);
}

static int pull_entities(ec_session *s, bool full, ec_sync_stats *st, ec_error *err)
{
	long long started_ms = sync_outcome_clock_ms();
	int rc = session_need_network(s, "sync", err);
	st->pulled = false;
	/* Pages are written once and rarely read back: a small page cache
	 * keeps the sync's memory down (restored after). */
	if (rc == EC_OK)
		rc = cache_page_cache_set(s->cache, SYNC_PAGE_CACHE_KIB, err);
	if (rc == EC_OK)
		rc = pull_settings(s, st, err);
	if (rc == EC_OK)
		rc = pull_rows(s, CACHE_PROFILES, "emailserverprofiles", codec_profile_select,
		               &profile_rows, full, &st->profiles, st, err);
	if (rc == EC_OK)
		rc = pull_rows(s, CACHE_MAILBOXES, "mailboxes", codec_mailbox_select, &mailbox_rows,
		               full, &st->mailboxes, st, err);
	if (rc == EC_OK)
		rc = pull_rows(s, CACHE_ALERTS, "tracelogs", codec_alert_select, &alert_rows, full,
		               &st->alerts, st, err);
	st->pulled = rc == EC_OK;
	if (rc == EC_OK)
		rc = record_history(s, started_ms, err);
	if (rc == EC_OK)
		rc = report_unreadable(s, st, err);
	cache_page_cache_set(s->cache, CACHE_PAGE_CACHE_KIB, NULL);
	return rc;
}

int sync_pull(ec_session *s, bool full, ec_sync_stats *st, ec_error *err)
{
	long long started = sync_outcome_clock_ms();
	int rc = pull_entities(s, full, st, err);
	sync_outcome_record(s, started, st->pulled);
	return rc;
}

static int run_all(ec_session *s, bool full, ec_sync_stats *st, ec_error *err)
{
	int rc = session_need_network(s, "sync", err), push_rc = EC_OK;
	ec_error push_err = {0};
	memset(st, 0, sizeof *st);
	/* Before the push: no edit goes to another organization. */
	if (rc == EC_OK)
		rc = session_check_org(s, err);
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
	rc = pull_entities(s, full, st, err);
	if (rc == EC_OK && push_rc != EC_OK) {
		*err = push_err;
		return push_rc;
	}
	return rc;
}

int sync_run(ec_session *s, bool full, ec_sync_stats *st, ec_error *err)
{
	long long started = sync_outcome_clock_ms();
	int rc = run_all(s, full, st, err);
	sync_outcome_record(s, started, st->pulled);
	return rc;
}
