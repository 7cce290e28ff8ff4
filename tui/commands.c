/* commands.c — THE command table: every key of the console is one row (its
 * keys, the screens it works on, whether it changes the organization, a
 * line of help, the handler). The same rows drive the key map, the help
 * overlay and the key-hint line, and the dispatcher checks the row's
 * preconditions — a row that changes the organization is hidden and
 * refused under --read-only here, whatever screen asks (core refuses too).
 * Handlers return reactions; they never draw. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/base/utf8.h"
#include "core/jobs/job_types.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/pager.h"
#include "tui/tui.h"

enum {
	CF_CHANGES = 1, /* changes the organization: refused under --read-only */
	CF_HINT = 2,    /* shown in the key-hint line */
};

typedef struct tui_key {
	wint_t ch;
	bool code;
} tui_key;

typedef struct tui_cmd {
	tui_key keys[3];
	const char *shown; /* how help and hints spell the keys */
	unsigned screens;
	unsigned flags;
	const char *name; /* short, for the hint line */
	const char *help; /* one line, for the help overlay */
	unsigned (*run)(tui_app *app, int arg);
	int arg;
	/* A deliberate exception to one key, one meaning: why this row's key
	 * means something else than the same key on another row (NULL: none;
	 * commands_key_clashes refuses any other clash). */
	const char *clash_reason;
	/* A CF_HINT row shown in the hint line only while this says so (NULL:
	 * always), e.g. i only where something is cut. */
	bool (*hint_when)(tui_app *app);
} tui_cmd;

static unsigned (*const screen_ops[SCR_COUNT])(tui_app *, int) = {
    [SCR_MAILBOXES] = mailboxes_cmd, [SCR_MAILBOX] = mailbox_cmd, [SCR_SETTINGS] = settings_cmd,
    [SCR_PROFILES] = profiles_cmd,   [SCR_ALERTS] = alerts_cmd,   [SCR_OUTBOX] = outbox_cmd,
    [SCR_TESTS] = tests_cmd,         [SCR_PROFILE] = profile_cmd, [SCR_CHANGES] = changes_cmd,
};

static unsigned cmd_op(tui_app *app, int op)
{
	return screen_ops[app->screen](app, op);
}

static unsigned cmd_screen(tui_app *app, int s)
{
	loop_switch_screen(app, (enum tui_screen_id)s);
	return RX_ALL | RX_RELOAD;
}

static void cmd_quit_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (choice == 1)
		app->dirty |= RX_QUIT;
}

static bool cmd_any_unsaved(tui_app *app)
{
	static const tui_screen *const forms[] = {&screen_mailbox, &screen_settings,
	                                          &screen_profile};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (forms[i]->unsaved && forms[i]->unsaved(app))
			return true;
	return false;
}

/* Jobs other than the live refresh (which may simply stop). */
static bool cmd_jobs_besides_refresh(tui_app *app)
{
	return worker_pending(app->worker) > (app->refresh_job ? 1 : 0);
}

bool commands_quit_is_safe(tui_app *app)
{
	return !cmd_any_unsaved(app) && !(cmd_jobs_besides_refresh(app));
}

static unsigned cmd_quit(tui_app *app, int arg)
{
	bool unsaved = cmd_any_unsaved(app), jobs = cmd_jobs_besides_refresh(app);
	(void)arg;
	if (!unsaved && !jobs)
		return RX_QUIT;
	dialog_confirm(app, _("Quit"),
	               unsaved && jobs ? _("There are unsaved edits and jobs are still running. "
	                                   "Quit anyway? Unsaved edits are lost; running jobs "
	                                   "stop (queued edits stay in the outbox).")
	               : unsaved       ? _("There are unsaved edits. Quit and lose them?")
	                               : _("Jobs are still running. Quit and stop them? Queued "
	                                         "edits stay in the outbox."),
	               _("Cancel|Quit"), cmd_quit_answer, NULL);
	return RX_OVERLAY;
}

static unsigned cmd_help(tui_app *app, int arg)
{
	(void)arg;
	help_show(app);
	return RX_OVERLAY;
}

