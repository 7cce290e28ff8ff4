/* dialog_signin.c — the console signs the admin in (device code) without
 * leaving: the sign-in runs as a worker job (signin_start, then
 * signin_wait with a cancel flag), never on the UI thread; this dialog
 * shows the verification address and the code (sanitised: both come from
 * the network), the time left, and "Waiting for you to sign in… (Esc
 * cancels)". Success closes it, says "Signed in as USER" and starts the
 * first sync; a refusal offers Try again or Quit. No token passes through
 * here: the worker keeps the refresh token in the sign-in cache. Shared
 * with the worker: the shown fields under a mutex, the cancel flag atomic.
 * Touches stdscr and, through the job, the network and the sign-in cache. */
#include <curses.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/client/http.h"
#include "core/base/i18n.h"
#include "core/jobs/job_types.h"
#include "core/base/sanitize.h"
#include "core/client/signin.h"
#include "tui/app.h"
#include "tui/dialog.h"

/* What the worker found out, for the UI thread to show. */
static struct {
	pthread_mutex_t lock;
	bool have_code;
	char uri[520], code[72];
	long expires_s;
	double code_at; /* loop_now() when the code came */
	char user[260];
} shown = {.lock = PTHREAD_MUTEX_INITIALIZER};

static atomic_int cancel_flag;
static long job_id;    /* the sign-in job in flight, 0 none */
static bool showing;   /* the waiting dialog is on screen */
static bool cancelled; /* Esc closed it; the job's end says nothing more */

static void copy_clean(char *dst, size_t size, const char *src)
{
	char *clean = sanitize_text(src);
	snprintf(dst, size, "%s", clean);
	free(clean);
}

static int signin_open_http(const ec_config *cfg, ec_http **http, ec_error *err)
{
	ec_http_opts o;
	int rc;
	http_opts_default(&o);
	o.ca_file = cfg->ca_file;
	if ((rc = http_opts_from_env(&o, err)) != EC_OK)
		return rc;
	return http_open(&o, http, err);
}

/* The job: runs on the worker thread. */
static int signin_run(ec_session *s, void *arg, ec_error *err)
{
	ec_http *http;
	ec_signin *si;
	char *user = NULL;
	int rc;
	(void)arg;
	if ((rc = signin_open_http(s->cfg, &http, err)) != EC_OK)
		return rc;
	if ((rc = signin_start(s->cfg, http, &si, err)) == EC_OK) {
		pthread_mutex_lock(&shown.lock);
		copy_clean(shown.uri, sizeof shown.uri, signin_uri(si));
		copy_clean(shown.code, sizeof shown.code, signin_code(si));
		shown.expires_s = signin_expires_in(si);
		shown.code_at = loop_now();
		shown.have_code = true;
		pthread_mutex_unlock(&shown.lock);
		/* Wakes the UI thread to draw the code. */
		ec_emitf(&s->sink, EV_PROGRESS, "signin", "%s", _("waiting for the sign-in"));
		rc = signin_wait(si, &cancel_flag, &user, err);
		signin_free(si);
	}
	http_close(http);
	if (rc == EC_OK) {
		pthread_mutex_lock(&shown.lock);
		copy_clean(shown.user, sizeof shown.user, user);
		pthread_mutex_unlock(&shown.lock);
	}
	free(user);
	return rc;
}

/* Online, auth = device-code, and the sign-in settings pass their checks
 * (otherwise the sync's own error says what is wrong). */
static bool signin_applies(tui_app *app)
{
	ec_config *cfg = app->cfg;
	if (cfg->offline || !cfg->org_url || cfg->token || !config_auth_is(cfg, "device-code"))
		return false;
	/* As auth.c decides: a secret given after the configuration was read
	 * (the demo, the environment) wins over a defaulted device-code. */
	if (!cfg->auth_given && (cfg->client_secret || cfg->secret_file))
		return false;
	return signin_prepare(cfg, NULL) == EC_OK;
}

bool dialog_signin_needed(tui_app *app)
{
	ec_config *cfg = app->cfg;
	char *user = NULL;
	time_t until = 0;
	bool kept;
	if (!signin_applies(app))
		return false;
	kept = signin_who(cfg, &user, &until, NULL) == EC_OK && (!until || time(NULL) < until);
	free(user);
	return !kept;
}

