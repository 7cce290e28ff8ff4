/* filter.h — the mailbox filter language of docs/cli.md (the console's
 * `/` and `--filter EXPR`) and the sort keys, compiled to SQL for the cache.
 *
 * EXPR is space-separated terms, all of which must hold:
 *   key:value    the field matches the value     -key:value   it does not
 *   word         name, email or owner contains the word (case-insensitive)
 *   -word        none of them contains it
 * Double quotes group spaces: name:"Ana Novak", "Ana Novak", -"Ana Novak";
 * inside quotes \" is a quote and \\ a backslash. An unquoted ':' always
 * separates a key, so search for a colon with quotes ("a:b"). A quote left
 * open runs to the end (the console filters as you type). An empty EXPR
 * matches every mailbox.
 *
 * One table (filter_keys) describes every key: how it filters, which option
 * set gives its values, how it sorts, and one line of help. The same table
 * produces the error messages and the documentation.
 *
 * The output is a WHERE fragment over the cache's `mailboxes m` (and its
 * `outbox` table) with `?` placeholders, plus the values to bind in order:
 * user text never becomes SQL. Pure functions; touches nothing. */
#ifndef EMAILCFG_FILTER_H
#define EMAILCFG_FILTER_H

#include <stdbool.h>
#include <time.h>

#include "core/base/error.h"
#include "core/model/options.h"

enum filter_kind {
	FILTER_TEXT,       /* case-insensitive substring of a folded column */
	FILTER_OWNER,      /* substring of the owner's name, or the owner's exact id */
	FILTER_PROFILE,    /* substring of the server profile's name, or its exact id */
	FILTER_ENUM,       /* one value of an option set */
	FILTER_ANY_STATUS, /* any of the three channel statuses has the value */
	FILTER_PENDING,    /* yes, no, conflict: from the outbox */
	FILTER_SORT_ONLY,  /* a sort key that does not filter */
	FILTER_AGE,        /* >DURATION or <DURATION: the time in column is older or newer */
	FILTER_CAUSE,      /* a cause slug of data/alerts.tsv: an alert of that cause */
};

typedef struct ec_filter_key {
	const char *key; /* "incoming-status" */
	enum filter_kind kind;
	const char *column;   /* the column of mailboxes m that it tests (FILTER_TEXT: folded) */
	const ec_optset *set; /* the values of FILTER_ENUM, FILTER_ANY_STATUS, FILTER_PENDING */
	const char *sort;     /* its ORDER BY expression; NULL when it does not sort */
	const char *help;     /* one line for --help and the documentation */
} ec_filter_key;

/* Over the sync history (core/cache/cache_status_history.c): since when
 * mailbox m fails (the earliest change into failure of a channel that fails
 * now and whose last change it was; NULL when it does not fail or the
 * change is older than the history) and its last status change (NULL when
 * none). For filters, sorting, and the cache's own reads. */
#define FILTER_FAILING_SINCE_SQL                                                                   \
	"(SELECT min(h.changed_on) FROM status_changes h WHERE h.mailbox_id = m.id AND "           \
	"h.to_status = 2 AND h.to_status = CASE h.channel WHEN 'incoming' THEN m.incoming_status " \
	"WHEN 'outgoing' THEN m.outgoing_status ELSE m.act_status END AND h.id = (SELECT "         \
	"max(h2.id) FROM status_changes h2 WHERE h2.mailbox_id = m.id AND h2.channel = "           \
	"h.channel))"
#define FILTER_LAST_CHANGE_SQL                                                                     \
	"(SELECT max(h.changed_on) FROM status_changes h WHERE h.mailbox_id = m.id)"

/* A relative duration, N followed by s, m, h, d or w ("90m", "2d"), in
 * seconds; false for anything else (or more than 100 years). */
bool filter_parse_duration(const char *text, long long *seconds);
/* A point in time given as a duration back from now (2d, 90m), a local
 * date (2024-03-01: from its midnight) or an ISO UTC time
 * (2024-03-01T09:00:00Z), as the cache's ISO UTC time; false for anything
 * else. */
bool filter_parse_since(const char *text, time_t now, char out[21]); /* EC_TIME_SIZE */
#define FILTER_SINCE_HELP                                                                          \
	"a duration (30m, 12h, 2d, 1w), a date (2024-03-01) or a UTC time (2024-03-01T09:00:00Z)"

extern const ec_filter_key filter_keys[];
extern const int filter_key_count;

/* The values of `pending:` (wire values are FILTER_PENDING_*). */
enum { FILTER_PENDING_NO = 0, FILTER_PENDING_YES = 1, FILTER_PENDING_CONFLICT = 2 };
extern const ec_optset filter_pending_set;

/* The key (case-insensitive), or NULL. */
const ec_filter_key *filter_find_key(const char *key);

typedef struct ec_filter_param {
	bool is_text;
	char *text;
	long long num;
} ec_filter_param;

typedef struct ec_filter {
	char *where; /* a boolean SQL expression; "1" for an empty EXPR */
	ec_filter_param *params;
	int nparams;
} ec_filter;

/* The most terms one EXPR may have. */
#define FILTER_MAX_TERMS 64

/* Compiles expr (NULL is empty). An unknown key or value, a key without a
 * value, or too many terms: EC_USAGE naming it and the valid choices. out is
 * empty on failure; free it with filter_free() either way. */
int filter_compile(const char *expr, ec_filter *out, ec_error *err);
void filter_free(ec_filter *f);

/* The ORDER BY clause (without the words) for sort: a sort key, "-key" for
 * descending, NULL or "" for "name"; always ending with the id as the
 * tie-break in the same direction. Unknown key: EC_USAGE listing them.
 * Caller frees *sql. */
int filter_order_by(const char *sort, char **sql, ec_error *err);

/* The values a key takes, for help and docs/cli.md: "none, outlook,
 * server-side-sync (SSS), ..." (the slugs and, in parentheses, the short
 * forms lists print, both accepted), or "text" / "text or id". */
void filter_list_values(const ec_filter_key *k, char *buf, unsigned long size);

/* Tab completion of the word being typed: a key prefix ("inc", "-appr")
 * completes to "incoming:", a value prefix ("incoming:s") to its slugs and
 * short forms. Writes the nth candidate (0-based; nth wraps in the caller)
 * into out and returns how many there are (0: none, out untouched). */
int filter_complete(const char *word, int nth, char *out, unsigned long size);

/* "name, email, owner, ..." of the keys that filter (or sort), for help. */
void filter_list_keys(bool sortable, char *buf, unsigned long size);

#endif
