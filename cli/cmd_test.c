/* cmd_test.c — `emailcfg test SEL...|--filter EXPR|--all`: Test & Enable
 * through core/jobs/testjob, a progress line on stderr when it is a terminal
 * (none on a pipe or file) with the console's stage counts and causes, then
 * each mailbox's verdict with the failing checks' causes and fixes (or the
 * JSON of docs/cli.md). Exit 1 when any verdict fails; Ctrl-C (or SIGTERM)
 * stops the run, prints the verdicts reached and the mailboxes not judged,
 * and exits 130 (143). */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/fields.h"
#include "core/codec/codec.h"
#include "core/base/hash_index.h"
#include "core/base/i18n.h"
#include "core/base/mem.h"
#include "core/base/sanitize.h"
#include "core/base/utf8.h"
#include "core/jobs/test_tally.h"
#include "core/jobs/testjob.h"

/* ---- the progress line ---------------------------------------------------- */

/* On a terminal, the run's progress as one line on stderr, redrawn in
 * place: what the console's Tests header shows (done of total, failures,
 * the time left from the pace so far, the mailboxes at each stage, the
 * failures by cause; core/jobs/test_tally), as much of it as fits the
 * terminal's width. Not on a pipe or a file, where it would be noise in a
 * log. Every other event goes on to the session's own sink, after the
 * line is cleared. */
typedef struct test_bar {
	ec_sink inner;
	bool shown;
	time_t started;
	long drawn_ms; /* when the line was last drawn (stage events are many) */
	test_tally tally;
	char (*ids)[EC_ID_SIZE];
	int n;
	signed char *bucket; /* each mailbox's, by its index in ids */
	hash_index set;      /* ids by value: an event finds its mailbox */
} test_bar;

#define BAR_WIDTH  10
#define BAR_CAUSES 30 /* columns kept for the causes when there are some */

static size_t bar_id_hash(const void *array, int i)
{
	return hash_index_text(HASH_INDEX_SEED, ((const char(*)[EC_ID_SIZE])array)[i]);
}

static bool bar_id_equal(const void *array, int i, const void *key)
{
	return strcmp(((const char(*)[EC_ID_SIZE])array)[i], key) == 0;
}

static const hash_index_ops bar_id_ops = {bar_id_hash, bar_id_equal};

static long bar_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* The terminal's width: stderr's, else $COLUMNS, else 80. */
static int bar_columns(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && atoi(env) > 0)
		return atoi(env);
	return 80;
}

/* The display columns of s, and where a cut at cols columns falls. */
static int bar_cut(const char *s, int cols, size_t *at)
{
	size_t len = strlen(s), i = 0;
	int w = 0;
	while (i < len) {
		unsigned cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		int cw = k ? utf8_cp_width(cp) : 1;
		if (w + cw > cols)
			break;
		w += cw;
		i += k ? k : 1;
	}
	*at = i;
	return i < len ? -1 : w;
}

static void bar_clear(test_bar *b)
{
	if (b->shown)
		fputs("\r\033[K", stderr);
	b->shown = false;
}

/* The line, with the graphic bar and every stage when they fit, else
 * without the bar, else only the stages that hold mailboxes; the causes
 * come last and are cut at the width. */
static void bar_draw(test_bar *b)
{
	char graph[BAR_WIDTH + 4] = "", head[160], left[48] = "", counts[400], causes[1200];
	char line[2048];
	long done = b->tally.counts[TB_DONE], failed = 0, total = b->n;
	long elapsed = (long)(time(NULL) - b->started);
	int cols = bar_columns() - 1; /* the last column would wrap on some terminals */
	size_t at = 0;
	bool fits = false;
	for (int i = 0; i <= TALLY_CAUSES; i++)
		failed += b->tally.causes[i].count;
	if (done > 0 && done < total) {
		long secs = (long)((double)elapsed * (double)(total - done) / (double)done);
		if (secs < 90)
			snprintf(left, sizeof left, _(", about %ld s left"), secs);
		else
			snprintf(left, sizeof left, _(", about %ld min left"), (secs + 59) / 60);
	}
	tally_causes_line(&b->tally, causes, sizeof causes);
	for (int variant = 0; variant < 3; variant++) {
		if (variant == 0) {
			long fill = total > 0 ? done * BAR_WIDTH / total : 0;
			char *p = graph;
			*p++ = ' ';
			*p++ = '[';
			for (int i = 0; i < BAR_WIDTH; i++)
				*p++ = i < fill ? '#' : '.';
			*p++ = ']';
			*p = '\0';
		}
		snprintf(head, sizeof head, _("Test & Enable%s: %ld of %ld done, %ld failed%s"),
		         variant == 0 ? graph : "", done, total, failed, left);
		if (variant < 2) {
			tally_counts_line(&b->tally, "  ", counts, sizeof counts);
		} else { /* only the stages that hold mailboxes */
			char part[400];
			size_t used = 0;
			counts[0] = '\0';
			tally_counts_line(&b->tally, "\t", part, sizeof part);
			for (char *sv, *tok = strtok_r(part, "\t", &sv); tok;
			     tok = strtok_r(NULL, "\t", &sv))
				if (strcmp(strrchr(tok, ' '), " 0") != 0 && used < sizeof counts)
					used +=
					    (size_t)snprintf(counts + used, sizeof counts - used,
					                     "%s%s", used ? "  " : "", tok);
		}
		/* Fits when the stages do with some of the causes after them. */
		snprintf(line, sizeof line, "%s | %s", head, counts);
		fits = bar_cut(line, causes[0] ? cols - BAR_CAUSES : cols, &at) >= 0;
		snprintf(line, sizeof line, "%s | %s%s%s", head, counts, causes[0] ? " | " : "",
		         causes);
		if (fits)
			break;
	}
	bar_cut(line, cols, &at);
	line[at] = '\0';
	/* The control codes (back to the line's start, clear it) stay out of
	 * the translated text. */
	fputs("\r\033[K", stderr);
	fputs(line, stderr);
	fflush(stderr);
	b->shown = true;
	b->drawn_ms = bar_now_ms();
}

