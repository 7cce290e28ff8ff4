/* testjob.c — the Test & Enable pipeline (see testjob.h). Each stage runs
 * for every mailbox of the batch before the next starts, so probes and the
 * organization's tests of many mailboxes overlap; rules, approval and
 * connectivity run on a first chunk of 1,000 before the rest, so probing
 * starts at once however many mailboxes there are. Scheduling and polling
 * the organization (core/jobs/testjob_poll.c) take turns, and each mailbox
 * is judged and stored (core/jobs/testjob_store.c) as soon as its own
 * stages are done. Talks to the network (probes, the organization) and the
 * cache (rows, alerts, history). */
#include "core/base/i18n.h"
#include "core/jobs/testjob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

#include "core/codec/codec.h"
#include "core/client/credentials.h"
#include "core/model/explain.h"
#include "core/base/hash_index.h"
#include "core/model/options.h"
#include "core/sync/outbox.h"
#include "core/jobs/testjob_poll.h"
#include "core/jobs/testjob_store.h"
#include "core/probes/probe.h"
#include "core/model/rules.h"

#define DEFAULT_TIMEOUT_S 900
#define POLL_FIRST_S      2
#define POLL_MAX_S        30

static const char *const channels[] = {"incoming", "outgoing", "act"};

/* One mailbox going through the pipeline. */
typedef struct run {
	ec_mailbox m;
	const ec_profile *p; /* shared by the runs (pipeline.profiles), or NULL */
	ec_test_result *t;
	bool stopped; /* the rules refused: later stages are skipped */
	const char *user, *pass;
	int target[2]; /* unique probe target of incoming/outgoing, or -1 */
	char server_start[EC_TIME_SIZE];
	char completed_before[EC_TIME_SIZE];
	int status_before[3];
	bool waiting; /* the organization's test is running */
	int misses;   /* reads of the row that failed in a row */
	long started_ms;
	bool announced; /* its "waiting" stage event was sent */
	bool ready;     /* every stage before the verdict is done */
	bool judged;    /* its verdict is stored */
} run;

typedef struct pipeline {
	ec_session *s;
	const ec_test_opts *o;
	ec_settings settings;
	bool have_settings;
	run *runs; /* runs [base, base + nruns) of the mailboxes */
	int base, nruns;
	int n;     /* mailboxes loaded so far */
	int total; /* mailboxes of the run */
	long done, failed;
	bool unreachable; /* the organization stopped answering */
	ec_credentials *creds;
	ec_profile *profiles; /* every cached profile, read once, sorted by id */
	int nprofiles;
	long chunk_ms;        /* when planning the current chunk started */
	long planning_ms;     /* planning so far, probing not counted */
	testjob_store *batch; /* where verdicts are stored as they are reached */
} pipeline;

/* The run of mailbox i: in memory only while its chunk is (local-only runs
 * keep one chunk at a time). */
