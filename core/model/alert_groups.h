/* alert_groups.h — alerts grouped by cause (core/model/explain.h) for the
 * console's Alerts screen: one group per cause title (alerts no table row
 * explains are grouped by their text), with the count, the highest level,
 * the fix, and the distinct mailboxes it touches. Built in one pass over
 * the alerts with a hash table of titles, so 100,000 alerts with thousands
 * of distinct texts group in linear time. Pure memory; touches nothing. */
#ifndef EMAILCFG_ALERT_GROUPS_H
#define EMAILCFG_ALERT_GROUPS_H

#include "core/model/model.h"

typedef struct ec_alert_group {
	char title[200];
	const char *fix; /* untranslated (static table), or NULL */
	int level, count;
	char (*ids)[EC_ID_SIZE]; /* affected mailboxes, distinct, sorted */
	int nids;
} ec_alert_group;

/* Groups the n alerts: errors first, then warnings, each by count,
 * descending. Titles are translated. Free with alert_groups_free(). */
void alert_groups_build(const ec_alert *alerts, int n, ec_alert_group **groups, int *ngroups);
void alert_groups_free(ec_alert_group *groups, int n);

#endif
