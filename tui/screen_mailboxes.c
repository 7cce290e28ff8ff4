/* screen_mailboxes.c — the home screen: a virtual list of mailboxes over
 * the cache (only the visible rows are read), columns that fit the width
 * (name, email, type, incoming, outgoing, ACT, the three statuses as
 * symbols, approval, how long it has failed, server profile, pending/conflict
 * marker), the filter applied as you type, find with n/N, sort by any column, tags, and the
 * bulk actions (handed to tui/bulk.c). The selection follows the mailbox id
 * across refreshes. Reads the cache; changes go through worker jobs. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/timefmt.h"
#include "core/model/filter.h"
#include "core/base/i18n.h"
#include "core/model/options.h"
#include "core/model/views.h"
#include "tui/app.h"
#include "tui/bulk.h"
#include "tui/pager.h"
#include "tui/tagset.h"

enum col_id {
	C_MARK,
	C_NAME,
	C_EMAIL,
	C_TYPE,
	C_IN,
	C_OUT,
	C_ACT,
	C_STAT,
	C_APPR,
	C_SINCE,
	C_PROF,
	NCOL
};

typedef struct col_def {
	const char *title;
	const char *sort; /* filter.h sort key */
	int min, max, prio, weight;
} col_def;

static const col_def cols[NCOL] = {
    [C_MARK] = {"", "pending", 2, 2, 0, 0},
    [C_NAME] = {NC_("column", "Name"), "name", 10, 40, 0, 4},
    [C_EMAIL] = {NC_("column", "Email"), "email", 12, 40, 1, 3},
    [C_TYPE] = {NC_("column", "Type"), "type", 7, 7, 3, 0},
    [C_IN] = {NC_("column", "In"), "incoming", 7, 7, 2, 0},
    [C_OUT] = {NC_("column", "Out"), "outgoing", 7, 7, 2, 0},
    [C_ACT] = {NC_("column", "ACT"), "act", 7, 7, 2, 0},
    [C_STAT] = {NC_("column", "I O A"), "incoming-status", 5, 5, 0, 0},
    [C_APPR] = {NC_("column", "Approval"), "approval", 8, 8, 3, 0},
    [C_SINCE] = {NC_("column", "Failing"), "since", 7, 8, 4, 0},
    [C_PROF] = {NC_("column", "Profile"), "profile", 10, 30, 4, 2},
};

static struct {
	char filter[512]; /* the last valid filter typed */
	/* The view (views.h): its name, its title for the header, its filter;
	 * query is the view's filter and the typed one, both applying: what
	 * every question about the list asks. */
	char view[40], view_title[80], view_filter[512], query[512];
	char sort[40];       /* filter.h sort key, "-key" descending */
	lineedit edit;       /* the filter being typed */
	lineedit_tab tab;    /* Tab completion of its keys and values */
	bool editing, typed; /* typed: text not applied yet (type-ahead) */
	char error[300];     /* why the typed filter is not valid */
	long count, sel, top;
	/* The reader's questions: gen tags what the list shows (filter, sort,
	 * data); counting until the count of this gen came, paging until the
	 * rows did (the UI thread gave up within its budget), pos_gen also
	 * moves with every key that moves the selection (a position answer
	 * then comes too late to apply), ids_op the bulk op waiting for ids. */
	long gen, pos_gen, ids_gen;
	bool counting, paging;
	int ids_op;
	char sel_id[EC_ID_SIZE];
	ec_mailbox *rows;
	int nrows, visible;
	char find[200];
	tagset tags;
	int width[NCOL];
} mb = {.sort = "name", .view = ""};

/* The UI thread reads one screenful within this budget, else the reader does. */
#define MB_BUDGET_MS 8

/* ---- data --------------------------------------------------------------------- */

static void mb_take_rows(ec_mailbox *rows, int n)
{
	cache_free_mailboxes(mb.rows, mb.nrows);
	mb.rows = rows;
	mb.nrows = n;
	if (mb.sel - mb.top >= 0 && mb.sel - mb.top < mb.nrows)
		memcpy(mb.sel_id, mb.rows[mb.sel - mb.top].id, EC_ID_SIZE);
}

static void mb_fetch_rows(tui_app *app)
{
	ec_error err;
	ec_mailbox *rows = NULL;
	int n = 0;
	bool done = true;
	if (view_list_page(app->cache, mb.query, mb.sort, mb.top, mb.visible, MB_BUDGET_MS, &rows,
	                   &n, &done, &err) != EC_OK)
		loop_message(app, ROLE_ERROR, "%s", err.msg);
	if (!done) { /* a slow filter: keep what is shown, the reader reads it */
		view_request rq;
		cache_free_mailboxes(rows, n);
		memset(&rq, 0, sizeof rq);
		rq.kind = VIEW_PAGE, rq.gen = mb.gen, rq.offset = mb.top, rq.limit = mb.visible;
		tui_copy(rq.filter, sizeof rq.filter, mb.query);
		tui_copy(rq.sort, sizeof rq.sort, mb.sort);
		view_ask(app->view, &rq);
		mb.paging = true;
		return;
	}
	mb.paging = false;
	mb_take_rows(rows, n);
}

