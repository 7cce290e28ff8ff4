/* cache_mailboxes.c — mailboxes in the cache: upserts by page, one mailbox,
 * selectors (id, email, exact name), the filtered and sorted list with paging
 * for the console's virtual list, the same list walked by one statement (the
 * CLI's listings) and mailboxes looked up by one statement (test planning),
 * counts, ids for bulk commands, the position of a mailbox in a list, and the
 * numbers of the status panel, and whether a mailbox's test results are
 * stale. Reads the outbox for the pending/conflict markers and, with the
 * test runs, for stale results; writes only the mailboxes table. */
#include "core/cache/cache_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/codec/keys.h"
#include "core/model/filter.h"
#include "core/model/rules.h"
#include "core/model/options.h"
#include "core/base/sanitize.h"

/* The pending_edits and conflict columns that follow the model's columns. */
#define MAILBOX_MARKERS_EDITS                                                                      \
	", (SELECT count(*) FROM outbox o WHERE o.entity = 'mailbox' AND o.target_id = m.id "      \
	"AND o.state IN ('queued', 'conflict')), EXISTS (SELECT 1 FROM outbox o WHERE o.entity "   \
	"= 'mailbox' AND o.target_id = m.id AND o.state = 'conflict')"

/* The tests_stale column after them: what cache_mailbox_tests_stale() asks
 * of one mailbox, asked in the list's own query so a screenful costs a few
 * index lookups per row (outbox_target, test_runs_mailbox) and no query per
 * row on draw; ec_needs_test() is cache_changes_need_test() (registered by
 * cache.c). */
#define MAILBOX_MARKER_STALE                                                                       \
	", EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'mailbox' AND o.target_id = m.id "      \
	"AND o.state IN ('queued', 'sent') AND o.created_on > max(COALESCE(m.test_completed_on, "  \
	"''), COALESCE((SELECT max(started_on) FROM test_runs t WHERE t.mailbox_id = m.id), '')) " \
	"AND ec_needs_test(o.changes))"

/* Since when it fails (the Mailboxes list's column): a lookup per row through
 * status_changes_mailbox, only for the rows a page reads. */
#define MAILBOX_MARKER_SINCE ", " FILTER_FAILING_SINCE_SQL

#define MAILBOX_MARKERS MAILBOX_MARKERS_EDITS MAILBOX_MARKER_STALE MAILBOX_MARKER_SINCE

/* "SELECT <mailbox columns and markers> FROM mailboxes m " */
static FILE *select_mailboxes(char **buf, size_t *size)
{
	FILE *f = cache_sql_open(buf, size);
	fputs("SELECT ", f);
	cache_cols_write(f, cache_mailbox_cols, cache_mailbox_ncols, "m.");
	fputs(MAILBOX_MARKERS " FROM mailboxes m ", f);
	return f;
}

static void read_mailbox(sqlite3_stmt *st, ec_mailbox *m)
{
	mailbox_init(m);
	cache_cols_read(st, 0, cache_mailbox_cols, cache_mailbox_ncols, m);
	m->pending_edits = sqlite3_column_int(st, cache_mailbox_ncols);
	m->conflict = sqlite3_column_int(st, cache_mailbox_ncols + 1) != 0;
	m->tests_stale = sqlite3_column_int(st, cache_mailbox_ncols + 2) != 0;
	cache_col_copy(st, cache_mailbox_ncols + 3, m->failing_since, sizeof m->failing_since);
}

/* ---- Upserts ----------------------------------------------------------- */

static void bind_folded(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, cache_fold(s), -1, free);
}

