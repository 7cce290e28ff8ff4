/* screen_settings.c — the Email Configuration Settings form: every key of
 * `settings set`, grouped as the product groups them (the keys table's
 * `group`), with the Mailbox form's behaviour: edit a copy, validate text
 * as you type, save through the outbox (a worker job), show queued edits
 * and conflicts, and ask "Discard changes?" on Esc. Reads the cache only. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/jobs/job_types.h"
#include "core/sync/outbox.h"
#include "core/model/options.h"
#include "tui/app.h"
#include "tui/form.h"

static struct {
	bool loaded;
	ec_settings saved, copy;
	char moved[256]; /* edited fields someone else changed meanwhile (form_rebase_edits) */
	form f;
} sf;

static bool sf_key_changed(const struct ec_key *k)
{
	json_object *a = keys_settings_get_json(&sf.saved, k->key);
	json_object *b = keys_settings_get_json(&sf.copy, k->key);
	bool same = json_object_equal(a, b);
	json_object_put(a);
	json_object_put(b);
	return !same;
}

static bool sf_unsaved(tui_app *app)
{
	(void)app;
	if (!sf.loaded)
		return false;
	for (int i = 0; i < keys_settings_count; i++)
		if (!keys_settings[i].internal && sf_key_changed(&keys_settings[i]))
			return true;
	return false;
}

static void sf_build_outbox(tui_app *app)
{
	ec_outbox_entry *e = NULL;
	int n = 0;
	ec_error err;
	if (!sf.saved.id[0] ||
	    cache_outbox_list(app->cache, sf.saved.id, true, &e, &n, &err) != EC_OK || n == 0) {
		cache_free_outbox(e, n);
		return;
	}
	form_section(&sf.f, _("Queued edits (5 shows the outbox)"));
	for (int i = 0; i < n; i++) {
		char *text = form_changes_text(app, &e[i]);
		form_fact(&sf.f, outbox_state_slug(e[i].state),
		          e[i].state == OUTBOX_CONFLICT ? ROLE_CONFLICT : ROLE_PENDING, "%s %s",
		          text, e[i].error ? e[i].error : "");
		free(text);
	}
	cache_free_outbox(e, n);
}

static void sf_build(tui_app *app)
{
	const char *group = NULL;
	int sel = sf.f.sel, top = sf.f.top;
	form_clear(&sf.f);
	for (int i = 0; i < keys_settings_count; i++) {
		const struct ec_key *k = &keys_settings[i];
		if (k->internal)
			continue;
		if (k->group && (!group || strcmp(group, k->group) != 0)) {
			group = k->group;
			form_section(&sf.f, _(group));
		}
		form_key(&sf.f, k, NULL, sf_key_changed(k));
	}
	sf_build_outbox(app);
	sf.f.sel = sel;
	sf.f.top = top;
	if (!form_current(&sf.f))
		form_home(&sf.f);
}

/* Queued edits are shown as the form's values until the organization
 * confirms them (the Queued edits rows say they are pending). */
static void sf_apply_queued(tui_app *app, ec_settings *s)
{
	ec_outbox_entry *e = NULL;
	int n = 0;
	ec_error err;
	if (!s->id[0] || cache_outbox_list(app->cache, s->id, true, &e, &n, &err) != EC_OK)
		return;
	for (int i = 0; i < n; i++) {
		json_object *ch;
		if (e[i].state != OUTBOX_QUEUED || !e[i].changes)
			continue;
		ch = json_tokener_parse(e[i].changes);
		if (ch)
			keys_settings_apply_changes(s, ch, form_resolve_profile, app, &err);
		json_object_put(ch);
	}
	cache_free_outbox(e, n);
}

static json_object *sf_row_get(const void *row, const char *key)
{
	return keys_settings_get_json(row, key);
}

/* The fresh row under unsaved edits: the edits move onto it and the fields
 * the admin did not touch follow it (form_rebase_edits). */
static void sf_rebase(tui_app *app, const ec_settings *fresh)
{
	ec_settings next;
	ec_error err;
	json_object *edits =
	    form_rebase_edits(app, keys_settings, keys_settings_count, sf_row_get, &sf.saved,
	                      &sf.copy, fresh, sf.moved, sizeof sf.moved);
	settings_copy(&next, fresh);
	if (keys_settings_apply_changes(&next, edits, form_resolve_profile, app, &err) == EC_OK) {
		settings_free(&sf.copy);
		sf.copy = next;
	} else {
		settings_free(&next); /* the copy as it was: nothing the admin typed is lost */
	}
	json_object_put(edits);
}

static void sf_reload(tui_app *app)
{
	ec_settings fresh;
	ec_error err;
	bool keep = sf.loaded && sf_unsaved(app);
	int rc = cache_get_settings(app->cache, &fresh, &err);
	if (rc != EC_OK) {
		settings_free(&fresh);
		if (sf.loaded)
			return;
		form_clear(&sf.f);
		form_text(&sf.f, ROLE_DIM,
		          rc == CACHE_NOT_FOUND ? _("no settings in the cache yet; the first sync "
		                                    "reads them")
		                                : err.msg);
		return;
	}
	sf_apply_queued(app, &fresh);
	if (keep)
		sf_rebase(app, &fresh); /* edits in progress survive a refresh */
	else if (sf.loaded)
		settings_free(&sf.copy);
	if (sf.loaded)
		settings_free(&sf.saved);
	sf.saved = fresh;
	if (!keep) {
		settings_copy(&sf.copy, &sf.saved);
		sf.moved[0] = '\0'; /* no edit left to ask about */
	}
	sf.loaded = true;
	sf_build(app);
}

