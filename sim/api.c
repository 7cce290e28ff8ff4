/* api.c — /api/data/v9.2/: resource routing, WhoAmI, GET of collections
 * (filter, order, keyset pages with nextLink) and of single rows. PATCH is
 * in patch.c. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "handlers.h"
#include "hostile.h"
#include "load.h"
#include "track.h"

void api_not_found(struct reply *r, const struct entity *e, const struct guid *id)
{
	char text[37];
	guid_format(id, text, false);
	reply_error(r, 404, "0x80040217", "%s With Id = %s Does Not Exist", e->logical, text);
}

static void put_context(struct buf *b, const struct query *qy, bool entity)
{
	buf_puts(b, sim_cfg.base_url);
	buf_puts(b, SIM_API_ROOT "$metadata#");
	buf_puts(b, qy->e->set);
	projection_context(qy->e, &qy->proj, qy->select_all, b);
	if (entity)
		buf_puts(b, "/$entity");
}

static void preference_applied(struct reply *r, const struct prefer *pf, long pagesize,
                               bool tracked)
{
	char value[700] = "";
	size_t n = 0;
	if (tracked)
		n += (size_t)snprintf(value, sizeof value, "odata.track-changes");
	if (pf->annotations_raw[0])
		n += (size_t)snprintf(value + n, sizeof value - n, "%sodata.include-annotations=%s",
		                      n ? "," : "", pf->annotations_raw);
	if (pagesize > 0 && n < sizeof value)
		n += (size_t)snprintf(value + n, sizeof value - n, "%sodata.maxpagesize=%ld",
		                      n ? "," : "", pagesize);
	if (pf->return_representation && n < sizeof value)
		snprintf(value + n, sizeof value - n, "%sreturn=representation", n ? "," : "");
	if (value[0])
		reply_header(r, "Preference-Applied", "%s", value);
}

void api_reply_row(struct reply *r, int status, const struct query *qy, const struct row *row,
                   const struct prefer *pf)
{
	struct buf ctx = {0}, b = {0};
	put_context(&ctx, qy, true);
	json_out_row(&b, qy->e, row, &qy->proj, &pf->an, ctx.p);
	buf_free(&ctx);
	reply_json(r, status, CT_ODATA, &b);
	preference_applied(r, pf, 0, false);
}

static long page_size(const struct prefer *pf)
{
	long max = sim_cfg.max_page > 0 && sim_cfg.max_page < 5000 ? sim_cfg.max_page : 5000;
	if (pf->maxpagesize > 0 && pf->maxpagesize < max)
		return pf->maxpagesize;
	return max;
}

/* The page's rows, through one row plan. The first row's size sets the
 * buffer for the rest: growing a 15 MB page by doubling copies it twice.
 * The rows lie all over the heap in id order: waiting for each row, its
 * values and its strings in turn from memory was most of a page's time
 * (perf: the first load of a row), so each is asked for rows ahead. */
static void put_rows(struct buf *b, const struct query *qy, const struct page *pg,
                     const struct annotations *an)
{
	enum { STRINGS_AHEAD = 8, VALUES_AHEAD = 16, ROWS_AHEAD = 24 };
	struct row_plan rp;
	row_plan_init(&rp, qy->e, &qy->proj, an);
	for (size_t i = 0; i < pg->n; i++) {
		size_t before = b->len;
		if (i + ROWS_AHEAD < pg->n)
			__builtin_prefetch(pg->rows[i + ROWS_AHEAD]);
		if (i + VALUES_AHEAD < pg->n)
			row_plan_prefetch(&rp, pg->rows[i + VALUES_AHEAD], false);
		if (i + STRINGS_AHEAD < pg->n)
			row_plan_prefetch(&rp, pg->rows[i + STRINGS_AHEAD], true);
		if (i)
			buf_putc(b, ',');
		row_plan_write(&rp, b, pg->rows[i], NULL);
		if (i == 0 && pg->n > 1)
			buf_reserve(b, (b->len - before + 1) * (pg->n - 1) * 5 / 4 + 4096);
	}
	row_plan_free(&rp);
}

