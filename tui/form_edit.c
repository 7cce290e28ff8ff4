/* form_edit.c — editing a form's selected key, the same way in the
 * Mailbox and the Settings forms: option and profile pickers (values the
 * rules refuse shown disabled, with the rule's message), yes/no toggles,
 * and text prompts validated as you type. What the copy is and which rules
 * apply come from the screen's form_model. One editor is open at a time,
 * so its state is kept here. Touches the UI and the UI's cache connection
 * (the profile list) only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "tui/form.h"

#define MAX_PICKS 64

static struct {
	const form_model *m;
	char key[40];
	char *value[MAX_PICKS], *label[MAX_PICKS];
	int n;
} pick;

static void pick_clear(void)
{
	for (int i = 0; i < pick.n; i++) {
		free(pick.value[i]);
		free(pick.label[i]);
	}
	pick.n = 0;
}

static void apply_or_say(tui_app *app, const form_model *m, const char *key, const char *value)
{
	ec_error err;
	if (m->apply(app, key, value, &err) != EC_OK)
		loop_message(app, ROLE_ERROR, "%s", err.msg);
	app->dirty |= RX_BODY | RX_MESSAGE;
}

static void pick_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice >= 0 && choice < pick.n)
		apply_or_say(app, pick.m, pick.key, pick.value[choice]);
	pick_clear();
}

/* Adds a choice; the rule that refuses it (if any) disables it. */
static void pick_add(tui_app *app, const form_model *m, const struct ec_key *k, dialog_item *items,
                     const char *label, const char *value)
{
	const ec_rule *r = m->refusal ? m->refusal(app, k, value) : NULL;
	pick.label[pick.n] = ec_strdup(label);
	items[pick.n] = (dialog_item){pick.label[pick.n], r ? rule_message(r) : NULL, r != NULL};
	pick.value[pick.n++] = ec_strdup(value);
}

/* The values of an option key, refused ones disabled; the current one's
 * index. */
static int pick_options(tui_app *app, const form_model *m, const struct ec_key *k,
                        dialog_item *items)
{
	json_object *now = m->get(k);
	const char *slug = now ? json_object_get_string(now) : "";
	int cur = 0;
	for (int i = 0; i < k->set->count && pick.n < MAX_PICKS; i++) {
		if (strcmp(k->set->opts[i].slug, slug) == 0)
			cur = pick.n;
		pick_add(app, m, k, items, _(k->set->opts[i].label), k->set->opts[i].slug);
	}
	json_object_put(now);
	return cur;
}

/* (none) and the cached server profiles, refused and inactive ones
 * disabled; the current one's index. */
static int pick_profiles(tui_app *app, const form_model *m, const struct ec_key *k,
                         dialog_item *items)
{
	ec_profile *p = NULL;
	int np = 0, cur = 0;
	const char *now = m->profile_id();
	ec_error err;
	if (cache_list_profiles(app->cache, &p, &np, &err) != EC_OK)
		np = 0;
	pick_add(app, m, k, items, _("(none)"), "none");
	for (int i = 0; i < np && pick.n < MAX_PICKS; i++) {
		if (strcmp(p[i].id, now) == 0)
			cur = pick.n;
		pick_add(app, m, k, items, p[i].name, p[i].id);
		/* An inactive profile is never a choice, whatever the rules say. */
		if (p[i].state == STATE_INACTIVE && !items[pick.n - 1].disabled)
			items[pick.n - 1] = (dialog_item){pick.label[pick.n - 1],
			                                  _("the profile is inactive"), true};
	}
	cache_free_profiles(p, np);
	return cur;
}

static int pick_collect(tui_app *app, const form_model *m, const struct ec_key *k,
                        dialog_item *items)
{
	return k->kind == KEY_PROFILE ? pick_profiles(app, m, k, items)
	                              : pick_options(app, m, k, items);
}

static const char *text_check(tui_app *app, const char *text, void *ctx)
{
	static ec_error err;
	(void)app;
	return pick.m->check((const char *)ctx, text, &err) == EC_OK ? NULL : err.msg;
}

static void text_done(tui_app *app, int choice, const char *text, void *ctx)
{
	if (choice >= 0 && text)
		apply_or_say(app, pick.m, (const char *)ctx, text);
	app->dirty |= RX_BODY | RX_MESSAGE;
}

/* The selected key, or NULL; under --read-only the form is a view and
 * says so at the first key that would edit it. */
static const struct ec_key *form_editing(tui_app *app, form *f, const form_model *m)
{
	const form_row *row = form_current(f);
	if (!row || !row->key)
		return NULL;
	if (app->cfg->read_only) {
		loop_message(app, ROLE_ERROR, "%s",
		             _("--read-only: this form is a view; nothing on it can be edited"));
		return NULL;
	}
	pick_clear();
	pick.m = m;
	snprintf(pick.key, sizeof pick.key, "%s", row->key->key);
	return row->key;
}

static unsigned form_toggle(tui_app *app, const form_model *m, const struct ec_key *k)
{
	json_object *v = m->get(k);
	apply_or_say(app, m, k->key, v && json_object_get_boolean(v) ? "no" : "yes");
	json_object_put(v);
	return RX_BODY | RX_MESSAGE;
}

/* The next value the rules allow, round the list, in place (dir -1 or +1). */
static unsigned form_step(tui_app *app, const form_model *m, const dialog_item *items, int cur,
                          int dir)
{
	for (int step = 1; step < pick.n; step++) {
		int i = ((cur + dir * step) % pick.n + pick.n) % pick.n;
		if (!items[i].disabled) {
			apply_or_say(app, m, pick.key, pick.value[i]);
			pick_clear();
			return RX_BODY | RX_MESSAGE;
		}
	}
	pick_clear();
	loop_message(app, ROLE_WARN, "%s", _("no other value is allowed here (Enter shows why)"));
	return RX_MESSAGE;
}

/* Enter (dir 0): the chooser, a toggle or a prompt; Left/Right: a step. */
static unsigned form_act(tui_app *app, form *f, const form_model *m, int dir)
{
	const struct ec_key *k = form_editing(app, f, m);
	dialog_item items[MAX_PICKS];
	json_object *v;
	int cur;
	if (!k)
		return RX_MESSAGE;
	switch (k->kind) {
	case KEY_OPTION:
	case KEY_PROFILE:
		cur = pick_collect(app, m, k, items);
		if (dir)
			return form_step(app, m, items, cur, dir);
		dialog_pick(app, _(k->help), items, pick.n, cur, pick_done, NULL);
		return RX_OVERLAY;
	case KEY_BOOL: return form_toggle(app, m, k);
	case KEY_STRING:
	case KEY_INT:
		if (dir) {
			loop_message(app, ROLE_DIM, "%s", _("a text field: Enter edits it"));
			return RX_MESSAGE;
		}
		v = m->get(k);
		dialog_prompt_check(app, _(k->help), v ? json_object_get_string(v) : "", text_check,
		                    text_done, (void *)k->key);
		json_object_put(v);
		return RX_OVERLAY;
	}
	return RX_NONE;
}

unsigned form_edit(tui_app *app, form *f, const form_model *m)
{
	return form_act(app, f, m, 0);
}

unsigned form_cycle(tui_app *app, form *f, const form_model *m, int dir)
{
	return form_act(app, f, m, dir < 0 ? -1 : 1);
}
