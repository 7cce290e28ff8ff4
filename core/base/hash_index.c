/* hash_index.c — the open-addressing index set of hash_index.h: linear
 * probing in a table kept at most half full, grown by doubling. Pure memory;
 * touches only the set it is given. */
#include "core/base/hash_index.h"

#include <stdlib.h>

#include "core/base/mem.h"

size_t hash_index_text(size_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (h ^ 0xff) * 1099511628211u;
}

static void hash_index_grow(hash_index *set, const void *array, int n, const hash_index_ops *ops)
{
	size_t mask;
	free(set->slots);
	set->nslots = set->nslots ? set->nslots * 2 : 64;
	set->slots = ec_xcalloc(set->nslots, sizeof *set->slots);
	mask = set->nslots - 1;
	for (int i = 0; i < n; i++) {
		size_t k = ops->hash_of(array, i) & mask;
		while (set->slots[k])
			k = (k + 1) & mask;
		set->slots[k] = i + 1;
	}
}

int hash_index_find(hash_index *set, const void *array, int n, const hash_index_ops *ops,
                    size_t hash, const void *key)
{
	size_t mask, k;
	if ((size_t)(n + 1) * 2 > set->nslots) /* at most half full: short probes */
		hash_index_grow(set, array, n, ops);
	mask = set->nslots - 1;
	for (k = hash & mask; set->slots[k]; k = (k + 1) & mask)
		if (ops->equal(array, set->slots[k] - 1, key))
			return set->slots[k] - 1;
	set->free_at = k;
	return -1;
}

void hash_index_add(hash_index *set, int i)
{
	set->slots[set->free_at] = i + 1;
}

void hash_index_free(hash_index *set)
{
	free(set->slots);
	set->slots = NULL;
	set->nslots = 0;
}
