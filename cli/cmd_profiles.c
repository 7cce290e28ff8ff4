/* cmd_profiles.c — the email server profile commands: `profiles [--json]`
 * (every cached profile with its mailbox count), `profile SEL [--json]`
 * (one profile) and `profile set SEL KEY=VALUE...` (through the outbox,
 * core/sync/outbox.c). Reads the cache; the edit goes through core. The
 * password columns are write-only on the organization: only whether one is
 * set is ever shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/fields.h"
#include "core/base/timefmt.h"
#include "cli/table.h"
#include "core/base/i18n.h"
#include "core/base/sanitize.h"
#include "core/codec/codec.h"
#include "core/model/options.h"
#include "core/model/profile_text.h"
#include "core/probes/probe.h"
#include "core/sync/outbox.h"

/* The profile as --json gives it, with its mailbox counts. */
static json_object *profile_json(const ec_profile *p, long total, long failing)
{
	json_object *o = codec_profile_to_cli(p);
	json_object_object_add(o, "mailboxes", json_object_new_int64(total));
	json_object_object_add(o, "failing_mailboxes", json_object_new_int64(failing));
	return o;
}

static void profile_counts(ec_cache *cache, const ec_profile *p, long *total, long *failing)
{
	ec_error ignored;
	if (cache_profile_mailbox_counts(cache, p->id, total, failing, &ignored) != EC_OK)
		*total = *failing = 0;
}

static void profiles_table(ec_cache *cache, const ec_profile *rows, int n, bool ascii)
{
	const char *headers[] = {_("Name"),     _("Server type"), _("Incoming"),
	                         _("Outgoing"), _("State"),       _("Mailboxes")};
	const int caps[] = {40, 28, 48, 48, 8, 16};
	table *t = table_new(6, headers, caps);
	for (int i = 0; i < n; i++) {
		char type[32], in[2200], out[2200], count[48];
		long total, failing;
		const char *cells[6];
		profile_counts(cache, &rows[i], &total, &failing);
		snprintf(count, sizeof count, failing ? _("%ld (%ld failing)") : "%ld", total,
		         failing);
		cells[0] = rows[i].name;
		cells[1] = profile_type_text(&rows[i], type, sizeof type);
		cells[2] = profile_endpoint_text(rows[i].incoming_location, rows[i].incoming_port,
		                                 in, sizeof in);
		cells[3] = profile_endpoint_text(rows[i].outgoing_location, rows[i].outgoing_port,
		                                 out, sizeof out);
		cells[4] = opt_slug(&opt_state, rows[i].state);
		cells[5] = count;
		table_add_row(t, cells);
	}
	table_print(t, stdout, ascii);
	table_free(t);
}

int cmd_profiles(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false;
	const cli_opt opts[] = {{"--json", &json, NULL}};
	char **pos;
	int npos, n = 0, rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	ec_profile *rows = NULL;
	ec_cache *cache;
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg profiles [--json]");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = cache_list_profiles(cache, &rows, &n, err);
	if (rc == EC_OK && json) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < n; i++) {
			long total, failing;
			profile_counts(cache, &rows[i], &total, &failing);
			json_object_array_add(arr, profile_json(&rows[i], total, failing));
		}
		cli_print_json(arr);
		json_object_put(arr);
	} else if (rc == EC_OK) {
		profiles_table(cache, rows, n, ctx->ascii);
	}
	cache_free_profiles(rows, n);
	return rc;
}

/* SEL (a name or an id) to the cached profile; none is a usage error (the
 * message says to give its exact name or id). */
static int find_profile(ec_cache *cache, const char *sel, ec_profile *p, ec_error *err)
{
	int rc = cache_find_profile(cache, sel, p, err);
	return rc == CACHE_NOT_FOUND ? (int)err->status : rc;
}

static void print_option(cli_fields *f, const char *label, const ec_optset *set, int wire)
{
	char buf[24];
	fields_add(f, label, opt_show_label(set, wire, buf, sizeof buf));
}

static const char *yes_no(int v)
{
	return v == EC_NULL ? NULL : v ? _("yes") : _("no");
}

