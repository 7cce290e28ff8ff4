/* test_cache.c — the cache's file handling and plain rows: opening, schema
 * migrations (from an empty file and from version 1), permissions, refusals
 * (newer cache, garbage, another program's database), disk full, two
 * connections at once, settings/profiles/alerts, transactions,
 * watermarks, meta, and the removal of rows a listing did not name. Works in a
 * temporary directory made with mkdtemp and removed afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/cache/cache.h"
#include "core/cache/cache_int.h"
#include "core/model/options.h"

static char tmpdir[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_cache.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	chmod(tmpdir, 0700);
	return nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *tmp_path(const char *name)
{
	static char buf[4][256];
	static int next;
	char *p = buf[next++ % 4];
	snprintf(p, 256, "%s/%s", tmpdir, name);
	return p;
}

static ec_cache *open_ok(const char *path)
{
	ec_cache *c = NULL;
	ec_error err = {0};
	int status = cache_open(path, &c, &err);
	if (status != EC_OK)
		fail_msg("cache_open(%s): %s", path, err.msg);
	return c;
}

static int mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (int)(st.st_mode & 07777);
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

static ec_mailbox make_mailbox(const char *id, const char *name, const char *email)
{
	ec_mailbox m;
	mailbox_init(&m);
	snprintf(m.id, sizeof m.id, "%.36s", id);
	m.name = (char *)name;
	m.email = (char *)email;
	m.owner_type = 0;
	m.state = 0;
	m.version = 1;
	return m;
}

/* ---- Opening and migrations -------------------------------------------- */

static void test_open_new(void **state)
{
	ec_cache *c;
	int version = 0;
	(void)state;
	c = open_ok(tmp_path("a/b/c.db"));
	assert_int_equal(cache_user_version(c, &version, NULL), EC_OK);
	assert_int_equal(version, cache_schema_version());
	assert_true(cache_schema_version() >= 2);
	assert_string_equal(cache_path(c), tmp_path("a/b/c.db"));
	assert_int_equal(mode_of(tmp_path("a")), 0700);
	assert_int_equal(mode_of(tmp_path("a/b")), 0700);
	assert_int_equal(mode_of(tmp_path("a/b/c.db")), 0600);
	assert_int_equal(mode_of(tmp_path("a/b/c.db-wal")), 0600);
	assert_int_equal(mode_of(tmp_path("a/b/c.db-shm")), 0600);
	assert_int_equal(cache_exec(c, "SELECT 1", NULL), EC_OK);
	cache_close(c);
	/* Opening again changes nothing. */
	c = open_ok(tmp_path("a/b/c.db"));
	cache_close(c);
}

