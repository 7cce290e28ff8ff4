/* cmd_outbox.c — `emailcfg outbox`: the queued edits and conflicts of the
 * cache's outbox, and resolving, dropping or retrying one of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/codec/codec.h"
#include "core/codec/keys.h"
#include "core/sync/outbox.h"
#include "core/base/i18n.h"
#include "core/base/sanitize.h"
#include "core/base/timefmt.h"

static const char *const headers[] = {NC_("table", "ID"),      NC_("table", "STATE"),
                                      NC_("table", "TARGET"),  NC_("table", "CHANGES"),
                                      NC_("table", "CREATED"), NC_("table", "ERROR")};
static const int caps[] = {0, 0, 36, 0, 0, 60}; /* the changes whole */

/* What an entry changes, as the console names it: the mailbox's or the
 * profile's cached name, or the organization's settings; the id only when
 * the cache no longer has the row. */
static const char *outbox_target(ec_cache *cache, const ec_outbox_entry *e, char *buf, size_t size)
{
	char *name = NULL;
	if (strcmp(e->entity, "organization") == 0)
		return _("Email Configuration Settings");
	if (strcmp(e->entity, "profile") == 0) {
		name = cache_profile_name(cache, e->target_id);
	} else {
		ec_mailbox m;
		ec_error err;
		if (cache_get_mailbox(cache, e->target_id, &m, &err) == EC_OK && m.name)
			name = ec_strdup(m.name);
		mailbox_free(&m); /* initialized whatever the answer */
	}
	snprintf(buf, size, "%s", name ? name : e->target_id);
	free(name);
	return buf;
}

/* The edit in words, as the console shows it: "Outgoing email: Server-Side
 * Synchronization or Email Router → None" (caller frees). */
static char *outbox_changes_text(ec_cache *cache, const ec_outbox_entry *e, bool ascii)
{
	return keys_entry_text(e, cache_profile_name, cache, ascii ? "->" : "\u2192");
}

static void outbox_row(table *t, ec_cache *cache, const ec_outbox_entry *e, bool ascii)
{
	char id[32], target[256], when[40];
	const char *cells[6];
	char *changes = outbox_changes_text(cache, e, ascii);
	snprintf(id, sizeof id, "%lld", e->id);
	cells[0] = id;
	cells[1] = outbox_is_sending(e) ? "sending" : outbox_state_slug(e->state);
	cells[2] = outbox_target(cache, e, target, sizeof target);
	cells[3] = changes ? changes : e->changes;
	timefmt_local(e->created_on, false, when, sizeof when);
	cells[4] = when;
	cells[5] = e->error ? e->error : "";
	table_add_row(t, cells);
	free(changes);
}

int cmd_outbox(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false, all = false;
	const cli_opt opts[] = {{"--json", &json, NULL}, {"--all", &all, NULL}};
	ec_outbox_entry *rows = NULL;
	char **pos;
	int npos, n = 0, rc;
	ec_cache *cache;

	rc = cli_parse(argc, argv, opts, 2, &pos, &npos, err);
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg outbox [--json] [--all]");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = cache_outbox_list(cache, NULL, !all, &rows, &n, err);
	if (rc != EC_OK)
		return rc;
	if (json) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < n; i++)
			json_object_array_add(
			    arr, codec_outbox_to_cli_named(&rows[i], cache_profile_name, cache));
		cli_print_json(arr);
		json_object_put(arr);
	} else if (n == 0) {
		printf("%s\n", _("The outbox is empty: every edit has reached the organization."));
	} else {
		table *t = table_new(6, headers, caps);
		for (int i = 0; i < n; i++)
			outbox_row(t, cache, &rows[i], ctx->ascii);
		table_print(t, stdout, ctx->ascii);
		table_free(t);
	}
	cache_free_outbox(rows, n);
	return EC_OK;
}

/* "ID" of outbox resolve/drop as a number. */
static int parse_entry_id(const char *s, long long *id, ec_error *err)
{
	char *end;
	*id = strtoll(s, &end, 10);
	if (!*s || *end || *id <= 0)
		return ec_fail(err, EC_USAGE, "'%s' is not an outbox entry id; see emailcfg outbox",
		               s);
	return EC_OK;
}

/* Parses "ID" (after the options), then runs fn on the entry in a session. */
static int on_entry(cli_ctx *ctx, int argc, char **argv, const cli_opt *opts, int nopts,
                    const char *usage, bool (*valid)(void),
                    int (*fn)(ec_session *, long long, ec_error *), long long *id, ec_error *err)
{
	char **pos;
	int npos, rc = cli_parse(argc, argv, opts, nopts, &pos, &npos, err);
	ec_session s;
	if (rc == EC_OK && (npos != 1 || !valid()))
		rc = ec_fail(err, EC_USAGE, "usage: %s", usage);
	if (rc == EC_OK)
		rc = parse_entry_id(pos[0], id, err);
	free(pos);
	if (rc == EC_OK)
		rc = cli_session(ctx, &s, err);
	if (rc != EC_OK)
		return rc;
	rc = fn(&s, *id, err);
	cli_session_done(&s);
	return rc;
}

static bool mine, theirs;

static bool one_side(void)
{
	return mine != theirs;
}

static bool always(void)
{
	return true;
}

static int resolve(ec_session *s, long long id, ec_error *err)
{
	return outbox_resolve(s, id, mine, err);
}

int cmd_outbox_resolve(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	const cli_opt opts[] = {{"--mine", &mine, NULL}, {"--theirs", &theirs, NULL}};
	long long id = 0;
	int rc = on_entry(ctx, argc, argv, opts, 2, "emailcfg outbox resolve ID --mine|--theirs",
	                  one_side, resolve, &id, err);
	if (rc == EC_OK && !ctx->cfg.quiet)
		printf(_("entry %lld: %s\n"), id,
		       mine ? _("your values were saved")
		            : _("dropped; the organization's values stay"));
	return rc;
}

int cmd_outbox_drop(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	long long id = 0;
	int rc = on_entry(ctx, argc, argv, NULL, 0, "emailcfg outbox drop ID", always, outbox_drop,
	                  &id, err);
	if (rc == EC_OK && !ctx->cfg.quiet)
		printf(_("entry %lld dropped\n"), id);
	return rc;
}

/* How a retried entry stands now, as the outbox has it. */
static void print_state(cli_ctx *ctx, long long id)
{
	ec_cache *cache;
	ec_outbox_entry e;
	ec_error err = {0};
	if (cli_cache(ctx, &cache, &err) != EC_OK || cache_outbox_get(cache, id, &e, &err) != EC_OK)
		return;
	if (e.state == OUTBOX_SENT) {
		printf(_("entry %lld sent\n"), id);
	} else {
		char *why = sanitize_text(e.error ? e.error : _("the next sync pushes it"));
		printf(_("entry %lld %s; %s\n"), id, outbox_state_slug(e.state), why);
		free(why);
	}
	outbox_entry_free(&e);
}

int cmd_outbox_retry(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	long long id = 0;
	int rc = on_entry(ctx, argc, argv, NULL, 0, "emailcfg outbox retry ID", always,
	                  outbox_retry, &id, err);
	if (rc == EC_OK && !ctx->cfg.quiet)
		print_state(ctx, id);
	return rc;
}
