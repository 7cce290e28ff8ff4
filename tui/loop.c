/* loop.c — the console's event loop and its frame: one poll() over the
 * keyboard, the worker's event pipe, a self-pipe for signals (SIGWINCH,
 * SIGTERM, SIGHUP, SIGINT) and a timer (live refresh, the panel's clock).
 * Handlers return reactions; the loop coalesces them and redraws only the
 * dirty regions (header, body, panel, message, hints, overlay). Worker
 * events update the job list and connection state; a changed cache data
 * version re-reads what is shown. Also tui_run(), which sets it all up and
 * takes it down again. The UI thread never waits for the network here.
 * Messages and when they go: tui/message.c.
 * When the organization answers a refresh again after a refresh, sync or
 * push it did not answer, the queued edits are pushed at once (a push job),
 * as P would; a sync pushes them itself. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/base/i18n.h"
#include "core/base/utf8.h"
#include "core/jobs/job_types.h"
#include "tui/pager.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/tui.h"

static const tui_screen *const screens[SCR_COUNT] = {
    [SCR_MAILBOXES] = &screen_mailboxes, [SCR_MAILBOX] = &screen_mailbox,
    [SCR_SETTINGS] = &screen_settings,   [SCR_PROFILES] = &screen_profiles,
    [SCR_ALERTS] = &screen_alerts,       [SCR_OUTBOX] = &screen_outbox,
    [SCR_TESTS] = &screen_tests,         [SCR_PROFILE] = &screen_profile,
    [SCR_CHANGES] = &screen_changes,
};

static int signal_pipe[2] = {-1, -1};
static bool quit_by_signal;
static double last_reload, reload_due;

double loop_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const tui_screen *loop_screen(const tui_app *app)
{
	return screens[app->screen];
}

void loop_switch_screen(tui_app *app, enum tui_screen_id s)
{
	if (s != app->screen) {
		if (app->nback == (int)(sizeof app->back / sizeof app->back[0]))
			memmove(app->back, app->back + 1, sizeof app->back - sizeof app->back[0]),
			    app->nback--;
		app->back[app->nback++] = app->screen;
		app->screen = s;
	}
	if (screens[s]->enter)
		screens[s]->enter(app);
	app->dirty |= RX_ALL | RX_RELOAD;
}

void loop_back(tui_app *app)
{
	app->screen = app->nback > 0 ? app->back[--app->nback] : SCR_MAILBOXES;
	if (screens[app->screen]->enter)
		screens[app->screen]->enter(app);
	app->dirty |= RX_ALL | RX_RELOAD;
}

/* ---- jobs ------------------------------------------------------------------ */

static tui_job *loop_job(tui_app *app, long id, const char *name)
{
	tui_job *free_slot = NULL;
	for (int i = 0; i < TUI_MAX_JOBS; i++) {
		if (app->jobs[i].active && app->jobs[i].id == id)
			return &app->jobs[i];
		if (!app->jobs[i].active && !free_slot)
			free_slot = &app->jobs[i];
	}
	if (!free_slot)
		free_slot = &app->jobs[0];
	memset(free_slot, 0, sizeof *free_slot);
	free_slot->id = id;
	free_slot->active = true;
	free_slot->total = -1;
	snprintf(free_slot->name, sizeof free_slot->name, "%s", name);
	return free_slot;
}

void loop_job_started(tui_app *app, long id, const char *name, const char *label)
{
	tui_job *j = loop_job(app, id, name);
	snprintf(j->label, sizeof j->label, "%s", label);
	app->dirty |= RX_PANEL;
}

bool loop_jobs_running(tui_app *app)
{
	return worker_pending(app->worker) > 0;
}

void loop_refresh_now(tui_app *app)
{
	if (app->refresh_job || app->cfg->offline || !app->cfg->org_url)
		return;
	app->refresh_job = job_submit_refresh(app->worker);
	loop_job_started(app, app->refresh_job, "refresh", "");
}

/* The organization answered a refresh again after it did not answer a
 * refresh, sync or push: the edits queued meanwhile go now, as P would. */
