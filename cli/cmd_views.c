/* cmd_views.c — `emailcfg view list|save|delete` (the built-in views of
 * core/model/views.c and the saved ones in the configuration directory),
 * the views file path the CLI and `mailboxes --view` share, and
 * `emailcfg filter-keys` (the filter keys and values as docs/cli.md's
 * Markdown table). Touches the views file only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/base/i18n.h"
#include "core/base/sanitize.h"
#include "core/model/filter.h"
#include "core/model/views.h"

char *cli_views_path(const cli_ctx *ctx)
{
	return views_file_path(&ctx->cfg);
}

/* Positional arguments only; want of them, else EC_USAGE with the usage. */
static int views_args(int argc, char **argv, const cli_opt *opts, int nopts, int want,
                      const char *usage, char ***pos, ec_error *err)
{
	int npos, rc = cli_parse(argc, argv, opts, nopts, pos, &npos, err);
	if (rc == EC_OK && npos != want) {
		free(*pos);
		*pos = NULL;
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg %s", usage);
	}
	return rc;
}

static json_object *views_json(const char *name, const char *title, const char *filter,
                               bool builtin)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "title", title ? json_object_new_string(title) : NULL);
	json_object_object_add(o, "filter", json_object_new_string(filter));
	json_object_object_add(o, "builtin", json_object_new_boolean(builtin));
	return o;
}

static void views_print(const cli_ctx *ctx, const ec_saved_views *v, bool json)
{
	static const char *const headers[] = {NC_("table", "NAME"), NC_("table", "TITLE"),
	                                      NC_("table", "FILTER")};
	static const int caps[] = {32, 40, 0};
	json_object *arr = json ? json_object_new_array() : NULL;
	table *t = json ? NULL : table_new(3, headers, caps);
	for (int i = 0; i < views_builtin_count; i++) {
		const ec_view *b = &views_builtin[i];
		const char *cells[3] = {b->name, _(b->title), b->filter};
		if (json) /* JSON is for scripts: English whatever the language */
			json_object_array_add(arr, views_json(b->name, b->title, b->filter, true));
		else
			table_add_row(t, cells);
	}
	for (int i = 0; i < v->count; i++) {
		const char *cells[3] = {v->names[i], "", v->filters[i]};
		if (json)
			json_object_array_add(arr,
			                      views_json(v->names[i], NULL, v->filters[i], false));
		else
			table_add_row(t, cells);
	}
	if (json) {
		cli_print_json(arr);
		json_object_put(arr);
	} else {
		table_print(t, stdout, ctx->ascii);
		table_free(t);
	}
}

int cmd_view_list(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool json = false;
	const cli_opt opts[] = {{"--json", &json, NULL}};
	char **pos = NULL, *path;
	ec_saved_views v;
	int rc = views_args(argc, argv, opts, 1, 0, "view list [--json]", &pos, err);
	free(pos);
	if (rc != EC_OK)
		return rc;
	path = cli_views_path(ctx);
	rc = views_load(path, &v, err);
	free(path);
	if (rc == EC_OK)
		views_print(ctx, &v, json);
	views_free(&v);
	return rc;
}

/* The filter NAME is saved with, or NULL (caller frees); none when the
 * file cannot be read (views_save() then says why). */
static char *views_saved_filter(const char *path, const char *name)
{
	ec_saved_views v;
	ec_error ignored = {0};
	char *was = NULL;
	if (views_load(path, &v, &ignored) == EC_OK)
		for (int i = 0; i < v.count && !was; i++)
			if (strcmp(v.names[i], name) == 0)
				was = sanitize_text(v.filters[i]);
	views_free(&v);
	return was;
}

int cmd_view_save(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	char **pos = NULL, *path, *was = NULL;
	int rc = views_args(argc, argv, NULL, 0, 2, "view save NAME FILTER", &pos, err);
	if (rc != EC_OK)
		return rc;
	path = cli_views_path(ctx);
	if (!path)
		rc = ec_fail(err, EC_LOCAL,
		             "no configuration directory: set HOME or XDG_CONFIG_HOME");
	else {
		was = views_saved_filter(path, pos[0]);
		rc = views_save(path, pos[0], pos[1], err);
	}
	if (rc == EC_OK && !ctx->cfg.quiet)
		fprintf(stderr, _("saved the view %s: %s\n"), pos[0], pos[1]);
	/* the filter it replaced is gone from the file: show it, to undo by */
	if (rc == EC_OK && was)
		printf(_("replaced view %s (was: %s)\n"), pos[0], was);
	free(was);
	free(path);
	free(pos);
	return rc;
}

int cmd_view_delete(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	char **pos = NULL, *path;
	int rc = views_args(argc, argv, NULL, 0, 1, "view delete NAME", &pos, err);
	if (rc != EC_OK)
		return rc;
	path = cli_views_path(ctx);
	rc = views_delete(path, pos[0], err);
	free(path);
	free(pos);
	return rc;
}

/* docs/cli.md's table of filter keys, between its filter-keys markers. */
int cmd_filter_keys(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	char **pos = NULL, values[1024];
	int rc = views_args(argc, argv, NULL, 0, 0, "filter-keys", &pos, err);
	(void)ctx;
	free(pos);
	if (rc != EC_OK)
		return rc;
	printf("| key | values | what it matches |\n|---|---|---|\n");
	for (int i = 0; i < filter_key_count; i++) {
		const ec_filter_key *k = &filter_keys[i];
		if (k->kind == FILTER_SORT_ONLY)
			continue;
		filter_list_values(k, values, sizeof values);
		printf("| `%s` | %s | %s |\n", k->key, values, k->help);
	}
	return EC_OK;
}
