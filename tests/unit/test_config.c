/* test_config.c — config file, environment and flags: precedence, [org NAME]
 * sections, defaults, errors, and the secret file's permissions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/base/config.h"

static char dir[] = "/tmp/emailcfg-config-XXXXXX";
static char path[512], secret_path[512];

static const char *const env_names[] = {
    "EMAILCFG_ORG",
    "EMAILCFG_CONFIG",
    "EMAILCFG_CACHE",
    "EMAILCFG_TENANT",
    "EMAILCFG_CLIENT_ID",
    "EMAILCFG_CLIENT_SECRET",
    "EMAILCFG_CLIENT_SECRET_FILE",
    "EMAILCFG_TOKEN",
    "EMAILCFG_AUTHORITY",
    "EMAILCFG_CA_FILE",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
};

static void write_file(const char *p, const char *text, mode_t mode)
{
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(p, mode);
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/config", dir);
	snprintf(secret_path, sizeof secret_path, "%s/secret", dir);
	{
		char text[4096];
		snprintf(text, sizeof text,
		         "# two organizations\n"
		         "[org prod]\n"
		         "url = https://Contoso.crm4.dynamics.com/\n"
		         "tenant = 11111111-1111-1111-1111-111111111111\n"
		         "client-id = app-prod\n"
		         "client-secret-file = %s\n"
		         "\n"
		         "[org test]\n"
		         "url = https://contoso-test.crm4.dynamics.com\n"
		         "client-id = app-test\n"
		         "cache = /tmp/test-cache.db\n",
		         secret_path);
		write_file(path, text, 0644);
	}
	write_file(secret_path, "s3cr3t-value\n", 0600);
	setenv("XDG_CACHE_HOME", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The cache is NAME in the default cache directory. */
static void assert_default_cache(const ec_config *cfg, const char *name)
{
	char want[600];
	snprintf(want, sizeof want, "%s/emailcfg/%s", dir, name);
	assert_string_equal(cfg->cache_path, want);
}

static void the_first_section_by_default(void **state)
{
	ec_config_flags flags = {.config = path};
	ec_config cfg;
	(void)state;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_name, "prod");
	assert_string_equal(cfg.org_url, "https://Contoso.crm4.dynamics.com");
	assert_string_equal(cfg.client_id, "app-prod");
	assert_string_equal(cfg.authority, "https://login.microsoftonline.com");
	assert_default_cache(&cfg, "contoso.crm4.dynamics.com.db");
	config_free(&cfg);
}

static void named_section(void **state)
{
	ec_config_flags flags = {.config = path, .org = "test"};
	ec_config cfg;
	(void)state;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_url, "https://contoso-test.crm4.dynamics.com");
	assert_string_equal(cfg.client_id, "app-test");
	assert_string_equal(cfg.cache_path, "/tmp/test-cache.db");
	assert_null(cfg.tenant);
	config_free(&cfg);
}

static void flags_beat_environment_beat_file(void **state)
{
	ec_config_flags flags = {.config = path, .org = "test"};
	ec_config cfg;
	(void)state;
	setenv("EMAILCFG_CLIENT_ID", "app-from-env", 1);
	setenv("EMAILCFG_CACHE", "/tmp/env.db", 1);
	setenv("EMAILCFG_ORG", "prod", 1);
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_name, "test");          /* flag over env */
	assert_string_equal(cfg.client_id, "app-from-env"); /* env over file */
	assert_string_equal(cfg.cache_path, "/tmp/env.db");
	config_free(&cfg);
	flags.cache = "/tmp/flag.db";
	flags.org = NULL;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_name, "prod"); /* env over file default */
	assert_string_equal(cfg.cache_path, "/tmp/flag.db");
	config_free(&cfg);
	unsetenv("EMAILCFG_CLIENT_ID");
	unsetenv("EMAILCFG_CACHE");
	unsetenv("EMAILCFG_ORG");
}

