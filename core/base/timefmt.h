/* timefmt.h — the times the cache keeps (ISO 8601 UTC, "2024-03-01T09:00:00Z")
 * read back and shown to a person: as local time, and as a compact age
 * ("3h 20m"). Pure but for the time zone (TZ, through localtime_r). */
#ifndef EMAILCFG_TIMEFMT_H
#define EMAILCFG_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* "YYYY-MM-DDTHH:MM:SS" (a fraction and a Z may follow) as Unix seconds;
 * false for anything else. */
bool timefmt_parse_utc(const char *iso, time_t *out);

/* iso as local time "2024-03-01 10:00:00" (short: "03-01 10:00"); text
 * that is not such a time is copied as it is. */
void timefmt_local(const char *iso, bool short_form, char *buf, size_t size);

/* A duration in its two largest units: "45s", "12m", "3h 20m", "2d 5h",
 * "6w 2d"; a negative one (a clock ahead of ours) as "0s". */
void timefmt_age(long long seconds, char *buf, size_t size);

#endif
