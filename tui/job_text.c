/* job_text.c — a running job as a sentence for the status panel: what it
 * does, then how far it got, counted with ngettext: "Syncing… 120 of 900
 * mailboxes", "First sync…" (only for a cache never synced: the sync's
 * first pull is full), "Refreshing…", "Testing 3 of 17 mailboxes",
 * "Pushing 2 queued edits (saving the mailbox)". The kind is the console's
 * name for the job (tui_job.name), the label what its starter said it is
 * for, and what the noun its progress counts (the sync's entity). */
#include <stdio.h>
#include <string.h>

#include "core/base/i18n.h"
#include "tui/app.h"

/* "120 of 900 mailboxes" (or "120 mailboxes" while the total is not known)
 * for the entity a pull counts; "" when the progress says nothing yet. */
static void job_count(const tui_job *j, char *buf, size_t size)
{
	unsigned long n = (unsigned long)(j->total > 0 ? j->total : j->done);
	bool of = j->total > 0;
	long a = j->done, b = j->total;
	buf[0] = '\0';
	if (j->total <= 0 && j->done <= 0)
		return;
	if (strcmp(j->what, "mailboxes") == 0 && of)
		snprintf(buf, size, ngettext("%ld of %ld mailbox", "%ld of %ld mailboxes", n), a,
		         b);
	else if (strcmp(j->what, "mailboxes") == 0)
		snprintf(buf, size, ngettext("%ld mailbox", "%ld mailboxes", n), a);
	else if (strcmp(j->what, "profiles") == 0 && of)
		snprintf(buf, size,
		         ngettext("%ld of %ld server profile", "%ld of %ld server profiles", n), a,
		         b);
	else if (strcmp(j->what, "profiles") == 0)
		snprintf(buf, size, ngettext("%ld server profile", "%ld server profiles", n), a);
	else if (strcmp(j->what, "edits") == 0 && of) /* a sync pushing first */
		snprintf(buf, size,
		         ngettext("%ld of %ld queued edit", "%ld of %ld queued edits", n), a, b);
	else if (strcmp(j->what, "alerts") == 0 && of)
		snprintf(buf, size, ngettext("%ld of %ld alert", "%ld of %ld alerts", n), a, b);
	else if (strcmp(j->what, "alerts") == 0)
		snprintf(buf, size, ngettext("%ld alert", "%ld alerts", n), a);
	else if (of)
		snprintf(buf, size, ngettext("%ld of %ld row", "%ld of %ld rows", n), a, b);
	else
		snprintf(buf, size, ngettext("%ld row", "%ld rows", n), a);
}

/* A pull: "Syncing… 120 of 900 mailboxes"; the organization's settings
 * are one row, not counted. */
static void job_pull(const tui_job *j, const char *head, char *buf, size_t size)
{
	char count[96];
	if (strcmp(j->what, "settings") == 0)
		snprintf(count, sizeof count, "%s", _("the organization's settings"));
	else
		job_count(j, count, sizeof count);
	snprintf(buf, size, count[0] ? _("%s… %s") : "%s…", head, count);
}

static void job_push(const tui_job *j, char *buf, size_t size)
{
	int n;
	if (j->total > 0)
		n = snprintf(buf, size,
		             ngettext("Pushing %ld queued edit", "Pushing %ld queued edits",
		                      (unsigned long)j->total),
		             j->total);
	else
		n = snprintf(buf, size, "%s", _("Pushing queued edits…"));
	if (j->label[0] && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (%s)", j->label);
}

static void job_test(const tui_job *j, char *buf, size_t size)
{
	if (j->total > 0)
		snprintf(buf, size,
		         ngettext("Testing %ld of %ld mailbox", "Testing %ld of %ld mailboxes",
		                  (unsigned long)j->total),
		         j->done, j->total);
	else
		snprintf(buf, size, "%s", _("Testing mailboxes…"));
}

/* Jobs that say what they do in one phrase of their own. */
static void job_other(const tui_job *j, char *buf, size_t size)
{
	static const struct {
		const char *kind, *text;
	} phrases[] = {
	    {"signin", N_("Signing in…")},
	    {"profile test", N_("Testing the server profile…")},
	    {"drop", N_("Dropping an edit…")},
	    {"retry", N_("Trying an edit again…")},
	};
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		if (strcmp(j->name, phrases[i].kind) == 0) {
			snprintf(buf, size, "%s", _(phrases[i].text));
			return;
		}
	if (strcmp(j->name, "password") == 0)
		snprintf(buf, size, _("Setting the password of %s…"), j->label);
	else if (strcmp(j->name, "resolve") == 0)
		snprintf(buf, size, _("Resolving a conflict: %s…"), j->label);
	else
		snprintf(buf, size, "%s…", j->label[0] ? j->label : j->name);
}

void job_text(const tui_job *j, char *buf, size_t size)
{
	if (strcmp(j->name, "first sync") == 0)
		job_pull(j, _("First sync"), buf, size);
	else if (strcmp(j->name, "sync") == 0)
		job_pull(j, _("Syncing"), buf, size);
	else if (strcmp(j->name, "refresh") == 0)
		job_pull(j, _("Refreshing"), buf, size);
	else if (strcmp(j->name, "push") == 0)
		job_push(j, buf, size);
	else if (strcmp(j->name, "test") == 0)
		job_test(j, buf, size);
	else
		job_other(j, buf, size);
}
