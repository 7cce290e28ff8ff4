/* patch.c — PATCH <set>(<id>): If-Match / If-None-Match, upsert, body
 * validation against the column table (unknown, read-only, wrong type,
 * out-of-range, required), @odata.bind lookups, state/status pairing, the
 * approval privilege check, and the Test & Enable trigger. Nothing is
 * written unless the whole body is valid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "config.h"
#include "testjob.h"

#define MAX_CHANGES 128

struct change {
	int col;
	struct val v;
};

struct patch {
	const struct entity *e;
	struct change ch[MAX_CHANGES];
	int n;
};

static void patch_clear(struct patch *p)
{
	for (int i = 0; i < p->n; i++)
		val_clear(&p->e->cols[p->ch[i].col], &p->ch[i].v);
	p->n = 0;
}

static bool add_change(struct patch *p, int col, struct val *v, struct sim_err *err)
{
	if (p->n >= MAX_CHANGES) {
		sim_err_set(err, 400, "0x80060888", "Too many properties in the request body.");
		return false;
	}
	p->ch[p->n].col = col;
	p->ch[p->n].v = *v;
	p->n++;
	return true;
}

/* Parses "/set(<guid>)", "set(<guid>)" or an absolute URL ending so. */
static bool bind_target(const char *ref, const struct entity **e, struct guid *id)
{
	const char *open = strrchr(ref, '(');
	const char *close = open ? strchr(open, ')') : NULL;
	if (!open || !close || close[1])
		return false;
	const char *set = open;
	while (set > ref && set[-1] != '/')
		set--;
	*e = schema_entity_by_set(set, (size_t)(open - set));
	return *e && guid_parse(open + 1, (size_t)(close - open - 1), id);
}

static bool bind_value(struct patch *p, const char *key, size_t navlen, json_object *j,
                       struct sim_err *err)
{
	int c = schema_bind_index(p->e, key, navlen);
	if (c < 0) {
		sim_err_set(err, 400, "0x80060888",
		            "An undeclared property '%.*s' which only has property annotations in "
		            "the payload but no property value was found in the payload.",
		            (int)navlen, key);
		return false;
	}
	const struct column *col = &p->e->cols[c];
	struct val v = {.null = 1};
	if (j && !json_object_is_type(j, json_type_null)) {
		const struct entity *te;
		if (!json_object_is_type(j, json_type_string) ||
		    !bind_target(json_object_get_string(j), &te, &v.u.g)) {
			sim_err_set(err, 400, "0x80060888",
			            "The URI '%s' in the @odata.bind annotation is not valid.",
			            json_object_get_string(j));
			return false;
		}
		int t;
		for (t = 0; t < col->ntargets && col->targets[t].entity != te->id; t++)
			;
		if (t == col->ntargets) {
			sim_err_set(err, 400, "0x80060888",
			            "The entity set '%s' is not valid for the navigation property "
			            "'%s'.",
			            te->set, col->bind);
			return false;
		}
		if (!store_find(te->id, &v.u.g)) {
			char text[37];
			guid_format(&v.u.g, text, false);
			sim_err_set(err, 404, "0x80040217", "%s With Id = %s Does Not Exist",
			            te->logical, text);
			return false;
		}
		v.null = 0;
		v.ref = (uint8_t)t;
	} else if (col->flags & F_REQ) {
		sim_err_set(
		    err, 400, "0x80040203",
		    "Invalid argument. Attribute '%s' of entity '%s' cannot be set to null.",
		    col->bind, p->e->logical);
		return false;
	}
	return add_change(p, c, &v, err);
}

static bool column_value(struct patch *p, const char *key, json_object *j, struct sim_err *err)
{
	const struct entity *e = p->e;
	int c = schema_column_index(e, key, strlen(key));
	int nav = schema_bind_index(e, key, strlen(key));
	if (c < 0 && nav >= 0 && (!j || json_object_is_type(j, json_type_null)))
		return bind_value(p, key, strlen(key), j, err);
	if (c < 0 || (!(e->cols[c].flags & (F_READ | F_WRITE)))) {
		sim_err_set(err, 400, "0x80060888",
		            "The property '%s' does not exist on type 'Microsoft.Dynamics.CRM.%s'. "
		            "Make sure to only use property names that are defined by the type or "
		            "mark the type as open type.",
		            key, e->logical);
		return false;
	}
	const struct column *col = &e->cols[c];
	if (col->type == T_LOOKUP) {
		sim_err_set(err, 400, "0x80060888",
		            "CRM do not support direct update of Entity Reference properties, Use "
		            "Navigation properties instead.");
		return false;
	}
	if (!(col->flags & F_WRITE)) {
		sim_err_set(err, 400, "0x80060888",
		            "The property '%s' on type 'Microsoft.Dynamics.CRM.%s' is read-only "
		            "and cannot be set.",
		            key, e->logical);
		return false;
	}
	struct val v;
	if (!store_val_from_json(e, c, j, true, &v, err))
		return false;
	if (v.null && (col->flags & F_REQ)) {
		sim_err_set(
		    err, 400, "0x80040203",
		    "Invalid argument. Attribute '%s' of entity '%s' cannot be set to null.", key,
		    e->logical);
		return false;
	}
	return add_change(p, c, &v, err);
}