int cache_put_mailboxes(ec_cache *c, const ec_mailbox *rows, int n, ec_error *err)
{
	static const char *const extra[] = {"name_folded", "email_folded", "owner_folded",
	                                    "profile_folded"};
	const int k = cache_mailbox_ncols;
	char *sql = cache_upsert_sql("mailboxes", "id", cache_mailbox_cols, k, extra, 4);
	sqlite3_stmt *st = NULL;
	int status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	free(sql);
	for (int i = 0; i < n && status == EC_OK; i++) {
		const ec_mailbox *m = &rows[i];
		cache_cols_bind(st, 1, cache_mailbox_cols, k, m);
		bind_folded(st, k + 1, m->name);
		bind_folded(st, k + 2, m->email);
		bind_folded(st, k + 3, m->owner);
		bind_folded(st, k + 4, m->profile_name);
		status = cache_step_done(c, st, "storing mailboxes", err);
	}
	sqlite3_finalize(st);
	return cache_tx_end(c, status, err);
}

/* ---- One mailbox ------------------------------------------------------- */

int cache_get_mailbox(ec_cache *c, const char *id, ec_mailbox *out, ec_error *err)
{
	char *buf = NULL;
	size_t size;
	FILE *f = select_mailboxes(&buf, &size);
	sqlite3_stmt *st;
	int rc, status;
	fputs("WHERE m.id = lower(?)", f);
	status = cache_prepare(c, cache_sql_close(f, &buf), &st, err);
	free(buf);
	mailbox_init(out);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_mailbox(st, out);
	else if (rc == SQLITE_DONE)
		status = cache_not_found(
		    err, EC_USAGE, "no mailbox with id '%.64s' in the cache; run `emailcfg sync`",
		    id ? id : "");
	else
		status = cache_fail_rc(c, rc, err, "reading a mailbox");
	sqlite3_finalize(st);
	return status;
}

/* Steps st and collects the first column of every row as an id. */
static int collect_ids(ec_cache *c, sqlite3_stmt *st, char (**ids)[EC_ID_SIZE], long *n,
                       ec_error *err)
{
	char(*arr)[EC_ID_SIZE] = NULL;
	long count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			arr = ec_xrealloc(arr, EC_ID_SIZE * (unsigned long)cap);
		}
		cache_col_copy(st, 0, arr[count++], EC_ID_SIZE);
	}
	*ids = arr;
	*n = count;
	return rc == SQLITE_DONE ? EC_OK : cache_fail_rc(c, rc, err, "listing mailboxes");
}

/* The hint for a selector that matched nothing: a command to paste, with
 * the selector quoted for a shell. A selector too long to quote whole gets
 * no command: a cut one would not be the same search. */
static int fail_no_match(const char *sel, ec_error *err)
{
	char *word = sanitize_quote_shell(sel);
	int rc;
	if (strlen(word) > 256)
		rc = ec_fail(err, EC_USAGE,
		             "no mailbox matches '%.64s'; search with `emailcfg mailboxes "
		             "--filter TEXT`",
		             sel);
	else
		rc = ec_fail(err, EC_USAGE,
		             "no mailbox matches '%.64s'; try `emailcfg mailboxes --filter %s`",
		             sel, word);
	free(word);
	return rc;
}

int cache_select_mailboxes(ec_cache *c, const char *sel, char (**ids)[EC_ID_SIZE], int *n,
                           ec_error *err)
{
	static const char sql[] = "SELECT id FROM mailboxes WHERE id = ?1 OR email_folded = ?1 "
	                          "OR (name_folded = ?1 AND name = ?2) ORDER BY name_folded, id";
	char *folded = cache_fold(sel);
	sqlite3_stmt *st;
	long count = 0;
	int status = cache_prepare(c, sql, &st, err);
	*ids = NULL;
	*n = 0;
	if (status == EC_OK) {
		sqlite3_bind_text(st, 1, folded, -1, SQLITE_STATIC);
		cache_bind_text(st, 2, sel ? sel : "");
		status = collect_ids(c, st, ids, &count, err);
		sqlite3_finalize(st);
	}
	free(folded);
	*n = (int)count;
	if (status == EC_OK && count == 0)
		status = fail_no_match(sel ? sel : "", err);
	return status;
}