/* How far the selection may go: the count, or while it is being counted
 * the rows read so far. */
static long mb_bound(void)
{
	return mb.counting ? mb.top + mb.nrows : mb.count;
}

/* Keeps sel inside the list and top so that sel is visible. */
static void mb_clamp(void)
{
	long count = mb_bound();
	if (mb.sel >= count)
		mb.sel = count - 1;
	if (mb.sel < 0)
		mb.sel = 0;
	if (mb.top > mb.sel)
		mb.top = mb.sel;
	if (mb.visible > 0 && mb.sel >= mb.top + mb.visible)
		mb.top = mb.sel - mb.visible + 1;
	if (!mb.counting && mb.top > count - mb.visible)
		mb.top = count - mb.visible;
	if (mb.top < 0)
		mb.top = 0;
}

static void mb_view_take(const char *name, const char *title, const char *filter)
{
	tui_copy(mb.view, sizeof mb.view, name);
	tui_copy(mb.view_title, sizeof mb.view_title, title);
	tui_copy(mb.view_filter, sizeof mb.view_filter, filter);
}

/* The view's filter, then the typed one. The console opens on the view
 * VIEWS_DEFAULT, as Dynamics 365 does. A pair too long for the reader's
 * requests keeps the view alone and says so, rather than cutting a term. */
static void mb_compose_query(tui_app *app)
{
	int n;
	if (!mb.view[0]) {
		const ec_view *v = views_find_builtin(VIEWS_DEFAULT);
		mb_view_take(v->name, _(v->title), v->filter);
	}
	n = snprintf(mb.query, sizeof mb.query, "%s%s%s", mb.view_filter,
	             mb.view_filter[0] && mb.filter[0] ? " " : "", mb.filter);
	if (n >= (int)sizeof mb.query) {
		tui_copy(mb.query, sizeof mb.query, mb.view_filter);
		loop_message(app, ROLE_ERROR, "%s",
		             _("the filter is too long together with the view's; shorten it"));
	}
}

/* The rows at the current place are read at once (within the budget); the
 * count and the selected mailbox's new position come from the reader. */
static void mb_reload(tui_app *app)
{
	mb_compose_query(app);
	mb.visible = app->r_body.h - 2;
	mb.gen++;
	mb.pos_gen = mb.gen;
	mb.counting = true;
	loop_ask(app, VIEW_COUNT, mb.gen, mb.query, mb.sort, NULL);
	if (mb.sel_id[0])
		loop_ask(app, VIEW_INDEX, mb.gen, mb.query, mb.sort, mb.sel_id);
	mb_fetch_rows(app);
	if (!mb.paging && mb.nrows == 0 && mb.top > 0) { /* the list got shorter */
		mb.top = mb.sel = 0;
		mb_fetch_rows(app);
	}
	if (!mb.paging && mb.sel - mb.top >= mb.nrows && mb.nrows > 0)
		mb.sel = mb.top + mb.nrows - 1;
}

static void mb_answer_count(tui_app *app, view_answer *a)
{
	long old_top = mb.top;
	mb.counting = false;
	mb.count = a->status == EC_OK ? a->value : 0;
	if (a->status != EC_OK)
		loop_message(app, ROLE_ERROR, "%s", a->err.msg);
	mb_clamp();
	if (mb.top != old_top) /* also while paging: the page asked is elsewhere now */
		mb_fetch_rows(app);
}

/* The selected mailbox moved in the list (a refresh, a new filter): it stays
 * selected, on the same screen row if it can. */
static void mb_answer_index(tui_app *app, view_answer *a)
{
	long old_top = mb.top;
	if (a->gen != mb.pos_gen || a->status != EC_OK || a->value < 0)
		return;
	mb.top += a->value - mb.sel;
	mb.sel = a->value;
	mb_clamp();
	if (mb.top != old_top)
		mb_fetch_rows(app);
}

static void mb_answer_page(view_answer *a)
{
	if (a->rq.offset != mb.top || a->status != EC_OK)
		return;
	mb.paging = false;
	mb_take_rows(a->rows, a->nrows);
	a->rows = NULL, a->nrows = 0; /* kept */
	if (mb.sel - mb.top >= mb.nrows && mb.nrows > 0)
		mb.sel = mb.top + mb.nrows - 1;
}

static unsigned mb_answer_ids(tui_app *app, view_answer *a);

unsigned mailboxes_answer(tui_app *app, view_answer *a)
{
	if (a->kind == VIEW_IDS)
		return mb_answer_ids(app, a);
	if (a->gen != mb.gen)
		return RX_NONE; /* asked for a filter, sort or data no longer shown */
	switch (a->kind) {
	case VIEW_COUNT: mb_answer_count(app, a); break;
	case VIEW_INDEX: mb_answer_index(app, a); break;
	case VIEW_PAGE: mb_answer_page(a); break;
	default: return RX_NONE;
	}
	return app->screen == SCR_MAILBOXES ? RX_BODY : RX_NONE;
}

bool mailboxes_paging(const tui_app *app)
{
	(void)app;
	return mb.paging;
}