static void url_org_and_environment_config(void **state)
{
	ec_config_flags flags = {.org = "https://other.crm.dynamics.com///"};
	ec_config cfg;
	(void)state;
	setenv("EMAILCFG_CONFIG", path, 1);
	setenv("EMAILCFG_TOKEN", "tok", 1);
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_url, "https://other.crm.dynamics.com");
	assert_null(cfg.org_name);
	assert_null(cfg.client_id); /* nothing of [org prod] */
	assert_null(cfg.tenant);
	assert_null(cfg.secret_file);
	assert_default_cache(&cfg, "other.crm.dynamics.com.db");
	assert_string_equal(cfg.token, "tok");
	assert_string_equal(cfg.config_path, path);
	config_free(&cfg);
	unsetenv("EMAILCFG_CONFIG");
	unsetenv("EMAILCFG_TOKEN");
}

/* history-detail-days and history-days: read from the file (the
 * environment beats it), 0 when not given, and refused unless 1..36500. */
static void history_bounds(void **state)
{
	ec_config_flags flags = {0};
	ec_config cfg;
	ec_error err;
	char file[600];
	int detail, days;
	(void)state;
	snprintf(file, sizeof file, "%s/history", dir);
	flags.config = file;
	write_file(file, "[org x]\nurl = https://x\nhistory-detail-days = 7\nhistory-days = 90\n",
	           0600);
	assert_int_equal(config_load(&flags, &cfg, &err), EC_OK);
	config_history_days(&cfg, &detail, &days);
	assert_int_equal(detail, 7);
	assert_int_equal(days, 90);
	config_free(&cfg);
	setenv("EMAILCFG_HISTORY_DAYS", "400", 1);
	assert_int_equal(config_load(&flags, &cfg, &err), EC_OK);
	config_history_days(&cfg, &detail, &days);
	assert_int_equal(days, 400);
	config_free(&cfg);
	unsetenv("EMAILCFG_HISTORY_DAYS");
	write_file(file, "[org x]\nurl = https://x\n", 0600);
	assert_int_equal(config_load(&flags, &cfg, &err), EC_OK);
	config_history_days(&cfg, &detail, &days);
	assert_int_equal(detail + days, 0);
	config_free(&cfg);
	for (int i = 0; i < 3; i++) {
		static const char *const bad[] = {"0", "3x", "36501"};
		char text[120];
		snprintf(text, sizeof text, "[org x]\nurl = https://x\nhistory-detail-days = %s\n",
		         bad[i]);
		write_file(file, text, 0600);
		assert_int_equal(config_load(&flags, &cfg, &err), EC_LOCAL);
		assert_non_null(strstr(err.msg, "history-detail-days is"));
		config_free(&cfg);
	}
}

static void missing_and_broken_files(void **state)
{
	ec_config_flags flags = {.config = "/nonexistent/emailcfg.conf"};
	ec_config cfg;
	ec_error err;
	char bad[600];
	(void)state;
	assert_int_equal(config_load(&flags, &cfg, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "/nonexistent/emailcfg.conf"));
	flags.config = path;
	flags.org = "staging";
	assert_int_equal(config_load(&flags, &cfg, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "[org staging]"));
	config_free(&cfg);
	snprintf(bad, sizeof bad, "%s/bad", dir);
	write_file(bad, "[org x]\nurl https://x\n", 0600);
	flags.config = bad;
	flags.org = NULL;
	assert_int_equal(config_load(&flags, &cfg, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, ":2:"));
	config_free(&cfg);
	write_file(bad, "[org x]\ncolour = blue\n", 0600);
	assert_int_equal(config_load(&flags, &cfg, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "'colour'"));
	config_free(&cfg);
	/* No file at all is fine when none was asked for. */
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	flags.config = NULL;
	assert_int_equal(config_load(&flags, &cfg, &err), EC_OK);
	assert_int_equal(config_require_org(&cfg, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "--org"));
	config_free(&cfg);
	unsetenv("XDG_CONFIG_HOME");
}

