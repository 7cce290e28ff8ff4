/* cache-load.c — test tool: fills a cache from Dataverse JSON files through
 * the real codec and cache, the way a sync stores pages, so CLI tests can run
 * without a network.
 *
 *   cache-load CACHE [--settings F] [--profiles F]... [--mailboxes F]...
 *                    [--alerts F]... [--outbox MAILBOX_ID CHANGES_JSON]
 *
 * Each F is a collection body ({"value": [...]}) or, for --settings, a
 * collection or a single organization row. Exits 0, or prints one line and
 * exits with the error's status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/cache/cache.h"
#include "core/codec/codec.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* The rows of a file: its "value" array, or the object itself. */
static int load_rows(const char *path, json_object **root, json_object **rows, ec_error *err)
{
	size_t len;
	char *body = slurp(path, &len);
	int rc;
	if (!body)
		return ec_fail(err, EC_LOCAL, "cannot read %s", path);
	rc = codec_json_parse(body, len, root, err);
	free(body);
	if (rc != EC_OK)
		return rc;
	if (!json_object_object_get_ex(*root, "value", rows)) {
		*rows = json_object_new_array();
		json_object_array_add(*rows, json_object_get(*root));
		json_object_object_add(*root, "value", *rows);
	}
	return EC_OK;
}

static int put_mailboxes(ec_cache *c, json_object *rows, ec_error *err)
{
	int n = (int)json_object_array_length(rows), rc = EC_OK;
	ec_mailbox *m = calloc((size_t)n + 1, sizeof *m);
	for (int i = 0; i < n && rc == EC_OK; i++) {
		json_object *row = json_object_array_get_idx(rows, (size_t)i);
		rc = codec_mailbox_from_json(row, &m[i], err);
	}
	if (rc == EC_OK)
		rc = cache_put_mailboxes(c, m, n, err);
	for (int i = 0; i < n; i++)
		mailbox_free(&m[i]);
	free(m);
	return rc;
}

static int put_profiles(ec_cache *c, json_object *rows, ec_error *err)
{
	int n = (int)json_object_array_length(rows), rc = EC_OK;
	ec_profile *p = calloc((size_t)n + 1, sizeof *p);
	for (int i = 0; i < n && rc == EC_OK; i++)
		rc =
		    codec_profile_from_json(json_object_array_get_idx(rows, (size_t)i), &p[i], err);
	if (rc == EC_OK)
		rc = cache_put_profiles(c, p, n, err);
	for (int i = 0; i < n; i++)
		profile_free(&p[i]);
	free(p);
	return rc;
}

static int put_alerts(ec_cache *c, json_object *rows, ec_error *err)
{
	int n = (int)json_object_array_length(rows), rc = EC_OK;
	ec_alert *a = calloc((size_t)n + 1, sizeof *a);
	for (int i = 0; i < n && rc == EC_OK; i++)
		rc = codec_alert_from_json(json_object_array_get_idx(rows, (size_t)i), &a[i], err);
	if (rc == EC_OK)
		rc = cache_put_alerts(c, a, n, err);
	for (int i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	return rc;
}

static int put_settings(ec_cache *c, json_object *rows, ec_error *err)
{
	ec_settings s;
	int rc = codec_settings_from_json(json_object_array_get_idx(rows, 0), &s, err);
	if (rc == EC_OK)
		rc = cache_put_settings(c, &s, err);
	settings_free(&s);
	return rc;
}

static int add_outbox(ec_cache *c, const char *target, const char *changes, ec_error *err)
{
	ec_outbox_entry e;
	outbox_entry_init(&e);
	snprintf(e.entity, sizeof e.entity, "mailbox");
	snprintf(e.target_id, sizeof e.target_id, "%s", target);
	e.changes = strdup(changes);
	e.base = strdup("{}");
	e.state = OUTBOX_QUEUED;
	{
		int rc = cache_outbox_add(c, &e, err);
		outbox_entry_free(&e);
		return rc;
	}
}

int main(int argc, char **argv)
{
	ec_error err = {0};
	ec_cache *c = NULL;
	int rc;
	if (argc < 2) {
		fputs("usage: cache-load CACHE [--settings F] [--profiles F] [--mailboxes F] "
		      "[--alerts F] [--outbox ID CHANGES]\n",
		      stderr);
		return 2;
	}
	rc = cache_open(argv[1], &c, &err);
	for (int i = 2; rc == EC_OK && i + 1 < argc; i += 2) {
		json_object *root = NULL, *rows;
		if (strcmp(argv[i], "--outbox") == 0 && i + 2 < argc) {
			rc = add_outbox(c, argv[i + 1], argv[i + 2], &err);
			i++;
			continue;
		}
		rc = load_rows(argv[i + 1], &root, &rows, &err);
		if (rc != EC_OK)
			break;
		if (strcmp(argv[i], "--mailboxes") == 0)
			rc = put_mailboxes(c, rows, &err);
		else if (strcmp(argv[i], "--profiles") == 0)
			rc = put_profiles(c, rows, &err);
		else if (strcmp(argv[i], "--alerts") == 0)
			rc = put_alerts(c, rows, &err);
		else if (strcmp(argv[i], "--settings") == 0)
			rc = put_settings(c, rows, &err);
		else
			rc = ec_fail(&err, EC_USAGE, "unknown option %s", argv[i]);
		json_object_put(root);
	}
	if (c)
		cache_close(c);
	if (rc != EC_OK)
		fprintf(stderr, "cache-load: %s\n", err.msg);
	return rc;
}
