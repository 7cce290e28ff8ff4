/* message.c — the console's message line: what it says and when that goes.
 * It says one thing at a time, and a message goes when its cause does:
 *  - a job's failure remembers the job's kind and whether the organization
 *    did not answer (EC_NETWORK). It stays until a key, or until a later
 *    job of the same kind succeeds (sync and refresh both pull; sync and
 *    push both push the outbox), or, when the organization did not answer,
 *    until any refresh, sync or push succeeds: it answers again;
 *  - information (roles OK, NORMAL, DIM, PENDING) also expires after
 *    EMAILCFG_MESSAGE_SECONDS (5) on the loop's timer; warnings and errors
 *    not tied to a job last until the next key. Script mode expires nothing
 *    by time unless EMAILCFG_MESSAGE_SECONDS is set, so its dumps do not
 *    depend on the machine's speed.
 * Any newer message replaces the one shown, with its cause. A job's end
 * reads as a sentence: "sync failed: …", "pushed: the organization has the
 * queued edits" (the table endings). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "tui/app.h"

/* Seconds an information message lasts; 0: until the next key. */
static double message_seconds(const tui_app *app)
{
	const char *v = getenv("EMAILCFG_MESSAGE_SECONDS");
	if (v && *v)
		return atof(v) > 0 ? atof(v) : 0;
	return app->script ? 0 : 5;
}

static bool message_is_info(enum tui_role role)
{
	return role == ROLE_OK || role == ROLE_NORMAL || role == ROLE_DIM || role == ROLE_PENDING;
}

void loop_message(tui_app *app, enum tui_role role, const char *fmt, ...)
{
	va_list ap;
	double secs = message_seconds(app);
	va_start(ap, fmt);
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	va_end(ap);
	app->message_role = role;
	app->message_cause[0] = '\0';
	app->message_net = false;
	app->message_until = message_is_info(role) && secs > 0 ? loop_now() + secs : 0;
	/* "i read" joins the hint line when a message from a job is cut. */
	app->dirty |= RX_MESSAGE | RX_HINTS;
}

void message_clear(tui_app *app)
{
	app->message[0] = '\0';
	app->message_cause[0] = '\0';
	app->message_net = false;
	app->message_until = 0;
	app->dirty |= RX_MESSAGE;
}

void message_keep(tui_app *app)
{
	app->message_until = 0;
}

/* How a job's end reads, by its kind: what failed, as the start of a
 * sentence ("" when the job's own message says it, as Test & Enable's
 * does), and what it did when it succeeded (NULL: "KIND: done"). */
static const struct {
	const char *kind, *failed, *done;
} endings[] = {
    {"sync", N_("sync failed"), N_("synced: queued edits pushed, the cache up to date")},
    {"refresh", N_("refresh failed"), NULL},
    {"push", N_("push failed"), N_("pushed: the organization has the queued edits")},
    {"retry", N_("trying the edit again failed"), N_("tried again: the edit is pushed")},
    {"drop", N_("dropping the edit failed"), N_("the edit is dropped")},
    {"resolve", N_("resolving the conflict failed"), N_("the conflict is resolved")},
    {"password", N_("setting the password failed"), N_("the password is set")},
    {"test", "", N_("Test & Enable finished")},
};

static int message_ending(const char *name)
{
	for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++)
		if (strcmp(name, endings[i].kind) == 0)
			return (int)i;
	return -1;
}

static const char *message_failed_what(const char *name)
{
	int e = message_ending(name);
	if (e < 0)
		return name;
	return endings[e].failed[0] ? _(endings[e].failed) : "";
}

void message_job_failed(tui_app *app, const ec_job_event *ev)
{
	const char *what = message_failed_what(ev->name);
	loop_message(app, ROLE_ERROR, "%s%s%s", what, what[0] ? ": " : "", ev->message);
	tui_copy(app->message_cause, sizeof app->message_cause, ev->name);
	app->message_net = ev->status == EC_NETWORK;
}

static bool message_in(const char *name, const char *const *kinds)
{
	for (; *kinds; kinds++)
		if (strcmp(name, *kinds) == 0)
			return true;
	return false;
}

/* Whether a success of job kind name removes the cause of the message. */
static bool message_cause_gone(const tui_app *app, const char *name)
{
	static const char *const pull[] = {"sync", "refresh", NULL};
	static const char *const push[] = {"sync", "push", NULL};
	static const char *const answers[] = {"sync", "refresh", "push", NULL};
	const char *cause = app->message_cause;
	return strcmp(cause, name) == 0 || (message_in(cause, pull) && message_in(name, pull)) ||
	       (message_in(cause, push) && message_in(name, push)) ||
	       (app->message_net && message_in(name, answers));
}

void message_job_ok(tui_app *app, const char *name)
{
	if (app->message[0] && app->message_cause[0] && message_cause_gone(app, name))
		message_clear(app);
}

unsigned message_tick(tui_app *app, double now)
{
	if (app->message_until <= 0 || now < app->message_until)
		return RX_NONE;
	if (app->message[0])
		message_clear(app);
	app->message_until = 0;
	return RX_MESSAGE;
}

/* A job of kind name succeeded: one sentence of what it did. */
void message_job_done(tui_app *app, const char *name)
{
	int e = message_ending(name);
	if (e >= 0 && endings[e].done)
		loop_message(app, ROLE_OK, "%s", _(endings[e].done));
	else
		loop_message(app, ROLE_OK, _("%s: done"), name);
}
