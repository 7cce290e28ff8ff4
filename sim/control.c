/* control.c — the loopback-only /_sim/ endpoints tests use to act behind
 * the client's back: read and reset request counts and the request log,
 * change fault settings at run time, expire tokens, and insert, change,
 * read or delete rows of any entity set (any column, including read-only
 * ones; every change bumps the row's version and modifiedon), snapshot and
 * restore the whole store, and switch change tracking or expire its tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "faults.h"
#include "handlers.h"
#include "json_out.h"
#include "query.h"
#include "snapshot.h"
#include "testjob.h"
#include "track.h"

static json_object *body_object(struct request *q, struct reply *r)
{
	json_object *obj = json_tokener_parse(q->body.len ? q->body.p : "{}");
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		reply_error(r, 400, "", "The body must be a JSON object.");
		return NULL;
	}
	return obj;
}

static void reply_buf(struct reply *r, int status, struct buf *b)
{
	reply_json(r, status, CT_JSON, b);
}

/* Sets every member of obj on the row; a secret also sets its is*set flag. */
static bool row_assign(const struct entity *e, struct row *row, json_object *obj,
                       struct sim_err *err)
{
	json_object_object_foreach(obj, key, j)
	{
		/* A row whose id reads as null: how tests play a broken service. */
		if (!strcmp(key, "_sim_null_id")) {
			row->v[e->pk].null = json_object_get_boolean(j);
			continue;
		}
		int c = schema_column_index(e, key, strlen(key));
		if (c < 0) {
			sim_err_set(err, 400, "", "%s has no column '%s'.", e->logical, key);
			return false;
		}
		struct val v;
		/* A choice value outside the option set is allowed here: it is
		 * how tests play a newer service that has values a client
		 * does not know yet. */
		if (e->cols[c].type == T_CHOICE && json_object_is_type(j, json_type_int)) {
			memset(&v, 0, sizeof v);
			v.u.i = json_object_get_int64(j);
		} else if (!store_val_from_json(e, c, j, false, &v, err)) {
			return false;
		}
		if (e->cols[c].flags & F_SECRET)
			store_set_int(e, row, e->cols[c].isset, !v.null);
		store_set(e, row, c, &v);
	}
	return true;
}

static void row_summary(struct reply *r, int status, const struct entity *e, const struct row *row)
{
	char id[37];
	guid_format(row_id(row), id, false);
	struct buf b = {0};
	buf_printf(&b, "{\"id\":\"%s\",\"versionnumber\":%lld}", id,
	           (long long)row->v[e->version].u.i);
	reply_buf(r, status, &b);
}

static void row_insert(struct request *q, struct reply *r, const struct entity *e)
{
	struct sim_err err;
	json_object *obj = body_object(q, r);
	if (!obj)
		return;
	struct row *row = store_row_new(e);
	if (e->id == E_MAILBOX && !json_object_object_get_ex(obj, "_regardingobjectid_value", NULL))
		store_set_int(e, row, "isforwardmailbox", 1);
	bool ok = row_assign(e, row, obj, &err);
	json_object_put(obj);
	if (!ok) {
		store_row_free(e, row);
		reply_sim_err(r, &err);
		return;
	}
	if (!store_insert(e->id, row)) {
		store_row_free(e, row);
		reply_error(r, 409, "", "A row with this id exists already.");
		return;
	}
	row_summary(r, 201, e, row);
}

static void row_change(struct request *q, struct reply *r, const struct entity *e, struct row *row)
{
	struct sim_err err;
	json_object *obj = body_object(q, r);
	if (!obj)
		return;
	struct row *copy = store_row_new(e);
	/* validate on a scratch row first so a bad body changes nothing */
	bool ok = row_assign(e, copy, obj, &err);
	store_row_free(e, copy);
	if (ok) {
		store_touch(e, row);
		row_assign(e, row, obj, &err);
		if (e->id == E_MAILBOX &&
		    store_get_int(e, row, "testemailconfigurationscheduled", 0) == 1 &&
		    json_object_object_get_ex(obj, "testemailconfigurationscheduled", NULL))
			testjob_schedule(row_id(row));
	}
	json_object_put(obj);
	if (!ok)
		reply_sim_err(r, &err);
	else
		row_summary(r, 200, e, row);
}

