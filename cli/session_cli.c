/* session_cli.c — what the network commands share: opening a core session
 * with a sink that prints progress on a terminal, waits and -v lines to
 * stderr; and turning SEL.../--filter/--all into mailbox ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/base/hash_index.h"
#include "core/base/sanitize.h"

typedef struct cli_sink_state {
	bool tty, quiet, progress_shown;
} cli_sink_state;

static cli_sink_state sink_state;

static void clear_progress(void)
{
	if (sink_state.progress_shown) {
		fputs("\r\033[K", stderr);
		sink_state.progress_shown = false;
	}
}

static void cli_emit(void *ctx, const ec_event *ev)
{
	cli_sink_state *st = ctx;
	char *msg = sanitize_text(ev->message);
	switch (ev->kind) {
	case EV_PROGRESS:
		if (st->tty && !st->quiet) {
			if (ev->total > 0)
				fprintf(stderr, "\r\033[K%s: %ld/%ld %s", ev->job, ev->done,
				        ev->total, msg);
			else
				fprintf(stderr, "\r\033[K%s: %ld %s", ev->job, ev->done, msg);
			st->progress_shown = true;
		}
		break;
	case EV_WAIT:
	case EV_NOTICE:
		if (!st->quiet) {
			clear_progress();
			fprintf(stderr, "emailcfg: %s\n", msg);
		}
		break;
	case EV_LOG:
		clear_progress();
		fprintf(stderr, "emailcfg: %s\n", msg);
		break;
	case EV_CHANGED:
	case EV_STAGE:
	case EV_DONE:
	case EV_LINK: break;
	}
	fflush(stderr);
	free(msg);
}

int cli_session(cli_ctx *ctx, ec_session *s, ec_error *err)
{
	ec_sink sink = {cli_emit, &sink_state, ctx->cancel};
	sink_state.tty = isatty(STDERR_FILENO);
	sink_state.quiet = ctx->cfg.quiet;
	return session_open(&ctx->cfg, &sink, s, err);
}

void cli_session_done(ec_session *s)
{
	clear_progress();
	session_close(s);
}

/* The ids collected so far, with a hash set of their indexes beside them:
 * a linear search per id made collecting 100,000 ids quadratic (13.8 s). */
typedef struct id_list {
	char (*ids)[EC_ID_SIZE];
	int n, cap;
	hash_index set;
} id_list;

static size_t id_hash_of(const void *array, int i)
{
	return hash_index_text(HASH_INDEX_SEED, ((const char(*)[EC_ID_SIZE])array)[i]);
}

static bool id_equal(const void *array, int i, const void *key)
{
	return strcmp(((const char(*)[EC_ID_SIZE])array)[i], key) == 0;
}

static const hash_index_ops id_ops = {id_hash_of, id_equal};

/* Adds id to the list unless it is there already. */
static void add_id(id_list *l, const char *id)
{
	if (hash_index_find(&l->set, l->ids, l->n, &id_ops, hash_index_text(HASH_INDEX_SEED, id),
	                    id) >= 0)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->ids = ec_xrealloc(l->ids, sizeof *l->ids * (unsigned long)l->cap);
	}
	snprintf(l->ids[l->n], EC_ID_SIZE, "%s", id);
	hash_index_add(&l->set, l->n++);
}

int cli_select_many(ec_cache *cache, char *const *sels, int nsel, const char *filter, bool all,
                    char (**ids)[EC_ID_SIZE], int *n, ec_error *err)
{
	id_list l = {0};
	int rc = EC_OK;
	*ids = NULL;
	*n = 0;
	if (!nsel && !filter && !all)
		return ec_fail(err, EC_USAGE,
		               "which mailboxes? give SEL..., --filter EXPR or --all");
	for (int i = 0; rc == EC_OK && i < nsel; i++) {
		char(*found)[EC_ID_SIZE] = NULL;
		int nf = 0;
		rc = cache_select_mailboxes(cache, sels[i], &found, &nf, err);
		if (rc == EC_OK && nf > 1)
			rc = ec_fail(err, EC_USAGE,
			             "'%s' matches %d mailboxes; use their ids or "
			             "--filter",
			             sels[i], nf);
		if (rc == EC_OK)
			add_id(&l, found[0]);
		free(found);
	}
	if (rc == EC_OK && (filter || all)) {
		char(*found)[EC_ID_SIZE] = NULL;
		long nf = 0;
		rc = cache_list_mailbox_ids(cache, all ? NULL : filter, NULL, &found, &nf, err);
		for (long i = 0; rc == EC_OK && i < nf; i++)
			add_id(&l, found[i]);
		free(found);
		if (rc == EC_OK && nf == 0 && !nsel)
			rc = ec_fail(err, EC_USAGE, "no mailbox matches the filter '%s'",
			             filter ? filter : "");
	}
	hash_index_free(&l.set);
	if (rc != EC_OK) {
		free(l.ids);
		return rc;
	}
	*ids = l.ids;
	*n = l.n;
	return rc;
}
