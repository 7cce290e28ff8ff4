/* options.h — every Dataverse option set emailcfg touches, as one table each
 * (docs/cli.md): wire value, slug, English label. The same tables drive
 * parsing, printing, JSON, the console's pickers, the filter language and the
 * documentation. Pure data and lookups; touches nothing else. */
#ifndef EMAILCFG_OPTIONS_H
#define EMAILCFG_OPTIONS_H

#include "core/base/error.h"

typedef struct ec_option {
	int wire;          /* the integer on the wire */
	const char *slug;  /* the CLI/JSON spelling */
	const char *label; /* English, marked with N_(); translate with opt_label() */
	/* The short form lists print where the slug is too wide ("SSS"), as the
	 * console shows it; the filter takes it too. NULL: the slug is short. */
	const char *abbrev;
} ec_option;

typedef struct ec_optset {
	const char *name; /* what the value is, for error messages: "incoming delivery" */
	const ec_option *opts;
	int count;
} ec_optset;

/* Mailbox owner types are derived from the regarding lookup, not sent. */
enum { OWNER_USER = 0, OWNER_QUEUE = 1, OWNER_FORWARD = 2 };
enum { INCOMING_NONE = 0, INCOMING_OUTLOOK = 1, INCOMING_SSS = 2, INCOMING_FORWARD = 3 };
enum { OUTGOING_NONE = 0, OUTGOING_OUTLOOK = 1, OUTGOING_SSS = 2 };
enum { ACT_OUTLOOK = 0, ACT_SSS = 1, ACT_NONE = 2 }; /* note the numbering */
enum { STATUS_NOT_RUN = 0, STATUS_SUCCESS = 1, STATUS_FAILURE = 2 };
enum { APPROVAL_EMPTY = 0, APPROVAL_APPROVED = 1, APPROVAL_PENDING = 2, APPROVAL_REJECTED = 3 };
enum { PROCESS_SSS = 0, PROCESS_ROUTER = 1 };
enum {
	SERVER_EXCHANGE = 0,
	SERVER_POP3_SMTP = 1,
	SERVER_EXCHANGE_HYBRID = 2,
	SERVER_EXCHANGE_ONLINE_HYBRID = 3,
	SERVER_IMAP_SMTP = 4,
};
enum { STATE_ACTIVE = 0, STATE_INACTIVE = 1 };
enum {
	CRED_USER_OR_QUEUE = 0,
	CRED_PROFILE = 1,
	CRED_S2S = 2,
	CRED_WINDOWS = 3,
	CRED_ANONYMOUS = 4,
	CRED_GMAIL_OAUTH = 5,
	CRED_HMA = 6,
	CRED_ENTRA_OAUTH = 7,
};
enum { AUTH_AUTO = 0, AUTH_NEGOTIATE = 1, AUTH_NTLM = 2, AUTH_BASIC = 3, AUTH_OAUTH = 4 };
enum { LEVEL_INFORMATION = 1, LEVEL_WARNING = 2, LEVEL_ERROR = 3 };

extern const ec_optset opt_incoming;
extern const ec_optset opt_outgoing;
extern const ec_optset opt_act;
extern const ec_optset opt_channel_status;
extern const ec_optset opt_approval;
extern const ec_optset opt_process_using;
extern const ec_optset opt_server_type;
extern const ec_optset opt_owner_type;
extern const ec_optset opt_state;
extern const ec_optset opt_credential;
extern const ec_optset opt_auth_protocol;
extern const ec_optset opt_alert_level;

/* Every option set above, for tests and generated documentation. */
extern const ec_optset *const opt_all[];
extern const int opt_all_count;

/* Lookups; NULL when the value is not in the set. Slugs match
 * case-insensitively. */
const ec_option *opt_find_wire(const ec_optset *set, int wire);
const ec_option *opt_find_slug(const ec_optset *set, const char *slug);

/* A slug or a short form (case-insensitive), for the filter: what a list
 * shows can be typed back. NULL when it is neither. */
const ec_option *opt_find_name(const ec_optset *set, const char *name);

/* The slug of a wire value, or NULL for an unknown value. */
const char *opt_slug(const ec_optset *set, int wire);
/* The translated label of a wire value, or "?" for an unknown value. */
const char *opt_label(const ec_optset *set, int wire);

/* What to show for a wire value: its slug (or translated label), NULL for
 * EC_NULL, and "7 (unknown)" for a value newer than this emailcfg, written
 * into buf (at least 24 bytes). Values from the organization are never
 * hidden behind "?". */
const char *opt_show_slug(const ec_optset *set, int wire, char *buf, unsigned long size);
const char *opt_show_label(const ec_optset *set, int wire, char *buf, unsigned long size);
/* As opt_show_slug(), but the short form where the table has one. */
const char *opt_show_short(const ec_optset *set, int wire, char *buf, unsigned long size);

/* Conversions that refuse unknown values with an EC_USAGE error naming the
 * value and the accepted ones. */
int opt_parse_slug(const ec_optset *set, const char *slug, int *wire, ec_error *err);
int opt_check_wire(const ec_optset *set, int wire, ec_error *err);

#endif
