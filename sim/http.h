/* http.h — the request and reply the handlers see, independent of
 * libmicrohttpd: the raw request target split into path and query, the
 * headers, the body; and a reply with status, extra headers and body. */
#ifndef SIM_HTTP_H
#define SIM_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

struct MHD_Connection;

struct request {
	struct MHD_Connection *conn;
	char *uri;         /* raw request target, as sent */
	char *raw_path;    /* part before '?', still encoded */
	char *path;        /* raw_path percent-decoded */
	const char *query; /* part after '?' (encoded) or NULL; points into uri */
	const char *method;
	struct buf body;
	bool started;
	bool too_large;
	int64_t t_ms; /* arrival, ms since the emulator started */
};

#define REPLY_MAX_HEADERS 8

struct reply {
	int status;
	struct buf body;
	const char *content_type; /* NULL: none (empty body) */
	int nheaders;
	struct {
		char *name;
		char *value;
	} headers[REPLY_MAX_HEADERS];
	long flood_rows; /* a flooded page (hostile.h): rows of flood_row */
	char *flood_row;
};

#define CT_ODATA "application/json; odata.metadata=minimal"
#define CT_JSON  "application/json; charset=utf-8"

void reply_header(struct reply *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An OData error body: {"error":{"code":..,"message":..}}. */
void reply_error(struct reply *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void reply_sim_err(struct reply *r, const struct sim_err *err);
/* Sets a JSON body from b (takes it over). */
void reply_json(struct reply *r, int status, const char *content_type, struct buf *b);
void reply_free(struct reply *r);

/* The first value of a request header, or NULL. */
const char *request_header(const struct request *q, const char *name);
/* Every value of a (possibly repeated) header joined with ", " (caller frees),
 * or NULL. */
char *request_header_all(const struct request *q, const char *name);

/* Starts the HTTP daemon on an already listening socket; false on failure. */
bool http_start(int listen_fd);
void http_stop(void);
/* When the last request arrived, in sim_clock_ms() (0: none yet). */
int64_t http_last_request_ms(void);

#endif
