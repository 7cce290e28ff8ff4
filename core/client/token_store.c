/* token_store.c — the sign-in cache on disk (see token_store.h). Touches
 * only $XDG_STATE_HOME/emailcfg/signin/. */
#include "core/client/token_store.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/config.h"
#include "core/base/ini.h"
#include "core/model/model.h"

#define MAX_FILE_BYTES 65536
#define MAX_NAME       200

char *token_store_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char buf[4096];
	if (xdg && *xdg)
		snprintf(buf, sizeof buf, "%s/emailcfg", xdg);
	else if (home && *home)
		snprintf(buf, sizeof buf, "%s/.local/state/emailcfg", home);
	else
		return NULL;
	return ec_strdup(buf);
}

/* A file name from any text: lower case [a-z0-9.@-], the rest '_', never
 * starting with '.', so no name can climb out of its directory. */
static void safe_name(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; *s && o + 1 < size && o < MAX_NAME; s++) {
		char ch = (char)tolower((unsigned char)*s);
		out[o++] =
		    isalnum((unsigned char)ch) || ch == '.' || ch == '@' || ch == '-' ? ch : '_';
	}
	out[o] = '\0';
	if (out[0] == '.' || out[0] == '\0')
		out[0] = '_', out[o ? o : 1] = '\0';
}

/* mkdir 0700; an existing one must be ours and is made 0700 again. */
static int private_dir(const char *path, ec_error *err)
{
	struct stat st;
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return ec_fail(err, EC_LOCAL, "cannot create %s: %s", path, strerror(errno));
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
		return ec_fail(err, EC_LOCAL,
		               "%s is not a directory of yours; remove it so emailcfg can keep "
		               "sign-ins there",
		               path);
	if ((st.st_mode & 077) && chmod(path, 0700) != 0)
		return ec_fail(err, EC_LOCAL, "cannot make %s private: %s", path, strerror(errno));
	return EC_OK;
}

/* mkdir -p of the directories above path ($XDG_STATE_HOME or
 * ~/.local/state may not exist yet), each new one 0700. */
static int make_parents(const char *path, ec_error *err)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return ec_fail(err, EC_LOCAL, "cannot create %s: %s", buf, strerror(errno));
		*p = '/';
	}
	return EC_OK;
}

/* STATE/signin/ORGNAME, created 0700 at each level when make is set. */
static int org_dir(const char *org, bool make, char *out, size_t size, ec_error *err)
{
	char *state = token_store_dir(), *key, name[256];
	int rc = EC_OK;
	if (!state)
		return ec_fail(err, EC_LOCAL,
		               "neither XDG_STATE_HOME nor HOME is set; set one so "
		               "emailcfg can keep the sign-in");
	key = config_url_key(org);
	safe_name(key, name, sizeof name);
	free(key);
	if (make) {
		rc = make_parents(state, err);
		if (rc == EC_OK)
			rc = private_dir(state, err);
		snprintf(out, size, "%s/signin", state);
		if (rc == EC_OK)
			rc = private_dir(out, err);
	}
	snprintf(out, size, "%s/signin/%s", state, name);
	if (rc == EC_OK && make)
		rc = private_dir(out, err);
	free(state);
	return rc;
}

int token_store_lock(const char *org, ec_store_lock *lock, ec_error *err)
{
	char dir[4096], path[4200];
	int rc = org_dir(org, true, dir, sizeof dir, err);
	lock->fd = -1;
	if (rc != EC_OK)
		return rc;
	snprintf(path, sizeof path, "%s/.lock", dir);
	lock->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock->fd < 0)
		return ec_fail(err, EC_LOCAL, "cannot open %s: %s", path, strerror(errno));
	while (flock(lock->fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			close(lock->fd);
			lock->fd = -1;
			return ec_fail(err, EC_LOCAL, "cannot lock %s: %s", path, strerror(errno));
		}
	return EC_OK;
}

void token_store_unlock(ec_store_lock *lock)
{
	if (lock->fd >= 0)
		close(lock->fd); /* releases the flock */
	lock->fd = -1;
}

void token_store_rec_free(ec_signin_rec *rec)
{
	free(rec->org);
	free(rec->user);
	free(rec->auth);
	free(rec->authority);
	free(rec->tenant);
	free(rec->client_id);
	ec_wipe_free(rec->refresh_token);
	memset(rec, 0, sizeof *rec);
}

