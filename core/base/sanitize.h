/* sanitize.h — the one gate every outside string passes before it reaches a
 * terminal (names, emails, alert texts, server replies). Control characters,
 * escape sequences, C1 controls, bidirectional overrides, invisible
 * characters and invalid UTF-8 become visible ASCII placeholders, so a
 * hostile mailbox name can neither move the cursor, retitle the terminal,
 * touch the clipboard, reverse text nor pass for another name. Used by the
 * CLI's tables and by every console widget; the CLI's JSON and the shell
 * commands it suggests have their own safe spellings here too. */
#ifndef EMAILCFG_SANITIZE_H
#define EMAILCFG_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A printable copy of s (NULL becomes ""); caller frees.
 *   C0 controls and DEL  -> caret notation: ESC "^[", BEL "^G", DEL "^?"
 *   hidden code points (sanitize_is_hidden) -> "<U+202E>"
 *   invalid UTF-8 bytes  -> "\xNN" */
char *sanitize_text(const char *s);

/* True for a code point that draws nothing yet matters: C1 controls, bidi
 * marks, embeddings, overrides and isolates, zero-width characters, the
 * line/paragraph separators and the rest of Unicode's default-ignorable
 * set (soft hyphen, variation selectors, tag characters, Hangul fillers). */
bool sanitize_is_hidden(unsigned cp);

/* A copy of JSON text with every hidden code point and DEL written as a
 * \u escape (a surrogate pair above U+FFFF) and each invalid UTF-8 byte as
 * \ufffd (JSON has no spelling for it): still valid JSON, every valid
 * string reads back unchanged, and no raw byte a terminal acts on. Caller
 * frees. */
char *sanitize_json(const char *json);

/* Writes s to out as one quoted JSON string, byte for byte what
 * sanitize_json() makes of json-c's spelling of it (json-c escapes the
 * quote, the backslash and C0 controls; '/' stays as is): the CLI's
 * listings write 100,000 rows this way without building json-c objects. */
void sanitize_json_write_string(FILE *out, const char *s);

/* s as one word for a POSIX shell: unchanged when every character is
 * plain, else in single quotes with each ' written '\''. Pasted into sh it
 * is exactly s, with no expansion of $(...), `...` or "...". Caller frees. */
char *sanitize_quote_shell(const char *s);

/* True when s would pass unchanged (cheap check before copying). */
bool sanitize_is_clean(const char *s);

/* Fits a sanitized string into exactly `width` display columns: truncated
 * with an ellipsis ("…", or "~" when ascii) or padded with spaces (unless
 * pad is false). With ascii, letters with diacritics become their plain
 * letters (Žužek -> Zuzek) and other non-ASCII characters '?'. Returns a
 * new string; caller frees. */
char *display_fit(const char *clean, size_t width, bool ascii, bool pad);

#endif