static void get_collection(struct request *q, struct reply *r, const struct entity *e,
                           const struct prefer *pf)
{
	struct query qy;
	struct sim_err err;
	struct track_req tr;
	if (!query_parse(&qy, e, q->query, true, &err)) {
		reply_sim_err(r, &err);
		return;
	}
	if (!track_query(q, pf, &qy, &tr, &err)) {
		reply_sim_err(r, &err);
		query_free(&qy);
		return;
	}
	long size = page_size(pf);
	struct page pg;
	if (hostile_flood(r)) {
		query_free(&qy);
		return;
	}
	query_run(&qy, size, &pg);
	struct buf b = {0};
	buf_puts(&b, "{\"@odata.context\":\"");
	put_context(&b, &qy, false);
	buf_puts(&b, tr.delta ? "/$delta\"" : "\"");
	if (qy.count) {
		buf_puts(&b, ",\"@odata.count\":");
		buf_put_i64(&b, pg.count > QUERY_COUNT_CAP ? QUERY_COUNT_CAP : pg.count);
	}
	buf_puts(&b, ",\"value\":[");
	put_rows(&b, &qy, &pg, &pf->an);
	if (!(pg.more && pg.n))
		track_put_deleted(&b, e, &tr, pg.n == 0);
	buf_putc(&b, ']');
	if (pg.more && pg.n) {
		buf_puts(&b, ",\"@odata.nextLink\":");
		struct buf link = {0};
		if (!hostile_next_link(q, qy.cookie.present, &link))
			query_next_link(&qy, &pg, q->raw_path, &link);
		track_next_link(&tr, &link);
		buf_put_json_str(&b, link.p);
		buf_free(&link);
	} else {
		track_put_delta_link(&b, q, &tr);
	}
	buf_putc(&b, '}');
	reply_json(r, 200, CT_ODATA, &b);
	preference_applied(r, pf, pf->maxpagesize > 0 ? size : 0, tr.applied);
	page_free(&pg);
	query_free(&qy);
}

static bool etag_matches(const char *header, const struct entity *e, const struct row *row)
{
	char etag[40];
	snprintf(etag, sizeof etag, "W/\"%lld\"", (long long)row->v[e->version].u.i);
	return header && (!strcmp(header, etag) || !strcmp(header, etag + 2));
}

static void get_single(struct request *q, struct reply *r, const struct entity *e,
                       const struct guid *id, const struct prefer *pf)
{
	struct query qy;
	struct sim_err err;
	if (!query_parse(&qy, e, q->query, false, &err)) {
		reply_sim_err(r, &err);
		return;
	}
	struct row *row = store_find(e->id, id);
	const char *inm = request_header(q, "If-None-Match");
	bool annotated = pf->an.formatted || pf->an.logical || pf->an.nav;
	if (!row)
		api_not_found(r, e, id);
	else if (!annotated && etag_matches(inm, e, row))
		r->status = 304;
	else
		api_reply_row(r, 200, &qy, row, pf);
	query_free(&qy);
}

static void whoami(struct reply *r)
{
	char bu[37], user[37], org[37] = "";
	const struct table *orgs = &store_tables[E_ORGANIZATION];
	guid_format(&sim_identity.business_unit, bu, false);
	guid_format(&sim_identity.user, user, false);
	if (orgs->n)
		guid_format(row_id(orgs->rows[0]), org, false);
	struct buf b = {0};
	buf_printf(&b,
	           "{\"@odata.context\":\"%s" SIM_API_ROOT
	           "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse\",\"BusinessUnitId\":\"%s\","
	           "\"UserId\":\"%s\",\"OrganizationId\":\"%s\"}",
	           sim_cfg.base_url, bu, user, org);
	reply_json(r, 200, CT_ODATA, &b);
}

/* Splits "set" or "set(<guid>)"; false when the path is neither. */
static bool resource_parse(const char *path, const struct entity **e, struct guid *id, bool *has_id)
{
	const char *paren = strchr(path, '(');
	size_t len = paren ? (size_t)(paren - path) : strlen(path);
	*e = schema_entity_by_set(path, len);
	*has_id = paren != NULL;
	if (!*e)
		return false;
	if (!paren)
		return true;
	const char *close = strchr(paren, ')');
	return close && !close[1] && guid_parse(paren + 1, (size_t)(close - paren - 1), id);
}

static void method_not_allowed(struct reply *r, const char *method)
{
	reply_error(r, 405, "0x80060888",
	            "The requested resource does not support http method '%s'.", method);
}

void api_handle(struct request *q, struct reply *r, const char *path)
{
	const struct entity *e;
	struct guid id;
	bool has_id;
	struct prefer pf;
	char *prefer = request_header_all(q, "Prefer");
	prefer_parse(prefer, &pf);
	free(prefer);
	bool get = !strcmp(q->method, "GET");
	if (!strcmp(path, "WhoAmI") || !strcmp(path, "WhoAmI()")) {
		if (get)
			whoami(r);
		else
			method_not_allowed(r, q->method);
		return;
	}
	if (!resource_parse(path, &e, &id, &has_id)) {
		const char *seg = path;
		size_t n = strcspn(seg, "(/");
		reply_error(r, 404, "0x80060888", "Resource not found for the segment '%.*s'.",
		            (int)n, seg);
		return;
	}
	if (get && has_id)
		get_single(q, r, e, &id, &pf);
	else if (get)
		get_collection(q, r, e, &pf);
	else if (!strcmp(q->method, "PATCH") && has_id && e->writable)
		patch_handle(q, r, e, &id, &pf);
	else
		method_not_allowed(r, q->method);
}
