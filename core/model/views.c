/* views.c — the views of views.h: the built-in table, names, and the saved
 * views file (read whole, rewritten whole through a temporary file and
 * rename, so a crash leaves the old file or the new one, never half).
 * Touches only the views file and its directory. */
#include "core/model/views.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/config.h"
#include "core/base/file_replace.h"
#include "core/base/i18n.h"
#include "core/base/mem.h"
#include "core/model/filter.h"

#define COUNT(a)        ((int)(sizeof(a) / sizeof((a)[0])))
#define VIEWS_NAME_MAX  32
#define VIEWS_LINE_MAX  4096
#define VIEWS_SAVED_MAX 1000

/* Active ones only where Dynamics 365's own views are (SSS does not process
 * inactive mailboxes, so their failures and approvals are not news). */
const ec_view views_builtin[] = {
    {"active", N_("Active Mailboxes"), "state:active"},
    {"inactive", N_("Inactive Mailboxes"), "state:inactive"},
    {"failing", N_("Active Mailboxes with Failures"), "state:active status:failure"},
    {"pending-approval", N_("Active Mailboxes Pending Approval"), "state:active approval:pending"},
    {"never-tested", N_("Active Mailboxes Never Tested"),
     "state:active incoming-status:not-run outgoing-status:not-run act-status:not-run"},
    {"users", N_("Active User Mailboxes"), "state:active type:user"},
    {"queues", N_("Active Queue Mailboxes"), "state:active type:queue"},
    {"forward-mailboxes", N_("Forward Mailboxes"), "type:forward"},
    {"all", N_("All Mailboxes"), ""}, /* the console's way back to everything */
};
const int views_builtin_count = COUNT(views_builtin);

const ec_view *views_find_builtin(const char *name)
{
	for (int i = 0; name && i < views_builtin_count; i++)
		if (strcmp(views_builtin[i].name, name) == 0)
			return &views_builtin[i];
	return NULL;
}

char *views_file_path(const ec_config *cfg)
{
	char *dir = config_dir(cfg), *path;
	size_t n;
	if (!dir)
		return NULL;
	n = strlen(dir) + sizeof "/views";
	path = ec_xmalloc(n);
	snprintf(path, n, "%s/views", dir);
	free(dir);
	return path;
}

void views_list_builtin(char *buf, unsigned long size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < views_builtin_count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		                         views_builtin[i].name);
}

static bool views_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && c == '-');
}

int views_check_name(const char *name, ec_error *err)
{
	size_t n = name ? strlen(name) : 0;
	bool ok = n > 0 && n <= VIEWS_NAME_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = views_name_char(name[i], i == 0);
	if (!ok)
		return ec_fail(
		    err, EC_USAGE,
		    "bad view name '%.40s': use 1 to %d of a-z, 0-9 and '-' (not first), "
		    "as in my-queues",
		    name ? name : "", VIEWS_NAME_MAX);
	if (views_find_builtin(name))
		return ec_fail(err, EC_USAGE,
		               "'%s' is a built-in view; save yours under another name", name);
	return EC_OK;
}

void views_free(ec_saved_views *v)
{
	for (int i = 0; i < v->count; i++) {
		free(v->names[i]);
		free(v->filters[i]);
	}
	free(v->names);
	free(v->filters);
	memset(v, 0, sizeof *v);
}

static void views_add(ec_saved_views *v, const char *name, const char *filter)
{
	unsigned long n = (unsigned long)v->count + 1;
	v->names = ec_xrealloc(v->names, sizeof *v->names * n);
	v->filters = ec_xrealloc(v->filters, sizeof *v->filters * n);
	v->names[v->count] = ec_strdup(name);
	v->filters[v->count++] = ec_strdup(filter);
}

static int views_find_saved(const ec_saved_views *v, const char *name)
{
	for (int i = 0; i < v->count; i++)
		if (strcmp(v->names[i], name) == 0)
			return i;
	return -1;
}

/* One NAME<TAB>FILTER line (without its newline) into v. */
static int views_read_line(char *line, ec_saved_views *v, const char *path, int lineno,
                           ec_error *err)
{
	char *tab = strchr(line, '\t');
	ec_error ignored;
	if (!*line || *line == '#')
		return EC_OK;
	if (tab)
		*tab = '\0';
	if (!tab || views_check_name(line, &ignored) != EC_OK || v->count >= VIEWS_SAVED_MAX)
		return ec_fail(err, EC_LOCAL,
		               "%s, line %d: not a saved view (NAME, a tab, FILTER); fix or remove "
		               "the line",
		               path, lineno);
	views_add(v, line, tab + 1);
	return EC_OK;
}

int views_load(const char *path, ec_saved_views *out, ec_error *err)
{
	char line[VIEWS_LINE_MAX];
	int lineno = 0, rc = EC_OK;
	FILE *f;
	memset(out, 0, sizeof *out);
	if (!path || !(f = fopen(path, "r"))) {
		if (!path || errno == ENOENT)
			return EC_OK;
		return ec_fail(err, EC_LOCAL, "cannot read the views file %s: %s", path,
		               strerror(errno));
	}
	while (rc == EC_OK && fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(f))
			rc = ec_fail(err, EC_LOCAL, "%s, line %d: longer than %d bytes; remove it",
			             path, lineno, VIEWS_LINE_MAX - 2);
		if (rc == EC_OK)
			rc = views_read_line(line, out, path, lineno, err);
	}
	fclose(f);
	if (rc != EC_OK)
		views_free(out);
	return rc;
}

