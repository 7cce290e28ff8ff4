/* job_types.c — the console's jobs (see job_types.h): argument copies and
 * the functions that run them on the worker. */
#include "core/jobs/job_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/base/ini.h"
#include "core/sync/outbox.h"
#include "core/sync/password.h"
#include "core/sync/sync.h"
#include "core/probes/probe.h"

typedef struct job_arg {
	char (*ids)[EC_ID_SIZE];
	int n;
	char **assign;
	int nassign;
	bool flag;
	long long entry;
	ec_test_opts test;
	char *username, *password, *credentials;
} job_arg;

static char *copy_secret(const char *s)
{
	return s ? ec_strdup(s) : NULL;
}

static job_arg *arg_new(char (*ids)[EC_ID_SIZE], int n, char *const *assign, int nassign)
{
	job_arg *a = ec_xcalloc(1, sizeof *a);
	if (n > 0) {
		a->ids = ec_xmalloc(sizeof *a->ids * (unsigned long)n);
		memcpy(a->ids, ids, sizeof *a->ids * (size_t)n);
	}
	a->n = n;
	a->assign = ec_xcalloc((unsigned long)nassign + 1, sizeof *a->assign);
	for (int i = 0; i < nassign; i++)
		a->assign[i] = ec_strdup(assign[i]);
	a->nassign = nassign;
	return a;
}

static void arg_free(void *p)
{
	job_arg *a = p;
	for (int i = 0; i < a->nassign; i++)
		free(a->assign[i]);
	free(a->assign);
	free(a->ids);
	ec_wipe_free(a->password);
	free(a->username);
	free(a->credentials);
	free(a);
}

static long sync_conflicts_left(ec_session *s)
{
	ec_outbox_entry *rows = NULL;
	int n = 0;
	long conflicts = 0;
	if (cache_outbox_list(s->cache, NULL, true, &rows, &n, NULL) == EC_OK)
		for (int i = 0; i < n; i++)
			conflicts += rows[i].state == OUTBOX_CONFLICT;
	cache_free_outbox(rows, n);
	return conflicts;
}

static int run_sync(ec_session *s, void *p, ec_error *err)
{
	ec_sync_stats st;
	long conflicts;
	int rc;
	memset(&st, 0, sizeof st);
	rc = sync_run(s, ((job_arg *)p)->flag, &st, err);
	/* The conflicts the outbox holds after it (met now or before: a
	 * conflict is not pushed again), said before the job ends, or the
	 * console would say every edit was pushed. */
	conflicts = sync_conflicts_left(s);
	if (conflicts)
		ec_emitf(&s->sink, EV_NOTICE, "sync",
		         ngettext("%ld edit waits in conflict: the Outbox (5) resolves it",
		                  "%ld edits wait in conflict: the Outbox (5) resolves them",
		                  (unsigned long)conflicts),
		         conflicts);
	return rc;
}

static int run_push(ec_session *s, void *p, ec_error *err)
{
	long pushed, conflicts, failed;
	int rc;
	(void)p;
	rc = outbox_push_all(s, &pushed, &conflicts, &failed, err);
	ec_emitf(&s->sink, EV_CHANGED, "push", "mailboxes");
	return rc;
}

static int run_refresh(ec_session *s, void *p, ec_error *err)
{
	ec_sync_stats st;
	(void)p;
	memset(&st, 0, sizeof st);
	return sync_pull(s, false, &st, err);
}

/* Edits report per mailbox through the sink, then their worst status. */
static int report_edits(ec_session *s, ec_edit_result *r, int n, int rc)
{
	for (int i = 0; r && i < n; i++)
		if (r[i].message)
			ec_emitf(&s->sink, EV_NOTICE, "edit", "%s: %s",
			         r[i].name ? r[i].name : r[i].id, r[i].message);
	ec_emitf(&s->sink, EV_CHANGED, "edit", "mailboxes");
	edit_results_free(r, n);
	return rc;
}