/* ---- Lists ------------------------------------------------------------- */

static void bind_filter(sqlite3_stmt *st, const ec_filter *f)
{
	for (int i = 0; i < f->nparams; i++) {
		if (f->params[i].is_text)
			sqlite3_bind_text(st, i + 1, f->params[i].text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, i + 1, f->params[i].num);
	}
}

/* Compiles filter and sort (sort may be NULL for no ORDER BY) and prepares
 * head + WHERE + ORDER BY + tail with the filter's parameters bound; the
 * caller binds the tail's parameters from f->nparams + 1 on. */
static int prepare_list(ec_cache *c, const char *head, const char *filter, const char *sort,
                        const char *tail, ec_filter *f, sqlite3_stmt **st, ec_error *err)
{
	char *order = NULL, *buf = NULL;
	size_t size;
	FILE *sql;
	int status = filter_compile(filter, f, err);
	if (status == EC_OK && sort)
		status = filter_order_by(sort, &order, err);
	if (status != EC_OK)
		return status;
	sql = cache_sql_open(&buf, &size);
	fprintf(sql, "%s WHERE %s", head, f->where);
	if (order)
		fprintf(sql, " ORDER BY %s", order);
	fprintf(sql, " %s", tail);
	status = cache_prepare(c, cache_sql_close(sql, &buf), st, err);
	free(buf);
	free(order);
	if (status == EC_OK)
		bind_filter(*st, f);
	return status;
}

int cache_list_mailboxes(ec_cache *c, const char *filter, const char *sort, long offset, int limit,
                         ec_mailbox **rows, int *n, ec_error *err)
{
	char *head = NULL;
	size_t size;
	ec_filter f;
	sqlite3_stmt *st;
	ec_mailbox *arr = NULL;
	int rc, count = 0, cap = 0, status;

	*rows = NULL;
	*n = 0;
	cache_sql_close(select_mailboxes(&head, &size), &head);
	status = prepare_list(c, head, filter, sort ? sort : "", "LIMIT ? OFFSET ?", &f, &st, err);
	free(head);
	if (status != EC_OK) {
		filter_free(&f);
		return status;
	}
	sqlite3_bind_int(st, f.nparams + 1, limit < 0 ? -1 : limit);
	sqlite3_bind_int64(st, f.nparams + 2, offset > 0 ? offset : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : (limit > 0 && limit < 4096 ? limit : 64);
			arr = ec_xrealloc(arr, sizeof *arr * (unsigned long)cap);
		}
		read_mailbox(st, &arr[count++]);
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "listing mailboxes");
	sqlite3_finalize(st);
	filter_free(&f);
	*rows = arr;
	*n = count;
	return status;
}

/* A walk (or a lookup) reads the file through a memory map while it runs:
 * in name order the rows are scattered over the file, and copying each page in through
 * pread() took a third of a 100,000-row listing. (The cache file never
 * shrinks, no VACUUM, so the map cannot lose its pages under a reader.) */
#define WALK_MMAP_ON  "PRAGMA mmap_size = 1073741824"
#define WALK_MMAP_OFF "PRAGMA mmap_size = 0"

/* Whether any outbox entry is queued or in conflict; true when it cannot
 * tell, so the markers are then computed. */
static bool outbox_active(ec_cache *c)
{
	sqlite3_stmt *st;
	bool active = true;
	if (cache_prepare(c,
	                  "SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ('queued', "
	                  "'conflict'))",
	                  &st, NULL) != EC_OK)
		return true;
	if (sqlite3_step(st) == SQLITE_ROW)
		active = sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	return active;
}

/* Whether an outbox entry, queued or sent, changed a mailbox's methods,
 * profile or address (ec_needs_test): only then can a mailbox's test
 * results be stale. One pass over the outbox; true when it cannot tell. */
