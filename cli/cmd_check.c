/* cmd_check.c — `emailcfg check`: a monitoring plugin (Nagios, Icinga,
 * Zabbix, Checkmk, Sensu) over the cache. One status line with perfdata
 * after '|', then the failing mailboxes as long output; exit 0 OK, 1
 * WARNING, 2 CRITICAL, 3 UNKNOWN, the plugin convention rather than the
 * other commands' statuses (docs/cli.md). Reads the cache; with --sync it
 * syncs first, and writes nothing else. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>

#include "cli/cli.h"
#include "core/base/i18n.h"
#include "core/base/mem.h"
#include "core/base/sanitize.h"
#include "core/model/filter.h"
#include "core/model/model.h"
#include "core/model/options.h"
#include "core/model/plugin_range.h"
#include "core/sync/sync.h"
#include "core/sync/sync_outcome.h"

enum { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };
static const char *const check_state_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

/* The channels: their counts in the status panel and the filter that lists
 * the same failing mailboxes (active, server-side sync, status failure). */
static const struct {
	const char *name;
	size_t counts; /* offset of its ec_channel_counts in ec_status_counts */
	const char *failing_filter;
} check_channels[] = {
    {"incoming", offsetof(struct ec_status_counts, incoming),
     "state:active incoming:server-side-sync incoming-status:failure"},
    {"outgoing", offsetof(struct ec_status_counts, outgoing),
     "state:active outgoing:server-side-sync outgoing-status:failure"},
    {"act", offsetof(struct ec_status_counts, act),
     "state:active act:server-side-sync act-status:failure"},
};
#define CHECK_CHANNELS ((int)(sizeof check_channels / sizeof check_channels[0]))

/* The measures, in perfdata order. */
enum { M_FAILING, M_INCOMING, M_OUTGOING, M_ACT, M_PENDING, M_CONFLICTS, M_AGE, M_COUNT };

typedef struct check_measure {
	const char *label; /* perfdata label */
	const char *uom;
	bool durations; /* thresholds may be written 15m */
	const char *warn_text, *crit_text;
	plugin_range warn, crit;
	double value, max; /* max < 0: none */
} check_measure;

static const char *const measure_labels[M_COUNT] = {
    "failing",           "incoming_failing", "outgoing_failing", "act_failing",
    "pending_approvals", "conflicts",        "last_sync_age"};

/* The mailboxes failing in the checked channels: ids, distinct, in channel
 * then name order. */
typedef struct check_failing {
	char (*ids)[EC_ID_SIZE];
	long n;
} check_failing;

/* Text from the organization or the system for plugin output: printable,
 * and without '|', which would start perfdata. Caller frees. */
static char *check_clean(const char *s)
{
	char *clean = sanitize_text(s);
	for (char *p = clean; *p; p++)
		if (*p == '|')
			*p = '/';
	return clean;
}

/* The UNKNOWN line: the plugin's answer to anything that kept it from
 * checking; err is consumed so main prints nothing more. */
int cmd_check_unknown(ec_error *err)
{
	char *msg = check_clean(err->msg[0] ? err->msg : "unknown error");
	printf("EMAILCFG UNKNOWN - %s\n", msg);
	free(msg);
	ec_error_clear(err);
	return CHECK_UNKNOWN;
}

static int check_channel_index(const char *name, int *out, ec_error *err)
{
	for (int i = 0; i < CHECK_CHANNELS; i++)
		if (strcmp(name, check_channels[i].name) == 0) {
			*out = i;
			return EC_OK;
		}
	return ec_fail(err, EC_USAGE, "--channel is incoming, outgoing or act, not '%.40s'", name);
}

static int check_parse_range(const char *opt, const char *text, bool durations, plugin_range *out,
                             ec_error *err)
{
	if (!text || plugin_range_parse(text, durations, out))
		return EC_OK;
	return ec_fail(err, EC_USAGE,
	               "%s '%.40s' is not a threshold range (N, N:, ~:N, N:M or @N:M%s)", opt, text,
	               durations ? "; seconds, or with s, m, h or d" : "");
}

static int check_parse_thresholds(check_measure *m, const char *warn_opt, const char *crit_opt,
                                  ec_error *err)
{
	int rc = check_parse_range(warn_opt, m->warn_text, m->durations, &m->warn, err);
	if (rc == EC_OK)
		rc = check_parse_range(crit_opt, m->crit_text, m->durations, &m->crit, err);
	return rc;
}

static int check_parse_max(const char *text, long *out, ec_error *err)
{
	char *end;
	long n = text ? strtol(text, &end, 10) : 10;
	if (text && (*end || end == text || n < 0 || n > 100000))
		return ec_fail(err, EC_USAGE, "--max-names is a number from 0, not '%.40s'", text);
	*out = n;
	return EC_OK;
}

