/* dialog.c — modal dialogs on top of any screen: a confirmation whose
 * default button is Cancel, a picker whose refused options are shown
 * disabled with the rule's reason, a one-line prompt (optionally secret:
 * nothing echoed, wiped after use; optionally validated as you type), and
 * a message. A small stack so a picker can lead to a prompt. The caller
 * learns the answer through a callback, called after the dialog closed.
 * Touches only stdscr. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/model/model.h"
#include "core/base/utf8.h"
#include "tui/app.h"
#include "tui/pager.h"

enum dialog_kind { DLG_CONFIRM, DLG_PICK, DLG_PROMPT, DLG_MESSAGE };

typedef struct dialog {
	enum dialog_kind kind;
	char title[128];
	char *text;
	char *buttons[6];
	int nbuttons;
	dialog_item *items;
	int nitems, sel, top;
	lineedit edit;
	char *recall; /* a prompt's last value: Enter alone takes it, Up edits it */
	bool touched; /* a key edited the line (then an empty line is empty) */
	bool secret;
	dialog_validate_fn check;
	dialog_done_fn done;
	void *ctx;
} dialog;

#define DIALOG_MAX 4
static dialog stack[DIALOG_MAX];
static int depth;

static dialog *dialog_push(enum dialog_kind kind, const char *title, dialog_done_fn done, void *ctx)
{
	dialog *d;
	if (depth == DIALOG_MAX)
		return NULL;
	d = &stack[depth++];
	memset(d, 0, sizeof *d);
	d->kind = kind;
	snprintf(d->title, sizeof d->title, "%s", title);
	d->done = done;
	d->ctx = ctx;
	return d;
}

static void dialog_free(dialog *d)
{
	free(d->text);
	for (int i = 0; i < d->nbuttons; i++)
		free(d->buttons[i]);
	for (int i = 0; i < d->nitems; i++) {
		free((char *)d->items[i].label);
		free((char *)d->items[i].reason);
	}
	free(d->items);
	if (d->recall)
		memset(d->recall, 0, strlen(d->recall));
	free(d->recall);
	memset(d->edit.buf, 0, sizeof d->edit.buf);
	memset(d, 0, sizeof *d);
}

bool dialog_open(const tui_app *app)
{
	(void)app;
	return depth > 0;
}

void dialog_confirm(tui_app *app, const char *title, const char *text, const char *buttons,
                    dialog_done_fn done, void *ctx)
{
	dialog *d = dialog_push(DLG_CONFIRM, title, done, ctx);
	const char *p = buttons;
	if (!d)
		return;
	d->text = ec_strdup(text);
	while (p && *p && d->nbuttons < 6) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		d->buttons[d->nbuttons] = ec_xmalloc(n + 1);
		memcpy(d->buttons[d->nbuttons], p, n);
		d->buttons[d->nbuttons++][n] = '\0';
		p = bar ? bar + 1 : NULL;
	}
	app->dirty |= RX_OVERLAY;
}

void dialog_pick(tui_app *app, const char *title, const dialog_item *items, int n, int current,
                 dialog_done_fn done, void *ctx)
{
	dialog *d = dialog_push(DLG_PICK, title, done, ctx);
	if (!d)
		return;
	d->items = ec_xcalloc((unsigned long)(n > 0 ? n : 1), sizeof *d->items);
	for (int i = 0; i < n; i++) {
		d->items[i].label = ec_strdup(items[i].label);
		d->items[i].reason = ec_strdup(items[i].reason);
		d->items[i].disabled = items[i].disabled;
	}
	d->nitems = n;
	d->sel = current >= 0 && current < n ? current : 0;
	app->dirty |= RX_OVERLAY;
}

void dialog_prompt_check(tui_app *app, const char *title, const char *initial,
                         dialog_validate_fn check, dialog_done_fn done, void *ctx)
{
	dialog *d = dialog_push(DLG_PROMPT, title, done, ctx);
	if (!d)
		return;
	/* Prompts start empty: typing never appends to the old value. */
	lineedit_set(&d->edit, "");
	d->recall = initial && *initial ? ec_strdup(initial) : NULL;
	d->check = check;
	app->dirty |= RX_OVERLAY;
}

void dialog_prompt(tui_app *app, const char *title, const char *initial, bool secret,
                   dialog_done_fn done, void *ctx)
{
	dialog_prompt_check(app, title, initial, NULL, done, ctx);
	if (depth > 0 && (stack[depth - 1].secret = secret)) {
		free(stack[depth - 1].recall);
		stack[depth - 1].recall = NULL;
	}
}

