/* generate.h — --generate N --seed S: N deterministic mailboxes with their
 * users and queues (and alerts on the failing ones), with the same variety
 * as the demo: Slovenian, CJK and emoji names, queues, forward mailboxes,
 * every delivery method, approval state, status and profile. */
#ifndef SIM_GENERATE_H
#define SIM_GENERATE_H

#include <stdint.h>

void generate_mailboxes(long n, uint64_t seed);

#endif