static void mb_move(tui_app *app, long to)
{
	long old_top = mb.top;
	mb.pos_gen++; /* the admin moved: a late position answer must not move it back */
	mb.sel = to;
	mb_clamp();
	if (mb.top != old_top || mb.nrows == 0)
		mb_fetch_rows(app);
	else if (mb.sel - mb.top < mb.nrows)
		memcpy(mb.sel_id, mb.rows[mb.sel - mb.top].id, EC_ID_SIZE);
}

/* End: the last screenful by the reversed order, not an OFFSET walk. */
static void mb_end(tui_app *app)
{
	ec_mailbox *rows = NULL;
	int n = 0;
	ec_error err;
	if (mb.counting) { /* not counted yet: as far as what was read */
		mb_move(app, mb_bound() - 1);
		return;
	}
	mb.pos_gen++;
	if (view_list_last(app->cache, mb.query, mb.sort, mb.visible, &rows, &n, &err) != EC_OK) {
		loop_message(app, ROLE_ERROR, "%s", err.msg);
		return;
	}
	mb.sel = mb.count - 1;
	mb.top = mb.count - n;
	mb.paging = false;
	mb_clamp();
	mb_take_rows(rows, n);
}

/* ---- filter --------------------------------------------------------------------- */

void mailboxes_set_filter(tui_app *app, const char *expr)
{
	snprintf(mb.filter, sizeof mb.filter, "%s", expr ? expr : "");
	mb.error[0] = '\0';
	mb_reload(app);
}

void mailboxes_show(tui_app *app, const char *view, const char *expr)
{
	const ec_view *v = views_find_builtin(view);
	if (v)
		mb_view_take(v->name, _(v->title), v->filter);
	mb.editing = false;
	mb.sel = mb.top = 0;
	mb.sel_id[0] = '\0';
	mailboxes_set_filter(app, expr);
}

bool mailboxes_filter_editing(const tui_app *app)
{
	(void)app;
	return mb.editing;
}

/* Applies the typed text when it is a valid filter; keeps the last valid
 * one (and says why) when it is not. */
static unsigned mb_filter_typed(tui_app *app)
{
	char *text = lineedit_text(&mb.edit);
	ec_filter f;
	ec_error err;
	mb.typed = false;
	if (filter_compile(text, &f, &err) == EC_OK) {
		filter_free(&f);
		tui_copy(mb.filter, sizeof mb.filter, text);
		mb.error[0] = '\0';
		mb_reload(app);
	} else {
		tui_copy(mb.error, sizeof mb.error, err.msg);
	}
	free(text);
	return RX_BODY | RX_MESSAGE;
}

static unsigned mb_filter_key(tui_app *app, wint_t ch, bool is_code)
{
	if (!is_code && ch == 27) {
		mb.editing = false;
		mailboxes_set_filter(app, "");
		loop_message(app, ROLE_DIM, "%s", _("filter cleared"));
		return RX_BODY | RX_MESSAGE | RX_HINTS;
	}
	if ((!is_code && (ch == '\r' || ch == '\n')) || (is_code && ch == KEY_ENTER)) {
		mailboxes_flush_typing(app);
		mb.editing = false;
		if (mb.error[0])
			loop_message(app, ROLE_WARN, _("kept the last valid filter: %s"), mb.error);
		else
			app->message[0] = '\0';
		mb.error[0] = '\0';
		return RX_BODY | RX_MESSAGE | RX_HINTS;
	}
	if (is_code && (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_NPAGE || ch == KEY_PPAGE))
		return RX_NONE; /* the list still scrolls while typing */
	if (!is_code && ch == '\t') {
		if (lineedit_complete(&mb.edit, filter_complete, &mb.tab))
			mb.typed = true;
		return RX_MESSAGE;
	}
	mb.tab.active = false;
	if (lineedit_key(&mb.edit, ch, is_code)) {
		mb.typed = true; /* applied once the keys already typed are read */
		return RX_MESSAGE;
	}
	return RX_MESSAGE;
}

unsigned mailboxes_flush_typing(tui_app *app)
{
	return mb.typed ? mb_filter_typed(app) : RX_NONE;
}

bool mailboxes_typing(const tui_app *app)
{
	(void)app;
	return mb.typed;
}

void mailboxes_draw_prompt(tui_app *app, tui_rect r)
{
	int x = draw_span(app, r.y, r.x, r.w, ROLE_KEY, "/");
	int cx;
	if (mb.error[0]) {
		int ew = r.w / 2;
		cx = lineedit_draw(app, &mb.edit, r.y, r.x + x, r.w - x - ew, false);
		draw_text(app, r.y, r.x + r.w - ew, ew, ROLE_ERROR, mb.error);
	} else {
		cx = lineedit_draw(app, &mb.edit, r.y, r.x + x, r.w - x, false);
	}
	draw_cursor(app, r.y, cx, true);
}

/* ---- find (n / N) -------------------------------------------------------------- */

/* The filter plus the find text as one quoted word. */
static void mb_find_filter(char *out, size_t size)
{
	size_t o = (size_t)snprintf(out, size, "%s \"", mb.query);
	for (const char *p = mb.find; *p && o + 3 < size; p++) {
		if (*p == '"' || *p == '\\')
			out[o++] = '\\';
		out[o++] = *p;
	}
	snprintf(out + o, size - o, "\"");
}