static bool body_parse(struct patch *p, json_object *obj, struct sim_err *err)
{
	json_object_object_foreach(obj, key, j)
	{
		const char *at = strchr(key, '@');
		bool ok = true;
		if (at && !strcmp(at, "@odata.bind"))
			ok = bind_value(p, key, (size_t)(at - key), j, err);
		else if (!at)
			ok = column_value(p, key, j, err);
		if (!ok)
			return false;
	}
	return true;
}

static struct val *change_of(struct patch *p, const char *col)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->e->cols[p->ch[i].col].name, col))
			return &p->ch[i].v;
	return NULL;
}

/* statecode 0 goes with statuscode 1, statecode 1 with statuscode 2. */
static bool state_pair(struct patch *p, const struct row *row, struct sim_err *err)
{
	const struct entity *e = p->e;
	if (e->statecode < 0 || e->statuscode < 0)
		return true;
	struct val *state = change_of(p, "statecode"), *status = change_of(p, "statuscode");
	if (!state && !status)
		return true;
	int64_t st = state ? state->u.i : (row ? row->v[e->statecode].u.i : 0);
	if (!status) {
		struct val v = {.u.i = st ? 2 : 1};
		return add_change(p, e->statuscode, &v, err);
	}
	if (status->u.i != (st ? 2 : 1)) {
		char id[37] = "";
		if (row)
			guid_format(row_id(row), id, false);
		sim_err_set(err, 400, "0x80040203",
		            "%lld is not a valid status code for state code %sState.%s on %s with "
		            "Id %s.",
		            (long long)status->u.i, e->logical, st ? "Inactive" : "Active",
		            e->logical, id);
		return false;
	}
	return true;
}

static bool approval_allowed(struct patch *p, const struct row *row, struct sim_err *err)
{
	struct val *a = p->e->id == E_MAILBOX ? change_of(p, "emailrouteraccessapproval") : NULL;
	if (!a || a->u.i != 1 || sim_cfg.approver != APPROVER_NONE)
		return true;
	if (row && store_get_int(p->e, row, "emailrouteraccessapproval", 0) == 1)
		return true;
	sim_err_set(err, 403, "0x80040216",
	            "This email address can only be approved by a user with the Global "
	            "Administrator or Exchange Administrator role in Office 365 or the Delegated "
	            "Mailbox Approver role in Dynamics 365.");
	return false;
}

static bool patch_validate(struct patch *p, json_object *obj, const struct row *row,
                           struct sim_err *err)
{
	return body_parse(p, obj, err) && state_pair(p, row, err) && approval_allowed(p, row, err);
}

/* Applies the changes plus their side effects; returns whether a test was
 * asked for. */
/* A mailbox's new email address is not what was approved or tested: the
 * organization sets its approval back to Pending Approval and its test
 * results to Not Run (the approval request names the address). */
static bool address_changed(const struct entity *e, const struct row *row, const struct column *c,
                            const struct val *v)
{
	const char *was;
	if (e->id != E_MAILBOX || strcmp(c->name, "emailaddress") != 0)
		return false;
	was = store_get_str(e, row, "emailaddress");
	if (v->null || !was)
		return v->null != !was;
	return strcasecmp(was, v->u.s) != 0;
}

static void address_reset(const struct entity *e, struct row *row)
{
	static const char *const statuses[] = {"incomingemailstatus", "outgoingemailstatus",
	                                       "actstatus", "mailboxstatus"};
	store_set_int(e, row, "emailrouteraccessapproval", 2);
	store_set_int(e, row, "isemailaddressapprovedbyo365admin", 0);
	for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
		store_set_int(e, row, statuses[i], 0);
}

