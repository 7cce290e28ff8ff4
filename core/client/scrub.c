/* scrub.c — hides echoed secrets in server answers (see scrub.h). */
#include "core/client/scrub.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/base/ini.h"
#include "core/base/mem.h"
#include "core/client/http.h"

/* The form fields whose values are secrets. */
static const char *const secret_fields[] = {
    "client_secret", "refresh_token", "device_code", "password", "code", "client_assertion",
};

/* text with every occurrence of needle replaced by SCRUB_MARK; text
 * itself is wiped and freed when it changed. */
static char *replace_all(char *text, const char *needle)
{
	size_t nlen = strlen(needle), mlen = strlen(SCRUB_MARK), count = 0, o = 0;
	char *out, *p;
	if (!nlen)
		return text;
	for (p = strstr(text, needle); p; p = strstr(p + nlen, needle))
		count++;
	if (!count)
		return text;
	out = ec_xmalloc(strlen(text) + count * mlen + 1);
	for (char *from = text; (p = strstr(from, needle)) || *from;) {
		size_t keep = p ? (size_t)(p - from) : strlen(from);
		memcpy(out + o, from, keep);
		o += keep;
		if (!p)
			break;
		memcpy(out + o, SCRUB_MARK, mlen);
		o += mlen;
		from = p + nlen;
	}
	out[o] = '\0';
	ec_wipe_free(text);
	return out;
}

/* secret with each '/' written as JSON may write it: "\/". */
static char *slash_escaped(const char *secret)
{
	size_t n = strlen(secret), o = 0;
	char *out = ec_xmalloc(2 * n + 1);
	for (const char *s = secret; *s; s++) {
		if (*s == '/')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

/* Hides one secret in each form it may come back in. */
static char *scrub_one(char *text, const char *secret)
{
	char *encoded = http_escape(secret), *slashed = slash_escaped(secret);
	text = replace_all(text, secret);
	text = replace_all(text, encoded);
	text = replace_all(text, slashed);
	ec_wipe_free(encoded);
	ec_wipe_free(slashed);
	return text;
}

char *scrub_secrets(const char *text, const char *const *secrets)
{
	char *out = ec_strdup(text ? text : "");
	for (size_t i = 0; secrets && secrets[i]; i++)
		if (*secrets[i])
			out = scrub_one(out, secrets[i]);
	return out;
}

static bool is_secret_field(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof secret_fields / sizeof secret_fields[0]; i++)
		if (strlen(secret_fields[i]) == len && !strncmp(name, secret_fields[i], len))
			return true;
	return false;
}

/* The decoded value of one "name=value" pair when name is a secret field. */
static char *form_secret(const char *pair, size_t len)
{
	const char *eq = memchr(pair, '=', len);
	char *value, *raw;
	int n = 0;
	if (!eq || !is_secret_field(pair, (size_t)(eq - pair)))
		return NULL;
	raw = curl_easy_unescape(NULL, eq + 1, (int)(len - (size_t)(eq + 1 - pair)), &n);
	if (!raw)
		return NULL;
	value = ec_strdup(raw);
	ec_wipe(raw, (size_t)n);
	curl_free(raw);
	return value;
}

char *scrub_form_secrets(const char *text, const char *form)
{
	char *out = ec_strdup(text ? text : "");
	for (const char *p = form; p && *p;) {
		size_t len = strcspn(p, "&");
		char *secret = form_secret(p, len);
		if (secret && *secret)
			out = scrub_one(out, secret);
		ec_wipe_free(secret);
		p += len;
		p += *p == '&';
	}
	return out;
}
