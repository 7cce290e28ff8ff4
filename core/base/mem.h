/* mem.h — allocation helpers every folder of core/ uses (mem.c). */
#ifndef EMAILCFG_MEM_H
#define EMAILCFG_MEM_H

/* strdup that passes NULL through and aborts on exhausted memory. */
char *ec_strdup(const char *s);
void *ec_xmalloc(unsigned long size);
void *ec_xcalloc(unsigned long n, unsigned long size);
void *ec_xrealloc(void *p, unsigned long size);

#endif
