/* script.c — the script mode (tig's technique): EMAILCFG_SCRIPT=FILE feeds
 * the console keys and directives with no terminal (ncurses keeps its
 * virtual screen, output goes to /dev/null), so tests drive every screen
 * and compare dumps. One step per line:
 *   text           typed key by key (UTF-8)
 *   <Name>         one key: <Enter> <Esc> <Space> <Tab> <BS> <Up> <Down>
 *                  <Left> <Right> <PgUp> <PgDn> <Home> <End> <Del> <F1>
 *                  <C-x> <Lt> (a '<') <Colon> (a ':') <Hash> (a '#')
 *   :wait-idle     until no job is queued or running and no event pending
 *   :wait-refresh  until the next live refresh has finished
 *   :wait-file P   until file P exists (a test's signal)
 *   :reader async  keys no longer wait for the reader thread's answers
 *                  (sync: they do again, the default, so dumps are stable)
 *   :reader hold   the reader keeps each answer it finished until
 *                  :reader step lets one through (release: all again)
 *   :wait-held     until the reader holds a finished answer
 *   :wait-answer   until the console took the answer the last :reader step
 *                  let through (stale or not)
 *   :wait-screenful  until the rows a slow filter left to the reader came
 *   :wait-reader   until the reader has answered everything asked
 *   :resize WxH    resize the virtual terminal
 *   :click-on TEXT a mouse click on the last cell of TEXT where it shows
 *                  lowest on the screen
 *   :dump NAME     write the screen text to $EMAILCFG_SCRIPT_DUMPDIR/NAME
 *                  and the colour roles (one letter a cell) to NAME.attr
 *   :labels NAME   write the whole labels of the form rows on screen, one a
 *                  line, to $EMAILCFG_SCRIPT_DUMPDIR/NAME (what a test
 *                  checks the dump against: no label cut that has room)
 *   # ...          a comment
 * Each wait gives up after EMAILCFG_SCRIPT_TIMEOUT seconds (default 60)
 * and fails the run. Touches only the files it is told to. */
#include <curses.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/utf8.h"
#include "tui/app.h"
#include "tui/form.h"

static char **lines;
static bool reader_hold;
static long answers_at_step; /* answers taken when :reader step let one go */
static int nlines;
static bool active;

bool script_active(void)
{
	return active;
}

int script_open(tui_app *app, const char *path, ec_error *err)
{
	FILE *f = fopen(path, "r");
	char buf[2048];
	(void)app;
	if (!f)
		return ec_fail(err, EC_LOCAL, "cannot read the script %s", path);
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		lines = ec_xrealloc(lines, sizeof *lines * (unsigned long)(nlines + 1));
		lines[nlines++] = ec_strdup(buf);
	}
	fclose(f);
	active = true;
	return EC_OK;
}

