/* panel_status.c — the live status panel (at the bottom, or beside the list
 * on wide terminals): organization and connection (last and next refresh,
 * round trip, throttled), counts per channel (success / failure / not run),
 * pending approvals, inactive mailboxes, queued edits and conflicts, rows a
 * sync could not read fully, the
 * running jobs with progress bars, and the latest alerts. Asks the reader
 * thread for the counts and alerts on reload; draws from memory, so the loop may redraw it
 * every second without touching the cache. Never moves the selection. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/model/options.h"
#include "tui/app.h"

#define PANEL_ALERTS 4

static ec_alert *alerts;
static int nalerts;

/* The numbers take a scan of every mailbox: the reader counts them. */
void panel_reload(tui_app *app)
{
	static long gen;
	loop_ask(app, VIEW_STATUS, ++gen, NULL, NULL, NULL);
}

unsigned panel_answer(tui_app *app, view_answer *a)
{
	if (a->status != EC_OK) {
		app->counts_valid = false;
		return RX_PANEL;
	}
	app->counts = a->counts;
	app->counts_valid = true;
	cache_free_alerts(alerts, nalerts);
	alerts = a->alerts, nalerts = a->nalerts;
	a->alerts = NULL, a->nalerts = 0; /* kept */
	return RX_PANEL | RX_BODY;
}

typedef struct panel_line {
	struct {
		enum tui_role role;
		char text[160];
	} seg[12];
	int n;
	long bar_done, bar_total; /* a progress bar at the end when bar_total != 0 */
} panel_line;

