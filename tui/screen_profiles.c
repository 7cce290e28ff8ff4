/* screen_profiles.c — Server profiles, read-only: a list (name, server
 * type, incoming and outgoing servers, state) and, on Enter, the detail of
 * one profile with its alerts. Reads the cache only. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/model/options.h"
#include "tui/app.h"
#include "tui/listview.h"

static struct {
	ec_profile *rows;
	int n;
	listview lv;
	bool detail;
	ec_alert *alerts;
	int nalerts;
} pf;

static void pf_reload(tui_app *app)
{
	ec_error err;
	cache_free_profiles(pf.rows, pf.n);
	pf.rows = NULL;
	pf.n = 0;
	if (cache_list_profiles(app->cache, &pf.rows, &pf.n, &err) != EC_OK)
		loop_message(app, ROLE_ERROR, "%s", err.msg);
	pf.lv.n = pf.n;
	listview_fit(&pf.lv, pf.lv.h);
	cache_free_alerts(pf.alerts, pf.nalerts);
	pf.alerts = NULL;
	pf.nalerts = 0;
	if (pf.detail && pf.n > 0)
		cache_list_alerts(app->cache, pf.rows[pf.lv.sel].id, 8, &pf.alerts, &pf.nalerts,
		                  &err);
}

unsigned profiles_cmd(tui_app *app, int op)
{
	if (op == OP_ENTER && !pf.detail && pf.n > 0) {
		pf.detail = true;
		pf_reload(app);
		return RX_BODY;
	}
	if (op == OP_ESC) {
		if (pf.detail) {
			pf.detail = false;
			return RX_BODY;
		}
		loop_back(app);
		return RX_ALL;
	}
	if (!pf.detail && listview_op(&pf.lv, op))
		return RX_BODY;
	return RX_NONE;
}

/* A value newer than this emailcfg shows as "9 (unknown)", never as "?". */
static const char *pf_cred(int c, char *buf, size_t size)
{
	const char *s = opt_show_slug(&opt_credential, c, buf, size);
	return s ? s : "";
}

/* One line of the detail, when it still fits in r. */
static void pf_line(tui_app *app, tui_rect r, int *y, int indent, enum tui_role role,
                    const char *label, const char *value)
{
	char buf[1024];
	if (*y >= r.y + r.h)
		return;
	snprintf(buf, sizeof buf, "%-18s %s", label, value ? value : "");
	draw_text(app, (*y)++, r.x + indent, r.w - indent, role, buf);
}

static void pf_draw_detail(tui_app *app, tui_rect r)
{
	const ec_profile *p = &pf.rows[pf.lv.sel];
	int y = r.y + 1;
	char in[600], out[600], shown[3][24];
	snprintf(in, sizeof in, "%s:%d  ssl %s  %s",
	         p->incoming_location ? p->incoming_location : "", p->incoming_port,
	         p->incoming_ssl == 1 ? "yes" : "no",
	         pf_cred(p->incoming_credential, shown[0], sizeof shown[0]));
	snprintf(out, sizeof out, "%s:%d  ssl %s  %s",
	         p->outgoing_location ? p->outgoing_location : "", p->outgoing_port,
	         p->outgoing_ssl == 1 ? "yes" : "no",
	         pf_cred(p->outgoing_credential, shown[1], sizeof shown[1]));
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, p->name);
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Server type"),
	        opt_show_label(&opt_server_type, p->server_type, shown[2], sizeof shown[2]));
	pf_line(app, r, &y, 2, p->state == STATE_ACTIVE ? ROLE_OK : ROLE_WARN, _("State"),
	        opt_label(&opt_state, p->state));
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Incoming server"), in);
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Outgoing server"), out);
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Same for outgoing"),
	        p->use_same_settings == 1 ? _("yes") : _("no"));
	pf_line(app, r, &y, 2, ROLE_DIM, _("Modified"), p->modified_on);
	pf_line(app, r, &y, 0, ROLE_HEADER, _("Alerts"), "");
	if (pf.nalerts == 0)
		pf_line(app, r, &y, 2, ROLE_DIM, _("no alerts"), "");
	for (int i = 0; i < pf.nalerts; i++)
		pf_line(app, r, &y, 2, pf.alerts[i].level == LEVEL_ERROR ? ROLE_FAIL : ROLE_NORMAL,
		        pf.alerts[i].created_on, pf.alerts[i].text);
}

static void pf_draw(tui_app *app, tui_rect r)
{
	int nw = r.w >= 100 ? 34 : 24, tw = 22, iw = (r.w - nw - tw - 10) / 2;
	draw_fill(app, r, ROLE_NORMAL);
	if (pf.detail && pf.n > 0) {
		pf_draw_detail(app, r);
		return;
	}
	listview_fit(&pf.lv, r.h - 1);
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y, r.x, nw, ROLE_HEADER, _("Name"));
	draw_text(app, r.y, r.x + nw + 1, tw, ROLE_HEADER, _("Server type"));
	draw_text(app, r.y, r.x + nw + tw + 2, iw, ROLE_HEADER, _("Incoming"));
	draw_text(app, r.y, r.x + nw + tw + iw + 3, iw, ROLE_HEADER, _("Outgoing"));
	draw_text(app, r.y, r.x + nw + tw + 2 * iw + 4, 8, ROLE_HEADER, _("State"));
	for (int i = 0; i < pf.lv.h && pf.lv.top + i < pf.n; i++) {
		const ec_profile *p = &pf.rows[pf.lv.top + i];
		bool sel = pf.lv.top + i == pf.lv.sel;
		enum tui_role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
		int y = r.y + 1 + i;
		char type[24];
		draw_text(app, y, r.x, r.w, role, "");
		draw_text(app, y, r.x, nw, role, p->name);
		draw_text(app, y, r.x + nw + 1, tw, role,
		          opt_show_label(&opt_server_type, p->server_type, type, sizeof type));
		draw_text(app, y, r.x + nw + tw + 2, iw, role, p->incoming_location);
		draw_text(app, y, r.x + nw + tw + iw + 3, iw, role, p->outgoing_location);
		draw_text(app, y, r.x + nw + tw + 2 * iw + 4, 8,
		          sel                        ? role
		          : p->state == STATE_ACTIVE ? ROLE_OK
		                                     : ROLE_WARN,
		          opt_slug(&opt_state, p->state));
	}
	if (pf.n == 0)
		draw_text(app, r.y + 2, r.x + 2, r.w - 2, ROLE_DIM, _("no server profiles cached"));
}

const tui_screen screen_profiles = {
    .title = N_("Server profiles"),
    .enter = NULL,
    .reload = pf_reload,
    .draw = pf_draw,
    .key = NULL,
    .unsaved = NULL,
};
