/* cmd_edit.c — the commands that change the organization or the cache from
 * it: sync, mailbox set, mailbox defaults, approve, settings set. Each
 * parses its arguments, hands the work to core (sync.c, outbox.c) and
 * reports per mailbox; exit status is the worst outcome. A change of
 * methods, profile or address ends with a one-line hint (stderr) naming the
 * test command to run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/sync/outbox.h"
#include "core/base/i18n.h"
#include "core/model/rules.h"
#include "core/base/sanitize.h"
#include "core/sync/sync.h"

/* "synced: stored 1 mailbox, 2 profiles, …": each count with its own
 * plural form (ngettext). */
static void sync_print_summary(const ec_sync_stats *st, bool full)
{
	char mb[48], pf[48], al[48], ed[48], cf[48];
	snprintf(mb, sizeof mb,
	         ngettext("%ld mailbox", "%ld mailboxes", (unsigned long)st->mailboxes),
	         st->mailboxes);
	snprintf(pf, sizeof pf,
	         ngettext("%ld profile", "%ld profiles", (unsigned long)st->profiles),
	         st->profiles);
	snprintf(al, sizeof al, ngettext("%ld alert", "%ld alerts", (unsigned long)st->alerts),
	         st->alerts);
	snprintf(ed, sizeof ed, ngettext("%ld edit", "%ld edits", (unsigned long)st->pushed),
	         st->pushed);
	snprintf(cf, sizeof cf,
	         ngettext("%ld conflict", "%ld conflicts", (unsigned long)st->conflicts),
	         st->conflicts);
	printf(_("synced%s: stored %s, %s, %s; %ld not read fully; removed %ld%s; pushed %s (%s, "
	         "%ld failed)\n"),
	       full ? _(" (full)") : "", mb, pf, al, st->unreadable, st->removed,
	       st->removals_skipped ? _(" (removals held back)") : "", ed, cf, st->failed);
}

int cmd_sync(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool full = false;
	const cli_opt opts[] = {{"--full", &full, NULL}};
	ec_sync_stats st;
	ec_session s;
	char **pos;
	int npos, rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg sync [--full]");
	if (rc == EC_OK)
		rc = cli_session(ctx, &s, err);
	if (rc != EC_OK)
		return rc;
	rc = sync_run(&s, full, &st, err);
	cli_session_done(&s);
	if (!ctx->cfg.quiet && (rc == EC_OK || rc == EC_CONFLICT || rc == EC_FAILED))
		sync_print_summary(&st, full);
	if (!ctx->cfg.quiet && st.deferred > 0)
		printf(
		    ngettext("%ld changed row left for the next sync (run emailcfg sync again)\n",
		             "%ld changed rows left for the next sync (run emailcfg sync again)\n",
		             (unsigned long)st.deferred),
		    st.deferred);
	return rc;
}

/* Arguments that look like key=value (a lowercase key, "-" or "_" between words) are assignments.
 */
static bool is_assignment(const char *a)
{
	const char *eq = strchr(a, '=');
	if (!eq || eq == a)
		return false;
	for (const char *p = a; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_'))
			return false;
	return true;
}

static void report(const ec_edit_result *r, int n, bool quiet)
{
	for (int i = 0; i < n && !quiet; i++) {
		char *name = sanitize_text(r[i].name ? r[i].name : r[i].id);
		char *msg = r[i].message ? sanitize_text(r[i].message) : NULL;
		const char *what = !r[i].entry                     ? "unchanged (already so)"
		                   : r[i].state == OUTBOX_SENT     ? "saved"
		                   : r[i].state == OUTBOX_QUEUED   ? "queued"
		                   : r[i].state == OUTBOX_CONFLICT ? "conflict"
		                                                   : "failed";
		printf("%s: %s%s%s\n", name, what, msg ? " - " : "", msg ? msg : "");
		free(name);
		free(msg);
	}
}

/* After a change of methods, profile or address the last Test & Enable no
 * longer describes the mailbox: one line to stderr says what to run. */
static void hint_test(char *const *sels, int nsel, const char *filter, bool all,
                      char *const *assign, int nassign, bool defaults, const ec_edit_result *res,
                      int n)
{
	bool retest = defaults, changed = false;
	for (int i = 0; i < nassign && !retest; i++) {
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)strcspn(assign[i], "="), assign[i]);
		retest = rules_key_needs_test(key);
	}
	for (int i = 0; i < n; i++)
		changed |=
		    res[i].entry && (res[i].state == OUTBOX_SENT || res[i].state == OUTBOX_QUEUED);
	if (!retest || !changed)
		return;
	fputs(_("hint: the last Test & Enable no longer applies; run: emailcfg test"), stderr);
	if (filter) {
		char *q = sanitize_quote_shell(filter);
		fprintf(stderr, " --filter %s", q);
		free(q);
	}
	if (all)
		fputs(" --all", stderr);
	for (int i = 0; i < nsel; i++) {
		char *q = sanitize_quote_shell(sels[i]);
		fprintf(stderr, " %s", q);
		free(q);
	}
	fputc('\n', stderr);
}