static unsigned cmd_panel(tui_app *app, int arg)
{
	(void)arg;
	app->panel_on = !app->panel_on;
	return RX_LAYOUT;
}

static unsigned cmd_refresh(tui_app *app, int arg)
{
	(void)arg;
	if (app->cfg->offline || !app->cfg->org_url) {
		loop_message(app, ROLE_WARN, "%s",
		             app->cfg->offline
		                 ? _("--offline: showing the cache; nothing is fetched")
		                 : _("no organization configured; showing the cache"));
		return RX_MESSAGE;
	}
	loop_refresh_now(app);
	return RX_MESSAGE | RX_PANEL;
}

static unsigned cmd_sync(tui_app *app, int arg)
{
	long id;
	(void)arg;
	if (app->cfg->offline || !app->cfg->org_url) {
		loop_message(app, ROLE_WARN, "%s", _("--offline: queued edits are pushed later"));
		return RX_MESSAGE;
	}
	id = job_submit_sync(app->worker, false);
	loop_job_started(app, id, "sync", _("push and pull"));
	loop_message(app, ROLE_PENDING, "%s", _("pushing queued edits, then pulling"));
	return RX_MESSAGE | RX_PANEL;
}

static unsigned cmd_cancel(tui_app *app, int arg)
{
	(void)arg;
	if (!loop_jobs_running(app)) {
		loop_message(app, ROLE_NORMAL, "%s", _("no job is running"));
		return RX_MESSAGE;
	}
	worker_cancel(app->worker);
	loop_message(app, ROLE_WARN, "%s", _("stopping the running job"));
	return RX_MESSAGE;
}

static unsigned cmd_mouse(tui_app *app, int arg)
{
	(void)arg;
	term_set_mouse(app, !app->mouse);
	loop_message(app, ROLE_NORMAL, "%s", app->mouse ? _("mouse on") : _("mouse off"));
	return RX_MESSAGE;
}

static unsigned cmd_redraw(tui_app *app, int arg)
{
	(void)app;
	(void)arg;
	clearok(curscr, TRUE);
	return RX_ALL;
}

#define K(c)                                                                                       \
	{                                                                                          \
		(wint_t)(c), false                                                                 \
	}
#define KC(c)                                                                                      \
	{                                                                                          \
		(wint_t)(c), true                                                                  \
	}
#define MB SCR_BIT(SCR_MAILBOXES)
#define LISTS                                                                                      \
	(SCR_BIT(SCR_MAILBOXES) | SCR_BIT(SCR_PROFILES) | SCR_BIT(SCR_ALERTS) |                    \
	 SCR_BIT(SCR_OUTBOX) | SCR_BIT(SCR_TESTS))
#define FORMS   (SCR_BIT(SCR_MAILBOX) | SCR_BIT(SCR_SETTINGS) | SCR_BIT(SCR_PROFILE))
#define READERS (SCR_BIT(SCR_ALERTS) | SCR_BIT(SCR_TESTS) | SCR_BIT(SCR_CHANGES))

/* i: the message line when it was cut, else the row whole: a form's
 * selected field with every row the form cuts, a list's selected row. */
static unsigned cmd_read(tui_app *app, int arg)
{
	unsigned rx = pager_read_message(app);
	(void)arg;
	if (rx != RX_NONE)
		return rx;
	if (SCR_BIT(app->screen) & FORMS)
		return form_read(app);
	return cmd_op(app, OP_READ);
}

/* The screens that show whole rows in the pager always offer i; the
 * others when the message line, the form or the selected row is cut. */
static bool cmd_read_hinted(tui_app *app)
{
	return (SCR_BIT(app->screen) & READERS) || pager_message_cut(app) || pager_row_cut(app) ||
	       ((SCR_BIT(app->screen) & FORMS) && form_cut(app));
}

