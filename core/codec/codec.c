/* codec.c — the codec's shared pieces: GUID and time normalization, quoting
 * outside values for error messages, parsing a JSON text completely, the
 * collection page, and the OData and AADSTS error bodies. Pure functions;
 * touches nothing outside the values it is given (see codec.h). */
#include "core/codec/codec.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/utf8.h"

const char *codec_quote(const char *s, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t used = 0, limit;
	if (size == 0)
		return buf;
	limit = size > 64 ? 60 : (size > 8 ? size - 5 : 0);
	for (; s && *s && used + 4 <= limit; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c < 0x7f) {
			buf[used++] = (char)c;
			continue;
		}
		buf[used++] = '\\';
		buf[used++] = 'x';
		buf[used++] = hex[c >> 4];
		buf[used++] = hex[c & 15];
	}
	if (s && *s && used + 4 <= size) {
		memcpy(buf + used, "...", 3);
		used += 3;
	}
	buf[used < size ? used : size - 1] = '\0';
	return buf;
}

bool codec_utf8_valid(const char *s, size_t n)
{
	unsigned cp;
	size_t i = utf8_ascii_run(s, n);
	while (i < n) {
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return false;
		i += len;
		i += utf8_ascii_run(s + i, n - i);
	}
	return true;
}

/* Whether the 8 bytes at s are all '0'-'9' or 'a'-'f' (SWAR: each byte
 * tested for the two ranges at once, exact as a yes/no). */
static bool lower_hex8(const char *s)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones << 7;
	uint64_t w, digit, letter;
	memcpy(&w, s, 8);
	if (w & high)
		return false;
	/* In a range [lo, hi]: (w + (0x80 - lo)) has the high bit, and
	 * (w + (0x7f - hi)) has not; no byte carries into the next (all < 0x80). */
	digit = (w + ones * (0x80 - '0')) & ~(w + ones * (0x7f - '9'));
	letter = (w + ones * (0x80 - 'a')) & ~(w + ones * (0x7f - 'f'));
	return ((digit | letter) & high) == high;
}

int codec_guid_normalize(const char *in, char out[EC_ID_SIZE])
{
	/* The usual case, already lowercase: 8 bytes a test. */
	if (in && strnlen(in, EC_ID_SIZE) == EC_ID_SIZE - 1 && in[8] == '-' && in[13] == '-' &&
	    in[18] == '-' && in[23] == '-') {
		const char a[8] = {in[9], in[10], in[11], in[12], in[14], in[15], in[16], in[17]};
		const char b[8] = {in[19], in[20], in[21], in[22], in[24], in[25], in[26], in[27]};
		if (lower_hex8(in) && lower_hex8(a) && lower_hex8(b) && lower_hex8(in + 28)) {
			memcpy(out, in, EC_ID_SIZE);
			return 0;
		}
	}
	/* Every row of a sync's version listing has one: ASCII by hand, not
	 * the locale's isxdigit() and tolower() (most of its cost). A NUL
	 * fails the digit test, so in is never read past its end. */
	out[0] = '\0';
	if (!in)
		return -1;
	for (int i = 0; i < EC_ID_SIZE - 1; i++) {
		unsigned char ch = (unsigned char)in[i], low = (unsigned char)(ch | 0x20);
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (low >= 'a' && low <= 'f'))) {
			out[0] = '\0'; /* callers test out[0] */
			return -1;
		}
		out[i] = (char)(dash ? ch : low); /* digits have 0x20 set already */
	}
	if (in[EC_ID_SIZE - 1] != '\0') {
		out[0] = '\0';
		return -1;
	}
	out[EC_ID_SIZE - 1] = '\0';
	return 0;
}