static void secret_file_must_be_private(void **state)
{
	ec_config_flags flags = {.config = path};
	ec_config cfg;
	ec_error err;
	const char *secret = NULL;
	char want[700];
	(void)state;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_int_equal(config_secret(&cfg, &secret, &err), EC_OK);
	assert_string_equal(secret, "s3cr3t-value");
	config_free(&cfg);

	chmod(secret_path, 0640);
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_int_equal(config_secret(&cfg, &secret, &err), EC_LOCAL);
	snprintf(want, sizeof want, "chmod 600 %s", secret_path);
	assert_non_null(strstr(err.msg, want));
	assert_null(strchr(err.msg, '\n'));
	assert_null(strstr(err.msg, "s3cr3t"));
	config_free(&cfg);
	chmod(secret_path, 0604);
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_int_equal(config_secret(&cfg, &secret, &err), EC_LOCAL);
	config_free(&cfg);
	chmod(secret_path, 0600);

	/* The environment's secret wins and needs no file. */
	setenv("EMAILCFG_CLIENT_SECRET", "from-env", 1);
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_int_equal(config_secret(&cfg, &secret, &err), EC_OK);
	assert_string_equal(secret, "from-env");
	config_free(&cfg);
	unsetenv("EMAILCFG_CLIENT_SECRET");
}

static void url_host(void **state)
{
	char *h = config_url_host("https://Contoso.CRM4.dynamics.com:443/api");
	(void)state;
	assert_string_equal(h, "contoso.crm4.dynamics.com");
	free(h);
}

/* --org URL takes the section whose url names the same organization (case,
 * default port and trailing slash aside), its credentials and its cache. */
static void url_org_matches_its_section(void **state)
{
	ec_config_flags flags = {.config = path,
	                         .org = "HTTPS://contoso-test.CRM4.dynamics.com:443/"};
	ec_config cfg;
	(void)state;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_name, "test");
	assert_string_equal(cfg.client_id, "app-test");
	assert_string_equal(cfg.cache_path, "/tmp/test-cache.db");
	config_free(&cfg);
	/* Another port is another organization: its own cache, no credentials. */
	flags.org = "https://contoso.crm4.dynamics.com:8443";
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_null(cfg.org_name);
	assert_null(cfg.client_id);
	assert_null(cfg.secret_file);
	assert_default_cache(&cfg, "contoso.crm4.dynamics.com-8443.db");
	config_free(&cfg);
}

/* Organizations on one host (on-premises: https://SERVER/ORGNAME/) each get
 * a default cache of their own: the path is in the name, made safe. */
static void a_path_is_its_own_cache(void **state)
{
	static const struct {
		const char *url, *name;
	} cases[] = {
	    {"https://crm.example", "crm.example.db"},
	    {"https://crm.example/", "crm.example.db"},
	    {"https://CRM.example/Org2/", "crm.example_org2.db"},
	    {"http://127.0.0.1:8642/org2", "127.0.0.1-8642_org2.db"},
	    {"https://crm.example/a b/../C%41", "crm.example_a-b-..-c-41.db"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ec_config_flags flags = {.org = cases[i].url, .config = path};
		ec_config cfg;
		assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
		assert_default_cache(&cfg, cases[i].name);
		config_free(&cfg);
	}
}

static void url_keys(void **state)
{
	char *k = config_url_key("HTTP://127.0.0.1:80//");
	(void)state;
	assert_string_equal(k, "http://127.0.0.1");
	free(k);
	k = config_url_key("http://[::1]:8642/");
	assert_string_equal(k, "http://[::1]:8642");
	free(k);
	assert_true(config_url_same("https://A.example", "https://a.example:443/"));
	assert_false(config_url_same("https://a.example", "http://a.example"));
	assert_false(config_url_same("http://127.0.0.1:1", "http://127.0.0.1:2"));
}

/* A line longer than any buffer is one line: its tail is never read as a
 * line of its own (a padded value could smuggle in a url). */
static void long_lines_are_not_split(void **state)
{
	static const char head[] = "[org x]\nurl = https://x.example\nclient-id = ";
	static const char tail[] = "url = https://attacker.example\n";
	ec_config_flags flags = {.config = NULL};
	ec_config cfg;
	char file[600], *text = calloc(1, sizeof head + 5000 + sizeof tail);
	(void)state;
	strcpy(text, head);
	memset(text + strlen(head), 'A', 5000);
	strcat(text, tail);
	snprintf(file, sizeof file, "%s/long", dir);
	write_file(file, text, 0600);
	free(text);
	flags.config = file;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_url, "https://x.example");
	assert_int_equal(strlen(cfg.client_id), 5000 + strlen(tail) - 1);
	config_free(&cfg);
}

