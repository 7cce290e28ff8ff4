/* sanitize.c — terminal-safe copies of outside strings (see sanitize.h). */
#include "core/base/sanitize.h"

#include <stdio.h>
#include <string.h>

#include "core/base/mem.h"
#include "core/base/utf8.h"

/* Code points shown as "<U+XXXX>" rather than themselves: they draw
 * nothing (or, for C1, control the terminal) yet reorder text or make two
 * names look alike. Unicode's Default_Ignorable_Code_Point set, plus C1,
 * the Arabic letter mark and the line/paragraph separators. Sorted. */
static const struct cp_range {
	unsigned lo, hi;
} hidden_ranges[] = {
    {0x0080, 0x009F},   /* C1 controls, e.g. 0x9B CSI */
    {0x00AD, 0x00AD},   /* soft hyphen */
    {0x034F, 0x034F},   /* combining grapheme joiner */
    {0x061C, 0x061C},   /* Arabic letter mark */
    {0x115F, 0x1160},   /* Hangul choseong and jungseong fillers */
    {0x17B4, 0x17B5},   /* Khmer inherent vowels */
    {0x180B, 0x180F},   /* Mongolian variation selectors, vowel separator */
    {0x200B, 0x200F},   /* zero-width space and joiners, LRM, RLM */
    {0x2028, 0x202E},   /* separators, embeddings, overrides */
    {0x2060, 0x206F},   /* word joiner, invisible operators, isolates, deprecated */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xFE00, 0xFE0F},   /* variation selectors */
    {0xFEFF, 0xFEFF},   /* BOM / zero-width no-break space */
    {0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
    {0xFFF0, 0xFFFB},   /* unassigned ignorables, interlinear annotation */
    {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
    {0x1D173, 0x1D17A}, /* musical beam and phrase controls */
    {0xE0000, 0xE0FFF}, /* tag characters, variation selectors supplement */
};

bool sanitize_is_hidden(unsigned cp)
{
	size_t lo = 0, hi = sizeof hidden_ranges / sizeof *hidden_ranges;
	if (cp < 0x80)
		return false;
	while (lo < hi) { /* binary search: the ranges are sorted */
		size_t mid = (lo + hi) / 2;
		if (cp < hidden_ranges[mid].lo)
			hi = mid;
		else if (cp > hidden_ranges[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* One step of a rewrite of s (n bytes left): consumes *len bytes and either
 * writes their replacement into rep and returns its length, or returns 0 to
 * keep those bytes as they are. */
typedef size_t (*rewrite_step)(const char *s, size_t n, size_t *len, char rep[16]);

/* For the terminal: visible ASCII placeholders (see sanitize.h). */
static size_t terminal_step(const char *s, size_t n, size_t *len, char rep[16])
{
	unsigned cp;
	*len = utf8_decode(s, n, &cp);
	if (*len == 0) {
		*len = 1;
		return (size_t)snprintf(rep, 16, "\\x%02X", (unsigned char)s[0]);
	}
	if (cp < 0x20 || cp == 0x7F) {
		rep[0] = '^';
		rep[1] = cp == 0x7F ? '?' : (char)(cp + 0x40);
		return 2;
	}
	if (sanitize_is_hidden(cp))
		return (size_t)snprintf(rep, 16, "<U+%04X>", cp);
	return 0;
}

/* For JSON text: the same code points as JSON's backslash-u escapes, which
 * every parser reads back as the original string. */
static size_t json_step(const char *s, size_t n, size_t *len, char rep[16])
{
	unsigned cp;
	*len = utf8_decode(s, n, &cp);
	if (*len == 0) /* JSON is UTF-8: a stray byte can only become U+FFFD */
		*len = 1, cp = 0xFFFD;
	else if (cp != 0x7F && !sanitize_is_hidden(cp))
		return 0;
	if (cp > 0xFFFF) /* JSON spells these as a UTF-16 surrogate pair */
		return (size_t)snprintf(rep, 16, "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10),
		                        0xDC00 + ((cp - 0x10000) & 0x3FF));
	return (size_t)snprintf(rep, 16, "\\u%04x", cp);
}

/* s rewritten by step: measured first, so one exact allocation. */
static char *rewrite(const char *s, rewrite_step step)
{
	size_t n = s ? strlen(s) : 0, size = 0, o = 0, len, w;
	char rep[16], *out;
	for (size_t i = 0; i < n; i += len)
		size += (w = step(s + i, n - i, &len, rep)) ? w : len;
	out = ec_xmalloc(size + 1);
	for (size_t i = 0; i < n; i += len) {
		w = step(s + i, n - i, &len, rep);
		memcpy(out + o, w ? rep : s + i, w ? w : len);
		o += w ? w : len;
	}
	out[o] = '\0';
	return out;
}

char *sanitize_text(const char *s)
{
	return rewrite(s, terminal_step);
}

char *sanitize_json(const char *json)
{
	return rewrite(json, json_step);
}

/* json-c's spelling of the ASCII a JSON string cannot hold raw (it writes
 * '/' as is under JSON_C_TO_STRING_NOSLASHESCAPE, as the CLI asks), and
 * sanitize_json's \u007f for DEL; 0 for a byte that stays itself. */
static size_t json_ascii_step(unsigned char c, char rep[16])
{
	static const char named[][3] = {
	    ['"'] = "\\\"", ['\\'] = "\\\\", ['\b'] = "\\b", ['\f'] = "\\f",
	    ['\n'] = "\\n", ['\r'] = "\\r",  ['\t'] = "\\t"};
	if (c < sizeof named / sizeof *named && named[c][0]) {
		memcpy(rep, named[c], 2);
		return 2;
	}
	if (c < 0x20 || c == 0x7F)
		return (size_t)snprintf(rep, 16, "\\u%04x", c);
	return 0;
}

void sanitize_json_write_string(FILE *out, const char *s)
{
	size_t n = strlen(s), i = 0, start = 0, len, w;
	char rep[16];
	putc_unlocked('"', out);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') { /* the common case */
			i++;
			continue;
		}
		len = 1;
		w = c < 0x80 ? json_ascii_step(c, rep) : json_step(s + i, n - i, &len, rep);
		if (w) {
			fwrite_unlocked(s + start, 1, i - start, out);
			fwrite_unlocked(rep, 1, w, out);
			start = i + len;
		}
		i += len;
	}
	fwrite_unlocked(s + start, 1, n - start, out);
	putc_unlocked('"', out);
}

bool sanitize_is_clean(const char *s)
{
	size_t n = s ? strlen(s) : 0, len;
	char rep[16];
	for (size_t i = 0; i < n; i += len)
		if (terminal_step(s + i, n - i, &len, rep))
			return false;
	return true;
}

/* Characters a POSIX shell (and zsh, bash) takes literally anywhere in a
 * word; '=' and '~' are left out because zsh expands them at its start. */
static const char shell_plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789@%_+-:,./";

char *sanitize_quote_shell(const char *s)
{
	size_t n = s ? strlen(s) : 0, o = 0;
	char *out;
	if (n && strspn(s, shell_plain) == n)
		return ec_strdup(s);
	out = ec_xmalloc(4 * n + 3);
	out[o++] = '\'';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'') { /* close, an escaped quote, reopen */
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else {
			out[o++] = s[i];
		}
	}
	out[o++] = '\'';
	out[o] = '\0';
	return out;
}

/* ASCII terminals: typographic punctuation as its plain spelling (one table
 * drives display_fit; an en dash was a '?'). */
static const struct {
	unsigned cp;
	const char *ascii;
} ascii_punct[] = {
    {0x2013, "-"},  {0x2014, "-"},  {0x2018, "'"},   {0x2019, "'"},
    {0x201C, "\""}, {0x201D, "\""}, {0x2026, "..."}, {0x00B7, "-"},
};

/* How an ASCII terminal shows cp >= 0x80: its punctuation spelling, Č as C,
 * anything else as '?'. Writes at most 3 bytes and a NUL; returns them. */
static size_t ascii_spelling(unsigned cp, char out[4])
{
	size_t n;
	for (size_t i = 0; i < sizeof ascii_punct / sizeof ascii_punct[0]; i++)
		if (ascii_punct[i].cp == cp) {
			n = strlen(ascii_punct[i].ascii);
			memcpy(out, ascii_punct[i].ascii, n + 1);
			return n;
		}
	if ((n = utf8_ascii_base(cp, out)) == 0)
		out[0] = '?', out[1] = '\0', n = 1;
	return n;
}

/* Display columns of clean as display_fit will write it. */
static size_t fit_width(const char *clean, bool ascii)
{
	size_t n = strlen(clean), i = 0, w = 0;
	if (!ascii)
		return utf8_width(clean);
	while (i < n) {
		unsigned cp;
		char b[4];
		size_t len = utf8_decode(clean + i, n - i, &cp);
		if (len == 0)
			len = 1, cp = '?';
		w += cp >= 0x80 ? ascii_spelling(cp, b) : (size_t)utf8_cp_width(cp);
		i += len;
	}
	return w;
}

char *display_fit(const char *clean, size_t width, bool ascii, bool pad)
{
	const char *ell = ascii ? "~" : "\u2026";
	size_t n = strlen(clean), i = 0, used = 0, o = 0;
	bool cut = fit_width(clean, ascii) > width;
	size_t room = cut ? (width ? width - 1 : 0) : width;
	char *out = ec_xmalloc(3 * n + width + 8);
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(clean + i, n - i, &cp);
		char base[4];
		size_t nb = 0;
		int w;
		if (len == 0) /* not sanitized: keep going byte by byte */
			len = 1, cp = '?';
		/* ASCII terminals: – as -, … as ..., Č as C, other non-ASCII '?'. */
		if (ascii && cp >= 0x80)
			nb = ascii_spelling(cp, base);
		w = ascii && cp >= 0x80 ? (int)nb : utf8_cp_width(cp);
		if (used + (size_t)w > room)
			break;
		if (ascii && cp >= 0x80)
			memcpy(out + o, base, nb), o += nb;
		else
			memcpy(out + o, clean + i, len), o += len;
		used += (size_t)w;
		i += len;
	}
	if (cut && width) {
		strcpy(out + o, ell);
		o += strlen(ell);
		used++;
	}
	while (pad && used < width)
		out[o++] = ' ', used++;
	out[o] = '\0';
	return out;
}
