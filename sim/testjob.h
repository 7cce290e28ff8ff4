/* testjob.h — server-side Test & Enable. PATCHing a mailbox with
 * testemailconfigurationscheduled = true schedules a test that runs after
 * --test-delay seconds on a worker thread: it decides each channel from the
 * data (approval, profile, methods) and a real TCP connect to the profile's
 * servers, writes the statuses back and raises tracelog alerts. */
#ifndef SIM_TESTJOB_H
#define SIM_TESTJOB_H

#include "text.h"

void testjob_start(void);
void testjob_stop(void);
/* Caller holds sim_lock. */
void testjob_schedule(const struct guid *mailbox);
int testjob_pending(void);

#endif
