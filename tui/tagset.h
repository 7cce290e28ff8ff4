/* tagset.h — a set of mailbox ids (the Mailboxes screen's tags). */
#ifndef EMAILCFG_TUI_TAGSET_H
#define EMAILCFG_TUI_TAGSET_H

#include <stdbool.h>

#include "core/model/model.h"

typedef struct tagset {
	char (*slots)[EC_ID_SIZE];
	unsigned long cap, n;
} tagset;

bool tagset_has(const tagset *t, const char *id);
void tagset_add(tagset *t, const char *id);
void tagset_remove(tagset *t, const char *id);
void tagset_clear(tagset *t);
/* Every id (caller frees *ids); returns how many. */
long tagset_ids(const tagset *t, char (**ids)[EC_ID_SIZE]);

#endif
