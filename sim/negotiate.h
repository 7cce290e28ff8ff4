/* negotiate.h — the emulator's SPNEGO/Kerberos check for auth = windows
 * (see negotiate.c). */
#ifndef SIM_NEGOTIATE_H
#define SIM_NEGOTIATE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum { NEGOTIATE_REFUSED, NEGOTIATE_NOT_USER, NEGOTIATE_OK };

/* Whether EMAILCFG_SIM_GSS_KEYTAB names the server's keytab. */
bool negotiate_enabled(void);
/* Whether this connection has signed in with Kerberos already. */
bool negotiate_conn_authed(void);
/* One "Authorization: Negotiate <b64>" token: accepted against the keytab.
 * The server's answer token (mutual authentication, or a KRB-ERROR) goes
 * to reply_out as "Negotiate <base64>" when there is one; the client's
 * principal to who (for NEGOTIATE_NOT_USER's message). */
int negotiate_step(const char *b64, struct buf *reply_out, char *who, size_t who_size);

#endif
