/* prefer.c — parses the Prefer header (see prefer.h). */
#include "prefer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void annotation_item(struct annotations *an, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
#define IS(lit) (n == strlen(lit) && !strncasecmp(s, lit, n))
	if (IS("*")) {
		an->formatted = an->logical = an->nav = true;
	} else if (IS("OData.Community.Display.V1.FormattedValue") ||
	           IS("OData.Community.Display.V1.*") || IS("OData.*")) {
		an->formatted = true;
	} else if (IS("Microsoft.Dynamics.CRM.lookuplogicalname")) {
		an->logical = true;
	} else if (IS("Microsoft.Dynamics.CRM.associatednavigationproperty")) {
		an->nav = true;
	} else if (IS("Microsoft.Dynamics.CRM.*")) {
		an->logical = an->nav = true;
	}
#undef IS
}

static void annotations_parse(struct prefer *p, const char *v, size_t n)
{
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	snprintf(p->annotations_raw, sizeof p->annotations_raw, "\"%.*s\"", (int)n, v);
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || v[i] == ',') {
			annotation_item(&p->an, v + start, i - start);
			start = i + 1;
		}
	}
}

static void preference(struct prefer *p, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	const char *eq = memchr(s, '=', n);
	size_t klen = eq ? (size_t)(eq - s) : n;
	const char *v = eq ? eq + 1 : "";
	size_t vlen = eq ? n - klen - 1 : 0;
	if (klen == 25 && !strncasecmp(s, "odata.include-annotations", klen)) {
		annotations_parse(p, v, vlen);
	} else if (klen == 17 && !strncasecmp(s, "odata.maxpagesize", klen)) {
		char tmp[24];
		snprintf(tmp, sizeof tmp, "%.*s", (int)(vlen < 20 ? vlen : 20), v);
		char *end;
		long m = strtol(tmp, &end, 10);
		p->maxpagesize = (*tmp && !*end && m > 0) ? m : 0;
	} else if (klen == 6 && !strncasecmp(s, "return", 6) && vlen == 14 &&
	           !strncasecmp(v, "representation", 14)) {
		p->return_representation = true;
	} else if (klen == 19 && !strncasecmp(s, "odata.track-changes", klen)) {
		p->track_changes = true;
	}
}

void prefer_parse(const char *header, struct prefer *p)
{
	memset(p, 0, sizeof *p);
	if (!header)
		return;
	bool quoted = false;
	size_t start = 0, n = strlen(header);
	for (size_t i = 0; i <= n; i++) {
		if (i < n && header[i] == '"')
			quoted = !quoted;
		if (i == n || (header[i] == ',' && !quoted)) {
			preference(p, header + start, i - start);
			start = i + 1;
		}
	}
}
