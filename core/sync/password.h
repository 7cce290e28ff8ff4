/* password.h — the write-only mailbox password ("set password" in the
 * console). Unlike every other change it does not go through the outbox:
 * the outbox is on disk, and a secret must never be. It is sent straight to
 * the organization, which stores it encrypted and only ever answers whether
 * one is set (ispasswordset); the cache learns just that. */
#ifndef EMAILCFG_PASSWORD_H
#define EMAILCFG_PASSWORD_H

#include "core/sync/session.h"

/* PATCHes the mailbox's password; refused under --read-only and offline.
 * The caller wipes its own copy; every copy made here is wiped. */
int edit_password(ec_session *s, const char *mailbox_id, const char *password, ec_error *err);

#endif
