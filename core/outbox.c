/* outbox.c — queueing, pushing and resolving edits (see outbox.h). */
#include "core/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/codec.h"
#include "core/keys.h"
#include "core/rules.h"

/* ---- Validation and queueing ---------------------------------------- */

static int resolve_profile(void *ctx, const char *name_or_id, char id[EC_ID_SIZE], char **name,
                           ec_error *err)
{
	ec_session *s = ctx;
	ec_profile p;
	int rc = cache_find_profile(s->cache, name_or_id, &p, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_USAGE,
		               "no server profile '%s' in the cache; run emailcfg "
		               "sync, or give the profile's id",
		               name_or_id);
	if (rc != EC_OK)
		return rc;
	snprintf(id, EC_ID_SIZE, "%s", p.id);
	*name = ec_strdup(p.name);
	profile_free(&p);
	return EC_OK;
}

/* Is the change allowed under the cached settings and the new profile? */
static int check_rules(ec_session *s, const ec_mailbox *before, const ec_mailbox *after,
                       ec_error *err)
{
	ec_settings st;
	ec_profile p;
	bool have_settings, have_profile = false;
	const ec_rule *r;
	int rc = cache_get_settings(s->cache, &st, err);
	if (rc != EC_OK && rc != CACHE_NOT_FOUND)
		return rc;
	have_settings = rc == EC_OK;
	profile_init(&p);
	if (after->profile_id[0]) {
		rc = cache_get_profile(s->cache, after->profile_id, &p, err);
		if (rc != EC_OK && rc != CACHE_NOT_FOUND) {
			settings_free(&st);
			return rc;
		}
		have_profile = rc == EC_OK;
	}
	r = rules_refusal(before, after, have_settings ? &st : NULL, have_profile ? &p : NULL);
	rc = r ? ec_fail(err, EC_USAGE, "%s: %s Fix: %s [%s]",
	                 before->name ? before->name : before->id, rule_message(r), rule_fix(r),
	                 r->id)
	       : EC_OK;
	settings_free(&st);
	profile_free(&p);
	return rc;
}

/* The changes and base objects of an edit: each key whose value the admin
 * changed (after differs from seen, the mailbox as shown with its queued
 * edit applied), with its new value and the organization's value (row). */
static void diff_mailbox(const ec_mailbox *row, const ec_mailbox *seen, const ec_mailbox *after,
                         const char *const *keys, int nkeys, json_object *changes,
                         json_object *base)
{
	for (int i = 0; i < nkeys; i++) {
		json_object *now = keys_mailbox_get_json(after, keys[i]);
		json_object *shown = keys_mailbox_get_json(seen, keys[i]);
		bool same = json_object_equal(now, shown);
		json_object_put(shown);
		if (same) {
			json_object_put(now);
			continue;
		}
		json_object_object_add(changes, keys[i], now);
		json_object_object_add(base, keys[i], keys_mailbox_get_json(row, keys[i]));
	}
}

/* The mailbox as the admin sees it: the cached row with its queued edit
 * applied, so a second edit builds on the first instead of undoing it. A
 * row with an unresolved conflict takes no new edit until it is resolved. */
static int pending_view(ec_session *s, const ec_mailbox *row, ec_mailbox *seen, ec_error *err)
{
	ec_outbox_entry *rows = NULL;
	int n = 0, rc = cache_outbox_list(s->cache, row->id, true, &rows, &n, err);
	mailbox_copy(seen, row);
	for (int i = 0; rc == EC_OK && i < n; i++) {
		json_object *changes;
		if (rows[i].state == OUTBOX_CONFLICT) {
			rc =
			    ec_fail(err, EC_USAGE,
			            "%s has an unresolved conflict (outbox entry %lld); resolve it "
			            "first: emailcfg outbox resolve %lld --mine|--theirs",
			            row->name ? row->name : row->id, rows[i].id, rows[i].id);
			break;
		}
		if (rows[i].state != OUTBOX_QUEUED)
			continue;
		changes = json_tokener_parse(rows[i].changes);
		rc = keys_mailbox_apply_changes(seen, changes, resolve_profile, s, err);
		json_object_put(changes);
	}
	cache_free_outbox(rows, n);
	return rc;
}

/* Adds changes to the queued entry of the target when there is one (one
 * pending edit per row keeps the etag chain simple), else makes a new one. */
