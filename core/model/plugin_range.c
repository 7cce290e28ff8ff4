/* plugin_range.c — parsing and evaluating the monitoring-plugin threshold
 * ranges (plugin_range.h). Pure: no I/O, no state. */
#include "core/model/plugin_range.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Duration suffixes, in seconds: the units admins write ages in. */
static const struct {
	char suffix;
	double seconds;
} duration_units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};

/* One number of [p, end): all of it must be read, a duration suffix
 * allowed when durations. */
static bool range_read_number(const char *p, const char *end, bool durations, double *out)
{
	char buf[64], *stop;
	size_t n = (size_t)(end - p);
	double scale = 1;
	if (n == 0 || n >= sizeof buf || isspace((unsigned char)*p))
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	for (size_t i = 0; durations && i < sizeof duration_units / sizeof duration_units[0]; i++)
		if (buf[n - 1] == duration_units[i].suffix) {
			scale = duration_units[i].seconds;
			buf[--n] = '\0';
			break;
		}
	if (n == 0)
		return false;
	*out = strtod(buf, &stop);
	/* strtod also reads "nan", "inf" and hex: a threshold is a plain number. */
	if (*stop || !isfinite(*out) || strpbrk(buf, "xXnN"))
		return false;
	*out *= scale;
	return true;
}

bool plugin_range_parse(const char *text, bool durations, plugin_range *out)
{
	plugin_range r = {0};
	const char *p = text, *colon, *end;
	if (!text)
		return false;
	if (*p == '@') {
		r.inside = true;
		p++;
	}
	end = p + strlen(p);
	colon = strchr(p, ':');
	if (!colon) { /* "N": 0..N */
		if (!range_read_number(p, end, durations, &r.end))
			return false;
	} else {
		if (colon == p && colon + 1 == end) /* ":" says nothing */
			return false;
		if (colon == p + 1 && *p == '~')
			r.start_inf = true;
		/* An empty start is 0, as in the monitoring-plugins library. */
		else if (colon > p && !range_read_number(p, colon, durations, &r.start))
			return false;
		if (colon + 1 == end)
			r.end_inf = true;
		else if (!range_read_number(colon + 1, end, durations, &r.end))
			return false;
	}
	if (!r.start_inf && !r.end_inf && r.start > r.end)
		return false;
	*out = r;
	return true;
}

bool plugin_range_alerts(const plugin_range *r, double value)
{
	bool within = (r->start_inf || value >= r->start) && (r->end_inf || value <= r->end);
	return r->inside ? within : !within;
}

void plugin_range_format(const plugin_range *r, char *buf, size_t size)
{
	char start[40] = "", end[40] = "";
	if (r->start_inf)
		snprintf(start, sizeof start, "~:");
	else if (r->start != 0 || r->end_inf || r->inside)
		snprintf(start, sizeof start, "%.15g:", r->start);
	if (!r->end_inf)
		snprintf(end, sizeof end, "%.15g", r->end);
	snprintf(buf, size, "%s%s%s", r->inside ? "@" : "", start, end);
}
