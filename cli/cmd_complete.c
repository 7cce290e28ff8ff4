/* cmd_complete.c — `emailcfg complete -- WORDS...`, the hidden command behind
 * the bash and zsh completion scripts (completion/): WORDS are the command
 * line after `emailcfg` up to the word being typed (the last, maybe empty),
 * and it prints the candidates for that word, one a line, from the program's
 * own tables: the commands and their flags (cli/commands.c), the global
 * options, the KEY=VALUE keys of `settings set`, `mailbox set` and `profile
 * set` with their values (core/codec/keys.c), the filter's keys and values
 * (core/model/filter.c), the views (built-in and saved), the [org NAME]
 * sections of the configuration, and mailbox and profile names from the
 * cache, and the ids of outbox entries (`outbox resolve|retry|drop`). Names
 * come from the organization: at most
 * COMPLETE_MAX_NAMES, and a name that is not plain text (a control
 * character, an invisible code point, invalid UTF-8) is never offered. It
 * starts nothing (no emulator, no sync) and never writes the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "core/base/ini.h"
#include "core/base/sanitize.h"
#include "core/codec/keys.h"
#include "core/model/filter.h"
#include "core/model/views.h"

#define COMPLETE_MAX_NAMES 100

/* The global options of main.c's parse_globals; those with a value first. */
static const char *const global_value_opts[] = {"--org", "--config", "--cache"};
static const char *const global_flags[] = {"--offline", "--read-only", "--demo",   "--verbose",
                                           "--quiet",   "--help",      "--version"};
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef struct complete_line {
	const char *cur;        /* the word being typed */
	const char *prev;       /* the word before it, or "" */
	const char *name;       /* the command's first word, or NULL */
	const cli_command *cmd; /* the command (with its second word), or NULL */
	int npos;               /* positional words typed after the command words */
	bool assigned;          /* one of them is KEY=VALUE */
	bool bulk_selected;     /* --filter or --all typed */
	bool demo;              /* --demo typed */
	ec_config_flags flags;  /* --org, --config, --cache typed */
} complete_line;

static void offer(const char *cur, const char *word)
{
	if (strncasecmp(word, cur, strlen(cur)) == 0)
		printf("%s\n", word);
}

/* offer() of prefix and word written together. */
static void offer2(const char *cur, const char *prefix, const char *word)
{
	size_t np = strlen(prefix), nc = strlen(cur);
	bool fits = nc <= np ? strncasecmp(prefix, cur, nc) == 0
	                     : strncasecmp(prefix, cur, np) == 0 &&
	                           strncasecmp(word, cur + np, nc - np) == 0;
	if (fits)
		printf("%s%s\n", prefix, word);
}

static bool is_global_value_opt(const char *w)
{
	for (int i = 0; i < COUNT(global_value_opts); i++)
		if (strcmp(w, global_value_opts[i]) == 0)
			return true;
	return false;
}

/* Whether the command's usage (its args in the table) names FLAG followed
 * by a value ("--view NAME"), and whether it names it at all. */
static bool usage_has_flag(const cli_command *c, const char *flag, bool *takes_value)
{
	size_t n = strlen(flag);
	for (const char *p = c->args; (p = strstr(p, flag)); p += n) {
		if (p[n] == '-' || (p[n] >= 'a' && p[n] <= 'z'))
			continue; /* a longer flag */
		*takes_value = p[n] == ' ' && p[n + 1] >= 'A' && p[n + 1] <= 'Z';
		return true;
	}
	return false;
}

/* Commands that take SEL... also take --filter EXPR and --all (main.c's help). */
static bool is_bulk(const cli_command *c)
{
	return c && strstr(c->args, "SEL...") != NULL;
}

static bool flag_takes_value(const complete_line *l, const char *flag)
{
	bool value = false;
	if (is_global_value_opt(flag))
		return true;
	if (is_bulk(l->cmd) && strcmp(flag, "--filter") == 0)
		return true;
	return l->cmd && usage_has_flag(l->cmd, flag, &value) && value;
}

static const cli_command *find(const char *name, const char *sub)
{
	for (int i = 0; i < cli_command_count; i++) {
		const cli_command *c = &cli_commands[i];
		if (strcmp(c->name, name) == 0 &&
		    (sub ? c->sub && strcmp(c->sub, sub) == 0 : !c->sub))
			return c;
	}
	return NULL;
}

static bool has_subcommands(const char *name)
{
	for (int i = 0; i < cli_command_count; i++)
		if (strcmp(cli_commands[i].name, name) == 0 && cli_commands[i].sub)
			return true;
	return false;
}

