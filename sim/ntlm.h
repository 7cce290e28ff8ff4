/* ntlm.h — the emulator's NTLMv2 check for auth = windows (see ntlm.c). */
#ifndef SIM_NTLM_H
#define SIM_NTLM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum { NTLM_REFUSED, NTLM_CHALLENGE, NTLM_OK };

/* Whether EMAILCFG_SIM_NTLM_USER="DOMAIN\user:password" is set. */
bool ntlm_enabled(void);
/* Whether this connection has signed in with NTLM already. */
bool ntlm_conn_authed(void);
/* One client message (the base64 after "NTLM "): a NEGOTIATE gets a
 * CHALLENGE header value ("NTLM <base64>") in challenge_out; an
 * AUTHENTICATE is checked. */
int ntlm_step(const char *b64, struct buf *challenge_out);

/* Base64 (standard alphabet), shared with negotiate.c: decodes at most cap
 * bytes, -1 for bad text or an overlong message. */
long ntlm_b64_decode(const char *s, unsigned char *out, size_t cap);
void ntlm_b64_encode(struct buf *b, const unsigned char *p, size_t n);

void ntlm_md4(const unsigned char *p, size_t n, unsigned char out[16]);
void ntlm_md5(const unsigned char *p, size_t n, unsigned char out[16]);
void ntlm_hmac_md5(const unsigned char *key, size_t klen, const unsigned char *msg, size_t n,
                   unsigned char out[16]);

#endif
