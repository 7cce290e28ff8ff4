/* outbox.h — every change to the organization goes through here: validated
 * (keys, then core/rules), written to the cache's outbox in one durable
 * transaction before anything is sent, then pushed with If-Match on the
 * row's etag. The promises (README, "The outbox"):
 * - An entry being pushed is claimed (a token and an expiry, renewed before
 *   every request); other processes and threads leave it alone, a claim of
 *   a dead process or past its expiry is taken over, and sent / conflict /
 *   failed is written only while the claim is still the pusher's.
 * - An edit made meanwhile is a new entry (merged only into an unclaimed
 *   queued one); entries of one row are pushed oldest first.
 * - After a 412 the row is read again and each field compared with the
 *   base (the value the edit was made on) and mine: untouched fields go out
 *   with the new etag, fields already as wanted are settled (our own push
 *   whose answer was lost is never written twice), other changes are a
 *   conflict: the rest goes out, and the entry keeps only the conflicting
 *   fields beside the organization's values and their row's etag.
 * - A row with an unresolved conflict takes no new edit; a failed entry
 *   can be retried. Nothing typed is dropped without being asked to. */
#ifndef EMAILCFG_OUTBOX_H
#define EMAILCFG_OUTBOX_H

#include <stdbool.h>

#include "core/sync/session.h"

/* What happened to each mailbox of a batch. */
typedef struct ec_edit_result {
	char id[EC_ID_SIZE];
	char *name;
	long long entry; /* outbox entry id */
	enum ec_outbox_state state;
	int status;    /* EC_OK, EC_CONFLICT, EC_NETWORK (queued), EC_FAILED */
	char *message; /* why, when not sent */
} ec_edit_result;

void edit_results_free(ec_edit_result *r, int n);

/* Queues KEY=VALUE changes (the keys of `mailbox set`) for mailboxes ids
 * and pushes them unless offline. Every mailbox is checked first: a bad
 * key or value, or a change the rules refuse for any of them, is EC_USAGE
 * naming the mailbox, the rule and the fix, and nothing is queued. Returns
 * the worst status of the pushes (EC_CONFLICT, EC_NETWORK, EC_FAILED) with
 * per-mailbox results in *results. */
int edit_mailboxes(ec_session *s, char (*ids)[EC_ID_SIZE], int n, char *const *assignments,
                   int nassign, ec_edit_result **results, ec_error *err);

/* The organization's defaults (server profile and the three methods of
 * defaultemailsettings) applied to mailboxes, as edit_mailboxes(). */
int edit_mailbox_defaults(ec_session *s, char (*ids)[EC_ID_SIZE], int n, ec_edit_result **results,
                          ec_error *err);

/* Approve the mailboxes' email addresses (emailrouteraccessapproval 1). */
int edit_approve(ec_session *s, char (*ids)[EC_ID_SIZE], int n, ec_edit_result **results,
                 ec_error *err);

/* Queues and pushes KEY=VALUE changes to the Email Configuration Settings. */
int edit_settings(ec_session *s, char *const *assignments, int nassign, ec_edit_result *result,
                  ec_error *err);

/* Queues and pushes KEY=VALUE changes (the keys of `profile set`) to the
 * server profile id, as edit_settings(); a change the profile rules refuse
 * (core/model/profile_rules.h) is EC_USAGE with the reason and the fix. */
int edit_profile(ec_session *s, const char *id, char *const *assignments, int nassign,
                 ec_edit_result *result, ec_error *err);

/* Pushes every queued entry, oldest first; counts what was sent, what
 * became a conflict and what failed. EC_NETWORK stops at the first
 * unreachable push (the rest stay queued). */
int outbox_push_all(ec_session *s, long *pushed, long *conflicts, long *failed, ec_error *err);

/* Pushes one queued entry. EC_OK also when another pusher has it (or an
 * older edit of its row goes first): it stays queued, err says so. */
int outbox_push(ec_session *s, long long id, ec_error *err);

/* A failed entry queued again and, unless offline, pushed. */
int outbox_retry(ec_session *s, long long id, ec_error *err);

/* A conflict resolved: mine re-bases the conflicting fields on the
 * organization's values read at the conflict and pushes them against that
 * row's etag (a later change of theirs is a new conflict); theirs drops
 * them and keeps the organization's values (not while being pushed). */
int outbox_resolve(ec_session *s, long long id, bool mine, ec_error *err);

/* Is a live pusher (this process or another) sending the entry now? */
bool outbox_is_sending(const ec_outbox_entry *e);

/* How long a claim lasts unless renewed (seconds): longer than the most
 * one request may take (EMAILCFG_MAX_WAIT_SECONDS, see core/client/http.h), so a
 * live pusher waiting for an answer never loses its claim. */
long outbox_claim_seconds(void);

/* Drops an entry (any state but one being sent: EC_USAGE, try again). */
int outbox_drop(ec_session *s, long long id, ec_error *err);

#endif
