/* fuzz_codec.c — libFuzzer harness: any bytes as an answer from the
 * organization: a collection page whose rows are read as mailboxes,
 * profiles, settings and alerts, an OData or sign-in error body, and the
 * defaultemailsettings XML. Nothing may crash, leak or read out of bounds.
 * The page is also read row by row (dv_scan) as mailboxes, with and without
 * the annotations the codec does not read left out, and with rows as views
 * or always as json-c objects: the codec must say the same of every row
 * each way, and the page must fail the same way. And the bytes as one row:
 * when a view reads them (core/codec/dv_row.h), json-c must too, and the
 * codec and the version listing must say the same of both. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec/codec.h"
#include "core/codec/dv_scan.h"
#include "core/sync/sync_versions.h"

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

static int said(void *ctx, const dv_row *row, long index, ec_error *err)
{
	ec_mailbox m;
	ec_error why = {0};
	(void)index, (void)err;
	if (codec_mailbox_from_row(row, &m, &why) == EC_OK) {
		json_object *cli = codec_mailbox_to_cli(&m);
		char n[64];
		snprintf(n, sizeof n, "%lld %d", m.version, m.owner_type);
		mix(ctx, json_object_to_json_string(cli));
		mix(ctx, n);
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

/* Each of: members kept or left out (bit 0), rows as views or not (bit 1). */
static void scan_both(const char *body, size_t size)
{
	uint64_t h[4];
	int rc[4];
	for (int i = 0; i < 4; i++) {
		dv_scan *sc = dv_scan_new(said, &h[i]);
		h[i] = 1469598103934665603ULL;
		if (i & 1)
			dv_scan_set_keep(sc, reads, NULL);
		dv_scan_set_lean(sc, !(i & 2));
		/* views fed in pieces (a row may wait for the next), json-c whole */
		size_t piece = i & 2 ? size : 1 + size % 97;
		rc[i] = EC_OK;
		for (size_t at = 0; at < size && rc[i] == EC_OK; at += piece)
			rc[i] = dv_scan_feed(sc, body + at, size - at < piece ? size - at : piece,
			                     NULL);
		if (rc[i] == EC_OK)
			rc[i] = dv_scan_finish(sc, NULL);
		dv_scan_free(sc);
	}
	/* A bound may stop the two at different rows, never the text; views
	 * change nothing (i ^ 2 is the same read with json-c). */
	for (int i = 1; i < 4; i++)
		if (rc[0] != rc[i] || (rc[0] == EC_OK && h[i & 1] != h[i]))
			abort();
	if (rc[0] == EC_OK && h[0] != h[1])
		abort(); /* members left out changed what the codec said */
}

/* What the codec says of row as each entity, and what the version listing
 * reads of it, hashed. */
static uint64_t row_said(const dv_row *row)
{
	uint64_t h = 1469598103934665603ULL;
	ec_error why = {0};
	struct cache_listed l = {0};
	ec_profile p;
	ec_settings st;
	ec_alert a;
	char n[64];
	said(&h, row, 0, NULL);
	if (codec_profile_from_row(row, &p, &why) == EC_OK) {
		json_object *cli = codec_profile_to_cli(&p);
		mix(&h, json_object_to_json_string(cli));
		snprintf(n, sizeof n, "%lld", p.version);
		mix(&h, n);
		mix(&h, p.unreadable);
		json_object_put(cli);
		profile_free(&p);
	} else {
		mix(&h, why.msg);
	}
	if (codec_settings_from_row(row, &st, &why) == EC_OK) {
		json_object *cli = codec_settings_to_cli(&st);
		snprintf(n, sizeof n, "%lld", st.version);
		mix(&h, n);
		mix(&h, json_object_to_json_string(cli));
		mix(&h, st.unreadable);
		json_object_put(cli);
		settings_free(&st);
	} else {
		mix(&h, why.msg);
	}
	if (codec_alert_from_row(row, &a, &why) == EC_OK) {
		json_object *cli = codec_alert_to_cli(&a);
		mix(&h, json_object_to_json_string(cli));
		mix(&h, a.unreadable);
		json_object_put(cli);
		alert_free(&a);
	} else {
		mix(&h, why.msg);
	}
	sync_versions_read_row(row, &l);
	snprintf(n, sizeof n, "%lld", (long long)l.version);
	mix(&h, n);
	mix(&h, l.modified_on);
	return h;
}

/* The bytes as one row: a view must read them as json-c does. */
static void view_or_json(const char *body, size_t size)
{
	static dv_view view;
	dv_row v = {NULL, &view}, j = {NULL, NULL};
	json_tokener *tok;
	uint64_t hv;
	if (!dv_view_parse(&view, body, size))
		return;
	hv = row_said(&v);
	tok = json_tokener_new();
	j.obj = json_tokener_parse_ex(tok, body, (int)size);
	if (!j.obj && json_tokener_get_error(tok) == json_tokener_continue)
		j.obj = json_tokener_parse_ex(tok, "", 1); /* a number at the end */
	if (!json_object_is_type(j.obj, json_type_object) || row_said(&j) != hv)
		abort();
	json_object_put(j.obj);
	json_tokener_free(tok);
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
	view_or_json(body, size);
	codec_odata_error(body, size, code, sizeof code, msg, sizeof msg);
	codec_token_error(body, size, &aadsts, code, sizeof code, msg, sizeof msg);
	xml = malloc(size + 1);
	memcpy(xml, data, size);
	xml[size] = '\0';
	codec_default_settings_parse(xml, &in, &out, &act, NULL);
	free(xml);
	return 0;
}
