/* cache_rows.c — the column tables (model field <-> table column) and the
 * upserts and getters of the organization settings, server profiles and
 * alerts, and the free helpers. Touches the settings, profiles and alerts
 * tables; reads the mailboxes table for whether an active forward mailbox
 * exists (a fact the rules need beside the settings). */
#include "core/cache/cache_int.h"
#include "core/model/options.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define COL(type, field, kind)                                                                     \
	{                                                                                          \
#field, kind, offsetof(type, field)                                                \
	}

const struct cache_col cache_settings_cols[] = {
    COL(ec_settings, id, COL_ID),
    COL(ec_settings, name, COL_TEXT),
    COL(ec_settings, process_using, COL_INT),
    COL(ec_settings, default_profile_id, COL_ID),
    COL(ec_settings, default_profile_name, COL_TEXT),
    COL(ec_settings, default_incoming, COL_INT),
    COL(ec_settings, default_outgoing, COL_INT),
    COL(ec_settings, default_act, COL_INT),
    COL(ec_settings, approve_users, COL_INT),
    COL(ec_settings, approve_queues, COL_INT),
    COL(ec_settings, alerts_errors, COL_INT),
    COL(ec_settings, alerts_warnings, COL_INT),
    COL(ec_settings, alerts_information, COL_INT),
    COL(ec_settings, notify_mailbox_owner, COL_INT),
    COL(ec_settings, correlation, COL_INT),
    COL(ec_settings, max_tracking_number, COL_INT),
    COL(ec_settings, tracking_prefix, COL_TEXT),
    COL(ec_settings, folder_tracking, COL_INT),
    COL(ec_settings, smart_matching, COL_INT),
    COL(ec_settings, ignore_internal_email, COL_INT),
    COL(ec_settings, allow_unresolved, COL_INT),
    COL(ec_settings, max_upload_bytes, COL_I64),
    COL(ec_settings, modified_on, COL_TIME),
    COL(ec_settings, version, COL_I64),
};
const int cache_settings_ncols = COUNT(cache_settings_cols);

const struct cache_col cache_profile_cols[] = {
    COL(ec_profile, id, COL_ID),
    COL(ec_profile, name, COL_TEXT),
    COL(ec_profile, server_type, COL_INT),
    COL(ec_profile, incoming_location, COL_TEXT),
    COL(ec_profile, outgoing_location, COL_TEXT),
    COL(ec_profile, incoming_port, COL_INT),
    COL(ec_profile, outgoing_port, COL_INT),
    COL(ec_profile, incoming_ssl, COL_INT),
    COL(ec_profile, outgoing_ssl, COL_INT),
    COL(ec_profile, incoming_credential, COL_INT),
    COL(ec_profile, outgoing_credential, COL_INT),
    COL(ec_profile, use_same_settings, COL_INT),
    COL(ec_profile, state, COL_INT),
    COL(ec_profile, server_type_name, COL_TEXT),
    COL(ec_profile, incoming_auth, COL_INT),
    COL(ec_profile, outgoing_auth, COL_INT),
    COL(ec_profile, incoming_username, COL_TEXT),
    COL(ec_profile, outgoing_username, COL_TEXT),
    COL(ec_profile, incoming_password_set, COL_INT),
    COL(ec_profile, outgoing_password_set, COL_INT),
    COL(ec_profile, use_autodiscover, COL_INT),
    COL(ec_profile, max_connections, COL_INT),
    COL(ec_profile, modified_on, COL_TIME),
    COL(ec_profile, version, COL_I64),
    COL(ec_profile, unreadable, COL_TEXT),
};
const int cache_profile_ncols = COUNT(cache_profile_cols);

