/* page_fetch.c — a listing's pages received on a fetch thread, one ahead
 * (see page_fetch.h). Shared between the two threads, under lock: the
 * queue, the pending fetch, the latest fetch's URL and sequence number, the
 * headers and the counts; abort_cur is atomic because libcurl's callbacks
 * read it without the lock. The fetch thread alone touches its ec_http,
 * the chunk it is filling and the tail it keeps for the guess. */
#include "core/client/page_fetch.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/ini.h"
#include "core/model/model.h"

/* Bytes a chunk holds: few enough locks per page, little memory per chunk. */
#define CHUNK_SIZE ((size_t)64 << 10)
/* Bytes kept from the end of a body to find its @odata.nextLink in: the
 * link with its skip token is under a kilobyte, a delta link at most
 * DV_DELTA_LINK_MAX (8 KB). */
#define TAIL_SIZE ((size_t)16 << 10)

typedef struct chunk {
	struct chunk *next;
	long seq; /* the fetch it belongs to */
	bool end; /* the fetch's last: res says how it ended */
	page_fetch_result res;
	size_t len;
	char data[];
} chunk;

struct page_fetch {
	pthread_mutex_t lock;
	pthread_cond_t work, data, space;
	pthread_t thread;
	/* Shared, under lock. */
	chunk *head, *tail;
	size_t queued;  /* bytes in the queue */
	char *pend_url; /* the fetch to start next, or NULL */
	char **pend_hdrs;
	long pend_seq;
	char **hdrs;    /* the caller's last headers, for guesses */
	char *last_url; /* the latest fetch started or pending */
	long last_seq;
	long reading;  /* the fetch the caller reads */
	long done_seq; /* the last fetch the caller finished with */
	long cur_seq;  /* the fetch in flight, 0 none */
	long seq;      /* the last sequence number given */
	long requests, max_requests;
	char *later_guess; /* the guess of a fetch read ahead, for when the */
	long later_seq;    /* caller reads it: one page ahead, never two */
	uint64_t *asked;   /* hashes of every URL requested: no guess repeats one */
	size_t nasked, asked_cap;
	bool quit;
	atomic_int *abort_cur; /* ends the transfer in flight (its sink's cancel) */
	/* Read by both, set once. */
	atomic_int *cancel; /* the front end's */
	page_fetch_ok_fn ok;
	void *ok_ctx;
	/* The fetch thread's own. */
	ec_http *http;
	chunk *fill;
	char tail_prev[TAIL_SIZE]; /* the end of the last chunk queued */
	size_t tail_prev_len;
	size_t job_bytes;
	/* The caller's own. */
	chunk *held; /* the piece page_fetch_read() returned last */
};

static char **hdrs_copy(char *const *hdrs)
{
	size_t n = 0;
	char **out;
	while (hdrs && hdrs[n])
		n++;
	out = ec_xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = ec_strdup(hdrs[i]);
	return out;
}

/* The header lines hold the access token: wiped before they are freed. */
static void hdrs_free(char **hdrs)
{
	for (size_t i = 0; hdrs && hdrs[i]; i++)
		ec_wipe_free(hdrs[i]);
	free(hdrs);
}

static uint64_t url_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool asked_has(const page_fetch *f, uint64_t h)
{
	for (size_t i = 0; i < f->nasked; i++)
		if (f->asked[i] == h)
			return true;
	return false;
}

static void asked_add(page_fetch *f, uint64_t h)
{
	if (f->nasked == f->asked_cap) {
		f->asked_cap = f->asked_cap ? f->asked_cap * 2 : 64;
		f->asked = ec_xrealloc(f->asked, f->asked_cap * sizeof *f->asked);
	}
	f->asked[f->nasked++] = h;
}

/* ---- the queue (under lock) ---------------------------------------------- */

static void queue_push_locked(page_fetch *f, chunk *c)
{
	c->next = NULL;
	if (f->tail)
		f->tail->next = c;
	else
		f->head = c;
	f->tail = c;
	f->queued += c->len;
	pthread_cond_signal(&f->data);
}

static chunk *queue_pop_locked(page_fetch *f)
{
	chunk *c = f->head;
	if (!c)
		return NULL;
	f->head = c->next;
	if (!f->head)
		f->tail = NULL;
	f->queued -= c->len;
	pthread_cond_signal(&f->space);
	return c;
}

static void chunk_free(chunk *c)
{
	if (c && c->end)
		free(c->res.preference_applied);
	free(c);
}

