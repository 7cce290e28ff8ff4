/* outbox.c — queueing, pushing and resolving edits (see outbox.h). */
#include "core/sync/outbox.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/codec/codec.h"
#include "core/client/http.h"
#include "core/codec/keys.h"
#include "core/model/profile_rules.h"
#include "core/model/rules.h"

/* push_one(): the entry is not this push's (another pusher has it, or an
 * older edit of its row goes first); it stays queued. */
#define OUTBOX_BUSY (-3)

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
 * edits applied), with its new value and the value seen. */
static void diff_mailbox(const ec_mailbox *seen, const ec_mailbox *after, const char *const *keys,
                         int nkeys, json_object *changes, json_object *base)
{
	for (int i = 0; i < nkeys; i++) {
		json_object *now = keys_mailbox_get_json(after, keys[i]);
		json_object *shown = keys_mailbox_get_json(seen, keys[i]);
		if (json_object_equal(now, shown)) {
			json_object_put(now);
			json_object_put(shown);
			continue;
		}
		json_object_object_add(changes, keys[i], now);
		json_object_object_add(base, keys[i], shown);
	}
}

/* The target's unresolved conflict refuses a new edit (a later "keep
 * mine" would otherwise revert it); each queued entry's changes go to
 * apply, oldest first, so a new edit builds on them instead of undoing
 * them. */
static int pending_walk(ec_session *s, const char *target, const char *name,
                        int (*apply)(ec_session *s, json_object *changes, void *view,
                                     ec_error *err),
                        void *view, ec_error *err)
{
	ec_outbox_entry *rows = NULL;
	int n = 0, rc = cache_outbox_list(s->cache, target, true, &rows, &n, err);
	for (int i = 0; rc == EC_OK && i < n; i++) {
		json_object *changes;
		if (rows[i].state == OUTBOX_CONFLICT) {
			rc =
			    ec_fail(err, EC_USAGE,
			            "%s has an unresolved conflict (outbox entry %lld); resolve it "
			            "first: emailcfg outbox resolve %lld --mine|--theirs",
			            name, rows[i].id, rows[i].id);
			break;
		}
		if (rows[i].state != OUTBOX_QUEUED)
			continue;
		changes = json_tokener_parse(rows[i].changes);
		rc = apply(s, changes, view, err);
		json_object_put(changes);
	}
	cache_free_outbox(rows, n);
	return rc;
}

static int apply_mailbox(ec_session *s, json_object *changes, void *view, ec_error *err)
{
	return keys_mailbox_apply_changes(view, changes, resolve_profile, s, err);
}

static int apply_settings(ec_session *s, json_object *changes, void *view, ec_error *err)
{
	return keys_settings_apply_changes(view, changes, resolve_profile, s, err);
}

/* The mailbox as the admin sees it: the cached row with its queued edits
 * applied, and what the organization does to it when a queued address goes
 * out: an approval is of an address, so a new address (not a change of
 * letter case) is pending approval again. */
static int pending_view(ec_session *s, const ec_mailbox *row, ec_mailbox *seen, ec_error *err)
{
	int rc;
	mailbox_copy(seen, row);
	rc = pending_walk(s, row->id, row->name ? row->name : row->id, apply_mailbox, seen, err);
	if (rc == EC_OK && seen->email && (!row->email || strcasecmp(seen->email, row->email) != 0))
		seen->approval = APPROVAL_PENDING;
	return rc;
}

/* Adds changes (and, for keys it lacks, their base) to the entry's JSON. A
 * key set back to its base value leaves the entry: the edit no longer
 * changes it, and pushing it would be a conflict (or an overwrite) with a
 * later change of the organization. */
static void merge_json(const ec_outbox_entry *e, json_object *changes, json_object *base,
                       json_object **merged, json_object **merged_base)
{
	*merged = json_tokener_parse(e->changes);
	*merged_base = json_tokener_parse(e->base ? e->base : "{}");
	json_object_object_foreach(changes, k, v)
	{
		json_object *was;
		if (!json_object_object_get_ex(*merged_base, k, &was)) {
			was = json_object_object_get(base, k);
			json_object_object_add(*merged_base, k, json_object_get(was));
		}
		if (json_object_equal(v, was)) {
			json_object_object_del(*merged, k);
			json_object_object_del(*merged_base, k);
		} else {
			json_object_object_add(*merged, k, json_object_get(v));
		}
	}
	/* Keys base holds without a change (the address an approval is of) */
	json_object_object_foreach(base, bk, bv)
	{
		if (!json_object_object_get_ex(changes, bk, NULL) &&
		    !json_object_object_get_ex(*merged_base, bk, NULL))
			json_object_object_add(*merged_base, bk, json_object_get(bv));
	}
}

/* An approval and an address change go out in entries of their own, in the
 * order they were made: in one PATCH the organization's reset of the
 * approval on a new address could undo the approval. */
static bool approval_and_readdress(const ec_outbox_entry *open, json_object *changes)
{
	json_object *queued = json_tokener_parse(open->changes);
	bool apart = (json_object_object_get_ex(changes, "approval", NULL) &&
	              json_object_object_get_ex(queued, "email", NULL)) ||
	             (json_object_object_get_ex(changes, "email", NULL) &&
	              json_object_object_get_ex(queued, "approval", NULL));
	json_object_put(queued);
	return apart;
}

/* Merges into the newest queued entry of the target that nobody is pushing
 * (one pending edit per row keeps the etag chain short). An entry being
 * pushed is left alone: its changes are on their way, and the edit becomes
 * a new entry that goes out after it. So is an entry queued again after a
 * push (it keeps why): its PATCH may have arrived (an answer cut off), so
 * the organization may hold its changes rather than its base, and a key
 * set back to the base would be merged away while the organization keeps
 * the pushed value. An entry the edit leaves with no change is dropped
 * (*entry_id 0). CACHE_CLAIMED: no such entry. */
