/* screen_outbox.c — the Outbox: queued edits, failed pushes and conflicts
 * (mailboxes and the organization's settings). Enter opens an entry; a
 * conflict is shown field by field — mine, theirs, base — and each field
 * is resolved on its own (Left/Right, m mine, o theirs), then R applies the choices:
 * all mine re-bases the edit, all theirs drops it, a mix narrows the edit
 * to the fields kept as mine and re-bases that (one job: nothing kept is
 * dropped first). d drops an entry, A tries a failed one again. Every
 * change is a worker job. Reads the cache only; server profiles are shown
 * by their cached names. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/base/i18n.h"
#include "core/jobs/job_types.h"
#include "core/codec/keys.h"
#include "core/sync/outbox.h"
#include "tui/pager.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/listview.h"

enum { PICK_MINE, PICK_THEIRS };

typedef struct ob_field {
	char key[40];
	char *mine, *theirs, *base; /* JSON text, profiles by name */
	int pick;
} ob_field;

static struct {
	ec_outbox_entry *rows;
	char (*names)[120];
	char **shown; /* each row's changes, profiles by name */
	int n;
	listview lv, flv;
	bool detail;
	long long open_id;
	ob_field *f;
	int nf;
} ob;

static void ob_free_fields(void)
{
	for (int i = 0; i < ob.nf; i++) {
		free(ob.f[i].mine);
		free(ob.f[i].theirs);
		free(ob.f[i].base);
	}
	free(ob.f);
	ob.f = NULL;
	ob.nf = 0;
}

static void ob_load_fields(tui_app *app, const ec_outbox_entry *e)
{
	json_object *mine = form_outbox_json(app, e->changes);
	json_object *theirs = form_outbox_json(app, e->theirs);
	json_object *base = form_outbox_json(app, e->base);
	int keep_n = ob.nf;
	int *keep = NULL;
	/* A refresh keeps the choices already made. */
	if (keep_n && ob.open_id == e->id) {
		keep = ec_xcalloc((unsigned long)keep_n, sizeof *keep);
		for (int i = 0; i < keep_n; i++)
			keep[i] = ob.f[i].pick;
	}
	ob_free_fields();
	ob.open_id = e->id;
	if (mine && json_object_is_type(mine, json_type_object)) {
		ob.f = ec_xcalloc((unsigned long)json_object_object_length(mine) + 1, sizeof *ob.f);
		json_object_object_foreach(mine, key, val)
		{
			ob_field *f = &ob.f[ob.nf];
			json_object *t = NULL, *b = NULL;
			const struct ec_key *k;
			json_object_object_get_ex(theirs, key, &t);
			json_object_object_get_ex(base, key, &b);
			snprintf(f->key, sizeof f->key, "%s", key);
			k = keys_find_for(e->entity, key);
			f->mine = keys_value_text(val, k);
			f->theirs = e->theirs ? keys_value_text(t, k) : ec_strdup("");
			f->base = keys_value_text(b, k);
			f->pick = keep && ob.nf < keep_n ? keep[ob.nf] : PICK_MINE;
			ob.nf++;
		}
	}
	free(keep);
	ob.flv.n = ob.nf;
	listview_fit(&ob.flv, ob.flv.h);
	json_object_put(mine);
	json_object_put(theirs);
	json_object_put(base);
}

/* A server profile's entry is named by the profile (its id when it is no
 * longer cached). */
static void ob_entry_profile(tui_app *app, const char *id, char *out, size_t size)
{
	ec_profile p;
	ec_error err;
	if (cache_get_profile(app->cache, id, &p, &err) == EC_OK && p.name)
		snprintf(out, size, _("server profile %s"), p.name);
	else
		snprintf(out, size, _("server profile %s"), id);
	profile_free(&p);
}