/* n decimal digits at s into *out; false when one is not a digit. */
static bool read_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(int y, int m, int d)
{
	long long yy = y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "Thh:mm[:ss[.fff]]" at *p; advances *p. */
static bool parse_clock(const char **p, int *h, int *mi, int *s)
{
	const char *q = *p;
	if (*q != 'T' && *q != 't' && *q != ' ')
		return *q == '\0' || *q == 'Z' || *q == 'z'; /* a date alone */
	if (!read_digits(q + 1, 2, h) || q[3] != ':' || !read_digits(q + 4, 2, mi))
		return false;
	q += 6;
	if (*q == ':') {
		if (!read_digits(q + 1, 2, s))
			return false;
		q += 3;
		if (*q == '.' || *q == ',') {
			if (!isdigit((unsigned char)q[1]))
				return false;
			for (q++; isdigit((unsigned char)*q); q++)
				;
		}
	}
	*p = q;
	return true;
}

/* "Z", "+hh:mm", "-hhmm" or nothing (UTC) at p, in minutes east. */
static bool parse_zone(const char *p, int *minutes)
{
	int zh, zm, sign;
	*minutes = 0;
	if (*p == '\0')
		return true;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return true;
	if (*p != '+' && *p != '-')
		return false;
	sign = *p == '-' ? -1 : 1;
	if (!read_digits(p + 1, 2, &zh))
		return false;
	p += p[3] == ':' ? 4 : 3;
	if (!read_digits(p, 2, &zm) || p[2] != '\0' || zh > 23 || zm > 59)
		return false;
	*minutes = sign * (zh * 60 + zm);
	return true;
}

/* n in width decimal digits, leading zeros (0 <= n < 10^width). */
static void put_digits(char *out, int n, int width)
{
	for (int i = width - 1; i >= 0; i--, n /= 10)
		out[i] = (char)('0' + n % 10);
}

int codec_time_normalize(const char *in, char out[EC_TIME_SIZE])
{
	int y, mo, d, h = 0, mi = 0, s = 0, zone;
	long long t, day;
	const char *p = in;
	out[0] = '\0';
	if (!in || !read_digits(p, 4, &y) || p[4] != '-' || !read_digits(p + 5, 2, &mo) ||
	    p[7] != '-' || !read_digits(p + 8, 2, &d))
		return -1;
	p += 10;
	if (!parse_clock(&p, &h, &mi, &s) || !parse_zone(p, &zone))
		return -1;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
	    s > 59)
		return -1;
	if (mo == 1 && d == 1 && (y == 1 || y == 1900))
		return 0; /* Dataverse's "never" */
	/* Already the normal form (what Dataverse sends): as it is. */
	if (p == in + 19 && in[10] == 'T' && in[19] == 'Z') {
		memcpy(out, in, EC_TIME_SIZE - 1);
		out[EC_TIME_SIZE - 1] = '\0';
		return 0;
	}
	t = (days_from_civil(y, mo, d) * 24 + h) * 3600 + mi * 60 + s - zone * 60LL;
	day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	civil_from_days(day, &y, &mo, &d);
	t -= day * 86400;
	if (y < 1 || y > 9999)
		return -1;
	/* "%04d-%02d-%02dT%02d:%02d:%02dZ" written by hand: every row of a
	 * sync has one or two times, and snprintf was most of their cost. */
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, mo, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, (int)(t / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (int)(t / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (int)(t % 60), 2);
	out[19] = 'Z';
	out[EC_TIME_SIZE - 1] = '\0';
	return 0;
}

static bool only_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static int json_parse(const char *body, size_t len, int flags, json_object **root, ec_error *err);

int codec_json_parse(const char *body, size_t len, json_object **root, ec_error *err)
{
	return json_parse(body, len, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8, root, err);
}

static int json_parse(const char *body, size_t len, int flags, json_object **root, ec_error *err)
{
	json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t end;
	*root = NULL;
	if (!body || only_space(body, len))
		return ec_fail(err, EC_NETWORK,
		               "the organization sent an empty answer where JSON was expected; "
		               "try again");
	if (len > INT_MAX)
		return ec_fail(err, EC_NETWORK,
		               "the organization's answer is too large (%zu bytes)", len);
	tok = json_tokener_new();
	json_tokener_set_flags(tok, flags);
	obj = json_tokener_parse_ex(tok, body, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!obj && jerr == json_tokener_continue)
		return ec_fail(
		    err, EC_NETWORK,
		    "the organization sent malformed JSON (truncated?): the answer stops "
		    "after %zu bytes in the middle of a value; try again, and check the "
		    "network path (proxy, VPN) if it repeats",
		    len);
	if (!obj)
		return ec_fail(
		    err, EC_NETWORK,
		    "the organization sent malformed JSON (truncated?) at byte %zu of %zu: "
		    "%s; try again, and check the network path (proxy, VPN) if it repeats",
		    end, len, json_tokener_error_desc(jerr));
	if (end < len && !only_space(body + end, len - end)) {
		json_object_put(obj);
		return ec_fail(err, EC_NETWORK,
		               "the organization sent malformed JSON (truncated?): unexpected data "
		               "after byte %zu of %zu; try again",
		               end, len);
	}
	*root = obj;
	return EC_OK;
}

int codec_page_parse(const char *body, size_t len, json_object **root, json_object **rows,
                     const char **next_link, ec_error *err)
{
	json_object *obj, *value, *next;
	/* Invalid UTF-8 inside a row's text is the row's problem, not the
	 * page's: the row codec repairs and marks it (see codec.h). */
	int rc = json_parse(body, len, JSON_TOKENER_STRICT, &obj, err);
	*root = *rows = NULL;
	*next_link = NULL;
	if (rc)
		return rc;
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return ec_fail(err, EC_NETWORK,
		               "the organization's answer is not a JSON object; is the URL the "
		               "organization's Web API (…/api/data/v9.2)?");
	}
	if (!json_object_object_get_ex(obj, "value", &value) ||
	    !json_object_is_type(value, json_type_array)) {
		json_object_put(obj);
		return ec_fail(
		    err, EC_NETWORK,
		    "the organization's answer has no \"value\" array of rows; is the URL "
		    "the organization's Web API (…/api/data/v9.2)?");
	}
	if (json_object_object_get_ex(obj, "@odata.nextLink", &next) && next) {
		if (!json_object_is_type(next, json_type_string)) {
			json_object_put(obj);
			return ec_fail(
			    err, EC_NETWORK,
			    "the organization's answer has an @odata.nextLink that is not "
			    "a string");
		}
		*next_link = json_object_get_string(next);
		if (!codec_utf8_valid(*next_link, strlen(*next_link))) {
			json_object_put(obj);
			*next_link = NULL;
			return ec_fail(err, EC_NETWORK,
			               "the organization's answer has an @odata.nextLink that is "
			               "not UTF-8 text");
		}
	}
	*root = obj;
	*rows = value;
	return EC_OK;
}

