/* screen_alerts.c — the Alerts screen: the cached alerts grouped by cause
 * (core/model/alert_groups.c, the grouping `emailcfg alerts --summary`
 * prints, in the same order) with each group's severity, count, mailboxes
 * and fix, or all of them newest first (v); one severity at a time (L).
 * Enter lists a group's mailboxes, and Enter on one opens its Mailbox form;
 * t tags exactly the group's mailboxes and opens the Mailboxes screen,
 * where a / T / e act on the tagged ones. o reads the selected alert, or the
 * group's cause and fix, whole in the pager. A group of alerts about server
 * profiles counts, lists and tags those profiles' failing mailboxes, and an
 * alert about a profile names it. The reader thread groups; this
 * file reads single mailboxes from the cache and touches nothing else. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/base/timefmt.h"
#include "core/base/utf8.h"
#include "core/model/alert_groups.h"
#include "core/model/options.h"
#include "tui/app.h"
#include "tui/listview.h"

typedef ec_alert_group alert_group;

static struct {
	alert_group *g;
	int n;
	ec_alert *alerts; /* the chronological view: newest first */
	int nalerts;
	listview lv, mlv, clv; /* groups, a group's members, chronological */
	bool members, loading, newest_first;
	int level; /* the severity shown (opt_alert_level), 0 all */
	long gen;
	ec_mailbox *mb; /* the affected mailboxes of the open group */
	int nmb;
} al;

static void alerts_free_members(void)
{
	for (int i = 0; i < al.nmb; i++)
		mailbox_free(&al.mb[i]);
	free(al.mb);
	al.mb = NULL;
	al.nmb = 0;
}

/* Members are listed by name, in the order of the Mailboxes list. */
static int alerts_member_cmp(const void *a, const void *b)
{
	char *x = utf8_fold(((const ec_mailbox *)a)->name);
	char *y = utf8_fold(((const ec_mailbox *)b)->name);
	int c = strcmp(x, y);
	free(x);
	free(y);
	return c;
}

static void alerts_load_members(tui_app *app)
{
	const alert_group *g = &al.g[al.lv.sel];
	ec_error err;
	alerts_free_members();
	al.mb = ec_xrealloc(al.mb, sizeof *al.mb * (unsigned long)(g->nids ? g->nids : 1));
	al.nmb = 0;
	for (int i = 0; i < g->nids; i++) {
		mailbox_init(&al.mb[al.nmb]);
		if (cache_get_mailbox(app->cache, g->ids[i], &al.mb[al.nmb], &err) == EC_OK)
			al.nmb++;
		else
			mailbox_free(&al.mb[al.nmb]);
	}
	if (al.nmb > 1)
		qsort(al.mb, (size_t)al.nmb, sizeof *al.mb, alerts_member_cmp);
	al.mlv.n = al.nmb;
	listview_fit(&al.mlv, al.mlv.h);
}

/* What the alert is about, for the list and the pager: the mailbox's
 * name, or the server profile's as "server profile NAME"; "" when not
 * cached. draw_text() and the pager sanitize it. */
static void alerts_regarding(tui_app *app, const ec_alert *a, char *out, size_t size)
{
	ec_mailbox m;
	out[0] = '\0';
	if (a->regarding_profile) {
		char *name = cache_profile_name(app->cache, a->regarding_id);
		if (name)
			snprintf(out, size, _("server profile %s"), name);
		free(name);
		return;
	}
	if (cache_get_mailbox(app->cache, a->regarding_id, &m, NULL) == EC_OK) {
		snprintf(out, size, "%s", m.name ? m.name : "");
		mailbox_free(&m);
	}
}

/* Grouping reads every alert: the reader does it for the severity shown,
 * and the screen shows what it had meanwhile. */
static void alerts_reload(tui_app *app)
{
	view_request rq;
	al.loading = true;
	if (!app->view)
		return;
	memset(&rq, 0, sizeof rq);
	rq.kind = VIEW_GROUPS;
	rq.gen = ++al.gen;
	rq.level = al.level;
	view_ask(app->view, &rq);
}

