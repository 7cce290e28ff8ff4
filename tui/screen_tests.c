/* screen_tests.c — Test & Enable progress: one row per mailbox of the
 * running (or last) batch with its current stage (rules, approval,
 * connectivity, scheduled, waiting, verdict) updated live from the
 * worker's stage events while the admin keeps browsing. The header counts
 * the rows per stage, the failures per cause and the time left; a failed
 * row shows its cause, and opens to its verdict, every check with its
 * message, and the cause and fix (Enter there, or o on a row, reads it
 * whole in the pager). Starts the batch as a worker job
 * (tests_start). Reads the cache only; events are its only input from the
 * worker, so nothing here waits on it. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/sanitize.h"
#include "core/model/explain.h"
#include "core/base/i18n.h"
#include "core/base/timefmt.h"
#include "core/jobs/job_types.h"
#include "core/jobs/test_tally.h"
#include "tui/app.h"
#include "tui/listview.h"

/* A row's status when the run stopped before its verdict. */
#define TS_STOPPED (-2)

typedef struct test_row {
	char id[EC_ID_SIZE];
	char *name; /* read from the cache when first drawn (ts_name); NULL before */
	char stage[16];
	int status; /* of the stage: CHECK_* or -1 while it runs */
	bool finished;
	signed char bucket; /* enum tally_bucket */
	signed char cause;  /* index into ts.tally.causes of a failed verdict, or -1 */
} test_row;

static struct {
	test_row *rows;
	int *slots; /* hash table of row index + 1 by id: an event finds its row */
	unsigned long nslots;
	int n, done, failed;
	test_tally tally; /* the header's stage counts and causes */
	long job;
	bool running, detail, local_only;
	time_t started, ended;
	listview lv;
	ec_test_result result;
	bool have_result;
} ts;

static unsigned long ts_hash(const char *id)
{
	unsigned long h = 1469598103934665603UL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211UL;
	return h;
}

/* Rows by id in O(n): sorting 20,000 ids took 50 ms of the key. */
static void ts_index(void)
{
	free(ts.slots);
	for (ts.nslots = 64; ts.nslots < (unsigned long)ts.n * 2; ts.nslots *= 2)
		;
	ts.slots = ec_xcalloc(ts.nslots, sizeof *ts.slots);
	for (int i = 0; i < ts.n; i++) {
		unsigned long k = ts_hash(ts.rows[i].id) & (ts.nslots - 1);
		while (ts.slots[k])
			k = (k + 1) & (ts.nslots - 1);
		ts.slots[k] = i + 1;
	}
}

static long ts_now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec;
}

/* Starting a batch of 20,000 must not read 20,000 names on the UI thread:
 * a row's name is read when it is first drawn (ts_name). */
void tests_start(tui_app *app, char (*ids)[EC_ID_SIZE], int n, const struct ec_test_opts *opts)
{
	const char *queued = _("queued"); /* once, not per row */
	for (int i = 0; i < ts.n; i++)
		free(ts.rows[i].name);
	free(ts.rows);
	/* Rows are small (no name): 20,000 of them are touched, page by page. */
	ts.rows = ec_xcalloc((unsigned long)(n ? n : 1), sizeof *ts.rows);
	ts.n = n;
	ts.done = ts.failed = 0;
	tally_clear(&ts.tally);
	for (int i = 0; i < n; i++) {
		memcpy(ts.rows[i].id, ids[i], EC_ID_SIZE);
		tui_copy(ts.rows[i].stage, sizeof ts.rows[i].stage, queued);
		ts.rows[i].status = -1;
		ts.rows[i].bucket = TB_QUEUED;
		ts.rows[i].cause = -1;
	}
	ts_index();
	ts.job = job_submit_test(app->worker, ids, n, opts);
	ts.running = true;
	ts.started = ts_now_s();
	ts.detail = false;
	ts.local_only = opts->local_only;
	ts.lv.n = n;
	ts.lv.sel = ts.lv.top = 0;
	loop_job_started(app, ts.job, "test", _("Test & Enable"));
	loop_message(
	    app, ROLE_PENDING,
	    ngettext("Test & Enable of %d mailbox started; keep browsing (1), 6 shows it",
	             "Test & Enable of %d mailboxes started; keep browsing (1), 6 shows it",
	             (unsigned long)n),
	    n);
	loop_switch_screen(app, SCR_TESTS);
}

