/* demo.h — `emailcfg --demo`: the bundled demo organization on loopback.
 * Starts ./emailcfg-sim (beside the emailcfg binary, else on PATH) with
 * data/demo-org.json on a free port, points the configuration at it with
 * the demo credentials (the secret stays in memory) and a throwaway cache
 * in a private temporary directory; demo_stop() stops the emulator and
 * removes the directory. */
#ifndef EMAILCFG_CLI_DEMO_H
#define EMAILCFG_CLI_DEMO_H

#include <sys/types.h>

#include "core/base/config.h"
#include "core/base/error.h"

typedef struct cli_demo {
	bool keep_cache; /* --cache was given: use it, not a throwaway one */
	pid_t pid;       /* the emulator, 0 when not running */
	char dir[256];   /* the temporary directory, "" when none */
} cli_demo;

int demo_start(cli_demo *d, ec_config *cfg, ec_error *err);
void demo_stop(cli_demo *d);

#endif
