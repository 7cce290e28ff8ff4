/* cmd_mailboxes.c — `emailcfg mailboxes` (list) and `emailcfg mailbox SEL`
 * (one mailbox with its alerts and last test), from the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/fields.h"
#include "core/base/timefmt.h"
#include "cli/table.h"
#include "core/codec/codec.h"
#include "core/base/i18n.h"
#include "core/model/options.h"
#include "core/base/sanitize.h"
#include "core/model/views.h"

/* The table's method columns show the option table's short forms in
 * lower case, as the CLI spells every slug ("sss"). */
static const char *method_short(const ec_optset *set, int wire, char *buf, size_t size)
{
	const char *shown = opt_show_short(set, wire, buf, size);
	if (!shown)
		return NULL;
	if (shown != buf)
		snprintf(buf, size, "%s", shown);
	for (char *p = buf; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return buf;
}

/* A status as the option table's short form ("ok", "FAIL"); "-" where a
 * channel has not run, so the eye finds the other two. */
static const char *status_short(int status)
{
	char unknown[24];
	const char *shown;
	if (status == STATUS_NOT_RUN || status == EC_NULL)
		return "-";
	shown = opt_show_short(&opt_channel_status, status, unknown, sizeof unknown);
	return shown == unknown ? "-" : shown;
}

static const char *const list_headers[] = {NC_("table", "NAME"),    NC_("table", "EMAIL"),
                                           NC_("table", "TYPE"),    NC_("table", "IN"),
                                           NC_("table", "OUT"),     NC_("table", "ACT"),
                                           NC_("table", "STATUS"),  NC_("table", "APPROVAL"),
                                           NC_("table", "PROFILE"), NC_("table", "EDITS")};
#define LIST_COLS 10
static const int list_caps[LIST_COLS] = {32, 34, 7, 11, 11, 11, 0, 11, 26, 0};

static void list_row(table *t, const ec_mailbox *m)
{
	char status[32], edits[32] = "", shown[5][24];
	const char *cells[LIST_COLS];
	snprintf(status, sizeof status, "%s/%s/%s", status_short(m->incoming_status),
	         status_short(m->outgoing_status), status_short(m->act_status));
	if (m->conflict)
		snprintf(edits, sizeof edits, "conflict");
	else if (m->pending_edits)
		snprintf(edits, sizeof edits, "%d pending", m->pending_edits);
	cells[0] = m->name;
	cells[1] = m->email;
	cells[2] = opt_show_slug(&opt_owner_type, m->owner_type, shown[0], sizeof shown[0]);
	cells[3] = method_short(&opt_incoming, m->incoming, shown[1], sizeof shown[1]);
	cells[4] = method_short(&opt_outgoing, m->outgoing, shown[2], sizeof shown[2]);
	cells[5] = method_short(&opt_act, m->act, shown[3], sizeof shown[3]);
	/* the console's '?' after its I O A symbols: approval and test results
	 * predate a change of methods, profile or address */
	if (m->tests_stale)
		snprintf(status + strlen(status), sizeof status - strlen(status), "?");
	cells[6] = status;
	cells[7] = opt_show_slug(&opt_approval, m->approval, shown[4], sizeof shown[4]);
	cells[8] = m->profile_name;
	cells[9] = edits[0] ? edits : "";
	table_add_row(t, cells);
}

/* CSV and compact JSON are written row by row straight from the field
 * table of core/codec/codec_cli.c: no json-c object per row. */
static void csv_row(const ec_mailbox *m)
{
	char bufs[32][32];
	const char *cells[32];
	for (int i = 0; i < codec_mailbox_cli_count; i++)
		cells[i] = codec_mailbox_cli_text(m, i, bufs[i]);
	csv_write_row(stdout, codec_mailbox_cli_count, cells);
}

static void csv_header(void)
{
	const char *cells[32];
	for (int i = 0; i < codec_mailbox_cli_count; i++)
		cells[i] = codec_mailbox_cli_key(i);
	csv_write_row(stdout, codec_mailbox_cli_count, cells);
}

typedef struct list_out {
	enum { OUT_TABLE, OUT_JSON, OUT_CSV } kind;
	table *t;
	long written;
	long stale; /* rows of the table marked '?' */
	bool pretty;
} list_out;

static void out_row(list_out *o, const ec_mailbox *m)
{
	json_object *j;
	switch (o->kind) {
	case OUT_TABLE:
		list_row(o->t, m);
		o->stale += m->tests_stale;
		break;
	case OUT_CSV: csv_row(m); break;
	case OUT_JSON:
		fputs(o->written ? (o->pretty ? ",\n" : ",") : "", stdout);
		if (!o->pretty) {
			codec_mailbox_write_json(stdout, m);
			break;
		}
		/* A terminal's few screens: json-c's pretty layout. */
		j = codec_mailbox_to_cli(m);
		cli_write_json(stdout, j, true);
		json_object_put(j);
		break;
	}
	o->written++;
}

/* One statement walked to its end, each row written as it comes, so
 * 100,000 mailboxes never sit in memory at once (the table measures its
 * columns over all rows, so it keeps them). */
static int list_all(ec_cache *cache, const char *filter, const char *sort, list_out *o,
                    ec_error *err)
{
	cache_mailbox_walk *w;
	bool row = true;
	int rc = cache_walk_mailboxes_open(cache, filter, sort, &w, err);
	if (rc != EC_OK)
		return rc;
	/* The header only once the filter and sort proved valid. */
	if (o->kind == OUT_JSON)
		fputs("[", stdout);
	else if (o->kind == OUT_CSV)
		csv_header();
	/* A reader that went away (| head) ends the walk: main says nothing. */
	while (rc == EC_OK && row && !ferror(stdout)) {
		ec_mailbox m;
		rc = cache_walk_mailboxes_next(w, &m, &row, err);
		if (rc == EC_OK && row)
			out_row(o, &m);
		mailbox_free(&m);
	}
	cache_walk_mailboxes_close(w);
	return rc;
}

/* --view NAME and --filter EXPR both apply: the view's terms, then EXPR's
 * (terms all must hold, so joining them is their conjunction). */
static int mailboxes_view_filter(const cli_ctx *ctx, const char *view, const char *filter,
                                 char **both, ec_error *err)
{
	char *path = cli_views_path(ctx), *terms = NULL;
	int rc = views_resolve(path, view, &terms, err);
	size_t n;
	free(path);
	if (rc != EC_OK)
		return rc;
	n = strlen(terms) + (filter ? strlen(filter) : 0) + 2;
	*both = ec_xmalloc(n);
	snprintf(*both, n, "%s %s", terms, filter ? filter : "");
	free(terms);
	return EC_OK;
}

int cmd_mailboxes(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	const char *filter = NULL, *sort = NULL, *view = NULL;
	char *both = NULL;
	bool json = false, csv = false;
	const cli_opt opts[] = {
	    {"--view", NULL, &view}, {"--filter", NULL, &filter}, {"--sort", NULL, &sort},
	    {"--json", &json, NULL}, {"--csv", &csv, NULL},
	};
	list_out o = {OUT_TABLE, NULL, 0, 0, isatty(STDOUT_FILENO)};
	char **pos;
	int npos, rc;
	ec_cache *cache;

	rc = cli_parse(argc, argv, opts, 5, &pos, &npos, err);
	if (rc != EC_OK)
		return rc;
	free(pos);
	if (npos)
		return ec_fail(err, EC_USAGE, "mailboxes takes no arguments; use --filter EXPR");
	if (json && csv)
		return ec_fail(err, EC_USAGE, "choose one of --json and --csv");
	if (view && (rc = mailboxes_view_filter(ctx, view, filter, &both, err)) != EC_OK)
		return rc;
	if (both)
		filter = both;
	if ((rc = cli_cache(ctx, &cache, err)) != EC_OK) {
		free(both);
		return rc;
	}
	o.kind = json ? OUT_JSON : csv ? OUT_CSV : OUT_TABLE;
	if (!json && !csv)
		o.t = table_new(LIST_COLS, list_headers, list_caps);
	else if (!isatty(STDOUT_FILENO))
		/* 65 MB for 100,000 rows: a write per 4 KB was 16,000 calls. */
		setvbuf(stdout, NULL, _IOFBF, 1 << 18);
	/* One snapshot for the whole listing: a sync running meanwhile cannot
	 * make a row appear twice or not at all. */
	rc = cache_snapshot_begin(cache, err);
	if (rc == EC_OK)
		rc = list_all(cache, filter, sort, &o, err);
	if (rc == EC_OK)
		rc = cache_snapshot_end(cache, err);
	if (json && rc == EC_OK)
		fputs("]\n", stdout);
	if (o.t) {
		if (rc == EC_OK)
			table_print(o.t, stdout, ctx->ascii);
		if (rc == EC_OK && o.stale)
			printf(
			    ngettext(
			        "? after STATUS: %ld mailbox's approval and test results predate a "
			        "change of methods, profile or address; run: emailcfg test SEL\n",
			        "? after STATUS: %ld mailboxes' approval and test results predate "
			        "a "
			        "change of methods, profile or address; run: emailcfg test SEL\n",
			        o.stale),
			    o.stale);
		table_free(o.t);
	}
	free(both);
	return rc;
}

int cli_select_id(ec_cache *cache, const char *sel, char id[EC_ID_SIZE], ec_error *err)
{
	char(*ids)[EC_ID_SIZE] = NULL;
	int n = 0, rc = cache_select_mailboxes(cache, sel, &ids, &n, err);
	if (rc == EC_USAGE && n == 0)
		rc = CACHE_NOT_FOUND;
	else if (rc == EC_OK && n > 1)
		rc = ec_fail(err, EC_USAGE,
		             "'%s' matches %d mailboxes; use one of their ids "
		             "(emailcfg mailboxes --filter ...)",
		             sel, n);
	else if (rc == EC_OK)
		snprintf(id, EC_ID_SIZE, "%s", ids[0]);
	free(ids);
	return rc;
}

/* Exactly one mailbox for SEL; several matches are a usage error. */
int cli_select_one(ec_cache *cache, const char *sel, ec_mailbox *out, ec_error *err)
{
	char id[EC_ID_SIZE];
	int rc = cli_select_id(cache, sel, id, err);
	if (rc == EC_OK)
		rc = cache_get_mailbox(cache, id, out, err);
	return rc == CACHE_NOT_FOUND ? EC_USAGE : rc;
}

/* An option's label, or "7 (unknown)" for a value newer than this emailcfg. */
static void print_option(cli_fields *f, const char *label, const ec_optset *set, int wire)
{
	char buf[24];
	fields_add(f, label, opt_show_label(set, wire, buf, sizeof buf));
}

static const char *yes_no(int flag)
{
	return flag == EC_NULL ? NULL : flag ? _("yes") : _("no");
}

/* What an admin reads when a mailbox stops syncing. The error text is the
 * organization's (bounded by the codec), sanitized by print_field. */
static void print_mailbox_sync(cli_fields *f, const ec_mailbox *m)
{
	char day[11] = "", code[16] = "", state[16] = "", t1[64], t2[64];
	if (m->process_email_from[0])
		snprintf(day, sizeof day, "%.10s", m->process_email_from);
	if (m->last_sync_error_code != EC_NULL_CODE)
		snprintf(code, sizeof code, "%d", m->last_sync_error_code);
	if (m->processing_state != EC_NULL)
		snprintf(state, sizeof state, "%d", m->processing_state);
	print_option(f, _("Mailbox status"), &opt_channel_status, m->mailbox_status);
	fields_add(f, _("Processing state"), state[0] ? state : NULL);
	fields_add(f, _("Last successful sync"),
	           timefmt_human(m->last_sync_on[0] ? m->last_sync_on : NULL, t1, sizeof t1));
	fields_add(f, _("Last sync error"), m->last_sync_error);
	fields_add(f, _("Last sync error code"), code[0] ? code : NULL);
	fields_add(
	    f, _("Last sync error on"),
	    timefmt_human(m->last_sync_error_on[0] ? m->last_sync_error_on : NULL, t2, sizeof t2));
	fields_add(f, _("Process email from"), day[0] ? day : NULL);
	fields_add(f, _("Delete processed email"), yes_no(m->delete_after_processing));
	fields_add(f, _("EWS URL"), m->ews_url);
	fields_add(f, _("Forward mailbox"), yes_no(m->is_forward_mailbox));
	fields_add(f, _("Primary sync organization"), yes_no(m->org_primary_for_exchange_sync));
}

static void print_mailbox(const ec_mailbox *m)
{
	cli_fields *f = fields_new();
	char buf[64], t1[64], t2[64];
	fields_add(f, _("Name"), m->name);
	fields_add(f, _("Email"), m->email);
	print_option(f, _("Type"), &opt_owner_type, m->owner_type);
	fields_add(f, _("Owner"), m->owner);
	fields_add(f, _("Id"), m->id);
	print_option(f, _("State"), &opt_state, m->state);
	print_option(f, _("Approval"), &opt_approval, m->approval);
	fields_add(f, _("Server profile"), m->profile_name ? m->profile_name : m->profile_id);
	print_option(f, _("Incoming email"), &opt_incoming, m->incoming);
	print_option(f, _("Outgoing email"), &opt_outgoing, m->outgoing);
	print_option(f, _("Appointments, ..."), &opt_act, m->act);
	print_option(f, _("Incoming status"), &opt_channel_status, m->incoming_status);
	print_option(f, _("Outgoing status"), &opt_channel_status, m->outgoing_status);
	print_option(f, _("ACT status"), &opt_channel_status, m->act_status);
	fields_add(
	    f, _("Test completed on"),
	    timefmt_human(m->test_completed_on[0] ? m->test_completed_on : NULL, t1, sizeof t1));
	fields_add(f, _("Test scheduled"), m->test_scheduled == 1 ? _("yes") : _("no"));
	print_mailbox_sync(f, m);
	fields_add(f, _("Modified on"), timefmt_human(m->modified_on, t2, sizeof t2));
	snprintf(buf, sizeof buf, "%d%s", m->pending_edits, m->conflict ? _(" (conflict)") : "");
	fields_add(f, _("Queued edits"), buf);
	if (m->unreadable)
		fields_add(f, _("Not read fully"), m->unreadable);
	fields_print(f, stdout, 2, 22);
}

static void print_alerts(const ec_alert *a, int n)
{
	printf(_("\nAlerts (%d):\n"), n);
	for (int i = 0; i < n; i++) {
		char *text = sanitize_text(a[i].text), level[24], pad[64], when[64];
		const char *shown =
		    opt_show_label(&opt_alert_level, a[i].level, level, sizeof level);
		printf("  %s  %s %s\n", timefmt_human(a[i].modified_on, when, sizeof when),
		       fields_pad(pad, sizeof pad, shown ? shown : "?", 11), text);
		free(text);
	}
}

static void print_test(const ec_test_result *t, bool found)
{
	char when[64];
	if (!found) {
		printf("\n%s\n", _("Last Test & Enable: never run from emailcfg"));
		return;
	}
	printf(_("\nLast Test & Enable: %s (%s)\n"), check_word(check_status_slug(t->verdict)),
	       timefmt_human(t->finished_on, when, sizeof when));
	for (int i = 0; i < t->nchecks; i++) {
		const ec_check *c = &t->checks[i];
		char *msg = sanitize_text(c->message), st[64], ch[64], ok[64];
		printf("  %s %s %s %s\n", fields_pad(st, sizeof st, check_word(c->stage), 12),
		       fields_pad(ch, sizeof ch, check_word(c->channel), 8),
		       fields_pad(ok, sizeof ok, check_word(check_status_slug(c->status)), 4), msg);
		free(msg);
	}
}

static json_object *time_json(const char *t)
{
	return t[0] ? json_object_new_string(t) : NULL;
}

static json_object *int_json(int n)
{
	return n == EC_NULL ? NULL : json_object_new_int(n);
}

static json_object *flag_json(int n)
{
	return n == EC_NULL ? NULL : json_object_new_boolean(n);
}

/* The whole mailbox's keys of `mailbox SEL --json` (docs/cli.md), after
 * the list's. */
static void mailbox_sync_json(json_object *o, const ec_mailbox *m)
{
	const char *status = opt_slug(&opt_channel_status, m->mailbox_status);
	json_object_object_add(o, "process_email_from",
	                       m->process_email_from[0]
	                           ? json_object_new_string_len(m->process_email_from, 10)
	                           : NULL);
	json_object_object_add(o, "delete_after_processing", flag_json(m->delete_after_processing));
	json_object_object_add(o, "ews_url",
	                       m->ews_url ? json_object_new_string(m->ews_url) : NULL);
	json_object_object_add(o, "is_forward_mailbox", flag_json(m->is_forward_mailbox));
	json_object_object_add(o, "org_primary_for_exchange_sync",
	                       flag_json(m->org_primary_for_exchange_sync));
	json_object_object_add(o, "processing_state", int_json(m->processing_state));
	json_object_object_add(o, "mailbox_status",
	                       status ? json_object_new_string(status)
	                              : int_json(m->mailbox_status));
	json_object_object_add(o, "last_sync_on", time_json(m->last_sync_on));
	json_object_object_add(o, "last_sync_error",
	                       m->last_sync_error ? json_object_new_string(m->last_sync_error)
	                                          : NULL);
	json_object_object_add(o, "last_sync_error_code",
	                       m->last_sync_error_code == EC_NULL_CODE
	                           ? NULL
	                           : json_object_new_int(m->last_sync_error_code));
	json_object_object_add(o, "last_sync_error_on", time_json(m->last_sync_error_on));
}

int cmd_mailbox(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false;
	const cli_opt opts[] = {{"--json", &json, NULL}};
	char **pos;
	int npos, rc, nalerts = 0;
	ec_cache *cache;
	ec_mailbox m;
	ec_alert *alerts = NULL;
	ec_test_result last;
	bool tested;
	bool stale = false;

	rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	if (rc != EC_OK)
		return rc;
	if (npos != 1) {
		free(pos);
		return ec_fail(err, EC_USAGE, "usage: emailcfg mailbox SEL [--json]");
	}
	mailbox_init(&m);
	test_result_init(&last);
	rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = cli_select_one(cache, pos[0], &m, err);
	free(pos);
	if (rc == EC_OK)
		rc = cache_list_alerts(cache, m.id, 0, &alerts, &nalerts, err);
	if (rc == EC_OK) {
		int trc = cache_test_last(cache, m.id, &last, err);
		tested = trc == EC_OK;
		rc = trc == CACHE_NOT_FOUND ? EC_OK : trc;
	}
	if (rc == EC_OK)
		rc = cache_mailbox_tests_stale(cache, &m, &stale, err);
	m.tests_stale = stale;
	if (rc == EC_OK && json) {
		/* tests_stale among the list's keys, where mailboxes --json has it */
		json_object *o = codec_mailbox_to_cli(&m), *arr = json_object_new_array();
		for (int i = 0; i < nalerts; i++)
			json_object_array_add(arr, codec_alert_to_cli(&alerts[i]));
		json_object_object_add(o, "alerts", arr);
		json_object_object_add(o, "last_test",
		                       tested ? codec_test_result_to_cli(&last) : NULL);
		/* after the list's keys, alerts and last_test: scripts reading the
		 * row as mailboxes --json writes it keep working */
		mailbox_sync_json(o, &m);
		cli_print_json(o);
		json_object_put(o);
	} else if (rc == EC_OK) {
		print_mailbox(&m);
		if (stale)
			printf(_("  Test results: stale (methods, profile or address changed since "
			         "the last test); run: emailcfg test %s\n"),
			       m.id);
		print_alerts(alerts, nalerts);
		print_test(&last, tested);
	}
	cache_free_alerts(alerts, nalerts);
	test_result_free(&last);
	mailbox_free(&m);
	return rc;
}
