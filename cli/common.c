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
			return ec_fail(err, EC_USAGE, "unknown option '%s'; see emailcfg --help",
			               a);
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
			return ec_fail(err, EC_USAGE, "%s needs a value; see emailcfg --help", a);
		}
	}
	return EC_OK;
}

void cli_write_json(FILE *out, struct json_object *obj, bool pretty)
{
	int style =
	    JSON_C_TO_STRING_NOSLASHESCAPE |
	    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
	/* json-c escapes only what JSON requires (< 0x20): C1 controls and
	 * bidi overrides would reach a terminal or a log viewer raw. */
	char *safe = sanitize_json(json_object_to_json_string_ext(obj, style));
	fputs(safe, out);
	free(safe);
}

void cli_print_json(struct json_object *obj)
{
	cli_write_json(stdout, obj, isatty(STDOUT_FILENO));
	putchar('\n');
}
