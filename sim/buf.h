/* buf.h — a growable byte buffer used to build response bodies, with JSON
 * string escaping. Allocation failure aborts the process (an emulator has
 * nothing better to do). */
#ifndef SIM_BUF_H
#define SIM_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
};

/* Called once at start-up: page bodies up to 32 MB come from the heap and
 * their memory is kept when freed, so the next page reuses it instead of
 * page-faulting a fresh mapping (glibc's default maps anything over 128 KB
 * afresh until a free raises its threshold). */
void buf_keep_freed_pages(void);
void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v in decimal, written at the end of tmp: returns where it starts. */
#define BUF_I64_SIZE 24
char *buf_i64_text(char tmp[BUF_I64_SIZE], int64_t v, size_t *len);
void buf_put_i64(struct buf *b, int64_t v);
/* Appends s as a JSON string literal with quotes. */
void buf_put_json_str(struct buf *b, const char *s);
/* Returns the NUL-terminated contents and leaves b empty; the caller frees. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

#endif
