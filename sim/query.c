/* query.c — query options and keyset paging (see query.h). */
#include "query.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cookie.h"
#include "hostile.h"

struct qparam {
	char *name;
	char *value;
	const char *raw; /* the whole name=value segment */
	size_t rawlen;
};

/* Splits the raw query into decoded parameters; returns how many. */
static int params_split(const char *raw, struct qparam *out, int max)
{
	int n = 0;
	while (raw && *raw && n < max) {
		const char *amp = strchr(raw, '&');
		size_t len = amp ? (size_t)(amp - raw) : strlen(raw);
		const char *eq = memchr(raw, '=', len);
		size_t nlen = eq ? (size_t)(eq - raw) : len;
		if (len) {
			out[n].raw = raw;
			out[n].rawlen = len;
			out[n].name = pct_decode(raw, nlen, true);
			out[n].value = eq ? pct_decode(eq + 1, len - nlen - 1, true) : strdup("");
			if (out[n].name && out[n].value)
				n++;
			else {
				free(out[n].name);
				free(out[n].value);
			}
		}
		raw = amp ? amp + 1 : raw + len;
	}
	return n;
}

static void params_free(struct qparam *p, int n)
{
	for (int i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].value);
	}
}

char *query_param(const char *raw_query, const char *name)
{
	struct qparam p[64];
	int n = params_split(raw_query, p, 64);
	char *found = NULL;
	for (int i = 0; i < n && !found; i++)
		if (!strcmp(p[i].name, name))
			found = strdup(p[i].value);
	params_free(p, n);
	return found;
}

static bool property_error(const struct entity *e, const char *name, size_t len,
                           struct sim_err *err)
{
	sim_err_set(err, 400, "0x80060888",
	            "Could not find a property named '%.*s' on type 'Microsoft.Dynamics.CRM.%s'.",
	            (int)len, name, e->logical);
	return false;
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static int readable_column(const struct entity *e, const char *name, size_t len)
{
	int c = schema_column_index(e, name, len);
	return c >= 0 && (e->cols[c].flags & F_READ) ? c : -1;
}

static bool parse_select(struct query *q, const char *text, struct sim_err *err)
{
	q->select_all = false;
	q->proj.all = false;
	q->proj.ncols = 0;
	const char *s = text;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		const char *name = s;
		trim(&name, &len);
		int c = readable_column(q->e, name, len);
		if (c < 0)
			return property_error(q->e, name, len, err);
		bool dup = false;
		for (int i = 0; i < q->proj.ncols; i++)
			dup |= q->proj.cols[i] == c;
		if (!dup && q->proj.ncols < (int)(sizeof q->proj.cols / sizeof q->proj.cols[0]))
			q->proj.cols[q->proj.ncols++] = c;
		if (!comma)
			return true;
		s = comma + 1;
	}
}

static bool parse_order_item(struct query *q, const char *s, size_t len, struct sim_err *err)
{
	trim(&s, &len);
	const char *sp = memchr(s, ' ', len);
	size_t nlen = sp ? (size_t)(sp - s) : len;
	bool desc = false;
	if (sp) {
		const char *dir = sp;
		size_t dlen = len - nlen;
		trim(&dir, &dlen);
		if (dlen == 4 && !memcmp(dir, "desc", 4))
			desc = true;
		else if (!(dlen == 3 && !memcmp(dir, "asc", 3))) {
			sim_err_set(
			    err, 400, "0x80060888",
			    "Syntax error: character '%.*s' is not valid at position %zu in "
			    "'%.*s'.",
			    (int)dlen, dir, nlen + 1, (int)len, s);
			return false;
		}
	}
	int c = readable_column(q->e, s, nlen);
	if (c < 0)
		return property_error(q->e, s, nlen, err);
	if (q->norder >= QUERY_MAX_ORDER) {
		sim_err_set(err, 400, "0x80060888", "Too many $orderby keys (at most %d).",
		            QUERY_MAX_ORDER);
		return false;
	}
	q->order[q->norder].col = c;
	q->order[q->norder].desc = desc;
	q->norder++;
	return true;
}

static bool parse_orderby(struct query *q, const char *text, struct sim_err *err)
{
	q->norder = 0;
	const char *s = text;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (!parse_order_item(q, s, len, err))
			return false;
		if (!comma)
			return true;
		s = comma + 1;
	}
}

static void order_finish(struct query *q)
{
	for (int i = 0; i < q->norder; i++)
		if (q->order[i].col == q->e->pk)
			return;
	q->order[q->norder].col = q->e->pk;
	q->order[q->norder].desc = false;
	q->norder++;
}