static void loop_push_on_answer(tui_app *app)
{
	long n = app->counts_valid ? app->counts.queued : 0;
	app->push_on_answer = false;
	if (n <= 0 || app->cfg->read_only)
		return;
	loop_push_queued(app, "");
	loop_message(app, ROLE_PENDING,
	             ngettext("the organization answers again: pushing %ld queued edit",
	                      "the organization answers again: pushing %ld queued edits",
	                      (unsigned long)n),
	             n);
}

/* A refresh or sync ended: the wait is over, the link is known. */
static void loop_pull_done(tui_app *app, const ec_job_event *ev, bool refresh)
{
	app->refresh_job = refresh ? 0 : app->refresh_job;
	app->last_refresh = loop_now();
	app->next_refresh = app->last_refresh + app->refresh_seconds;
	app->refreshes_done++;
	app->throttled = false, app->wait_text[0] = '\0';
	app->link_down = ev->status != EC_OK;
}

static void loop_job_done(tui_app *app, const ec_job_event *ev)
{
	tui_job *j = loop_job(app, ev->job, ev->name);
	bool refresh = ev->job == app->refresh_job, sync = strcmp(ev->name, "sync") == 0;
	j->active = false;
	if (dialog_signin_done(app, ev)) {
		app->dirty |= RX_PANEL | RX_BODY;
		return;
	}
	if (strcmp(ev->name, "test") == 0)
		tests_on_done(app, ev);
	if (refresh || sync)
		loop_pull_done(app, ev, refresh);
	if (ev->status != EC_OK) {
		message_job_failed(app, ev);
		if (ev->status == EC_NETWORK && (refresh || sync || strcmp(ev->name, "push") == 0))
			app->push_on_answer = true;
		/* A revoked or expired sign-in: sign in again here. */
		dialog_signin_after_failure(app, ev->message);
	} else {
		message_job_ok(app, ev->name);
		if (sync && app->message_role == ROLE_PENDING) /* "pushing ..." is over */
			message_job_done(app, ev->name);
		if (sync)
			app->push_on_answer = false; /* it pushed them */
		else if (refresh && app->push_on_answer)
			loop_push_on_answer(app);
		else if (!refresh && strcmp(ev->name, "profile test") != 0) /* its notice tells */
			message_job_done(app, ev->name);
	}
	app->dirty |= RX_PANEL | RX_RELOAD | RX_BODY;
}

static unsigned loop_event(tui_app *app, const ec_job_event *ev)
{
	tui_job *j;
	switch (ev->kind) {
	case EV_PROGRESS:
		j = loop_job(app, ev->job, ev->name);
		j->done = ev->done;
		j->total = ev->total;
		if (ev->message[0] && strcmp(ev->name, "test") != 0) /* the test's: "N failed" */
			tui_copy(j->what, sizeof j->what, ev->message);
		return RX_PANEL;
	case EV_WAIT: /* the message already says why and for how long */
		app->throttled = ev->status == 429;
		app->link_down = ev->status != 429;
		tui_copy(app->wait_text, sizeof app->wait_text, ev->message);
		return RX_PANEL;
	case EV_LINK:
		app->rtt_ms = ev->done;
		app->link_down = false;
		app->throttled = ev->status != 0;
		return RX_PANEL;
	case EV_CHANGED: return RX_RELOAD | RX_PANEL | RX_BODY;
	case EV_NOTICE: loop_message(app, ROLE_WARN, "%s", ev->message); return RX_MESSAGE;
	case EV_STAGE:
		j = loop_job(app, ev->job, ev->name);
		if (strcmp(ev->stage, "verdict") == 0 && ev->status == 1)
			j->failures++;
		tests_on_stage(app, ev);
		return RX_PANEL | (app->screen == SCR_TESTS ? RX_BODY : 0);
	case EV_DONE: loop_job_done(app, ev); return RX_MESSAGE;
	case EV_LOG: return RX_NONE;
	}
	return RX_NONE;
}