static run *run_at(pipeline *pl, int i)
{
	return &pl->runs[i - pl->base];
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void utc_now(char out[EC_TIME_SIZE])
{
	time_t t = time(NULL);
	struct tm tm;
	strftime(out, EC_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

static bool sss(const ec_mailbox *m, int ch)
{
	return ch == 0   ? m->incoming == INCOMING_SSS
	       : ch == 1 ? m->outgoing == OUTGOING_SSS
	                 : m->act == ACT_SSS;
}

static void stage_event(pipeline *pl, const run *r, const char *stage, enum ec_check_status st)
{
	ec_event ev = {EV_STAGE, "test", r->m.name, 0, 0, 0, r->m.id, stage, (int)st};
	ec_emit(&pl->s->sink, &ev);
}

static void add(run *r, const char *stage, const char *channel, enum ec_check_status st,
                const char *code, const char *message, const char *fix, long ms)
{
	test_result_add(r->t, stage, channel, st, code, message, fix, ms);
}

/* ---- Stage 1: rules ---------------------------------------------------- */

static const char *rule_channel(const ec_rule *rule)
{
	switch (rule->channels) {
	case CH_INCOMING: return "incoming";
	case CH_OUTGOING: return "outgoing";
	case CH_ACT: return "act";
	default: return "";
	}
}

static void stage_rules(pipeline *pl, run *r)
{
	rule_ctx ctx = {NULL, &r->m, pl->have_settings ? &pl->settings : NULL, r->p};
	rule_finding f[16];
	int n = rules_check(&ctx, RULE_REFUSES_TEST, f, 16), refused = 0, reported = 0;
	long t0 = now_ms();
	for (int i = 0; i < n && i < 16; i++) {
		char code[64];
		if (strcmp(f[i].rule->id, "approval-required") == 0)
			continue; /* the approval stage's business */
		snprintf(code, sizeof code, "rule.%s", f[i].rule->id);
		add(r, "rules", f[i].refused ? rule_channel(f[i].rule) : "",
		    f[i].refused ? CHECK_FAIL : CHECK_PASS, code, rule_message(f[i].rule),
		    rule_fix(f[i].rule), now_ms() - t0);
		refused += f[i].refused;
		reported++;
	}
	if (!reported)
		add(r, "rules", "", CHECK_PASS, "rules.ok",
		    _("No rule refuses this mailbox's synchronization settings."), NULL,
		    now_ms() - t0);
	r->stopped = refused > 0;
	stage_event(pl, r, "rules", refused ? CHECK_FAIL : CHECK_PASS);
}

/* ---- Stage 2: approval ------------------------------------------------- */

static bool approval_required(const pipeline *pl, const ec_mailbox *m)
{
	if (!pl->have_settings)
		return false;
	return (m->owner_type == OWNER_USER && pl->settings.approve_users == 1) ||
	       (m->owner_type == OWNER_QUEUE && pl->settings.approve_queues == 1);
}

static void approve_now(pipeline *pl, run *r, long t0)
{
	ec_edit_result *res = NULL;
	ec_error e = {0};
	char id[1][EC_ID_SIZE];
	int rc;
	snprintf(id[0], EC_ID_SIZE, "%s", r->m.id);
	rc = edit_approve(pl->s, id, 1, &res, &e);
	edit_results_free(res, 1);
	if (rc == EC_OK) {
		ec_mailbox fresh;
		add(r, "approval", "", CHECK_PASS, "approval.approved",
		    _("The email address was approved by emailcfg."), NULL, now_ms() - t0);
		if (cache_get_mailbox(pl->s->cache, r->m.id, &fresh, NULL) == EC_OK) {
			mailbox_free(&r->m);
			r->m = fresh;
		}
	} else {
		const ec_cause *c = explain_alert(e.msg, 0);
		add(r, "approval", "", CHECK_FAIL, "approval.refused", e.msg,
		    c ? _(c->fix)
		      : _("Ask a Global or Exchange Administrator to approve it, or to give you "
		          "the "
		          "Delegated Mailbox Approver role."),
		    now_ms() - t0);
	}
}

static void stage_approval(pipeline *pl, run *r)
{
	long t0 = now_ms();
	const ec_check *last;
	if (!approval_required(pl, &r->m))
		add(r, "approval", "", CHECK_PASS, "approval.not-required",
		    _("The organization does not require approval for this mailbox."), NULL, 0);
	else if (r->m.approval == APPROVAL_APPROVED)
		add(r, "approval", "", CHECK_PASS, "approval.ok",
		    _("The email address is approved."), NULL, 0);
	else if (pl->o->approve)
		approve_now(pl, r, t0);
	else {
		char msg[256];
		snprintf(msg, sizeof msg,
		         _("The organization processes email only for approved "
		           "addresses, and this one is %s."),
		         opt_label(&opt_approval, r->m.approval));
		add(r, "approval", "", CHECK_FAIL, "approval.pending", msg,
		    _("Approve it: press a in the console, or emailcfg approve SEL (or test "
		      "--approve; needs a Global or Exchange Administrator or the Delegated "
		      "Mailbox Approver role)."),
		    0);
	}
	last = &r->t->checks[r->t->nchecks - 1];
	stage_event(pl, r, "approval", last->status);
}

/* ---- Stage 3: connectivity -------------------------------------------- */

/* Probes are shared: one per distinct endpoint and login, found through an
 * open-addressing hash set of their indexes (a linear search per mailbox
 * is quadratic when 100,000 mailboxes have their own logins). */
typedef struct probes {
	ec_probe_target *t;
	ec_probe_result *res;
	int n, cap;
	hash_index set; /* of indexes into t */
} probes;

static bool same_target(const ec_probe_target *a, const ec_probe_target *b)
{
	return a->proto == b->proto && a->tls == b->tls && a->port == b->port &&
	       strcmp(a->host, b->host) == 0 && strcmp(a->url, b->url) == 0 &&
	       (a->username == b->username ||
	        (a->username && b->username && strcmp(a->username, b->username) == 0 &&
	         a->password && b->password && strcmp(a->password, b->password) == 0));
}

/* Over what same_target() compares but the password: equal targets hash
 * alike. */
static size_t target_hash(const ec_probe_target *t)
{
	size_t h = HASH_INDEX_SEED;
	h = (h ^ (size_t)t->proto) * 1099511628211u;
	h = (h ^ (size_t)t->tls) * 1099511628211u;
	h = (h ^ (size_t)t->port) * 1099511628211u;
	return hash_index_text(hash_index_text(hash_index_text(h, t->host), t->url), t->username);
}

static size_t target_hash_of(const void *array, int i)
{
	return target_hash(&((const ec_probe_target *)array)[i]);
}

static bool target_equal(const void *array, int i, const void *key)
{
	return same_target(&((const ec_probe_target *)array)[i], key);
}

static const hash_index_ops target_ops = {target_hash_of, target_equal};

static int probe_index(probes *pr, const ec_probe_target *t)
{
	int i = hash_index_find(&pr->set, pr->t, pr->n, &target_ops, target_hash(t), t);
	if (i >= 0)
		return i;
	if (pr->n == pr->cap) {
		pr->cap = pr->cap ? pr->cap * 2 : 16;
		pr->t = ec_xrealloc(pr->t, sizeof *pr->t * (unsigned long)pr->cap);
	}
	pr->t[pr->n] = *t;
	hash_index_add(&pr->set, pr->n);
	return pr->n++;
}

static void plan_probes(pipeline *pl, run *r, probes *pr)
{
	ec_probe_target t[2];
	ec_error e = {0};
	bool in = r->m.incoming == INCOMING_SSS || r->m.act == ACT_SSS;
	bool out = r->m.outgoing == OUTGOING_SSS;
	r->target[0] = r->target[1] = -1;
	if (r->stopped || !r->p || (!in && !out))
		return;
	if (probe_targets_for_profile(r->p, r->user, r->pass, t, &e) != EC_OK) {
		add(r, "connectivity", "", CHECK_FAIL, "probe.setup.invalid", e.msg,
		    _("Fix the server locations and ports of the email server profile."), 0);
		return;
	}
	if (in)
		r->target[0] = probe_index(pr, &t[0]);
	if (out)
		r->target[1] = probe_index(pr, &t[1]);
	(void)pl;
}

static void probe_check(run *r, int which, const ec_probe_result *res)
{
	const ec_cause *c = res->ok ? NULL : explain_code(res->code);
	char msg[1200];
	const char *channel = which == 1                      ? "outgoing"
	                      : r->m.incoming == INCOMING_SSS ? "incoming"
	                                                      : "act";
	snprintf(msg, sizeof msg, "%s%s%s%s", res->message ? res->message : "",
	         res->reply && !res->ok ? " Server said: " : "",
	         res->reply && !res->ok ? res->reply : "", "");
	add(r, "connectivity", channel, res->ok ? CHECK_PASS : CHECK_FAIL, res->code, msg,
	    res->ok ? NULL
	            : (res->fix && res->fix[0] ? res->fix
	               : c                     ? c->fix
	                                       : NULL),
	    res->elapsed_ms);
}

/* With EMAILCFG_TIMES=FILE, lines appended to FILE saying when probing
 * starts (wall clock, epoch milliseconds, so a benchmark can subtract its
 * own start) and how long planning took: the markers of docs/testing.md
 * (S9). The same file the console writes its key timings to (tui/timing.c),
 * never the terminal, where they would land in the console's screen. */
static void times_say(pipeline *pl, const char *what, int n)
{
	struct timespec ts;
	const char *path = getenv("EMAILCFG_TIMES");
	FILE *f;
	if (!path || !*path || !(f = fopen(path, "a")))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(f, "times: %s at %lld ms (%d mailboxes planned in %ld ms)\n", what,
	        (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, n, pl->planning_ms);
	fclose(f);
}

/* Probes the targets of runs [from, to) that earlier chunks did not, then
 * gives those runs their connectivity checks. */
static int stage_connectivity(pipeline *pl, probes *pr, int from, int to, ec_error *err)
{
	int rc = EC_OK, first = pr->n;
	for (int i = from; i < to; i++)
		plan_probes(pl, run_at(pl, i), pr);
	pl->planning_ms += now_ms() - pl->chunk_ms;
	if (from == 0)
		times_say(pl, "probing starts", to);
	if (pr->n > first) {
		pr->res = ec_xrealloc(pr->res, sizeof *pr->res * (unsigned long)pr->n);
		memset(pr->res + first, 0, sizeof *pr->res * (unsigned long)(pr->n - first));
		rc = probe_run(pr->t + first, pr->n - first, pl->o->concurrency,
		               pl->o->probe_timeout_ms, pl->s->cfg->ca_file, NULL, NULL,
		               pr->res + first, err);
	}
	for (int i = from; rc == EC_OK && i < to; i++) {
		run *r = run_at(pl, i);
		enum ec_check_status worst = CHECK_SKIP;
		for (int k = 0; k < 2; k++)
			if (r->target[k] >= 0) {
				probe_check(r, k, &pr->res[r->target[k]]);
				if (worst != CHECK_FAIL)
					worst = pr->res[r->target[k]].ok ? CHECK_PASS : CHECK_FAIL;
			}
		if (worst == CHECK_SKIP && !r->stopped)
			add(r, "connectivity", "", CHECK_SKIP, "connectivity.none",
			    r->p ? _("No channel uses server-side synchronization.")
			         : _("The mailbox has no server profile to connect to."),
			    NULL, 0);
		stage_event(pl, r, "connectivity", worst);
	}
	return rc;
}

static void probes_free(probes *pr)
{
	for (int i = 0; pr->res && i < pr->n; i++)
		probe_result_free(&pr->res[i]);
	free(pr->res);
	free(pr->t);
	hash_index_free(&pr->set);
}

/* ---- Stage 4: the organization's own test ------------------------------ */

static int store_row(pipeline *pl, json_object *row, ec_mailbox *out, ec_error *err)
{
	ec_mailbox m;
	int rc = codec_mailbox_from_json(row, &m, err);
	if (rc == EC_OK)
		rc = cache_put_mailboxes(pl->s->cache, &m, 1, err);
	if (rc == EC_OK && out) {
		mailbox_free(out);
		*out = m;
	} else {
		mailbox_free(&m);
	}
	return rc;
}

static void schedule(pipeline *pl, run *r)
{
	json_object *body = json_object_new_object(), *row = NULL;
	ec_error e = {0};
	int rc;
	json_object_object_add(body, "testemailconfigurationscheduled", json_object_new_boolean(1));
	snprintf(r->completed_before, sizeof r->completed_before, "%s", r->m.test_completed_on);
	r->status_before[0] = r->m.incoming_status;
	r->status_before[1] = r->m.outgoing_status;
	r->status_before[2] = r->m.act_status;
	r->started_ms = now_ms();
	rc = dv_patch(pl->s->dv, "mailboxes", r->m.id, body, 0, codec_mailbox_select, &row, &e);
	if (rc == EC_OK && row)
		rc = store_row(pl, row, &r->m, &e);
	json_object_put(body);
	json_object_put(row);
	if (rc != EC_OK) {
		add(r, "server", "", CHECK_FAIL, "server.schedule", e.msg,
		    _("Check the connection and your rights on mailboxes, then test again."), 0);
		return;
	}
	/* The organization's clock: alerts newer than this are this test's. */
	snprintf(r->server_start, sizeof r->server_start, "%s", r->m.modified_on);
	if (pl->o->no_wait)
		add(r, "server", "", CHECK_SKIP, "server.scheduled",
		    _("The organization's test is scheduled; results usually take a few minutes."),
		    _("Look later: emailcfg sync, then emailcfg mailbox SEL."), 0);
	else
		r->waiting = true;
}

static bool finished(const run *r, const ec_mailbox *now)
{
	if (now->test_completed_on[0] && strcmp(now->test_completed_on, r->completed_before) != 0)
		return true;
	return now->test_scheduled == 0 && (now->incoming_status != r->status_before[0] ||
	                                    now->outgoing_status != r->status_before[1] ||
	                                    now->act_status != r->status_before[2]);
}

/* The alert that speaks of a channel: the organization's texts say
 * "received", "sent", or "Appointments, contacts, and tasks". */
static const ec_alert *alert_for(const ec_alert *a, int n, int ch)
{
	static const char *const words[3][3] = {{"receiv", "incoming", NULL},
	                                        {"sent", "send", "outgoing"},
	                                        {"appointments", "contacts", "tasks"}};
	const ec_alert *any = NULL;
	for (int i = 0; i < n; i++) {
		if (a[i].level != LEVEL_ERROR && a[i].level != LEVEL_WARNING)
			continue;
		if (!any)
			any = &a[i];
		for (int w = 0; w < 3 && words[ch][w]; w++)
			if (a[i].text && strcasestr(a[i].text, words[ch][w]))
				return &a[i];
	}
	return any;
}

static int fetch_alerts(pipeline *pl, run *r, ec_alert **alerts, int *n, ec_error *err);

static void server_verdicts(pipeline *pl, run *r)
{
	ec_alert *alerts = NULL;
	int na = 0, st[3] = {r->m.incoming_status, r->m.outgoing_status, r->m.act_status};
	long ms = now_ms() - r->started_ms;
	ec_error e = {0};
	bool failed = false, alerts_read = true;
	for (int ch = 0; ch < 3; ch++)
		failed |= sss(&r->m, ch) && st[ch] == STATUS_FAILURE;
	/* Alerts only explain a failure: a mailbox that passed costs no
	 * request. Without its alerts the verdict still stands; the check
	 * says why it has no explanation. */
	if (failed)
		alerts_read = fetch_alerts(pl, r, &alerts, &na, &e) == EC_OK;
	for (int ch = 0; ch < 3; ch++) {
		const ec_alert *a;
		const ec_cause *c;
		char code[64];
		if (!sss(&r->m, ch))
			continue;
		if (st[ch] == STATUS_SUCCESS) {
			add(r, "server", channels[ch], CHECK_PASS, "server.success",
			    _("The organization's test succeeded."), NULL, ms);
			continue;
		}
		if (st[ch] != STATUS_FAILURE) {
			add(r, "server", channels[ch], CHECK_SKIP, "server.not-run",
			    _("The organization did not test this channel."), NULL, ms);
			continue;
		}
		a = alert_for(alerts, na, ch);
		c = a ? explain_alert(a->text, a->code) : NULL;
		snprintf(code, sizeof code, "%s%s", c ? "alert." : "server.failure",
		         c ? c->cause : "");
		add(r, "server", channels[ch], CHECK_FAIL, code,
		    a             ? a->text
		    : alerts_read ? _("The organization's test failed and wrote no alert.")
		                  : e.msg,
		    c   ? _(c->fix)
		    : a ? _("Read the alert; fix what it names, then test again.")
		        : _("Check that the organization raises alerts for errors "
		            "(settings set alerts-errors=yes), then test again."),
		    ms);
	}
	cache_free_alerts(alerts, na);
}

static int page_alerts(void *ctx, json_object *rows, long total, ec_error *err)
{
	struct {
		pipeline *pl;
		ec_alert **a;
		int *n;
	} *c = ctx;
	int n = (int)json_object_array_length(rows), rc = EC_OK;
	(void)total;
	for (int i = 0; i < n && rc == EC_OK; i++) {
		ec_alert a;
		rc = codec_alert_from_json(json_object_array_get_idx(rows, (size_t)i), &a, err);
		if (rc != EC_OK)
			break;
		*c->a = ec_xrealloc(*c->a, sizeof **c->a * (unsigned long)(*c->n + 1));
		(*c->a)[(*c->n)++] = a;
	}
	return rc;
}

static int fetch_alerts(pipeline *pl, run *r, ec_alert **alerts, int *n, ec_error *err)
{
	char filter[160];
	struct {
		pipeline *pl;
		ec_alert **a;
		int *n;
	} ctx = {pl, alerts, n};
	int rc;
	snprintf(filter, sizeof filter, "_regardingobjectid_value eq %s and modifiedon ge %s",
	         r->m.id, r->server_start);
	rc = dv_list(pl->s->dv, "tracelogs", codec_alert_select, filter, "modifiedon desc",
	             page_alerts, &ctx, err);
	if (rc == EC_OK && *n)
		rc = cache_put_alerts(pl->s->cache, *alerts, *n, err);
	return rc;
}

#define MAX_MISSES 3

static void stop_waiting(pipeline *pl, run *r, const char *code, const char *msg, const char *fix)
{
	r->waiting = false;
	add(r, "server", "", CHECK_FAIL, code, msg, fix, now_ms() - r->started_ms);
	stage_event(pl, r, "server", CHECK_FAIL);
}

static void timed_out(pipeline *pl, run *r)
{
	char msg[160];
	snprintf(msg, sizeof msg, _("The organization's test did not finish within %ld s."),
	         pl->o->timeout_s > 0 ? pl->o->timeout_s : DEFAULT_TIMEOUT_S);
	stop_waiting(pl, r, "server.timeout", msg,
	             _("Look again later (emailcfg sync); if it never finishes, check that "
	               "background operations are on (administration mode turns them off)."));
}

static int judge_ready(pipeline *pl, ec_error *err);

/* A finished test's columns onto the cached row. Only what the poll read:
 * the row keeps its older version, so the next sync reads it whole. */
static void apply_polled(pipeline *pl, run *r, const ec_mailbox *now)
{
	ec_error e = {0};
	memcpy(r->m.test_completed_on, now->test_completed_on, sizeof r->m.test_completed_on);
	r->m.test_scheduled = now->test_scheduled;
	r->m.incoming_status = now->incoming_status;
	r->m.outgoing_status = now->outgoing_status;
	r->m.act_status = now->act_status;
	cache_put_mailboxes(pl->s->cache, &r->m, 1, &e);
}

/* What one round's look said of a waiting mailbox: finished, still
 * running, or (after several failed reads in a row) the organization is
 * gone. */
static void poll_seen(pipeline *pl, run *r, const testpoll_item *it, const ec_error *e)
{
	if (it->failed || !it->seen) {
		if (++r->misses < MAX_MISSES)
			return;
		pl->unreachable |= it->failed;
		stop_waiting(pl, r, it->failed ? "server.unreachable" : "server.gone",
		             it->failed ? e->msg
		                        : _("The organization no longer returns this mailbox."),
		             _("Check the network and the organization, then test again."));
		r->ready = true;
		return;
	}
	r->misses = 0;
	if (finished(r, &it->now)) {
		apply_polled(pl, r, &it->now);
		r->waiting = false;
		r->ready = true;
		server_verdicts(pl, r);
		stage_event(pl, r, "server", CHECK_PASS);
	} else if (!r->announced) {
		r->announced = true;
		stage_event(pl, r, "waiting", CHECK_SKIP);
	}
}

/* Times out the runs waiting longer than timeout_ms (each from its own
 * scheduling), then looks at the others: one request per page of them
 * (core/jobs/testjob_poll.c). Returns the number of requests sent. */
static int poll_round(pipeline *pl, long timeout_ms, int round)
{
	int nw = 0, requests = 0, *which;
	testpoll_item *items;
	ec_error e = {0};
	for (int i = 0; i < pl->n; i++) {
		run *r = &pl->runs[i];
		if (r->waiting && now_ms() - r->started_ms > timeout_ms) {
			timed_out(pl, r);
			r->ready = true;
		}
		nw += r->waiting;
	}
	if (!nw)
		return 0;
	items = ec_xcalloc((unsigned long)nw, sizeof *items);
	which = ec_xcalloc((unsigned long)nw, sizeof *which);
	for (int i = 0, k = 0; i < pl->n; i++)
		if (pl->runs[i].waiting) {
			snprintf(items[k].id, sizeof items[k].id, "%s", pl->runs[i].m.id);
			which[k++] = i;
		}
	testpoll_fetch(pl->s->dv, items, nw, &requests, &e);
	if (pl->s->cfg->verbose) {
		char waiting[96];
		snprintf(waiting, sizeof waiting,
		         ngettext("%d waiting mailbox", "%d waiting mailboxes", (unsigned long)nw),
		         nw);
		ec_emitf(&pl->s->sink, EV_LOG, "test",
		         ngettext("poll round %d: %s in %d request",
		                  "poll round %d: %s in %d requests", (unsigned long)requests),
		         round, waiting, requests);
	}
	for (int k = 0; k < nw; k++)
		poll_seen(pl, &pl->runs[which[k]], &items[k], &e);
	testpoll_items_free(items, nw);
	free(which);
	return requests;
}

static bool any_missed(const pipeline *pl)
{
	for (int i = 0; i < pl->n; i++)
		if (pl->runs[i].waiting && pl->runs[i].misses)
			return true;
	return false;
}

static bool any_waiting(const pipeline *pl)
{
	for (int i = 0; i < pl->n; i++)
		if (pl->runs[i].waiting)
			return true;
	return false;
}

static void sleep_ms(const ec_sink *sink, long ms)
{
	while (ms > 0 && !ec_cancelled(sink)) {
		long slice = ms < 100 ? ms : 100;
		struct timespec ts = {0, slice * 1000000L};
		nanosleep(&ts, NULL);
		ms -= slice;
	}
}

/* Schedules runs [from, to): a run the rules stopped, or whose scheduling
 * failed, is ready for its verdict at once. */
static void schedule_some(pipeline *pl, int from, int to)
{
	for (int i = from; i < to; i++) {
		run *r = &pl->runs[i];
		if (r->stopped)
			add(r, "server", "", CHECK_SKIP, "server.skipped",
			    _("Not asked: the rules stage refuses this mailbox."), NULL, 0);
		else
			schedule(pl, r);
		if (r->waiting)
			stage_event(pl, r, "scheduled", CHECK_SKIP);
		r->ready = !r->waiting;
	}
}

/* Scheduling, a chunk at a time, and polling take turns: the first tests
 * finish while later mailboxes are still being scheduled, and each
 * verdict is judged and stored as soon as its mailbox is ready. Between
 * rounds: the backoff, never shorter than the pace of testpoll_pace_ms. */
#define SCHEDULE_CHUNK 200

static int stage_server(pipeline *pl, ec_error *err)
{
	long timeout = (pl->o->timeout_s > 0 ? pl->o->timeout_s : DEFAULT_TIMEOUT_S) * 1000L;
	long wait = POLL_FIRST_S * 1000L, next_poll = now_ms() + wait;
	int rc = session_need_network(pl->s, "the organization's test", err), next = 0, round = 0;
	while (rc == EC_OK && (next < pl->n || any_waiting(pl))) {
		if (ec_cancelled(&pl->s->sink))
			return ec_fail(err, EC_FAILED, "Test & Enable cancelled");
		if (next < pl->n) {
			int to = pl->n - next > SCHEDULE_CHUNK ? next + SCHEDULE_CHUNK : pl->n;
			schedule_some(pl, next, to);
			next = to;
		} else {
			sleep_ms(&pl->s->sink, next_poll - now_ms());
		}
		if (!ec_cancelled(&pl->s->sink) && now_ms() >= next_poll) {
			long pace = testpoll_pace_ms(poll_round(pl, timeout, ++round));
			wait = any_missed(pl)                  ? POLL_FIRST_S * 1000L
			       : wait * 2 > POLL_MAX_S * 1000L ? POLL_MAX_S * 1000L
			                                       : wait * 2;
			next_poll = now_ms() + (wait > pace ? wait : pace);
		}
		rc = judge_ready(pl, err);
		testjob_store_progress(pl->batch);
	}
	return rc;
}

/* ---- Stage 5: verdict -------------------------------------------------- */

/* A failed check counts against a channel when it names it, names none
 * (it concerns the whole mailbox), or, for ACT, is the incoming endpoint's
 * probe (ACT syncs through the same Exchange endpoint). */
static const ec_check *failure_for(const ec_test_result *t, int ch)
{
	for (int i = 0; i < t->nchecks; i++) {
		const ec_check *c = &t->checks[i];
		if (c->status != CHECK_FAIL)
			continue;
		if (!c->channel[0] || strcmp(c->channel, channels[ch]) == 0 ||
		    (ch == 2 && strcmp(c->stage, "connectivity") == 0 &&
		     strcmp(c->channel, "incoming") == 0))
			return c;
	}
	return NULL;
}

/* The cause a failed verdict's row shows: the first failed check's cause
 * from data/alerts.tsv (its title, an English msgid the console
 * translates), else that check's own message. NULL when nothing failed. */
static const char *verdict_cause(const ec_test_result *t)
{
	for (int i = 0; i < t->nchecks; i++) {
		const ec_check *c = &t->checks[i];
		const ec_cause *cause;
		if (c->status != CHECK_FAIL)
			continue;
		cause = c->code ? explain_code(c->code) : NULL;
		return cause ? cause->title : c->message;
	}
	return NULL;
}

static void stage_verdict(pipeline *pl, run *r)
{
	ec_test_result *t = r->t;
	bool any_pass = false, any_fail = false;
	int nchecks = t->nchecks;
	for (int ch = 0; ch < 3; ch++) {
		const ec_check *f;
		char msg[1400];
		if (!sss(&r->m, ch)) {
			add(r, "verdict", channels[ch], CHECK_SKIP, "verdict.not-used",
			    _("Not synchronized by server-side synchronization."), NULL, 0);
			continue;
		}
		f = failure_for(t, ch);
		if (f) {
			char *fix = ec_strdup(f->fix);
			snprintf(msg, sizeof msg, _("Fails at the %s stage: %s"),
			         check_word(f->stage), f->message ? f->message : "");
			add(r, "verdict", channels[ch], CHECK_FAIL, f->code, msg, fix, 0);
			free(fix);
			any_fail = true;
		} else {
			add(r, "verdict", channels[ch], CHECK_PASS, "verdict.pass", "Works.", NULL,
			    0);
			any_pass = true;
		}
	}
	/* A failure of the whole mailbox with no channel in use still fails. */
	for (int i = 0; i < nchecks && !any_fail; i++)
		any_fail = t->checks[i].status == CHECK_FAIL;
	t->verdict = any_fail ? CHECK_FAIL : any_pass ? CHECK_PASS : CHECK_SKIP;
	utc_now(t->finished_on);
	pl->done++;
	pl->failed += any_fail;
}

/* ---- The run ----------------------------------------------------------- */

static int profile_cmp(const void *a, const void *b)
{
	return strcmp(((const ec_profile *)a)->id, ((const ec_profile *)b)->id);
}

/* The run's profile from the shared set, or NULL. */
static const ec_profile *find_profile(const pipeline *pl, const char *id)
{
	ec_profile key;
	if (!id[0] || !pl->nprofiles)
		return NULL;
	snprintf(key.id, sizeof key.id, "%s", id);
	return bsearch(&key, pl->profiles, (size_t)pl->nprofiles, sizeof key, profile_cmp);
}

static int load_run(pipeline *pl, cache_mailbox_lookup *look, run *r, const char *id,
                    ec_test_result *t, ec_error *err)
{
	int rc = cache_lookup_mailbox(look, id, &r->m, err);
	if (rc == CACHE_NOT_FOUND)
		return ec_fail(err, EC_USAGE, "mailbox %s is not in the cache; run emailcfg sync",
		               id);
	if (rc != EC_OK)
		return rc;
	r->p = find_profile(pl, r->m.profile_id);
	r->t = t;
	test_result_init(t);
	snprintf(t->id, sizeof t->id, "%s", r->m.id);
	t->name = ec_strdup(r->m.name);
	utc_now(t->started_on);
	r->user = pl->o->username;
	r->pass = pl->o->password;
	if (pl->creds)
		credentials_find(pl->creds, &r->m, &r->user, &r->pass);
	return EC_OK;
}

/* Every mailbox of the run through one prepared statement. */
static int load_runs(pipeline *pl, char (*ids)[EC_ID_SIZE], int from, int to, ec_test_result *t,
                     ec_error *err)
{
	cache_mailbox_lookup *look = NULL;
	/* One read transaction for all: a lock taken and dropped per mailbox
	 * was a third of planning. */
	int rc = cache_snapshot_begin(pl->s->cache, err);
	if (rc == EC_OK)
		rc = cache_lookup_mailboxes_open(pl->s->cache, &look, err);
	for (int i = from; rc == EC_OK && i < to; i++, pl->n++)
		rc = load_run(pl, look, run_at(pl, i), ids[i], &t[i], err);
	cache_lookup_mailboxes_close(look);
	if (rc == EC_OK)
		return cache_snapshot_end(pl->s->cache, err);
	cache_snapshot_end(pl->s->cache, NULL);
	return rc;
}

static int pipeline_open(pipeline *pl, ec_session *s, const ec_test_opts *o, ec_error *err)
{
	int rc;
	memset(pl, 0, sizeof *pl);
	pl->s = s;
	pl->o = o;
	rc = cache_get_settings(s->cache, &pl->settings, err);
	if (rc != EC_OK && rc != CACHE_NOT_FOUND)
		return rc;
	pl->have_settings = rc == EC_OK;
	/* Read once and shared: a read per mailbox cost 100,000 queries. */
	rc = cache_list_profiles(s->cache, &pl->profiles, &pl->nprofiles, err);
	if (rc != EC_OK)
		return rc;
	if (pl->nprofiles)
		qsort(pl->profiles, (size_t)pl->nprofiles, sizeof *pl->profiles, profile_cmp);
	if (o->credentials_file)
		return credentials_load(o->credentials_file, &pl->creds, err);
	return EC_OK;
}

static void pipeline_close(pipeline *pl)
{
	for (int i = 0; i < pl->nruns; i++)
		mailbox_free(&pl->runs[i].m);
	free(pl->runs);
	cache_free_profiles(pl->profiles, pl->nprofiles);
	settings_free(&pl->settings);
	credentials_free(pl->creds);
}

/* The first chunk is planned and probed before the rest is planned, so
 * probing starts within a fraction of a second of 100,000 mailboxes
 * (reading them all from the cache first took seconds). */
#define FIRST_CHUNK 1000

/* Loads runs [from, to) and takes them through rules, approval and
 * connectivity. */
static int plan_chunk(pipeline *pl, probes *pr, char (*ids)[EC_ID_SIZE], int from, int to,
                      ec_test_result *t, ec_error *err)
{
	int rc;
	pl->chunk_ms = now_ms();
	rc = load_runs(pl, ids, from, to, t, err);
	for (int i = from; rc == EC_OK && i < to; i++)
		stage_rules(pl, run_at(pl, i));
	for (int i = from; rc == EC_OK && i < to; i++)
		stage_approval(pl, run_at(pl, i));
	if (rc == EC_OK)
		rc = stage_connectivity(pl, pr, from, to, err);
	return rc;
}

static int cancelled(pipeline *pl, ec_error *err)
{
	return ec_cancelled(&pl->s->sink) ? ec_fail(err, EC_FAILED, "Test & Enable cancelled")
	                                  : EC_OK;
}

/* Judges mailbox i and stores its verdict; with discard_results the result
 * is freed once stored. */
static int judge(pipeline *pl, int i, ec_error *err)
{
	run *r = run_at(pl, i);
	int rc;
	stage_verdict(pl, r);
	r->judged = true;
	rc = testjob_store_add(pl->batch, r->t, verdict_cause(r->t), err);
	mailbox_free(&r->m); /* judged: only its result is needed */
	if (pl->o->discard_results) {
		test_result_free(r->t);
		test_result_init(r->t);
	}
	return rc;
}

/* Verdicts of mailboxes [from, to), stored. The cancel flag is read per
 * mailbox, so a cancel ends the run within one mailbox's verdict. */
static int verdicts_store(pipeline *pl, int from, int to, ec_error *err)
{
	int rc = EC_OK;
	for (int i = from; rc == EC_OK && i < to; i++)
		if ((rc = cancelled(pl, err)) == EC_OK && !run_at(pl, i)->judged)
			rc = judge(pl, i, err);
	/* Told before the next chunk is probed, which can take seconds. */
	return rc == EC_OK ? testjob_store_flush(pl->batch, err) : rc;
}

/* Every mailbox whose stages are done gets its verdict now, stored and
 * committed before the run waits again: a verdict is never held back for
 * the others, and a run stopped (x) or killed keeps every one reached. */
static int judge_ready(pipeline *pl, ec_error *err)
{
	int rc = EC_OK;
	for (int i = 0; rc == EC_OK && i < pl->n; i++)
		if (pl->runs[i].ready && !pl->runs[i].judged)
			rc = judge(pl, i, err);
	return rc == EC_OK ? testjob_store_flush(pl->batch, err) : rc;
}

/* Local checks only: each chunk is planned, probed, judged, stored and
 * freed before the next is read, so memory stays that of one chunk (all
 * mailboxes at once were 37 MB of 18,769 mailboxes' state). */
#define LOCAL_CHUNK FIRST_CHUNK

static int run_local(pipeline *pl, probes *pr, char (*ids)[EC_ID_SIZE], ec_test_result *t,
                     ec_error *err)
{
	int rc = EC_OK;
	pl->nruns = pl->total < LOCAL_CHUNK ? pl->total : LOCAL_CHUNK;
	pl->runs = ec_xcalloc((unsigned long)pl->nruns + 1, sizeof *pl->runs);
	for (int from = 0, to; rc == EC_OK && from < pl->total; from = to) {
		to = pl->total - from > LOCAL_CHUNK ? from + LOCAL_CHUNK : pl->total;
		if ((rc = cancelled(pl, err)) != EC_OK)
			break;
		pl->base = from;
		rc = plan_chunk(pl, pr, ids, from, to, t, err);
		if (rc == EC_OK)
			rc = verdicts_store(pl, from, to, err);
		for (int i = 0; i < pl->nruns; i++) {
			mailbox_free(&pl->runs[i].m);
			memset(&pl->runs[i], 0, sizeof pl->runs[i]);
		}
	}
	if (rc == EC_OK)
		times_say(pl, "planning done", pl->n);
	return rc;
}

/* With the organization's test: every mailbox stays in memory until its
 * verdict; local-only runs whose results the caller keeps are judged a
 * chunk at a time as each is planned. */
static int run_all(pipeline *pl, probes *pr, char (*ids)[EC_ID_SIZE], ec_test_result *t,
                   ec_error *err)
{
	int rc = EC_OK;
	pl->nruns = pl->total;
	pl->runs = ec_xcalloc((unsigned long)pl->total + 1, sizeof *pl->runs);
	for (int from = 0, to; rc == EC_OK && from < pl->total; from = to) {
		to = from == 0 && pl->total > FIRST_CHUNK ? FIRST_CHUNK : pl->total;
		if ((rc = cancelled(pl, err)) == EC_OK)
			rc = plan_chunk(pl, pr, ids, from, to, t, err);
		if (rc == EC_OK && pl->o->local_only)
			rc = verdicts_store(pl, from, to, err);
	}
	if (rc == EC_OK)
		times_say(pl, "planning done", pl->n);
	if (rc == EC_OK && !pl->o->local_only)
		rc = stage_server(pl, err);
	return rc;
}

int testjob_run(ec_session *s, char (*ids)[EC_ID_SIZE], int n, const ec_test_opts *o,
                ec_test_result **results, ec_error *err)
{
	pipeline pl;
	probes pr = {0};
	testjob_store batch;
	ec_test_result *t = ec_xcalloc((unsigned long)n + 1, sizeof *t);
	/* Only the organization's test and approving change anything; the
	 * local checks are fine under --read-only. */
	int rc = o->local_only && !o->approve
	             ? EC_OK
	             : session_may_change(s, "run the organization's Test & Enable", err);
	*results = t;
	if (rc == EC_OK && !o->local_only)
		rc = session_need_network(s, "Test & Enable", err);
	if (rc != EC_OK)
		return rc;
	if ((rc = pipeline_open(&pl, s, o, err)) != EC_OK) {
		pipeline_close(&pl);
		return rc;
	}
	testjob_store_init(&batch, s->cache, &s->sink, n);
	pl.total = n;
	pl.batch = &batch;
	/* Chunk by chunk only when nobody reads the results afterwards: the
	 * CLI prints them all, and its S9 marker means every mailbox planned. */
	rc = o->local_only && o->discard_results ? run_local(&pl, &pr, ids, t, err)
	                                         : run_all(&pl, &pr, ids, t, err);
	probes_free(&pr);
	/* Also after a cancel or a failure: the results judged so far stay. */
	if (rc == EC_OK)
		rc = testjob_store_flush(&batch, err);
	else
		testjob_store_flush(&batch, NULL);
	if (rc == EC_OK && pl.unreachable)
		rc = ec_fail(
		    err, EC_NETWORK,
		    ngettext("the organization stopped answering during its test; %ld of %d "
		             "mailbox failed or has no result from it (see the checks)",
		             "the organization stopped answering during its test; %ld of %d "
		             "mailboxes failed or have no result from it (see the checks)",
		             (unsigned long)n),
		    pl.failed, n);
	else if (rc == EC_OK && pl.failed)
		rc = ec_fail(err, EC_FAILED,
		             ngettext("%ld of %d mailbox failed Test & Enable",
		                      "%ld of %d mailboxes failed Test & Enable", (unsigned long)n),
		             pl.failed, n);
	pipeline_close(&pl);
	testjob_store_free(&batch);
	return rc;
}

void testjob_results_free(ec_test_result *r, int n)
{
	for (int i = 0; r && i < n; i++)
		test_result_free(&r[i]);
	free(r);
}