void dialog_message(tui_app *app, const char *title, const char *text)
{
	dialog *d = dialog_push(DLG_MESSAGE, title, NULL, NULL);
	if (!d)
		return;
	d->text = ec_strdup(text);
	app->dirty |= RX_OVERLAY;
}

void dialog_close_all(tui_app *app)
{
	while (depth > 0)
		dialog_free(&stack[--depth]);
	app->dirty |= RX_ALL;
}

/* Pops the top dialog, then tells its owner. */
static unsigned dialog_finish(tui_app *app, int choice, const char *text)
{
	dialog d = stack[--depth];
	memset(&stack[depth], 0, sizeof stack[depth]);
	if (d.done)
		d.done(app, choice, text, d.ctx);
	dialog_free(&d);
	return RX_ALL;
}

static unsigned dialog_key_confirm(tui_app *app, dialog *d, wint_t ch, bool is_code)
{
	if (is_code && (ch == KEY_LEFT || ch == KEY_BTAB))
		d->sel = (d->sel + d->nbuttons - 1) % d->nbuttons;
	else if ((is_code && ch == KEY_RIGHT) || (!is_code && ch == '\t'))
		d->sel = (d->sel + 1) % d->nbuttons;
	else if ((!is_code && (ch == '\r' || ch == '\n')) || (is_code && ch == KEY_ENTER))
		return dialog_finish(app, d->sel, NULL);
	else if (!is_code && ch == 27)
		return dialog_finish(app, 0, NULL);
	else if (!is_code) {
		/* The first letter of a button chooses it. */
		for (int i = 0; i < d->nbuttons; i++)
			if (d->buttons[i][0] && (wint_t)(d->buttons[i][0] | 32) == (ch | 32))
				return dialog_finish(app, i, NULL);
	}
	return RX_OVERLAY;
}

/* i: the selected choice whole, with the reason a rule refuses it. */
static unsigned dialog_read_item(tui_app *app, const dialog *d)
{
	const dialog_item *it;
	char text[1024];
	if (d->nitems == 0)
		return RX_OVERLAY;
	it = &d->items[d->sel];
	snprintf(text, sizeof text, "%s%s%s", it->label, it->disabled && it->reason ? "\n\n" : "",
	         it->disabled && it->reason ? it->reason : "");
	pager_open(app, d->title, text);
	return RX_OVERLAY;
}

static unsigned dialog_key_pick(tui_app *app, dialog *d, wint_t ch, bool is_code)
{
	if (!is_code && ch == 'i')
		return dialog_read_item(app, d);
	if (is_code && ch == KEY_UP)
		d->sel -= d->sel > 0;
	else if (!is_code && ch == 'k')
		d->sel -= d->sel > 0;
	else if ((is_code && ch == KEY_DOWN) || (!is_code && ch == 'j'))
		d->sel += d->sel < d->nitems - 1;
	else if ((is_code && ch == KEY_HOME) || (!is_code && ch == 'g'))
		d->sel = 0;
	else if ((is_code && ch == KEY_END) || (!is_code && ch == 'G'))
		d->sel = d->nitems > 0 ? d->nitems - 1 : 0;
	else if (!is_code && ch == 27)
		return dialog_finish(app, -1, NULL);
	else if ((!is_code && (ch == '\r' || ch == '\n')) || (is_code && ch == KEY_ENTER)) {
		if (d->nitems == 0)
			return dialog_finish(app, -1, NULL);
		if (d->items[d->sel].disabled) {
			loop_message(app, ROLE_WARN, "%s", d->items[d->sel].reason);
			return RX_OVERLAY | RX_MESSAGE;
		}
		return dialog_finish(app, d->sel, NULL);
	}
	return RX_OVERLAY;
}

/* What Enter would use: the line, or the last value when the line is
 * empty and untouched (caller frees). */
static char *dialog_prompt_text(const dialog *d)
{
	if (!d->touched && d->edit.len == 0 && d->recall)
		return ec_strdup(d->recall);
	return lineedit_text(&d->edit);
}

