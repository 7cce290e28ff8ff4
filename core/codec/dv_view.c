/* dv_view.c — a row's text read into a flat list of its members (see
 * dv_row.h): one walk over the bytes, strings left undecoded until asked
 * (dv_row.c decodes them). Refuses whatever json-c might read otherwise, so
 * that row goes to json-c. Touches only the view it is given. */
#include "core/codec/dv_row.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/base/utf8.h"

/* A key's slot in the view's lookup table, from its length and its first
 * and last 8 bytes: the keys of a row differ there (a column and its
 * annotations differ in length and end), and hashing every byte of 70 keys
 * of 40 bytes a row costs more than the odd collision. */
static unsigned key_hash(const char *k, size_t n)
{
	uint64_t a = 0, b = 0, h;
	memcpy(&a, k, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, k + n - 8, 8);
	h = (a * 0x9e3779b97f4a7c15ULL) ^ (b * 0xc2b2ae3d27d4eb4fULL) ^ (n * 0x165667b19e3779f9ULL);
	return (unsigned)(h >> 56);
}

/* Adds member i to the lookup table; false when its key is there already
 * (json-c keeps the last value at the first place: left to json-c). */
static bool view_index(dv_view *v, int i)
{
	const dv_member *m = &v->m[i];
	for (unsigned h = key_hash(m->key, m->keylen);; h = (h + 1) & 0xff) {
		const dv_member *o;
		if (!v->slot[h]) {
			v->slot[h] = (unsigned char)(i + 1);
			return true;
		}
		o = &v->m[v->slot[h] - 1];
		if (o->keylen == m->keylen && memcmp(o->key, m->key, m->keylen) == 0)
			return false;
	}
}

const dv_member *dv_view_find(const dv_view *v, const char *key, size_t n)
{
	for (unsigned h = key_hash(key, n); v->slot[h]; h = (h + 1) & 0xff) {
		const dv_member *o = &v->m[v->slot[h] - 1];
		if (o->keylen == n && memcmp(o->key, key, n) == 0)
			return o;
	}
	return NULL;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_space(const char *p, size_t n, size_t i)
{
	while (i < n && space(p[i]))
		i++;
	return i;
}

/* Whether all 8 bytes of w are printable ASCII but '"' and '\\' (the
 * classic SWAR tests, exact as a yes/no). */
static bool plain_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones << 7;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\'), d = w ^ (ones * 0x7f);
	uint64_t low = (w - ones * 0x20) & ~w;
	return !((w | low | ((q - ones) & ~q) | ((b - ones) & ~b) | ((d - ones) & ~d)) & high);
}

/* How many bytes from p[i] on are printable ASCII but '"' and '\\': 16 a
 * step where SSE2 is (every x86-64), else 8 (plain_word). */
static size_t plain_run(const char *p, size_t n, size_t i)
{
	size_t start = i;
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'),
	              del = _mm_set1_epi8(0x7f), space = _mm_set1_epi8(0x20);
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* signed: below 0x20 and 0x80 and above alike */
		__m128i stop =
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bs)),
		                 _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del)));
		unsigned mask = (unsigned)_mm_movemask_epi8(stop);
		if (mask)
			return i + (size_t)__builtin_ctz(mask) - start;
	}
#endif
	for (uint64_t w; i + 8 <= n && (memcpy(&w, p + i, 8), plain_word(w));)
		i += 8;
	return i - start;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* An escape at p[i] ('\\'): its length, or 0 when a view leaves it to
 * json-c (an unknown escape, \u0000, a lone or reversed surrogate). */
static size_t escape_len(const char *p, size_t n, size_t i)
{
	int cp, lo;
	if (i + 1 >= n)
		return 0;
	switch (p[i + 1]) {
	case '"':
	case '\\':
	case '/':
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't': return 2;
	case 'u': break;
	default: return 0;
	}
	if (i + 6 > n || (cp = hex4(p + i + 2)) <= 0 || (cp >= 0xdc00 && cp <= 0xdfff))
		return 0;
	if (cp < 0xd800 || cp > 0xdbff)
		return 6;
	if (i + 12 > n || p[i + 6] != '\\' || p[i + 7] != 'u' || (lo = hex4(p + i + 8)) < 0xdc00 ||
	    lo > 0xdfff)
		return 0;
	return 12;
}

/* A string from p[i] (after its '"') to its closing quote: *end gets the
 * quote's place, *esc whether it has escapes, *wide whether it has bytes
 * other than printable ASCII. False when a view leaves it to json-c. */
static bool read_string(const char *p, size_t n, size_t i, bool key, size_t *end, bool *esc,
                        bool *wide)
{
	*esc = *wide = false;
	for (;;) {
		unsigned cp;
		size_t len;
		i += plain_run(p, n, i);
		if (i >= n)
			return false;
		unsigned char c = (unsigned char)p[i];
		if (c == '"') {
			*end = i;
			return true;
		}
		if (c == '\\') {
			if (key || !(len = escape_len(p, n, i)))
				return false;
			*esc = true;
			i += len;
		} else if (c < 0x20) {
			return false;
		} else if (c < 0x80) {
			*wide |= c == 0x7f;
			i++;
		} else if ((len = utf8_decode(p + i, n - i, &cp)) == 0) {
			return false; /* json-c keeps it; the codec repairs and notes it */
		} else {
			*wide = true;
			i += len;
		}
	}
}

