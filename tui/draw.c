/* draw.c — the console's widgets on stdscr: text fitted to display columns
 * with an ellipsis (core's display_fit), fills, lines, boxes, progress bars
 * and status symbols with ASCII fallbacks. Every string drawn passes
 * core's sanitizer here, so no caller can put an outside string on the
 * screen raw. A shadow map records the colour role of every cell for the
 * script mode's attribute dumps. Touches only stdscr. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/model/options.h"
#include "core/base/sanitize.h"
#include "core/base/utf8.h"
#include "tui/app.h"

static char *role_map;
static int map_rows, map_cols;
static const char role_letters[ROLE_COUNT + 1] = ".THSgofdwEkpcxib";

void draw_roles_reset(tui_app *app)
{
	if (map_rows != app->rows || map_cols != app->cols) {
		free(role_map);
		map_rows = app->rows;
		map_cols = app->cols;
		role_map = ec_xmalloc((unsigned long)(map_rows * map_cols) + 1);
	}
	memset(role_map, '.', (size_t)(map_rows * map_cols));
}

static void draw_mark(int y, int x, int w, enum tui_role role)
{
	if (!role_map || y < 0 || y >= map_rows)
		return;
	for (int i = x; i < x + w && i < map_cols; i++)
		if (i >= 0)
			role_map[y * map_cols + i] = role_letters[role];
}

char draw_role_letter(const tui_app *app, int y, int x)
{
	(void)app;
	if (!role_map || y >= map_rows || x >= map_cols)
		return '.';
	return role_map[y * map_cols + x];
}

/* Clips a span to the screen; false when nothing is left. */
static bool draw_clip(const tui_app *app, int y, int x, int *w)
{
	if (y < 0 || y >= app->rows || x < 0 || x >= app->cols || *w <= 0)
		return false;
	if (x + *w > app->cols)
		*w = app->cols - x;
	return true;
}

static int draw_put(tui_app *app, int y, int x, int w, enum tui_role role, const char *text,
                    bool pad)
{
	char *clean, *fit;
	int used;
	if (!draw_clip(app, y, x, &w))
		return 0;
	clean = sanitize_text(text);
	fit = display_fit(clean, (size_t)w, app->ascii, pad);
	used = pad ? w : (int)utf8_width(fit);
	attrset(term_role_attr(role));
	mvaddstr(y, x, fit);
	attrset(A_NORMAL);
	draw_mark(y, x, used, role);
	free(clean);
	free(fit);
	return used;
}

void draw_text(tui_app *app, int y, int x, int w, enum tui_role role, const char *text)
{
	draw_put(app, y, x, w, role, text ? text : "", true);
}

int draw_span(tui_app *app, int y, int x, int w, enum tui_role role, const char *text)
{
	return draw_put(app, y, x, w, role, text ? text : "", false);
}

void draw_fmt(tui_app *app, int y, int x, int w, enum tui_role role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	draw_text(app, y, x, w, role, buf);
}

void draw_fill(tui_app *app, tui_rect r, enum tui_role role)
{
	for (int y = r.y; y < r.y + r.h; y++)
		draw_text(app, y, r.x, r.w, role, "");
}

const char *draw_sym(const tui_app *app, const char *utf8, const char *ascii)
{
	return app->ascii ? ascii : utf8;
}

void draw_hline(tui_app *app, int y, int x, int w, enum tui_role role)
{
	const char *c = draw_sym(app, "\u2500", "-");
	if (!draw_clip(app, y, x, &w))
		return;
	attrset(term_role_attr(role));
	for (int i = 0; i < w; i++)
		mvaddstr(y, x + i, c);
	attrset(A_NORMAL);
	draw_mark(y, x, w, role);
}

static void draw_vline(tui_app *app, int y, int x, int h, enum tui_role role)
{
	const char *c = draw_sym(app, "\u2502", "|");
	attrset(term_role_attr(role));
	for (int i = 0; i < h; i++)
		if (y + i < app->rows && x < app->cols) {
			mvaddstr(y + i, x, c);
			draw_mark(y + i, x, 1, role);
		}
	attrset(A_NORMAL);
}

