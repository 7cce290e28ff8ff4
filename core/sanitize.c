/* sanitize.c — terminal-safe copies of outside strings (see sanitize.h). */
#include "core/sanitize.h"

#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "core/utf8.h"

/* Code points that are invisible yet change how text is shown. */
static bool is_format_control(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9F) ||     /* C1, e.g. 0x9B CSI */
	       cp == 0x061C ||                   /* Arabic letter mark */
	       (cp >= 0x200B && cp <= 0x200F) || /* zero-width space and joiners, LRM, RLM */
	       (cp >= 0x2060 && cp <= 0x2064) || /* word joiner, invisible operators */
	       (cp >= 0x2028 && cp <= 0x202E) || /* separators, embeddings, overrides */
	       (cp >= 0x2066 && cp <= 0x2069) || /* isolates */
	       cp == 0xFEFF;                     /* BOM / zero-width no-break */
}

/* Appends one step of s to out (NULL out only measures). Returns bytes
 * written and advances *i. */
static size_t sanitize_step(const char *s, size_t n, size_t *i, char *out)
{
	char tmp[16];
	unsigned cp;
	size_t len = utf8_decode(s + *i, n - *i, &cp), w;
	if (len == 0) {
		w = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", (unsigned char)s[*i]);
		*i += 1;
	} else if (cp < 0x20 || cp == 0x7F) {
		tmp[0] = '^';
		tmp[1] = cp == 0x7F ? '?' : (char)(cp + 0x40);
		w = 2;
		*i += len;
	} else if (is_format_control(cp)) {
		w = (size_t)snprintf(tmp, sizeof tmp, "<U+%04X>", cp);
		*i += len;
	} else {
		if (out)
			memcpy(out, s + *i, len);
		*i += len;
		return len;
	}
	if (out)
		memcpy(out, tmp, w);
	return w;
}

char *sanitize_text(const char *s)
{
	size_t n, i = 0, size = 0, o = 0;
	char *out;
	if (!s)
		return ec_strdup("");
	n = strlen(s);
	while (i < n)
		size += sanitize_step(s, n, &i, NULL);
	out = ec_xmalloc(size + 1);
	for (i = 0; i < n;)
		o += sanitize_step(s, n, &i, out + o);
	out[o] = '\0';
	return out;
}

bool sanitize_is_clean(const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0 || cp < 0x20 || cp == 0x7F || is_format_control(cp))
			return false;
		i += len;
	}
	return true;
}

char *display_fit(const char *clean, size_t width, bool ascii, bool pad)
{
	const char *ell = ascii ? "~" : "\u2026";
	size_t n = strlen(clean), i = 0, used = 0, o = 0;
	bool cut = utf8_width(clean) > width;
	size_t room = cut ? (width ? width - 1 : 0) : width;
	char *out = ec_xmalloc(n + width + 8);
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(clean + i, n - i, &cp);
		char base[3];
		size_t nb = 0;
		int w;
		if (len == 0) /* not sanitized: keep going byte by byte */
			len = 1, cp = '?';
		/* ASCII terminals: Č as C, other non-ASCII as '?'. */
		if (ascii && cp >= 0x80 && (nb = utf8_ascii_base(cp, base)) == 0)
			base[0] = '?', base[1] = '\0', nb = 1;
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