static int queue_entry(ec_session *s, const char *entity, const char *target, long long version,
                       json_object *changes, json_object *base, long long *entry_id, ec_error *err)
{
	ec_outbox_entry *rows = NULL, e;
	int n = 0, rc = cache_outbox_list(s->cache, target, true, &rows, &n, err);
	const ec_outbox_entry *queued = NULL;
	for (int i = 0; rc == EC_OK && i < n; i++)
		if (rows[i].state == OUTBOX_QUEUED)
			queued = &rows[i];
	if (rc == EC_OK && queued) {
		json_object *old_changes = json_tokener_parse(queued->changes);
		json_object *old_base = json_tokener_parse(queued->base ? queued->base : "{}");
		json_object_object_foreach(changes, k, v)
		{
			json_object_object_add(old_changes, k, json_object_get(v));
			if (!json_object_object_get_ex(old_base, k, NULL))
				json_object_object_add(
				    old_base, k, json_object_get(json_object_object_get(base, k)));
		}
		e = *queued;
		e.changes =
		    (char *)json_object_to_json_string_ext(old_changes, JSON_C_TO_STRING_PLAIN);
		e.base = (char *)json_object_to_json_string_ext(old_base, JSON_C_TO_STRING_PLAIN);
		rc = cache_outbox_update(s->cache, &e, err);
		*entry_id = queued->id;
		json_object_put(old_changes);
		json_object_put(old_base);
	} else if (rc == EC_OK) {
		outbox_entry_init(&e);
		snprintf(e.entity, sizeof e.entity, "%s", entity);
		snprintf(e.target_id, sizeof e.target_id, "%s", target);
		e.changes = (char *)json_object_to_json_string_ext(changes, JSON_C_TO_STRING_PLAIN);
		e.base = (char *)json_object_to_json_string_ext(base, JSON_C_TO_STRING_PLAIN);
		e.base_version = version;
		e.state = OUTBOX_QUEUED;
		rc = cache_outbox_add(s->cache, &e, err);
		*entry_id = e.id;
	}
	cache_free_outbox(rows, n);
	return rc;
}

/* How to change one mailbox: fills after (a copy of before) and the keys. */
typedef int (*mailbox_change_fn)(ec_session *s, const ec_mailbox *before, ec_mailbox *after,
                                 const char **keys, int *nkeys, void *ctx, ec_error *err);

typedef struct assign_ctx {
	char *const *assignments;
	int n;
} assign_ctx;

static int change_by_assignments(ec_session *s, const ec_mailbox *before, ec_mailbox *after,
                                 const char **keys, int *nkeys, void *vctx, ec_error *err)
{
	assign_ctx *a = vctx;
	(void)before;
	*nkeys = 0;
	for (int i = 0; i < a->n; i++) {
		char key[64];
		const char *eq = strchr(a->assignments[i], '=');
		const struct ec_key *k;
		int rc;
		if (!eq || eq == a->assignments[i] ||
		    (size_t)(eq - a->assignments[i]) >= sizeof key)
			return ec_fail(err, EC_USAGE, "'%s' is not KEY=VALUE; see emailcfg --help",
			               a->assignments[i]);
		snprintf(key, sizeof key, "%.*s", (int)(eq - a->assignments[i]), a->assignments[i]);
		rc = keys_mailbox_apply(after, key, eq + 1, resolve_profile, s, err);
		if (rc != EC_OK)
			return rc;
		k = keys_mailbox_find(key);
		keys[(*nkeys)++] = k->key;
	}
	return EC_OK;
}

static int change_to_defaults(ec_session *s, const ec_mailbox *before, ec_mailbox *after,
                              const char **keys, int *nkeys, void *ctx, ec_error *err)
{
	ec_settings *st = ctx;
	(void)s;
	(void)before;
	if (st->default_incoming == EC_NULL || st->default_outgoing == EC_NULL ||
	    st->default_act == EC_NULL)
		return ec_fail(
		    err, EC_USAGE,
		    "the organization has no complete default email "
		    "settings; set incoming, outgoing and act with emailcfg settings set");
	after->incoming = st->default_incoming;
	after->outgoing = st->default_outgoing;
	after->act = st->default_act;
	snprintf(after->profile_id, sizeof after->profile_id, "%s", st->default_profile_id);
	free(after->profile_name);
	after->profile_name = ec_strdup(st->default_profile_name);
	keys[0] = "server-profile";
	keys[1] = "incoming";
	keys[2] = "outgoing";
	keys[3] = "act";
	*nkeys = 4;
	return EC_OK;
}