/* Every id of the filter not yet in f, appended. */
static int check_add_failing(ec_cache *cache, const char *filter, check_failing *f, ec_error *err)
{
	char(*ids)[EC_ID_SIZE] = NULL;
	long n = 0;
	int rc = cache_list_mailbox_ids(cache, filter, "name", &ids, &n, err);
	for (long i = 0; rc == EC_OK && i < n; i++) {
		bool seen = false;
		/* Three short lists at most: a linear search is enough. */
		for (long j = 0; j < f->n && !seen; j++)
			seen = strcmp(f->ids[j], ids[i]) == 0;
		if (seen)
			continue;
		f->ids = ec_xrealloc(f->ids, (unsigned long)(f->n + 1) * sizeof *f->ids);
		memcpy(f->ids[f->n++], ids[i], EC_ID_SIZE);
	}
	free(ids);
	return rc;
}

static void check_fill_counts(check_measure *m, const struct ec_status_counts *s,
                              const check_failing *f, long long success, time_t now)
{
	for (int i = 0; i < CHECK_CHANNELS; i++) {
		const struct ec_channel_counts *c =
		    (const void *)((const char *)s + check_channels[i].counts);
		m[M_INCOMING + i].value = (double)c->failure;
		m[M_INCOMING + i].max = (double)s->active;
	}
	m[M_FAILING].value = (double)f->n;
	m[M_FAILING].max = (double)s->active;
	m[M_PENDING].value = (double)s->approval_pending;
	m[M_CONFLICTS].value = (double)s->conflicts;
	m[M_AGE].value = (double)(now - success);
}

static int check_state_of(const check_measure *m)
{
	if (m->crit_text && plugin_range_alerts(&m->crit, m->value))
		return CHECK_CRITICAL;
	if (m->warn_text && plugin_range_alerts(&m->warn, m->value))
		return CHECK_WARNING;
	return CHECK_OK;
}

static void check_print_threshold(const char *text, const plugin_range *r)
{
	char buf[96];
	if (text) {
		plugin_range_format(r, buf, sizeof buf);
		fputs(buf, stdout);
	}
}

/* label=value[UOM];warn;crit;min;max, the plugin guidelines' perfdata. */
static void check_print_perfdata(const check_measure *m)
{
	for (int i = 0; i < M_COUNT; i++) {
		printf(" %s=%.0f%s;", m[i].label, m[i].value, m[i].uom);
		check_print_threshold(m[i].warn_text, &m[i].warn);
		putchar(';');
		check_print_threshold(m[i].crit_text, &m[i].crit);
		printf(";0");
		if (m[i].max >= 0)
			printf(";%.0f", m[i].max);
	}
	putchar('\n');
}

/* "incoming, act": the checked channels the mailbox fails in. */
static void check_print_channels(const ec_mailbox *mb, int channel)
{
	const int status[] = {mb->incoming_status, mb->outgoing_status, mb->act_status};
	bool first = true;
	for (int i = 0; i < CHECK_CHANNELS; i++)
		if ((channel < 0 || channel == i) && status[i] == STATUS_FAILURE) {
			printf("%s%s", first ? "" : ", ", check_channels[i].name);
			first = false;
		}
}

/* The long output: one line a failing mailbox, at most max of them. */
static void check_print_names(ec_cache *cache, const check_failing *f, long max, int channel)
{
	for (long i = 0; i < f->n && i < max; i++) {
		ec_mailbox mb;
		char *name, *error;
		memset(&mb, 0, sizeof mb);
		if (cache_get_mailbox(cache, f->ids[i], &mb, NULL) != EC_OK)
			continue;
		name = check_clean(mb.name ? mb.name : mb.id);
		error = check_clean(mb.last_sync_error ? mb.last_sync_error : "");
		printf("%s (", name);
		check_print_channels(&mb, channel);
		printf(")%s%s\n", error[0] ? ": " : "", error);
		free(name);
		free(error);
		mailbox_free(&mb);
	}
	if (f->n > max)
		printf("and %ld more\n", f->n - max);
}

