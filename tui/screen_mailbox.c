/* screen_mailbox.c — the Mailbox form: general facts, the synchronization
 * method (server profile, incoming, outgoing, ACT pickers whose refused
 * options are disabled with the rule's reason), credentials, the live rule
 * check of the edited copy, queued edits and a conflict shown field by
 * field (mine / theirs / base), processing (the date mail is taken from,
 * deleting processed mail, the EWS URL), the configuration test results
 * (marked stale after a saved change of methods, profile or address, when
 * "Test & Enable now?" is offered), the last synchronization as the
 * organization reported it, the status history (since when it fails, each
 * change of a channel with the cause of a failure), alerts with their
 * explanations, and the local Test & Enable history. It edits a copy, validates it as you type,
 * saves through the outbox (a worker job) and guards Esc with "Discard changes?". Reads the cache
 * only. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/timefmt.h"
#include "core/model/explain.h"
#include "core/base/i18n.h"
#include "core/jobs/job_types.h"
#include "core/sync/outbox.h"
#include "core/model/options.h"
#include "core/model/rules.h"
#include "tui/app.h"
#include "tui/bulk.h"
#include "tui/form.h"

/* Status changes the form lists (the history holds more: emailcfg history). */
#define MF_TIMELINE 12

static struct {
	char id[EC_ID_SIZE];
	bool loaded, edited;
	ec_mailbox saved, copy;
	ec_settings settings;
	bool have_settings;
	bool stale; /* approval and test results predate a change (cache_mailbox_tests_stale) */
	char moved[256]; /* edited fields someone else changed meanwhile (form_rebase_edits) */
	form f;
	long long conflict_entry;
} mf;

/* ---- data ---------------------------------------------------------------------- */

static bool mf_profile(tui_app *app, const ec_mailbox *m, ec_profile *out)
{
	ec_error err;
	profile_init(out);
	return m->profile_id[0] && cache_get_profile(app->cache, m->profile_id, out, &err) == EC_OK;
}

static bool mf_key_changed(const struct ec_key *k)
{
	json_object *a = keys_mailbox_get_json(&mf.saved, k->key);
	json_object *b = keys_mailbox_get_json(&mf.copy, k->key);
	bool same = json_object_equal(a, b);
	json_object_put(a);
	json_object_put(b);
	return !same;
}

static bool mf_unsaved(tui_app *app)
{
	(void)app;
	if (!mf.loaded)
		return false;
	for (int i = 0; i < keys_mailbox_count; i++)
		if (!keys_mailbox[i].internal && mf_key_changed(&keys_mailbox[i]))
			return true;
	return false;
}

static void mf_build_rules(tui_app *app)
{
	rule_finding found[16];
	ec_profile p;
	bool hp = mf_profile(app, &mf.copy, &p);
	rule_ctx ctx = {&mf.saved, &mf.copy, mf.have_settings ? &mf.settings : NULL,
	                hp ? &p : NULL};
	int n = rules_check(&ctx, RULE_REFUSES_EDIT, found, 16);
	form_section(&mf.f, _("Rules"));
	if (n == 0)
		form_text(&mf.f, ROLE_OK, _("no rule objects to these settings"));
	for (int i = 0; i < n && i < 16; i++) {
		char line[600];
		snprintf(line, sizeof line, "%s %s %s %s",
		         found[i].refused ? "refused:" : "note:", rule_message(found[i].rule),
		         draw_sym(app, "\u2192", "->"), rule_fix(found[i].rule));
		form_text(&mf.f, found[i].refused ? ROLE_ERROR : ROLE_WARN, line);
	}
	profile_free(&p);
}

static void mf_build_conflict(tui_app *app, const ec_outbox_entry *e)
{
	json_object *mine = form_outbox_json(app, e->changes);
	json_object *theirs = form_outbox_json(app, e->theirs);
	json_object *base = form_outbox_json(app, e->base);
	mf.conflict_entry = e->id;
	form_text(&mf.f, ROLE_CONFLICT,
	          _("conflict: the organization changed this mailbox after the edit was made "
	            "(c resolves it field by field)"));
	form_fact(&mf.f, _("field"), ROLE_HEADER, "%-22s %-22s %s", _("mine"), _("theirs"),
	          _("base"));
	json_object_object_foreach(mine, key, val)
	{
		json_object *t = NULL, *b = NULL;
		const struct ec_key *k = keys_mailbox_find(key);
		char *vm, *vt, *vb;
		json_object_object_get_ex(theirs, key, &t);
		json_object_object_get_ex(base, key, &b);
		vm = keys_value_text(val, k), vt = keys_value_text(t, k),
		vb = keys_value_text(b, k);
		form_fact(&mf.f, keys_label_for("mailbox", key), ROLE_NORMAL, "%-22s %-22s %s", vm,
		          vt, vb);
		free(vm), free(vt), free(vb);
	}
	json_object_put(mine);
	json_object_put(theirs);
	json_object_put(base);
}

