/* cmd_metrics.c — `emailcfg metrics [--textfile DIR]`: the cache's numbers
 * in the Prometheus text exposition format, on stdout or atomically into
 * DIR/emailcfg.prom for node_exporter's textfile collector. Reads the
 * cache; writes only that file (and its temporary sibling). Nothing secret
 * is in it: counts, profile names and times. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/base/file_replace.h"
#include "core/base/mem.h"
#include "core/base/sanitize.h"
#include "core/model/options.h"
#include "core/sync/sync_outcome.h"

#define METRICS_FILE "emailcfg.prom"

/* Families with one label whose samples are numbers of the status panel. */
typedef struct metrics_sample_def {
	const char *label_value;
	size_t offset; /* of a long in ec_status_counts */
} metrics_sample_def;

typedef struct metrics_family_def {
	const char *name, *help, *label; /* label NULL: one sample, no label */
	metrics_sample_def samples[4];
} metrics_family_def;

#define SC(field) offsetof(struct ec_status_counts, field)

static const metrics_family_def metrics_status_families[] = {
    {"emailcfg_mailboxes_by_state",
     "Mailboxes in the cache by state.",
     "state",
     {{"active", SC(active)}, {"inactive", SC(inactive)}}},
    {"emailcfg_pending_approvals",
     "Active mailboxes whose email address waits for the approval the organization requires "
     "(as emailcfg status).",
     NULL,
     {{NULL, SC(approval_pending)}}},
    {"emailcfg_alerts",
     "Alerts (trace logs) in the cache by level.",
     "level",
     {{"error", SC(alert_errors)},
      {"warning", SC(alert_warnings)},
      {"information", SC(alert_information)}}},
    {"emailcfg_outbox_entries",
     "Local edits in the outbox by state.",
     "state",
     {{"queued", SC(queued)}, {"conflict", SC(conflicts)}, {"failed", SC(failed)}}},
    {"emailcfg_server_profiles",
     "Email server profiles in the cache.",
     NULL,
     {{NULL, SC(profiles)}}},
    {"emailcfg_unreadable_rows",
     "Mailboxes, profiles and alerts a sync could not read fully.",
     NULL,
     {{NULL, SC(unreadable)}}},
};

/* The channel counts: channel label, its place in ec_status_counts. */
static const struct {
	const char *name;
	size_t offset;
} metrics_channels[] = {{"incoming", SC(incoming)}, {"outgoing", SC(outgoing)}, {"act", SC(act)}};

static const metrics_sample_def metrics_channel_statuses[] = {
    {"success", offsetof(struct ec_channel_counts, success)},
    {"failure", offsetof(struct ec_channel_counts, failure)},
    {"not_run", offsetof(struct ec_channel_counts, not_run)},
    {"not_used", offsetof(struct ec_channel_counts, not_used)},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static long metrics_long_at(const void *base, size_t offset)
{
	return *(const long *)((const char *)base + offset);
}

static void metrics_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value as the exposition format spells it: each line through the
 * sanitizer (the output may be a terminal: a control character or a bad
 * byte becomes visible text), then backslash and double quote escaped and
 * the lines joined with \n. Caller frees. */
static char *metrics_escape_label(const char *s)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	const char *p = s ? s : "";
	if (!f)
		abort(); /* memory exhausted, as ec_xmalloc */
	for (;;) {
		size_t n = strcspn(p, "\n");
		char *line = ec_xcalloc(n + 1, 1), *clean;
		memcpy(line, p, n);
		clean = sanitize_text(line);
		for (const char *c = clean; *c; c++) {
			if (*c == '\\' || *c == '"')
				fputc('\\', f);
			fputc(*c, f);
		}
		free(line);
		free(clean);
		if (!p[n])
			break;
		fputs("\\n", f);
		p += n + 1;
	}
	fclose(f);
	return out;
}

static void metrics_write_status(FILE *out, const struct ec_status_counts *s)
{
	metrics_family(out, "emailcfg_mailboxes", "gauge",
	               "Active mailboxes by channel and the channel's status (not_used: the "
	               "channel does not use server-side synchronization).");
	for (size_t c = 0; c < COUNT(metrics_channels); c++)
		for (size_t i = 0; i < COUNT(metrics_channel_statuses); i++)
			fprintf(out, "emailcfg_mailboxes{channel=\"%s\",status=\"%s\"} %ld\n",
			        metrics_channels[c].name, metrics_channel_statuses[i].label_value,
			        metrics_long_at((const char *)s + metrics_channels[c].offset,
			                        metrics_channel_statuses[i].offset));
	for (size_t f = 0; f < COUNT(metrics_status_families); f++) {
		const metrics_family_def *d = &metrics_status_families[f];
		metrics_family(out, d->name, "gauge", d->help);
		for (size_t i = 0; i < COUNT(d->samples) && (i == 0 || d->samples[i].label_value);
		     i++)
			if (d->label)
				fprintf(out, "%s{%s=\"%s\"} %ld\n", d->name, d->label,
				        d->samples[i].label_value,
				        metrics_long_at(s, d->samples[i].offset));
			else
				fprintf(out, "%s %ld\n", d->name,
				        metrics_long_at(s, d->samples[i].offset));
	}
}