static int change_to_approved(ec_session *s, const ec_mailbox *before, ec_mailbox *after,
                              const char **keys, int *nkeys, void *ctx, ec_error *err)
{
	(void)s;
	(void)before;
	(void)ctx;
	(void)err;
	after->approval = APPROVAL_APPROVED;
	keys[0] = "approval";
	*nkeys = 1;
	return EC_OK;
}

/* One planned edit of a batch. */
typedef struct plan {
	char id[EC_ID_SIZE];
	char *name;
	long long version;
	json_object *changes, *base;
} plan;

static int plan_one(ec_session *s, const char *id, mailbox_change_fn fn, void *ctx, plan *p,
                    ec_error *err)
{
	ec_mailbox row, seen, after;
	const char *keys[16];
	int nkeys = 0, rc = cache_get_mailbox(s->cache, id, &row, err);
	if (rc == CACHE_NOT_FOUND)
		return EC_USAGE;
	if (rc != EC_OK)
		return rc;
	mailbox_init(&after);
	rc = pending_view(s, &row, &seen, err);
	if (rc == EC_OK) {
		mailbox_copy(&after, &seen);
		rc = fn(s, &seen, &after, keys, &nkeys, ctx, err);
	}
	if (rc == EC_OK)
		rc = check_rules(s, &seen, &after, err);
	if (rc == EC_OK) {
		snprintf(p->id, sizeof p->id, "%s", id);
		p->name = ec_strdup(row.name);
		p->version = row.version;
		p->changes = json_object_new_object();
		p->base = json_object_new_object();
		diff_mailbox(&row, &seen, &after, keys, nkeys, p->changes, p->base);
	}
	mailbox_free(&row);
	mailbox_free(&seen);
	mailbox_free(&after);
	return rc;
}

static void plans_free(plan *p, int n)
{
	for (int i = 0; i < n; i++) {
		free(p[i].name);
		json_object_put(p[i].changes);
		json_object_put(p[i].base);
	}
	free(p);
}

/* The worse of two statuses for a batch: conflict < failed < network. */
static int worse(int a, int b)
{
	static const int rank[] = {[EC_OK] = 0,      [EC_CONFLICT] = 1, [EC_FAILED] = 2,
	                           [EC_NETWORK] = 3, [EC_USAGE] = 4,    [EC_LOCAL] = 5};
	if (b < EC_OK || b > EC_LOCAL)
		b = EC_FAILED; /* a row the organization no longer has */
	return rank[b] > rank[a] ? b : a;
}

/* Plans every mailbox, queues all entries in one transaction, then pushes. */
static int edit_batch(ec_session *s, char (*ids)[EC_ID_SIZE], int n, mailbox_change_fn fn,
                      void *ctx, const char *what, ec_edit_result **results, ec_error *err)
{
	plan *plans = ec_xcalloc((unsigned long)n + 1, sizeof *plans);
	ec_edit_result *res = ec_xcalloc((unsigned long)n + 1, sizeof *res);
	int rc = session_may_change(s, what, err), worst = EC_OK;
	for (int i = 0; rc == EC_OK && i < n; i++)
		rc = plan_one(s, ids[i], fn, ctx, &plans[i], err);
	if (rc == EC_OK)
		rc = cache_transaction_begin(s->cache, err);
	for (int i = 0; rc == EC_OK && i < n; i++) {
		snprintf(res[i].id, sizeof res[i].id, "%s", plans[i].id);
		res[i].name = ec_strdup(plans[i].name);
		res[i].state = OUTBOX_SENT;
		if (json_object_object_length(plans[i].changes) == 0)
			continue; /* nothing to change: already so */
		rc = queue_entry(s, "mailbox", plans[i].id, plans[i].version, plans[i].changes,
		                 plans[i].base, &res[i].entry, err);
		res[i].state = OUTBOX_QUEUED;
	}
	if (rc == EC_OK)
		rc = cache_transaction_commit(s->cache, err);
	else if (s->cache)
		cache_transaction_rollback(s->cache, NULL);
	for (int i = 0; rc == EC_OK && i < n && !s->cfg->offline && !s->queue_only; i++) {
		ec_error e = {0};
		if (!res[i].entry)
			continue;
		res[i].status = outbox_push(s, res[i].entry, &e);
		res[i].message = res[i].status ? ec_strdup(e.msg) : NULL;
		res[i].state = res[i].status == EC_OK         ? OUTBOX_SENT
		               : res[i].status == EC_CONFLICT ? OUTBOX_CONFLICT
		               : res[i].status == EC_FAILED   ? OUTBOX_FAILED
		                                              : OUTBOX_QUEUED;
		if (worse(worst, res[i].status) != worst)
			*err = e;
		worst = worse(worst, res[i].status);
	}
	plans_free(plans, n);
	if (rc != EC_OK) { /* refused or not stored: nothing to report per mailbox */
		edit_results_free(res, n);
		res = NULL;
	}
	*results = res;
	return rc != EC_OK ? rc : worst;
}

