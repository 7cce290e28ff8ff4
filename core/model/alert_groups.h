/* alert_groups.h — alerts grouped by cause, the one grouping the console's
 * Alerts screen and `emailcfg alerts --summary` share (same groups, same
 * order). An alert's cause comes from data/alerts.tsv (core/model/explain.h);
 * an alert no row explains is grouped by its text with the names, addresses,
 * numbers, GUIDs and times in it masked, so one cause at 100,000 mailboxes
 * stays one group. Each group has its alert count, highest level (its
 * severity), the fix, and the distinct mailboxes it touches. Built in one
 * pass with a hash table of group keys. Pure memory; touches nothing. */
#ifndef EMAILCFG_ALERT_GROUPS_H
#define EMAILCFG_ALERT_GROUPS_H

#include <stddef.h>

#include "core/model/explain.h"
#include "core/model/model.h"

/* The cause slug of the groups of unexplained alerts. */
#define ALERT_GROUPS_OTHER "other"

typedef struct ec_alert_group {
	char key[200];         /* the cause's slug, or "other:" and the masked text */
	const ec_cause *cause; /* the explaining row, or NULL: grouped by text */
	char title[200];       /* untranslated: the cause's title, or the masked text */
	const char *fix;       /* untranslated (static table), or NULL */
	int level, count;
	char (*ids)[EC_ID_SIZE]; /* affected mailboxes, distinct, sorted */
	int nids;
	char (*pids)[EC_ID_SIZE]; /* the server profiles its alerts are about, distinct, sorted */
	int npids;
} ec_alert_group;

/* Groups the n alerts of the given level (0: every level). Order: highest
 * severity first, then most mailboxes, most alerts, and the key, so the
 * order never depends on the order the alerts came in. Free with
 * alert_groups_free(). */
void alert_groups_build(const ec_alert *alerts, int n, int level, ec_alert_group **groups,
                        int *ngroups);
void alert_groups_free(ec_alert_group *groups, int n);

/* The mailboxes of a server profile that a group of alerts about the
 * profile stands for (the profile's failing ones, as the Profiles screen's
 * F tags): members(ctx, profile_id, &ids, &n) gives them (freed with
 * free()), nonzero on failure (the profile then adds none). */
typedef int (*alert_groups_members_fn)(void *ctx, const char *profile_id, char (**ids)[EC_ID_SIZE],
                                       long *n);

/* Adds to each group with alerts about server profiles the mailboxes
 * members gives for those profiles (distinct, with its own), and sorts the
 * groups again: the counts, the lists and "tag its mailboxes" then cover
 * what a profile-wide alert is about. Calls members once per profile of
 * each such group. */
void alert_groups_add_profile_mailboxes(ec_alert_group *groups, int n,
                                        alert_groups_members_fn members, void *ctx);

/* The slug of a group's cause (ALERT_GROUPS_OTHER when grouped by text). */
const char *alert_groups_slug(const ec_alert_group *g);

/* Copies text into out (size bytes) with what differs between two alerts of
 * one cause masked: a quoted name or subject ('Sales EU', "Test", “x”)
 * becomes '<name>', the name after "mailbox", "profile", "queue" or "user"
 * <name> up to the next connective word of the product's sentences ("was",
 * "has", "failed", "while"...), punctuation, a quote or 8 words (whatever
 * its case), an email address <email>, a GUID <guid>, a URL <url>, a host
 * name or address with its port <host>, a date or time <time>, a number
 * <n>. Linear in the text. Used for the groups of unexplained alerts. */
void alert_groups_mask_text(const char *text, char *out, size_t size);

#endif
