/* cli.h — what the `emailcfg` subcommands share: the command table (which
 * drives dispatch and --help), the per-command context with the resolved
 * configuration and the lazily opened cache, and a small option parser.
 * The CLI talks only to core/; it never calls SQLite or libcurl itself. */
#ifndef EMAILCFG_CLI_H
#define EMAILCFG_CLI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/cache/cache.h"
#include "core/base/config.h"
#include "core/base/error.h"
#include "core/sync/session.h"

typedef struct cli_ctx {
	ec_config cfg;
	ec_cache *cache;    /* opened by cli_cache() on first use */
	bool ascii;         /* the terminal cannot show UTF-8 */
	atomic_int *cancel; /* set non-zero to stop the session's job (test: SIGINT) */
} cli_ctx;

enum {
	CMD_CHANGES = 1, /* refused under --read-only */
	CMD_HIDDEN = 2,  /* left out of --help and the documentation (complete) */
};

struct ec_key;

typedef struct cli_command {
	const char *name;
	const char *sub;     /* second word ("set"), or NULL */
	const char *args;    /* usage after the command words */
	const char *summary; /* N_(): one line for --help */
	int (*run)(cli_ctx *ctx, int argc, char **argv, ec_error *err);
	unsigned flags;
	const char *options;       /* N_(): "FLAG<TAB>what" a line, for COMMAND --help */
	const char *example;       /* one command line, for COMMAND --help */
	const struct ec_key *keys; /* the KEY=VALUE keys it takes, or NULL */
	const int *nkeys;
} cli_command;

extern const cli_command cli_commands[];
extern const int cli_command_count;

/* emailcfg --help: every command and the global options (cli/help.c). */
void cli_print_help(FILE *out);
/* emailcfg COMMAND --help: its usage, what it does, its options (with
 * --filter and --all where it takes SEL...), the keys of its key table with
 * the values each takes, and an example. */
void cli_print_command_help(FILE *out, const cli_command *c);
/* The row of argv[1] (and argv[2], a second word), or NULL; *words is how
 * many words name it. */
const cli_command *cli_find_command(int argc, char **argv, int *words);

/* Opens the cache named by the configuration (EC_LOCAL/EC_USAGE on failure). */
int cli_cache(cli_ctx *ctx, ec_cache **cache, ec_error *err);

/* One option a command accepts. A flag sets *flag; an option with a value
 * stores it in *value. */
typedef struct cli_opt {
	const char *name; /* "--json" */
	bool *flag;
	const char **value;
} cli_opt;

/* Names the command running, so cli_parse's errors point to its own --help. */
void cli_running(const char *name, const char *sub);

/* Parses argv against opts; everything else is positional (in order).
 * Unknown options are EC_USAGE errors. *pos must be freed. */
int cli_parse(int argc, char **argv, const cli_opt *opts, int nopts, char ***pos, int *npos,
              ec_error *err);

/* Exactly one mailbox for SEL (id, email or exact name); none or several
 * are EC_USAGE errors. */
/* The id of exactly one cached mailbox for SEL: CACHE_NOT_FOUND (err says
 * how to search) when none, EC_USAGE when several. */
int cli_select_id(ec_cache *cache, const char *sel, char id[EC_ID_SIZE], ec_error *err);
int cli_select_one(ec_cache *cache, const char *sel, ec_mailbox *out, ec_error *err);

/* A core session for network commands, printing progress and waits on
 * stderr; close with cli_session_done(). */
int cli_session(cli_ctx *ctx, ec_session *s, ec_error *err);
void cli_session_done(ec_session *s);

/* SEL.../--filter/--all into mailbox ids (deduplicated, in order); a SEL
 * that matches several mailboxes is an error. Free *ids with free(). */
int cli_select_many(ec_cache *cache, char *const *sels, int nsel, const char *filter, bool all,
                    char (**ids)[EC_ID_SIZE], int *n, ec_error *err);

/* The KEY of each KEY=VALUE as the key tables spell it: "_" read as "-", so
 * the keys --json prints (approve_users) are taken back as well as the
 * command line's own (approve-users). In place. */
void cli_key_spelling(char **assign, int n);

/* The command handlers (cli/cmd_*.c). */
int cmd_mailboxes(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_mailbox(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_settings(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_status(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_check(cli_ctx *ctx, int argc, char **argv, ec_error *err);
/* err as check's one UNKNOWN line on stdout, and its exit status 3: main.c
 * also routes a failure found before `check` runs (a global option, the
 * configuration) through it, so a monitoring system sees a plugin's codes. */
int cmd_check_unknown(ec_error *err);
int cmd_metrics(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_history(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_outbox(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_outbox_resolve(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_outbox_drop(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_outbox_retry(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_sync(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_settings_set(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_mailbox_set(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_mailbox_defaults(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_approve(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_alerts(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_login(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_logout(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_test(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_view_list(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_view_save(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_view_delete(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_filter_keys(cli_ctx *ctx, int argc, char **argv, ec_error *err);
/* The completion scripts' candidates (cli/cmd_complete.c). */
int cmd_complete(cli_ctx *ctx, int argc, char **argv, ec_error *err);

/* The saved views file, `views` in the configuration directory; NULL
 * without a home. Caller frees. */
char *cli_views_path(const cli_ctx *ctx);
int cmd_profiles(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_profile(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_profile_set(cli_ctx *ctx, int argc, char **argv, ec_error *err);
int cmd_profile_test(cli_ctx *ctx, int argc, char **argv, ec_error *err);

/* Writes a json-c object to out (no newline), every hidden code point
 * escaped (sanitize_json): the one writer of the CLI's JSON, every key
 * snake_case (a key table's "approve-users" is written "approve_users"). */
struct json_object;
void cli_write_json(FILE *out, struct json_object *obj, bool pretty);
/* Prints it to stdout and a newline, pretty when stdout is a terminal. */
void cli_print_json(struct json_object *obj);

#endif
