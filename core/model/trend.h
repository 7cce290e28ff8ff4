/* trend.h — a series of counts (failing mailboxes over the last syncs) as
 * the levels of a sparkline, and the glyphs that draw them: eight block
 * heights in UTF-8, eight ASCII marks under an ASCII locale. Pure: touches
 * nothing but its arguments. */
#ifndef EMAILCFG_TREND_H
#define EMAILCFG_TREND_H

#include <stddef.h>

#define TREND_LEVELS 8

/* Levels 0..TREND_LEVELS-1 of n counts, oldest first. The scale starts at
 * zero, not at the smallest count, so 40 -> 41 failing reads as flat and a
 * series of zeros as the floor; any count above zero is at least level 1, so
 * one failing mailbox is never drawn as none. A negative count (unknown) is
 * level 0. */
void trend_levels(const long *counts, int n, unsigned char *levels);

/* The sparkline of n counts into buf (NUL-terminated, cut at whole glyphs
 * when buf is short): "▁▂▃▄▅▆▇█" glyphs, or "_.:-=+*#" when ascii. */
void trend_sparkline(const long *counts, int n, int ascii, char *buf, size_t size);

#endif