static unsigned dialog_key_prompt(tui_app *app, dialog *d, wint_t ch, bool is_code)
{
	if (!is_code && ch == 27)
		return dialog_finish(app, -1, NULL);
	if ((!is_code && (ch == '\r' || ch == '\n')) || (is_code && ch == KEY_ENTER)) {
		char *text = dialog_prompt_text(d);
		unsigned rx;
		if (d->check && d->check(app, text, d->ctx)) {
			free(text);
			return RX_OVERLAY;
		}
		rx = dialog_finish(app, 1, text);
		memset(text, 0, strlen(text));
		free(text);
		return rx;
	}
	if (is_code && ch == KEY_UP && d->recall) { /* as bash: the last value, to edit */
		lineedit_set(&d->edit, d->recall);
		d->touched = true;
		return RX_OVERLAY;
	}
	if (lineedit_key(&d->edit, ch, is_code))
		d->touched = true;
	return RX_OVERLAY;
}

static unsigned dialog_key_top(tui_app *app, wint_t ch, bool is_code)
{
	dialog *d = &stack[depth - 1];
	switch (d->kind) {
	case DLG_CONFIRM: return dialog_key_confirm(app, d, ch, is_code);
	case DLG_PICK: return dialog_key_pick(app, d, ch, is_code);
	case DLG_PROMPT: return dialog_key_prompt(app, d, ch, is_code);
	case DLG_MESSAGE:
		if ((!is_code && (ch == 27 || ch == '\r' || ch == '\n' || ch == 'q')) ||
		    (is_code && ch == KEY_ENTER))
			return dialog_finish(app, 0, NULL);
		return RX_NONE;
	}
	return RX_NONE;
}

/* The pager a chooser opened (i) is on top: it takes the keys. What a
 * dialog said on the message line (a refusal) is kept for i to read. */
unsigned dialog_key(tui_app *app, wint_t ch, bool is_code)
{
	unsigned rx;
	if (pager_is_open(app))
		return pager_key(app, ch, is_code);
	rx = dialog_key_top(app, ch, is_code);
	pager_keep_message(app);
	return rx;
}

/* Word-wraps text into lines of at most w columns; returns the count. */
/* The bytes of p (at most len) that fill w display columns, ending on a
 * character boundary (at least one character, so wrapping moves on). */
static size_t dialog_cut_columns(const char *p, size_t len, int w)
{
	size_t i = 0, used = 0;
	while (i < len && i < 255) {
		unsigned cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		int cw = n ? utf8_cp_width(cp) : 1;
		if (n == 0)
			n = 1;
		if (i > 0 && used + (size_t)cw > (size_t)w)
			break;
		used += (size_t)cw;
		i += n;
	}
	return i;
}

static int dialog_wrap(const char *text, int w, char lines[][256], int max)
{
	int n = 0;
	const char *p = text;
	while (p && *p && n < max) {
		size_t len = strcspn(p, "\n"), cut = 0;
		for (size_t i = 0; i <= len && i < 255; i++) {
			char t[256];
			if (i < len && p[i] != ' ')
				continue;
			snprintf(t, sizeof t, "%.*s", (int)i, p);
			if ((int)utf8_width(t) > w)
				break;
			cut = i;
		}
		if (cut == 0) /* one word wider than the box: cut it by columns */
			cut = dialog_cut_columns(p, len, w);
		snprintf(lines[n++], 256, "%.*s", (int)(cut < 255 ? cut : 255), p);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p == '\n')
			p++;
	}
	return n;
}

static tui_rect dialog_rect(const tui_app *app, int want_w, int want_h)
{
	int w = want_w < app->cols - 4 ? want_w : app->cols - 4;
	int h = want_h < app->rows - 2 ? want_h : app->rows - 2;
	return (tui_rect){(app->rows - h) / 2, (app->cols - w) / 2, h, w};
}

static void dialog_draw_buttons(tui_app *app, const dialog *d, int y, int x, int w)
{
	for (int i = 0; i < d->nbuttons; i++) {
		char b[80];
		snprintf(b, sizeof b, "[ %s ]", d->buttons[i]);
		x += draw_span(app, y, x, w, i == d->sel ? ROLE_SELECTED : ROLE_KEY, b) + 1;
	}
}

