/* store.c — in-memory tables, hash index, values (see store.h). */
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "track.h"

struct table store_tables[E_COUNT];
static struct val *defaults[E_COUNT];
static int64_t version_counter = 4811000;

void sim_err_set(struct sim_err *err, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	err->status = status;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

int64_t store_next_version(void)
{
	return ++version_counter;
}

int64_t store_version_now(void)
{
	return version_counter;
}

void store_version_reset(int64_t v)
{
	version_counter = v;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static void defaults_build(const struct entity *e)
{
	struct val *d = xcalloc((size_t)e->ncols, sizeof *d);
	for (int i = 0; i < e->ncols; i++) {
		const struct column *c = &e->cols[i];
		d[i].null = 1;
		if (!c->dflt)
			continue;
		json_object *j = json_tokener_parse(c->dflt);
		struct sim_err err;
		if (!store_val_from_json(e, i, j, false, &d[i], &err)) {
			fprintf(stderr, "emailcfg-sim: bad default for %s.%s\n", e->logical,
			        c->name);
			abort();
		}
		json_object_put(j);
	}
	defaults[e->id] = d;
}

void store_init(void)
{
	for (int t = 0; t < E_COUNT; t++) {
		store_tables[t].e = schema_entities[t];
		defaults_build(schema_entities[t]);
	}
}

void store_row_free(const struct entity *e, struct row *r)
{
	if (!r)
		return;
	for (int i = 0; i < e->ncols; i++)
		val_clear(&e->cols[i], &r->v[i]);
	free(r->v);
	free(r);
}

void store_free_all(void)
{
	for (int t = 0; t < E_COUNT; t++) {
		struct table *tb = &store_tables[t];
		for (size_t i = 0; i < tb->n; i++)
			store_row_free(tb->e, tb->rows[i]);
		free(tb->rows);
		free(tb->slots);
		memset(tb, 0, sizeof *tb);
		if (defaults[t]) {
			const struct entity *e = schema_entities[t];
			for (int i = 0; i < e->ncols; i++)
				val_clear(&e->cols[i], &defaults[t][i]);
			free(defaults[t]);
			defaults[t] = NULL;
		}
	}
}

void val_clear(const struct column *c, struct val *v)
{
	if (c->type == T_STRING && !v->null)
		free(v->u.s);
	memset(v, 0, sizeof *v);
	v->null = 1;
}

struct row *store_row_copy(const struct entity *e, const struct row *r)
{
	struct row *c = xcalloc(1, sizeof *c);
	c->v = xcalloc((size_t)e->ncols, sizeof *c->v);
	memcpy(c->v, r->v, (size_t)e->ncols * sizeof *c->v);
	for (int i = 0; i < e->ncols; i++)
		if (e->cols[i].type == T_STRING && !c->v[i].null)
			c->v[i].u.s = xstrdup(c->v[i].u.s);
	return c;
}

struct row *store_row_new(const struct entity *e)
{
	struct row *r = xcalloc(1, sizeof *r);
	r->v = xcalloc((size_t)e->ncols, sizeof *r->v);
	memcpy(r->v, defaults[e->id], (size_t)e->ncols * sizeof *r->v);
	for (int i = 0; i < e->ncols; i++)
		if (e->cols[i].type == T_STRING && !r->v[i].null)
			r->v[i].u.s = xstrdup(r->v[i].u.s);
	r->v[0].null = 0;
	guid_random(&r->v[0].u.g);
	int64_t now = sim_clock_now();
	if (e->createdon >= 0) {
		r->v[e->createdon].null = 0;
		r->v[e->createdon].u.i = now;
	}
	if (e->modifiedon >= 0) {
		r->v[e->modifiedon].null = 0;
		r->v[e->modifiedon].u.i = now;
	}
	if (e->version >= 0) {
		r->v[e->version].null = 0;
		r->v[e->version].u.i = store_next_version();
	}
	return r;
}

void store_touch(const struct entity *e, struct row *r)
{
	if (e->version >= 0) {
		r->v[e->version].null = 0;
		r->v[e->version].u.i = store_next_version();
	}
	if (e->modifiedon >= 0) {
		r->v[e->modifiedon].null = 0;
		r->v[e->modifiedon].u.i = sim_clock_now();
	}
}

/* ---- hash index ---- */

static size_t guid_hash(const struct guid *g)
{
	uint64_t a, b;
	memcpy(&a, g->b, 8);
	memcpy(&b, g->b + 8, 8);
	uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ull)) * 0xbf58476d1ce4e5b9ull;
	return (size_t)(h ^ (h >> 31));
}

static void index_put(struct table *tb, struct row *r)
{
	size_t mask = tb->nslots - 1, i = guid_hash(row_id(r)) & mask;
	while (tb->slots[i])
		i = (i + 1) & mask;
	tb->slots[i] = r;
}

static void index_rebuild(struct table *tb)
{
	size_t want = 64;
	while (want < tb->n * 2 + 2)
		want *= 2;
	free(tb->slots);
	tb->slots = xcalloc(want, sizeof *tb->slots);
	tb->nslots = want;
	for (size_t i = 0; i < tb->n; i++)
		index_put(tb, tb->rows[i]);
}