void loop_ask(tui_app *app, enum view_kind kind, long gen, const char *filter, const char *sort,
              const char *id)
{
	view_request rq;
	memset(&rq, 0, sizeof rq);
	rq.kind = kind;
	rq.gen = gen;
	tui_copy(rq.filter, sizeof rq.filter, filter);
	tui_copy(rq.sort, sizeof rq.sort, sort);
	tui_copy(rq.id, sizeof rq.id, id);
	view_ask(app->view, &rq);
}

/* Each answer goes to whoever asked; they drop a stale one (older gen). */
unsigned loop_pump_view(tui_app *app)
{
	view_answer a;
	unsigned rx = RX_NONE;
	if (!app->view)
		return RX_NONE;
	while (view_next(app->view, &a)) {
		timing_note("answers");
		app->answers++;
		switch (a.kind) {
		case VIEW_STATUS: rx |= panel_answer(app, &a); break;
		case VIEW_GROUPS: rx |= alerts_answer(app, &a); break;
		case VIEW_PROFILES: rx |= profiles_answer(app, &a); break;
		default: rx |= mailboxes_answer(app, &a); break;
		}
		view_answer_free(&a);
	}
	return rx;
}

unsigned loop_pump_events(tui_app *app)
{
	ec_job_event ev;
	unsigned rx = RX_NONE;
	while (worker_next_event(app->worker, &ev)) {
		timing_note("events");
		rx |= loop_event(app, &ev);
	}
	return rx;
}

/* The organization's display name for the header (sanitized when drawn). */
static void loop_read_org_name(tui_app *app)
{
	ec_settings s;
	if (cache_get_settings(app->cache, &s, NULL) == EC_OK && s.name)
		snprintf(app->org_name, sizeof app->org_name, "%s", s.name);
	settings_free(&s);
}

/* The worker committed: re-read, at most a few times a second during a
 * long sync so typing stays instant. */
unsigned loop_check_data(tui_app *app)
{
	long long v;
	ec_error err;
	double now = loop_now();
	if (cache_data_version(app->cache, &v, &err) != EC_OK)
		return RX_NONE;
	if (v != app->data_version) {
		app->data_version = v;
		reload_due = now;
	}
	if (reload_due > 0 && (app->script || now - last_reload >= 0.3)) {
		reload_due = 0;
		last_reload = now;
		loop_read_org_name(app);
		return RX_RELOAD | RX_BODY | RX_PANEL | RX_HEADER;
	}
	return RX_NONE;
}

/* ---- drawing ---------------------------------------------------------------- */

/* The tabs: full names when they fit beside the organization's name, else
 * short ones (the numbers 1-7 always show from 60 columns). */
static int loop_tabs_width(const char *ctx, const char *const *names)
{
	int w = 0;
	for (int s = 0; s < SCR_COUNT; s++)
		if (names[s])
			w += (int)utf8_width(C_(ctx, names[s])) + 2;
	return w;
}

