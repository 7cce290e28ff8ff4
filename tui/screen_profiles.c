/* screen_profiles.c — Server profiles: a list (name, server type as the
 * organization names it, incoming and outgoing servers, state, mailbox
 * count) and, on Enter, the detail of one profile with its alerts; e opens
 * its form (screen_profile.c), F goes to its failing mailboxes, tagged, on
 * the Mailboxes screen. Reads the cache only; the mailbox counts come from
 * the reader thread. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/base/timefmt.h"
#include "core/jobs/job_types.h"
#include "core/model/options.h"
#include "core/model/profile_text.h"
#include "tui/app.h"
#include "tui/pager.h"
#include "tui/listview.h"

static struct {
	ec_profile *rows;
	long *total, *failing; /* mailboxes per profile, read with the rows */
	int n;
	listview lv;
	bool detail;
	ec_alert *alerts;
	int nalerts;
	bool sel_cut; /* the last draw cut the selected row or the detail: i is offered */
} pf;

/* The mailbox counts take a pass over every mailbox (100,000 at scale):
 * the reader thread counts them with one GROUP BY, once per reload; -1
 * until its answer comes (drawn as "..."). */
static long pf_gen;

static void pf_count(tui_app *app)
{
	free(pf.total);
	free(pf.failing);
	pf.total = ec_xcalloc((unsigned long)pf.n + 1, sizeof *pf.total);
	pf.failing = ec_xcalloc((unsigned long)pf.n + 1, sizeof *pf.failing);
	for (int i = 0; i < pf.n; i++)
		pf.total[i] = pf.failing[i] = -1;
	if (app->view)
		loop_ask(app, VIEW_PROFILES, ++pf_gen, NULL, NULL, NULL);
}

unsigned profiles_answer(tui_app *app, view_answer *a)
{
	(void)app;
	if (a->gen != pf_gen || a->status != EC_OK)
		return RX_NONE;
	for (int i = 0; i < pf.n; i++) {
		pf.total[i] = pf.failing[i] = 0;
		for (int k = 0; k < a->npcounts; k++)
			if (strcmp(a->pcounts[k].id, pf.rows[i].id) == 0) {
				pf.total[i] = a->pcounts[k].total;
				pf.failing[i] = a->pcounts[k].failing;
			}
	}
	return RX_BODY;
}

static void pf_reload(tui_app *app)
{
	ec_error err;
	cache_free_profiles(pf.rows, pf.n);
	pf.rows = NULL;
	pf.n = 0;
	if (cache_list_profiles(app->cache, &pf.rows, &pf.n, &err) != EC_OK)
		loop_message(app, ROLE_ERROR, "%s", err.msg);
	pf_count(app);
	pf.lv.n = pf.n;
	listview_fit(&pf.lv, pf.lv.h);
	cache_free_alerts(pf.alerts, pf.nalerts);
	pf.alerts = NULL;
	pf.nalerts = 0;
	if (pf.detail && pf.n > 0)
		cache_list_alerts(app->cache, pf.rows[pf.lv.sel].id, 8, &pf.alerts, &pf.nalerts,
		                  &err);
}

/* The Mailboxes screen showing the profile's failing mailboxes, all of
 * them tagged, so a, T and e act on them. */
static unsigned pf_tag_failing(tui_app *app)
{
	char expr[EC_ID_SIZE + 48];
	if (pf.n == 0)
		return RX_NONE;
	snprintf(expr, sizeof expr, "profile:%s status:failure", pf.rows[pf.lv.sel].id);
	loop_switch_screen(app, SCR_MAILBOXES);
	mailboxes_set_filter(app, expr);
	mailboxes_cmd(app, OP_UNTAG_ALL);
	return mailboxes_cmd(app, OP_TAG_ALL) | RX_ALL;
}

/* Test this profile: its servers probed once by a worker job; the result
 * comes back as the job's notice or error. */
static unsigned pf_test(tui_app *app)
{
	long id;
	if (pf.n == 0)
		return RX_NONE;
	id = job_submit_profile_test(app->worker, pf.rows[pf.lv.sel].id);
	loop_job_started(app, id, "profile test", _("testing the server profile"));
	loop_message(app, ROLE_PENDING, _("probing the servers of %s..."), pf.rows[pf.lv.sel].name);
	return RX_MESSAGE | RX_PANEL;
}

/* i: the selected profile whole (its servers, state, mailboxes, and in the
 * detail its alerts' texts), in the pager. */
