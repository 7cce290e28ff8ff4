/* demo.c — `emailcfg --demo` (see demo.h): finds emailcfg-sim and the demo
 * data and runs the emulator on a loopback port of its choosing, with the
 * organization URL, authority, tenant, client id and secret (memory only)
 * configured. A command joins the demo session (one emulator and cache in a
 * state directory, started by the first and kept between commands); the
 * console joins it when it runs, else runs a private emulator and throwaway
 * cache in a temporary directory undone at exit. The admin's own
 * credentials are wiped from the configuration and kept out of the
 * emulator's environment. Touches only its own directories and emulator. */
#include "cli/demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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
/* The session's emulator stops by itself after this long without a request. */
#define DEMO_IDLE_EXIT "1800"

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

/* The emulator in its own session: a Ctrl-C for the console does not reach
 * it. A private one dies with its parent, even a killed one; the session's
 * outlives the command that started it and ends after DEMO_IDLE_EXIT. */
static void demo_child(const char *sim, const char *data, const char *port_file, const char *log,
                       bool session, char **env)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int null = open("/dev/null", O_RDONLY);
	setsid();
	if (!session)
		prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execve(sim,
	       (char *[]){"emailcfg-sim", "--port", "0", "--port-file", (char *)port_file, "--data",
	                  (char *)data, session ? "--idle-exit" : NULL, DEMO_IDLE_EXIT, NULL},
	       env);
	_exit(127);
}

/* Starts the emulator writing port_file; its pid, or 0 with err set. */
static pid_t demo_spawn(const char *port_file, const char *log, bool session, ec_error *err)
{
	char self[PATH_MAX], sim[PATH_MAX + 32], data[PATH_MAX + 32], **env;
	pid_t pid;
	demo_self_dir(self, sizeof self);
	if (demo_find_sim(self, sim, sizeof sim, err) != EC_OK ||
	    demo_find_data(self, data, sizeof data, err) != EC_OK)
		return 0;
	env = demo_child_env();
	pid = fork();
	if (pid == 0)
		demo_child(sim, data, port_file, log, session, env);
	free(env);
	if (pid < 0) {
		ec_fail(err, EC_LOCAL, "--demo cannot start emailcfg-sim: %s", strerror(errno));
		return 0;
	}
	return pid;
}

/* Whether pid is a live emulator started to write port_file: its command
 * line names that file (a pid reused by another process does not). */
static bool demo_is_ours(pid_t pid, const char *port_file)
{
	char path[64], buf[8192], state = 'Z';
	FILE *f;
	size_t n;
	bool named = false;
	if (pid <= 0)
		return false;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r"))) {
		/* The state follows the command name in parentheses. */
		n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		fclose(f);
		if (strrchr(buf, ')') && strrchr(buf, ')')[1])
			state = strrchr(buf, ')')[2];
	}
	if (state == 'Z' || state == 'X')
		return false;
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	if (!(f = fopen(path, "r")))
		return false;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
		named = named || strcmp(buf + i, port_file) == 0;
	return named;
}

/* Waits up to 15 s for the port file; the emulator writes it once it
 * listens. A child is reaped when it stops; another's is watched in /proc. */
static int demo_wait_port(pid_t pid, bool child, const char *port_file, const char *log, int *port,
                          ec_error *err)
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
		if (child ? waitpid(pid, &status, WNOHANG) == pid : !demo_is_ours(pid, port_file))
			return ec_fail(err, EC_LOCAL,
			               "emailcfg-sim stopped before listening; see %s", log);
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

static void demo_configure(const cli_demo *d, ec_config *cfg, int port, const char *dir)
{
	char url[64], cache[PATH_MAX];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	snprintf(cache, sizeof cache, "%s/demo.db", dir);
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
	cfg->offline = false;
}

/* Stops a private emulator (our child) or the session's (not our child):
 * SIGTERM, up to 2 s, then SIGKILL. */
static void demo_kill(pid_t pid, bool child, const char *port_file)
{
	int status;
	kill(pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (child ? waitpid(pid, &status, WNOHANG) == pid : !demo_is_ours(pid, port_file))
			return;
		nanosleep(&(struct timespec){0, 20000000}, NULL);
	}
	kill(pid, SIGKILL);
	if (child)
		waitpid(pid, &status, 0);
	for (int i = 0; i < 100 && !child && demo_is_ours(pid, port_file); i++)
		nanosleep(&(struct timespec){0, 20000000}, NULL);
}

int demo_start(cli_demo *d, ec_config *cfg, ec_error *err)
{
	char port_file[300], log[300];
	const char *tmp = getenv("TMPDIR");
	int rc, port = 0;
	{
		bool keep = d->keep_cache;
		memset(d, 0, sizeof *d);
		d->keep_cache = keep;
	}
	snprintf(d->dir, sizeof d->dir, "%s/emailcfg-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir)) {
		d->dir[0] = '\0';
		return ec_fail(err, EC_LOCAL, "--demo cannot create a temporary directory: %s",
		               strerror(errno));
	}
	snprintf(port_file, sizeof port_file, "%s/port", d->dir);
	snprintf(log, sizeof log, "%s/sim.log", d->dir);
	if ((d->pid = demo_spawn(port_file, log, false, err)) == 0)
		return err->status;
	if ((rc = demo_wait_port(d->pid, true, port_file, log, &port, err)) != EC_OK) {
		demo_stop(d);
		return rc;
	}
	demo_configure(d, cfg, port, d->dir);
	return EC_OK;
}

/* ---- the session: one emulator and cache shared by --demo commands ---- */

