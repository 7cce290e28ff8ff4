/* bulk.h — the batch actions of the Mailboxes screen and the Mailbox form:
 * Test & Enable, Approve, Apply default settings, and set one field on all,
 * each behind one confirmation that says how many and what (Cancel is the
 * default). */
#ifndef EMAILCFG_TUI_BULK_H
#define EMAILCFG_TUI_BULK_H

#include "tui/app.h"

/* op is OP_TEST, OP_APPROVE, OP_DEFAULTS or OP_SET_FIELD; ids are copied.
 * name: the one mailbox's name when the batch is the current row, else NULL. */
unsigned bulk_start(tui_app *app, int op, char (*ids)[EC_ID_SIZE], int n, const char *name);

/* After a change of methods, profile or address: "Test & Enable now?" (No
 * first); Yes opens Test & Enable's choices on ids. name: the one mailbox's
 * name, or NULL for a batch. */
unsigned bulk_offer_test(tui_app *app, char (*ids)[EC_ID_SIZE], int n, const char *name);

#endif