static void rec_set(ec_signin_rec *rec, const char *key, const char *value)
{
	char **slot = !strcmp(key, "org")             ? &rec->org
	              : !strcmp(key, "user")          ? &rec->user
	              : !strcmp(key, "auth")          ? &rec->auth
	              : !strcmp(key, "authority")     ? &rec->authority
	              : !strcmp(key, "tenant")        ? &rec->tenant
	              : !strcmp(key, "client-id")     ? &rec->client_id
	              : !strcmp(key, "refresh-token") ? &rec->refresh_token
	                                              : NULL;
	if (slot) {
		ec_wipe_free(*slot);
		*slot = ec_strdup(value);
	} else if (!strcmp(key, "until")) {
		rec->until = (time_t)strtoll(value, NULL, 10);
	}
}

/* Reads one sign-in file: ours, 0600, not a link, at most 64 KB. */
static int read_rec(const char *path, ec_signin_rec *rec, ec_error *err)
{
	char *buf = ec_xmalloc(MAX_FILE_BYTES + 1), *line, *save = NULL;
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		free(buf);
		return ec_fail(err, EC_LOCAL, "cannot read the sign-in %s: %s", path,
		               strerror(errno));
	}
	if (fstat(fd, &st) != 0 || st.st_uid != getuid() || (st.st_mode & 077)) {
		close(fd);
		free(buf);
		return ec_fail(err, EC_LOCAL,
		               "the sign-in file %s is readable by others or not yours; run: "
		               "emailcfg logout, then emailcfg login",
		               path);
	}
	n = read(fd, buf, MAX_FILE_BYTES);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	memset(rec, 0, sizeof *rec);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (eq) {
			*eq = '\0';
			rec_set(rec, line, eq + 1);
		}
	}
	ec_wipe(buf, MAX_FILE_BYTES);
	free(buf);
	if (!rec->org || !rec->user || !rec->refresh_token || !rec->authority || !rec->client_id) {
		token_store_rec_free(rec);
		return ec_fail(err, EC_LOCAL,
		               "the sign-in file %s is incomplete; run: emailcfg login", path);
	}
	return EC_OK;
}

/* The newest regular file of dir not starting with '.'. */
static bool newest_file(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct timespec best = {0, 0};
	bool found = false;
	if (!d)
		return false;
	while ((e = readdir(d)) != NULL) {
		char path[4400];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (!found || st.st_mtim.tv_sec > best.tv_sec ||
		    (st.st_mtim.tv_sec == best.tv_sec && st.st_mtim.tv_nsec > best.tv_nsec)) {
			best = st.st_mtim;
			snprintf(out, size, "%s", path);
			found = true;
		}
	}
	closedir(d);
	return found;
}

int token_store_load(const char *org, ec_signin_rec *rec, ec_error *err)
{
	char dir[4096], path[4400];
	int rc = org_dir(org, false, dir, sizeof dir, err);
	if (rc != EC_OK)
		return rc;
	if (!newest_file(dir, path, sizeof path))
		return EC_FAILED;
	if ((rc = read_rec(path, rec, err)) != EC_OK)
		return rc;
	/* Two organizations whose names fold to one directory never share. */
	if (!config_url_same(rec->org, org)) {
		token_store_rec_free(rec);
		return EC_FAILED;
	}
	return EC_OK;
}