static void loop_draw_header(tui_app *app)
{
	static const char *const full[] = {NC_("tab", "1 Mailboxes"), NULL,
	                                   NC_("tab", "2 Settings"),  NC_("tab", "3 Profiles"),
	                                   NC_("tab", "4 Alerts"),    NC_("tab", "5 Outbox"),
	                                   NC_("tab", "6 Tests"),     NULL,
	                                   NC_("tab", "7 Changes")};
	static const char *const brief[] = {NC_("short tab", "1 Mail"), NULL,
	                                    NC_("short tab", "2 Set"),  NC_("short tab", "3 Prof"),
	                                    NC_("short tab", "4 Alrt"), NC_("short tab", "5 Out"),
	                                    NC_("short tab", "6 Test"), NULL,
	                                    NC_("short tab", "7 Chg")};
	tui_rect r = app->r_header;
	const char *const *names = full;
	const char *ctx = "tab";
	int x = 0, tabs;
	char left[200], badge[64];
	snprintf(badge, sizeof badge, "%s%s%s%s ", app->cfg->read_only ? " " : "",
	         app->cfg->read_only ? _("READ-ONLY") : "", app->cfg->offline ? " " : "",
	         app->cfg->offline ? _("OFFLINE") : "");
	if (!badge[1])
		badge[0] = '\0';
	draw_fill(app, r, ROLE_TITLE);
	snprintf(left, sizeof left, " emailcfg %s %s ", draw_sym(app, "\u2502", "|"),
	         app->org_name[0]   ? app->org_name
	         : app->org_host[0] ? app->org_host
	                            : _("(no organization)"));
	if (app->cols < 100 || loop_tabs_width(ctx, full) + 24 + (int)utf8_width(badge) > r.w) {
		names = brief;
		ctx = "short tab";
	}
	tabs = loop_tabs_width(ctx, names);
	/* The organization's name gives way to the tabs (at least its start). */
	x += draw_span(
	    app, r.y, x,
	    r.w - tabs - (int)utf8_width(badge) > 12 ? r.w - tabs - (int)utf8_width(badge) : 12,
	    ROLE_TITLE, left);
	for (int s = 0; s < SCR_COUNT; s++) {
		char b[40];
		if (!names[s])
			continue;
		snprintf(b, sizeof b, " %s ", C_(ctx, names[s]));
		x += draw_span(app, r.y, x, r.w - x,
		               (int)app->screen == s || (s == 0 && app->screen == SCR_MAILBOX) ||
		                       (s == SCR_PROFILES && app->screen == SCR_PROFILE)
		                   ? ROLE_SELECTED
		                   : ROLE_TITLE,
		               b);
	}
	if (badge[0] && (int)utf8_width(badge) <= r.w - x)
		draw_span(app, r.y, r.w - (int)utf8_width(badge), (int)utf8_width(badge),
		          ROLE_ERROR, badge);
}

static void loop_draw_hints(tui_app *app)
{
	char buf[1024], *p = buf;
	int x = 0;
	tui_rect r = app->r_hints;
	commands_hints(app, buf, sizeof buf);
	draw_fill(app, r, ROLE_NORMAL);
	while (p && *p && x < r.w) {
		char *sep = strchr(p, '\x01'), *next;
		if (!sep)
			break;
		*sep = '\0';
		next = strstr(sep + 1, "  ");
		if (next)
			*next = '\0';
		x += draw_span(app, r.y, x, r.w - x, ROLE_KEY, p);
		x += draw_span(app, r.y, x, r.w - x, ROLE_NORMAL, " ");
		x += draw_span(app, r.y, x, r.w - x, ROLE_DIM, sep + 1);
		x += draw_span(app, r.y, x, r.w - x, ROLE_NORMAL, "  ");
		p = next ? next + 2 : NULL;
	}
}

static void loop_draw_message(tui_app *app)
{
	if (app->screen == SCR_MAILBOXES && mailboxes_filter_editing(app)) {
		mailboxes_draw_prompt(app, app->r_message);
		return;
	}
	draw_text(app, app->r_message.y, 0, app->cols, app->message_role, app->message);
}

static void loop_draw_too_small(tui_app *app)
{
	char msg[128];
	erase();
	draw_roles_reset(app);
	snprintf(msg, sizeof msg, _("terminal too small (%dx%d); need at least 60x16"), app->cols,
	         app->rows);
	draw_text(app, app->rows / 2, 0, app->cols, ROLE_WARN, msg);
	draw_text(app, app->rows / 2 + 1, 0, app->cols, app->small_quit ? ROLE_WARN : ROLE_DIM,
	          app->small_quit ? _("Quit: enlarge it first to save or discard the unsaved "
	                              "edits and running jobs")
	                          : _("enlarge it, or q to quit"));
}