int edit_mailboxes(ec_session *s, char (*ids)[EC_ID_SIZE], int n, char *const *assignments,
                   int nassign, ec_edit_result **results, ec_error *err)
{
	assign_ctx a = {assignments, nassign};
	if (nassign == 0)
		return ec_fail(err, EC_USAGE,
		               "nothing to change; give KEY=VALUE (keys: incoming, "
		               "outgoing, act, server-profile, email, allow-credentials, username, "
		               "state)");
	if (nassign > 12)
		return ec_fail(err, EC_USAGE, "too many KEY=VALUE pairs (at most 12)");
	return edit_batch(s, ids, n, change_by_assignments, &a, "change mailboxes", results, err);
}

int edit_mailbox_defaults(ec_session *s, char (*ids)[EC_ID_SIZE], int n, ec_edit_result **results,
                          ec_error *err)
{
	ec_settings st;
	int rc = session_may_change(s, "apply default settings", err);
	if (rc != EC_OK)
		return rc;
	rc = cache_get_settings(s->cache, &st, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_LOCAL,
		               "the organization's settings are not in the cache yet; "
		               "run emailcfg sync");
	if (rc == EC_OK)
		rc = edit_batch(s, ids, n, change_to_defaults, &st, "apply default settings",
		                results, err);
	settings_free(&st);
	return rc;
}

int edit_approve(ec_session *s, char (*ids)[EC_ID_SIZE], int n, ec_edit_result **results,
                 ec_error *err)
{
	return edit_batch(s, ids, n, change_to_approved, NULL, "approve mailboxes", results, err);
}

void edit_results_free(ec_edit_result *r, int n)
{
	for (int i = 0; r && i < n; i++) {
		free(r[i].name);
		free(r[i].message);
	}
	free(r);
}

int edit_settings(ec_session *s, char *const *assignments, int nassign, ec_edit_result *result,
                  ec_error *err)
{
	ec_settings before, after;
	json_object *changes, *base;
	int rc = session_may_change(s, "change the settings", err);
	memset(result, 0, sizeof *result);
	if (rc != EC_OK)
		return rc;
	if (nassign == 0)
		return ec_fail(err, EC_USAGE,
		               "nothing to change; give KEY=VALUE (see emailcfg "
		               "settings --json for the keys)");
	rc = cache_get_settings(s->cache, &before, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_LOCAL,
		               "the organization's settings are not in the cache yet; "
		               "run emailcfg sync");
	if (rc != EC_OK)
		return rc;
	settings_copy(&after, &before);
	changes = json_object_new_object();
	base = json_object_new_object();
	for (int i = 0; rc == EC_OK && i < nassign; i++) {
		char key[64];
		const char *eq = strchr(assignments[i], '=');
		if (!eq || eq == assignments[i] || (size_t)(eq - assignments[i]) >= sizeof key) {
			rc = ec_fail(err, EC_USAGE, "'%s' is not KEY=VALUE", assignments[i]);
			break;
		}
		snprintf(key, sizeof key, "%.*s", (int)(eq - assignments[i]), assignments[i]);
		rc = keys_settings_apply(&after, key, eq + 1, resolve_profile, s, err);
		if (rc == EC_OK) {
			json_object_object_add(changes, key, keys_settings_get_json(&after, key));
			json_object_object_add(base, key, keys_settings_get_json(&before, key));
		}
	}
	if (rc == EC_OK)
		rc = queue_entry(s, "organization", before.id, before.version, changes, base,
		                 &result->entry, err);
	snprintf(result->id, sizeof result->id, "%s", before.id);
	result->state = OUTBOX_QUEUED;
	if (rc == EC_OK && !s->cfg->offline && !s->queue_only) {
		rc = outbox_push(s, result->entry, err);
		result->status = rc;
		result->state = rc == EC_OK         ? OUTBOX_SENT
		                : rc == EC_CONFLICT ? OUTBOX_CONFLICT
		                : rc == EC_FAILED   ? OUTBOX_FAILED
		                                    : OUTBOX_QUEUED;
	}
	json_object_put(changes);
	json_object_put(base);
	settings_free(&before);
	settings_free(&after);
	return rc;
}

