/* text.c — GUIDs, dates, percent-encoding, case folding (see text.h). */
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool guid_parse(const char *s, size_t len, struct guid *g)
{
	if (len == 38 && s[0] == '{' && s[37] == '}') {
		s++;
		len = 36;
	}
	if (len != 36)
		return false;
	int k = 0;
	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			continue;
		}
		int hi = hexval((unsigned char)s[i]);
		int lo = hexval((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		g->b[k++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return k == 16;
}

void guid_format(const struct guid *g, char out[37], bool upper)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = dig[g->b[i] >> 4];
		out[o++] = dig[g->b[i] & 15];
	}
	out[o] = '\0';
}

void guid_random(struct guid *g)
{
	random_bytes(g->b, sizeof g->b);
	g->b[6] = (uint8_t)((g->b[6] & 0x0f) | 0x40);
	g->b[8] = (uint8_t)((g->b[8] & 0x3f) | 0x80);
}

int guid_cmp(const struct guid *a, const struct guid *b)
{
	return memcmp(a->b, b->b, 16);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_parse(const char *s, size_t len, int64_t *epoch)
{
	if (len < 10 || s[4] != '-' || s[7] != '-')
		return false;
	struct tm tm = {0};
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	size_t i = 10;
	if (len > 10) {
		if (len < 16 || s[10] != 'T' || s[13] != ':')
			return false;
		int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = 0;
		if (h < 0 || h > 23 || mi < 0 || mi > 59)
			return false;
		i = 16;
		if (i < len && s[i] == ':') {
			if (len < 19 || (sec = digits(s + 17, 2)) < 0 || sec > 60)
				return false;
			i = 19;
			if (i < len && s[i] == '.') {
				i++;
				while (i < len && isdigit((unsigned char)s[i]))
					i++;
			}
		}
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = sec;
		if (i < len && s[i] == 'Z')
			i++;
		else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
			int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
			if (oh < 0 || om < 0)
				return false;
			int off = (oh * 60 + om) * 60;
			tm.tm_sec -= s[i] == '+' ? off : -off;
			i = len;
		}
	}
	if (i != len)
		return false;
	*epoch = (int64_t)timegm(&tm);
	return true;
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* The UTC calendar fields of epoch without gmtime_r(), which takes the
 * time-zone lock on every call (a page of 5,000 rows formats 20,000 dates):
 * days to a civil date by H. Hinnant's days_from_civil inverse, proleptic
 * Gregorian. false outside the years 1 to 9999, where gmtime_r() answers. */
static bool civil_from_epoch(int64_t epoch, struct tm *tm)
{
	if (epoch < -62135596800LL || epoch >= 253402300800LL)
		return false;
	int64_t days = epoch >= 0 ? epoch / 86400 : -((-epoch + 86399) / 86400);
	int64_t sod = epoch - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	tm->tm_year = (int)(yoe + era * 400 + (m <= 2)) - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->tm_hour = (int)(sod / 3600);
	tm->tm_min = (int)(sod / 60 % 60);
	tm->tm_sec = (int)(sod % 60);
	return true;
}

static void utc_fields(int64_t epoch, struct tm *tm)
{
	time_t t = (time_t)epoch;
	if (!civil_from_epoch(epoch, tm) && !gmtime_r(&t, tm))
		memset(tm, 0, sizeof *tm);
}

void date_format(int64_t epoch, char out[21])
{
	struct tm tm;
	utc_fields(epoch, &tm);
	int y = (tm.tm_year + 1900) % 10000;
	put2(out, y / 100);
	put2(out + 2, y % 100);
	out[4] = '-';
	put2(out + 5, tm.tm_mon + 1);
	out[7] = '-';
	put2(out + 8, tm.tm_mday);
	out[10] = 'T';
	put2(out + 11, tm.tm_hour);
	out[13] = ':';
	put2(out + 14, tm.tm_min);
	out[16] = ':';
	put2(out + 17, tm.tm_sec);
	out[19] = 'Z';
	out[20] = '\0';
}

/* Appends the decimal digits of v (no sign) at o; returns the end. */
static char *put_uint(char *o, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*o++ = tmp[--n];
	return o;
}

size_t date_format_display(int64_t epoch, char out[DATE_DISPLAY_SIZE])
{
	struct tm tm;
	utc_fields(epoch, &tm);
	int h = tm.tm_hour % 12;
	char *o = out;
	o = put_uint(o, (uint64_t)(tm.tm_mon + 1));
	*o++ = '/';
	o = put_uint(o, (uint64_t)tm.tm_mday);
	*o++ = '/';
	int64_t year = (int64_t)tm.tm_year + 1900;
	if (year < 0)
		*o++ = '-';
	o = put_uint(o, (uint64_t)(year < 0 ? -year : year));
	*o++ = ' ';
	o = put_uint(o, (uint64_t)(h ? h : 12));
	*o++ = ':';
	put2(o, tm.tm_min);
	o += 2;
	memcpy(o, tm.tm_hour < 12 ? " AM" : " PM", 3);
	o += 3;
	*o = '\0';
	return (size_t)(o - out);
}

char *pct_decode(const char *s, size_t len, bool plus_is_space)
{
	char *out = malloc(len + 1);
	if (!out)
		abort();
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < len ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(out);
				return NULL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

static const char HEX_UP[] = "0123456789ABCDEF";
static const char HEX_LO[] = "0123456789abcdef";

static void put_escape(struct buf *b, unsigned char c, const char *dig)
{
	char e[3] = {'%', dig[c >> 4], dig[c & 15]};
	buf_put(b, e, 3);
}

void pct_encode_outer(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>%&#+?", *p))
			put_escape(b, *p, HEX_UP);
		else
			buf_putc(b, (char)*p);
	}
}

void pct_encode_inner(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.')
			buf_putc(b, (char)*p);
		else
			put_escape(b, *p, HEX_LO);
	}
}

