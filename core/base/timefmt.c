/* timefmt.c — ISO 8601 UTC times read back, shown as local time or as an
 * age (timefmt.h, which says which form the console shows where). Local
 * means TZ as localtime_r reads it, so a user's TZ=Europe/Ljubljana is
 * honoured and the tests pin TZ=UTC. Touches nothing but its arguments and
 * the time zone. */
#include "core/base/timefmt.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "core/base/utf8.h"

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

/* Whether LC_TIME is the C locale's, where the ISO forms are the date
 * forms; any other locale writes the date in its own order (D_FMT). */
static bool timefmt_iso(void)
{
	const char *lc = setlocale(LC_TIME, NULL);
	return !lc || strcmp(lc, "C") == 0 || strcmp(lc, "POSIX") == 0 || strncmp(lc, "C.", 2) == 0;
}

/* The strftime format of form: ISO under the C locale, else the locale's
 * date (D_FMT, "%d. %m. %Y" in sl_SI) with the time of day; the short
 * form drops the year from it ("%d. %m."), as the ISO one does. */
static const char *timefmt_format(enum timefmt_form form, char *fmt, size_t size)
{
	const char *d;
	char *y;
	if (form == FORM_CLOCK)
		return "%H:%M:%S";
	if (timefmt_iso())
		return form == FORM_SHORT    ? "%m-%d %H:%M"
		       : form == FORM_MINUTE ? "%Y-%m-%d %H:%M"
		                             : "%Y-%m-%d %H:%M:%S";
	d = nl_langinfo(D_FMT);
	snprintf(fmt, size, "%s", d && *d && strlen(d) < 40 ? d : "%Y-%m-%d");
	if (form == FORM_SHORT && ((y = strstr(fmt, "%Y")) || (y = strstr(fmt, "%y")))) {
		size_t n;
		memmove(y, y + 2, strlen(y + 2) + 1);
		/* the separator the year leaves behind: "%m/%d/" "%Y-%m" */
		for (n = strlen(fmt); n > 0 && strchr(" /-,", fmt[n - 1]); n--)
			fmt[n - 1] = '\0';
		while (strchr(" /-,", fmt[0]) && fmt[0])
			memmove(fmt, fmt + 1, strlen(fmt));
	}
	snprintf(fmt + strlen(fmt), size - strlen(fmt), "%s",
	         form == FORM_FULL ? " %H:%M:%S" : " %H:%M");
	return fmt;
}

/* iso as local time in form; iso itself when it is not a time (a caller
 * shows what the cache holds rather than nothing). */
void timefmt_local_form(const char *iso, enum timefmt_form form, char *buf, size_t size)
{
	struct tm tm;
	time_t t;
	char fmt[64];
	if (!size)
		return;
		/* The format is the locale's (D_FMT) with our time of day: not a
		 * literal the compiler could check, but only %-conversions strftime
		 * knows come from there. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (!timefmt_parse_utc(iso, &t) || !localtime_r(&t, &tm) ||
	    !strftime(buf, size, timefmt_format(form, fmt, sizeof fmt), &tm))
		snprintf(buf, size, "%s", iso ? iso : "");
#pragma GCC diagnostic pop
}

void timefmt_local(const char *iso, bool short_form, char *buf, size_t size)
{
	timefmt_local_form(iso, short_form ? FORM_SHORT : FORM_FULL, buf, size);
}

void timefmt_local_clock(const char *iso, char *buf, size_t size)
{
	timefmt_local_form(iso, FORM_CLOCK, buf, size);
}

const char *timefmt_human(const char *iso, char *buf, size_t size)
{
	if (!iso || !iso[0])
		return iso;
	if (timefmt_iso())
		snprintf(buf, size, "%s", iso);
	else
		timefmt_local_form(iso, FORM_FULL, buf, size);
	return buf;
}

int timefmt_form_width(enum timefmt_form form)
{
	/* The widest day of the year in every field: December 31st, 23:59. */
	char buf[80];
	timefmt_local_form("2026-12-31T12:59:59Z", form, buf, sizeof buf);
	return (int)utf8_width(buf);
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
