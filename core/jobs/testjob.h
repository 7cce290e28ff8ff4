/* testjob.h — Test & Enable (docs/architecture.md): per mailbox, in order,
 * rules -> approval -> connectivity (incoming, outgoing) -> server ->
 * verdict, each check recorded with status, code, message, fix and elapsed
 * time; the verdict per channel (incoming, outgoing, act) and overall, with
 * the organization's alerts and our probe failures explained through
 * data/alerts.tsv. Many mailboxes run concurrently (probes through curl's
 * multi interface). Every run is stored in the cache's history. Progress:
 * EV_STAGE per mailbox and stage, EV_PROGRESS done/total. */
#ifndef EMAILCFG_TESTJOB_H
#define EMAILCFG_TESTJOB_H

#include <stdbool.h>

#include "core/sync/session.h"

typedef struct ec_test_opts {
	bool local_only;              /* rules, approval, connectivity: no server stage */
	bool no_wait;                 /* schedule the server test and return */
	bool approve;                 /* approve pending mailboxes first */
	long timeout_s;               /* the server stage; 0: 900 s */
	int concurrency;              /* probes at once; 0: 16 */
	long probe_timeout_ms;        /* one probe; 0: 15 s */
	const char *credentials_file; /* INI: [mailbox ID|EMAIL] / [profile NAME] */
	const char *username;         /* typed in the console for every mailbox, or NULL */
	const char *password;
	bool discard_results; /* free each result once stored: *results keeps
	                         only empty entries (id ""); for callers that
	                         read results from the cache, e.g. the console */
} ec_test_opts;

/* Runs Test & Enable on mailboxes ids; *results gets one result per
 * mailbox, in order (free with testjob_results_free). Returns EC_OK when
 * every verdict passed, EC_FAILED when one failed, other statuses when the
 * run itself could not be done. */
int testjob_run(ec_session *s, char (*ids)[EC_ID_SIZE], int n, const ec_test_opts *opts,
                ec_test_result **results, ec_error *err);
void testjob_results_free(ec_test_result *r, int n);

#endif