void dialog_signin_start(tui_app *app)
{
	if (job_id)
		return;
	pthread_mutex_lock(&shown.lock);
	shown.have_code = false;
	shown.user[0] = '\0';
	pthread_mutex_unlock(&shown.lock);
	atomic_store(&cancel_flag, 0);
	cancelled = false;
	showing = true;
	job_id = worker_submit(app->worker, "signin", signin_run, NULL, NULL);
	loop_job_started(app, job_id, "signin", _("sign-in"));
	app->dirty |= RX_ALL;
}

bool dialog_signin_open(const tui_app *app)
{
	(void)app;
	return showing;
}

unsigned dialog_signin_key(tui_app *app, wint_t ch, bool is_code)
{
	if (is_code || ch != 27)
		return RX_NONE;
	/* The worker sees the flag within 100 ms and keeps nothing; the
	 * console is the admin's again at once. */
	atomic_store(&cancel_flag, 1);
	cancelled = true;
	showing = false;
	loop_message(app, ROLE_WARN, "%s",
	             _("Sign-in cancelled: not signed in, showing the cache. Run emailcfg "
	               "login, or restart the console, to sign in."));
	return RX_ALL;
}

static void signin_failed_choice(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice == 0)
		dialog_signin_start(app);
	else
		app->dirty |= RX_QUIT;
}

static void signin_first_sync(tui_app *app)
{
	if (app->refresh_job)
		return;
	loop_start_sync(app);
}

bool dialog_signin_done(tui_app *app, const ec_job_event *ev)
{
	if (!job_id || ev->job != job_id)
		return false;
	job_id = 0;
	showing = false;
	app->dirty |= RX_ALL;
	if (cancelled)
		return true;
	if (ev->status == EC_OK) {
		char user[260];
		pthread_mutex_lock(&shown.lock);
		snprintf(user, sizeof user, "%s", shown.user);
		pthread_mutex_unlock(&shown.lock);
		loop_message(app, ROLE_OK, _("Signed in as %s"), user);
		signin_first_sync(app);
		return true;
	}
	dialog_confirm(app, _("Sign-in failed"), ev->message, _("Try again|Quit"),
	               signin_failed_choice, NULL);
	return true;
}

void dialog_signin_after_failure(tui_app *app, const char *message)
{
	if (job_id || showing || !strstr(message, "emailcfg login") || !signin_applies(app))
		return;
	dialog_signin_start(app);
}

/* ---- drawing ---- */

static void signin_draw_lines(tui_app *app, tui_rect r, const char *const *lines, int n,
                              const enum tui_role *roles)
{
	for (int i = 0; i < n && i < r.h - 2; i++)
		draw_text(app, r.y + 1 + i, r.x + 2, r.w - 4, roles[i], lines[i]);
}

void dialog_signin_draw(tui_app *app)
{
	char uri[540], code[100], left[80], title[200];
	const char *lines[7];
	enum tui_role roles[7];
	int n = 0, w = app->cols - 4 < 72 ? app->cols - 4 : 72, h = 9;
	tui_rect r = {(app->rows - h) / 2, (app->cols - w) / 2, h, w};
	bool have;
	long secs = 0;
	pthread_mutex_lock(&shown.lock);
	have = shown.have_code;
	snprintf(uri, sizeof uri, "  %s", shown.uri);
	snprintf(code, sizeof code, _("and enter the code  %s"), shown.code);
	if (have)
		secs = shown.expires_s - (long)(loop_now() - shown.code_at);
	pthread_mutex_unlock(&shown.lock);
	snprintf(title, sizeof title, _("Sign in to %s"), app->org_host);
	draw_box(app, r, ROLE_HEADER, title);
	if (!have) {
		lines[n] = _("Asking for a sign-in code…"), roles[n++] = ROLE_DIM;
		lines[n] = "", roles[n++] = ROLE_NORMAL;
		lines[n] = _("(Esc cancels)"), roles[n++] = ROLE_DIM;
	} else {
		if (secs < 0)
			secs = 0;
		snprintf(left, sizeof left, _("The code works for %ld:%02ld more."), secs / 60,
		         secs % 60);
		lines[n] = _("Open this address in a browser on any device:"),
		roles[n++] = ROLE_NORMAL;
		lines[n] = uri, roles[n++] = ROLE_KEY;
		lines[n] = code, roles[n++] = ROLE_KEY;
		lines[n] = left, roles[n++] = ROLE_DIM;
		lines[n] = "", roles[n++] = ROLE_NORMAL;
		lines[n] = _("Waiting for you to sign in… (Esc cancels)"),
		roles[n++] = ROLE_PENDING;
	}
	signin_draw_lines(app, r, lines, n, roles);
}
