/* dv_scan.h — reads a Web API page ({"@odata.count":N,"value":[{row},...],
 * "@odata.nextLink":"..." or "@odata.deltaLink":"..."}) as its bytes
 * arrive, in pieces of any size, and hands each row of "value" to a callback as a row view (a
 * flat list of its members, core/codec/dv_row.h) or, for a row a view does not read exactly as
 * json-c does, as a json-c object; either is gone when the callback returns: a page of 5,000
 * rows never sits in memory as one tree.
 * The page's own members are read as json-c reads them (names decoded, a null link absent);
 * a page it would read otherwise is refused: no "value" array, "value" twice (json-c keeps the
 * last, and the first one's rows are handed over already), a link that is not a string, rows
 * not separated by one ','. A listing must never look shorter than it is.
 * Every piece is bounded: a row's bytes, values and nested containers, the rows of a page, the
 * other members. Knows nothing of the network or of the cache. */
#ifndef EMAILCFG_DV_SCAN_H
#define EMAILCFG_DV_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/base/error.h"
#include "core/codec/dv_row.h"

/* Bounds: a mailbox row with annotations is about 4 KB and 100 values. */
#define DV_SCAN_MAX_ROW_BYTES  (64L * 1024)
#define DV_SCAN_MAX_ROW_VALUES DV_ROW_MAX_VALUES
#define DV_SCAN_MAX_ROWS       10000L       /* a page: twice what Dataverse sends */
#define DV_SCAN_MAX_MEMBER     (64L * 1024) /* @odata.nextLink and the like */
#define DV_SCAN_MAX_NESTED     64L          /* containers inside the rows of a page */

/* Called with each row (borrowed for the call); its index in the page.
 * Return EC_OK to go on; anything else stops the scan with that error. */
typedef int (*dv_scan_row_fn)(void *ctx, const dv_row *row, long index, ec_error *err);

typedef struct dv_scan dv_scan;

/* Whether the caller reads a row's member of this name (not NUL-ended). */
typedef bool (*dv_scan_keep_fn)(void *ctx, const char *key, size_t len);

dv_scan *dv_scan_new(dv_scan_row_fn fn, void *ctx);
void dv_scan_free(dv_scan *s);
/* From now on, a row's member that keep() refuses is left out of the row
 * handed over, when leaving it out changes nothing json-c would say of the
 * row: only a member "name":"text" whose name and text are plain printable
 * ASCII (no escapes) is left out, so a malformed row stays malformed and
 * text with invalid UTF-8 still reaches the caller. Bounds count the bytes
 * and values left out. keep NULL: every member is kept. */
void dv_scan_set_keep(dv_scan *s, dv_scan_keep_fn keep, void *ctx);
/* Whether rows go as views when they can (the default) or always as json-c
 * objects (the differential tests compare the two). */
void dv_scan_set_lean(dv_scan *s, bool lean);
/* Forgets everything fed so far (a page read again from its start). */
void dv_scan_reset(dv_scan *s);
/* Feeds the next bytes. EC_OK, or the first error (malformed text, a bound
 * passed, or the callback's); after an error every feed returns it. */
int dv_scan_feed(dv_scan *s, const char *data, size_t len, ec_error *err);
/* After the last byte: EC_OK when a whole page was read. */
int dv_scan_finish(dv_scan *s, ec_error *err);
/* Whether the failure was the text's (malformed, cut short), worth reading
 * the page again, rather than a bound or the callback's. */
bool dv_scan_malformed(const dv_scan *s);
/* What the page said besides its rows: @odata.count (-1 when absent) and
 * @odata.nextLink ("" when absent; valid until the next reset). */
long dv_scan_count(const dv_scan *s);
const char *dv_scan_next_link(const dv_scan *s);
/* @odata.deltaLink of a tracked read's last page ("" when absent). */
const char *dv_scan_delta_link(const dv_scan *s);
long dv_scan_rows(const dv_scan *s);

#endif
