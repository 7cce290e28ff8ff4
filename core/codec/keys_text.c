/* keys_text.c — the words for a key's value and for a queued change, as
 * the console shows them: "yes", an option's label, a profile's name,
 * "(not set)"; a change as "Outgoing email delivery method: Server-Side
 * Synchronization or Email Router → None". Never JSON, never a GUID. Pure
 * functions over the key tables of keys.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/base/mem.h"
#include "core/codec/keys.h"

char *keys_value_text(json_object *v, const struct ec_key *k)
{
	const char *s;
	char buf[48];
	if (!v)
		return ec_strdup(_("(not set)"));
	switch (json_object_get_type(v)) {
	case json_type_boolean: return ec_strdup(json_object_get_boolean(v) ? _("yes") : _("no"));
	case json_type_int:
		/* An option given as its number is newer than this emailcfg. */
		if (k && k->kind == KEY_OPTION)
			return ec_strdup(
			    opt_show_label(k->set, (int)json_object_get_int64(v), buf, sizeof buf));
		snprintf(buf, sizeof buf, "%lld", (long long)json_object_get_int64(v));
		return ec_strdup(buf);
	case json_type_string:
		s = json_object_get_string(v);
		if (k && k->kind == KEY_OPTION && k->set) {
			const ec_option *o = opt_find_slug(k->set, s);
			if (o)
				return ec_strdup(_(o->label));
		}
		return ec_strdup(s[0] ? s : _("(empty)"));
	default: return ec_strdup(json_object_to_json_string(v));
	}
}

const struct ec_key *keys_find_for(const char *entity, const char *key)
{
	if (strcmp(entity, "mailbox") == 0)
		return keys_mailbox_find(key);
	if (strcmp(entity, "profile") == 0)
		return keys_profile_find(key);
	return keys_settings_find(key);
}

const char *keys_label_for(const char *entity, const char *key)
{
	const struct ec_key *k = keys_find_for(entity, key);
	return k ? _(k->help) : key;
}

char *keys_changes_text(const char *entity, json_object *changes, json_object *base,
                        const char *arrow)
{
	size_t size = 256, len = 0;
	char *out = ec_xmalloc(size);
	out[0] = '\0';
	if (!changes || !json_object_is_type(changes, json_type_object))
		return out;
	json_object_object_foreach(changes, key, after)
	{
		const struct ec_key *k = keys_find_for(entity, key);
		json_object *before = NULL;
		char *a = keys_value_text(after, k), *b = NULL;
		size_t need;
		if (base && json_object_object_get_ex(base, key, &before))
			b = keys_value_text(before, k);
		need = len + strlen(keys_label_for(entity, key)) + strlen(a) + (b ? strlen(b) : 0) +
		       strlen(arrow) + 16;
		if (need > size) {
			size = need * 2;
			out = ec_xrealloc(out, size);
		}
		if (b)
			len += (size_t)snprintf(out + len, size - len, "%s%s: %s %s %s",
			                        len ? "; " : "", keys_label_for(entity, key), b,
			                        arrow, a);
		else
			len += (size_t)snprintf(out + len, size - len, "%s%s: %s", len ? "; " : "",
			                        keys_label_for(entity, key), a);
		free(a);
		free(b);
	}
	return out;
}

json_object *keys_outbox_shown(const char *text, keys_profile_namer name_of, void *ctx)
{
	json_object *kept = json_tokener_parse(text ? text : "{}");
	json_object *shown = keys_values_shown(kept, name_of, ctx);
	json_object_put(kept);
	return shown;
}

char *keys_entry_text(const ec_outbox_entry *e, keys_profile_namer name_of, void *ctx,
                      const char *arrow)
{
	json_object *changes = keys_outbox_shown(e->changes, name_of, ctx),
	            *base = keys_outbox_shown(e->base, name_of, ctx);
	char *text = keys_changes_text(e->entity, changes, base, arrow);
	json_object_put(changes);
	json_object_put(base);
	return text;
}
