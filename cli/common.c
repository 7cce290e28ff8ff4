/* common.c — helpers every subcommand uses: opening the cache, parsing
 * command options, printing JSON (the one place JSON is written). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "core/model/model.h"
#include "core/base/sanitize.h"

/* The cache for the commands that only read it: read-only where it may not
 * be written. */
int cli_cache(cli_ctx *ctx, ec_cache **cache, ec_error *err)
{
	int rc;
	if (!ctx->cache) {
		if (!ctx->cfg.cache_path)
			return ec_fail(err, EC_LOCAL,
			               "no cache to read; pass --cache FILE or "
			               "--org URL");
		rc = cache_open_reader(ctx->cfg.cache_path, &ctx->cache, err);
		if (rc != EC_OK)
			return rc;
	}
	*cache = ctx->cache;
	return EC_OK;
}

/* The command running, for the errors of cli_parse: "see emailcfg mailboxes --help". */
static char help_words[64];

void cli_running(const char *name, const char *sub)
{
	snprintf(help_words, sizeof help_words, "%s %s%s", name, sub ? sub : "", sub ? " " : "");
}

static const cli_opt *find_opt(const cli_opt *opts, int nopts, const char *arg, const char **eq)
{
	*eq = strchr(arg, '=');
	for (int i = 0; i < nopts; i++) {
		size_t n = *eq ? (size_t)(*eq - arg) : strlen(arg);
		if (strlen(opts[i].name) == n && strncmp(opts[i].name, arg, n) == 0)
			return &opts[i];
	}
	return NULL;
}

int cli_parse(int argc, char **argv, const cli_opt *opts, int nopts, char ***pos, int *npos,
              ec_error *err)
{
	*pos = ec_xcalloc((unsigned long)argc + 1, sizeof **pos);
	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		const cli_opt *o;
		if (a[0] != '-' || a[1] == '\0' || strcmp(a, "--") == 0) {
			if (strcmp(a, "--") == 0)
				while (++i < argc)
					(*pos)[(*npos)++] = argv[i];
			else
				(*pos)[(*npos)++] = argv[i];
			continue;
		}
		o = find_opt(opts, nopts, a, &eq);
		if (!o) {
			free(*pos);
			*pos = NULL;
			return ec_fail(err, EC_USAGE, "unknown option '%s'; see emailcfg %s--help",
			               a, help_words);
		}
		if (o->flag) {
			*o->flag = true;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			free(*pos);
			*pos = NULL;
			return ec_fail(err, EC_USAGE, "%s needs a value; see emailcfg %s--help", a,
			               help_words);
		}
	}
	return EC_OK;
}

/* A copy of v whose object keys are snake_case: a key's '-' written '_'.
 * The key tables of `settings set`, `mailbox set` and `profile set` spell
 * their keys as the command line does (approve-users); their JSON (settings
 * --json, an outbox entry's changes) spells them as every other key. */
static json_object *snake_keys(json_object *v)
{
	json_object *out;
	switch (json_object_get_type(v)) {
	case json_type_object:
		out = json_object_new_object();
		json_object_object_foreach(v, key, member)
		{
			char *snake = ec_strdup(key);
			for (char *p = snake; *p; p++)
				if (*p == '-')
					*p = '_';
			json_object_object_add(out, snake, snake_keys(member));
			free(snake);
		}
		return out;
	case json_type_array:
		out = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(v); i++)
			json_object_array_add(out, snake_keys(json_object_array_get_idx(v, i)));
		return out;
	default: return json_object_get(v);
	}
}

void cli_key_spelling(char **assign, int n)
{
	for (int i = 0; i < n; i++)
		for (char *p = assign[i]; *p && *p != '='; p++)
			if (*p == '_')
				*p = '-';
}

void cli_write_json(FILE *out, struct json_object *obj, bool pretty)
{
	int style =
	    JSON_C_TO_STRING_NOSLASHESCAPE |
	    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
	json_object *snake = snake_keys(obj);
	/* json-c escapes only what JSON requires (< 0x20): C1 controls and
	 * bidi overrides would reach a terminal or a log viewer raw. */
	char *safe = sanitize_json(json_object_to_json_string_ext(snake, style));
	json_object_put(snake);
	fputs(safe, out);
	free(safe);
}

void cli_print_json(struct json_object *obj)
{
	cli_write_json(stdout, obj, isatty(STDOUT_FILENO));
	putchar('\n');
}
