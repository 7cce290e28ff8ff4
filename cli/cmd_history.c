/* cmd_history.c — `emailcfg history [--since DATE|DURATION] [--mailbox SEL]
 * [--json|--csv]`: the sync history of the cache (core/cache/
 * cache_status_history.c). Without --mailbox, one row per completed sync
 * (and one per day older than the detail bound), oldest first; with it, the
 * mailbox's status changes, newest first, each with the alert that came
 * with it. Times are local in the table, ISO 8601 UTC in JSON and CSV.
 * Reads the cache only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "core/base/i18n.h"
#include "cli/table.h"
#include "core/base/timefmt.h"
#include "core/model/filter.h"
#include "core/model/options.h"

/* --since: filter_parse_since(). */
static int history_since(const char *text, char out[EC_TIME_SIZE], ec_error *err)
{
	if (filter_parse_since(text, time(NULL), out))
		return EC_OK;
	return ec_fail(err, EC_USAGE, "--since '%.40s': give " FILTER_SINCE_HELP, text);
}

/* ---- Snapshots ---------------------------------------------------------- */

static const char *const snapshot_csv_cols[] = {
    "taken_on",          "duration_ms",      "daily",
    "mailboxes",         "active",           "inactive",
    "incoming_success",  "incoming_failure", "incoming_not_run",
    "outgoing_success",  "outgoing_failure", "outgoing_not_run",
    "act_success",       "act_failure",      "act_not_run",
    "approval_pending",  "alert_errors",     "alert_warnings",
    "alert_information", "queued",           "conflicts"};
#define SNAPSHOT_CSV_N ((int)(sizeof snapshot_csv_cols / sizeof snapshot_csv_cols[0]))

static json_object *channel_json(const struct ec_channel_counts *k)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_int64(k->success));
	json_object_object_add(o, "failure", json_object_new_int64(k->failure));
	json_object_object_add(o, "not_run", json_object_new_int64(k->not_run));
	return o;
}

static json_object *snapshot_json(const ec_status_snapshot *s)
{
	json_object *o = json_object_new_object(), *alerts = json_object_new_object();
	json_object_object_add(o, "taken_on", json_object_new_string(s->taken_on));
	json_object_object_add(o, "duration_ms",
	                       s->duration_ms == EC_NULL ? NULL
	                                                 : json_object_new_int64(s->duration_ms));
	json_object_object_add(o, "daily", json_object_new_boolean(s->daily));
	json_object_object_add(o, "mailboxes", json_object_new_int64(s->mailboxes));
	json_object_object_add(o, "active", json_object_new_int64(s->active));
	json_object_object_add(o, "inactive", json_object_new_int64(s->inactive));
	json_object_object_add(o, "incoming", channel_json(&s->incoming));
	json_object_object_add(o, "outgoing", channel_json(&s->outgoing));
	json_object_object_add(o, "act", channel_json(&s->act));
	json_object_object_add(o, "approval_pending", json_object_new_int64(s->approval_pending));
	json_object_object_add(alerts, "error", json_object_new_int64(s->alert_errors));
	json_object_object_add(alerts, "warning", json_object_new_int64(s->alert_warnings));
	json_object_object_add(alerts, "information", json_object_new_int64(s->alert_information));
	json_object_object_add(o, "alerts", alerts);
	json_object_object_add(o, "queued", json_object_new_int64(s->queued));
	json_object_object_add(o, "conflicts", json_object_new_int64(s->conflicts));
	return o;
}

static void snapshot_csv(const ec_status_snapshot *s)
{
	const long v[] = {s->mailboxes,         s->active,           s->inactive,
	                  s->incoming.success,  s->incoming.failure, s->incoming.not_run,
	                  s->outgoing.success,  s->outgoing.failure, s->outgoing.not_run,
	                  s->act.success,       s->act.failure,      s->act.not_run,
	                  s->approval_pending,  s->alert_errors,     s->alert_warnings,
	                  s->alert_information, s->queued,           s->conflicts};
	char num[SNAPSHOT_CSV_N][24];
	const char *cells[SNAPSHOT_CSV_N];
	cells[0] = s->taken_on;
	snprintf(num[1], sizeof num[1], "%lld", s->duration_ms);
	cells[1] = s->duration_ms == EC_NULL ? "" : num[1];
	cells[2] = s->daily ? "1" : "0";
	for (int i = 3; i < SNAPSHOT_CSV_N; i++) {
		snprintf(num[i], sizeof num[i], "%ld", v[i - 3]);
		cells[i] = num[i];
	}
	csv_write_row(stdout, SNAPSHOT_CSV_N, cells);
}

