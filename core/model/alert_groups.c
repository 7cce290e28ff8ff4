/* alert_groups.c — grouping alerts by cause in one pass (alert_groups.h):
 * an open-addressing hash table from group key to group index, ids appended
 * and made distinct once per group by sorting, unexplained texts masked
 * word by word. Pure memory. */
#include "core/model/alert_groups.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/hash_index.h"

struct grouper {
	ec_alert_group *g;
	int n, cap;
	hash_index set; /* of indexes into g */
};

/* ---- masking the text of an unexplained alert ------------------------------ */

struct out {
	char *p;
	size_t size, len;
};

static void alert_groups_put(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 >= o->size)
		return;
	if (n > o->size - 1 - o->len) {
		n = o->size - 1 - o->len;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--; /* never half a character: the title is shown and sent as JSON */
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static bool alert_groups_is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* 8-4-4-4-12 hex digits at s (a GUID: a record's id in a text). */
static bool alert_groups_is_guid(const char *s, size_t n)
{
	static const int part[5] = {8, 4, 4, 4, 12};
	size_t at = 0;
	if (n != 36)
		return false;
	for (int i = 0; i < 5; i++) {
		if (!alert_groups_is_hex(s + at, (size_t)part[i]))
			return false;
		at += (size_t)part[i];
		if (i < 4 && s[at++] != '-')
			return false;
	}
	return true;
}

/* Digits and the separators of dates and times, with a ':' or two of '-',
 * '/' (2026-12-06T06:24:14Z, 06:24, 12/6/2026). */
static bool alert_groups_is_time(const char *s, size_t n)
{
	int seps = 0, colons = 0, digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (s[i] == ':')
			colons++;
		else if (s[i] == '-' || s[i] == '/')
			seps++;
		else if (!strchr("TZ.+", s[i]))
			return false;
	}
	return digits > 0 && isdigit((unsigned char)s[0]) && (colons > 0 || seps >= 2);
}

/* The word without the punctuation around it: [*b, *e). */
static void alert_groups_core(const char *w, size_t n, size_t *b, size_t *e)
{
	*b = 0, *e = n;
	while (*b < *e && strchr("(\"'<[{", w[*b]))
		(*b)++;
	while (*e > *b && strchr(".,;:!?)\"'>]}", w[*e - 1]))
		(*e)--;
}

/* Digit runs become <n>; the rest is copied. */
static void alert_groups_put_numbers(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && isdigit((unsigned char)s[j]))
			j++;
		if (j > i) {
			alert_groups_put(o, "<n>", 3);
			i = j;
			continue;
		}
		while (j < n && !isdigit((unsigned char)s[j]))
			j++;
		alert_groups_put(o, s + i, j - i);
		i = j;
	}
}

/* A host name or address, with a port or not: labels of letters, digits
 * and '-' joined by dots, the last one letters (mail.contoso.com:993) or
 * four of digits (10.0.0.1). */
static bool alert_groups_is_host(const char *s, size_t n)
{
	size_t end = n, labels = 0, label = 0, longest = 0;
	bool digits_only = true, last_alpha = false;
	const char *colon = memchr(s, ':', n);
	if (colon) {
		end = (size_t)(colon - s);
		if (end + 1 >= n)
			return false;
		for (size_t i = end + 1; i < n; i++)
			if (!isdigit((unsigned char)s[i]))
				return false;
	}
	for (size_t i = 0; i <= end; i++) {
		unsigned char c = i < end ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (label == 0)
				return false;
			labels++;
			longest = label > longest ? label : longest;
			last_alpha = !isdigit((unsigned char)s[i - 1]) &&
			             !isdigit((unsigned char)s[i - label]);
			label = 0;
		} else if (isalnum(c) || c == '-') {
			if (!isdigit(c))
				digits_only = false;
			label++;
		} else {
			return false;
		}
	}
	return labels >= 2 && (digits_only ? labels == 4 && longest <= 3 : last_alpha);
}

enum mask_kind { MASK_NONE, MASK_EMAIL, MASK_GUID, MASK_URL, MASK_HOST, MASK_TIME };

static enum mask_kind alert_groups_kind(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	if (n == 0)
		return MASK_NONE;
	if (at && memchr(at, '.', (size_t)(s + n - at)))
		return MASK_EMAIL;
	if (alert_groups_is_guid(s, n))
		return MASK_GUID;
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return MASK_URL;
	if (alert_groups_is_host(s, n))
		return MASK_HOST;
	if (alert_groups_is_time(s, n))
		return MASK_TIME;
	return MASK_NONE;
}

/* One word, with its core masked when it is an address, GUID, URL, host or
 * time, and its digits otherwise. */