static void print_endpoint(cli_fields *f, const char *label, const char *location, int port,
                           int ssl)
{
	char buf[2200], line[2300];
	snprintf(line, sizeof line, _("%s  (ssl %s)"),
	         profile_endpoint_text(location, port, buf, sizeof buf),
	         ssl == 1 ? _("yes") : _("no"));
	fields_add(f, label, location ? line : NULL);
}

static void print_profile(const ec_profile *p, long total, long failing)
{
	cli_fields *f = fields_new();
	char type[32], count[64], when[64];
	fields_add(f, _("Name"), p->name);
	fields_add(f, _("Id"), p->id);
	fields_add(f, _("Server type"), profile_type_text(p, type, sizeof type));
	print_option(f, _("State"), &opt_state, p->state);
	print_endpoint(f, _("Incoming server"), p->incoming_location, p->incoming_port,
	               p->incoming_ssl);
	print_endpoint(f, _("Outgoing server"), p->outgoing_location, p->outgoing_port,
	               p->outgoing_ssl);
	print_option(f, _("Incoming credentials"), &opt_credential, p->incoming_credential);
	print_option(f, _("Outgoing credentials"), &opt_credential, p->outgoing_credential);
	print_option(f, _("Incoming authentication"), &opt_auth_protocol, p->incoming_auth);
	print_option(f, _("Outgoing authentication"), &opt_auth_protocol, p->outgoing_auth);
	fields_add(f, _("Incoming user name"), p->incoming_username);
	fields_add(f, _("Incoming password set"), yes_no(p->incoming_password_set));
	fields_add(f, _("Outgoing user name"), p->outgoing_username);
	fields_add(f, _("Outgoing password set"), yes_no(p->outgoing_password_set));
	fields_add(f, _("Same for outgoing"), yes_no(p->use_same_settings));
	fields_add(f, _("Auto Discover"), yes_no(p->use_autodiscover));
	snprintf(count, sizeof count, "%d", p->max_connections);
	fields_add(f, _("Max. connections"), p->max_connections == EC_NULL ? NULL : count);
	snprintf(count, sizeof count, _("%ld (%ld failing)"), total, failing);
	fields_add(f, _("Mailboxes"), count);
	fields_add(f, _("Modified on"),
	           timefmt_human(p->modified_on[0] ? p->modified_on : NULL, when, sizeof when));
	if (p->unreadable)
		fields_add(f, _("Not read fully"), p->unreadable);
	fields_print(f, stdout, 0, 24);
}

int cmd_profile(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false;
	const cli_opt opts[] = {{"--json", &json, NULL}};
	char **pos;
	int npos, rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	ec_cache *cache;
	ec_profile p;
	long total = 0, failing = 0;
	profile_init(&p);
	if (rc == EC_OK && npos != 1)
		rc = ec_fail(err, EC_USAGE,
		             "usage: emailcfg profile SEL [--json] (SEL: name or id)");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = find_profile(cache, pos[0], &p, err);
	free(pos);
	if (rc == EC_OK)
		rc = cache_profile_mailbox_counts(cache, p.id, &total, &failing, err);
	if (rc == EC_OK && json) {
		json_object *o = profile_json(&p, total, failing);
		cli_print_json(o);
		json_object_put(o);
	} else if (rc == EC_OK) {
		print_profile(&p, total, failing);
	}
	profile_free(&p);
	return rc;
}

int cmd_profile_set(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	char **pos;
	int npos, rc = cli_parse(argc, argv, NULL, 0, &pos, &npos, err);
	ec_edit_result res = {0};
	ec_cache *cache;
	ec_profile p;
	ec_session s;
	profile_init(&p);
	if (rc == EC_OK && npos < 2)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg profile set SEL KEY=VALUE...");
	if (rc == EC_OK)
		cli_key_spelling(pos + 1, npos - 1);
	/* SEL by name or id, resolved on the cache before the session opens. */
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = find_profile(cache, pos[0], &p, err);
	if (rc == EC_OK)
		rc = cli_session(ctx, &s, err);
	if (rc == EC_OK) {
		rc = edit_profile(&s, p.id, pos + 1, npos - 1, &res, err);
		if (!ctx->cfg.quiet && (res.entry || rc == EC_OK)) {
			char *name = sanitize_text(p.name ? p.name : p.id);
			printf("%s: %s\n", name,
			       !res.entry                                ? "unchanged (already so)"
			       : rc == EC_OK && res.state == OUTBOX_SENT ? "saved"
			       : res.state == OUTBOX_QUEUED              ? "queued"
			                                    : outbox_state_slug(res.state));
			free(name);
		}
		free(res.name);
		cli_session_done(&s);
	}
	profile_free(&p);
	free(pos);
	return rc;
}

