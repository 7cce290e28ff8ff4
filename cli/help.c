/* help.c — `emailcfg --help` (every command of the command table and the
 * global options) and `emailcfg COMMAND --help` (that command's usage,
 * options, the keys of its key table in core/codec/keys.c with the values
 * each takes, and an example). Everything printed comes from the tables, so
 * a key added to a table is in the help. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/base/i18n.h"
#include "core/base/utf8.h"
#include "core/codec/keys.h"
#include "core/model/filter.h"

const cli_command *cli_find_command(int argc, char **argv, int *words)
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

static void command_words(const cli_command *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", c->name, c->sub ? " " : "", c->sub ? c->sub : "");
}

/* The filter keys, from the table that defines them, wrapped after the
 * help text's "Keys:" wherever its translation left the line. */
static void help_print_filter_keys(FILE *out, const char *text)
{
	const char *nl = strrchr(text, '\n');
	int col = (int)utf8_width(nl ? nl + 1 : text);
	for (int i = 0; i < filter_key_count; i++) {
		int w = (int)strlen(filter_keys[i].key) + 1;
		if (col + w > 78) {
			fputc('\n', out);
			col = 0;
		}
		fprintf(out, "%s%s", col ? " " : "", filter_keys[i].key);
		col += col ? w : w - 1;
	}
}

void cli_print_help(FILE *out)
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
		command_words(c, words, sizeof words);
		fprintf(out, "  %-17s %s\n  %-17s   %s\n", words, _(c->summary), "", c->args);
	}
	const char *options =
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
	      "emailcfg COMMAND --help shows a command's usage, options, keys and an example.\n"
	      "SEL is a mailbox id, an email address or an exact name; bulk commands also\n"
	      "take --filter EXPR and --all. EXPR: space-separated terms; key:value,\n"
	      "-key:value, or a bare word matching name, email or owner. Keys:");
	fputs(options, out);
	help_print_filter_keys(out, options);
	fprintf(out, _(".\n\nExit status: 0 done; 1 a check or push failed; 2 bad usage or "
	               "refused by\nthe rules; 3 conflict (edit kept); 4 organization unreachable "
	               "or\ncredentials refused; 5 local cache or configuration problem; 130 or "
	               "143\nTest & Enable stopped by Ctrl-C or SIGTERM.\n"));
}

/* "FLAG<TAB>what" lines as two columns. */
static void print_options(FILE *out, const char *lines)
{
	while (*lines) {
		size_t n = strcspn(lines, "\n"), flag = strcspn(lines, "\t");
		if (flag > n)
			flag = n;
		fprintf(out, "  %-22.*s %.*s\n", (int)flag, lines,
		        n > flag ? (int)(n - flag - 1) : 0, lines + flag + (flag < n));
		lines += n + (lines[n] == '\n');
	}
}

static void print_keys(FILE *out, const struct ec_key *keys, int n)
{
	fputs(_("\nKeys (KEY=VALUE; \"_\" may stand for \"-\", as --json writes them):\n"), out);
	for (int i = 0; i < n; i++) {
		char values[512];
		if (keys[i].internal)
			continue;
		fprintf(out, "  %s=%s\n      %s\n", keys[i].key,
		        keys_value_hint(&keys[i], values, sizeof values), _(keys[i].help));
	}
	fputs(_("yes|no is also true|false, on|off or 1|0; a method also takes its short form "
	        "(sss).\n"),
	      out);
}

void cli_print_command_help(FILE *out, const cli_command *c)
{
	char words[64];
	bool sel = strstr(c->args, "SEL...") != NULL;
	command_words(c, words, sizeof words);
	fprintf(out, "%s emailcfg [GLOBAL] %s%s%s\n%s.\n", _("Usage:"), words, *c->args ? " " : "",
	        c->args, _(c->summary));
	if (sel)
		fprintf(out, _("SEL is a mailbox id, an email address or an exact name.\n"));
	if (*c->options || sel) {
		fprintf(out, "\n%s\n", _("Options:"));
		if (sel)
			print_options(out, _("--filter EXPR\tthe mailboxes the filter selects "
			                     "(emailcfg filter-keys)\n"
			                     "--all\tevery mailbox\n"));
		if (*c->options)
			print_options(out, _(c->options));
	}
	if (c->keys)
		print_keys(out, c->keys, *c->nkeys);
	fprintf(out, "\n%s\n  %s\n", _("Example:"), c->example);
	fprintf(out, _("\nGlobal options and every command: emailcfg --help\n"));
}