static int metrics_write_approval(FILE *out, ec_cache *cache, ec_error *err)
{
	int rc = EC_OK;
	metrics_family(out, "emailcfg_mailboxes_by_approval", "gauge",
	               "Mailboxes by the approval of their email address.");
	for (int i = 0; rc == EC_OK && i < opt_approval.count; i++) {
		char filter[64];
		long n = 0;
		snprintf(filter, sizeof filter, "approval:%s", opt_approval.opts[i].slug);
		rc = cache_count_mailboxes(cache, filter, &n, err);
		if (rc == EC_OK)
			fprintf(out, "emailcfg_mailboxes_by_approval{approval=\"%s\"} %ld\n",
			        opt_approval.opts[i].slug, n);
	}
	return rc;
}

static int metrics_write_profiles(FILE *out, ec_cache *cache, ec_error *err)
{
	ec_profile *rows = NULL;
	int n = 0, rc = cache_list_profiles(cache, &rows, &n, err);
	long *total = ec_xcalloc((unsigned long)n + 1, sizeof *total);
	long *failing = ec_xcalloc((unsigned long)n + 1, sizeof *failing);
	for (int i = 0; rc == EC_OK && i < n; i++)
		rc = cache_profile_mailbox_counts(cache, rows[i].id, &total[i], &failing[i], err);
	/* Two families, each whole: the format wants a family's samples
	 * together. The id keeps two profiles of one name apart. */
	for (int k = 0; rc == EC_OK && k < 2; k++) {
		const char *name =
		    k ? "emailcfg_failing_mailboxes_by_profile" : "emailcfg_mailboxes_by_profile";
		metrics_family(out, name, "gauge",
		               k ? "Mailboxes of the server profile with a failing channel."
		                 : "Mailboxes that use the server profile.");
		for (int i = 0; i < n; i++) {
			char *label = metrics_escape_label(rows[i].name);
			fprintf(out, "%s{profile=\"%s\",profile_id=\"%s\"} %ld\n", name, label,
			        rows[i].id, k ? failing[i] : total[i]);
			free(label);
		}
	}
	free(total);
	free(failing);
	cache_free_profiles(rows, n);
	return rc;
}

static void metrics_write_sync(FILE *out, const sync_outcome *o, long long success)
{
	metrics_family(out, "emailcfg_last_sync_timestamp_seconds", "gauge",
	               "When the last successful sync ended (Unix time; 0: never).");
	fprintf(out, "emailcfg_last_sync_timestamp_seconds %lld\n", success);
	metrics_family(out, "emailcfg_last_sync_attempt_timestamp_seconds", "gauge",
	               "When the last sync, successful or not, ended (Unix time; 0: never).");
	fprintf(out, "emailcfg_last_sync_attempt_timestamp_seconds %lld\n", o->last_attempt);
	if (o->duration_ms >= 0) {
		metrics_family(out, "emailcfg_last_sync_duration_seconds", "gauge",
		               "How long the last sync took.");
		fprintf(out, "emailcfg_last_sync_duration_seconds %.3f\n", o->duration_ms / 1000.0);
	}
	metrics_family(out, "emailcfg_sync_errors_total", "counter",
	               "Syncs that did not complete, since the cache was made.");
	fprintf(out, "emailcfg_sync_errors_total %lld\n", o->errors);
}

static int metrics_write(FILE *out, ec_cache *cache, ec_error *err)
{
	struct ec_status_counts s;
	sync_outcome o;
	int rc = cache_status_counts(cache, &s, err);
	if (rc == EC_OK)
		rc = sync_outcome_read(cache, &o, err);
	if (rc != EC_OK)
		return rc;
	metrics_write_status(out, &s);
	rc = metrics_write_approval(out, cache, err);
	if (rc == EC_OK)
		rc = metrics_write_profiles(out, cache, err);
	if (rc == EC_OK)
		metrics_write_sync(out, &o, sync_outcome_success_time(&o, s.last_sync));
	return rc;
}

static int metrics_fill(FILE *f, void *cache, ec_error *err)
{
	return metrics_write(f, cache, err);
}

/* DIR/emailcfg.prom, whole (file_replace): its temporary, .emailcfg.prom.XXXXXX,
 * does not end in .prom (the collector reads only those), so the collector
 * never reads half a file. 0644: node_exporter runs as another user;
 * nothing in it is secret. */
static int metrics_write_textfile(const char *dir, ec_cache *cache, ec_error *err)
{
	size_t n = strlen(dir) + sizeof METRICS_FILE + 1;
	char *dest = ec_xmalloc(n);
	int rc;
	snprintf(dest, n, "%s/%s", dir, METRICS_FILE);
	rc = file_replace(dest, 0644, metrics_fill, cache, err);
	free(dest);
	return rc;
}

int cmd_metrics(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	const char *dir = NULL;
	const cli_opt opts[] = {{"--textfile", NULL, &dir}};
	ec_cache *cache;
	char **pos;
	int npos, rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg metrics [--textfile DIR]");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc != EC_OK)
		return rc;
	return dir ? metrics_write_textfile(dir, cache, err) : metrics_write(stdout, cache, err);
}
