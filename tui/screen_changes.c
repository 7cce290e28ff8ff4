/* screen_changes.c — the Changes screen (7): what changed since a chosen
 * time, from the sync history (core/cache/cache_status_history.c). Every
 * change of a mailbox's channel status, newest first, with the cause of
 * each failure; a heading that sums them up ("+12 failing, 3 recovered").
 * `/` chooses the time (a duration, a date or a UTC time, as `emailcfg
 * history --since` takes it), Enter opens the mailbox's form. o reads
 * a change whole (cause, alert text, fix) in the pager. Reads the
 * cache on the UI thread, bounded to CH_MAX rows (the changes_changed
 * index makes that a range scan); touches nothing else. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/i18n.h"
#include "core/base/timefmt.h"
#include "core/model/explain.h"
#include "core/model/filter.h"
#include "core/model/options.h"
#include "tui/app.h"
#include "tui/listview.h"

/* The most changes the screen reads; more are counted as "more". */
#define CH_MAX 5000

static struct {
	char since_text[48];      /* as the admin typed it ("1d") */
	char since[EC_TIME_SIZE]; /* the time it meant when read */
	ec_status_change *rows;   /* newest first */
	int n;
	bool more;               /* CH_MAX rows were not all */
	long failing, recovered; /* changes into and out of failure */
	listview lv;
} ch = {.since_text = "1d"};

static void changes_free(void)
{
	cache_free_status_changes(ch.rows, ch.n);
	ch.rows = NULL;
	ch.n = 0;
}

static void changes_count(void)
{
	ch.failing = ch.recovered = 0;
	for (int i = 0; i < ch.n; i++) {
		if (ch.rows[i].to_status == STATUS_FAILURE)
			ch.failing++;
		else if (ch.rows[i].from_status == STATUS_FAILURE &&
		         ch.rows[i].to_status == STATUS_SUCCESS)
			ch.recovered++;
	}
}

/* A duration is read again from now on every reload, so "1d" keeps
 * meaning the last day while the console stays open. */
static void changes_reload(tui_app *app)
{
	ec_error err;
	char sel_id[EC_ID_SIZE] = "";
	long long sel_change = 0;
	if (ch.n > 0 && ch.lv.sel < ch.n) {
		tui_copy(sel_id, sizeof sel_id, ch.rows[ch.lv.sel].mailbox_id);
		sel_change = ch.rows[ch.lv.sel].id;
	}
	changes_free();
	if (!filter_parse_since(ch.since_text, time(NULL), ch.since))
		tui_copy(ch.since, sizeof ch.since, "");
	if (cache_changes_list(app->cache, NULL, ch.since, CH_MAX + 1, &ch.rows, &ch.n, &err) !=
	    EC_OK) {
		loop_message(app, ROLE_ERROR, "%s", err.msg);
		ch.n = 0;
	}
	ch.more = ch.n > CH_MAX;
	if (ch.more) {
		cache_free_status_changes(ch.rows + CH_MAX, 1);
		ch.n = CH_MAX;
	}
	changes_count();
	ch.lv.n = ch.n;
	/* the selection stays on the change it was on */
	for (int i = 0; sel_change && i < ch.n; i++)
		if (ch.rows[i].id == sel_change && strcmp(ch.rows[i].mailbox_id, sel_id) == 0)
			ch.lv.sel = i;
	listview_fit(&ch.lv, ch.lv.h);
}

static const char *changes_check_since(tui_app *app, const char *text, void *ctx)
{
	char out[EC_TIME_SIZE];
	(void)app, (void)ctx;
	return filter_parse_since(text, time(NULL), out)
	           ? NULL
	           : _("give a duration (30m, 12h, 2d, 1w), a date (2024-03-01) or a UTC time "
	               "(2024-03-01T09:00:00Z)");
}

static void changes_since_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)ctx;
	if (choice < 0 || !text || !text[0])
		return;
	tui_copy(ch.since_text, sizeof ch.since_text, text);
	ch.lv.sel = ch.lv.top = 0;
	changes_reload(app);
}

/* The whole of the selected change in the pager: the cause, the alert's
 * own text and the fix, which the row cuts. */
static unsigned changes_read(tui_app *app)
{
	const ec_status_change *c;
	const ec_cause *cause = NULL;
	char buf[4096], when[40], change[64];
	int len;
	if (ch.n == 0)
		return RX_NONE;
	c = &ch.rows[ch.lv.sel];
	timefmt_local(c->changed_on, true, when, sizeof when);
	if (c->to_status == STATUS_FAILURE && c->alert_text)
		cause = explain_alert(c->alert_text, 0);
	tui_change_text(app, c, change, sizeof change);
	len =
	    snprintf(buf, sizeof buf, "%s  %s\n%s\n", when, tui_channel_label(c->channel), change);
	if (cause && len > 0 && (size_t)len < sizeof buf)
		len += snprintf(buf + len, sizeof buf - (size_t)len, "\n%s: %s", _("cause"),
		                _(cause->title));
	if (c->alert_text && len > 0 && (size_t)len < sizeof buf)
		len += snprintf(buf + len, sizeof buf - (size_t)len, "\n\n%s", c->alert_text);
	if (cause && cause->fix && len > 0 && (size_t)len < sizeof buf)
		snprintf(buf + len, sizeof buf - (size_t)len, "\n\n%s %s", _("fix:"),
		         _(cause->fix));
	pager_open(app, c->mailbox_name ? c->mailbox_name : c->mailbox_id, buf);
	return RX_OVERLAY;
}

