/* buf.c — growable byte buffer and JSON string escaping (see buf.h). */
#include "buf.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_keep_freed_pages(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
#endif
}

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	/* Doubling, or straight to the size asked for when that is more: a
	 * page reserved for at once gets what it asked, not the next power of
	 * two (a buffer over malloc's mmap threshold is page-faulted afresh
	 * on every request). */
	size_t cap = b->cap ? b->cap * 2 : 256;
	if (cap < b->len + extra + 1)
		cap = b->len + extra + 1;
	char *p = realloc(b->p, cap);
	if (!p)
		abort();
	b->p = p;
	b->cap = cap;
}

void buf_put(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *buf_i64_text(char tmp[BUF_I64_SIZE], int64_t v, size_t *len)
{
	int i = BUF_I64_SIZE;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	*len = BUF_I64_SIZE - (size_t)i;
	return tmp + i;
}

void buf_put_i64(struct buf *b, int64_t v)
{
	char tmp[BUF_I64_SIZE];
	size_t len;
	const char *text = buf_i64_text(tmp, v, &len);
	buf_put(b, text, len);
}

static const char hexdig[] = "0123456789abcdef";

void buf_put_json_str(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	buf_reserve(b, n + 2);
	b->p[b->len++] = '"';
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = u[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"': buf_put(b, "\\\"", 2); break;
		case '\\': buf_put(b, "\\\\", 2); break;
		case '\n': buf_put(b, "\\n", 2); break;
		case '\r': buf_put(b, "\\r", 2); break;
		case '\t': buf_put(b, "\\t", 2); break;
		default: {
			char esc[6] = {'\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 15]};
			buf_put(b, esc, 6);
		}
		}
	}
	buf_put(b, s + start, n - start);
	buf_putc(b, '"');
}

char *buf_take(struct buf *b)
{
	if (!b->p)
		buf_reserve(b, 0);
	char *p = b->p;
	p[b->len] = '\0';
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
