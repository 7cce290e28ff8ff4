/* model.h — the domain model: organization email settings, server profile,
 * mailbox, alert (tracelog), outbox entry and Test & Enable result. Plain
 * structs that the codec fills from Dataverse JSON, the cache stores, the
 * rules judge and the front ends show. Option fields hold wire values (see
 * options.h); EC_NULL marks an absent (JSON null) number or flag. Strings are
 * heap-allocated and NULL when absent; free a struct with its *_free(). */
#ifndef EMAILCFG_MODEL_H
#define EMAILCFG_MODEL_H

#include <limits.h>
#include <stdbool.h>

#include "core/base/mem.h"

#define EC_NULL (-1)
/* The null of a field whose value may be negative, -1 too (an error code). */
#define EC_NULL_CODE  INT_MIN
#define EC_ID_SIZE    37 /* lowercase GUID + NUL */
#define EC_TIME_SIZE  21 /* "2024-03-01T09:00:00Z" + NUL; "" when absent */
#define EC_CLAIM_SIZE 96 /* an outbox claim token: "host pid nonce" + NUL */

typedef struct ec_settings {
	char id[EC_ID_SIZE]; /* organizationid */
	char *name;          /* the organization's display name */
	int process_using;   /* emailconnectionchannel, opt_process_using */
	char default_profile_id[EC_ID_SIZE];
	char *default_profile_name;
	/* defaultemailsettings XML; EC_NULL when the element is missing */
	int default_incoming, default_outgoing, default_act;
	int approve_users;          /* requireapprovalforuseremail */
	int approve_queues;         /* requireapprovalforqueueemail */
	int alerts_errors;          /* generatealertsforerrors */
	int alerts_warnings;        /* generatealertsforwarnings */
	int alerts_information;     /* generatealertsforinformation */
	int notify_mailbox_owner;   /* notifymailboxownerofemailserverlevelalerts */
	int correlation;            /* emailcorrelationenabled */
	int max_tracking_number;    /* maximumtrackingnumber; 0 = tokens off */
	char *tracking_prefix;      /* trackingprefix */
	int folder_tracking;        /* isfolderbasedtrackingenabled */
	int smart_matching;         /* enablesmartmatching */
	int ignore_internal_email;  /* ignoreinternalemail (inverse of two activities) */
	int allow_unresolved;       /* allowunresolvedpartiesonemailsend */
	long long max_upload_bytes; /* maxuploadfilesize, bytes; EC_NULL when absent */
	/* Local, from the cache's mailboxes (not a column): 1 when an active
	 * forward mailbox exists, 0 when none does, EC_NULL when unknown. The
	 * rules refuse Forward Mailbox as a delivery method without one. */
	int forward_mailbox_active;
	char modified_on[EC_TIME_SIZE];
	long long version; /* versionnumber = the etag's number; 0 unknown */
	char *unreadable;  /* what the codec could not read fully (not cached) */
} ec_settings;

typedef struct ec_profile {
	char id[EC_ID_SIZE];
	char *name;
	int server_type;         /* opt_server_type */
	char *incoming_location; /* EWS URL or host name */
	char *outgoing_location;
	int incoming_port, outgoing_port;
	int incoming_ssl, outgoing_ssl;
	int incoming_credential; /* opt_credential */
	int outgoing_credential;
	int use_same_settings;  /* usesamesettingsforoutgoingconnections */
	int state;              /* opt_state */
	char *server_type_name; /* emailservertypename: the type as the organization names it */
	int incoming_auth;      /* opt_auth_protocol */
	int outgoing_auth;
	char *incoming_username; /* used when the credentials come from the profile */
	char *outgoing_username;
	/* Whether a password is set (the passwords themselves are write-only
	 * on the organization and never read, cached or shown here). */
	int incoming_password_set, outgoing_password_set;
	int use_autodiscover; /* useautodiscover */
	int max_connections;  /* maxconcurrentconnections, 1-300 */
	char modified_on[EC_TIME_SIZE];
	long long version;
	char *unreadable; /* see ec_mailbox */
} ec_profile;

