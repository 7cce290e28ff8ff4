/* config.h — where emailcfg finds its organization, credentials and cache:
 * the INI config file ([org NAME] sections), the EMAILCFG_* environment and
 * the command-line flags, in that rising order of precedence. Secrets are read into memory only
 * when needed and never written anywhere; a secret file others can read is refused. */
#ifndef EMAILCFG_CONFIG_H
#define EMAILCFG_CONFIG_H

#include <stdbool.h>

#include "core/base/error.h"

/* What the command line said; NULL means "not given". */
typedef struct ec_config_flags {
	const char *org;
	const char *config;
	const char *cache;
	bool offline, read_only, verbose, quiet;
} ec_config_flags;

typedef struct ec_config {
	char *org_url;  /* https://contoso.crm4.dynamics.com, no trailing slash */
	char *org_name; /* the [org NAME] section used, if any */
	char *tenant;
	char *client_id;
	char *secret_file; /* client-secret-file / EMAILCFG_CLIENT_SECRET_FILE */
	char *authority;   /* default https://login.microsoftonline.com */
	char *ca_file;
	char *cache_path;
	char *auth;          /* client-secret, device-code, windows or adfs (resolved) */
	char *api_version;   /* "9.2" online, "9.0" on-premises by default */
	char *username;      /* auth = windows: DOMAIN\\user or user@REALM */
	char *password_file; /* password-file / EMAILCFG_PASSWORD_FILE (0600) */
	/* history-detail-days, history-days: how long the sync history keeps
	 * every snapshot and change, and then one snapshot a day (text as
	 * given, checked by config_load; config_history_days() reads them) */
	char *history_detail_days;
	char *history_days;
	char *config_path; /* the file read, or NULL when there was none */
	bool auth_given;   /* auth came from the config or EMAILCFG_AUTH */
	bool offline, read_only, verbose, quiet;
	/* in memory only */
	char *client_secret; /* EMAILCFG_CLIENT_SECRET, or read by config_secret() */
	char *token;         /* EMAILCFG_TOKEN: a bearer token, skips OAuth */
	char *password;      /* auth = windows, read by config_password() */
} ec_config;

/* Resolves the configuration. Fails with EC_LOCAL for an unreadable or
 * malformed config file or an unknown [org NAME]; an organization is not
 * required here (cache-only commands work without one). */
int config_load(const ec_config_flags *flags, ec_config *out, ec_error *err);

/* The client secret: from the environment, or read from the secret file,
 * which must not be readable by group or others (EC_LOCAL, "chmod 600"). */
int config_secret(ec_config *cfg, const char **secret, ec_error *err);

/* The Windows password (auth = windows): read from password-file, which
 * must be 0600 like the secret file; NULL without one (Kerberos from the
 * ticket cache). EC_LOCAL naming the file and the fix otherwise. */
int config_password(ec_config *cfg, const char **password, ec_error *err);

/* The password-file read anew, into a copy of the caller's (wipe it with
 * ec_wipe_free): for a Kerberos ticket got again hours later, after the
 * admin may have changed the password and the file. What config_password()
 * handed out stays as it was (other threads may hold it); NULL without a
 * password-file. */
int config_password_again(const ec_config *cfg, char **password, ec_error *err);

/* The public client Microsoft documents as a sample for Dataverse; used for
 * device-code sign-in when no client-id is configured (with the tenant
 * "organizations" when none is: the user's home tenant completes it). */
#define EC_SAMPLE_CLIENT_ID "51f81489-12ee-4a9e-aaae-a2591f45987d"

/* The history bounds in days (0 when not configured: the cache's
 * defaults). config_load() already refused values that are not 1..36500. */
void config_history_days(const ec_config *cfg, int *detail_days, int *days);

/* Whether cfg->auth is the given mode. */
bool config_auth_is(const ec_config *cfg, const char *mode);

/* Fails with EC_USAGE when no organization is configured, saying how to
 * give one. */
int config_require_org(const ec_config *cfg, ec_error *err);

/* The host of an organization URL ("contoso.crm4.dynamics.com"); caller frees. */
char *config_url_host(const char *url);

/* An organization URL as it is compared: scheme and host lower case, no
 * default port, no trailing slash ("https://contoso.crm4.dynamics.com");
 * caller frees. */
char *config_url_key(const char *url);

/* Whether two organization URLs name the same organization (by their keys). */
bool config_url_same(const char *a, const char *b);

/* The configuration directory: that of the config file read, else
 * $XDG_CONFIG_HOME/emailcfg or ~/.config/emailcfg; NULL without a home.
 * Saved views live there (core/model/views.h). Caller frees. */
char *config_dir(const ec_config *cfg);

/* Overwrites secrets with zeros, then frees everything. */
void config_free(ec_config *cfg);

#endif