/* The session's state directory: $XDG_RUNTIME_DIR/emailcfg-demo, else (no
 * such directory: unset, or a login without a session) /tmp/emailcfg-demo-UID. */
static void demo_state_path(char *out, size_t size)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (run && run[0] == '/' && stat(run, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(out, size, "%s/emailcfg-demo", run);
	else
		snprintf(out, size, "/tmp/emailcfg-demo-%u", (unsigned)getuid());
}

/* The state directory, made 0700, and refused unless it is a directory (not
 * a link) of this user that no one else may enter. */
static int demo_state_dir(char *out, size_t size, ec_error *err)
{
	struct stat st;
	demo_state_path(out, size);
	if (mkdir(out, 0700) != 0 && errno != EEXIST)
		return ec_fail(err, EC_LOCAL, "--demo cannot create %s: %s", out, strerror(errno));
	if (lstat(out, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077))
		return ec_fail(err, EC_LOCAL,
		               "--demo refuses %s: it must be a directory of yours that only you "
		               "may enter (mode 0700); remove it",
		               out);
	return EC_OK;
}

typedef struct demo_paths {
	char dir[PATH_MAX - 64], lock[PATH_MAX], pid[PATH_MAX], port[PATH_MAX], log[PATH_MAX];
} demo_paths;

/* Opens and locks the session (exclusive: one process at a time starts,
 * joins or stops it); returns the lock's descriptor, or -1 with err set. */
static int demo_lock(demo_paths *p, ec_error *err)
{
	int fd;
	if (demo_state_dir(p->dir, sizeof p->dir, err) != EC_OK)
		return -1;
	snprintf(p->lock, sizeof p->lock, "%s/lock", p->dir);
	snprintf(p->pid, sizeof p->pid, "%s/pid", p->dir);
	snprintf(p->port, sizeof p->port, "%s/port", p->dir);
	snprintf(p->log, sizeof p->log, "%s/sim.log", p->dir);
	fd = open(p->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		ec_fail(err, EC_LOCAL, "--demo cannot lock %s: %s", p->lock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static pid_t demo_read_pid(const demo_paths *p)
{
	FILE *f = fopen(p->pid, "r");
	int pid = 0;
	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return (pid_t)pid;
}

/* Forgets a session: its pid, port, log and cache (a new emulator is a new
 * organization, on another port, which the old cache would refuse). The
 * lock file stays: another process may be waiting on it. */
static void demo_forget(const demo_paths *p)
{
	static const char *const names[] = {
	    "pid", "port", "sim.log", "demo.db", "demo.db-wal", "demo.db-shm", "demo.db-journal"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[PATH_MAX + 32];
		snprintf(path, sizeof path, "%s/%s", p->dir, names[i]);
		unlink(path);
	}
}

static int demo_write_pid(const demo_paths *p, pid_t pid, ec_error *err)
{
	char tmp[PATH_MAX + 8];
	FILE *f;
	snprintf(tmp, sizeof tmp, "%s.tmp", p->pid);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f) != 0 || rename(tmp, p->pid) != 0)
		return ec_fail(err, EC_LOCAL, "--demo cannot write %s: %s", p->pid,
		               strerror(errno));
	return EC_OK;
}

int demo_session(cli_demo *d, ec_config *cfg, bool start, ec_error *err)
{
	demo_paths p;
	int port = 0, rc = EC_OK, fd = demo_lock(&p, err);
	pid_t pid;
	if (fd < 0)
		return err->status;
	pid = demo_read_pid(&p);
	if (demo_is_ours(pid, p.port)) {
		rc = demo_wait_port(pid, false, p.port, p.log, &port, err);
		if (rc == EC_OK)
			goto ready;
		demo_kill(pid, false, p.port);
	}
	/* None, or a stale one (its emulator killed, idle or broken). */
	demo_forget(&p);
	if (!start) {
		close(fd);
		return DEMO_NOT_RUNNING;
	}
	ec_error_clear(err);
	if ((pid = demo_spawn(p.port, p.log, true, err)) == 0) {
		close(fd);
		return err->status;
	}
	if ((rc = demo_write_pid(&p, pid, err)) != EC_OK ||
	    (rc = demo_wait_port(pid, true, p.port, p.log, &port, err)) != EC_OK) {
		demo_kill(pid, true, p.port);
		demo_forget(&p);
		close(fd);
		return rc;
	}
ready:
	/* A command keeps the lock to its end (demo_stop): --demo commands run
	 * one at a time, so two never sync the one cache at once, and `--demo
	 * stop` waits for them. The console lets go at once. */
	if (start) {
		d->lock_fd = fd;
		d->locked = true;
	} else {
		close(fd);
	}
	demo_configure(d, cfg, port, p.dir);
	return EC_OK;
}

int demo_session_stop(ec_error *err)
{
	demo_paths p;
	int fd = demo_lock(&p, err);
	pid_t pid;
	if (fd < 0)
		return err->status;
	pid = demo_read_pid(&p);
	if (demo_is_ours(pid, p.port))
		demo_kill(pid, false, p.port);
	demo_forget(&p);
	close(fd);
	return EC_OK;
}

bool demo_session_cache(char *out, size_t size)
{
	char dir[PATH_MAX - 64];
	struct stat st;
	demo_state_path(dir, sizeof dir);
	snprintf(out, size, "%s/demo.db", dir);
	return lstat(out, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == getuid();
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
	if (d->locked)
		close(d->lock_fd);
	d->locked = false;
	if (d->pid > 0)
		demo_kill(d->pid, true, "");
	d->pid = 0;
	if (d->dir[0])
		demo_remove_dir(d->dir);
	d->dir[0] = '\0';
}