static void dialog_draw_confirm(tui_app *app, const dialog *d)
{
	char lines[12][256];
	int n = dialog_wrap(d->text, (app->cols - 8 < 70 ? app->cols - 8 : 70), lines, 12);
	tui_rect r = dialog_rect(app, 74, n + 5);
	draw_box(app, r, ROLE_HEADER, d->title);
	for (int i = 0; i < n && i < r.h - 4; i++)
		draw_text(app, r.y + 1 + i, r.x + 2, r.w - 4, ROLE_NORMAL, lines[i]);
	dialog_draw_buttons(app, d, r.y + r.h - 2, r.x + 2, r.w - 4);
	if (d->kind == DLG_MESSAGE)
		draw_text(app, r.y + r.h - 2, r.x + 2, r.w - 4, ROLE_KEY, "[ OK ]");
}

static void dialog_draw_pick(tui_app *app, dialog *d)
{
	bool refused = false, cut = false;
	tui_rect r = dialog_rect(app, 76, d->nitems + 3);
	int vis = r.h - 3;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + vis)
		d->top = d->sel - vis + 1;
	draw_box(app, r, ROLE_HEADER, d->title);
	for (int i = 0; i < vis && d->top + i < d->nitems; i++) {
		const dialog_item *it = &d->items[d->top + i];
		enum tui_role role = d->top + i == d->sel ? ROLE_SELECTED
		                     : it->disabled       ? ROLE_DISABLED
		                                          : ROLE_NORMAL;
		char line[512];
		snprintf(line, sizeof line, "%s%s%s%s", it->disabled ? "(" : " ", it->label,
		         it->disabled ? ") " : "", it->disabled && it->reason ? it->reason : "");
		draw_text(app, r.y + 1 + i, r.x + 1, r.w - 2, role, line);
		cut |= pager_text_width(line) > r.w - 2;
	}
	for (int i = 0; i < d->nitems; i++)
		refused |= d->items[i].disabled;
	draw_fmt(app, r.y + r.h - 2, r.x + 1, r.w - 2, ROLE_DIM, "%s%s%s",
	         _("Enter choose  Esc cancel"), cut ? _("  i read") : "",
	         refused ? _("  (disabled: refused by a rule)") : "");
}

static void dialog_draw_prompt(tui_app *app, dialog *d)
{
	char *text = dialog_prompt_text(d), hint[300], lines[4][256];
	const char *problem = d->check ? d->check(app, text, d->ctx) : NULL;
	bool offered = !d->touched && d->edit.len == 0 && d->recall;
	/* What is wrong is wrapped under the field (a range, the values
	 * allowed), never cut: the box grows by its lines. */
	int n =
	    problem ? dialog_wrap(problem, (app->cols - 8 < 60 ? app->cols - 8 : 60), lines, 4) : 1;
	tui_rect r = dialog_rect(app, 64, 5 + (n > 0 ? n : 1));
	int cx;
	draw_box(app, r, ROLE_HEADER, d->title);
	cx = lineedit_draw(app, &d->edit, r.y + 2, r.x + 2, r.w - 4, d->secret);
	if (offered) /* the value Enter alone takes, dimmed in the empty field */
		draw_text(app, r.y + 2, r.x + 2, r.w - 4, ROLE_DIM, d->recall);
	if (offered)
		snprintf(hint, sizeof hint, _("Enter alone: %s  Up: edit it  Esc: cancel"),
		         d->recall);
	else
		snprintf(hint, sizeof hint, "%s",
		         d->secret   ? _("typing is not shown; Enter to use, Esc to cancel")
		         : d->recall ? _("Enter to use, Up: the last value, Esc to cancel")
		                     : _("Enter to use, Esc to cancel"));
	if (problem)
		for (int i = 0; i < n && i < r.h - 5; i++)
			draw_text(app, r.y + 3 + i, r.x + 2, r.w - 4, ROLE_ERROR, lines[i]);
	else
		draw_text(app, r.y + 3, r.x + 2, r.w - 4, ROLE_DIM, hint);
	draw_cursor(app, r.y + 2, d->secret ? r.x + 2 : cx, true);
	memset(text, 0, strlen(text));
	free(text);
}

void dialog_draw(tui_app *app)
{
	for (int i = 0; i < depth; i++) {
		dialog *d = &stack[i];
		switch (d->kind) {
		case DLG_CONFIRM:
		case DLG_MESSAGE: dialog_draw_confirm(app, d); break;
		case DLG_PICK: dialog_draw_pick(app, d); break;
		case DLG_PROMPT: dialog_draw_prompt(app, d); break;
		}
	}
	if (pager_is_open(app)) /* a chooser's i: the pager above it */
		pager_draw(app);
}
