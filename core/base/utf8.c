/* utf8.c — UTF-8 decoding, search folding and display width (see utf8.h). */
#include "core/base/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/base/mem.h"

size_t utf8_ascii_run(const char *s, size_t n)
{
	size_t i = 0;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8); /* no alignment assumed */
		if (w & 0x8080808080808080ULL)
			break;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

size_t utf8_decode(const char *str, size_t n, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c, min;
	size_t len;
	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_encode(unsigned cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Lowercase mapping for the scripts admins' names come in. Deliberately
 * locale-independent so the folded columns in the cache never depend on the
 * environment of whoever wrote them. */
static unsigned fold_cp(unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 32;
	if (c >= 0x100 && c <= 0x137 && !(c & 1))
		return c + 1;
	if (c >= 0x139 && c <= 0x148 && (c & 1))
		return c + 1;
	if (c >= 0x14A && c <= 0x177 && !(c & 1))
		return c + 1;
	if (c == 0x178)
		return 0xFF;
	if ((c == 0x179 || c == 0x17B || c == 0x17D))
		return c + 1;
	if (c == 0x110)
		return 0x111; /* Đ → đ (covered above, kept for clarity) */
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32; /* Greek */
	if (c >= 0x410 && c <= 0x42F)
		return c + 32; /* Cyrillic */
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

/* The search and sort key of a Latin letter with a diacritic: its base
 * letter(s), then 0x7F and the diacritic's rank when there is one. So č
 * sorts after every c-word and before d, as the Slovenian alphabet has it
 * (c č ć d dž đ …: caron ranks first), š after s and ž after z; and a
 * search for "č" matches only "č". Derived from the Unicode decompositions
 * of U+00C0..U+017F (ranks: caron 1, acute 2, grave 3, circumflex 4,
 * diaeresis 5, tilde 6, ring 7, cedilla 8, ogonek 9, macron 10, breve 11,
 * dot 12, stroke 13, double acute 14). */
static const struct {
	char base[3];
	unsigned char rank;
} latin_keys[0x180 - 0xC0] = {
    [0xC0 - 0xC0] = {"a", 3},   [0xC1 - 0xC0] = {"a", 2},   [0xC2 - 0xC0] = {"a", 4},
    [0xC3 - 0xC0] = {"a", 6},   [0xC4 - 0xC0] = {"a", 5},   [0xC5 - 0xC0] = {"a", 7},
    [0xC6 - 0xC0] = {"ae", 0},  [0xC7 - 0xC0] = {"c", 8},   [0xC8 - 0xC0] = {"e", 3},
    [0xC9 - 0xC0] = {"e", 2},   [0xCA - 0xC0] = {"e", 4},   [0xCB - 0xC0] = {"e", 5},
    [0xCC - 0xC0] = {"i", 3},   [0xCD - 0xC0] = {"i", 2},   [0xCE - 0xC0] = {"i", 4},
    [0xCF - 0xC0] = {"i", 5},   [0xD0 - 0xC0] = {"d", 13},  [0xD1 - 0xC0] = {"n", 6},
    [0xD2 - 0xC0] = {"o", 3},   [0xD3 - 0xC0] = {"o", 2},   [0xD4 - 0xC0] = {"o", 4},
    [0xD5 - 0xC0] = {"o", 6},   [0xD6 - 0xC0] = {"o", 5},   [0xD8 - 0xC0] = {"o", 13},
    [0xD9 - 0xC0] = {"u", 3},   [0xDA - 0xC0] = {"u", 2},   [0xDB - 0xC0] = {"u", 4},
    [0xDC - 0xC0] = {"u", 5},   [0xDD - 0xC0] = {"y", 2},   [0xDE - 0xC0] = {"th", 0},
    [0xDF - 0xC0] = {"ss", 0},  [0xE0 - 0xC0] = {"a", 3},   [0xE1 - 0xC0] = {"a", 2},
    [0xE2 - 0xC0] = {"a", 4},   [0xE3 - 0xC0] = {"a", 6},   [0xE4 - 0xC0] = {"a", 5},
    [0xE5 - 0xC0] = {"a", 7},   [0xE6 - 0xC0] = {"ae", 0},  [0xE7 - 0xC0] = {"c", 8},
    [0xE8 - 0xC0] = {"e", 3},   [0xE9 - 0xC0] = {"e", 2},   [0xEA - 0xC0] = {"e", 4},
    [0xEB - 0xC0] = {"e", 5},   [0xEC - 0xC0] = {"i", 3},   [0xED - 0xC0] = {"i", 2},
    [0xEE - 0xC0] = {"i", 4},   [0xEF - 0xC0] = {"i", 5},   [0xF0 - 0xC0] = {"d", 13},
    [0xF1 - 0xC0] = {"n", 6},   [0xF2 - 0xC0] = {"o", 3},   [0xF3 - 0xC0] = {"o", 2},
    [0xF4 - 0xC0] = {"o", 4},   [0xF5 - 0xC0] = {"o", 6},   [0xF6 - 0xC0] = {"o", 5},
    [0xF8 - 0xC0] = {"o", 13},  [0xF9 - 0xC0] = {"u", 3},   [0xFA - 0xC0] = {"u", 2},
    [0xFB - 0xC0] = {"u", 4},   [0xFC - 0xC0] = {"u", 5},   [0xFD - 0xC0] = {"y", 2},
    [0xFE - 0xC0] = {"th", 0},  [0xFF - 0xC0] = {"y", 5},   [0x100 - 0xC0] = {"a", 10},
    [0x101 - 0xC0] = {"a", 10}, [0x102 - 0xC0] = {"a", 11}, [0x103 - 0xC0] = {"a", 11},
    [0x104 - 0xC0] = {"a", 9},  [0x105 - 0xC0] = {"a", 9},  [0x106 - 0xC0] = {"c", 2},
    [0x107 - 0xC0] = {"c", 2},  [0x108 - 0xC0] = {"c", 4},  [0x109 - 0xC0] = {"c", 4},
    [0x10A - 0xC0] = {"c", 12}, [0x10B - 0xC0] = {"c", 12}, [0x10C - 0xC0] = {"c", 1},
    [0x10D - 0xC0] = {"c", 1},  [0x10E - 0xC0] = {"d", 1},  [0x10F - 0xC0] = {"d", 1},
    [0x110 - 0xC0] = {"d", 13}, [0x111 - 0xC0] = {"d", 13}, [0x112 - 0xC0] = {"e", 10},
    [0x113 - 0xC0] = {"e", 10}, [0x114 - 0xC0] = {"e", 11}, [0x115 - 0xC0] = {"e", 11},
    [0x116 - 0xC0] = {"e", 12}, [0x117 - 0xC0] = {"e", 12}, [0x118 - 0xC0] = {"e", 9},
    [0x119 - 0xC0] = {"e", 9},  [0x11A - 0xC0] = {"e", 1},  [0x11B - 0xC0] = {"e", 1},
    [0x11C - 0xC0] = {"g", 4},  [0x11D - 0xC0] = {"g", 4},  [0x11E - 0xC0] = {"g", 11},
    [0x11F - 0xC0] = {"g", 11}, [0x120 - 0xC0] = {"g", 12}, [0x121 - 0xC0] = {"g", 12},
    [0x122 - 0xC0] = {"g", 8},  [0x123 - 0xC0] = {"g", 8},  [0x124 - 0xC0] = {"h", 4},
    [0x125 - 0xC0] = {"h", 4},  [0x126 - 0xC0] = {"h", 13}, [0x127 - 0xC0] = {"h", 13},
    [0x128 - 0xC0] = {"i", 6},  [0x129 - 0xC0] = {"i", 6},  [0x12A - 0xC0] = {"i", 10},
    [0x12B - 0xC0] = {"i", 10}, [0x12C - 0xC0] = {"i", 11}, [0x12D - 0xC0] = {"i", 11},
    [0x12E - 0xC0] = {"i", 9},  [0x12F - 0xC0] = {"i", 9},  [0x131 - 0xC0] = {"i", 13},
    [0x132 - 0xC0] = {"ij", 0}, [0x133 - 0xC0] = {"ij", 0}, [0x134 - 0xC0] = {"j", 4},
    [0x135 - 0xC0] = {"j", 4},  [0x136 - 0xC0] = {"k", 8},  [0x137 - 0xC0] = {"k", 8},
    [0x138 - 0xC0] = {"k", 0},  [0x139 - 0xC0] = {"l", 2},  [0x13A - 0xC0] = {"l", 2},
    [0x13B - 0xC0] = {"l", 8},  [0x13C - 0xC0] = {"l", 8},  [0x13D - 0xC0] = {"l", 1},
    [0x13E - 0xC0] = {"l", 1},  [0x13F - 0xC0] = {"l", 12}, [0x140 - 0xC0] = {"l", 12},
    [0x141 - 0xC0] = {"l", 13}, [0x142 - 0xC0] = {"l", 13}, [0x143 - 0xC0] = {"n", 2},
    [0x144 - 0xC0] = {"n", 2},  [0x145 - 0xC0] = {"n", 8},  [0x146 - 0xC0] = {"n", 8},
    [0x147 - 0xC0] = {"n", 1},  [0x148 - 0xC0] = {"n", 1},  [0x149 - 0xC0] = {"n", 2},
    [0x14A - 0xC0] = {"n", 0},  [0x14B - 0xC0] = {"n", 0},  [0x14C - 0xC0] = {"o", 10},
    [0x14D - 0xC0] = {"o", 10}, [0x14E - 0xC0] = {"o", 11}, [0x14F - 0xC0] = {"o", 11},
    [0x150 - 0xC0] = {"o", 14}, [0x151 - 0xC0] = {"o", 14}, [0x152 - 0xC0] = {"oe", 0},
    [0x153 - 0xC0] = {"oe", 0}, [0x154 - 0xC0] = {"r", 2},  [0x155 - 0xC0] = {"r", 2},
    [0x156 - 0xC0] = {"r", 8},  [0x157 - 0xC0] = {"r", 8},  [0x158 - 0xC0] = {"r", 1},
    [0x159 - 0xC0] = {"r", 1},  [0x15A - 0xC0] = {"s", 2},  [0x15B - 0xC0] = {"s", 2},
    [0x15C - 0xC0] = {"s", 4},  [0x15D - 0xC0] = {"s", 4},  [0x15E - 0xC0] = {"s", 8},
    [0x15F - 0xC0] = {"s", 8},  [0x160 - 0xC0] = {"s", 1},  [0x161 - 0xC0] = {"s", 1},
    [0x162 - 0xC0] = {"t", 8},  [0x163 - 0xC0] = {"t", 8},  [0x164 - 0xC0] = {"t", 1},
    [0x165 - 0xC0] = {"t", 1},  [0x168 - 0xC0] = {"u", 6},  [0x169 - 0xC0] = {"u", 6},
    [0x16A - 0xC0] = {"u", 10}, [0x16B - 0xC0] = {"u", 10}, [0x16C - 0xC0] = {"u", 11},
    [0x16D - 0xC0] = {"u", 11}, [0x16E - 0xC0] = {"u", 7},  [0x16F - 0xC0] = {"u", 7},
    [0x170 - 0xC0] = {"u", 14}, [0x171 - 0xC0] = {"u", 14}, [0x172 - 0xC0] = {"u", 9},
    [0x173 - 0xC0] = {"u", 9},  [0x174 - 0xC0] = {"w", 4},  [0x175 - 0xC0] = {"w", 4},
    [0x176 - 0xC0] = {"y", 4},  [0x177 - 0xC0] = {"y", 4},  [0x178 - 0xC0] = {"y", 5},
    [0x179 - 0xC0] = {"z", 2},  [0x17A - 0xC0] = {"z", 2},  [0x17B - 0xC0] = {"z", 12},
    [0x17C - 0xC0] = {"z", 12}, [0x17D - 0xC0] = {"z", 1},  [0x17E - 0xC0] = {"z", 1},
    [0x17F - 0xC0] = {"s", 0},
};

size_t utf8_ascii_base(unsigned cp, char out[3])
{
	const char *b;
	size_t n = 0;
	if (cp < 0xC0 || cp >= 0x180 || !latin_keys[cp - 0xC0].base[0])
		return 0;
	/* Uppercase stays uppercase: Č shows as C, č as c. */
	for (b = latin_keys[cp - 0xC0].base; *b && n < 2; b++)
		out[n++] = fold_cp(cp) != cp ? (char)(*b - 32) : *b;
	out[n] = '\0';
	return n;
}

static size_t fold_append(unsigned cp, char *out)
{
	unsigned lower = fold_cp(cp);
	size_t n = 0;
	if (lower >= 0xC0 && lower < 0x180 && latin_keys[lower - 0xC0].base[0]) {
		for (const char *b = latin_keys[lower - 0xC0].base; *b; b++)
			out[n++] = *b;
		if (latin_keys[lower - 0xC0].rank) {
			out[n++] = 0x7F;
			out[n++] = (char)latin_keys[lower - 0xC0].rank;
		}
		return n;
	}
	return utf8_encode(lower, out);
}

char *utf8_fold(const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0, o = 0;
	char *out = ec_xmalloc(n * 4 + 1);
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			out[o++] = s[i++];
			continue;
		}
		o += fold_append(cp, out + o);
		i += len;
	}
	out[o] = '\0';
	return out;
}

/* East Asian wide and emoji ranges, for when wcwidth() cannot tell (the
 * locale is not UTF-8). */
static const unsigned wide_ranges[][2] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

int utf8_cp_width(unsigned cp)
{
	int w;
	if (cp == 0)
		return 0;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	if ((cp >= 0x300 && cp <= 0x36F) || cp == 0x200B || (cp >= 0x200C && cp <= 0x200F))
		return 0;
	for (size_t i = 0; i < sizeof wide_ranges / sizeof wide_ranges[0]; i++)
		if (cp >= wide_ranges[i][0] && cp <= wide_ranges[i][1])
			return 2;
	return 1;
}

size_t utf8_width(const char *s)
{
	size_t n = strlen(s), i = 0, w = 0;
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)utf8_cp_width(cp);
		i += len;
	}
	return w;
}
