/* lineedit.c — the one-line text editor behind the filter prompt, form
 * fields and dialogs: wide characters, cursor movement, Backspace/Delete,
 * Home/End, Ctrl-U (clear to start), Ctrl-W (word back), Tab completion
 * through a caller's function (the filter's keys and values); drawn scrolled so
 * the cursor stays visible, measured in display columns. Secret fields show
 * nothing of what is typed (not even its length). Touches only stdscr. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/model.h"
#include "core/base/utf8.h"
#include "tui/app.h"

void lineedit_set(lineedit *e, const char *utf8)
{
	size_t n = utf8 ? strlen(utf8) : 0, i = 0;
	e->len = 0;
	while (i < n && e->len < (int)(sizeof e->buf / sizeof e->buf[0]) - 1) {
		unsigned cp;
		size_t l = utf8_decode(utf8 + i, n - i, &cp);
		if (l == 0)
			l = 1, cp = '?';
		e->buf[e->len++] = (wchar_t)cp;
		i += l;
	}
	e->buf[e->len] = 0;
	e->cur = e->len;
}

char *lineedit_text(const lineedit *e)
{
	char *out = ec_xmalloc((unsigned long)e->len * 4 + 1);
	size_t o = 0;
	for (int i = 0; i < e->len; i++)
		o += utf8_encode((unsigned)e->buf[i], out + o);
	out[o] = '\0';
	return out;
}

static void lineedit_insert(lineedit *e, wchar_t c)
{
	if (e->len >= (int)(sizeof e->buf / sizeof e->buf[0]) - 1)
		return;
	memmove(e->buf + e->cur + 1, e->buf + e->cur, sizeof(wchar_t) * (size_t)(e->len - e->cur));
	e->buf[e->cur++] = c;
	e->buf[++e->len] = 0;
}

static void lineedit_delete(lineedit *e, int from, int to)
{
	if (from < 0)
		from = 0;
	if (to > e->len)
		to = e->len;
	if (from >= to)
		return;
	memmove(e->buf + from, e->buf + to, sizeof(wchar_t) * (size_t)(e->len - to));
	e->len -= to - from;
	e->buf[e->len] = 0;
	e->cur = from;
}

static bool lineedit_code(lineedit *e, wint_t ch)
{
	switch (ch) {
	case KEY_LEFT: e->cur -= e->cur > 0; return true;
	case KEY_RIGHT: e->cur += e->cur < e->len; return true;
	case KEY_HOME: e->cur = 0; return true;
	case KEY_END: e->cur = e->len; return true;
	case KEY_BACKSPACE: lineedit_delete(e, e->cur - 1, e->cur); return true;
	case KEY_DC: lineedit_delete(e, e->cur, e->cur + 1); return true;
	}
	return false;
}

bool lineedit_key(lineedit *e, wint_t ch, bool is_code)
{
	int w;
	if (is_code)
		return lineedit_code(e, ch);
	switch (ch) {
	case 127:
	case 8: lineedit_delete(e, e->cur - 1, e->cur); return true;
	case 1: e->cur = 0; return true;      /* Ctrl-A */
	case 5: e->cur = e->len; return true; /* Ctrl-E */
	case 21: lineedit_delete(e, 0, e->cur); return true;
	case 23:
		w = e->cur;
		while (w > 0 && e->buf[w - 1] == ' ')
			w--;
		while (w > 0 && e->buf[w - 1] != ' ')
			w--;
		lineedit_delete(e, w, e->cur);
		return true;
	}
	if (ch < 32 || ch == 127 || (ch >= 0x80 && ch < 0xa0))
		return false;
	lineedit_insert(e, (wchar_t)ch);
	return true;
}

/* Where the word before the cursor starts: after the last space. */
static int lineedit_word_start(const lineedit *e)
{
	int w = e->cur;
	while (w > 0 && e->buf[w - 1] != ' ')
		w--;
	return w;
}

/* Replaces buf[from, cur) with utf8, leaving the cursor after it. */
static void lineedit_replace(lineedit *e, int from, const char *utf8)
{
	size_t n = strlen(utf8), i = 0;
	lineedit_delete(e, from, e->cur);
	while (i < n) {
		unsigned cp;
		size_t l = utf8_decode(utf8 + i, n - i, &cp);
		if (l == 0)
			l = 1, cp = '?';
		lineedit_insert(e, (wchar_t)cp);
		i += l;
	}
}

bool lineedit_complete(lineedit *e, lineedit_complete_fn complete, lineedit_tab *tab)
{
	char out[256];
	int count;
	if (!tab->active) {
		lineedit word;
		char *text;
		memset(&word, 0, sizeof word);
		tab->start = lineedit_word_start(e);
		word.len = e->cur - tab->start;
		memcpy(word.buf, e->buf + tab->start, sizeof(wchar_t) * (size_t)word.len);
		text = lineedit_text(&word);
		tui_copy(tab->word, sizeof tab->word, text);
		free(text);
		tab->nth = 0;
	} else {
		tab->nth++;
	}
	count = complete(tab->word, tab->nth, out, sizeof out);
	if (count > 0 && tab->nth >= count) {
		tab->nth = 0; /* past the last: round again */
		count = complete(tab->word, 0, out, sizeof out);
	}
	if (count <= 0)
		return tab->active = false;
	tab->active = true;
	lineedit_replace(e, tab->start, out);
	return true;
}

int lineedit_draw(tui_app *app, const lineedit *e, int y, int x, int w, bool secret)
{
	int start = 0, col = 0;
	char *text;
	if (w <= 1)
		return x;
	if (secret) {
		draw_text(app, y, x, w, ROLE_INPUT, "");
		return x;
	}
	/* Scroll so that the cursor fits. */
	for (;;) {
		col = 0;
		for (int i = start; i < e->cur; i++)
			col += utf8_cp_width((unsigned)e->buf[i]);
		if (col < w - 1 || start >= e->cur)
			break;
		start++;
	}
	{
		lineedit tail;
		memset(&tail, 0, sizeof tail);
		memcpy(tail.buf, e->buf + start, sizeof(wchar_t) * (size_t)(e->len - start));
		tail.len = e->len - start;
		text = lineedit_text(&tail);
	}
	draw_text(app, y, x, w, ROLE_INPUT, text);
	free(text);
	return x + col;
}
