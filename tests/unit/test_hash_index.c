/* test_hash_index.c — the index set behind id lists, probe sharing and
 * alert grouping: every distinct key is found again at its index after the
 * table has grown many times, equal keys are never added twice, and keys
 * whose hashes collide (all in one slot chain) are still told apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/base/hash_index.h"

#define N 20000

static char keys[N][16];

static size_t text_hash_of(const void *array, int i)
{
	return hash_index_text(HASH_INDEX_SEED, ((const char(*)[16])array)[i]);
}

static size_t colliding_hash_of(const void *array, int i)
{
	(void)array;
	(void)i;
	return 7;
}

static bool text_equal(const void *array, int i, const void *key)
{
	return strcmp(((const char(*)[16])array)[i], key) == 0;
}

/* Adds key unless present; returns its index either way. */
static int intern(hash_index *set, int *n, const hash_index_ops *ops, size_t hash, const char *key)
{
	int i = hash_index_find(set, keys, *n, ops, hash, key);
	if (i >= 0)
		return i;
	snprintf(keys[*n], sizeof keys[*n], "%s", key);
	hash_index_add(set, *n);
	return (*n)++;
}

static void test_distinct_and_found_again(void **state)
{
	static const hash_index_ops ops = {text_hash_of, text_equal};
	hash_index set = {0};
	char key[16];
	int n = 0;
	(void)state;
	for (int round = 0; round < 2; round++)
		for (int k = 0; k < N; k++) {
			snprintf(key, sizeof key, "id-%d", k);
			assert_int_equal(
			    intern(&set, &n, &ops, hash_index_text(HASH_INDEX_SEED, key), key), k);
		}
	assert_int_equal(n, N);
	assert_true(set.nslots >= 2 * (size_t)N);
	hash_index_free(&set);
	assert_null(set.slots);
}

static void test_collisions_told_apart(void **state)
{
	static const hash_index_ops ops = {colliding_hash_of, text_equal};
	hash_index set = {0};
	char key[16];
	int n = 0;
	(void)state;
	for (int k = 0; k < 300; k++) {
		snprintf(key, sizeof key, "c-%d", k);
		assert_int_equal(intern(&set, &n, &ops, 7, key), k);
	}
	assert_int_equal(intern(&set, &n, &ops, 7, "c-150"), 150);
	assert_int_equal(n, 300);
	hash_index_free(&set);
}

static void test_text_hash_mixes_the_end(void **state)
{
	(void)state;
	assert_true(hash_index_text(hash_index_text(HASH_INDEX_SEED, "ab"), "c") !=
	            hash_index_text(hash_index_text(HASH_INDEX_SEED, "a"), "bc"));
	assert_true(hash_index_text(HASH_INDEX_SEED, NULL) == hash_index_text(HASH_INDEX_SEED, ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_distinct_and_found_again),
	    cmocka_unit_test(test_collisions_told_apart),
	    cmocka_unit_test(test_text_hash_mixes_the_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
