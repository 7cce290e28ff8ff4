/* fields.c — aligned "label  value" blocks (see fields.h). Touches only
 * the FILE it prints to. */
#include "cli/fields.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/mem.h"
#include "core/base/sanitize.h"
#include "core/base/utf8.h"

struct cli_fields {
	struct {
		char *label, *value;
	} * line;
	int n, cap;
};

cli_fields *fields_new(void)
{
	return ec_xcalloc(1, sizeof(cli_fields));
}

void fields_add(cli_fields *f, const char *label, const char *value)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->line = ec_xrealloc(f->line, (size_t)f->cap * sizeof *f->line);
	}
	f->line[f->n].label = sanitize_text(label);
	f->line[f->n].value = sanitize_text(value ? value : "-");
	f->n++;
}

void fields_print(cli_fields *f, FILE *out, int indent, int min_width)
{
	size_t width = (size_t)min_width;
	for (int i = 0; i < f->n; i++) {
		size_t w = utf8_width(f->line[i].label);
		width = w > width ? w : width;
	}
	for (int i = 0; i < f->n; i++) {
		fprintf(out, "%*s%s%*s %s\n", indent, "", f->line[i].label,
		        (int)(width - utf8_width(f->line[i].label)), "", f->line[i].value);
		free(f->line[i].label);
		free(f->line[i].value);
	}
	free(f->line);
	free(f);
}

const char *fields_pad(char *buf, size_t size, const char *s, int width)
{
	int pad = width - (int)utf8_width(s);
	snprintf(buf, size, "%s%*s", s, pad > 0 ? pad : 0, "");
	return buf;
}