/* ---- Pushing --------------------------------------------------------- */

/* Per entity: the set, the $select, and how rows meet the model. */
typedef struct entity_ops {
	const char *name, *set;
	const char *select;
	/* the cached row with changes applied, as PATCH body */
	int (*patch_body)(ec_session *s, const ec_outbox_entry *e, json_object *changes,
	                  json_object **body, ec_error *err);
	/* store a row from the organization; *values gets the changed keys' values */
	int (*store_row)(ec_session *s, json_object *row, json_object *changes,
	                 json_object **values, ec_error *err);
	/* the cached row's version */
	int (*version)(ec_session *s, const char *id, long long *version, ec_error *err);
} entity_ops;

static int mailbox_patch_body(ec_session *s, const ec_outbox_entry *e, json_object *changes,
                              json_object **body, ec_error *err)
{
	ec_mailbox m;
	int rc = cache_get_mailbox(s->cache, e->target_id, &m, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_FAILED,
		               "mailbox %s is no longer in the cache; drop the edit "
		               "with emailcfg outbox drop %lld",
		               e->target_id, e->id);
	if (rc == EC_OK)
		rc = keys_mailbox_apply_changes(&m, changes, resolve_profile, s, err);
	if (rc == EC_OK)
		*body = keys_mailbox_patch(&m, changes);
	mailbox_free(&m);
	return rc;
}

static int settings_patch_body(ec_session *s, const ec_outbox_entry *e, json_object *changes,
                               json_object **body, ec_error *err)
{
	ec_settings st;
	int rc = cache_get_settings(s->cache, &st, err);
	(void)e;
	if (rc == EC_OK)
		rc = keys_settings_apply_changes(&st, changes, resolve_profile, s, err);
	if (rc == EC_OK)
		*body = keys_settings_patch(&st, changes);
	settings_free(&st);
	return rc;
}

static int mailbox_store(ec_session *s, json_object *row, json_object *changes,
                         json_object **values, ec_error *err)
{
	ec_mailbox m;
	const char *raw = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN);
	int rc = codec_mailbox_from_json(row, &m, err);
	if (rc == EC_OK)
		rc = cache_put_mailboxes(s->cache, &m, &raw, 1, err);
	*values = json_object_new_object();
	json_object_object_foreach(changes, k, v)
	{
		(void)v;
		json_object_object_add(*values, k, keys_mailbox_get_json(&m, k));
	}
	mailbox_free(&m);
	return rc;
}

static int settings_store(ec_session *s, json_object *row, json_object *changes,
                          json_object **values, ec_error *err)
{
	ec_settings st;
	int rc = codec_settings_from_json(row, &st, err);
	if (rc == EC_OK)
		rc = cache_put_settings(s->cache, &st,
		                        json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN),
		                        err);
	*values = json_object_new_object();
	json_object_object_foreach(changes, k, v)
	{
		(void)v;
		json_object_object_add(*values, k, keys_settings_get_json(&st, k));
	}
	settings_free(&st);
	return rc;
}

static int mailbox_version(ec_session *s, const char *id, long long *version, ec_error *err)
{
	ec_mailbox m;
	int rc = cache_get_mailbox(s->cache, id, &m, err);
	*version = rc == EC_OK ? m.version : 0;
	mailbox_free(&m);
	return rc;
}

static int settings_version(ec_session *s, const char *id, long long *version, ec_error *err)
{
	ec_settings st;
	int rc = cache_get_settings(s->cache, &st, err);
	(void)id;
	*version = rc == EC_OK ? st.version : 0;
	settings_free(&st);
	return rc;
}