static void ob_reload(tui_app *app)
{
	ec_error err;
	for (int i = 0; i < ob.n; i++)
		free(ob.shown[i]);
	free(ob.shown);
	cache_free_outbox(ob.rows, ob.n);
	free(ob.names);
	ob.rows = NULL;
	ob.names = NULL;
	ob.shown = NULL;
	ob.n = 0;
	if (cache_outbox_list(app->cache, NULL, true, &ob.rows, &ob.n, &err) != EC_OK)
		loop_message(app, ROLE_ERROR, "%s", err.msg);
	ob.names = ec_xcalloc((unsigned long)(ob.n ? ob.n : 1), sizeof *ob.names);
	ob.shown = ec_xcalloc((unsigned long)(ob.n ? ob.n : 1), sizeof *ob.shown);
	for (int i = 0; i < ob.n; i++) {
		ec_mailbox m;
		ob.shown[i] = form_changes_text(app, &ob.rows[i]);
		mailbox_init(&m);
		if (strcmp(ob.rows[i].entity, "profile") == 0)
			ob_entry_profile(app, ob.rows[i].target_id, ob.names[i],
			                 sizeof ob.names[i]);
		else if (strcmp(ob.rows[i].entity, "mailbox") == 0 &&
		         cache_get_mailbox(app->cache, ob.rows[i].target_id, &m, &err) == EC_OK)
			snprintf(ob.names[i], sizeof ob.names[i], "%s", m.name ? m.name : m.id);
		else if (strcmp(ob.rows[i].entity, "mailbox") == 0)
			snprintf(ob.names[i], sizeof ob.names[i], _("mailbox no longer cached"));
		else
			snprintf(ob.names[i], sizeof ob.names[i], _("settings of %s"),
			         app->org_name[0] ? app->org_name : _("the organization"));
		mailbox_free(&m);
	}
	ob.lv.n = ob.n;
	if (ob.detail) {
		int at = -1;
		for (int i = 0; i < ob.n; i++)
			if (ob.rows[i].id == ob.open_id)
				at = i;
		if (at < 0) {
			ob.detail = false;
			ob_free_fields();
		} else {
			ob.lv.sel = at;
			ob_load_fields(app, &ob.rows[at]);
		}
	}
	listview_fit(&ob.lv, ob.lv.h);
}

void outbox_open_entry(tui_app *app, long long entry)
{
	loop_switch_screen(app, SCR_OUTBOX);
	ob_reload(app);
	for (int i = 0; i < ob.n; i++)
		if (ob.rows[i].id == entry) {
			ob.lv.sel = i;
			ob.detail = true;
			ob_free_fields();
			ob_load_fields(app, &ob.rows[i]);
		}
}

static const ec_outbox_entry *ob_current(void)
{
	return ob.n > 0 && ob.lv.sel < ob.n ? &ob.rows[ob.lv.sel] : NULL;
}

/* ---- actions ----------------------------------------------------------------------- */

static void ob_drop_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (choice != 1)
		return;
	loop_job_started(app, job_submit_drop(app->worker, ob.open_id), "drop", _("drop an edit"));
	ob.detail = false;
	ob_free_fields();
	loop_message(app, ROLE_PENDING, "%s", _("dropping the entry"));
}

static unsigned ob_drop(tui_app *app)
{
	const ec_outbox_entry *e = ob_current();
	char text[700];
	if (!e)
		return RX_NONE;
	ob.open_id = e->id;
	snprintf(text, sizeof text, _("Drop the %s edit of %s (%s)? What it changes is lost."),
	         outbox_state_slug(e->state), ob.names[ob.lv.sel], ob.shown[ob.lv.sel]);
	dialog_confirm(app, _("Drop edit"), text, _("Cancel|Drop"), ob_drop_answer, NULL);
	return RX_OVERLAY;
}

/* T: a failed entry queued again and pushed by the worker (the worker
 * only queues it under --offline). */
static unsigned ob_retry(tui_app *app)
{
	const ec_outbox_entry *e = ob_current();
	if (!e || e->state != OUTBOX_FAILED) {
		loop_message(app, ROLE_DIM, "%s", _("only a failed edit is retried"));
		return RX_MESSAGE;
	}
	loop_job_started(app, job_submit_retry(app->worker, e->id), "retry", _("retry an edit"));
	loop_message(app, ROLE_PENDING, "%s",
	             app->cfg->offline ? _("queued again: pushed when online")
	                               : _("retrying the edit"));
	ob.detail = false;
	ob_free_fields();
	return RX_BODY | RX_MESSAGE | RX_PANEL;
}

/* A mixed resolve, run on the worker: the conflict's edit narrowed to the
 * fields kept as mine (their values as kept, null included: a cleared
 * field stays cleared), then "keep mine" on it. The fields taken as theirs
 * leave with the narrowing, in the same step that keeps the others, so a
 * refusal or a failed push never loses what was kept as mine: it stays in
 * the outbox. */
typedef struct ob_mixed {
	long long entry;
	char *changes; /* the entry's changes when R was pressed */
	char (*keep)[40];
	int nkeep;
} ob_mixed;