void loop_redraw(tui_app *app, unsigned rx)
{
	if (rx & RX_LAYOUT) {
		term_layout(app);
		erase();
		clearok(curscr,
		        TRUE); /* the terminal repainted whole: nothing of the old size stays */
		draw_roles_reset(app);
		rx |= RX_ALL | RX_RELOAD;
	}
	if (rx & RX_RELOAD) {
		timing_note("reload");
		screens[app->screen]->reload(app);
		panel_reload(app);
	}
	if (app->too_small) {
		loop_draw_too_small(app);
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if ((dialog_open(app) || help_open(app) || pager_is_open(app) || dialog_signin_open(app)) &&
	    (rx & (RX_BODY | RX_PANEL | RX_MESSAGE)))
		rx |= RX_OVERLAY;
	if (rx & RX_OVERLAY)
		rx |= RX_BODY | RX_PANEL; /* what was under a closed overlay */
	if (rx & (RX_MESSAGE | RX_OVERLAY | RX_BODY))
		app->cursor_on = false;
	if (rx & RX_HEADER)
		loop_draw_header(app);
	if (rx & RX_BODY)
		screens[app->screen]->draw(app, app->r_body);
	if ((rx & RX_PANEL) && app->panel_on)
		panel_draw(app, app->r_panel);
	if (rx & RX_MESSAGE)
		loop_draw_message(app);
	if (rx & RX_HINTS)
		loop_draw_hints(app);
	if (rx & RX_OVERLAY) {
		help_draw(app);
		pager_draw(app);
		if (dialog_signin_open(app))
			dialog_signin_draw(app);
		if (dialog_open(app))
			dialog_draw(app);
	}
	if (app->cursor_on)
		move(app->cursor_y, app->cursor_x);
	curs_set(app->cursor_on ? 1 : 0);
	wnoutrefresh(stdscr);
	doupdate();
	timing_frame();
}

/* ---- input ------------------------------------------------------------------ */

unsigned loop_click(tui_app *app, int y, int x)
{
	unsigned rx = panel_click(app, y, x);
	if (rx != RX_NONE)
		return rx;
	if (app->screen == SCR_MAILBOXES)
		return mailboxes_click(app, y, x);
	return RX_NONE;
}

static unsigned loop_mouse(tui_app *app)
{
	MEVENT me;
	if (getmouse(&me) != OK)
		return RX_NONE;
	if (me.bstate & BUTTON4_PRESSED)
		return commands_dispatch(app, KEY_UP, true) | commands_dispatch(app, KEY_UP, true);
	if (me.bstate & BUTTON5_PRESSED)
		return commands_dispatch(app, KEY_DOWN, true) |
		       commands_dispatch(app, KEY_DOWN, true);
	if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
		return loop_click(app, me.y, me.x);
	return RX_NONE;
}

unsigned loop_handle_key(tui_app *app, wint_t ch, bool is_code)
{
	const tui_screen *s = screens[app->screen];
	unsigned rx;
	char name[32];
	if (is_code && ch == KEY_RESIZE)
		return RX_LAYOUT;
	if (app->too_small) {
		/* No room for the quit dialog: quit only when nothing is lost. */
		if (is_code || ch != 'q')
			return RX_NONE;
		if (commands_quit_is_safe(app))
			return RX_QUIT;
		app->small_quit = true;
		return RX_ALL;
	}
	app->small_quit = false;
	pager_keep_message(app);                  /* `i` reads the message this key clears */
	if (app->message[0] && !dialog_open(app)) /* a message lasts until the next key */
		message_clear(app);
	if (dialog_open(app))
		return dialog_key(app, ch, is_code);
	if (dialog_signin_open(app))
		return dialog_signin_key(app, ch, is_code);
	if (help_open(app))
		return help_key(app, ch, is_code);
	if (pager_is_open(app))
		return pager_key(app, ch, is_code);
	if (is_code && ch == KEY_MOUSE)
		return loop_mouse(app);
	if (panel_focused(app) && (rx = panel_key(app, ch, is_code)) != RX_NONE)
		return rx;
	if (s->key && (rx = s->key(app, ch, is_code)) != RX_NONE)
		return rx;
	if ((rx = commands_dispatch(app, ch, is_code)) != RX_NONE)
		return rx;
	loop_message(app, ROLE_DIM, _("%s does nothing here; ? lists the keys"),
	             commands_key_name(ch, is_code, name, sizeof name));
	return RX_MESSAGE;
}

static unsigned loop_read_keys(tui_app *app)
{
	unsigned rx = RX_NONE;
	wint_t ch;
	int r;
	while ((r = get_wch(&ch)) != ERR) {
		timing_key(app, ch, r == KEY_CODE_YES);
		rx |= loop_handle_key(app, ch, r == KEY_CODE_YES);
		if (rx & RX_QUIT)
			break;
	}
	return rx;
}

static unsigned loop_signals(tui_app *app)
{
	char buf[32];
	ssize_t n;
	unsigned rx = RX_NONE;
	while ((n = read(signal_pipe[0], buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == 'Q') {
				quit_by_signal = true;
				rx |= RX_QUIT;
			} else if (buf[i] == 'W' && !app->script) {
				struct winsize ws;
				if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row &&
				    ws.ws_col)
					term_resize(app, ws.ws_row, ws.ws_col);
				rx |= RX_LAYOUT;
			}
		}
	return rx;
}

/* ---- timer -------------------------------------------------------------------- */

static unsigned loop_timer(tui_app *app)
{
	double now = loop_now();
	static double last_tick;
	unsigned rx = RX_NONE;
	if (app->next_refresh > 0 && now >= app->next_refresh && !app->refresh_job &&
	    worker_pending(app->worker) == 0) {
		loop_refresh_now(app);
		rx |= RX_PANEL;
	}
	rx |= message_tick(app, now);
	if (now - last_tick >= 1.0) {
		last_tick = now;
		rx |= RX_PANEL;
	}
	return rx;
}

static double typing_due;

/* The filter is applied once the burst of keys already waiting was read. */
static unsigned loop_typing(tui_app *app)
{
	if (!mailboxes_typing(app)) {
		typing_due = 0;
		return RX_NONE;
	}
	if (typing_due == 0)
		typing_due = loop_now();
	if (loop_now() < typing_due)
		return RX_NONE;
	typing_due = 0;
	return mailboxes_flush_typing(app);
}

unsigned loop_background(tui_app *app)
{
	return loop_typing(app) | loop_pump_view(app) | loop_pump_events(app) |
	       loop_check_data(app) | loop_timer(app);
}

static int loop_timeout_ms(tui_app *app)
{
	double now = loop_now(), wait = 1.0;
	if (app->next_refresh > 0 && app->next_refresh - now < wait)
		wait = app->next_refresh - now;
	if (app->message_until > 0 && app->message_until - now < wait)
		wait = app->message_until - now;
	if (reload_due > 0)
		wait = 0.3 - (now - last_reload);
	if (typing_due > 0 && typing_due - now < wait)
		wait = typing_due - now;
	if (wait < 0)
		wait = 0;
	return (int)(wait * 1000) + 1;
}

static void loop_run(tui_app *app)
{
	app->dirty |= RX_LAYOUT;
	while (!(app->dirty & RX_QUIT)) {
		struct pollfd fds[4] = {{STDIN_FILENO, POLLIN, 0},
		                        {worker_event_fd(app->worker), POLLIN, 0},
		                        {signal_pipe[0], POLLIN, 0},
		                        {view_fd(app->view), POLLIN, 0}};
		unsigned rx = app->dirty;
		app->dirty = RX_NONE;
		if (rx)
			loop_redraw(app, rx);
		if (app->dirty & RX_QUIT)
			break;
		timing_idle();
		if (poll(fds, 4, loop_timeout_ms(app)) < 0 && errno != EINTR)
			break;
		timing_busy();
		if (fds[2].revents & POLLIN)
			app->dirty |= loop_signals(app);
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			app->dirty |= loop_read_keys(app);
			/* The keys already typed were read as one burst: the filter
			 * is applied now, one query for the burst. */
			typing_due = 0;
			if ((fds[0].revents & (POLLHUP | POLLERR)) && !(fds[0].revents & POLLIN)) {
				quit_by_signal = true;
				app->dirty |= RX_QUIT;
			}
		}
		app->dirty |= loop_background(app);
	}
}