static void snapshot_row(table *t, const ec_status_snapshot *s)
{
	char when[40], f[3][24], appr[24], alerts[72], out[48];
	const char *cells[8] = {when, s->daily ? "day" : "sync", f[0], f[1], f[2], appr, alerts,
	                        out};
	timefmt_local(s->taken_on, false, when, sizeof when);
	snprintf(f[0], sizeof f[0], "%ld", s->incoming.failure);
	snprintf(f[1], sizeof f[1], "%ld", s->outgoing.failure);
	snprintf(f[2], sizeof f[2], "%ld", s->act.failure);
	snprintf(appr, sizeof appr, "%ld", s->approval_pending);
	snprintf(alerts, sizeof alerts, "%ld/%ld/%ld", s->alert_errors, s->alert_warnings,
	         s->alert_information);
	snprintf(out, sizeof out, "%ld/%ld", s->queued, s->conflicts);
	table_add_row(t, cells);
}

static void print_snapshots(const ec_status_snapshot *s, int n, bool json, bool csv, bool ascii)
{
	static const char *const hdr[] = {
	    NC_("table", "TIME"),         NC_("table", "KIND"),
	    NC_("table", "IN FAIL"),      NC_("table", "OUT FAIL"),
	    NC_("table", "ACT FAIL"),     NC_("table", "APPROVAL"),
	    NC_("table", "ALERTS E/W/I"), NC_("table", "QUEUED/CONFLICTS")};
	static const int caps[] = {0, 0, 0, 0, 0, 0, 0, 0};
	if (json) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < n; i++)
			json_object_array_add(arr, snapshot_json(&s[i]));
		cli_print_json(arr);
		json_object_put(arr);
	} else if (csv) {
		csv_write_row(stdout, SNAPSHOT_CSV_N, snapshot_csv_cols);
		for (int i = 0; i < n; i++)
			snapshot_csv(&s[i]);
	} else {
		table *t = table_new(8, hdr, caps);
		for (int i = 0; i < n; i++)
			snapshot_row(t, &s[i]);
		table_print(t, stdout, ascii);
		table_free(t);
	}
}

/* ---- A mailbox's timeline ------------------------------------------------ */

static const char *status_slug(int wire, char buf[24])
{
	return opt_show_slug(&opt_channel_status, wire, buf, 24);
}