static void row_show(struct reply *r, const struct entity *e, const struct row *row)
{
	struct projection p;
	struct annotations an = {0};
	struct buf b = {0};
	projection_all(e, &p);
	json_out_row(&b, e, row, &p, &an, NULL);
	reply_buf(r, 200, &b);
}

static void rows_handle(struct request *q, struct reply *r, const char *path)
{
	const char *paren = strchr(path, '(');
	const struct entity *e =
	    schema_entity_by_set(path, paren ? (size_t)(paren - path) : strlen(path));
	struct guid id;
	const char *close = paren ? strchr(paren, ')') : NULL;
	if (!e || (paren && (!close || close[1] ||
	                     !guid_parse(paren + 1, (size_t)(close - paren - 1), &id)))) {
		reply_error(r, 404, "", "No control endpoint /_sim/%s.", path);
		return;
	}
	if (!paren) {
		if (!strcmp(q->method, "POST"))
			row_insert(q, r, e);
		else
			reply_error(r, 405, "", "Use POST /_sim/%s to insert a row.", e->set);
		return;
	}
	struct row *row = store_find(e->id, &id);
	if (!row) {
		reply_error(r, 404, "0x80040217", "%s With Id = %.*s Does Not Exist", e->logical,
		            (int)(close - paren - 1), paren + 1);
	} else if (!strcmp(q->method, "PATCH") || !strcmp(q->method, "POST")) {
		row_change(q, r, e, row);
	} else if (!strcmp(q->method, "DELETE")) {
		store_delete(e->id, &id);
		r->status = 204;
	} else if (!strcmp(q->method, "GET")) {
		row_show(r, e, row);
	} else {
		reply_error(r, 405, "", "Method %s is not allowed here.", q->method);
	}
}

static void faults_json(struct buf *b)
{
	buf_printf(
	    b,
	    "{\"throttle_every\":%ld,\"retry_after\":%ld,\"fail_every\":%ld,"
	    "\"drop_every\":%ld,\"truncate_every\":%ld,\"latency_ms\":%ld,\"max_page\":%ld,"
	    "\"test_delay\":%g,\"never_complete\":%s,\"approver_role\":\"%s\","
	    "\"expired_secret\":%s,\"token_lifetime\":%ld,\"next_link_repeat\":%s,"
	    "\"flood_rows\":%ld,\"flood_status\":%ld,\"retry_after_date\":%s,\"next_link_base\":",
	    sim_cfg.throttle_every, sim_cfg.retry_after, sim_cfg.fail_every, sim_cfg.drop_every,
	    sim_cfg.truncate_every, sim_cfg.latency_ms, sim_cfg.max_page, sim_cfg.test_delay,
	    sim_cfg.never_complete ? "true" : "false",
	    sim_cfg.approver == APPROVER_NONE ? "none" : "admin",
	    sim_cfg.expired_secret ? "true" : "false", sim_cfg.token_lifetime,
	    sim_cfg.next_link_repeat ? "true" : "false", sim_cfg.flood_rows, sim_cfg.flood_status,
	    sim_cfg.retry_after_date ? "true" : "false");
	buf_put_json_str(b, sim_cfg.next_link_base);
	buf_puts(b, ",\"flood_row\":");
	buf_put_json_str(b, sim_cfg.flood_row);
	buf_puts(b, ",\"fail_match\":");
	buf_put_json_str(b, sim_cfg.fail_match);
	buf_puts(b, ",\"quote_column\":");
	buf_put_json_str(b, sim_cfg.quote_column);
	buf_putc(b, '}');
}

