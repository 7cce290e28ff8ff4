/* alert_groups.c — grouping alerts by cause in one pass (alert_groups.h):
 * an open-addressing hash table from group key to group index, ids appended
 * and made distinct once per group by sorting, unexplained texts masked
 * word by word. Pure memory. */
#include "core/model/alert_groups.h"

#include <ctype.h>
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
	while (*b < *e && strchr("(\"'<[", w[*b]))
		(*b)++;
	while (*e > *b && strchr(".,;:!?)\"'>]", w[*e - 1]))
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

/* One word, with its core masked when it is an address, GUID or time. */
static void alert_groups_put_word(struct out *o, const char *w, size_t n)
{
	size_t b, e;
	const char *at;
	alert_groups_core(w, n, &b, &e);
	at = memchr(w + b, '@', e - b);
	alert_groups_put(o, w, b);
	if (at && memchr(at, '.', (size_t)(w + e - at)))
		alert_groups_put(o, "<email>", 7);
	else if (alert_groups_is_guid(w + b, e - b))
		alert_groups_put(o, "<guid>", 6);
	else if (alert_groups_is_time(w + b, e - b))
		alert_groups_put(o, "<time>", 6);
	else
		alert_groups_put_numbers(o, w + b, e - b);
	alert_groups_put(o, w + e, n - e);
}

/* A record's name follows these words in the product's alert texts. */
static bool alert_groups_names_next(const char *w, size_t n)
{
	size_t b, e;
	alert_groups_core(w, n, &b, &e);
	return (e - b == 7 && strncasecmp(w + b, "mailbox", 7) == 0) ||
	       (e - b == 7 && strncasecmp(w + b, "profile", 7) == 0);
}

/* A name's words start with anything but a lowercase ASCII letter or a
 * quote (names are capitalised or not Latin; the sentence goes on in
 * lowercase: "the mailbox Ana Novak does not..."). */
static bool alert_groups_in_name(const char *w)
{
	unsigned char c = (unsigned char)w[0];
	return !(c >= 'a' && c <= 'z') && c != '"' && c != '\'' &&
	       strncmp(w, "\xe2\x80\x9c", 3) != 0; /* “ */
}

void alert_groups_mask_text(const char *text, char *out, size_t size)
{
	struct out o = {out, size, 0};
	bool after_key = false;
	if (size == 0)
		return;
	out[0] = '\0';
	for (const char *p = text ? text : ""; *p;) {
		size_t n = strcspn(p, " ");
		if (n == 0) {
			alert_groups_put(&o, p++, 1);
			continue;
		}
		if (after_key && alert_groups_in_name(p)) {
			size_t b, e;
			/* the name's words up to one ending the sentence or clause */
			for (;;) {
				n = strcspn(p, " ");
				alert_groups_core(p, n, &b, &e);
				if (e < n || !p[n] || !alert_groups_in_name(p + n + 1))
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

static void alert_groups_add_id(ec_alert_group *g, const char *id)
{
	if ((g->nids & (g->nids - 1)) == 0) /* grow at powers of two */
		g->ids = ec_xrealloc(g->ids,
		                     sizeof *g->ids * (unsigned long)(g->nids ? g->nids * 2 : 1));
	memcpy(g->ids[g->nids++], id, EC_ID_SIZE);
}

static int alert_groups_id_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void alert_groups_unique(ec_alert_group *g)
{
	int n = 0;
	if (g->nids == 0)
		return;
	qsort(g->ids, (size_t)g->nids, sizeof *g->ids, alert_groups_id_cmp);
	for (int i = 0; i < g->nids; i++)
		if (n == 0 || strcmp(g->ids[n - 1], g->ids[i]) != 0)
			memmove(g->ids[n++], g->ids[i], EC_ID_SIZE);
	g->nids = n;
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
		if (!alerts[i].regarding_profile && alerts[i].regarding_id[0])
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

const char *alert_groups_slug(const ec_alert_group *g)
{
	return g->cause ? g->cause->cause : ALERT_GROUPS_OTHER;
}

void alert_groups_free(ec_alert_group *groups, int n)
{
	for (int i = 0; i < n; i++)
		free(groups[i].ids);
	free(groups);
}
