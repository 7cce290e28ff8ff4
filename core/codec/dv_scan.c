/* dv_scan.c — a page of the Web API read row by row as it arrives (see
 * dv_scan.h). The top level is walked byte by byte with a small state
 * machine; each row's bytes are gathered and read alone, into a row view
 * when it reads the row exactly as json-c would (dv_view.c), else by
 * json-c, so memory holds one row, not a page. Touches nothing but its own
 * state. */
#include "core/codec/dv_scan.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/model.h"

enum scan_state {
	S_START,  /* before the page's '{' */
	S_KEY,    /* in the page object, before a member's name */
	S_KEYSTR, /* in a member's name */
	S_COLON,  /* after a member's name */
	S_VALUE,  /* before a member's value */
	S_MEMBER, /* in a member's value other than "value" */
	S_ROWS,   /* in "value", between rows */
	S_ROW,    /* in a row */
	S_AFTER,  /* after a member's value */
	S_DONE    /* after the page's '}' */
};

struct dv_scan {
	dv_scan_row_fn fn;
	void *ctx;
	json_tokener *tok;
	dv_view *view; /* NULL: every row goes to json-c */
	/* A row begun at the end of the bytes fed, waiting for the rest to be
	 * read as a view (row_pending); replaying: the walk reads it again. */
	char *pend;
	size_t plen;
	bool pending, replaying;
	enum scan_state st;
	bool in_str, esc;
	int depth;     /* containers open in the row or member */
	char key[128]; /* the member's name as sent, cut (see key_read) */
	size_t keylen;
	bool key_esc;   /* the name has escapes: key_read decodes it */
	bool key_known; /* key holds the decoded name whole: it may be one we read */
	/* The page's "value": seen (a second one is refused: its rows would
	 * replace the first's in json-c, and those are handed over already);
	 * row_due: ROW_NONE after a row, ROW_NEXT after a ',', ROW_FIRST after
	 * the '[' (what may come next, as a strict reader takes an array). */
	bool seen_value;
	enum { ROW_NONE, ROW_NEXT, ROW_FIRST } row_due;
	char *buf; /* the row or member being gathered */
	size_t len, cap;
	/* Members left out (dv_scan_set_keep): the row's text from mcut on is
	 * the member being read, with its leading ',' if one was written;
	 * kept counts the members written; dropped the bytes left out. */
	dv_scan_keep_fn keep;
	void *keep_ctx;
	size_t mcut, dropped;
	long kept;
	bool verbatim; /* the row is malformed: nothing more is left out */
	long values;   /* members of the current row */
	long nested;   /* containers inside the page's rows */
	long rows, count;
	char *next;
	char *delta; /* @odata.deltaLink */
	int rc;
	bool malformed;
	ec_error err;
};

dv_scan *dv_scan_new(dv_scan_row_fn fn, void *ctx)
{
	dv_scan *s = ec_xcalloc(1, sizeof *s);
	s->fn = fn;
	s->ctx = ctx;
	s->tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (!s->tok) {
		fputs("emailcfg: out of memory\n", stderr);
		abort();
	}
	s->view = ec_xmalloc(sizeof *s->view);
	dv_scan_reset(s);
	return s;
}

void dv_scan_free(dv_scan *s)
{
	if (!s)
		return;
	json_tokener_free(s->tok);
	free(s->view);
	free(s->pend);
	free(s->buf);
	free(s->next);
	free(s->delta);
	free(s);
}

void dv_scan_set_keep(dv_scan *s, dv_scan_keep_fn keep, void *ctx)
{
	s->keep = keep;
	s->keep_ctx = ctx;
}

void dv_scan_set_lean(dv_scan *s, bool lean)
{
	if (!lean) {
		free(s->view);
		s->view = NULL;
	} else if (!s->view) {
		s->view = ec_xmalloc(sizeof *s->view);
	}
}

void dv_scan_reset(dv_scan *s)
{
	s->st = S_START;
	s->pending = s->replaying = false;
	s->plen = 0;
	s->in_str = s->esc = false;
	s->depth = 0;
	s->keylen = 0;
	s->key_esc = s->key_known = false;
	s->seen_value = false;
	s->row_due = ROW_NONE;
	s->len = 0;
	s->values = s->nested = s->rows = 0;
	s->count = -1;
	free(s->next);
	free(s->delta);
	s->next = s->delta = NULL;
	s->rc = EC_OK;
	s->malformed = false;
	memset(&s->err, 0, sizeof s->err);
}