static const tui_cmd commands[] = {
    /* moving */
    {{KC(KEY_UP), K('k')},
     "Up/k",
     SCR_ANY,
     0,
     NC_("hint", "up"),
     N_("previous row or field"),
     cmd_op,
     OP_UP},
    {{KC(KEY_DOWN), K('j')},
     "Down/j",
     SCR_ANY,
     0,
     NC_("hint", "down"),
     N_("next row or field"),
     cmd_op,
     OP_DOWN},
    {{KC(KEY_PPAGE), K(2)},
     "PgUp",
     SCR_ANY,
     0,
     NC_("hint", "page up"),
     N_("one page up"),
     cmd_op,
     OP_PGUP},
    {{KC(KEY_NPAGE), K(6)},
     "PgDn",
     SCR_ANY,
     0,
     NC_("hint", "page down"),
     N_("one page down"),
     cmd_op,
     OP_PGDN},
    {{KC(KEY_HOME), K('g')},
     "Home/g",
     SCR_ANY,
     0,
     NC_("hint", "first"),
     N_("first row"),
     cmd_op,
     OP_HOME},
    {{KC(KEY_END), K('G')},
     "End/G",
     SCR_ANY,
     0,
     NC_("hint", "last"),
     N_("last row"),
     cmd_op,
     OP_END},
    {{KC(KEY_LEFT), K('h')},
     "Left/h",
     SCR_BIT(SCR_OUTBOX) | FORMS,
     0,
     NC_("hint", "left"),
     N_("previous value of a choice, in place (Outbox conflict: mine or theirs)"),
     cmd_op,
     OP_LEFT},
    {{KC(KEY_RIGHT), K('l')},
     "Right/l",
     SCR_BIT(SCR_OUTBOX) | FORMS,
     0,
     NC_("hint", "right"),
     N_("next value of a choice, in place (Outbox conflict: mine or theirs)"),
     cmd_op,
     OP_RIGHT},
    {{K('\r'), K('\n'), KC(KEY_ENTER)},
     "Enter",
     SCR_ANY,
     CF_HINT,
     NC_("hint", "open"),
     N_("open the row; edit the field (a choice: its chooser)"),
     cmd_op,
     OP_ENTER},
    {{K(27)},
     "Esc",
     SCR_ANY,
     0,
     NC_("hint", "back"),
     N_("back; clear the filter; close"),
     cmd_op,
     OP_ESC},
    /* mailboxes */
    {{K('/')},
     "/",
     MB | SCR_BIT(SCR_CHANGES), /* on Changes: the time they are listed from */
     CF_HINT,
     NC_("hint", "filter"),
     N_("filter as you type (Enter keeps it, Esc clears it); on Changes: since when"),
     cmd_op,
     OP_FILTER},
    {{K('f')},
     "f",
     MB,
     0,
     NC_("hint", "find"),
     N_("find a mailbox by text (then n / N)"),
     cmd_op,
     OP_FIND},
    {{K('n')}, "n", MB, 0, NC_("hint", "next"), N_("next match of the find"), cmd_op, OP_NEXT},
    {{K('N')}, "N", MB, 0, NC_("hint", "prev"), N_("previous match of the find"), cmd_op, OP_PREV},
    {{K('s')}, "s", MB, CF_HINT, NC_("hint", "sort"), N_("sort by a column"), cmd_op, OP_SORT},
    {{K('S')},
     "S",
     MB,
     0,
     NC_("hint", "reverse"),
     N_("reverse the sort order"),
     cmd_op,
     OP_REVERSE},
    {{K('v')},
     "v",
     MB,
     0,
     NC_("hint", "view"),
     N_("show a view: active, inactive, failing, ... or a saved one"),
     cmd_op,
     OP_VIEW},
    {{K(' ')},
     "Space",
     MB,
     CF_HINT,
     NC_("hint", "tag"),
     N_("tag or untag the row"),
     cmd_op,
     OP_TAG},
    {{K('t')},
     "t",
     MB,
     0,
     NC_("hint", "tag all"),
     N_("tag every mailbox the filter shows"),
     cmd_op,
     OP_TAG_ALL},
    {{K('u')}, "u", MB, 0, NC_("hint", "untag"), N_("clear all tags"), cmd_op, OP_UNTAG_ALL},
    {{K('T')},
     "T",
     MB | SCR_BIT(SCR_MAILBOX),
     CF_CHANGES | CF_HINT,
     NC_("hint", "test"),
     N_("Test & Enable the tagged mailboxes (or this one)"),
     cmd_op,
     OP_TEST},
    {{K('a')},
     "a",
     MB | SCR_BIT(SCR_MAILBOX),
     CF_CHANGES | CF_HINT,
     NC_("hint", "approve"),
     N_("approve the email addresses of the tagged mailboxes (or this one)"),
     cmd_op,
     OP_APPROVE},
    {{K('D')},
     "D",
     MB | SCR_BIT(SCR_MAILBOX),
     CF_CHANGES,
     NC_("hint", "defaults"),
     N_("apply the organization's default settings to the tagged mailboxes"),
     cmd_op,
     OP_DEFAULTS},
    {{K('e')},
     "e",
     MB,
     CF_CHANGES | CF_HINT,
     NC_("hint", "edit"),
     N_("edit: set one field on all tagged mailboxes (or this one)"),
     cmd_op,
     OP_SET_FIELD},
    /* forms */
    {{K('w'), K(19)},
     "w",
     FORMS,
     CF_CHANGES | CF_HINT,
     NC_("hint", "save"),
     N_("save (write) the edits, through the outbox"),
     cmd_op,
     OP_SAVE},
    {{K('W')},
     "W",
     SCR_BIT(SCR_MAILBOX),
     CF_CHANGES,
     NC_("hint", "password"),
     N_("set the mailbox's password (write-only: sent, never stored or shown)"),
     cmd_op,
     OP_PASSWORD},
    {{K('c')},
     "c",
     SCR_BIT(SCR_MAILBOX),
     0,
     NC_("hint", "conflict"),
     N_("resolve this mailbox's conflict, field by field"),
     cmd_op,
     OP_RESOLVE},
    /* outbox */
    {{K('m')},
     "m",
     SCR_BIT(SCR_OUTBOX),
     CF_CHANGES | CF_HINT,
     NC_("hint", "mine"),
     N_("conflict: keep mine (all fields, or the field shown)"),
     cmd_op,
     OP_MINE},
    {{K('o')},
     "o",
     SCR_BIT(SCR_OUTBOX),
     CF_CHANGES | CF_HINT,
     NC_("hint", "theirs"),
     N_("conflict: take theirs, the other side's (all fields, or the field shown)"),
     cmd_op,
     OP_THEIRS},
    {{K('R')},
     "R",
     SCR_BIT(SCR_OUTBOX),
     CF_CHANGES | CF_HINT,
     NC_("hint", "resolve"),
     N_("resolve the conflict with the choices made field by field"),
     cmd_op,
     OP_RESOLVE},
    {{K('d')},
     "d",
     SCR_BIT(SCR_OUTBOX),
     CF_CHANGES | CF_HINT,
     NC_("hint", "drop"),
     N_("drop the queued edit or conflict"),
     cmd_op,
     OP_DROP},
    {{K('A')},
     "A",
     SCR_BIT(SCR_OUTBOX),
     CF_CHANGES | CF_HINT,
     NC_("hint", "retry"),
     N_("try a failed edit again: queue it and push it (A for again)"),
     cmd_op,
     OP_RETRY},
    /* server profiles */
    {{K('e')},
     "e",
     SCR_BIT(SCR_PROFILES),
     CF_CHANGES | CF_HINT,
     NC_("hint", "edit"),
     N_("edit the server profile (its form)"),
     cmd_op,
     OP_EDIT},
    {{K('F')},
     "F",
     SCR_BIT(SCR_PROFILES),
     CF_HINT,
     NC_("hint", "failing"),
     N_("go to the profile's failing mailboxes, tagged (then a, T or e act on them)"),
     cmd_op,
     OP_TAG_FAILING},
    {{K('T')},
     "T",
     SCR_BIT(SCR_PROFILES),
     CF_HINT,
     NC_("hint", "test"),
     N_("test the profile: probe its servers once from this machine (no login)"),
     cmd_op,
     OP_TEST},
    /* alerts */
    {{K('v')},
     "v",
     SCR_BIT(SCR_ALERTS),
     CF_HINT,
     NC_("hint", "view"),
     N_("alerts grouped by cause, or all of them newest first"),
     cmd_op,
     OP_ALERTS_VIEW},
    {{K('L')},
     "L",
     SCR_BIT(SCR_ALERTS),
     CF_HINT,
     NC_("hint", "severity"),
     N_("show one severity: error, warning, information, all"),
     cmd_op,
     OP_ALERTS_LEVEL},
    {{K('t')},
     "t",
     SCR_BIT(SCR_ALERTS),
     CF_HINT,
     NC_("hint", "tag all"),
     N_("tag all the group's mailboxes and open them in Mailboxes (then a, T, e)"),
     cmd_op,
     OP_ALERTS_TAG},
    {{K('i')},
     "i",
     READERS | FORMS | MB | SCR_BIT(SCR_PROFILES) | SCR_BIT(SCR_OUTBOX),
     CF_HINT,
     NC_("hint", "read"),
     N_("read the whole text of the row, a form's field or the message line (a pager)"),
     cmd_read,
     OP_READ,
     NULL,
     cmd_read_hinted},
    /* screens */
    {{K('1')},
     "1",
     SCR_ANY,
     0,
     NC_("hint", "mailboxes"),
     N_("Mailboxes"),
     cmd_screen,
     SCR_MAILBOXES},
    {{K('2')},
     "2",
     SCR_ANY,
     0,
     NC_("hint", "settings"),
     N_("Email Configuration Settings"),
     cmd_screen,
     SCR_SETTINGS},
    {{K('3')},
     "3",
     SCR_ANY,
     0,
     NC_("hint", "profiles"),
     N_("Server profiles"),
     cmd_screen,
     SCR_PROFILES},
    {{K('4')},
     "4",
     SCR_ANY,
     0,
     NC_("hint", "alerts"),
     N_("Alerts grouped by cause"),
     cmd_screen,
     SCR_ALERTS},
    {{K('5')},
     "5",
     SCR_ANY,
     0,
     NC_("hint", "outbox"),
     N_("Outbox: queued edits and conflicts"),
     cmd_screen,
     SCR_OUTBOX},
    {{K('6')},
     "6",
     SCR_ANY,
     0,
     NC_("hint", "tests"),
     N_("Test & Enable progress and results"),
     cmd_screen,
     SCR_TESTS},
    {{K('7')},
     "7",
     SCR_ANY,
     0,
     NC_("hint", "changes"),
     N_("Changes: mailboxes that failed or recovered since a time"),
     cmd_screen,
     SCR_CHANGES},
    /* everywhere */
    {{K('r')},
     "r",
     SCR_ANY,
     0,
     NC_("hint", "refresh"),
     N_("refresh from the organization now"),
     cmd_refresh,
     0},
    {{K('P')},
     "P",
     SCR_ANY,
     CF_CHANGES,
     NC_("hint", "push"),
     N_("push queued edits, then refresh"),
     cmd_sync,
     0},
    {{K('x')}, "x", SCR_ANY, 0, NC_("hint", "stop"), N_("stop the running job"), cmd_cancel, 0},
    {{K('p')},
     "p",
     SCR_ANY,
     0,
     NC_("hint", "panel"),
     N_("show or hide the status panel"),
     cmd_panel,
     0},
    {{K('\t')},
     "Tab",
     SCR_ANY,
     0,
     NC_("hint", "panel numbers"),
     N_("focus the status panel: Left/Right choose a number, Enter lists what it counts"),
     panel_cmd,
     0},
    {{K('M')}, "M", SCR_ANY, 0, NC_("hint", "mouse"), N_("mouse on or off"), cmd_mouse, 0},
    {{K(12)}, "Ctrl-L", SCR_ANY, 0, NC_("hint", "redraw"), N_("redraw the screen"), cmd_redraw, 0},
    {{K('?'), KC(KEY_F(1))},
     "?",
     SCR_ANY,
     CF_HINT,
     NC_("hint", "help"),
     N_("this help"),
     cmd_help,
     0},
    {{K('q')},
     "q",
     SCR_ANY,
     CF_HINT,
     NC_("hint", "quit"),
     N_("quit (asks only when edits are unsaved or jobs run)"),
     cmd_quit,
     0},
};
static const int command_count = (int)(sizeof commands / sizeof commands[0]);