static void check_print_line(int state, const check_measure *m, int channel, long waiting,
                             const char *sync_error)
{
	printf("EMAILCFG %s - ", check_state_names[state]);
	if (sync_error) {
		char *why = check_clean(sync_error);
		printf("sync failed: %s; ", why);
		free(why);
	}
	if (channel >= 0)
		printf(ngettext("%.0f mailbox failing %s", "%.0f mailboxes failing %s",
		                (unsigned long)m[M_INCOMING + channel].value),
		       m[M_INCOMING + channel].value, check_channels[channel].name);
	else
		printf(ngettext("%.0f failing mailbox", "%.0f failing mailboxes",
		                (unsigned long)m[M_FAILING].value),
		       m[M_FAILING].value);
	/* The measure is what blocks mail; the panel's pending count beside it. */
	printf(ngettext(", %.0f approval blocking mail", ", %.0f approvals blocking mail",
	                (unsigned long)m[M_PENDING].value),
	       m[M_PENDING].value);
	printf(_(" (%ld pending)"), waiting);
	printf(ngettext(", %.0f conflict", ", %.0f conflicts", (unsigned long)m[M_CONFLICTS].value),
	       m[M_CONFLICTS].value);
	printf(", last sync %.0fs ago |", m[M_AGE].value);
	check_print_perfdata(m);
}

/* --timeout: a monitoring system kills a check that runs past its own limit
 * (Nagios and Icinga: 60 s) and shows "plugin timed out", not why. A sync
 * still running at the limit ends the check with its CRITICAL line, written
 * from the signal handler (write(2) and _exit(2) only; the cache's
 * transaction rolls back as after any crash). */
#define CHECK_TIMEOUT_DEFAULT 50
static char check_timeout_line[160];

static void check_timeout_fired(int sig)
{
	ssize_t n = write(STDOUT_FILENO, check_timeout_line, strlen(check_timeout_line));
	(void)sig;
	(void)n;
	_exit(CHECK_CRITICAL);
}

static int check_parse_timeout(const char *text, long long *seconds, ec_error *err)
{
	*seconds = CHECK_TIMEOUT_DEFAULT;
	if (!text)
		return EC_OK;
	if (text[0] && strspn(text, "0123456789") == strlen(text) && strlen(text) < 7)
		*seconds = atoll(text);
	else if (!filter_parse_duration(text, seconds))
		*seconds = 0;
	if (*seconds > 0 && *seconds < 86400)
		return EC_OK;
	return ec_fail(err, EC_USAGE,
	               "--timeout takes seconds (30) or a duration (2m), not '%.40s'", text);
}

static void check_arm_timeout(long long seconds)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = check_timeout_fired;
	snprintf(
	    check_timeout_line, sizeof check_timeout_line,
	    "EMAILCFG CRITICAL - sync failed: it did not finish within %llds (the organization "
	    "is slow or does not answer; --timeout)\n",
	    seconds);
	fflush(stdout);
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)seconds);
}

/* --sync: a sync first, quietly. One that could not pull is CRITICAL, not
 * UNKNOWN (the plugin guidelines keep that for the plugin's own trouble):
 * an organization unreachable at night must page someone. */
static int check_sync(cli_ctx *ctx, ec_error *err)
{
	ec_sync_stats st = {0};
	ec_session s;
	int rc;
	ctx->cfg.quiet = true;
	rc = cli_session(ctx, &s, err);
	if (rc != EC_OK)
		return rc;
	rc = sync_run(&s, false, &st, err);
	cli_session_done(&s);
	if (st.pulled) {
		ec_error_clear(err); /* a queued edit's conflict is not the check's */
		return EC_OK;
	}
	return rc != EC_OK ? rc : ec_fail(err, EC_FAILED, "the sync did not complete");
}

typedef struct check_args {
	const char *channel, *max_names, *timeout;
	bool sync;
} check_args;

static int check_parse_args(int argc, char **argv, check_measure *m, check_args *a, ec_error *err)
{
	/* --warning/--critical land on failing or on the --channel's measure
	 * once the channel is known. */
	const cli_opt opts[] = {
	    {"--warning", NULL, &m[M_FAILING].warn_text},
	    {"--critical", NULL, &m[M_FAILING].crit_text},
	    {"--channel", NULL, &a->channel},
	    {"--pending-warning", NULL, &m[M_PENDING].warn_text},
	    {"--pending-critical", NULL, &m[M_PENDING].crit_text},
	    {"--conflicts-warning", NULL, &m[M_CONFLICTS].warn_text},
	    {"--conflicts-critical", NULL, &m[M_CONFLICTS].crit_text},
	    {"--age-warning", NULL, &m[M_AGE].warn_text},
	    {"--age-critical", NULL, &m[M_AGE].crit_text},
	    {"--max-names", NULL, &a->max_names},
	    {"--sync", &a->sync, NULL},
	    {"--timeout", NULL, &a->timeout},
	};
	char **pos;
	int npos,
	    rc = cli_parse(argc, argv, opts, (int)(sizeof opts / sizeof opts[0]), &pos, &npos, err);
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE,
		             "usage: emailcfg check [OPTIONS]; see emailcfg check --help");
	return rc;
}

