/* filter.c — the filter language and sort keys of filter.h: one table of
 * keys, a tokenizer for terms (negation, quotes, key:value), and the SQL each
 * kind of key compiles to. User text only ever becomes a bound parameter.
 * Pure: touches nothing but the memory it returns. */
#include "core/model/filter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/model/explain.h"
#include "core/model/model.h"
#include "core/base/utf8.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const ec_option pending_values[] = {
    {FILTER_PENDING_NO, "no", "no edit waiting"},
    {FILTER_PENDING_YES, "yes", "edits queued or in conflict"},
    {FILTER_PENDING_CONFLICT, "conflict", "an edit in conflict"},
};
const ec_optset filter_pending_set = {"pending", pending_values, COUNT(pending_values)};

/* Outbox entries of the mailbox in the given states (SQL string list). */
#define OUTBOX_OF_M(states)                                                                        \
	"SELECT 1 FROM outbox o WHERE o.entity = 'mailbox' AND o.target_id = m.id AND o.state "    \
	"IN (" states ")"
#define PENDING_EXISTS  "EXISTS (" OUTBOX_OF_M("'queued', 'conflict'") ")"
#define CONFLICT_EXISTS "EXISTS (" OUTBOX_OF_M("'conflict'") ")"
/* Mailboxes in conflict last, then by the number of waiting edits. */
#define PENDING_SORT                                                                               \
	"(SELECT COALESCE(SUM(CASE o.state WHEN 'conflict' THEN 65536 ELSE 1 END), 0) FROM "       \
	"outbox "                                                                                  \
	"o WHERE o.entity = 'mailbox' AND o.target_id = m.id AND o.state IN ('queued', "           \
	"'conflict'))"

const ec_filter_key filter_keys[] = {
    {"name", FILTER_TEXT, "m.name_folded", NULL, "m.name_folded", "the name contains VALUE"},
    {"email", FILTER_TEXT, "m.email_folded", NULL, "m.email_folded",
     "the email address contains VALUE"},
    {"owner", FILTER_OWNER, "m.owner_folded", NULL, "m.owner_folded",
     "the owner's (user's or queue's) name contains VALUE, or VALUE is its id"},
    {"type", FILTER_ENUM, "m.owner_type", &opt_owner_type, "m.owner_type",
     "the mailbox belongs to a user or a queue, or is a forward mailbox"},
    {"incoming", FILTER_ENUM, "m.incoming", &opt_incoming, "m.incoming",
     "the incoming email delivery method"},
    {"outgoing", FILTER_ENUM, "m.outgoing", &opt_outgoing, "m.outgoing",
     "the outgoing email delivery method"},
    {"act", FILTER_ENUM, "m.act", &opt_act, "m.act",
     "the appointments, contacts and tasks delivery method"},
    {"status", FILTER_ANY_STATUS, NULL, &opt_channel_status, NULL,
     "any of the three channels has this status (status:failure: something failed)"},
    {"incoming-status", FILTER_ENUM, "m.incoming_status", &opt_channel_status, "m.incoming_status",
     "the incoming email status"},
    {"outgoing-status", FILTER_ENUM, "m.outgoing_status", &opt_channel_status, "m.outgoing_status",
     "the outgoing email status"},
    {"act-status", FILTER_ENUM, "m.act_status", &opt_channel_status, "m.act_status",
     "the appointments, contacts and tasks status"},
    {"approval", FILTER_ENUM, "m.approval", &opt_approval, "m.approval",
     "the approval of the email address"},
    /* not stored folded (rarely searched): ec_fold() of NULL is '', so
     * -error: keeps mailboxes without an error */
    {"error", FILTER_TEXT, "ec_fold(m.last_sync_error)", NULL, NULL,
     "the last sync error the organization reported contains VALUE"},
    {"profile", FILTER_PROFILE, "m.profile_folded", NULL, "m.profile_folded",
     "the server profile's name contains VALUE, or VALUE is its id"},
    {"state", FILTER_ENUM, "m.state", &opt_state, "m.state", "active or inactive"},
    {"modified", FILTER_SORT_ONLY, NULL, NULL, "m.modified_on",
     "when the organization last changed the mailbox (sort only)"},
    {"pending", FILTER_PENDING, NULL, &filter_pending_set, PENDING_SORT,
     "local edits wait to be sent (yes), none wait (no), or one is in conflict"},
    {"since", FILTER_AGE, FILTER_FAILING_SINCE_SQL, NULL, FILTER_FAILING_SINCE_SQL,
     "failing for longer (>2d) or shorter (<1h) than a duration (s, m, h, d, w); sorts by "
     "failing since"},
    {"changed", FILTER_AGE, FILTER_LAST_CHANGE_SQL, NULL, FILTER_LAST_CHANGE_SQL,
     "the last status change is older (>2d) or newer (<1h) than a duration"},
    {"cause", FILTER_CAUSE, NULL, NULL, NULL,
     "the mailbox has an alert of this cause (the \"cause\" of alerts --json), or fails and "
     "uses a server profile that has one"},
};
const int filter_key_count = COUNT(filter_keys);