static bool cmd_matches(const tui_cmd *c, wint_t ch, bool is_code)
{
	for (int i = 0; i < 3; i++)
		if (c->keys[i].ch && c->keys[i].ch == ch && c->keys[i].code == is_code)
			return true;
	return false;
}

unsigned commands_dispatch(tui_app *app, wint_t ch, bool is_code)
{
	unsigned rx;
	for (int i = 0; i < command_count; i++) {
		const tui_cmd *c = &commands[i];
		if (!(c->screens & SCR_BIT(app->screen)) || !cmd_matches(c, ch, is_code))
			continue;
		if ((c->flags & CF_CHANGES) && app->cfg->read_only) {
			loop_message(app, ROLE_ERROR,
			             _("--read-only: '%s' would change the organization; run "
			               "without --read-only"),
			             _(c->help));
			pager_keep_message(app);
			return RX_MESSAGE | RX_HINTS;
		}
		rx = c->run(app, c->arg) | RX_HINTS;
		pager_keep_message(app); /* what the command said, for i to read whole */
		return rx;
	}
	return RX_NONE;
}

/* Whether a row is in the hint line of this screen now. */
static bool cmd_hinted(tui_app *app, const tui_cmd *c)
{
	return (c->flags & CF_HINT) && (c->screens & SCR_BIT(app->screen)) &&
	       !(c->hint_when && !c->hint_when(app)) &&
	       !((c->flags & CF_CHANGES) && app->cfg->read_only);
}