static void bar_stage(test_bar *b, const ec_event *ev)
{
	int i;
	if (!ev->subject || !ev->stage)
		return;
	i = hash_index_find(&b->set, b->ids, b->n, &bar_id_ops,
	                    hash_index_text(HASH_INDEX_SEED, ev->subject), ev->subject);
	if (i < 0 || b->bucket[i] == TB_DONE)
		return;
	tally_move(&b->tally, &b->bucket[i], ev->stage);
	if (strcmp(ev->stage, "verdict") == 0 && ev->status == CHECK_FAIL)
		tally_cause_add(&b->tally, ev->message);
}

static void bar_emit(void *ctx, const ec_event *ev)
{
	test_bar *b = ctx;
	if (ev->kind == EV_STAGE && ev->job && strcmp(ev->job, "test") == 0) {
		bar_stage(b, ev);
		if (bar_now_ms() - b->drawn_ms >= 100)
			bar_draw(b);
	} else if (ev->kind == EV_PROGRESS && ev->job && strcmp(ev->job, "test") == 0) {
		bar_draw(b);
		return;
	}
	if (ev->kind == EV_LOG || ev->kind == EV_WAIT || ev->kind == EV_NOTICE)
		bar_clear(b);
	ec_emit(&b->inner, ev);
}

/* The line in front of the session's sink, when stderr is a terminal and
 * -q was not given. */
static void bar_install(cli_ctx *ctx, ec_session *s, test_bar *b, char (*ids)[EC_ID_SIZE], int n)
{
	memset(b, 0, sizeof *b);
	b->inner = s->sink;
	b->started = time(NULL);
	if (!isatty(STDERR_FILENO) || ctx->cfg.quiet)
		return;
	b->ids = ids;
	b->n = n;
	b->bucket = ec_xcalloc((unsigned long)n + 1, 1);
	for (int i = 0; i < n; i++) {
		b->bucket[i] = TB_QUEUED;
		if (hash_index_find(&b->set, ids, i, &bar_id_ops,
		                    hash_index_text(HASH_INDEX_SEED, ids[i]), ids[i]) < 0)
			hash_index_add(&b->set, i);
	}
	s->sink.emit = bar_emit;
	s->sink.ctx = b;
}