static bool patch_apply(struct patch *p, struct row *row)
{
	const struct entity *e = p->e;
	bool test = false, approve = false;
	bool readdressed = false;
	for (int i = 0; i < p->n; i++) {
		const struct column *c = &e->cols[p->ch[i].col];
		if (c->flags & F_SECRET)
			store_set_int(e, row, c->isset, !p->ch[i].v.null);
		if (!strcmp(c->name, "testemailconfigurationscheduled"))
			test = !p->ch[i].v.null && p->ch[i].v.u.i;
		if (e->id == E_MAILBOX && !strcmp(c->name, "emailrouteraccessapproval"))
			approve = !p->ch[i].v.null && p->ch[i].v.u.i == 1 &&
			          store_get_int(e, row, c->name, 0) != 1;
		readdressed |= address_changed(e, row, c, &p->ch[i].v);
		store_set(e, row, p->ch[i].col, &p->ch[i].v);
	}
	if (readdressed && !approve)
		address_reset(e, row);
	if (approve) {
		store_set_int(e, row, "isemailaddressapprovedbyo365admin", 1);
		store_set_int(e, row, "emailaddressapprovedon", sim_clock_now());
	}
	store_touch(e, row);
	return test && e->id == E_MAILBOX;
}

static bool etag_ok(const char *if_match, const struct entity *e, const struct row *row)
{
	if (!strcmp(if_match, "*"))
		return true;
	char etag[40];
	snprintf(etag, sizeof etag, "W/\"%lld\"", (long long)row->v[e->version].u.i);
	return !strcmp(if_match, etag) || !strcmp(if_match, etag + 2);
}

static json_object *body_json(struct request *q, struct sim_err *err)
{
	enum json_tokener_error jerr = json_tokener_success;
	json_object *obj = q->body.p ? json_tokener_parse_verbose(q->body.p, &jerr) : NULL;
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		sim_err_set(err, 400, "0x80060888",
		            "The request body is not a valid JSON object: %s.",
		            obj ? "expected an object" : json_tokener_error_desc(jerr));
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static void reply_written(struct request *q, struct reply *r, const struct entity *e,
                          const struct row *row, const struct prefer *pf)
{
	char id[37];
	guid_format(row_id(row), id, false);
	if (pf->return_representation) {
		struct query qy;
		struct sim_err err;
		if (!query_parse(&qy, e, q->query, false, &err)) {
			reply_sim_err(r, &err);
			return;
		}
		api_reply_row(r, 200, &qy, row, pf);
		query_free(&qy);
	} else {
		r->status = 204;
		r->content_type = NULL;
	}
	reply_header(r, "OData-EntityId", "%s" SIM_API_ROOT "%s(%s)", sim_cfg.base_url, e->set, id);
}

/* Upsert: PATCH without If-Match on a missing id creates the row. */
static struct row *upsert_row(const struct entity *e, const struct guid *id)
{
	struct row *row = store_row_new(e);
	row->v[e->pk].u.g = *id;
	if (e->id == E_MAILBOX)
		store_set_int(e, row, "isforwardmailbox", 1);
	store_insert(e->id, row);
	return row;
}

void patch_handle(struct request *q, struct reply *r, const struct entity *e, const struct guid *id,
                  const struct prefer *pf)
{
	struct sim_err err;
	struct patch p = {.e = e};
	struct row *row = store_find(e->id, id);
	const char *if_match = request_header(q, "If-Match");
	const char *if_none = request_header(q, "If-None-Match");
	if (!row && (if_match || !e->creatable)) {
		api_not_found(r, e, id);
		return;
	}
	if (row && if_match && !etag_ok(if_match, e, row)) {
		reply_error(r, 412, "0x80060882",
		            "The version of the existing record doesn't match the RowVersion "
		            "property provided.");
		return;
	}
	if (row && if_none && !strcmp(if_none, "*")) {
		reply_error(r, 412, "0x80040237",
		            "A record with matching key values already exists.");
		return;
	}
	json_object *obj = body_json(q, &err);
	if (!obj || !patch_validate(&p, obj, row, &err)) {
		json_object_put(obj);
		patch_clear(&p);
		reply_sim_err(r, &err);
		return;
	}
	json_object_put(obj);
	if (!row)
		row = upsert_row(e, id);
	if (patch_apply(&p, row))
		testjob_schedule(id);
	patch_clear(&p);
	reply_written(q, r, e, row, pf);
}