static void ob_mixed_free(void *p)
{
	ob_mixed *a = p;
	free(a->changes);
	free(a->keep);
	free(a);
}

/* Only the keys kept, of a JSON object text; NULL when it is not one. */
static char *ob_narrow(const char *text, const ob_mixed *a)
{
	json_object *all = json_tokener_parse(text ? text : "{}"), *some, *v;
	char *out = NULL;
	if (json_object_is_type(all, json_type_object)) {
		some = json_object_new_object();
		for (int i = 0; i < a->nkeep; i++)
			if (json_object_object_get_ex(all, a->keep[i], &v))
				json_object_object_add(some, a->keep[i], json_object_get(v));
		out = ec_strdup(json_object_to_json_string_ext(some, JSON_C_TO_STRING_PLAIN));
		json_object_put(some);
	}
	json_object_put(all);
	return out;
}

static int ob_run_mixed(ec_session *s, void *p, ec_error *err)
{
	ob_mixed *a = p;
	ec_outbox_entry e;
	char *changes = NULL, *base = NULL;
	int rc = cache_transaction_begin(s->cache, err);
	if (rc != EC_OK)
		return rc;
	rc = cache_outbox_get(s->cache, a->entry, &e, err);
	if (rc == EC_OK &&
	    (e.state != OUTBOX_CONFLICT || !e.changes || strcmp(e.changes, a->changes) != 0 ||
	     !(changes = ob_narrow(e.changes, a)) || !(base = ob_narrow(e.base, a))))
		rc = ec_fail(err, EC_USAGE,
		             "outbox entry %lld changed meanwhile; nothing was resolved: look "
		             "at it again",
		             a->entry);
	else if (rc == CACHE_NOT_FOUND)
		rc = ec_fail(err, EC_USAGE, "outbox entry %lld is gone; nothing was resolved",
		             a->entry);
	if (rc == EC_OK) {
		free(e.changes);
		free(e.base);
		e.changes = changes;
		e.base = base;
		changes = base = NULL;
		rc = cache_outbox_update(s->cache, &e, err);
	}
	outbox_entry_free(&e);
	free(changes);
	free(base);
	if (rc == EC_OK)
		rc = cache_transaction_commit(s->cache, err);
	else
		cache_transaction_rollback(s->cache, NULL);
	if (rc == EC_OK)
		rc = outbox_resolve(s, a->entry, true, err);
	ec_emitf(&s->sink, EV_CHANGED, "edit", "outbox");
	return rc;
}

/* Applies the per-field choices of the open conflict. */
static unsigned ob_resolve(tui_app *app)
{
	const ec_outbox_entry *e = ob_current();
	int mine = 0;
	if (!e || e->state != OUTBOX_CONFLICT) {
		loop_message(app, ROLE_DIM, "%s", _("only a conflict is resolved"));
		return RX_MESSAGE;
	}
	if (!ob.detail || ob.open_id != e->id)
		ob_load_fields(app, e);
	for (int i = 0; i < ob.nf; i++)
		if (ob.f[i].pick == PICK_MINE)
			mine++;
	if (mine == ob.nf || mine == 0) {
		loop_job_started(app, job_submit_resolve(app->worker, e->id, mine == ob.nf),
		                 "resolve", mine ? _("keep mine") : _("take theirs"));
	} else {
		ob_mixed *a = ec_xcalloc(1, sizeof *a);
		a->entry = e->id;
		a->changes = ec_strdup(e->changes ? e->changes : "");
		a->keep = ec_xcalloc((unsigned long)mine, sizeof *a->keep);
		for (int i = 0; i < ob.nf; i++)
			if (ob.f[i].pick == PICK_MINE)
				memcpy(a->keep[a->nkeep++], ob.f[i].key, sizeof a->keep[0]);
		loop_job_started(
		    app, worker_submit(app->worker, "resolve", ob_run_mixed, a, ob_mixed_free),
		    "resolve", _("fields kept as mine"));
	}
	loop_message(app, ROLE_PENDING,
	             ngettext("resolving: %d field mine, %d theirs",
	                      "resolving: %d fields mine, %d theirs", (unsigned long)mine),
	             mine, ob.nf - mine);
	ob.detail = false;
	return RX_BODY | RX_MESSAGE | RX_PANEL;
}

static long long ob_whole_id;
static int ob_whole_pick;