/* Throws away the queued chunks of fetches up to seq. A later fetch's
 * chunks stay: they follow the earlier ones' end in the queue. */
static void queue_drop_locked(page_fetch *f, long seq)
{
	while (f->head && f->head->seq <= seq)
		chunk_free(queue_pop_locked(f));
}

/* ---- the fetch thread ---------------------------------------------------- */

/* Queues a chunk of the fetch in flight, waiting while the queue is full:
 * the socket is not read meanwhile, which bounds the memory. false: the
 * fetch was ended. */
static bool chunk_queue(page_fetch *f, chunk *c)
{
	pthread_mutex_lock(&f->lock);
	while (f->queued > 0 && f->queued + c->len > PAGE_FETCH_QUEUE_MAX && !f->quit &&
	       !atomic_load(f->abort_cur))
		pthread_cond_wait(&f->space, &f->lock);
	if (f->quit || atomic_load(f->abort_cur)) {
		pthread_mutex_unlock(&f->lock);
		free(c);
		return false;
	}
	queue_push_locked(f, c);
	pthread_mutex_unlock(&f->lock);
	return true;
}

/* Keeps the end of a full chunk: the next link may begin in it. */
static void tail_keep(page_fetch *f, const chunk *c)
{
	size_t n = c->len < TAIL_SIZE ? c->len : TAIL_SIZE;
	memcpy(f->tail_prev, c->data + c->len - n, n);
	f->tail_prev_len = n;
}

/* http_body_fn: the body of the fetch in flight, into chunks. */
static bool fetch_bytes(void *ctx, const char *data, size_t len)
{
	page_fetch *f = ctx;
	if (!data) { /* the (only) attempt starts */
		free(f->fill);
		f->fill = NULL;
		f->tail_prev_len = 0;
		f->job_bytes = 0;
		return true;
	}
	if (atomic_load(f->abort_cur))
		return false;
	f->job_bytes += len;
	while (len) {
		size_t n;
		if (!f->fill) {
			f->fill = ec_xmalloc(sizeof *f->fill + CHUNK_SIZE);
			memset(f->fill, 0, sizeof *f->fill);
			f->fill->seq = f->cur_seq;
		}
		n = CHUNK_SIZE - f->fill->len;
		n = n < len ? n : len;
		memcpy(f->fill->data + f->fill->len, data, n);
		f->fill->len += n;
		data += n, len -= n;
		if (f->fill->len == CHUNK_SIZE) {
			chunk *c = f->fill;
			f->fill = NULL;
			tail_keep(f, c);
			if (!chunk_queue(f, c))
				return false;
		}
	}
	return true;
}

/* The JSON string at s (after its opening quote) up to end, unescaped;
 * NULL when it does not end there or holds an escape a URL never needs. */
static char *json_string_take(const char *s, const char *end)
{
	char *out = ec_xmalloc((size_t)(end - s) + 1), *o = out;
	for (; s < end; s++) {
		if (*s == '"') {
			*o = '\0';
			return out;
		}
		if (*s == '\\') {
			if (++s == end || (*s != '/' && *s != '"' && *s != '\\'))
				break;
		} else if ((unsigned char)*s < 0x20) {
			break;
		}
		*o++ = *s;
	}
	free(out);
	return NULL;
}

/* The last "@odata.nextLink":"..." in text: a guess, never trusted — the
 * caller's own reading of the page decides. */
static char *next_link_guess(const char *text, size_t n)
{
	static const char key[] = "\"@odata.nextLink\"";
	const size_t klen = sizeof key - 1;
	for (size_t i = n >= klen ? n - klen + 1 : 0; i-- > 0;) {
		const char *p = text + i, *end = text + n;
		if (memcmp(p, key, klen) != 0)
			continue;
		for (p += klen; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n');
		     p++)
			;
		if (p == end || *p++ != ':')
			return NULL;
		for (; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++)
			;
		if (p == end || *p++ != '"')
			return NULL;
		return json_string_take(p, end);
	}
	return NULL;
}

/* The guess from the end of the body just received: the kept tail of the
 * last full chunk and the partial chunk after it. */
static char *fetch_guess(page_fetch *f)
{
	size_t have = f->fill ? f->fill->len : 0, from_prev;
	char *text, *guess;
	if (have >= TAIL_SIZE)
		return next_link_guess(f->fill->data + have - TAIL_SIZE, TAIL_SIZE);
	from_prev = f->tail_prev_len < TAIL_SIZE - have ? f->tail_prev_len : TAIL_SIZE - have;
	text = ec_xmalloc(from_prev + have + 1);
	memcpy(text, f->tail_prev + f->tail_prev_len - from_prev, from_prev);
	if (have)
		memcpy(text + from_prev, f->fill->data, have);
	guess = next_link_guess(text, from_prev + have);
	free(text);
	return guess;
}

