/* tagset.c — the set of tagged mailbox ids behind Space / t / u on the
 * Mailboxes screen: an open-addressing hash set of ids, fast enough to tag
 * all 100,000 mailboxes a filter shows. Pure memory; touches nothing else. */
#include <stdlib.h>
#include <string.h>

#include "tui/tagset.h"

static unsigned long tagset_hash(const char *id)
{
	unsigned long h = 1469598103934665603UL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211UL;
	return h;
}

static void tagset_grow(tagset *t)
{
	tagset bigger = {0};
	bigger.cap = t->cap ? t->cap * 2 : 64;
	bigger.slots = ec_xcalloc(bigger.cap, sizeof *bigger.slots);
	for (unsigned long i = 0; i < t->cap; i++)
		if (t->slots[i][0])
			tagset_add(&bigger, t->slots[i]);
	free(t->slots);
	*t = bigger;
}

static long tagset_find(const tagset *t, const char *id)
{
	unsigned long i;
	if (!t->cap)
		return -1;
	for (i = tagset_hash(id) & (t->cap - 1); t->slots[i][0]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->slots[i], id) == 0)
			return (long)i;
	return -1;
}

bool tagset_has(const tagset *t, const char *id)
{
	return tagset_find(t, id) >= 0;
}

void tagset_add(tagset *t, const char *id)
{
	unsigned long i;
	if (tagset_has(t, id))
		return;
	if ((t->n + 1) * 2 > t->cap)
		tagset_grow(t);
	for (i = tagset_hash(id) & (t->cap - 1); t->slots[i][0]; i = (i + 1) & (t->cap - 1))
		;
	memcpy(t->slots[i], id, EC_ID_SIZE);
	t->slots[i][EC_ID_SIZE - 1] = '\0';
	t->n++;
}

/* Removing from open addressing: re-insert the rest of the cluster. */
void tagset_remove(tagset *t, const char *id)
{
	long at = tagset_find(t, id);
	unsigned long i;
	if (at < 0)
		return;
	t->slots[at][0] = '\0';
	t->n--;
	for (i = ((unsigned long)at + 1) & (t->cap - 1); t->slots[i][0];
	     i = (i + 1) & (t->cap - 1)) {
		char keep[EC_ID_SIZE];
		memcpy(keep, t->slots[i], EC_ID_SIZE);
		t->slots[i][0] = '\0';
		t->n--;
		tagset_add(t, keep);
	}
}

void tagset_clear(tagset *t)
{
	free(t->slots);
	memset(t, 0, sizeof *t);
}

long tagset_ids(const tagset *t, char (**ids)[EC_ID_SIZE])
{
	long n = 0;
	*ids = ec_xcalloc(t->n ? t->n : 1, sizeof **ids);
	for (unsigned long i = 0; i < t->cap; i++)
		if (t->slots[i][0])
			memcpy((*ids)[n++], t->slots[i], EC_ID_SIZE);
	return n;
}
