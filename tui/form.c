/* form.c — the row list both forms are made of (see form.h): building it,
 * moving over it (only editable rows take the cursor), and drawing it with
 * changed fields marked. Values come from the caller's copy through
 * core/codec/keys.h, so the form never interprets a setting itself. Reads the
 * cache only to resolve profile names. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/model/options.h"
#include "tui/form.h"
#include "tui/pager.h"

static form_row *form_add(form *f, enum form_row_kind kind, const char *label)
{
	form_row *r;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->rows = ec_xrealloc(f->rows, sizeof *f->rows * (unsigned long)f->cap);
	}
	r = &f->rows[f->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	snprintf(r->label, sizeof r->label, "%s", label ? label : "");
	return r;
}

void form_clear(form *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->rows[i].value);
	f->n = 0;
}

void form_section(form *f, const char *title)
{
	form_add(f, ROW_SECTION, title);
}

void form_fact(form *f, const char *label, enum tui_role role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	form_row *r = form_add(f, ROW_FACT, label);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->value = ec_strdup(buf);
	r->role = role;
}

void form_text(form *f, enum tui_role role, const char *text)
{
	form_row *r = form_add(f, ROW_TEXT, "");
	r->value = ec_strdup(text);
	r->role = role;
}

void form_key(form *f, const struct ec_key *k, const char *label, bool changed)
{
	form_row *r = form_add(f, ROW_KEY, label ? label : _(k->help));
	r->key = k;
	r->changed = changed;
}

static bool form_editable(const form *f, int i)
{
	return i >= 0 && i < f->n && f->rows[i].kind == ROW_KEY;
}

/* Up and down go to the next editable row; past the last one they scroll
 * the read-only rows below (test results, alerts) into view. */
void form_move(form *f, int delta)
{
	int step = delta < 0 ? -1 : 1;
	for (int moved = 0; moved < (delta < 0 ? -delta : delta); moved++) {
		int i = f->sel + step;
		while (i >= 0 && i < f->n && !form_editable(f, i))
			i += step;
		if (i >= 0 && i < f->n)
			f->sel = i;
		else if (step > 0)
			f->top++;
		else if (f->top > 0)
			f->top--;
	}
	if (!form_editable(f, f->sel))
		form_home(f);
}

void form_home(form *f)
{
	f->top = 0;
	for (f->sel = 0; f->sel < f->n && !form_editable(f, f->sel); f->sel++)
		;
	if (f->sel == f->n)
		f->sel = 0;
}

void form_end(form *f)
{
	f->top = f->n;
	for (int i = f->n - 1; i >= 0; i--)
		if (form_editable(f, i)) {
			f->sel = i;
			break;
		}
}

const form_row *form_current(const form *f)
{
	return form_editable(f, f->sel) ? &f->rows[f->sel] : NULL;
}

char *form_json_text(json_object *v, const struct ec_key *k)
{
	return keys_value_text(v, k);
}

int form_resolve_profile(void *ctx, const char *name_or_id, char id[EC_ID_SIZE], char **name,
                         ec_error *err)
{
	tui_app *app = ctx;
	ec_profile p;
	int rc = cache_find_profile(app->cache, name_or_id, &p, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_USAGE, "no server profile '%s'", name_or_id);
	if (rc != EC_OK)
		return rc;
	memcpy(id, p.id, EC_ID_SIZE);
	*name = ec_strdup(p.name);
	profile_free(&p);
	return EC_OK;
}

static void form_draw_row(tui_app *app, const form_row *row, int y, tui_rect r, bool sel, int lw,
                          form_value_fn value_of)
{
	char *v;
	switch (row->kind) {
	case ROW_SECTION: draw_text(app, y, r.x, r.w, ROLE_HEADER, row->label); return;
	case ROW_TEXT: draw_text(app, y, r.x + 2, r.w - 2, row->role, row->value); return;
	case ROW_FACT:
		draw_text(app, y, r.x + 2, lw, ROLE_DIM, row->label);
		draw_text(app, y, r.x + 3 + lw, r.w - lw - 3, row->role, row->value);
		return;
	case ROW_KEY:
		/* Under --read-only the form is a view: the cursor marks the label
		 * (what i reads), never the value as if it took typing. */
		v = value_of(app, row->key);
		draw_text(app, y, r.x, 2,
		          sel            ? ROLE_SELECTED
		          : row->changed ? ROLE_PENDING
		                         : ROLE_NORMAL,
		          row->changed ? draw_sym(app, "\u25cf", "*") : "");
		draw_text(app, y, r.x + 2, lw, sel ? ROLE_SELECTED : ROLE_NORMAL, row->label);
		draw_text(app, y, r.x + 3 + lw, r.w - lw - 3,
		          sel && !app->cfg->read_only ? ROLE_SELECTED
		          : row->changed              ? ROLE_PENDING
		                                      : ROLE_NORMAL,
		          v);
		free(v);
		return;
	}
}

