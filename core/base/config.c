/* config.c — config file, environment and flags (see config.h). Reads files
 * and the environment; writes nothing. */
#include "core/base/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/base/ini.h"
#include "core/base/mem.h"

#define DEFAULT_AUTHORITY "https://login.microsoftonline.com"

/* The keys of an [org NAME] section and where each lands. */
typedef struct ini_key {
	const char *key;
	size_t offset; /* of the char * in ec_config */
} ini_key;

static const ini_key org_keys[] = {
    {"url", offsetof(ec_config, org_url)},
    {"tenant", offsetof(ec_config, tenant)},
    {"client-id", offsetof(ec_config, client_id)},
    {"client-secret-file", offsetof(ec_config, secret_file)},
    {"authority", offsetof(ec_config, authority)},
    {"ca-file", offsetof(ec_config, ca_file)},
    {"cache", offsetof(ec_config, cache_path)},
    {"auth", offsetof(ec_config, auth)},
    {"api-version", offsetof(ec_config, api_version)},
    {"username", offsetof(ec_config, username)},
    {"password-file", offsetof(ec_config, password_file)},
    {"history-detail-days", offsetof(ec_config, history_detail_days)},
    {"history-days", offsetof(ec_config, history_days)},
};
#define N_ORG_KEYS (sizeof org_keys / sizeof org_keys[0])

static char **field(ec_config *c, size_t offset)
{
	return (char **)((char *)c + offset);
}

static void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = ec_strdup(value);
}

/* INI reading state. Each [org NAME] section is read whole into cur and
 * kept only when it is the one asked for: by name, by URL (so --org URL
 * gets that organization's credentials and cache, never another's), or the
 * first one when nothing was asked for. */
typedef struct org_reader {
	ec_config *file;
	const char *path;
	const char *want_name; /* section name wanted */
	const char *want_url;  /* or the section whose url is this */
	int sections;          /* [org ...] sections seen */
	bool in_org;           /* inside an [org ...] section */
	char *cur_name;
	ec_config cur;
	bool found;
} org_reader;

static void free_org_keys(ec_config *c)
{
	for (size_t i = 0; i < N_ORG_KEYS; i++) {
		free(*field(c, org_keys[i].offset));
		*field(c, org_keys[i].offset) = NULL;
	}
}

static bool section_wanted(const org_reader *r)
{
	if (r->want_name)
		return strcmp(r->want_name, r->cur_name) == 0;
	if (r->want_url)
		return r->cur.org_url && config_url_same(r->cur.org_url, r->want_url);
	return r->sections == 1;
}

/* The section just read: moved into file when wanted, else forgotten. */
static void org_section_end(org_reader *r)
{
	if (r->in_org && !r->found && section_wanted(r)) {
		for (size_t i = 0; i < N_ORG_KEYS; i++)
			*field(r->file, org_keys[i].offset) = *field(&r->cur, org_keys[i].offset);
		memset(&r->cur, 0, sizeof r->cur);
		set_str(&r->file->org_name, r->cur_name);
		r->found = true;
	}
	free_org_keys(&r->cur);
	free(r->cur_name);
	r->cur_name = NULL;
	r->in_org = false;
}

static int org_section(void *ctx, const char *header, int lineno, ec_error *err)
{
	org_reader *r = ctx;
	const char *name = header + 3;
	(void)lineno, (void)err;
	org_section_end(r);
	if (strncmp(header, "org", 3) != 0 || !isspace((unsigned char)*name))
		return EC_OK; /* other sections are for other purposes */
	while (isspace((unsigned char)*name))
		name++;
	r->sections++;
	r->in_org = true;
	r->cur_name = ec_strdup(name);
	return EC_OK;
}

static int org_pair(void *ctx, const char *key, const char *value, int lineno, ec_error *err)
{
	org_reader *r = ctx;
	if (!r->in_org)
		return EC_OK;
	for (size_t i = 0; i < N_ORG_KEYS; i++)
		if (strcmp(org_keys[i].key, key) == 0) {
			set_str(field(&r->cur, org_keys[i].offset), value);
			return EC_OK;
		}
	return ec_fail(err, EC_LOCAL,
	               "%s:%d: unknown key '%s' (known: url, tenant, client-id, "
	               "client-secret-file, authority, ca-file, cache, auth, api-version, "
	               "username, password-file, history-detail-days, history-days)",
	               r->path, lineno, key);
}

