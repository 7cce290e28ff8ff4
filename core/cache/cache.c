/* cache.c — opening the cache: its directory and file permissions, the
 * connection settings (WAL, synchronous=FULL, foreign keys, busy timeout)
 * and the schema migrations of data/schema.sql by PRAGMA user_version.
 * Touches the cache file, its -wal/-shm companions and the directories on the
 * way to them; nothing else.
 *
 * Permissions: directories it creates are 0700, the file and its companions
 * 0600. An existing cache file that we own and that others may read is
 * tightened with chmod; one that belongs to someone else is refused. A
 * symbolic link in place of the file or a companion is refused, never
 * followed, chmodded or created through. An
 * existing directory is never changed (it may be the user's home or working
 * directory): it is refused when others may write to it without the sticky
 * bit (anyone could swap the cache), and accepted otherwise, since the 0600
 * file keeps its contents private. */
#include "core/cache/cache_int.h"

#include "core/base/utf8.h"
#include "core/model/explain.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char embedded_schema_sql[];

#define SCHEMA_MAX_BLOCKS 64
#define BUSY_TIMEOUT_MS   5000
/* Page cache per connection, in KiB when negative: the pages of a 100,000
 * mailbox list stay in memory across the console's queries. */
#define PAGE_CACHE_KIB      "-32768" /* CACHE_PAGE_CACHE_KIB */
#define CACHE_NEW_PAGE_SIZE "16384"

/* umask is per process: two threads opening caches at once take turns. */
static pthread_mutex_t umask_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const entity_names[] = {"settings", "profiles", "mailboxes", "alerts"};

const char *cache_entity_name(enum cache_entity entity)
{
	return (unsigned)entity < 4 ? entity_names[entity] : "?";
}

/* ---- Schema blocks ----------------------------------------------------- */

struct schema_block {
	int version;
	const char *sql; /* the statements after the "-- version N" line */
	size_t len;
};

/* After "-- version ": digits, then the end of the line; a comment that
 * happens to start with those words is not a block. */
static bool marker_line(const char *p)
{
	const char *d = p;
	while (*d >= '0' && *d <= '9')
		d++;
	return d > p && (*d == '\n' || *d == '\0');
}

/* Splits data/schema.sql at its "-- version N" lines. */
static int schema_blocks(struct schema_block *blocks, int max)
{
	static const char marker[] = "-- version ";
	const char *p = embedded_schema_sql;
	int n = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		const char *next = eol ? eol + 1 : p + strlen(p);
		if (strncmp(p, marker, sizeof marker - 1) == 0 && n < max &&
		    marker_line(p + sizeof marker - 1)) {
			blocks[n].version = atoi(p + sizeof marker - 1);
			blocks[n].sql = next;
			if (n > 0)
				blocks[n - 1].len = (size_t)(p - blocks[n - 1].sql);
			n++;
		}
		p = next;
	}
	if (n > 0)
		blocks[n - 1].len = strlen(blocks[n - 1].sql);
	return n;
}

int cache_schema_version(void)
{
	struct schema_block blocks[SCHEMA_MAX_BLOCKS];
	int n = schema_blocks(blocks, SCHEMA_MAX_BLOCKS);
	return n > 0 ? blocks[n - 1].version : 0;
}

int cache_user_version(ec_cache *c, int *version, ec_error *err)
{
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, "PRAGMA user_version", &st, err);
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	else
		status = cache_fail_rc(c, rc, err, "reading the schema version");
	sqlite3_finalize(st);
	return status;
}

/* Queued, sent or conflicting outbox entries: edits a rebuilt cache would
 * lose. A plain query every schema version answers; -1 when it cannot. */
