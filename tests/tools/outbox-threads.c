/* outbox-threads.c — test tool: the outbox's promise across the console's two
 * threads, against a running emailcfg-sim (run by
 * tests/integration/outbox_threads.sh). The console's arrangement for real:
 * a UI thread with its own session in queue_only mode (edits stored in the
 * outbox, not sent) and the real background worker (core/jobs/jobs.h) with its
 * own session, fed push and refresh jobs as the console feeds them. Each
 * seed owns two mailboxes and plays 4 to 9 steps drawn from the seed: the
 * UI queues an edit of act or outgoing (then, as a save does, a push at
 * times); a push; a refresh; an organization-side change of one of the
 * fields through /_sim/ (to the same value at times: a new etag only);
 * a new emulator latency (0 to 9 ms: wider windows); a cancel of the
 * running job (the console's `x`); a short pause. Then it waits for the
 * worker to be idle, runs a last push, and checks, for the seed's rows:
 *   - no claim is left; a queued entry waits behind an older conflict;
 *   - every conflict has a field whose organization value differs from
 *     both mine and base;
 *   - the last edit of a field, when its entry is sent, is what the
 *     organization has, unless a later organization change overwrote it;
 *     a field whose last event is an organization change keeps it, unless
 *     a sent entry was made on exactly that value (base: indistinguishable
 *     from untouched) and went out after it;
 *   - no mailbox got more accepted PATCHes (the emulator's request log)
 *     than it has entries, but for two cases by design, both after a
 *     cancel whose PATCH may have arrived with its answer lost: an
 *     organization change that puts back the edit's base (it then reads as
 *     untouched), and an edit merged into that entry afterwards (it goes
 *     out in a second PATCH once the 412 settles the field already there).
 *
 *   outbox-threads URL CACHE IDS_FILE
 *
 * The environment gives the credentials (as for emailcfg) and
 * OUTBOX_THREADS_SEEDS (default 200), OUTBOX_THREADS_FIRST (default 1), or
 * OUTBOX_THREADS_SEED=N for one seed with its history printed. A seed fixes
 * the steps, not the threads' timing. Exits 0 with the counts, or 1 with
 * the seed and its history. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "core/jobs/job_types.h"
#include "core/jobs/jobs.h"
#include "core/sync/outbox.h"
#include "core/sync/session.h"

enum { NMB = 2, NFIELD = 2, MAX_EVENTS = 64, MAX_IDS = 4096 };

static const char *const field_key[NFIELD] = {"act", "outgoing"};
static const char *const field_col[NFIELD] = {"actdeliverymethod", "outgoingemaildeliverymethod"};
/* Wire value -> slug, per field. */
static const char *const slugs[NFIELD][3] = {{"outlook", "server-side-sync", "none"},
                                             {"none", "outlook", "server-side-sync"}};

typedef struct event {
	char kind; /* 'e': the UI queued an edit; 'o': an organization change */
	int mb, field, val;
	long long entry;
	int cancels; /* cancels before it */
} event;

typedef struct totals {
	long seeds, edits, refused, unchanged, orgs, pushes, refreshes, cancels, latencies;
	long sent, conflicts, queued, failed, accepted, rejected, excused;
} totals;

typedef struct run {
	unsigned seed, r;
	char ids[NMB][EC_ID_SIZE];
	int initial[NMB][NFIELD];
	event ev[MAX_EVENTS];
	int nev, cancels;
	char hist[16384];
	size_t hlen;
	char why[4096];
	size_t wlen;
} run;

typedef struct ctx {
	const char *url;
	ec_config cfg;
	ec_session ui;
	ec_worker *w;
	CURL *curl;
	long long log_seq;
	totals t;
	char ids[MAX_IDS][EC_ID_SIZE];
	int nids;
} ctx;

/* ---- Seeds, history, violations ------------------------------------------ */

static int rnd(run *r, int n)
{
	r->r = r->r * 1103515245u + 12345u;
	return (int)((r->r >> 16) % (unsigned)n);
}

/* Appends one formatted line to a bounded text (a seed's history or its
 * violations); what does not fit is cut, never overflows. */
static void append_line(char *buf, size_t size, size_t *len, const char *fmt, va_list ap)
{
	int n;
	if (*len >= size - 2)
		return;
	n = vsnprintf(buf + *len, size - *len - 1, fmt, ap);
	*len += n > 0 ? (size_t)n : 0;
	if (*len >= size - 1)
		*len = size - 2;
	buf[(*len)++] = '\n';
	buf[*len] = '\0';
}

