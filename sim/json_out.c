/* json_out.c — Dataverse JSON for rows and errors (see json_out.h). A row
 * plan holds the fragments; writing a row reserves its largest possible size
 * once and then copies with a plain cursor, no per-append capacity check
 * and no printf. May touch: the buffer it is given; reads rows and the
 * schema (the caller holds sim_lock). */
#include "json_out.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"

#define FV_SUFFIX      "@OData.Community.Display.V1.FormattedValue"
#define NAV_SUFFIX     "@Microsoft.Dynamics.CRM.associatednavigationproperty"
#define LOGICAL_SUFFIX "@Microsoft.Dynamics.CRM.lookuplogicalname"
#define ETAG_HEAD      "\"@odata.etag\":\"W/\\\""
#define ETAG_TAIL      "\\\"\""
/* The widest value text of a number, GUID or date, quotes included. */
#define VALUE_MAX 64

void projection_all(const struct entity *e, struct projection *p)
{
	p->ncols = 0;
	p->all = true;
	for (int i = 0; i < e->ncols && p->ncols < (int)(sizeof p->cols / sizeof p->cols[0]); i++)
		if (e->cols[i].flags & F_READ)
			p->cols[p->ncols++] = i;
}

void projection_context(const struct entity *e, const struct projection *p, bool all, struct buf *b)
{
	if (all)
		return;
	buf_putc(b, '(');
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			buf_putc(b, ',');
		buf_puts(b, e->cols[p->cols[i]].name);
	}
	buf_putc(b, ')');
}

/* ---- building a plan ---- */

static struct frag frag_end(const struct row_plan *rp, size_t start)
{
	return (struct frag){(uint32_t)start, (uint32_t)(rp->text.len - start)};
}

/* "name<suffix>": */
static struct frag frag_key(struct row_plan *rp, const char *name, const char *suffix)
{
	size_t start = rp->text.len;
	buf_putc(&rp->text, '"');
	buf_puts(&rp->text, name);
	buf_puts(&rp->text, suffix);
	buf_put(&rp->text, "\":", 2);
	return frag_end(rp, start);
}

static void frag_copy(struct row_plan *rp, struct frag f)
{
	buf_reserve(&rp->text, f.len);
	buf_put(&rp->text, rp->text.p + f.off, f.len);
}

static void *grow(void *p, int n, size_t size)
{
	if (n & (n - 1))
		return p;
	void *q = realloc(p, (size_t)(n ? 2 * n : 1) * size);
	if (!q)
		abort();
	return q;
}

/* A choice or boolean: per option, the whole "name@FV":"label","name":value
 * text (or "name":value without FormattedValue). */
static size_t plan_choices(struct row_plan *rp, struct plan_col *pc, const struct column *c)
{
	size_t widest = 0;
	pc->first = rp->nchoices;
	for (int i = 0; c->options && i < c->noptions; i++) {
		size_t start = rp->text.len;
		if (rp->formatted) {
			frag_copy(rp, pc->fv_key);
			buf_put_json_str(&rp->text, c->options[i].label);
			buf_putc(&rp->text, ',');
		}
		frag_copy(rp, pc->key);
		if (c->type == T_BOOL)
			buf_puts(&rp->text, c->options[i].value ? "true" : "false");
		else
			buf_put_i64(&rp->text, c->options[i].value);
		rp->choices = grow(rp->choices, rp->nchoices, sizeof *rp->choices);
		rp->choices[rp->nchoices++] =
		    (struct plan_choice){c->options[i].value, frag_end(rp, start)};
		if (rp->text.len - start > widest)
			widest = rp->text.len - start;
	}
	pc->n = rp->nchoices - pc->first;
	return widest;
}

/* A lookup: per target, its navigation and logical-name annotations. */
static size_t plan_targets(struct row_plan *rp, struct plan_col *pc, const struct column *c,
                           const struct annotations *an)
{
	size_t widest = 0;
	pc->first = rp->ntargets;
	for (int i = 0; i < c->ntargets; i++) {
		size_t start = rp->text.len;
		const struct lookup_target *t = &c->targets[i];
		if (an->nav) {
			frag_key(rp, c->name, NAV_SUFFIX);
			buf_put_json_str(&rp->text, t->nav);
			buf_putc(&rp->text, ',');
		}
		if (an->logical) {
			frag_key(rp, c->name, LOGICAL_SUFFIX);
			buf_put_json_str(&rp->text, schema_entities[t->entity]->logical);
			buf_putc(&rp->text, ',');
		}
		rp->targets = grow(rp->targets, rp->ntargets, sizeof *rp->targets);
		rp->targets[rp->ntargets++] = frag_end(rp, start);
		if (rp->text.len - start > widest)
			widest = rp->text.len - start;
	}
	pc->n = rp->ntargets - pc->first;
	return widest;
}

