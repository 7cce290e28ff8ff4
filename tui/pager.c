/* pager.c — the pager overlay (as tig's and mutt's): any long text a row
 * or a form cuts, read whole. pager_open() takes a title and a text (lines
 * separated by '\n'); each line is sanitized, then wrapped at word
 * boundaries to the overlay's width (a word wider than the line is broken
 * by character). Scrolls with Up/Down/k/j/Enter, PgUp/PgDn/b/Space,
 * Home/End/g/G; q or Esc closes it. Draws through draw.c only, so every
 * string still passes the sanitizer there. Touches only stdscr. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timefmt.h"
#include "core/base/i18n.h"
#include "core/base/sanitize.h"
#include "core/base/utf8.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/pager.h"

static struct {
	bool open;
	char title[160];
	char **paras; /* sanitized source lines */
	int nparas;
	char **lines; /* wrapped to width */
	int nlines, width, top;
} pg;

static void pager_free_lines(void)
{
	for (int i = 0; i < pg.nlines; i++)
		free(pg.lines[i]);
	free(pg.lines);
	pg.lines = NULL;
	pg.nlines = 0;
	pg.width = 0;
}

static void pager_free(void)
{
	pager_free_lines();
	for (int i = 0; i < pg.nparas; i++)
		free(pg.paras[i]);
	free(pg.paras);
	pg.paras = NULL;
	pg.nparas = 0;
}

static void pager_push(const char *s, size_t len)
{
	char *l = ec_xmalloc(len + 1);
	memcpy(l, s, len);
	l[len] = '\0';
	pg.lines = ec_xrealloc(pg.lines, sizeof *pg.lines * (unsigned long)(pg.nlines + 1));
	pg.lines[pg.nlines++] = l;
}

/* Wraps one sanitized line to w columns: breaks after the last space that
 * fits, or inside a word wider than the line. */
static void pager_wrap(const char *p, int w)
{
	size_t n = strlen(p);
	if (n == 0) {
		pager_push("", 0);
		return;
	}
	while (n > 0) {
		size_t i = 0, brk = 0;
		int used = 0;
		while (i < n) {
			unsigned cp;
			size_t len = utf8_decode(p + i, n - i, &cp);
			int cw;
			if (len == 0)
				len = 1, cp = '?';
			cw = utf8_cp_width(cp);
			if (used + cw > w)
				break;
			used += cw;
			i += len;
			if (cp == ' ')
				brk = i;
		}
		if (i < n && brk > 0)
			i = brk; /* at the word boundary */
		if (i == 0)      /* not even one character fits */
			i = 1;
		{
			size_t end = i;
			while (end > 0 && p[end - 1] == ' ')
				end--;
			pager_push(p, end);
		}
		p += i, n -= i;
		while (n > 0 && *p == ' ')
			p++, n--;
	}
}

static void pager_rewrap(int w)
{
	if (w < 1)
		w = 1;
	if (pg.width == w)
		return;
	pager_free_lines();
	for (int i = 0; i < pg.nparas; i++)
		pager_wrap(pg.paras[i], w);
	pg.width = w;
}

void pager_open(tui_app *app, const char *title, const char *text)
{
	const char *p = text ? text : "";
	pager_free();
	tui_copy(pg.title, sizeof pg.title, title);
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *raw = ec_xmalloc(len + 1);
		memcpy(raw, p, len);
		raw[len] = '\0';
		pg.paras = ec_xrealloc(pg.paras, sizeof *pg.paras * (unsigned long)(pg.nparas + 1));
		pg.paras[pg.nparas++] = sanitize_text(raw);
		free(raw);
		if (!nl)
			break;
		p = nl + 1;
	}
	pg.top = 0;
	pg.open = true;
	app->dirty |= RX_OVERLAY;
}

bool pager_is_open(const tui_app *app)
{
	(void)app;
	return pg.open;
}

/* The overlay: the whole screen but a margin; the text inside the box. */
static tui_rect pager_rect(const tui_app *app)
{
	tui_rect r = {1, 2, app->rows - 2, app->cols - 4};
	return r;
}

static int pager_visible(const tui_app *app)
{
	int v = pager_rect(app).h - 3;
	return v > 1 ? v : 1;
}