static long long count_outbox(ec_cache *c)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM outbox WHERE state != 'sent'", -1, &st,
	                       NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Runs a block statement by statement, so a failure names its step (the
 * statement's text up to its end of line, into step). */
static int exec_block(ec_cache *c, const char *sql, char *step, size_t stepsz)
{
	const char *tail = sql;
	while (*tail) {
		sqlite3_stmt *st = NULL;
		const char *start = tail;
		int rc = sqlite3_prepare_v2(c->db, start, -1, &st, &tail);
		if (rc == SQLITE_OK && st) {
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				;
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_OK) {
			const char *line = start;
			while (*line == '\n' || *line == ' ' || *line == '\t' ||
			       strncmp(line, "--", 2) == 0) {
				if (strncmp(line, "--", 2) == 0)
					line += strcspn(line, "\n");
				else
					line++;
			}
			snprintf(step, stepsz, "%.*s", (int)strcspn(line, "\n"), line);
			return rc;
		}
		if (!st && tail == start)
			break;
	}
	return SQLITE_OK;
}

/* A failed migration leaves the file as it was (one transaction): the
 * advice never risks the queued edits a rebuilt cache would not have. */
static int fail_migration(ec_cache *c, int version, const char *step, const char *why,
                          ec_error *err)
{
	long long queued = count_outbox(c);
	if (queued == 0)
		return ec_fail(err, EC_LOCAL,
		               "cannot upgrade the cache %s to schema version %d: step `%s` "
		               "failed (%s); the cache was left as it was and holds no queued "
		               "edits, so it is safe to move it away and run `emailcfg sync` to "
		               "rebuild it (and please report this)",
		               c->path, version, step, why);
	return ec_fail(err, EC_LOCAL,
	               "cannot upgrade the cache %s to schema version %d: step `%s` failed "
	               "(%s); the cache was left as it was, with its %lld outbox entries "
	               "(queued, in conflict or failed) still in it: do not delete it; upgrade "
	               "SQLite to 3.35 or newer if it is older, else report this bug",
	               c->path, version, step, why, queued < 0 ? 0 : queued);
}

/* The disk, a lock or the permissions stopped a block, not the block itself. */
static bool migration_blocked_by_host(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN: return true;
	default: return false;
	}
}

/* One block in one transaction, unless another connection got there first. */
static int migrate_block(ec_cache *c, const struct schema_block *b, ec_error *err)
{
	char *sql, setver[48], step[160] = "", why[256];
	int current = 0, rc, status = cache_tx_begin(c, err);
	if (status != EC_OK)
		return status;
	status = cache_user_version(c, &current, err);
	if (status != EC_OK || current >= b->version)
		return cache_tx_end(c, status, err);
	sql = ec_xmalloc(b->len + 1);
	memcpy(sql, b->sql, b->len);
	sql[b->len] = '\0';
	rc = exec_block(c, sql, step, sizeof step);
	free(sql);
	if (rc != SQLITE_OK) {
		snprintf(why, sizeof why, "%s", sqlite3_errmsg(c->db));
		cache_fail_rc(c, rc, err, "upgrading the schema");
		status = cache_tx_end(c, EC_LOCAL, err);
		/* The disk, a lock or the permissions: cache_fail_rc() said what to
		 * do, and the next run migrates. Anything else is the block's own
		 * failure, explained with the outbox counted after the rollback, on
		 * the schema the file still has. */
		if (!migration_blocked_by_host(rc))
			fail_migration(c, b->version, step, why, err);
		return status;
	}
	snprintf(setver, sizeof setver, "PRAGMA user_version = %d", b->version);
	status = cache_exec(c, setver, err);
	return cache_tx_end(c, status, err);
}

int cache_migrate_to(ec_cache *c, int version, ec_error *err)
{
	struct schema_block blocks[SCHEMA_MAX_BLOCKS];
	int n = schema_blocks(blocks, SCHEMA_MAX_BLOCKS);
	for (int i = 0; i < n && blocks[i].version <= version; i++) {
		int status = migrate_block(c, &blocks[i], err);
		if (status != EC_OK)
			return status;
	}
	return EC_OK;
}

