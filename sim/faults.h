/* faults.h — deterministic fault injection for the Web API and the request
 * log the control endpoint exposes. Every request under /api/data/v9.2/
 * increments one counter n (from 1); the request is throttled (429) when
 * n % throttle_every == 0, else failed (503) when n % fail_every == 0, else
 * its response is dropped mid-body when n % drop_every == 0, else truncated
 * when n % truncate_every == 0. A throttled or failed request is not
 * executed; a dropped or truncated one is (its response is what breaks).
 * The token endpoint and /_sim/ are never faulted. Callers hold sim_lock. */
#ifndef SIM_FAULTS_H
#define SIM_FAULTS_H

#include <stdint.h>

#include "buf.h"
#include "http.h"

enum fault { FAULT_NONE, FAULT_THROTTLE, FAULT_FAIL, FAULT_DROP, FAULT_TRUNCATE };

enum fault faults_next(void);
void faults_throttle_reply(struct reply *r);
void faults_fail_reply(struct reply *r);

/* Records a finished request (everything but /_sim/). */
void requests_record(const char *method, const char *uri, int status, const char *if_match,
                     int64_t t_ms, const char *fault);
/* {"total":..,"api":..,"by_status":{"200":..},"faults":{..}} */
void requests_stats_json(struct buf *b);
/* [{"seq","method","uri","path","status","if_match","t_ms","fault"}...] after seq since */
void requests_log_json(struct buf *b, int64_t since);
/* Forgets the log and the counts and restarts the fault counter. */
void requests_reset(void);
void requests_free_all(void);

#endif