/* Copies src into dst as one line: control characters become spaces, the
 * copy stops at a line break when first_line, and is cut at a character
 * boundary; invalid UTF-8 bytes become '?'. */
static void copy_line(char *dst, size_t size, const char *src, bool first_line)
{
	size_t used = 0, n = src ? strlen(src) : 0;
	if (size == 0)
		return;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_decode(src + i, n - i, &cp);
		if (first_line && (src[i] == '\r' || src[i] == '\n'))
			break;
		if (len == 0 || cp < 0x20 || cp == 0x7f) {
			if (used + 1 >= size)
				break;
			dst[used++] = len == 0 ? '?' : ' ';
			i += len ? len : 1;
			continue;
		}
		if (used + len >= size)
			break;
		memcpy(dst + used, src + i, len);
		used += len;
		i += len;
	}
	while (used > 0 && dst[used - 1] == ' ')
		used--;
	dst[used] = '\0';
}

static const char *member_string(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void clear_buffer(char *buf, size_t size)
{
	if (buf && size)
		buf[0] = '\0';
}

int codec_odata_error(const char *body, size_t len, char *code, size_t code_size, char *message,
                      size_t msg_size)
{
	json_object *root, *error, *inner;
	const char *msg = NULL;
	clear_buffer(code, code_size);
	clear_buffer(message, msg_size);
	if (codec_json_parse(body, len, &root, NULL))
		return -1;
	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "error", &error) &&
	    json_object_is_type(error, json_type_object)) {
		msg = member_string(error, "message");
		if (!msg && json_object_object_get_ex(error, "innererror", &inner) &&
		    json_object_is_type(inner, json_type_object))
			msg = member_string(inner, "message");
		if (msg) {
			copy_line(code, code_size, member_string(error, "code"), true);
			copy_line(message, msg_size, msg, false);
		}
	}
	json_object_put(root);
	return msg ? 0 : -1;
}

/* The number after "AADSTS" in text, or 0. */
static long aadsts_from_text(const char *text)
{
	const char *p = text ? strstr(text, "AADSTS") : NULL;
	if (!p || !isdigit((unsigned char)p[6]))
		return 0;
	return strtol(p + 6, NULL, 10);
}

static long aadsts_from_codes(json_object *root)
{
	json_object *codes, *first;
	if (!json_object_object_get_ex(root, "error_codes", &codes) ||
	    !json_object_is_type(codes, json_type_array) || json_object_array_length(codes) == 0)
		return 0;
	first = json_object_array_get_idx(codes, 0);
	if (!json_object_is_type(first, json_type_int))
		return 0;
	return (long)json_object_get_int64(first);
}

int codec_token_error(const char *body, size_t len, long *aadsts_code, char *error,
                      size_t error_size, char *description, size_t description_size)
{
	json_object *root;
	const char *name = NULL, *desc;
	*aadsts_code = 0;
	clear_buffer(error, error_size);
	clear_buffer(description, description_size);
	if (codec_json_parse(body, len, &root, NULL))
		return -1;
	if (json_object_is_type(root, json_type_object))
		name = member_string(root, "error");
	if (name) {
		desc = member_string(root, "error_description");
		*aadsts_code = aadsts_from_codes(root);
		if (*aadsts_code == 0)
			*aadsts_code = aadsts_from_text(desc);
		copy_line(error, error_size, name, true);
		copy_line(description, description_size, desc, true);
	}
	json_object_put(root);
	return name ? 0 : -1;
}
