/* cmd_status.c — `emailcfg status`: the numbers of the console's status
 * panel, from the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/fields.h"
#include "core/base/timefmt.h"
#include "core/base/utf8.h"
#include "core/base/i18n.h"
#include "core/base/sanitize.h"
#include "core/client/signin.h"

static json_object *channel_json(const struct ec_channel_counts *c)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_int64(c->success));
	json_object_object_add(o, "failure", json_object_new_int64(c->failure));
	json_object_object_add(o, "not_run", json_object_new_int64(c->not_run));
	json_object_object_add(o, "not_used", json_object_new_int64(c->not_used));
	return o;
}

/* {user, organization, until} of the kept sign-in, or NULL (JSON null) when
 * nobody is signed in or the organization signs in with a client secret. */
static json_object *signin_json(const ec_config *cfg)
{
	char *user = NULL, when[32];
	time_t until;
	json_object *o;
	/* A secret given after the configuration was read wins over a
	 * defaulted device-code, as in auth.c. */
	bool secret = config_auth_is(cfg, "client-secret") ||
	              (!cfg->auth_given && (cfg->client_secret || cfg->secret_file));
	if (secret || signin_who(cfg, &user, &until, NULL) != EC_OK)
		return NULL;
	o = json_object_new_object();
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&until));
	json_object_object_add(o, "user", json_object_new_string(user));
	json_object_object_add(o, "organization", json_object_new_string(cfg->org_url));
	json_object_object_add(o, "until", json_object_new_string(when));
	free(user);
	return o;
}

static json_object *status_json(const ec_config *cfg, const char *name,
                                const struct ec_status_counts *s)
{
	json_object *o = json_object_new_object(), *alerts = json_object_new_object();
	json_object_object_add(o, "organization",
	                       cfg->org_url ? json_object_new_string(cfg->org_url) : NULL);
	json_object_object_add(o, "signed_in", signin_json(cfg));
	json_object_object_add(o, "organization_name", name ? json_object_new_string(name) : NULL);
	json_object_object_add(o, "last_sync",
	                       s->last_sync[0] ? json_object_new_string(s->last_sync) : NULL);
	json_object_object_add(o, "mailboxes", json_object_new_int64(s->mailboxes));
	json_object_object_add(o, "active", json_object_new_int64(s->active));
	json_object_object_add(o, "inactive", json_object_new_int64(s->inactive));
	json_object_object_add(o, "incoming", channel_json(&s->incoming));
	json_object_object_add(o, "outgoing", channel_json(&s->outgoing));
	json_object_object_add(o, "act", channel_json(&s->act));
	json_object_object_add(o, "pending_approvals", json_object_new_int64(s->approval_pending));
	json_object_object_add(o, "rejected", json_object_new_int64(s->approval_rejected));
	json_object_object_add(o, "queued_edits", json_object_new_int64(s->queued));
	json_object_object_add(o, "conflicts", json_object_new_int64(s->conflicts));
	json_object_object_add(o, "failed_edits", json_object_new_int64(s->failed));
	json_object_object_add(o, "profiles", json_object_new_int64(s->profiles));
	json_object_object_add(o, "not_read_fully", json_object_new_int64(s->unreadable));
	json_object_object_add(alerts, "errors", json_object_new_int64(s->alert_errors));
	json_object_object_add(alerts, "warnings", json_object_new_int64(s->alert_warnings));
	json_object_object_add(alerts, "information", json_object_new_int64(s->alert_information));
	json_object_object_add(o, "alerts", alerts);
	return o;
}

/* One row of the channel table: the label and four counts under headers
 * as wide as their translated words. */
static void print_channel(const char *label, const long n[4], const int w[4])
{
	char pad[64];
	printf("  %s", fields_pad(pad, sizeof pad, label, 10));
	for (int i = 0; i < 4; i++)
		printf(" %*ld", w[i], n[i]);
	putchar('\n');
}

static void print_channels(const struct ec_status_counts *s)
{
	const char *head[4] = {_("success"), _("failure"), _("not run"), _("not used")};
	const struct ec_channel_counts *c[3] = {&s->incoming, &s->outgoing, &s->act};
	const char *label[3] = {check_word("incoming"), check_word("outgoing"), check_word("act")};
	char pad[64];
	int w[4];
	printf("\n  %s", fields_pad(pad, sizeof pad, _("channel"), 10));
	for (int i = 0; i < 4; i++) {
		w[i] = (int)utf8_width(head[i]) > 9 ? (int)utf8_width(head[i]) : 9;
		printf(" %s", fields_pad(pad, sizeof pad, "", w[i] - (int)utf8_width(head[i])));
		fputs(head[i], stdout);
	}
	putchar('\n');
	for (int i = 0; i < 3; i++) {
		const long n[4] = {c[i]->success, c[i]->failure, c[i]->not_run, c[i]->not_used};
		print_channel(label[i], n, w);
	}
}

