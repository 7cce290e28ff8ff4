/* tui.h — the console's one entry point for cli/main.c: opens the cache,
 * starts the background worker, runs the event loop until the admin quits
 * (or a script ends), and restores the terminal on every exit path. */
#ifndef EMAILCFG_TUI_H
#define EMAILCFG_TUI_H

#include <stdio.h>

#include "core/base/config.h"
#include "core/base/error.h"

/* Runs the console on cfg (borrowed). Returns an ec_status; err says what
 * failed. EMAILCFG_SCRIPT=FILE runs it headless from a script (tui/script.c). */
int tui_run(ec_config *cfg, ec_error *err);

/* The key table as Markdown, from the one command table that also drives
 * the key map, the help overlay and the hint line (emailcfg --keys; the
 * README's key section is this output). */
void tui_print_keys(FILE *out);

#endif