static void __attribute__((format(printf, 2, 3))) note(run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append_line(r->hist, sizeof r->hist, &r->hlen, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3))) violation(run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append_line(r->why, sizeof r->why, &r->wlen, fmt, ap);
	va_end(ap);
}

static void sleep_us(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
	nanosleep(&ts, NULL);
}

/* ---- The emulator's control endpoint ------------------------------------- */

typedef struct body {
	char *p;
	size_t n;
} body;

static size_t collect(char *data, size_t size, size_t count, void *ud)
{
	body *b = ud;
	size_t n = size * count;
	char *p = realloc(b->p, b->n + n + 1);
	if (!p)
		return 0;
	memcpy(p + b->n, data, n);
	b->p = p;
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

/* METHOD /_sim/PATH with a JSON body (or none); the HTTP status, and the
 * answer parsed into *reply when asked for. */
static long ctl(ctx *c, const char *method, const char *path, const char *json, json_object **reply)
{
	char url[512];
	body b = {NULL, 0};
	long status = 0;
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(url, sizeof url, "%s/_sim/%s", c->url, path);
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &b);
	if (json)
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, json);
	if (curl_easy_perform(c->curl) == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	if (reply)
		*reply = b.p ? json_tokener_parse(b.p) : NULL;
	free(b.p);
	return status;
}

static void set_latency(ctx *c, int ms)
{
	char json[64];
	snprintf(json, sizeof json, "{\"latency_ms\":%d}", ms);
	if (ctl(c, "POST", "config", json, NULL) != 200) {
		fprintf(stderr, "outbox-threads: the emulator refused the latency\n");
		exit(2);
	}
}

/* The organization's wire values of a mailbox's two fields. */
static int org_values(ctx *c, const char *id, int out[NFIELD])
{
	char path[128];
	json_object *row = NULL, *v;
	int ok = 1;
	snprintf(path, sizeof path, "mailboxes(%s)", id);
	if (ctl(c, "GET", path, NULL, &row) != 200 || !row)
		ok = 0;
	for (int f = 0; ok && f < NFIELD; f++) {
		ok = json_object_object_get_ex(row, field_col[f], &v);
		out[f] = ok ? json_object_get_int(v) : -1;
	}
	json_object_put(row);
	return ok;
}

/* Accepted and refused PATCHes of mailbox id in the log since c->log_seq. */
static void count_patches(json_object *log, const char *id, long *accepted, long *rejected)
{
	*accepted = *rejected = 0;
	for (size_t i = 0; log && i < json_object_array_length(log); i++) {
		json_object *e = json_object_array_get_idx(log, i), *m, *u, *s;
		if (!json_object_object_get_ex(e, "method", &m) ||
		    strcmp(json_object_get_string(m), "PATCH") ||
		    !json_object_object_get_ex(e, "uri", &u) ||
		    !strstr(json_object_get_string(u), id) ||
		    !json_object_object_get_ex(e, "status", &s))
			continue;
		*accepted += json_object_get_int(s) / 100 == 2;
		*rejected += json_object_get_int(s) == 412;
	}
}

/* The request log since the last call (the emulator keeps 4096). */
static json_object *fetch_log(ctx *c)
{
	char path[64];
	json_object *log = NULL, *last, *seq;
	size_t n;
	snprintf(path, sizeof path, "requests?since=%lld", c->log_seq);
	if (ctl(c, "GET", path, NULL, &log) != 200 || !json_object_is_type(log, json_type_array)) {
		fprintf(stderr, "outbox-threads: cannot read the emulator's request log\n");
		exit(2);
	}
	n = json_object_array_length(log);
	last = n ? json_object_array_get_idx(log, n - 1) : NULL;
	if (last && json_object_object_get_ex(last, "seq", &seq))
		c->log_seq = json_object_get_int64(seq);
	return log;
}

/* ---- The worker ------------------------------------------------------------ */

static void drain(ctx *c)
{
	ec_job_event ev;
	while (worker_next_event(c->w, &ev))
		;
}

/* Waits until no job is queued or running (the console's idle panel). */
static int wait_idle(ctx *c)
{
	for (int i = 0; i < 20000; i++) {
		drain(c);
		if (worker_pending(c->w) == 0)
			return 1;
		sleep_us(500);
	}
	return 0;
}