unsigned alerts_answer(tui_app *app, view_answer *a)
{
	if (a->gen != al.gen)
		return RX_NONE; /* a newer reload is on its way */
	al.loading = false;
	if (a->status != EC_OK) {
		loop_message(app, ROLE_ERROR, "%s", a->err.msg);
		return RX_MESSAGE | RX_BODY;
	}
	alert_groups_free(al.g, al.n);
	cache_free_alerts(al.alerts, al.nalerts);
	al.g = a->groups, al.n = a->ngroups;
	al.alerts = a->alerts, al.nalerts = a->nalerts;
	a->groups = NULL, a->ngroups = 0; /* kept */
	a->alerts = NULL, a->nalerts = 0;
	al.lv.n = al.n;
	al.clv.n = al.nalerts;
	listview_fit(&al.lv, al.lv.h);
	listview_fit(&al.clv, al.clv.h);
	if (al.members && al.n > 0)
		alerts_load_members(app);
	else
		al.members = false;
	return app->screen == SCR_ALERTS ? RX_BODY : RX_NONE;
}

/* Tags exactly the group's mailboxes and shows them in Mailboxes. */
static unsigned alerts_tag_group(tui_app *app)
{
	const alert_group *g;
	if (al.newest_first || al.n == 0) {
		loop_message(app, ROLE_DIM, "%s",
		             _("t tags a group's mailboxes: press v to group"));
		return RX_MESSAGE;
	}
	g = &al.g[al.lv.sel];
	if (g->nids == 0) {
		loop_message(app, ROLE_DIM, "%s",
		             g->npids > 0
		                 ? _("no mailbox of this group's server profiles is failing")
		                 : _("this group's alerts are on no mailbox"));
		return RX_MESSAGE;
	}
	mailboxes_tag_only(app, g->ids, g->nids);
	loop_switch_screen(app, SCR_MAILBOXES);
	return RX_ALL | RX_RELOAD | RX_MESSAGE;
}

/* The next severity: all, error, warning, information, all... */
static unsigned alerts_next_level(tui_app *app)
{
	al.level = al.level == 0 ? LEVEL_ERROR : al.level - 1;
	al.members = false;
	al.lv.sel = al.lv.top = al.clv.sel = al.clv.top = 0;
	alerts_reload(app);
	return RX_BODY;
}

static unsigned alerts_enter(tui_app *app)
{
	if (al.newest_first) {
		const ec_alert *a = al.nalerts > 0 ? &al.alerts[al.clv.sel] : NULL;
		if (!a || a->regarding_profile || !a->regarding_id[0])
			return RX_NONE;
		mailbox_open(app, a->regarding_id);
		return RX_ALL;
	}
	if (!al.members && al.n > 0) {
		al.members = true;
		al.mlv.sel = al.mlv.top = 0;
		alerts_load_members(app);
		return RX_BODY;
	}
	if (al.members && al.nmb > 0) {
		mailbox_open(app, al.mb[al.mlv.sel].id);
		return RX_ALL;
	}
	return RX_NONE;
}

static unsigned alerts_read(tui_app *app);

unsigned alerts_cmd(tui_app *app, int op)
{
	switch (op) {
	case OP_ESC:
		if (al.members) {
			al.members = false;
			return RX_BODY;
		}
		loop_back(app);
		return RX_ALL;
	case OP_ENTER: return alerts_enter(app);
	case OP_ALERTS_VIEW:
		al.newest_first = !al.newest_first;
		al.members = false;
		return RX_BODY;
	case OP_ALERTS_LEVEL: return alerts_next_level(app);
	case OP_ALERTS_TAG: return alerts_tag_group(app);
	case OP_READ: return alerts_read(app);
	default: break;
	}
	return listview_op(al.newest_first ? &al.clv
	                   : al.members    ? &al.mlv
	                                   : &al.lv,
	                   op)
	           ? RX_BODY
	           : RX_NONE;
}

static enum tui_role alerts_role(int level)
{
	return level == LEVEL_ERROR ? ROLE_FAIL : level == LEVEL_WARNING ? ROLE_WARN : ROLE_NORMAL;
}