/* The list index of the k-th match, or -1. */
static long mb_match_index(tui_app *app, const char *combined, long k)
{
	ec_mailbox *row = NULL;
	int n = 0;
	long idx = -1;
	ec_error err;
	if (cache_list_mailboxes(app->cache, combined, mb.sort, k, 1, &row, &n, &err) == EC_OK &&
	    n == 1)
		cache_index_of_mailbox(app->cache, mb.query, mb.sort, row[0].id, &idx, &err);
	cache_free_mailboxes(row, n);
	return idx;
}

/* Matches are in list order, so their indexes grow with k: a binary search
 * finds the next (or previous) one in a few queries, even at 100,000. */
static unsigned mb_find_step(tui_app *app, bool forward)
{
	char combined[800];
	long total = 0, lo = 0, hi, k;
	ec_error err;
	if (!mb.find[0]) {
		loop_message(app, ROLE_DIM, "%s", _("nothing to find yet; press f"));
		return RX_MESSAGE;
	}
	mb_find_filter(combined, sizeof combined);
	if (cache_count_mailboxes(app->cache, combined, &total, &err) != EC_OK || total == 0) {
		loop_message(app, ROLE_WARN, _("no mailbox matches '%s'"), mb.find);
		return RX_MESSAGE;
	}
	hi = total;
	while (lo < hi) { /* first k whose index > sel (forward) or >= sel (back) */
		long mid = (lo + hi) / 2, idx = mb_match_index(app, combined, mid);
		if (forward ? idx > mb.sel : idx >= mb.sel)
			hi = mid;
		else
			lo = mid + 1;
	}
	k = forward ? (lo < total ? lo : 0) : (lo > 0 ? lo - 1 : total - 1);
	mb_move(app, mb_match_index(app, combined, k));
	loop_message(app, ROLE_NORMAL, _("'%s': match %ld of %ld"), mb.find, k + 1, total);
	return RX_BODY | RX_MESSAGE;
}

static void mb_find_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)ctx;
	if (choice < 0 || !text)
		return;
	snprintf(mb.find, sizeof mb.find, "%s", text);
	app->dirty |= mb_find_step(app, true);
}

/* ---- sort --------------------------------------------------------------------- */

static void mb_sort_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (choice < 0)
		return;
	for (int i = 0, n = 0; i < filter_key_count; i++) {
		if (!filter_keys[i].sort)
			continue;
		if (n++ == choice) {
			tui_copy(mb.sort, sizeof mb.sort, filter_keys[i].key);
			break;
		}
	}
	mb_reload(app);
	app->dirty |= RX_BODY;
}

static unsigned mb_sort_pick(tui_app *app)
{
	dialog_item items[32];
	int n = 0, cur = 0;
	const char *now = mb.sort[0] == '-' ? mb.sort + 1 : mb.sort;
	for (int i = 0; i < filter_key_count && n < 32; i++) {
		if (!filter_keys[i].sort)
			continue;
		if (strcmp(filter_keys[i].key, now) == 0)
			cur = n;
		items[n++] = (dialog_item){filter_keys[i].key, NULL, false};
	}
	dialog_pick(app, _("Sort by"), items, n, cur, mb_sort_done, NULL);
	return RX_OVERLAY;
}

/* ---- views (v) ------------------------------------------------------------------- */

#define MB_VIEWS_MAX 64

/* The saved views, read when the picker opens (another emailcfg may have
 * saved one since); a file it cannot read is said, and the built-in
 * views are offered alone. */
static void mb_views_load(tui_app *app, ec_saved_views *saved)
{
	ec_error err;
	char *path = views_file_path(app->cfg);
	if (views_load(path, saved, &err) != EC_OK)
		loop_message(app, ROLE_ERROR, "%s", err.msg);
	free(path);
}

static void mb_view_done(tui_app *app, int choice, const char *text, void *ctx)
{
	ec_saved_views saved;
	int i = choice - views_builtin_count;
	(void)text;
	(void)ctx;
	if (choice < 0)
		return;
	if (choice < views_builtin_count) {
		const ec_view *v = &views_builtin[choice];
		mb_view_take(v->name, _(v->title), v->filter);
	} else {
		ec_error err;
		mb_views_load(app, &saved);
		if (i >= saved.count) { /* the file changed under the picker: keep the view */
			views_free(&saved);
			return;
		}
		if (views_check_filter(saved.filters[i], &err) != EC_OK) { /* edited by hand */
			loop_message(app, ROLE_ERROR, _("the view %s is not a valid filter: %s"),
			             saved.names[i], err.msg);
			views_free(&saved);
			app->dirty |= RX_MESSAGE;
			return;
		}
		mb_view_take(saved.names[i], saved.names[i], saved.filters[i]);
		views_free(&saved);
	}
	mb.sel = mb.top = 0;
	mb_reload(app);
	loop_message(app, ROLE_DIM, _("view: %s"), mb.view_title);
	app->dirty |= RX_BODY | RX_MESSAGE;
}