/* Reads the words before the last: global options, the command words, and
 * how many positionals the command has so far. */
static void complete_parse(int n, char **w, complete_line *l)
{
	memset(l, 0, sizeof *l);
	l->cur = n > 0 ? w[n - 1] : "";
	l->prev = n > 1 ? w[n - 2] : "";
	for (int i = 0; i + 1 < n; i++) {
		const char *a = w[i];
		if (is_global_value_opt(a) && i + 2 < n) {
			const char **v = strcmp(a, "--org") == 0      ? &l->flags.org
			                 : strcmp(a, "--config") == 0 ? &l->flags.config
			                                              : &l->flags.cache;
			*v = w[++i];
		} else if (strcmp(a, "--demo") == 0) {
			l->demo = true;
		} else if (a[0] == '-') {
			l->bulk_selected |= strcmp(a, "--filter") == 0 || strcmp(a, "--all") == 0;
			if (flag_takes_value(l, a) && i + 2 < n)
				i++;
		} else if (!l->name) {
			l->name = a;
			l->cmd = find(a, NULL);
		} else if (l->npos == 0 && !(l->cmd && l->cmd->sub) && has_subcommands(l->name) &&
		           find(l->name, a)) {
			l->cmd = find(l->name, a);
		} else {
			l->npos++;
			l->assigned |= strchr(a, '=') != NULL;
		}
	}
}

/* ---- Candidates from the cache ------------------------------------------ */

/* The cache the command line would read: --cache, --org or the default
 * organization's; with --demo, the demo session's. NULL when there is none. */
static ec_cache *complete_cache(cli_ctx *ctx, const complete_line *l)
{
	ec_config cfg = {0};
	ec_error err = {0};
	ec_cache *c = NULL;
	char demo_db[4096];
	const char *path = ctx->cfg.cache_path;
	bool own = l->flags.org || l->flags.config || l->flags.cache;
	if (l->demo && !l->flags.cache)
		path = demo_session_cache(demo_db, sizeof demo_db) ? demo_db : NULL;
	else if (own && config_load(&l->flags, &cfg, &err) == EC_OK)
		path = cfg.cache_path;
	else if (own)
		path = NULL;
	/* Never create one: only a cache that exists is read. */
	if (path && access(path, R_OK) == 0 && cache_open_reader(path, &c, &err) != EC_OK)
		c = NULL;
	config_free(&cfg);
	return c;
}

/* A name fit to offer: plain text the sanitizer leaves alone, one line. */
static bool plain_name(const char *s)
{
	return s && *s && sanitize_is_clean(s) && !strpbrk(s, "\t\n\r");
}

static void offer_mailboxes(cli_ctx *ctx, const complete_line *l)
{
	ec_cache *c = complete_cache(ctx, l);
	ec_mailbox *rows = NULL;
	ec_error err = {0};
	int n = 0, shown = 0;
	bool email = strchr(l->cur, '@') != NULL;
	char filter[300] = "";
	if (!c)
		return;
	/* A name or email containing the word, then only those starting with it. */
	if (l->cur[0] && !strpbrk(l->cur, "\"\\"))
		snprintf(filter, sizeof filter, "%s:\"%s\"", email ? "email" : "name", l->cur);
	if (cache_list_mailboxes(c, filter, email ? "email" : "name", 0, 5 * COMPLETE_MAX_NAMES,
	                         &rows, &n, &err) == EC_OK)
		for (int i = 0; i < n && shown < COMPLETE_MAX_NAMES; i++) {
			const char *s = email ? rows[i].email : rows[i].name;
			if (plain_name(s) && strncasecmp(s, l->cur, strlen(l->cur)) == 0) {
				printf("%s\n", s);
				shown++;
			}
		}
	cache_free_mailboxes(rows, n);
	cache_close(c);
}

/* Profile names starting with cur, each after prefix ("server-profile="). */
static void offer_profiles(cli_ctx *ctx, const complete_line *l, const char *prefix,
                           const char *cur)
{
	ec_cache *c = complete_cache(ctx, l);
	ec_profile *rows = NULL;
	ec_error err = {0};
	int n = 0, shown = 0;
	if (!c)
		return;
	if (cache_list_profiles(c, &rows, &n, &err) == EC_OK)
		for (int i = 0; i < n && shown < COMPLETE_MAX_NAMES; i++)
			if (plain_name(rows[i].name) &&
			    strncasecmp(rows[i].name, cur, strlen(cur)) == 0) {
				printf("%s%s\n", prefix, rows[i].name);
				shown++;
			}
	cache_free_profiles(rows, n);
	cache_close(c);
}