typedef int (*batch_fn)(ec_session *s, char (*ids)[EC_ID_SIZE], int n, char *const *assign,
                        int nassign, ec_edit_result **results, ec_error *err);

static int defaults_fn(ec_session *s, char (*ids)[EC_ID_SIZE], int n, char *const *assign,
                       int nassign, ec_edit_result **results, ec_error *err);

static int run_batch(cli_ctx *ctx, int argc, char **argv, bool takes_assignments, batch_fn fn,
                     const char *usage, ec_error *err)
{
	const char *filter = NULL;
	bool all = false;
	const cli_opt opts[] = {{"--filter", NULL, &filter}, {"--all", &all, NULL}};
	char **pos, **sels, **assign;
	char(*ids)[EC_ID_SIZE] = NULL;
	int npos, nsel = 0, nassign = 0, n = 0, rc;
	ec_edit_result *res = NULL;
	ec_session s;

	if ((rc = cli_parse(argc, argv, opts, 2, &pos, &npos, err)) != EC_OK)
		return rc;
	sels = ec_xcalloc((unsigned long)npos + 1, sizeof *sels);
	assign = ec_xcalloc((unsigned long)npos + 1, sizeof *assign);
	for (int i = 0; i < npos; i++) {
		if (takes_assignments && is_assignment(pos[i]))
			assign[nassign++] = pos[i];
		else
			sels[nsel++] = pos[i];
	}
	cli_key_spelling(assign, nassign);
	if (takes_assignments && !nassign)
		rc = ec_fail(err, EC_USAGE, "usage: %s", usage);
	if (rc == EC_OK)
		rc = cli_session(ctx, &s, err);
	if (rc == EC_OK) {
		rc = cli_select_many(s.cache, sels, nsel, filter, all, &ids, &n, err);
		if (rc == EC_OK)
			rc = fn(&s, ids, n, assign, nassign, &res, err);
		if (res)
			report(res, n, ctx->cfg.quiet);
		if (res && !ctx->cfg.quiet && (takes_assignments || fn == defaults_fn))
			hint_test(sels, nsel, filter, all, assign, nassign, !takes_assignments, res,
			          n);
		edit_results_free(res, n);
		cli_session_done(&s);
	}
	free(ids);
	free(sels);
	free(assign);
	free(pos);
	return rc;
}

static int defaults_fn(ec_session *s, char (*ids)[EC_ID_SIZE], int n, char *const *assign,
                       int nassign, ec_edit_result **results, ec_error *err)
{
	(void)assign;
	(void)nassign;
	return edit_mailbox_defaults(s, ids, n, results, err);
}

static int approve_fn(ec_session *s, char (*ids)[EC_ID_SIZE], int n, char *const *assign,
                      int nassign, ec_edit_result **results, ec_error *err)
{
	(void)assign;
	(void)nassign;
	return edit_approve(s, ids, n, results, err);
}

int cmd_mailbox_set(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	return run_batch(ctx, argc, argv, true, edit_mailboxes,
	                 "emailcfg mailbox set SEL...|--filter EXPR|--all KEY=VALUE...", err);
}

int cmd_mailbox_defaults(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	return run_batch(ctx, argc, argv, false, defaults_fn, "", err);
}

int cmd_approve(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	return run_batch(ctx, argc, argv, false, approve_fn, "", err);
}

int cmd_settings_set(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	char **pos;
	int npos, rc = cli_parse(argc, argv, NULL, 0, &pos, &npos, err);
	ec_edit_result res;
	ec_session s;
	if (rc != EC_OK)
		return rc;
	cli_key_spelling(pos, npos);
	rc = cli_session(ctx, &s, err);
	if (rc == EC_OK) {
		rc = edit_settings(&s, pos, npos, &res, err);
		if (res.entry && !ctx->cfg.quiet)
			printf(_("settings: %s\n"),
			       rc == EC_OK && res.state == OUTBOX_SENT ? _("saved")
			       : res.state == OUTBOX_QUEUED            ? _("queued")
			                                    : outbox_state_slug(res.state));
		cli_session_done(&s);
	}
	free(pos);
	return rc;
}