const ec_filter_key *filter_find_key(const char *key)
{
	for (int i = 0; i < filter_key_count; i++)
		if (strcasecmp(filter_keys[i].key, key) == 0)
			return &filter_keys[i];
	return NULL;
}

void filter_list_keys(bool sortable, char *buf, unsigned long size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < filter_key_count && used < size; i++) {
		const ec_filter_key *k = &filter_keys[i];
		if (sortable ? k->sort == NULL : k->kind == FILTER_SORT_ONLY)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", k->key);
	}
}

void filter_list_values(const ec_filter_key *k, char *buf, unsigned long size)
{
	size_t used = 0;
	buf[0] = '\0';
	if (!k->set) {
		snprintf(buf, size, "%s",
		         k->kind == FILTER_TEXT        ? "text"
		         : k->kind == FILTER_SORT_ONLY ? "-"
		         : k->kind == FILTER_AGE       ? ">DURATION or <DURATION"
		         : k->kind == FILTER_CAUSE
		             ? "a cause slug (approval, credentials, ..., other)"
		             : "text or id");
		return;
	}
	for (int i = 0; i < k->set->count && used < size; i++) {
		const ec_option *o = &k->set->opts[i];
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", o->slug);
		if (o->abbrev && used < size)
			used += (size_t)snprintf(buf + used, size - used, " (%s)", o->abbrev);
	}
}

/* The nth word (of a key's slugs and short forms, in table order) that
 * starts with prefix, case-insensitively; how many there are. */
static int complete_values(const ec_filter_key *k, const char *prefix, int nth, const char **hit)
{
	size_t n = strlen(prefix);
	int found = 0;
	for (int i = 0; k->set && i < k->set->count; i++) {
		const char *words[2] = {k->set->opts[i].slug, k->set->opts[i].abbrev};
		for (int j = 0; j < 2; j++)
			if (words[j] && strncasecmp(words[j], prefix, n) == 0 && found++ == nth)
				*hit = words[j];
	}
	return found;
}

int filter_complete(const char *word, int nth, char *out, unsigned long size)
{
	const char *colon = strchr(word, ':'), *hit = NULL;
	const char *key = word[0] == '-' ? word + 1 : word; /* -key:value completes too */
	int found = 0;
	if (colon) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(colon - key), key);
		const ec_filter_key *k = filter_find_key(name);
		if (!k || k->kind == FILTER_SORT_ONLY)
			return 0;
		found = complete_values(k, colon + 1, nth, &hit);
		if (hit)
			snprintf(out, size, "%.*s%s", (int)(colon + 1 - word), word, hit);
		return found;
	}
	for (int i = 0; i < filter_key_count; i++) {
		const ec_filter_key *k = &filter_keys[i];
		if (k->kind != FILTER_SORT_ONLY && strncasecmp(k->key, key, strlen(key)) == 0 &&
		    found++ == nth)
			snprintf(out, size, "%.*s%s:", (int)(key - word), word, k->key);
	}
	return found;
}

/* ---- Terms ------------------------------------------------------------- */

