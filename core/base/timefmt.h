/* timefmt.h — the times the cache keeps (ISO 8601 UTC, "2024-03-01T09:00:00Z")
 * read back and shown to a person: as local time, and as a compact age
 * ("3h 20m"). Pure but for the time zone (TZ, through localtime_r).
 *
 * The console shows every time as local time in one form,
 * "2024-03-01 10:00:00" (timefmt_local), never the stored UTC text: forms,
 * details, the pager and the status panel. Where a list's column is
 * narrow it shows the form to the minute ("2024-03-01 10:00", the Alerts
 * list and that alert in the pager) or the short form ("03-01 10:00",
 * Changes), its column as wide as the form is in the locale; the panel's refresh line shows the
 * time of day alone (timefmt_local_clock), since a refresh is at most one refresh interval old. No
 * form depends on today's date, so a row reads the same all day and a test's dump the same on any
 * day. What the CLI writes for a program (--json, --csv) stays ISO 8601 UTC with its Z and never
 * passes through here. */
#ifndef EMAILCFG_TIMEFMT_H
#define EMAILCFG_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* "YYYY-MM-DDTHH:MM:SS" (a fraction and a Z may follow) as Unix seconds;
 * false for anything else. */
bool timefmt_parse_utc(const char *iso, time_t *out);

/* The forms of a local time: FULL "2024-03-01 10:00:00", MINUTE
 * "2024-03-01 10:00", SHORT "03-01 10:00", CLOCK "10:00:00". These are the
 * forms under the C locale's LC_TIME; under another locale the date is
 * written as that locale writes it (sl_SI: "01. 03. 2024 10:00:00",
 * short "01. 03. 10:00"), so the tests, which pin C.UTF-8, read ISO. */
enum timefmt_form { FORM_FULL, FORM_MINUTE, FORM_SHORT, FORM_CLOCK };

/* iso as local time in form; text that is not such a time is copied as it
 * is. */
void timefmt_local_form(const char *iso, enum timefmt_form form, char *buf, size_t size);

/* A stored time as the CLI's human output shows it: the stored ISO 8601
 * UTC text under the C locale's LC_TIME (what scripts and the tests have
 * always read), else local time in the locale's order (FULL form); NULL and
 * "" stay as they are. Returns buf, or iso when it is NULL or empty. */
const char *timefmt_human(const char *iso, char *buf, size_t size);

/* The display width of form in this locale, for a list's column. */
int timefmt_form_width(enum timefmt_form form);

/* timefmt_local_form FULL, or SHORT when short_form. */
void timefmt_local(const char *iso, bool short_form, char *buf, size_t size);

/* iso's local time of day, "10:00:00"; text that is not such a time is
 * copied as it is. */
void timefmt_local_clock(const char *iso, char *buf, size_t size);

/* A duration in its two largest units: "45s", "12m", "3h 20m", "2d 5h",
 * "6w 2d"; a negative one (a clock ahead of ours) as "0s". */
void timefmt_age(long long seconds, char *buf, size_t size);

#endif