static void offer_views(cli_ctx *ctx, const complete_line *l, bool builtin)
{
	char *path = cli_views_path(ctx);
	ec_saved_views saved = {0};
	ec_error err = {0};
	for (int i = 0; builtin && i < views_builtin_count; i++)
		offer(l->cur, views_builtin[i].name);
	if (path && views_load(path, &saved, &err) == EC_OK)
		for (int i = 0; i < saved.count && i < COMPLETE_MAX_NAMES; i++)
			if (plain_name(saved.names[i]))
				offer(l->cur, saved.names[i]);
	views_free(&saved);
	free(path);
}

/* The [org NAME] sections of the configuration file (--config, else the
 * one main read). */
static int org_section(void *cur, const char *header, int lineno, ec_error *err)
{
	(void)lineno;
	(void)err;
	if (strncmp(header, "org ", 4) == 0 && plain_name(header + 4))
		offer(cur, header + 4);
	return EC_OK;
}

static int org_pair(void *cur, const char *key, const char *value, int lineno, ec_error *err)
{
	(void)cur, (void)key, (void)value, (void)lineno, (void)err;
	return EC_OK;
}

static void offer_orgs(cli_ctx *ctx, const complete_line *l)
{
	const char *path = l->flags.config ? l->flags.config : ctx->cfg.config_path;
	ini_handler h = {org_section, org_pair, (void *)l->cur, true};
	ec_error err = {0};
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f)
		return;
	ini_read(f, path, &h, &err);
	fclose(f);
}

/* ---- Candidates from the tables ----------------------------------------- */

/* The last term of a filter expression: the terms before it are kept. */
static void offer_filter(const char *cur)
{
	const char *term = strrchr(cur, ' ') ? strrchr(cur, ' ') + 1 : cur;
	char out[256], head[256];
	snprintf(head, sizeof head, "%.*s", (int)(term - cur), cur);
	for (int i = 0, n = 1; i < n && i < 200; i++) {
		n = filter_complete(term, i, out, sizeof out);
		if (n > 0)
			offer2(cur, head, out);
	}
}

static void offer_sort(const char *cur)
{
	for (int i = 0; i < filter_key_count; i++)
		if (filter_keys[i].sort) {
			offer(cur, filter_keys[i].key);
			offer2(cur, "-", filter_keys[i].key);
		}
}

static void offer_optset(const char *cur, const char *prefix, const ec_optset *set)
{
	for (int i = 0; i < set->count; i++)
		offer2(cur, prefix, set->opts[i].slug);
}

/* KEY= of a `set` command, or the values of the KEY= being typed. */
static void offer_assignment(cli_ctx *ctx, const complete_line *l, const struct ec_key *keys,
                             int count)
{
	const char *eq = strchr(l->cur, '=');
	if (!eq) {
		for (int i = 0; i < count; i++)
			if (!keys[i].internal)
				offer2(l->cur, keys[i].key, "=");
		return;
	}
	char prefix[80];
	snprintf(prefix, sizeof prefix, "%.*s", (int)(eq + 1 - l->cur), l->cur);
	for (int i = 0; i < count; i++) {
		const struct ec_key *k = &keys[i];
		if (k->internal || strlen(k->key) != (size_t)(eq - l->cur) ||
		    strncmp(k->key, l->cur, (size_t)(eq - l->cur)) != 0)
			continue;
		if (k->kind == KEY_BOOL) {
			offer2(l->cur, prefix, "yes");
			offer2(l->cur, prefix, "no");
		} else if (k->kind == KEY_OPTION) {
			offer_optset(l->cur, prefix, k->set);
		} else if (k->kind == KEY_PROFILE) {
			offer2(l->cur, prefix, "none");
			offer_profiles(ctx, l, prefix, eq + 1);
		}
	}
}

static void offer_flags(const complete_line *l)
{
	for (int i = 0; i < COUNT(global_value_opts); i++)
		offer(l->cur, global_value_opts[i]);
	for (int i = 0; i < COUNT(global_flags); i++)
		offer(l->cur, global_flags[i]);
	if (!l->cmd)
		return;
	if (is_bulk(l->cmd)) {
		offer(l->cur, "--filter");
		offer(l->cur, "--all");
	}
	/* Every --word of the usage, once. */
	for (const char *p = l->cmd->args; (p = strstr(p, "--"));) {
		char flag[64];
		size_t n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		snprintf(flag, sizeof flag, "%.*s", (int)n, p);
		if (strstr(l->cmd->args, flag) == p)
			offer(l->cur, flag);
		p += n;
	}
}