struct term {
	char *text; /* the term without its quotes and leading '-' */
	long colon; /* where the key ends in text, or -1 for a bare word */
	bool negated;
};

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Reads the term at p (not a space) into t; returns where the next begins. */
static const char *read_term(const char *p, struct term *t)
{
	bool quoted = false, any_quote = false;
	size_t len = 0;
	t->text = ec_xmalloc(strlen(p) + 1);
	t->colon = -1;
	t->negated = p[0] == '-' && p[1] && !is_space(p[1]);
	if (t->negated)
		p++;
	while (*p && (quoted || !is_space(*p))) {
		if (*p == '"') {
			quoted = !quoted;
			any_quote = true;
			p++;
			continue;
		}
		if (quoted && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		else if (!quoted && !any_quote && *p == ':' && t->colon < 0)
			t->colon = (long)len;
		t->text[len++] = *p++;
	}
	t->text[len] = '\0';
	return p;
}

/* ---- Building the WHERE fragment --------------------------------------- */

struct builder {
	FILE *sql;
	char *buf;
	size_t size;
	ec_filter *out;
	int terms;
};

static void add_text(struct builder *b, const char *text)
{
	ec_filter *f = b->out;
	f->params = ec_xrealloc(f->params, sizeof *f->params * (unsigned long)(f->nparams + 1));
	f->params[f->nparams++] = (ec_filter_param){true, ec_strdup(text), 0};
}

static void add_num(struct builder *b, long long num)
{
	ec_filter *f = b->out;
	f->params = ec_xrealloc(f->params, sizeof *f->params * (unsigned long)(f->nparams + 1));
	f->params[f->nparams++] = (ec_filter_param){false, NULL, num};
}

/* The folded column contains the folded value, starting and ending on whole
 * letters. utf8_fold() writes a letter with a diacritic as its base letter,
 * 0x7F and a rank (č is "c" 0x7F 1), which sorts č right after c; so a plain
 * substring test would let "c" match the first byte of "č". A match must
 * therefore not be followed by 0x7F: GLOB '*VALUE[^DEL]*' over the column
 * with a space appended (so a match at the very end has a character after
 * it too). VALUE's own GLOB characters [ * ? are escaped as [[] [*] [?];
 * char(63) is '?', kept out of the SQL text where it would read as a
 * placeholder. A value that ends inside a letter (after 0x7F and its rank)
 * is whole by construction. */
static void add_contains(struct builder *b, const char *column, const char *folded)
{
	fprintf(b->sql,
	        "(%s || ' ') GLOB '*' || replace(replace(replace(?, '[', '[[]'), '*', '[*]'), "
	        "char(63), '[' || char(63) || ']') || '[^' || char(127) || ']*'",
	        column);
	add_text(b, folded);
}

static void compile_bare(struct builder *b, const char *word)
{
	char *folded = utf8_fold(word);
	fputc('(', b->sql);
	add_contains(b, "m.name_folded", folded);
	fputs(" OR ", b->sql);
	add_contains(b, "m.email_folded", folded);
	fputs(" OR ", b->sql);
	add_contains(b, "m.owner_folded", folded);
	fputc(')', b->sql);
	free(folded);
}

/* Substring of a folded name, or the exact id in id_column. */
static void compile_name_or_id(struct builder *b, const char *column, const char *id_column,
                               const char *value)
{
	char *folded = utf8_fold(value);
	fputc('(', b->sql);
	add_contains(b, column, folded);
	fprintf(b->sql, " OR %s IS ?)", id_column);
	add_text(b, folded);
	free(folded);
}

static int compile_option(struct builder *b, const ec_filter_key *k, const char *value,
                          ec_error *err)
{
	const ec_option *o = opt_find_name(k->set, value); /* "SSS" as the list shows it */
	char valid[256];
	if (!o) {
		filter_list_values(k, valid, sizeof valid);
		return ec_fail(err, EC_USAGE,
		               "unknown value '%.64s' for the filter key '%s'; use one of: %s",
		               value, k->key, valid);
	}
	switch (k->kind) {
	case FILTER_ANY_STATUS:
		/* A union of the three status indexes' lookups: an OR of the
		 * columns made SQLite walk all 100,000 rows in name order. */
		fputs("m.rowid IN (SELECT rowid FROM mailboxes WHERE incoming_status IS ? UNION "
		      "SELECT rowid FROM mailboxes WHERE outgoing_status IS ? UNION SELECT rowid "
		      "FROM mailboxes WHERE act_status IS ?)",
		      b->sql);
		for (int i = 0; i < 3; i++)
			add_num(b, o->wire);
		break;
	case FILTER_PENDING:
		if (o->wire == FILTER_PENDING_CONFLICT)
			fputs(CONFLICT_EXISTS, b->sql);
		else
			fprintf(b->sql, "%s%s", o->wire == FILTER_PENDING_NO ? "NOT " : "",
			        PENDING_EXISTS);
		break;
	default:
		fprintf(b->sql, "%s IS ?", k->column);
		add_num(b, o->wire);
		break;
	}
	return EC_OK;
}

bool filter_parse_duration(const char *text, long long *seconds)
{
	static const char units[] = "smhdw";
	static const long long scale[] = {1, 60, 3600, 86400, 604800};
	const char *unit;
	char *end;
	long long n;
	if (!text || *text < '0' || *text > '9')
		return false;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno || !*end || end[1] || !(unit = strchr(units, *end)) || n > 36500LL * 86400)
		return false;
	*seconds = n * scale[unit - units];
	return *seconds <= 36500LL * 86400;
}