static void push(ctx *c, run *r, const char *why)
{
	long id = job_submit_push(c->w);
	c->t.pushes++;
	note(r, "push job %ld (%s)", id, why);
}

/* ---- The steps ------------------------------------------------------------- */

static event *add_event(run *r, char kind, int mb, int f, int v)
{
	event *e = &r->ev[r->nev < MAX_EVENTS ? r->nev++ : MAX_EVENTS - 1];
	e->kind = kind;
	e->mb = mb;
	e->field = f;
	e->val = v;
	e->entry = 0;
	e->cancels = r->cancels;
	return e;
}

/* The UI thread saves a mailbox form: queued in its own session, and a
 * push submitted at times, as the console's save does. */
static void step_edit(ctx *c, run *r)
{
	int mb = rnd(r, NMB), f = rnd(r, NFIELD), v = rnd(r, 3);
	char assign[64], *a[1] = {assign};
	ec_edit_result *res = NULL;
	ec_error err = {0};
	int rc;
	snprintf(assign, sizeof assign, "%s=%s", field_key[f], slugs[f][v]);
	rc = edit_mailboxes(&c->ui, &r->ids[mb], 1, a, 1, &res, &err);
	if (rc == EC_OK && res && res[0].entry) {
		add_event(r, 'e', mb, f, v)->entry = res[0].entry;
		c->t.edits++;
		note(r, "UI edit mb%d %s=%s -> entry %lld", mb, field_key[f], slugs[f][v],
		     res[0].entry);
	} else if (rc == EC_OK) {
		/* Nothing queued: the value is what the UI shows, or an edit set
		 * back to its base left the entry (and an emptied entry goes). */
		add_event(r, 'u', mb, f, v);
		c->t.unchanged++;
		note(r, "UI edit mb%d %s=%s: unchanged", mb, field_key[f], slugs[f][v]);
	} else if (rc == EC_USAGE) {
		c->t.refused++;
		note(r, "UI edit mb%d %s=%s refused: %s", mb, field_key[f], slugs[f][v], err.msg);
	} else {
		violation(r, "the UI could not queue %s (status %d): %s", assign, rc, err.msg);
	}
	edit_results_free(res, 1);
	if (rc == EC_OK && rnd(r, 2))
		push(c, r, "after the save");
}

/* The organization changes a field behind the client's back. */
static void step_org(ctx *c, run *r)
{
	int mb = rnd(r, NMB), f = rnd(r, NFIELD), v = rnd(r, 3);
	char path[128], json[96];
	json_object *reply = NULL, *ver;
	long long version = 0;
	snprintf(path, sizeof path, "mailboxes(%s)", r->ids[mb]);
	snprintf(json, sizeof json, "{\"%s\":%d}", field_col[f], v);
	if (ctl(c, "PATCH", path, json, &reply) != 200) {
		violation(r, "the emulator refused the organization change %s", json);
		json_object_put(reply);
		return;
	}
	if (json_object_object_get_ex(reply, "versionnumber", &ver))
		version = json_object_get_int64(ver);
	json_object_put(reply);
	add_event(r, 'o', mb, f, v);
	c->t.orgs++;
	note(r, "org change mb%d %s=%s (version %lld)", mb, field_key[f], slugs[f][v], version);
}

static void step(ctx *c, run *r)
{
	int k = rnd(r, 20);
	if (k < 7) {
		step_edit(c, r);
	} else if (k < 10) {
		push(c, r, "push");
	} else if (k < 12) {
		long id = job_submit_refresh(c->w);
		c->t.refreshes++;
		note(r, "refresh job %ld", id);
	} else if (k < 16) {
		step_org(c, r);
	} else if (k < 18) {
		worker_cancel(c->w);
		r->cancels++;
		c->t.cancels++;
		note(r, "cancel (%d jobs pending)", worker_pending(c->w));
	} else if (k < 19) {
		int ms = 3 * rnd(r, 4);
		set_latency(c, ms);
		c->t.latencies++;
		note(r, "latency %d ms", ms);
	} else {
		int us = 500 * (1 + rnd(r, 8));
		note(r, "pause %d us", us);
		sleep_us(us);
	}
	drain(c);
	sleep_us(250 * rnd(r, 5));
}

/* ---- The checks ------------------------------------------------------------ */

/* The slug of key in an entry's JSON object, or "" when it lacks it. */
static const char *entry_slug(const char *json, const char *key, char *out, size_t size)
{
	json_object *o = json ? json_tokener_parse(json) : NULL, *v;
	out[0] = '\0';
	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		snprintf(out, size, "%s", json_object_get_string(v));
	json_object_put(o);
	return out;
}