static void mf_build_outbox(tui_app *app)
{
	ec_outbox_entry *e = NULL;
	int n = 0;
	ec_error err;
	mf.conflict_entry = 0;
	if (cache_outbox_list(app->cache, mf.id, true, &e, &n, &err) != EC_OK || n == 0) {
		cache_free_outbox(e, n);
		return;
	}
	form_section(&mf.f, _("Queued edits"));
	for (int i = 0; i < n; i++) {
		if (e[i].state == OUTBOX_CONFLICT)
			mf_build_conflict(app, &e[i]);
		else {
			char *text = form_changes_text(app, &e[i]);
			form_fact(&mf.f, outbox_state_slug(e[i].state),
			          e[i].state == OUTBOX_FAILED ? ROLE_ERROR : ROLE_PENDING, "%s %s",
			          text, e[i].error ? e[i].error : "");
			free(text);
		}
	}
	cache_free_outbox(e, n);
}

/* A fact that is a time: local time (timefmt.h), "never" when there is none. */
static void mf_fact_when(const char *label, const char *iso)
{
	char when[40];
	timefmt_local(iso, false, when, sizeof when);
	form_fact(&mf.f, label, ROLE_NORMAL, "%s", iso[0] ? when : _("never"));
}

static void mf_build_test(tui_app *app)
{
	const ec_mailbox *m = &mf.saved;
	const struct {
		const char *name;
		int status, enabled;
	} ch[3] = {{N_("Incoming"), m->incoming_status, m->enabled_incoming},
	           {N_("Outgoing"), m->outgoing_status, m->enabled_outgoing},
	           {N_("ACT"), m->act_status, m->enabled_act}};
	form_section(&mf.f, _("Configuration test results"));
	if (mf.stale)
		form_text(&mf.f, ROLE_WARN,
		          _("stale: the methods, profile or address changed after these results "
		            "and the approval; t runs Test & Enable"));
	for (int i = 0; i < 3; i++) {
		enum tui_role r;
		char shown[24];
		const char *sym = draw_status_symbol(app, ch[i].status, &r);
		form_fact(&mf.f, _(ch[i].name), r, "%s %s%s", sym,
		          opt_show_label(&opt_channel_status,
		                         ch[i].status == EC_NULL ? 0 : ch[i].status, shown,
		                         sizeof shown),
		          ch[i].enabled == 1 ? _(", enabled") : "");
	}
	mf_fact_when(_("Test completed"), m->test_completed_on);
	if (m->test_scheduled == 1)
		form_fact(&mf.f, _("Test"), ROLE_PENDING, "%s", _("scheduled"));
}

/* What the organization last reported of the mailbox's synchronization:
 * the error is its own text (bounded by the codec, sanitized when drawn). */
static void mf_build_sync(tui_app *app)
{
	const ec_mailbox *m = &mf.saved;
	enum tui_role r;
	char shown[24];
	const char *sym = draw_status_symbol(app, m->mailbox_status, &r);
	form_section(&mf.f, _("Last synchronization"));
	form_fact(&mf.f, _("Mailbox status"), r, "%s %s", sym,
	          opt_show_label(&opt_channel_status,
	                         m->mailbox_status == EC_NULL ? 0 : m->mailbox_status, shown,
	                         sizeof shown));
	if (m->processing_state != EC_NULL)
		form_fact(&mf.f, _("Processing state"), ROLE_NORMAL, "%d", m->processing_state);
	mf_fact_when(_("Last successful sync"), m->last_sync_on);
	if (!m->last_sync_error && m->last_sync_error_code == EC_NULL_CODE)
		return;
	form_fact(&mf.f, _("Last sync error"), ROLE_FAIL, "%s",
	          m->last_sync_error ? m->last_sync_error : "");
	if (m->last_sync_error_code != EC_NULL_CODE)
		form_fact(&mf.f, _("  code"), ROLE_NORMAL, "%d", m->last_sync_error_code);
	if (m->last_sync_error_on[0])
		mf_fact_when(_("  on"), m->last_sync_error_on);
}

