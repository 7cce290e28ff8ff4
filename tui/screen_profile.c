/* screen_profile.c — the Email Server Profile form: the keys of `profile
 * set` grouped as the product's form groups them (incoming, outgoing,
 * general), with the other forms' behaviour: edit a copy, validate text as
 * you type, pickers whose values the profile rules refuse are shown
 * disabled with the reason, save through the outbox (a worker job), show
 * queued edits and conflicts, and ask "Discard changes?" on Esc. Opened from
 * the Server profiles screen. Reads the cache only; passwords are never
 * read, only whether one is set. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/model/options.h"
#include "core/model/profile_rules.h"
#include "core/model/profile_text.h"
#include "core/sync/outbox.h"
#include "tui/app.h"
#include "tui/form.h"

static struct {
	bool loaded;
	char id[EC_ID_SIZE];
	ec_profile saved, copy;
	char moved[256]; /* edited fields someone else changed meanwhile (form_rebase_edits) */
	form f;
} pr;

/* The form's sections: a title, then the keys under it, in this order. */
static const struct {
	const char *section; /* N_(), or NULL: the key goes under the last one */
	const char *key;
	const char *label; /* N_(): short, as the product's form says it */
} pr_layout[] = {
    {N_("Incoming server"), "incoming-server", N_("Server location")},
    {NULL, "incoming-port", N_("Port")},
    {NULL, "incoming-ssl", N_("Use SSL")},
    {NULL, "incoming-auth", N_("Authentication")},
    {NULL, "credentials", N_("Credentials")},
    {N_("Outgoing server"), "use-same-for-outgoing", N_("Same as incoming")},
    {NULL, "outgoing-server", N_("Server location")},
    {NULL, "outgoing-port", N_("Port")},
    {NULL, "outgoing-ssl", N_("Use SSL")},
    {NULL, "outgoing-auth", N_("Authentication")},
    {N_("General"), "autodiscover", N_("Auto Discover")},
    {NULL, "max-connections", N_("Max. connections")},
    {NULL, "state", N_("State")},
};
#define PR_NKEYS ((int)(sizeof pr_layout / sizeof pr_layout[0]))

static bool pr_key_changed(const struct ec_key *k)
{
	json_object *a = keys_profile_get_json(&pr.saved, k->key);
	json_object *b = keys_profile_get_json(&pr.copy, k->key);
	bool same = json_object_equal(a, b);
	json_object_put(a);
	json_object_put(b);
	return !same;
}

static bool pr_unsaved(tui_app *app)
{
	(void)app;
	if (!pr.loaded)
		return false;
	for (int i = 0; i < keys_profile_count; i++)
		if (pr_key_changed(&keys_profile[i]))
			return true;
	return false;
}

static void pr_build_facts(void)
{
	char type[32];
	form_fact(&pr.f, _("Name"), ROLE_NORMAL, "%s", pr.saved.name ? pr.saved.name : "");
	form_fact(&pr.f, _("Server type"), ROLE_NORMAL, "%s",
	          profile_type_text(&pr.saved, type, sizeof type));
	form_fact(&pr.f, _("Passwords"), ROLE_DIM, _("incoming %s, outgoing %s (never shown)"),
	          pr.saved.incoming_password_set == 1 ? _("set") : _("not set"),
	          pr.saved.outgoing_password_set == 1 ? _("set") : _("not set"));
}

/* Every rule the copy breaks, as a warning under the keys. */
static void pr_build_findings(void)
{
	const profile_rule *found[8];
	int n = profile_rules_check(&pr.copy, found, 8);
	if (n == 0)
		return;
	form_section(&pr.f, _("Problems"));
	for (int i = 0; i < n && i < 8; i++)
		form_fact(&pr.f, found[i]->field, ROLE_WARN, "%s %s",
		          profile_rule_message(found[i]), profile_rule_fix(found[i]));
}

static void pr_build_outbox(tui_app *app)
{
	ec_outbox_entry *e = NULL;
	int n = 0;
	ec_error err;
	if (cache_outbox_list(app->cache, pr.id, true, &e, &n, &err) != EC_OK || n == 0) {
		cache_free_outbox(e, n);
		return;
	}
	form_section(&pr.f, _("Queued edits (5 shows the outbox)"));
	for (int i = 0; i < n; i++)
		form_fact(&pr.f, outbox_state_slug(e[i].state),
		          e[i].state == OUTBOX_CONFLICT ? ROLE_CONFLICT : ROLE_PENDING, "%s %s",
		          e[i].changes ? e[i].changes : "", e[i].error ? e[i].error : "");
	cache_free_outbox(e, n);
}