/* Reads the [org NAME] section wanted (by name or URL, or the first one)
 * into file. A missing default config file is fine; a missing explicit one
 * is not. */
static int read_config_file(const char *path, bool explicit_path, org_reader *r, ec_error *err)
{
	ini_handler h = {org_section, org_pair, r, .inline_comments = true};
	int rc;
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !explicit_path)
			return EC_OK;
		return ec_fail(err, EC_LOCAL, "cannot read config file %s: %s", path,
		               strerror(errno));
	}
	r->path = path;
	r->file->config_path = ec_strdup(path);
	rc = ini_read(f, path, &h, err);
	fclose(f);
	if (rc == EC_OK)
		org_section_end(r);
	free_org_keys(&r->cur);
	free(r->cur_name);
	if (rc != EC_OK)
		return rc;
	if (r->want_name && !r->found)
		return ec_fail(err, EC_LOCAL,
		               "no [org %s] section in %s; add one or pass --org URL", r->want_name,
		               path);
	return EC_OK;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static char *default_config_path(void)
{
	const char *xdg = env("XDG_CONFIG_HOME"), *home = env("HOME");
	char buf[4096];
	if (xdg)
		snprintf(buf, sizeof buf, "%s/emailcfg/config", xdg);
	else if (home)
		snprintf(buf, sizeof buf, "%s/.config/emailcfg/config", home);
	else
		return NULL;
	return ec_strdup(buf);
}

/* The parts of an organization URL that name it: scheme and host (as
 * written) and the port ("" when not given). */
typedef struct url_parts {
	const char *scheme, *host, *port, *path;
	size_t scheme_len, host_len, port_len;
} url_parts;

static void url_split(const char *url, url_parts *u)
{
	const char *p = strstr(url, "://");
	memset(u, 0, sizeof *u);
	u->scheme = url;
	u->scheme_len = p ? (size_t)(p - url) : 0;
	u->host = p ? p + 3 : url;
	if (*u->host == '[') /* [::1]:8080 */
		u->host_len = strcspn(u->host, "]") + (u->host[strcspn(u->host, "]")] == ']');
	else
		u->host_len = strcspn(u->host, "/:?#");
	u->port = u->host + u->host_len;
	if (*u->port == ':') {
		u->port++;
		u->port_len = strcspn(u->port, "/?#");
	}
	u->path = u->port + u->port_len;
}

static bool default_port(const url_parts *u)
{
	if (u->port_len == 0)
		return true;
	if (u->scheme_len == 5 && strncasecmp(u->scheme, "https", 5) == 0)
		return u->port_len == 3 && strncmp(u->port, "443", 3) == 0;
	if (u->scheme_len == 4 && strncasecmp(u->scheme, "http", 4) == 0)
		return u->port_len == 2 && strncmp(u->port, "80", 2) == 0;
	return false;
}

static char *lower_copy(const char *s, size_t n)
{
	char *out = ec_xmalloc((unsigned long)n + 1);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return out;
}

char *config_url_host(const char *url)
{
	url_parts u;
	url_split(url, &u);
	return lower_copy(u.host, u.host_len);
}

char *config_url_key(const char *url)
{
	url_parts u;
	char *scheme, *host, *key;
	size_t path_len, n;
	url_split(url, &u);
	path_len = strlen(u.path);
	while (path_len > 0 && u.path[path_len - 1] == '/')
		path_len--;
	scheme = lower_copy(u.scheme, u.scheme_len);
	host = lower_copy(u.host, u.host_len);
	n = strlen(scheme) + strlen(host) + u.port_len + path_len + 8;
	key = ec_xmalloc((unsigned long)n);
	snprintf(key, n, "%s://%s%s%.*s%.*s", scheme, host, default_port(&u) ? "" : ":",
	         default_port(&u) ? 0 : (int)u.port_len, u.port, (int)path_len, u.path);
	free(scheme);
	free(host);
	return key;
}