/* The mailbox's status changes from the sync history, newest first, each
 * failure with the cause of the alert that came with it; and since when it
 * fails. */
static void mf_build_timeline(tui_app *app)
{
	ec_status_change *h = NULL;
	int n = 0;
	ec_error err;
	time_t since;
	char when[40], age[24], change[64];
	form_section(&mf.f, _("Status history"));
	if (timefmt_parse_utc(mf.saved.failing_since, &since)) {
		timefmt_local(mf.saved.failing_since, false, when, sizeof when);
		timefmt_age((long long)(time(NULL) - since), age, sizeof age);
		form_fact(&mf.f, _("Failing since"), ROLE_FAIL, _("%s (%s)"), when, age);
	}
	if (cache_changes_list(app->cache, mf.id, NULL, MF_TIMELINE, &h, &n, &err) != EC_OK ||
	    n == 0)
		form_text(&mf.f, ROLE_DIM,
		          _("no status change since the mailbox was first synced"));
	for (int i = 0; i < n; i++) {
		const ec_status_change *c = &h[i];
		const ec_cause *cause;
		timefmt_local(c->changed_on, false, when, sizeof when);
		tui_change_text(app, c, change, sizeof change);
		form_fact(&mf.f, when,
		          c->to_status == STATUS_FAILURE   ? ROLE_FAIL
		          : c->to_status == STATUS_SUCCESS ? ROLE_OK
		                                           : ROLE_NORMAL,
		          "%s: %s", tui_channel_label(c->channel), change);
		if (c->to_status != STATUS_FAILURE || !c->alert_text)
			continue;
		cause = explain_alert(c->alert_text, 0);
		form_fact(&mf.f, _("  cause"), ROLE_NORMAL, "%s",
		          cause ? _(cause->title) : c->alert_text);
	}
	cache_free_status_changes(h, n);
}

static void mf_build_alerts(tui_app *app)
{
	ec_alert *a = NULL;
	int n = 0;
	ec_error err;
	form_section(&mf.f, _("Alerts"));
	if (cache_list_alerts(app->cache, mf.id, 10, &a, &n, &err) != EC_OK || n == 0)
		form_text(&mf.f, ROLE_DIM, _("no alerts"));
	for (int i = 0; i < n; i++) {
		const ec_cause *c = explain_alert(a[i].text, a[i].code);
		char when[40];
		timefmt_local(a[i].created_on, false, when, sizeof when);
		form_fact(&mf.f, when,
		          a[i].level == LEVEL_ERROR     ? ROLE_FAIL
		          : a[i].level == LEVEL_WARNING ? ROLE_WARN
		                                        : ROLE_NORMAL,
		          "%s", a[i].text ? a[i].text : "");
		if (c) {
			form_fact(&mf.f, _("  cause"), ROLE_NORMAL, "%s", _(c->title));
			form_fact(&mf.f, _("  fix"), ROLE_OK, "%s", _(c->fix));
		}
	}
	cache_free_alerts(a, n);
}

static void mf_build_history(tui_app *app)
{
	ec_test_result *t = NULL;
	int n = 0;
	ec_error err;
	form_section(&mf.f, _("Local Test & Enable history"));
	if (cache_test_list(app->cache, mf.id, 5, &t, &n, &err) != EC_OK || n == 0)
		form_text(&mf.f, ROLE_DIM, _("not tested from this machine"));
	for (int i = 0; i < n; i++) {
		char when[40];
		timefmt_local(t[i].started_on, false, when, sizeof when);
		form_fact(&mf.f, when, t[i].verdict == CHECK_PASS ? ROLE_OK : ROLE_FAIL, "%s",
		          check_status_slug(t[i].verdict));
		for (int c = 0; i == 0 && c < t[i].nchecks; c++) {
			const ec_check *k = &t[i].checks[c];
			char label[64];
			snprintf(label, sizeof label, "  %s %s", k->stage, k->channel);
			form_fact(&mf.f, label,
			          k->status == CHECK_PASS   ? ROLE_OK
			          : k->status == CHECK_FAIL ? ROLE_FAIL
			                                    : ROLE_DIM,
			          "%s %s%s%s", check_status_slug(k->status),
			          k->message ? k->message : "", k->fix && k->fix[0] ? " -> " : "",
			          k->fix ? k->fix : "");
		}
	}
	cache_free_tests(t, n);
}