static void alerts_draw_members(tui_app *app, tui_rect r)
{
	const alert_group *g = &al.g[al.lv.sel];
	draw_fmt(app, r.y, r.x, r.w, ROLE_HEADER,
	         ngettext("%s - %d mailbox (Enter opens it)", "%s - %d mailboxes (Enter opens one)",
	                  (unsigned long)al.nmb),
	         g->cause ? _(g->title) : g->title, al.nmb);
	if (g->fix)
		draw_fmt(app, r.y + 1, r.x + 2, r.w - 2, ROLE_OK, _("fix: %s"), _(g->fix));
	listview_fit(&al.mlv, r.h - 3);
	for (int i = 0; i < al.mlv.h && al.mlv.top + i < al.nmb; i++) {
		const ec_mailbox *m = &al.mb[al.mlv.top + i];
		bool sel = al.mlv.top + i == al.mlv.sel;
		enum tui_role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
		int nw = r.w / 2 - 1;
		draw_text(app, r.y + 3 + i, r.x, r.w, role, "");
		draw_text(app, r.y + 3 + i, r.x, nw, role, m->name);
		draw_text(app, r.y + 3 + i, r.x + nw + 1, r.w - nw - 1, role, m->email);
	}
}

/* The first line: which view and which severity the screen shows. */
static void alerts_draw_heading(tui_app *app, tui_rect r)
{
	const char *which = al.level ? opt_label(&opt_alert_level, al.level) : _("all severities");
	if (al.newest_first)
		draw_fmt(app, r.y, r.x, r.w, ROLE_TITLE,
		         ngettext("Newest first · %s · %d alert", "Newest first · %s · %d alerts",
		                  (unsigned long)al.nalerts),
		         which, al.nalerts);
	else
		draw_fmt(app, r.y, r.x, r.w, ROLE_TITLE,
		         ngettext("Grouped by cause · %s · %d group",
		                  "Grouped by cause · %s · %d groups", (unsigned long)al.n),
		         which, al.n);
}

static void alerts_draw_groups(tui_app *app, tui_rect r)
{
	listview_fit(&al.lv, r.h - 2);
	draw_text(app, r.y + 1, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y + 1, r.x, 12, ROLE_HEADER, C_("column", "Severity"));
	draw_text(app, r.y + 1, r.x + 12, 8, ROLE_HEADER, C_("column", "Alerts"));
	draw_text(app, r.y + 1, r.x + 21, 10, ROLE_HEADER, C_("column", "Mailboxes"));
	draw_text(app, r.y + 1, r.x + 32, r.w - 32, ROLE_HEADER, _("Cause"));
	for (int i = 0; i < al.lv.h && al.lv.top + i < al.n; i++) {
		const alert_group *g = &al.g[al.lv.top + i];
		bool sel = al.lv.top + i == al.lv.sel;
		enum tui_role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
		int y = r.y + 2 + i;
		draw_text(app, y, r.x, r.w, role, "");
		draw_text(app, y, r.x, 12, sel ? role : alerts_role(g->level),
		          opt_label(&opt_alert_level, g->level));
		draw_fmt(app, y, r.x + 12, 8, role, "%7d", g->count);
		draw_fmt(app, y, r.x + 21, 10, role, "%9d", g->nids);
		draw_text(app, y, r.x + 32, r.w - 32, role, g->cause ? _(g->title) : g->title);
	}
}

/* "2026-12-06T06:24:14Z" as local time to the minute, "2026-12-06 07:24"
 * under TZ=Europe/Ljubljana (timefmt.h); the pager shows the row's time as
 * the row does. */
static void alerts_when(const char *iso, char *out, size_t size)
{
	timefmt_local_form(iso, FORM_MINUTE, out, size);
}

