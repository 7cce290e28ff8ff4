/* mem.c — allocation that never returns NULL: out of memory is the one
 * failure emailcfg does not try to survive (it aborts with a line on stderr).
 * Touches nothing but the heap. */
#include "core/base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *ec_xmalloc(unsigned long size)
{
	void *p = malloc(size ? size : 1);
	if (!p) {
		fputs("emailcfg: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *ec_xcalloc(unsigned long n, unsigned long size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) {
		fputs("emailcfg: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *ec_xrealloc(void *p, unsigned long size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q) {
		fputs("emailcfg: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *ec_strdup(const char *s)
{
	size_t n;
	char *d;
	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = ec_xmalloc(n);
	memcpy(d, s, n);
	return d;
}