static json_object *opt_string(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *change_json(const ec_status_change *h)
{
	json_object *o = json_object_new_object();
	char from[24], to[24];
	json_object_object_add(o, "changed_on", json_object_new_string(h->changed_on));
	json_object_object_add(o, "mailbox_id", json_object_new_string(h->mailbox_id));
	json_object_object_add(o, "mailbox_name", opt_string(h->mailbox_name));
	json_object_object_add(o, "channel", json_object_new_string(h->channel));
	json_object_object_add(o, "from",
	                       opt_string(h->added ? "new" : status_slug(h->from_status, from)));
	json_object_object_add(o, "to",
	                       opt_string(h->removed ? "removed" : status_slug(h->to_status, to)));
	json_object_object_add(o, "alert_id", opt_string(h->alert_id));
	json_object_object_add(o, "alert_text", opt_string(h->alert_text));
	return o;
}

static void change_cells(const ec_status_change *h, bool local, char when[40], char from[24],
                         char to[24], const char *cells[6])
{
	if (local)
		timefmt_local(h->changed_on, false, when, 40);
	else
		snprintf(when, 40, "%s", h->changed_on);
	cells[0] = when;
	cells[1] = h->channel;
	cells[2] = h->added ? "new" : status_slug(h->from_status, from);
	cells[3] = h->removed ? "removed" : status_slug(h->to_status, to);
	cells[4] = *h->alert_id ? h->alert_id : NULL;
	cells[5] = h->alert_text;
}

static void print_timeline(const ec_status_change *h, int n, bool json, bool csv, bool ascii)
{
	static const char *const hdr[] = {NC_("table", "WHEN"), NC_("table", "CHANNEL"),
	                                  NC_("table", "FROM"), NC_("table", "TO"),
	                                  NC_("table", "ALERT")};
	static const char *const csv_hdr[] = {"changed_on", "channel",  "from",
	                                      "to",         "alert_id", "alert_text"};
	static const int caps[] = {0, 0, 0, 0, 100};
	char when[40], from[24], to[24];
	const char *cells[6];
	if (json) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < n; i++)
			json_object_array_add(arr, change_json(&h[i]));
		cli_print_json(arr);
		json_object_put(arr);
		return;
	}
	if (csv) {
		csv_write_row(stdout, 6, csv_hdr);
		for (int i = 0; i < n; i++) {
			change_cells(&h[i], false, when, from, to, cells);
			csv_write_row(stdout, 6, cells);
		}
		return;
	}
	table *t = table_new(5, hdr, caps);
	for (int i = 0; i < n; i++) {
		change_cells(&h[i], true, when, from, to, cells);
		cells[4] = cells[5]; /* the text; the table sanitizes it */
		table_add_row(t, cells);
	}
	table_print(t, stdout, ascii);
	table_free(t);
}

/* The mailbox SEL names: a cached one, or one the history still knows (a
 * mailbox removed from the organization keeps its changes for
 * history-detail-days, read by its id or its name at the time). */
static int history_mailbox_id(ec_cache *cache, const char *sel, char id[EC_ID_SIZE], ec_error *err)
{
	int rc = cli_select_id(cache, sel, id, err);
	if (rc == CACHE_NOT_FOUND && cache_changes_mailbox_id(cache, sel, id, NULL) == EC_OK)
		rc = EC_OK, ec_error_clear(err);
	return rc == CACHE_NOT_FOUND ? EC_USAGE : rc;
}

static int history_mailbox(ec_cache *cache, const char *sel, const char *since, bool json, bool csv,
                           bool ascii, ec_error *err)
{
	char id[EC_ID_SIZE];
	ec_status_change *h = NULL;
	int n = 0, rc = history_mailbox_id(cache, sel, id, err);
	if (rc != EC_OK)
		return rc;
	rc = cache_changes_list(cache, id, since, 0, &h, &n, err);
	if (rc == EC_OK)
		print_timeline(h, n, json, csv, ascii);
	cache_free_status_changes(h, n);
	return rc;
}

int cmd_history(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	const char *since_arg = NULL, *mailbox = NULL;
	bool json = false, csv = false;
	const cli_opt opts[] = {{"--since", NULL, &since_arg},
	                        {"--mailbox", NULL, &mailbox},
	                        {"--json", &json, NULL},
	                        {"--csv", &csv, NULL}};
	char since[EC_TIME_SIZE] = "", **pos;
	int npos, n = 0, rc = cli_parse(argc, argv, opts, 4, &pos, &npos, err);
	ec_status_snapshot *s = NULL;
	ec_cache *cache;
	if (rc != EC_OK)
		return rc;
	free(pos);
	if (npos)
		return ec_fail(err, EC_USAGE,
		               "usage: emailcfg history [--since DATE|DURATION] [--mailbox SEL] "
		               "[--json|--csv]");
	if (json && csv)
		return ec_fail(err, EC_USAGE, "choose one of --json and --csv");
	if (since_arg && (rc = history_since(since_arg, since, err)) != EC_OK)
		return rc;
	if ((rc = cli_cache(ctx, &cache, err)) != EC_OK)
		return rc;
	if (mailbox)
		return history_mailbox(cache, mailbox, since, json, csv, ctx->ascii, err);
	rc = cache_snapshots_since(cache, since, 0, &s, &n, err);
	if (rc == EC_OK)
		print_snapshots(s, n, json, csv, ctx->ascii);
	free(s);
	return rc;
}