/* ---- setup -------------------------------------------------------------------- */

static int loop_open(tui_app *app, ec_config *cfg, ec_error *err)
{
	const char *secs = getenv("EMAILCFG_REFRESH_SECONDS");
	int rc;
	memset(app, 0, sizeof *app);
	app->cfg = cfg;
	app->refresh_seconds = secs && atoi(secs) > 0 ? atoi(secs) : 30;
	app->panel_on = !getenv("EMAILCFG_NO_PANEL");
	app->mouse = getenv("EMAILCFG_MOUSE") && strcmp(getenv("EMAILCFG_MOUSE"), "1") == 0;
	if (cfg->org_url) {
		char *host = config_url_host(cfg->org_url);
		snprintf(app->org_host, sizeof app->org_host, "%s", host ? host : cfg->org_url);
		free(host);
	}
	if (!cfg->cache_path)
		return ec_fail(err, EC_USAGE, "no cache to open; pass --org URL or --cache FILE");
	if ((rc = cache_open(cfg->cache_path, &app->cache, err)) != EC_OK)
		return rc;
	view_tune(app->cache, err);
	cache_data_version(app->cache, &app->data_version, err);
	loop_read_org_name(app);
	if ((rc = view_start(cfg->cache_path, &app->view, err)) != EC_OK)
		return rc;
	if ((rc = worker_start(cfg, &app->worker, err)) != EC_OK)
		return rc;
	if (pipe(signal_pipe) != 0)
		return ec_fail(err, EC_LOCAL, "cannot create a pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++)
		fcntl(signal_pipe[i], F_SETFL, O_NONBLOCK),
		    fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC);
	term_signal_fd_w = signal_pipe[1];
	return EC_OK;
}