static unsigned mb_view_pick(tui_app *app)
{
	dialog_item items[MB_VIEWS_MAX];
	char labels[MB_VIEWS_MAX][160];
	ec_saved_views saved;
	int n = 0, cur = 0;
	mb_views_load(app, &saved);
	for (int i = 0; i < views_builtin_count && n < MB_VIEWS_MAX; i++, n++) {
		snprintf(labels[n], sizeof labels[n], "%-34s %s", _(views_builtin[i].title),
		         views_builtin[i].name);
		cur = strcmp(views_builtin[i].name, mb.view) == 0 ? n : cur;
	}
	for (int i = 0; i < saved.count && n < MB_VIEWS_MAX; i++, n++) {
		snprintf(labels[n], sizeof labels[n], "%-34.34s %s", saved.names[i],
		         saved.filters[i]);
		cur = strcmp(saved.names[i], mb.view) == 0 ? n : cur;
	}
	for (int i = 0; i < n; i++)
		items[i] = (dialog_item){labels[i], NULL, false};
	views_free(&saved);
	dialog_pick(app, _("View"), items, n, cur, mb_view_done, NULL);
	return RX_OVERLAY | RX_MESSAGE;
}

static unsigned mb_sort_reverse(tui_app *app)
{
	char key[40];
	bool desc = mb.sort[0] == '-';
	tui_copy(key, sizeof key, desc ? mb.sort + 1 : mb.sort);
	mb.sort[0] = '-';
	tui_copy(mb.sort + (desc ? 0 : 1), sizeof mb.sort - 1, key);
	mb_reload(app);
	return RX_BODY;
}

/* ---- tags and selection --------------------------------------------------------- */

static unsigned mb_tag(tui_app *app)
{
	if (!mb.sel_id[0])
		return RX_NONE;
	if (tagset_has(&mb.tags, mb.sel_id))
		tagset_remove(&mb.tags, mb.sel_id);
	else
		tagset_add(&mb.tags, mb.sel_id);
	mb_move(app, mb.sel + 1);
	return RX_BODY;
}

/* Every id of a filter (tag all) or of the whole list (the tagged ones in
 * list order, for a batch) is a walk over up to every mailbox: the reader
 * does it, and the op goes on when its answer comes (mb_answer_ids). */
static unsigned mb_ask_ids(tui_app *app, int op, const char *filter, const char *what)
{
	mb.ids_op = op;
	loop_ask(app, VIEW_IDS, ++mb.ids_gen, filter, mb.sort, NULL);
	loop_message(app, ROLE_PENDING, "%s", what);
	return RX_MESSAGE;
}

static unsigned mb_tag_all(tui_app *app)
{
	return mb_ask_ids(app, OP_TAG_ALL, mb.query, _("tagging what the filter shows..."));
}

static unsigned mb_tagged_done(tui_app *app, long n)
{
	loop_message(app, ROLE_NORMAL,
	             ngettext("tagged %ld mailbox (%lu in all)",
	                      "tagged %ld mailboxes (%lu in all)", (unsigned long)n),
	             n, mb.tags.n);
	return RX_BODY | RX_MESSAGE;
}

/* The entry point of the Alerts screen's tag key: exactly these tags. */
void mailboxes_tag_only(tui_app *app, char (*ids)[EC_ID_SIZE], int n)
{
	tagset_clear(&mb.tags);
	for (int i = 0; i < n; i++)
		tagset_add(&mb.tags, ids[i]);
	mb_tagged_done(app, n);
}

/* The tagged ids in the list's sort order (so batches run in the order
 * the admin sees), from every id in that order; the set's own order when
 * the cache could not be read. */
static int mb_tagged_in_order(const view_answer *a, char (**ids)[EC_ID_SIZE])
{
	int out = 0;
	if (a->status != EC_OK)
		return (int)tagset_ids(&mb.tags, ids);
	*ids = ec_xcalloc(mb.tags.n, sizeof **ids);
	for (long i = 0; i < a->value && (unsigned long)out < mb.tags.n; i++)
		if (tagset_has(&mb.tags, a->ids[i]))
			memcpy((*ids)[out++], a->ids[i], EC_ID_SIZE);
	return out;
}

static const char *mb_selected_name(void)
{
	if (mb.sel - mb.top >= 0 && mb.sel - mb.top < mb.nrows)
		return mb.rows[mb.sel - mb.top].name;
	return NULL;
}

static unsigned mb_answer_ids(tui_app *app, view_answer *a)
{
	char(*ids)[EC_ID_SIZE] = NULL;
	int n;
	unsigned rx;
	if (a->gen != mb.ids_gen || !mb.ids_op)
		return RX_NONE;
	if (mb.ids_op == OP_TAG_ALL) {
		mb.ids_op = 0;
		if (a->status != EC_OK) {
			loop_message(app, ROLE_ERROR, "%s", a->err.msg);
			return RX_MESSAGE;
		}
		for (long i = 0; i < a->value; i++)
			tagset_add(&mb.tags, a->ids[i]);
		return mb_tagged_done(app, a->value);
	}
	n = mb_tagged_in_order(a, &ids);
	rx = bulk_start(app, mb.ids_op, ids, n, NULL);
	mb.ids_op = 0;
	free(ids);
	app->message[0] = '\0';
	app->message_role = ROLE_NORMAL;
	return rx | RX_MESSAGE;
}