unsigned pager_key(tui_app *app, wint_t ch, bool is_code)
{
	int page = pager_visible(app);
	if (!is_code && (ch == 27 || ch == 'q')) {
		pg.open = false;
		pager_free();
		return RX_ALL;
	}
	pager_rewrap(pager_rect(app).w - 4);
	if ((is_code && (ch == KEY_DOWN || ch == KEY_ENTER)) ||
	    (!is_code && (ch == 'j' || ch == '\r' || ch == '\n')))
		pg.top++;
	else if ((is_code && ch == KEY_UP) || (!is_code && ch == 'k'))
		pg.top--;
	else if ((is_code && ch == KEY_NPAGE) || (!is_code && (ch == ' ' || ch == 6)))
		pg.top += page;
	else if ((is_code && ch == KEY_PPAGE) || (!is_code && (ch == 'b' || ch == 2)))
		pg.top -= page;
	else if ((is_code && ch == KEY_HOME) || (!is_code && ch == 'g'))
		pg.top = 0;
	else if ((is_code && ch == KEY_END) || (!is_code && ch == 'G'))
		pg.top = pg.nlines;
	if (pg.top > pg.nlines - page)
		pg.top = pg.nlines - page;
	if (pg.top < 0)
		pg.top = 0;
	return RX_OVERLAY;
}

void pager_draw(tui_app *app)
{
	tui_rect r = pager_rect(app);
	int vis = pager_visible(app);
	if (!pg.open || r.w < 8 || r.h < 4)
		return;
	pager_rewrap(r.w - 4);
	if (pg.top > pg.nlines - vis)
		pg.top = pg.nlines - vis > 0 ? pg.nlines - vis : 0;
	draw_box(app, r, ROLE_HEADER, pg.title);
	for (int i = 0; i < vis && pg.top + i < pg.nlines; i++)
		draw_text(app, r.y + 1 + i, r.x + 2, r.w - 4, ROLE_NORMAL, pg.lines[pg.top + i]);
	draw_fmt(app, r.y + r.h - 2, r.x + 2, r.w - 4, ROLE_DIM,
	         _("%d-%d of %d   Up/Down PgUp/PgDn Home/End scroll   q or Esc close"),
	         pg.nlines ? pg.top + 1 : 0, pg.top + vis < pg.nlines ? pg.top + vis : pg.nlines,
	         pg.nlines);
}

/* ---- the message line, read whole ---------------------------------------------- */

static char kept[sizeof((tui_app *)0)->message];

int pager_text_width(const char *text)
{
	char *clean = sanitize_text(text ? text : "");
	int w = (int)utf8_width(clean);
	free(clean);
	return w;
}

void pager_keep_message(const tui_app *app)
{
	tui_copy(kept, sizeof kept, app->message);
}

bool pager_message_cut(const tui_app *app)
{
	return app->message[0] && pager_text_width(app->message) > app->cols;
}

unsigned pager_read_message(tui_app *app)
{
	if (!kept[0] || pager_text_width(kept) <= app->cols)
		return RX_NONE;
	pager_open(app, _("Message"), kept);
	kept[0] = '\0';
	return RX_OVERLAY;
}

/* ---- what a list cut ------------------------------------------------------------- */

static int cut_screen = -1; /* the screen whose selected row the last draw cut */

void pager_note_cut(tui_app *app, bool cut)
{
	if (cut == pager_row_cut(app))
		return;
	cut_screen = cut ? (int)app->screen : -1;
	/* The rows came after the hint line was drawn (the reader answers
	 * later): it offers i, or stops offering it, at the next frame. */
	app->dirty |= RX_HINTS;
}

bool pager_row_cut(const tui_app *app)
{
	return cut_screen == (int)app->screen;
}

/* ---- an Outbox entry ------------------------------------------------------------- */

unsigned pager_outbox_entry(tui_app *app, const ec_outbox_entry *e, const char *target)
{
	char *text = NULL, *changes;
	char when[40];
	size_t size = 0;
	FILE *out;
	if (!e || !(out = open_memstream(&text, &size)))
		return RX_NONE;
	changes = form_changes_text(app, e);
	timefmt_local(e->created_on, false, when, sizeof when);
	fprintf(out, "%s  %s\n%s\n", outbox_state_slug(e->state), when, changes ? changes : "");
	if (e->error && e->error[0])
		fprintf(out, "\n%s\n", e->error);
	fclose(out);
	pager_open(app, target && target[0] ? target : e->entity, text);
	free(changes);
	free(text);
	return RX_OVERLAY;
}
