/* main.c — `emailcfg`: global options, configuration, and dispatch to the
 * subcommands of the command table. With no subcommand it opens the console.
 * Errors leave here as one line on stderr with the exit status of the README's
 * table. Core dumps are off: this process holds the client secret, tokens and
 * mailbox passwords. */
#include <libintl.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/table.h"
#include "core/base/i18n.h"
#include "core/base/paths.h"
#include "core/base/sanitize.h"
#include "core/sync/sync.h"
#include "core/base/version.h"
#include "tui/tui.h"

static void print_help(FILE *out)
{
	fprintf(out, _("Usage: emailcfg [GLOBAL] [COMMAND [ARGS]]\n"
	               "Email synchronization settings of a Dynamics 365 organization.\n"
	               "With no COMMAND, emailcfg opens the console.\n\n"
	               "Commands:\n"));
	for (int i = 0; i < cli_command_count; i++) {
		const cli_command *c = &cli_commands[i];
		char words[64];
		if (c->flags & CMD_HIDDEN)
			continue;
		snprintf(words, sizeof words, "%s%s%s", c->name, c->sub ? " " : "",
		         c->sub ? c->sub : "");
		fprintf(out, "  %-17s %s\n  %-17s   %s\n", words, _(c->summary), "", c->args);
	}
	fprintf(out,
	        _("\nGlobal options:\n"
	          "  --org URL|NAME    organization URL, or a [org NAME] section of the config\n"
	          "  --config FILE     default $XDG_CONFIG_HOME/emailcfg/config\n"
	          "  --cache FILE      default $XDG_CACHE_HOME/emailcfg/<host>[-PORT][_PATH].db\n"
	          "  --offline         use the cache only; edits are queued\n"
	          "  --read-only       refuse every change\n"
	          "  --demo            run against the bundled demo organization\n"
	          "  -v, --verbose     log each request (secrets redacted)\n"
	          "  -q, --quiet       print only errors\n"
	          "  --version, --help\n\n"
	          "SEL is a mailbox id, an email address or an exact name; bulk commands also\n"
	          "take --filter EXPR and --all. EXPR: space-separated terms; key:value,\n"
	          "-key:value, or a bare word matching name, email or owner. Keys: name email\n"
	          "owner type incoming outgoing act status incoming-status outgoing-status\n"
	          "act-status approval profile state pending since changed.\n\n"
	          "Exit status: 0 done; 1 a check or push failed; 2 bad usage or refused by\n"
	          "the rules; 3 conflict (edit kept); 4 organization unreachable or\n"
	          "credentials refused; 5 local cache or configuration problem.\n"));
}

/* Pulls the global options out of argv (they may come before or after the
 * command), leaving the command and its arguments in order. After `--`
 * nothing is a global option (`complete -- WORDS` reads them as words). */
static int parse_globals(int *argc, char **argv, ec_config_flags *flags, bool *help, bool *version,
                         bool *demo, bool *keys, ec_error *err)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **value = strcmp(a, "--org") == 0      ? &flags->org
		                     : strcmp(a, "--config") == 0 ? &flags->config
		                     : strcmp(a, "--cache") == 0  ? &flags->cache
		                                                  : NULL;
		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (value) {
			if (i + 1 >= *argc)
				return ec_fail(err, EC_USAGE,
				               "%s needs a value; see emailcfg --help", a);
			*value = argv[++i];
		} else if (strcmp(a, "--offline") == 0) {
			flags->offline = true;
		} else if (strcmp(a, "--read-only") == 0) {
			flags->read_only = true;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			flags->verbose = true;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			flags->quiet = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*help = true;
		} else if (strcmp(a, "--version") == 0) {
			*version = true;
		} else if (strcmp(a, "--demo") == 0) {
			*demo = true;
		} else if (strcmp(a, "--keys") == 0) {
			*keys = true;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return EC_OK;
}

static const cli_command *find_command(int argc, char **argv, int *words)
{
	const cli_command *plain = NULL;
	for (int i = 0; i < cli_command_count; i++) {
		const cli_command *c = &cli_commands[i];
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		if (!c->sub)
			plain = c;
		else if (argc > 2 && strcmp(c->sub, argv[2]) == 0) {
			*words = 2;
			return c;
		}
	}
	*words = 1;
	return plain;
}

