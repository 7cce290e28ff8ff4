/* token_store.h — the sign-in cache: one file per organization and user
 * under $XDG_STATE_HOME/emailcfg/signin/ORG/USER (default
 * ~/.local/state/emailcfg), holding the refresh token of a device-code
 * sign-in. Directories are 0700 and files 0600; a file is replaced by
 * writing a new one and renaming it over the old, so a reader sees the old
 * token or the new one, never half of either. A per-organization lock file
 * serialises refreshes between processes (a rotated refresh token would
 * otherwise be used twice and the second use revoke the sign-in). Never in
 * the SQLite cache, never logged. Touches only that directory. */
#ifndef EMAILCFG_TOKEN_STORE_H
#define EMAILCFG_TOKEN_STORE_H

#include <stdbool.h>
#include <time.h>

#include "core/base/error.h"

typedef struct ec_signin_rec {
	char *org;       /* organization URL, as the config gives it */
	char *user;      /* preferred_username of the id_token */
	char *auth;      /* device-code or adfs */
	char *authority; /* where the refresh token is redeemed */
	char *tenant;    /* "" for AD FS */
	char *client_id;
	char *refresh_token; /* the secret */
	time_t until;        /* when the refresh token stops working, at the latest */
} ec_signin_rec;

/* The lock on an organization's sign-ins, held while a refresh token is
 * read, redeemed and replaced. */
typedef struct ec_store_lock {
	int fd;
} ec_store_lock;

/* Takes the organization's lock, waiting for another process to finish its
 * refresh (creates the directories). EC_LOCAL when it cannot. */
int token_store_lock(const char *org, ec_store_lock *lock, ec_error *err);
void token_store_unlock(ec_store_lock *lock);

/* Whether the organization's directory can take the file that will hold
 * rec's rotated refresh token: writes and syncs a probe file of that size
 * (twice rec's, and a block) and removes it. Asked before a refresh token
 * is redeemed, which spends it: a full disk would otherwise lose the
 * sign-in. EC_LOCAL naming the directory when it cannot. */
int token_store_check_room(const ec_signin_rec *rec, ec_error *err);

/* The newest sign-in to org (the user who signed in last). Returns EC_OK
 * and fills rec, or EC_FAILED when there is none (err untouched), or
 * EC_LOCAL for an unreadable or insecure file. */
int token_store_load(const char *org, ec_signin_rec *rec, ec_error *err);

/* Writes rec atomically (temporary file, fsync, rename), 0600. */
int token_store_save(const ec_signin_rec *rec, ec_error *err);

/* Forgets every sign-in to org, or to every organization when org is NULL.
 * *removed counts the users forgotten. */
int token_store_forget(const char *org, int *removed, ec_error *err);

/* The state directory ($XDG_STATE_HOME/emailcfg), for messages; caller frees. */
char *token_store_dir(void);

/* Overwrites the refresh token with zeros and frees everything. */
void token_store_rec_free(ec_signin_rec *rec);

#endif