const struct cache_col cache_mailbox_cols[] = {
    COL(ec_mailbox, id, COL_ID),
    COL(ec_mailbox, name, COL_TEXT),
    COL(ec_mailbox, email, COL_TEXT),
    COL(ec_mailbox, owner_type, COL_INT),
    COL(ec_mailbox, owner_id, COL_ID),
    COL(ec_mailbox, owner, COL_TEXT),
    COL(ec_mailbox, incoming, COL_INT),
    COL(ec_mailbox, outgoing, COL_INT),
    COL(ec_mailbox, act, COL_INT),
    COL(ec_mailbox, incoming_status, COL_INT),
    COL(ec_mailbox, outgoing_status, COL_INT),
    COL(ec_mailbox, act_status, COL_INT),
    COL(ec_mailbox, mailbox_status, COL_INT),
    COL(ec_mailbox, approval, COL_INT),
    COL(ec_mailbox, profile_id, COL_ID),
    COL(ec_mailbox, profile_name, COL_TEXT),
    COL(ec_mailbox, enabled_incoming, COL_INT),
    COL(ec_mailbox, enabled_outgoing, COL_INT),
    COL(ec_mailbox, enabled_act, COL_INT),
    COL(ec_mailbox, test_scheduled, COL_INT),
    COL(ec_mailbox, test_completed_on, COL_TIME),
    COL(ec_mailbox, retry_count, COL_INT),
    COL(ec_mailbox, allow_credentials, COL_INT),
    COL(ec_mailbox, username, COL_TEXT),
    COL(ec_mailbox, password_set, COL_INT),
    COL(ec_mailbox, state, COL_INT),
    COL(ec_mailbox, process_email_from, COL_TIME),
    COL(ec_mailbox, delete_after_processing, COL_INT),
    COL(ec_mailbox, ews_url, COL_TEXT),
    COL(ec_mailbox, is_forward_mailbox, COL_INT),
    COL(ec_mailbox, org_primary_for_exchange_sync, COL_INT),
    COL(ec_mailbox, processing_state, COL_INT),
    COL(ec_mailbox, last_sync_on, COL_TIME),
    COL(ec_mailbox, last_sync_error, COL_TEXT),
    COL(ec_mailbox, last_sync_error_code, COL_SINT),
    COL(ec_mailbox, last_sync_error_on, COL_TIME),
    COL(ec_mailbox, modified_on, COL_TIME),
    COL(ec_mailbox, version, COL_I64),
    COL(ec_mailbox, unreadable, COL_TEXT),
};
const int cache_mailbox_ncols = COUNT(cache_mailbox_cols);

const struct cache_col cache_alert_cols[] = {
    COL(ec_alert, id, COL_ID),
    COL(ec_alert, regarding_id, COL_ID),
    COL(ec_alert, regarding_profile, COL_BOOL),
    COL(ec_alert, level, COL_INT),
    COL(ec_alert, code, COL_I64),
    COL(ec_alert, success, COL_INT),
    COL(ec_alert, text, COL_TEXT),
    COL(ec_alert, created_on, COL_TIME),
    COL(ec_alert, modified_on, COL_TIME),
    COL(ec_alert, unreadable, COL_TEXT),
};
const int cache_alert_ncols = COUNT(cache_alert_cols);

/* "SELECT cols FROM table WHERE ..." into a fresh string. */
static char *select_sql(const struct cache_col *cols, int n, const char *rest)
{
	char *buf = NULL;
	size_t size;
	FILE *f = cache_sql_open(&buf, &size);
	fputs("SELECT ", f);
	cache_cols_write(f, cols, n, "");
	fprintf(f, " %s", rest);
	return cache_sql_close(f, &buf);
}

/* Runs sql (one text parameter, or none when param is NULL) and reads each
 * row into a growing array of elements of elsize bytes via read_row. */
typedef void (*read_row_fn)(sqlite3_stmt *st, void *row);

static int query_rows(ec_cache *c, const char *sql, const char *param, int limit,
                      read_row_fn read_row, size_t elsize, void **rows, int *n, ec_error *err)
{
	sqlite3_stmt *st;
	int rc, count = 0, cap = 0, status = cache_prepare(c, sql, &st, err);
	char *arr = NULL;
	*rows = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	if (param)
		cache_bind_text(st, 1, param);
	sqlite3_bind_int(st, sqlite3_bind_parameter_count(st), limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			arr = ec_xrealloc(arr, elsize * (unsigned long)cap);
		}
		read_row(st, arr + elsize * (size_t)count);
		count++;
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "reading rows");
	sqlite3_finalize(st);
	*rows = arr;
	*n = count;
	return status;
}