static void offer_commands(const complete_line *l)
{
	for (int i = 0; i < cli_command_count; i++) {
		const cli_command *c = &cli_commands[i];
		if (c->flags & CMD_HIDDEN ||
		    (i > 0 && strcmp(cli_commands[i - 1].name, c->name) == 0))
			continue;
		offer(l->cur, c->name);
	}
}

/* The value of the flag before the word being typed. True when it took one. */
static bool offer_flag_value(cli_ctx *ctx, const complete_line *l)
{
	if (!flag_takes_value(l, l->prev))
		return false;
	if (strcmp(l->prev, "--org") == 0)
		offer_orgs(ctx, l);
	else if (strcmp(l->prev, "--view") == 0)
		offer_views(ctx, l, true);
	else if (strcmp(l->prev, "--filter") == 0)
		offer_filter(l->cur);
	else if (strcmp(l->prev, "--sort") == 0)
		offer_sort(l->cur);
	else if (strcmp(l->prev, "--level") == 0)
		offer_optset(l->cur, "", &opt_alert_level);
	else if (strcmp(l->prev, "--channel") == 0)
		for (int i = 0; i < 3; i++)
			offer(l->cur, (const char *[]){"incoming", "outgoing", "act"}[i]);
	else if (strcmp(l->prev, "--mailbox") == 0)
		offer_mailboxes(ctx, l);
	/* Other values (a file, a number, a date): nothing; the shell offers files. */
	return true;
}

/* Positional words: subcommands, SEL, KEY=VALUE, view names. */
/* The ids of the outbox entries a subcommand can act on: resolve takes a
 * conflict, retry a failed edit, drop any still in the outbox. */
static void offer_outbox(cli_ctx *ctx, const complete_line *l, const char *sub)
{
	ec_cache *c = complete_cache(ctx, l);
	ec_outbox_entry *rows = NULL;
	ec_error err = {0};
	int n = 0;
	char id[32];
	if (!c)
		return;
	if (cache_outbox_list(c, NULL, true, &rows, &n, &err) == EC_OK)
		for (int i = 0; i < n; i++) {
			enum ec_outbox_state s = rows[i].state;
			if ((strcmp(sub, "resolve") == 0 && s != OUTBOX_CONFLICT) ||
			    (strcmp(sub, "retry") == 0 && s != OUTBOX_FAILED))
				continue;
			snprintf(id, sizeof id, "%lld", rows[i].id);
			offer(l->cur, id);
		}
	cache_free_outbox(rows, n);
	cache_close(c);
}

static void offer_positional(cli_ctx *ctx, const complete_line *l)
{
	const cli_command *c = l->cmd;
	if (l->npos == 0 && !(c && c->sub))
		for (int i = 0; i < cli_command_count; i++)
			if (strcmp(cli_commands[i].name, l->name) == 0 && cli_commands[i].sub)
				offer(l->cur, cli_commands[i].sub);
	if (!c)
		return;
	bool set = c->sub && strcmp(c->sub, "set") == 0;
	bool selected = l->npos > 0 || l->bulk_selected;
	if (set && strcmp(c->name, "settings") == 0)
		offer_assignment(ctx, l, keys_settings, keys_settings_count);
	else if (set && strcmp(c->name, "mailbox") == 0 && (selected || strchr(l->cur, '=')))
		offer_assignment(ctx, l, keys_mailbox, keys_mailbox_count);
	else if (set && strcmp(c->name, "profile") == 0 && l->npos > 0)
		offer_assignment(ctx, l, keys_profile, keys_profile_count);
	if (strchr(l->cur, '=') || l->assigned)
		return;
	if (strcmp(c->name, "outbox") == 0 && c->sub && l->npos == 0)
		offer_outbox(ctx, l, c->sub);
	else if (strcmp(c->name, "profile") == 0 && l->npos == 0)
		offer_profiles(ctx, l, "", l->cur);
	else if (strcmp(c->name, "view") == 0 && c->sub && strcmp(c->sub, "delete") == 0 &&
	         l->npos == 0)
		offer_views(ctx, l, false);
	else if (is_bulk(c) ||
	         ((strstr(c->args, "SEL") == c->args || !strncmp(c->args, "[SEL]", 5)) &&
	          l->npos == 0))
		offer_mailboxes(ctx, l);
}

int cmd_complete(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	complete_line l;
	(void)err;
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	complete_parse(argc, argv, &l);
	if (offer_flag_value(ctx, &l))
		return EC_OK;
	if (l.cur[0] == '-')
		offer_flags(&l);
	else if (!l.name)
		offer_commands(&l);
	else
		offer_positional(ctx, &l);
	return EC_OK;
}