/* Unix seconds as the cache's ISO 8601 UTC time. */
static void since_utc(time_t t, char out[EC_TIME_SIZE])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, EC_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool filter_parse_since(const char *text, time_t now, char out[EC_TIME_SIZE])
{
	struct tm tm = {0};
	long long seconds;
	char tail;
	if (filter_parse_duration(text, &seconds)) {
		since_utc(now - (time_t)seconds, out);
		return true;
	}
	if (!text)
		return false;
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tail) == 6 &&
	    strlen(text) == EC_TIME_SIZE - 1) {
		snprintf(out, EC_TIME_SIZE, "%s", text);
		return true;
	}
	if (strlen(text) == 10 &&
	    sscanf(text, "%4d-%2d-%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tail) == 3 &&
	    tm.tm_mon >= 1 && tm.tm_mon <= 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		tm.tm_isdst = -1;
		since_utc(mktime(&tm), out);
		return true;
	}
	return false;
}

/* since:>2d: the time in the column is more than 2 days ago; <1h: less
 * than an hour ago. A mailbox without one (NULL) matches neither. */
static int compile_age(struct builder *b, const ec_filter_key *k, const char *value, ec_error *err)
{
	long long seconds;
	char modifier[48];
	if ((value[0] != '>' && value[0] != '<') || !filter_parse_duration(value + 1, &seconds))
		return ec_fail(err, EC_USAGE,
		               "the filter key '%s' takes >DURATION or <DURATION, as in %s:>2d or "
		               "%s:<1h (s, m, h, d, w), not '%.64s'",
		               k->key, k->key, k->key, value);
	fprintf(b->sql, "COALESCE(%s %s strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', ?), 0)",
	        k->column, value[0] == '>' ? "<" : ">=");
	snprintf(modifier, sizeof modifier, "-%lld seconds", seconds);
	add_text(b, modifier);
	return EC_OK;
}

/* cause:SLUG: the mailbox has an alert of that cause (ec_alert_cause(),
 * the cache's SQL form of explain_alert(); "other" for the unexplained
 * ones), or fails and uses a server profile that has one, as the Alerts
 * screen's groups count them. */
static int compile_cause(struct builder *b, const char *value, ec_error *err)
{
	char valid[2048];
	if (strcasecmp(value, "other") != 0 && !explain_has_cause(value)) {
		explain_list_causes(valid, sizeof valid);
		return ec_fail(
		    err, EC_USAGE,
		    "unknown cause '%.64s' for the filter key 'cause'; use one of: %s, other "
		    "(emailcfg alerts --summary shows those in the cache)",
		    value, valid);
	}
	fputs("m.id IN (SELECT a.regarding_id FROM alerts a WHERE a.regarding_profile = 0 AND "
	      "ec_alert_cause(a.text, a.code) = lower(?)) OR ((m.incoming_status = 2 OR "
	      "m.outgoing_status = 2 OR m.act_status = 2) AND m.profile_id IN (SELECT "
	      "a.regarding_id FROM alerts a WHERE a.regarding_profile = 1 AND "
	      "ec_alert_cause(a.text, a.code) = lower(?)))",
	      b->sql);
	add_text(b, value);
	add_text(b, value);
	return EC_OK;
}