/* An editable key of the form with its short label. */
static void mf_key(const char *key, const char *label)
{
	const struct ec_key *k = keys_mailbox_find(key);
	if (k)
		form_key(&mf.f, k, label, mf_key_changed(k));
}

static void mf_build(tui_app *app)
{
	const ec_mailbox *m = &mf.copy;
	const char *type = opt_slug(&opt_owner_type, m->owner_type);
	char shown[24];
	int sel = mf.f.sel, top = mf.f.top;
	form_clear(&mf.f);
	form_section(&mf.f, _("General"));
	form_fact(&mf.f, _("Name"), ROLE_NORMAL, "%s", m->name ? m->name : "");
	mf_key("email", _("Email address"));
	form_fact(&mf.f, _("Owner"), ROLE_NORMAL, "%s (%s)", m->owner ? m->owner : "",
	          type ? type : "?");
	form_fact(&mf.f, _("Email address approval"),
	          m->approval == APPROVAL_APPROVED ? ROLE_OK : ROLE_WARN, "%s",
	          opt_show_label(&opt_approval, m->approval == EC_NULL ? 0 : m->approval, shown,
	                         sizeof shown));
	if (m->unreadable) /* what the last sync could not read, and why */
		form_fact(&mf.f, _("Not read fully"), ROLE_WARN, "%s", m->unreadable);
	mf_key("state", _("Status"));
	form_section(&mf.f, _("Synchronization method"));
	mf_key("server-profile", _("Server profile"));
	mf_key("incoming", _("Incoming email"));
	mf_key("outgoing", _("Outgoing email"));
	mf_key("act", _("Appointments, contacts, tasks"));
	form_section(&mf.f, _("Credentials"));
	mf_key("allow-credentials", _("Allow use of credentials"));
	mf_key("username", _("User name"));
	form_fact(&mf.f, _("Password"), ROLE_NORMAL, "%s",
	          m->password_set == 1 ? _("set (write-only)") : _("not set"));
	form_section(&mf.f, _("Processing"));
	mf_key("process-email-from", _("Process email from"));
	mf_key("delete-after-processing", _("Delete after processing"));
	mf_key("ews-url", _("EWS URL"));
	form_fact(&mf.f, _("Forward mailbox"), ROLE_NORMAL, "%s",
	          m->is_forward_mailbox == 1 ? _("yes") : _("no"));
	form_fact(&mf.f, _("Primary sync organization"), ROLE_NORMAL, "%s",
	          m->org_primary_for_exchange_sync == EC_NULL ? ""
	          : m->org_primary_for_exchange_sync
	              ? _("yes: sync items with Exchange from this org only")
	              : _("no"));
	mf_build_rules(app);
	mf_build_outbox(app);
	mf_build_test(app);
	mf_build_sync(app);
	mf_build_timeline(app);
	mf_build_alerts(app);
	mf_build_history(app);
	mf.f.sel = sel;
	mf.f.top = top;
	if (!form_current(&mf.f))
		form_home(&mf.f);
}

/* Edits still queued in the outbox are shown as the form's values: the
 * organization has not confirmed them yet, the Queued edits rows say so. */
static void mf_apply_queued(tui_app *app, ec_mailbox *m)
{
	ec_outbox_entry *e = NULL;
	int n = 0;
	ec_error err;
	if (cache_outbox_list(app->cache, m->id, true, &e, &n, &err) != EC_OK)
		return;
	for (int i = 0; i < n; i++) {
		json_object *ch;
		if (e[i].state != OUTBOX_QUEUED || !e[i].changes)
			continue;
		ch = json_tokener_parse(e[i].changes);
		if (ch)
			keys_mailbox_apply_changes(m, ch, form_resolve_profile, app, &err);
		json_object_put(ch);
	}
	cache_free_outbox(e, n);
}

static json_object *mf_row_get(const void *row, const char *key)
{
	return keys_mailbox_get_json(row, key);
}

/* The fresh row under unsaved edits: the edits move onto it and the fields
 * the admin did not touch follow it (form_rebase_edits). */
