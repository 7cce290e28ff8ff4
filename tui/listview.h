/* listview.h — the cursor of the small in-memory lists (profiles, alerts,
 * outbox, tests): selection, first visible row, and the usual moves. */
#ifndef EMAILCFG_TUI_LISTVIEW_H
#define EMAILCFG_TUI_LISTVIEW_H

typedef struct listview {
	int n, sel, top, h;
} listview;

/* Applies a navigation op (OP_UP ... OP_END); returns true when it was one. */
int listview_op(listview *l, int op);
/* Keeps sel in range and visible in h rows. */
void listview_fit(listview *l, int h);

#endif