static int merge_entry(ec_session *s, const char *target, json_object *changes, json_object *base,
                       long long *entry_id, ec_error *err)
{
	ec_outbox_entry *rows = NULL;
	int n = 0, rc = cache_outbox_list(s->cache, target, true, &rows, &n, err);
	const ec_outbox_entry *open = NULL;
	for (int i = 0; rc == EC_OK && i < n; i++)
		if (rows[i].state == OUTBOX_QUEUED)
			open = rows[i].claim[0] || rows[i].error ? NULL : &rows[i];
	if (open && approval_and_readdress(open, changes))
		open = NULL;
	if (rc == EC_OK && !open)
		rc = CACHE_CLAIMED;
	if (rc == EC_OK) {
		json_object *merged, *merged_base;
		bool empty;
		merge_json(open, changes, base, &merged, &merged_base);
		empty = json_object_object_length(merged) == 0;
		rc = cache_outbox_merge(
		    s->cache, open->id, open->changes,
		    empty ? NULL : json_object_to_json_string_ext(merged, JSON_C_TO_STRING_PLAIN),
		    json_object_to_json_string_ext(merged_base, JSON_C_TO_STRING_PLAIN), NULL);
		*entry_id = empty ? 0 : open->id;
		json_object_put(merged);
		json_object_put(merged_base);
	}
	cache_free_outbox(rows, n);
	return rc;
}

/* Queues an edit: merged into an unclaimed queued entry of the target, or
 * a new entry. base holds, per key, the value the admin saw (the row with
 * the earlier queued edits applied): what the organization should still
 * have when this entry goes out. */
