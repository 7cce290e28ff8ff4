/* bulk.c — batch actions on the tagged mailboxes (or the current one):
 * Test & Enable (full, local checks only, or with a login whose password is
 * prompted without echo), Approve, Apply default settings, and set one
 * field on all (key picker, value picker or prompt validated as you type).
 * One confirmation for the batch, Cancel first; the work is a worker job,
 * so the console stays responsive. Holds the batch between dialogs. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/jobs/job_types.h"
#include "core/sync/outbox.h"
#include "core/codec/keys.h"
#include "core/model/options.h"
#include "core/model/rules.h"
#include "tui/bulk.h"
#include "tui/form.h"

static struct {
	char (*ids)[EC_ID_SIZE];
	int n, op;
	char what[300];
	const struct ec_key *key;
	char *values[64];
	int nvalues;
	char assign[600];
	char user[256];
} bk;

static void bulk_reset(void)
{
	free(bk.ids);
	bk.ids = NULL;
	for (int i = 0; i < bk.nvalues; i++)
		free(bk.values[i]);
	bk.nvalues = 0;
	memset(bk.user, 0, sizeof bk.user);
}

/* ---- Test & Enable ------------------------------------------------------------------ */

static void bulk_test_run(tui_app *app, bool local_only, const char *user, const char *password)
{
	ec_test_opts o;
	memset(&o, 0, sizeof o);
	o.local_only = local_only;
	o.username = user;
	o.password = password;
	if (getenv("EMAILCFG_TEST_TIMEOUT"))
		o.timeout_s = atol(getenv("EMAILCFG_TEST_TIMEOUT"));
	tests_start(app, bk.ids, bk.n, &o);
	bulk_reset();
}

static void bulk_password_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)ctx;
	if (choice < 0 || !text) {
		bulk_reset();
		return;
	}
	bulk_test_run(app, false, bk.user, text);
}

static void bulk_user_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)ctx;
	if (choice < 0 || !text || !*text) {
		bulk_reset();
		return;
	}
	snprintf(bk.user, sizeof bk.user, "%s", text);
	dialog_prompt(app, _("Password for the login checks (not shown, not stored)"), "", true,
	              bulk_password_done, NULL);
}

static void bulk_test_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	switch (choice) {
	case 1: bulk_test_run(app, false, NULL, NULL); break;
	case 2: bulk_test_run(app, true, NULL, NULL); break;
	case 3:
		dialog_prompt(app, _("User name for the login checks"), "", false, bulk_user_done,
		              NULL);
		break;
	default: bulk_reset();
	}
}

/* ---- "Test & Enable now?" after a change ------------------------------------------------ */

static struct {
	char (*ids)[EC_ID_SIZE];
	int n;
	char name[200];
} offer;

static void offer_reset(void)
{
	free(offer.ids);
	offer.ids = NULL;
	offer.n = 0;
}

/* Yes opens Test & Enable's own choices on the changed mailboxes. */
static void offer_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice == 1 && offer.n > 0)
		app->dirty |= bulk_start(app, OP_TEST, offer.ids, offer.n,
		                         offer.n == 1 && offer.name[0] ? offer.name : NULL);
	offer_reset();
}

/* No is the default: a test probes mail servers and schedules the
 * organization's own test, and an admin often makes several changes first. */
unsigned bulk_offer_test(tui_app *app, char (*ids)[EC_ID_SIZE], int n, const char *name)
{
	char msg[600];
	if (n <= 0)
		return 0;
	offer_reset();
	offer.ids = ec_xcalloc((unsigned long)n, sizeof *offer.ids);
	memcpy(offer.ids, ids, sizeof *offer.ids * (size_t)n);
	offer.n = n;
	snprintf(offer.name, sizeof offer.name, "%s", name ? name : "");
	if (name)
		snprintf(msg, sizeof msg,
		         _("The methods, profile or address of %s changed: its last test results "
		           "and approval no longer apply (marked stale). Run Test & Enable now?"),
		         name);
	else
		snprintf(
		    msg, sizeof msg,
		    ngettext(
		        "The methods, profile or address of %d mailbox changed: its last test "
		        "results and approval no longer apply (marked stale). Run Test & Enable "
		        "on it now?",
		        "The methods, profile or address of %d mailboxes changed: their last test "
		        "results and approval no longer apply (marked stale). Run Test & Enable "
		        "on them now?",
		        (unsigned long)n),
		    n);
	dialog_confirm(app, _("Test & Enable now?"), msg, _("No|Yes"), offer_answer, NULL);
	return RX_OVERLAY;
}