static unsigned pf_read(tui_app *app)
{
	const ec_profile *p;
	char *text = NULL, type[32], in[2200], out_loc[2200];
	size_t size = 0;
	FILE *out;
	if (pf.n == 0 || !(out = open_memstream(&text, &size)))
		return RX_NONE;
	p = &pf.rows[pf.lv.sel];
	fprintf(
	    out, "%s: %s\n%s: %s\n%s: %s\n%s: %s\n", _("Server type"),
	    profile_type_text(p, type, sizeof type), _("Incoming"),
	    profile_endpoint_text(p->incoming_location, p->incoming_port, in, sizeof in),
	    _("Outgoing"),
	    profile_endpoint_text(p->outgoing_location, p->outgoing_port, out_loc, sizeof out_loc),
	    _("State"), opt_label(&opt_state, p->state));
	if (pf.total[pf.lv.sel] >= 0)
		fprintf(out, _("%s: %ld (%ld failing)\n"), _("Mailboxes"), pf.total[pf.lv.sel],
		        pf.failing[pf.lv.sel]);
	for (int i = 0; pf.detail && i < pf.nalerts; i++)
		fprintf(out, "%s %s\n", pf.alerts[i].created_on,
		        pf.alerts[i].text ? pf.alerts[i].text : "");
	fclose(out);
	pager_open(app, p->name ? p->name : "", text);
	free(text);
	return RX_OVERLAY;
}

unsigned profiles_cmd(tui_app *app, int op)
{
	if (op == OP_READ)
		return pf_read(app);
	if (op == OP_TEST)
		return pf_test(app);
	if (op == OP_EDIT && pf.n > 0) {
		profile_open(app, pf.rows[pf.lv.sel].id);
		return RX_ALL | RX_RELOAD;
	}
	if (op == OP_TAG_FAILING)
		return pf_tag_failing(app);
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

/* One line of the detail, when it still fits in r. */
static void pf_line(tui_app *app, tui_rect r, int *y, int indent, enum tui_role role,
                    const char *label, const char *value)
{
	char buf[1024];
	if (*y >= r.y + r.h)
		return;
	snprintf(buf, sizeof buf, "%-18s %s", label, value ? value : "");
	pf.sel_cut |= pager_text_width(buf) > r.w - indent;
	draw_text(app, (*y)++, r.x + indent, r.w - indent, role, buf);
}

static const char *pf_yes_no(int v)
{
	return v == EC_NULL ? "" : v ? _("yes") : _("no");
}

/* A server as the organization means it: an EWS URL as it is, host:port
 * for a host name with a port. */
static void pf_server_line(tui_app *app, tui_rect r, int *y, const char *label,
                           const char *location, int port, int ssl, int credential, int auth)
{
	char buf[900], line[1000], shown[2][24];
	const char *cred = opt_show_slug(&opt_credential, credential, shown[0], sizeof shown[0]);
	const char *proto = opt_show_slug(&opt_auth_protocol, auth, shown[1], sizeof shown[1]);
	snprintf(line, sizeof line, "%s  ssl %s  %s  %s",
	         profile_endpoint_text(location, port, buf, sizeof buf), pf_yes_no(ssl),
	         cred ? cred : "", proto ? proto : "");
	pf_line(app, r, y, 2, ROLE_NORMAL, label, line);
}

static void pf_draw_detail(tui_app *app, tui_rect r)
{
	const ec_profile *p = &pf.rows[pf.lv.sel];
	int y = r.y + 1;
	char type[32], count[64], conn[16], when[40];
	if (pf.total[pf.lv.sel] < 0)
		snprintf(count, sizeof count, "...");
	else
		snprintf(count, sizeof count, _("%ld (%ld failing)"), pf.total[pf.lv.sel],
		         pf.failing[pf.lv.sel]);
	snprintf(conn, sizeof conn, "%d", p->max_connections);
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, p->name);
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Server type"),
	        profile_type_text(p, type, sizeof type));
	pf_line(app, r, &y, 2, p->state == STATE_ACTIVE ? ROLE_OK : ROLE_WARN, _("State"),
	        opt_label(&opt_state, p->state));
	pf_server_line(app, r, &y, _("Incoming server"), p->incoming_location, p->incoming_port,
	               p->incoming_ssl, p->incoming_credential, p->incoming_auth);
	pf_server_line(app, r, &y, _("Outgoing server"), p->outgoing_location, p->outgoing_port,
	               p->outgoing_ssl, p->outgoing_credential, p->outgoing_auth);
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Same for outgoing"),
	        pf_yes_no(p->use_same_settings));
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Auto Discover"), pf_yes_no(p->use_autodiscover));
	pf_line(app, r, &y, 2, ROLE_NORMAL, _("Max. connections"),
	        p->max_connections == EC_NULL ? "" : conn);
	pf_line(app, r, &y, 2, pf.failing[pf.lv.sel] > 0 ? ROLE_WARN : ROLE_NORMAL, _("Mailboxes"),
	        count);
	timefmt_local(p->modified_on, false, when, sizeof when);
	pf_line(app, r, &y, 2, ROLE_DIM, _("Modified"), when);
	pf_line(app, r, &y, 0, ROLE_HEADER, _("Alerts"), "");
	if (pf.nalerts == 0)
		pf_line(app, r, &y, 2, ROLE_DIM, _("no alerts"), "");
	for (int i = 0; i < pf.nalerts; i++) {
		timefmt_local(pf.alerts[i].created_on, false, when, sizeof when);
		pf_line(app, r, &y, 2, pf.alerts[i].level == LEVEL_ERROR ? ROLE_FAIL : ROLE_NORMAL,
		        when, pf.alerts[i].text);
	}
}

