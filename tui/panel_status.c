/* panel_status.c — the live status panel (at the bottom, or beside the list
 * on wide terminals): organization and connection (last and next refresh,
 * round trip while connected, throttled), counts per channel (success /
 * failure / not run / not used, with a legend in the title), the trend of
 * failing mailboxes per channel over the newest syncs (a sparkline) and
 * the newest changes of failures and when, approvals ("N pending (M blocking mail)"),
 * inactive mailboxes, queued, conflicting and failed edits, rows a sync could not
 * read fully, the running jobs with progress bars, and the latest alerts.
 * Each number is a hit: a click on it, or Left/Right and Enter once the
 * panel has the focus (panel_cmd), lists exactly the mailboxes it counts on
 * the Mailboxes screen (the filter is written here beside the number; the
 * counts in core/cache/cache_mailboxes.c count what that filter lists).
 * Asks the reader thread for the counts and alerts on reload; draws from
 * memory, so the loop may redraw it every second without touching the
 * cache. Never moves the selection. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/base/timefmt.h"
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
	char changed_on[EC_TIME_SIZE];
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
	memcpy(trend.changed_on, a->last_changed_on, sizeof trend.changed_on);
	return RX_PANEL | RX_BODY;
}

typedef struct panel_line {
	struct {
		enum tui_role role;
		char text[160];
		int hit; /* index into hits, -1 none */
	} seg[32];
	int n;
	long bar_done, bar_total; /* a progress bar at the end when bar_total != 0 */
} panel_line;

/* The numbers that can be chosen, in drawing order: what each lists (a
 * built-in view and a filter on the Mailboxes screen, or another screen),
 * and where it was drawn last. */
#define PANEL_HITS 24
static struct {
	struct {
		char view[24], filter[120];
		enum tui_screen_id screen;
		int y, x, w; /* w 0: not drawn (no room) */
	} hit[PANEL_HITS];
	int n, focus;
	bool focused;
} hits;

