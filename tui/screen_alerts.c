/* screen_alerts.c — Alerts grouped by cause across all mailboxes: each
 * cause (core/model/explain.h, from data/alerts.tsv) with its count, how many
 * mailboxes it touches, and the fix; Enter lists the affected mailboxes,
 * and Enter on one opens its Mailbox form. Alerts no table row explains
 * are grouped by their text (the reader thread groups them). Reads the
 * cache only. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/explain.h"
#include "core/base/i18n.h"
#include "core/model/options.h"
#include "core/base/utf8.h"
#include "tui/app.h"
#include "tui/listview.h"

typedef ec_alert_group alert_group;

static struct {
	alert_group *g;
	int n;
	listview lv, mlv;
	bool members, loading;
	long gen;
	ec_mailbox *mb; /* the affected mailboxes of the open group */
	int nmb;
} al;

static void al_free_members(void)
{
	for (int i = 0; i < al.nmb; i++)
		mailbox_free(&al.mb[i]);
	free(al.mb);
	al.mb = NULL;
	al.nmb = 0;
}

/* Members are listed by name, in the order of the Mailboxes list. */
static int al_member_cmp(const void *a, const void *b)
{
	char *x = utf8_fold(((const ec_mailbox *)a)->name);
	char *y = utf8_fold(((const ec_mailbox *)b)->name);
	int c = strcmp(x, y);
	free(x);
	free(y);
	return c;
}

static void al_load_members(tui_app *app)
{
	const alert_group *g = &al.g[al.lv.sel];
	ec_error err;
	al_free_members();
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
		qsort(al.mb, (size_t)al.nmb, sizeof *al.mb, al_member_cmp);
	al.mlv.n = al.nmb;
	listview_fit(&al.mlv, al.mlv.h);
}

/* Grouping reads every alert: the reader does it (core/model/alert_groups.c)
 * and the screen shows what it had meanwhile. */
static void al_reload(tui_app *app)
{
	al.loading = true;
	loop_ask(app, VIEW_GROUPS, ++al.gen, NULL, NULL, NULL);
}

unsigned alerts_answer(tui_app *app, view_answer *a)
{
	int keep = al.lv.sel;
	if (a->gen != al.gen)
		return RX_NONE; /* a newer reload is on its way */
	al.loading = false;
	if (a->status != EC_OK) {
		loop_message(app, ROLE_ERROR, "%s", a->err.msg);
		return RX_MESSAGE | RX_BODY;
	}
	alert_groups_free(al.g, al.n);
	al.g = a->groups, al.n = a->ngroups;
	a->groups = NULL, a->ngroups = 0; /* kept */
	al.lv.n = al.n;
	al.lv.sel = keep;
	listview_fit(&al.lv, al.lv.h);
	if (al.members && al.n > 0)
		al_load_members(app);
	else
		al.members = false;
	return app->screen == SCR_ALERTS ? RX_BODY : RX_NONE;
}

unsigned alerts_cmd(tui_app *app, int op)
{
	if (op == OP_ESC) {
		if (al.members) {
			al.members = false;
			return RX_BODY;
		}
		loop_back(app);
		return RX_ALL;
	}
	if (op == OP_ENTER) {
		if (!al.members && al.n > 0) {
			al.members = true;
			al.mlv.sel = al.mlv.top = 0;
			al_load_members(app);
			return RX_BODY;
		}
		if (al.members && al.nmb > 0) {
			mailbox_open(app, al.mb[al.mlv.sel].id);
			return RX_ALL;
		}
		return RX_NONE;
	}
	return listview_op(al.members ? &al.mlv : &al.lv, op) ? RX_BODY : RX_NONE;
}

static enum tui_role al_role(int level)
{
	return level == LEVEL_ERROR ? ROLE_FAIL : level == LEVEL_WARNING ? ROLE_WARN : ROLE_NORMAL;
}

static void al_draw_members(tui_app *app, tui_rect r)
{
	const alert_group *g = &al.g[al.lv.sel];
	draw_fmt(app, r.y, r.x, r.w, ROLE_HEADER, _("%s - %d mailboxes (Enter opens one)"),
	         g->title, al.nmb);
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

static void al_draw(tui_app *app, tui_rect r)
{
	draw_fill(app, r, ROLE_NORMAL);
	if (al.members && al.n > 0) {
		al_draw_members(app, r);
		return;
	}
	listview_fit(&al.lv, r.h - 1);
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y, r.x, 8, ROLE_HEADER, _("Alerts"));
	draw_text(app, r.y, r.x + 9, 10, ROLE_HEADER, _("Mailboxes"));
	draw_text(app, r.y, r.x + 20, r.w - 20, ROLE_HEADER, _("Cause"));
	for (int i = 0; i < al.lv.h && al.lv.top + i < al.n; i++) {
		const alert_group *g = &al.g[al.lv.top + i];
		bool sel = al.lv.top + i == al.lv.sel;
		int y = r.y + 1 + i;
		draw_text(app, y, r.x, r.w, sel ? ROLE_SELECTED : ROLE_NORMAL, "");
		draw_fmt(app, y, r.x, 8, sel ? ROLE_SELECTED : al_role(g->level), "%7d", g->count);
		draw_fmt(app, y, r.x + 9, 10, sel ? ROLE_SELECTED : ROLE_NORMAL, "%9d", g->nids);
		draw_text(app, y, r.x + 20, r.w - 20, sel ? ROLE_SELECTED : ROLE_NORMAL, g->title);
	}
	if (al.n == 0)
		draw_text(app, r.y + 2, r.x + 2, r.w - 2, ROLE_DIM,
		          al.loading ? _("reading the alerts...") : _("no alerts cached"));
}

const tui_screen screen_alerts = {
    .title = N_("Alerts"),
    .enter = NULL,
    .reload = al_reload,
    .draw = al_draw,
    .key = NULL,
    .unsaved = NULL,
};
