/* credentials.c — the --credentials INI file (see credentials.h). */
#include "core/client/credentials.h"

#include "core/base/ini.h"

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

void credentials_free(ec_credentials *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		free(c->s[i].name);
		ec_wipe_free(c->s[i].username);
		ec_wipe_free(c->s[i].password);
	}
	free(c->s);
	free(c);
}

typedef struct reader {
	ec_credentials *c;
	const char *path;
} reader;

static int on_section(void *ctx, const char *header, int lineno, ec_error *err)
{
	reader *r = ctx;
	ec_credentials *c = r->c;
	bool profile = strncmp(header, "profile ", 8) == 0;
	section *s;
	if (!profile && strncmp(header, "mailbox ", 8) != 0)
		return ec_fail(err, EC_LOCAL,
		               "%s:%d: sections are [mailbox ID|EMAIL] or [profile NAME]", r->path,
		               lineno);
	c->s = ec_xrealloc(c->s, sizeof *c->s * (unsigned long)(c->n + 1));
	s = &c->s[c->n++];
	memset(s, 0, sizeof *s);
	s->profile = profile;
	header += 8;
	while (*header == ' ')
		header++;
	s->name = ec_strdup(header);
	return EC_OK;
}

static int on_pair(void *ctx, const char *key, const char *value, int lineno, ec_error *err)
{
	reader *r = ctx;
	section *s = r->c->n ? &r->c->s[r->c->n - 1] : NULL;
	char **slot = !s                             ? NULL
	              : strcmp(key, "username") == 0 ? &s->username
	              : strcmp(key, "password") == 0 ? &s->password
	                                             : NULL;
	if (!slot)
		return ec_fail(err, EC_LOCAL,
		               "%s:%d: expected username = ... or password = ... inside a section",
		               r->path, lineno);
	ec_wipe_free(*slot);
	*slot = ec_strdup(value);
	return EC_OK;
}

int credentials_load(const char *path, ec_credentials **out, ec_error *err)
{
	ec_credentials *c;
	struct stat st;
	int rc;
	FILE *f = fopen(path, "r");
	if (!f)
		return ec_fail(err, EC_LOCAL, "cannot read the credentials file %s: %s", path,
		               strerror(errno));
	if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
		fclose(f);
		return ec_fail(err, EC_LOCAL,
		               "the credentials file %s is readable by others; run: chmod 600 %s",
		               path, path);
	}
	c = ec_xcalloc(1, sizeof *c);
	{
		reader r = {c, path};
		ini_handler h = {on_section, on_pair, &r};
		rc = ini_read(f, path, &h, err);
	}
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
