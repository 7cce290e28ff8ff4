/* faults.c — fault decisions, request counts and the request log. */
#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hostile.h"
#include "json_out.h"

#define LOG_SIZE 4096

struct log_entry {
	int64_t seq;
	int64_t t_ms;
	char method[12];
	char *uri;
	int status;
	char *if_match;
	const char *fault;
};

static int64_t api_counter;
static int64_t total, api_total, seq_counter, log_floor;
static int64_t by_status[600];
static int64_t by_fault[5];
static struct log_entry ring[LOG_SIZE];

static bool due(long every)
{
	return every > 0 && api_counter % every == 0;
}

enum fault faults_next(void)
{
	api_counter++;
	api_total++;
	enum fault f = FAULT_NONE;
	if (due(sim_cfg.throttle_every))
		f = FAULT_THROTTLE;
	else if (due(sim_cfg.fail_every))
		f = FAULT_FAIL;
	else if (due(sim_cfg.drop_every))
		f = FAULT_DROP;
	else if (due(sim_cfg.truncate_every))
		f = FAULT_TRUNCATE;
	by_fault[f]++;
	return f;
}

void faults_throttle_reply(struct reply *r)
{
	reply_error(
	    r, 429, "0x80072322",
	    "Number of requests exceeded the limit of 6000 over time window of 300 seconds.");
	hostile_retry_after(r, sim_cfg.retry_after);
}

void faults_fail_reply(struct reply *r)
{
	reply_error(r, 503, "", "The service is temporarily unavailable. Try again later.");
}

void requests_record(const char *method, const char *uri, int status, const char *if_match,
                     int64_t t_ms, const char *fault)
{
	struct log_entry *e = &ring[seq_counter % LOG_SIZE];
	free(e->uri);
	free(e->if_match);
	e->seq = ++seq_counter;
	e->t_ms = t_ms;
	snprintf(e->method, sizeof e->method, "%s", method);
	e->uri = strdup(uri);
	e->status = status;
	e->if_match = if_match ? strdup(if_match) : NULL;
	e->fault = fault;
	total++;
	if (status >= 0 && status < 600)
		by_status[status]++;
}

void requests_stats_json(struct buf *b)
{
	buf_printf(b, "{\"total\":%lld,\"api\":%lld,\"by_status\":{", (long long)total,
	           (long long)api_total);
	bool first = true;
	for (int s = 0; s < 600; s++) {
		if (!by_status[s])
			continue;
		buf_printf(b, "%s\"%d\":%lld", first ? "" : ",", s, (long long)by_status[s]);
		first = false;
	}
	buf_printf(
	    b, "},\"faults\":{\"throttle\":%lld,\"fail\":%lld,\"drop\":%lld,\"truncate\":%lld}}",
	    (long long)by_fault[FAULT_THROTTLE], (long long)by_fault[FAULT_FAIL],
	    (long long)by_fault[FAULT_DROP], (long long)by_fault[FAULT_TRUNCATE]);
}

static void entry_json(struct buf *b, const struct log_entry *e)
{
	buf_printf(b, "{\"seq\":%lld,\"method\":", (long long)e->seq);
	buf_put_json_str(b, e->method);
	buf_puts(b, ",\"uri\":");
	buf_put_json_str(b, e->uri);
	buf_printf(b, ",\"status\":%d,\"if_match\":", e->status);
	if (e->if_match)
		buf_put_json_str(b, e->if_match);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"t_ms\":%lld,\"fault\":", (long long)e->t_ms);
	if (e->fault)
		buf_put_json_str(b, e->fault);
	else
		buf_puts(b, "null");
	buf_putc(b, '}');
}

void requests_log_json(struct buf *b, int64_t since)
{
	int64_t from = seq_counter - LOG_SIZE + 1;
	if (from < since + 1)
		from = since + 1;
	if (from < log_floor + 1)
		from = log_floor + 1;
	if (from < 1)
		from = 1;
	buf_putc(b, '[');
	for (int64_t s = from; s <= seq_counter; s++) {
		if (s > from)
			buf_putc(b, ',');
		entry_json(b, &ring[(s - 1) % LOG_SIZE]);
	}
	buf_putc(b, ']');
}

void requests_reset(void)
{
	api_counter = 0;
	total = api_total = 0;
	log_floor = seq_counter;
	memset(by_status, 0, sizeof by_status);
	memset(by_fault, 0, sizeof by_fault);
}

void requests_free_all(void)
{
	for (int i = 0; i < LOG_SIZE; i++) {
		free(ring[i].uri);
		free(ring[i].if_match);
		ring[i].uri = ring[i].if_match = NULL;
	}
}