/* A hint is "key name", two spaces between hints. */
static int cmd_hint_width(const tui_cmd *c)
{
	return (int)utf8_width(c->shown) + 1 + (int)utf8_width(C_("hint", c->name)) + 2;
}

/* Which hints fit the line: the whole of each, never one cut. When they
 * do not all fit, the screen's own commands go from the right, but the
 * first (Enter), those shown because something is cut now (i) and those
 * of every screen (? help, q quit), which say how to learn the rest. */
static void cmd_hints_fit(tui_app *app, bool *shown)
{
	int width = 0, first = -1;
	for (int i = 0; i < command_count; i++)
		if ((shown[i] = cmd_hinted(app, &commands[i]))) {
			width += cmd_hint_width(&commands[i]);
			first = first < 0 ? i : first;
		}
	for (int i = command_count - 1; i > first && width - 2 > app->cols; i--)
		if (shown[i] && commands[i].screens != SCR_ANY && !commands[i].hint_when) {
			shown[i] = false;
			width -= cmd_hint_width(&commands[i]);
		}
}

void commands_hints(tui_app *app, char *buf, size_t size)
{
	bool shown[sizeof commands / sizeof commands[0]];
	size_t o = 0;
	buf[0] = '\0';
	cmd_hints_fit(app, shown);
	for (int i = 0; i < command_count && o + 1 < size; i++) {
		const tui_cmd *c = &commands[i];
		if (!shown[i])
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%s\x01%s", o ? "  " : "", c->shown,
		                      C_("hint", c->name));
		if (o >= size)
			o = size - 1;
	}
}