/* Adds column c; returns the most its text can take, strings aside. */
static size_t plan_column(struct row_plan *rp, int c, bool sep, const struct annotations *an)
{
	const struct column *col = &rp->e->cols[c];
	struct plan_col *pc = &rp->cols[rp->ncols++];
	*pc = (struct plan_col){.col = c, .sep = sep};
	pc->key = frag_key(rp, col->name, "");
	pc->fv_key = frag_key(rp, col->name, FV_SUFFIX);
	pc->quoted = (col->type == T_INT || col->type == T_BIGINT) && sim_cfg.quote_column[0] &&
	             !strcmp(col->name, sim_cfg.quote_column);
	size_t most = 1 + pc->key.len + pc->fv_key.len + 2 * VALUE_MAX + 8;
	if (col->type == T_CHOICE || col->type == T_BOOL)
		most += plan_choices(rp, pc, col);
	else if (col->type == T_LOOKUP)
		most += plan_targets(rp, pc, col, an);
	return most;
}

void row_plan_init(struct row_plan *rp, const struct entity *e, const struct projection *p,
                   const struct annotations *an)
{
	memset(rp, 0, sizeof *rp);
	rp->e = e;
	rp->formatted = an->formatted;
	rp->fixed_max = 2 + sizeof ETAG_HEAD + 20 + sizeof ETAG_TAIL;
	bool pk_done = false;
	for (int i = 0; i < p->ncols; i++) {
		rp->fixed_max += plan_column(rp, p->cols[i], i || e->version >= 0, an);
		pk_done |= p->cols[i] == e->pk;
	}
	if (!pk_done)
		rp->fixed_max += plan_column(rp, e->pk, p->ncols || e->version >= 0, an);
}

void row_plan_free(struct row_plan *rp)
{
	buf_free(&rp->text);
	free(rp->choices);
	free(rp->targets);
	memset(rp, 0, sizeof *rp);
}

/* ---- writing a row: o is a cursor into space already reserved ---- */

static char *put_mem(char *o, const void *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

static char *put_frag(char *o, const struct row_plan *rp, struct frag f)
{
	return put_mem(o, rp->text.p + f.off, f.len);
}

static const char hexdig[] = "0123456789abcdef";

/* s (n bytes) as a JSON string literal; needs 6 * n + 2 bytes. */
static char *put_str(char *o, const char *s, size_t n)
{
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			o = put_mem(o, "u00", 3);
			*o++ = hexdig[c >> 4];
			*o++ = hexdig[c & 15];
		}
	}
	*o++ = '"';
	return o;
}

static char *put_i64(char *o, int64_t v)
{
	char tmp[BUF_I64_SIZE];
	size_t len;
	const char *text = buf_i64_text(tmp, v, &len);
	return put_mem(o, text, len);
}

static char *put_guid(char *o, const struct guid *g)
{
	char id[37];
	guid_format(g, id, false);
	*o++ = '"';
	o = put_mem(o, id, 36);
	*o++ = '"';
	return o;
}

/* "name@FV":"text", — the FormattedValue before a value. */
static char *put_formatted(char *o, const struct row_plan *rp, const struct plan_col *pc,
                           const char *text, size_t n)
{
	o = put_frag(o, rp, pc->fv_key);
	o = put_str(o, text, n);
	*o++ = ',';
	return o;
}

static char *put_choice(char *o, const struct row_plan *rp, const struct plan_col *pc,
                        const struct column *c, int64_t v)
{
	for (int i = pc->first; i < pc->first + pc->n; i++)
		if (rp->choices[i].value == v)
			return put_frag(o, rp, rp->choices[i].text);
	/* A value without a label (the control endpoint can set one). */
	o = put_frag(o, rp, pc->key);
	if (c->type == T_BOOL)
		return v ? put_mem(o, "true", 4) : put_mem(o, "false", 5);
	return put_i64(o, v);
}

static char *put_number(char *o, const struct row_plan *rp, const struct plan_col *pc, int64_t v)
{
	if (rp->formatted) {
		char text[NUMBER_DISPLAY_SIZE];
		o = put_formatted(o, rp, pc, text, number_format_display(v, text));
	}
	o = put_frag(o, rp, pc->key);
	if (pc->quoted)
		*o++ = '"';
	o = put_i64(o, v);
	if (pc->quoted)
		*o++ = '"';
	return o;
}

static char *put_date(char *o, const struct row_plan *rp, const struct plan_col *pc, int64_t v)
{
	char text[DATE_DISPLAY_SIZE];
	if (rp->formatted)
		o = put_formatted(o, rp, pc, text, date_format_display(v, text));
	date_format(v, text);
	o = put_frag(o, rp, pc->key);
	*o++ = '"';
	o = put_mem(o, text, 20);
	*o++ = '"';
	return o;
}