bool config_url_same(const char *a, const char *b)
{
	char *ka = config_url_key(a), *kb = config_url_key(b);
	bool same = strcmp(ka, kb) == 0;
	free(ka);
	free(kb);
	return same;
}

/* The URL's path as a file name: lower case, slashes at either end gone,
 * anything but [a-z0-9.-] as '-'; "" for no path. */
static void path_name(const char *path, char *out, size_t size)
{
	size_t n = strcspn(path, "?#"), o = 0;
	while (n > 0 && *path == '/')
		path++, n--;
	while (n > 0 && path[n - 1] == '/')
		n--;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		char ch = (char)tolower((unsigned char)path[i]);
		out[o++] =
		    (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-'
		        ? ch
		        : '-';
	}
	out[o] = '\0';
}

/* $XDG_CACHE_HOME/emailcfg/HOST.db, HOST-PORT.db for a port that is not the
 * scheme's own, and _PATH before .db for an organization below the host's
 * root (on-premises: https://SERVER/ORGNAME): two organizations never share
 * a default cache. */
static char *default_cache_path(const char *org_url)
{
	const char *xdg = env("XDG_CACHE_HOME"), *home = env("HOME");
	char buf[4096], *host, name[512], path[256];
	url_parts u;
	if (!org_url || (!xdg && !home))
		return NULL;
	url_split(org_url, &u);
	host = config_url_host(org_url);
	path_name(u.path, path, sizeof path);
	if (default_port(&u))
		snprintf(name, sizeof name, "%s", host);
	else
		snprintf(name, sizeof name, "%s-%.*s", host, (int)u.port_len, u.port);
	free(host);
	for (char *p = name; *p; p++)
		if (*p == '/' || *p == '[' || *p == ']' || *p == ':')
			*p = '_';
	if (*path)
		snprintf(name + strlen(name), sizeof name - strlen(name), "_%s", path);
	if (xdg)
		snprintf(buf, sizeof buf, "%s/emailcfg/%s.db", xdg, name);
	else
		snprintf(buf, sizeof buf, "%s/.cache/emailcfg/%s.db", home, name);
	return ec_strdup(buf);
}

static bool is_url(const char *s)
{
	return strstr(s, "://") != NULL;
}

static void strip_trailing_slash(char *url)
{
	size_t n = url ? strlen(url) : 0;
	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
}

/* Environment over file: each EMAILCFG_* variable replaces its key. */
static void apply_env(ec_config *c)
{
	static const struct {
		const char *name;
		size_t offset;
	} vars[] = {
	    {"EMAILCFG_TENANT", offsetof(ec_config, tenant)},
	    {"EMAILCFG_CLIENT_ID", offsetof(ec_config, client_id)},
	    {"EMAILCFG_CLIENT_SECRET_FILE", offsetof(ec_config, secret_file)},
	    {"EMAILCFG_AUTHORITY", offsetof(ec_config, authority)},
	    {"EMAILCFG_CA_FILE", offsetof(ec_config, ca_file)},
	    {"EMAILCFG_CACHE", offsetof(ec_config, cache_path)},
	    {"EMAILCFG_CLIENT_SECRET", offsetof(ec_config, client_secret)},
	    {"EMAILCFG_TOKEN", offsetof(ec_config, token)},
	    {"EMAILCFG_AUTH", offsetof(ec_config, auth)},
	    {"EMAILCFG_API_VERSION", offsetof(ec_config, api_version)},
	    {"EMAILCFG_USERNAME", offsetof(ec_config, username)},
	    {"EMAILCFG_PASSWORD_FILE", offsetof(ec_config, password_file)},
	    {"EMAILCFG_HISTORY_DETAIL_DAYS", offsetof(ec_config, history_detail_days)},
	    {"EMAILCFG_HISTORY_DAYS", offsetof(ec_config, history_days)},
	};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (env(vars[i].name))
			set_str(field(c, vars[i].offset), env(vars[i].name));
}