/* Refuses a cache from a newer build and a database that is not a cache. */
static int check_version(ec_cache *c, ec_error *err)
{
	sqlite3_stmt *st;
	int version = 0, tables = 0, latest = cache_schema_version();
	int status = cache_user_version(c, &version, err);
	if (status != EC_OK)
		return status;
	if (version > latest)
		return ec_fail(err, EC_LOCAL,
		               "cache %s was written by a newer emailcfg (schema version %d; this "
		               "one knows %d); upgrade emailcfg, or move the file away and run "
		               "`emailcfg sync` to rebuild it",
		               c->path, version, latest);
	if (version > 0)
		return EC_OK;
	status = cache_prepare(c, "SELECT count(*) FROM sqlite_master", &st, err);
	if (status != EC_OK)
		return status;
	if (sqlite3_step(st) == SQLITE_ROW)
		tables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (tables > 0)
		return ec_fail(err, EC_LOCAL,
		               "%s is an SQLite database of some other program, not an emailcfg "
		               "cache; give another path with --cache",
		               c->path);
	return EC_OK;
}

/* ---- Permissions ------------------------------------------------------- */

static int check_dir(const char *dir, ec_error *err)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return ec_fail(err, EC_LOCAL, "cannot use the cache directory %s: %s", dir,
		               strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ec_fail(err, EC_LOCAL,
		               "cache directory %s is not a directory; give another path with "
		               "--cache",
		               dir);
	if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))
		return ec_fail(err, EC_LOCAL,
		               "cache directory %s is writable by other users, who could replace "
		               "the cache; run `chmod go-w %s` (as its owner) or give another path "
		               "with --cache",
		               dir, dir);
	return EC_OK;
}

/* mkdir -p with mode 0700 for what it creates, then check the last one. */
static int make_dirs(const char *path, ec_error *err)
{
	char *dir = ec_strdup(path);
	char *slash = strrchr(dir, '/');
	int status;
	if (!slash) {
		free(dir);
		return check_dir(".", err);
	}
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			status = ec_fail(err, EC_LOCAL, "cannot create the cache directory %s: %s",
			                 dir, strerror(errno));
			free(dir);
			return status;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		status = ec_fail(err, EC_LOCAL, "cannot create the cache directory %s: %s", dir,
		                 strerror(errno));
		free(dir);
		return status;
	}
	status = check_dir(dir, err);
	free(dir);
	return status;
}

/* A symbolic link where the cache or a companion goes is refused, never
 * followed: in a shared directory such as /tmp another user can plant one
 * pointing at a file of ours (which we would chmod and overwrite) or at a
 * place where we would create a file. */
static int refuse_link(const char *file, ec_error *err)
{
	return ec_fail(err, EC_LOCAL,
	               "cache %s is a symbolic link, which emailcfg never follows; give the "
	               "path of the file itself with --cache, or remove the link",
	               file);
}

/* A cache of another user is refused before SQLite opens it: SQLite's
 * "unable to open database file" would send the admin to the directory's
 * permissions, and root running a check on the service's cache would leave
 * companion files only root can open, stopping the service's next sync. */
static int refuse_owner(const char *file, uid_t uid, ec_error *err)
{
	struct passwd pw, *found = NULL;
	char buf[1024], name[64];
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found)
		snprintf(name, sizeof name, "%s", found->pw_name);
	else
		snprintf(name, sizeof name, "%lu", (unsigned long)uid);
	return ec_fail(err, EC_LOCAL,
	               "cache %s belongs to user %s, and only its owner may use it; run emailcfg "
	               "as %s (a monitoring check: `sudo -u %s emailcfg ... check`, as "
	               "contrib/sudoers.d/emailcfg allows)",
	               file, name, name, name);
}

/* An existing file (the cache or a companion) is ours and private, or made
 * so. Checked with lstat, and tightened only when it is a regular file of
 * ours, without following a link. */
