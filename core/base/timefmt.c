/* timefmt.c — ISO 8601 UTC times read back, shown as local time or as an
 * age (timefmt.h). Touches nothing but its arguments and the time zone. */
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

void timefmt_local(const char *iso, bool short_form, char *buf, size_t size)
{
	struct tm tm;
	time_t t;
	if (!size)
		return;
	if (!timefmt_parse_utc(iso, &t) || !localtime_r(&t, &tm) ||
	    !strftime(buf, size, short_form ? "%m-%d %H:%M" : "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "%s", iso ? iso : "");
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
