/* utf8.c — UTF-8 decoding, search folding and display width (see utf8.h). */
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/model.h"

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

char *utf8_fold(const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0, o = 0;
	char *out = ec_xmalloc(n * 2 + 1);
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			out[o++] = s[i++];
			continue;
		}
		o += utf8_encode(fold_cp(cp), out + o);
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