static bool outbox_needs_test(ec_cache *c)
{
	sqlite3_stmt *st;
	bool any = true;
	if (cache_prepare(c,
	                  "SELECT EXISTS (SELECT 1 FROM outbox WHERE entity = 'mailbox' AND state "
	                  "IN ('queued', 'sent') AND ec_needs_test(changes))",
	                  &st, NULL) != EC_OK)
		return true;
	if (sqlite3_step(st) == SQLITE_ROW)
		any = sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	return any;
}

/* The columns of select_mailboxes() with `unreadable` read as NULL: no
 * listing shows it, and while rows kept their raw JSON (before schema 7)
 * it sat behind it, so reading it walked every row's overflow pages. With
 * nothing queued the edit markers are constants: two outbox lookups per row
 * were a tenth of a listing. tests_stale (the list's '?') is asked in the
 * same statement, a few index lookups per row, and is a constant 0 when no
 * outbox entry changed methods, profile or address. (Inside a snapshot, as
 * the CLI's listing and test planning run, the checks and the rows see the
 * same outbox.) */
static FILE *select_walk(ec_cache *c, char **buf, size_t *size)
{
	FILE *f = cache_sql_open(buf, size);
	fputs("SELECT ", f);
	for (int i = 0; i < cache_mailbox_ncols; i++) {
		const char *name = cache_mailbox_cols[i].name;
		fprintf(f, "%s%s%s", i ? ", " : "", strcmp(name, "unreadable") ? "m." : "NULL AS ",
		        name);
	}
	fputs(outbox_active(c) ? MAILBOX_MARKERS_EDITS : ", 0, 0", f);
	fputs(outbox_needs_test(c) ? MAILBOX_MARKER_STALE : ", 0", f);
	fputs(", NULL FROM mailboxes m ", f);
	return f;
}

struct cache_mailbox_walk {
	ec_cache *c;
	sqlite3_stmt *st;
	ec_filter f; /* its parameters stay bound while the walk runs */
};

int cache_walk_mailboxes_open(ec_cache *c, const char *filter, const char *sort,
                              cache_mailbox_walk **w, ec_error *err)
{
	char *head = NULL;
	size_t size;
	cache_mailbox_walk *walk = ec_xcalloc(1, sizeof *walk);
	int status;
	walk->c = c;
	/* Best effort: without the map the walk is slower, not wrong. */
	sqlite3_exec(c->db, WALK_MMAP_ON, NULL, NULL, NULL);
	cache_sql_close(select_walk(c, &head, &size), &head);
	status = prepare_list(c, head, filter, sort ? sort : "", "", &walk->f, &walk->st, err);
	free(head);
	if (status != EC_OK) {
		cache_walk_mailboxes_close(walk);
		walk = NULL;
	}
	*w = walk;
	return status;
}

int cache_walk_mailboxes_next(cache_mailbox_walk *w, ec_mailbox *m, bool *row, ec_error *err)
{
	int rc = sqlite3_step(w->st);
	*row = rc == SQLITE_ROW;
	if (*row) {
		read_mailbox(w->st, m);
		return EC_OK;
	}
	mailbox_init(m);
	return rc == SQLITE_DONE ? EC_OK : cache_fail_rc(w->c, rc, err, "listing mailboxes");
}

void cache_walk_mailboxes_close(cache_mailbox_walk *w)
{
	if (!w)
		return;
	sqlite3_finalize(w->st);
	sqlite3_exec(w->c->db, WALK_MMAP_OFF, NULL, NULL, NULL);
	filter_free(&w->f);
	free(w);
}

struct cache_mailbox_lookup {
	ec_cache *c;
	sqlite3_stmt *st;
};