/* ---- profile test: its two endpoints probed once ------------------------------ */

static json_object *probe_json(const char *direction, const ec_probe_target *t,
                               const ec_probe_result *r)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "direction", json_object_new_string(direction));
	json_object_object_add(o, "protocol", json_object_new_string(probe_proto_slug(t->proto)));
	json_object_object_add(o, "tls", json_object_new_string(probe_tls_slug(t->tls)));
	if (t->proto == PROBE_EWS) {
		json_object_object_add(o, "url", json_object_new_string(t->url));
	} else {
		json_object_object_add(o, "host", json_object_new_string(t->host));
		json_object_object_add(o, "port", json_object_new_int(probe_target_port(t)));
	}
	json_object_object_add(o, "ok", json_object_new_boolean(r->ok));
	json_object_object_add(o, "code", json_object_new_string(r->code));
	json_object_object_add(o, "reached", json_object_new_string(probe_stage_slug(r->reached)));
	json_object_object_add(o, "message", json_object_new_string(r->message ? r->message : ""));
	json_object_object_add(o, "fix", json_object_new_string(r->fix ? r->fix : ""));
	return o;
}

static void print_probe(const char *direction, const ec_probe_target *t, const ec_probe_result *r)
{
	char where[1100];
	char *msg = sanitize_text(r->message ? r->message : ""),
	     *fix = sanitize_text(r->fix ? r->fix : "");
	char *at;
	if (t->proto == PROBE_EWS)
		snprintf(where, sizeof where, "%s", t->url);
	else
		snprintf(where, sizeof where, "%s:%d", t->host, probe_target_port(t));
	at = sanitize_text(where);
	printf("%-9s %-5s %s  %s: %s%s%s\n", direction, probe_proto_slug(t->proto), at,
	       r->ok ? "ok" : "FAILED", msg, *fix ? " " : "", fix);
	free(at);
	free(msg);
	free(fix);
}

int cmd_profile_test(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	static const char *const direction[2] = {"incoming", "outgoing"};
	bool json = false;
	const cli_opt opts[] = {{"--json", &json, NULL}};
	char **pos;
	int npos, rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	ec_probe_target t[2];
	ec_probe_result r[2];
	ec_cache *cache;
	ec_profile p;
	profile_init(&p);
	memset(r, 0, sizeof r);
	if (rc == EC_OK && npos != 1)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg profile test SEL [--json]");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = find_profile(cache, pos[0], &p, err);
	free(pos);
	/* No credentials: each endpoint is probed up to its capabilities. */
	if (rc == EC_OK)
		rc = probe_targets_for_profile(&p, NULL, NULL, t, err);
	if (rc == EC_OK)
		rc = probe_run(t, 2, 2, 0, ctx->cfg.ca_file, NULL, NULL, r, err);
	if (rc == EC_OK && json) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < 2; i++)
			json_object_array_add(arr, probe_json(direction[i], &t[i], &r[i]));
		cli_print_json(arr);
		json_object_put(arr);
	} else if (rc == EC_OK) {
		for (int i = 0; i < 2; i++)
			print_probe(direction[i], &t[i], &r[i]);
	}
	if (rc == EC_OK && !(r[0].ok && r[1].ok))
		rc = ec_fail(err, EC_FAILED, "a server of profile %s did not answer as it should",
		             p.name ? p.name : p.id);
	if (rc == EC_OK || rc == EC_FAILED)
		for (int i = 0; i < 2; i++)
			probe_result_free(&r[i]);
	profile_free(&p);
	return rc;
}
