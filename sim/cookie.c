/* cookie.c — encodes and decodes the $skiptoken paging cookie (cookie.h). */
#include "cookie.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void xml_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '"': buf_puts(b, "&quot;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		default: buf_putc(b, *s);
		}
	}
}

static void value_text(struct buf *b, const struct column *c, const struct val *v)
{
	char tmp[40];
	switch (c->type) {
	case T_STRING: xml_escape(b, v->u.s); break;
	case T_BOOL: buf_putc(b, v->u.i ? '1' : '0'); break;
	case T_DATE:
		date_format(v->u.i, tmp);
		buf_puts(b, tmp);
		break;
	case T_GUID:
	case T_LOOKUP:
		guid_format(&v->u.g, tmp, true);
		buf_printf(b, "{%s}", tmp);
		break;
	default: buf_put_i64(b, v->u.i);
	}
}

static void key_element(struct buf *b, const struct column *c, const struct val *last,
                        const struct val *first)
{
	buf_printf(b, "<%s", c->name);
	if (!last->null) {
		buf_puts(b, " last=\"");
		value_text(b, c, last);
		buf_putc(b, '"');
	}
	if (!first->null) {
		buf_puts(b, " first=\"");
		value_text(b, c, first);
		buf_putc(b, '"');
	}
	buf_puts(b, " />");
}

void cookie_encode(struct buf *b, const struct query *q, long page, const struct row *first,
                   const struct row *last)
{
	struct buf inner = {0}, inner_enc = {0}, outer = {0};
	buf_printf(&inner, "<cookie page=\"%ld\">", page);
	for (int i = 0; i < q->norder; i++) {
		int c = q->order[i].col;
		key_element(&inner, &q->e->cols[c], &last->v[c], &first->v[c]);
	}
	buf_puts(&inner, "</cookie>");
	pct_encode_inner(&inner_enc, inner.p);
	buf_printf(&outer, "<cookie pagenumber=\"%ld\" pagingcookie=\"%s\" istracking=\"False\" />",
	           page + 1, inner_enc.p);
	pct_encode_outer(b, outer.p);
	buf_free(&inner);
	buf_free(&inner_enc);
	buf_free(&outer);
}

static char *xml_unescape(const char *s, size_t n)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {
	    {"&quot;", '"'}, {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&apos;", '\''}};
	char *out = malloc(n + 1);
	if (!out)
		abort();
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
			size_t len = strlen(ents[k].ent);
			if (i + len <= n && !memcmp(s + i, ents[k].ent, len)) {
				out[o++] = ents[k].c;
				i += len - 1;
				break;
			}
		}
		if (k == sizeof ents / sizeof ents[0])
			out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

static bool value_parse(const struct column *c, const char *s, struct val *v)
{
	char *end;
	memset(v, 0, sizeof *v);
	switch (c->type) {
	case T_STRING: v->u.s = xml_unescape(s, strlen(s)); return true;
	case T_BOOL: v->u.i = s[0] == '1'; return (s[0] == '1' || s[0] == '0') && !s[1];
	case T_DATE: return date_parse(s, strlen(s), &v->u.i);
	case T_GUID:
	case T_LOOKUP: return guid_parse(s, strlen(s), &v->u.g);
	default: v->u.i = strtoll(s, &end, 10); return *s && !*end;
	}
}

/* Finds attr="..." inside [s, end) and returns a copy of its raw value. */
static char *attr_get(const char *s, const char *end, const char *attr)
{
	size_t alen = strlen(attr);
	for (const char *p = s; p + alen + 2 < end; p++) {
		if (p[-1] != ' ' || memcmp(p, attr, alen) || p[alen] != '=' || p[alen + 1] != '"')
			continue;
		const char *v = p + alen + 2, *q = memchr(v, '"', (size_t)(end - v));
		if (!q)
			return NULL;
		return strndup(v, (size_t)(q - v));
	}
	return NULL;
}

static bool bad_cookie(struct sim_err *err)
{
	sim_err_set(err, 400, "0x80040203",
	            "Invalid argument: the paging cookie in $skiptoken is malformed or does not "
	            "match the query's $orderby.");
	return false;
}

static bool parse_keys(const struct query *q, const char *inner, struct cookie *out)
{
	const char *p = strstr(inner, "\">");
	if (strncmp(inner, "<cookie page=\"", 14) || !p)
		return false;
	p += 2;
	for (int i = 0; i < q->norder; i++) {
		const struct column *c = &q->e->cols[q->order[i].col];
		size_t n = strlen(c->name);
		if (*p != '<' || strncmp(p + 1, c->name, n) || p[n + 1] != ' ')
			return false;
		const char *end = strstr(p, "/>");
		if (!end)
			return false;
		char *raw = attr_get(p + n + 1, end, "last");
		out->last[i].null = 1;
		if (raw) {
			bool ok = value_parse(c, raw, &out->last[i]);
			free(raw);
			if (!ok)
				return false;
		}
		p = end + 2;
	}
	return !strcmp(p, "</cookie>") && !out->last[q->norder - 1].null;
}

bool cookie_decode(const struct query *q, const char *text, struct cookie *out, struct sim_err *err)
{
	const char *end = text + strlen(text);
	memset(out, 0, sizeof *out);
	for (int i = 0; i <= QUERY_MAX_ORDER; i++)
		out->last[i].null = 1;
	if (strncmp(text, "<cookie ", 8))
		return bad_cookie(err);
	char *num = attr_get(text + 8, end, "pagenumber");
	char *enc = attr_get(text + 8, end, "pagingcookie");
	char *inner = enc ? pct_decode(enc, strlen(enc), false) : NULL;
	out->pagenumber = num ? strtol(num, NULL, 10) : 0;
	bool ok = inner && out->pagenumber >= 2 && parse_keys(q, inner, out);
	free(num);
	free(enc);
	free(inner);
	if (!ok) {
		cookie_free(q, out);
		return bad_cookie(err);
	}
	out->present = true;
	return true;
}

void cookie_free(const struct query *q, struct cookie *c)
{
	for (int i = 0; i < q->norder && i <= QUERY_MAX_ORDER; i++)
		val_clear(&q->e->cols[q->order[i].col], &c->last[i]);
	c->present = false;
}
