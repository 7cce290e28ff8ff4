/* plugin_range.h — the threshold ranges of the monitoring-plugin guidelines
 * (Nagios, Icinga, Zabbix, Checkmk, Sensu): "10" alerts outside 0..10, "10:"
 * below 10, "~:10" above 10, "10:20" outside 10..20, "@10:20" inside
 * 10..20. Pure: parses and compares, touches nothing else. */
#ifndef EMAILCFG_PLUGIN_RANGE_H
#define EMAILCFG_PLUGIN_RANGE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct plugin_range {
	double start, end;
	bool start_inf, end_inf; /* "~:" and "N:" */
	bool inside;             /* "@": alert inside the range */
} plugin_range;

/* Parses text into *out; false (and *out untouched) when it is not a range.
 * With durations, each number may end in s, m, h or d and is read as
 * seconds ("15m" is 900). */
bool plugin_range_parse(const char *text, bool durations, plugin_range *out);

/* Whether value alerts against the range. */
bool plugin_range_alerts(const plugin_range *r, double value);

/* The range in the guidelines' syntax, numbers in their base unit (for
 * perfdata: "900", "@10:20", "~:5", "10:"). */
void plugin_range_format(const plugin_range *r, char *buf, size_t size);

#endif