static void alert_groups_put_word(struct out *o, const char *w, size_t n)
{
	static const char *const mask[] = {NULL, "<email>", "<guid>", "<url>", "<host>", "<time>"};
	size_t b, e;
	enum mask_kind k;
	alert_groups_core(w, n, &b, &e);
	k = alert_groups_kind(w + b, e - b);
	alert_groups_put(o, w, b);
	if (k != MASK_NONE)
		alert_groups_put(o, mask[k], strlen(mask[k]));
	else
		alert_groups_put_numbers(o, w + b, e - b);
	alert_groups_put(o, w + e, n - e);
}

/* A record's name follows these words in the product's alert texts ("the
 * mailbox Ana Novak requires", "the email server profile IMAP mail has",
 * "Queue Sales EU failed", "the user Ana Novak was"). */
static bool alert_groups_names_next(const char *w, size_t n)
{
	static const char *const keys[] = {"mailbox", "profile", "queue", "user"};
	size_t b, e;
	alert_groups_core(w, n, &b, &e);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (e - b == strlen(keys[i]) && strncasecmp(w + b, keys[i], e - b) == 0)
			return true;
	return false;
}

/* The words that go on after a name in the product's sentences (verbs,
 * connectives, the nouns that follow "mailbox"): a name ends before one,
 * and one right after "mailbox" is no name ("the mailbox user lacks").
 * Sorted (bsearch), lowercase. */
static const char *const connectives[] = {
    "a",          "about",       "access",       "account",   "address",   "after",
    "alert",      "alerts",      "an",           "and",       "approved",  "are",
    "aren't",     "as",          "at",           "be",        "because",   "been",
    "before",     "being",       "but",          "by",        "can",       "can't",
    "cannot",     "configured",  "connected",    "could",     "couldn't",  "credentials",
    "data",       "details",     "did",          "didn't",    "disabled",  "do",
    "does",       "doesn't",     "during",       "email",     "enabled",   "error",
    "errors",     "failed",      "failing",      "fails",     "folder",    "for",
    "found",      "from",        "has",          "hasn't",    "have",      "haven't",
    "id",         "if",          "in",           "into",      "is",        "isn't",
    "it",         "item",        "items",        "its",       "lacks",     "level",
    "licence",    "license",     "limit",        "location",  "mailbox",   "mailboxes",
    "may",        "message",     "messages",     "might",     "must",      "name",
    "needs",      "not",         "now",          "of",        "on",        "or",
    "owner",      "permission",  "permissions",  "principal", "privilege", "privileges",
    "processing", "profile",     "queue",        "quota",     "receiving", "record",
    "rejected",   "requires",    "role",         "roles",     "rule",      "rules",
    "sending",    "server",      "set",          "settings",  "should",    "since",
    "size",       "so",          "status",       "still",     "storage",   "sync",
    "synced",     "synchronize", "synchronized", "syncing",   "tested",    "than",
    "that",       "the",         "then",         "this",      "through",   "to",
    "type",       "under",       "until",        "use",       "used",      "user",
    "uses",       "using",       "was",          "wasn't",    "were",      "when",
    "where",      "which",       "while",        "who",       "will",      "with",
    "without",    "won't",       "would",
};

static int alert_groups_word_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool alert_groups_is_connective(const char *w, size_t n)
{
	char low[16];
	if (n == 0 || n >= sizeof low)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	low[n] = '\0';
	return bsearch(low, connectives, sizeof connectives / sizeof connectives[0],
	               sizeof connectives[0], alert_groups_word_cmp) != NULL;
}

/* Whether the word at w (n bytes) can be (part of) a name: not quoted or
 * bracketed, not a connective, not an address, number or time. */
static bool alert_groups_namelike(const char *w, size_t n)
{
	size_t b, e;
	if (n == 0 || strchr("(\"'<[{", w[0]) || strncmp(w, "\xe2\x80\x9c", 3) == 0 ||
	    strncmp(w, "\xe2\x80\x98", 3) == 0)
		return false;
	if (n == 2 && isalpha((unsigned char)w[0]) && w[1] == '.')
		return true; /* an initial: "A. Novak" */
	alert_groups_core(w, n, &b, &e);
	return e > b && !alert_groups_is_connective(w + b, e - b) &&
	       alert_groups_kind(w + b, e - b) == MASK_NONE;
}

/* The most words a name after "mailbox" runs to when no connective or
 * punctuation ends it earlier. */
#define NAME_WORDS 8

/* The quotes that enclose a name or a subject: ASCII ones and “ ” ‘ ’. */
static const struct {
	const char *open, *close;
} quotes[] = {
    {"\"", "\""}, {"'", "'"}, {"\xe2\x80\x9c", "\xe2\x80\x9d"}, {"\xe2\x80\x98", "\xe2\x80\x99"}};