static const entity_ops mailbox_ops = {"mailbox",          "mailboxes",   codec_mailbox_select,
                                       mailbox_patch_body, mailbox_store, mailbox_version};
static const entity_ops settings_ops = {"organization",      "organizations", codec_settings_select,
                                        settings_patch_body, settings_store,  settings_version};

static const entity_ops *ops_for(const ec_outbox_entry *e)
{
	return strcmp(e->entity, "organization") == 0 ? &settings_ops : &mailbox_ops;
}

/* Did the organization end up with every value the edit wanted? */
static bool values_match(json_object *changes, json_object *values)
{
	json_object_object_foreach(changes, k, want)
	{
		json_object *got = json_object_object_get(values, k);
		if (!json_object_equal(want, got))
			return false;
	}
	return true;
}

/* Stores the organization's row and settles the entry, in one transaction. */
static int settle(ec_session *s, const ec_outbox_entry *e, json_object *row, json_object *changes,
                  bool *matched, ec_error *err)
{
	const entity_ops *ops = ops_for(e);
	json_object *values = NULL;
	const char *theirs;
	int rc = cache_transaction_begin(s->cache, err);
	if (rc == EC_OK)
		rc = ops->store_row(s, row, changes, &values, err);
	*matched = rc == EC_OK && values_match(changes, values);
	theirs = values ? json_object_to_json_string_ext(values, JSON_C_TO_STRING_PLAIN) : NULL;
	if (rc == EC_OK)
		rc = cache_outbox_set_state(s->cache, e->id,
		                            *matched ? OUTBOX_SENT : OUTBOX_CONFLICT,
		                            *matched ? NULL : theirs, NULL, err);
	if (rc == EC_OK)
		rc = cache_transaction_commit(s->cache, err);
	else
		cache_transaction_rollback(s->cache, NULL);
	json_object_put(values);
	return rc;
}

/* After a 412: read the row again; the wanted values may be there already
 * (our own earlier push whose answer was lost), else it is a conflict. */
static int push_conflict(ec_session *s, const ec_outbox_entry *e, json_object *changes,
                         ec_error *err)
{
	const entity_ops *ops = ops_for(e);
	json_object *row = NULL;
	bool matched = false;
	int rc = dv_get(s->dv, ops->set, e->target_id, ops->select, &row, err);
	if (rc == EC_OK)
		rc = settle(s, e, row, changes, &matched, err);
	json_object_put(row);
	if (rc == EC_OK && !matched)
		rc = ec_fail(err, EC_CONFLICT,
		             "%s %s changed on the organization since it was read; "
		             "the edit is kept as conflict %lld: see emailcfg outbox, then "
		             "emailcfg outbox resolve %lld --mine|--theirs",
		             ops->name, e->target_id, e->id, e->id);
	return rc;
}

static int push_entry(ec_session *s, const ec_outbox_entry *e, ec_error *err)
{
	const entity_ops *ops = ops_for(e);
	json_object *changes = json_tokener_parse(e->changes), *body = NULL, *row = NULL;
	bool matched;
	int rc = changes ? EC_OK
	                 : ec_fail(err, EC_LOCAL,
	                           "outbox entry %lld is damaged; drop it with emailcfg outbox "
	                           "drop %lld and make the edit again",
	                           e->id, e->id);
	if (rc == EC_OK)
		rc = ops->patch_body(s, e, changes, &body, err);
	if (rc == EC_OK)
		rc = dv_patch(s->dv, ops->set, e->target_id, body, e->base_version, ops->select,
		              &row, err);
	if (rc == EC_OK && row) {
		rc = settle(s, e, row, changes, &matched, err);
		/* Accepted, but the organization changed what we sent. */
		if (rc == EC_OK && !matched)
			rc = ec_fail(
			    err, EC_CONFLICT,
			    "the organization saved %s %s with other values than sent; kept "
			    "as conflict %lld: see emailcfg outbox",
			    ops->name, e->target_id, e->id);
	} else if (rc == EC_OK) {
		rc = cache_outbox_set_state(s->cache, e->id, OUTBOX_SENT, NULL, NULL, err);
	} else if (rc == EC_CONFLICT) {
		rc = push_conflict(s, e, changes, err);
	}
	/* A refusal, or a row that is gone: the entry is failed, with why. */
	if (rc == EC_FAILED || rc < EC_OK) {
		ec_error why = *err;
		int stored =
		    cache_outbox_set_state(s->cache, e->id, OUTBOX_FAILED, NULL, why.msg, err);
		if (stored == EC_OK)
			*err = why, err->status = EC_FAILED;
		rc = stored == EC_OK ? EC_FAILED : stored;
	}
	json_object_put(changes);
	json_object_put(body);
	json_object_put(row);
	return rc;
}