/* name: the referenced row's display name (FormattedValue) or NULL. */
static char *put_lookup(char *o, const struct row_plan *rp, const struct plan_col *pc,
                        const struct val *v, const char *name)
{
	if (name)
		o = put_formatted(o, rp, pc, name, strlen(name));
	if (pc->n)
		o = put_frag(o, rp, rp->targets[pc->first + (v->ref < pc->n ? v->ref : 0)]);
	o = put_frag(o, rp, pc->key);
	return put_guid(o, &v->u.g);
}

static char *put_column(char *o, const struct row_plan *rp, const struct plan_col *pc,
                        const struct val *v, const char *name)
{
	const struct column *c = &rp->e->cols[pc->col];
	if (pc->sep)
		*o++ = ',';
	if (v->null) {
		o = put_frag(o, rp, pc->key);
		return put_mem(o, "null", 4);
	}
	switch (c->type) {
	case T_STRING: return put_str(put_frag(o, rp, pc->key), v->u.s, strlen(v->u.s));
	case T_INT:
	case T_BIGINT: return put_number(o, rp, pc, v->u.i);
	case T_BOOL:
	case T_CHOICE: return put_choice(o, rp, pc, c, v->u.i);
	case T_DATE: return put_date(o, rp, pc, v->u.i);
	case T_GUID: return put_guid(put_frag(o, rp, pc->key), &v->u.g);
	case T_LOOKUP: return put_lookup(o, rp, pc, v, name);
	}
	return o;
}

/* The display name a lookup's FormattedValue shows, or NULL. */
static const char *lookup_name(const struct row_plan *rp, const struct column *c,
                               const struct val *v)
{
	if (!rp->formatted || v->null || !c->ntargets)
		return NULL;
	const struct lookup_target *t = &c->targets[v->ref < c->ntargets ? v->ref : 0];
	return store_display_name(t->entity, &v->u.g);
}

void row_plan_prefetch(const struct row_plan *rp, const struct row *r, bool strings)
{
	const struct entity *e = rp->e;
	if (!strings && e->version >= 0)
		__builtin_prefetch(&r->v[e->version]);
	for (int i = 0; i < rp->ncols; i++) {
		const struct val *v = &r->v[rp->cols[i].col];
		if (!strings)
			__builtin_prefetch(v);
		else if (e->cols[rp->cols[i].col].type == T_STRING && !v->null)
			__builtin_prefetch(v->u.s);
	}
}

void row_plan_write(const struct row_plan *rp, struct buf *b, const struct row *r,
                    const char *context)
{
	const struct entity *e = rp->e;
	const char *names[129];
	size_t need = rp->fixed_max + (context ? 6 * strlen(context) + 24 : 0);
	for (int i = 0; i < rp->ncols; i++) {
		const struct column *c = &e->cols[rp->cols[i].col];
		const struct val *v = &r->v[rp->cols[i].col];
		names[i] = c->type == T_LOOKUP ? lookup_name(rp, c, v) : NULL;
		if (names[i])
			need += 6 * strlen(names[i]) + 2;
		else if (c->type == T_STRING && !v->null)
			need += 6 * strlen(v->u.s) + 2;
	}
	buf_reserve(b, need);
	char *o = b->p + b->len;
	*o++ = '{';
	if (context) {
		o = put_mem(o, "\"@odata.context\":", 17);
		o = put_str(o, context, strlen(context));
		*o++ = ',';
	}
	if (e->version >= 0) {
		o = put_mem(o, ETAG_HEAD, sizeof ETAG_HEAD - 1);
		o = put_i64(o, r->v[e->version].u.i);
		o = put_mem(o, ETAG_TAIL, sizeof ETAG_TAIL - 1);
	}
	for (int i = 0; i < rp->ncols; i++)
		o = put_column(o, rp, &rp->cols[i], &r->v[rp->cols[i].col], names[i]);
	*o++ = '}';
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

void json_out_row(struct buf *b, const struct entity *e, const struct row *r,
                  const struct projection *p, const struct annotations *an, const char *context)
{
	struct row_plan rp;
	row_plan_init(&rp, e, p, an);
	row_plan_write(&rp, b, r, context);
	row_plan_free(&rp);
}

void json_out_error(struct buf *b, const char *code, const char *message)
{
	buf_puts(b, "{\"error\":{\"code\":");
	buf_put_json_str(b, code ? code : "");
	buf_puts(b, ",\"message\":");
	buf_put_json_str(b, message);
	buf_puts(b, "}}");
}