int cache_lookup_mailboxes_open(ec_cache *c, cache_mailbox_lookup **l, ec_error *err)
{
	char *sql = NULL;
	size_t size;
	FILE *f = select_walk(c, &sql, &size);
	cache_mailbox_lookup *look = ec_xcalloc(1, sizeof *look);
	int status;
	fputs("WHERE m.id = lower(?)", f);
	status = cache_prepare(c, cache_sql_close(f, &sql), &look->st, err);
	free(sql);
	look->c = c;
	if (status != EC_OK) {
		free(look);
		look = NULL;
	} else {
		sqlite3_exec(c->db, WALK_MMAP_ON, NULL, NULL, NULL);
	}
	*l = look;
	return status;
}

int cache_lookup_mailbox(cache_mailbox_lookup *l, const char *id, ec_mailbox *out, ec_error *err)
{
	int rc, status = EC_OK;
	mailbox_init(out);
	sqlite3_reset(l->st);
	cache_bind_text(l->st, 1, id);
	rc = sqlite3_step(l->st);
	if (rc == SQLITE_ROW)
		read_mailbox(l->st, out);
	else if (rc == SQLITE_DONE)
		status = cache_not_found(
		    err, EC_USAGE, "no mailbox with id '%.64s' in the cache; run `emailcfg sync`",
		    id ? id : "");
	else
		status = cache_fail_rc(l->c, rc, err, "reading a mailbox");
	sqlite3_reset(l->st);
	return status;
}

void cache_lookup_mailboxes_close(cache_mailbox_lookup *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->st);
	sqlite3_exec(l->c->db, WALK_MMAP_OFF, NULL, NULL, NULL);
	free(l);
}

int cache_count_mailboxes(ec_cache *c, const char *filter, long *count, ec_error *err)
{
	ec_filter f;
	sqlite3_stmt *st;
	int rc, status = prepare_list(c, "SELECT count(*) FROM mailboxes m", filter, NULL, "", &f,
	                              &st, err);
	*count = 0;
	if (status == EC_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*count = sqlite3_column_int64(st, 0);
		else
			status = cache_fail_rc(c, rc, err, "counting mailboxes");
		sqlite3_finalize(st);
	}
	filter_free(&f);
	return status;
}

int cache_list_mailbox_ids(ec_cache *c, const char *filter, const char *sort,
                           char (**ids)[EC_ID_SIZE], long *n, ec_error *err)
{
	ec_filter f;
	sqlite3_stmt *st;
	int status = prepare_list(c, "SELECT m.id FROM mailboxes m", filter, sort ? sort : "", "",
	                          &f, &st, err);
	*ids = NULL;
	*n = 0;
	if (status == EC_OK) {
		/* Through the map, as a walk: `test --all` reads 100,000 ids in
		 * name order, each from its row's page. */
		sqlite3_exec(c->db, WALK_MMAP_ON, NULL, NULL, NULL);
		status = collect_ids(c, st, ids, n, err);
		sqlite3_finalize(st);
		sqlite3_exec(c->db, WALK_MMAP_OFF, NULL, NULL, NULL);
	}
	filter_free(&f);
	return status;
}

