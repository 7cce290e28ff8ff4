/* alert_groups.c — grouping alerts by cause in one pass (alert_groups.h):
 * an open-addressing hash table from title to group index, ids appended
 * and made distinct once per group by sorting. Pure memory. */
#include "core/alert_groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/explain.h"
#include "core/i18n.h"

struct grouper {
	ec_alert_group *g;
	int n, cap;
	int *slots; /* group index + 1; 0 is empty */
	unsigned long nslots;
};

static unsigned long alert_groups_hash(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

static void alert_groups_rehash(struct grouper *gr)
{
	free(gr->slots);
	gr->nslots = gr->nslots ? gr->nslots * 2 : 64;
	gr->slots = ec_xcalloc(gr->nslots, sizeof *gr->slots);
	for (int i = 0; i < gr->n; i++) {
		unsigned long k = alert_groups_hash(gr->g[i].title) & (gr->nslots - 1);
		while (gr->slots[k])
			k = (k + 1) & (gr->nslots - 1);
		gr->slots[k] = i + 1;
	}
}

/* The group titled title, created when new. */
static ec_alert_group *alert_groups_find(struct grouper *gr, const char *title)
{
	unsigned long k;
	if ((unsigned long)(gr->n + 1) * 2 > gr->nslots)
		alert_groups_rehash(gr);
	for (k = alert_groups_hash(title) & (gr->nslots - 1); gr->slots[k];
	     k = (k + 1) & (gr->nslots - 1))
		if (strcmp(gr->g[gr->slots[k] - 1].title, title) == 0)
			return &gr->g[gr->slots[k] - 1];
	if (gr->n == gr->cap) {
		gr->cap = gr->cap ? gr->cap * 2 : 16;
		gr->g = ec_xrealloc(gr->g, sizeof *gr->g * (unsigned long)gr->cap);
	}
	memset(&gr->g[gr->n], 0, sizeof gr->g[gr->n]);
	snprintf(gr->g[gr->n].title, sizeof gr->g[gr->n].title, "%s", title);
	gr->slots[k] = gr->n + 1;
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
	free(gr.slots);
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