struct row *store_find(enum entity_id t, const struct guid *id)
{
	struct table *tb = &store_tables[t];
	if (!tb->nslots)
		return NULL;
	size_t mask = tb->nslots - 1, i = guid_hash(id) & mask;
	while (tb->slots[i]) {
		if (!guid_cmp(row_id(tb->slots[i]), id))
			return tb->slots[i];
		i = (i + 1) & mask;
	}
	return NULL;
}

static void rows_grow(struct table *tb)
{
	if (tb->n < tb->cap)
		return;
	tb->cap = tb->cap ? tb->cap * 2 : 64;
	tb->rows = realloc(tb->rows, tb->cap * sizeof *tb->rows);
	if (!tb->rows)
		abort();
}

size_t store_upper_bound(enum entity_id t, const struct guid *id)
{
	struct table *tb = &store_tables[t];
	size_t lo = 0, hi = tb->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (guid_cmp(row_id(tb->rows[mid]), id) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool store_insert(enum entity_id t, struct row *r)
{
	struct table *tb = &store_tables[t];
	if (store_find(t, row_id(r)))
		return false;
	rows_grow(tb);
	size_t pos = store_upper_bound(t, row_id(r));
	memmove(tb->rows + pos + 1, tb->rows + pos, (tb->n - pos) * sizeof *tb->rows);
	tb->rows[pos] = r;
	tb->n++;
	if (tb->n * 2 + 2 > tb->nslots)
		index_rebuild(tb);
	else
		index_put(tb, r);
	return true;
}

void store_append(enum entity_id t, struct row *r)
{
	struct table *tb = &store_tables[t];
	rows_grow(tb);
	tb->rows[tb->n++] = r;
}

static int row_ptr_cmp(const void *a, const void *b)
{
	return guid_cmp(row_id(*(struct row *const *)a), row_id(*(struct row *const *)b));
}

void store_sort(enum entity_id t)
{
	struct table *tb = &store_tables[t];
	if (tb->n > 1) /* an empty table may have no rows array at all */
		qsort(tb->rows, tb->n, sizeof *tb->rows, row_ptr_cmp);
	/* drop duplicate ids: the first one loaded wins */
	size_t o = 0;
	for (size_t i = 0; i < tb->n; i++) {
		if (o && !guid_cmp(row_id(tb->rows[o - 1]), row_id(tb->rows[i]))) {
			store_row_free(tb->e, tb->rows[i]);
			continue;
		}
		tb->rows[o++] = tb->rows[i];
	}
	tb->n = o;
	index_rebuild(tb);
}

bool store_delete(enum entity_id t, const struct guid *id)
{
	struct table *tb = &store_tables[t];
	struct row *r = store_find(t, id);
	if (!r)
		return false;
	size_t pos = store_upper_bound(t, id) - 1;
	memmove(tb->rows + pos, tb->rows + pos + 1, (tb->n - pos - 1) * sizeof *tb->rows);
	tb->n--;
	index_rebuild(tb);
	track_note_delete(t, id);
	store_row_free(tb->e, r);
	return true;
}

const char *store_display_name(enum entity_id t, const struct guid *id)
{
	struct row *r = store_find(t, id);
	const struct entity *e = schema_entities[t];
	if (!r || e->name < 0 || r->v[e->name].null)
		return NULL;
	return r->v[e->name].u.s;
}

int val_cmp(const struct column *c, const struct val *a, const struct val *b)
{
	if (a->null || b->null)
		return a->null && b->null ? 0 : (a->null ? -1 : 1);
	switch (c->type) {
	case T_STRING: return fold_cmp(a->u.s, b->u.s);
	case T_GUID:
	case T_LOOKUP: return guid_cmp(&a->u.g, &b->u.g);
	default: return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	}
}

/* ---- JSON -> value ---- */

static const char *literal_of(json_object *j, char *tmp, size_t size)
{
	if (json_object_is_type(j, json_type_string))
		snprintf(tmp, size, "%s", json_object_get_string(j));
	else
		snprintf(tmp, size, "%s",
		         json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
	return tmp;
}

static bool convert_error(const struct column *c, json_object *j, struct sim_err *err)
{
	char tmp[200];
	sim_err_set(err, 400, "0x80060888",
	            "Cannot convert the literal '%s' to the expected type '%s'.",
	            literal_of(j, tmp, sizeof tmp), schema_edm_type(c));
	return false;
}

static bool range_error(const struct entity *e, const struct column *c, int64_t v,
                        struct sim_err *err)
{
	if (c->type == T_CHOICE) {
		char list[256] = "";
		size_t n = 0;
		for (int i = 0; i < c->noptions && n < sizeof list - 16; i++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%d", i ? "," : "",
			                      c->options[i].value);
		sim_err_set(err, 400, "0x8004431a",
		            "A validation error occurred. The value %lld of '%s' on record of type "
		            "'%s' is outside the valid range. Accepted Values: %s",
		            (long long)v, c->name, e->logical, list);
	} else {
		sim_err_set(err, 400, "0x8004431a",
		            "A validation error occurred. The value %lld of '%s' on record of type "
		            "'%s' is outside the valid range.",
		            (long long)v, c->name, e->logical);
	}
	return false;
}

static bool lookup_resolve(const struct column *c, const struct guid *g, bool strict,
                           struct val *out, struct sim_err *err)
{
	for (int i = 0; i < c->ntargets; i++) {
		if (store_find(c->targets[i].entity, g)) {
			out->ref = (uint8_t)i;
			return true;
		}
	}
	out->ref = 0;
	if (!strict)
		return true;
	char id[37];
	guid_format(g, id, false);
	sim_err_set(err, 404, "0x80040217", "%s With Id = %s Does Not Exist",
	            schema_entities[c->targets[0].entity]->logical, id);
	return false;
}

static bool int_from_json(const struct entity *e, const struct column *c, json_object *j,
                          struct val *out, struct sim_err *err)
{
	if (!json_object_is_type(j, json_type_int))
		return convert_error(c, j, err);
	int64_t v = json_object_get_int64(j);
	if (c->type == T_CHOICE && !schema_option_valid(c, v))
		return range_error(e, c, v, err);
	if (c->type == T_INT && c->min <= c->max && (v < c->min || v > c->max))
		return range_error(e, c, v, err);
	out->u.i = v;
	return true;
}

bool store_val_from_json(const struct entity *e, int ci, json_object *j, bool strict,
                         struct val *out, struct sim_err *err)
{
	const struct column *c = &e->cols[ci];
	memset(out, 0, sizeof *out);
	if (!j || json_object_is_type(j, json_type_null)) {
		out->null = 1;
		return true;
	}
	switch (c->type) {
	case T_STRING:
		if (!json_object_is_type(j, json_type_string))
			return convert_error(c, j, err);
		if (c->maxlen && json_object_get_string_len(j) > c->maxlen) {
			sim_err_set(
			    err, 400, "0x80044331",
			    "A validation error occurred. The length of the '%s' attribute of "
			    "the '%s' entity exceeded the maximum allowed length of '%d'.",
			    c->name, e->logical, c->maxlen);
			return false;
		}
		out->u.s = xstrdup(json_object_get_string(j));
		return true;
	case T_INT:
	case T_BIGINT:
	case T_CHOICE: return int_from_json(e, c, j, out, err);
	case T_BOOL:
		if (!json_object_is_type(j, json_type_boolean))
			return convert_error(c, j, err);
		out->u.i = json_object_get_boolean(j);
		return true;
	case T_DATE:
		if (!json_object_is_type(j, json_type_string) ||
		    !date_parse(json_object_get_string(j), (size_t)json_object_get_string_len(j),
		                &out->u.i))
			return convert_error(c, j, err);
		return true;
	case T_GUID:
	case T_LOOKUP:
		if (!json_object_is_type(j, json_type_string) ||
		    !guid_parse(json_object_get_string(j), (size_t)json_object_get_string_len(j),
		                &out->u.g))
			return convert_error(c, j, err);
		return c->type == T_GUID || lookup_resolve(c, &out->u.g, strict, out, err);
	}
	return convert_error(c, j, err);
}

void store_set(const struct entity *e, struct row *r, int c, struct val *v)
{
	val_clear(&e->cols[c], &r->v[c]);
	r->v[c] = *v;
	memset(v, 0, sizeof *v);
	v->null = 1;
}

static int col_or_die(const struct entity *e, const char *col)
{
	int c = schema_column_index(e, col, strlen(col));
	if (c < 0) {
		fprintf(stderr, "emailcfg-sim: no column %s.%s\n", e->logical, col);
		abort();
	}
	return c;
}

void store_set_int(const struct entity *e, struct row *r, const char *col, int64_t v)
{
	int c = col_or_die(e, col);
	struct val x = {.u.i = v};
	store_set(e, r, c, &x);
}

void store_set_str(const struct entity *e, struct row *r, const char *col, const char *s)
{
	int c = col_or_die(e, col);
	struct val x = {.null = s == NULL};
	if (s)
		x.u.s = xstrdup(s);
	store_set(e, r, c, &x);
}

void store_set_lookup(const struct entity *e, struct row *r, const char *col, int ref,
                      const struct guid *id)
{
	int c = col_or_die(e, col);
	struct val x = {.null = id == NULL, .ref = (uint8_t)ref};
	if (id)
		x.u.g = *id;
	store_set(e, r, c, &x);
}

const struct val *store_get(const struct entity *e, const struct row *r, const char *col)
{
	return &r->v[col_or_die(e, col)];
}

int64_t store_get_int(const struct entity *e, const struct row *r, const char *col, int64_t dflt)
{
	const struct val *v = store_get(e, r, col);
	return v->null ? dflt : v->u.i;
}

const char *store_get_str(const struct entity *e, const struct row *r, const char *col)
{
	const struct val *v = store_get(e, r, col);
	return v->null ? NULL : v->u.s;
}