static const ec_outbox_entry *find_entry(const ec_outbox_entry *rows, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (rows[i].id == id)
			return &rows[i];
	return NULL;
}

static int conflict_grounded(const ec_outbox_entry *e)
{
	json_object *ch = json_tokener_parse(e->changes ? e->changes : "{}");
	json_object *base = json_tokener_parse(e->base ? e->base : "{}");
	json_object *theirs = json_tokener_parse(e->theirs ? e->theirs : "{}");
	int ok = 0;
	json_object_object_foreach(ch, k, mine)
	{
		json_object *t = json_object_object_get(theirs, k);
		if (!json_object_equal(t, mine) &&
		    !json_object_equal(t, json_object_object_get(base, k)))
			ok = 1;
	}
	json_object_put(ch);
	json_object_put(base);
	json_object_put(theirs);
	return ok;
}

/* Claims, queued entries left, conflicts without a ground; counts states. */
static void check_entries(ctx *c, run *r, int mb, const ec_outbox_entry *rows, int n)
{
	int conflict_before = 0;
	for (int i = 0; i < n; i++) {
		const ec_outbox_entry *e = &rows[i];
		if (e->claim[0])
			violation(r, "mb%d: entry %lld is still claimed by %s", mb, e->id,
			          e->claim);
		if (e->state == OUTBOX_QUEUED && !conflict_before)
			violation(
			    r, "mb%d: entry %lld is queued after the last push, behind no conflict",
			    mb, e->id);
		if (e->state == OUTBOX_CONFLICT && !conflict_grounded(e))
			violation(
			    r,
			    "mb%d: conflict %lld has no field that differs from mine and base "
			    "(changes %s, base %s, theirs %s)",
			    mb, e->id, e->changes, e->base, e->theirs);
		conflict_before |= e->state == OUTBOX_CONFLICT;
		c->t.sent += e->state == OUTBOX_SENT;
		c->t.conflicts += e->state == OUTBOX_CONFLICT;
		c->t.queued += e->state == OUTBOX_QUEUED;
		c->t.failed += e->state == OUTBOX_FAILED;
	}
}

static int last_event(const run *r, int mb, int f, char kind, int after)
{
	int last = -1;
	for (int i = after + 1; i < r->nev; i++)
		if (r->ev[i].mb == mb && r->ev[i].field == f && (!kind || r->ev[i].kind == kind))
			last = i;
	return last;
}

/* The last edit of the field was sent: the organization has it, or the
 * value of an organization change made after it. */
static void check_sent_edit(run *r, int le, const ec_outbox_entry *e, int final)
{
	const event *ev = &r->ev[le];
	int lo = last_event(r, ev->mb, ev->field, 'o', le);
	char mine[32];
	entry_slug(e->changes, field_key[ev->field], mine, sizeof mine);
	/* A key the entry no longer carries was set back to its base: the
	 * organization must then hold that value, checked below. */
	if (mine[0] && strcmp(mine, slugs[ev->field][ev->val]))
		violation(r, "mb%d: entry %lld carries %s=%s, the UI's last edit was %s", ev->mb,
		          e->id, field_key[ev->field], mine, slugs[ev->field][ev->val]);
	if (final != ev->val && (lo < 0 || final != r->ev[lo].val))
		violation(r, "mb%d: entry %lld was sent with %s=%s, the organization has %s",
		          ev->mb, e->id, field_key[ev->field], slugs[ev->field][ev->val],
		          final >= 0 && final < 3 ? slugs[ev->field][final] : "?");
}

/* The field's last event is an organization change: it stays, unless a
 * sent entry was made on that very value and went out after it. */
static void check_org_last(run *r, int lo, const ec_outbox_entry *rows, int n, int final)
{
	const event *o = &r->ev[lo];
	const char *key = field_key[o->field];
	char base[32], mine[32];
	if (final == o->val)
		return;
	for (int i = 0; final >= 0 && final < 3 && i < n; i++)
		if (rows[i].state == OUTBOX_SENT &&
		    !strcmp(entry_slug(rows[i].base, key, base, sizeof base),
		            slugs[o->field][o->val]) &&
		    !strcmp(entry_slug(rows[i].changes, key, mine, sizeof mine),
		            slugs[o->field][final]))
			return;
	violation(r, "mb%d: the organization's change %s=%s was overwritten with %s", o->mb, key,
	          slugs[o->field][o->val], final >= 0 && final < 3 ? slugs[o->field][final] : "?");
}

