/* session.h — everything a core job needs, opened once: the configuration,
 * the cache, the Web API client (none when offline) and the event sink.
 * --read-only and --offline are enforced here, in core, so every front end
 * gets them: a changing operation asks session_may_change() first. */
#ifndef EMAILCFG_SESSION_H
#define EMAILCFG_SESSION_H

#include <stdbool.h>

#include "core/cache/cache.h"
#include "core/base/config.h"
#include "core/client/dataverse.h"
#include "core/base/events.h"

typedef struct ec_session {
	ec_config *cfg;  /* borrowed */
	ec_cache *cache; /* owned */
	ec_dv *dv;       /* owned; NULL when offline */
	ec_sink sink;
	int page_size; /* EMAILCFG_PAGE_SIZE; 0: the organization's maximum */
	/* Edits are stored in the outbox but not sent: the console stores them
	 * on its own thread, so a saved edit survives quitting at once, and
	 * leaves the sending to the worker. */
	bool queue_only;
} ec_session;

/* Opens the cache (EC_LOCAL/EC_USAGE on failure) and, unless offline, a
 * client for the organization (no network traffic yet). */
int session_open(ec_config *cfg, const ec_sink *sink, ec_session *s, ec_error *err);
void session_close(ec_session *s);

/* EC_OK, or EC_USAGE when --read-only forbids `what`; online, also
 * session_check_org(). */
int session_may_change(const ec_session *s, const char *what, ec_error *err);
/* One cache, one organization, before anything is sent (also checked
 * before the client's first request): EC_LOCAL when the cache is another
 * organization's; a cache that holds rows but records no URL gets this
 * one. Talks to the organization (WhoAmI) only for a cache that records an
 * organization id but no URL; once per session. */
int session_check_org(const ec_session *s, ec_error *err);
/* EC_OK, or an error saying `what` needs the network (offline / no org). */
int session_need_network(const ec_session *s, const char *what, ec_error *err);

#endif
