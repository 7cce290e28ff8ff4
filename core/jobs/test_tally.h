/* test_tally.h — what the console's Tests header and the CLI's progress
 * line both show of a running Test & Enable: how many mailboxes are at each
 * stage now (rules, approval, connectivity, scheduled, waiting, done), and
 * the failures counted by their cause. Fed by the job's EV_STAGE events;
 * the caller keeps each mailbox's bucket. */
#ifndef EMAILCFG_TEST_TALLY_H
#define EMAILCFG_TEST_TALLY_H

#include <stddef.h>

/* The stage counts: where each mailbox is now. The job's stage names map
 * to these (its "server", a finished test being judged, counts as waiting
 * until its verdict a moment later). */
enum tally_bucket {
	TB_QUEUED = -1,
	TB_RULES,
	TB_APPROVAL,
	TB_CONNECTIVITY,
	TB_SCHEDULED,
	TB_WAITING,
	TB_DONE,
	TB_COUNT
};

/* Distinct causes of the failures so far, with their counts. Bounded: past
 * TALLY_CAUSES the rest count as "other causes". */
#define TALLY_CAUSES    32
#define TALLY_CAUSE_LEN 160

typedef struct tally_cause {
	char *text; /* sanitized, at most TALLY_CAUSE_LEN bytes */
	int count;
} tally_cause;

typedef struct test_tally {
	int counts[TB_COUNT];
	tally_cause causes[TALLY_CAUSES + 1]; /* the last: "other causes" */
	int ncauses;
} test_tally;

/* Empties the counts and frees the causes. */
void tally_clear(test_tally *t);

/* A mailbox in *bucket moves to the bucket of its new stage; a stage the
 * table does not name leaves it where it was. */
void tally_move(test_tally *t, signed char *bucket, const char *stage);

/* Counts a failed verdict's cause (a cause title from data/alerts.tsv,
 * translated here, or a check's own message): sanitized, cut to
 * TALLY_CAUSE_LEN bytes on a character boundary. Returns its index in
 * t->causes. */
int tally_cause_add(test_tally *t, const char *msg);

/* "rules N  approval N  connectivity N  scheduled N  waiting N  done N",
 * translated, with sep between the stages. */
void tally_counts_line(const test_tally *t, const char *sep, char *out, size_t size);

/* "failed: N cause, N cause", the most frequent first; returns false (and
 * an empty out) when nothing failed. */
int tally_causes_line(const test_tally *t, char *out, size_t size);

#endif