/* ---- Settings ---------------------------------------------------------- */

int cache_put_settings(ec_cache *c, const ec_settings *s, ec_error *err)
{
	static const char *const extra[] = {"slot"};
	char *sql = cache_upsert_sql("settings", "slot", cache_settings_cols, cache_settings_ncols,
	                             extra, 1);
	sqlite3_stmt *st = NULL;
	/* One cache, one organization: checked and recorded with the row. */
	int status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_org_claim(c, s->id, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	free(sql);
	if (status == EC_OK) {
		cache_cols_bind(st, 1, cache_settings_cols, cache_settings_ncols, s);
		sqlite3_bind_int(st, cache_settings_ncols + 1, 1);
		status = cache_step_done(c, st, "storing the settings", err);
	}
	sqlite3_finalize(st);
	return cache_tx_end(c, status, err);
}

/* Whether an active forward mailbox is cached (the type index answers). */
static int cache_forward_mailbox_active(ec_cache *c, int *out, ec_error *err)
{
	sqlite3_stmt *st;
	int rc,
	    status = cache_prepare(c,
	                           "SELECT EXISTS (SELECT 1 FROM mailboxes WHERE owner_type = ?1 "
	                           "AND state = ?2)",
	                           &st, err);
	if (status != EC_OK)
		return status;
	sqlite3_bind_int(st, 1, OWNER_FORWARD);
	sqlite3_bind_int(st, 2, STATE_ACTIVE);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else
		status = cache_fail_rc(c, rc, err, "looking for a forward mailbox");
	sqlite3_finalize(st);
	return status;
}

int cache_get_settings(ec_cache *c, ec_settings *out, ec_error *err)
{
	char *sql =
	    select_sql(cache_settings_cols, cache_settings_ncols, "FROM settings WHERE slot = 1");
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c, sql, &st, err);
	free(sql);
	settings_init(out);
	if (status != EC_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cache_cols_read(st, 0, cache_settings_cols, cache_settings_ncols, out);
	else if (rc == SQLITE_DONE)
		status = cache_not_found(err, EC_LOCAL,
		                         "the cache %s has no organization settings yet; run "
		                         "`emailcfg sync`",
		                         c->path);
	else
		status = cache_fail_rc(c, rc, err, "reading the settings");
	sqlite3_finalize(st);
	if (status == EC_OK)
		status = cache_forward_mailbox_active(c, &out->forward_mailbox_active, err);
	return status;
}

/* ---- Profiles ---------------------------------------------------------- */

int cache_put_profiles(ec_cache *c, const ec_profile *rows, int n, ec_error *err)
{
	static const char *const extra[] = {"name_folded"};
	char *sql =
	    cache_upsert_sql("profiles", "id", cache_profile_cols, cache_profile_ncols, extra, 1);
	sqlite3_stmt *st = NULL;
	int status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	free(sql);
	for (int i = 0; i < n && status == EC_OK; i++) {
		char *folded = cache_fold(rows[i].name);
		cache_cols_bind(st, 1, cache_profile_cols, cache_profile_ncols, &rows[i]);
		sqlite3_bind_text(st, cache_profile_ncols + 1, folded, -1, free);
		status = cache_step_done(c, st, "storing server profiles", err);
	}
	sqlite3_finalize(st);
	return cache_tx_end(c, status, err);
}

static void read_profile(sqlite3_stmt *st, void *row)
{
	profile_init(row);
	cache_cols_read(st, 0, cache_profile_cols, cache_profile_ncols, row);
}

int cache_get_profile(ec_cache *c, const char *id, ec_profile *out, ec_error *err)
{
	char *sql = select_sql(cache_profile_cols, cache_profile_ncols,
	                       "FROM profiles WHERE id = lower(?) LIMIT ?");
	ec_profile *rows;
	int n,
	    status = query_rows(c, sql, id, 1, read_profile, sizeof *rows, (void **)&rows, &n, err);
	free(sql);
	profile_init(out);
	if (status == EC_OK && n == 0)
		status = cache_not_found(err, EC_USAGE,
		                         "no server profile with id '%.64s' in the cache", id);
	if (n > 0)
		*out = rows[0];
	free(rows);
	return status;
}

int cache_find_profile(ec_cache *c, const char *name_or_id, ec_profile *out, ec_error *err)
{
	char *folded = cache_fold(name_or_id);
	char *sql = select_sql(cache_profile_cols, cache_profile_ncols,
	                       "FROM profiles WHERE id = ?1 OR name_folded = ?1 "
	                       "ORDER BY id = ?1 DESC, id LIMIT ?");
	ec_profile *rows;
	int n, status = query_rows(c, sql, folded, 2, read_profile, sizeof *rows, (void **)&rows,
	                           &n, err);
	bool by_id = n > 0 && strcmp(rows[0].id, folded) == 0;
	free(sql);
	free(folded);
	profile_init(out);
	if (status == EC_OK && n == 0)
		status = cache_not_found(
		    err, EC_USAGE, "no server profile matches '%.64s'; give its exact name or id",
		    name_or_id);
	else if (status == EC_OK && n > 1 && !by_id)
		status =
		    ec_fail(err, EC_USAGE,
		            "several server profiles are named '%.64s'; give the id of the one "
		            "you mean",
		            name_or_id);
	if (status == EC_OK) {
		*out = rows[0];
		rows[0] = (ec_profile){0};
	}
	cache_free_profiles(rows, n);
	return status;
}

int cache_list_profiles(ec_cache *c, ec_profile **rows, int *n, ec_error *err)
{
	char *sql = select_sql(cache_profile_cols, cache_profile_ncols,
	                       "FROM profiles ORDER BY name_folded, id LIMIT ?");
	int status =
	    query_rows(c, sql, NULL, 0, read_profile, sizeof **rows, (void **)rows, n, err);
	free(sql);
	return status;
}

/* DELETE FROM table WHERE id = ?, in its own statement. */
static int delete_row(ec_cache *c, const char *table, const char *id, ec_error *err)
{
	char sql[64];
	sqlite3_stmt *st;
	int status;
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?", table);
	status = cache_prepare(c, sql, &st, err);
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, id);
	status = cache_step_done(c, st, "deleting a row", err);
	sqlite3_finalize(st);
	return status;
}

