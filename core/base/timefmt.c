/* timefmt.c — ISO 8601 UTC times read back, shown as local time or as an
 * age (timefmt.h, which says which form the console shows where). Local
 * means TZ as localtime_r reads it, so a user's TZ=Europe/Ljubljana is
 * honoured and the tests pin TZ=UTC. Touches nothing but its arguments and
 * the time zone. */
#include "core/base/timefmt.h"

#include <stdio.h>

bool timefmt_parse_utc(const char *iso, time_t *out)
{
	struct tm tm = {0};
	char t = 0;
	if (!iso ||
	    sscanf(iso, "%4d-%2d-%2d%c%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &t,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 7 ||
	    (t != 'T' && t != ' '))
		return false;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return true;
}

/* The forms timefmt.h describes. */
enum timefmt_form { FORM_FULL, FORM_SHORT, FORM_CLOCK };

/* iso as local time in form; iso itself when it is not a time (a caller
 * shows what the cache holds rather than nothing). The formats stay
 * literals so the compiler checks them. */
static void timefmt_local_as(const char *iso, enum timefmt_form form, char *buf, size_t size)
{
	struct tm tm;
	time_t t;
	if (!size)
		return;
	if (!timefmt_parse_utc(iso, &t) || !localtime_r(&t, &tm) ||
	    !strftime(buf, size,
	              form == FORM_CLOCK   ? "%H:%M:%S"
	              : form == FORM_SHORT ? "%m-%d %H:%M"
	                                   : "%Y-%m-%d %H:%M:%S",
	              &tm))
		snprintf(buf, size, "%s", iso ? iso : "");
}

void timefmt_local(const char *iso, bool short_form, char *buf, size_t size)
{
	timefmt_local_as(iso, short_form ? FORM_SHORT : FORM_FULL, buf, size);
}

void timefmt_local_clock(const char *iso, char *buf, size_t size)
{
	timefmt_local_as(iso, FORM_CLOCK, buf, size);
}

void timefmt_age(long long seconds, char *buf, size_t size)
{
	static const struct {
		long long secs;
		const char *unit;
	} units[] = {{7 * 86400, "w"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
	const int n = (int)(sizeof units / sizeof units[0]);
	if (seconds < 0)
		seconds = 0;
	for (int i = 0; i < n; i++) {
		long long big = seconds / units[i].secs, rest;
		if (!big && i < n - 1)
			continue;
		rest = i < n - 1 ? seconds % units[i].secs / units[i + 1].secs : 0;
		if (rest)
			snprintf(buf, size, "%lld%s %lld%s", big, units[i].unit, rest,
			         units[i + 1].unit);
		else
			snprintf(buf, size, "%lld%s", big, units[i].unit);
		return;
	}
}
