/* codec_cli.c — the model's JSON for `--json` output, the contract of
 * docs/cli.md: exactly its keys in its order, slugs for options (the number
 * for a value newer than this emailcfg), lowercase
 * GUIDs, ISO 8601 UTC times, null for absent values. `settings --json` is
 * made from the `settings set` key table (core/keys), so the two cannot
 * drift apart. Pure functions (see codec.h). */
#include "core/codec.h"

#include <string.h>

#include "core/keys.h"
#include "core/options.h"

/* A heap string; NULL gives null. */
static void add_text(json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

/* An id or time buffer; "" gives null. */
static void add_fixed(json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, *s ? json_object_new_string(s) : NULL);
}

/* A value newer than this emailcfg is given as its number, never hidden. */
static void add_slug(json_object *o, const char *key, const ec_optset *set, int wire)
{
	const char *slug = opt_slug(set, wire);
	if (wire != EC_NULL && !slug)
		json_object_object_add(o, key, json_object_new_int(wire));
	else
		add_text(o, key, slug);
}

static void add_flag(json_object *o, const char *key, int v)
{
	json_object_object_add(o, key, v == EC_NULL ? NULL : json_object_new_boolean(v != 0));
}

static void add_int(json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, v == EC_NULL ? NULL : json_object_new_int64(v));
}

json_object *codec_mailbox_to_cli(const ec_mailbox *m)
{
	json_object *o = json_object_new_object();
	add_fixed(o, "id", m->id);
	add_text(o, "name", m->name);
	add_text(o, "email", m->email);
	add_slug(o, "owner_type", &opt_owner_type, m->owner_type);
	add_text(o, "owner", m->owner);
	add_slug(o, "incoming", &opt_incoming, m->incoming);
	add_slug(o, "outgoing", &opt_outgoing, m->outgoing);
	add_slug(o, "act", &opt_act, m->act);
	add_slug(o, "incoming_status", &opt_channel_status, m->incoming_status);
	add_slug(o, "outgoing_status", &opt_channel_status, m->outgoing_status);
	add_slug(o, "act_status", &opt_channel_status, m->act_status);
	add_slug(o, "approval", &opt_approval, m->approval);
	add_text(o, "server_profile", m->profile_name);
	add_fixed(o, "server_profile_id", m->profile_id);
	add_flag(o, "enabled_incoming", m->enabled_incoming);
	add_flag(o, "enabled_outgoing", m->enabled_outgoing);
	add_flag(o, "enabled_act", m->enabled_act);
	add_flag(o, "test_scheduled", m->test_scheduled);
	add_fixed(o, "test_completed_on", m->test_completed_on);
	add_slug(o, "state", &opt_state, m->state);
	add_fixed(o, "modified_on", m->modified_on);
	json_object_object_add(o, "pending_edits", json_object_new_int(m->pending_edits));
	json_object_object_add(o, "conflict", json_object_new_boolean(m->conflict));
	return o;
}

json_object *codec_settings_to_cli(const ec_settings *s)
{
	json_object *o = json_object_new_object();
	for (int i = 0; i < keys_settings_count; i++)
		json_object_object_add(o, keys_settings[i].key,
		                       keys_settings_show_json(s, keys_settings[i].key));
	return o;
}

json_object *codec_profile_to_cli(const ec_profile *p)
{
	json_object *o = json_object_new_object();
	add_fixed(o, "id", p->id);
	add_text(o, "name", p->name);
	add_slug(o, "server_type", &opt_server_type, p->server_type);
	add_text(o, "incoming_server", p->incoming_location);
	add_text(o, "outgoing_server", p->outgoing_location);
	add_int(o, "incoming_port", p->incoming_port);
	add_int(o, "outgoing_port", p->outgoing_port);
	add_flag(o, "incoming_ssl", p->incoming_ssl);
	add_flag(o, "outgoing_ssl", p->outgoing_ssl);
	add_slug(o, "incoming_credentials", &opt_credential, p->incoming_credential);
	add_slug(o, "outgoing_credentials", &opt_credential, p->outgoing_credential);
	add_slug(o, "state", &opt_state, p->state);
	add_fixed(o, "modified_on", p->modified_on);
	return o;
}

json_object *codec_alert_to_cli(const ec_alert *a)
{
	json_object *o = json_object_new_object();
	add_fixed(o, "id", a->id);
	add_fixed(o, "mailbox_id", a->regarding_profile ? "" : a->regarding_id);
	add_slug(o, "level", &opt_alert_level, a->level);
	add_int(o, "code", a->code);
	add_text(o, "text", a->text);
	add_fixed(o, "created_on", a->created_on);
	add_fixed(o, "modified_on", a->modified_on);
	return o;
}

/* A JSON text kept by the outbox, profiles by name; NULL (null) when
 * missing or unreadable. */
static json_object *parse_kept(const char *text, keys_profile_namer name_of, void *ctx)
{
	json_object *kept = text ? json_tokener_parse(text) : NULL;
	json_object *shown = keys_values_shown(kept, name_of, ctx);
	json_object_put(kept);
	return shown;
}

static json_object *outbox_conflict(const ec_outbox_entry *e, keys_profile_namer name_of, void *ctx)
{
	json_object *o;
	if (e->state != OUTBOX_CONFLICT)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "mine", parse_kept(e->changes, name_of, ctx));
	json_object_object_add(o, "theirs", parse_kept(e->theirs, name_of, ctx));
	json_object_object_add(o, "base", parse_kept(e->base, name_of, ctx));
	return o;
}

json_object *codec_outbox_to_cli_named(const ec_outbox_entry *e, keys_profile_namer name_of,
                                       void *ctx)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(e->id));
	add_fixed(o, "mailbox_id", strcmp(e->entity, "mailbox") == 0 ? e->target_id : "");
	json_object_object_add(o, "changes", parse_kept(e->changes, name_of, ctx));
	add_text(o, "state", outbox_state_slug(e->state));
	json_object_object_add(o, "conflict", outbox_conflict(e, name_of, ctx));
	add_fixed(o, "created_on", e->created_on);
	add_text(o, "error", e->error);
	return o;
}

json_object *codec_outbox_to_cli(const ec_outbox_entry *e)
{
	return codec_outbox_to_cli_named(e, NULL, NULL);
}

static json_object *check_to_cli(const ec_check *c)
{
	json_object *o = json_object_new_object();
	add_fixed(o, "stage", c->stage);
	add_fixed(o, "channel", c->channel);
	add_text(o, "status", check_status_slug(c->status));
	add_text(o, "code", c->code);
	add_text(o, "message", c->message);
	add_text(o, "fix", c->fix);
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(c->elapsed_ms));
	return o;
}

json_object *codec_test_result_to_cli(const ec_test_result *t)
{
	json_object *o = json_object_new_object(), *checks = json_object_new_array();
	add_fixed(o, "id", t->id);
	add_text(o, "name", t->name);
	add_text(o, "verdict", check_status_slug(t->verdict));
	for (int i = 0; i < t->nchecks; i++)
		json_object_array_add(checks, check_to_cli(&t->checks[i]));
	json_object_object_add(o, "checks", checks);
	return o;
}