int cache_delete_profile(ec_cache *c, const char *id, ec_error *err)
{
	return delete_row(c, "profiles", id, err);
}

int cache_delete_mailbox(ec_cache *c, const char *id, ec_error *err)
{
	return delete_row(c, "mailboxes", id, err);
}

/* ---- Alerts ------------------------------------------------------------ */

int cache_put_alerts(ec_cache *c, const ec_alert *rows, int n, ec_error *err)
{
	char *sql = cache_upsert_sql("alerts", "id", cache_alert_cols, cache_alert_ncols, NULL, 0);
	sqlite3_stmt *st = NULL;
	int status = cache_tx_begin(c, err);
	if (status == EC_OK)
		status = cache_prepare(c, sql, &st, err);
	free(sql);
	for (int i = 0; i < n && status == EC_OK; i++) {
		cache_cols_bind(st, 1, cache_alert_cols, cache_alert_ncols, &rows[i]);
		status = cache_step_done(c, st, "storing alerts", err);
	}
	sqlite3_finalize(st);
	return cache_tx_end(c, status, err);
}

static void read_alert(sqlite3_stmt *st, void *row)
{
	alert_init(row);
	cache_cols_read(st, 0, cache_alert_cols, cache_alert_ncols, row);
}

int cache_list_alerts(ec_cache *c, const char *regarding_id, int limit, ec_alert **rows, int *n,
                      ec_error *err)
{
	char *sql = select_sql(cache_alert_cols, cache_alert_ncols,
	                       regarding_id ? "FROM alerts WHERE regarding_id = ? ORDER BY "
	                                      "modified_on DESC, created_on DESC, id DESC LIMIT ?"
	                                    : "FROM alerts ORDER BY modified_on DESC, created_on "
	                                      "DESC, id DESC LIMIT ?");
	int status = query_rows(c, sql, regarding_id, limit, read_alert, sizeof **rows,
	                        (void **)rows, n, err);
	free(sql);
	return status;
}