static int run_edit(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	ec_edit_result *r = NULL;
	int rc = edit_mailboxes(s, a->ids, a->n, a->assign, a->nassign, &r, err);
	return report_edits(s, r, a->n, rc);
}

static int run_approve(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	ec_edit_result *r = NULL;
	int rc = edit_approve(s, a->ids, a->n, &r, err);
	return report_edits(s, r, a->n, rc);
}

static int run_defaults(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	ec_edit_result *r = NULL;
	int rc = edit_mailbox_defaults(s, a->ids, a->n, &r, err);
	return report_edits(s, r, a->n, rc);
}

static int run_settings(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	ec_edit_result r;
	int rc = edit_settings(s, a->assign, a->nassign, &r, err);
	ec_emitf(&s->sink, EV_CHANGED, "edit", "settings");
	return rc;
}

static int run_resolve(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	int rc = outbox_resolve(s, a->entry, a->flag, err);
	ec_emitf(&s->sink, EV_CHANGED, "edit", "outbox");
	return rc;
}

/* fn on one outbox entry, then the outbox has changed. */
static int run_on_entry(ec_session *s, long long entry,
                        int (*fn)(ec_session *, long long, ec_error *), ec_error *err)
{
	int rc = fn(s, entry, err);
	ec_emitf(&s->sink, EV_CHANGED, "edit", "outbox");
	return rc;
}

static int run_drop(ec_session *s, void *p, ec_error *err)
{
	return run_on_entry(s, ((job_arg *)p)->entry, outbox_drop, err);
}

static int run_retry(ec_session *s, void *p, ec_error *err)
{
	return run_on_entry(s, ((job_arg *)p)->entry, outbox_retry, err);
}

static int run_password(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	int rc = edit_password(s, a->ids[0], a->password, err);
	ec_emitf(&s->sink, EV_CHANGED, "edit", "mailboxes");
	return rc;
}

static int run_test(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	ec_test_result *r = NULL;
	int rc;
	/* The console reads results from the cache (Tests screen), not from
	 * here: each is freed once stored, so 20,000 mailboxes do not sit in
	 * memory for the whole run. */
	a->test.discard_results = true;
	rc = testjob_run(s, a->ids, a->n, &a->test, &r, err);
	testjob_results_free(r, a->n);
	ec_emitf(&s->sink, EV_CHANGED, "test", "mailboxes");
	return rc;
}

long job_submit_sync(ec_worker *w, bool full)
{
	job_arg *a = arg_new(NULL, 0, NULL, 0);
	a->flag = full;
	return worker_submit(w, "sync", run_sync, a, arg_free);
}

long job_submit_push(ec_worker *w)
{
	return worker_submit(w, "push", run_push, arg_new(NULL, 0, NULL, 0), arg_free);
}

long job_submit_refresh(ec_worker *w)
{
	return worker_submit(w, "refresh", run_refresh, arg_new(NULL, 0, NULL, 0), arg_free);
}

long job_submit_edit(ec_worker *w, char (*ids)[EC_ID_SIZE], int n, char *const *assign, int nassign)
{
	return worker_submit(w, "edit", run_edit, arg_new(ids, n, assign, nassign), arg_free);
}

long job_submit_approve(ec_worker *w, char (*ids)[EC_ID_SIZE], int n)
{
	return worker_submit(w, "approve", run_approve, arg_new(ids, n, NULL, 0), arg_free);
}

long job_submit_defaults(ec_worker *w, char (*ids)[EC_ID_SIZE], int n)
{
	return worker_submit(w, "defaults", run_defaults, arg_new(ids, n, NULL, 0), arg_free);
}

long job_submit_settings(ec_worker *w, char *const *assign, int nassign)
{
	return worker_submit(w, "settings", run_settings, arg_new(NULL, 0, assign, nassign),
	                     arg_free);
}

long job_submit_resolve(ec_worker *w, long long entry, bool mine)
{
	job_arg *a = arg_new(NULL, 0, NULL, 0);
	a->entry = entry;
	a->flag = mine;
	return worker_submit(w, "resolve", run_resolve, a, arg_free);
}