static void ts_name(tui_app *app, test_row *r)
{
	ec_mailbox m;
	ec_error err;
	if (r->name)
		return;
	mailbox_init(&m);
	r->name = ec_strdup(
	    cache_get_mailbox(app->cache, r->id, &m, &err) == EC_OK && m.name ? m.name : "");
	mailbox_free(&m);
}

static test_row *ts_find(const char *id)
{
	unsigned long k;
	if (!ts.nslots)
		return NULL;
	for (k = ts_hash(id) & (ts.nslots - 1); ts.slots[k]; k = (k + 1) & (ts.nslots - 1))
		if (strcmp(ts.rows[ts.slots[k] - 1].id, id) == 0)
			return &ts.rows[ts.slots[k] - 1];
	return NULL;
}

void tests_on_stage(tui_app *app, const ec_job_event *ev)
{
	test_row *r;
	(void)app;
	if (ev->job != ts.job || !(r = ts_find(ev->subject)))
		return;
	snprintf(r->stage, sizeof r->stage, "%s", ev->stage);
	r->status = ev->status;
	tally_move(&ts.tally, &r->bucket, ev->stage);
	if (strcmp(ev->stage, "verdict") == 0 && !r->finished) {
		r->finished = true;
		ts.done++;
		if (ev->status == CHECK_FAIL) {
			ts.failed++;
			r->cause = (signed char)tally_cause_add(&ts.tally, ev->message);
		}
	}
}

/* Stopped or ended: every verdict reached stays (the job stored it); the
 * rows still on their way say they were stopped and leave the counts. */
void tests_on_done(tui_app *app, const ec_job_event *ev)
{
	(void)app;
	if (ev->job != ts.job)
		return;
	ts.running = false;
	for (int i = 0; i < ts.n; i++)
		if (!ts.rows[i].finished) {
			snprintf(ts.rows[i].stage, sizeof ts.rows[i].stage, "%s", _("stopped"));
			ts.rows[i].status = TS_STOPPED;
			if (ts.rows[i].bucket != TB_QUEUED)
				ts.tally.counts[ts.rows[i].bucket]--;
			ts.rows[i].bucket = TB_QUEUED;
		}
}

static void ts_reload(tui_app *app)
{
	ec_error err;
	if (ts.have_result)
		test_result_free(&ts.result);
	ts.have_result = false;
	if (ts.detail && ts.n > 0) {
		test_result_init(&ts.result);
		ts.have_result =
		    cache_test_last(app->cache, ts.rows[ts.lv.sel].id, &ts.result, &err) == EC_OK;
	}
}

static unsigned ts_read(tui_app *app);

unsigned tests_cmd(tui_app *app, int op)
{
	if (op == OP_READ && ts.n > 0)
		return ts_read(app);
	/* Enter on the verdict reads it whole (its lines are cut). */
	if (op == OP_ENTER && ts.detail && ts.n > 0)
		return ts_read(app);
	if (op == OP_ESC) {
		if (ts.detail) {
			ts.detail = false;
			return RX_BODY;
		}
		loop_back(app);
		return RX_ALL;
	}
	if (op == OP_ENTER && !ts.detail && ts.n > 0) {
		if (!ts.rows[ts.lv.sel].finished) {
			loop_message(app, ROLE_DIM, "%s",
			             _("still running; Enter opens a finished row"));
			return RX_MESSAGE;
		}
		ts.detail = true;
		ts_reload(app);
		return RX_BODY;
	}
	return !ts.detail && listview_op(&ts.lv, op) ? RX_BODY : RX_NONE;
}

static enum tui_role ts_role(int status)
{
	return status == CHECK_PASS ? ROLE_OK : status == CHECK_FAIL ? ROLE_FAIL : ROLE_DIM;
}