#define NQUOTES 4

/* Where the quote opened at p (kind q) closes, or NULL. An apostrophe
 * closes only before a space, punctuation or the end ("'Sales EU's desk'"
 * runs to the last one). *none: no close after here either, found once
 * per text so a text full of quotes stays linear. */
static const char *alert_groups_close(const char *p, int q, const char **none)
{
	size_t ol = strlen(quotes[q].open), cl = strlen(quotes[q].close);
	const char *s = p + ol;
	if (*none && s >= *none)
		return NULL;
	for (; *s; s++) {
		if (strncmp(s, quotes[q].close, cl) != 0)
			continue;
		if (q == 1 && isalnum((unsigned char)s[1]))
			continue;
		return s > p + ol ? s : NULL;
	}
	*none = p;
	return NULL;
}

void alert_groups_mask_text(const char *text, char *out, size_t size)
{
	struct out o = {out, size, 0};
	const char *none[NQUOTES] = {NULL, NULL, NULL, NULL};
	bool after_key = false;
	if (size == 0)
		return;
	out[0] = '\0';
	for (const char *p = text ? text : ""; *p;) {
		size_t n = strcspn(p, " "), lead = 0;
		if (n == 0) {
			alert_groups_put(&o, p++, 1);
			continue;
		}
		/* a quoted name or subject, maybe in brackets: '(' '"' ... '"' */
		while (lead < n && (p[lead] == '(' || p[lead] == '['))
			lead++;
		for (int q = 0; q < NQUOTES; q++) {
			size_t ol = strlen(quotes[q].open);
			const char *close;
			if (strncmp(p + lead, quotes[q].open, ol) != 0 || p[lead + ol] == ' ' ||
			    !(close = alert_groups_close(p + lead, q, &none[q])))
				continue;
			{
				const char *in = p + lead + ol;
				enum mask_kind k = alert_groups_kind(in, (size_t)(close - in));
				static const char *const mask[] = {"<name>", "<email>", "<guid>",
				                                   "<url>",  "<host>",  "<time>"};
				alert_groups_put(&o, p, lead + ol);
				alert_groups_put(&o, mask[k], strlen(mask[k]));
				alert_groups_put(&o, close, strlen(quotes[q].close));
				p = close + strlen(quotes[q].close);
			}
			n = 0;
			break;
		}
		if (n == 0) {
			after_key = false;
			continue;
		}
		if (after_key && alert_groups_namelike(p, n)) {
			size_t b, e;
			/* the name's words up to a connective, punctuation or a quote */
			for (int words = 1;; words++) {
				n = strcspn(p, " ");
				alert_groups_core(p, n, &b, &e);
				if (e < n &&
				    !(e - b == 1 && p[e] == '.' && e + 1 == n)) /* "A." goes on */
					break;
				if (p[n] != ' ' || words == NAME_WORDS ||
				    !alert_groups_namelike(p + n + 1, strcspn(p + n + 1, " ")))
					break;
				p += n + 1;
			}
			alert_groups_put(&o, "<name>", 6);
			alert_groups_put(&o, p + e, n - e);
			after_key = false;
		} else {
			alert_groups_put_word(&o, p, n);
			after_key = alert_groups_names_next(p, n);
		}
		p += n;
	}
}

/* ---- grouping --------------------------------------------------------------- */

static size_t alert_groups_hash_of(const void *array, int i)
{
	return hash_index_text(HASH_INDEX_SEED, ((const ec_alert_group *)array)[i].key);
}

static bool alert_groups_equal(const void *array, int i, const void *key)
{
	return strcmp(((const ec_alert_group *)array)[i].key, key) == 0;
}

static const hash_index_ops alert_groups_ops = {alert_groups_hash_of, alert_groups_equal};

/* The group with key, created (with title) when new. */
static ec_alert_group *alert_groups_find(struct grouper *gr, const char *key, const char *title)
{
	int i = hash_index_find(&gr->set, gr->g, gr->n, &alert_groups_ops,
	                        hash_index_text(HASH_INDEX_SEED, key), key);
	if (i >= 0)
		return &gr->g[i];
	if (gr->n == gr->cap) {
		gr->cap = gr->cap ? gr->cap * 2 : 16;
		gr->g = ec_xrealloc(gr->g, sizeof *gr->g * (unsigned long)gr->cap);
	}
	memset(&gr->g[gr->n], 0, sizeof gr->g[gr->n]);
	snprintf(gr->g[gr->n].key, sizeof gr->g[gr->n].key, "%s", key);
	snprintf(gr->g[gr->n].title, sizeof gr->g[gr->n].title, "%s", title);
	hash_index_add(&gr->set, gr->n);
	return &gr->g[gr->n++];
}