/* The label column: as wide as the longest label, but the values keep at
 * least 24 columns or two fifths of the width, whichever is more; a label
 * still wider is cut with an ellipsis (i reads it whole). */
int form_label_width(const form *f, int from, int to, int w)
{
	int longest = 0, vmin = w * 2 / 5 > 24 ? w * 2 / 5 : 24, cap = w - 3 - vmin;
	for (int i = from; i < to; i++)
		if (f->rows[i].kind == ROW_FACT || f->rows[i].kind == ROW_KEY) {
			int lw = pager_text_width(f->rows[i].label);
			longest = lw > longest ? lw : longest;
		}
	if (cap < 12)
		cap = 12;
	return longest < cap ? longest : cap;
}

/* What the last form_draw showed: form_read and form_cut look at it (the
 * form on screen is the one drawn last). */
static struct {
	form *f;
	form_value_fn value_of;
	int w;
	bool cut; /* what form_cut said at that draw */
} drawn;

/* Whether a value of rows from..to-1 is wider than the value column left
 * by a label column of lw. */
static bool form_values_cut(tui_app *app, const form *f, int from, int to, int w, int lw,
                            form_value_fn value_of)
{
	bool cut = false;
	for (int i = from; i < to && !cut; i++) {
		const form_row *row = &f->rows[i];
		char *v;
		if (row->kind != ROW_FACT && row->kind != ROW_KEY)
			continue;
		v = row->kind == ROW_KEY ? value_of(app, row->key) : ec_strdup(row->value);
		cut = pager_text_width(v) > w - lw - 3;
		free(v);
	}
	return cut;
}

/* One label column for the whole form, as wide as its longest label, so
 * the values line up; but a section of shorter labels whose values that
 * column would cut (queued edits, the history, alerts) takes its own
 * narrower column and gives its values the room. */
static void form_layout(tui_app *app, form *f, int w, form_value_fn value_of)
{
	int wide = form_label_width(f, 0, f->n, w);
	for (int from = 0, to; from < f->n; from = to) {
		int lw = wide, own;
		for (to = from + 1; to < f->n && f->rows[to].kind != ROW_SECTION; to++)
			;
		own = form_label_width(f, from, to, w);
		if (own < wide && form_values_cut(app, f, from, to, w, wide, value_of))
			lw = own;
		for (int i = from; i < to; i++)
			f->rows[i].lw = lw;
	}
}

void form_draw(tui_app *app, form *f, tui_rect r, form_value_fn value_of)
{
	form_layout(app, f, r.w, value_of);
	drawn.f = f, drawn.value_of = value_of, drawn.w = r.w;
	/* The selection is kept visible when it moves; otherwise the rows
	 * below the last field may be scrolled into view. */
	if (f->sel != f->last_sel || f->h != r.h) {
		if (f->sel < f->top)
			f->top = f->sel;
		if (f->sel >= f->top + r.h)
			f->top = f->sel - r.h + 1;
		f->last_sel = f->sel;
		f->h = r.h;
	}
	if (f->top > f->n - r.h)
		f->top = f->n - r.h;
	if (f->top < 0)
		f->top = 0;
	draw_fill(app, r, ROLE_NORMAL);
	for (int i = 0; i < r.h && f->top + i < f->n; i++)
		form_draw_row(app, &f->rows[f->top + i], r.y + i, r, f->top + i == f->sel,
		              f->rows[f->top + i].lw, value_of);
	/* A reload may cut what was whole (or the reverse) after the hint line
	 * was drawn: it offers i, or stops offering it, at the next frame. */
	if (form_cut(app) != drawn.cut) {
		drawn.cut = !drawn.cut;
		app->dirty |= RX_HINTS;
	}
}

/* A row's value as text (a key's through the screen's value_of). */
static char *form_row_value(tui_app *app, const form_row *row)
{
	if (row->kind == ROW_KEY)
		return drawn.value_of(app, row->key);
	return ec_strdup(row->value ? row->value : "");
}

/* Whether the last draw cut the row's label or value. */
static bool form_row_cut(tui_app *app, const form_row *row)
{
	char *v;
	bool cut;
	if (row->kind == ROW_SECTION)
		return pager_text_width(row->label) > drawn.w;
	v = form_row_value(app, row);
	if (row->kind == ROW_TEXT)
		cut = pager_text_width(v) > drawn.w - 2;
	else
		cut = pager_text_width(row->label) > row->lw ||
		      pager_text_width(v) > drawn.w - row->lw - 3;
	free(v);
	return cut;
}

