/* table.h — aligned text tables for the CLI's human output. Every cell is
 * passed through the core sanitizer when it is added, measured in display
 * columns (double-width CJK, emoji) and truncated with an ellipsis at its
 * column's cap. Writes only to the FILE it is given. */
#ifndef EMAILCFG_CLI_TABLE_H
#define EMAILCFG_CLI_TABLE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct table table;

/* caps[i] is the widest column i may grow (0 = no cap). */
table *table_new(int ncols, const char *const *headers, const int *caps);
/* Adds a row of ncols cells (NULL cells print as "-"). */
void table_add_row(table *t, const char *const *cells);
void table_print(const table *t, FILE *out, bool ascii);
void table_free(table *t);

/* Writes one CSV record (RFC 4180 quoting) of sanitized cells. A cell
 * that a spreadsheet would take for a formula (it starts with = + - @, TAB
 * or CR and is not a plain number such as -3) is written quoted behind a
 * single quote, "'=1+2", so it shows as text. */
void csv_write_row(FILE *out, int ncols, const char *const *cells);

/* True when the terminal's locale cannot show UTF-8: use ASCII then. */
bool table_ascii_only(void);

#endif