/* Appends id to a list grown at powers of two. */
static void alert_groups_append(char (**ids)[EC_ID_SIZE], int *n, const char *id)
{
	if ((*n & (*n - 1)) == 0)
		*ids = ec_xrealloc(*ids, sizeof **ids * (unsigned long)(*n ? *n * 2 : 1));
	memcpy((*ids)[(*n)++], id, EC_ID_SIZE);
}

static void alert_groups_add_id(ec_alert_group *g, const char *id)
{
	alert_groups_append(&g->ids, &g->nids, id);
}

static int alert_groups_id_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void alert_groups_unique_ids(char (*ids)[EC_ID_SIZE], int *nids)
{
	int n = 0;
	if (*nids == 0)
		return;
	qsort(ids, (size_t)*nids, sizeof *ids, alert_groups_id_cmp);
	for (int i = 0; i < *nids; i++)
		if (n == 0 || strcmp(ids[n - 1], ids[i]) != 0)
			memmove(ids[n++], ids[i], EC_ID_SIZE);
	*nids = n;
}

static void alert_groups_unique(ec_alert_group *g)
{
	alert_groups_unique_ids(g->ids, &g->nids);
	alert_groups_unique_ids(g->pids, &g->npids);
}

/* Severity first (what breaks mail before what informs), then reach; the
 * key last, so equal groups never depend on the alerts' order. */
static int alert_groups_cmp(const void *a, const void *b)
{
	const ec_alert_group *x = a, *y = b;
	if (x->level != y->level)
		return y->level - x->level;
	if (x->nids != y->nids)
		return y->nids - x->nids;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->key, y->key);
}

/* The group one alert belongs to. */
static ec_alert_group *alert_groups_of(struct grouper *gr, const ec_alert *a)
{
	const ec_cause *c = explain_alert(a->text, a->code);
	char masked[sizeof gr->g->key - sizeof ALERT_GROUPS_OTHER], key[sizeof gr->g->key];
	ec_alert_group *g;
	if (c) {
		g = alert_groups_find(gr, c->cause, c->title);
		g->cause = c;
		g->fix = c->fix;
		return g;
	}
	alert_groups_mask_text(a->text, masked, sizeof masked);
	snprintf(key, sizeof key, "%s:%s", ALERT_GROUPS_OTHER, masked);
	return alert_groups_find(gr, key, masked);
}

void alert_groups_build(const ec_alert *alerts, int n, int level, ec_alert_group **groups,
                        int *ngroups)
{
	struct grouper gr = {0};
	for (int i = 0; i < n; i++) {
		ec_alert_group *g;
		if (level && alerts[i].level != level)
			continue;
		g = alert_groups_of(&gr, &alerts[i]);
		g->count++;
		if (alerts[i].level > g->level)
			g->level = alerts[i].level;
		if (alerts[i].regarding_profile && alerts[i].regarding_id[0])
			alert_groups_append(&g->pids, &g->npids, alerts[i].regarding_id);
		else if (alerts[i].regarding_id[0])
			alert_groups_add_id(g, alerts[i].regarding_id);
	}
	hash_index_free(&gr.set);
	for (int i = 0; i < gr.n; i++)
		alert_groups_unique(&gr.g[i]);
	if (gr.n > 1)
		qsort(gr.g, (size_t)gr.n, sizeof *gr.g, alert_groups_cmp);
	*groups = gr.g;
	*ngroups = gr.n;
}

void alert_groups_add_profile_mailboxes(ec_alert_group *groups, int n,
                                        alert_groups_members_fn members, void *ctx)
{
	bool added = false;
	for (int i = 0; i < n; i++) {
		ec_alert_group *g = &groups[i];
		for (int j = 0; j < g->npids; j++) {
			char(*ids)[EC_ID_SIZE] = NULL;
			long nids = 0;
			if (members(ctx, g->pids[j], &ids, &nids) == 0)
				for (long k = 0; k < nids && g->nids < INT_MAX / 2; k++)
					alert_groups_add_id(g, ids[k]);
			free(ids);
			added = true;
		}
		if (g->npids > 0)
			alert_groups_unique_ids(g->ids, &g->nids);
	}
	if (added && n > 1)
		qsort(groups, (size_t)n, sizeof *groups, alert_groups_cmp);
}

const char *alert_groups_slug(const ec_alert_group *g)
{
	return g->cause ? g->cause->cause : ALERT_GROUPS_OTHER;
}

void alert_groups_free(ec_alert_group *groups, int n)
{
	for (int i = 0; i < n; i++) {
		free(groups[i].ids);
		free(groups[i].pids);
	}
	free(groups);
}
