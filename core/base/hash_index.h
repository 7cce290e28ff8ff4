/* hash_index.h — an open-addressing hash set of indexes into an array its
 * caller owns: finding "the element equal to this key" in constant time
 * where a linear search made 100,000 mailboxes, probe logins or alert texts
 * quadratic. The caller keeps the elements; the set keeps only where they
 * are. */
#ifndef EC_HASH_INDEX_H
#define EC_HASH_INDEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hash_index {
	int *slots;     /* element index + 1; 0 is an empty slot */
	size_t nslots;  /* a power of two, at least twice the elements */
	size_t free_at; /* where the last missed key would go */
} hash_index;

/* What the set asks of its caller's array: the hash of element i (to grow)
 * and whether element i equals key. */
typedef struct hash_index_ops {
	size_t (*hash_of)(const void *array, int i);
	bool (*equal)(const void *array, int i, const void *key);
} hash_index_ops;

#define HASH_INDEX_SEED ((size_t)14695981039346656037u)

/* FNV-1a over s (NULL hashes as empty), continued from h; the end of the
 * text is mixed in, so "ab"+"c" and "a"+"bc" differ. */
size_t hash_index_text(size_t h, const char *s);

/* The index of the element equal to key among the n the set holds, or -1;
 * after -1, hash_index_add(set, n) records element n (the caller appends it
 * at that index first). */
int hash_index_find(hash_index *set, const void *array, int n, const hash_index_ops *ops,
                    size_t hash, const void *key);
void hash_index_add(hash_index *set, int i);
void hash_index_free(hash_index *set);

#endif
