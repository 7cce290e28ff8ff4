/* test_tally.c — the stage counts and failure causes of a running Test &
 * Enable, shared by the console's Tests header and the CLI's progress
 * line (see test_tally.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/i18n.h"
#include "core/base/mem.h"
#include "core/base/sanitize.h"
#include "core/jobs/test_tally.h"

static const struct {
	const char *stage; /* of the job's EV_STAGE */
	enum tally_bucket bucket;
} tally_stages[] = {
    {"rules", TB_RULES},         {"approval", TB_APPROVAL}, {"connectivity", TB_CONNECTIVITY},
    {"scheduled", TB_SCHEDULED}, {"waiting", TB_WAITING},   {"server", TB_WAITING},
    {"verdict", TB_DONE},
};

static const char *const tally_bucket_names[TB_COUNT] = {
    N_("rules"), N_("approval"), N_("connectivity"), N_("scheduled"), N_("waiting"), N_("done"),
};

void tally_clear(test_tally *t)
{
	for (int i = 0; i <= TALLY_CAUSES; i++) {
		free(t->causes[i].text);
		t->causes[i] = (tally_cause){NULL, 0};
	}
	t->ncauses = 0;
	memset(t->counts, 0, sizeof t->counts);
}

void tally_move(test_tally *t, signed char *bucket, const char *stage)
{
	int b = *bucket;
	for (size_t i = 0; i < sizeof tally_stages / sizeof *tally_stages; i++)
		if (strcmp(tally_stages[i].stage, stage) == 0)
			b = tally_stages[i].bucket;
	if (*bucket != TB_QUEUED)
		t->counts[*bucket]--;
	*bucket = (signed char)b;
	if (b != TB_QUEUED)
		t->counts[b]++;
}

int tally_cause_add(test_tally *t, const char *msg)
{
	char *clean = sanitize_text(msg && *msg ? _(msg) : _("no cause given"));
	size_t len = strlen(clean);
	int i;
	if (len > TALLY_CAUSE_LEN) {
		len = TALLY_CAUSE_LEN;
		while (len > 0 && ((unsigned char)clean[len] & 0xC0) == 0x80)
			len--;
		clean[len] = '\0';
	}
	for (i = 0; i < t->ncauses; i++)
		if (strcmp(t->causes[i].text, clean) == 0)
			break;
	if (i == t->ncauses && t->ncauses < TALLY_CAUSES)
		t->causes[t->ncauses++].text = clean, clean = NULL;
	else if (i == t->ncauses) {
		i = TALLY_CAUSES;
		if (!t->causes[i].text)
			t->causes[i].text = ec_strdup(_("other causes"));
	}
	free(clean);
	t->causes[i].count++;
	return i;
}

void tally_counts_line(const test_tally *t, const char *sep, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (int b = 0; b < TB_COUNT && used < size; b++)
		used += (size_t)snprintf(out + used, size - used, "%s%s %d", b ? sep : "",
		                         _(tally_bucket_names[b]), t->counts[b]);
}

int tally_causes_line(const test_tally *t, char *out, size_t size)
{
	int order[TALLY_CAUSES + 1], n = 0;
	size_t used;
	out[0] = '\0';
	for (int i = 0; i <= TALLY_CAUSES; i++)
		if (t->causes[i].count)
			order[n++] = i;
	if (!n)
		return 0;
	/* The most frequent first; a tie keeps the order the causes came in. */
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && t->causes[order[k]].count > t->causes[order[k - 1]].count;
		     k--) {
			int x = order[k];
			order[k] = order[k - 1];
			order[k - 1] = x;
		}
	used = (size_t)snprintf(out, size, "%s", _("failed:"));
	for (int i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s %d %s", i ? "," : "",
		                         t->causes[order[i]].count, t->causes[order[i]].text);
	return 1;
}