static int check_file(const char *file, ec_error *err)
{
	struct stat st;
	if (lstat(file, &st) != 0)
		return errno == ENOENT ? EC_OK
		                       : ec_fail(err, EC_LOCAL, "cannot use the cache %s: %s", file,
		                                 strerror(errno));
	if (S_ISLNK(st.st_mode))
		return refuse_link(file, err);
	if (S_ISDIR(st.st_mode))
		return ec_fail(err, EC_LOCAL,
		               "cache %s is a directory; give the path of a file with --cache",
		               file);
	if (!S_ISREG(st.st_mode))
		return ec_fail(err, EC_LOCAL,
		               "cache %s is not a regular file; give another path with --cache",
		               file);
	if (st.st_uid != geteuid())
		return refuse_owner(file, st.st_uid, err);
	if ((st.st_mode & 077) != 0 && fchmodat(AT_FDCWD, file, 0600, AT_SYMLINK_NOFOLLOW) != 0)
		return ec_fail(err, EC_LOCAL,
		               "cannot restrict the cache %s: %s; run `chmod 600 %s`", file,
		               strerror(errno), file);
	return EC_OK;
}

static int check_companions(const char *path, ec_error *err)
{
	static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
	size_t len = strlen(path);
	char *name = ec_xmalloc(len + 16);
	int status = EC_OK;
	for (int i = 0; i < 3 && status == EC_OK; i++) {
		snprintf(name, len + 16, "%s%s", path, suffixes[i]);
		status = check_file(name, err);
	}
	free(name);
	return status;
}

/* Creates the file 0600 before SQLite does, whatever the umask, and never
 * through a link (O_NOFOLLOW: a dangling link must not make us create its
 * target). An existing file is never opened here: closing any descriptor
 * of a file drops every POSIX lock this process holds on it, and another
 * connection of ours (the console's UI and worker each have one) may be
 * holding SQLite's. */
static int create_file(const char *path, ec_error *err)
{
	struct stat st;
	int fd;
	if (lstat(path, &st) == 0)
		return S_ISLNK(st.st_mode) ? refuse_link(path, err) : EC_OK;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST) /* another process created it just now */
		return check_file(path, err);
	if (fd < 0)
		return ec_fail(err, EC_LOCAL, "cannot create the cache %s: %s", path,
		               strerror(errno));
	close(fd);
	return EC_OK;
}

/* ---- Opening ----------------------------------------------------------- */

/* ec_fold(text): utf8_fold() in SQL, so a migration can recompute the
 * search and sort keys when their definition changes. */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *in = sqlite3_value_text(argv[0]);
	char *key;
	(void)argc;
	if (!in) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	key = utf8_fold((const char *)in);
	sqlite3_result_text(ctx, key, -1, free);
}

/* ec_needs_test(changes): cache_changes_need_test() in SQL, so the list's
 * query marks stale test results without a query per row. */
static void sql_needs_test(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int(ctx, cache_changes_need_test((const char *)sqlite3_value_text(argv[0])));
}

/* ec_alert_cause(text, code): explain_alert()'s cause slug in SQL, "other"
 * when no row explains the alert: the filter key cause:SLUG. */
static void sql_alert_cause(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const ec_cause *c = explain_alert((const char *)sqlite3_value_text(argv[0]),
	                                  (long long)sqlite3_value_int64(argv[1]));
	(void)argc;
	sqlite3_result_text(ctx, c ? c->cause : "other", -1, SQLITE_STATIC);
}

/* SQLite counts every allocation under a global mutex unless told not to;
 * nothing reads those counts, and a first sync of 100,000 mailboxes makes
 * millions of allocations. Must come before SQLite initializes; a later
 * call is refused (SQLITE_MISUSE) and changes nothing. */
