/* table.c — aligned, sanitized text tables and CSV rows (see table.h). */
#include "cli/table.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/model.h"
#include "core/base/sanitize.h"
#include "core/base/utf8.h"
#include "core/base/i18n.h"

struct table {
	int ncols, nrows, cap_rows;
	char **cells; /* nrows+1 rows (header first) of ncols sanitized cells */
	int *caps;
};

table *table_new(int ncols, const char *const *headers, const int *caps)
{
	table *t = ec_xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->caps = ec_xcalloc((unsigned long)ncols, sizeof *t->caps);
	if (caps)
		memcpy(t->caps, caps, sizeof *caps * (size_t)ncols);
	{
		/* The headers in the admin's language (NC_("table", ...) where
		 * they are written; C_ keeps one translated already). */
		const char **shown = ec_xcalloc((unsigned long)ncols, sizeof *shown);
		for (int i = 0; i < ncols; i++)
			shown[i] = headers[i] ? C_("table", headers[i]) : NULL;
		table_add_row(t, shown);
		free(shown);
	}
	return t;
}

void table_add_row(table *t, const char *const *cells)
{
	if (t->nrows == t->cap_rows) {
		t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 16;
		t->cells = ec_xrealloc(t->cells, sizeof *t->cells * (unsigned long)t->cap_rows *
		                                     (unsigned long)t->ncols);
	}
	for (int c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = sanitize_text(cells[c] ? cells[c] : "-");
	t->nrows++;
}

void table_print(const table *t, FILE *out, bool ascii)
{
	size_t *width = ec_xcalloc((unsigned long)t->ncols, sizeof *width);
	for (int r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			size_t w = utf8_width(t->cells[r * t->ncols + c]);
			if (t->caps[c] && w > (size_t)t->caps[c])
				w = (size_t)t->caps[c];
			if (w > width[c])
				width[c] = w;
		}
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			bool last = c == t->ncols - 1;
			char *cell =
			    display_fit(t->cells[r * t->ncols + c], width[c], ascii, !last);
			fputs(cell, out);
			fputs(last ? "\n" : "  ", out);
			free(cell);
		}
	}
	free(width);
}

void table_free(table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->caps);
	free(t);
}

/* First characters that make a spreadsheet read a cell as a formula
 * (OWASP, CSV injection): "=HYPERLINK(...)" in a mailbox name must stay
 * text. TAB and CR are sanitized to ^I and ^M before this check; they are
 * listed so the guard holds on its own. */
static const char formula_leads[] = "=+-@\t\r";

/* A plain decimal number ("-3", "-0.25"): a spreadsheet reads it as that
 * number, never as a formula, so it keeps its sign and stays a number. */
static bool csv_is_number(const char *s)
{
	size_t digits;
	s += *s == '-';
	digits = strspn(s, "0123456789");
	s += digits;
	if (*s == '.' && digits)
		s += 1 + (digits = strspn(s + 1, "0123456789"));
	return digits && !*s;
}

/* True when the cell would start a formula: it is written as '=... then. */
static bool csv_is_formula(const char *cell)
{
	return cell[0] && strchr(formula_leads, cell[0]) && !csv_is_number(cell);
}

/* True when every byte is printable ASCII: sanitize_text() would return
 * the same string, so a listing of 100,000 rows need not copy each cell. */
static bool csv_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F)
			return false;
	return true;
}

void csv_write_row(FILE *out, int ncols, const char *const *cells)
{
	for (int c = 0; c < ncols; c++) {
		const char *cell = cells[c] ? cells[c] : "";
		char *copy = csv_plain(cell) ? NULL : sanitize_text(cell);
		const char *clean = copy ? copy : cell;
		bool guard = csv_is_formula(clean);
		if (c)
			putc_unlocked(',', out);
		if (guard || strpbrk(clean, ",\"\r\n ") || !clean[0]) {
			fputs_unlocked(guard ? "\"'" : "\"", out);
			for (const char *p = clean; *p; p++) {
				if (*p == '"')
					putc_unlocked('"', out);
				putc_unlocked(*p, out);
			}
			putc_unlocked('"', out);
		} else {
			fputs_unlocked(clean, out);
		}
		free(copy);
	}
	fputs_unlocked("\r\n", out);
}

bool table_ascii_only(void)
{
	const char *cs = nl_langinfo(CODESET);
	return !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
}
