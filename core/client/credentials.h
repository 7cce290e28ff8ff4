/* credentials.h — the mailbox credentials Test & Enable logs in with, from
 * `--credentials FILE`: an INI file, mode 0600, of [mailbox ID|EMAIL] and
 * [profile NAME] sections with username and password. Held in memory for
 * the run only, wiped when freed; never stored or logged. */
#ifndef EMAILCFG_CREDENTIALS_H
#define EMAILCFG_CREDENTIALS_H

#include "core/base/error.h"
#include "core/model/model.h"

typedef struct ec_credentials ec_credentials;

/* Reads the file; EC_LOCAL when it is unreadable, malformed, or readable
 * by group or others ("chmod 600 FILE"). */
int credentials_load(const char *path, ec_credentials **out, ec_error *err);

/* The username and password for a mailbox: its [mailbox ID] or
 * [mailbox EMAIL] section, else its profile's [profile NAME] section.
 * Returns 0 and sets both (borrowed) or -1 when none applies. */
int credentials_find(const ec_credentials *c, const ec_mailbox *m, const char **username,
                     const char **password);

void credentials_free(ec_credentials *c);

#endif