static void quiet_memstatus(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static pthread_once_t memstatus_once = PTHREAD_ONCE_INIT;

/* On every connection, the read-only ones too: the list's query calls
 * ec_needs_test(). */
static void add_functions(ec_cache *c)
{
	sqlite3_create_function(c->db, "ec_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_fold, NULL, NULL);
	sqlite3_create_function(c->db, "ec_needs_test", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_needs_test, NULL, NULL);
	sqlite3_create_function(c->db, "ec_alert_cause", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                        NULL, sql_alert_cause, NULL, NULL);
}

static int configure(ec_cache *c, ec_error *err)
{
	sqlite3_stmt *st;
	int rc, status;
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(c->db, 1);
	add_functions(c);
	/* A new file gets 16 KiB pages (an existing one keeps its own: the
	 * pragma is a no-op once the file has any): building the indexes of
	 * a first fill reads the whole table once per index, and
	 * 16 KiB pages make that a quarter of the reads and WAL frames. */
	status = cache_exec(c, "PRAGMA page_size = " CACHE_NEW_PAGE_SIZE, err);
	if (status == EC_OK)
		status = cache_prepare(c, "PRAGMA journal_mode = WAL", &st, err);
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		status = cache_fail_rc(c, rc, err, "switching to WAL mode");
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
		status = ec_fail(err, EC_LOCAL,
		                 "cache %s cannot use WAL mode (journal mode %s); put it on a "
		                 "local disk",
		                 c->path, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (status != EC_OK)
		return status;
	return cache_exec(c,
	                  "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
	                  "PRAGMA cache_size = " PAGE_CACHE_KIB,
	                  err);
}

/* Schema 7 drops columns (ALTER TABLE DROP COLUMN): SQLite 3.35 or newer.
 * The build checks too, but the library loaded at run time may differ. */
#define SQLITE_MIN_VERSION 3035000

static int open_db(ec_cache *c, int version, ec_error *err)
{
	int rc, status;
	if (sqlite3_libversion_number() < SQLITE_MIN_VERSION)
		return ec_fail(err, EC_LOCAL,
		               "the SQLite library is version %s; emailcfg needs 3.35 or newer to "
		               "open the cache %s (it was not touched): upgrade SQLite",
		               sqlite3_libversion(), c->path);
	pthread_once(&memstatus_once, quiet_memstatus);
	/* NOFOLLOW: a link swapped in since our checks is refused, not opened. */
	rc = sqlite3_open_v2(c->path, &c->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
	                     NULL);
	if (rc == SQLITE_CANTOPEN_SYMLINK)
		return refuse_link(c->path, err);
	if (rc != SQLITE_OK)
		return cache_fail_rc(c, rc, err, "opening");
	status = configure(c, err);
	if (status == EC_OK)
		status = check_version(c, err);
	if (status == EC_OK)
		status = cache_migrate_to(c, version, err);
	/* Indexes a first fill dropped and did not live to build again. */
	if (status == EC_OK && version == cache_schema_version())
		status = cache_bulk_end(c, err);
	return status;
}

int cache_open_version(const char *path, int version, ec_cache **out, ec_error *err)
{
	ec_cache *c;
	mode_t old;
	int status;

	*out = NULL;
	if (!path || !*path)
		return ec_fail(err, EC_LOCAL, "no cache file given; use --cache FILE");
	status = make_dirs(path, err);
	if (status == EC_OK)
		status = check_file(path, err);
	if (status == EC_OK)
		status = check_companions(path, err);
	if (status == EC_OK)
		status = create_file(path, err);
	if (status != EC_OK)
		return status;

	c = ec_xcalloc(1, sizeof *c);
	c->path = ec_strdup(path);
	pthread_mutex_lock(&umask_lock);
	old = umask(077);
	status = open_db(c, version, err);
	umask(old);
	pthread_mutex_unlock(&umask_lock);
	if (status == EC_OK)
		status = check_companions(path, err);
	if (status != EC_OK) {
		cache_close(c);
		return status;
	}
	*out = c;
	return EC_OK;
}

/* ---- Reading where we may not write ------------------------------------ */

/* Whether we could write the cache: the file (when it exists) and its
 * directory, where SQLite keeps the -wal and -shm. */
static bool cache_writable(const char *path)
{
	char *dir = ec_strdup(path), *slash = strrchr(dir, '/');
	bool ok;
	if (!slash)
		ok = access(".", W_OK) == 0;
	else {
		if (slash == dir)
			slash++; /* "/x.db": the root directory */
		*slash = '\0';
		/* a directory not made yet is made by cache_open() */
		ok = access(dir, W_OK) == 0 || errno == ENOENT;
	}
	free(dir);
	return ok && (access(path, W_OK) == 0 || errno == ENOENT);
}

/* "file:PATH?mode=ro", or with immutable=1 when there is no -wal: a cache in
 * WAL mode cannot be read without creating its -shm, which this directory
 * does not allow, and no one can write the cache there (no -wal or journal
 * could be made), so it cannot change under us. */
static char *readonly_uri(const char *path)
{
	size_t len = strlen(path);
	char *wal = ec_xmalloc(len + 8), *uri = ec_xmalloc(len * 3 + 48), *o = uri;
	struct stat st;
	bool has_wal;
	snprintf(wal, len + 8, "%s-wal", path);
	has_wal = lstat(wal, &st) == 0;
	free(wal);
	o += sprintf(o, "file:");
	for (const char *p = path; *p; p++)
		o += strchr("%?#", *p) ? sprintf(o, "%%%02X", (unsigned char)*p)
		                       : sprintf(o, "%c", *p);
	sprintf(o, has_wal ? "?mode=ro" : "?mode=ro&immutable=1");
	return uri;
}

static int open_readonly_db(ec_cache *c, ec_error *err)
{
	char *uri = readonly_uri(c->path);
	int version = 0, rc, status;
	pthread_once(&memstatus_once, quiet_memstatus);
	rc = sqlite3_open_v2(uri, &c->db,
	                     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW, NULL);
	free(uri);
	if (rc == SQLITE_CANTOPEN_SYMLINK)
		return refuse_link(c->path, err);
	if (rc != SQLITE_OK)
		return cache_fail_rc(c, rc, err, "opening (read-only)");
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	add_functions(c);
	sqlite3_extended_result_codes(c->db, 1);
	status = cache_exec(c, "PRAGMA cache_size = " PAGE_CACHE_KIB, err);
	if (status == EC_OK)
		status = check_version(c, err);
	if (status == EC_OK)
		status = cache_user_version(c, &version, err);
	if (status == EC_OK && version < cache_schema_version())
		status =
		    ec_fail(err, EC_LOCAL,
		            "cache %s is from an older emailcfg and cannot be upgraded here "
		            "(no write access); run emailcfg once as its owner, or copy it and "
		            "give the copy with --cache",
		            c->path);
	return status;
}

int cache_open_reader(const char *path, ec_cache **out, ec_error *err)
{
	ec_cache *c;
	int status;
	*out = NULL;
	if (!path || !*path || cache_writable(path))
		return cache_open(path, out, err);
	status = check_file(path, err);
	if (status == EC_OK)
		status = check_companions(path, err);
	if (status != EC_OK)
		return status;
	c = ec_xcalloc(1, sizeof *c);
	c->path = ec_strdup(path);
	status = open_readonly_db(c, err);
	if (status != EC_OK) {
		cache_close(c);
		return status;
	}
	*out = c;
	return EC_OK;
}

int cache_open(const char *path, ec_cache **out, ec_error *err)
{
	return cache_open_version(path, cache_schema_version(), out, err);
}

void cache_close(ec_cache *c)
{
	if (!c)
		return;
	while (c->depth > 0)
		cache_tx_rollback(c, NULL);
	sqlite3_close_v2(c->db);
	free(c->org_url);
	free(c->path);
	free(c);
}

const char *cache_path(const ec_cache *c)
{
	return c->path;
}

int cache_data_version(ec_cache *c, long long *version, ec_error *err)
{
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, "PRAGMA data_version", &st, err);
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	else
		status = cache_fail_rc(c, rc, err, "reading the data version");
	sqlite3_finalize(st);
	return status;
}