static void mf_rebase(tui_app *app, const ec_mailbox *fresh)
{
	ec_mailbox next;
	ec_error err;
	json_object *edits =
	    form_rebase_edits(app, keys_mailbox, keys_mailbox_count, mf_row_get, &mf.saved,
	                      &mf.copy, fresh, mf.moved, sizeof mf.moved);
	mailbox_copy(&next, fresh);
	if (keys_mailbox_apply_changes(&next, edits, form_resolve_profile, app, &err) == EC_OK) {
		mailbox_free(&mf.copy);
		mf.copy = next;
	} else {
		mailbox_free(&next); /* the copy as it was: nothing the admin typed is lost */
	}
	json_object_put(edits);
}

static void mf_reload(tui_app *app)
{
	ec_mailbox fresh;
	ec_error err;
	bool keep = mf.loaded && mf_unsaved(app);
	mailbox_init(&fresh);
	if (cache_get_mailbox(app->cache, mf.id, &fresh, &err) != EC_OK) {
		mailbox_free(&fresh);
		loop_message(app, ROLE_ERROR, "%s", err.msg);
		return;
	}
	mf_apply_queued(app, &fresh);
	settings_free(&mf.settings);
	mf.have_settings = cache_get_settings(app->cache, &mf.settings, &err) == EC_OK;
	if (cache_mailbox_tests_stale(app->cache, &fresh, &mf.stale, &err) != EC_OK)
		mf.stale = false;
	if (keep)
		mf_rebase(app, &fresh); /* edits in progress survive a refresh */
	else if (mf.loaded)
		mailbox_free(&mf.copy);
	if (mf.loaded)
		mailbox_free(&mf.saved);
	mf.saved = fresh;
	if (!keep) {
		mailbox_copy(&mf.copy, &mf.saved);
		mf.moved[0] = '\0'; /* no edit left to ask about */
	}
	mf.loaded = true;
	mf_build(app);
}

static void mf_open_now(tui_app *app, const char *id)
{
	if (mf.loaded) {
		mailbox_free(&mf.saved);
		mailbox_free(&mf.copy);
		mf.loaded = false;
	}
	snprintf(mf.id, sizeof mf.id, "%s", id);
	mf.moved[0] = '\0';
	mf.f.sel = 0;
	mf.f.top = 0;
	mf.f.last_sel = -1;
	mf_reload(app);
	form_home(&mf.f);
	loop_switch_screen(app, SCR_MAILBOX);
}

static char mf_next_id[EC_ID_SIZE];

static void mf_replace_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice == 1)
		mf_open_now(app, mf_next_id);
	else
		loop_switch_screen(app, SCR_MAILBOX); /* back to the edits, kept */
}

/* Opening another mailbox while this one has unsaved edits asks first
 * (Cancel returns to the edits); the same one just comes back. */
void mailbox_open(tui_app *app, const char *id)
{
	char msg[400];
	if (!mf_unsaved(app) || strcmp(id, mf.id) == 0) {
		if (mf_unsaved(app))
			loop_switch_screen(app, SCR_MAILBOX);
		else
			mf_open_now(app, id);
		return;
	}
	snprintf(mf_next_id, sizeof mf_next_id, "%s", id);
	snprintf(msg, sizeof msg, _("%s has edits that are not saved. Discard them?"),
	         mf.saved.name ? mf.saved.name : mf.id);
	dialog_confirm(app, _("Discard changes?"), msg, _("Cancel|Discard"), mf_replace_answer,
	               NULL);
}

/* ---- editing -------------------------------------------------------------------- */

static int mf_apply(tui_app *app, const char *key, const char *value, ec_error *err)
{
	int rc = keys_mailbox_apply(&mf.copy, key, value, form_resolve_profile, app, err);
	if (rc == EC_OK)
		mf_build(app);
	return rc;
}

/* A refused value is shown disabled with the rule that refuses it: for a
 * delivery method the picker's own rule (rules_choices: what this field
 * breaks), for anything else the change as a whole (rules_refusal). */
