/* fuzz_filter.c — libFuzzer harness: any bytes as a filter expression
 * (the console's `/`, `--filter`), compiled and run against a real cache.
 * Bound parameters only, so no input may break the SQL or the cache:
 * afterwards the cache still answers and holds its one row. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache/cache.h"
#include "core/model/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ec_cache *cache;

static void open_cache(void)
{
	char dir[] = "/tmp/emailcfg-fuzz-XXXXXX", path[64];
	ec_mailbox m;
	ec_error err;
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/f.db", dir);
	if (cache_open(path, &cache, &err) != EC_OK)
		abort();
	mailbox_init(&m);
	strcpy(m.id, "a1b2c3d4-1111-ec11-8c62-000d3adcebd7");
	m.name = "Ana Novak";
	m.email = "ana@example.si";
	m.owner_type = OWNER_USER;
	m.state = STATE_ACTIVE;
	if (cache_put_mailboxes(cache, &m, 1, &err) != EC_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *expr = malloc(size + 1);
	long count = -1;
	ec_error err;
	if (!cache)
		open_cache();
	memcpy(expr, data, size);
	expr[size] = '\0';
	cache_count_mailboxes(cache, expr, &count, &err);
	free(expr);
	if (cache_count_mailboxes(cache, NULL, &count, &err) != EC_OK || count != 1)
		abort(); /* the input reached the SQL */
	return 0;
}
