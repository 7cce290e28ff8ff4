/* text.h — small text codecs the emulator needs: GUIDs, ISO 8601 UTC dates,
 * percent-encoding in the three flavours Dataverse uses, case-insensitive
 * UTF-8 comparison (the SQL collation of a string column), and random bytes. */
#ifndef SIM_TEXT_H
#define SIM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct guid {
	uint8_t b[16]; /* in textual order, so memcmp() sorts like the text */
};

/* Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", optionally in braces, any case;
 * exactly len bytes of s are examined. */
bool guid_parse(const char *s, size_t len, struct guid *g);
/* Writes 36 characters plus NUL; upper selects upper-case hex digits. */
void guid_format(const struct guid *g, char out[37], bool upper);
void guid_random(struct guid *g);
int guid_cmp(const struct guid *a, const struct guid *b);

/* "YYYY-MM-DDThh:mm:ssZ" (also accepts fractions and "+00:00", and a plain
 * date "YYYY-MM-DD"); returns false on anything else. */
bool date_parse(const char *s, size_t len, int64_t *epoch);
void date_format(int64_t epoch, char out[21]);
/* The FormattedValue of a date: "3/1/2024 9:00 AM" (en-US, UTC); returns
 * its length. */
#define DATE_DISPLAY_SIZE 48
size_t date_format_display(int64_t epoch, char out[DATE_DISPLAY_SIZE]);

/* Decodes %XX escapes (and '+' as a space when plus_is_space) into a new
 * string; returns NULL when an escape is malformed. */
char *pct_decode(const char *s, size_t len, bool plus_is_space);
/* The outer $skiptoken layer: escapes space " < > % & # + ? and bytes outside
 * printable ASCII as upper-case %XX; keeps everything else. */
void pct_encode_outer(struct buf *b, const char *s);
/* The paging-cookie layer: keeps A-Z a-z 0-9 - _ . and escapes every other
 * byte as lower-case %xx. */
void pct_encode_inner(struct buf *b, const char *s);
/* Query-component encoding for our own URLs (upper-case, keeps unreserved). */
void pct_encode_component(struct buf *b, const char *s);

/* Case-insensitive comparison of UTF-8 strings (ASCII, Latin-1, Latin
 * Extended-A, Greek and Cyrillic letters fold to lower case). */
int fold_cmp(const char *a, const char *b);
bool fold_contains(const char *hay, const char *needle);
bool fold_starts(const char *s, const char *prefix);
bool fold_ends(const char *s, const char *suffix);

/* Copies tmpl into out with every "%s" replaced by value (no printf). */
void text_fill(char *out, size_t size, const char *tmpl, const char *value);
void random_bytes(void *p, size_t n);
/* Formats n with thousands separators: 4811902 -> "4,811,902"; returns its
 * length. */
#define NUMBER_DISPLAY_SIZE 28
size_t number_format_display(int64_t n, char out[NUMBER_DISPLAY_SIZE]);

#endif