/* The whole text of the selected alert, group or member, in the pager. */
static unsigned alerts_read(tui_app *app)
{
	char buf[4096];
	if (al.newest_first) {
		const ec_alert *a = al.nalerts > 0 ? &al.alerts[al.clv.sel] : NULL;
		char when[24], who[300];
		if (!a)
			return RX_NONE;
		alerts_regarding(app, a, who, sizeof who);
		alerts_when(a->modified_on, when, sizeof when);
		snprintf(buf, sizeof buf, "%s  %s  %s\n\n%s", when,
		         opt_label(&opt_alert_level, a->level), who, a->text ? a->text : "");
		pager_open(app, _("Alert"), buf);
		return RX_OVERLAY;
	}
	if (al.n == 0)
		return RX_NONE;
	{
		const alert_group *g = &al.g[al.lv.sel];
		int len = snprintf(buf, sizeof buf, "%s\n\n%s: %s\n%s: %d, %s: %d",
		                   g->cause ? _(g->title) : g->title, _("Severity"),
		                   opt_label(&opt_alert_level, g->level), _("Alerts"), g->count,
		                   _("Mailboxes"), g->nids);
		if (g->fix && len > 0 && (size_t)len < sizeof buf)
			len += snprintf(buf + len, sizeof buf - (size_t)len, "\n\n%s %s", _("fix:"),
			                _(g->fix));
		if (al.members && al.nmb > 0 && len > 0 && (size_t)len < sizeof buf)
			snprintf(buf + len, sizeof buf - (size_t)len, "\n\n%s <%s>",
			         al.mb[al.mlv.sel].name ? al.mb[al.mlv.sel].name : "",
			         al.mb[al.mlv.sel].email ? al.mb[al.mlv.sel].email : "");
		pager_open(app, _("Alerts"), buf);
	}
	return RX_OVERLAY;
}

static void alerts_draw_row(tui_app *app, int y, tui_rect r, const ec_alert *a, bool sel)
{
	enum tui_role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
	char when[48], who[300];
	int w = timefmt_form_width(FORM_MINUTE);
	alerts_regarding(app, a, who, sizeof who);
	alerts_when(a->modified_on, when, sizeof when);
	draw_text(app, y, r.x, r.w, role, "");
	draw_text(app, y, r.x, w, role, when);
	draw_text(app, y, r.x + w + 1, 12, sel ? role : alerts_role(a->level),
	          opt_label(&opt_alert_level, a->level));
	draw_text(app, y, r.x + w + 13, 18, role, who);
	draw_text(app, y, r.x + w + 32, r.w - w - 32, role, a->text ? a->text : "");
}

static void alerts_draw_newest(tui_app *app, tui_rect r)
{
	int w = timefmt_form_width(FORM_MINUTE);
	listview_fit(&al.clv, r.h - 2);
	draw_text(app, r.y + 1, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y + 1, r.x, w, ROLE_HEADER, _("When"));
	draw_text(app, r.y + 1, r.x + w + 1, 12, ROLE_HEADER, _("Severity"));
	draw_text(app, r.y + 1, r.x + w + 13, 18, ROLE_HEADER, _("Mailbox"));
	draw_text(app, r.y + 1, r.x + w + 32, r.w - w - 32, ROLE_HEADER, _("Alert"));
	for (int i = 0; i < al.clv.h && al.clv.top + i < al.nalerts; i++)
		alerts_draw_row(app, r.y + 2 + i, r, &al.alerts[al.clv.top + i],
		                al.clv.top + i == al.clv.sel);
}

static void alerts_draw(tui_app *app, tui_rect r)
{
	draw_fill(app, r, ROLE_NORMAL);
	if (!al.newest_first && al.members && al.n > 0) {
		alerts_draw_members(app, r);
		return;
	}
	alerts_draw_heading(app, r);
	if (al.newest_first)
		alerts_draw_newest(app, r);
	else
		alerts_draw_groups(app, r);
	if ((al.newest_first ? al.nalerts : al.n) == 0)
		draw_text(app, r.y + 3, r.x + 2, r.w - 2, ROLE_DIM,
		          al.loading ? _("reading the alerts...") : _("no alerts cached"));
}

const tui_screen screen_alerts = {
    .title = N_("Alerts"),
    .enter = NULL,
    .reload = alerts_reload,
    .draw = alerts_draw,
    .key = NULL,
    .unsaved = NULL,
};