static void check_field(run *r, int mb, int f, const ec_outbox_entry *rows, int n, int final)
{
	int le = last_event(r, mb, f, 'e', -1), lo = last_event(r, mb, f, 'o', -1);
	int lu = last_event(r, mb, f, 'u', -1);
	const ec_outbox_entry *e = le >= 0 ? find_entry(rows, n, r->ev[le].entry) : NULL;
	/* Set back to its base since: the key left the entry, which may be gone. */
	bool reverted = le >= 0 && !e && lu > le;
	if (le >= 0 && !e && !reverted)
		violation(r, "mb%d: entry %lld of the UI's edit is gone", mb, r->ev[le].entry);
	else if (e && e->state == OUTBOX_SENT)
		check_sent_edit(r, le, e, final);
	else if (lo > le)
		check_org_last(r, lo, rows, n, final);
	else if (le < 0 && lo < 0 && final != r->initial[mb][f])
		violation(r, "mb%d: %s changed from %d to %d with nothing done to it", mb,
		          field_key[f], r->initial[mb][f], final);
}

/* An organization change that puts back the base of an edit made before a
 * cancel: the edit's PATCH may have arrived unanswered, and it goes out
 * again over what reads as untouched. */
static int is_revert(const run *r, int i, const ec_outbox_entry *rows, int n)
{
	const event *o = &r->ev[i];
	for (int j = 0; j < i; j++) {
		const event *e = &r->ev[j];
		const ec_outbox_entry *en = find_entry(rows, n, e->entry);
		char base[32];
		if (e->kind == 'e' && e->mb == o->mb && e->field == o->field &&
		    o->cancels > e->cancels && en &&
		    !strcmp(entry_slug(en->base, field_key[o->field], base, sizeof base),
		            slugs[o->field][o->val]))
			return 1;
	}
	return 0;
}

/* An edit merged into an entry after a cancel: the entry's PATCH may have
 * arrived unanswered; the merged edit goes out in a second one after the
 * 412 (which settles the field already there). */
static int is_late_merge(const run *r, int i)
{
	const event *e = &r->ev[i];
	for (int j = 0; j < i; j++)
		if (r->ev[j].kind == 'e' && r->ev[j].entry == e->entry)
			return e->cancels > r->ev[j].cancels;
	return 0;
}

/* Accepted PATCHes beyond one per entry that the design allows. */
static int excuses(const run *r, int mb, const ec_outbox_entry *rows, int n)
{
	int count = 0;
	for (int i = 0; i < r->nev; i++)
		if (r->ev[i].mb == mb)
			count +=
			    r->ev[i].kind == 'o' ? is_revert(r, i, rows, n) : is_late_merge(r, i);
	return count;
}

static void check_mailbox(ctx *c, run *r, int mb, json_object *log)
{
	ec_outbox_entry *rows = NULL;
	ec_error err = {0};
	int n = 0, final[NFIELD], excused;
	long accepted, rejected;
	if (cache_outbox_list(c->ui.cache, r->ids[mb], false, &rows, &n, &err) != EC_OK ||
	    !org_values(c, r->ids[mb], final)) {
		violation(r, "mb%d: cannot read the outbox or the organization's row: %s", mb,
		          err.msg);
		cache_free_outbox(rows, n);
		return;
	}
	check_entries(c, r, mb, rows, n);
	for (int f = 0; f < NFIELD; f++)
		check_field(r, mb, f, rows, n, final[f]);
	count_patches(log, r->ids[mb], &accepted, &rejected);
	excused = excuses(r, mb, rows, n);
	if (accepted > n + excused)
		violation(r,
		          "mb%d: %ld accepted PATCHes for %d entries (%d allowed after a cancel)",
		          mb, accepted, n, excused);
	c->t.excused += accepted > n ? accepted - n : 0;
	c->t.accepted += accepted;
	c->t.rejected += rejected;
	note(r, "end mb%d: org act=%d outgoing=%d, %d entries, PATCH accepted %ld, 412 %ld", mb,
	     final[0], final[1], n, accepted, rejected);
	cache_free_outbox(rows, n);
}

/* ---- One seed -------------------------------------------------------------- */

