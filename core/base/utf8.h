/* utf8.h — UTF-8 decoding, case folding for search, and display width in
 * terminal columns. Pure functions over byte strings; no locale state is
 * changed here (width uses wcwidth() when the locale is UTF-8, and a small
 * built-in table otherwise). */
#ifndef EMAILCFG_UTF8_H
#define EMAILCFG_UTF8_H

#include <stddef.h>

/* Decodes one code point from s (at most n bytes). Returns its length in
 * bytes and stores the code point, or returns 0 for an invalid, overlong or
 * truncated sequence (the caller decides what one bad byte becomes). */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);

/* The length of the run of ASCII bytes s starts with (at most n), read a
 * word at a time: most text a sync reads is ASCII and needs no decoding. */
size_t utf8_ascii_run(const char *s, size_t n);

/* Encodes cp into out (4 bytes at most); returns the length. */
size_t utf8_encode(unsigned cp, char *out);

/* The search and sort key of a string: lowercase (ASCII, Latin-1, Latin
 * Extended-A, Greek, Cyrillic), with each Latin letter that carries a
 * diacritic written as its base letter, 0x7F and the diacritic's rank, so
 * keys sort as the Slovenian alphabet does (c < č < d, s < š < t, z < ž)
 * and a search matches case-insensitively but diacritics exactly. Not for
 * display. Invalid bytes are kept as they are, so a search for them still
 * matches byte for byte. NULL folds to "". Caller frees. */
char *utf8_fold(const char *s);

/* The plain ASCII letters of a Latin letter with a diacritic (Č -> "C",
 * ß -> "ss") into out, for terminals that cannot show UTF-8; returns their
 * number, 0 for anything else. */
size_t utf8_ascii_base(unsigned cp, char out[3]);

/* Display width of one code point in terminal columns (0, 1 or 2). */
int utf8_cp_width(unsigned cp);

/* Display width of a valid UTF-8 string; invalid bytes count one column. */
size_t utf8_width(const char *s);

#endif