static void inline_comments(void **state)
{
	ec_config_flags flags = {.config = NULL};
	ec_config cfg;
	char file[600];
	(void)state;
	snprintf(file, sizeof file, "%s/comments", dir);
	write_file(file,
	           "[org x]   ; the one\n"
	           "url = https://x.example   # production\n"
	           "client-id = app;id#1\t; a ; in a value stays\n",
	           0600);
	flags.config = file;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_name, "x");
	assert_string_equal(cfg.org_url, "https://x.example");
	assert_string_equal(cfg.client_id, "app;id#1");
	config_free(&cfg);
}

/* The README's config example, copied as written, works. */
static void readme_example(void **state)
{
	ec_config_flags flags = {.config = NULL};
	ec_config cfg;
	char file[600], line[1024];
	FILE *in = fopen("README.md", "r"), *out;
	bool inside = false;
	(void)state;
	assert_non_null(in);
	snprintf(file, sizeof file, "%s/readme", dir);
	out = fopen(file, "w");
	while (fgets(line, sizeof line, in)) {
		if (inside && strncmp(line, "```", 3) == 0)
			break;
		if (inside)
			fputs(line, out);
		inside = inside || strncmp(line, "```ini", 6) == 0;
	}
	fclose(in);
	fclose(out);
	flags.config = file;
	assert_int_equal(config_load(&flags, &cfg, NULL), EC_OK);
	assert_string_equal(cfg.org_name, "prod");
	assert_string_equal(cfg.org_url, "https://contoso.crm4.dynamics.com");
	assert_string_equal(cfg.secret_file, "/home/admin/.config/emailcfg/prod.secret");
	assert_string_equal(cfg.tenant, "11111111-2222-3333-4444-555555555555");
	assert_string_equal(cfg.client_id, "66666666-7777-8888-9999-000000000000");
	config_free(&cfg);
}

/* The console's UI thread and worker ask for the password at once: the
 * file is read once and both are handed the same copy (a copy read twice
 * left one thread holding the one another thread replaced, and leaked). */
struct asker {
	ec_config *cfg;
	pthread_barrier_t *go;
	const char *got;
};

static void *ask_password(void *arg)
{
	struct asker *a = arg;
	ec_error err = {0};
	pthread_barrier_wait(a->go);
	if (config_password(a->cfg, &a->got, &err) != EC_OK)
		a->got = NULL;
	return NULL;
}

static void two_threads_read_the_password_once(void **state)
{
	char file[600];
	int differ = 0;
	(void)state;
	snprintf(file, sizeof file, "%s/password", dir);
	write_file(file, "pa55word\n", 0600);
	for (int round = 0; round < 200; round++) {
		ec_config cfg = {0};
		pthread_barrier_t go;
		struct asker a[2] = {{&cfg, &go, NULL}, {&cfg, &go, NULL}};
		pthread_t t[2];
		cfg.password_file = strdup(file);
		pthread_barrier_init(&go, NULL, 2);
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&t[i], NULL, ask_password, &a[i]), 0);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		assert_non_null(a[0].got);
		assert_string_equal(a[0].got, "pa55word");
		differ += a[0].got != a[1].got || a[0].got != cfg.password;
		config_free(&cfg);
	}
	if (differ)
		fail_msg("%d of 200 rounds handed the two threads different copies", differ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_first_section_by_default),
	    cmocka_unit_test(named_section),
	    cmocka_unit_test(flags_beat_environment_beat_file),
	    cmocka_unit_test(url_org_and_environment_config),
	    cmocka_unit_test(missing_and_broken_files),
	    cmocka_unit_test(history_bounds),
	    cmocka_unit_test(secret_file_must_be_private),
	    cmocka_unit_test(url_host),
	    cmocka_unit_test(url_org_matches_its_section),
	    cmocka_unit_test(a_path_is_its_own_cache),
	    cmocka_unit_test(url_keys),
	    cmocka_unit_test(long_lines_are_not_split),
	    cmocka_unit_test(inline_comments),
	    cmocka_unit_test(readme_example),
	    cmocka_unit_test(two_threads_read_the_password_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
