/* dataverse.h — the Dataverse Web API operations emailcfg uses (docs/dataverse.md): list a
 * collection with $select/$filter/$orderby following
 * @odata.nextLink verbatim, get one row, PATCH with If-Match and
 * Prefer: return=representation, and WhoAmI. Adds the OData headers, the
 * bearer token (renewed once after a 401) and turns error bodies into one
 * sentence with the organization's own message. Network only: storing rows
 * is the caller's business. */
#ifndef EMAILCFG_DATAVERSE_H
#define EMAILCFG_DATAVERSE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/base/config.h"
#include "core/base/error.h"
#include "core/base/events.h"
#include "core/codec/dv_row.h"
#include "core/model/model.h"

/* A row the organization does not have (404). */
#define DV_NOT_FOUND (-1)

typedef struct ec_dv ec_dv;

/* Connects lazily: nothing goes over the network until the first call.
 * Borrows cfg, which must outlive the client. page_size 0 = 5000. */
int dv_open(ec_config *cfg, const ec_sink *sink, int page_size, ec_dv **out, ec_error *err);
void dv_close(ec_dv *dv);

/* Called once per page with its rows (borrowed for the call) and the
 * collection's @odata.count (-1 when unknown). Return EC_OK to go on. */
typedef int (*dv_page_fn)(void *ctx, json_object *rows, long total, ec_error *err);

/* GET <set>?$select=..&$filter=..&$orderby=..&$count=true and every
 * nextLink after it. filter and orderby may be NULL. */
int dv_list(ec_dv *dv, const char *set, const char *select, const char *filter, const char *orderby,
            dv_page_fn fn, void *ctx, ec_error *err);

/* The callbacks of a listing read row by row: each page begins, hands over
 * its rows one at a time (borrowed for the call: a view or a json-c object,
 * read with dv_row_get(), core/codec/dv_row.h) and ends with the
 * collection's @odata.count (-1 when unknown); a page that fails or is read
 * again after it began is aborted first. Any return but EC_OK stops. */
typedef struct dv_rows_fns {
	int (*page_begin)(void *ctx, ec_error *err);
	int (*row)(void *ctx, const dv_row *row, ec_error *err);
	int (*page_end)(void *ctx, long total, ec_error *err);
	void (*page_abort)(void *ctx);
	/* Whether row reads a member of this name; the others may be left
	 * out of the rows (dv_scan_set_keep). NULL: row gets every member. */
	bool (*keep)(void *ctx, const char *key, size_t len);
} dv_rows_fns;

/* dv_list() streamed: a page is never in memory whole (core/codec/dv_scan.h),
 * rows go to fns as they arrive. annotate: ask for the annotations. */
int dv_list_rows(ec_dv *dv, const char *set, const char *select, const char *filter, bool annotate,
                 const dv_rows_fns *fns, void *ctx, ec_error *err);

/* Change tracking (Prefer: odata.track-changes). After a tracked read,
 * applied says the organization applied it to every page, and delta_link
 * is the last page's @odata.deltaLink (NULL when none, or not on the
 * organization's own Web API, or longer than DV_DELTA_LINK_MAX; free it). */
#define DV_DELTA_LINK_MAX 8192
typedef struct dv_track {
	bool applied;
	char *delta_link;
} dv_track;

/* dv_list_rows() of every row (no filter: tracking refuses one), asking
 * for change tracking. */
int dv_list_rows_tracked(ec_dv *dv, const char *set, const char *select, bool annotate,
                         const dv_rows_fns *fns, void *ctx, dv_track *t, ec_error *err);

/* A delta link refused (a 4xx but 401 and 429: an expired token, tracking
 * turned off) or not the organization's: start over with a listing. */
#define DV_DELTA_REFUSED (-2)

/* Follows a delta link: the rows changed since it was given and the
 * deleted ones ({"id":..,"reason":"deleted"} entries, $deletedEntity) go
 * to fns as rows; t gets the next link. */
int dv_follow_delta(ec_dv *dv, const char *link, const dv_rows_fns *fns, void *ctx, dv_track *t,
                    ec_error *err);

/* GET <set>(<id>)?$select=..; DV_NOT_FOUND when the row is gone. *row is
 * new (json_object_put it). */
int dv_get(ec_dv *dv, const char *set, const char *id, const char *select, json_object **row,
           ec_error *err);

/* PATCH <set>(<id>) with If-Match: W/"<version>" (version <= 0: "*") and
 * Prefer: return=representation; *row gets the organization's new row
 * (may be NULL when the caller does not want it). EC_CONFLICT on 412,
 * DV_NOT_FOUND on 404, EC_FAILED with the organization's message when it
 * refuses the change (400/403), EC_NETWORK when it cannot be reached. */
int dv_patch(ec_dv *dv, const char *set, const char *id, json_object *body, long long version,
             const char *select, json_object **row, ec_error *err);

/* WhoAmI: the organization id. */
int dv_whoami(ec_dv *dv, char org_id[EC_ID_SIZE], ec_error *err);

/* A check the client runs before its first request, and before each next
 * one until the check passes (EC_OK); its failure is the request's. The
 * check's own requests pass. dv_guard_check() runs it now. */
typedef int (*dv_guard_fn)(void *ctx, ec_dv *dv, ec_error *err);
void dv_set_guard(ec_dv *dv, dv_guard_fn fn, void *ctx);
int dv_guard_check(ec_dv *dv, ec_error *err);

/* For the status panel: the last round trip and whether it was throttled. */
long dv_rtt_ms(const ec_dv *dv);
bool dv_throttled(const ec_dv *dv);

#endif
