/* cmd_test.c — `emailcfg test SEL...|--filter EXPR|--all`: Test & Enable
 * through core/jobs/testjob, a progress bar on stderr when it is a terminal
 * (none on a pipe or file), then each
 * mailbox's verdict with the failing checks' causes and fixes (or the JSON
 * of docs/cli.md). Exit 1 when any verdict fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/fields.h"
#include "core/codec/codec.h"
#include "core/base/i18n.h"
#include "core/base/sanitize.h"
#include "core/jobs/testjob.h"

/* ---- the progress bar ---------------------------------------------------- */

/* On a terminal, the run's progress as a bar on stderr, redrawn in place:
 * done of total, failures, and the time left from the pace so far. Not on
 * a pipe or a file, where it would be noise in a log. Every other event
 * goes on to the session's own sink, after the bar's line is cleared. */
typedef struct test_bar {
	ec_sink inner;
	bool shown;
	time_t started;
} test_bar;

#define BAR_WIDTH 24

static void bar_clear(test_bar *b)
{
	if (b->shown)
		fputs("\r\033[K", stderr);
	b->shown = false;
}

static void bar_draw(test_bar *b, const ec_event *ev)
{
	char bar[BAR_WIDTH + 1], left[48] = "";
	long fill = ev->total > 0 ? ev->done * BAR_WIDTH / ev->total : 0;
	long elapsed = (long)(time(NULL) - b->started);
	char *msg = sanitize_text(ev->message);
	for (int i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	if (ev->done > 0 && ev->done < ev->total) {
		long secs =
		    (long)((double)elapsed * (double)(ev->total - ev->done) / (double)ev->done);
		if (secs < 90)
			snprintf(left, sizeof left, _(", about %ld s left"), secs);
		else
			snprintf(left, sizeof left, _(", about %ld min left"), (secs + 59) / 60);
	}
	/* The control codes (back to the line's start, clear it) stay out of
	 * the translated text. */
	fputs("\r\033[K", stderr);
	fprintf(stderr, _("Test & Enable [%s] %ld of %ld done, %s%s"), bar, ev->done, ev->total,
	        msg, left);
	fflush(stderr);
	free(msg);
	b->shown = true;
}

static void bar_emit(void *ctx, const ec_event *ev)
{
	test_bar *b = ctx;
	if (ev->kind == EV_PROGRESS && ev->job && strcmp(ev->job, "test") == 0) {
		bar_draw(b, ev);
		return;
	}
	if (ev->kind == EV_LOG || ev->kind == EV_WAIT || ev->kind == EV_NOTICE)
		bar_clear(b);
	ec_emit(&b->inner, ev);
}

/* The bar in front of the session's sink, when stderr is a terminal and
 * -q was not given. */
static void bar_install(cli_ctx *ctx, ec_session *s, test_bar *b)
{
	memset(b, 0, sizeof *b);
	b->inner = s->sink;
	b->started = time(NULL);
	if (isatty(STDERR_FILENO) && !ctx->cfg.quiet) {
		s->sink.emit = bar_emit;
		s->sink.ctx = b;
	}
}

static int parse_long(const char *what, const char *s, long min, long max, long *out, ec_error *err)
{
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s)
		return EC_OK;
	if (!*s || *end || v < min || v > max)
		return ec_fail(err, EC_USAGE, "%s must be a number from %ld to %ld, not '%s'", what,
		               min, max, s);
	*out = v;
	return EC_OK;
}

static void print_line(const char *label, const char *text)
{
	char *clean = sanitize_text(text);
	printf("    %s%s\n", label, clean);
	free(clean);
}

/* "Name: FAIL (incoming fail, outgoing pass, act skip)", then each failed
 * check with its fix. */
static void print_result(const ec_test_result *t)
{
	char *name = sanitize_text(t->name), channels[128] = "";
	for (int i = 0; i < t->nchecks; i++) {
		const ec_check *c = &t->checks[i];
		if (strcmp(c->stage, "verdict") == 0)
			snprintf(channels + strlen(channels), sizeof channels - strlen(channels),
			         "%s%s %s", channels[0] ? ", " : "", check_word(c->channel),
			         check_word(check_status_slug(c->status)));
	}
	printf("%s: %s (%s)\n", name,
	       t->verdict == CHECK_FAIL   ? _("FAIL")
	       : t->verdict == CHECK_PASS ? check_word("pass")
	                                  : _("nothing to test"),
	       channels);
	free(name);
	for (int i = 0; i < t->nchecks; i++) {
		const ec_check *c = &t->checks[i];
		char head[160], st[64], ch[64], fix[64];
		if (c->status != CHECK_FAIL || strcmp(c->stage, "verdict") == 0)
			continue;
		snprintf(
		    head, sizeof head, "%s %s ",
		    fields_pad(st, sizeof st, check_word(c->stage), 12),
		    fields_pad(ch, sizeof ch, c->channel[0] ? check_word(c->channel) : "-", 8));
		print_line(head, c->message ? c->message : "");
		if (c->fix) {
			snprintf(fix, sizeof fix, "%*s%s ", 22, "", _("fix:"));
			print_line(fix, c->fix);
		}
	}
}

int cmd_test(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	const char *filter = NULL, *timeout = NULL, *conc = NULL, *creds = NULL;
	bool all = false, json = false;
	ec_test_opts o = {0};
	const cli_opt opts[] = {
	    {"--filter", NULL, &filter},           {"--all", &all, NULL},
	    {"--local-only", &o.local_only, NULL}, {"--no-wait", &o.no_wait, NULL},
	    {"--approve", &o.approve, NULL},       {"--json", &json, NULL},
	    {"--timeout", NULL, &timeout},         {"--concurrency", NULL, &conc},
	    {"--credentials", NULL, &creds},
	};
	char **pos;
	char(*ids)[EC_ID_SIZE] = NULL;
	int npos, n = 0, rc;
	long t = 0, c = 0;
	ec_test_result *res = NULL;
	ec_session s;
	test_bar bar;

	if ((rc = cli_parse(argc, argv, opts, 9, &pos, &npos, err)) != EC_OK)
		return rc;
	rc = parse_long("--timeout", timeout, 1, 86400, &t, err);
	if (rc == EC_OK)
		rc = parse_long("--concurrency", conc, 1, 1024, &c, err);
	o.timeout_s = t;
	o.concurrency = (int)c;
	o.credentials_file = creds;
	if (rc == EC_OK)
		rc = cli_session(ctx, &s, err);
	if (rc != EC_OK) {
		free(pos);
		return rc;
	}
	rc = cli_select_many(s.cache, pos, npos, filter, all, &ids, &n, err);
	if (rc == EC_OK) {
		int trc;
		bar_install(ctx, &s, &bar);
		trc = testjob_run(&s, ids, n, &o, &res, err);
		bar_clear(&bar);
		bool ran = trc == EC_OK || trc == EC_FAILED || trc == EC_NETWORK;
		cli_session_done(&s);
		if (ran && json) {
			json_object *arr = json_object_new_array();
			for (int i = 0; i < n; i++)
				if (res[i].id[0]) /* a mailbox the run reached */
					json_object_array_add(arr,
					                      codec_test_result_to_cli(&res[i]));
			cli_print_json(arr);
			json_object_put(arr);
		} else if (ran && !ctx->cfg.quiet) {
			for (int i = 0; i < n; i++)
				if (res[i].id[0])
					print_result(&res[i]);
		}
		rc = trc;
	} else {
		cli_session_done(&s);
	}
	testjob_results_free(res, n);
	free(ids);
	free(pos);
	return rc;
}