/* An outbox entry for a change `what`: read-only refuses first. */
static int load_entry(ec_session *s, long long id, const char *what, ec_outbox_entry *e,
                      ec_error *err)
{
	int rc = session_may_change(s, what, err);
	if (rc == EC_OK)
		rc = cache_outbox_get(s->cache, id, e, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_USAGE, "no outbox entry %lld; see emailcfg outbox", id);
	return rc;
}

int outbox_push(ec_session *s, long long id, ec_error *err)
{
	ec_outbox_entry e;
	int rc = session_need_network(s, "pushing an edit", err);
	if (rc == EC_OK)
		rc = load_entry(s, id, "push edits", &e, err);
	if (rc != EC_OK)
		return rc;
	if (e.state == OUTBOX_CONFLICT)
		rc = ec_fail(err, EC_CONFLICT,
		             "entry %lld is a conflict; resolve it with emailcfg "
		             "outbox resolve %lld --mine|--theirs",
		             id, id);
	else if (e.state != OUTBOX_SENT)
		rc = push_entry(s, &e, err);
	outbox_entry_free(&e);
	return rc;
}

int outbox_push_all(ec_session *s, long *pushed, long *conflicts, long *failed, ec_error *err)
{
	ec_outbox_entry *rows = NULL;
	int n = 0, rc = cache_outbox_list(s->cache, NULL, true, &rows, &n, err), worst = EC_OK;
	long done = 0;
	*pushed = *conflicts = *failed = 0;
	for (int i = 0; rc == EC_OK && i < n; i++) {
		ec_error e = {0};
		int prc;
		ec_event ev = {EV_PROGRESS, "push", "edits", done++, n, 0};
		if (rows[i].state != OUTBOX_QUEUED)
			continue;
		ec_emit(&s->sink, &ev);
		prc = push_entry(s, &rows[i], &e);
		*pushed += prc == EC_OK;
		*conflicts += prc == EC_CONFLICT;
		*failed += prc == EC_FAILED;
		if (prc != EC_OK && worse(worst, prc) != worst) {
			worst = worse(worst, prc);
			*err = e;
		}
		if (prc == EC_NETWORK || prc == EC_LOCAL)
			break; /* the rest stay queued */
	}
	cache_free_outbox(rows, n);
	return rc != EC_OK ? rc : worst;
}

int outbox_resolve(ec_session *s, long long id, bool mine, ec_error *err)
{
	ec_outbox_entry e;
	int rc = load_entry(s, id, "resolve a conflict", &e, err);
	if (rc != EC_OK)
		return rc;
	if (e.state != OUTBOX_CONFLICT) {
		rc = ec_fail(err, EC_USAGE, "entry %lld is %s, not a conflict", id,
		             outbox_state_slug(e.state));
		outbox_entry_free(&e);
		return rc;
	}
	if (!mine) {
		outbox_entry_free(&e);
		return cache_outbox_delete(s->cache, id, err);
	}
	/* Keep mine: the organization's row (stored at the conflict) becomes
	 * the new base, and the edit goes out again against its version. */
	rc = ops_for(&e)->version(s, e.target_id, &e.base_version, err);
	if (rc == EC_OK) {
		free(e.base);
		e.base = e.theirs ? ec_strdup(e.theirs) : ec_strdup("{}");
		e.state = OUTBOX_QUEUED;
		rc = cache_outbox_update(s->cache, &e, err);
	}
	if (rc == EC_OK && !s->cfg->offline)
		rc = outbox_push(s, id, err);
	outbox_entry_free(&e);
	return rc;
}

int outbox_drop(ec_session *s, long long id, ec_error *err)
{
	ec_outbox_entry e;
	int rc = load_entry(s, id, "drop an edit", &e, err);
	if (rc != EC_OK)
		return rc;
	outbox_entry_free(&e);
	return cache_outbox_delete(s->cache, id, err);
}
