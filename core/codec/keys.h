/* keys.h — the KEY=VALUE keys of `settings set` and `mailbox set` (docs/cli.md), one table each.
 * The tables drive applying a value to the model, reading a key's value as JSON (for `settings
 * --json` and the outbox's changes and base), the Dataverse PATCH body of the changed keys, and the
 * lists in --help and the documentation.
 *
 * Pure functions on the model and json-c values; resolving a profile name
 * is the caller's job, through a callback. Rules about which values are
 * allowed for a mailbox live in core/rules, not here: this only checks that
 * a value is well formed. */
#ifndef EMAILCFG_KEYS_H
#define EMAILCFG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/base/error.h"
#include "core/model/model.h"
#include "core/model/options.h"

enum ec_key_kind {
	KEY_BOOL,    /* yes/no, true/false, on/off, 1/0 */
	KEY_OPTION,  /* a slug of the key's option set */
	KEY_INT,     /* a whole number in [min, max] */
	KEY_STRING,  /* text of at most max characters; empty clears it */
	KEY_PROFILE, /* an email server profile: name or id (resolved), or none */
};

/* How the key's value lands in the model and on the wire. */
enum ec_key_view {
	KEYV_PLAIN,    /* the field holds the value */
	KEYV_INVERTED, /* a flag stored inverted (track-internal-as-two) */
	KEYV_TRACKING, /* tracking-tokens: maximumtrackingnumber 0 or 999 */
	KEYV_KB,       /* a size in KB stored in bytes */
	KEYV_DEFAULTS, /* one of the three methods of defaultemailsettings */
	KEYV_STATE,    /* statecode, sent with its statuscode */
	KEYV_EMAIL,    /* a string that must look like an email address */
	KEYV_DATE,     /* a date YYYY-MM-DD held in a char[EC_TIME_SIZE] as its midnight UTC */
	KEYV_URL,      /* a string that must be an http(s) URL with a host */
	KEYV_INT32,    /* KEY_INT whose field is an int, not a long long */
	KEYV_BOTH,     /* an option of both directions: incoming field at off, outgoing at aux */
};

struct ec_key {
	const char *key; /* "approve-users" */
	enum ec_key_kind kind;
	const ec_optset *set; /* KEY_OPTION */
	const char *help;     /* one line, marked N_(); translate with _() */
	const char *column;   /* the Dataverse column (profiles: the navigation property) */
	enum ec_key_view view;
	size_t off;         /* the model field */
	size_t aux;         /* KEY_PROFILE: the field holding the profile's name */
	long long min, max; /* KEY_INT: range; KEY_STRING: max = length in characters */
	const char *group;  /* settings: the product's section, N_(); NULL for mailboxes */
	bool internal;      /* set by a command of its own (approve), not by `set` */
};

extern const struct ec_key keys_settings[];
extern const int keys_settings_count;
extern const struct ec_key keys_mailbox[];
extern const int keys_mailbox_count;
extern const struct ec_key keys_profile[];
extern const int keys_profile_count;

/* Turns a profile name or id into the profile's id and (malloc'ed, may be
 * NULL) name; returns EC_OK or fills err (e.g. no such profile, two with
 * that name). */
typedef int (*keys_profile_resolver)(void *ctx, const char *name_or_id, char id[EC_ID_SIZE],
                                     char **name, ec_error *err);

/* The table entry of a key, or NULL. */
const struct ec_key *keys_settings_find(const char *key);
const struct ec_key *keys_mailbox_find(const char *key);
const struct ec_key *keys_profile_find(const char *key);

/* Sets one key from its command-line value. An unknown or internal key, or a malformed
 * value is an EC_USAGE error naming the key (and listing the valid keys or
 * values); the struct is unchanged then. server-profile takes "none" (clears
 * it) or what resolve accepts; with resolve NULL, only a profile id.
 * tracking-tokens=yes sets the maximum tracking number to 999 when it was
 * 0 (and keeps it otherwise), =no sets it to 0. */
int keys_settings_apply(ec_settings *s, const char *key, const char *value,
                        keys_profile_resolver resolve, void *ctx, ec_error *err);
int keys_mailbox_apply(ec_mailbox *m, const char *key, const char *value,
                       keys_profile_resolver resolve, void *ctx, ec_error *err);
int keys_profile_apply(ec_profile *p, const char *key, const char *value, ec_error *err);

