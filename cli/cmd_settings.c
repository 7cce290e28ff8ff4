/* cmd_settings.c — `emailcfg settings [--json]`: the Email Configuration
 * Settings from the cache, grouped as the product groups them (the groups
 * and labels come from the key table in core/codec/keys.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "core/codec/codec.h"
#include "core/base/i18n.h"
#include "core/codec/keys.h"
#include "core/base/sanitize.h"

static void print_value(const struct ec_key *k, json_object *v)
{
	char shown[24];
	const char *text = !v ? "-"
	                   : json_object_is_type(v, json_type_boolean)
	                       ? (json_object_get_boolean(v) ? "yes" : "no")
	                   /* an option newer than emailcfg comes as its number */
	                   : k->kind == KEY_OPTION && json_object_is_type(v, json_type_int)
	                       ? opt_show_slug(k->set, json_object_get_int(v), shown, sizeof shown)
	                       : json_object_get_string(v);
	char *clean = sanitize_text(text);
	printf("  %-30s %s\n", k->key, clean);
	free(clean);
}

static void print_settings(json_object *o)
{
	const char *group = NULL;
	for (int i = 0; i < keys_settings_count; i++) {
		const struct ec_key *k = &keys_settings[i];
		if (!group || strcmp(group, k->group) != 0) {
			group = k->group;
			printf("%s%s\n", i ? "\n" : "", _(group));
		}
		print_value(k, json_object_object_get(o, k->key));
	}
}

int cmd_settings(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false;
	const cli_opt opts[] = {{"--json", &json, NULL}};
	char **pos;
	int npos, rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	ec_settings s;
	ec_cache *cache;
	json_object *o;
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg settings [--json]");
	if (rc == EC_OK)
		rc = cli_cache(ctx, &cache, err);
	if (rc == EC_OK)
		rc = cache_get_settings(cache, &s, err);
	if (rc == CACHE_NOT_FOUND) {
		settings_free(&s);
		return ec_fail(err, EC_LOCAL, "no settings in the cache yet; run emailcfg sync");
	}
	if (rc != EC_OK)
		return rc;
	o = codec_settings_to_cli(&s);
	if (json)
		cli_print_json(o);
	else
		print_settings(o);
	json_object_put(o);
	settings_free(&s);
	return EC_OK;
}