/* After a batch queued: the mailboxes whose entry changed something
 * (entry 0: already so), offered a test when the keys call for one. */
static unsigned bulk_offer_changed(tui_app *app, const ec_edit_result *res, bool retest)
{
	char(*ids)[EC_ID_SIZE] = ec_xcalloc((unsigned long)bk.n, sizeof *ids);
	int n = 0;
	const char *one = NULL;
	unsigned rx = 0;
	for (int i = 0; retest && res && i < bk.n; i++)
		if (res[i].entry) {
			memcpy(ids[n++], res[i].id, EC_ID_SIZE);
			one = res[i].name;
		}
	if (n)
		rx = bulk_offer_test(app, ids, n, n == 1 ? one : NULL);
	free(ids);
	return rx;
}

/* ---- approve, defaults ----------------------------------------------------------------- */

static void bulk_simple_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (choice == 1) {
		ec_session qs = loop_queue_session(app);
		ec_edit_result *res = NULL;
		ec_error err;
		int rc = bk.op == OP_APPROVE ? edit_approve(&qs, bk.ids, bk.n, &res, &err)
		                             : edit_mailbox_defaults(&qs, bk.ids, bk.n, &res, &err);
		if (rc == EC_OK) {
			loop_push_queued(app, bk.what);
			loop_message(app, ROLE_PENDING, _("queued: %s"), bk.what);
			/* Defaults set the profile and the methods: a new test is due. */
			app->dirty |= bulk_offer_changed(app, res, bk.op == OP_DEFAULTS);
		} else {
			loop_message(app, ROLE_ERROR, _("not queued: %s"), err.msg);
		}
		edit_results_free(res, bk.n);
	}
	bulk_reset();
}

/* ---- set one field ---------------------------------------------------------------------- */

static void bulk_set_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (choice == 1) {
		char *assign[1] = {bk.assign};
		ec_session qs = loop_queue_session(app);
		ec_edit_result *res = NULL;
		ec_error err;
		int rc = edit_mailboxes(&qs, bk.ids, bk.n, assign, 1, &res, &err);
		if (rc == EC_OK) {
			loop_push_queued(app, bk.assign);
			loop_message(app, ROLE_PENDING, _("queued: %s on %s"), bk.assign, bk.what);
			app->dirty |=
			    bulk_offer_changed(app, res, rules_key_needs_test(bk.key->key));
		} else {
			loop_message(app, ROLE_ERROR, _("not queued: %s"), err.msg);
		}
		edit_results_free(res, bk.n);
	}
	bulk_reset();
}

static void bulk_set_confirm(tui_app *app, const char *value)
{
	char text[900];
	snprintf(bk.assign, sizeof bk.assign, "%s=%s", bk.key->key, value);
	snprintf(text, sizeof text,
	         _("Set %s = %s on %s?\nThe rules check every mailbox first; "
	           "if any is refused, nothing is changed."),
	         bk.key->key, value, bk.what);
	dialog_confirm(app, _("Set one field"), text, _("Cancel|Set"), bulk_set_answer, NULL);
}

static void bulk_value_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)ctx;
	if (choice < 0) {
		bulk_reset();
		return;
	}
	if (text) /* from a prompt */
		bulk_set_confirm(app, text);
	else if (choice < bk.nvalues)
		bulk_set_confirm(app, bk.values[choice]);
}

static const char *bulk_check_value(tui_app *app, const char *text, void *ctx)
{
	static ec_error err;
	ec_mailbox m;
	int rc;
	(void)app;
	(void)ctx;
	mailbox_init(&m);
	rc = keys_mailbox_apply(&m, bk.key->key, text, NULL, NULL, &err);
	mailbox_free(&m);
	return rc == EC_OK ? NULL : err.msg;
}

static void bulk_add_value(dialog_item *items, const char *label, const char *value)
{
	items[bk.nvalues] = (dialog_item){label, NULL, false};
	bk.values[bk.nvalues++] = ec_strdup(value);
}