long job_submit_drop(ec_worker *w, long long entry)
{
	job_arg *a = arg_new(NULL, 0, NULL, 0);
	a->entry = entry;
	return worker_submit(w, "drop", run_drop, a, arg_free);
}

long job_submit_retry(ec_worker *w, long long entry)
{
	job_arg *a = arg_new(NULL, 0, NULL, 0);
	a->entry = entry;
	return worker_submit(w, "retry", run_retry, a, arg_free);
}

long job_submit_password(ec_worker *w, const char *mailbox_id, const char *password)
{
	char id[1][EC_ID_SIZE];
	job_arg *a;
	snprintf(id[0], EC_ID_SIZE, "%s", mailbox_id);
	a = arg_new(id, 1, NULL, 0);
	a->password = ec_strdup(password);
	return worker_submit(w, "password", run_password, a, arg_free);
}

long job_submit_test(ec_worker *w, char (*ids)[EC_ID_SIZE], int n, const ec_test_opts *opts)
{
	job_arg *a = arg_new(ids, n, NULL, 0);
	a->test = *opts;
	a->username = copy_secret(opts->username);
	a->password = copy_secret(opts->password);
	a->credentials = copy_secret(opts->credentials_file);
	a->test.username = a->username;
	a->test.password = a->password;
	a->test.credentials_file = a->credentials;
	return worker_submit(w, "test", run_test, a, arg_free);
}

/* One endpoint, short when it answered ("incoming imap 127.0.0.1:143 ok"),
 * with what happened and what to do when it did not. */
static void profile_test_one(const char *direction, const ec_probe_target *t,
                             const ec_probe_result *r, char *buf, size_t size)
{
	char where[240];
	if (t->proto == PROBE_EWS)
		snprintf(where, sizeof where, "%.200s", t->url);
	else
		snprintf(where, sizeof where, "%.200s:%d", t->host, probe_target_port(t));
	if (r->ok)
		snprintf(buf, size, "%s %s %s ok", direction, probe_proto_slug(t->proto), where);
	else
		snprintf(buf, size, "%s %s %s: %.300s %.300s", direction,
		         probe_proto_slug(t->proto), where, r->message ? r->message : "",
		         r->fix ? r->fix : "");
}

/* Test this profile: its two endpoints probed once, no login. The result
 * is a notice when both answer, else the job's error. */
static int run_profile_test(ec_session *s, void *p, ec_error *err)
{
	job_arg *a = p;
	ec_profile prof;
	ec_probe_target t[2];
	ec_probe_result r[2];
	char summary[1810];
	int rc = cache_get_profile(s->cache, a->ids[0], &prof, err);
	memset(r, 0, sizeof r);
	if (rc == CACHE_NOT_FOUND)
		rc = err->status;
	if (rc == EC_OK)
		rc = probe_targets_for_profile(&prof, NULL, NULL, t, err);
	if (rc == EC_OK)
		rc = probe_run(t, 2, 2, 0, s->cfg->ca_file, NULL, NULL, r, err);
	if (rc == EC_OK) {
		char one[2][900];
		profile_test_one("incoming", &t[0], &r[0], one[0], sizeof one[0]);
		profile_test_one("outgoing", &t[1], &r[1], one[1], sizeof one[1]);
		snprintf(summary, sizeof summary, "%s; %s", one[0], one[1]);
		if (r[0].ok && r[1].ok)
			ec_emitf(&s->sink, EV_NOTICE, "profile test", "%s", summary);
		else
			rc = ec_fail(err, EC_FAILED, "%s", summary);
		probe_result_free(&r[0]);
		probe_result_free(&r[1]);
	}
	profile_free(&prof);
	return rc;
}

long job_submit_profile_test(ec_worker *w, const char *profile_id)
{
	char id[1][EC_ID_SIZE];
	snprintf(id[0], EC_ID_SIZE, "%s", profile_id);
	return worker_submit(w, "profile test", run_profile_test, arg_new(id, 1, NULL, 0),
	                     arg_free);
}