/* The directory of path, and its parent, made (0700) when missing. */
static int views_make_dir(const char *path, ec_error *err)
{
	char *dir = ec_strdup(path), *slash = strrchr(dir, '/');
	int rc = EC_OK;
	if (slash && slash != dir) {
		*slash = '\0';
		char *up = strrchr(dir, '/');
		if (up && up != dir) {
			*up = '\0';
			(void)mkdir(dir, 0700); /* $XDG_CONFIG_HOME itself may be new */
			*up = '/';
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = ec_fail(err, EC_LOCAL, "cannot create %s: %s", dir, strerror(errno));
	}
	free(dir);
	return rc;
}

static int views_write_all(FILE *f, void *ctx, ec_error *err)
{
	const ec_saved_views *v = ctx;
	(void)err;
	fputs("# emailcfg saved views: NAME, a tab, FILTER (emailcfg view save/delete)\n", f);
	for (int i = 0; i < v->count; i++)
		fprintf(f, "%s\t%s\n", v->names[i], v->filters[i]);
	return EC_OK;
}

/* The views file, mode 0600, replaced whole (file_replace). */
static int views_store(const char *path, const ec_saved_views *v, ec_error *err)
{
	int rc = views_make_dir(path, err);
	if (rc == EC_OK)
		rc = file_replace(path, 0600, views_write_all, (void *)v, err);
	return rc;
}

/* Whether a quote is left open (the language lets it run to the end, which
 * would swallow the filter typed after the view's). */
static bool views_quote_open(const char *p)
{
	bool quoted = false;
	for (; *p; p++) {
		if (quoted && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		else if (*p == '"')
			quoted = !quoted;
	}
	return quoted;
}

/* A filter fit for the file: one line, closed quotes, and one the filter
 * language takes. */
int views_check_filter(const char *filter, ec_error *err)
{
	ec_filter f;
	int rc;
	if (strpbrk(filter, "\n\r\t"))
		return ec_fail(err, EC_USAGE,
		               "a view's filter is one line without tabs; put it in quotes as one "
		               "argument");
	if (strlen(filter) > VIEWS_LINE_MAX - VIEWS_NAME_MAX - 3)
		return ec_fail(err, EC_USAGE, "the filter is longer than %d bytes; shorten it",
		               VIEWS_LINE_MAX - VIEWS_NAME_MAX - 3);
	if (views_quote_open(filter))
		return ec_fail(err, EC_USAGE, "the filter leaves a quote open; close it with \"");
	rc = filter_compile(filter, &f, err);
	filter_free(&f);
	return rc;
}

int views_save(const char *path, const char *name, const char *filter, ec_error *err)
{
	ec_saved_views v;
	int rc, at;
	if ((rc = views_check_name(name, err)) != EC_OK ||
	    (rc = views_check_filter(filter, err)) != EC_OK ||
	    (rc = views_load(path, &v, err)) != EC_OK)
		return rc;
	at = views_find_saved(&v, name);
	if (at >= 0) {
		free(v.filters[at]);
		v.filters[at] = ec_strdup(filter);
	} else {
		views_add(&v, name, filter);
	}
	rc = views_store(path, &v, err);
	views_free(&v);
	return rc;
}

int views_delete(const char *path, const char *name, ec_error *err)
{
	ec_saved_views v;
	int rc, at;
	if (views_find_builtin(name))
		return ec_fail(err, EC_USAGE, "'%s' is a built-in view and cannot be deleted",
		               name);
	if ((rc = views_load(path, &v, err)) != EC_OK)
		return rc;
	at = views_find_saved(&v, name);
	if (at < 0) {
		views_free(&v);
		return ec_fail(err, EC_USAGE, "no saved view '%.40s'; see emailcfg view list",
		               name);
	}
	free(v.names[at]);
	free(v.filters[at]);
	memmove(v.names + at, v.names + at + 1, sizeof *v.names * (size_t)(v.count - at - 1));
	memmove(v.filters + at, v.filters + at + 1, sizeof *v.filters * (size_t)(v.count - at - 1));
	v.count--;
	rc = views_store(path, &v, err);
	views_free(&v);
	return rc;
}

/* A saved view edited by hand may no longer be a filter: say which view,
 * and how to mend it, rather than only what the filter says. */
static int views_check_saved(const char *name, char **filter, ec_error *err)
{
	ec_error why;
	if (views_check_filter(*filter, &why) == EC_OK)
		return EC_OK;
	free(*filter);
	*filter = NULL;
	return ec_fail(err, EC_USAGE,
	               "the saved view '%s' is not a valid filter (%s); save it again "
	               "with emailcfg view save",
	               name, why.msg);
}

int views_resolve(const char *path, const char *name, char **filter, ec_error *err)
{
	const ec_view *b = views_find_builtin(name);
	ec_saved_views v;
	char builtin[256];
	int rc, at;
	*filter = NULL;
	if (b) {
		*filter = ec_strdup(b->filter);
		return EC_OK;
	}
	if ((rc = views_load(path, &v, err)) != EC_OK)
		return rc;
	at = views_find_saved(&v, name);
	if (at >= 0)
		*filter = ec_strdup(v.filters[at]);
	views_free(&v);
	if (at >= 0)
		return views_check_saved(name, filter, err);
	views_list_builtin(builtin, sizeof builtin);
	return ec_fail(err, EC_USAGE,
	               "unknown view '%.40s'; use one of: %s, or a saved one (emailcfg view list)",
	               name, builtin);
}