static unsigned mb_bulk(tui_app *app, int op)
{
	char(*ids)[EC_ID_SIZE] = NULL;
	unsigned rx;
	if (mb.tags.n > 0)
		return mb_ask_ids(app, op, NULL, _("collecting the tagged mailboxes..."));
	if (!mb.sel_id[0] || mb.count == 0) {
		loop_message(app, ROLE_WARN, "%s", _("no mailbox selected"));
		return RX_MESSAGE;
	}
	ids = ec_xcalloc(1, sizeof *ids);
	memcpy(ids[0], mb.sel_id, EC_ID_SIZE);
	rx = bulk_start(app, op, ids, 1, mb_selected_name());
	free(ids);
	return rx;
}

unsigned mailboxes_click(tui_app *app, int y, int x)
{
	(void)x;
	if (y < app->r_body.y + 2 || y >= app->r_body.y + 2 + mb.visible)
		return RX_NONE;
	if (mb.top + (y - app->r_body.y - 2) >= mb.count)
		return RX_NONE;
	mb_move(app, mb.top + (y - app->r_body.y - 2));
	return RX_BODY;
}

/* ---- commands --------------------------------------------------------------------- */

static unsigned mb_nav(tui_app *app, int op)
{
	long page = mb.visible > 1 ? mb.visible - 1 : 1;
	switch (op) {
	case OP_UP: mb_move(app, mb.sel - 1); break;
	case OP_DOWN: mb_move(app, mb.sel + 1); break;
	case OP_PGUP:
		mb.top -= page;
		mb_move(app, mb.sel - page);
		mb_fetch_rows(app);
		break;
	case OP_PGDN:
		mb.top += page;
		mb_move(app, mb.sel + page);
		mb_fetch_rows(app);
		break;
	case OP_HOME: mb_move(app, 0); break;
	case OP_END: mb_end(app); break;
	default: return RX_NONE;
	}
	return RX_BODY;
}

static unsigned mb_read(tui_app *app);

unsigned mailboxes_cmd(tui_app *app, int op)
{
	switch (op) {
	case OP_READ: return mb_read(app);
	case OP_ENTER:
		if (!mb.sel_id[0] || mb.count == 0)
			return RX_NONE;
		mailbox_open(app, mb.sel_id);
		return RX_ALL | RX_RELOAD;
	case OP_ESC:
		if (mb.filter[0]) {
			mailboxes_set_filter(app, "");
			loop_message(app, ROLE_DIM, "%s", _("filter cleared"));
			return RX_BODY | RX_MESSAGE;
		}
		return RX_NONE;
	case OP_FILTER:
		mb.editing = true;
		mb.error[0] = '\0';
		mb.tab.active = false;
		lineedit_set(&mb.edit, mb.filter);
		return RX_MESSAGE | RX_HINTS;
	case OP_FIND:
		dialog_prompt(app, _("Find (name, email or owner)"), mb.find, false, mb_find_done,
		              NULL);
		return RX_OVERLAY;
	case OP_NEXT: return mb_find_step(app, true);
	case OP_PREV: return mb_find_step(app, false);
	case OP_SORT: return mb_sort_pick(app);
	case OP_VIEW: return mb_view_pick(app);
	case OP_REVERSE: return mb_sort_reverse(app);
	case OP_TAG: return mb_tag(app);
	case OP_TAG_ALL: return mb_tag_all(app);
	case OP_UNTAG_ALL:
		tagset_clear(&mb.tags);
		loop_message(app, ROLE_DIM, "%s", _("tags cleared"));
		return RX_BODY | RX_MESSAGE;
	case OP_TEST:
	case OP_APPROVE:
	case OP_DEFAULTS:
	case OP_SET_FIELD: return mb_bulk(app, op);
	}
	return mb_nav(app, op);
}

/* The filter's keys say why a filter is refused on the message line:
 * kept for i to read whole. */
static unsigned mb_key(tui_app *app, wint_t ch, bool is_code)
{
	unsigned rx = mb.editing ? mb_filter_key(app, ch, is_code) : RX_NONE;
	if (rx != RX_NONE)
		pager_keep_message(app);
	return rx;
}

/* ---- drawing --------------------------------------------------------------------- */

/* Which columns fit, and how wide: drop by priority, then share the rest. */
static void mb_layout(int width)
{
	int used, maxprio = 4, spare;
	for (;;) {
		used = 0;
		for (int c = 0; c < NCOL; c++)
			if (cols[c].prio <= maxprio)
				used += cols[c].min + 1;
		if (used <= width || maxprio == 0)
			break;
		maxprio--;
	}
	spare = width - used;
	for (int c = 0; c < NCOL; c++)
		mb.width[c] = cols[c].prio <= maxprio ? cols[c].min : 0;
	while (spare > 0) {
		int given = 0;
		for (int c = 0; c < NCOL && spare > 0; c++)
			for (int k = 0; k < cols[c].weight && spare > 0 && mb.width[c] &&
			                mb.width[c] < cols[c].max;
			     k++)
				mb.width[c]++, spare--, given++;
		if (!given)
			break;
	}
	if (spare > 0)
		mb.width[C_NAME] += spare;
}