static void test_open_settings(void **state)
{
	ec_cache *c = open_ok(tmp_path("p.db"));
	sqlite3_stmt *st;
	(void)state;
	assert_int_equal(sqlite3_prepare_v2(c->db, "PRAGMA journal_mode", -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(c->db, "PRAGMA synchronous", -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* FULL */
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(c->db, "PRAGMA foreign_keys", -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	cache_close(c);
}

static void test_migrate_from_v1(void **state)
{
	const char *path = tmp_path("v1.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	ec_mailbox m;
	ec_settings s;
	int version = 0;
	(void)state;

	assert_int_equal(cache_open_version(path, 1, &c, &err), EC_OK);
	assert_int_equal(cache_user_version(c, &version, NULL), EC_OK);
	assert_int_equal(version, 1);
	cache_close(c);
	/* Data as the first release wrote it. */
	sql_exec(path, "INSERT INTO mailboxes (id, name, email, name_folded, email_folded, "
	               "state, version) VALUES ('0000000a-0000-0000-0000-000000000001', 'Ana', "
	               "'ana@x.si', 'ana', 'ana@x.si', 0, 7);"
	               "INSERT INTO settings (slot, id, approve_users, version) VALUES "
	               "(1, '0000000b-0000-0000-0000-000000000001', 1, 3);"
	               "INSERT INTO alerts (id, regarding_id, level, text, modified_on) VALUES "
	               "('0000000c-0000-0000-0000-000000000001', "
	               "'0000000a-0000-0000-0000-000000000001', 3, 'boom', "
	               "'2024-01-01T00:00:00Z');");

	c = open_ok(path);
	assert_int_equal(cache_user_version(c, &version, NULL), EC_OK);
	assert_int_equal(version, cache_schema_version());
	assert_int_equal(cache_get_mailbox(c, "0000000a-0000-0000-0000-000000000001", &m, &err),
	                 EC_OK);
	assert_string_equal(m.name, "Ana");
	/* Released by version 9: the next sync reads the row again for the
	 * columns that version added. */
	assert_int_equal(m.version, 0);
	assert_int_equal(m.pending_edits, 0);
	mailbox_free(&m);
	assert_int_equal(cache_get_settings(c, &s, &err), EC_OK);
	assert_int_equal(s.approve_users, 1);
	assert_int_equal(s.version, 3);
	settings_free(&s);
	/* The version 2 tables work on the migrated file. */
	assert_int_equal(cache_meta_set(c, "org", "contoso", &err), EC_OK);
	assert_int_equal(cache_ids_begin(c, CACHE_MAILBOXES, &err), EC_OK);
	cache_ids_end(c);
	cache_close(c);
}

static void test_migrate_step_by_step(void **state)
{
	const char *path = tmp_path("steps.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	int version = 0;
	(void)state;
	assert_int_equal(cache_open_version(path, 0, &c, &err), EC_OK);
	assert_int_equal(cache_user_version(c, &version, NULL), EC_OK);
	assert_int_equal(version, 0);
	assert_int_equal(cache_migrate_to(c, 1, &err), EC_OK);
	assert_int_equal(cache_user_version(c, &version, NULL), EC_OK);
	assert_int_equal(version, 1);
	assert_int_equal(cache_migrate_to(c, cache_schema_version(), &err), EC_OK);
	assert_int_equal(cache_user_version(c, &version, NULL), EC_OK);
	assert_int_equal(version, cache_schema_version());
	/* Migrating again is a no-op. */
	assert_int_equal(cache_migrate_to(c, cache_schema_version(), &err), EC_OK);
	cache_close(c);
}

/* A migration that fails leaves the file as it was, and with edits queued
 * never advises moving it away (a rebuilt cache would lose them). A view
 * on a column version 7 drops makes that step fail. */
static int count_rows(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_migrate_failure_keeps_outbox(void **state)
{
	const char *path = tmp_path("failmig.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	(void)state;
	assert_int_equal(cache_open_version(path, 6, &c, &err), EC_OK);
	cache_close(c);
	sql_exec(path, "CREATE VIEW hold AS SELECT raw FROM mailboxes;"
	               "INSERT INTO outbox (entity, target_id, changes, created_on, updated_on) "
	               "VALUES ('mailbox', '0000000a-0000-0000-0000-000000000001', "
	               "'{\"act\":1}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');");
	assert_int_not_equal(cache_open_version(path, cache_schema_version(), &c, &err), EC_OK);
	assert_null(c);
	assert_null(strstr(err.msg, "move it away"));
	assert_non_null(strstr(err.msg, "1 outbox entries"));
	assert_non_null(strstr(err.msg, "DROP COLUMN raw"));
	assert_int_equal(count_rows(path, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(count_rows(path, "PRAGMA user_version"), 6);
	/* With nothing queued, moving it away loses nothing and is offered. */
	sql_exec(path, "DELETE FROM outbox");
	ec_error_clear(&err);
	assert_int_not_equal(cache_open_version(path, cache_schema_version(), &c, &err), EC_OK);
	assert_non_null(strstr(err.msg, "safe to move it away"));
	/* An index already gone (dropped by hand, or by a first fill that did
	 * not live to build it again) does not stop the migration. */
	sql_exec(path, "DROP VIEW hold; DROP INDEX mailboxes_act;");
	cache_close(open_ok(path));
	assert_int_equal(count_rows(path, "PRAGMA user_version"), cache_schema_version());
}

/* Version 4 changed the search and sort keys: a cache written before has
 * them recomputed, so old rows sort and match like new ones. */
static void test_migrate_fold_keys(void **state)
{
	const char *path = tmp_path("fold.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	sqlite3 *db;
	ec_mailbox *rows = NULL;
	int n = 0;
	(void)state;
	assert_int_equal(cache_open_version(path, 3, &c, &err), EC_OK);
	cache_close(c);
	/* Rows as version 3 stored them: keys that are only lowercase. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "INSERT INTO mailboxes (id, name, name_folded) VALUES "
	                              "('00000000-0000-4000-8000-000000000001', 'Matej', 'matej'), "
	                              "('00000000-0000-4000-8000-000000000002', 'Maša', 'maša'), "
	                              "('00000000-0000-4000-8000-000000000003', 'Žužek', 'žužek')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	c = open_ok(path);
	assert_int_equal(cache_list_mailboxes(c, NULL, "name", 0, -1, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].name, "Maša"); /* š sorts before t */
	assert_string_equal(rows[1].name, "Matej");
	assert_string_equal(rows[2].name, "Žužek");
	cache_free_mailboxes(rows, n);
	assert_int_equal(cache_list_mailboxes(c, "ŽUŽEK", NULL, 0, -1, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	cache_free_mailboxes(rows, n);
	cache_close(c);
}

/* A cache missing one of the indexes version 7 replaces (dropped by hand,
 * or never built by a fill cut short) still upgrades. */
static void test_upgrade_without_an_index(void **state)
{
	const char *path = tmp_path("upgrade-noindex.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	(void)state;
	assert_int_equal(cache_open_version(path, 6, &c, &err), EC_OK);
	cache_close(c);
	sql_exec(path, "DROP INDEX mailboxes_state");
	c = open_ok(path);
	cache_close(c);
}

static void test_newer_refused(void **state)
{
	const char *path = tmp_path("newer.db");
	ec_cache *c = open_ok(path);
	ec_error err = {0};
	char pragma[64];
	(void)state;
	cache_close(c);
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", cache_schema_version() + 1);
	sql_exec(path, pragma);
	assert_int_equal(cache_open(path, &c, &err), EC_LOCAL);
	assert_null(c);
	assert_int_equal(err.status, EC_LOCAL);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "was written by a newer emailcfg"));
}

static void test_garbage_refused(void **state)
{
	const char *path = tmp_path("garbage.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	char junk[4096];
	(void)state;
	memset(junk, 'x', sizeof junk - 1);
	junk[sizeof junk - 1] = '\0';
	write_file(path, junk, 0600);
	assert_int_equal(cache_open(path, &c, &err), EC_LOCAL);
	assert_null(c);
	assert_non_null(strstr(err.msg, "is damaged"));
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "emailcfg sync"));
}

static void test_foreign_database_refused(void **state)
{
	const char *path = tmp_path("other.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	(void)state;
	sql_exec(path, "CREATE TABLE songs (title TEXT)");
	chmod(path, 0600);
	assert_int_equal(cache_open(path, &c, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "not an emailcfg cache"));
}

static void test_directory_refused(void **state)
{
	ec_cache *c = NULL;
	ec_error err = {0};
	(void)state;
	assert_int_equal(mkdir(tmp_path("isdir.db"), 0700), 0);
	assert_int_equal(cache_open(tmp_path("isdir.db"), &c, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "is a directory"));
	assert_int_equal(cache_open("", &c, &err), EC_LOCAL);
}

/* ---- Permissions ------------------------------------------------------- */

static void test_loose_file_tightened(void **state)
{
	const char *path = tmp_path("loose.db");
	ec_cache *c = open_ok(path);
	(void)state;
	cache_close(c);
	chmod(path, 0644);
	write_file(tmp_path("loose.db-wal"), "", 0644);
	chmod(tmpdir, 0755);
	c = open_ok(path);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(mode_of(tmp_path("loose.db-wal")), 0600);
	/* An existing directory (perhaps the user's home) is left alone. */
	assert_int_equal(mode_of(tmpdir), 0755);
	cache_close(c);
	chmod(tmpdir, 0700);
}

static void test_loose_wal_tightened(void **state)
{
	const char *path = tmp_path("wal.db");
	ec_cache *c = open_ok(path);
	ec_cache *c2;
	(void)state;
	/* Keep the WAL file: a second connection holds it open. */
	c2 = open_ok(path);
	cache_close(c);
	chmod(tmp_path("wal.db-wal"), 0666);
	chmod(tmp_path("wal.db-shm"), 0644);
	c = open_ok(path);
	assert_int_equal(mode_of(tmp_path("wal.db-wal")), 0600);
	assert_int_equal(mode_of(tmp_path("wal.db-shm")), 0600);
	cache_close(c);
	cache_close(c2);
}

static void test_new_file_under_wide_umask(void **state)
{
	mode_t old = umask(0);
	ec_cache *c = open_ok(tmp_path("umask/x.db"));
	(void)state;
	umask(old);
	assert_int_equal(mode_of(tmp_path("umask")), 0700);
	assert_int_equal(mode_of(tmp_path("umask/x.db")), 0600);
	assert_int_equal(mode_of(tmp_path("umask/x.db-wal")), 0600);
	assert_int_equal(mode_of(tmp_path("umask/x.db-shm")), 0600);
	cache_close(c);
}

/* Files and directories of someone else: as root, made by chown; as a user,
 * /etc/passwd (root's, world-readable) stands in. */
static void test_foreign_file_refused(void **state)
{
	const char *path = tmp_path("foreign.db");
	ec_cache *c = NULL;
	ec_error err = {0};
	char expect[300];
	(void)state;
	if (geteuid() != 0) {
		assert_int_equal(cache_open("/etc/passwd", &c, &err), EC_LOCAL);
		assert_non_null(strstr(err.msg, "belongs to user root"));
		return;
	}
	write_file(path, "", 0644);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(cache_open(path, &c, &err), EC_LOCAL);
	assert_null(c);
	snprintf(expect, sizeof expect, "cache %s belongs to user nobody", path);
	assert_non_null(strstr(err.msg, expect));
	assert_non_null(strstr(err.msg, "sudo -u nobody"));
	assert_int_equal(mode_of(path), 0644);
	/* Private to its owner, it is refused all the same (SQLite could not
	 * read it), naming the owner rather than the directory. */
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(cache_open(path, &c, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, expect));
}

static void test_foreign_dir(void **state)
{
	const char *dir = tmp_path("shared");
	ec_cache *c = NULL;
	ec_error err = {0};
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(dir, 0777), 0);
	chmod(dir, 0777);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	assert_int_equal(cache_open(tmp_path("shared/x.db"), &c, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "writable by other users"));
	assert_non_null(strstr(err.msg, "chmod go-w"));
	assert_int_equal(mode_of(dir), 0777);
	/* Sticky like /tmp: others cannot swap our file, so it is accepted. */
	chmod(dir, 01777);
	c = open_ok(tmp_path("shared/x.db"));
	assert_int_equal(mode_of(tmp_path("shared/x.db")), 0600);
	cache_close(c);
}

/* A link planted where a cache goes, as another user would plant it in a
 * shared directory (as root the link is given to nobody): refused, its target
 * neither chmodded, written nor created. */
static void plant_link(const char *target, const char *link)
{
	assert_int_equal(symlink(target, link), 0);
	if (geteuid() == 0)
		assert_int_equal(lchown(link, 65534, 65534), 0);
}

/* Opens path, and returns cache_open's status once the cache is closed. */
static int open_status(const char *path, ec_error *err)
{
	ec_cache *c = NULL;
	int status = cache_open(path, &c, err);
	cache_close(c);
	return status;
}

static void assert_link_message(int status, const ec_error *err)
{
	assert_int_equal(status, EC_LOCAL);
	assert_non_null(strstr(err->msg, "symbolic link"));
	assert_non_null(strstr(err->msg, "--cache"));
}

static void assert_untouched(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "precious");
	assert_int_equal(mode_of(path), 0644);
}

static void test_symlinks_refused(void **state)
{
	char target[256];
	ec_cache *c;
	ec_error err = {0};
	int status;
	(void)state;
	snprintf(target, sizeof target, "%s", tmp_path("target"));
	write_file(target, "precious", 0644);
	plant_link(target, tmp_path("link.db"));
	status = open_status(tmp_path("link.db"), &err);
	assert_untouched(target);
	assert_link_message(status, &err);
	/* A dangling link: nothing is created where it points. */
	plant_link(tmp_path("nowhere.db"), tmp_path("dangling.db"));
	status = open_status(tmp_path("dangling.db"), &err);
	assert_int_equal(access(tmp_path("nowhere.db"), F_OK), -1);
	assert_link_message(status, &err);
	/* A link in place of the write-ahead log of a real cache. */
	c = open_ok(tmp_path("real.db"));
	cache_close(c);
	plant_link(target, tmp_path("real.db-wal"));
	status = open_status(tmp_path("real.db"), &err);
	assert_untouched(target);
	assert_link_message(status, &err);
	unlink(tmp_path("real.db-wal"));
	plant_link(tmp_path("nowhere.db"), tmp_path("real.db-shm"));
	status = open_status(tmp_path("real.db"), &err);
	assert_int_equal(access(tmp_path("nowhere.db"), F_OK), -1);
	assert_link_message(status, &err);
}

/* ---- Failures while writing -------------------------------------------- */

static void test_disk_full(void **state)
{
	ec_cache *c = open_ok(tmp_path("full.db"));
	ec_error err = {0};
	ec_mailbox rows[200];
	char ids[200][EC_ID_SIZE];
	char name[200][64];
	long count = -1;
	(void)state;
	assert_int_equal(cache_exec(c, "PRAGMA max_page_count = 60", NULL), EC_OK);
	for (int i = 0; i < 200; i++) {
		snprintf(ids[i], sizeof ids[i], "00000000-0000-0000-0000-%012u",
		         (unsigned)i % 1000000u);
		snprintf(name[i], sizeof name[i], "%0*d", 60, i);
		rows[i] = make_mailbox(ids[i], name[i], name[i]);
	}
	for (int round = 0; round < 20 && err.status == EC_OK; round++) {
		for (int i = 0; i < 200; i++)
			snprintf(rows[i].id, EC_ID_SIZE, "%08u-0000-0000-0000-%012u",
			         (unsigned)round % 100u, (unsigned)i % 1000u);
		cache_put_mailboxes(c, rows, 200, &err);
	}
	assert_int_equal(err.status, EC_LOCAL);
	assert_non_null(strstr(err.msg, "disk full while writing the cache"));
	assert_non_null(strstr(err.msg, "free space and retry (nothing was lost)"));
	/* The failed page left nothing behind, and the cache still works. */
	assert_int_equal(cache_count_mailboxes(c, NULL, &count, &err), EC_OK);
	assert_int_equal(count % 200, 0);
	cache_close(c);
}

/* ---- Two connections ---------------------------------------------------- */

struct writer {
	const char *path;
	int status;
};

static void *write_pages(void *arg)
{
	struct writer *w = arg;
	ec_cache *c = NULL;
	ec_error err = {0};
	char id[EC_ID_SIZE];
	w->status = cache_open(w->path, &c, &err);
	for (int i = 0; i < 50 && w->status == EC_OK; i++) {
		ec_mailbox m;
		snprintf(id, sizeof id, "00000000-0000-0000-0001-%012u", (unsigned)i % 1000000u);
		m = make_mailbox(id, "Writer", "w@x");
		w->status = cache_put_mailboxes(c, &m, 1, &err);
	}
	cache_close(c);
	return NULL;
}

static void test_two_connections(void **state)
{
	const char *path = tmp_path("two.db");
	ec_cache *ui = open_ok(path);
	struct writer w = {path, -1};
	pthread_t worker;
	ec_error err = {0};
	long count = 0;
	long long dv0, dv1;
	(void)state;
	assert_int_equal(cache_data_version(ui, &dv0, &err), EC_OK);
	assert_int_equal(pthread_create(&worker, NULL, write_pages, &w), 0);
	for (int i = 0; i < 50; i++)
		assert_int_equal(cache_count_mailboxes(ui, NULL, &count, &err), EC_OK);
	pthread_join(worker, NULL);
	assert_int_equal(w.status, EC_OK);
	assert_int_equal(cache_count_mailboxes(ui, NULL, &count, &err), EC_OK);
	assert_int_equal(count, 50);
	assert_int_equal(cache_data_version(ui, &dv1, &err), EC_OK);
	assert_true(dv1 != dv0);
	cache_close(ui);
}

/* ---- Settings, profiles, alerts ---------------------------------------- */

/* One cache, one organization: the first settings record the URL and id;
 * another organization's settings, or a connection to another URL, are
 * refused naming both, and the cache keeps the first organization's row. */
static void test_one_organization(void **state)
{
	ec_cache *c = open_ok(tmp_path("org.db"));
	ec_error err = {0};
	ec_settings s, got;
	char *url = NULL;
	(void)state;
	settings_init(&s);
	snprintf(s.id, sizeof s.id, "0000000a-0000-0000-0000-000000000001");
	assert_int_equal(cache_bind_org(c, "https://a.example", &err), EC_OK);
	assert_int_equal(cache_put_settings(c, &s, &err), EC_OK);
	assert_int_equal(cache_meta_get(c, "org_url", &url, &err), EC_OK);
	assert_string_equal(url, "https://a.example");
	free(url);
	/* The same organization under another spelling of its URL. */
	assert_int_equal(cache_bind_org(c, "HTTPS://A.example:443/", &err), EC_OK);
	assert_int_equal(cache_put_settings(c, &s, &err), EC_OK);
	/* Another id at the same URL (the organization was recreated). */
	snprintf(s.id, sizeof s.id, "0000000b-0000-0000-0000-000000000002");
	assert_int_equal(cache_put_settings(c, &s, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "0000000a-0000-0000-0000-000000000001"));
	assert_non_null(strstr(err.msg, "0000000b-0000-0000-0000-000000000002"));
	assert_non_null(strstr(err.msg, "--cache"));
	/* Another URL: refused when bound, and when storing its settings. */
	assert_int_equal(cache_bind_org(c, "https://b.example", &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "https://a.example"));
	assert_non_null(strstr(err.msg, "https://b.example"));
	free(c->org_url);
	c->org_url = strdup("https://b.example");
	snprintf(s.id, sizeof s.id, "0000000a-0000-0000-0000-000000000001");
	assert_int_equal(cache_put_settings(c, &s, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, "https://b.example"));
	assert_int_equal(cache_get_settings(c, &got, &err), EC_OK);
	assert_string_equal(got.id, "0000000a-0000-0000-0000-000000000001");
	settings_free(&got);
	cache_close(c);
}

static void test_settings(void **state)
{
	ec_cache *c = open_ok(tmp_path("settings.db"));
	ec_error err = {0};
	ec_settings s, got;
	(void)state;
	assert_int_equal(cache_get_settings(c, &got, &err), CACHE_NOT_FOUND);
	assert_non_null(strstr(err.msg, "emailcfg sync"));
	settings_init(&s);
	snprintf(s.id, sizeof s.id, "0000000b-0000-0000-0000-000000000001");
	s.process_using = 0;
	s.default_incoming = 2;
	s.approve_users = 1;
	s.approve_queues = 0;
	s.tracking_prefix = "CRM:";
	s.max_upload_bytes = 5242880;
	s.version = 99;
	snprintf(s.modified_on, sizeof s.modified_on, "2024-03-01T09:00:00Z");
	assert_int_equal(cache_put_settings(c, &s, &err), EC_OK);
	s.version = 100;
	assert_int_equal(cache_put_settings(c, &s, &err), EC_OK);
	assert_int_equal(cache_get_settings(c, &got, &err), EC_OK);
	assert_string_equal(got.id, s.id);
	assert_int_equal(got.default_incoming, 2);
	assert_int_equal(got.default_outgoing, EC_NULL);
	assert_int_equal(got.approve_queues, 0);
	assert_string_equal(got.tracking_prefix, "CRM:");
	assert_null(got.default_profile_name);
	assert_int_equal(got.max_upload_bytes, 5242880);
	assert_int_equal(got.version, 100);
	assert_string_equal(got.modified_on, "2024-03-01T09:00:00Z");
	settings_free(&got);
	cache_close(c);
}

static ec_profile make_profile(const char *id, const char *name)
{
	ec_profile p;
	profile_init(&p);
	snprintf(p.id, sizeof p.id, "%.36s", id);
	p.name = (char *)name;
	p.server_type = 0;
	p.state = 0;
	return p;
}

static void test_profiles(void **state)
{
	ec_cache *c = open_ok(tmp_path("profiles.db"));
	ec_error err = {0};
	ec_profile rows[3], got, *list;
	int n;
	(void)state;
	rows[0] = make_profile("00000000-0000-0000-0000-00000000000a", "Exchange Online");
	rows[1] = make_profile("00000000-0000-0000-0000-00000000000b", "Gmail IMAP");
	rows[2] = make_profile("00000000-0000-0000-0000-00000000000c", "Gmail IMAP");
	rows[0].incoming_location = "https://outlook.office365.com/EWS/Exchange.asmx";
	rows[0].incoming_port = 443;
	assert_int_equal(cache_put_profiles(c, rows, 3, &err), EC_OK);

	assert_int_equal(cache_get_profile(c, "00000000-0000-0000-0000-00000000000A", &got, &err),
	                 EC_OK);
	assert_string_equal(got.name, "Exchange Online");
	assert_string_equal(got.incoming_location, rows[0].incoming_location);
	assert_int_equal(got.incoming_port, 443);
	assert_int_equal(got.outgoing_port, EC_NULL);
	profile_free(&got);
	assert_int_equal(cache_get_profile(c, "nope", &got, &err), CACHE_NOT_FOUND);

	assert_int_equal(cache_find_profile(c, "exchange ONLINE", &got, &err), EC_OK);
	assert_string_equal(got.id, rows[0].id);
	profile_free(&got);
	assert_int_equal(cache_find_profile(c, "Gmail IMAP", &got, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "several server profiles"));
	assert_int_equal(cache_find_profile(c, rows[2].id, &got, &err), EC_OK);
	assert_string_equal(got.id, rows[2].id);
	profile_free(&got);
	assert_int_equal(cache_find_profile(c, "Nothing", &got, &err), CACHE_NOT_FOUND);
	assert_int_equal(err.status, EC_USAGE);

	assert_int_equal(cache_list_profiles(c, &list, &n, &err), EC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].name, "Exchange Online");
	cache_free_profiles(list, n);

	assert_int_equal(cache_delete_profile(c, rows[1].id, &err), EC_OK);
	assert_int_equal(cache_get_profile(c, rows[1].id, &got, &err), CACHE_NOT_FOUND);
	cache_close(c);
}

static ec_alert make_alert(const char *id, const char *regarding, int level, const char *when)
{
	ec_alert a;
	alert_init(&a);
	snprintf(a.id, sizeof a.id, "%.36s", id);
	snprintf(a.regarding_id, sizeof a.regarding_id, "%.36s", regarding);
	a.level = level;
	a.code = 2;
	a.text = (char *)"Email cannot be received";
	snprintf(a.created_on, sizeof a.created_on, "%s", when);
	snprintf(a.modified_on, sizeof a.modified_on, "%s", when);
	return a;
}

static void test_alerts(void **state)
{
	ec_cache *c = open_ok(tmp_path("alerts.db"));
	ec_error err = {0};
	ec_alert rows[3], *list;
	int n;
	(void)state;
	rows[0] =
	    make_alert("a0000000-0000-0000-0000-000000000001", "m1", 3, "2024-01-01T10:00:00Z");
	rows[1] =
	    make_alert("a0000000-0000-0000-0000-000000000002", "m1", 2, "2024-01-03T10:00:00Z");
	rows[2] =
	    make_alert("a0000000-0000-0000-0000-000000000003", "p1", 1, "2024-01-02T10:00:00Z");
	rows[2].regarding_profile = true;
	rows[2].code = EC_NULL;
	assert_int_equal(cache_put_alerts(c, rows, 3, &err), EC_OK);
	assert_int_equal(cache_list_alerts(c, NULL, 0, &list, &n, &err), EC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].id, rows[1].id);
	assert_string_equal(list[1].id, rows[2].id);
	assert_true(list[1].regarding_profile);
	assert_int_equal(list[1].code, EC_NULL);
	assert_string_equal(list[2].text, "Email cannot be received");
	cache_free_alerts(list, n);
	assert_int_equal(cache_list_alerts(c, "m1", 1, &list, &n, &err), EC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].id, rows[1].id);
	assert_int_equal(list[0].level, 2);
	cache_free_alerts(list, n);
	assert_int_equal(cache_list_alerts(c, "nobody", 0, &list, &n, &err), EC_OK);
	assert_int_equal(n, 0);
	cache_free_alerts(list, n);
	cache_close(c);
}

/* ---- Upserts, transactions, sync state --------------------------------- */

static void test_upsert_pages(void **state)
{
	ec_cache *c = open_ok(tmp_path("upsert.db"));
	ec_error err = {0};
	ec_mailbox page[2], got;
	long count;
	(void)state;
	page[0] = make_mailbox("00000000-0000-0000-0000-000000000001", "One", "one@x");
	page[1] = make_mailbox("00000000-0000-0000-0000-000000000002", "Two", "two@x");
	assert_int_equal(cache_put_mailboxes(c, page, 2, &err), EC_OK);
	page[0].name = "One renamed";
	page[0].version = 2;
	page[0].approval = 1;
	assert_int_equal(cache_put_mailboxes(c, page, 1, &err), EC_OK);
	assert_int_equal(cache_count_mailboxes(c, NULL, &count, &err), EC_OK);
	assert_int_equal(count, 2);
	assert_int_equal(cache_get_mailbox(c, page[0].id, &got, &err), EC_OK);
	assert_string_equal(got.name, "One renamed");
	assert_int_equal(got.version, 2);
	assert_int_equal(got.approval, 1);
	assert_int_equal(got.incoming, EC_NULL);
	assert_null(got.owner);
	mailbox_free(&got);
	assert_int_equal(cache_delete_mailbox(c, page[1].id, &err), EC_OK);
	assert_int_equal(cache_get_mailbox(c, page[1].id, &got, &err), CACHE_NOT_FOUND);
	assert_int_equal(err.status, EC_USAGE);
	cache_close(c);
}

/* The cached versions come sorted by id whatever order the rows were
 * stored in: mailboxes from their versions index, the other tables read in
 * their own order and sorted after (profiles here). */
static void test_versions_read_sorted(void **state)
{
	ec_cache *c = open_ok(tmp_path("versions.db"));
	ec_error err = {0};
	ec_mailbox page[3];
	ec_profile profiles[3];
	struct cache_listed *rows = NULL;
	long n = 0;
	(void)state;
	page[0] = make_mailbox("00000000-0000-0000-0000-000000000003", "Three", "three@x");
	page[1] = make_mailbox("00000000-0000-0000-0000-000000000001", "One", "one@x");
	page[2] = make_mailbox("00000000-0000-0000-0000-000000000002", "Two", "two@x");
	page[1].version = 7;
	assert_int_equal(cache_put_mailboxes(c, page, 3, &err), EC_OK);
	assert_int_equal(cache_versions_read(c, CACHE_MAILBOXES, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, page[1].id);
	assert_int_equal(rows[0].version, 7);
	assert_string_equal(rows[1].id, page[2].id);
	assert_string_equal(rows[2].id, page[0].id);
	free(rows);
	profiles[0] = make_profile("00000000-0000-0000-0000-00000000000c", "Three");
	profiles[1] = make_profile("00000000-0000-0000-0000-00000000000a", "One");
	profiles[2] = make_profile("00000000-0000-0000-0000-00000000000b", "Two");
	assert_int_equal(cache_put_profiles(c, profiles, 3, &err), EC_OK);
	assert_int_equal(cache_versions_read(c, CACHE_PROFILES, &rows, &n, &err), EC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, profiles[1].id);
	assert_string_equal(rows[1].id, profiles[2].id);
	assert_string_equal(rows[2].id, profiles[0].id);
	free(rows);
	cache_close(c);
}

/* A sync that read a row before a push stored a newer one must not write the
 * older row back: the upsert keeps the higher version (a row of unknown
 * version, 0, is always taken). */
static void test_upsert_keeps_newer(void **state)
{
	ec_cache *c = open_ok(tmp_path("version_guard.db"));
	ec_error err = {0};
	ec_mailbox m = make_mailbox("00000000-0000-0000-0000-000000000001", "Five", "five@x");
	ec_settings s, got_s;
	ec_profile p = make_profile("00000000-0000-0000-0000-00000000000a", "Five");
	ec_profile got_p;
	ec_mailbox got;
	(void)state;
	m.version = 5;
	assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
	m.version = 4;
	m.name = "Four";
	m.unreadable = "field 'x': old";
	assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
	assert_int_equal(cache_get_mailbox(c, m.id, &got, &err), EC_OK);
	assert_int_equal(got.version, 5);
	assert_string_equal(got.name, "Five");
	assert_null(got.unreadable);
	mailbox_free(&got);
	/* The same version again, or a newer one, is written. */
	m.version = 5;
	m.name = "Five again";
	m.unreadable = NULL;
	assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
	assert_int_equal(cache_get_mailbox(c, m.id, &got, &err), EC_OK);
	assert_string_equal(got.name, "Five again");
	mailbox_free(&got);
	m.version = 0;
	m.name = "Unknown version";
	assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
	assert_int_equal(cache_get_mailbox(c, m.id, &got, &err), EC_OK);
	assert_string_equal(got.name, "Unknown version");
	mailbox_free(&got);

	p.version = 7;
	assert_int_equal(cache_put_profiles(c, &p, 1, &err), EC_OK);
	p.version = 6;
	p.name = "Six";
	assert_int_equal(cache_put_profiles(c, &p, 1, &err), EC_OK);
	assert_int_equal(cache_get_profile(c, p.id, &got_p, &err), EC_OK);
	assert_int_equal(got_p.version, 7);
	assert_string_equal(got_p.name, "Five");
	profile_free(&got_p);
	/* The folded name went with the row: the old name still finds it. */
	assert_int_equal(cache_find_profile(c, "five", &got_p, &err), EC_OK);
	profile_free(&got_p);

	settings_init(&s);
	snprintf(s.id, sizeof s.id, "0000000b-0000-0000-0000-000000000001");
	s.tracking_prefix = "NEW:";
	s.version = 10;
	assert_int_equal(cache_put_settings(c, &s, &err), EC_OK);
	s.tracking_prefix = "OLD:";
	s.version = 9;
	assert_int_equal(cache_put_settings(c, &s, &err), EC_OK);
	assert_int_equal(cache_get_settings(c, &got_s, &err), EC_OK);
	assert_int_equal(got_s.version, 10);
	assert_string_equal(got_s.tracking_prefix, "NEW:");
	settings_free(&got_s);
	cache_close(c);
}

static void test_transactions(void **state)
{
	ec_cache *c = open_ok(tmp_path("tx.db"));
	ec_error err = {0};
	ec_mailbox m = make_mailbox("00000000-0000-0000-0000-000000000001", "A", "a@x");
	ec_mailbox m2 = make_mailbox("00000000-0000-0000-0000-000000000002", "B", "b@x");
	long count;
	(void)state;
	/* Rolled back: nothing stays. */
	assert_int_equal(cache_transaction_begin(c, &err), EC_OK);
	assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
	assert_int_equal(cache_transaction_rollback(c, &err), EC_OK);
	assert_int_equal(cache_count_mailboxes(c, NULL, &count, &err), EC_OK);
	assert_int_equal(count, 0);
	/* Nested: an inner rollback undoes only the inner part. */
	assert_int_equal(cache_transaction_begin(c, &err), EC_OK);
	assert_int_equal(cache_put_mailboxes(c, &m, 1, &err), EC_OK);
	assert_int_equal(cache_transaction_begin(c, &err), EC_OK);
	assert_int_equal(cache_put_mailboxes(c, &m2, 1, &err), EC_OK);
	assert_int_equal(cache_transaction_rollback(c, &err), EC_OK);
	assert_int_equal(cache_transaction_commit(c, &err), EC_OK);
	assert_int_equal(cache_count_mailboxes(c, NULL, &count, &err), EC_OK);
	assert_int_equal(count, 1);
	assert_int_equal(cache_transaction_commit(c, &err), EC_LOCAL);
	cache_close(c);
}

static void test_watermarks_and_meta(void **state)
{
	ec_cache *c = open_ok(tmp_path("sync.db"));
	ec_error err = {0};
	char wm[EC_TIME_SIZE] = "junk";
	char *value;
	struct cache_sync_state s;
	struct ec_status_counts counts;
	(void)state;
	assert_int_equal(cache_watermark_get(c, CACHE_MAILBOXES, wm, &err), EC_OK);
	assert_string_equal(wm, "");
	assert_int_equal(cache_watermark_set(c, CACHE_MAILBOXES, "2024-03-01T09:00:00Z", &err),
	                 EC_OK);
	assert_int_equal(cache_watermark_set(c, CACHE_ALERTS, "2024-02-01T09:00:00Z", &err), EC_OK);
	assert_int_equal(cache_watermark_get(c, CACHE_MAILBOXES, wm, &err), EC_OK);
	assert_string_equal(wm, "2024-03-01T09:00:00Z");
	assert_int_equal(cache_watermark_get(c, CACHE_ALERTS, wm, &err), EC_OK);
	assert_string_equal(wm, "2024-02-01T09:00:00Z");
	assert_int_equal(cache_watermark_get(c, CACHE_PROFILES, wm, &err), EC_OK);
	assert_string_equal(wm, "");
	assert_int_equal(cache_sync_state_get(c, CACHE_MAILBOXES, &s, &err), EC_OK);
	assert_int_equal(strlen(s.last_sync), 20);
	assert_string_equal(s.last_full, "");
	assert_int_equal(cache_status_counts(c, &counts, &err), EC_OK);
	assert_string_equal(counts.last_sync, s.last_sync);
	assert_int_equal(cache_watermark_get(c, (enum cache_entity)9, wm, &err), EC_LOCAL);

	assert_int_equal(cache_meta_get(c, "org", &value, &err), EC_OK);
	assert_null(value);
	assert_int_equal(cache_meta_set(c, "org", "https://contoso.crm.dynamics.com", &err), EC_OK);
	assert_int_equal(cache_meta_set(c, "org", "https://fabrikam.crm4.dynamics.com", &err),
	                 EC_OK);
	assert_int_equal(cache_meta_get(c, "org", &value, &err), EC_OK);
	assert_string_equal(value, "https://fabrikam.crm4.dynamics.com");
	free(value);
	assert_int_equal(cache_meta_set(c, "org", NULL, &err), EC_OK);
	assert_int_equal(cache_meta_get(c, "org", &value, &err), EC_OK);
	assert_null(value);
	cache_close(c);
}

static void test_removes_unlisted(void **state)
{
	ec_cache *c = open_ok(tmp_path("full_sync.db"));
	ec_error err = {0};
	ec_mailbox rows[5];
	ec_alert alerts[2];
	char ids[5][EC_ID_SIZE];
	long count, removed = -1;
	bool found;
	struct cache_sync_state s;
	(void)state;
	for (int i = 0; i < 5; i++) {
		snprintf(ids[i], sizeof ids[i], "00000000-0000-0000-0000-00000000000%u",
		         (unsigned)i % 10u);
		rows[i] = make_mailbox(ids[i], "M", "m@x");
	}
	alerts[0] =
	    make_alert("a0000000-0000-0000-0000-000000000001", ids[0], 3, "2024-01-01T00:00:00Z");
	alerts[1] =
	    make_alert("a0000000-0000-0000-0000-000000000002", ids[1], 3, "2024-01-01T00:00:00Z");
	assert_int_equal(cache_put_mailboxes(c, rows, 5, &err), EC_OK);
	assert_int_equal(cache_put_alerts(c, alerts, 2, &err), EC_OK);

	/* A listing of ids 0, 2 and 4 in three pages removes 1; row 3, stored
	 * by another emailcfg while the listing ran, is newer than it and stays. */
	assert_int_equal(cache_delete_mailbox(c, ids[3], &err), EC_OK);
	assert_int_equal(cache_ids_begin(c, CACHE_MAILBOXES, &err), EC_OK);
	assert_int_equal(cache_ids_add(c, (const char(*)[EC_ID_SIZE])ids, 1, &err), EC_OK);
	assert_int_equal(cache_ids_add(c, (const char(*)[EC_ID_SIZE]) & ids[2], 1, &err), EC_OK);
	assert_int_equal(cache_put_mailboxes(c, &rows[3], 1, &err), EC_OK);
	assert_int_equal(cache_ids_add(c, (const char(*)[EC_ID_SIZE]) & ids[4], 1, &err), EC_OK);
	assert_int_equal(cache_ids_remove_missing(c, CACHE_MAILBOXES, true, &removed, &err), EC_OK);
	cache_ids_end(c);
	assert_int_equal(removed, 1);
	assert_int_equal(cache_count_mailboxes(c, NULL, &count, &err), EC_OK);
	assert_int_equal(count, 4);
	assert_int_equal(cache_sync_state_get(c, CACHE_MAILBOXES, &s, &err), EC_OK);
	assert_int_equal(strlen(s.last_full), 20);

	/* An interrupted listing (no remove) leaves every row. */
	assert_int_equal(cache_ids_begin(c, CACHE_MAILBOXES, &err), EC_OK);
	cache_close(c);
	c = open_ok(tmp_path("full_sync.db"));
	assert_int_equal(cache_count_mailboxes(c, NULL, &count, &err), EC_OK);
	assert_int_equal(count, 4);

	/* Alerts are separate; the settings row has no id set. */
	assert_int_equal(cache_ids_begin(c, CACHE_ALERTS, &err), EC_OK);
	assert_int_equal(cache_ids_add(c, (const char(*)[EC_ID_SIZE])alerts[1].id, 1, &err), EC_OK);
	assert_int_equal(cache_ids_remove_missing(c, CACHE_ALERTS, false, &removed, &err), EC_OK);
	assert_int_equal(removed, 1);
	assert_int_not_equal(cache_ids_remove_missing(c, CACHE_SETTINGS, false, &removed, &err),
	                     EC_OK);

	/* A row emailcfg could not read keeps its values and gets a mark. */
	assert_int_equal(
	    cache_mark_unreadable(c, CACHE_MAILBOXES, ids[0], "field 'x': why", &found, &err),
	    EC_OK);
	assert_true(found);
	assert_int_equal(cache_mark_unreadable(c, CACHE_MAILBOXES, ids[1], "gone", &found, &err),
	                 EC_OK);
	assert_false(found);
	cache_close(c);
}

/* ---- Sync history (schema version 10) ---------------------------------- */

static void put_status(ec_cache *c, const char *id, long long version, int incoming)
{
	ec_mailbox m = make_mailbox(id, "Ana Novak", "ana@example.com");
	ec_error err = {0};
	m.version = version;
	m.incoming = INCOMING_SSS;
	m.outgoing = OUTGOING_SSS;
	m.act = ACT_SSS;
	m.incoming_status = incoming;
	m.outgoing_status = m.act_status = STATUS_SUCCESS;
	if (cache_put_mailboxes(c, &m, 1, &err) != EC_OK)
		fail_msg("cache_put_mailboxes: %s", err.msg);
}

static void put_alert(ec_cache *c, const char *id, const char *regarding, const char *text)
{
	ec_alert a = {0};
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.regarding_id, sizeof a.regarding_id, "%s", regarding);
	a.level = 1;
	a.text = (char *)text;
	snprintf(a.modified_on, sizeof a.modified_on, "2026-01-01T00:00:0%cZ", id[35]);
	assert_int_equal(cache_put_alerts(c, &a, 1, NULL), EC_OK);
}

#define HIST_A "0000000a-0000-0000-0000-000000000001"

/* A v9 cache with a mailbox, an outbox entry and a test run keeps them all;
 * the history starts empty and records the next change. */
static void test_history_migrate_v9(void **state)
{
	const char *path = tmp_path("hist9.db");
	ec_test_result t = {0};
	ec_cache *c;
	ec_error err = {0};
	(void)state;
	assert_int_equal(cache_open_version(path, 9, &c, &err), EC_OK);
	snprintf(t.id, sizeof t.id, "%s", HIST_A);
	t.verdict = CHECK_PASS;
	assert_int_equal(cache_test_add(c, &t, NULL), EC_OK);
	cache_close(c);
	/* In version 9's columns: this emailcfg writes later ones. */
	sql_exec(path, "INSERT INTO mailboxes (id, name, email, version, incoming_status, "
	               "outgoing_status, act_status) VALUES ('" HIST_A "', 'Ana Novak', "
	               "'ana@example.com', 1, 1, 1, 1)");
	sql_exec(path, "INSERT INTO outbox (entity, target_id, changes, created_on, updated_on) "
	               "VALUES ('mailbox', '" HIST_A "', '{\"act\":1}', '2026-01-01T00:00:00Z', "
	               "'2026-01-01T00:00:00Z')");
	cache_close(open_ok(path));
	assert_int_equal(count_rows(path, "PRAGMA user_version"), cache_schema_version());
	assert_int_equal(
	    count_rows(path, "SELECT count(*) FROM mailboxes WHERE incoming_status = 1"), 1);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM test_runs"), 1);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM status_snapshots"), 0);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM status_changes"), 0);
	c = open_ok(path);
	put_status(c, HIST_A, 2, STATUS_FAILURE);
	cache_close(c);
	assert_int_equal(count_rows(path,
	                            "SELECT count(*) FROM status_changes WHERE from_status = 1 "
	                            "AND to_status = 2 AND channel = 'incoming'"),
	                 1);
}

/* A first insert is no change; a change is recorded once, tied to the next
 * snapshot with the mailbox's newest alert; failing since follows it. */
static void test_history_record(void **state)
{
	const char *path = tmp_path("hist.db");
	ec_cache *c = open_ok(path);
	ec_status_snapshot *s;
	ec_status_change *h;
	char since[EC_TIME_SIZE];
	long failing, recovered;
	int n;
	(void)state;
	put_status(c, HIST_A, 1, STATUS_SUCCESS);
	put_status(c, HIST_A, 1, STATUS_SUCCESS); /* the same row again: no change */
	assert_int_equal(count_rows(path, "SELECT count(*) FROM status_changes"), 0);
	put_alert(c, "0000000b-0000-0000-0000-000000000001", HIST_A, "older");
	put_alert(c, "0000000b-0000-0000-0000-000000000002", HIST_A, "Mailbox \x1b[31mfailed");
	put_status(c, HIST_A, 2, STATUS_FAILURE);
	assert_int_equal(cache_snapshot_record(c, 42, NULL, NULL, NULL), EC_OK);
	assert_int_equal(cache_snapshots_newest(c, 5, &s, &n, NULL), EC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].incoming.failure, 1);
	assert_int_equal(s[0].outgoing.success, 1);
	assert_int_equal(s[0].duration_ms, 42);
	assert_int_equal(s[0].alert_errors + s[0].alert_warnings + s[0].alert_information, 2);
	free(s);
	assert_int_equal(cache_changes_list(c, HIST_A, NULL, 0, &h, &n, NULL), EC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].from_status, STATUS_SUCCESS);
	assert_int_equal(h[0].to_status, STATUS_FAILURE);
	assert_string_equal(h[0].alert_id, "0000000b-0000-0000-0000-000000000002");
	assert_string_equal(h[0].alert_text, "Mailbox \x1b[31mfailed"); /* sanitized when shown */
	assert_int_equal(cache_failing_since(c, HIST_A, since, NULL), EC_OK);
	assert_string_equal(since, h[0].changed_on);
	cache_free_status_changes(h, n);
	assert_int_equal(cache_changes_newest(c, &failing, &recovered, since, NULL), EC_OK);
	assert_int_equal(failing, 1);
	assert_int_equal(recovered, 0);
	/* It recovers: the next sync says so, and it no longer fails since. */
	put_status(c, HIST_A, 3, STATUS_SUCCESS);
	assert_int_equal(cache_snapshot_record(c, EC_NULL, NULL, NULL, NULL), EC_OK);
	assert_int_equal(cache_changes_newest(c, &failing, &recovered, since, NULL), EC_OK);
	assert_int_equal(failing, 0);
	assert_int_equal(recovered, 1);
	assert_int_equal(cache_failing_since(c, HIST_A, since, NULL), EC_OK);
	assert_string_equal(since, "");
	assert_int_equal(count_rows(path, "SELECT count(*) FROM status_changes WHERE snapshot_id "
	                                  "IS NULL"),
	                 0);
	/* A pull that changes nothing repeats the newest snapshot: none is
	 * added, and the recovery stays the newest change. */
	assert_int_equal(cache_snapshot_record(c, EC_NULL, NULL, NULL, NULL), EC_OK);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM status_snapshots"), 2);
	cache_close(c);
	/* An hour later the same counts are recorded (the organization was
	 * watched), still without hiding the recovery. */
	sql_exec(path, "UPDATE status_snapshots SET taken_on = strftime('%Y-%m-%dT%H:%M:%SZ', "
	               "'now', '-61 minutes')");
	c = open_ok(path);
	assert_int_equal(cache_snapshot_record(c, EC_NULL, NULL, NULL, NULL), EC_OK);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM status_snapshots"), 3);
	assert_int_equal(cache_changes_newest(c, &failing, &recovered, since, NULL), EC_OK);
	assert_int_equal(failing, 0);
	assert_int_equal(recovered, 1);
	assert_true(since[0] != '\0');
	cache_close(c);
}

/* Old detail folds into one snapshot a day; past the bound it goes; old
 * changes go but the newest of a cached mailbox's channel. */
static void test_history_prune(void **state)
{
	const char *path = tmp_path("prune.db");
	ec_cache *c = open_ok(path);
	struct cache_history_bounds b = {10, 100};
	(void)state;
	put_status(c, HIST_A, 1, STATUS_SUCCESS);
	cache_close(c);
	sql_exec(path, "INSERT INTO status_snapshots (taken_on, mailboxes) VALUES "
	               "(date('now', '-20 days') || 'T01:00:00Z', 1), "
	               "(date('now', '-20 days') || 'T02:00:00Z', 2), "
	               "(date('now', '-20 days') || 'T03:00:00Z', 3), "
	               "(date('now', '-5 days') || 'T03:00:00Z', 4), "
	               "(date('now', '-5 days') || 'T04:00:00Z', 5), "
	               "(date('now', '-200 days') || 'T03:00:00Z', 6);"
	               "INSERT INTO status_changes (mailbox_id, channel, from_status, to_status, "
	               "changed_on) VALUES "
	               "('" HIST_A "', 'incoming', 1, 2, date('now', '-50 days') || 'T00:00:00Z'), "
	               "('" HIST_A "', 'incoming', 2, 1, date('now', '-40 days') || 'T00:00:00Z'), "
	               "('" HIST_A "', 'act', 1, 2, date('now', '-2 days') || 'T00:00:00Z'), "
	               "('0000000f-0000-0000-0000-000000000009', 'incoming', 1, 2, "
	               "date('now', '-40 days') || 'T00:00:00Z');");
	c = open_ok(path);
	assert_int_equal(cache_snapshot_record(c, 1, &b, NULL, NULL), EC_OK);
	cache_close(c);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM status_snapshots"), 4);
	assert_int_equal(count_rows(path, "SELECT mailboxes FROM status_snapshots WHERE daily = 1"),
	                 3);
	assert_int_equal(count_rows(path,
	                            "SELECT count(*) FROM status_snapshots WHERE daily = 0 AND "
	                            "mailboxes IN (4, 5)"),
	                 2);
	assert_int_equal(count_rows(path,
	                            "SELECT group_concat(from_status || to_status || channel) "
	                            "= '21incoming,12act' FROM (SELECT * FROM status_changes "
	                            "ORDER BY id)"),
	                 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_new),
	    cmocka_unit_test(test_open_settings),
	    cmocka_unit_test(test_migrate_from_v1),
	    cmocka_unit_test(test_migrate_step_by_step),
	    cmocka_unit_test(test_migrate_fold_keys),
	    cmocka_unit_test(test_migrate_failure_keeps_outbox),
	    cmocka_unit_test(test_upgrade_without_an_index),
	    cmocka_unit_test(test_newer_refused),
	    cmocka_unit_test(test_garbage_refused),
	    cmocka_unit_test(test_foreign_database_refused),
	    cmocka_unit_test(test_directory_refused),
	    cmocka_unit_test(test_loose_file_tightened),
	    cmocka_unit_test(test_loose_wal_tightened),
	    cmocka_unit_test(test_new_file_under_wide_umask),
	    cmocka_unit_test(test_foreign_file_refused),
	    cmocka_unit_test(test_foreign_dir),
	    cmocka_unit_test(test_symlinks_refused),
	    cmocka_unit_test(test_disk_full),
	    cmocka_unit_test(test_two_connections),
	    cmocka_unit_test(test_settings),
	    cmocka_unit_test(test_one_organization),
	    cmocka_unit_test(test_profiles),
	    cmocka_unit_test(test_alerts),
	    cmocka_unit_test(test_upsert_pages),
	    cmocka_unit_test(test_versions_read_sorted),
	    cmocka_unit_test(test_upsert_keeps_newer),
	    cmocka_unit_test(test_transactions),
	    cmocka_unit_test(test_watermarks_and_meta),
	    cmocka_unit_test(test_removes_unlisted),
	    cmocka_unit_test(test_history_migrate_v9),
	    cmocka_unit_test(test_history_record),
	    cmocka_unit_test(test_history_prune),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