static const ec_rule *mf_refusal(tui_app *app, const struct ec_key *k, const char *value)
{
	static const struct {
		const char *key;
		enum rules_field field;
	} methods[] = {
	    {"incoming", FIELD_INCOMING}, {"outgoing", FIELD_OUTGOING}, {"act", FIELD_ACT}};
	ec_mailbox trial;
	ec_profile p;
	ec_error err;
	const ec_rule *r = NULL;
	bool hp;
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		rule_choice rc[8];
		int n;
		const ec_option *o;
		/* Only a method has an option set (the profile's chooser has none). */
		if (strcmp(k->key, methods[i].key) != 0 || !k->set ||
		    !(o = opt_find_slug(k->set, value)))
			continue;
		hp = mf_profile(app, &mf.copy, &p);
		n = rules_choices(methods[i].field, &mf.copy,
		                  mf.have_settings ? &mf.settings : NULL, hp ? &p : NULL, rc);
		profile_free(&p);
		for (int j = 0; j < n; j++)
			if (rc[j].wire == o->wire)
				return rc[j].refused_by;
		return NULL;
	}
	mailbox_copy(&trial, &mf.copy);
	if (keys_mailbox_apply(&trial, k->key, value, form_resolve_profile, app, &err) == EC_OK) {
		hp = mf_profile(app, &trial, &p);
		r = rules_refusal(&mf.saved, &trial, mf.have_settings ? &mf.settings : NULL,
		                  hp ? &p : NULL);
		profile_free(&p);
	}
	mailbox_free(&trial);
	return r;
}

static json_object *mf_get(const struct ec_key *k)
{
	return keys_mailbox_get_json(&mf.copy, k->key);
}

/* As-you-type check of a text field: the keys table's own validation. */
static int mf_check(const char *key, const char *value, ec_error *err)
{
	ec_mailbox trial;
	int rc;
	mailbox_copy(&trial, &mf.copy);
	rc = keys_mailbox_apply(&trial, key, value, NULL, NULL, err);
	mailbox_free(&trial);
	return rc;
}

static const char *mf_profile_id(void)
{
	return mf.copy.profile_id;
}

static const form_model mf_model = {mf_get, mf_apply, mf_check, mf_refusal, mf_profile_id};

/* ---- saving ----------------------------------------------------------------------- */

static char *mf_assignment(const struct ec_key *k)
{
	json_object *v = keys_mailbox_get_json(&mf.copy, k->key);
	char *a = form_assignment(k, v, mf.copy.profile_id);
	json_object_put(v);
	return a;
}

/* After a saved change of methods, profile or address the last results
 * describe another mailbox: they are marked stale and a test is offered.
 * No is the default: a test probes mail servers and schedules the
 * organization's own test, and an admin often makes several changes first. */
static unsigned mf_offer_test(tui_app *app)
{
	char ids[1][EC_ID_SIZE];
	mf.stale = true;
	mf_build(app);
	memcpy(ids[0], mf.id, EC_ID_SIZE);
	return bulk_offer_test(app, ids, 1, mf.saved.name ? mf.saved.name : mf.id);
}

static unsigned mf_save(tui_app *app);

static void mf_moved_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text, (void)ctx;
	if (choice != 1)
		return;
	mf.moved[0] = '\0';
	app->dirty |= mf_save(app);
}

static unsigned mf_save(tui_app *app)
{
	char *assign[16];
	int n = 0;
	bool retest = false;
	char ids[1][EC_ID_SIZE];
	ec_profile p;
	bool hp;
	const ec_rule *r;
	if (!mf_unsaved(app)) {
		loop_message(app, ROLE_DIM, "%s", _("nothing to save"));
		return RX_MESSAGE;
	}
	if (mf.moved[0])
		return form_confirm_moved(app, mf.moved, mf_moved_answer);
	hp = mf_profile(app, &mf.copy, &p);
	r = rules_refusal(&mf.saved, &mf.copy, mf.have_settings ? &mf.settings : NULL,
	                  hp ? &p : NULL);
	profile_free(&p);
	if (r) {
		loop_message(app, ROLE_ERROR, _("not saved: %s %s"), rule_message(r), rule_fix(r));
		return RX_MESSAGE;
	}
	for (int i = 0; i < keys_mailbox_count && n < 16; i++)
		if (!keys_mailbox[i].internal && mf_key_changed(&keys_mailbox[i])) {
			assign[n++] = mf_assignment(&keys_mailbox[i]);
			retest |= rules_key_needs_test(keys_mailbox[i].key);
		}
	memcpy(ids[0], mf.id, EC_ID_SIZE);
	{
		ec_session qs = loop_queue_session(app);
		ec_edit_result *res = NULL;
		ec_error err;
		int rc = edit_mailboxes(&qs, ids, 1, assign, n, &res, &err);
		edit_results_free(res, 1);
		for (int i = 0; i < n; i++)
			free(assign[i]);
		if (rc != EC_OK) {
			loop_message(app, ROLE_ERROR, _("not saved: %s"), err.msg);
			return RX_MESSAGE;
		}
	}
	loop_push_queued(app, _("saving the mailbox"));
	/* The copy is now what is queued: the form is clean, the row pending. */
	mailbox_free(&mf.saved);
	mailbox_copy(&mf.saved, &mf.copy);
	mf_build(app);
	loop_message(app, ROLE_PENDING, "%s",
	             _("saved to the outbox; the row shows pending until the organization "
	               "confirms"));
	return RX_BODY | RX_MESSAGE | RX_PANEL | (retest ? mf_offer_test(app) : 0);
}