static void pf_draw_row(tui_app *app, int y, tui_rect r, int i, const int *w)
{
	const ec_profile *p = &pf.rows[i];
	bool sel = i == pf.lv.sel;
	enum tui_role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
	char type[32], in[2200], out[2200], count[32];
	int x = r.x;
	if (pf.total[i] < 0)
		snprintf(count, sizeof count, "...");
	else
		snprintf(count, sizeof count, pf.failing[i] > 0 ? _("%ld (%ld ✗)") : "%ld",
		         pf.total[i], pf.failing[i]);
	draw_text(app, y, r.x, r.w, role, "");
	draw_text(app, y, x, w[0], role, p->name);
	draw_text(app, y, x += w[0] + 1, w[1], role, profile_type_text(p, type, sizeof type));
	draw_text(app, y, x += w[1] + 1, w[2], role,
	          profile_endpoint_text(p->incoming_location, p->incoming_port, in, sizeof in));
	draw_text(app, y, x += w[2] + 1, w[2], role,
	          profile_endpoint_text(p->outgoing_location, p->outgoing_port, out, sizeof out));
	draw_text(app, y, x += w[2] + 1, w[3],
	          sel                        ? role
	          : p->state == STATE_ACTIVE ? ROLE_OK
	                                     : ROLE_WARN,
	          opt_slug(&opt_state, p->state));
	draw_text(app, y, x += w[3] + 1, w[4], sel || pf.failing[i] <= 0 ? role : ROLE_WARN, count);
	if (sel) /* what i reads whole */
		pf.sel_cut = pager_text_width(p->name) > w[0] || pager_text_width(type) > w[1] ||
		             pager_text_width(in) > w[2] || pager_text_width(out) > w[2];
}

static void pf_draw(tui_app *app, tui_rect r)
{
	/* name, type, each server, state, mailboxes */
	int w[5] = {r.w >= 100 ? 34 : 20, r.w >= 100 ? 18 : 12, 0, 8, 10}, x = r.x;
	w[2] = (r.w - w[0] - w[1] - w[3] - w[4] - 5) / 2;
	draw_fill(app, r, ROLE_NORMAL);
	pf.sel_cut = false;
	if (pf.detail && pf.n > 0) {
		pf_draw_detail(app, r);
		pager_note_cut(app, pf.sel_cut);
		return;
	}
	listview_fit(&pf.lv, r.h - 1);
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y, x, w[0], ROLE_HEADER, _("Name"));
	draw_text(app, r.y, x += w[0] + 1, w[1], ROLE_HEADER, C_("column", "Server type"));
	draw_text(app, r.y, x += w[1] + 1, w[2], ROLE_HEADER, _("Incoming"));
	draw_text(app, r.y, x += w[2] + 1, w[2], ROLE_HEADER, _("Outgoing"));
	draw_text(app, r.y, x += w[2] + 1, w[3], ROLE_HEADER, _("State"));
	draw_text(app, r.y, x += w[3] + 1, w[4], ROLE_HEADER, C_("column", "Mailboxes"));
	for (int i = 0; i < pf.lv.h && pf.lv.top + i < pf.n; i++)
		pf_draw_row(app, r.y + 1 + i, r, pf.lv.top + i, w);
	if (pf.n == 0)
		draw_text(app, r.y + 2, r.x + 2, r.w - 2, ROLE_DIM, _("no server profiles cached"));
	pager_note_cut(app, pf.sel_cut);
}

const tui_screen screen_profiles = {
    .title = N_("Server profiles"),
    .enter = NULL,
    .reload = pf_reload,
    .draw = pf_draw,
    .key = NULL,
    .unsaved = NULL,
};
