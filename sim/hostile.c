/* hostile.c — answers of a hostile or broken server (see hostile.h). */
#include "hostile.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"

const char *hostile_link_base(void)
{
	return sim_cfg.next_link_base[0] ? sim_cfg.next_link_base : sim_cfg.base_url;
}

bool hostile_next_link(const struct request *q, bool skiptoken, struct buf *link)
{
	if (!sim_cfg.next_link_repeat || !skiptoken)
		return false;
	buf_puts(link, hostile_link_base());
	buf_puts(link, q->uri);
	return true;
}

bool hostile_flood(struct reply *r)
{
	if (sim_cfg.flood_rows <= 0)
		return false;
	r->status = sim_cfg.flood_status ? (int)sim_cfg.flood_status : 200;
	r->content_type = CT_ODATA;
	r->flood_rows = sim_cfg.flood_rows;
	r->flood_row = strdup(sim_cfg.flood_row[0] ? sim_cfg.flood_row : "{}");
	if (!r->flood_row)
		abort();
	return true;
}

/* The flood as it is read: the head, the rows, the tail. Every row is sent
 * from piece ",ROW", the first without its comma. */
struct flood {
	char *piece;
	size_t len;
	long left; /* rows still to send */
	size_t at; /* bytes of the current part sent */
	int part;  /* 0 head, 1 rows, 2 tail, 3 done */
};

static const char flood_head[] = "{\"value\":[";
static const char flood_tail[] = "]}";

/* Moves to the next part when the current one is all sent. */
static void flood_advance(struct flood *f)
{
	f->at = 0;
	if (f->part == 1 && --f->left > 0)
		return;
	f->part++;
	if (f->part == 1 && f->left == 0)
		f->part = 2;
	else if (f->part == 1)
		f->at = 1;
}

static ssize_t flood_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct flood *f = cls;
	size_t n = 0;
	(void)pos;
	while (n < max && f->part < 3) {
		const char *s = f->part == 0 ? flood_head : f->part == 1 ? f->piece : flood_tail;
		size_t len = f->part == 0   ? sizeof flood_head - 1
		             : f->part == 1 ? f->len
		                            : sizeof flood_tail - 1;
		size_t k = len - f->at < max - n ? len - f->at : max - n;
		memcpy(out + n, s + f->at, k);
		n += k;
		f->at += k;
		if (f->at == len)
			flood_advance(f);
	}
	return n ? (ssize_t)n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void flood_free(void *cls)
{
	struct flood *f = cls;
	free(f->piece);
	free(f);
}

struct MHD_Response *hostile_flood_response(struct reply *r)
{
	struct flood *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	if (asprintf(&f->piece, ",%s", r->flood_row) < 0)
		abort();
	f->len = strlen(f->piece);
	f->left = r->flood_rows;
	return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, flood_reader, f,
	                                         flood_free);
}

void hostile_retry_after(struct reply *r, long seconds)
{
	char date[64];
	time_t at = time(NULL) + seconds;
	struct tm tm;
	if (!sim_cfg.retry_after_date) {
		reply_header(r, "Retry-After", "%ld", seconds);
		return;
	}
	gmtime_r(&at, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	reply_header(r, "Retry-After", "%s", date);
}
