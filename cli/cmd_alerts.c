/* cmd_alerts.c — `emailcfg alerts [SEL] [--level L] [--summary] [--json]`:
 * the cached alerts newest first, each with its severity and plain-language
 * cause, or grouped by cause (core/model/alert_groups.c, the grouping the
 * console's Alerts screen shows, in the same order). Reads the cache only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "core/base/timefmt.h"
#include "cli/table.h"
#include "core/base/i18n.h"
#include "core/codec/codec.h"
#include "core/model/alert_groups.h"
#include "core/model/explain.h"
#include "core/model/options.h"

static const ec_cause unknown_cause = {ALERT_GROUPS_OTHER, N_("Not in the explanation table"),
                                       N_("Read the alert's text; Test & Enable again after "
                                          "fixing what it names.")};

static const ec_cause *alerts_cause_of(const ec_alert *a)
{
	const ec_cause *c = explain_alert(a->text, a->code);
	return c ? c : &unknown_cause;
}

/* The most mailbox ids a group lists in --summary --json ("mailboxes" has
 * the count): a group on every one of 100,000 mailboxes stays a few
 * kilobytes; `--filter cause:SLUG` selects them all. */
#define ALERTS_JSON_IDS 1000

static json_object *alerts_group_to_json(const ec_alert_group *g)
{
	json_object *o = json_object_new_object(), *ids = json_object_new_array();
	char level[24];
	json_object_object_add(o, "cause", json_object_new_string(alert_groups_slug(g)));
	json_object_object_add(o, "title", json_object_new_string(g->title));
	json_object_object_add(o, "fix",
	                       json_object_new_string(g->fix ? g->fix : unknown_cause.fix));
	json_object_object_add(
	    o, "level",
	    json_object_new_string(opt_show_slug(&opt_alert_level, g->level, level, sizeof level)));
	json_object_object_add(o, "alerts", json_object_new_int64(g->count));
	json_object_object_add(o, "mailboxes", json_object_new_int64(g->nids));
	for (int i = 0; i < g->nids && i < ALERTS_JSON_IDS; i++)
		json_object_array_add(ids, json_object_new_string(g->ids[i]));
	json_object_object_add(o, "mailbox_ids", ids);
	return o;
}

static void alerts_print_summary(const ec_alert_group *g, int n, bool json, bool ascii)
{
	static const char *const hdr[] = {NC_("table", "SEVERITY"), NC_("table", "MAILBOXES"),
	                                  NC_("table", "ALERTS"), NC_("table", "CAUSE"),
	                                  NC_("table", "FIX")};
	static const int caps[] = {0, 0, 0, 60, 90};
	table *t;
	if (json) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < n; i++)
			json_object_array_add(arr, alerts_group_to_json(&g[i]));
		cli_print_json(arr);
		json_object_put(arr);
		return;
	}
	t = table_new(5, hdr, caps);
	for (int i = 0; i < n; i++) {
		char mb[24], al[24], level[24];
		/* a masked text is the organization's words: shown as it is */
		const char *title = g[i].cause ? _(g[i].title) : g[i].title;
		const char *cells[5] = {
		    opt_show_slug(&opt_alert_level, g[i].level, level, sizeof level), mb, al, title,
		    _(g[i].fix ? g[i].fix : unknown_cause.fix)};
		snprintf(mb, sizeof mb, "%d", g[i].nids);
		snprintf(al, sizeof al, "%d", g[i].count);
		table_add_row(t, cells);
	}
	table_print(t, stdout, ascii);
	table_free(t);
}

/* What the alert is about: the mailbox's name, the server profile's
 * ("server profile NAME"), or the id when neither is cached. The table
 * sanitizes it. */