/* One fetch: its chunks, then its end, into the queue. Returns the guess
 * at the next page when the body arrived whole. */
static char *fetch_run(page_fetch *f, const char *url, char **hdrs, long seq)
{
	ec_http_response r;
	ec_error e = {0};
	chunk *end = ec_xcalloc(1, sizeof *end);
	char *guess = NULL;
	int rc = http_request_stream(f->http, "GET", url, (const char *const *)hdrs, NULL,
	                             fetch_bytes, f, &r, &e);
	end->seq = seq;
	end->end = true;
	end->res.ok = rc == EC_OK && r.status == 200 && !atomic_load(f->abort_cur);
	end->res.final = rc != EC_OK && http_last_final(f->http) && !atomic_load(f->abort_cur);
	if (end->res.final)
		end->res.err = e;
	end->res.status = r.status;
	end->res.retry_after = r.retry_after;
	end->res.preference_applied = r.preference_applied;
	r.preference_applied = NULL;
	end->res.bytes = f->job_bytes;
	end->res.elapsed_ms = r.elapsed_ms;
	http_response_free(&r);
	if (end->res.ok)
		guess = fetch_guess(f);
	if (end->res.ok && f->fill && !chunk_queue(f, f->fill))
		end->res.ok = false;
	else if (!end->res.ok)
		free(f->fill);
	f->fill = NULL;
	if (!end->res.ok) {
		free(guess);
		guess = NULL;
	}
	pthread_mutex_lock(&f->lock);
	queue_push_locked(f, end); /* never waits: the caller may be waiting for it */
	pthread_mutex_unlock(&f->lock);
	return guess;
}

/* Starts the guess as the next fetch, unless the caller asked for another
 * page meanwhile, or the guess is not to be requested. A guess from a
 * fetch the caller does not read yet waits until it does: the queue then
 * holds at most the page read and the one after it. Under lock. */
static void fetch_guess_pend_locked(page_fetch *f, char *guess, long seq)
{
	uint64_t h = url_hash(guess);
	if (seq != f->reading && f->last_seq == seq && !f->pend_url) {
		free(f->later_guess);
		f->later_guess = guess;
		f->later_seq = seq;
		return;
	}
	if (f->quit || f->pend_url || f->last_seq != seq || f->requests >= f->max_requests ||
	    asked_has(f, h) || (f->cancel && atomic_load(f->cancel)) || !f->ok(f->ok_ctx, guess)) {
		free(guess);
		return;
	}
	f->pend_url = guess;
	f->pend_hdrs = hdrs_copy(f->hdrs);
	f->pend_seq = ++f->seq;
	free(f->last_url);
	f->last_url = ec_strdup(guess);
	f->last_seq = f->pend_seq;
}

static void *fetch_main(void *arg)
{
	page_fetch *f = arg;
	pthread_mutex_lock(&f->lock);
	for (;;) {
		char *url, **hdrs, *guess;
		long seq;
		while (!f->quit && !f->pend_url)
			pthread_cond_wait(&f->work, &f->lock);
		if (f->quit)
			break;
		url = f->pend_url;
		hdrs = f->pend_hdrs;
		seq = f->pend_seq;
		f->pend_url = NULL;
		f->pend_hdrs = NULL;
		f->cur_seq = seq;
		f->requests++;
		asked_add(f, url_hash(url));
		atomic_store(f->abort_cur, f->cancel && atomic_load(f->cancel));
		pthread_mutex_unlock(&f->lock);
		guess = fetch_run(f, url, hdrs, seq);
		free(url);
		hdrs_free(hdrs);
		pthread_mutex_lock(&f->lock);
		f->cur_seq = 0;
		if (guess)
			fetch_guess_pend_locked(f, guess, seq);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* ---- the caller's side --------------------------------------------------- */

int page_fetch_start(ec_http *h, atomic_int *abort, page_fetch_ok_fn ok, void *ok_ctx,
                     long max_requests, atomic_int *cancel, page_fetch **out, ec_error *err)
{
	page_fetch *f = ec_xcalloc(1, sizeof *f);
	f->http = h;
	f->abort_cur = abort;
	f->ok = ok;
	f->ok_ctx = ok_ctx;
	f->max_requests = max_requests;
	f->cancel = cancel;
	atomic_store(abort, 0);
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->work, NULL);
	pthread_cond_init(&f->data, NULL);
	pthread_cond_init(&f->space, NULL);
	if (pthread_create(&f->thread, NULL, fetch_main, f) != 0) {
		pthread_mutex_destroy(&f->lock);
		pthread_cond_destroy(&f->work);
		pthread_cond_destroy(&f->data);
		pthread_cond_destroy(&f->space);
		free(f);
		return ec_fail(err, EC_LOCAL, "cannot start a thread to read pages ahead");
	}
	*out = f;
	return EC_OK;
}

void page_fetch_stop(page_fetch *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->quit = true;
	atomic_store(f->abort_cur, 1);
	pthread_cond_broadcast(&f->work);
	pthread_cond_broadcast(&f->space);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	while (f->head)
		chunk_free(queue_pop_locked(f));
	chunk_free(f->held);
	free(f->pend_url);
	hdrs_free(f->pend_hdrs);
	hdrs_free(f->hdrs);
	free(f->last_url);
	free(f->later_guess);
	free(f->asked);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->work);
	pthread_cond_destroy(&f->data);
	pthread_cond_destroy(&f->space);
	free(f);
}

