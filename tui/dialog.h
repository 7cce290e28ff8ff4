/* dialog.h — the console's sign-in dialog (dialog_signin.c): the
 * device-code flow shown as a dialog while the worker polls. The other
 * dialogs are declared in app.h. */
#ifndef EMAILCFG_TUI_DIALOG_H
#define EMAILCFG_TUI_DIALOG_H

#include <stdbool.h>
#include <wchar.h>

#include "core/jobs/jobs.h"

typedef struct tui_app tui_app;

/* Whether the console must sign the admin in before it can sync: the
 * organization signs in with a device code and no kept sign-in is usable
 * (none, or past its end). Prepares cfg's sign-in defaults (client-id,
 * tenant) on the UI thread, before any job reads cfg. */
bool dialog_signin_needed(tui_app *app);
/* Starts a sign-in on the worker and shows the dialog. */
void dialog_signin_start(tui_app *app);
/* Whether the waiting dialog is on screen (it takes every key). */
bool dialog_signin_open(const tui_app *app);
unsigned dialog_signin_key(tui_app *app, wint_t ch, bool is_code);
void dialog_signin_draw(tui_app *app);
/* The worker finished a job: true when it was the sign-in (then it is
 * handled here: the status line, the first sync, or Try again / Quit). */
bool dialog_signin_done(tui_app *app, const ec_job_event *ev);
/* A job failed with this message: when it says to sign in again and the
 * organization signs in with a device code, the dialog opens. */
void dialog_signin_after_failure(tui_app *app, const char *message);

#endif