static void mf_discard_answer(tui_app *app, int choice, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (choice != 1)
		return;
	mf.moved[0] = '\0';
	mf.loaded = false;
	mailbox_free(&mf.saved);
	mailbox_free(&mf.copy);
	loop_back(app);
}

static unsigned mf_escape(tui_app *app)
{
	if (mf_unsaved(app)) {
		dialog_confirm(app, _("Discard changes?"),
		               _("This mailbox has edits that are not saved. Discard them?"),
		               _("Cancel|Discard"), mf_discard_answer, NULL);
		return RX_OVERLAY;
	}
	loop_back(app);
	return RX_ALL;
}

/* The password goes straight to the worker; the dialog wipes its copy. */
static void mf_password_done(tui_app *app, int choice, const char *text, void *ctx)
{
	long id;
	(void)ctx;
	if (choice < 0 || !text || !*text)
		return;
	id = job_submit_password(app->worker, mf.id, text);
	loop_job_started(app, id, "password", mf.saved.name ? mf.saved.name : mf.id);
	loop_message(app, ROLE_PENDING, "%s", _("sending the password (it is not stored)"));
}

unsigned mailbox_cmd(tui_app *app, int op)
{
	char ids[1][EC_ID_SIZE];
	switch (op) {
	case OP_UP: form_move(&mf.f, -1); return RX_BODY;
	case OP_DOWN: form_move(&mf.f, 1); return RX_BODY;
	case OP_PGUP: form_move(&mf.f, -10); return RX_BODY;
	case OP_PGDN: form_move(&mf.f, 10); return RX_BODY;
	case OP_HOME: form_home(&mf.f); return RX_BODY;
	case OP_END: form_end(&mf.f); return RX_BODY;
	case OP_ENTER: return form_edit(app, &mf.f, &mf_model);
	case OP_LEFT:
	case OP_RIGHT: return form_cycle(app, &mf.f, &mf_model, op == OP_LEFT ? -1 : 1);
	case OP_ESC: return mf_escape(app);
	case OP_SAVE: return mf_save(app);
	case OP_PASSWORD:
		dialog_prompt(app, _("New password for this mailbox (not shown, not stored)"), "",
		              true, mf_password_done, NULL);
		return RX_ALL;
	case OP_RESOLVE:
		if (!mf.conflict_entry) {
			loop_message(app, ROLE_DIM, "%s", _("this mailbox has no conflict"));
			return RX_MESSAGE;
		}
		outbox_open_entry(app, mf.conflict_entry);
		return RX_ALL;
	case OP_TEST:
	case OP_APPROVE:
	case OP_DEFAULTS:
		memcpy(ids[0], mf.id, EC_ID_SIZE);
		return bulk_start(app, op, ids, 1, mf.saved.name);
	}
	return RX_NONE;
}

static char *mf_value(tui_app *app, const struct ec_key *k)
{
	json_object *v = keys_mailbox_show_json(&mf.copy, k->key);
	char *s = form_json_text(v, k);
	(void)app;
	json_object_put(v);
	return s;
}

static void mf_draw(tui_app *app, tui_rect r)
{
	char title[600];
	if (!mf.loaded) {
		draw_fill(app, r, ROLE_NORMAL);
		return;
	}
	snprintf(title, sizeof title, "%s  <%s>%s", mf.copy.name ? mf.copy.name : "",
	         mf.copy.email ? mf.copy.email : "", mf_unsaved(app) ? form_unsaved_note(app) : "");
	draw_text(app, r.y, r.x, r.w, ROLE_HEADER, title);
	form_draw(app, &mf.f, (tui_rect){r.y + 1, r.x, r.h - 1, r.w}, mf_value);
}

const tui_screen screen_mailbox = {
    .title = N_("Mailbox"),
    .enter = NULL,
    .reload = mf_reload,
    .draw = mf_draw,
    .key = NULL,
    .unsaved = mf_unsaved,
};