int cache_index_of_mailbox(ec_cache *c, const char *filter, const char *sort, const char *id,
                           long *index, ec_error *err)
{
	char *order = NULL, *head = NULL;
	size_t size;
	FILE *sql;
	ec_filter f;
	sqlite3_stmt *st;
	int rc, status = filter_order_by(sort, &order, err);

	*index = -1;
	if (status != EC_OK)
		return status;
	sql = cache_sql_open(&head, &size);
	fprintf(sql,
	        "SELECT pos FROM (SELECT m.rowid AS rid, row_number() OVER (ORDER BY %s) - 1 "
	        "AS pos FROM mailboxes m",
	        order);
	cache_sql_close(sql, &head);
	free(order);
	status = prepare_list(c, head, filter, NULL,
	                      ") WHERE rid = (SELECT rowid FROM mailboxes WHERE id = lower(?))", &f,
	                      &st, err);
	free(head);
	if (status == EC_OK) {
		cache_bind_text(st, f.nparams + 1, id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*index = sqlite3_column_int64(st, 0);
		else if (rc != SQLITE_DONE)
			status = cache_fail_rc(c, rc, err, "finding a mailbox in the list");
		sqlite3_finalize(st);
	}
	filter_free(&f);
	return status;
}

/* ---- Status numbers ---------------------------------------------------- */

struct channel_sql {
	const char *method, *status;
	int sss; /* the method's server-side-sync wire value */
};

static const struct channel_sql channels[] = {
    {"incoming", "incoming_status", INCOMING_SSS},
    {"outgoing", "outgoing_status", OUTGOING_SSS},
    {"act", "act_status", ACT_SSS},
};

/* Active as the views say it (state:active): the panel's numbers equal the
 * lists their filters give (tui/panel_status.c builds those filters). */
#define ACTIVE "state IS 0"

/* Four sums per channel: success, failure, not run, not used. */
static void write_channel_sums(FILE *f, const struct channel_sql *ch)
{
	fprintf(f, ", sum(" ACTIVE " AND %s IS %d AND %s IS %d)", ch->method, ch->sss, ch->status,
	        STATUS_SUCCESS);
	fprintf(f, ", sum(" ACTIVE " AND %s IS %d AND %s IS %d)", ch->method, ch->sss, ch->status,
	        STATUS_FAILURE);
	fprintf(f, ", sum(" ACTIVE " AND %s IS %d AND %s IS NOT %d AND %s IS NOT %d)", ch->method,
	        ch->sss, ch->status, STATUS_SUCCESS, ch->status, STATUS_FAILURE);
	fprintf(f, ", sum(" ACTIVE " AND %s IS NOT %d)", ch->method, ch->sss);
}

static char *status_sql(void)
{
	char *buf = NULL;
	size_t size;
	FILE *f = cache_sql_open(&buf, &size);
	fputs("WITH s AS (SELECT COALESCE((SELECT approve_users FROM settings), 1) AS u, "
	      "COALESCE((SELECT approve_queues FROM settings), 1) AS q) "
	      "SELECT count(*), sum(" ACTIVE "), sum(state IS 1)",
	      f);
	for (int i = 0; i < 3; i++)
		write_channel_sums(f, &channels[i]);
	/* Blocking mail: neither approved nor rejected, of a kind the
	 * organization requires approval for (both kinds: any but a forward
	 * mailbox), so that one filter lists exactly these (panel_status.c). */
	fprintf(f,
	        ", sum(" ACTIVE " AND approval IS NOT %d AND approval IS NOT %d AND CASE WHEN s.u "
	        "AND s.q THEN owner_type IS NOT %d WHEN s.u THEN owner_type IS %d WHEN s.q THEN "
	        "owner_type IS %d ELSE 0 END)",
	        APPROVAL_APPROVED, APPROVAL_REJECTED, OWNER_FORWARD, OWNER_USER, OWNER_QUEUE);
	fprintf(f,
	        ", sum(" ACTIVE " AND approval IS NOT %d AND approval IS NOT %d), max(s.u), "
	        "max(s.q)",
	        APPROVAL_APPROVED, APPROVAL_REJECTED);
	fprintf(f, ", sum(" ACTIVE " AND approval IS %d)", APPROVAL_REJECTED);
	fputs(", (SELECT count(*) FROM outbox WHERE state = 'queued')"
	      ", (SELECT count(*) FROM outbox WHERE state = 'conflict')"
	      ", (SELECT count(*) FROM outbox WHERE state = 'failed')",
	      f);
	fprintf(f,
	        ", (SELECT count(*) FROM alerts WHERE level = %d)"
	        ", (SELECT count(*) FROM alerts WHERE level = %d)"
	        ", (SELECT count(*) FROM alerts WHERE level = %d)",
	        LEVEL_ERROR, LEVEL_WARNING, LEVEL_INFORMATION);
	fputs(", (SELECT count(*) FROM profiles), (SELECT count(*) FROM mailboxes WHERE unreadable "
	      "IS NOT NULL) + (SELECT count(*) FROM profiles WHERE unreadable IS NOT NULL) + "
	      "(SELECT count(*) FROM alerts WHERE unreadable IS NOT NULL)"
	      ", (SELECT max(last_sync) FROM sync_state)"
	      " FROM mailboxes, s",
	      f);
	return cache_sql_close(f, &buf);
}

static void read_channel(sqlite3_stmt *st, int *col, struct ec_channel_counts *ch)
{
	ch->success = sqlite3_column_int64(st, (*col)++);
	ch->failure = sqlite3_column_int64(st, (*col)++);
	ch->not_run = sqlite3_column_int64(st, (*col)++);
	ch->not_used = sqlite3_column_int64(st, (*col)++);
}

int cache_status_counts(ec_cache *c, struct ec_status_counts *out, ec_error *err)
{
	char *sql = status_sql();
	sqlite3_stmt *st;
	int rc, col = 0, status = cache_prepare(c, sql, &st, err);
	free(sql);
	memset(out, 0, sizeof *out);
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->mailboxes = sqlite3_column_int64(st, col++);
		out->active = sqlite3_column_int64(st, col++);
		out->inactive = sqlite3_column_int64(st, col++);
		read_channel(st, &col, &out->incoming);
		read_channel(st, &col, &out->outgoing);
		read_channel(st, &col, &out->act);
		out->approval_pending = sqlite3_column_int64(st, col++);
		out->approval_waiting = sqlite3_column_int64(st, col++);
		out->approve_users = sqlite3_column_int64(st, col++) != 0;
		out->approve_queues = sqlite3_column_int64(st, col++) != 0;
		out->approval_rejected = sqlite3_column_int64(st, col++);
		out->queued = sqlite3_column_int64(st, col++);
		out->conflicts = sqlite3_column_int64(st, col++);
		out->failed = sqlite3_column_int64(st, col++);
		out->alert_errors = sqlite3_column_int64(st, col++);
		out->alert_warnings = sqlite3_column_int64(st, col++);
		out->alert_information = sqlite3_column_int64(st, col++);
		out->profiles = sqlite3_column_int64(st, col++);
		out->unreadable = sqlite3_column_int64(st, col++);
		cache_col_copy(st, col, out->last_sync, sizeof out->last_sync);
	} else {
		status = cache_fail_rc(c, rc, err, "counting for the status panel");
	}
	sqlite3_finalize(st);
	return status;
}

