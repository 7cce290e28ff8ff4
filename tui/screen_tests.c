/* screen_tests.c — Test & Enable progress: one row per mailbox of the
 * running (or last) batch with its current stage (rules, approval,
 * connectivity, server, verdict) updated live from the worker's stage
 * events while the admin keeps browsing; a finished row opens to its
 * verdict, every check with its message, and the cause and fix. Starts the
 * batch as a worker job (tests_start). Reads the cache only. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/explain.h"
#include "core/base/i18n.h"
#include "core/jobs/job_types.h"
#include "tui/app.h"
#include "tui/listview.h"

typedef struct test_row {
	char id[EC_ID_SIZE];
	char *name; /* read from the cache when first drawn (ts_name); NULL before */
	char stage[16];
	int status; /* of the stage: CHECK_* or -1 while it runs */
	bool finished;
} test_row;

static struct {
	test_row *rows;
	int *slots; /* hash table of row index + 1 by id: an event finds its row */
	unsigned long nslots;
	int n, done, failed;
	long job;
	bool running, detail, local_only;
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
	for (int i = 0; i < n; i++) {
		memcpy(ts.rows[i].id, ids[i], EC_ID_SIZE);
		tui_copy(ts.rows[i].stage, sizeof ts.rows[i].stage, queued);
		ts.rows[i].status = -1;
	}
	ts_index();
	ts.job = job_submit_test(app->worker, ids, n, opts);
	ts.running = true;
	ts.detail = false;
	ts.local_only = opts->local_only;
	ts.lv.n = n;
	ts.lv.sel = ts.lv.top = 0;
	loop_job_started(app, ts.job, "test", _("Test & Enable"));
	loop_message(app, ROLE_PENDING,
	             _("Test & Enable of %d mailboxes started; keep browsing (1), 6 shows it"), n);
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
	if (strcmp(ev->stage, "verdict") == 0 && !r->finished) {
		r->finished = true;
		ts.done++;
		ts.failed += ev->status == CHECK_FAIL;
	}
}

void tests_on_done(tui_app *app, const ec_job_event *ev)
{
	(void)app;
	if (ev->job != ts.job)
		return;
	ts.running = false;
	for (int i = 0; i < ts.n; i++)
		if (!ts.rows[i].finished)
			snprintf(ts.rows[i].stage, sizeof ts.rows[i].stage, "%s", _("stopped"));
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

unsigned tests_cmd(tui_app *app, int op)
{
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
	if (!ts.have_result) {
		draw_text(app, r.y, r.x, r.w, ROLE_DIM, _("no stored result for this mailbox"));
		return;
	}
	draw_fmt(app, r.y, r.x, r.w, ts_role((int)t->verdict), _("%s - verdict: %s  (%s)"),
	         t->name                   ? t->name
	         : ts.rows[ts.lv.sel].name ? ts.rows[ts.lv.sel].name
	                                   : "",
	         check_status_slug(t->verdict), t->finished_on);
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

static void ts_draw(tui_app *app, tui_rect r)
{
	int nw = r.w >= 100 ? 36 : 24;
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
	draw_fmt(app, r.y, r.x, r.w, ROLE_HEADER, _("Test & Enable%s: %d of %d done, %d failed%s"),
	         ts.local_only ? _(" (local checks)") : "", ts.done, ts.n, ts.failed,
	         ts.running ? _(" - running") : "");
	listview_fit(&ts.lv, r.h - 2);
	draw_text(app, r.y + 1, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y + 1, r.x, nw, ROLE_HEADER, _("Mailbox"));
	draw_text(app, r.y + 1, r.x + nw + 1, 14, ROLE_HEADER, _("Stage"));
	draw_text(app, r.y + 1, r.x + nw + 16, r.w - nw - 16, ROLE_HEADER, _("Status"));
	for (int i = 0; i < ts.lv.h && ts.lv.top + i < ts.n; i++) {
		test_row *row = &ts.rows[ts.lv.top + i];
		bool sel = ts.lv.top + i == ts.lv.sel;
		int y = r.y + 2 + i;
		const char *st =
		    row->status < 0 ? draw_sym(app, "\u2026", "...")
		    : row->finished
		        ? (row->status == CHECK_PASS ? _("passed") : _("failed (Enter)"))
		        : check_status_slug((enum ec_check_status)row->status);
		ts_name(app, row);
		draw_text(app, y, r.x, r.w, sel ? ROLE_SELECTED : ROLE_NORMAL, "");
		draw_text(app, y, r.x, nw, sel ? ROLE_SELECTED : ROLE_NORMAL, row->name);
		draw_text(app, y, r.x + nw + 1, 14, sel ? ROLE_SELECTED : ROLE_NORMAL, row->stage);
		draw_text(app, y, r.x + nw + 16, r.w - nw - 16,
		          sel               ? ROLE_SELECTED
		          : row->status < 0 ? ROLE_PENDING
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