static bool parse_top(struct query *q, const char *text, struct sim_err *err)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (!isdigit((unsigned char)*text) || *end || v < 0) {
		sim_err_set(err, 400, "0x80060888",
		            "Invalid value '%s' for $top query option found. The $top query option "
		            "requires a non-negative integer value.",
		            text);
		return false;
	}
	q->has_top = true;
	q->top = v;
	return true;
}

static bool parse_count(struct query *q, const char *text, struct sim_err *err)
{
	if (strcmp(text, "true") && strcmp(text, "false")) {
		sim_err_set(err, 400, "0x80060888", "'%s' is not a valid count option.", text);
		return false;
	}
	q->count = !strcmp(text, "true");
	return true;
}

static const char *const collection_only[] = {"$filter", "$orderby", "$top", "$count",
                                              "$skiptoken"};

static bool check_names(const struct qparam *p, int n, bool collection, struct sim_err *err)
{
	static const char *const known[] = {"$select", "$filter",    "$orderby",   "$top",
	                                    "$count",  "$skiptoken", "$deltatoken"};
	for (int i = 0; i < n; i++) {
		if (p[i].name[0] != '$')
			continue;
		bool ok = false;
		for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
			ok |= !strcmp(p[i].name, known[k]);
		for (size_t k = 0; !collection && k < 5; k++)
			ok &= strcmp(p[i].name, collection_only[k]) != 0;
		if (!ok) {
			sim_err_set(err, 400, "0x80060888",
			            "The query parameter '%s' is not supported.", p[i].name);
			return false;
		}
		for (int j = 0; j < i; j++) {
			if (!strcmp(p[i].name, p[j].name)) {
				sim_err_set(
				    err, 400, "0x80060888",
				    "Query option '%s' was specified more than once, but it "
				    "must be specified at most once.",
				    p[i].name);
				return false;
			}
		}
	}
	return true;
}

static void rest_build(struct query *q, const struct qparam *p, int n)
{
	struct buf b = {0};
	for (int i = 0; i < n; i++) {
		if (!strcmp(p[i].name, "$skiptoken"))
			continue;
		if (b.len)
			buf_putc(&b, '&');
		buf_put(&b, p[i].raw, p[i].rawlen);
	}
	q->query_rest = buf_take(&b);
}

static bool apply_param(struct query *q, const struct qparam *p, struct sim_err *err)
{
	if (!strcmp(p->name, "$select"))
		return parse_select(q, p->value, err);
	if (!strcmp(p->name, "$filter"))
		return (q->filter = filter_parse(q->e, p->value, err)) != NULL;
	if (!strcmp(p->name, "$orderby"))
		return parse_orderby(q, p->value, err);
	if (!strcmp(p->name, "$top"))
		return parse_top(q, p->value, err);
	if (!strcmp(p->name, "$count"))
		return parse_count(q, p->value, err);
	return true;
}

bool query_parse(struct query *q, const struct entity *e, const char *raw_query, bool collection,
                 struct sim_err *err)
{
	struct qparam p[64];
	memset(q, 0, sizeof *q);
	q->e = e;
	q->select_all = true;
	projection_all(e, &q->proj);
	int n = params_split(raw_query, p, 64);
	bool ok = check_names(p, n, collection, err);
	const char *skiptoken = NULL;
	for (int i = 0; ok && i < n; i++) {
		ok = apply_param(q, &p[i], err);
		if (!strcmp(p[i].name, "$skiptoken"))
			skiptoken = p[i].value;
	}
	if (ok) {
		order_finish(q);
		rest_build(q, p, n);
	}
	if (ok && skiptoken)
		ok = cookie_decode(q, skiptoken, &q->cookie, err);
	params_free(p, n);
	if (!ok)
		query_free(q);
	return ok;
}

void query_free(struct query *q)
{
	filter_free(q->filter);
	q->filter = NULL;
	if (q->cookie.present)
		cookie_free(q, &q->cookie);
	free(q->query_rest);
	q->query_rest = NULL;
}

/* ---- running ---- */

static int key_cmp(const struct query *q, const struct val *a, const struct val *b, int i)
{
	int r = val_cmp(&q->e->cols[q->order[i].col], a, b);
	return q->order[i].desc ? -r : r;
}

static int rows_cmp(const void *x, const void *y, void *ctx)
{
	const struct query *q = ctx;
	const struct row *a = *(struct row *const *)x, *b = *(struct row *const *)y;
	for (int i = 0; i < q->norder; i++) {
		int c = q->order[i].col;
		int r = key_cmp(q, &a->v[c], &b->v[c], i);
		if (r)
			return r;
	}
	return 0;
}