/* The changes JSON of an outbox entry ({"key": value, ...}, as json-c
 * writes it): does it name a key that calls for a new test? Values are
 * escaped strings, so a quote followed by a key and a colon is a key. */
bool cache_changes_need_test(const char *changes)
{
	for (int i = 0; changes && i < keys_mailbox_count; i++) {
		char quoted[72];
		const char *at;
		if (!rules_key_needs_test(keys_mailbox[i].key))
			continue;
		snprintf(quoted, sizeof quoted, "\"%s\":", keys_mailbox[i].key);
		if ((at = strstr(changes, quoted)) && at > changes &&
		    (at[-1] == '{' || at[-1] == ' ' || at[-1] == ','))
			return true;
	}
	return false;
}

int cache_mailbox_tests_stale(ec_cache *c, const ec_mailbox *m, bool *stale, ec_error *err)
{
	static const char sql[] =
	    "SELECT changes FROM outbox WHERE entity = 'mailbox' AND target_id = ?1 AND state IN "
	    "('queued', 'sent') AND created_on > max(?2, COALESCE((SELECT max(started_on) FROM "
	    "test_runs WHERE mailbox_id = ?1), ''))";
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	*stale = false;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, m->id);
	cache_bind_text(st, 2, m->test_completed_on);
	while (!*stale && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*stale = cache_changes_need_test((const char *)sqlite3_column_text(st, 0));
	if (!*stale && rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading the outbox");
	sqlite3_finalize(st);
	return status;
}