static void bulk_pick_value(tui_app *app)
{
	dialog_item items[64];
	const struct ec_key *k = bk.key;
	if (k->kind == KEY_STRING || k->kind == KEY_INT) {
		dialog_prompt_check(app, _(k->help), "", bulk_check_value, bulk_value_done, NULL);
		return;
	}
	if (k->kind == KEY_BOOL) {
		bulk_add_value(items, _("yes"), "yes");
		bulk_add_value(items, _("no"), "no");
	} else if (k->kind == KEY_OPTION) {
		for (int i = 0; i < k->set->count && i < 60; i++)
			bulk_add_value(items, _(k->set->opts[i].label), k->set->opts[i].slug);
	} else {
		ec_profile *p = NULL;
		int n = 0;
		ec_error err;
		bulk_add_value(items, _("(none)"), "none");
		if (cache_list_profiles(app->cache, &p, &n, &err) == EC_OK)
			for (int i = 0; i < n && bk.nvalues < 60; i++)
				bulk_add_value(items, p[i].name, p[i].id);
		dialog_pick(app, _(k->help), items, bk.nvalues, 0, bulk_value_done, NULL);
		cache_free_profiles(p, n);
		return;
	}
	dialog_pick(app, _(k->help), items, bk.nvalues, 0, bulk_value_done, NULL);
}

static void bulk_key_done(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	for (int i = 0, n = 0; choice >= 0 && i < keys_mailbox_count; i++) {
		if (keys_mailbox[i].internal)
			continue;
		if (n++ == choice) {
			bk.key = &keys_mailbox[i];
			bulk_pick_value(app);
			return;
		}
	}
	bulk_reset();
}

static void bulk_pick_key(tui_app *app)
{
	dialog_item items[32];
	char labels[32][200];
	int n = 0;
	for (int i = 0; i < keys_mailbox_count && n < 32; i++) {
		if (keys_mailbox[i].internal)
			continue;
		snprintf(labels[n], sizeof labels[n], "%-18s %s", keys_mailbox[i].key,
		         _(keys_mailbox[i].help));
		items[n] = (dialog_item){labels[n], NULL, false};
		n++;
	}
	dialog_pick(app, _("Set which field?"), items, n, 0, bulk_key_done, NULL);
}

/* ---- the batch -------------------------------------------------------------------------- */

unsigned bulk_start(tui_app *app, int op, char (*ids)[EC_ID_SIZE], int n, const char *name)
{
	char text[900];
	bulk_reset();
	bk.ids = ec_xcalloc((unsigned long)n, sizeof *bk.ids);
	memcpy(bk.ids, ids, sizeof *bk.ids * (size_t)n);
	bk.n = n;
	bk.op = op;
	if (name)
		snprintf(bk.what, sizeof bk.what, _("mailbox '%s'"), name);
	else
		snprintf(bk.what, sizeof bk.what,
		         ngettext("%d tagged mailbox", "%d tagged mailboxes", (unsigned long)n), n);
	switch (op) {
	case OP_TEST:
		snprintf(text, sizeof text,
		         _("Test & Enable %s?\nRuns the rules, approval, connectivity from this "
		           "machine and the organization's own test; progress shows on screen 6."),
		         bk.what);
		dialog_confirm(app, _("Test & Enable"), text,
		               _("Cancel|Test|Local checks only|With login..."), bulk_test_answer,
		               NULL);
		break;
	case OP_APPROVE:
		snprintf(text, sizeof text, _("Approve the email address of %s?"), bk.what);
		dialog_confirm(app, _("Approve email"), text, _("Cancel|Approve"),
		               bulk_simple_answer, NULL);
		break;
	case OP_DEFAULTS:
		snprintf(text, sizeof text,
		         _("Apply the organization's default settings (server profile, incoming, "
		           "outgoing, ACT) to %s?"),
		         bk.what);
		dialog_confirm(app, _("Apply default settings"), text, _("Cancel|Apply"),
		               bulk_simple_answer, NULL);
		break;
	case OP_SET_FIELD: bulk_pick_key(app); break;
	}
	return RX_OVERLAY;
}