static bool value_ok(const char *v)
{
	for (; v && *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static char *rec_text(const ec_signin_rec *rec)
{
	size_t n = strlen(rec->org) + strlen(rec->user) + strlen(rec->authority) +
	           strlen(rec->client_id) + strlen(rec->refresh_token) + 512 +
	           (rec->tenant ? strlen(rec->tenant) : 0) + (rec->auth ? strlen(rec->auth) : 0);
	char *text = ec_xmalloc(n);
	snprintf(text, n,
	         "# emailcfg sign-in: keep private; emailcfg logout removes it\n"
	         "org=%s\nuser=%s\nauth=%s\nauthority=%s\ntenant=%s\nclient-id=%s\nuntil=%lld\n"
	         "refresh-token=%s\n",
	         rec->org, rec->user, rec->auth ? rec->auth : "device-code", rec->authority,
	         rec->tenant ? rec->tenant : "", rec->client_id, (long long)rec->until,
	         rec->refresh_token);
	return text;
}

int token_store_save(const ec_signin_rec *rec, ec_error *err)
{
	char dir[4096], path[4400], tmp[4400], user[256], *text;
	int rc = org_dir(rec->org, true, dir, sizeof dir, err), fd;
	if (rc != EC_OK)
		return rc;
	if (!value_ok(rec->user) || !value_ok(rec->refresh_token) || !value_ok(rec->authority) ||
	    !value_ok(rec->client_id) || !value_ok(rec->tenant) || !value_ok(rec->org))
		return ec_fail(err, EC_NETWORK,
		               "the sign-in answer held control characters; check the authority");
	safe_name(rec->user, user, sizeof user);
	snprintf(path, sizeof path, "%s/%s", dir, user);
	snprintf(tmp, sizeof tmp, "%s/.new.%ld", dir, (long)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return ec_fail(err, EC_LOCAL, "cannot write %s: %s", tmp, strerror(errno));
	text = rec_text(rec);
	if (write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0)
		rc = ec_fail(err, EC_LOCAL, "cannot write %s: %s", tmp, strerror(errno));
	ec_wipe_free(text);
	if (close(fd) != 0 && rc == EC_OK)
		rc = ec_fail(err, EC_LOCAL, "cannot write %s: %s", tmp, strerror(errno));
	if (rc == EC_OK && rename(tmp, path) != 0)
		rc = ec_fail(err, EC_LOCAL, "cannot replace %s: %s", path, strerror(errno));
	if (rc != EC_OK) {
		unlink(tmp);
		return rc;
	}
	/* The rename itself reaches the disk with the directory. */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	return EC_OK;
}

/* Writes size bytes to a new file in dir and makes them reach the disk. */
static int probe_write(const char *probe, size_t size)
{
	char zeros[4096] = {0};
	int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600), rc = 0;
	if (fd < 0)
		return -1;
	while (rc == 0 && size > 0) {
		size_t n = size < sizeof zeros ? size : sizeof zeros;
		rc = write_all(fd, zeros, n);
		size -= n;
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

int token_store_check_room(const ec_signin_rec *rec, ec_error *err)
{
	char dir[4096], probe[4400], *text;
	size_t size;
	int rc = org_dir(rec->org, true, dir, sizeof dir, err), saved;
	if (rc != EC_OK)
		return rc;
	/* The rotated token may be longer than the old one: twice the file
	 * and a block more. */
	text = rec_text(rec);
	size = 2 * strlen(text) + 4096;
	ec_wipe_free(text);
	snprintf(probe, sizeof probe, "%s/.room.%ld", dir, (long)getpid());
	unlink(probe);
	rc = probe_write(probe, size);
	saved = errno;
	unlink(probe);
	if (rc != 0)
		return ec_fail(err, EC_LOCAL,
		               "cannot write the new sign-in to %s (%s); free space there and run "
		               "the command again (the sign-in was not used and still works)",
		               dir, strerror(saved));
	return EC_OK;
}

/* Removes the users' files of one organization directory (not its lock:
 * a process waiting on it must keep the same lock). */
static int forget_dir(const char *dir, int *removed, ec_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return errno == ENOENT
		           ? EC_OK
		           : ec_fail(err, EC_LOCAL, "cannot read %s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		char path[4400];
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, ".lock"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) == 0 && e->d_name[0] != '.')
			(*removed)++;
	}
	closedir(d);
	return EC_OK;
}

int token_store_forget(const char *org, int *removed, ec_error *err)
{
	char dir[4096];
	char *state;
	DIR *d;
	struct dirent *e;
	int rc = EC_OK;
	*removed = 0;
	if (org) {
		if ((rc = org_dir(org, false, dir, sizeof dir, err)) != EC_OK)
			return rc;
		return forget_dir(dir, removed, err);
	}
	if (!(state = token_store_dir()))
		return EC_OK;
	snprintf(dir, sizeof dir, "%s/signin", state);
	free(state);
	if (!(d = opendir(dir)))
		return EC_OK;
	while (rc == EC_OK && (e = readdir(d)) != NULL) {
		char sub[4400];
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		rc = forget_dir(sub, removed, err);
	}
	closedir(d);
	return rc;
}