void pct_encode_component(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-_.~", *p))
			buf_putc(b, (char)*p);
		else
			put_escape(b, *p, HEX_UP);
	}
}

/* Decodes one UTF-8 sequence; invalid bytes come back as themselves. */
static uint32_t utf8_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t c = *p;
	int n = 0;
	if (c >= 0xf0 && c < 0xf8) {
		c &= 0x07;
		n = 3;
	} else if (c >= 0xe0) {
		c &= 0x0f;
		n = 2;
	} else if (c >= 0xc0) {
		c &= 0x1f;
		n = 1;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*pp = p + 1;
			return *p;
		}
		c = c << 6 | (p[i] & 0x3f);
	}
	*pp = p + 1 + n;
	return c;
}

static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if (c >= 0x100 && c <= 0x137)
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (c & 1) ? c + 1 : c;
	if (c >= 0x14a && c <= 0x177)
		return c | 1;
	if (c >= 0x391 && c <= 0x3a9)
		return c + 32;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	return c;
}

int fold_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	while (*p && *q) {
		if (*p < 0x80 && *q < 0x80) {
			int x = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
			int y = *q >= 'A' && *q <= 'Z' ? *q + 32 : *q;
			if (x != y)
				return x < y ? -1 : 1;
			p++;
			q++;
			continue;
		}
		uint32_t x = fold(utf8_next(&p)), y = fold(utf8_next(&q));
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (*p != 0) - (*q != 0);
}

/* Length in bytes of the prefix of s that matches needle case-insensitively,
 * or -1 when needle is not a prefix of s. */
static long fold_prefix(const char *s, const char *needle)
{
	const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)needle;
	while (*q) {
		if (!*p)
			return -1;
		if (fold(utf8_next(&p)) != fold(utf8_next(&q)))
			return -1;
	}
	return (long)(p - (const unsigned char *)s);
}

bool fold_contains(const char *hay, const char *needle)
{
	const unsigned char *p = (const unsigned char *)hay;
	for (;;) {
		if (fold_prefix((const char *)p, needle) >= 0)
			return true;
		if (!*p)
			return false;
		utf8_next(&p);
	}
}

bool fold_starts(const char *s, const char *prefix)
{
	return fold_prefix(s, prefix) >= 0;
}

bool fold_ends(const char *s, const char *suffix)
{
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		long n = fold_prefix((const char *)p, suffix);
		if (n >= 0 && p[n] == '\0')
			return true;
		if (!*p)
			return false;
		utf8_next(&p);
	}
}

void random_bytes(void *p, size_t n)
{
	unsigned char *c = p;
	while (n) {
		ssize_t got = getrandom(c, n, 0);
		if (got <= 0)
			abort();
		c += got;
		n -= (size_t)got;
	}
}

size_t number_format_display(int64_t n, char out[NUMBER_DISPLAY_SIZE])
{
	char tmp[20];
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	size_t len = (size_t)(put_uint(tmp, u) - tmp), o = 0;
	if (n < 0)
		out[o++] = '-';
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = tmp[i];
	}
	out[o] = '\0';
	return o;
}

void text_fill(char *out, size_t size, const char *tmpl, const char *value)
{
	size_t o = 0, vlen = strlen(value);
	for (const char *p = tmpl; *p && o + 1 < size; p++) {
		if (p[0] == '%' && p[1] == 's') {
			size_t n = vlen < size - 1 - o ? vlen : size - 1 - o;
			memcpy(out + o, value, n);
			o += n;
			p++;
		} else {
			out[o++] = *p;
		}
	}
	if (size)
		out[o] = '\0';
}