static void pr_build(tui_app *app)
{
	int sel = pr.f.sel, top = pr.f.top;
	form_clear(&pr.f);
	pr_build_facts();
	for (int i = 0; i < PR_NKEYS; i++) {
		const struct ec_key *k = keys_profile_find(pr_layout[i].key);
		if (pr_layout[i].section)
			form_section(&pr.f, _(pr_layout[i].section));
		if (k)
			form_key(&pr.f, k, _(pr_layout[i].label), pr_key_changed(k));
	}
	pr_build_findings();
	pr_build_outbox(app);
	pr.f.sel = sel;
	pr.f.top = top;
	if (!form_current(&pr.f))
		form_home(&pr.f);
}

/* Queued edits are shown as the form's values until the organization
 * confirms them (the Queued edits rows say they are pending). */
static void pr_apply_queued(tui_app *app, ec_profile *p)
{
	ec_outbox_entry *e = NULL;
	int n = 0;
	ec_error err;
	if (cache_outbox_list(app->cache, p->id, true, &e, &n, &err) != EC_OK)
		return;
	for (int i = 0; i < n; i++) {
		json_object *ch;
		if (e[i].state != OUTBOX_QUEUED || !e[i].changes)
			continue;
		ch = json_tokener_parse(e[i].changes);
		if (ch)
			keys_profile_apply_changes(p, ch, &err);
		json_object_put(ch);
	}
	cache_free_outbox(e, n);
}

static json_object *pr_row_get(const void *row, const char *key)
{
	return keys_profile_get_json(row, key);
}

/* The fresh row under unsaved edits: the edits move onto it and the fields
 * the admin did not touch follow it (form_rebase_edits). */
static void pr_rebase(tui_app *app, const ec_profile *fresh)
{
	ec_profile next;
	ec_error err;
	json_object *edits =
	    form_rebase_edits(app, keys_profile, keys_profile_count, pr_row_get, &pr.saved,
	                      &pr.copy, fresh, pr.moved, sizeof pr.moved);
	profile_copy(&next, fresh);
	if (keys_profile_apply_changes(&next, edits, &err) == EC_OK) {
		profile_free(&pr.copy);
		pr.copy = next;
	} else {
		profile_free(&next); /* the copy as it was: nothing the admin typed is lost */
	}
	json_object_put(edits);
}

static void pr_reload(tui_app *app)
{
	ec_profile fresh;
	ec_error err;
	bool keep = pr.loaded && pr_unsaved(app);
	if (!pr.id[0] || cache_get_profile(app->cache, pr.id, &fresh, &err) != EC_OK) {
		profile_free(&fresh);
		if (!pr.loaded) {
			form_clear(&pr.f);
			form_text(&pr.f, ROLE_DIM,
			          _("the server profile is no longer in the cache"));
		}
		return;
	}
	pr_apply_queued(app, &fresh);
	if (keep)
		pr_rebase(app, &fresh); /* edits in progress survive a refresh */
	else if (pr.loaded)
		profile_free(&pr.copy);
	if (pr.loaded)
		profile_free(&pr.saved);
	pr.saved = fresh;
	if (!keep) {
		profile_copy(&pr.copy, &pr.saved);
		pr.moved[0] = '\0'; /* no edit left to ask about */
	}
	pr.loaded = true;
	pr_build(app);
}

static void pr_enter(tui_app *app)
{
	(void)app;
	pr.f.last_sel = -1;
}

void profile_open(tui_app *app, const char *id)
{
	if (pr.loaded && strcmp(pr.id, id) != 0) {
		profile_free(&pr.saved);
		profile_free(&pr.copy);
		pr.loaded = false;
	}
	if (!pr.loaded) {
		snprintf(pr.id, sizeof pr.id, "%s", id);
		pr.moved[0] = '\0';
		pr.f.sel = pr.f.top = 0;
		pr_reload(app);
		form_home(&pr.f);
	}
	loop_switch_screen(app, SCR_PROFILE);
}

/* ---- editing ------------------------------------------------------------------------ */

static int pr_apply(tui_app *app, const char *key, const char *value, ec_error *err)
{
	int rc = keys_profile_apply(&pr.copy, key, value, err);
	if (rc == EC_OK)
		pr_build(app);
	return rc;
}

static json_object *pr_get(const struct ec_key *k)
{
	return keys_profile_get_json(&pr.copy, k->key);
}

static int pr_check(const char *key, const char *value, ec_error *err)
{
	ec_profile trial;
	const profile_rule *r;
	int rc;
	profile_copy(&trial, &pr.copy);
	rc = keys_profile_apply(&trial, key, value, err);
	/* the rules too, so a prompt says why as you type */
	if (rc == EC_OK && (r = profile_rules_refusal(&pr.saved, &trial)))
		rc = ec_fail(err, EC_USAGE, "%s", profile_rule_message(r));
	profile_free(&trial);
	return rc;
}

/* The pickers show a refused value with its rule's message, which they
 * read from an ec_rule: one stands in for each profile rule. */
static const ec_rule *pr_as_rule(const profile_rule *r)
{
	static ec_rule shown[16];
	int i = (int)(r - profile_rules_table);
	if (i < 0 || i >= 16)
		return &shown[0];
	shown[i] = (ec_rule){r->id, RULE_REFUSES_EDIT, CH_ALL, r->field, NULL, r->message, r->fix};
	return &shown[i];
}