static void bar_free(test_bar *b)
{
	bar_clear(b);
	tally_clear(&b->tally);
	hash_index_free(&b->set);
	free(b->bucket);
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

/* ---- stopping ------------------------------------------------------------ */

/* The first SIGINT (Ctrl-C) or SIGTERM stops the run as the console's x
 * does: the job sees its cancel flag, every verdict reached is already
 * stored, and they are printed with the mailboxes not judged. A second one
 * ends the process at once, by the signal's default action. The handler
 * only sets flags (atomic_int is lock-free here, so this is
 * async-signal-safe). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the cancel flag must be lock-free");

static atomic_int test_cancel;
static volatile sig_atomic_t test_signal; /* the signal that stopped the run, or 0 */

static void test_on_signal(int sig)
{
	if (test_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	test_signal = sig;
	atomic_store(&test_cancel, 1);
}

static void stop_install(struct sigaction *old_int, struct sigaction *old_term)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = test_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	atomic_store(&test_cancel, 0);
	test_signal = 0;
	/* A signal ignored when we started (a background job of a script) stays
	 * ignored, as the shell meant. */
	sigaction(SIGINT, NULL, old_int);
	sigaction(SIGTERM, NULL, old_term);
	if (old_int->sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	if (old_term->sa_handler != SIG_IGN)
		sigaction(SIGTERM, &sa, NULL);
}

static void stop_remove(const struct sigaction *old_int, const struct sigaction *old_term)
{
	sigaction(SIGINT, old_int, NULL);
	sigaction(SIGTERM, old_term, NULL);
}

/* A mailbox the run reached but did not judge: its name from the run, else
 * from the cache; "not judged" in the text, "not_judged" in the JSON. */
static char *unjudged_name(ec_session *s, const ec_test_result *t, const char *id)
{
	ec_mailbox m;
	char *name;
	if (t->name)
		return ec_strdup(t->name);
	mailbox_init(&m);
	name =
	    ec_strdup(cache_get_mailbox(s->cache, id, &m, NULL) == EC_OK && m.name ? m.name : id);
	mailbox_free(&m);
	return name;
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
	char **unjudged = NULL; /* names of the mailboxes a stopped run did not judge */
	int npos, n = 0, rc, nunjudged = 0;
	long t = 0, c = 0;
	ec_test_result *res = NULL;
	ec_session s;
	test_bar bar;
	struct sigaction old_int, old_term;

	if ((rc = cli_parse(argc, argv, opts, 9, &pos, &npos, err)) != EC_OK)
		return rc;
	rc = parse_long("--timeout", timeout, 1, 86400, &t, err);
	if (rc == EC_OK)
		rc = parse_long("--concurrency", conc, 1, 1024, &c, err);
	o.timeout_s = t;
	o.concurrency = (int)c;
	o.credentials_file = creds;
	ctx->cancel = &test_cancel; /* the session's sink carries it to the job */
	if (rc == EC_OK)
		rc = cli_session(ctx, &s, err);
	if (rc != EC_OK) {
		free(pos);
		return rc;
	}
	rc = cli_select_many(s.cache, pos, npos, filter, all, &ids, &n, err);
	if (rc == EC_OK) {
		int trc;
		bool ran, stopped;
		bar_install(ctx, &s, &bar, ids, n);
		stop_install(&old_int, &old_term);
		trc = testjob_run(&s, ids, n, &o, &res, err);
		stopped = test_signal != 0;
		bar_free(&bar);
		ran = trc == EC_OK || trc == EC_FAILED || trc == EC_NETWORK;
		if (ran && stopped) {
			unjudged = ec_xcalloc((unsigned long)n + 1, sizeof *unjudged);
			for (int i = 0; i < n; i++)
				if (!res[i].finished_on[0])
					unjudged[i] = unjudged_name(&s, &res[i], ids[i]),
					nunjudged++;
		}
		cli_session_done(&s);
		if (ran && json) {
			json_object *arr = json_object_new_array();
			for (int i = 0; i < n; i++)
				if (res[i].finished_on[0]) /* a mailbox the run judged */
					json_object_array_add(arr,
					                      codec_test_result_to_cli(&res[i]));
			for (int i = 0; unjudged && i < n; i++)
				if (unjudged[i]) {
					ec_test_result u = {0};
					json_object *o1;
					snprintf(u.id, sizeof u.id, "%s", ids[i]);
					u.name = unjudged[i];
					o1 = codec_test_result_to_cli(&u);
					json_object_object_add(
					    o1, "verdict", json_object_new_string("not_judged"));
					json_object_array_add(arr, o1);
				}
			cli_print_json(arr);
			json_object_put(arr);
		} else if (ran && !ctx->cfg.quiet) {
			for (int i = 0; i < n; i++)
				if (res[i].finished_on[0])
					print_result(&res[i]);
			for (int i = 0; unjudged && i < n; i++)
				if (unjudged[i]) {
					char *name = sanitize_text(unjudged[i]);
					printf("%s: %s\n", name, _("not judged"));
					free(name);
				}
		}
		rc = trc;
		/* Stopped: one line says so (it replaces the job's own), and the
		 * status is the shell's for the signal (130 for Ctrl-C, 143 for
		 * SIGTERM), whatever the verdicts reached were. */
		if (ran && stopped) {
			ec_fail(
			    err, EC_FAILED,
			    ngettext("Test & Enable stopped by %s: %d of %d mailbox not judged "
			             "(the verdicts reached are stored); run the test again for "
			             "them",
			             "Test & Enable stopped by %s: %d of %d mailboxes not judged "
			             "(the verdicts reached are stored); run the test again for "
			             "them",
			             (unsigned long)n),
			    test_signal == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM", nunjudged, n);
			rc = 128 + test_signal;
		}
		stop_remove(&old_int, &old_term);
	} else {
		cli_session_done(&s);
	}
	for (int i = 0; unjudged && i < n; i++)
		free(unjudged[i]);
	free(unjudged);
	testjob_results_free(res, n);
	free(ids);
	free(pos);
	ctx->cancel = NULL;
	return rc;
}