typedef struct ec_mailbox {
	char id[EC_ID_SIZE];
	char *name;
	char *email;
	int owner_type;            /* OWNER_USER/QUEUE/FORWARD, from the regarding lookup */
	char owner_id[EC_ID_SIZE]; /* _regardingobjectid_value */
	char *owner;               /* its FormattedValue: the user's or queue's name */
	int incoming, outgoing, act;
	int incoming_status, outgoing_status, act_status, mailbox_status;
	int approval; /* emailrouteraccessapproval */
	char profile_id[EC_ID_SIZE];
	char *profile_name;
	int enabled_incoming, enabled_outgoing, enabled_act;
	int test_scheduled; /* testemailconfigurationscheduled */
	char test_completed_on[EC_TIME_SIZE];
	int retry_count;       /* testemailconfigurationretrycount */
	int allow_credentials; /* allowemailconnectortousecredentials */
	char *username;
	int password_set; /* ispasswordset */
	int state;        /* statecode */
	/* What an admin reads when a mailbox stops syncing (schema 9) */
	char process_email_from[EC_TIME_SIZE]; /* processemailreceivedafter (a date) */
	int delete_after_processing;           /* processanddeleteemails */
	char *ews_url;                         /* ewsurl */
	int is_forward_mailbox;                /* isforwardmailbox, as the row says */
	/* orgmarkedasprimaryforexchangesync: Test & Enable's "Sync items with
	 * Exchange from this org only" (schema 10; shown, not edited here) */
	int org_primary_for_exchange_sync;
	int processing_state;            /* processingstatecode (values unconfirmed) */
	char last_sync_on[EC_TIME_SIZE]; /* lastsuccessfulsynccompletedon */
	char *last_sync_error;           /* lastsyncerror: outside text, sanitize */
	int last_sync_error_code; /* lastsyncerrorcode (may be negative); EC_NULL_CODE: none */
	char last_sync_error_on[EC_TIME_SIZE]; /* lastsyncerroroccurredon */
	char modified_on[EC_TIME_SIZE];
	long long version;
	/* What the last sync could not read fully, one "field 'x': why" per
	 * "; ", NULL when it read everything: an option value newer than this
	 * emailcfg (kept as its number), text with invalid UTF-8 (replaced by
	 * U+FFFD), or a row it could not read at all (kept as it was). */
	char *unreadable;
	/* local, from the outbox */
	int pending_edits;
	bool conflict;
	bool tests_stale; /* approval and test results predate a change (cache_mailbox_tests_stale)
	                   */
	char failing_since[EC_TIME_SIZE]; /* since when a channel fails (history); "" when not */
} ec_mailbox;

typedef struct ec_alert {
	char id[EC_ID_SIZE]; /* tracelogid */
	char regarding_id[EC_ID_SIZE];
	bool regarding_profile; /* on a server profile rather than a mailbox */
	int level;              /* opt_alert_level */
	long long code;         /* tracecode */
	int success;            /* tracestatus */
	char *text;
	char created_on[EC_TIME_SIZE];
	char modified_on[EC_TIME_SIZE];
	char *unreadable; /* see ec_mailbox */
} ec_alert;

enum ec_outbox_state { OUTBOX_QUEUED, OUTBOX_SENT, OUTBOX_CONFLICT, OUTBOX_FAILED };

typedef struct ec_outbox_entry {
	long long id;
	char entity[16]; /* "mailbox" or "organization" */
	char target_id[EC_ID_SIZE];
	char *changes;          /* JSON object {KEY: VALUE}, `set` keys and slugs */
	char *base;             /* JSON object: the same keys before the edit */
	char *theirs;           /* JSON object: the organization's values at a conflict */
	long long base_version; /* sent in If-Match */
	enum ec_outbox_state state;
	char created_on[EC_TIME_SIZE];
	char *error;
	/* The lease of the pusher that has the entry (empty: none), and when
	 * it ends (Unix seconds); see core/sync/outbox.h. */
	char claim[EC_CLAIM_SIZE];
	long long claim_expires;
} ec_outbox_entry;

enum ec_check_status { CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

typedef struct ec_check {
	char stage[16];   /* rules, approval, connectivity, server, verdict */
	char channel[16]; /* incoming, outgoing, act, or "" */
	enum ec_check_status status;
	char *code, *message, *fix;
	long elapsed_ms;
} ec_check;

typedef struct ec_test_result {
	char id[EC_ID_SIZE];
	char *name;
	enum ec_check_status verdict;
	ec_check *checks;
	int nchecks;
	char started_on[EC_TIME_SIZE];
	char finished_on[EC_TIME_SIZE];
} ec_test_result;

/* Set every field to its empty value (numbers EC_NULL, strings NULL). */
void settings_init(ec_settings *s);
void profile_init(ec_profile *p);
void mailbox_init(ec_mailbox *m);
void alert_init(ec_alert *a);
void outbox_entry_init(ec_outbox_entry *e);
void test_result_init(ec_test_result *t);

void settings_free(ec_settings *s);
void profile_free(ec_profile *p);
void mailbox_free(ec_mailbox *m);
void alert_free(ec_alert *a);
void outbox_entry_free(ec_outbox_entry *e);
void test_result_free(ec_test_result *t);

/* Deep copies; dst must not hold anything that needs freeing. */
void mailbox_copy(ec_mailbox *dst, const ec_mailbox *src);
void settings_copy(ec_settings *dst, const ec_settings *src);
void profile_copy(ec_profile *dst, const ec_profile *src);

/* Add one check to a test result (strings are copied). */
void test_result_add(ec_test_result *t, const char *stage, const char *channel,
                     enum ec_check_status status, const char *code, const char *message,
                     const char *fix, long elapsed_ms);

const char *outbox_state_slug(enum ec_outbox_state s);
int outbox_state_parse(const char *slug, enum ec_outbox_state *out);
const char *check_status_slug(enum ec_check_status s);
/* A check's stage, channel or status slug in the admin's language (the slug
 * itself when it is none of them). */
const char *check_word(const char *slug);

#endif
