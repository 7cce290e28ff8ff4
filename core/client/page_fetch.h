/* page_fetch.h — the pages of a listing read ahead on a thread of their own.
 * The caller's thread names the page it wants (page_fetch_want) and reads
 * its body piece by piece (page_fetch_read) while the fetch thread receives
 * it into a bounded queue; once a body has arrived whole, the fetch thread
 * guesses the next page from the @odata.nextLink near its end and starts
 * it at once, so the organization serves the next page while the caller
 * still stores this one. The caller checks the guess when its own reading
 * of the page gives the real link: page_fetch_want() of another URL throws
 * the guess away.
 * A fetch is one attempt with no event and no sign-in of its own: anything
 * but a whole 200 answer (a refused token, 429, 5xx, a dropped connection,
 * a cancel) ends it with a failed result, and the caller reads the page
 * again the ordinary way, with its retries, waits and messages; a stall or
 * a body over the bounds ends it with the error itself (final), so that no
 * bound is spent twice. The fetch thread touches its own ec_http, the queue and nothing
 * else; at most PAGE_FETCH_QUEUE_MAX bytes wait in the queue (the fetch
 * thread stops reading the socket until the caller catches up). */
#ifndef EMAILCFG_PAGE_FETCH_H
#define EMAILCFG_PAGE_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/base/error.h"
#include "core/client/http.h"

/* Bytes received ahead of the caller: a little over half a page of 5,000
 * annotated mailboxes (about 15 MB), enough for the next request to be
 * served while the caller reads the rest of this one. */
#define PAGE_FETCH_QUEUE_MAX ((size_t)8 << 20)

typedef struct page_fetch page_fetch;

/* Whether a guessed next link may be requested (the token goes with it);
 * called on the fetch thread. */
typedef bool (*page_fetch_ok_fn)(void *ctx, const char *url);

/* How a fetch ended. ok: a 200 answer arrived whole (its body went through
 * page_fetch_read); else the page must be read the ordinary way. */
typedef struct page_fetch_result {
	bool ok;
	long status;              /* 0 when no answer arrived */
	long retry_after;         /* its Retry-After in seconds, -1 when none */
	char *preference_applied; /* the answer's, or NULL; the caller frees it */
	/* A failure the page's own read would only repeat at the same cost (a
	 * stall, an answer over the bounds: http_last_final): err says it. */
	bool final;
	ec_error err;
	size_t bytes;
	long elapsed_ms;
} page_fetch_result;

/* Starts the fetch thread over h, a connection of its own (borrowed until
 * page_fetch_stop), opened with one attempt and a sink whose cancel is
 * abort, which the fetcher sets to end a transfer. ok vets each guess; at
 * most max_requests requests are made; cancel (may be NULL) is the front
 * end's: a transfer in flight ends soon after it is set. EC_LOCAL when no
 * thread can be made. */
int page_fetch_start(ec_http *h, atomic_int *abort, page_fetch_ok_fn ok, void *ok_ctx,
                     long max_requests, atomic_int *cancel, page_fetch **out, ec_error *err);

/* Ends any transfer, waits for the thread, frees the rest. NULL is fine. */
void page_fetch_stop(page_fetch *f);

/* The page to read next: url with headers (a NULL-terminated list, copied,
 * kept for the guesses after it). A fetch of the same URL already started
 * (a right guess) is kept; any other fetch is ended and its bytes thrown
 * away. Returns whether the page came from a guess. */
bool page_fetch_want(page_fetch *f, const char *url, const char *const *headers);

/* The next piece of the wanted page's body: true with *data and *len
 * (valid until the next call); false at its end, with res filled. */
bool page_fetch_read(page_fetch *f, const char **data, size_t *len, page_fetch_result *res);

/* The caller stops reading the wanted page before its end: its transfer is
 * ended and the rest of its bytes thrown away. */
void page_fetch_drop(page_fetch *f);

#endif