bool form_cut(tui_app *app)
{
	if (!drawn.f)
		return false;
	for (int i = 0; i < drawn.f->n; i++)
		if (form_row_cut(app, &drawn.f->rows[i]))
			return true;
	return false;
}

/* "Label: value", or a text row's text, one line of out. */
static void form_row_text(tui_app *app, const form_row *row, FILE *out)
{
	char *v = form_row_value(app, row);
	if (row->kind == ROW_TEXT || !row->label[0])
		fprintf(out, "%s\n", v);
	else
		fprintf(out, "%s: %s\n", row->label, v);
	free(v);
}

unsigned form_read(tui_app *app)
{
	const form *f = drawn.f;
	const form_row *sel = f ? form_current(f) : NULL;
	char *text = NULL;
	size_t size = 0;
	FILE *out;
	bool heading = false;
	if (!f || !(out = open_memstream(&text, &size)))
		return RX_NONE;
	if (sel)
		form_row_text(app, sel, out);
	for (int i = 0; i < f->n; i++) {
		if (&f->rows[i] == sel || f->rows[i].kind == ROW_SECTION ||
		    !form_row_cut(app, &f->rows[i]))
			continue;
		if (!heading)
			fprintf(out, "%s%s\n", sel ? "\n" : "", _("Cut on the screen:"));
		heading = true;
		form_row_text(app, &f->rows[i], out);
	}
	fclose(out);
	pager_open(app, sel ? sel->label : _("Form"), text);
	free(text);
	return RX_OVERLAY;
}

char *form_assignment(const struct ec_key *k, json_object *v, const char *profile_id)
{
	char buf[600];
	const char *s;
	if (!v)
		s = k->kind == KEY_PROFILE ? "none" : "";
	else if (json_object_is_type(v, json_type_boolean))
		s = json_object_get_boolean(v) ? "yes" : "no";
	else if (k->kind == KEY_PROFILE)
		s = profile_id && profile_id[0] ? profile_id : "none";
	else
		s = json_object_get_string(v);
	snprintf(buf, sizeof buf, "%s=%s", k->key, s);
	return ec_strdup(buf);
}

json_object *form_rebase_edits(tui_app *app, const struct ec_key *keys, int n, form_get_fn get,
                               const void *old, const void *copy, const void *fresh, char *moved,
                               size_t size)
{
	json_object *edits = json_object_new_object();
	for (int i = 0; i < n; i++) {
		json_object *o, *c, *f;
		if (keys[i].internal)
			continue;
		o = get(old, keys[i].key), c = get(copy, keys[i].key), f = get(fresh, keys[i].key);
		if (!json_object_equal(o, c)) {
			json_object_object_add(edits, keys[i].key, json_object_get(c));
			/* Both sides changed the field: the admin's value stays on the
			 * form, and the save asks before it goes over theirs. */
			if (!json_object_equal(o, f) && !json_object_equal(c, f) && size &&
			    !strstr(moved, _(keys[i].help))) {
				size_t len = strlen(moved);
				snprintf(moved + len, size - len, "%s%s", len ? ", " : "",
				         _(keys[i].help));
			}
		}
		json_object_put(o), json_object_put(c), json_object_put(f);
	}
	if (size && moved[0])
		loop_message(app, ROLE_WARN,
		             _("changed by someone else while you edit: %s (%s asks before saving "
		               "yours over it)"),
		             moved, commands_key(app->screen, "save"));
	return edits;
}

unsigned form_confirm_moved(tui_app *app, const char *moved, dialog_done_fn save)
{
	char msg[600];
	snprintf(msg, sizeof msg,
	         _("Someone else changed %s while you were editing. Save your values over "
	           "theirs?"),
	         moved);
	dialog_confirm(app, _("Save over their change?"), msg, _("Cancel|Save"), save, NULL);
	return RX_OVERLAY;
}

const char *form_unsaved_note(tui_app *app)
{
	static char note[160];
	snprintf(note, sizeof note, _("  (edited, not saved: %s saves, Esc discards)"),
	         commands_key(app->screen, "save"));
	return note;
}

/* A JSON text kept by the outbox, parsed, with profiles by name (see form.h). */
json_object *form_outbox_json(tui_app *app, const char *text)
{
	return keys_outbox_shown(text, cache_profile_name, app->cache);
}

char *form_changes_text(tui_app *app, const ec_outbox_entry *e)
{
	return keys_entry_text(e, cache_profile_name, app->cache, draw_sym(app, "\u2192", "->"));
}

void form_write_labels(FILE *out)
{
	const form *f = drawn.f;
	for (int i = f ? f->top : 0; f && i < f->n && i < f->top + f->h; i++)
		if (f->rows[i].kind == ROW_FACT || f->rows[i].kind == ROW_KEY)
			fprintf(out, "%s\n", f->rows[i].label);
}
