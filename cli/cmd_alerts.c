/* cmd_alerts.c — `emailcfg alerts [SEL] [--summary] [--json]`: the cached
 * alerts newest first, each with its plain-language cause, or grouped by
 * cause with the number of mailboxes each affects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/codec/codec.h"
#include "core/model/explain.h"
#include "core/model/options.h"

static const ec_cause unknown_cause = {"other", "Not in the explanation table",
                                       "Read the alert's text; Test & Enable again after "
                                       "fixing what it names."};

static const ec_cause *cause_of(const ec_alert *a)
{
	const ec_cause *c = explain_alert(a->text, a->code);
	return c ? c : &unknown_cause;
}

typedef struct group {
	const ec_cause *cause;
	long alerts;
	char (*mailboxes)[EC_ID_SIZE];
	long nmailboxes;
} group;

static void group_add(group *g, const char *mailbox)
{
	g->alerts++;
	for (long i = 0; i < g->nmailboxes; i++)
		if (strcmp(g->mailboxes[i], mailbox) == 0)
			return;
	g->mailboxes =
	    ec_xrealloc(g->mailboxes, sizeof *g->mailboxes * (unsigned long)(g->nmailboxes + 1));
	snprintf(g->mailboxes[g->nmailboxes++], EC_ID_SIZE, "%s", mailbox);
}

static int by_mailboxes(const void *a, const void *b)
{
	const group *x = a, *y = b;
	if (x->nmailboxes != y->nmailboxes)
		return x->nmailboxes < y->nmailboxes ? 1 : -1;
	return strcmp(x->cause->cause, y->cause->cause);
}

/* Groups error and warning alerts by cause, most mailboxes first. */
static group *summarize(const ec_alert *a, int n, int *ngroups)
{
	group *g = NULL;
	*ngroups = 0;
	for (int i = 0; i < n; i++) {
		const ec_cause *c;
		int j;
		if (a[i].level == LEVEL_INFORMATION)
			continue;
		c = cause_of(&a[i]);
		for (j = 0; j < *ngroups && strcmp(g[j].cause->cause, c->cause) != 0; j++)
			;
		if (j == *ngroups) {
			g = ec_xrealloc(g, sizeof *g * (unsigned long)(*ngroups + 1));
			memset(&g[j], 0, sizeof g[j]);
			g[j].cause = c;
			(*ngroups)++;
		}
		group_add(&g[j], a[i].regarding_id);
	}
	if (g)
		qsort(g, (size_t)*ngroups, sizeof *g, by_mailboxes);
	return g;
}

static void print_summary(const group *g, int n, bool json, bool ascii)
{
	if (json) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < n; i++) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "cause",
			                       json_object_new_string(g[i].cause->cause));
			json_object_object_add(o, "title",
			                       json_object_new_string(g[i].cause->title));
			json_object_object_add(o, "fix", json_object_new_string(g[i].cause->fix));
			json_object_object_add(o, "alerts", json_object_new_int64(g[i].alerts));
			json_object_object_add(o, "mailboxes",
			                       json_object_new_int64(g[i].nmailboxes));
			json_object_array_add(arr, o);
		}
		cli_print_json(arr);
		json_object_put(arr);
		return;
	}
	{
		static const char *const hdr[] = {"MAILBOXES", "ALERTS", "CAUSE", "FIX"};
		static const int caps[] = {0, 0, 50, 90};
		table *t = table_new(4, hdr, caps);
		for (int i = 0; i < n; i++) {
			char mb[24], al[24];
			const char *cells[4] = {mb, al, g[i].cause->title, g[i].cause->fix};
			snprintf(mb, sizeof mb, "%ld", g[i].nmailboxes);
			snprintf(al, sizeof al, "%ld", g[i].alerts);
			table_add_row(t, cells);
		}
		table_print(t, stdout, ascii);
		table_free(t);
	}
}

static void print_list(ec_cache *cache, const ec_alert *a, int n, bool json, bool ascii)
{
	static const char *const hdr[] = {"WHEN", "LEVEL", "MAILBOX", "ALERT", "CAUSE"};
	static const int caps[] = {0, 0, 28, 70, 50};
	json_object *arr = json ? json_object_new_array() : NULL;
	table *t = json ? NULL : table_new(5, hdr, caps);
	for (int i = 0; i < n; i++) {
		const ec_cause *c = cause_of(&a[i]);
		if (json) {
			json_object *o = codec_alert_to_cli(&a[i]);
			json_object_object_add(o, "cause", json_object_new_string(c->cause));
			json_object_object_add(o, "fix", json_object_new_string(c->fix));
			json_object_array_add(arr, o);
		} else {
			ec_mailbox m;
			char level[24];
			bool named = cache_get_mailbox(cache, a[i].regarding_id, &m, NULL) == EC_OK;
			const char *cells[5] = {
			    a[i].modified_on,
			    opt_show_slug(&opt_alert_level, a[i].level, level, sizeof level),
			    named ? m.name : a[i].regarding_id, a[i].text, c->title};
			table_add_row(t, cells);
			if (named)
				mailbox_free(&m);
		}
	}
	if (json) {
		cli_print_json(arr);
		json_object_put(arr);
	} else {
		table_print(t, stdout, ascii);
		table_free(t);
	}
}

int cmd_alerts(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false, summary = false;
	const cli_opt opts[] = {{"--json", &json, NULL}, {"--summary", &summary, NULL}};
	char **pos;
	int npos, n = 0, rc = cli_parse(argc, argv, opts, 2, &pos, &npos, err);
	ec_alert *alerts = NULL;
	ec_mailbox m;
	ec_cache *cache;
	mailbox_init(&m);
	if (rc == EC_OK && npos > 1)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg alerts [SEL] [--summary] [--json]");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK && npos == 1)
		rc = cli_select_one(cache, pos[0], &m, err);
	free(pos);
	if (rc == EC_OK)
		rc = cache_list_alerts(cache, m.id[0] ? m.id : NULL, 0, &alerts, &n, err);
	if (rc == EC_OK && summary) {
		int ng;
		group *g = summarize(alerts, n, &ng);
		print_summary(g, ng, json, ctx->ascii);
		for (int i = 0; i < ng; i++)
			free(g[i].mailboxes);
		free(g);
	} else if (rc == EC_OK) {
		print_list(cache, alerts, n, json, ctx->ascii);
	}
	cache_free_alerts(alerts, n);
	mailbox_free(&m);
	return rc;
}