static bool set_long(json_object *obj, const char *key, long *out)
{
	json_object *j;
	if (!json_object_object_get_ex(obj, key, &j))
		return true;
	if (!json_object_is_type(j, json_type_int) || json_object_get_int64(j) < 0)
		return false;
	*out = (long)json_object_get_int64(j);
	return true;
}

static bool set_bool(json_object *obj, const char *key, bool *out)
{
	json_object *j;
	if (!json_object_object_get_ex(obj, key, &j))
		return true;
	if (!json_object_is_type(j, json_type_boolean))
		return false;
	*out = json_object_get_boolean(j);
	return true;
}

static bool set_string(json_object *obj, const char *key, char *out, size_t size)
{
	json_object *j;
	if (!json_object_object_get_ex(obj, key, &j))
		return true;
	if (!json_object_is_type(j, json_type_string) ||
	    (size_t)json_object_get_string_len(j) >= size)
		return false;
	snprintf(out, size, "%s", json_object_get_string(j));
	return true;
}

/* The knobs of a hostile server (hostile.h). */
static bool hostile_assign(json_object *obj)
{
	return set_bool(obj, "next_link_repeat", &sim_cfg.next_link_repeat) &&
	       set_string(obj, "next_link_base", sim_cfg.next_link_base,
	                  sizeof sim_cfg.next_link_base) &&
	       set_long(obj, "flood_rows", &sim_cfg.flood_rows) &&
	       set_long(obj, "flood_status", &sim_cfg.flood_status) &&
	       set_string(obj, "flood_row", sim_cfg.flood_row, sizeof sim_cfg.flood_row) &&
	       set_bool(obj, "retry_after_date", &sim_cfg.retry_after_date) &&
	       set_bool(obj, "echo_grant", &sim_cfg.echo_grant) &&
	       set_bool(obj, "echo_headers", &sim_cfg.echo_headers) &&
	       set_long(obj, "pad_signin", &sim_cfg.pad_signin);
}

static bool faults_assign(json_object *obj)
{
	json_object *j;
	bool ok = set_long(obj, "throttle_every", &sim_cfg.throttle_every) &&
	          set_long(obj, "retry_after", &sim_cfg.retry_after) &&
	          set_long(obj, "fail_every", &sim_cfg.fail_every) &&
	          set_long(obj, "drop_every", &sim_cfg.drop_every) &&
	          set_long(obj, "truncate_every", &sim_cfg.truncate_every) &&
	          set_long(obj, "latency_ms", &sim_cfg.latency_ms) &&
	          set_long(obj, "max_page", &sim_cfg.max_page) &&
	          set_long(obj, "token_lifetime", &sim_cfg.token_lifetime) &&
	          set_bool(obj, "never_complete", &sim_cfg.never_complete) &&
	          set_bool(obj, "expired_secret", &sim_cfg.expired_secret) && hostile_assign(obj);
	if (ok && json_object_object_get_ex(obj, "test_delay", &j)) {
		ok = json_object_is_type(j, json_type_int) ||
		     json_object_is_type(j, json_type_double);
		if (ok)
			sim_cfg.test_delay = json_object_get_double(j);
	}
	if (ok)
		ok = set_string(obj, "fail_match", sim_cfg.fail_match, sizeof sim_cfg.fail_match) &&
		     set_string(obj, "quote_column", sim_cfg.quote_column,
		                sizeof sim_cfg.quote_column);
	if (ok && json_object_object_get_ex(obj, "approver_role", &j)) {
		const char *s = json_object_get_string(j);
		ok = s && (!strcmp(s, "none") || !strcmp(s, "admin"));
		if (ok)
			sim_cfg.approver = !strcmp(s, "none") ? APPROVER_NONE : APPROVER_ADMIN;
	}
	return ok;
}

static void faults_handle(struct request *q, struct reply *r)
{
	if (strcmp(q->method, "GET")) {
		json_object *obj = body_object(q, r);
		if (!obj)
			return;
		bool ok = faults_assign(obj);
		json_object_put(obj);
		if (!ok) {
			reply_error(r, 400, "", "Bad value in the fault settings.");
			return;
		}
	}
	struct buf b = {0};
	faults_json(&b);
	reply_buf(r, 200, &b);
}