static int check_prepare(int argc, char **argv, check_measure *m, check_args *a, int *channel,
                         long *max_names, ec_error *err)
{
	int rc = check_parse_args(argc, argv, m, a, err);
	*channel = -1;
	if (rc == EC_OK && a->channel)
		rc = check_channel_index(a->channel, channel, err);
	if (rc == EC_OK && *channel >= 0) {
		m[M_INCOMING + *channel].warn_text = m[M_FAILING].warn_text;
		m[M_INCOMING + *channel].crit_text = m[M_FAILING].crit_text;
		m[M_FAILING].warn_text = m[M_FAILING].crit_text = NULL;
	}
	if (rc == EC_OK)
		rc = check_parse_thresholds(&m[M_FAILING], "--warning", "--critical", err);
	if (rc == EC_OK && *channel >= 0)
		rc = check_parse_thresholds(&m[M_INCOMING + *channel], "--warning", "--critical",
		                            err);
	if (rc == EC_OK)
		rc = check_parse_thresholds(&m[M_PENDING], "--pending-warning",
		                            "--pending-critical", err);
	if (rc == EC_OK)
		rc = check_parse_thresholds(&m[M_CONFLICTS], "--conflicts-warning",
		                            "--conflicts-critical", err);
	if (rc == EC_OK)
		rc = check_parse_thresholds(&m[M_AGE], "--age-warning", "--age-critical", err);
	if (rc == EC_OK)
		rc = check_parse_max(a->max_names, max_names, err);
	return rc;
}

/* The cache's numbers into m, the failing mailboxes into f, and the active
 * mailboxes waiting for approval (blocking mail or not) into *waiting. */
static int check_read(cli_ctx *ctx, int channel, check_measure *m, check_failing *f,
                      ec_cache **cache, long *waiting, ec_error *err)
{
	check_failing all = {0};
	struct ec_status_counts s;
	sync_outcome o;
	long long success;
	int rc = cli_cache(ctx, cache, err);
	if (rc == EC_OK)
		rc = cache_status_counts(*cache, &s, err);
	if (rc == EC_OK)
		rc = sync_outcome_read(*cache, &o, err);
	for (int i = 0; rc == EC_OK && i < CHECK_CHANNELS; i++)
		if (channel < 0 || channel == i)
			rc = check_add_failing(*cache, check_channels[i].failing_filter, f, err);
	/* The perfdata's failing keeps one meaning (every channel) whatever
	 * --channel names: a graph of it must not change with a service. */
	for (int i = 0; rc == EC_OK && channel >= 0 && i < CHECK_CHANNELS; i++)
		rc = check_add_failing(*cache, check_channels[i].failing_filter, &all, err);
	if (rc != EC_OK) {
		free(all.ids);
		return rc;
	}
	success = sync_outcome_success_time(&o, s.last_sync);
	if (success <= 0) {
		free(all.ids);
		return ec_fail(err, EC_LOCAL, "the cache %s was never synced; run emailcfg sync",
		               ctx->cfg.cache_path);
	}
	check_fill_counts(m, &s, channel >= 0 ? &all : f, success, time(NULL));
	*waiting = s.approval_waiting;
	free(all.ids);
	return EC_OK;
}

int cmd_check(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	check_measure m[M_COUNT] = {0};
	check_args a = {0};
	check_failing f = {0};
	ec_cache *cache = NULL;
	ec_error sync_err = {0};
	bool sync_failed = false;
	long waiting = 0;
	long long timeout = 0;
	long max_names = 10;
	int channel, state = CHECK_OK;
	int rc;
	for (int i = 0; i < M_COUNT; i++) {
		m[i].label = measure_labels[i];
		m[i].uom = i == M_AGE ? "s" : "";
		m[i].durations = i == M_AGE;
		m[i].max = i <= M_ACT ? 0 : -1;
	}
	rc = check_prepare(argc, argv, m, &a, &channel, &max_names, err);
	if (rc == EC_OK)
		rc = check_parse_timeout(a.timeout, &timeout, err);
	if (rc == EC_OK && a.sync) {
		check_arm_timeout(timeout);
		sync_failed = check_sync(ctx, &sync_err) != EC_OK;
		alarm(0);
	}
	if (rc == EC_OK)
		rc = check_read(ctx, channel, m, &f, &cache, &waiting, err);
	if (rc != EC_OK) {
		free(f.ids);
		return cmd_check_unknown(err);
	}
	for (int i = 0; i < M_COUNT; i++) {
		int s = check_state_of(&m[i]);
		state = s > state ? s : state;
	}
	if (sync_failed)
		state = CHECK_CRITICAL;
	check_print_line(state, m, channel, waiting, sync_failed ? sync_err.msg : NULL);
	check_print_names(cache, &f, max_names, channel);
	free(f.ids);
	return state;
}