static void loop_close(tui_app *app)
{
	term_signal_fd_w = -1;
	if (app->worker)
		worker_stop(app->worker);
	view_stop(app->view);
	app->view = NULL;
	if (app->cache)
		cache_close(app->cache);
	for (int i = 0; i < 2; i++)
		if (signal_pipe[i] >= 0)
			close(signal_pipe[i]), signal_pipe[i] = -1;
}

/* The console opens from the cache at once; the first sync (push what is
 * queued, then pull) runs in the background. */
static void loop_first_sync(tui_app *app)
{
	if (app->cfg->offline || !app->cfg->org_url) {
		loop_message(app, ROLE_DIM, "%s",
		             app->cfg->offline ? _("offline: showing the cache")
		                               : _("no organization: showing the cache"));
		return;
	}
	/* No usable sign-in: sign in here first; the sync follows it. */
	if (dialog_signin_needed(app)) {
		dialog_signin_start(app);
		return;
	}
	loop_start_sync(app);
}

int tui_run(ec_config *cfg, ec_error *err)
{
	tui_app app;
	const char *script = getenv("EMAILCFG_SCRIPT");
	int rc;
	timing_open();
	rc = loop_open(&app, cfg, err);
	if (rc == EC_OK && script && *script) {
		app.script = true;
		rc = script_open(&app, script, err);
	}
	if (rc == EC_OK)
		rc = term_start(&app, err);
	if (rc == EC_OK) {
		loop_switch_screen(&app, SCR_MAILBOXES);
		app.nback = 0;
		loop_first_sync(&app);
		if (app.script)
			rc = script_run(&app, err);
		else
			loop_run(&app);
		dialog_close_all(&app);
	}
	term_end(&app);
	loop_close(&app);
	timing_close();
	(void)quit_by_signal;
	return rc;
}

ec_session loop_queue_session(tui_app *app)
{
	ec_session s;
	memset(&s, 0, sizeof s);
	s.cfg = app->cfg;
	s.cache = app->cache;
	s.queue_only = true;
	return s;
}

void loop_push_queued(tui_app *app, const char *what)
{
	if (!app->cfg->offline && app->cfg->org_url)
		loop_job_started(app, job_submit_push(app->worker), "push", what);
}

/* "first sync" only for a cache never synced: its panel line says so. */
void loop_start_sync(tui_app *app)
{
	struct cache_sync_state st;
	ec_error err = {0};
	bool first = cache_sync_state_get(app->cache, CACHE_MAILBOXES, &st, &err) != EC_OK ||
	             !st.last_sync[0];
	app->refresh_job = job_submit_sync(app->worker, false);
	loop_job_started(app, app->refresh_job, first ? "first sync" : "sync", "");
}
