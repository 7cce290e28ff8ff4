/* credentials.c — the --credentials INI file (see credentials.h). */
#include "core/credentials.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct section {
	bool profile; /* [profile NAME], else [mailbox ID|EMAIL] */
	char *name;
	char *username, *password;
} section;

struct ec_credentials {
	section *s;
	int n;
};

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

static void wipe(char *s)
{
	if (s) {
		volatile char *v = s;
		while (*v)
			*v++ = '\0';
	}
	free(s);
}

void credentials_free(ec_credentials *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		free(c->s[i].name);
		wipe(c->s[i].username);
		wipe(c->s[i].password);
	}
	free(c->s);
	free(c);
}

static int parse_line(ec_credentials *c, char *line, const char *path, int lineno, ec_error *err)
{
	char *eq;
	line = trim(line);
	if (!*line || *line == '#' || *line == ';')
		return EC_OK;
	if (*line == '[') {
		char *end = strchr(line, ']'), *kind;
		section *s;
		if (!end)
			return ec_fail(err, EC_LOCAL, "%s:%d: unterminated section", path, lineno);
		*end = '\0';
		kind = trim(line + 1);
		c->s = ec_xrealloc(c->s, sizeof *c->s * (unsigned long)(c->n + 1));
		s = &c->s[c->n++];
		memset(s, 0, sizeof *s);
		if (strncmp(kind, "profile ", 8) == 0)
			s->profile = true, s->name = ec_strdup(trim(kind + 8));
		else if (strncmp(kind, "mailbox ", 8) == 0)
			s->name = ec_strdup(trim(kind + 8));
		else
			return ec_fail(err, EC_LOCAL,
			               "%s:%d: sections are [mailbox ID|EMAIL] or "
			               "[profile NAME]",
			               path, lineno);
		return EC_OK;
	}
	eq = strchr(line, '=');
	if (!eq || !c->n)
		return ec_fail(err, EC_LOCAL,
		               "%s:%d: expected username = ... or password = ... "
		               "inside a section",
		               path, lineno);
	*eq = '\0';
	if (strcmp(trim(line), "username") == 0) {
		free(c->s[c->n - 1].username);
		c->s[c->n - 1].username = ec_strdup(trim(eq + 1));
	} else if (strcmp(trim(line), "password") == 0) {
		wipe(c->s[c->n - 1].password);
		c->s[c->n - 1].password = ec_strdup(trim(eq + 1));
	} else {
		return ec_fail(err, EC_LOCAL, "%s:%d: unknown key (username, password)", path,
		               lineno);
	}
	return EC_OK;
}

int credentials_load(const char *path, ec_credentials **out, ec_error *err)
{
	ec_credentials *c;
	struct stat st;
	char line[2048];
	int lineno = 0, rc = EC_OK;
	FILE *f = fopen(path, "r");
	if (!f)
		return ec_fail(err, EC_LOCAL, "cannot read the credentials file %s: %s", path,
		               strerror(errno));
	if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
		fclose(f);
		return ec_fail(err, EC_LOCAL,
		               "the credentials file %s is readable by others; run: "
		               "chmod 600 %s",
		               path, path);
	}
	c = ec_xcalloc(1, sizeof *c);
	while (rc == EC_OK && fgets(line, sizeof line, f))
		rc = parse_line(c, line, path, ++lineno, err);
	memset(line, 0, sizeof line);
	fclose(f);
	if (rc != EC_OK) {
		credentials_free(c);
		return rc;
	}
	*out = c;
	return EC_OK;
}

int credentials_find(const ec_credentials *c, const ec_mailbox *m, const char **username,
                     const char **password)
{
	const section *by_profile = NULL;
	for (int i = 0; c && i < c->n; i++) {
		const section *s = &c->s[i];
		if (!s->profile && (strcasecmp(s->name, m->id) == 0 ||
		                    (m->email && strcasecmp(s->name, m->email) == 0))) {
			*username = s->username;
			*password = s->password;
			return 0;
		}
		if (s->profile && m->profile_name && strcasecmp(s->name, m->profile_name) == 0)
			by_profile = s;
	}
	if (!by_profile)
		return -1;
	*username = by_profile->username;
	*password = by_profile->password;
	return 0;
}