static int queue_entry(ec_session *s, const char *entity, const char *target, long long version,
                       json_object *changes, json_object *base, long long *entry_id, ec_error *err)
{
	ec_outbox_entry e;
	int rc = merge_entry(s, target, changes, base, entry_id, err);
	if (rc != CACHE_CLAIMED)
		return rc;
	outbox_entry_init(&e);
	snprintf(e.entity, sizeof e.entity, "%s", entity);
	snprintf(e.target_id, sizeof e.target_id, "%s", target);
	e.changes = (char *)json_object_to_json_string_ext(changes, JSON_C_TO_STRING_PLAIN);
	e.base = (char *)json_object_to_json_string_ext(base, JSON_C_TO_STRING_PLAIN);
	e.base_version = version;
	e.state = OUTBOX_QUEUED;
	rc = cache_outbox_add(s->cache, &e, err);
	*entry_id = e.id;
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
	snprintf(after->profile_id, sizeof after->profile_id, "%s", st->default_profile_id);
	free(after->profile_name);
	after->profile_name = ec_strdup(st->default_profile_name);
	keys[0] = "server-profile";
	keys[1] = "incoming";
	keys[2] = "outgoing";
	*nkeys = 3;
	if (rules_act_applies(before)) { /* a queue's ACT stays as it is */
		after->act = st->default_act;
		keys[(*nkeys)++] = "act";
	}
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
		diff_mailbox(&seen, &after, keys, nkeys, p->changes, p->base);
		if (json_object_object_get_ex(p->changes, "approval", NULL) &&
		    !json_object_object_get_ex(p->changes, "email", NULL))
			json_object_object_add(p->base, "email",
			                       keys_mailbox_get_json(&seen, "email"));
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

static int push_one(ec_session *s, long long id, ec_error *err);

/* Pushes the entry of a result and records how it went. An entry another
 * pusher has (or that waits for an older edit of its row) stays queued,
 * with why: that pusher or the next sync sends it. */
static int push_result(ec_session *s, ec_edit_result *res, ec_error *err)
{
	ec_outbox_entry e;
	int rc = push_one(s, res->entry, err);
	outbox_entry_init(&e);
	res->status = rc == OUTBOX_BUSY ? EC_OK : rc;
	res->message = rc != EC_OK ? ec_strdup(err->msg) : NULL;
	/* As the outbox has it now (a row that kept changing stays queued). */
	res->state = rc == EC_OK ? OUTBOX_SENT : OUTBOX_QUEUED;
	if (rc != EC_OK && cache_outbox_get(s->cache, res->entry, &e, NULL) == EC_OK)
		res->state = e.state;
	outbox_entry_free(&e);
	return res->status;
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
	/* Plan and queue under one write lock: the row and its queued entries
	 * are read as one state, and nobody claims or settles before the edit
	 * is queued against it (read apart, a push settling in between made
	 * the admin's value look "already so"). */
	if (rc == EC_OK)
		rc = cache_transaction_begin(s->cache, err);
	for (int i = 0; rc == EC_OK && i < n; i++)
		rc = plan_one(s, ids[i], fn, ctx, &plans[i], err);
	for (int i = 0; rc == EC_OK && i < n; i++) {
		snprintf(res[i].id, sizeof res[i].id, "%s", plans[i].id);
		res[i].name = ec_strdup(plans[i].name);
		res[i].state = OUTBOX_SENT;
		if (json_object_object_length(plans[i].changes) == 0)
			continue; /* nothing to change: already so */
		rc = queue_entry(s, "mailbox", plans[i].id, plans[i].version, plans[i].changes,
		                 plans[i].base, &res[i].entry, err);
		/* an entry the edit emptied is gone: nothing pending */
		res[i].state = res[i].entry ? OUTBOX_QUEUED : OUTBOX_SENT;
	}
	if (rc == EC_OK)
		rc = cache_transaction_commit(s->cache, err);
	else if (s->cache)
		cache_transaction_rollback(s->cache, NULL);
	for (int i = 0; rc == EC_OK && i < n && !s->cfg->offline && !s->queue_only; i++) {
		ec_error e = {0};
		int prc;
		if (!res[i].entry)
			continue;
		prc = push_result(s, &res[i], &e);
		if (worse(worst, prc) != worst)
			*err = e;
		worst = worse(worst, prc);
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

/* The settings as the admin sees them: the cached row with queued edits
 * applied; an unresolved conflict refuses, as for a mailbox. */
static int settings_seen(ec_session *s, ec_settings *seen, ec_error *err)
{
	ec_settings row;
	int rc = cache_get_settings(s->cache, &row, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_LOCAL,
		               "the organization's settings are not in the cache yet; "
		               "run emailcfg sync");
	if (rc != EC_OK)
		return rc;
	settings_copy(seen, &row);
	settings_free(&row);
	rc = pending_walk(s, seen->id, "the organization's settings", apply_settings, seen, err);
	if (rc != EC_OK)
		settings_free(seen);
	return rc;
}

/* The organization's defaults under the rules (core/model/rules.c). */
static int check_settings_rules(const ec_settings *seen, const ec_settings *after, ec_error *err)
{
	const ec_rule *r = rules_settings_refusal(seen, after);
	return r ? ec_fail(err, EC_USAGE, "%s Fix: %s [%s]", rule_message(r), rule_fix(r), r->id)
	         : EC_OK;
}

/* KEY=VALUE assignments applied to after; changes and base (the value
 * seen) per key. */
static int settings_assign(ec_session *s, char *const *assignments, int nassign,
                           const ec_settings *seen, ec_settings *after, json_object *changes,
                           json_object *base, ec_error *err)
{
	for (int i = 0; i < nassign; i++) {
		char key[64];
		const char *eq = strchr(assignments[i], '=');
		int rc;
		if (!eq || eq == assignments[i] || (size_t)(eq - assignments[i]) >= sizeof key)
			return ec_fail(err, EC_USAGE, "'%s' is not KEY=VALUE", assignments[i]);
		snprintf(key, sizeof key, "%.*s", (int)(eq - assignments[i]), assignments[i]);
		rc = keys_settings_apply(after, key, eq + 1, resolve_profile, s, err);
		if (rc != EC_OK)
			return rc;
		json_object_object_add(changes, key, keys_settings_get_json(after, key));
		json_object_object_add(base, key, keys_settings_get_json(seen, key));
	}
	/* A key whose value does not change is no edit (queued, it would be
	 * pushed against a later change of the organization). */
	json_object_object_foreach(changes, k, v)
	{
		if (json_object_equal(v, json_object_object_get(base, k))) {
			/* k is the key of changes' entry: gone once that is deleted */
			json_object_object_del(base, k);
			json_object_object_del(changes, k);
		}
	}
	return EC_OK;
}

int edit_settings(ec_session *s, char *const *assignments, int nassign, ec_edit_result *result,
                  ec_error *err)
{
	ec_settings seen, after;
	json_object *changes, *base;
	int rc = session_may_change(s, "change the settings", err);
	memset(result, 0, sizeof *result);
	if (rc != EC_OK)
		return rc;
	if (nassign == 0)
		return ec_fail(err, EC_USAGE,
		               "nothing to change; give KEY=VALUE (see emailcfg "
		               "settings --json for the keys)");
	/* Read, check and queue under the write lock: no other process
	 * queues or claims in between. */
	if ((rc = cache_transaction_begin(s->cache, err)) != EC_OK)
		return rc;
	if ((rc = settings_seen(s, &seen, err)) != EC_OK) {
		cache_transaction_rollback(s->cache, NULL);
		return rc;
	}
	settings_copy(&after, &seen);
	changes = json_object_new_object();
	base = json_object_new_object();
	rc = settings_assign(s, assignments, nassign, &seen, &after, changes, base, err);
	if (rc == EC_OK)
		rc = check_settings_rules(&seen, &after, err);
	if (rc == EC_OK && json_object_object_length(changes) > 0)
		rc = queue_entry(s, "organization", seen.id, seen.version, changes, base,
		                 &result->entry, err);
	if (rc == EC_OK)
		rc = cache_transaction_commit(s->cache, err);
	else
		cache_transaction_rollback(s->cache, NULL);
	snprintf(result->id, sizeof result->id, "%s", seen.id);
	/* no entry: nothing changes (or the edit undid the queued one) */
	result->state = result->entry ? OUTBOX_QUEUED : OUTBOX_SENT;
	if (rc == EC_OK && result->entry && !s->cfg->offline && !s->queue_only) {
		rc = push_result(s, result, err);
		free(result->message); /* one result: err says why */
		result->message = NULL;
	}
	json_object_put(changes);
	json_object_put(base);
	settings_free(&seen);
	settings_free(&after);
	return rc;
}

/* ---- Server profiles --------------------------------------------------- */

static int apply_profile(ec_session *s, json_object *changes, void *view, ec_error *err)
{
	(void)s;
	return keys_profile_apply_changes(view, changes, err);
}

/* The profile as the admin sees it: the cached row with queued edits
 * applied; an unresolved conflict refuses, as for a mailbox. */
static int profile_seen(ec_session *s, const char *id, ec_profile *seen, ec_error *err)
{
	ec_profile row;
	int rc = cache_get_profile(s->cache, id, &row, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_USAGE,
		               "no server profile with id '%.64s' in the cache; run emailcfg "
		               "sync, or see emailcfg profiles",
		               id);
	if (rc != EC_OK)
		return rc;
	profile_copy(seen, &row);
	profile_free(&row);
	rc =
	    pending_walk(s, seen->id, seen->name ? seen->name : seen->id, apply_profile, seen, err);
	if (rc != EC_OK)
		profile_free(seen);
	return rc;
}

/* KEY=VALUE assignments applied to after, then the profile rules; changes
 * and base (the value seen) per key. */
static int profile_assign(char *const *assignments, int nassign, const ec_profile *seen,
                          ec_profile *after, json_object *changes, json_object *base, ec_error *err)
{
	const profile_rule *r;
	for (int i = 0; i < nassign; i++) {
		char key[64];
		const char *eq = strchr(assignments[i], '=');
		int rc;
		if (!eq || eq == assignments[i] || (size_t)(eq - assignments[i]) >= sizeof key)
			return ec_fail(err, EC_USAGE, "'%s' is not KEY=VALUE", assignments[i]);
		snprintf(key, sizeof key, "%.*s", (int)(eq - assignments[i]), assignments[i]);
		if ((rc = keys_profile_apply(after, key, eq + 1, err)) != EC_OK)
			return rc;
		json_object_object_add(changes, key, keys_profile_get_json(after, key));
		json_object_object_add(base, key, keys_profile_get_json(seen, key));
	}
	if ((r = profile_rules_refusal(seen, after)))
		return ec_fail(err, EC_USAGE, "%s: %s %s", seen->name ? seen->name : seen->id,
		               profile_rule_message(r), profile_rule_fix(r));
	/* A key whose value does not change is no edit. */
	json_object_object_foreach(changes, k, v)
	{
		if (json_object_equal(v, json_object_object_get(base, k))) {
			json_object_object_del(base, k);
			json_object_object_del(changes, k);
		}
	}
	return EC_OK;
}

int edit_profile(ec_session *s, const char *id, char *const *assignments, int nassign,
                 ec_edit_result *result, ec_error *err)
{
	ec_profile seen, after;
	json_object *changes, *base;
	int rc = session_may_change(s, "change a server profile", err);
	memset(result, 0, sizeof *result);
	if (rc != EC_OK)
		return rc;
	if (nassign == 0)
		return ec_fail(err, EC_USAGE,
		               "nothing to change; give KEY=VALUE (see emailcfg profile set "
		               "--help for the keys)");
	/* Read, check and queue under the write lock, as for the settings. */
	if ((rc = cache_transaction_begin(s->cache, err)) != EC_OK)
		return rc;
	if ((rc = profile_seen(s, id, &seen, err)) != EC_OK) {
		cache_transaction_rollback(s->cache, NULL);
		return rc;
	}
	profile_copy(&after, &seen);
	changes = json_object_new_object();
	base = json_object_new_object();
	rc = profile_assign(assignments, nassign, &seen, &after, changes, base, err);
	if (rc == EC_OK && json_object_object_length(changes) > 0)
		rc = queue_entry(s, "profile", seen.id, seen.version, changes, base, &result->entry,
		                 err);
	if (rc == EC_OK)
		rc = cache_transaction_commit(s->cache, err);
	else
		cache_transaction_rollback(s->cache, NULL);
	snprintf(result->id, sizeof result->id, "%s", seen.id);
	result->name = ec_strdup(seen.name);
	result->state = result->entry ? OUTBOX_QUEUED : OUTBOX_SENT;
	if (rc == EC_OK && result->entry && !s->cfg->offline && !s->queue_only) {
		rc = push_result(s, result, err);
		free(result->message); /* one result: err says why */
		result->message = NULL;
	}
	json_object_put(changes);
	json_object_put(base);
	profile_free(&seen);
	profile_free(&after);
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
	/* store a row from the organization; *values gets the changed keys'
	 * values and *version its etag (on failure: nothing stored, *values
	 * NULL) */
	int (*store_row)(ec_session *s, json_object *row, json_object *changes,
	                 json_object **values, long long *version, ec_error *err);
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
                         json_object **values, long long *version, ec_error *err)
{
	ec_mailbox m;
	int rc = codec_mailbox_from_json(row, &m, err);
	if (rc == EC_OK)
		rc = cache_put_mailboxes(s->cache, &m, 1, err);
	*values = NULL;
	*version = m.version;
	if (rc == EC_OK)
		*values = json_object_new_object();
	json_object_object_foreach(changes, k, v)
	{
		(void)v;
		if (*values)
			json_object_object_add(*values, k, keys_mailbox_get_json(&m, k));
	}
	/* The address an approval is of (approval_readdressed()) */
	if (*values && json_object_object_get_ex(changes, "approval", NULL))
		json_object_object_add(*values, "email", keys_mailbox_get_json(&m, "email"));
	mailbox_free(&m);
	return rc;
}

static int settings_store(ec_session *s, json_object *row, json_object *changes,
                          json_object **values, long long *version, ec_error *err)
{
	ec_settings st;
	int rc = codec_settings_from_json(row, &st, err);
	if (rc == EC_OK)
		rc = cache_put_settings(s->cache, &st, err);
	*values = NULL;
	*version = st.version;
	if (rc == EC_OK)
		*values = json_object_new_object();
	json_object_object_foreach(changes, k, v)
	{
		(void)v;
		if (*values)
			json_object_object_add(*values, k, keys_settings_get_json(&st, k));
	}
	settings_free(&st);
	return rc;
}

static int profile_patch_body(ec_session *s, const ec_outbox_entry *e, json_object *changes,
                              json_object **body, ec_error *err)
{
	ec_profile p;
	int rc = cache_get_profile(s->cache, e->target_id, &p, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_FAILED,
		               "server profile %s is no longer in the cache; drop the edit "
		               "with emailcfg outbox drop %lld",
		               e->target_id, e->id);
	if (rc == EC_OK)
		rc = keys_profile_apply_changes(&p, changes, err);
	if (rc == EC_OK)
		*body = keys_profile_patch(&p, changes);
	profile_free(&p);
	return rc;
}

static int profile_store(ec_session *s, json_object *row, json_object *changes,
                         json_object **values, long long *version, ec_error *err)
{
	ec_profile p;
	int rc = codec_profile_from_json(row, &p, err);
	if (rc == EC_OK)
		rc = cache_put_profiles(s->cache, &p, 1, err);
	*values = NULL;
	*version = p.version;
	if (rc == EC_OK)
		*values = json_object_new_object();
	json_object_object_foreach(changes, k, v)
	{
		(void)v;
		if (*values)
			json_object_object_add(*values, k, keys_profile_get_json(&p, k));
	}
	profile_free(&p);
	return rc;
}

static const entity_ops mailbox_ops = {"mailbox", "mailboxes", codec_mailbox_select,
                                       mailbox_patch_body, mailbox_store};
static const entity_ops settings_ops = {"organization", "organizations", codec_settings_select,
                                        settings_patch_body, settings_store};
static const entity_ops profile_ops = {"profile", "emailserverprofiles", codec_profile_select,
                                       profile_patch_body, profile_store};

static const entity_ops *ops_for(const ec_outbox_entry *e)
{
	if (strcmp(e->entity, "profile") == 0)
		return &profile_ops;
	return strcmp(e->entity, "organization") == 0 ? &settings_ops : &mailbox_ops;
}

/* ---- Claims ------------------------------------------------------------ */

/* A claim lasts at least this long unless renewed (outbox_claim_seconds());
 * a push renews it before every request, so only a pusher that stopped
 * (killed, hung) loses it. */
#define CLAIM_SECONDS 600
/* PATCH, 412, re-read: how many times before the entry waits for the
 * next sync (the row keeps changing under us). */
#define PUSH_ROUNDS 3

/* A token unique to one claim: host and pid say who holds it (so a claim
 * of a dead process on this host is taken over at once), the nonce tells
 * two claims of one process (the console's threads) apart. */
static void claim_token(char token[EC_CLAIM_SIZE])
{
	static atomic_uint counter;
	char host[64] = "";
	unsigned long long nonce = 0;
	if (getrandom(&nonce, sizeof nonce, GRND_NONBLOCK) != (ssize_t)sizeof nonce)
		nonce = (unsigned long long)time(NULL) << 20;
	gethostname(host, sizeof host - 1);
	snprintf(token, EC_CLAIM_SIZE, "%.63s %ld %llx.%u", host[0] ? host : "-", (long)getpid(),
	         nonce, atomic_fetch_add(&counter, 1));
}

/* Is the claim a process on this host that no longer runs? */
static bool claim_is_dead(const char *claim)
{
	char host[64], mine[64] = "";
	long pid;
	if (sscanf(claim, "%63s %ld", host, &pid) != 2 || pid <= 0)
		return false;
	gethostname(mine, sizeof mine - 1);
	return strcmp(host, mine[0] ? mine : "-") == 0 && kill((pid_t)pid, 0) != 0 &&
	       errno == ESRCH;
}

long outbox_claim_seconds(void)
{
	/* One request may wait max_total_ms (attempts and Retry-After waits
	 * included), and a token request can come before it: twice that and a
	 * margin, never less than CLAIM_SECONDS. */
	ec_http_opts o;
	long wait_s;
	http_opts_default(&o);
	if (http_opts_from_env(&o, NULL) != EC_OK)
		http_opts_default(&o); /* the request itself refuses the bad value */
	wait_s = o.max_total_ms / 1000;
	return 2 * wait_s + 60 > CLAIM_SECONDS ? 2 * wait_s + 60 : CLAIM_SECONDS;
}

bool outbox_is_sending(const ec_outbox_entry *e)
{
	return e->claim[0] && e->claim_expires > (long long)time(NULL) && !claim_is_dead(e->claim);
}

/* OUTBOX_BUSY, with why in err (status EC_OK: nothing went wrong). */
static int not_ours(ec_error *err, long long id, const char *why)
{
	ec_fail(err, EC_OK, "outbox entry %lld %s", id, why);
	return OUTBOX_BUSY;
}

/* Claims e (as just read) for this push; OUTBOX_BUSY when another pusher
 * has it or an older edit of its row goes first. */
static int claim_entry(ec_session *s, ec_outbox_entry *e, ec_error *err)
{
	char token[EC_CLAIM_SIZE];
	int rc = CACHE_CLAIMED;
	claim_token(token);
	/* The claim holds only while the entry is as read; an edit merged in
	 * since is read again and goes out with it (a few tries: each retry
	 * follows another process's merge). */
	for (int tries = 0; rc == CACHE_CLAIMED && tries < 4; tries++) {
		long long now = (long long)time(NULL);
		const char *stale = e->claim[0] && claim_is_dead(e->claim) ? e->claim : NULL;
		ec_outbox_entry again;
		bool merged;
		rc = cache_outbox_claim_as_read(s->cache, e->id, token, now,
		                                now + outbox_claim_seconds(), stale, e->changes,
		                                err);
		if (rc != CACHE_CLAIMED || cache_outbox_get(s->cache, e->id, &again, NULL) != EC_OK)
			break;
		merged = again.state == OUTBOX_QUEUED && !again.claim[0] &&
		         strcmp(again.changes ? again.changes : "", e->changes ? e->changes : "");
		outbox_entry_free(e);
		*e = again;
		if (!merged)
			break;
	}
	if (rc == CACHE_CLAIMED)
		return not_ours(err, e->id,
		                "is being pushed by another emailcfg, or waits for an older edit "
		                "of the same row; it stays queued and goes with that push or the "
		                "next sync");
	if (rc == EC_OK)
		snprintf(e->claim, sizeof e->claim, "%s", token);
	return rc;
}

/* ---- Pushing a claimed entry -------------------------------------------- */

typedef struct push {
	ec_session *s;
	ec_outbox_entry *e; /* e->claim is this push's token */
	const entity_ops *ops;
	json_object *changes, *base;
	bool settled; /* the entry's state is written: sent, conflict, queued again */
	size_t nkeys; /* the entry's keys when claimed */
	/* The conflicting keys (changed on both sides to different values),
	 * taken out of changes: mine, their base and the organization's
	 * values; NULL while there is none. version: the etag of the row they
	 * were compared with. */
	json_object *clash_mine, *clash_base, *clash_theirs;
	long long clash_version;
	char *readdressed; /* the address an approval of another one met (approval_readdressed()) */
} push;

static const char *json_text(json_object *o)
{
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "null";
}

/* Key k of the edit is a conflict with the organization's value theirs. */
static void clash_add(push *p, const char *k, json_object *theirs, long long version)
{
	if (!p->clash_mine) {
		p->clash_mine = json_object_new_object();
		p->clash_base = json_object_new_object();
		p->clash_theirs = json_object_new_object();
	}
	json_object_object_add(p->clash_mine, k,
	                       json_object_get(json_object_object_get(p->changes, k)));
	json_object_object_add(p->clash_base, k,
	                       json_object_get(json_object_object_get(p->base, k)));
	json_object_object_add(p->clash_theirs, k, json_object_get(theirs));
	p->clash_version = version;
}

/* An approval is of the address the admin saw (base's email): after a
 * 412, an address changed meanwhile (not only its letter case) makes the
 * approval a conflict, which --mine resolves by approving the new address
 * knowingly, never an approval of an address nobody looked at. */
static bool approval_readdressed(push *p, json_object *values)
{
	json_object *was, *now = json_object_object_get(values, "email");
	const char *a, *b;
	if (!json_object_object_get_ex(p->changes, "approval", NULL) ||
	    json_object_object_get_ex(p->changes, "email", NULL) ||
	    !json_object_object_get_ex(p->base, "email", &was))
		return false;
	a = now ? json_object_get_string(now) : "";
	b = was ? json_object_get_string(was) : "";
	if (strcasecmp(a, b) == 0)
		return false;
	free(p->readdressed);
	p->readdressed = ec_strdup(a);
	return true;
}

/* The conflict, as the admin is told: the first key, and whether the
 * entry's other fields were saved. */
static int clash_message(push *p, ec_error *err)
{
	if (p->readdressed && json_object_object_get_ex(p->clash_mine, "approval", NULL))
		return ec_fail(
		    err, EC_CONFLICT,
		    "%s %s: its address changed on the organization to %s since the "
		    "approval was queued (for %s); the approval is kept as conflict %lld: "
		    "emailcfg outbox resolve %lld --mine approves the new address, --theirs "
		    "drops it",
		    p->ops->name, p->e->target_id, p->readdressed,
		    json_object_get_string(json_object_object_get(p->base, "email")), p->e->id,
		    p->e->id);
	json_object_object_foreach(p->clash_mine, key, mine)
	{
		size_t n = (size_t)json_object_object_length(p->clash_mine);
		return ec_fail(
		    err, EC_CONFLICT,
		    "%s %s: %s was changed on the organization to %s (yours: %s, before: "
		    "%s); %s kept as conflict %lld: see emailcfg outbox, then emailcfg "
		    "outbox resolve %lld --mine|--theirs",
		    p->ops->name, p->e->target_id, key,
		    json_text(json_object_object_get(p->clash_theirs, key)), json_text(mine),
		    json_text(json_object_object_get(p->clash_base, key)),
		    n < p->nkeys ? "the other fields were saved, this one is" : "the edit is",
		    p->e->id, p->e->id);
	}
	return EC_CONFLICT;
}

/* Stores the organization's row (when given) and settles the entry, in one
 * transaction; CACHE_CLAIMED, with nothing stored, when the claim is gone.
 * A conflict keeps only the conflicting keys (clash_add()). */
static int settle(push *p, json_object *row, enum ec_outbox_state state, const char *why,
                  ec_error *err)
{
	json_object *values = NULL;
	long long version = p->clash_version;
	int rc = cache_transaction_begin(p->s->cache, err);
	if (rc == EC_OK && row)
		rc = p->ops->store_row(p->s, row, p->changes, &values, &version, err);
	if (rc == EC_OK && state == OUTBOX_CONFLICT)
		rc = cache_outbox_settle_conflict(
		    p->s->cache, p->e->id, p->e->claim, json_text(p->clash_mine),
		    json_text(p->clash_base), json_text(p->clash_theirs), version, err);
	else if (rc == EC_OK)
		rc = cache_outbox_settle(p->s->cache, p->e->id, p->e->claim, state, NULL, why, err);
	if (rc == EC_OK)
		rc = cache_transaction_commit(p->s->cache, err);
	else
		cache_transaction_rollback(p->s->cache, NULL);
	p->settled = rc == EC_OK;
	json_object_put(values);
	return rc;
}

/* The organization accepted the PATCH; the row it answered with is stored.
 * A key it saved with another value than mine is a conflict (with any
 * found after an earlier 412). A row that cannot be read still means the
 * edit arrived. */
static int push_accepted(push *p, json_object *row, ec_error *err)
{
	json_object *values = NULL;
	long long version = p->clash_version;
	int rc = EC_OK;
	if (row)
		rc = cache_transaction_begin(p->s->cache, err);
	if (row && rc == EC_OK &&
	    p->ops->store_row(p->s, row, p->changes, &values, &version, NULL) == EC_OK) {
		json_object_object_foreach(p->changes, k, mine)
		{
			json_object *now = json_object_object_get(values, k);
			if (!json_object_equal(now, mine))
				clash_add(p, k, now, version);
		}
		if (p->clash_mine)
			p->clash_version = version;
	}
	if (rc == EC_OK)
		rc = settle(p, NULL, p->clash_mine ? OUTBOX_CONFLICT : OUTBOX_SENT, NULL, err);
	if (row && rc == EC_OK)
		rc = cache_transaction_commit(p->s->cache, err);
	else if (row)
		cache_transaction_rollback(p->s->cache, NULL);
	p->settled = rc == EC_OK;
	json_object_put(values);
	return rc == EC_OK && p->clash_mine ? clash_message(p, err) : rc;
}

/* The claim kept for another outbox_claim_seconds() (before each request, so only
 * a pusher that stopped loses it), with the etag the next PATCH carries. */
static int renew(push *p, long long version, ec_error *err)
{
	return cache_outbox_renew(p->s->cache, p->e->id, p->e->claim,
	                          (long long)time(NULL) + outbox_claim_seconds(), version, err);
}

/* The entry goes out again against the row just read: stored, and its
 * etag becomes the entry's base_version. */
static int push_rebase(push *p, json_object *row, ec_error *err)
{
	json_object *values = NULL;
	long long version = 0;
	int rc = cache_transaction_begin(p->s->cache, err);
	if (rc == EC_OK)
		rc = p->ops->store_row(p->s, row, p->changes, &values, &version, err);
	if (rc == EC_OK)
		rc = renew(p, version, err);
	if (rc == EC_OK)
		rc = cache_transaction_commit(p->s->cache, err);
	else
		cache_transaction_rollback(p->s->cache, NULL);
	if (rc == EC_OK)
		p->e->base_version = version;
	json_object_put(values);
	return rc;
}

/* After a 412: read the row again and compare field by field with base
 * and mine: the organization's value equal to mine is settled; equal to
 * base (they did not touch it) is still ours to push; anything else is a
 * conflict of that key alone (clash_add()). *again: the keys still ours go
 * out with the new etag; the conflict is kept once they are saved. */
static int push_reread(push *p, bool *again, ec_error *err)
{
	json_object *row = NULL, *values = NULL;
	bool readdressed;
	long long version;
	ec_error why = {0};
	int npush = 0, rc = renew(p, p->e->base_version, err);
	*again = false;
	if (rc == EC_OK)
		rc = dv_get(p->s->dv, p->ops->set, p->e->target_id, p->ops->select, &row, err);
	if (rc == EC_OK &&
	    p->ops->store_row(p->s, row, p->changes, &values, &version, &why) != EC_OK)
		rc = ec_fail(err, EC_FAILED,
		             "%s %s changed on the organization, and its row cannot be read (%s); "
		             "the edit of outbox entry %lld is kept as failed: emailcfg outbox "
		             "retry %lld once the row reads again",
		             p->ops->name, p->e->target_id, why.msg, p->e->id, p->e->id);
	if (rc != EC_OK) {
		json_object_put(row);
		return rc;
	}
	readdressed = approval_readdressed(p, values);
	json_object_object_foreach(p->changes, k, mine)
	{
		json_object *now = json_object_object_get(values, k), *was;
		if (json_object_equal(now, mine))
			continue;
		if (readdressed && strcmp(k, "approval") == 0)
			clash_add(p, k, now, version);
		else if (!json_object_object_get_ex(p->base, k, &was) ||
		         !json_object_equal(now, was))
			clash_add(p, k, now, version);
		else
			npush++;
	}
	if (p->clash_mine) {
		json_object_object_foreach(p->clash_mine, ck, cv)
		{
			(void)cv;
			json_object_object_del(p->changes, ck);
		}
	}
	if (npush == 0) /* the rest there already: ours whose answer was lost, or theirs */
		rc = settle(p, row, p->clash_mine ? OUTBOX_CONFLICT : OUTBOX_SENT, NULL, err);
	else if ((rc = push_rebase(p, row, err)) == EC_OK)
		*again = true;
	if (rc == EC_OK && p->clash_mine && !*again)
		rc = clash_message(p, err);
	json_object_put(row);
	json_object_put(values);
	return rc;
}

/* PATCH with If-Match, and after a 412 the field-by-field comparison, at
 * most PUSH_ROUNDS times. */
static int push_rounds(push *p, ec_error *err)
{
	for (int round = 1;; round++) {
		json_object *body = NULL, *row = NULL;
		bool again = false;
		int rc = p->ops->patch_body(p->s, p->e, p->changes, &body, err);
		if (rc == EC_OK)
			rc = dv_patch(p->s->dv, p->ops->set, p->e->target_id, body,
			              p->e->base_version, p->ops->select, &row, err);
		json_object_put(body);
		if (rc == EC_OK)
			rc = push_accepted(p, row, err);
		else if (rc == EC_CONFLICT)
			rc = push_reread(p, &again, err);
		json_object_put(row);
		if (!again)
			return rc;
		if (round == PUSH_ROUNDS) {
			ec_fail(err, EC_FAILED,
			        "%s %s kept changing on the organization while outbox entry %lld "
			        "was pushed (%d tries); it stays queued for the next sync",
			        p->ops->name, p->e->target_id, p->e->id, PUSH_ROUNDS);
			rc = cache_outbox_settle(p->s->cache, p->e->id, p->e->claim, OUTBOX_QUEUED,
			                         NULL, err->msg, NULL);
			p->settled = rc == EC_OK;
			return rc == EC_OK ? EC_FAILED : rc;
		}
	}
}

/* Where a push that did not settle leaves its claimed entry: queued again,
 * with why, when the organization could not be reached (or the cache
 * failed); failed, with why, after a refusal or a row that is gone. A lost
 * claim is someone else's entry now: OUTBOX_BUSY. */
static int push_finish(push *p, int rc, ec_error *err)
{
	ec_error why = *err, e2 = {0};
	bool requeue = rc == EC_NETWORK || rc == EC_LOCAL;
	int stored;
	if (rc == CACHE_CLAIMED)
		return OUTBOX_BUSY;
	if (p->settled)
		return rc;
	stored = cache_outbox_settle(p->s->cache, p->e->id, p->e->claim,
	                             requeue ? OUTBOX_QUEUED : OUTBOX_FAILED, NULL, why.msg, &e2);
	if (stored == CACHE_CLAIMED)
		return OUTBOX_BUSY;
	if (stored != EC_OK) {
		*err = e2;
		return stored;
	}
	*err = why;
	if (requeue)
		return rc;
	err->status = EC_FAILED;
	return EC_FAILED;
}

static int push_claimed(ec_session *s, ec_outbox_entry *e, ec_error *err)
{
	push p = {s,
	          e,
	          ops_for(e),
	          json_tokener_parse(e->changes),
	          json_tokener_parse(e->base ? e->base : "{}"),
	          false,
	          0,
	          NULL,
	          NULL,
	          NULL,
	          0};
	int rc = p.changes ? EC_OK
	                   : ec_fail(err, EC_FAILED,
	                             "outbox entry %lld is damaged; drop it with emailcfg outbox "
	                             "drop %lld and make the edit again",
	                             e->id, e->id);
	if (rc == EC_OK) {
		/* An entry queued by an older emailcfg names profiles; compare ids */
		keys_profiles_to_ids(p.base, resolve_profile, s);
		p.nkeys = (size_t)json_object_object_length(p.changes);
		rc = push_rounds(&p, err);
	}
	rc = push_finish(&p, rc, err);
	json_object_put(p.changes);
	json_object_put(p.base);
	json_object_put(p.clash_mine);
	json_object_put(p.clash_base);
	json_object_put(p.clash_theirs);
	free(p.readdressed);
	return rc;
}

static int find_entry(ec_session *s, long long id, ec_outbox_entry *e, ec_error *err)
{
	int rc = cache_outbox_get(s->cache, id, e, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_USAGE, "no outbox entry %lld; see emailcfg outbox", id);
	return rc;
}

/* Claims and pushes one entry; OUTBOX_BUSY when it is not ours to push. */
static int push_one(ec_session *s, long long id, ec_error *err)
{
	ec_outbox_entry e;
	int rc = find_entry(s, id, &e, err);
	if (rc != EC_OK)
		return rc;
	if (e.state == OUTBOX_CONFLICT)
		rc = ec_fail(err, EC_CONFLICT,
		             "entry %lld is a conflict; resolve it with emailcfg "
		             "outbox resolve %lld --mine|--theirs",
		             id, id);
	else if (e.state == OUTBOX_FAILED)
		rc = ec_fail(err, EC_FAILED,
		             "entry %lld failed (%s); retry it with emailcfg outbox "
		             "retry %lld",
		             id, e.error ? e.error : "no reason kept", id);
	else if (e.state == OUTBOX_SENT) /* by another pusher since it was listed */
		rc = not_ours(err, id, "was sent already");
	else if ((rc = claim_entry(s, &e, err)) == EC_OK)
		rc = push_claimed(s, &e, err);
	outbox_entry_free(&e);
	return rc;
}

/* ---- Commands on entries ------------------------------------------------ */

/* An outbox entry for a change `what`: read-only refuses first. */
static int load_entry(ec_session *s, long long id, const char *what, ec_outbox_entry *e,
                      ec_error *err)
{
	int rc = session_may_change(s, what, err);
	return rc == EC_OK ? find_entry(s, id, e, err) : rc;
}

int outbox_push(ec_session *s, long long id, ec_error *err)
{
	ec_outbox_entry e;
	int rc = session_need_network(s, "pushing an edit", err);
	if (rc == EC_OK)
		rc = load_entry(s, id, "push edits", &e, err);
	if (rc != EC_OK)
		return rc;
	outbox_entry_free(&e);
	rc = push_one(s, id, err);
	return rc == OUTBOX_BUSY ? EC_OK : rc;
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
		prc = push_one(s, rows[i].id, &e);
		if (prc == OUTBOX_BUSY)
			continue; /* another pusher's, or behind an older edit */
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

/* Deletes entry id unless a live pusher has it (the check and the DELETE are
 * one statement: a push that claims it meanwhile keeps it). */
static int drop_entry(ec_session *s, const ec_outbox_entry *e, bool conflict_only, ec_error *err)
{
	const char *stale = e->claim[0] && claim_is_dead(e->claim) ? e->claim : NULL;
	int rc =
	    cache_outbox_drop(s->cache, e->id, (long long)time(NULL), stale, conflict_only, err);
	if (rc == CACHE_CLAIMED)
		rc = EC_USAGE; /* err says: being pushed, try again */
	else if (rc == CACHE_NOT_FOUND)
		rc = ec_fail(err, EC_USAGE, "no outbox entry %lld any more; see emailcfg outbox",
		             e->id);
	return rc;
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
		rc = drop_entry(s, &e, true, err);
		outbox_entry_free(&e);
		return rc;
	}
	/* Keep mine: the organization's values read at the conflict become the
	 * base, and the edit goes out against the etag of that read (written
	 * with the conflict as base_version), not the cached row's: a change
	 * they made since (a sync may have cached it) is a 412 and a new
	 * comparison, never overwritten unseen. */
	free(e.base);
	e.base = e.theirs ? ec_strdup(e.theirs) : ec_strdup("{}");
	e.state = OUTBOX_QUEUED;
	rc = cache_outbox_update(s->cache, &e, err);
	if (rc == EC_OK && !s->cfg->offline)
		rc = outbox_push(s, id, err);
	outbox_entry_free(&e);
	return rc;
}

int outbox_retry(ec_session *s, long long id, ec_error *err)
{
	ec_outbox_entry e;
	int rc = load_entry(s, id, "retry an edit", &e, err);
	if (rc != EC_OK)
		return rc;
	if (e.state == OUTBOX_CONFLICT)
		rc = ec_fail(err, EC_USAGE,
		             "entry %lld is a conflict, not failed; resolve it with emailcfg "
		             "outbox resolve %lld --mine|--theirs",
		             id, id);
	else if (e.state == OUTBOX_SENT)
		rc = ec_fail(err, EC_USAGE, "entry %lld was sent already; nothing to retry", id);
	else if (e.state == OUTBOX_FAILED)
		rc = cache_outbox_requeue(s->cache, id, err);
	outbox_entry_free(&e);
	if (rc == EC_OK && !s->cfg->offline && !s->queue_only)
		rc = outbox_push(s, id, err);
	return rc;
}

int outbox_drop(ec_session *s, long long id, ec_error *err)
{
	ec_outbox_entry e;
	int rc = load_entry(s, id, "drop an edit", &e, err);
	if (rc != EC_OK)
		return rc;
	if (outbox_is_sending(&e))
		rc = ec_fail(err, EC_USAGE,
		             "entry %lld is being pushed by another emailcfg right now; drop it "
		             "after that push, if it is still there",
		             id);
	else
		rc = drop_entry(s, &e, false, err);
	outbox_entry_free(&e);
	return rc;
}
