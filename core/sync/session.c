/* session.c — opening and closing what jobs share (see session.h). */
#include "core/sync/session.h"

#include <stdlib.h>
#include <string.h>

/* One cache, one organization, checked before the first request: a cache
 * that holds rows but records no URL gets this one, and one that records
 * an organization id but no URL (made before URLs were recorded) gets it
 * only when the organization's own id (WhoAmI) is that one. Never again in
 * the session once it passed. */
static int check_org(void *cache, ec_dv *dv, ec_error *err)
{
	char id[EC_ID_SIZE] = "";
	bool pending, need_id;
	int rc = cache_org_pending(cache, &pending, &need_id, err);
	if (rc != EC_OK || !pending)
		return rc;
	if (need_id && (rc = dv_whoami(dv, id, err)) != EC_OK)
		return rc;
	return cache_org_confirm(cache, need_id ? id : NULL, err);
}

int session_open(ec_config *cfg, const ec_sink *sink, ec_session *s, ec_error *err)
{
	int rc;
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	if (sink)
		s->sink = *sink;
	/* Smaller pages for slow links and tests; the organization caps it. */
	if (getenv("EMAILCFG_PAGE_SIZE"))
		s->page_size = atoi(getenv("EMAILCFG_PAGE_SIZE"));
	if (!cfg->cache_path)
		return ec_fail(err, EC_LOCAL, "no cache; pass --cache FILE or --org URL");
	if ((rc = cache_open(cfg->cache_path, &s->cache, err)) != EC_OK)
		return rc;
	if (!cfg->offline && cfg->org_url) {
		rc = dv_open(cfg, &s->sink, s->page_size, &s->dv, err);
		/* Before any request: never sync or push another organization's
		 * rows through this cache. */
		if (rc == EC_OK)
			rc = cache_bind_org(s->cache, cfg->org_url, err);
		if (rc == EC_OK)
			dv_set_guard(s->dv, check_org, s->cache);
		if (rc != EC_OK) {
			session_close(s);
			return rc;
		}
	}
	return EC_OK;
}

void session_close(ec_session *s)
{
	dv_close(s->dv);
	if (s->cache)
		cache_close(s->cache);
	memset(s, 0, sizeof *s);
}

int session_may_change(const ec_session *s, const char *what, ec_error *err)
{
	if (s->cfg->read_only)
		return ec_fail(err, EC_USAGE,
		               "--read-only: refusing to %s; run without --read-only "
		               "to change the organization",
		               what);
	/* Refused before the edit is queued, not when it is sent. */
	if (s->dv && !s->queue_only)
		return session_check_org(s, err);
	return EC_OK;
}

int session_check_org(const ec_session *s, ec_error *err)
{
	return s->dv ? dv_guard_check(s->dv, err) : EC_OK;
}

int session_need_network(const ec_session *s, const char *what, ec_error *err)
{
	if (s->cfg->offline)
		return ec_fail(err, EC_USAGE,
		               "--offline: %s needs the organization; run without "
		               "--offline",
		               what);
	if (!s->dv)
		return ec_fail(err, EC_LOCAL,
		               "%s needs an organization; pass --org URL or set "
		               "EMAILCFG_ORG",
		               what);
	return EC_OK;
}