static int scan_fail(dv_scan *s, bool malformed, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int scan_fail(dv_scan *s, bool malformed, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ec_vfail(&s->err, EC_NETWORK, fmt, ap);
	va_end(ap);
	s->malformed = malformed;
	s->rc = EC_NETWORK;
	return s->rc;
}

static int malformed(dv_scan *s)
{
	return scan_fail(s, true,
	                 "the organization sent a page that is not valid JSON (cut short or "
	                 "damaged)");
}

static int too_big(dv_scan *s, const char *what, size_t max)
{
	return scan_fail(s, false,
	                 "the organization sent %s over %zu KB; refused it, check that --org is "
	                 "a Dataverse environment",
	                 what, max / 1024);
}

static int gather(dv_scan *s, char c, size_t max, const char *what)
{
	if (s->len + s->dropped + 2 > max)
		return too_big(s, what, max);
	if (s->len + 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->buf = ec_xrealloc(s->buf, s->cap);
	}
	s->buf[s->len++] = c;
	return EC_OK;
}

/* Parses the len bytes at text as one JSON value into *out (NULL for a
 * JSON null); false when they are not one value. */
static bool parse_text(dv_scan *s, const char *text, size_t len, json_object **out)
{
	json_object *v;
	json_tokener_reset(s->tok);
	v = json_tokener_parse_ex(s->tok, text, (int)len);
	*out = NULL;
	if (json_tokener_get_error(s->tok) == json_tokener_success &&
	    json_tokener_get_parse_end(s->tok) == len) {
		*out = v;
		return true;
	}
	if (!v && json_tokener_get_error(s->tok) == json_tokener_continue) {
		/* A number or a literal at the very end: json-c waits for more. */
		v = json_tokener_parse_ex(s->tok, "", 1);
		if (json_tokener_get_error(s->tok) == json_tokener_success) {
			*out = v;
			return true;
		}
	}
	json_object_put(v);
	return false;
}

/* The gathered bytes as one JSON value; NULL when they are not one (or
 * are null: a row never is). */
static json_object *parse_gathered(dv_scan *s)
{
	json_object *v;
	return parse_text(s, s->buf, s->len, &v) ? v : NULL;
}

static int rows_bound(dv_scan *s)
{
	return scan_fail(s, false,
	                 "the organization sent a page of more than %ld rows; refused it, "
	                 "check that --org is a Dataverse environment",
	                 DV_SCAN_MAX_ROWS);
}

/* A row that starts and ends within the bytes fed and that a view reads
 * (dv_view_read) goes to the callback from where it lies, neither walked
 * byte by byte nor copied: the bounds of a view are within the scanner's
 * (bytes, members; it has no nested values), and leaving members out
 * changes nothing in a row a view reads (no key twice, valid UTF-8), so the
 * callback gets what the walk would have given it. Returns the bytes
 * taken, 0 when the row is left to the walk. */
static void row_view(dv_scan *s)
{
	dv_row row = {NULL, s->view};
	int rc;
	s->row_due = ROW_NONE;
	if (++s->rows > DV_SCAN_MAX_ROWS) {
		rows_bound(s);
		return;
	}
	rc = s->fn(s->ctx, &row, s->rows - 1, &s->err);
	if (rc != EC_OK)
		s->rc = rc;
}

static size_t row_whole(dv_scan *s, const char *data, size_t len)
{
	size_t n = dv_view_read(s->view, data, len, s->keep, s->keep_ctx);
	if (n)
		row_view(s);
	return n;
}

static int row_done(dv_scan *s)
{
	dv_row row = {NULL, NULL};
	int rc;
	s->row_due = ROW_NONE;
	if (++s->rows > DV_SCAN_MAX_ROWS)
		return rows_bound(s);
	if (s->view && dv_view_parse(s->view, s->buf, s->len)) {
		row.view = s->view;
	} else {
		row.obj = parse_gathered(s);
		if (!row.obj || !json_object_is_type(row.obj, json_type_object)) {
			json_object_put(row.obj);
			return malformed(s);
		}
	}
	rc = s->fn(s->ctx, &row, s->rows - 1, &s->err);
	json_object_put(row.obj);
	s->len = 0;
	if (rc != EC_OK)
		s->rc = rc;
	return rc;
}

/* Whether the member's name, decoded, is name. */
static bool key_is(const dv_scan *s, const char *name)
{
	return s->key_known && strcmp(s->key, name) == 0;
}

/* The member's name ends: key holds it as json-c reads it when it can be
 * one of the few names the scanner reads (all short ASCII: a name cut at
 * the size of key decodes to more than 21 characters, longer than any). */
static int key_read(dv_scan *s)
{
	json_object *v;
	char quoted[sizeof s->key + 2];
	s->key_known = s->keylen < sizeof s->key;
	if (!s->key_known || !s->key_esc) {
		s->key[s->key_known ? s->keylen : sizeof s->key - 1] = '\0';
		return EC_OK;
	}
	quoted[0] = '"';
	memcpy(quoted + 1, s->key, s->keylen);
	quoted[s->keylen + 1] = '"';
	if (!parse_text(s, quoted, s->keylen + 2, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		json_object_put(v);
		return malformed(s);
	}
	/* An embedded NUL ("valu\u0000e") is no name we read. */
	s->key_known = (size_t)json_object_get_string_len(v) == strlen(json_object_get_string(v));
	snprintf(s->key, sizeof s->key, "%s", json_object_get_string(v));
	json_object_put(v);
	return EC_OK;
}

/* A link member: kept when a string, forgotten when null (json-c keeps
 * the last of a name sent twice); anything else refuses the page, as the
 * whole-page reader (codec_page_parse) does. */
static int link_member(dv_scan *s, json_object *v, char **link)
{
	if (v && !json_object_is_type(v, json_type_string))
		return scan_fail(
		    s, false, "the organization's answer has an %s that is not a string", s->key);
	free(*link);
	*link = v ? ec_strdup(json_object_get_string(v)) : NULL;
	return EC_OK;
}

static int member_done(dv_scan *s)
{
	json_object *v;
	int rc = EC_OK;
	if (!key_is(s, "@odata.count") && !key_is(s, "@odata.nextLink") &&
	    !key_is(s, "@odata.deltaLink"))
		return EC_OK;
	if (!parse_text(s, s->buf, s->len, &v))
		return malformed(s);
	if (key_is(s, "@odata.count"))
		s->count = v && json_object_is_type(v, json_type_int)
		               ? (long)json_object_get_int64(v)
		               : -1;
	else if (key_is(s, "@odata.nextLink"))
		rc = link_member(s, v, &s->next);
	else
		rc = link_member(s, v, &s->delta);
	json_object_put(v);
	return rc;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A string's bytes: true while c is inside it (c included). */
static bool in_string(dv_scan *s, char c)
{
	if (!s->in_str)
		return false;
	if (s->esc)
		s->esc = false;
	else if (c == '\\')
		s->esc = true;
	else if (c == '"')
		s->in_str = false;
	return true;
}

/* The classic SWAR tests, exact as a yes/no for the 8 bytes of w: one
 * equals b; one is below b (b <= 0x80). */
static uint64_t has_byte(uint64_t w, unsigned char b)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t x = w ^ (ones * b);
	return (x - ones) & ~x & (ones << 7);
}

static uint64_t has_less(uint64_t w, unsigned char b)
{
	const uint64_t ones = 0x0101010101010101ULL;
	return (w - ones * b) & ~w & (ones << 7);
}

/* Whether all 8 bytes of w are printable ASCII but '"' and '\\'. */
static bool plain_word(uint64_t w)
{
	return !((w & 0x8080808080808080ULL) | has_less(w, 0x20) | has_byte(w, 0x7f) |
	         has_byte(w, '"') | has_byte(w, '\\'));
}

/* Plain printable ASCII up to a '"' at s[*i] (no escapes, no quote). */
static bool plain_text(const char *m, size_t n, size_t *i)
{
	const unsigned char *u = (const unsigned char *)m;
	size_t j = *i;
	for (uint64_t w; j + 8 <= n; j += 8) { /* 8 plain bytes a step */
		memcpy(&w, u + j, 8);
		if (!plain_word(w))
			break;
	}
	while (j < n && (unsigned)(u[j] - 0x20) < 0x5f && u[j] != '"' && u[j] != '\\')
		j++;
	*i = j;
	return *i < n && m[*i] == '"';
}

static void skip_space(const char *m, size_t n, size_t *i)
{
	while (*i < n && space(m[*i]))
		(*i)++;
}

/* Whether a member's text m is "name":"text" with both plain (plain_text)
 * and a name keep() refuses. */
static bool droppable(const dv_scan *s, const char *m, size_t n)
{
	size_t i = 0, key, keylen;
	skip_space(m, n, &i);
	if (i == n || m[i++] != '"')
		return false;
	key = i;
	if (!plain_text(m, n, &i))
		return false;
	keylen = i++ - key;
	skip_space(m, n, &i);
	if (i == n || m[i++] != ':')
		return false;
	skip_space(m, n, &i);
	if (i == n || m[i++] != '"' || !plain_text(m, n, &i))
		return false;
	i++;
	skip_space(m, n, &i);
	return i == n && !s->keep(s->keep_ctx, m + key, keylen);
}

/* A member of the row ends (a ',' or the row's '}' at depth 1): left out
 * when droppable. Returns whether the ',' that ends it is to be written:
 * not while no member is, so the row never starts "{,". After an empty
 * member (",," or "{,") the row is kept as sent: json-c refuses it. */
static bool member_end(dv_scan *s, bool comma)
{
	const char *m = s->buf + s->mcut;
	size_t n = s->len - s->mcut, i = 0;
	if (n && *m == ',')
		m++, n--;
	skip_space(m, n, &i);
	if (s->verbatim || (i == n && comma)) {
		s->verbatim = true;
		s->kept++;
	} else if (i == n) {
		/* "...,}": json-c reads it as if the ',' were not there */
	} else if (droppable(s, m, n)) {
		s->dropped += s->len - s->mcut;
		s->len = s->mcut;
	} else {
		s->kept++;
	}
	s->mcut = s->len;
	return comma && s->kept > 0;
}

static int step_row(dv_scan *s, char c)
{
	int rc;
	if (s->keep && !s->in_str && s->depth == 1 && (c == ',' || c == '}')) {
		bool write = member_end(s, c == ',');
		if (c == ',')
			return write ? gather(s, c, DV_SCAN_MAX_ROW_BYTES, "a row") : EC_OK;
	}
	rc = gather(s, c, DV_SCAN_MAX_ROW_BYTES, "a row");
	if (rc != EC_OK || in_string(s, c))
		return rc;
	switch (c) {
	case '"': s->in_str = true; break;
	case '{':
	case '[':
		if (++s->depth == 1) { /* the row's own '{' */
			s->mcut = s->len;
			s->kept = 0;
			s->verbatim = false;
		}
		if (s->depth == 2 && ++s->nested > DV_SCAN_MAX_NESTED)
			return scan_fail(s, false,
			                 "the organization sent rows with more nested objects than "
			                 "rows ever hold; refused them, check that --org is a "
			                 "Dataverse environment");
		break;
	case '}':
	case ']':
		if (--s->depth == 0) {
			s->st = S_ROWS;
			return row_done(s);
		}
		break;
	case ':':
		if (s->depth == 1 && ++s->values > DV_SCAN_MAX_ROW_VALUES)
			return scan_fail(s, false,
			                 "the organization sent a row of more than %ld values; "
			                 "refused it, check that --org is a Dataverse environment",
			                 DV_SCAN_MAX_ROW_VALUES);
		break;
	}
	return EC_OK;
}

static int step_member(dv_scan *s, char c)
{
	if (!in_string(s, c)) {
		if (s->depth == 0 && (c == ',' || c == '}')) {
			int rc = member_done(s);
			s->st = c == ',' ? S_KEY : S_DONE;
			return rc;
		}
		if (c == '"')
			s->in_str = true;
		else if (c == '{' || c == '[')
			s->depth++;
		else if (c == '}' || c == ']')
			s->depth--;
		if (s->depth < 0)
			return malformed(s);
	}
	return gather(s, c, DV_SCAN_MAX_MEMBER, "a page member");
}

static int step_key(dv_scan *s, char c)
{
	if (s->esc)
		s->esc = false;
	else if (c == '\\')
		s->esc = s->key_esc = true;
	else if (c == '"') {
		s->st = S_COLON;
		return key_read(s);
	}
	if (s->keylen < sizeof s->key - 1)
		s->key[s->keylen] = c;
	s->keylen++;
	return EC_OK;
}

static int no_rows(dv_scan *s)
{
	return scan_fail(s, false,
	                 "the organization's answer has no \"value\" array of rows; is the URL "
	                 "the organization's Web API (…/api/data/v9.2)?");
}

/* The page's "value" begins with c: its rows, once. */
static int value_start(dv_scan *s, char c)
{
	if (s->seen_value)
		return scan_fail(s, false,
		                 "the organization sent a page with two \"value\" arrays; refused "
		                 "it, check that --org is a Dataverse environment");
	s->seen_value = true;
	if (c != '[')
		return no_rows(s);
	s->row_due = ROW_FIRST;
	s->st = S_ROWS;
	return EC_OK;
}

static int step(dv_scan *s, char c)
{
	if (s->st == S_ROW)
		return step_row(s, c);
	if (s->st == S_MEMBER)
		return step_member(s, c);
	if (s->st == S_KEYSTR)
		return step_key(s, c);
	if (space(c))
		return EC_OK;
	switch (s->st) {
	case S_START:
		if (c != '{')
			return malformed(s);
		s->st = S_KEY;
		return EC_OK;
	case S_KEY:
		if (c == '}' && s->keylen == 0) { /* {} */
			s->st = S_DONE;
			return EC_OK;
		}
		if (c != '"')
			return malformed(s);
		s->keylen = 0;
		s->key_esc = false;
		s->st = S_KEYSTR;
		return EC_OK;
	case S_COLON:
		if (c != ':')
			return malformed(s);
		s->st = S_VALUE;
		return EC_OK;
	case S_VALUE:
		if (key_is(s, "value"))
			return value_start(s, c);
		s->len = 0;
		s->dropped = 0;
		s->depth = 0;
		s->st = S_MEMBER;
		return step_member(s, c);
	case S_ROWS:
		if (c == ',' && s->row_due == ROW_NONE) {
			s->row_due = ROW_NEXT;
			return EC_OK;
		}
		if (c == ']' && s->row_due != ROW_NEXT) {
			s->st = S_AFTER;
			return EC_OK;
		}
		if (c != '{' || s->row_due == ROW_NONE)
			return malformed(s);
		s->len = 0;
		s->dropped = 0;
		s->depth = 0;
		s->values = 0;
		s->st = S_ROW;
		return step_row(s, c);
	case S_AFTER:
		if (c == ',')
			s->st = S_KEY;
		else if (c == '}')
			s->st = S_DONE;
		else
			return malformed(s);
		return EC_OK;
	default: return malformed(s); /* S_DONE: bytes after the page */
	}
}

/* How many bytes from data on change nothing in a row but its length:
 * inside a string, all but '"' and '\\'; outside, all but those and the
 * brackets, braces, ':' and ','. Most of a row is such runs. */
static size_t plain_run(const dv_scan *s, const char *data, size_t len)
{
	/* 1: ends a run inside a string and outside; 2: outside only. */
	static const unsigned char stops[256] = {['"'] = 1, ['\\'] = 1, ['{'] = 2, ['}'] = 2,
	                                         ['['] = 2, [']'] = 2,  [':'] = 2, [','] = 2};
	const unsigned char *d = (const unsigned char *)data;
	size_t i = 0;
	if (s->st != S_ROW || s->esc)
		return 0;
	if (s->in_str)
		while (i < len && stops[d[i]] != 1)
			i++;
	else
		while (i < len && !stops[d[i]])
			i++;
	return i;
}

/* Appends a run of plain bytes to the row. */
static int gather_run(dv_scan *s, const char *data, size_t n)
{
	if (s->len + s->dropped + n + 2 > DV_SCAN_MAX_ROW_BYTES)
		return too_big(s, "a row", DV_SCAN_MAX_ROW_BYTES);
	if (s->len + n + 2 > s->cap) {
		while (s->len + n + 2 > s->cap)
			s->cap = s->cap ? s->cap * 2 : 4096;
		s->buf = ec_xrealloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	return EC_OK;
}

/* Whether a row that a view did not read in the len bytes at data waits
 * for the next piece: it cannot have ended there (no '}' at all), and it
 * may still fit a view. Any other row is walked; a row that waits and then
 * is refused is walked from its start (row_pending), so the guess decides
 * only how fast a row is read, never what is read of it. */
static bool row_waits(const dv_scan *s, const char *data, size_t len)
{
	return !s->replaying && len < DV_VIEW_MAX_BYTES && !memchr(data, '}', len);
}

static void scan_bytes(dv_scan *s, const char *data, size_t len);

/* The walk reads the waiting bytes from the row's start, as if they had
 * never waited; the rows after it in them go as they would have. */
static void row_replay(dv_scan *s)
{
	s->pending = false;
	s->replaying = true;
	scan_bytes(s, s->pend, s->plen);
	s->replaying = false;
	s->plen = 0;
}

/* The next bytes of a waiting row, up to the first '}' (where it most
 * likely ends); returns how many of data it took. */
static size_t row_pending(dv_scan *s, const char *data, size_t len)
{
	const char *close = memchr(data, '}', len);
	size_t old = s->plen, take = close ? (size_t)(close - data) + 1 : len, n;
	if (take > DV_VIEW_MAX_BYTES - old)
		take = DV_VIEW_MAX_BYTES - old;
	memcpy(s->pend + old, data, take);
	s->plen += take;
	n = dv_view_read(s->view, s->pend, s->plen, s->keep, s->keep_ctx);
	if (n) {
		s->pending = false;
		s->plen = 0;
		row_view(s);
		return n - old;
	}
	if (s->plen >= DV_VIEW_MAX_BYTES || memchr(data, '}', take))
		row_replay(s);
	return take;
}

/* Whether c begins a row that may go as a view. */
static bool row_may_start(const dv_scan *s, char c)
{
	return s->st == S_ROWS && c == '{' && s->row_due != ROW_NONE && s->view;
}

static void scan_bytes(dv_scan *s, const char *data, size_t len)
{
	for (size_t i = 0; i < len && s->rc == EC_OK;) {
		size_t run;
		if (s->pending) {
			i += row_pending(s, data + i, len - i);
			continue;
		}
		run = plain_run(s, data + i, len - i);
		if (row_may_start(s, data[i]) && (run = row_whole(s, data + i, len - i)) > 0) {
			i += run;
		} else if (row_may_start(s, data[i]) && row_waits(s, data + i, len - i)) {
			if (!s->pend)
				s->pend = ec_xmalloc(DV_VIEW_MAX_BYTES);
			memcpy(s->pend, data + i, len - i);
			s->plen = len - i;
			s->pending = true;
			i = len;
		} else if (run) {
			gather_run(s, data + i, run);
			i += run;
		} else {
			step(s, data[i++]);
		}
	}
}

int dv_scan_feed(dv_scan *s, const char *data, size_t len, ec_error *err)
{
	if (s->rc == EC_OK)
		scan_bytes(s, data, len);
	if (s->rc != EC_OK && err)
		*err = s->err;
	return s->rc;
}

int dv_scan_finish(dv_scan *s, ec_error *err)
{
	if (s->rc == EC_OK && s->pending)
		row_replay(s); /* cut short in a row: the walk says how */
	if (s->rc == EC_OK && s->st != S_DONE)
		malformed(s);
	if (s->rc == EC_OK && !s->seen_value)
		no_rows(s);
	if (s->rc != EC_OK && err)
		*err = s->err;
	return s->rc;
}

bool dv_scan_malformed(const dv_scan *s)
{
	return s->malformed;
}

long dv_scan_count(const dv_scan *s)
{
	return s->count;
}

const char *dv_scan_next_link(const dv_scan *s)
{
	return s->next ? s->next : "";
}

const char *dv_scan_delta_link(const dv_scan *s)
{
	return s->delta ? s->delta : "";
}

long dv_scan_rows(const dv_scan *s)
{
	return s->rows;
}