/* "Signed in as USER to ORG until TIME", from the sign-in cache alone. */
static void print_signin(const ec_config *cfg)
{
	char *user = NULL, when[32];
	time_t until;
	if (signin_who(cfg, &user, &until, NULL) != EC_OK)
		return;
	{
		char *u = sanitize_text(user), *org = sanitize_text(cfg->org_url);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&until));
		printf(_("Signed in as %s to %s until %s\n"), u, org, when);
		free(u);
		free(org);
	}
	free(user);
}

/* The column the status's values start in: after its widest label, the
 * same in every block (16 in English, as it always was). */
static int status_label_width(void)
{
	const char *labels[] = {_("Organization"),  _("Last sync"),    _("Mailboxes"),
	                        _("Approvals"),     _("Queued edits"), _("Alerts"),
	                        _("Not read fully")};
	int w = 16;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if ((int)utf8_width(labels[i]) > w)
			w = (int)utf8_width(labels[i]);
	return w;
}

static void print_status(const ec_config *cfg, const char *name, const struct ec_status_counts *s)
{
	cli_fields *f = fields_new();
	char line[600], when[64];
	int width = status_label_width();
	/* The URL may come from the environment or a shared config file:
	 * fields_add sanitizes both. */
	snprintf(line, sizeof line, "%s (%s)", name ? name : "-",
	         cfg->org_url && cfg->org_url[0] ? cfg->org_url : "-");
	fields_add(f, _("Organization"), line);
	fields_print(f, stdout, 0, width);
	print_signin(cfg);
	f = fields_new();
	fields_add(f, _("Last sync"),
	           s->last_sync[0] ? timefmt_human(s->last_sync, when, sizeof when) : _("never"));
	snprintf(line, sizeof line,
	         ngettext("%'ld (%'ld active, %'ld inactive) on %ld server profile",
	                  "%'ld (%'ld active, %'ld inactive) on %ld server profiles",
	                  (unsigned long)s->profiles),
	         s->mailboxes, s->active, s->inactive, s->profiles);
	fields_add(f, _("Mailboxes"), line);
	fields_print(f, stdout, 0, width);
	print_channels(s);
	putchar('\n');
	f = fields_new();
	snprintf(line, sizeof line, _("%ld pending, %ld blocking mail (rejected %ld)"),
	         s->approval_waiting, s->approval_pending, s->approval_rejected);
	fields_add(f, _("Approvals"), line);
	snprintf(line, sizeof line, _("%ld (conflicts %ld, failed %ld)"), s->queued, s->conflicts,
	         s->failed);
	fields_add(f, _("Queued edits"), line);
	{
		char e[80], w[80], i[80];
		snprintf(e, sizeof e,
		         ngettext("%ld error", "%ld errors", (unsigned long)s->alert_errors),
		         s->alert_errors);
		snprintf(w, sizeof w,
		         ngettext("%ld warning", "%ld warnings", (unsigned long)s->alert_warnings),
		         s->alert_warnings);
		snprintf(i, sizeof i, _("%ld information"), s->alert_information);
		snprintf(line, sizeof line, "%s, %s, %s", e, w, i);
		fields_add(f, _("Alerts"), line);
	}
	if (s->unreadable) {
		snprintf(line, sizeof line,
		         ngettext("%ld row, kept and marked (emailcfg mailbox SEL says why)",
		                  "%ld rows, kept and marked (emailcfg mailbox SEL says why)",
		                  (unsigned long)s->unreadable),
		         s->unreadable);
		fields_add(f, _("Not read fully"), line);
	}
	fields_print(f, stdout, 0, width);
}

int cmd_status(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false;
	const cli_opt opts[] = {{"--json", &json, NULL}};
	struct ec_status_counts s;
	ec_settings st;
	char **pos;
	int npos, rc;
	ec_cache *cache;

	rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg status [--json]");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = cache_status_counts(cache, &s, err);
	if (rc != EC_OK)
		return rc;
	settings_init(&st);
	if (cache_get_settings(cache, &st, NULL) != EC_OK)
		settings_free(&st); /* no settings yet: no name */
	if (json) {
		json_object *o = status_json(&ctx->cfg, st.name, &s);
		cli_print_json(o);
		json_object_put(o);
	} else {
		print_status(&ctx->cfg, st.name, &s);
	}
	settings_free(&st);
	return EC_OK;
}
