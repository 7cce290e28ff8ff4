/* fuzz_codec.c — libFuzzer harness: any bytes as an answer from the
 * organization: a collection page whose rows are read as mailboxes,
 * profiles, settings and alerts, an OData or sign-in error body, and the
 * defaultemailsettings XML. Nothing may crash, leak or read out of bounds.
 * The page is also read row by row (dv_scan) as mailboxes, with and without
 * the annotations the codec does not read left out: the codec must say the
 * same of every row either way, and the page must fail the same way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec/codec.h"
#include "core/codec/dv_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void rows(json_object *arr)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *row = json_object_array_get_idx(arr, i);
		ec_mailbox m;
		ec_profile p;
		ec_settings s;
		ec_alert a;
		if (codec_mailbox_from_json(row, &m, NULL) == EC_OK) {
			json_object_put(codec_mailbox_to_cli(&m));
			json_object_put(codec_mailbox_to_dataverse(&m));
			mailbox_free(&m);
		}
		if (codec_profile_from_json(row, &p, NULL) == EC_OK)
			profile_free(&p);
		if (codec_settings_from_json(row, &s, NULL) == EC_OK) {
			json_object_put(codec_settings_to_cli(&s));
			settings_free(&s);
		}
		if (codec_alert_from_json(row, &a, NULL) == EC_OK)
			alert_free(&a);
	}
}

/* FNV-1a over what the codec said of each row. */
static void mix(uint64_t *h, const char *s)
{
	for (; s && *s; s++)
		*h = (*h ^ (unsigned char)*s) * 1099511628211ULL;
	*h = (*h ^ 0xff) * 1099511628211ULL;
}

static int said(void *ctx, json_object *row, long index, ec_error *err)
{
	ec_mailbox m;
	ec_error why = {0};
	(void)index, (void)err;
	if (codec_mailbox_from_json(row, &m, &why) == EC_OK) {
		json_object *cli = codec_mailbox_to_cli(&m);
		mix(ctx, json_object_to_json_string(cli));
		mix(ctx, m.unreadable);
		json_object_put(cli);
		mailbox_free(&m);
	} else {
		mix(ctx, why.msg);
	}
	return EC_OK;
}

static bool reads(void *ctx, const char *key, size_t len)
{
	(void)ctx;
	return codec_mailbox_reads(key, len);
}

static void scan_both(const char *body, size_t size)
{
	uint64_t h[2] = {1469598103934665603ULL, 1469598103934665603ULL};
	int rc[2];
	for (int i = 0; i < 2; i++) {
		dv_scan *sc = dv_scan_new(said, &h[i]);
		if (i)
			dv_scan_set_keep(sc, reads, NULL);
		rc[i] = dv_scan_feed(sc, body, size, NULL);
		if (rc[i] == EC_OK)
			rc[i] = dv_scan_finish(sc, NULL);
		dv_scan_free(sc);
	}
	/* A bound may stop the two at different rows, never the text. */
	if (rc[0] != rc[1] || (rc[0] == EC_OK && h[0] != h[1]))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data, *next;
	json_object *root = NULL, *arr = NULL;
	char code[64], msg[600], *xml;
	long aadsts;
	int in, out, act;
	if (codec_page_parse(body, size, &root, &arr, &next, NULL) == EC_OK)
		rows(arr);
	json_object_put(root);
	scan_both(body, size);
	codec_odata_error(body, size, code, sizeof code, msg, sizeof msg);
	codec_token_error(body, size, &aadsts, code, sizeof code, msg, sizeof msg);
	xml = malloc(size + 1);
	memcpy(xml, data, size);
	xml[size] = '\0';
	codec_default_settings_parse(xml, &in, &out, &act, NULL);
	free(xml);
	return 0;
}
