/* load.h — filling the store at start-up: the data file (data/demo-org.json
 * format: one array of rows per entity set, columns by their wire names,
 * "{{SELF}}" in any string replaced by the emulator's base URL), and the
 * rows every organization has (the organization itself and the
 * application user that WhoAmI returns). */
#ifndef SIM_LOAD_H
#define SIM_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "text.h"

struct sim_identity {
	struct guid business_unit;
	struct guid user; /* the application user of --client-id */
};

extern struct sim_identity sim_identity;

/* Loads path; on failure writes a message to err and returns false. */
bool load_file(const char *path, char *err, size_t errsize);
/* Adds the organization and the application user when missing. */
void load_finish(void);

#endif
