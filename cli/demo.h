/* demo.h — `emailcfg --demo`: the bundled demo organization on loopback.
 * Starts ./emailcfg-sim (beside the emailcfg binary, else on PATH) with
 * data/demo-org.json on a free port and points the configuration at it with
 * the demo credentials (the secret stays in memory).
 *
 * demo_session(): the demo session that `--demo COMMAND` calls share, so one
 * sees another's edits: one emulator and one cache (demo.db) in a state
 * directory ($XDG_RUNTIME_DIR/emailcfg-demo, else /tmp/emailcfg-demo-UID,
 * 0700 and the user's own), with its pid, port and log. A lock file makes
 * concurrent calls start one emulator (and run one at a time); a stale state
 * (the emulator gone) is forgotten and started again. The emulator outlives
 * the command and stops by itself after 30 minutes without a request, or by
 * demo_session_stop().
 *
 * demo_start(): a private emulator and throwaway cache in a temporary
 * directory (the console when no session runs); demo_stop() stops the
 * emulator and removes the directory. */
#ifndef EMAILCFG_CLI_DEMO_H
#define EMAILCFG_CLI_DEMO_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/base/config.h"
#include "core/base/error.h"

/* demo_session(start = false): no session is running. Never an exit status. */
enum { DEMO_NOT_RUNNING = -20 };

typedef struct cli_demo {
	bool keep_cache; /* --cache was given: use it, not the demo's */
	pid_t pid;       /* a private emulator, 0 when none */
	char dir[256];   /* its temporary directory, "" when none */
	bool locked;     /* a command holds the session's lock, lock_fd */
	int lock_fd;
} cli_demo;

int demo_start(cli_demo *d, ec_config *cfg, ec_error *err);
void demo_stop(cli_demo *d);

/* Joins the demo session, starting it when none runs and start is true
 * (DEMO_NOT_RUNNING otherwise). With start (a command) the session's lock is
 * held until demo_stop(), so --demo commands run one at a time. */
int demo_session(cli_demo *d, ec_config *cfg, bool start, ec_error *err);
/* Stops the session's emulator (if any runs) and forgets its state and cache. */
int demo_session_stop(ec_error *err);
/* The session's cache, when its state directory and cache exist (for
 * completion: starts and creates nothing). */
bool demo_session_cache(char *out, size_t size);

#endif