static void ts_draw_detail(tui_app *app, tui_rect r)
{
	const ec_test_result *t = &ts.result;
	int y = r.y + 1;
	char when[40];
	if (!ts.have_result) {
		draw_text(app, r.y, r.x, r.w, ROLE_DIM, _("no stored result for this mailbox"));
		return;
	}
	timefmt_local(t->finished_on, false, when, sizeof when);
	draw_fmt(app, r.y, r.x, r.w, ts_role((int)t->verdict), _("%s - verdict: %s  (%s)"),
	         t->name                   ? t->name
	         : ts.rows[ts.lv.sel].name ? ts.rows[ts.lv.sel].name
	                                   : "",
	         check_status_slug(t->verdict), when);
	for (int i = 0; i < t->nchecks && y < r.y + r.h; i++) {
		const ec_check *c = &t->checks[i];
		draw_fmt(app, y++, r.x + 2, r.w - 2, ts_role((int)c->status), "%-13s %-9s %-5s %s",
		         c->stage, c->channel, check_status_slug(c->status),
		         c->message ? c->message : "");
		if (c->status == CHECK_FAIL && c->fix && c->fix[0] && y < r.y + r.h)
			draw_fmt(app, y++, r.x + 16, r.w - 16, ROLE_OK, _("fix: %s"), c->fix);
		if (c->status == CHECK_FAIL && c->code && c->code[0] && y < r.y + r.h) {
			const ec_cause *cause = explain_code(c->code);
			if (cause)
				draw_fmt(app, y++, r.x + 16, r.w - 16, ROLE_NORMAL, _("cause: %s"),
				         _(cause->title));
		}
	}
}

/* "about N min left" from the pace so far; empty before the first verdict. */
static void ts_eta(char *out, size_t size)
{
	long elapsed = ts_now_s() - ts.started, left;
	out[0] = '\0';
	if (!ts.running || ts.done == 0 || ts.done >= ts.n)
		return;
	left = (long)((double)elapsed * (ts.n - ts.done) / ts.done + 0.5);
	if (left < 90)
		snprintf(out, size, _(", about %ld s left"), left);
	else if (left < 5400)
		snprintf(out, size, _(", about %ld min left"), (left + 59) / 60);
	else
		snprintf(out, size, _(", about %ld h %02ld min left"), left / 3600,
		         (left % 3600 + 59) / 60);
}

/* Line 2: how many rows are at each stage now. */
static void ts_draw_counts(tui_app *app, int y, int x, int w)
{
	char line[400];
	tally_counts_line(&ts.tally, "  ", line, sizeof line);
	draw_text(app, y, x, w, ROLE_NORMAL, line);
}

/* Line 3: the failures by cause, the most frequent first. */
static void ts_draw_causes(tui_app *app, int y, int x, int w)
{
	char line[1200];
	if (!tally_causes_line(&ts.tally, line, sizeof line))
		draw_text(app, y, x, w, ROLE_DIM, _("no failures"));
	else
		draw_text(app, y, x, w, ROLE_FAIL, line);
}

/* A row's status: its stage's, or its verdict with the cause of a failure
 * (the issue: 17 failures took 17 Enters to read). */
static const char *ts_row_status(tui_app *app, const test_row *row, char *buf, size_t size)
{
	if (row->status == TS_STOPPED)
		return _("not judged");
	/* Scheduled or waiting: the organization's test runs. */
	if (row->status < 0 ||
	    (!row->finished && (row->bucket == TB_SCHEDULED || row->bucket == TB_WAITING)))
		return draw_sym(app, "\u2026", "...");
	if (!row->finished)
		return check_status_slug((enum ec_check_status)row->status);
	if (row->status == CHECK_PASS)
		return _("passed");
	if (row->status != CHECK_FAIL)
		return _("nothing to test");
	snprintf(buf, size, _("failed: %s"),
	         row->cause >= 0 ? ts.tally.causes[row->cause].text : "");
	return buf;
}