static void ob_whole_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice != 1)
		return;
	loop_job_started(app,
	                 job_submit_resolve(app->worker, ob_whole_id, ob_whole_pick == PICK_MINE),
	                 "resolve", ob_whole_pick == PICK_MINE ? _("keep mine") : _("take theirs"));
	loop_message(app, ROLE_PENDING, "%s",
	             ob_whole_pick == PICK_MINE ? _("keeping mine: pushing it again")
	                                        : _("taking theirs: the edit is dropped"));
	app->dirty |= RX_BODY | RX_MESSAGE | RX_PANEL;
}

/* m / t: the field shown in the detail, or — after asking, Cancel first —
 * the whole entry in the list. */
static unsigned ob_pick(tui_app *app, int pick)
{
	const ec_outbox_entry *e = ob_current();
	char text[700];
	if (!e || e->state != OUTBOX_CONFLICT) {
		loop_message(app, ROLE_DIM, "%s", _("only a conflict has mine and theirs"));
		return RX_MESSAGE;
	}
	if (ob.detail && ob.nf > 0) {
		ob.f[ob.flv.sel].pick = pick;
		listview_op(&ob.flv, OP_DOWN);
		return RX_BODY;
	}
	ob_whole_id = e->id;
	ob_whole_pick = pick;
	snprintf(text, sizeof text,
	         pick == PICK_MINE ? _("Send your edit of %s again over the organization's values?")
	                           : _("Drop your edit of %s and keep the organization's values? "
	                               "What it changes is lost."),
	         ob.names[ob.lv.sel]);
	dialog_confirm(app, pick == PICK_MINE ? _("Keep mine") : _("Take theirs"), text,
	               pick == PICK_MINE ? _("Cancel|Keep mine") : _("Cancel|Take theirs"),
	               ob_whole_answer, NULL);
	return RX_OVERLAY;
}

unsigned outbox_cmd(tui_app *app, int op)
{
	const ec_outbox_entry *e = ob_current();
	switch (op) {
	case OP_READ: return pager_outbox_entry(app, e, e ? ob.names[ob.lv.sel] : NULL);
	case OP_ENTER:
		if (!e || ob.detail)
			return RX_NONE;
		ob.detail = true;
		ob_free_fields();
		ob.flv.sel = ob.flv.top = 0;
		ob_load_fields(app, e);
		return RX_BODY;
	case OP_ESC:
		if (ob.detail) {
			ob.detail = false;
			return RX_BODY;
		}
		loop_back(app);
		return RX_ALL;
	case OP_LEFT:
	case OP_RIGHT:
		if (ob.detail && ob.nf > 0 && e && e->state == OUTBOX_CONFLICT) {
			ob.f[ob.flv.sel].pick =
			    ob.f[ob.flv.sel].pick == PICK_MINE ? PICK_THEIRS : PICK_MINE;
			return RX_BODY;
		}
		return RX_NONE;
	case OP_MINE: return ob_pick(app, PICK_MINE);
	case OP_THEIRS: return ob_pick(app, PICK_THEIRS);
	case OP_RESOLVE: return ob_resolve(app);
	case OP_DROP: return ob_drop(app);
	case OP_RETRY: return ob_retry(app);
	}
	return listview_op(ob.detail ? &ob.flv : &ob.lv, op) ? RX_BODY : RX_NONE;
}

/* ---- drawing ----------------------------------------------------------------------- */

