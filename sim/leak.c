/* leak.c — a careless server's echoes and padded answers (see leak.h). */
#include "leak.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "handlers.h"

void leak_init(void)
{
	const char *pad = getenv("EMAILCFG_SIM_PAD_SIGNIN");
	const char *grant = getenv("EMAILCFG_SIM_ECHO_GRANT");
	const char *headers = getenv("EMAILCFG_SIM_ECHO_HEADERS");
	sim_cfg.echo_grant = grant && !strcmp(grant, "1");
	sim_cfg.echo_headers = headers && !strcmp(headers, "1");
	sim_cfg.pad_signin = pad ? strtol(pad, NULL, 10) : 0;
}

bool leak_echo_grant(const struct request *q, struct reply *r, bool adfs)
{
	const char *form = q->body.p ? q->body.p : "";
	struct buf b = {0}, d = {0};
	if (!sim_cfg.echo_grant)
		return false;
	if (!adfs) {
		aad_error(r, 400, "invalid_request", 90023, "Unsupported request: %s", form);
		return true;
	}
	buf_printf(&d, "MSIS9200: The request could not be processed: %s", form);
	buf_puts(&b, "{\"error\":\"invalid_request\",\"error_description\":");
	buf_put_json_str(&b, d.p);
	buf_putc(&b, '}');
	buf_free(&d);
	reply_json(r, 400, CT_JSON, &b);
	return true;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	struct buf *b = cls;
	(void)kind;
	buf_printf(b, "%s: %s; ", key, value ? value : "");
	return MHD_YES;
}

bool leak_echo_headers(const struct request *q, struct reply *r)
{
	struct buf h = {0};
	if (!sim_cfg.echo_headers)
		return false;
	MHD_get_connection_values(q->conn, MHD_HEADER_KIND, add_header, &h);
	reply_error(r, 400, "0x80040203", "The request was not understood. Headers: %s",
	            h.p ? h.p : "");
	buf_free(&h);
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

void leak_pad_signin(const struct request *q, struct reply *r)
{
	struct buf b = {0};
	if (sim_cfg.pad_signin <= 0 || r->body.len < 3 || r->body.p[0] != '{' ||
	    r->body.p[1] == '}' ||
	    !(ends_with(q->path, "/oauth2/token") || ends_with(q->path, "/oauth2/v2.0/token") ||
	      ends_with(q->path, "/oauth2/devicecode") ||
	      ends_with(q->path, "/oauth2/v2.0/devicecode")))
		return;
	buf_puts(&b, "{\"padding\":\"");
	for (long i = 0; i < sim_cfg.pad_signin; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\",");
	buf_put(&b, r->body.p + 1, r->body.len - 1);
	buf_free(&r->body);
	r->body = b;
}