static void script_free(void)
{
	for (int i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	lines = NULL;
	nlines = 0;
}

static void script_redraw(tui_app *app)
{
	app->dirty |= loop_background(app);
	if (app->dirty & ~(unsigned)RX_QUIT) {
		unsigned rx = app->dirty & ~(unsigned)RX_QUIT;
		app->dirty &= RX_QUIT;
		loop_redraw(app, rx);
	}
}

/* Unless the script asked for `:reader async` (or holds the reader), a step
 * ends when the reader has answered everything it was asked and the answers
 * are on the screen, so dumps do not depend on the reader's speed. */
static void script_settle(tui_app *app)
{
	script_redraw(app);
	while (!app->reader_async && !reader_hold && view_busy(app->view)) {
		struct pollfd p = {view_fd(app->view), POLLIN, 0};
		poll(&p, 1, 20);
		script_redraw(app);
	}
}

static double script_timeout(void)
{
	const char *t = getenv("EMAILCFG_SCRIPT_TIMEOUT");
	return t && atof(t) > 0 ? atof(t) : 60.0;
}

/* Pumps the loop until done(app) or the timeout. */
static int script_wait(tui_app *app, bool (*done)(tui_app *, const void *), const void *arg,
                       const char *what, ec_error *err)
{
	double until = loop_now() + script_timeout();
	for (;;) {
		struct pollfd p = {worker_event_fd(app->worker), POLLIN, 0};
		script_settle(app);
		if (done(app, arg)) {
			script_settle(app);
			return EC_OK;
		}
		if (loop_now() > until)
			return ec_fail(err, EC_FAILED, "script: %s timed out", what);
		poll(&p, 1, 50);
	}
}

static bool script_idle(tui_app *app, const void *arg)
{
	(void)arg;
	app->dirty |= loop_background(app);
	return worker_pending(app->worker) == 0 && !(app->dirty & ~(unsigned)RX_QUIT);
}

static bool script_refreshed(tui_app *app, const void *arg)
{
	return app->refreshes_done > *(const long *)arg && worker_pending(app->worker) == 0;
}

static bool script_file_exists(tui_app *app, const void *arg)
{
	struct stat st;
	(void)app;
	return stat((const char *)arg, &st) == 0;
}

static bool script_reader_held(tui_app *app, const void *arg)
{
	(void)arg;
	return view_held(app->view);
}

static bool script_answered(tui_app *app, const void *arg)
{
	return app->answers > *(const long *)arg;
}

static bool script_screenful(tui_app *app, const void *arg)
{
	(void)arg;
	return !mailboxes_paging(app);
}

static bool script_reader_idle(tui_app *app, const void *arg)
{
	(void)arg;
	return !view_busy(app->view);
}

/* :reader async|sync|hold|release|step */
static int script_reader(tui_app *app, const char *what, ec_error *err)
{
	if (strcmp(what, "async") == 0 || strcmp(what, "sync") == 0)
		app->reader_async = what[0] == 'a';
	else if (strcmp(what, "hold") == 0 || strcmp(what, "release") == 0)
		view_hold(app->view, reader_hold = what[0] == 'h');
	else if (strcmp(what, "step") == 0)
		answers_at_step = app->answers, view_step(app->view);
	else
		return ec_fail(err, EC_USAGE, "script: unknown :reader %s", what);
	return EC_OK;
}

/* ---- keys ------------------------------------------------------------------------ */

static const struct {
	const char *name;
	wint_t ch;
	bool code;
} key_names[] = {
    {"Enter", '\r', false},    {"Esc", 27, false},          {"Space", ' ', false},
    {"Tab", '\t', false},      {"BS", KEY_BACKSPACE, true}, {"Up", KEY_UP, true},
    {"Down", KEY_DOWN, true},  {"Left", KEY_LEFT, true},    {"Right", KEY_RIGHT, true},
    {"PgUp", KEY_PPAGE, true}, {"PgDn", KEY_NPAGE, true},   {"Home", KEY_HOME, true},
    {"End", KEY_END, true},    {"Del", KEY_DC, true},       {"F1", KEY_F(1), true},
    {"Lt", '<', false},        {"Colon", ':', false},       {"Hash", '#', false},
};

static bool script_key_name(const char *name, wint_t *ch, bool *code)
{
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcmp(key_names[i].name, name) == 0) {
			*ch = key_names[i].ch;
			*code = key_names[i].code;
			return true;
		}
	if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3]) {
		*ch = (wint_t)(name[2] & 0x1f);
		*code = false;
		return true;
	}
	return false;
}

/* A key of a line; the line's keys are one burst (type-ahead). */
static void script_key(tui_app *app, wint_t ch, bool code)
{
	timing_key(app, ch, code);
	app->dirty |= loop_handle_key(app, ch, code);
	if (!mailboxes_typing(app))
		script_settle(app);
}

/* A line of keys: <Name> tokens and UTF-8 text, in order. */
static int script_keys(tui_app *app, const char *line, ec_error *err)
{
	size_t n = strlen(line), i = 0;
	while (i < n && !(app->dirty & RX_QUIT)) {
		unsigned cp;
		size_t len;
		if (line[i] == '<' && strchr(line + i, '>')) {
			char name[32];
			size_t end = (size_t)(strchr(line + i, '>') - line);
			wint_t ch;
			bool code;
			snprintf(name, sizeof name, "%.*s", (int)(end - i - 1), line + i + 1);
			if (!script_key_name(name, &ch, &code))
				return ec_fail(err, EC_USAGE, "script: unknown key <%s>", name);
			script_key(app, ch, code);
			i = end + 1;
			continue;
		}
		len = utf8_decode(line + i, n - i, &cp);
		if (len == 0)
			return ec_fail(err, EC_USAGE, "script: invalid UTF-8 in '%s'", line);
		script_key(app, (wint_t)cp, false);
		i += len;
	}
	return EC_OK;
}

/* ---- dumps --------------------------------------------------------------------- */

void script_dump(tui_app *app, const char *name)
{
	const char *dir = getenv("EMAILCFG_SCRIPT_DUMPDIR");
	char path[4096];
	FILE *text, *attr;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : ".", name);
	text = fopen(path, "w");
	snprintf(path, sizeof path, "%s/%s.attr", dir && *dir ? dir : ".", name);
	attr = fopen(path, "w");
	for (int y = 0; y < app->rows && text && attr; y++) {
		wchar_t buf[1024];
		char out[4096];
		size_t o = 0;
		int n = mvinnwstr(y, 0, buf, app->cols < 1000 ? app->cols : 1000);
		for (int i = 0; i < n && o + 4 < sizeof out; i++)
			o += utf8_encode((unsigned)buf[i], out + o);
		while (o > 0 && out[o - 1] == ' ')
			o--;
		fprintf(text, "%.*s\n", (int)o, out);
		o = 0;
		for (int x = 0; x < app->cols && o + 1 < sizeof out; x++)
			out[o++] = draw_role_letter(app, y, x);
		while (o > 0 && out[o - 1] == '.')
			o--;
		fprintf(attr, "%.*s\n", (int)o, out);
	}
	if (text)
		fclose(text);
	if (attr)
		fclose(attr);
}