unsigned changes_cmd(tui_app *app, int op)
{
	switch (op) {
	case OP_FILTER:
		dialog_prompt_check(app, _("Changes since (30m, 12h, 2d, 1w, 2024-03-01)"), "",
		                    changes_check_since, changes_since_done, NULL);
		return RX_ALL;
	case OP_ENTER:
		if (ch.n == 0)
			return RX_NONE;
		mailbox_open(app, ch.rows[ch.lv.sel].mailbox_id);
		return RX_ALL;
	case OP_READ: return changes_read(app);
	case OP_ESC: loop_back(app); return RX_ALL;
	default: break;
	}
	return listview_op(&ch.lv, op) ? RX_BODY : RX_NONE;
}

/* ---- drawing ------------------------------------------------------------------- */

static void changes_draw_heading(tui_app *app, tui_rect r)
{
	char when[40];
	timefmt_local(ch.since, true, when, sizeof when);
	draw_fmt(
	    app, r.y, r.x, r.w, ROLE_TITLE,
	    ngettext("Since %s (%s) · %s%d change · +%ld failing, %ld recovered  (/ another time)",
	             "Since %s (%s) · %s%d changes · +%ld failing, %ld recovered  (/ another time)",
	             (unsigned long)ch.n),
	    ch.since[0] ? when : _("the start"), ch.since_text, ch.more ? _("the newest ") : "",
	    ch.n, ch.failing, ch.recovered);
}

/* How much wider than the ISO "12-31 23:59" the locale's short form is
 * ("31. 12. 23:59"): the Mailbox column gives it up. */
static int changes_when_extra(void)
{
	int d = timefmt_form_width(FORM_SHORT) - 11;
	return d < 0 ? 0 : d > 12 ? 12 : d;
}

static void changes_draw_row(tui_app *app, int y, tui_rect r, const ec_status_change *c, bool sel)
{
	enum tui_role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
	char when[40], change[64];
	const ec_cause *cause = NULL;
	int cw = r.w - 65 > 0 ? r.w - 65 : 0, d = changes_when_extra();
	timefmt_local(c->changed_on, true, when, sizeof when);
	tui_change_text(app, c, change, sizeof change);
	if (c->to_status == STATUS_FAILURE && c->alert_text)
		cause = explain_alert(c->alert_text, 0);
	draw_text(app, y, r.x, r.w, role, "");
	draw_text(app, y, r.x, 11 + d, role, when);
	draw_text(app, y, r.x + 12 + d, 24 - d, role,
	          c->mailbox_name ? c->mailbox_name : c->mailbox_id);
	draw_text(app, y, r.x + 37, 8, role, tui_channel_label(c->channel));
	draw_text(app, y, r.x + 46, 18,
	          sel                              ? role
	          : c->to_status == STATUS_FAILURE ? ROLE_FAIL
	          : c->to_status == STATUS_SUCCESS ? ROLE_OK
	                                           : ROLE_NORMAL,
	          change);
	if (cw > 0 && c->to_status == STATUS_FAILURE)
		draw_text(app, y, r.x + 65, cw, role,
		          cause           ? _(cause->title)
		          : c->alert_text ? c->alert_text
		                          : "");
}

static void changes_draw(tui_app *app, tui_rect r)
{
	draw_fill(app, r, ROLE_NORMAL);
	changes_draw_heading(app, r);
	listview_fit(&ch.lv, r.h - 2);
	draw_text(app, r.y + 1, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y + 1, r.x, 11 + changes_when_extra(), ROLE_HEADER, _("When"));
	draw_text(app, r.y + 1, r.x + 12 + changes_when_extra(), 24 - changes_when_extra(),
	          ROLE_HEADER, _("Mailbox"));
	draw_text(app, r.y + 1, r.x + 37, 8, ROLE_HEADER, _("Channel"));
	draw_text(app, r.y + 1, r.x + 46, 18, ROLE_HEADER, _("Change"));
	if (r.w > 65)
		draw_text(app, r.y + 1, r.x + 65, r.w - 65, ROLE_HEADER, _("Cause"));
	for (int i = 0; i < ch.lv.h && ch.lv.top + i < ch.n; i++)
		changes_draw_row(app, r.y + 2 + i, r, &ch.rows[ch.lv.top + i],
		                 ch.lv.top + i == ch.lv.sel);
	if (ch.n == 0)
		draw_text(app, r.y + 3, r.x + 2, r.w - 2, ROLE_DIM,
		          _("no status change in this time; / chooses another"));
}

const tui_screen screen_changes = {
    .title = N_("Changes"),
    .enter = changes_reload,
    .reload = changes_reload,
    .draw = changes_draw,
    .key = NULL,
    .unsaved = NULL,
};
