/* overlay_help.c — the help overlay (`?`): the keys of the current screen,
 * generated from the command table (tui/commands.c), with the ones that
 * --read-only refuses marked; plus the filter keys from core's filter table,
 * each with every value it takes (the option tables' slugs and the short
 * forms the list shows), and the views.
 * Scrolls with the usual keys; Esc, q or ? closes it. Touches only stdscr. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/filter.h"
#include "core/base/i18n.h"
#include "core/model/model.h"
#include "core/model/views.h"
#include "tui/app.h"
#include "tui/pager.h"

#define HELP_MAX 160

static bool open_;
static int top;
static char *lines[HELP_MAX];
static bool dim[HELP_MAX];
static int nlines;

static int help_width = 72; /* the overlay's text columns (help_show) */

static void help_push(bool is_dim, const char *text)
{
	if (nlines == HELP_MAX)
		return;
	dim[nlines] = is_dim;
	lines[nlines++] = ec_strdup(text);
}

/* One line: a key column (width, 0 for none) and its text. A text wider
 * than the overlay goes on under the key column, broken between words,
 * so no help is cut. */
static void help_add(bool is_dim, int width, const char *a, const char *b, const char *tail)
{
	char text[512], buf[600];
	const char *p = text;
	int indent = width ? 2 + width + 1 : (int)strlen(a) + 1, room = help_width - indent;
	bool first = true;
	snprintf(text, sizeof text, "%s%s", b, tail);
	if (room < 20 || pager_text_width(text) <= room) {
		snprintf(buf, sizeof buf, "%s%-*s %s", width ? "  " : "", width, a, text);
		help_push(is_dim, buf);
		return;
	}
	while (*p) {
		size_t cut = 0, len = strlen(p);
		for (size_t i = 1; i <= len; i++) {
			char t[512];
			if (i < len && p[i] != ' ')
				continue;
			snprintf(t, sizeof t, "%.*s", (int)i, p);
			if (pager_text_width(t) > room)
				break;
			cut = i;
		}
		if (cut == 0) /* one word wider than the room: as it is */
			cut = strcspn(p, " ") ? strcspn(p, " ") : len;
		snprintf(buf, sizeof buf, "%s%-*s %.*s", width ? "  " : "", width, first ? a : "",
		         (int)cut, p);
		if (!width && !first)
			snprintf(buf, sizeof buf, "%*s%.*s", indent, "", (int)cut, p);
		help_push(is_dim, buf);
		first = false;
		p += cut;
		while (*p == ' ')
			p++;
	}
}

static void help_add_cmd(void *ctx, const char *keys, const char *help, bool refused)
{
	(void)ctx;
	help_add(refused, 10, keys, help, refused ? _(" (refused: --read-only)") : "");
}

static void help_clear(void)
{
	for (int i = 0; i < nlines; i++)
		free(lines[i]);
	nlines = 0;
}

/* The values of a key under it, wrapped at commas to the overlay's width. */
static void help_add_values(const tui_app *app, const ec_filter_key *k)
{
	char values[1024], line[512];
	int width = app->cols - 8 - 19, used = 0;
	const char *p = values;
	filter_list_values(k, values, sizeof values);
	if (!k->set)
		return; /* text: said by the key's own line */
	if (width < 20)
		width = 20;
	line[0] = '\0';
	while (*p) {
		const char *end = strstr(p, ", ");
		int len = end ? (int)(end - p) + 1 : (int)strlen(p);
		if (used && used + 1 + len > width) {
			help_add(false, 16, "", line, "");
			used = 0;
		}
		used += snprintf(line + used, sizeof line - (size_t)used, "%s%.*s", used ? " " : "",
		                 len, p);
		p += end ? len + 1 : len;
	}
	if (used)
		help_add(false, 16, "", line, "");
}

void help_show(tui_app *app)
{
	help_clear();
	help_width = app->cols - 8;
	help_add(false, 0, _(loop_screen(app)->title), _("- keys"), "");
	commands_each(app, app->screen, help_add_cmd, NULL);
	if (app->screen == SCR_MAILBOXES) {
		help_add(false, 0, "", "", "");
		help_add(false, 0, _("Filter:"),
		         _("space-separated terms; key:value, -key:value, or a word (name, email, "
		           "owner)"),
		         "");
		help_add(false, 0,
		         _("Values in parentheses are the short forms the list shows; "
		           "Tab completes keys and values."),
		         "", "");
		for (int i = 0; i < filter_key_count; i++)
			if (filter_keys[i].kind != FILTER_SORT_ONLY) {
				help_add(false, 16, filter_keys[i].key, _(filter_keys[i].help), "");
				help_add_values(app, &filter_keys[i]);
			}
		help_add(false, 0, "", "", "");
		help_add(false, 0, _("Views (v):"), "", "");
		for (int i = 0; i < views_builtin_count; i++)
			help_add(false, 17, views_builtin[i].name, _(views_builtin[i].title), "");
		help_add(false, 0, "", "", "");
		help_add(false, 0, _("Marks:"), "", "");
		help_add(false, 16, "*", _("tagged"), "");
		help_add(false, 16, "~ !", _("edits queued; an edit in conflict"), "");
		help_add(false, 16, _("? after I O A"),
		         _("approval and tests predate a change of methods, profile or email (T)"),
		         "");
	}
	open_ = true;
	top = 0;
	app->dirty |= RX_OVERLAY;
}

bool help_open(const tui_app *app)
{
	(void)app;
	return open_;
}

unsigned help_key(tui_app *app, wint_t ch, bool is_code)
{
	int page = app->rows - 6;
	if ((!is_code && (ch == 27 || ch == 'q' || ch == '?')) || (is_code && ch == KEY_F(1))) {
		open_ = false;
		help_clear();
		return RX_ALL;
	}
	if ((is_code && ch == KEY_DOWN) || (!is_code && ch == 'j'))
		top++;
	else if ((is_code && ch == KEY_UP) || (!is_code && ch == 'k'))
		top--;
	else if ((is_code && ch == KEY_NPAGE) || (!is_code && ch == ' '))
		top += page;
	else if (is_code && ch == KEY_PPAGE)
		top -= page;
	else if ((is_code && ch == KEY_HOME) || (!is_code && ch == 'g'))
		top = 0;
	else if ((is_code && ch == KEY_END) || (!is_code && ch == 'G'))
		top = nlines;
	if (top > nlines - page)
		top = nlines - page;
	if (top < 0)
		top = 0;
	return RX_OVERLAY;
}

void help_draw(tui_app *app)
{
	tui_rect r = {1, 2, app->rows - 2, app->cols - 4};
	int vis = r.h - 3;
	if (!open_)
		return;
	draw_box(app, r, ROLE_HEADER, _("Help"));
	for (int i = 0; i < vis && top + i < nlines; i++)
		draw_text(app, r.y + 1 + i, r.x + 2, r.w - 4,
		          dim[top + i] ? ROLE_DISABLED : (top + i == 0 ? ROLE_HEADER : ROLE_NORMAL),
		          lines[top + i]);
	draw_fmt(app, r.y + r.h - 2, r.x + 2, r.w - 4, ROLE_DIM,
	         _("%d-%d of %d   Up/Down PgUp/PgDn scroll   Esc or ? close"), top + 1,
	         top + vis < nlines ? top + vis : nlines, nlines);
}