static void sf_enter(tui_app *app)
{
	(void)app;
	sf.f.last_sel = -1;
}

/* ---- editing ------------------------------------------------------------------------ */

static int sf_apply(tui_app *app, const char *key, const char *value, ec_error *err)
{
	int rc = keys_settings_apply(&sf.copy, key, value, form_resolve_profile, app, err);
	if (rc == EC_OK)
		sf_build(app);
	return rc;
}

static json_object *sf_get(const struct ec_key *k)
{
	return keys_settings_get_json(&sf.copy, k->key);
}

static int sf_check(const char *key, const char *value, ec_error *err)
{
	ec_settings trial;
	int rc;
	settings_copy(&trial, &sf.copy);
	rc = keys_settings_apply(&trial, key, value, NULL, NULL, err);
	settings_free(&trial);
	return rc;
}

static const char *sf_profile_id(void)
{
	return sf.copy.default_profile_id;
}

/* The settings have no rules of their own: every well-formed value goes. */
static const form_model sf_model = {sf_get, sf_apply, sf_check, NULL, sf_profile_id};

/* ---- saving --------------------------------------------------------------------------- */

static char *sf_assignment(const struct ec_key *k)
{
	json_object *v = keys_settings_get_json(&sf.copy, k->key);
	char *a = form_assignment(k, v, sf.copy.default_profile_id);
	json_object_put(v);
	return a;
}

static unsigned sf_save(tui_app *app);

static void sf_moved_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice != 1)
		return;
	sf.moved[0] = '\0';
	app->dirty |= sf_save(app);
}

static unsigned sf_save(tui_app *app)
{
	char *assign[32];
	int n = 0;
	if (!sf_unsaved(app)) {
		loop_message(app, ROLE_DIM, "%s", _("nothing to save"));
		return RX_MESSAGE;
	}
	if (sf.moved[0])
		return form_confirm_moved(app, sf.moved, sf_moved_answer);
	for (int i = 0; i < keys_settings_count && n < 32; i++)
		if (!keys_settings[i].internal && sf_key_changed(&keys_settings[i]))
			assign[n++] = sf_assignment(&keys_settings[i]);
	{
		ec_session qs = loop_queue_session(app);
		ec_edit_result res;
		ec_error err;
		int rc = edit_settings(&qs, assign, n, &res, &err);
		for (int i = 0; i < n; i++)
			free(assign[i]);
		if (rc != EC_OK) {
			loop_message(app, ROLE_ERROR, _("not saved: %s"), err.msg);
			return RX_MESSAGE;
		}
	}
	loop_push_queued(app, _("saving the settings"));
	settings_free(&sf.saved);
	settings_copy(&sf.saved, &sf.copy);
	sf_build(app);
	loop_message(app, ROLE_PENDING, "%s",
	             _("saved to the outbox; pending until the organization confirms"));
	return RX_BODY | RX_MESSAGE | RX_PANEL;
}

static void sf_discard_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (choice != 1)
		return;
	sf.moved[0] = '\0';
	settings_free(&sf.copy);
	settings_copy(&sf.copy, &sf.saved);
	sf_build(app);
	loop_back(app);
}

unsigned settings_cmd(tui_app *app, int op)
{
	switch (op) {
	case OP_UP: form_move(&sf.f, -1); return RX_BODY;
	case OP_DOWN: form_move(&sf.f, 1); return RX_BODY;
	case OP_PGUP: form_move(&sf.f, -10); return RX_BODY;
	case OP_PGDN: form_move(&sf.f, 10); return RX_BODY;
	case OP_HOME: form_home(&sf.f); return RX_BODY;
	case OP_END: form_end(&sf.f); return RX_BODY;
	case OP_ENTER: return sf.loaded ? form_edit(app, &sf.f, &sf_model) : RX_NONE;
	case OP_LEFT:
	case OP_RIGHT:
		return sf.loaded ? form_cycle(app, &sf.f, &sf_model, op == OP_LEFT ? -1 : 1)
		                 : RX_NONE;
	case OP_SAVE: return sf_save(app);
	case OP_ESC:
		if (sf_unsaved(app)) {
			dialog_confirm(
			    app, _("Discard changes?"),
			    _("The settings have edits that are not saved. Discard them?"),
			    _("Cancel|Discard"), sf_discard_answer, NULL);
			return RX_OVERLAY;
		}
		loop_back(app);
		return RX_ALL;
	}
	return RX_NONE;
}

static char *sf_value(tui_app *app, const struct ec_key *k)
{
	json_object *v = keys_settings_show_json(&sf.copy, k->key);
	char *s = form_json_text(v, k);
	(void)app;
	json_object_put(v);
	return s;
}

static void sf_draw(tui_app *app, tui_rect r)
{
	char title[300];
	snprintf(title, sizeof title, "%s%s", _("Email Configuration Settings"),
	         sf_unsaved(app) ? form_unsaved_note(app) : "");
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, title);
	form_draw(app, &sf.f, (tui_rect){r.y + 1, r.x, r.h - 1, r.w}, sf_value);
}

const tui_screen screen_settings = {
    .title = N_("Settings"),
    .enter = sf_enter,
    .reload = sf_reload,
    .draw = sf_draw,
    .key = NULL,
    .unsaved = sf_unsaved,
};
