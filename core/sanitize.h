/* sanitize.h — the one gate every outside string passes before it reaches a
 * terminal (names, emails, alert texts, server replies). Control characters,
 * escape sequences, C1 controls, bidirectional overrides and invalid UTF-8
 * become visible ASCII placeholders, so a hostile mailbox name can neither
 * move the cursor, retitle the terminal, touch the clipboard nor reverse
 * text. Used by the CLI's tables and by every console widget. */
#ifndef EMAILCFG_SANITIZE_H
#define EMAILCFG_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/* A printable copy of s (NULL becomes ""); caller frees.
 *   C0 controls and DEL  -> caret notation: ESC "^[", BEL "^G", DEL "^?"
 *   C1 controls, bidi and line/paragraph separators -> "<U+202E>"
 *   invalid UTF-8 bytes  -> "\xNN" */
char *sanitize_text(const char *s);

/* True when s would pass unchanged (cheap check before copying). */
bool sanitize_is_clean(const char *s);

/* Fits a sanitized string into exactly `width` display columns: truncated
 * with an ellipsis ("…", or "~" when ascii) or padded with spaces (unless
 * pad is false). With ascii, letters with diacritics become their plain
 * letters (Žužek -> Zuzek) and other non-ASCII characters '?'. Returns a
 * new string; caller frees. */
char *display_fit(const char *clean, size_t width, bool ascii, bool pad);

#endif