/* ---- Freeing ----------------------------------------------------------- */

void cache_free_mailboxes(ec_mailbox *rows, int n)
{
	for (int i = 0; i < n; i++)
		mailbox_free(&rows[i]);
	free(rows);
}

void cache_free_profiles(ec_profile *rows, int n)
{
	for (int i = 0; i < n; i++)
		profile_free(&rows[i]);
	free(rows);
}

void cache_free_alerts(ec_alert *rows, int n)
{
	for (int i = 0; i < n; i++)
		alert_free(&rows[i]);
	free(rows);
}

void cache_free_outbox(ec_outbox_entry *rows, int n)
{
	for (int i = 0; i < n; i++)
		outbox_entry_free(&rows[i]);
	free(rows);
}

void cache_free_tests(ec_test_result *rows, int n)
{
	for (int i = 0; i < n; i++)
		test_result_free(&rows[i]);
	free(rows);
}

int cache_profile_failing_ids(void *cache, const char *id, char (**ids)[EC_ID_SIZE], long *n)
{
	ec_cache *c = cache;
	ec_error err;
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c,
	                               "SELECT id FROM mailboxes WHERE profile_id = lower(?) AND "
	                               "(incoming_status = 2 OR outgoing_status = 2 OR "
	                               "act_status = 2) ORDER BY id",
	                               &st, &err);
	*ids = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if ((*n & (*n - 1)) == 0)
			*ids = ec_xrealloc(*ids, sizeof **ids * (unsigned long)(*n ? *n * 2 : 1));
		snprintf((*ids)[(*n)++], EC_ID_SIZE, "%s", v ? v : "");
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, &err, "listing a server profile's failing mailboxes");
	sqlite3_finalize(st);
	return status;
}

int cache_profile_mailbox_counts(ec_cache *c, const char *id, long *total, long *failing,
                                 ec_error *err)
{
	sqlite3_stmt *st;
	int rc, status = cache_prepare(c,
	                               "SELECT count(*), count(CASE WHEN incoming_status = 2 OR "
	                               "outgoing_status = 2 OR act_status = 2 THEN 1 END) "
	                               "FROM mailboxes WHERE profile_id = lower(?)",
	                               &st, err);
	*total = *failing = 0;
	if (status != EC_OK)
		return status;
	cache_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*total = (long)sqlite3_column_int64(st, 0);
		*failing = (long)sqlite3_column_int64(st, 1);
	} else {
		status = cache_fail_rc(c, rc, err, "counting a server profile's mailboxes");
	}
	sqlite3_finalize(st);
	return status;
}

int cache_profiles_mailbox_counts(ec_cache *c, ec_profile_count **rows, int *n, ec_error *err)
{
	sqlite3_stmt *st;
	ec_profile_count *arr = NULL;
	int rc,
	    count = 0, cap = 0,
	    status = cache_prepare(c,
	                           "SELECT profile_id, count(*), count(CASE WHEN incoming_status "
	                           "= 2 OR outgoing_status = 2 OR act_status = 2 THEN 1 END) "
	                           "FROM mailboxes WHERE profile_id IS NOT NULL AND profile_id "
	                           "<> '' GROUP BY profile_id",
	                           &st, err);
	*rows = NULL;
	*n = 0;
	if (status != EC_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			arr = ec_xrealloc(arr, sizeof *arr * (size_t)cap);
		}
		cache_col_copy(st, 0, arr[count].id, sizeof arr[count].id);
		arr[count].total = (long)sqlite3_column_int64(st, 1);
		arr[count++].failing = (long)sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_DONE)
		status = cache_fail_rc(c, rc, err, "counting the server profiles' mailboxes");
	sqlite3_finalize(st);
	*rows = arr;
	*n = count;
	return status;
}

char *cache_profile_name(void *cache, const char *id)
{
	ec_profile p;
	ec_error err;
	char *name = NULL;
	if (cache_get_profile(cache, id, &p, &err) == EC_OK && p.name)
		name = ec_strdup(p.name);
	profile_free(&p);
	return name;
}
