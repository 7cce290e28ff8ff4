/* commands.c — the command table of docs/cli.md. It drives dispatch,
 * --help and the man page's command list; a command is added by adding a
 * row (and its handler). */
#include "cli/cli.h"

#include "core/base/i18n.h"

const cli_command cli_commands[] = {
    {"sync", NULL, "[--full] [--quiet]",
     N_("push queued edits, then pull settings, profiles, mailboxes and alerts; --quiet prints "
        "nothing on success"),
     cmd_sync, 0},
    {"check", NULL,
     "[--warning R] [--critical R] [--channel C] [--pending-warning R] [--pending-critical R] "
     "[--conflicts-warning R] [--conflicts-critical R] [--age-warning R] [--age-critical R] "
     "[--max-names N] [--sync]",
     N_("a monitoring-plugin check (Nagios, Icinga): one status line with perfdata; exit 0 OK, "
        "1 WARNING, 2 CRITICAL, 3 UNKNOWN"),
     cmd_check, 0},
    {"metrics", NULL, "[--textfile DIR]",
     N_("the cache's numbers in the Prometheus text format, on stdout or atomically into "
        "DIR/emailcfg.prom"),
     cmd_metrics, 0},
    {"settings", NULL, "[--json]", N_("show the Email Configuration Settings"), cmd_settings, 0},
    {"settings", "set", "KEY=VALUE...", N_("change Email Configuration Settings"), cmd_settings_set,
     CMD_CHANGES},
    {"mailboxes", NULL, "[--view NAME] [--filter EXPR] [--sort KEY] [--json|--csv]",
     N_("list mailboxes, filtered and sorted"), cmd_mailboxes, 0},
    {"mailbox", NULL, "SEL [--json]", N_("one mailbox, with its alerts and last test"), cmd_mailbox,
     0},
    {"mailbox", "set", "SEL... KEY=VALUE...",
     N_("change mailboxes (incoming, outgoing, act, server-profile, email, "
        "allow-credentials, username, state)"),
     cmd_mailbox_set, CMD_CHANGES},
    {"mailbox", "defaults", "SEL...", N_("apply the organization's default settings"),
     cmd_mailbox_defaults, CMD_CHANGES},
    {"approve", NULL, "SEL...", N_("approve mailboxes' email addresses"), cmd_approve, CMD_CHANGES},
    {"profiles", NULL, "[--json]", N_("list email server profiles with their mailbox counts"),
     cmd_profiles, 0},
    {"profile", NULL, "SEL [--json]", N_("one email server profile"), cmd_profile, 0},
    {"profile", "set", "SEL KEY=VALUE...",
     N_("change an email server profile (servers, ports, SSL, authentication, credentials, "
        "use-same-for-outgoing, autodiscover, max-connections, state)"),
     cmd_profile_set, CMD_CHANGES},
    {"profile", "test", "SEL [--json]",
     N_("probe the profile's incoming and outgoing servers once, from this machine"),
     cmd_profile_test, 0},
    {"test", NULL,
     "SEL... [--local-only] [--no-wait] [--timeout S] [--concurrency N] "
     "[--credentials FILE] [--approve] [--json]",
     N_("Test & Enable mailboxes and explain the verdicts"), cmd_test, 0},
    {"status", NULL, "[--json]", N_("the numbers of the status panel"), cmd_status, 0},
    {"history", NULL, "[--since DATE|DURATION] [--mailbox SEL] [--json|--csv]",
     N_("the counts after every sync, or one mailbox's status changes"), cmd_history, 0},
    {"login", NULL, "", N_("sign in as yourself with a device code (auth = device-code, adfs)"),
     cmd_login, 0},
    {"logout", NULL, "[--all]", N_("forget the sign-in to this organization, or to all"),
     cmd_logout, 0},
    {"alerts", NULL, "[SEL] [--level L] [--summary] [--json]",
     N_("alerts, newest first; grouped by cause with --summary; --level error, warning or "
        "information"),
     cmd_alerts, 0},
    {"outbox", NULL, "[--json]", N_("queued edits and conflicts"), cmd_outbox, 0},
    {"outbox", "resolve", "ID --mine|--theirs", N_("resolve a conflict"), cmd_outbox_resolve,
     CMD_CHANGES},
    {"outbox", "drop", "ID", N_("drop a queued edit"), cmd_outbox_drop, CMD_CHANGES},
    {"outbox", "retry", "ID", N_("queue a failed edit again and push it"), cmd_outbox_retry,
     CMD_CHANGES},
    /* `view` alone lists them too, as `view list`. */
    {"view", NULL, "[--json]", N_("the same as view list"), cmd_view_list, 0},
    {"view", "list", "[--json]", N_("the built-in and saved views of the mailbox list"),
     cmd_view_list, 0},
    {"view", "save", "NAME FILTER", N_("save a filter as a view"), cmd_view_save, 0},
    {"view", "delete", "NAME", N_("delete a saved view"), cmd_view_delete, 0},
    {"filter-keys", NULL, "", N_("the filter keys and their values (Markdown)"), cmd_filter_keys,
     0},
    {"complete", NULL, "-- WORDS...", "completion candidates", cmd_complete, CMD_HIDDEN},
};
const int cli_command_count = (int)(sizeof cli_commands / sizeof cli_commands[0]);