static char *alerts_regarding(ec_cache *cache, const ec_alert *a)
{
	ec_mailbox m;
	char *name, *out;
	if (a->regarding_profile) {
		name = cache_profile_name(cache, a->regarding_id);
		if (!name)
			return ec_strdup(a->regarding_id);
		size_t size = strlen(name) + 128;
		out = ec_xmalloc(size);
		snprintf(out, size, _("server profile %s"), name);
		free(name);
		return out;
	}
	mailbox_init(&m);
	if (cache_get_mailbox(cache, a->regarding_id, &m, NULL) != EC_OK) {
		mailbox_free(&m);
		return ec_strdup(a->regarding_id);
	}
	out = ec_strdup(m.name ? m.name : a->regarding_id);
	mailbox_free(&m);
	return out;
}

static void alerts_add_row(ec_cache *cache, table *t, const ec_alert *a)
{
	const ec_cause *c = alerts_cause_of(a);
	char level[24], when[64], *who = alerts_regarding(cache, a);
	const char *cells[5] = {timefmt_human(a->modified_on, when, sizeof when),
	                        opt_show_slug(&opt_alert_level, a->level, level, sizeof level), who,
	                        a->text, _(c->title)};
	table_add_row(t, cells);
	free(who);
}

static void alerts_print_list(ec_cache *cache, const ec_alert *a, int n, int only, bool json,
                              bool ascii)
{
	static const char *const hdr[] = {NC_("table", "WHEN"), NC_("table", "LEVEL"),
	                                  NC_("table", "MAILBOX"), NC_("table", "ALERT"),
	                                  NC_("table", "CAUSE")};
	static const int caps[] = {0, 0, 28, 70, 50};
	json_object *arr = json ? json_object_new_array() : NULL;
	table *t = json ? NULL : table_new(5, hdr, caps);
	for (int i = 0; i < n; i++) {
		const ec_cause *c = alerts_cause_of(&a[i]);
		if (only && a[i].level != only)
			continue;
		if (json) {
			json_object *o = codec_alert_to_cli(&a[i]);
			json_object_object_add(o, "cause", json_object_new_string(c->cause));
			json_object_object_add(o, "fix", json_object_new_string(c->fix));
			json_object_array_add(arr, o);
		} else {
			alerts_add_row(cache, t, &a[i]);
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

/* --level's value: one of opt_alert_level's slugs; 0 when not given. */
static int alerts_parse_level(const char *slug, int *level, ec_error *err)
{
	*level = 0;
	if (!slug)
		return EC_OK;
	return opt_parse_slug(&opt_alert_level, slug, level, err);
}

int cmd_alerts(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false, summary = false;
	const char *level_slug = NULL;
	const cli_opt opts[] = {
	    {"--json", &json, NULL}, {"--summary", &summary, NULL}, {"--level", NULL, &level_slug}};
	char **pos;
	int npos, n = 0, level = 0, rc = cli_parse(argc, argv, opts, 3, &pos, &npos, err);
	ec_alert *alerts = NULL;
	ec_mailbox m;
	ec_cache *cache;
	mailbox_init(&m);
	if (rc == EC_OK && npos > 1)
		rc = ec_fail(err, EC_USAGE,
		             "usage: emailcfg alerts [SEL] [--level error|warning|information] "
		             "[--summary] [--json]");
	if (rc == EC_OK)
		rc = alerts_parse_level(level_slug, &level, err);
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK && npos == 1)
		rc = cli_select_one(cache, pos[0], &m, err);
	free(pos);
	if (rc == EC_OK)
		rc = cache_list_alerts(cache, m.id[0] ? m.id : NULL, 0, &alerts, &n, err);
	if (rc == EC_OK && summary) {
		ec_alert_group *g;
		int ng;
		alert_groups_build(alerts, n, level, &g, &ng);
		alert_groups_add_profile_mailboxes(g, ng, cache_profile_failing_ids, cache);
		alerts_print_summary(g, ng, json, ctx->ascii);
		alert_groups_free(g, ng);
	} else if (rc == EC_OK) {
		alerts_print_list(cache, alerts, n, level, json, ctx->ascii);
	}
	cache_free_alerts(alerts, n);
	mailbox_free(&m);
	return rc;
}
