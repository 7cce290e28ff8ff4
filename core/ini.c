/* ini.c — reading INI files and wiping secrets (see ini.h). */
#include "core/ini.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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

static int ini_line(char *line, const char *path, int lineno, const ini_handler *h, ec_error *err)
{
	char *eq;
	line = trim(line);
	if (!*line || *line == '#' || *line == ';')
		return EC_OK;
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

int ini_read(FILE *f, const char *path, const ini_handler *h, ec_error *err)
{
	char line[4096];
	int lineno = 0, rc = EC_OK;
	while (rc == EC_OK && fgets(line, sizeof line, f))
		rc = ini_line(line, path, ++lineno, h, err);
	memset(line, 0, sizeof line);
	return rc;
}

void ec_wipe_free(char *secret)
{
	if (secret) {
		volatile char *v = secret;
		while (*v)
			*v++ = '\0';
	}
	free(secret);
}
