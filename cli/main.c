/* main.c — `emailcfg`: global options, configuration, and dispatch to the
 * subcommands of the command table. With no subcommand it opens the console.
 * Errors leave here as one line on stderr with the exit status of the README's
 * table; a reader of stdout that went away ends the run by SIGPIPE, silently.
 * --help goes to cli/help.c (after a command, that command's own). Core dumps are off: this process
 * holds the client secret, tokens and mailbox passwords. */
#include <libintl.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

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

/* --help alone: every command; after a command: that command's own. */
static int print_help(int argc, char **argv, ec_error *err)
{
	int words;
	const cli_command *c = argc >= 2 ? cli_find_command(argc, argv, &words) : NULL;
	if (argc < 2)
		cli_print_help(stdout);
	else if (!c)
		return ec_fail(err, EC_USAGE, "unknown command '%s'; see emailcfg --help", argv[1]);
	else
		cli_print_command_help(stdout, c);
	return EC_OK;
}

static int run_command(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	int words;
	const cli_command *c = cli_find_command(argc, argv, &words);
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
	cli_running(c->name, c->sub);
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

/* Whether the reader of stdout has gone away: the failed write said EPIPE,
 * or stdout is a pipe or socket that reports an error now (Linux sets
 * POLLERR on a pipe with no reader left). */
static bool stdout_reader_gone(int write_errno)
{
	struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
	if (write_errno == EPIPE)
		return true;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

/* SIGPIPE is ignored for libcurl and the probes (main): its default action
 * comes back for the one moment it is wanted. */
_Noreturn static void die_by_sigpipe(void)
{
	fflush(stderr);
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE); /* not reached */
}

static void cleanup(cli_ctx *ctx, cli_demo *demo_org)
{
	if (ctx->cache)
		cache_close(ctx->cache);
	ctx->cache = NULL;
	demo_stop(demo_org);
	config_free(&ctx->cfg);
}

/* The end of every run. Output that did not reach its file (a full disk) is
 * a failure, not a success with truncated JSON. A reader that went away
 * (`emailcfg ... | head`) is not: the command ends quietly, by SIGPIPE, as
 * git, ls and grep do, so a pipeline under `set -o pipefail` sees 141
 * (128 + 13) and nothing on stderr. */
static int finish(int rc, ec_error *err, cli_ctx *ctx, cli_demo *demo_org)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int write_errno = errno;
		if (rc == EC_OK && stdout_reader_gone(write_errno)) {
			cleanup(ctx, demo_org);
			die_by_sigpipe();
		}
		if (rc == EC_OK)
			rc = ec_fail(err, EC_LOCAL, "cannot write the output: %s; check the disk",
			             strerror(write_errno));
	}
	print_error(rc, err);
	cleanup(ctx, demo_org);
	/* Internal "not found" codes never leave as exit statuses. A run stopped
	 * by a signal (test), its verdicts printed, dies of that signal now, so
	 * a shell loop over mailboxes stops too (bash ends a loop only when its
	 * child died of SIGINT); the shell shows 128 + the signal. */
	if (rc == 128 + SIGINT || rc == 128 + SIGTERM) {
		signal(rc - 128, SIG_DFL);
		raise(rc - 128);
		return rc;
	}
	return rc < EC_OK || rc > EC_LOCAL ? EC_FAILED : rc;
}

/* Whether the command is NAME (its first word that is not a global option
 * or an option's value). */
static bool main_command_is(int argc, char **argv, const char *name)
{
	static const char *const valued[] = {"--org", "--config", "--cache"};
	for (int i = 1; i < argc; i++) {
		bool value = false;
		if (argv[i][0] != '-')
			return strcmp(argv[i], name) == 0;
		for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
			value |= strcmp(argv[i], valued[k]) == 0;
		i += value;
	}
	return false;
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
	bool check;
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

	/* A monitoring plugin must answer 0 to 3 with its status line even when
	 * the command line or the configuration is wrong. What check and
	 * metrics write and read is for machines: their numbers keep the C
	 * locale's decimal point (a Prometheus scraper and a threshold such as
	 * --warning 10.5 do not follow sl_SI's comma). */
	check = main_command_is(argc, argv, "check");
	if (check || main_command_is(argc, argv, "metrics"))
		setlocale(LC_NUMERIC, "C");
	rc = parse_globals(&argc, argv, &flags, &help, &version, &demo, &keys, &err);
	if (rc == EC_OK && version) {
		printf("emailcfg %s (revision %s)\n", EMAILCFG_VERSION, emailcfg_revision);
		return finish(EC_OK, &err, &ctx, &demo_org);
	}
	if (rc == EC_OK && keys) {
		tui_print_keys(stdout);
		return finish(EC_OK, &err, &ctx, &demo_org);
	}
	if (rc == EC_OK && help)
		return finish(print_help(argc, argv, &err), &err, &ctx, &demo_org);
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
	else if (rc != EC_OK && check)
		rc = cmd_check_unknown(&err);
	return finish(rc, &err, &ctx, &demo_org);
}