static void seg_add(panel_line *l, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seg_add(panel_line *l, enum tui_role role, const char *fmt, ...)
{
	va_list ap;
	if (l->n == 12)
		return;
	va_start(ap, fmt);
	vsnprintf(l->seg[l->n].text, sizeof l->seg[l->n].text, fmt, ap);
	va_end(ap);
	l->seg[l->n++].role = role;
}

static void panel_connection(tui_app *app, panel_line *l)
{
	double now = loop_now();
	const char *ls = app->counts.last_sync;
	if (app->cfg->offline || !app->cfg->org_url) {
		seg_add(l, ROLE_WARN, "%s",
		        app->cfg->offline ? _("offline") : _("no organization"));
		seg_add(l, ROLE_NORMAL, _("  cache synced %s"),
		        app->counts_valid && ls[0] ? ls : _("never"));
		return;
	}
	seg_add(l, ROLE_NORMAL, _("refresh: last %s"),
	        app->counts_valid && strlen(ls) >= 19 ? ls + 11 : _("never"));
	if (app->refresh_job)
		seg_add(l, ROLE_PENDING, "%s", _("  now"));
	else if (app->next_refresh > 0)
		seg_add(l, ROLE_NORMAL, _("  next in %.0f s"),
		        app->next_refresh > now ? app->next_refresh - now : 0.0);
	if (app->rtt_ms > 0)
		seg_add(l, ROLE_NORMAL, _("  rtt %ld ms"), app->rtt_ms);
	/* The wait's own words: "throttled by the organization, retrying in
	 * 2 s" or "connection failed, retrying in 1 s". */
	if (app->wait_text[0])
		seg_add(l, ROLE_WARN, "  %s", app->wait_text);
	else if (app->throttled)
		seg_add(l, ROLE_WARN, "%s", _("  throttled"));
}

static void panel_channel(tui_app *app, panel_line *l, const char *name,
                          const struct ec_channel_counts *c)
{
	enum tui_role r;
	seg_add(l, ROLE_HEADER, "%-9s", name);
	seg_add(l, ROLE_OK, "%s %ld ", draw_status_symbol(app, STATUS_SUCCESS, &r), c->success);
	seg_add(l, c->failure ? ROLE_FAIL : ROLE_DIM, "%s %ld ",
	        draw_status_symbol(app, STATUS_FAILURE, &r), c->failure);
	seg_add(l, ROLE_DIM, "%s %ld  ", draw_status_symbol(app, STATUS_NOT_RUN, &r), c->not_run);
}

static void panel_outbox(tui_app *app, panel_line *l)
{
	const struct ec_status_counts *c = &app->counts;
	seg_add(l, c->approval_pending ? ROLE_WARN : ROLE_NORMAL, _("approvals pending %ld  "),
	        c->approval_pending);
	seg_add(l, ROLE_NORMAL, _("inactive %ld  "), c->inactive);
	seg_add(l, c->queued ? ROLE_PENDING : ROLE_NORMAL, _("queued edits %ld  "), c->queued);
	seg_add(l, c->conflicts ? ROLE_CONFLICT : ROLE_NORMAL, _("conflicts %ld"), c->conflicts);
	if (c->unreadable) /* rows a sync kept and marked: see sync.h */
		seg_add(l, ROLE_WARN, _("  not read fully %ld"), c->unreadable);
}

static int panel_jobs(tui_app *app, panel_line *lines, int max)
{
	int n = 0;
	for (int i = 0; i < TUI_MAX_JOBS && n < max; i++) {
		const tui_job *j = &app->jobs[i];
		panel_line *l = &lines[n];
		if (!j->active)
			continue;
		memset(l, 0, sizeof *l);
		seg_add(l, ROLE_PENDING, "%s", j->name);
		seg_add(l, ROLE_NORMAL, " %s ", j->label);
		if (j->total > 0)
			seg_add(l, ROLE_NORMAL, "%ld/%ld ", j->done, j->total);
		if (j->failures)
			seg_add(l, ROLE_FAIL, _("%ld failed "), j->failures);
		l->bar_done = j->done;
		l->bar_total = j->total > 0 ? j->total : -1;
		n++;
	}
	return n;
}

static void panel_alert(tui_app *app, panel_line *l, const ec_alert *a)
{
	(void)app;
	seg_add(l,
	        a->level == LEVEL_ERROR     ? ROLE_FAIL
	        : a->level == LEVEL_WARNING ? ROLE_WARN
	                                    : ROLE_DIM,
	        "%s ",
	        a->level == LEVEL_ERROR     ? "E"
	        : a->level == LEVEL_WARNING ? "W"
	                                    : "I");
	seg_add(l, ROLE_NORMAL, "%.150s", a->text ? a->text : "");
}

static int panel_build(tui_app *app, panel_line *lines, int max, bool side)
{
	int n = 0;
	const struct ec_status_counts *c = &app->counts;
	memset(lines, 0, sizeof *lines * (size_t)max);
	panel_connection(app, &lines[n++]);
	if (app->counts_valid) {
		if (side) {
			panel_channel(app, &lines[n++], _("Incoming"), &c->incoming);
			panel_channel(app, &lines[n++], _("Outgoing"), &c->outgoing);
			panel_channel(app, &lines[n++], _("ACT"), &c->act);
		} else {
			panel_channel(app, &lines[n], _("Incoming"), &c->incoming);
			panel_channel(app, &lines[n], _("Outgoing"), &c->outgoing);
			panel_channel(app, &lines[n++], _("ACT"), &c->act);
		}
		panel_outbox(app, &lines[n++]);
	}
	n += panel_jobs(app, lines + n, max - n);
	for (int i = 0; i < nalerts && n < max; i++)
		panel_alert(app, &lines[n++], &alerts[i]);
	return n;
}

void panel_draw(tui_app *app, tui_rect r)
{
	panel_line lines[24];
	int n, y0 = r.y + 1, x0 = r.x, w = r.w;
	char title[64];
	if (r.h <= 0 || r.w <= 0)
		return;
	draw_fill(app, r, ROLE_NORMAL);
	if (app->panel_side) {
		x0 += 2;
		w -= 2;
		for (int y = r.y; y < r.y + r.h; y++)
			draw_text(app, y, r.x, 1, ROLE_DIM, draw_sym(app, "\u2502", "|"));
	}
	draw_hline(app, r.y, x0, w, ROLE_DIM);
	snprintf(title, sizeof title, _(" Status %s %ld mailboxes "), draw_sym(app, "\u00b7", "-"),
	         app->counts.mailboxes);
	draw_span(app, r.y, x0 + 2, w - 2, ROLE_HEADER, title);
	n = panel_build(app, lines, r.h - 1 < 24 ? r.h - 1 : 24, app->panel_side);
	for (int i = 0; i < n; i++) {
		int x = x0;
		for (int s = 0; s < lines[i].n && x < x0 + w; s++)
			x += draw_span(app, y0 + i, x, x0 + w - x, lines[i].seg[s].role,
			               lines[i].seg[s].text);
		if (lines[i].bar_total && x0 + w - x >= 12)
			draw_bar(app, y0 + i, x, x0 + w - x < 40 ? x0 + w - x : 40,
			         lines[i].bar_done, lines[i].bar_total);
	}
}