static int compile_keyed(struct builder *b, const char *key, const char *value, ec_error *err)
{
	const ec_filter_key *k = filter_find_key(key);
	char valid[512];
	if (!k || k->kind == FILTER_SORT_ONLY) {
		filter_list_keys(false, valid, sizeof valid);
		return ec_fail(err, EC_USAGE, "unknown filter key '%.64s'; use one of: %s", key,
		               valid);
	}
	if (!*value)
		return ec_fail(err, EC_USAGE, "the filter key '%s' needs a value, as in %s:VALUE",
		               k->key, k->key);
	switch (k->kind) {
	case FILTER_TEXT: {
		char *folded = utf8_fold(value);
		add_contains(b, k->column, folded);
		free(folded);
		return EC_OK;
	}
	case FILTER_OWNER: compile_name_or_id(b, k->column, "m.owner_id", value); return EC_OK;
	case FILTER_PROFILE: compile_name_or_id(b, k->column, "m.profile_id", value); return EC_OK;
	case FILTER_AGE: return compile_age(b, k, value, err);
	case FILTER_CAUSE: return compile_cause(b, value, err);
	default: return compile_option(b, k, value, err);
	}
}

static int compile_term(struct builder *b, struct term *t, ec_error *err)
{
	int status = EC_OK;
	if (t->colon < 0 && !*t->text)
		return EC_OK; /* "" matches everything */
	if (++b->terms > FILTER_MAX_TERMS)
		return ec_fail(err, EC_USAGE, "the filter has more than %d terms; narrow it down",
		               FILTER_MAX_TERMS);
	if (b->terms > 1)
		fputs(" AND ", b->sql);
	if (t->negated)
		fputs("NOT ", b->sql);
	fputc('(', b->sql);
	if (t->colon < 0) {
		compile_bare(b, t->text);
	} else {
		t->text[t->colon] = '\0';
		status = compile_keyed(b, t->text, t->text + t->colon + 1, err);
	}
	fputc(')', b->sql);
	return status;
}

int filter_compile(const char *expr, ec_filter *out, ec_error *err)
{
	struct builder b = {NULL, NULL, 0, out, 0};
	const char *p = expr ? expr : "";
	int status = EC_OK;

	memset(out, 0, sizeof *out);
	b.sql = open_memstream(&b.buf, &b.size);
	if (!b.sql) {
		fputs("emailcfg: out of memory\n", stderr);
		abort();
	}
	while (status == EC_OK) {
		struct term t;
		while (is_space(*p))
			p++;
		if (!*p)
			break;
		p = read_term(p, &t);
		status = compile_term(&b, &t, err);
		free(t.text);
	}
	if (b.terms == 0)
		fputc('1', b.sql);
	fclose(b.sql);
	out->where = b.buf;
	if (status != EC_OK)
		filter_free(out);
	return status;
}

void filter_free(ec_filter *f)
{
	for (int i = 0; i < f->nparams; i++)
		free(f->params[i].text);
	free(f->params);
	free(f->where);
	memset(f, 0, sizeof *f);
}

/* ---- Sorting ----------------------------------------------------------- */

int filter_order_by(const char *sort, char **sql, ec_error *err)
{
	const ec_filter_key *k;
	const char *dir = "ASC";
	char valid[512];
	size_t len;

	*sql = NULL;
	if (!sort || !*sort)
		sort = "name";
	if (sort[0] == '-') {
		dir = "DESC";
		sort++;
	}
	k = filter_find_key(sort);
	if (!k || !k->sort) {
		filter_list_keys(true, valid, sizeof valid);
		return ec_fail(err, EC_USAGE,
		               "unknown sort key '%.64s'; use one of: %s (with a leading - for "
		               "descending)",
		               sort, valid);
	}
	len = strlen(k->sort) + 48;
	*sql = ec_xmalloc(len);
	/* Mailboxes with no such time (not failing, never changed) come last
	 * both ways: sorting by failing since is asking who fails. */
	snprintf(*sql, len, "%s %s%s, m.rowid %s", k->sort, dir,
	         k->kind == FILTER_AGE ? " NULLS LAST" : "", dir);
	return EC_OK;
}
