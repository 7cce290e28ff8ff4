/* trend.c — sparkline levels and glyphs (see trend.h). */
#include "core/model/trend.h"

#include <string.h>

static const char *const glyphs_utf8[TREND_LEVELS] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char *const glyphs_ascii[TREND_LEVELS] = {"_", ".", ":", "-", "=", "+", "*", "#"};

void trend_levels(const long *counts, int n, unsigned char *levels)
{
	long max = 0;
	for (int i = 0; i < n; i++)
		if (counts[i] > max)
			max = counts[i];
	for (int i = 0; i < n; i++) {
		long v = counts[i];
		/* Rounded to the nearest of levels 1..7 above zero (max is level 7). */
		long lv = v <= 0 || max == 0 ? 0 : 1 + ((v * 2 * (TREND_LEVELS - 2)) / max + 1) / 2;
		levels[i] = (unsigned char)(lv > TREND_LEVELS - 1 ? TREND_LEVELS - 1 : lv);
	}
}

void trend_sparkline(const long *counts, int n, int ascii, char *buf, size_t size)
{
	unsigned char lv[256];
	size_t used = 0;
	if (size == 0)
		return;
	buf[0] = '\0';
	if (n > (int)sizeof lv)
		counts += n - (int)sizeof lv, n = (int)sizeof lv; /* the newest */
	trend_levels(counts, n, lv);
	for (int i = 0; i < n; i++) {
		const char *g = (ascii ? glyphs_ascii : glyphs_utf8)[lv[i]];
		size_t len = strlen(g);
		if (used + len >= size)
			break;
		memcpy(buf + used, g, len + 1);
		used += len;
	}
}
