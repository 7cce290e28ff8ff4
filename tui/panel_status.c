/* panel_status.c — the live status panel (at the bottom, or beside the list
 * on wide terminals): organization and connection (last and next refresh,
 * round trip, throttled), counts per channel (success / failure / not run),
 * the trend of failing mailboxes per channel over the newest syncs (a
 * sparkline) and what the last sync changed, pending approvals, inactive
 * mailboxes, queued edits and conflicts, rows a sync could not read fully,
 * the running jobs with progress bars, and the latest alerts. Asks the reader
 * thread for the counts and alerts on reload; draws from memory, so the loop may redraw it
 * every second without touching the cache. Never moves the selection. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/model/options.h"
#include "core/model/trend.h"
#include "tui/app.h"

#define PANEL_ALERTS 4
/* Syncs drawn beside each channel in the side panel (46 or 56 wide). */
#define PANEL_SIDE_POINTS 10

static ec_alert *alerts;
static int nalerts;
/* The reader's history: failing mailboxes per channel over the newest syncs
 * (oldest first), and what the newest sync changed. */
static struct {
	long failing[3][VIEW_TREND_MAX];
	int n;
	long went_failing, recovered;
} trend;

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
	memcpy(trend.failing, a->trend, sizeof trend.failing);
	trend.n = a->ntrend;
	trend.went_failing = a->last_failing, trend.recovered = a->last_recovered;
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

/* The newest n (at most) failing counts of channel ch as a sparkline. */
static void panel_spark(const tui_app *app, int ch, int n, char *buf, size_t size)
{
	if (n > trend.n)
		n = trend.n;
	trend_sparkline(trend.failing[ch] + trend.n - n, n, app->ascii, buf, size);
}

/* What the newest sync changed: "last sync: +12 failing, 3 recovered". */
static void panel_changes(panel_line *l)
{
	if (!trend.n)
		return;
	if (!trend.went_failing && !trend.recovered) {
		seg_add(l, ROLE_DIM, "%s", _("last sync: no change"));
		return;
	}
	seg_add(l, ROLE_NORMAL, "%s", _("last sync: "));
	seg_add(l, trend.went_failing ? ROLE_FAIL : ROLE_DIM, _("+%ld failing"),
	        trend.went_failing);
	seg_add(l, ROLE_NORMAL, "%s", ", ");
	seg_add(l, trend.recovered ? ROLE_OK : ROLE_DIM, _("%ld recovered"), trend.recovered);
}

/* Below the list: the three channels' trends on one line, as many syncs as
 * the width takes beside the changes of the last one. */
static void panel_trend_line(tui_app *app, panel_line *l, int w)
{
	static const char *const names[3] = {N_("in"), N_("out"), N_("ACT")};
	char spark[VIEW_TREND_MAX * 4 + 1];
	int points = (w - 9 - 3 * 6 - 34) / 3;
	seg_add(l, ROLE_HEADER, "%-9s", _("Failing"));
	if (!trend.n) {
		seg_add(l, ROLE_DIM, "%s", _("no history yet: each sync adds a point"));
		return;
	}
	points = points < 3 ? 3 : points > VIEW_TREND_MAX ? VIEW_TREND_MAX : points;
	for (int ch = 0; ch < 3; ch++) {
		panel_spark(app, ch, points, spark, sizeof spark);
		seg_add(l, ROLE_DIM, "%s ", _(names[ch]));
		seg_add(l, trend.failing[ch][trend.n - 1] ? ROLE_FAIL : ROLE_NORMAL, "%s  ", spark);
	}
	panel_changes(l);
}
/* A channel's counts; in the side panel (spark_points > 0) followed by its
 * trend. */
static void panel_channel(tui_app *app, panel_line *l, int ch, const char *name,
                          const struct ec_channel_counts *c, int spark_points)
{
	enum tui_role r;
	seg_add(l, ROLE_HEADER, "%-9s", name);
	seg_add(l, ROLE_OK, "%s %ld ", draw_status_symbol(app, STATUS_SUCCESS, &r), c->success);
	seg_add(l, c->failure ? ROLE_FAIL : ROLE_DIM, "%s %ld ",
	        draw_status_symbol(app, STATUS_FAILURE, &r), c->failure);
	seg_add(l, ROLE_DIM, "%s %ld  ", draw_status_symbol(app, STATUS_NOT_RUN, &r), c->not_run);
	if (spark_points > 0 && trend.n) {
		char spark[VIEW_TREND_MAX * 4 + 1];
		panel_spark(app, ch, spark_points, spark, sizeof spark);
		seg_add(l, c->failure ? ROLE_FAIL : ROLE_NORMAL, "%s", spark);
	}
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

static int panel_build(tui_app *app, panel_line *lines, int max, bool side, int w)
{
	int n = 0;
	const struct ec_status_counts *c = &app->counts;
	memset(lines, 0, sizeof *lines * (size_t)max);
	panel_connection(app, &lines[n++]);
	if (app->counts_valid) {
		if (side) {
			panel_channel(app, &lines[n++], 0, _("Incoming"), &c->incoming,
			              PANEL_SIDE_POINTS);
			panel_channel(app, &lines[n++], 1, _("Outgoing"), &c->outgoing,
			              PANEL_SIDE_POINTS);
			panel_channel(app, &lines[n++], 2, _("ACT"), &c->act, PANEL_SIDE_POINTS);
			if (trend.n)
				panel_changes(&lines[n++]);
		} else {
			panel_channel(app, &lines[n], 0, _("Incoming"), &c->incoming, 0);
			panel_channel(app, &lines[n], 1, _("Outgoing"), &c->outgoing, 0);
			panel_channel(app, &lines[n++], 2, _("ACT"), &c->act, 0);
			panel_trend_line(app, &lines[n++], w);
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
	n = panel_build(app, lines, r.h - 1 < 24 ? r.h - 1 : 24, app->panel_side, w);
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