/* Appends to a growing text (the pager's). */
static void ts_cat(char **s, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ts_cat(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*s = ec_xrealloc(*s, *len + (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(*s + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
}

/* The whole of a row in the pager: the stored verdict with every check's
 * message, fix and cause when it finished; else its stage and status. */
static unsigned ts_read(tui_app *app)
{
	test_row *row = &ts.rows[ts.lv.sel];
	ec_test_result t;
	ec_error err;
	char *text = NULL, buf[TALLY_CAUSE_LEN + 64];
	size_t len = 0;
	ts_name(app, row);
	test_result_init(&t);
	if (row->finished && cache_test_last(app->cache, row->id, &t, &err) == EC_OK) {
		char when[40];
		timefmt_local(t.finished_on, false, when, sizeof when);
		ts_cat(&text, &len, _("verdict: %s  (%s)"), check_status_slug(t.verdict), when);
		for (int i = 0; i < t.nchecks; i++) {
			const ec_check *c = &t.checks[i];
			const ec_cause *cause = c->status == CHECK_FAIL && c->code && c->code[0]
			                            ? explain_code(c->code)
			                            : NULL;
			ts_cat(&text, &len, "\n\n%s %s: %s\n%s", c->stage, c->channel,
			       check_status_slug(c->status), c->message ? c->message : "");
			if (c->status == CHECK_FAIL && c->fix && c->fix[0])
				ts_cat(&text, &len, "\n%s", c->fix);
			if (cause)
				ts_cat(&text, &len, "\n%s: %s", _("cause"), _(cause->title));
		}
	} else {
		ts_cat(&text, &len, "%s: %s\n%s", _("Stage"), row->stage,
		       ts_row_status(app, row, buf, sizeof buf));
	}
	test_result_free(&t);
	pager_open(app, row->name, text);
	free(text);
	return RX_OVERLAY;
}

static void ts_draw(tui_app *app, tui_rect r)
{
	int nw = r.w >= 100 ? 36 : 24;
	char eta[80];
	draw_fill(app, r, ROLE_NORMAL);
	if (ts.n == 0) {
		draw_text(app, r.y + 1, r.x + 2, r.w - 2, ROLE_DIM,
		          _("no Test & Enable run yet: tag mailboxes on screen 1 and press T"));
		return;
	}
	if (ts.detail) {
		ts_draw_detail(app, r);
		return;
	}
	ts_eta(eta, sizeof eta);
	draw_fmt(app, r.y, r.x, r.w, ROLE_HEADER,
	         _("Test & Enable%s: %d of %d done, %d failed%s%s"),
	         ts.local_only ? _(" (local checks)") : "", ts.done, ts.n, ts.failed,
	         ts.running ? _(" - running") : "", eta);
	ts_draw_counts(app, r.y + 1, r.x, r.w);
	ts_draw_causes(app, r.y + 2, r.x, r.w);
	listview_fit(&ts.lv, r.h - 4);
	draw_text(app, r.y + 3, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y + 3, r.x, nw, ROLE_HEADER, _("Mailbox"));
	draw_text(app, r.y + 3, r.x + nw + 1, 14, ROLE_HEADER, _("Stage"));
	draw_text(app, r.y + 3, r.x + nw + 16, r.w - nw - 16, ROLE_HEADER, _("Status"));
	for (int i = 0; i < ts.lv.h && ts.lv.top + i < ts.n; i++) {
		test_row *row = &ts.rows[ts.lv.top + i];
		bool sel = ts.lv.top + i == ts.lv.sel;
		int y = r.y + 4 + i;
		char buf[TALLY_CAUSE_LEN + 64];
		const char *st = ts_row_status(app, row, buf, sizeof buf);
		ts_name(app, row);
		draw_text(app, y, r.x, r.w, sel ? ROLE_SELECTED : ROLE_NORMAL, "");
		draw_text(app, y, r.x, nw, sel ? ROLE_SELECTED : ROLE_NORMAL, row->name);
		draw_text(app, y, r.x + nw + 1, 14, sel ? ROLE_SELECTED : ROLE_NORMAL, row->stage);
		draw_text(app, y, r.x + nw + 16, r.w - nw - 16,
		          sel                         ? ROLE_SELECTED
		          : row->status == TS_STOPPED ? ROLE_DIM
		          : row->status < 0           ? ROLE_PENDING
		                                      : ts_role(row->status),
		          st);
	}
}

const tui_screen screen_tests = {
    .title = N_("Test & Enable"),
    .enter = NULL,
    .reload = ts_reload,
    .draw = ts_draw,
    .key = NULL,
    .unsaved = NULL,
};
