/* json_out.c — Dataverse JSON for rows and errors (see json_out.h). */
#include "json_out.h"

#include <stdio.h>
#include <string.h>

#include "config.h"

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

static void put_key(struct buf *b, const char *name, const char *suffix)
{
	buf_putc(b, '"');
	buf_puts(b, name);
	if (suffix)
		buf_puts(b, suffix);
	buf_put(b, "\":", 2);
}

static void put_formatted(struct buf *b, const char *name, const char *text)
{
	put_key(b, name, "@OData.Community.Display.V1.FormattedValue");
	buf_put_json_str(b, text);
	buf_putc(b, ',');
}

static void put_lookup(struct buf *b, const struct column *c, const struct val *v,
                       const struct annotations *an)
{
	char id[37];
	if (!v->null) {
		const struct lookup_target *t = &c->targets[v->ref < c->ntargets ? v->ref : 0];
		const char *name = an->formatted ? store_display_name(t->entity, &v->u.g) : NULL;
		if (name)
			put_formatted(b, c->name, name);
		if (an->nav) {
			put_key(b, c->name, "@Microsoft.Dynamics.CRM.associatednavigationproperty");
			buf_put_json_str(b, t->nav);
			buf_putc(b, ',');
		}
		if (an->logical) {
			put_key(b, c->name, "@Microsoft.Dynamics.CRM.lookuplogicalname");
			buf_put_json_str(b, schema_entities[t->entity]->logical);
			buf_putc(b, ',');
		}
	}
	put_key(b, c->name, NULL);
	if (v->null) {
		buf_put(b, "null", 4);
		return;
	}
	guid_format(&v->u.g, id, false);
	buf_putc(b, '"');
	buf_put(b, id, 36);
	buf_putc(b, '"');
}

/* A number, or (the column named by the quote_column setting) the same
 * number as a JSON string: how tests play a service that sends a column
 * with the wrong type. */
static void put_number(struct buf *b, const struct column *c, int64_t n)
{
	bool quoted = sim_cfg.quote_column[0] && !strcmp(c->name, sim_cfg.quote_column);
	if (quoted)
		buf_putc(b, '"');
	buf_put_i64(b, n);
	if (quoted)
		buf_putc(b, '"');
}

static void put_column(struct buf *b, const struct column *c, const struct val *v,
                       const struct annotations *an)
{
	char text[64];
	if (c->type == T_LOOKUP) {
		put_lookup(b, c, v, an);
		return;
	}
	if (v->null) {
		put_key(b, c->name, NULL);
		buf_put(b, "null", 4);
		return;
	}
	switch (c->type) {
	case T_STRING:
		put_key(b, c->name, NULL);
		buf_put_json_str(b, v->u.s);
		break;
	case T_INT:
	case T_BIGINT:
		if (an->formatted) {
			number_format_display(v->u.i, text, sizeof text);
			put_formatted(b, c->name, text);
		}
		put_key(b, c->name, NULL);
		put_number(b, c, v->u.i);
		break;
	case T_BOOL:
	case T_CHOICE: {
		const char *label = schema_option_label(c, v->u.i);
		if (an->formatted && label)
			put_formatted(b, c->name, label);
		put_key(b, c->name, NULL);
		if (c->type == T_BOOL)
			buf_puts(b, v->u.i ? "true" : "false");
		else
			buf_put_i64(b, v->u.i);
		break;
	}
	case T_DATE:
		if (an->formatted) {
			date_format_display(v->u.i, text, sizeof text);
			put_formatted(b, c->name, text);
		}
		date_format(v->u.i, text);
		put_key(b, c->name, NULL);
		buf_putc(b, '"');
		buf_puts(b, text);
		buf_putc(b, '"');
		break;
	case T_GUID:
		guid_format(&v->u.g, text, false);
		put_key(b, c->name, NULL);
		buf_putc(b, '"');
		buf_puts(b, text);
		buf_putc(b, '"');
		break;
	case T_LOOKUP: break;
	}
}

void json_out_row(struct buf *b, const struct entity *e, const struct row *r,
                  const struct projection *p, const struct annotations *an, const char *context)
{
	buf_putc(b, '{');
	if (context) {
		put_key(b, "@odata.context", NULL);
		buf_put_json_str(b, context);
		buf_putc(b, ',');
	}
	if (e->version >= 0) {
		buf_puts(b, "\"@odata.etag\":\"W/\\\"");
		buf_put_i64(b, r->v[e->version].u.i);
		buf_puts(b, "\\\"\"");
	}
	bool pk_done = false;
	for (int i = 0; i < p->ncols; i++) {
		int c = p->cols[i];
		if (i || e->version >= 0)
			buf_putc(b, ',');
		put_column(b, &e->cols[c], &r->v[c], an);
		pk_done |= c == e->pk;
	}
	if (!pk_done) {
		if (p->ncols || e->version >= 0)
			buf_putc(b, ',');
		put_column(b, &e->cols[e->pk], &r->v[e->pk], an);
	}
	buf_putc(b, '}');
}

void json_out_error(struct buf *b, const char *code, const char *message)
{
	buf_puts(b, "{\"error\":{\"code\":");
	buf_put_json_str(b, code ? code : "");
	buf_puts(b, ",\"message\":");
	buf_put_json_str(b, message);
	buf_puts(b, "}}");
}