void commands_each(const tui_app *app, enum tui_screen_id screen,
                   void (*fn)(void *ctx, const char *keys, const char *help, bool refused),
                   void *ctx)
{
	for (int i = 0; i < command_count; i++) {
		const tui_cmd *c = &commands[i];
		if (!(c->screens & SCR_BIT(screen)))
			continue;
		fn(ctx, c->shown, _(c->help), (c->flags & CF_CHANGES) && app->cfg->read_only);
	}
}

/* Function keys by the names the help and --keys use, not curses' own
 * ("KEY_RIGHT", "KEY_DC"). */
static const struct {
	int code;
	const char *name;
} key_names[] = {
    {KEY_UP, "Up"},          {KEY_DOWN, "Down"},           {KEY_LEFT, "Left"},
    {KEY_RIGHT, "Right"},    {KEY_HOME, "Home"},           {KEY_END, "End"},
    {KEY_PPAGE, "PgUp"},     {KEY_NPAGE, "PgDn"},          {KEY_DC, "Del"},
    {KEY_IC, "Ins"},         {KEY_BACKSPACE, "Backspace"}, {KEY_ENTER, "Enter"},
    {KEY_BTAB, "Shift-Tab"}, {KEY_RESIZE, "Resize"},
};

const char *commands_key_name(wint_t ch, bool is_code, char *buf, size_t size)
{
	if (is_code) {
		for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
			if (key_names[i].code == (int)ch) {
				snprintf(buf, size, "%s", key_names[i].name);
				return buf;
			}
		if ((int)ch >= KEY_F(1) && (int)ch <= KEY_F(24))
			snprintf(buf, size, "F%d", (int)ch - KEY_F0);
		else
			snprintf(buf, size, "%s", keyname((int)ch));
	} else if (ch == ' ') {
		snprintf(buf, size, "Space");
	} else if (ch == 27) {
		snprintf(buf, size, "Esc");
	} else if (ch < 32) {
		snprintf(buf, size, "Ctrl-%c", (char)(ch + 64));
	} else {
		snprintf(buf, size, "%lc", (wint_t)ch);
	}
	return buf;
}

