/* demo.c — `emailcfg --demo` (see demo.h): finds emailcfg-sim and the demo
 * data, runs the emulator on a loopback port of its choosing in a private
 * temporary directory, configures the organization URL, authority, tenant,
 * client id and secret (memory only) and a throwaway cache, and undoes it
 * all at exit. The admin's own credentials are wiped from the configuration
 * and kept out of the emulator's environment. Touches only its own temporary directory and child.
 */
#include "cli/demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/base/ini.h"
#include "core/model/model.h"
#include "core/base/paths.h"

#define DEMO_TENANT "7f3a9c2e-4b1d-4e8f-9a6c-2d5e8b1f0c34"
#define DEMO_CLIENT "b6e2f4a8-1c3d-4f5e-8a7b-9c0d1e2f3a4b"
#define DEMO_SECRET "kp8Q~Demo.Secret-Kovinoplast-2024"

static bool demo_executable(const char *path)
{
	return access(path, X_OK) == 0;
}

static bool demo_readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* The directory of the running emailcfg binary (""). */
static void demo_self_dir(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	out[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = '\0';
	snprintf(out, size, "%s", exe);
}

static int demo_find_sim(const char *self, char *out, size_t size, ec_error *err)
{
	const char *path = getenv("PATH");
	snprintf(out, size, "%s/emailcfg-sim", self);
	if (self[0] && demo_executable(out))
		return EC_OK;
	while (path && *path) {
		size_t len = strcspn(path, ":");
		snprintf(out, size, "%.*s/emailcfg-sim", (int)len, path);
		if (len && demo_executable(out))
			return EC_OK;
		path += len + (path[len] == ':');
	}
	return ec_fail(err, EC_LOCAL,
	               "--demo needs emailcfg-sim beside emailcfg or on PATH; "
	               "build it with make");
}

static int demo_find_data(const char *self, char *out, size_t size, ec_error *err)
{
	const char *env = getenv("EMAILCFG_DATADIR");
	snprintf(out, size, "%s/data/demo-org.json", self);
	if (self[0] && demo_readable(out))
		return EC_OK;
	if (env && *env) {
		snprintf(out, size, "%s/demo-org.json", env);
		if (demo_readable(out))
			return EC_OK;
	}
	snprintf(out, size, "%s/demo-org.json", EMAILCFG_DATADIR);
	if (demo_readable(out))
		return EC_OK;
	return ec_fail(err, EC_LOCAL,
	               "--demo cannot find demo-org.json (looked beside the "
	               "binary, in $EMAILCFG_DATADIR and %s); set EMAILCFG_DATADIR",
	               EMAILCFG_DATADIR);
}

/* The environment for the emulator: ours without any EMAILCFG_* variable,
 * so the admin's real client secret or token never reaches it. */
static char **demo_child_env(void)
{
	extern char **environ;
	size_t n = 0;
	char **env;
	while (environ[n])
		n++;
	env = ec_xcalloc(n + 1, sizeof *env);
	n = 0;
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "EMAILCFG_", 9) != 0)
			env[n++] = *e;
	return env;
}

static void demo_child(const char *sim, const char *data, const char *port_file, const char *log,
                       char **env)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int null = open("/dev/null", O_RDONLY);
	/* Its own session: a Ctrl-C for the console does not reach it, and it
	 * dies with its parent even when the parent is killed. */
	setsid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execve(sim,
	       (char *[]){"emailcfg-sim", "--port", "0", "--port-file", (char *)port_file, "--data",
	                  (char *)data, NULL},
	       env);
	_exit(127);
}

/* Waits up to 15 s for the port file; the emulator writes it once it listens. */
static int demo_wait_port(cli_demo *d, const char *port_file, int *port, ec_error *err)
{
	for (int i = 0; i < 300; i++) {
		FILE *f = fopen(port_file, "r");
		int status;
		if (f) {
			int ok = fscanf(f, "%d", port) == 1 && *port > 0;
			fclose(f);
			if (ok)
				return EC_OK;
		}
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			return ec_fail(err, EC_LOCAL,
			               "emailcfg-sim stopped before listening; see "
			               "its log by running it by hand");
		}
		nanosleep(&(struct timespec){0, 50000000}, NULL);
	}
	return ec_fail(err, EC_LOCAL, "emailcfg-sim did not start listening within 15 s");
}

/* Wiped, not just freed: the old value may be the admin's real secret. */
static void demo_set(char **field, const char *value)
{
	ec_wipe_free(*field);
	*field = value ? ec_strdup(value) : NULL;
}

static void demo_configure(cli_demo *d, ec_config *cfg, int port)
{
	char url[64], cache[300];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	snprintf(cache, sizeof cache, "%s/demo.db", d->dir);
	demo_set(&cfg->org_url, url);
	demo_set(&cfg->authority, url);
	demo_set(&cfg->tenant, DEMO_TENANT);
	demo_set(&cfg->client_id, DEMO_CLIENT);
	demo_set(&cfg->client_secret, DEMO_SECRET);
	if (!d->keep_cache)
		demo_set(&cfg->cache_path, cache);
	demo_set(&cfg->token, NULL);
	demo_set(&cfg->secret_file, NULL);
	free(cfg->org_name);
	cfg->org_name = ec_strdup("demo");
}

int demo_start(cli_demo *d, ec_config *cfg, ec_error *err)
{
	char self[PATH_MAX], sim[PATH_MAX + 32], data[PATH_MAX + 32];
	char port_file[300], log[300], **env;
	const char *tmp = getenv("TMPDIR");
	int rc, port = 0;
	{
		bool keep = d->keep_cache;
		memset(d, 0, sizeof *d);
		d->keep_cache = keep;
	}
	demo_self_dir(self, sizeof self);
	if ((rc = demo_find_sim(self, sim, sizeof sim, err)) != EC_OK ||
	    (rc = demo_find_data(self, data, sizeof data, err)) != EC_OK)
		return rc;
	snprintf(d->dir, sizeof d->dir, "%s/emailcfg-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir)) {
		d->dir[0] = '\0';
		return ec_fail(err, EC_LOCAL, "--demo cannot create a temporary directory: %s",
		               strerror(errno));
	}
	snprintf(port_file, sizeof port_file, "%s/port", d->dir);
	snprintf(log, sizeof log, "%s/sim.log", d->dir);
	env = demo_child_env();
	d->pid = fork();
	if (d->pid == 0)
		demo_child(sim, data, port_file, log, env);
	free(env);
	if (d->pid < 0) {
		d->pid = 0;
		return ec_fail(err, EC_LOCAL, "--demo cannot start emailcfg-sim: %s",
		               strerror(errno));
	}
	if ((rc = demo_wait_port(d, port_file, &port, err)) != EC_OK)
		return rc;
	demo_configure(d, cfg, port);
	cfg->offline = false;
	return EC_OK;
}

static void demo_remove_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	while (dp && (e = readdir(dp))) {
		char path[600];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (dp)
		closedir(dp);
	rmdir(dir);
}

void demo_stop(cli_demo *d)
{
	if (d->pid > 0) {
		int status;
		kill(d->pid, SIGTERM);
		for (int i = 0; i < 100; i++) {
			if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
				d->pid = 0;
				break;
			}
			nanosleep(&(struct timespec){0, 20000000}, NULL);
		}
		if (d->pid > 0) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &status, 0);
		}
		d->pid = 0;
	}
	if (d->dir[0])
		demo_remove_dir(d->dir);
	d->dir[0] = '\0';
}