void draw_box(tui_app *app, tui_rect r, enum tui_role role, const char *title)
{
	const char *tl = draw_sym(app, "\u250c", "+"), *tr = draw_sym(app, "\u2510", "+");
	const char *bl = draw_sym(app, "\u2514", "+"), *br = draw_sym(app, "\u2518", "+");
	draw_fill(app, r, ROLE_NORMAL);
	draw_hline(app, r.y, r.x, r.w, role);
	draw_hline(app, r.y + r.h - 1, r.x, r.w, role);
	draw_vline(app, r.y, r.x, r.h, role);
	draw_vline(app, r.y, r.x + r.w - 1, r.h, role);
	attrset(term_role_attr(role));
	mvaddstr(r.y, r.x, tl);
	mvaddstr(r.y, r.x + r.w - 1, tr);
	mvaddstr(r.y + r.h - 1, r.x, bl);
	mvaddstr(r.y + r.h - 1, r.x + r.w - 1, br);
	attrset(A_NORMAL);
	if (title && *title) {
		char buf[256];
		snprintf(buf, sizeof buf, " %s ", title);
		draw_span(app, r.y, r.x + 2, r.w - 4, ROLE_HEADER, buf);
	}
}

void draw_bar(tui_app *app, int y, int x, int w, long done, long total)
{
	int fill;
	char pct[16];
	if (w < 8)
		return;
	if (total <= 0) {
		draw_fmt(app, y, x, w, ROLE_DIM, "%ld ...", done);
		return;
	}
	if (done > total) /* the total was an estimate */
		done = total;
	snprintf(pct, sizeof pct, "%3ld%%", done * 100 / total);
	w -= 5;
	fill = (int)((double)w * (double)done / (double)total);
	if (fill > w)
		fill = w;
	for (int i = 0; i < w; i++)
		draw_text(app, y, x + i, 1, i < fill ? ROLE_BAR : ROLE_DIM,
		          i < fill ? draw_sym(app, "\u2588", "#") : draw_sym(app, "\u00b7", "."));
	draw_text(app, y, x + w, 5, ROLE_NORMAL, pct);
}

const char *draw_status_symbol(const tui_app *app, int status, enum tui_role *role)
{
	switch (status) {
	case STATUS_SUCCESS: *role = ROLE_OK; return draw_sym(app, "\u2713", "+");
	case STATUS_FAILURE: *role = ROLE_FAIL; return draw_sym(app, "\u2717", "-");
	default: *role = ROLE_DIM; return draw_sym(app, "\u00b7", ".");
	}
}

void draw_cursor(tui_app *app, int y, int x, bool visible)
{
	app->cursor_on = visible;
	app->cursor_y = y;
	app->cursor_x = x;
}

/* The list's method columns: the option table's short forms ("SSS"). */
const char *tui_method_short(int set, int wire, char *buf, size_t size)
{
	const ec_optset *sets[] = {
	    [SET_INCOMING] = &opt_incoming, [SET_OUTGOING] = &opt_outgoing, [SET_ACT] = &opt_act};
	if (wire == EC_NULL)
		return "";
	return opt_show_short(sets[set], wire, buf, size);
}

void tui_copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

const char *tui_channel_label(const char *channel)
{
	return strcmp(channel, "incoming") == 0   ? _("Incoming")
	       : strcmp(channel, "outgoing") == 0 ? _("Outgoing")
	                                          : _("ACT");
}

void tui_change_text(const tui_app *app, const ec_status_change *c, char *buf, size_t size)
{
	char fb[24], tb[24];
	const char *from = opt_show_label(
	    &opt_channel_status, c->from_status == EC_NULL ? 0 : c->from_status, fb, sizeof fb);
	const char *to =
	    c->removed ? _("removed")
	               : opt_show_label(&opt_channel_status,
	                                c->to_status == EC_NULL ? 0 : c->to_status, tb, sizeof tb);
	snprintf(buf, size, "%s %s %s", from, draw_sym(app, "\u2192", "->"), to);
}