/* Where a command works, for the documentation. */
static void screens_text(unsigned screens, char *buf, size_t size)
{
	static const char *const names[SCR_COUNT] = {"Mailboxes", "Mailbox", "Settings",
	                                             "Profiles",  "Alerts",  "Outbox",
	                                             "Tests",     "Profile", "Changes"};
	size_t o = 0;
	if (screens == SCR_ANY) {
		snprintf(buf, size, "everywhere");
		return;
	}
	buf[0] = '\0';
	for (int s = 0; s < SCR_COUNT && o < size; s++)
		if (screens & SCR_BIT(s))
			o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "", names[s]);
}

void tui_print_keys(FILE *out)
{
	commands_key_clashes(stderr);
	fputs("| key | where | what |\n|---|---|---|\n", out);
	for (int i = 0; i < command_count; i++) {
		const tui_cmd *c = &commands[i];
		char where[128];
		screens_text(c->screens, where, sizeof where);
		fprintf(out, "| `%s` | %s | %s%s |\n", c->shown, where, _(c->help),
		        c->flags & CF_CHANGES ? " (not with --read-only)" : "");
	}
}

const char *commands_key(enum tui_screen_id screen, const char *name)
{
	for (int i = 0; i < command_count; i++)
		if ((commands[i].screens & SCR_BIT(screen)) && strcmp(commands[i].name, name) == 0)
			return commands[i].shown;
	return "?";
}

static bool cmd_share_key(const tui_cmd *a, const tui_cmd *b)
{
	for (int k = 0; k < 3; k++)
		if (a->keys[k].ch && cmd_matches(b, a->keys[k].ch, a->keys[k].code))
			return true;
	return false;
}

int commands_key_clashes(FILE *out)
{
	int clashes = 0;
	for (int i = 0; i < command_count; i++)
		for (int j = i + 1; j < command_count; j++) {
			const tui_cmd *a = &commands[i], *b = &commands[j];
			if (!cmd_share_key(a, b) || strcmp(a->name, b->name) == 0 ||
			    a->clash_reason || b->clash_reason)
				continue;
			clashes++;
			if (out)
				fprintf(
				    out,
				    "emailcfg: key table: '%s' means '%s' and also '%s' (one key, "
				    "one meaning: pick another key, or give the row a "
				    "clash_reason)\n",
				    a->shown, a->name, b->name);
		}
	return clashes;
}
