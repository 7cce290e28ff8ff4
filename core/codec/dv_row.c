/* dv_row.c — a member of a row by name, from a json-c object or a row view
 * (see dv_row.h): what the codec and the sync read of a row, the same for
 * both. A view's string is decoded here the first time it is asked for.
 * Touches only the row it is given. */
#include "core/codec/dv_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/utf8.h"

/* A view's string decoded (escapes as json-c decodes them) and NUL-ended
 * into the view's text, once. */
static const char *view_string(dv_view *v, dv_member *m, size_t *len)
{
	char *out = v->text + v->used, *o = out;
	if (m->dec) {
		out = v->text + m->dec - 1;
		*len = strlen(out);
		return out;
	}
	if (!m->esc) {
		memcpy(o, m->val, m->vlen);
		o += m->vlen;
	} else {
		for (const char *s = m->val, *e = m->val + m->vlen; s < e;) {
			unsigned cp;
			if (*s != '\\') {
				*o++ = *s++;
				continue;
			}
			switch (s[1]) {
			case 'b': *o++ = '\b'; break;
			case 'f': *o++ = '\f'; break;
			case 'n': *o++ = '\n'; break;
			case 'r': *o++ = '\r'; break;
			case 't': *o++ = '\t'; break;
			case 'u': break;
			default: *o++ = s[1]; break; /* '"', '\\', '/' */
			}
			if (s[1] != 'u') {
				s += 2;
				continue;
			}
			/* dv_view_parse() let through only code points above 0 and
			 * whole surrogate pairs. */
			cp = (unsigned)strtoul((char[5]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
			s += 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				unsigned lo = (unsigned)strtoul(
				    (char[5]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			}
			o += utf8_encode(cp, o);
		}
	}
	*o = '\0';
	*len = (size_t)(o - out);
	m->dec = (uint32_t)(v->used + 1);
	v->used += *len + 1;
	return out;
}

static bool view_get(dv_view *v, const char *name, dv_value *out)
{
	dv_member *m = (dv_member *)dv_view_find(v, name, strlen(name));
	if (!m)
		return false;
	out->type = m->type;
	out->num = m->num;
	out->flag = m->num != 0; /* as json_object_get_boolean() */
	if (m->type == json_type_string) {
		out->str = view_string(v, m, &out->len);
		out->flag = out->len != 0;
	}
	return true;
}

bool dv_row_get(const dv_row *r, const char *name, dv_value *out)
{
	json_object *o;
	memset(out, 0, sizeof *out);
	out->type = json_type_null;
	if (r->view)
		return view_get(r->view, name, out);
	if (!json_object_object_get_ex(r->obj, name, &o))
		return false;
	out->obj = o;
	out->type = json_object_get_type(o);
	switch (out->type) {
	case json_type_string:
		out->str = json_object_get_string(o);
		out->len = (size_t)json_object_get_string_len(o);
		break;
	case json_type_int: out->num = json_object_get_int64(o); break;
	default: break;
	}
	out->flag = json_object_get_boolean(o);
	return true;
}

int64_t dv_value_int64(const dv_value *v)
{
	json_object *s;
	int64_t n;
	if (v->obj)
		return json_object_get_int64(v->obj);
	if (v->type == json_type_int)
		return v->num;
	if (v->type != json_type_string)
		return 0;
	/* Rare (a number sent as text): json-c's own reading of it. */
	s = json_object_new_string_len(v->str, (int)v->len);
	n = json_object_get_int64(s);
	json_object_put(s);
	return n;
}

const char *dv_value_text(const dv_value *v, char buf[32])
{
	if (v->obj)
		return json_object_to_json_string(v->obj);
	if (v->type == json_type_int) {
		snprintf(buf, 32, "%lld", (long long)v->num);
		return buf;
	}
	return v->type == json_type_boolean ? (v->flag ? "true" : "false") : "null";
}