bool config_auth_is(const ec_config *cfg, const char *mode)
{
	return cfg->auth && strcmp(cfg->auth, mode) == 0;
}

/* auth: client-secret when a secret is configured, device-code otherwise
 * (as `pac auth create` without --applicationId); api-version: 9.0 for the
 * on-premises ways, which every 9.x server answers, 9.2 online. */
static int resolve_auth(ec_config *c, ec_error *err)
{
	static const char *const modes[] = {"client-secret", "device-code", "windows", "adfs"};
	bool known = false;
	c->auth_given = c->auth != NULL;
	if (!c->auth)
		c->auth =
		    ec_strdup(c->client_secret || c->secret_file ? "client-secret" : "device-code");
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		known = known || strcmp(c->auth, modes[i]) == 0;
	if (!known)
		return ec_fail(err, EC_USAGE,
		               "auth is '%.40s'; it is one of client-secret, device-code, windows, "
		               "adfs (config key auth or EMAILCFG_AUTH)",
		               c->auth);
	if (!c->api_version)
		c->api_version = ec_strdup(
		    config_auth_is(c, "windows") || config_auth_is(c, "adfs") ? "9.0" : "9.2");
	{
		const char *v = c->api_version;
		size_t major = strspn(v, "0123456789"), minor = 0;
		if (major > 0 && major < 3 && v[major] == '.')
			minor = strspn(v + major + 1, "0123456789");
		if (minor == 0 || minor > 2 || v[major + 1 + minor] != '\0')
			return ec_fail(err, EC_USAGE,
			               "api-version is '%.40s'; give it as 9.2 or 9.0 (config key "
			               "api-version or EMAILCFG_API_VERSION)",
			               v);
	}
	return EC_OK;
}

/* A number of days, 1 to 100 years; 0 for none given, -1 for a bad one. */
static int parse_days(const char *text)
{
	char *end;
	long v;
	if (!text)
		return 0;
	v = strtol(text, &end, 10);
	return end != text && *end == '\0' && v >= 1 && v <= 36500 ? (int)v : -1;
}

void config_history_days(const ec_config *cfg, int *detail_days, int *days)
{
	*detail_days = parse_days(cfg->history_detail_days);
	*days = parse_days(cfg->history_days);
	*detail_days = *detail_days < 0 ? 0 : *detail_days;
	*days = *days < 0 ? 0 : *days;
}

static int check_history_days(const ec_config *c, ec_error *err)
{
	if (parse_days(c->history_detail_days) < 0)
		return ec_fail(
		    err, EC_LOCAL,
		    "history-detail-days is '%.40s'; give a number of days from 1 to 36500",
		    c->history_detail_days);
	if (parse_days(c->history_days) < 0)
		return ec_fail(err, EC_LOCAL,
		               "history-days is '%.40s'; give a number of days from 1 to 36500",
		               c->history_days);
	return EC_OK;
}

int config_load(const ec_config_flags *flags, ec_config *out, ec_error *err)
{
	const char *org = flags->org ? flags->org : env("EMAILCFG_ORG");
	const char *explicit_path = flags->config ? flags->config : env("EMAILCFG_CONFIG");
	char *path = explicit_path ? ec_strdup(explicit_path) : default_config_path();
	org_reader r = {.file = out};
	int rc = EC_OK;
	memset(out, 0, sizeof *out);
	if (org && is_url(org))
		r.want_url = org;
	else
		r.want_name = org;
	if (path)
		rc = read_config_file(path, explicit_path != NULL, &r, err);
	free(path);
	if (rc != EC_OK)
		return rc;
	if (org && is_url(org)) {
		set_str(&out->org_url, org);
	} else if (org && !out->org_name) {
		return ec_fail(err, EC_LOCAL,
		               "no [org %s] section: no config file found; create "
		               "$XDG_CONFIG_HOME/emailcfg/config or pass --org URL",
		               org);
	}
	apply_env(out);
	if (flags->cache)
		set_str(&out->cache_path, flags->cache);
	strip_trailing_slash(out->org_url);
	if (!out->authority)
		out->authority = ec_strdup(DEFAULT_AUTHORITY);
	strip_trailing_slash(out->authority);
	if (!out->cache_path)
		out->cache_path = default_cache_path(out->org_url);
	if ((rc = resolve_auth(out, err)) != EC_OK)
		return rc;
	if ((rc = check_history_days(out, err)) != EC_OK)
		return rc;
	out->offline = flags->offline;
	out->read_only = flags->read_only;
	out->verbose = flags->verbose;
	out->quiet = flags->quiet;
	return EC_OK;
}