/* Applies every KEY: VALUE of a changes object (as made from
 * keys_*_get_json), e.g. to replay an outbox entry on a fresh row. A
 * server-profile id is set as it is, with the name resolve finds for it (none
 * when it finds none: the profile may be gone from the cache); any other
 * profile value is a name, kept by an older emailcfg, resolved as on the
 * command line and replaced in changes by its id (keys_profiles_to_ids). */
int keys_settings_apply_changes(ec_settings *s, json_object *changes, keys_profile_resolver resolve,
                                void *ctx, ec_error *err);
int keys_mailbox_apply_changes(ec_mailbox *m, json_object *changes, keys_profile_resolver resolve,
                               void *ctx, ec_error *err);
int keys_profile_apply_changes(ec_profile *p, json_object *changes, ec_error *err);

/* Replaces, in an object of changes, base or theirs, each server-profile
 * value that is not an id by the id resolve finds for it ("none" and "" by
 * null); a name resolve does not find stays as it is. For outbox entries
 * queued by an older emailcfg, which kept the profile's name. */
void keys_profiles_to_ids(json_object *values, keys_profile_resolver resolve, void *ctx);

/* A key's value as JSON: a slug, boolean, number or string (server-profile:
 * the profile's id, never its name, which is not unique and may change);
 * NULL (JSON null) when absent or when the key is unknown. What an edit keeps
 * and compares. The caller puts the result. */
json_object *keys_settings_get_json(const ec_settings *s, const char *key);
json_object *keys_mailbox_get_json(const ec_mailbox *m, const char *key);
json_object *keys_profile_get_json(const ec_profile *p, const char *key);

/* The same for display: server-profile is the profile's name, or its id
 * when the name is unknown. */
json_object *keys_settings_show_json(const ec_settings *s, const char *key);
json_object *keys_mailbox_show_json(const ec_mailbox *m, const char *key);

/* The cached name of the profile with this id (malloc'ed), or NULL. */
typedef char *(*keys_profile_namer)(void *ctx, const char *id);

/* A copy of an object of changes, base or theirs for display: each
 * server-profile id replaced by the name name_of gives (kept when it gives
 * none). Anything but an object comes back as it is (a new reference). */
json_object *keys_values_shown(json_object *values, keys_profile_namer name_of, void *ctx);

/* The Dataverse PATCH body for the keys of changes (an object whose keys
 * are `set` keys; its values are not used), with the values of after:
 * columns, "<nav>@odata.bind" for profiles, the whole defaultemailsettings
 * XML when a default method changed, statuscode with statecode. NULL when
 * changes is not an object or names an unknown key. */
json_object *keys_settings_patch(const ec_settings *after, json_object *changes);
json_object *keys_mailbox_patch(const ec_mailbox *after, json_object *changes);
json_object *keys_profile_patch(const ec_profile *after, json_object *changes);

/* What a key accepts, for --help and errors: "yes|no", "none|outlook|...",
 * "0-131072", "TEXT", "NAME|ID|none". Returns buf. */
const char *keys_value_hint(const struct ec_key *k, char *buf, size_t size);

/* keys_text.c: the words the console shows. A value of key k (NULL: any) as
 * "yes", an option's label, the text, "(not set)" (caller frees). */
char *keys_value_text(json_object *v, const struct ec_key *k);
/* The key of an outbox entity ("mailbox", "profile", "organization"), or NULL. */
const struct ec_key *keys_find_for(const char *entity, const char *key);
/* Its label (the key itself when unknown). */
const char *keys_label_for(const char *entity, const char *key);
/* An edit's changes (profiles already by name: keys_values_shown) as
 * "LABEL: BEFORE ARROW AFTER; ..." with BEFORE from base when it has the key
 * (caller frees). */
char *keys_changes_text(const char *entity, json_object *changes, json_object *base,
                        const char *arrow);
/* A JSON text the outbox keeps (changes, base or theirs), parsed, with
 * profiles by name (NULL text: an empty object). */
json_object *keys_outbox_shown(const char *text, keys_profile_namer name_of, void *ctx);
/* An outbox entry's edit in words (keys_changes_text), for the console
 * and the CLI alike (caller frees). */
char *keys_entry_text(const ec_outbox_entry *e, keys_profile_namer name_of, void *ctx,
                      const char *arrow);

#endif