bool page_fetch_want(page_fetch *f, const char *url, const char *const *headers)
{
	bool guessed;
	chunk_free(f->held);
	f->held = NULL;
	pthread_mutex_lock(&f->lock);
	hdrs_free(f->hdrs);
	f->hdrs = hdrs_copy((char *const *)headers);
	guessed = f->last_url && f->last_seq > f->done_seq && strcmp(f->last_url, url) == 0;
	if (guessed) {
		f->reading = f->last_seq;
		if (f->later_guess && f->later_seq == f->reading) {
			char *later = f->later_guess;
			f->later_guess = NULL;
			fetch_guess_pend_locked(f, later, f->reading);
			pthread_cond_signal(&f->work);
		}
	} else {
		/* Another page: whatever is in flight or queued is stale. */
		if (f->cur_seq)
			atomic_store(f->abort_cur, 1);
		free(f->pend_url);
		hdrs_free(f->pend_hdrs);
		f->pend_url = ec_strdup(url);
		f->pend_hdrs = hdrs_copy(f->hdrs);
		f->pend_seq = ++f->seq;
		free(f->last_url);
		f->last_url = ec_strdup(url);
		f->last_seq = f->reading = f->pend_seq;
		queue_drop_locked(f, f->pend_seq - 1);
		pthread_cond_signal(&f->work);
		pthread_cond_signal(&f->space);
	}
	pthread_mutex_unlock(&f->lock);
	return guessed;
}

/* Waits a little for the queue; a cancel of the front end ends the
 * transfer in flight, whose end then arrives. Under lock. */
static void read_wait_locked(page_fetch *f)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 50 * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&f->data, &f->lock, &until);
	if (f->cancel && atomic_load(f->cancel) && f->cur_seq == f->reading)
		atomic_store(f->abort_cur, 1);
}

bool page_fetch_read(page_fetch *f, const char **data, size_t *len, page_fetch_result *res)
{
	chunk *c;
	chunk_free(f->held);
	f->held = NULL;
	pthread_mutex_lock(&f->lock);
	for (;;) {
		/* The end of a fetch ended earlier may still arrive. */
		queue_drop_locked(f, f->reading - 1);
		if (f->head)
			break;
		read_wait_locked(f);
	}
	c = queue_pop_locked(f);
	if (c->end)
		f->done_seq = f->reading;
	pthread_mutex_unlock(&f->lock);
	if (c->end) {
		*res = c->res;
		free(c);
		return false;
	}
	f->held = c;
	*data = c->data;
	*len = c->len;
	return true;
}

void page_fetch_drop(page_fetch *f)
{
	chunk_free(f->held);
	f->held = NULL;
	pthread_mutex_lock(&f->lock);
	if (f->cur_seq == f->reading)
		atomic_store(f->abort_cur, 1);
	/* Its chunks up to its end; a guess queued after the end stays. */
	while (f->head && f->head->seq == f->reading) {
		chunk *c = queue_pop_locked(f);
		bool end = c->end;
		chunk_free(c);
		if (end)
			break;
	}
	f->done_seq = f->reading;
	pthread_mutex_unlock(&f->lock);
}