static void mb_draw_title(tui_app *app, tui_rect r)
{
	char buf[700];
	const char *arrow =
	    mb.sort[0] == '-' ? draw_sym(app, "\u25bc", "v") : draw_sym(app, "\u25b2", "^");
	/* While the reader counts, the first screenful is shown with "..." */
	int n = snprintf(buf, sizeof buf, "%s  ", mb.view_title);
	n += mb.counting ? snprintf(buf + n, sizeof buf - (size_t)n,
	                            ngettext("... of %'ld mailbox", "... of %'ld mailboxes",
	                                     (unsigned long)app->counts.mailboxes),
	                            app->counts.mailboxes)
	                 : snprintf(buf + n, sizeof buf - (size_t)n,
	                            ngettext("%'ld of %'ld mailbox", "%'ld of %'ld mailboxes",
	                                     (unsigned long)app->counts.mailboxes),
	                            mb.count, app->counts.mailboxes);
	/* The filter as it applies: the view's terms and the typed ones. */
	if (mb.query[0])
		n += snprintf(buf + n, sizeof buf - (size_t)n, _("  filter: %s"), mb.query);
	if (mb.tags.n)
		n += snprintf(buf + n, sizeof buf - (size_t)n, _("  tagged %lu"), mb.tags.n);
	snprintf(buf + n, sizeof buf - (size_t)n, _("  sort %s %s"),
	         mb.sort[0] == '-' ? mb.sort + 1 : mb.sort, arrow);
	draw_text(app, r.y, r.x, r.w, ROLE_NORMAL, buf);
	if (mb.count > 0 || mb.counting) {
		char pos[64];
		if (mb.counting)
			snprintf(pos, sizeof pos, " %ld/...", mb.sel + 1);
		else
			snprintf(pos, sizeof pos, " %ld/%ld", mb.sel + 1, mb.count);
		draw_text(app, r.y, r.x + r.w - (int)strlen(pos), (int)strlen(pos), ROLE_DIM, pos);
	}
}

static void mb_draw_header(tui_app *app, tui_rect r)
{
	int x = r.x;
	const char *key = mb.sort[0] == '-' ? mb.sort + 1 : mb.sort;
	draw_text(app, r.y + 1, r.x, r.w, ROLE_HEADER, "");
	for (int c = 0; c < NCOL; c++) {
		char t[64];
		if (!mb.width[c])
			continue;
		snprintf(t, sizeof t, "%s%s", cols[c].title[0] ? C_("column", cols[c].title) : "",
		         strcmp(cols[c].sort, key) == 0 && c != C_MARK
		             ? (mb.sort[0] == '-' ? draw_sym(app, "\u25bc", "v")
		                                  : draw_sym(app, "\u25b2", "^"))
		             : "");
		draw_text(app, r.y + 1, x, mb.width[c], ROLE_HEADER, t);
		x += mb.width[c] + 1;
	}
}

/* An inactive mailbox's name is dimmed; where dim cannot be seen (no
 * colour, or ASCII) it also says so in words, so it never passes for an
 * active one. */
static void mb_draw_name(tui_app *app, const ec_mailbox *m, int y, int x, int w, bool sel)
{
	bool inactive = m->state == STATE_INACTIVE;
	char marked[600];
	const char *name = m->name;
	if (inactive && (!app->color || app->ascii)) {
		snprintf(marked, sizeof marked, _("[inactive] %s"), m->name ? m->name : "");
		name = marked;
	}
	draw_text(app, y, x, w,
	          sel                           ? ROLE_SELECTED
	          : tagset_has(&mb.tags, m->id) ? ROLE_TAGGED
	          : inactive                    ? ROLE_DIM
	                                        : ROLE_NORMAL,
	          name);
}

/* How long the mailbox has failed ("3h 20m"), from the sync history; ""
 * when it does not fail or its failure is older than the history. */
static const char *mb_failing_for(const ec_mailbox *m, char *buf, size_t size)
{
	time_t since;
	if (!timefmt_parse_utc(m->failing_since, &since))
		return "";
	timefmt_age((long long)(time(NULL) - since), buf, size);
	return buf;
}

/* The text of a column that is plain text (not the marks or the symbols). */
static const char *mb_cell_text(const ec_mailbox *m, int c, char *shown, size_t size)
{
	const char *s = "";
	switch (c) {
	case C_NAME: s = m->name; break;
	case C_EMAIL: s = m->email; break;
	case C_TYPE: s = opt_show_slug(&opt_owner_type, m->owner_type, shown, size); break;
	case C_IN: s = tui_method_short(SET_INCOMING, m->incoming, shown, size); break;
	case C_OUT: s = tui_method_short(SET_OUTGOING, m->outgoing, shown, size); break;
	case C_ACT: s = tui_method_short(SET_ACT, m->act, shown, size); break;
	case C_APPR: s = opt_show_slug(&opt_approval, m->approval, shown, size); break;
	case C_SINCE: s = mb_failing_for(m, shown, size); break;
	case C_PROF: s = m->profile_name; break;
	}
	return s ? s : "";
}