static void ob_draw_detail(tui_app *app, tui_rect r)
{
	char line[400];
	const ec_outbox_entry *e = ob_current();
	/* The field column takes its labels whole where the width allows. */
	int fw = r.w >= 110 ? 40 : 22, cw = (r.w - fw - 4) / 3, y = r.y + 3;
	bool conflict = e->state == OUTBOX_CONFLICT;
	draw_fmt(app, r.y, r.x, r.w, conflict ? ROLE_CONFLICT : ROLE_HEADER, _("#%lld %s - %s"),
	         e->id, ob.names[ob.lv.sel], outbox_state_slug(e->state));
	if (conflict)
		snprintf(line, sizeof line,
		         _("The organization changed these fields since the edit. Per field: "
		           "Left/Right, "
		           "%s mine, %s theirs; then %s resolves."),
		         commands_key(SCR_OUTBOX, "mine"), commands_key(SCR_OUTBOX, "theirs"),
		         commands_key(SCR_OUTBOX, "resolve"));
	else
		snprintf(line, sizeof line, _("Queued: pushed with the next sync (%s pushes now)."),
		         commands_key(SCR_OUTBOX, "push"));
	draw_text(app, r.y + 1, r.x + 2, r.w - 2, conflict ? ROLE_NORMAL : ROLE_DIM,
	          e->error && !conflict ? e->error : line);
	draw_text(app, r.y + 2, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y + 2, r.x + 2, fw, ROLE_HEADER, _("field"));
	draw_text(app, r.y + 2, r.x + 2 + fw, cw, ROLE_HEADER, _("mine"));
	draw_text(app, r.y + 2, r.x + 3 + fw + cw, cw, ROLE_HEADER, _("theirs"));
	draw_text(app, r.y + 2, r.x + 4 + fw + 2 * cw, cw, ROLE_HEADER, _("base"));
	listview_fit(&ob.flv, r.h - 4);
	for (int i = 0; i < ob.flv.h && ob.flv.top + i < ob.nf; i++, y++) {
		const ob_field *f = &ob.f[ob.flv.top + i];
		bool sel = ob.flv.top + i == ob.flv.sel;
		const char *mark = draw_sym(app, "\u25b6", ">");
		draw_text(app, y, r.x, 2, ROLE_KEY, sel ? mark : "");
		draw_text(app, y, r.x + 2, fw, sel ? ROLE_SELECTED : ROLE_NORMAL,
		          keys_label_for(e->entity, f->key));
		draw_text(app, y, r.x + 2 + fw, cw,
		          conflict && f->pick == PICK_MINE ? ROLE_SELECTED : ROLE_NORMAL, f->mine);
		draw_text(app, y, r.x + 3 + fw + cw, cw,
		          conflict && f->pick == PICK_THEIRS ? ROLE_SELECTED : ROLE_DIM, f->theirs);
		draw_text(app, y, r.x + 4 + fw + 2 * cw, cw, ROLE_DIM, f->base);
	}
}

static void ob_draw(tui_app *app, tui_rect r)
{
	int nw = r.w >= 100 ? 30 : 20;
	draw_fill(app, r, ROLE_NORMAL);
	if (ob.detail && ob_current()) {
		ob_draw_detail(app, r);
		return;
	}
	listview_fit(&ob.lv, r.h - 1);
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, "");
	draw_text(app, r.y, r.x, 6, ROLE_HEADER, "#");
	draw_text(app, r.y, r.x + 7, 9, ROLE_HEADER, _("State"));
	draw_text(app, r.y, r.x + 17, nw, ROLE_HEADER, _("Target"));
	draw_text(app, r.y, r.x + 18 + nw, r.w - 18 - nw, ROLE_HEADER, _("Changes"));
	for (int i = 0; i < ob.lv.h && ob.lv.top + i < ob.n; i++) {
		const ec_outbox_entry *e = &ob.rows[ob.lv.top + i];
		bool sel = ob.lv.top + i == ob.lv.sel;
		enum tui_role st = e->state == OUTBOX_CONFLICT ? ROLE_CONFLICT
		                   : e->state == OUTBOX_FAILED ? ROLE_ERROR
		                                               : ROLE_PENDING;
		int y = r.y + 1 + i;
		draw_text(app, y, r.x, r.w, sel ? ROLE_SELECTED : ROLE_NORMAL, "");
		draw_fmt(app, y, r.x, 6, sel ? ROLE_SELECTED : ROLE_DIM, "%lld", e->id);
		draw_text(app, y, r.x + 7, 9, sel ? ROLE_SELECTED : st,
		          outbox_is_sending(e) ? _("sending") : outbox_state_slug(e->state));
		draw_text(app, y, r.x + 17, nw, sel ? ROLE_SELECTED : ROLE_NORMAL,
		          ob.names[ob.lv.top + i]);
		draw_text(app, y, r.x + 18 + nw, r.w - 18 - nw, sel ? ROLE_SELECTED : ROLE_NORMAL,
		          ob.shown[ob.lv.top + i]);
	}
	if (ob.n == 0)
		draw_text(app, r.y + 2, r.x + 2, r.w - 2, ROLE_DIM,
		          _("the outbox is empty: every edit reached the organization"));
}

const tui_screen screen_outbox = {
    .title = N_("Outbox"),
    .enter = NULL,
    .reload = ob_reload,
    .draw = ob_draw,
    .key = NULL,
    .unsaved = NULL,
};