int config_require_org(const ec_config *cfg, ec_error *err)
{
	if (cfg->org_url && *cfg->org_url)
		return EC_OK;
	return ec_fail(err, EC_LOCAL,
	               "no organization given; pass --org URL, set EMAILCFG_ORG, "
	               "or add an [org NAME] section with url = ... to the config file");
}

/* what: "client secret" or "password", for the admin's message. */
static char *read_secret_file(const char *path, const char *what, ec_error *err)
{
	char buf[4096];
	struct stat st;
	size_t n;
	FILE *f = fopen(path, "r");
	if (!f) {
		ec_fail(err, EC_LOCAL, "cannot read the %s file %s: %s", what, path,
		        strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
		fclose(f);
		ec_fail(err, EC_LOCAL,
		        "the %s file %s is readable by others; run: "
		        "chmod 600 %s",
		        what, path, path);
		return NULL;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0]) {
		ec_fail(err, EC_LOCAL, "the %s file %s is empty", what, path);
		return NULL;
	}
	{
		char *secret = ec_strdup(buf);
		memset(buf, 0, sizeof buf);
		return secret;
	}
}

/* The secret files are read when first needed (a command that stays
 * offline never reads them), and the console's UI thread and worker may
 * need one at the same moment: one lock, so each file is read once and no
 * thread is handed a copy another thread replaced. */
static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;

/* *slot, else the file read into it; NULL (err set) when it cannot be read. */
static const char *config_read_once(char **slot, const char *file, const char *what, ec_error *err)
{
	const char *value;
	pthread_mutex_lock(&secret_lock);
	if (!*slot && file)
		*slot = read_secret_file(file, what, err);
	value = *slot;
	pthread_mutex_unlock(&secret_lock);
	return value;
}

int config_secret(ec_config *cfg, const char **secret, ec_error *err)
{
	if (cfg->secret_file &&
	    !config_read_once(&cfg->client_secret, cfg->secret_file, "client secret", err))
		return EC_LOCAL;
	if (!cfg->client_secret)
		return ec_fail(err, EC_LOCAL,
		               "no client secret; set client-secret-file in the "
		               "config, EMAILCFG_CLIENT_SECRET_FILE, or EMAILCFG_TOKEN");
	*secret = cfg->client_secret;
	return EC_OK;
}

int config_password(ec_config *cfg, const char **password, ec_error *err)
{
	if (cfg->password_file &&
	    !config_read_once(&cfg->password, cfg->password_file, "password", err))
		return EC_LOCAL;
	*password = cfg->password;
	return EC_OK;
}

int config_password_again(const ec_config *cfg, char **password, ec_error *err)
{
	*password = NULL;
	if (!cfg->password_file)
		return EC_OK;
	*password = read_secret_file(cfg->password_file, "password", err);
	return *password ? EC_OK : EC_LOCAL;
}

char *config_dir(const ec_config *cfg)
{
	char *path = cfg->config_path ? ec_strdup(cfg->config_path) : default_config_path();
	char *slash = path ? strrchr(path, '/') : NULL;
	if (slash)
		*slash = '\0';
	else if (path)
		strcpy(path, "."); /* a config file named without a directory */
	return path;
}

void config_free(ec_config *cfg)
{
	for (size_t i = 0; i < N_ORG_KEYS; i++)
		free(*field(cfg, org_keys[i].offset));
	free(cfg->org_name);
	free(cfg->config_path);
	ec_wipe_free(cfg->client_secret);
	ec_wipe_free(cfg->token);
	ec_wipe_free(cfg->password);
	memset(cfg, 0, sizeof *cfg);
}
