/* kerberos.h — Kerberos for auth = windows, with MIT libkrb5 and GSS-API
 * (libcurl runs the Negotiate handshake itself, but cannot take a
 * password for it): an initial ticket got in-process for user@REALM from
 * the password, kept in a MEMORY: credential cache of this process (never
 * on disk); GSS-API pointed at that cache for the calling thread before a
 * transfer; and, after the server refused a sign-in, the reason in words
 * an admin understands — no ticket, an expired one, clock skew, an SPN the
 * domain does not know. Never shows the password or a ticket. */
#ifndef EMAILCFG_KERBEROS_H
#define EMAILCFG_KERBEROS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/base/error.h"

enum { KERBEROS_OK, KERBEROS_NO_KDC, KERBEROS_FAILED };

/* Whether username names a Kerberos principal ("user@REALM"): what makes
 * a password sign in by Kerberos; "DOMAIN\\user" signs in by NTLM. */
bool kerberos_is_principal(const char *username);

/* Gets a ticket for principal (its realm in capitals, as Active Directory
 * names it) with password into a new MEMORY: cache, whose name goes to
 * ccache, and the time it expires to ends. KERBEROS_NO_KDC: no KDC of the realm could be found or
 * reached (the caller falls back to NTLM); KERBEROS_FAILED: err (EC_NETWORK) says what the KDC
 * refused, naming password_file for a wrong password. */
int kerberos_kinit(const char *principal, const char *password, const char *password_file,
                   char *ccache, size_t size, time_t *ends, ec_error *err);

/* Forgets a MEMORY: cache kerberos_kinit() made (NULL or "": nothing). */
void kerberos_forget(const char *ccache);

/* Makes GSS-API in the calling thread use ccache (NULL: the default cache,
 * KRB5CCNAME or the system's). */
void kerberos_use_ccache(const char *ccache);

/* Why Kerberos to HTTP/host with ccache (NULL: the default) fails, as one
 * sentence in out; false when a service ticket can be had (so the server
 * itself refused it). May ask the KDC. */
bool kerberos_diagnose(const char *ccache, const char *host, char *out, size_t size);

#endif