/* > 0 when the row comes after the cookie's resume point. */
static int cookie_cmp(const struct query *q, const struct row *r)
{
	for (int i = 0; i < q->norder; i++) {
		int c = key_cmp(q, &r->v[q->order[i].col], &q->cookie.last[i], i);
		if (c)
			return c;
	}
	return 0;
}

static void rows_swap(struct row **a, struct row **b)
{
	struct row *t = *a;
	*a = *b;
	*b = t;
}

/* Quickselect: rearranges v so that v[0..k) holds the k smallest rows in
 * query order (in any order among themselves); the page then sorts only
 * those. The order is total (the primary key breaks ties). */
static void rows_select(const struct query *q, struct row **v, size_t n, size_t k)
{
	size_t lo = 0, hi = n;
	if (k >= n)
		return;
	while (hi - lo > 1) {
		rows_swap(&v[lo + (hi - lo) / 2], &v[hi - 1]);
		struct row *pivot = v[hi - 1];
		size_t store = lo;
		for (size_t i = lo; i + 1 < hi; i++)
			if (rows_cmp(&v[i], &pivot, (void *)q) < 0)
				rows_swap(&v[i], &v[store++]);
		rows_swap(&v[store], &v[hi - 1]);
		if (store == k)
			return;
		if (store > k)
			hi = store;
		else
			lo = store + 1;
	}
}

static bool default_order(const struct query *q)
{
	return q->norder == 1 && q->order[0].col == q->e->pk && !q->order[0].desc;
}

static void page_push(struct page *pg, size_t *cap, struct row *r)
{
	if (pg->n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		pg->rows = realloc(pg->rows, *cap * sizeof *pg->rows);
		if (!pg->rows)
			abort();
	}
	pg->rows[pg->n++] = r;
}

static long count_matches(const struct query *q)
{
	const struct table *tb = &store_tables[q->e->id];
	long n = 0;
	for (size_t i = 0; i < tb->n && n <= QUERY_COUNT_CAP; i++)
		n += filter_eval(q->filter, tb->rows[i]);
	return n;
}

void query_run(const struct query *q, long pagesize, struct page *pg)
{
	const struct table *tb = &store_tables[q->e->id];
	long page = q->cookie.present ? q->cookie.pagenumber : 1;
	long limit = pagesize;
	if (q->has_top) {
		long remaining = q->top - (page - 1) * pagesize;
		limit = remaining < 0 ? 0 : (remaining < pagesize ? remaining : pagesize);
	}
	size_t cap = 0;
	memset(pg, 0, sizeof *pg);
	if (q->count)
		pg->count = count_matches(q);
	if (default_order(q)) {
		size_t i =
		    q->cookie.present ? store_upper_bound(q->e->id, &q->cookie.last[0].u.g) : 0;
		for (; i < tb->n && pg->n <= (size_t)limit; i++)
			if (filter_eval(q->filter, tb->rows[i]))
				page_push(pg, &cap, tb->rows[i]);
	} else {
		for (size_t i = 0; i < tb->n; i++) {
			struct row *r = tb->rows[i];
			if ((!q->cookie.present || cookie_cmp(q, r) > 0) &&
			    filter_eval(q->filter, r))
				page_push(pg, &cap, r);
		}
		rows_select(q, pg->rows, pg->n, (size_t)limit + 1);
		size_t keep = pg->n < (size_t)limit + 1 ? pg->n : (size_t)limit + 1;
		qsort_r(pg->rows, keep, sizeof *pg->rows, rows_cmp, (void *)q);
	}
	bool top_left = !q->has_top || q->top - (page - 1) * pagesize > limit;
	pg->more = pg->n > (size_t)limit && top_left;
	if (pg->n > (size_t)limit)
		pg->n = (size_t)limit;
}

void page_free(struct page *pg)
{
	free(pg->rows);
	memset(pg, 0, sizeof *pg);
}

void query_next_link(const struct query *q, const struct page *pg, const char *path, struct buf *b)
{
	long page = q->cookie.present ? q->cookie.pagenumber : 1;
	buf_puts(b, hostile_link_base());
	buf_puts(b, path);
	buf_putc(b, '?');
	if (q->query_rest && *q->query_rest) {
		buf_puts(b, q->query_rest);
		buf_putc(b, '&');
	}
	buf_puts(b, "$skiptoken=");
	cookie_encode(b, q, page, pg->rows[0], pg->rows[pg->n - 1]);
}
