/* dv_row.h — one row of the organization's answer as its readers (the row
 * codec, the sync's id and version reads) see it: either a json-c object or
 * a row view, a flat list of the row's members read straight from its text
 * with no object built. Readers ask for a member by name and get its type
 * and value through dv_row_get(), the same for both.
 *
 * A view is made only of a row it reads exactly as json-c does: plain JSON
 * (no comments, no trailing comma, no other whitespace than space, tab, CR
 * and LF), only scalar members, whole numbers in the int64 range, valid
 * UTF-8, escapes that decode to text without NUL or a lone surrogate, keys
 * without escapes and no key twice, within the bounds below. Any other row
 * is refused (dv_view_parse() returns false) and goes to json-c, so every
 * row reads the same whichever way it went. Pure functions on memory the
 * caller owns; no I/O. */
#ifndef EMAILCFG_DV_ROW_H
#define EMAILCFG_DV_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Bounds of a view (a mailbox row is about 3 KB and 70 members). */
#define DV_VIEW_MAX_BYTES   (32L * 1024)
#define DV_VIEW_MAX_MEMBERS 128
/* Members a row may have, those left out counted too: the page scanner's
 * bound, so a row is refused or read alike whichever path reads it. */
#define DV_ROW_MAX_VALUES 256L

typedef struct dv_member {
	const char *key, *val; /* val: a string's text between its quotes, or the literal */
	uint32_t keylen, vlen;
	enum json_type type;
	bool esc;     /* a string with escapes */
	uint32_t dec; /* 1 + offset in text of the decoded, NUL-ended string; 0: not yet */
	int64_t num;  /* json_type_int */
} dv_member;

typedef struct dv_view {
	int n;
	dv_member m[DV_VIEW_MAX_MEMBERS];
	unsigned char slot[256]; /* a key's hash -> 1 + its member index; 0 free */
	/* Strings handed out, decoded and NUL-ended, for the row's lifetime:
	 * each member is decoded once and is never longer than its text. */
	char text[DV_VIEW_MAX_BYTES + 8];
	size_t used;
} dv_view;

/* A row: view when it is not NULL, else obj (borrowed either way). */
typedef struct dv_row {
	json_object *obj;
	dv_view *view;
} dv_row;

/* A member's value: type (json_type_null for JSON null); str/len for a
 * string (NUL-ended; len counts an embedded NUL json-c may hold); num for
 * an int; flag for a boolean; obj the json-c value itself (NULL in a view). */
typedef struct dv_value {
	enum json_type type;
	const char *str;
	size_t len;
	int64_t num;
	bool flag;
	json_object *obj;
} dv_value;

/* Reads the n bytes at p as one row ('{' to '}', nothing after it) into v.
 * False when the row is not one a view reads (see above); v is then
 * undefined. v's members point into p: p must outlive the reads. */
bool dv_view_parse(dv_view *v, const char *p, size_t n);
/* The same of a row at the start of p that may have more after it: the
 * row's length (its '{' to its '}'), or 0 when it is refused or does not
 * end within n bytes. keep (may be NULL): a member "name":"text" whose name
 * and text are printable ASCII without escapes and whose name keep()
 * refuses is left out of the view, as dv_scan_set_keep() leaves it out. */
typedef bool (*dv_view_keep_fn)(void *ctx, const char *key, size_t len);
size_t dv_view_read(dv_view *v, const char *p, size_t n, dv_view_keep_fn keep, void *ctx);

/* The member of key (n bytes) in a view, or NULL. */
const dv_member *dv_view_find(const dv_view *v, const char *key, size_t n);

/* The member name: true and its value in *out when the row has it (a JSON
 * null included), false when it has not. */
bool dv_row_get(const dv_row *r, const char *name, dv_value *out);

/* What json_object_get_int64() says of the value (an int or a string). */
int64_t dv_value_int64(const dv_value *v);
/* The value as json_object_to_json_string() writes it, for a message: buf
 * holds it when it is a view's number. */
const char *dv_value_text(const dv_value *v, char buf[32]);

#endif
