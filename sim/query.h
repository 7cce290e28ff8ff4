/* query.h — the query options of a GET ($select, $filter, $orderby, $top,
 * $count, $skiptoken) parsed from the raw query string, and keyset paging:
 * a page holds the rows strictly after the paging cookie's key in the
 * requested order, with the primary key as the final tie-break. */
#ifndef SIM_QUERY_H
#define SIM_QUERY_H

#include <stdbool.h>

#include "buf.h"
#include "json_out.h"
#include "odata_filter.h"
#include "store.h"

#define QUERY_MAX_ORDER 8
/* Dataverse's @odata.count goes no higher than 5,000. */
#define QUERY_COUNT_CAP 5000L

struct order_key {
	int col;
	bool desc;
};

/* The resume point carried by $skiptoken: values of the order columns and
 * the primary key of the last row of the previous page. */
struct cookie {
	bool present;
	long pagenumber; /* the page this request asks for (2 for the first nextLink) */
	struct val last[QUERY_MAX_ORDER + 1];
};

struct query {
	const struct entity *e;
	struct projection proj;
	bool select_all;
	struct filter *filter;
	struct order_key order[QUERY_MAX_ORDER + 1]; /* + the primary key */
	int norder;                                  /* including the primary key */
	bool has_top;
	long top;
	bool count;
	struct cookie cookie;
	char *query_rest; /* the raw query without $skiptoken, for nextLink */
};

/* Parses raw_query (the part after '?', still percent-encoded; may be NULL).
 * collection selects whether $filter, $orderby, $top, $count and $skiptoken
 * are allowed. */
bool query_parse(struct query *q, const struct entity *e, const char *raw_query, bool collection,
                 struct sim_err *err);
void query_free(struct query *q);

struct page {
	struct row **rows;
	size_t n;
	bool more;  /* a further page exists */
	long count; /* rows matching the filter, when $count=true; counting stops
	               past QUERY_COUNT_CAP */
};

void query_run(const struct query *q, long pagesize, struct page *pg);
void page_free(struct page *pg);
/* Appends the absolute nextLink for the page after pg. */
void query_next_link(const struct query *q, const struct page *pg, const char *path, struct buf *b);

/* Looks up one query parameter by its decoded name; returns a decoded copy
 * (caller frees) or NULL. */
char *query_param(const char *raw_query, const char *name);

#endif