static const ec_rule *pr_refusal(tui_app *app, const struct ec_key *k, const char *value)
{
	ec_profile trial;
	ec_error err;
	const profile_rule *r = NULL;
	(void)app;
	profile_copy(&trial, &pr.copy);
	if (keys_profile_apply(&trial, k->key, value, &err) == EC_OK)
		r = profile_rules_refusal(&pr.saved, &trial);
	profile_free(&trial);
	return r ? pr_as_rule(r) : NULL;
}

static const char *pr_profile_id(void)
{
	return "";
}

static const form_model pr_model = {pr_get, pr_apply, pr_check, pr_refusal, pr_profile_id};

/* ---- saving --------------------------------------------------------------------------- */

static unsigned pr_save(tui_app *app);

static void pr_moved_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice != 1)
		return;
	pr.moved[0] = '\0';
	app->dirty |= pr_save(app);
}

static unsigned pr_save(tui_app *app)
{
	char *assign[32];
	int n = 0, rc;
	ec_session qs;
	ec_edit_result res;
	ec_error err;
	if (!pr_unsaved(app)) {
		loop_message(app, ROLE_DIM, "%s", _("nothing to save"));
		return RX_MESSAGE;
	}
	if (pr.moved[0])
		return form_confirm_moved(app, pr.moved, pr_moved_answer);
	for (int i = 0; i < keys_profile_count && n < 32; i++)
		if (pr_key_changed(&keys_profile[i])) {
			json_object *v = keys_profile_get_json(&pr.copy, keys_profile[i].key);
			assign[n++] = form_assignment(&keys_profile[i], v, "");
			json_object_put(v);
		}
	qs = loop_queue_session(app);
	rc = edit_profile(&qs, pr.id, assign, n, &res, &err);
	free(res.name);
	for (int i = 0; i < n; i++)
		free(assign[i]);
	if (rc != EC_OK) {
		loop_message(app, ROLE_ERROR, _("not saved: %s"), err.msg);
		return RX_MESSAGE;
	}
	loop_push_queued(app, _("saving the server profile"));
	profile_free(&pr.saved);
	profile_copy(&pr.saved, &pr.copy);
	pr_build(app);
	loop_message(app, ROLE_PENDING, "%s",
	             _("saved to the outbox; pending until the organization confirms"));
	return RX_BODY | RX_MESSAGE | RX_PANEL;
}

static void pr_discard_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice != 1)
		return;
	pr.moved[0] = '\0';
	profile_free(&pr.copy);
	profile_copy(&pr.copy, &pr.saved);
	pr_build(app);
	loop_back(app);
}

unsigned profile_cmd(tui_app *app, int op)
{
	switch (op) {
	case OP_UP: form_move(&pr.f, -1); return RX_BODY;
	case OP_DOWN: form_move(&pr.f, 1); return RX_BODY;
	case OP_PGUP: form_move(&pr.f, -10); return RX_BODY;
	case OP_PGDN: form_move(&pr.f, 10); return RX_BODY;
	case OP_HOME: form_home(&pr.f); return RX_BODY;
	case OP_END: form_end(&pr.f); return RX_BODY;
	case OP_ENTER: return pr.loaded ? form_edit(app, &pr.f, &pr_model) : RX_NONE;
	case OP_LEFT:
	case OP_RIGHT:
		return pr.loaded ? form_cycle(app, &pr.f, &pr_model, op == OP_LEFT ? -1 : 1)
		                 : RX_NONE;
	case OP_SAVE: return pr_save(app);
	case OP_ESC:
		if (pr_unsaved(app)) {
			dialog_confirm(app, _("Discard changes?"),
			               _("The server profile has edits that are not saved. Discard "
			                 "them?"),
			               _("Cancel|Discard"), pr_discard_answer, NULL);
			return RX_OVERLAY;
		}
		loop_back(app);
		return RX_ALL;
	}
	return RX_NONE;
}

static char *pr_value(tui_app *app, const struct ec_key *k)
{
	json_object *v = keys_profile_get_json(&pr.copy, k->key);
	char *s = form_json_text(v, k);
	(void)app;
	json_object_put(v);
	return s;
}

static void pr_draw(tui_app *app, tui_rect r)
{
	char title[300];
	snprintf(title, sizeof title, _("Server profile %s"), pr.saved.name ? pr.saved.name : "");
	if (pr_unsaved(app))
		tui_copy(title + strlen(title), sizeof title - strlen(title),
		         form_unsaved_note(app));
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, title);
	form_draw(app, &pr.f, (tui_rect){r.y + 1, r.x, r.h - 1, r.w}, pr_value);
}

const tui_screen screen_profile = {
    .title = N_("Server profile"),
    .enter = pr_enter,
    .reload = pr_reload,
    .draw = pr_draw,
    .key = NULL,
    .unsaved = pr_unsaved,
};
