/* commands.c — the command table of docs/cli.md. It drives dispatch,
 * --help (the global list and each command's own: usage, options, the keys
 * of its key table with their values, an example) and the man page's
 * command list; a command is added by adding a row (and its handler). */
#include "cli/cli.h"

#include "core/base/i18n.h"
#include "core/codec/keys.h"

/* Options: one "FLAG<TAB>what it does" a line. --filter and --all of the
 * commands that take SEL... are added by the help printer (cli/help.c). */
const cli_command cli_commands[] = {
    {"sync", NULL, "[--full] [--quiet]",
     N_("push queued edits, then pull settings, profiles, mailboxes and alerts; --quiet prints "
        "nothing on success"),
     cmd_sync, 0,
     N_("--full\tpull every row again, not only what changed\n"
        "--quiet\tprint nothing on success (errors still go to stderr)\n"),
     "emailcfg --org prod sync --quiet", NULL, NULL},
    {"check", NULL,
     "[--warning R] [--critical R] [--channel C] [--pending-warning R] [--pending-critical R] "
     "[--conflicts-warning R] [--conflicts-critical R] [--age-warning R] [--age-critical R] "
     "[--max-names N] [--sync] [--timeout S]",
     N_("a monitoring-plugin check (Nagios, Icinga): one status line with perfdata; exit 0 OK, "
        "1 WARNING, 2 CRITICAL, 3 UNKNOWN"),
     cmd_check, 0,
     N_("--warning R\tfailing mailboxes (or the --channel's) for WARNING; R a plugin range\n"
        "--critical R\tthe same for CRITICAL\n"
        "--channel C\tcount one channel: incoming, outgoing or act\n"
        "--pending-warning R\tapprovals blocking mail for WARNING\n"
        "--pending-critical R\tthe same for CRITICAL\n"
        "--conflicts-warning R\toutbox conflicts for WARNING\n"
        "--conflicts-critical R\toutbox conflicts for CRITICAL\n"
        "--age-warning R\tseconds since the last sync for WARNING (15m, 2h, 1d)\n"
        "--age-critical R\tthe same for CRITICAL\n"
        "--max-names N\tname at most N failing mailboxes (10)\n"
        "--sync\tsync first\n"
        "--timeout S\tend a --sync still running after S seconds (50; 2m) as CRITICAL\n"),
     "emailcfg check --warning 0 --critical 5 --age-critical 2h", NULL, NULL},
    {"metrics", NULL, "[--textfile DIR]",
     N_("the cache's numbers in the Prometheus text format, on stdout or atomically into "
        "DIR/emailcfg.prom"),
     cmd_metrics, 0,
     N_("--textfile DIR\twrite DIR/emailcfg.prom atomically (node_exporter's textfile "
        "collector)\n"),
     "emailcfg metrics --textfile /var/lib/prometheus/node-exporter", NULL, NULL},
    {"settings", NULL, "[--json]", N_("show the Email Configuration Settings"), cmd_settings, 0,
     N_("--json\tone object, the keys of settings set written snake_case\n"),
     "emailcfg settings --json", NULL, NULL},
    {"settings", "set", "KEY=VALUE...",
     N_("change Email Configuration Settings (keys: emailcfg settings set --help)"),
     cmd_settings_set, CMD_CHANGES, "",
     "emailcfg settings set approve-users=yes incoming=server-side-sync", keys_settings,
     &keys_settings_count},
    {"mailboxes", NULL, "[--view NAME] [--filter EXPR] [--sort KEY] [--json|--csv]",
     N_("list mailboxes, filtered and sorted"), cmd_mailboxes, 0,
     N_("--view NAME\tthe mailboxes of a view (emailcfg view list)\n"
        "--filter EXPR\tthe mailboxes the filter selects (emailcfg filter-keys)\n"
        "--sort KEY\tsort by KEY (-KEY: descending)\n"
        "--json\ta JSON array, one object a mailbox\n"
        "--csv\tCSV with a header line\n"),
     "emailcfg mailboxes --filter 'type:queue approval:pending' --csv", NULL, NULL},
    {"mailbox", NULL, "SEL [--json]", N_("one mailbox, with its alerts and last test"), cmd_mailbox,
     0, N_("--json\tone object with its alerts, its last test and its sync state\n"),
     "emailcfg mailbox ana.novak@contoso.com --json", NULL, NULL},
    {"mailbox", "set", "SEL... KEY=VALUE...",
     N_("change mailboxes: methods, server profile, address, credentials, state (keys: "
        "emailcfg mailbox set --help)"),
     cmd_mailbox_set, CMD_CHANGES, "",
     "emailcfg mailbox set --filter 'type:queue' incoming=server-side-sync outgoing=none",
     keys_mailbox, &keys_mailbox_count},
    {"mailbox", "defaults", "SEL...", N_("apply the organization's default settings"),
     cmd_mailbox_defaults, CMD_CHANGES, "", "emailcfg mailbox defaults --filter 'incoming:none'",
     NULL, NULL},
    {"approve", NULL, "SEL...", N_("approve mailboxes' email addresses"), cmd_approve, CMD_CHANGES,
     "", "emailcfg approve --filter 'approval:pending type:queue'", NULL, NULL},
    {"profiles", NULL, "[--json]", N_("list email server profiles with their mailbox counts"),
     cmd_profiles, 0, N_("--json\ta JSON array, one object a profile\n"), "emailcfg profiles", NULL,
     NULL},
    {"profile", NULL, "SEL [--json]", N_("one email server profile"), cmd_profile, 0,
     N_("--json\tone object\n"), "emailcfg profile 'Microsoft Exchange Online' --json", NULL, NULL},
    {"profile", "set", "SEL KEY=VALUE...",
     N_("change an email server profile: servers, ports, SSL, authentication, "
        "credentials, state (keys: emailcfg profile set --help)"),
     cmd_profile_set, CMD_CHANGES, "",
     "emailcfg profile set 'IMAP mail' incoming-server=imap.contoso.com incoming-port=993",
     keys_profile, &keys_profile_count},
    {"profile", "test", "SEL [--json]",
     N_("probe the profile's incoming and outgoing servers once, from this machine"),
     cmd_profile_test, 0, N_("--json\tone object with each direction's probe\n"),
     "emailcfg profile test 'IMAP mail'", NULL, NULL},
    {"test", NULL,
     "SEL... [--local-only] [--no-wait] [--timeout S] [--concurrency N] "
     "[--credentials FILE] [--approve] [--json]",
     N_("Test & Enable mailboxes and explain the verdicts"), cmd_test, 0,
     N_("--local-only\tskip the organization's own test: the checks from this machine only\n"
        "--no-wait\tschedule the organization's test, do not wait for it\n"
        "--timeout S\twait at most S seconds for the organization's test (900)\n"
        "--concurrency N\tat most N probes at once (16)\n"
        "--credentials FILE\tlog in with these: an INI file of [mailbox ID|EMAIL] and [profile "
        "NAME] sections with username and password, mode 0600\n"
        "--approve\tapprove the mailboxes' email addresses first\n"
        "--json\ta JSON array, one test result a mailbox\n"),
     "emailcfg test --filter 'status:failure' --json", NULL, NULL},
    {"status", NULL, "[--json]", N_("the numbers of the status panel"), cmd_status, 0,
     N_("--json\tone object\n"), "emailcfg status --json", NULL, NULL},
    {"history", NULL, "[--since DATE|DURATION] [--mailbox SEL] [--json|--csv]",
     N_("the counts after every sync, or one mailbox's status changes"), cmd_history, 0,
     N_("--since DATE|DURATION\tonly since then: 30m, 12h, 2d, 1w, 2024-03-01 or "
        "2024-03-01T09:00:00Z\n"
        "--mailbox SEL\tthat mailbox's status changes, newest first\n"
        "--json\ta JSON array\n"
        "--csv\tCSV with a header line\n"),
     "emailcfg history --since 1w --csv", NULL, NULL},
    {"login", NULL, "", N_("sign in as yourself with a device code (auth = device-code, adfs)"),
     cmd_login, 0, "", "emailcfg --org prod login", NULL, NULL},
    {"logout", NULL, "[--all]", N_("forget the sign-in to this organization, or to all"),
     cmd_logout, 0, N_("--all\tforget the sign-ins to every organization\n"),
     "emailcfg --org prod logout", NULL, NULL},
    {"alerts", NULL, "[SEL] [--level L] [--summary] [--json]",
     N_("alerts, newest first; grouped by cause with --summary; --level error, warning or "
        "information"),
     cmd_alerts, 0,
     N_("--level L\tone severity: error, warning or information\n"
        "--summary\tgrouped by cause, with the fix and the mailboxes of each\n"
        "--json\ta JSON array\n"),
     "emailcfg alerts --summary --level error", NULL, NULL},
    {"outbox", NULL, "[--all] [--json]", N_("queued edits and conflicts"), cmd_outbox, 0,
     N_("--all\tthe sent edits too\n"
        "--json\ta JSON array, one object an edit\n"),
     "emailcfg outbox --all", NULL, NULL},
    {"outbox", "resolve", "ID --mine|--theirs", N_("resolve a conflict"), cmd_outbox_resolve,
     CMD_CHANGES,
     N_("--mine\tpush the local values over the organization's\n"
        "--theirs\tkeep the organization's values and drop the edit\n"),
     "emailcfg outbox resolve 12 --theirs", NULL, NULL},
    {"outbox", "drop", "ID", N_("drop a queued edit"), cmd_outbox_drop, CMD_CHANGES, "",
     "emailcfg outbox drop 12", NULL, NULL},
    {"outbox", "retry", "ID", N_("queue a failed edit again and push it"), cmd_outbox_retry,
     CMD_CHANGES, "", "emailcfg outbox retry 12", NULL, NULL},
    /* `view` alone lists them too, as `view list`. */
    {"view", NULL, "[--json]", N_("the same as view list"), cmd_view_list, 0,
     N_("--json\ta JSON array, one object a view\n"), "emailcfg view", NULL, NULL},
    {"view", "list", "[--json]", N_("the built-in and saved views of the mailbox list"),
     cmd_view_list, 0, N_("--json\ta JSON array, one object a view\n"), "emailcfg view list --json",
     NULL, NULL},
    {"view", "save", "NAME FILTER", N_("save a filter as a view"), cmd_view_save, 0, "",
     "emailcfg view save imap-queues 'type:queue profile:imap'", NULL, NULL},
    {"view", "delete", "NAME", N_("delete a saved view"), cmd_view_delete, 0, "",
     "emailcfg view delete imap-queues", NULL, NULL},
    {"filter-keys", NULL, "", N_("the filter keys and their values (Markdown)"), cmd_filter_keys, 0,
     "", "emailcfg filter-keys", NULL, NULL},
    {"complete", NULL, "-- WORDS...", "completion candidates", cmd_complete, CMD_HIDDEN, "",
     "emailcfg complete -- mailbox set ana incoming=", NULL, NULL},
};
const int cli_command_count = (int)(sizeof cli_commands / sizeof cli_commands[0]);