static void mb_draw_cell(tui_app *app, const ec_mailbox *m, int c, int y, int x, bool sel)
{
	enum tui_role base = sel ? ROLE_SELECTED : ROLE_NORMAL, r;
	const char *s = "";
	char shown[24];
	int w = mb.width[c];
	switch (c) {
	case C_MARK:
		draw_text(app, y, x, 1, sel || !tagset_has(&mb.tags, m->id) ? base : ROLE_TAGGED,
		          tagset_has(&mb.tags, m->id) ? "*" : " ");
		draw_text(app, y, x + 1, 1,
		          sel                    ? base
		          : m->conflict          ? ROLE_CONFLICT
		          : m->pending_edits > 0 ? ROLE_PENDING
		                                 : base,
		          m->conflict            ? "!"
		          : m->pending_edits > 0 ? "~"
		                                 : " ");
		return;
	case C_NAME: mb_draw_name(app, m, y, x, w, sel); return;
	case C_STAT: {
		const int st[3] = {m->incoming_status, m->outgoing_status, m->act_status};
		draw_text(app, y, x, w, base, "");
		for (int i = 0; i < 3; i++) {
			s = draw_status_symbol(app, st[i], &r);
			draw_text(app, y, x + i * 2, 1, sel ? base : r, s);
		}
		/* In the space after the symbols (every column has one, so no
		 * layout moves): approval and test results predate a change. */
		if (m->tests_stale)
			draw_text(app, y, x + w, 1, sel ? base : ROLE_WARN, "?");
		return;
	}
	default: s = mb_cell_text(m, c, shown, sizeof shown); break;
	}
	draw_text(app, y, x, w,
	          !sel && c == C_APPR && m->approval != APPROVAL_APPROVED ? ROLE_WARN : base, s);
}

/* i: the selected row whole, every column (also those the width left out),
 * one a line, in the pager. */
static unsigned mb_read(tui_app *app)
{
	const ec_mailbox *m;
	char *text = NULL, shown[24];
	size_t size = 0;
	FILE *out;
	if (mb.count == 0 || mb.sel < mb.top || mb.sel - mb.top >= mb.nrows ||
	    !(out = open_memstream(&text, &size)))
		return RX_NONE;
	m = &mb.rows[mb.sel - mb.top];
	for (int c = C_NAME; c < NCOL; c++) {
		enum tui_role r;
		if (c != C_STAT) {
			fprintf(out, "%s: %s\n", C_("column", cols[c].title),
			        mb_cell_text(m, c, shown, sizeof shown));
			continue;
		}
		fprintf(out, "%s: %s", C_("column", cols[c].title),
		        draw_status_symbol(app, m->incoming_status, &r));
		fprintf(out, " %s", draw_status_symbol(app, m->outgoing_status, &r));
		fprintf(out, " %s\n", draw_status_symbol(app, m->act_status, &r));
	}
	fclose(out);
	pager_open(app, m->name ? m->name : "", text);
	free(text);
	return RX_OVERLAY;
}

/* Whether the row shows less than i reads: a column left out, or a text
 * shortened to its column. */
static bool mb_row_cut(const ec_mailbox *m)
{
	char shown[24];
	for (int c = C_NAME; c < NCOL; c++)
		if (c != C_STAT && (!mb.width[c] || pager_text_width(mb_cell_text(
		                                        m, c, shown, sizeof shown)) > mb.width[c]))
			return true;
	return false;
}

static void mb_draw(tui_app *app, tui_rect r)
{
	bool cut = false; /* the selected row: the hint offers i when it is cut */
	if (mb.visible != r.h - 2) {
		mb.visible = r.h - 2;
		mb_clamp();
		mb_fetch_rows(app);
	}
	mb_layout(r.w);
	draw_fill(app, r, ROLE_NORMAL);
	mb_draw_title(app, r);
	mb_draw_header(app, r);
	for (int i = 0; i < mb.nrows && i < mb.visible; i++) {
		const ec_mailbox *m = &mb.rows[i];
		bool sel = mb.top + i == mb.sel;
		int x = r.x, y = r.y + 2 + i;
		if (sel) {
			draw_text(app, y, r.x, r.w, ROLE_SELECTED, "");
			cut = mb_row_cut(m);
		}
		for (int c = 0; c < NCOL; c++) {
			if (!mb.width[c])
				continue;
			mb_draw_cell(app, m, c, y, x, sel);
			x += mb.width[c] + 1;
		}
	}
	pager_note_cut(app, cut);
	if (mb.paging)
		draw_text(app, r.y + 2 + (mb.nrows < mb.visible ? mb.nrows : mb.visible - 1),
		          r.x + 2, r.w - 2, ROLE_DIM, _("searching..."));
	else if (mb.count == 0 && !mb.counting)
		draw_text(app, r.y + 3, r.x + 2, r.w - 2, ROLE_DIM,
		          mb.filter[0]
		              ? _("no mailbox matches the filter; Esc clears it")
		              : _("no mailboxes in the cache yet; the first sync fills it"));
}

static void mb_enter(tui_app *app)
{
	(void)app;
}

const tui_screen screen_mailboxes = {
    .title = N_("Mailboxes"),
    .enter = mb_enter,
    .reload = mb_reload,
    .draw = mb_draw,
    .key = mb_key,
    .unsaved = NULL,
};