/* A whole number -?(0|[1-9][0-9]*) in the int64 range, ended by a space,
 * ',' or '}'; false for anything else (fractions, exponents, a leading
 * zero, a value out of range: json-c's own reading is kept for those). */
static bool read_number(const char *p, size_t n, size_t i, size_t *end, int64_t *out)
{
	bool neg = p[i] == '-';
	uint64_t v = 0, lim;
	size_t start;
	if (neg)
		i++;
	start = i;
	if (i >= n || p[i] < '0' || p[i] > '9')
		return false;
	if (p[i] == '0' && i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9')
		return false;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		unsigned d = (unsigned)(p[i] - '0');
		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (i - start > 19 || i >= n || !(space(p[i]) || p[i] == ',' || p[i] == '}'))
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	*end = i;
	return true;
}

/* true, false or null at p[i], ended as a number is. */
static bool read_literal(const char *p, size_t n, size_t i, size_t *end, dv_member *m)
{
	static const struct {
		const char *word;
		size_t len;
		enum json_type type;
		bool flag;
	} words[] = {{"true", 4, json_type_boolean, true},
	             {"false", 5, json_type_boolean, false},
	             {"null", 4, json_type_null, false}};
	for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
		size_t e = i + words[k].len;
		if (e < n && memcmp(p + i, words[k].word, words[k].len) == 0 &&
		    (space(p[e]) || p[e] == ',' || p[e] == '}')) {
			m->type = words[k].type;
			m->num = words[k].flag;
			*end = e;
			return true;
		}
	}
	return false;
}

/* *plain: the value is a string of printable ASCII without escapes. */
static bool read_value(const char *p, size_t n, size_t i, size_t *end, dv_member *m, bool *plain)
{
	bool wide;
	m->val = p + i;
	m->esc = false;
	m->dec = 0;
	m->num = 0;
	*plain = false;
	if (p[i] == '"') {
		m->type = json_type_string;
		m->val++;
		if (!read_string(p, n, i + 1, false, end, &m->esc, &wide))
			return false;
		*plain = !m->esc && !wide;
		m->vlen = (uint32_t)(*end - i - 1);
		(*end)++;
		return true;
	}
	if (p[i] == '-' || (p[i] >= '0' && p[i] <= '9')) {
		m->type = json_type_int;
		if (!read_number(p, n, i, end, &m->num))
			return false;
	} else if (!read_literal(p, n, i, end, m)) {
		return false; /* an object, an array, or what json-c alone reads */
	}
	m->vlen = (uint32_t)(*end - i);
	return true;
}

size_t dv_view_read(dv_view *v, const char *p, size_t n, dv_view_keep_fn keep, void *ctx)
{
	size_t i;
	long members = 0;
	bool esc, wide, plain;
	v->n = 0;
	v->used = 0;
	memset(v->slot, 0, sizeof v->slot);
	if (n > DV_VIEW_MAX_BYTES)
		n = DV_VIEW_MAX_BYTES; /* a longer row never ends in time: refused */
	i = skip_space(p, n, 0);
	if (i == n || p[i++] != '{')
		return 0;
	i = skip_space(p, n, i);
	if (i < n && p[i] == '}')
		return i + 1;
	for (;;) {
		dv_member *m;
		size_t end;
		if (v->n == DV_VIEW_MAX_MEMBERS || ++members > DV_ROW_MAX_VALUES || i == n ||
		    p[i] != '"')
			return 0;
		m = &v->m[v->n];
		if (!read_string(p, n, i + 1, true, &end, &esc, &wide))
			return 0;
		m->key = p + i + 1;
		m->keylen = (uint32_t)(end - i - 1);
		i = skip_space(p, n, end + 1);
		if (i == n || p[i] != ':')
			return 0;
		i = skip_space(p, n, i + 1);
		if (i == n || !read_value(p, n, i, &end, m, &plain))
			return 0;
		/* Left out as the scanner leaves it out (dv_scan_set_keep). */
		if (!(keep && plain && !wide && !keep(ctx, m->key, m->keylen))) {
			if (!view_index(v, v->n))
				return 0;
			v->n++;
		}
		i = skip_space(p, n, end);
		if (i == n)
			return 0;
		if (p[i] == '}')
			return i + 1;
		if (p[i] != ',')
			return 0;
		i = skip_space(p, n, i + 1);
	}
}

bool dv_view_parse(dv_view *v, const char *p, size_t n)
{
	size_t end = dv_view_read(v, p, n, NULL, NULL);
	return end && skip_space(p, n, end) == n;
}