/* ---- directives ------------------------------------------------------------------ */

/* :labels NAME — the form's labels on screen, whole (form_write_labels). */
static int script_labels(tui_app *app, const char *name, ec_error *err)
{
	const char *dir = getenv("EMAILCFG_SCRIPT_DUMPDIR");
	char path[4096];
	FILE *out;
	script_settle(app);
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : ".", name);
	if (!(out = fopen(path, "w")))
		return ec_fail(err, EC_LOCAL, "script: cannot write %s", path);
	form_write_labels(out);
	fclose(out);
	return EC_OK;
}

/* :click-on TEXT — a mouse click on the last cell of TEXT where it shows
 * lowest on the screen (the status panel is at the bottom). */
static int script_click_on(tui_app *app, const char *text, ec_error *err)
{
	for (int y = app->rows - 1; y >= 0; y--) {
		wchar_t buf[1024];
		char out[4096];
		size_t o = 0;
		const char *at;
		int n = mvinnwstr(y, 0, buf, app->cols < 1000 ? app->cols : 1000), x = 0;
		for (int i = 0; i < n && o + 4 < sizeof out; i++)
			o += utf8_encode((unsigned)buf[i], out + o);
		out[o] = '\0';
		if (!(at = strstr(out, text)))
			continue;
		for (const char *p = out; p < at + strlen(text); p++)
			x += ((unsigned char)*p & 0xc0) != 0x80;
		x--;
		app->dirty |= loop_click(app, y, x);
		script_settle(app);
		return EC_OK;
	}
	return ec_fail(err, EC_FAILED, "script: :click-on '%s': not on the screen", text);
}

static int script_directive(tui_app *app, const char *line, ec_error *err)
{
	int w, h;
	if (strcmp(line, ":wait-idle") == 0)
		return script_wait(app, script_idle, NULL, line, err);
	if (strcmp(line, ":wait-refresh") == 0) {
		long before = app->refreshes_done;
		return script_wait(app, script_refreshed, &before, line, err);
	}
	if (strncmp(line, ":reader ", 8) == 0)
		return script_reader(app, line + 8, err);
	if (strcmp(line, ":wait-held") == 0)
		return script_wait(app, script_reader_held, NULL, line, err);
	if (strcmp(line, ":wait-answer") == 0)
		return script_wait(app, script_answered, &answers_at_step, line, err);
	if (strcmp(line, ":wait-screenful") == 0)
		return script_wait(app, script_screenful, NULL, line, err);
	if (strcmp(line, ":wait-reader") == 0)
		return script_wait(app, script_reader_idle, NULL, line, err);
	if (strncmp(line, ":wait-file ", 11) == 0)
		return script_wait(app, script_file_exists, line + 11, line, err);
	if (sscanf(line, ":resize %dx%d", &w, &h) == 2) {
		term_resize(app, h, w);
		app->dirty |= RX_LAYOUT;
		script_settle(app);
		return EC_OK;
	}
	if (strncmp(line, ":click-on ", 10) == 0)
		return script_click_on(app, line + 10, err);
	if (strncmp(line, ":labels ", 8) == 0)
		return script_labels(app, line + 8, err);
	if (strncmp(line, ":dump ", 6) == 0) {
		script_settle(app);
		script_dump(app, line + 6);
		return EC_OK;
	}
	return ec_fail(err, EC_USAGE, "script: unknown directive '%s'", line);
}

int script_run(tui_app *app, ec_error *err)
{
	const char *size = getenv("EMAILCFG_SCRIPT_SIZE");
	int w = 80, h = 24, rc = EC_OK;
	if (size)
		sscanf(size, "%dx%d", &w, &h);
	term_resize(app, h, w);
	app->dirty |= RX_LAYOUT;
	script_settle(app);
	for (int i = 0; i < nlines && rc == EC_OK && !(app->dirty & RX_QUIT); i++) {
		const char *l = lines[i];
		if (!l[0] || l[0] == '#')
			continue;
		rc = l[0] == ':' ? script_directive(app, l, err) : script_keys(app, l, err);
		script_settle(app);
	}
	script_free();
	return rc;
}
