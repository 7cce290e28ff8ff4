/* fields.h — "label  value" blocks of the CLI's human output (mailbox SEL,
 * profile SEL, status) whose values start in one column however long the
 * translated labels are: a block is gathered, then printed aligned on the
 * widest label in display columns. Values are sanitized when added. */
#ifndef EMAILCFG_CLI_FIELDS_H
#define EMAILCFG_CLI_FIELDS_H

#include <stddef.h>
#include <stdio.h>

typedef struct cli_fields cli_fields;

cli_fields *fields_new(void);
/* A line of the block; a NULL value prints as "-". */
void fields_add(cli_fields *f, const char *label, const char *value);
/* Prints the block with indent spaces before each label, the values in
 * one column after the widest label (at least min_width columns), and
 * frees it. */
void fields_print(cli_fields *f, FILE *out, int indent, int min_width);

/* s padded with spaces to width display columns (not bytes: "č" is one
 * column), in buf. */
const char *fields_pad(char *buf, size_t size, const char *s, int width);

#endif
