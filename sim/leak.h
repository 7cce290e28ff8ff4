/* leak.h — a careless server, for the tests that check the client hides
 * what such a server sends back and bounds what it sends: token endpoints
 * that refuse every grant quoting the posted form (refresh token, client
 * secret, device code) in their error_description (echo_grant,
 * EMAILCFG_SIM_ECHO_GRANT=1), a Web API that answers every request 400
 * quoting its headers, Authorization too (echo_headers,
 * EMAILCFG_SIM_ECHO_HEADERS=1), and sign-in answers padded with
 * pad_signin bytes (EMAILCFG_SIM_PAD_SIGNIN=N). Each also through
 * /_sim/config. Callers hold sim_lock. */
#ifndef SIM_LEAK_H
#define SIM_LEAK_H

#include <stdbool.h>

#include "http.h"

/* Reads the EMAILCFG_SIM_* switches at start. */
void leak_init(void);

/* With echo_grant, fills r with the refusal that quotes the form and
 * returns true (adfs: an MSIS error, else an AADSTS one). */
bool leak_echo_grant(const struct request *q, struct reply *r, bool adfs);

/* With echo_headers, fills r with a 400 that quotes every request header
 * and returns true. */
bool leak_echo_headers(const struct request *q, struct reply *r);

/* With pad_signin, puts a "padding" member of that many bytes into the
 * JSON object of a sign-in answer (path is a token or device-code
 * endpoint's). */
void leak_pad_signin(const struct request *q, struct reply *r);

#endif
