/* track.c — change tracking: tokens, the log of deleted rows, the switches
 * per entity set (see track.h). Touches only its own state; reads the
 * store's version counter. */
#include "track.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

struct deleted {
	enum entity_id t;
	struct guid id;
	int64_t version;
};

static bool enabled[E_COUNT];
static int64_t epoch = 1;
static struct deleted *log_rows;
static size_t log_n, log_cap;

void track_init(void)
{
	const char *off = getenv("EMAILCFG_SIM_NO_TRACK");
	for (int t = 0; t < E_COUNT; t++)
		enabled[t] = !(off && !strcmp(off, "1"));
}

void track_free(void)
{
	free(log_rows);
	log_rows = NULL;
	log_n = log_cap = 0;
}

bool track_enabled(enum entity_id t)
{
	return enabled[t];
}

void track_expire(void)
{
	epoch++;
	log_n = 0;
}

void track_note_delete(enum entity_id t, const struct guid *id)
{
	if (log_n == log_cap) {
		log_cap = log_cap ? log_cap * 2 : 256;
		log_rows = realloc(log_rows, log_cap * sizeof *log_rows);
		if (!log_rows)
			abort();
	}
	log_rows[log_n++] = (struct deleted){t, *id, store_next_version()};
}

/* "<version>!<epoch>" of this epoch; false otherwise. */
static bool token_parse(const char *s, int64_t *version)
{
	char *end;
	long long v = strtoll(s, &end, 10), ep;
	if (end == s || *end != '!' || v < 0)
		return false;
	s = end + 1;
	ep = strtoll(s, &end, 10);
	*version = v;
	return end != s && !*end && ep == epoch && v <= store_version_now();
}

static bool delta_begin(const struct entity *e, const char *token, struct query *qy,
                        struct track_req *tr, struct sim_err *err)
{
	char text[64];
	if (!enabled[e->id]) {
		sim_err_set(err, 400, "0x80044353",
		            "Change tracking is not enabled for the entity '%s'.", e->logical);
		return false;
	}
	if (!token_parse(token, &tr->since)) {
		sim_err_set(err, 400, "0x80044352",
		            "The delta token has expired or is not valid. Start a new change "
		            "tracking query.");
		return false;
	}
	snprintf(text, sizeof text, "versionnumber gt %" PRId64, tr->since);
	filter_free(qy->filter);
	qy->filter = filter_parse(e, text, err);
	tr->delta = tr->applied = qy->filter != NULL;
	return tr->delta;
}

bool track_query(const struct request *q, const struct prefer *pf, struct query *qy,
                 struct track_req *tr, struct sim_err *err)
{
	char *token = query_param(q->query, "$deltatoken"),
	     *from = query_param(q->query, "_trackfrom");
	bool ok = true;
	memset(tr, 0, sizeof *tr);
	tr->marked = from != NULL;
	tr->mark = from ? strtoll(from, NULL, 10) : store_version_now();
	if (token) {
		ok = delta_begin(qy->e, token, qy, tr, err);
	} else if (pf->track_changes && enabled[qy->e->id]) {
		/* Dataverse refuses these with tracking. */
		ok = !qy->filter && !qy->has_top && qy->norder <= 1;
		if (!ok)
			sim_err_set(
			    err, 400, "0x80060888",
			    "$filter, $orderby and $top cannot be used with change tracking.");
		tr->applied = ok;
	}
	free(token);
	free(from);
	return ok;
}

void track_next_link(const struct track_req *tr, struct buf *link)
{
	if (tr->applied && !tr->marked)
		buf_printf(link, "&_trackfrom=%" PRId64, tr->mark);
}

void track_put_deleted(struct buf *b, const struct entity *e, const struct track_req *tr,
                       bool first)
{
	char id[37];
	if (!tr->delta)
		return;
	for (size_t i = 0; i < log_n; i++) {
		if (log_rows[i].t != e->id || log_rows[i].version <= tr->since ||
		    log_rows[i].version > tr->mark)
			continue;
		guid_format(&log_rows[i].id, id, false);
		buf_printf(b,
		           "%s{\"@odata.context\":\"%s" SIM_API_ROOT
		           "$metadata#%s/$deletedEntity\",\"id\":\"%s\",\"reason\":\"deleted\"}",
		           first ? "" : ",", sim_cfg.base_url, e->set, id);
		first = false;
	}
}

void track_put_delta_link(struct buf *b, const struct request *q, const struct track_req *tr)
{
	char *select = query_param(q->query, "$select");
	struct buf link = {0};
	if (!tr->applied) {
		free(select);
		return;
	}
	buf_printf(&link, "%s%s?", sim_cfg.base_url, q->raw_path);
	if (select)
		buf_printf(&link, "$select=%s&", select);
	buf_printf(&link, "$deltatoken=%" PRId64 "%%21%" PRId64, tr->mark, epoch);
	buf_puts(b, ",\"@odata.deltaLink\":");
	buf_put_json_str(b, link.p);
	buf_free(&link);
	free(select);
}

void track_state_json(struct buf *b)
{
	buf_puts(b, "{\"enabled\":{");
	for (int t = 0; t < E_COUNT; t++)
		buf_printf(b, "%s\"%s\":%s", t ? "," : "", schema_entities[t]->set,
		           enabled[t] ? "true" : "false");
	buf_printf(b, "},\"epoch\":%" PRId64 ",\"deleted\":%zu}", epoch, log_n);
}

bool track_set(const char *set, bool on)
{
	bool found = false;
	for (int t = 0; t < E_COUNT; t++)
		if (!strcmp(set, "all") || !strcmp(set, schema_entities[t]->set)) {
			enabled[t] = on;
			found = true;
		}
	return found;
}
