/* ca_trust.c — the system CAs plus the ca-file, as one CA blob (see
 * ca_trust.h). Reads the two files; touches nothing else. */
#include "core/client/ca_trust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/model.h"

/* Appends the file at path (and a newline) to t->pem; false when unreadable. */
static bool ca_trust_append(ca_trust *t, const char *path)
{
	char chunk[8192];
	size_t n;
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return false;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		t->pem = ec_xrealloc(t->pem, t->len + n + 2);
		memcpy(t->pem + t->len, chunk, n);
		t->len += n;
	}
	fclose(f);
	t->pem = ec_xrealloc(t->pem, t->len + 2);
	t->pem[t->len++] = '\n';
	t->pem[t->len] = '\0';
	return true;
}

int ca_trust_load(const char *ca_file, ca_trust *t, ec_error *err)
{
	char *system_bundle = NULL;
	CURL *c;
	memset(t, 0, sizeof *t);
	if (!ca_file || !*ca_file)
		return EC_OK;
	c = curl_easy_init();
	if (c)
		curl_easy_getinfo(c, CURLINFO_CAINFO, &system_bundle);
	/* A CA blob replaces libcurl's CA file: put the system's in it first. */
	ca_trust_append(t, system_bundle);
	if (c)
		curl_easy_cleanup(c);
	if (!ca_trust_append(t, ca_file)) {
		ca_trust_free(t);
		return ec_fail(err, EC_LOCAL,
		               "cannot read the CA file %s; check EMAILCFG_CA_FILE or the ca-file "
		               "setting",
		               ca_file);
	}
	t->blob = (struct curl_blob){.data = t->pem, .len = t->len, .flags = CURL_BLOB_NOCOPY};
	return EC_OK;
}

void ca_trust_apply(CURL *c, const ca_trust *t)
{
	if (t->pem)
		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &t->blob);
}

void ca_trust_free(ca_trust *t)
{
	free(t->pem);
	memset(t, 0, sizeof *t);
}
