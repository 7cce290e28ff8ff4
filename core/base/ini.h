/* ini.h — the one INI reader behind the config file and the --credentials
 * file: "[kind name]" section headers, "key = value" pairs, "#" and ";"
 * comments, blank lines. It reads a file and calls back; what a section or
 * key means is the caller's business. Also the one way secrets are wiped. */
#ifndef EMAILCFG_INI_H
#define EMAILCFG_INI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/base/error.h"

typedef struct ini_handler {
	/* "[org prod]" gives header "org prod" (trimmed). */
	int (*section)(void *ctx, const char *header, int lineno, ec_error *err);
	int (*pair)(void *ctx, const char *key, const char *value, int lineno, ec_error *err);
	void *ctx;
	/* "#" or ";" after whitespace ends a line ("key = value   # why"). Off
	 * for the credentials file: a password may hold " #". */
	bool inline_comments;
} ini_handler;

/* Reads f line by line, lines of any length (path names it in errors); stops
 * at the first callback that fails. A line that is neither a section, a pair
 * nor a comment is an EC_LOCAL error "PATH:LINE: ...". The line buffer is
 * wiped, so a password read from it does not linger. */
int ini_read(FILE *f, const char *path, const ini_handler *h, ec_error *err);

/* Overwrites a secret with zeros, then frees it (NULL is fine). */
void ec_wipe_free(char *secret);

/* Overwrites n bytes with zeros in a way the compiler cannot drop. */
void ec_wipe(void *p, size_t n);

#endif
