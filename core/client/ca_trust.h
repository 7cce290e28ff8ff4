/* ca_trust.h — what the ca-file setting (EMAILCFG_CA_FILE) means for sign-in
 * and the Web API: its CAs are trusted in addition to the system's, never
 * instead of them, as for the probes (core/probes/probe.c). An admin adds a private
 * CA for a proxy or a test organization without losing the public ones. */
#ifndef EMAILCFG_CA_TRUST_H
#define EMAILCFG_CA_TRUST_H

#include <stddef.h>

#include <curl/curl.h>

#include "core/base/error.h"

typedef struct ca_trust {
	char *pem; /* the system bundle, then the CA file; NULL: libcurl's defaults */
	size_t len;
	struct curl_blob blob;
} ca_trust;

/* Reads the system bundle libcurl would use and ca_file after it (nothing
 * when ca_file is NULL or ""). EC_LOCAL when ca_file cannot be read. */
int ca_trust_load(const char *ca_file, ca_trust *t, ec_error *err);

/* Sets the CAs on an easy handle (after curl_easy_reset). */
void ca_trust_apply(CURL *c, const ca_trust *t);

void ca_trust_free(ca_trust *t);

#endif