static int run_command(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	int words;
	const cli_command *c = find_command(argc, argv, &words);
	if (!c)
		return ec_fail(err, EC_USAGE, "unknown command '%s'; see emailcfg --help", argv[1]);
	if ((c->flags & CMD_CHANGES) && ctx->cfg.read_only)
		return ec_fail(err, EC_USAGE,
		               "--read-only: '%s%s%s' would change the organization; "
		               "run it without --read-only",
		               c->name, c->sub ? " " : "", c->sub ? c->sub : "");
	if (!c->run)
		return ec_fail(err, EC_USAGE,
		               "'%s%s%s' is not part of emailcfg %s yet; "
		               "see emailcfg --help",
		               c->name, c->sub ? " " : "", c->sub ? c->sub : "", EMAILCFG_VERSION);
	return c->run(ctx, argc - 1 - words, argv + 1 + words, err);
}

static int demo_fill_cache(cli_ctx *ctx, ec_error *err)
{
	ec_sync_stats st;
	ec_session s;
	int rc = cli_session(ctx, &s, err);
	if (rc == EC_OK) {
		rc = sync_run(&s, false, &st, err);
		cli_session_done(&s);
	}
	return rc;
}

/* The one line on stderr. It may quote the organization (an OData error, a
 * sign-in error) or a mailbox name, so it goes through the sanitizer. */
static void print_error(int rc, const ec_error *err)
{
	char *clean;
	if (rc == EC_OK || !err->msg[0])
		return;
	clean = sanitize_text(err->msg);
	fprintf(stderr, "emailcfg: %s\n", clean);
	free(clean);
}

/* No core file, and no other user's debugger, sees the secrets in memory. */
static void main_disable_core_dumps(void)
{
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
	ec_config_flags flags = {0};
	cli_ctx ctx = {0};
	cli_demo demo_org = {0};
	ec_error err = {0};
	bool help = false, version = false, demo = false, keys = false;
	bool stopping;
	int rc;

	/* libcurl runs with CURLOPT_NOSIGNAL: a peer closing a connection must
	 * not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	main_disable_core_dumps();
	setlocale(LC_ALL, "");
	bindtextdomain("emailcfg", getenv("EMAILCFG_LOCALEDIR") ? getenv("EMAILCFG_LOCALEDIR")
	                                                        : EMAILCFG_LOCALEDIR);
	textdomain("emailcfg");
	ctx.ascii = table_ascii_only();

	rc = parse_globals(&argc, argv, &flags, &help, &version, &demo, &keys, &err);
	if (rc == EC_OK && version) {
		printf("emailcfg %s (revision %s)\n", EMAILCFG_VERSION, emailcfg_revision);
		return EC_OK;
	}
	if (rc == EC_OK && keys) {
		tui_print_keys(stdout);
		return EC_OK;
	}
	if (rc == EC_OK && help) {
		print_help(stdout);
		return EC_OK;
	}
	if (rc == EC_OK)
		rc = config_load(&flags, &ctx.cfg, &err);
	stopping = demo && argc >= 2 && strcmp(argv[1], "stop") == 0;
	/* --demo: the bundled organization on loopback. `--demo stop` ends the
	 * session; a command joins it (starting it); the console joins it when it
	 * runs, else runs a private one that quitting stops. */
	if (rc == EC_OK && stopping)
		rc = argc == 2 ? demo_session_stop(&err)
		               : ec_fail(&err, EC_USAGE, "--demo stop takes no arguments");
	else if (rc == EC_OK && demo) {
		demo_org.keep_cache = flags.cache != NULL;
		rc = demo_session(&demo_org, &ctx.cfg, argc >= 2, &err);
		if (rc == DEMO_NOT_RUNNING)
			rc = demo_start(&demo_org, &ctx.cfg, &err);
	}
	/* A command on the demo organization reads a cache: bring it up to date first. */
	if (rc == EC_OK && demo && !stopping && argc >= 2 && strcmp(argv[1], "sync") != 0)
		rc = demo_fill_cache(&ctx, &err);
	if (rc == EC_OK && !stopping && argc < 2)
		rc = tui_run(&ctx.cfg, &err);
	else if (rc == EC_OK && !stopping)
		rc = run_command(&ctx, argc, argv, &err);
	/* Output that did not reach its file (a full disk, a closed pipe) is a
	 * failure, not a success with truncated JSON. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (rc == EC_OK)
			rc = ec_fail(&err, EC_LOCAL,
			             "cannot write the output: %s; check the disk or "
			             "the pipe",
			             strerror(errno));
	}
	print_error(rc, &err);
	if (ctx.cache)
		cache_close(ctx.cache);
	demo_stop(&demo_org);
	config_free(&ctx.cfg);
	/* Internal "not found" codes never leave as exit statuses. */
	return rc < EC_OK || rc > EC_LOCAL ? EC_FAILED : rc;
}
