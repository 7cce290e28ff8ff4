/* ini.c — reading INI files and wiping secrets (see ini.h). */
#include "core/base/ini.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/mem.h"

static char *trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Cuts "value  # comment" at the whitespace before the comment. */
static void strip_inline_comment(char *line)
{
	for (char *p = line + 1; *p; p++)
		if ((*p == '#' || *p == ';') && isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
}

static int ini_line(char *line, const char *path, int lineno, const ini_handler *h, ec_error *err)
{
	char *eq;
	line = trim(line);
	if (!*line || *line == '#' || *line == ';')
		return EC_OK;
	if (h->inline_comments) {
		strip_inline_comment(line);
		line = trim(line);
	}
	if (*line == '[') {
		char *end = strchr(line, ']');
		if (!end)
			return ec_fail(err, EC_LOCAL, "%s:%d: unterminated section header", path,
			               lineno);
		*end = '\0';
		return h->section(h->ctx, trim(line + 1), lineno, err);
	}
	eq = strchr(line, '=');
	if (!eq)
		return ec_fail(err, EC_LOCAL, "%s:%d: expected KEY = VALUE", path, lineno);
	*eq = '\0';
	return h->pair(h->ctx, trim(line), trim(eq + 1), lineno, err);
}

/* One whole line into *buf, however long: a long value is never split into
 * a second line. The buffer grows by copying, so the old one (which may hold
 * a password) is wiped before it is freed. Returns false at end of file. */
static bool read_line(FILE *f, char **buf, size_t *cap)
{
	size_t len = 0;
	int ch;
	while ((ch = getc(f)) != EOF) {
		if (len + 2 > *cap) {
			char *bigger = ec_xmalloc(*cap * 2);
			memcpy(bigger, *buf, len);
			ec_wipe(*buf, *cap);
			free(*buf);
			*buf = bigger;
			*cap *= 2;
		}
		(*buf)[len++] = (char)ch;
		if (ch == '\n')
			break;
	}
	(*buf)[len] = '\0';
	return len > 0;
}

int ini_read(FILE *f, const char *path, const ini_handler *h, ec_error *err)
{
	size_t cap = 256;
	char *line = ec_xmalloc(cap);
	int lineno = 0, rc = EC_OK;
	while (rc == EC_OK && read_line(f, &line, &cap))
		rc = ini_line(line, path, ++lineno, h, err);
	ec_wipe(line, cap);
	free(line);
	return rc;
}

void ec_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

void ec_wipe_free(char *secret)
{
	if (secret)
		ec_wipe(secret, strlen(secret));
	free(secret);
}
