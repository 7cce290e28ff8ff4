/* codec_cli.c — the model's JSON for `--json` output, the contract of
 * docs/cli.md: exactly its keys in its order, slugs for options (the number
 * for a value newer than this emailcfg), lowercase
 * GUIDs, ISO 8601 UTC times, null for absent values. `settings --json` is
 * made from the `settings set` key table (core/keys), so the two cannot
 * drift apart. A mailbox's fields are one table (mailbox_fields) that gives
 * the json-c object, the direct JSON text of the listings and their CSV
 * cells. No state; writes only to the stream it is given. */
#include "core/codec/codec.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/codec/keys.h"
#include "core/model/options.h"
#include "core/base/sanitize.h"

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

/* The mailbox's `--json` fields, in the order of docs/cli.md: the one table
 * the json-c object, the direct JSON writer and the CSV cells all walk. */
enum field_kind {
	F_TEXT,  /* char *: NULL is null */
	F_FIXED, /* char[]: "" is null */
	F_SLUG,  /* int wire value of set: EC_NULL is null, unknown its number */
	F_FLAG,  /* int: EC_NULL is null, else a boolean */
	F_COUNT, /* int, always a number */
	F_BOOL,  /* bool, always a boolean */
};

typedef struct mailbox_field {
	const char *key;
	enum field_kind kind;
	size_t offset;
	const ec_optset *set;
} mailbox_field;

#define FIELD(key, kind, member, set)                                                              \
	{                                                                                          \
		key, kind, offsetof(ec_mailbox, member), set                                       \
	}
static const mailbox_field mailbox_fields[] = {
    FIELD("id", F_FIXED, id, NULL),
    FIELD("name", F_TEXT, name, NULL),
    FIELD("email", F_TEXT, email, NULL),
    FIELD("owner_type", F_SLUG, owner_type, &opt_owner_type),
    FIELD("owner", F_TEXT, owner, NULL),
    FIELD("incoming", F_SLUG, incoming, &opt_incoming),
    FIELD("outgoing", F_SLUG, outgoing, &opt_outgoing),
    FIELD("act", F_SLUG, act, &opt_act),
    FIELD("incoming_status", F_SLUG, incoming_status, &opt_channel_status),
    FIELD("outgoing_status", F_SLUG, outgoing_status, &opt_channel_status),
    FIELD("act_status", F_SLUG, act_status, &opt_channel_status),
    FIELD("approval", F_SLUG, approval, &opt_approval),
    FIELD("server_profile", F_TEXT, profile_name, NULL),
    FIELD("server_profile_id", F_FIXED, profile_id, NULL),
    FIELD("enabled_incoming", F_FLAG, enabled_incoming, NULL),
    FIELD("enabled_outgoing", F_FLAG, enabled_outgoing, NULL),
    FIELD("enabled_act", F_FLAG, enabled_act, NULL),
    FIELD("test_scheduled", F_FLAG, test_scheduled, NULL),
    FIELD("test_completed_on", F_FIXED, test_completed_on, NULL),
    FIELD("state", F_SLUG, state, &opt_state),
    FIELD("modified_on", F_FIXED, modified_on, NULL),
    FIELD("pending_edits", F_COUNT, pending_edits, NULL),
    FIELD("conflict", F_BOOL, conflict, NULL),
    FIELD("tests_stale", F_BOOL, tests_stale, NULL),
};
#undef FIELD

const int codec_mailbox_cli_count = sizeof mailbox_fields / sizeof *mailbox_fields;

const char *codec_mailbox_cli_key(int i)
{
	return mailbox_fields[i].key;
}

/* One field's value: a string (*text), a number (*num, when is_num), a
 * boolean ("true"/"false" in *text, when is_bool) or null (*text NULL and
 * neither). Every writer goes through this, so they cannot disagree. */
typedef struct field_value {
	const char *text;
	long long num;
	bool is_num, is_bool;
} field_value;

static field_value field_get(const ec_mailbox *m, const mailbox_field *f)
{
	const char *p = (const char *)m + f->offset;
	field_value v = {NULL, 0, false, false};
	int i;
	switch (f->kind) {
	case F_TEXT: v.text = *(char *const *)p; break;
	case F_FIXED: v.text = *p ? p : NULL; break;
	case F_SLUG:
		memcpy(&i, p, sizeof i);
		v.text = opt_slug(f->set, i);
		if (i != EC_NULL && !v.text) /* newer than this emailcfg: its number */
			v.is_num = true, v.num = i;
		break;
	case F_FLAG:
		memcpy(&i, p, sizeof i);
		if (i != EC_NULL)
			v.is_bool = true, v.text = i ? "true" : "false";
		break;
	case F_COUNT:
		memcpy(&i, p, sizeof i);
		v.is_num = true, v.num = i;
		break;
	case F_BOOL: v.is_bool = true, v.text = *(const bool *)p ? "true" : "false"; break;
	}
	return v;
}

json_object *codec_mailbox_to_cli(const ec_mailbox *m)
{
	json_object *o = json_object_new_object();
	for (int i = 0; i < codec_mailbox_cli_count; i++) {
		field_value v = field_get(m, &mailbox_fields[i]);
		json_object *j = v.is_num    ? json_object_new_int64(v.num)
		                 : v.is_bool ? json_object_new_boolean(v.text[0] == 't')
		                 : v.text    ? json_object_new_string(v.text)
		                             : NULL;
		json_object_object_add(o, mailbox_fields[i].key, j);
	}
	return o;
}

void codec_mailbox_write_json(FILE *out, const ec_mailbox *m)
{
	putc_unlocked('{', out);
	for (int i = 0; i < codec_mailbox_cli_count; i++) {
		field_value v = field_get(m, &mailbox_fields[i]);
		/* The keys are plain ASCII: nothing to escape. */
		fputs_unlocked(i ? ",\"" : "\"", out);
		fputs_unlocked(mailbox_fields[i].key, out);
		fputs_unlocked("\":", out);
		if (v.is_num)
			fprintf(out, "%lld", v.num);
		else if (v.is_bool)
			fputs_unlocked(v.text, out);
		else if (v.text)
			sanitize_json_write_string(out, v.text);
		else
			fputs_unlocked("null", out);
	}
	putc_unlocked('}', out);
}

const char *codec_mailbox_cli_text(const ec_mailbox *m, int i, char buf[32])
{
	field_value v = field_get(m, &mailbox_fields[i]);
	if (v.is_num) {
		snprintf(buf, 32, "%lld", v.num);
		return buf;
	}
	return v.text ? v.text : "";
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
	add_text(o, "server_type_name", p->server_type_name);
	add_slug(o, "incoming_auth", &opt_auth_protocol, p->incoming_auth);
	add_slug(o, "outgoing_auth", &opt_auth_protocol, p->outgoing_auth);
	add_text(o, "incoming_username", p->incoming_username);
	add_text(o, "outgoing_username", p->outgoing_username);
	/* whether a password is set; the password itself is never read */
	add_flag(o, "incoming_password_set", p->incoming_password_set);
	add_flag(o, "outgoing_password_set", p->outgoing_password_set);
	add_flag(o, "use_same_for_outgoing", p->use_same_settings);
	add_flag(o, "autodiscover", p->use_autodiscover);
	add_int(o, "max_connections", p->max_connections);
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