/* GET: the tracking state; POST {"mailboxes":false,"all":true,...}: each
 * set (or all) tracked or not. */
static void track_handle(struct request *q, struct reply *r)
{
	struct buf b = {0};
	if (strcmp(q->method, "GET")) {
		json_object *obj = body_object(q, r);
		bool ok = obj != NULL;
		if (!obj)
			return;
		json_object_object_foreach(obj, key, j)
		{
			ok = ok && json_object_is_type(j, json_type_boolean) &&
			     track_set(key, json_object_get_boolean(j));
		}
		json_object_put(obj);
		if (!ok) {
			reply_error(r, 400, "",
			            "Give {\"<set>\":true|false} for entity sets or \"all\".");
			return;
		}
	}
	track_state_json(&b);
	reply_buf(r, 200, &b);
}

static void index_handle(struct reply *r)
{
	struct buf b = {0};
	buf_puts(&b, "{\"endpoints\":[\"GET /_sim/stats\",\"GET /_sim/requests?since=SEQ\","
	             "\"POST /_sim/reset\",\"GET|POST /_sim/config\",\"POST "
	             "/_sim/tokens/expire\",\"GET /_sim/signin\","
	             "\"POST /_sim/signin/approve|deny|expire-code|revoke|expire-refresh\","
	             "\"GET /_sim/tests\",\"POST /_sim/snapshot\",\"POST /_sim/restore\","
	             "\"GET|POST /_sim/track\",\"POST /_sim/track/expire\","
	             "\"POST /_sim/<set>\",\"GET|PATCH|DELETE /_sim/<set>(<id>)\"],"
	             "\"sets\":[");
	for (int i = 0; i < E_COUNT; i++) {
		buf_printf(&b, "%s{\"set\":\"%s\",\"rows\":%zu}", i ? "," : "",
		           schema_entities[i]->set, store_tables[i].n);
	}
	buf_puts(&b, "]}");
	reply_buf(r, 200, &b);
}

void control_handle(struct request *q, struct reply *r, const char *path)
{
	struct buf b = {0};
	if (!*path) {
		index_handle(r);
	} else if (!strcmp(path, "stats")) {
		requests_stats_json(&b);
		reply_buf(r, 200, &b);
	} else if (!strcmp(path, "requests")) {
		char *since = query_param(q->query, "since");
		requests_log_json(&b, since ? strtoll(since, NULL, 10) : 0);
		free(since);
		reply_buf(r, 200, &b);
	} else if (!strcmp(path, "reset") && !strcmp(q->method, "POST")) {
		requests_reset();
		requests_stats_json(&b);
		reply_buf(r, 200, &b);
	} else if (!strcmp(path, "config")) {
		faults_handle(q, r);
	} else if (!strcmp(path, "tokens/expire") && !strcmp(q->method, "POST")) {
		auth_expire_all();
		r->status = 204;
	} else if (!strncmp(path, "signin", 6) && (!path[6] || path[6] == '/')) {
		signin_control(q, r, path + 6);
	} else if (!strcmp(path, "snapshot") && !strcmp(q->method, "POST")) {
		snapshot_take();
		r->status = 204;
	} else if (!strcmp(path, "restore") && !strcmp(q->method, "POST")) {
		if (snapshot_restore())
			r->status = 204;
		else
			reply_error(r, 409, "", "No snapshot: POST /_sim/snapshot first.");
	} else if (!strcmp(path, "track")) {
		track_handle(q, r);
	} else if (!strcmp(path, "track/expire") && !strcmp(q->method, "POST")) {
		track_expire();
		r->status = 204;
	} else if (!strcmp(path, "tests")) {
		buf_printf(&b, "{\"pending\":%d}", testjob_pending());
		reply_buf(r, 200, &b);
	} else {
		rows_handle(q, r, path);
	}
}
