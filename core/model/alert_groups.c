/* alert_groups.c — grouping alerts by cause in one pass (alert_groups.h):
 * an open-addressing hash table from title to group index, ids appended
 * and made distinct once per group by sorting. Pure memory. */
#include "core/model/alert_groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/explain.h"
#include "core/base/hash_index.h"
#include "core/base/i18n.h"

struct grouper {
	ec_alert_group *g;
	int n, cap;
	hash_index set; /* of indexes into g */
};

static size_t alert_groups_hash_of(const void *array, int i)
{
	return hash_index_text(HASH_INDEX_SEED, ((const ec_alert_group *)array)[i].title);
}

static bool alert_groups_equal(const void *array, int i, const void *key)
{
	return strcmp(((const ec_alert_group *)array)[i].title, key) == 0;
}

static const hash_index_ops alert_groups_ops = {alert_groups_hash_of, alert_groups_equal};

/* The group titled title, created when new. */
static ec_alert_group *alert_groups_find(struct grouper *gr, const char *title)
{
	int i = hash_index_find(&gr->set, gr->g, gr->n, &alert_groups_ops,
	                        hash_index_text(HASH_INDEX_SEED, title), title);
	if (i >= 0)
		return &gr->g[i];
	if (gr->n == gr->cap) {
		gr->cap = gr->cap ? gr->cap * 2 : 16;
		gr->g = ec_xrealloc(gr->g, sizeof *gr->g * (unsigned long)gr->cap);
	}
	memset(&gr->g[gr->n], 0, sizeof gr->g[gr->n]);
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

/* Errors first, then by count; ties stay in the order first seen (newest
 * alert first), as glibc's qsort keeps them. */
static int alert_groups_cmp(const void *a, const void *b)
{
	const ec_alert_group *x = a, *y = b;
	if (x->level != y->level)
		return y->level - x->level;
	return y->count - x->count;
}

void alert_groups_build(const ec_alert *alerts, int n, ec_alert_group **groups, int *ngroups)
{
	struct grouper gr = {0};
	for (int i = 0; i < n; i++) {
		const ec_cause *c = explain_alert(alerts[i].text, alerts[i].code);
		char other[200];
		ec_alert_group *g;
		snprintf(other, sizeof other, "%.120s", alerts[i].text ? alerts[i].text : "");
		g = alert_groups_find(&gr, c ? _(c->title) : other);
		g->fix = c ? c->fix : NULL;
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

void alert_groups_free(ec_alert_group *groups, int n)
{
	for (int i = 0; i < n; i++)
		free(groups[i].ids);
	free(groups);
}