static void seg_add(panel_line *l, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seg_add(panel_line *l, enum tui_role role, const char *fmt, ...)
{
	va_list ap;
	if (l->n == 32)
		return;
	va_start(ap, fmt);
	vsnprintf(l->seg[l->n].text, sizeof l->seg[l->n].text, fmt, ap);
	va_end(ap);
	l->seg[l->n].hit = -1;
	l->seg[l->n++].role = role;
}

/* The last segment added is a hit that lists view + filter (or screen). */
static void seg_hit(panel_line *l, enum tui_screen_id screen, const char *view, const char *filter)
{
	if (!l->n || hits.n == PANEL_HITS)
		return;
	tui_copy(hits.hit[hits.n].view, sizeof hits.hit[hits.n].view, view);
	tui_copy(hits.hit[hits.n].filter, sizeof hits.hit[hits.n].filter, filter);
	hits.hit[hits.n].screen = screen;
	hits.hit[hits.n].w = 0;
	l->seg[l->n - 1].hit = hits.n++;
}

/* Display width of text: every character the panel writes is one column. */
static int seg_width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static int line_width(const panel_line *l)
{
	int w = 0;
	for (int i = 0; i < l->n; i++)
		w += seg_width(l->seg[i].text);
	return w;
}

static void panel_connection(tui_app *app, panel_line *l)
{
	double now = loop_now();
	const char *ls = app->counts.last_sync;
	bool synced = app->counts_valid && ls[0];
	char when[40];
	if (app->cfg->offline || !app->cfg->org_url) {
		timefmt_local(ls, false, when, sizeof when);
		seg_add(l, ROLE_WARN, "%s",
		        app->cfg->offline ? _("offline") : _("no organization"));
		seg_add(l, ROLE_NORMAL, _("  cache synced %s"), synced ? when : _("never"));
		return;
	}
	/* The time of day alone: a refresh is at most one interval old. */
	timefmt_local_clock(ls, when, sizeof when);
	seg_add(l, ROLE_NORMAL, _("refresh: last %s"), synced ? when : _("never"));
	if (app->refresh_job)
		seg_add(l, ROLE_PENDING, "%s", _("  now"));
	else if (app->next_refresh > 0)
		seg_add(l, ROLE_NORMAL, _("  next in %.0f s"),
		        app->next_refresh > now ? app->next_refresh - now : 0.0);
	if (app->rtt_ms > 0 && !app->link_down && !app->wait_text[0]) /* only while connected */
		seg_add(l, ROLE_NORMAL, _("  rtt %ld ms"), app->rtt_ms);
	/* The wait's own words: "throttled by the organization, retrying in
	 * 2 s" or "connection failed, retrying in 1 s". */
	if (app->wait_text[0])
		seg_add(l, ROLE_WARN, "  %s", app->wait_text);
	else if (app->throttled)
		seg_add(l, ROLE_WARN, "%s", _("  throttled"));
	else if (app->link_down) /* the message that said so may be gone */
		seg_add(l, ROLE_FAIL, "%s", _("  the organization does not answer"));
}

/* The newest n (at most) failing counts of channel ch as a sparkline. */
static void panel_spark(const tui_app *app, int ch, int n, char *buf, size_t size)
{
	if (n > trend.n)
		n = trend.n;
	trend_sparkline(trend.failing[ch] + trend.n - n, n, app->ascii, buf, size);
}

/* The newest changes of failures and when, "changed 12-07 02:10: +12
 * failing, 3 recovered": the night's sync, not the console's last refresh
 * (cache_changes_newest). */
static void panel_changes(panel_line *l)
{
	char when[32];
	if (!trend.n)
		return;
	if (!trend.went_failing && !trend.recovered) {
		seg_add(l, ROLE_DIM, "%s", _("no failure began or ended yet"));
		return;
	}
	timefmt_local(trend.changed_on, true, when, sizeof when);
	seg_add(l, ROLE_NORMAL, _("changed %s: "), when);
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
/* The symbol of "not used" (a method other than server-side sync). */
static const char *panel_unused_sym(const tui_app *app)
{
	return draw_sym(app, "\u25cb", "o");
}

/* A channel's counts, each a hit (the filter lists what it counts: active
 * mailboxes, the channel's method server-side sync, its status; or any
 * other method); in the side panel (spark_points > 0) followed by its
 * trend. short_name: the name fits in 4 columns ("In", "Out", "ACT"). */
static void panel_channel(tui_app *app, panel_line *l, int ch, bool short_name,
                          const struct ec_channel_counts *c, int spark_points)
{
	static const char *const names[3] = {N_("Incoming"), N_("Outgoing"), N_("ACT")};
	static const char *const shorts[3] = {N_("In"), N_("Out"), N_("ACT")};
	static const char *const keys[3] = {"incoming", "outgoing", "act"};
	char f[120];
	enum tui_role r;
	seg_add(l, ROLE_HEADER, short_name ? "%-4s" : "%-9s",
	        short_name ? _(shorts[ch]) : _(names[ch]));
	snprintf(f, sizeof f, "%s:SSS %s-status:success", keys[ch], keys[ch]);
	seg_add(l, ROLE_OK, "%s %ld", draw_status_symbol(app, STATUS_SUCCESS, &r), c->success);
	seg_hit(l, SCR_MAILBOXES, "active", f);
	seg_add(l, ROLE_NORMAL, " ");
	snprintf(f, sizeof f, "%s:SSS %s-status:failure", keys[ch], keys[ch]);
	seg_add(l, c->failure ? ROLE_FAIL : ROLE_DIM, "%s %ld",
	        draw_status_symbol(app, STATUS_FAILURE, &r), c->failure);
	seg_hit(l, SCR_MAILBOXES, "active", f);
	seg_add(l, ROLE_NORMAL, " ");
	/* Not run: neither success nor failure (no status counts as not run). */
	snprintf(f, sizeof f, "%s:SSS -%s-status:success -%s-status:failure", keys[ch], keys[ch],
	         keys[ch]);
	seg_add(l, ROLE_DIM, "%s %ld", draw_status_symbol(app, STATUS_NOT_RUN, &r), c->not_run);
	seg_hit(l, SCR_MAILBOXES, "active", f);
	seg_add(l, ROLE_NORMAL, " ");
	snprintf(f, sizeof f, "-%s:SSS", keys[ch]);
	seg_add(l, ROLE_DIM, "%s %ld", panel_unused_sym(app), c->not_used);
	seg_hit(l, SCR_MAILBOXES, "active", f);
	seg_add(l, ROLE_NORMAL, "  ");
	if (spark_points > 0 && trend.n) {
		char spark[VIEW_TREND_MAX * 4 + 1];
		panel_spark(app, ch, spark_points, spark, sizeof spark);
		seg_add(l, c->failure ? ROLE_FAIL : ROLE_NORMAL, "%s", spark);
	}
}

/* The filter of the mailboxes whose approval blocks mail (as
 * cache_status_counts counts them), or "" when approval is not required. */
static const char *panel_blocking_filter(const struct ec_status_counts *c)
{
	if (c->approve_users && c->approve_queues)
		return "-approval:approved -approval:rejected -type:forward";
	if (c->approve_users)
		return "-approval:approved -approval:rejected type:user";
	if (c->approve_queues)
		return "-approval:approved -approval:rejected type:queue";
	return "";
}

/* "approvals 16 pending (14 blocking mail)". */
static void panel_approvals(tui_app *app, panel_line *l)
{
	const struct ec_status_counts *c = &app->counts;
	seg_add(l, ROLE_NORMAL, "%s", _("approvals "));
	seg_add(l, c->approval_waiting ? ROLE_WARN : ROLE_NORMAL, _("%ld pending"),
	        c->approval_waiting);
	seg_hit(l, SCR_MAILBOXES, "active", "-approval:approved -approval:rejected");
	seg_add(l, ROLE_NORMAL, " (");
	seg_add(l, c->approval_pending ? ROLE_WARN : ROLE_NORMAL, _("%ld blocking mail"),
	        c->approval_pending);
	if (c->approve_users || c->approve_queues)
		seg_hit(l, SCR_MAILBOXES, "active", panel_blocking_filter(c));
	seg_add(l, ROLE_NORMAL, ")  ");
}

static void panel_outbox(tui_app *app, panel_line *l)
{
	const struct ec_status_counts *c = &app->counts;
	seg_add(l, ROLE_NORMAL, _("inactive %ld"), c->inactive);
	seg_hit(l, SCR_MAILBOXES, "inactive", "");
	seg_add(l, ROLE_NORMAL, "  ");
	seg_add(l, c->queued ? ROLE_PENDING : ROLE_NORMAL, _("queued edits %ld"), c->queued);
	seg_hit(l, SCR_OUTBOX, "", "");
	seg_add(l, ROLE_NORMAL, "  ");
	seg_add(l, c->conflicts ? ROLE_CONFLICT : ROLE_NORMAL, _("conflicts %ld"), c->conflicts);
	seg_hit(l, SCR_OUTBOX, "", "");
	/* An edit the organization refused never reached it: say so after its
	 * message is gone. */
	if (c->failed) {
		seg_add(l, ROLE_NORMAL, "  ");
		seg_add(l, ROLE_FAIL, _("failed %ld"), c->failed);
		seg_hit(l, SCR_OUTBOX, "", "");
	}
	if (c->unreadable) /* rows a sync kept and marked: see sync.h */
		seg_add(l, ROLE_WARN, _("  not read fully %ld"), c->unreadable);
}

static int panel_jobs(tui_app *app, panel_line *lines, int max)
{
	int n = 0;
	char text[160];
	for (int i = 0; i < TUI_MAX_JOBS && n < max; i++) {
		const tui_job *j = &app->jobs[i];
		panel_line *l = &lines[n];
		if (!j->active)
			continue;
		memset(l, 0, sizeof *l);
		job_text(j, text, sizeof text);
		seg_add(l, ROLE_PENDING, "%s", text);
		if (j->failures)
			seg_add(
			    l, ROLE_FAIL,
			    ngettext(", %ld failed", ", %ld failed", (unsigned long)j->failures),
			    j->failures);
		seg_add(l, ROLE_NORMAL, " ");
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

/* Below the list: the channels on one line when they fit (else one line
 * each, short names first), the trend, approvals and the outbox (one line
 * when they fit), then jobs and alerts as the height allows. */
static int panel_build(tui_app *app, panel_line *lines, int max, bool side, int w)
{
	int n = 0;
	const struct ec_status_counts *c = &app->counts;
	const struct ec_channel_counts *ch[3] = {&c->incoming, &c->outgoing, &c->act};
	memset(lines, 0, sizeof *lines * (size_t)max);
	hits.n = 0;
	panel_connection(app, &lines[n++]);
	if (app->counts_valid) {
		if (side) {
			for (int i = 0; i < 3; i++)
				panel_channel(app, &lines[n++], i, false, ch[i], PANEL_SIDE_POINTS);
			if (trend.n)
				panel_changes(&lines[n++]);
			panel_approvals(app, &lines[n++]);
			panel_outbox(app, &lines[n++]);
		} else {
			panel_line one;
			bool fits = false;
			for (int s = 0; s < 2 && !fits; s++) {
				int saved = hits.n;
				memset(&one, 0, sizeof one);
				for (int i = 0; i < 3; i++)
					panel_channel(app, &one, i, s == 1, ch[i], 0);
				fits = line_width(&one) <= w;
				if (!fits)
					hits.n = saved;
			}
			if (fits) {
				lines[n++] = one;
			} else {
				for (int i = 0; i < 3 && n < max; i++)
					panel_channel(app, &lines[n++], i, false, ch[i], 0);
			}
			if (n < max)
				panel_trend_line(app, &lines[n++], w);
			if (n < max) {
				panel_line both;
				int saved = hits.n;
				memset(&both, 0, sizeof both);
				panel_approvals(app, &both);
				panel_outbox(app, &both);
				if (line_width(&both) <= w || n + 1 >= max) {
					lines[n++] = both;
				} else {
					hits.n = saved;
					panel_approvals(app, &lines[n++]);
					panel_outbox(app, &lines[n++]);
				}
			}
		}
	}
	if (n < max)
		n += panel_jobs(app, lines + n, max - n);
	for (int i = 0; i < nalerts && n < max; i++)
		panel_alert(app, &lines[n++], &alerts[i]);
	return n;
}

/* The title rule: " Status · 62 mailboxes ", and the legend at the right
 * when it fits. */
static void panel_title(tui_app *app, int y, int x0, int w)
{
	char title[96], legend[160];
	enum tui_role r;
	int tw;
	draw_hline(app, y, x0, w, ROLE_DIM);
	snprintf(title, sizeof title, " %s %s ", _("Status"), draw_sym(app, "\u00b7", "-"));
	snprintf(title + strlen(title), sizeof title - strlen(title),
	         ngettext("%'ld mailbox ", "%'ld mailboxes ", (unsigned long)app->counts.mailboxes),
	         app->counts.mailboxes);
	tw = draw_span(app, y, x0 + 2, w - 2, ROLE_HEADER, title);
	snprintf(legend, sizeof legend, " %s %s  %s %s  %s %s  %s %s ",
	         draw_status_symbol(app, STATUS_SUCCESS, &r), _("success"),
	         draw_status_symbol(app, STATUS_FAILURE, &r), _("failure"),
	         draw_status_symbol(app, STATUS_NOT_RUN, &r), _("not run"), panel_unused_sym(app),
	         _("not used"));
	if (2 + tw + 2 + seg_width(legend) + 2 <= w)
		draw_span(app, y, x0 + w - 2 - seg_width(legend), seg_width(legend), ROLE_DIM,
		          legend);
}

void panel_draw(tui_app *app, tui_rect r)
{
	panel_line lines[24];
	int n, y0 = r.y + 1, x0 = r.x, w = r.w;
	if (r.h <= 0 || r.w <= 0)
		return;
	draw_fill(app, r, ROLE_NORMAL);
	if (app->panel_side) {
		x0 += 2;
		w -= 2;
		for (int y = r.y; y < r.y + r.h; y++)
			draw_text(app, y, r.x, 1, ROLE_DIM, draw_sym(app, "\u2502", "|"));
	}
	panel_title(app, r.y, x0, w);
	n = panel_build(app, lines, r.h - 1 < 24 ? r.h - 1 : 24, app->panel_side, w);
	if (hits.focus >= hits.n)
		hits.focus = hits.n ? hits.n - 1 : 0;
	for (int i = 0; i < n; i++) {
		int x = x0;
		for (int s = 0; s < lines[i].n && x < x0 + w; s++) {
			int h = lines[i].seg[s].hit, used;
			enum tui_role role = lines[i].seg[s].role;
			if (h >= 0 && hits.focused && h == hits.focus)
				role = ROLE_SELECTED;
			used = draw_span(app, y0 + i, x, x0 + w - x, role, lines[i].seg[s].text);
			if (h >= 0)
				hits.hit[h].y = y0 + i, hits.hit[h].x = x, hits.hit[h].w = used;
			x += used;
		}
		if (lines[i].bar_total && x0 + w - x >= 12)
			draw_bar(app, y0 + i, x, x0 + w - x < 40 ? x0 + w - x : 40,
			         lines[i].bar_done, lines[i].bar_total);
	}
}

/* ---- choosing a number ------------------------------------------------------ */

/* Lists what hit h counts. */
static unsigned panel_apply(tui_app *app, int h)
{
	hits.focused = false;
	if (hits.hit[h].screen != SCR_MAILBOXES) {
		loop_switch_screen(app, hits.hit[h].screen);
		return RX_ALL | RX_RELOAD;
	}
	loop_switch_screen(app, SCR_MAILBOXES);
	mailboxes_show(app, hits.hit[h].view, hits.hit[h].filter);
	loop_message(app, ROLE_DIM, _("listing: view %s, filter %s"), hits.hit[h].view,
	             hits.hit[h].filter[0] ? hits.hit[h].filter : _("(none)"));
	return RX_ALL | RX_RELOAD;
}

bool panel_focused(const tui_app *app)
{
	return hits.focused && app->panel_on;
}

static void panel_focus_on(tui_app *app)
{
	hits.focused = true;
	loop_message(app, ROLE_NORMAL, "%s",
	             _("status panel: Left/Right choose a number, Enter lists its mailboxes, "
	               "Esc leaves"));
	message_keep(app); /* while the focus is here */
}

unsigned panel_cmd(tui_app *app, int arg)
{
	unsigned rx = RX_PANEL | RX_MESSAGE;
	(void)arg;
	if (!app->panel_on) {
		app->panel_on = true;
		rx |= RX_LAYOUT;
	}
	if (hits.focused)
		hits.focused = false;
	else
		panel_focus_on(app);
	return rx;
}

/* The next (or previous) number that was drawn (a line cut for room is not). */
static void panel_step(int dir)
{
	for (int i = 0; i < hits.n; i++) {
		hits.focus = (hits.focus + dir + hits.n) % hits.n;
		if (hits.hit[hits.focus].w)
			return;
	}
}

/* Keys while the panel has the focus; RX_NONE: not the panel's (the focus
 * leaves and the key does what it does elsewhere). */
unsigned panel_key(tui_app *app, wint_t ch, bool is_code)
{
	int n = hits.n;
	if (!n) {
		hits.focused = false;
		return RX_NONE;
	}
	if ((is_code && (ch == KEY_RIGHT || ch == KEY_DOWN)) ||
	    (!is_code && (ch == 'l' || ch == '\t')))
		panel_step(1);
	else if ((is_code && (ch == KEY_LEFT || ch == KEY_UP || ch == KEY_BTAB)) ||
	         (!is_code && ch == 'h'))
		panel_step(-1);
	else if ((is_code && ch == KEY_HOME) || (!is_code && ch == 'g'))
		hits.focus = 0;
	else if ((is_code && ch == KEY_END) || (!is_code && ch == 'G'))
		hits.focus = n - 1;
	else if ((is_code && ch == KEY_ENTER) || (!is_code && (ch == '\r' || ch == '\n')))
		return panel_apply(app, hits.focus);
	else if (!is_code && ch == 27) {
		hits.focused = false;
		return RX_PANEL;
	} else {
		hits.focused = false;
		app->dirty |= RX_PANEL;
		return RX_NONE;
	}
	return RX_PANEL;
}

/* A click on a number lists it; elsewhere in the panel gives it the focus. */
unsigned panel_click(tui_app *app, int y, int x)
{
	tui_rect r = app->r_panel;
	if (!app->panel_on || y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
		return RX_NONE;
	for (int h = 0; h < hits.n; h++)
		if (hits.hit[h].w && y == hits.hit[h].y && x >= hits.hit[h].x &&
		    x < hits.hit[h].x + hits.hit[h].w) {
			hits.focus = h;
			return panel_apply(app, h);
		}
	panel_focus_on(app);
	return RX_PANEL | RX_MESSAGE;
}
