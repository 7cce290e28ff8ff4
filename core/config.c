/* config.c — config file, environment and flags (see config.h). Reads files
 * and the environment; writes nothing. */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/ini.h"
#include "core/model.h"

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

/* INI reading state: which [org NAME] we want, which one we are in. */
typedef struct org_reader {
	ec_config *file;
	const char *path;
	const char *want; /* section name wanted, or NULL for "the first one" */
	int sections;     /* [org ...] sections seen */
	char first[128];
	bool in_wanted;
	bool found;
} org_reader;

static int org_section(void *ctx, const char *header, int lineno, ec_error *err)
{
	org_reader *r = ctx;
	const char *name = header + 3;
	(void)lineno, (void)err;
	r->in_wanted = false;
	if (strncmp(header, "org", 3) != 0 || !isspace((unsigned char)*name))
		return EC_OK; /* other sections are for other purposes */
	while (isspace((unsigned char)*name))
		name++;
	if (r->sections++ == 0)
		snprintf(r->first, sizeof r->first, "%s", name);
	r->in_wanted = r->want ? strcmp(r->want, name) == 0 : r->sections == 1;
	if (r->in_wanted)
		r->found = true;
	return EC_OK;
}

static int org_pair(void *ctx, const char *key, const char *value, int lineno, ec_error *err)
{
	org_reader *r = ctx;
	if (!r->in_wanted)
		return EC_OK;
	for (size_t i = 0; i < N_ORG_KEYS; i++)
		if (strcmp(org_keys[i].key, key) == 0) {
			set_str(field(r->file, org_keys[i].offset), value);
			return EC_OK;
		}
	return ec_fail(err, EC_LOCAL,
	               "%s:%d: unknown key '%s' (known: url, tenant, client-id, "
	               "client-secret-file, authority, ca-file, cache)",
	               r->path, lineno, key);
}

/* Reads the [org NAME] section wanted (or the first one) into file. A missing
 * default config file is fine; a missing explicit one is not. */
static int read_config_file(const char *path, bool explicit_path, const char *want, ec_config *file,
                            ec_error *err)
{
	org_reader r = {.file = file, .path = path, .want = want};
	ini_handler h = {org_section, org_pair, &r};
	int rc;
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !explicit_path)
			return EC_OK;
		return ec_fail(err, EC_LOCAL, "cannot read config file %s: %s", path,
		               strerror(errno));
	}
	file->config_path = ec_strdup(path);
	rc = ini_read(f, path, &h, err);
	fclose(f);
	if (rc != EC_OK)
		return rc;
	if (want && !r.found)
		return ec_fail(err, EC_LOCAL,
		               "no [org %s] section in %s; add one or pass --org URL", want, path);
	if (r.found || (!want && r.sections))
		set_str(&file->org_name, want ? want : r.first);
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

char *config_url_host(const char *url)
{
	const char *p = strstr(url, "://"), *end;
	char *host;
	p = p ? p + 3 : url;
	end = p + strcspn(p, "/:?#");
	host = ec_xmalloc((unsigned long)(end - p) + 1);
	memcpy(host, p, (size_t)(end - p));
	host[end - p] = '\0';
	for (char *h = host; *h; h++)
		*h = (char)tolower((unsigned char)*h);
	return host;
}

static char *default_cache_path(const char *org_url)
{
	const char *xdg = env("XDG_CACHE_HOME"), *home = env("HOME");
	char buf[4096], *host;
	if (!org_url || (!xdg && !home))
		return NULL;
	host = config_url_host(org_url);
	if (xdg)
		snprintf(buf, sizeof buf, "%s/emailcfg/%s.db", xdg, host);
	else
		snprintf(buf, sizeof buf, "%s/.cache/emailcfg/%s.db", home, host);
	free(host);
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
	};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (env(vars[i].name))
			set_str(field(c, vars[i].offset), env(vars[i].name));
}

int config_load(const ec_config_flags *flags, ec_config *out, ec_error *err)
{
	const char *org = flags->org ? flags->org : env("EMAILCFG_ORG");
	const char *explicit_path = flags->config ? flags->config : env("EMAILCFG_CONFIG");
	char *path = explicit_path ? ec_strdup(explicit_path) : default_config_path();
	int rc = EC_OK;
	memset(out, 0, sizeof *out);
	if (path)
		rc = read_config_file(path, explicit_path != NULL, org && !is_url(org) ? org : NULL,
		                      out, err);
	free(path);
	if (rc != EC_OK)
		return rc;
	if (org && is_url(org)) {
		set_str(&out->org_url, org);
		free(out->org_name);
		out->org_name = NULL;
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

static char *read_secret_file(const char *path, ec_error *err)
{
	char buf[4096];
	struct stat st;
	size_t n;
	FILE *f = fopen(path, "r");
	if (!f) {
		ec_fail(err, EC_LOCAL, "cannot read the client secret file %s: %s", path,
		        strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
		fclose(f);
		ec_fail(err, EC_LOCAL,
		        "the client secret file %s is readable by others; run: "
		        "chmod 600 %s",
		        path, path);
		return NULL;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0]) {
		ec_fail(err, EC_LOCAL, "the client secret file %s is empty", path);
		return NULL;
	}
	{
		char *secret = ec_strdup(buf);
		memset(buf, 0, sizeof buf);
		return secret;
	}
}

int config_secret(ec_config *cfg, const char **secret, ec_error *err)
{
	if (!cfg->client_secret && cfg->secret_file) {
		cfg->client_secret = read_secret_file(cfg->secret_file, err);
		if (!cfg->client_secret)
			return EC_LOCAL;
	}
	if (!cfg->client_secret)
		return ec_fail(err, EC_LOCAL,
		               "no client secret; set client-secret-file in the "
		               "config, EMAILCFG_CLIENT_SECRET_FILE, or EMAILCFG_TOKEN");
	*secret = cfg->client_secret;
	return EC_OK;
}

void config_free(ec_config *cfg)
{
	for (size_t i = 0; i < N_ORG_KEYS; i++)
		free(*field(cfg, org_keys[i].offset));
	free(cfg->org_name);
	free(cfg->config_path);
	ec_wipe_free(cfg->client_secret);
	ec_wipe_free(cfg->token);
	memset(cfg, 0, sizeof *cfg);
}
