/* fuzz_codec.c — libFuzzer harness: any bytes as an answer from the
 * organization: a collection page whose rows are read as mailboxes,
 * profiles, settings and alerts, an OData or sign-in error body, and the
 * defaultemailsettings XML. Nothing may crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec/codec.h"

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
	codec_odata_error(body, size, code, sizeof code, msg, sizeof msg);
	codec_token_error(body, size, &aadsts, code, sizeof code, msg, sizeof msg);
	xml = malloc(size + 1);
	memcpy(xml, data, size);
	xml[size] = '\0';
	codec_default_settings_parse(xml, &in, &out, &act, NULL);
	free(xml);
	return 0;
}