static int play_seed(ctx *c, unsigned seed, int verbose)
{
	static run r;
	json_object *log;
	int steps;
	memset(&r, 0, sizeof r);
	r.seed = seed;
	r.r = seed * 7919u + 1u;
	for (int m = 0; m < NMB; m++) {
		snprintf(r.ids[m], EC_ID_SIZE, "%s",
		         c->ids[(2 * seed + (unsigned)m) % (unsigned)c->nids]);
		if (!org_values(c, r.ids[m], r.initial[m]))
			violation(&r, "mb%d: cannot read the organization's row", m);
		note(&r, "mb%d = %s", m, r.ids[m]);
	}
	set_latency(c, 3 * rnd(&r, 3));
	for (steps = 4 + rnd(&r, 6); steps > 0; steps--)
		step(c, &r);
	if (!wait_idle(c))
		violation(&r, "the worker never became idle");
	set_latency(c, 0);
	push(c, &r, "the last push");
	if (!wait_idle(c))
		violation(&r, "the worker never became idle after the last push");
	log = fetch_log(c);
	for (int m = 0; m < NMB; m++)
		check_mailbox(c, &r, m, log);
	json_object_put(log);
	c->t.seeds++;
	if (r.wlen || verbose)
		printf("seed %u%s\n%s%s", seed, r.wlen ? ": the outbox's promise is broken" : "",
		       r.why, r.hist);
	return r.wlen == 0;
}

/* ---- Set-up ---------------------------------------------------------------- */

static void read_ids(ctx *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[128];
	while (f && c->nids < MAX_IDS && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			snprintf(c->ids[c->nids++], EC_ID_SIZE, "%.36s", line);
	}
	if (f)
		fclose(f);
	if (c->nids < 2) {
		fprintf(stderr, "outbox-threads: %s has fewer than two mailbox ids\n", path);
		exit(2);
	}
}

static void open_all(ctx *c, const char *url, const char *cache)
{
	ec_config_flags flags = {0};
	ec_error err = {0};
	flags.org = url;
	flags.cache = cache;
	c->url = url;
	if (config_load(&flags, &c->cfg, &err) != EC_OK ||
	    cache_open(c->cfg.cache_path, &c->ui.cache, &err) != EC_OK ||
	    worker_start(&c->cfg, &c->w, &err) != EC_OK) {
		fprintf(stderr, "outbox-threads: %s\n", err.msg);
		exit(2);
	}
	/* The console's UI session (loop_queue_session): no client, queue only. */
	c->ui.cfg = &c->cfg;
	c->ui.queue_only = true;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c->curl = curl_easy_init();
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : def;
}

static void print_totals(const totals *t, unsigned first, unsigned last, int bad)
{
	printf("outbox threads: %s (seeds %u..%u; %ld edits, %ld refused, %ld unchanged, %ld "
	       "organization changes, %ld pushes, %ld refreshes, %ld cancels, %ld latency "
	       "changes; entries: %ld sent, %ld conflict, %ld queued, %ld failed; PATCH "
	       "accepted %ld, 412 %ld, %ld more than entries after a cancel)\n",
	       bad ? "FAILED" : "ok", first, last, t->edits, t->refused, t->unchanged, t->orgs,
	       t->pushes, t->refreshes, t->cancels, t->latencies, t->sent, t->conflicts, t->queued,
	       t->failed, t->accepted, t->rejected, t->excused);
}

int main(int argc, char **argv)
{
	static ctx c;
	unsigned first, count;
	int bad = 0, one = getenv("OUTBOX_THREADS_SEED") != NULL;
	if (argc != 4) {
		fprintf(stderr, "usage: outbox-threads URL CACHE IDS_FILE\n");
		return 2;
	}
	read_ids(&c, argv[3]);
	open_all(&c, argv[1], argv[2]);
	first = (unsigned)(one ? env_long("OUTBOX_THREADS_SEED", 1)
	                       : env_long("OUTBOX_THREADS_FIRST", 1));
	count = one ? 1 : (unsigned)env_long("OUTBOX_THREADS_SEEDS", 200);
	json_object_put(fetch_log(&c)); /* from here on */
	for (unsigned s = first; s < first + count && !bad; s++)
		bad = !play_seed(&c, s, one);
	print_totals(&c.t, first, first + (unsigned)c.t.seeds - 1, bad);
	worker_stop(c.w);
	cache_close(c.ui.cache);
	curl_easy_cleanup(c.curl);
	curl_global_cleanup();
	config_free(&c.cfg);
	return bad;
}
