/* listview.c — moves over a small in-memory list (see listview.h). Pure. */
#include "tui/listview.h"

#include "tui/app.h"

void listview_fit(listview *l, int h)
{
	l->h = h > 0 ? h : 1;
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + l->h)
		l->top = l->sel - l->h + 1;
	if (l->top > l->n - l->h)
		l->top = l->n - l->h;
	if (l->top < 0)
		l->top = 0;
}

int listview_op(listview *l, int op)
{
	int page = l->h > 1 ? l->h - 1 : 1;
	switch (op) {
	case OP_UP: l->sel--; break;
	case OP_DOWN: l->sel++; break;
	case OP_PGUP: l->sel -= page; break;
	case OP_PGDN: l->sel += page; break;
	case OP_HOME: l->sel = 0; break;
	case OP_END: l->sel = l->n - 1; break;
	default: return 0;
	}
	listview_fit(l, l->h);
	return 1;
}
