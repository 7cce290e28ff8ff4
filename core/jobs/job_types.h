/* job_types.h — ready-made jobs for the worker (core/jobs/jobs.h): each
 * constructor copies its arguments into a job argument, and job_submit_*()
 * queues it. The console uses these; the CLI calls the same core functions
 * directly. */
#ifndef EMAILCFG_JOB_TYPES_H
#define EMAILCFG_JOB_TYPES_H

#include <stdbool.h>

#include "core/jobs/jobs.h"
#include "core/jobs/testjob.h"

/* sync (push the outbox, then pull); full re-reads and removes. */
long job_submit_sync(ec_worker *w, bool full);
/* Push every queued edit of the outbox (what the console stored). */
long job_submit_push(ec_worker *w);
/* The pull alone: the live refresh. */
long job_submit_refresh(ec_worker *w);
/* `mailbox set` on ids with KEY=VALUE assignments. */
long job_submit_edit(ec_worker *w, char (*ids)[EC_ID_SIZE], int n, char *const *assign,
                     int nassign);
long job_submit_approve(ec_worker *w, char (*ids)[EC_ID_SIZE], int n);
long job_submit_defaults(ec_worker *w, char (*ids)[EC_ID_SIZE], int n);
long job_submit_settings(ec_worker *w, char *const *assign, int nassign);
long job_submit_resolve(ec_worker *w, long long entry, bool mine);
long job_submit_drop(ec_worker *w, long long entry);
/* A failed outbox entry queued again and pushed. */
long job_submit_retry(ec_worker *w, long long entry);
/* The write-only password of a mailbox (copied, wiped after use). */
long job_submit_password(ec_worker *w, const char *mailbox_id, const char *password);
/* Test & Enable; opts is copied (strings too). */
long job_submit_test(ec_worker *w, char (*ids)[EC_ID_SIZE], int n, const ec_test_opts *opts);
/* A server profile's two endpoints probed once from this machine (no login). */
long job_submit_profile_test(ec_worker *w, const char *profile_id);

#endif
