/* codec.h — the JSON codec: Dataverse Web API JSON to the model and back
 * (mailboxes, emailserverprofiles, organizations, tracelogs), the
 * defaultemailsettings XML, the OData and AADSTS error bodies, collection
 * pages, and the model's JSON for `--json` output (docs/cli.md).
 *
 * Pure functions on json-c values and strings: no global state, no I/O but
 * codec_mailbox_write_json() writing to the stream it is given.
 * Parsing fills an ec_error with one sentence naming the field and the value
 * it refused; values from outside are quoted with control characters escaped.
 *
 * Ownership: a json_object returned here is new (free it with
 * json_object_put); strings returned are malloc'ed (free them). A
 * *_from_json() initialises `out` itself and leaves it initialised (nothing
 * to free) when it fails. */
#ifndef EMAILCFG_CODEC_H
#define EMAILCFG_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "core/base/error.h"
#include "core/codec/dv_row.h"
#include "core/model/model.h"

/* $select lists, built from the same column tables that drive parsing. */
extern const char codec_mailbox_select[];
extern const char codec_profile_select[];
extern const char codec_settings_select[];
extern const char codec_alert_select[];

/* One row of a collection (or a single-row answer, or a PATCH body made by
 * *_to_dataverse) into the model. Properties may come in any order; unknown
 * properties and annotations are ignored; JSON null gives EC_NULL, NULL or
 * "". A wrong type, a bad GUID or time is an EC_USAGE error naming the
 * entity, the field and the value. What the row gives only in part is kept
 * and noted in out->unreadable ("field 'x': why; ..."): an option value
 * newer than this emailcfg stays its number, and a text value with invalid
 * UTF-8 has each bad byte replaced by U+FFFD, in row itself too (so its raw
 * JSON is clean; a member whose name is not UTF-8 is dropped). Ids are stored
 * as lowercase GUIDs, times as YYYY-MM-DDThh:mm:ssZ (the 0001-01-01 and
 * 1900-01-01 placeholders become ""). A row without its primary key gives
 * id "". */
int codec_mailbox_from_json(json_object *row, ec_mailbox *out, ec_error *err);
int codec_profile_from_json(json_object *row, ec_profile *out, ec_error *err);
int codec_settings_from_json(json_object *row, ec_settings *out, ec_error *err);
int codec_alert_from_json(json_object *row, ec_alert *out, ec_error *err);
/* The same of a row as a page reader hands it over (a json-c object or a
 * view, core/codec/dv_row.h): the same result and the same error either
 * way. A view's row is never repaired (it holds valid UTF-8 only). */
int codec_mailbox_from_row(const dv_row *row, ec_mailbox *out, ec_error *err);
int codec_profile_from_row(const dv_row *row, ec_profile *out, ec_error *err);
int codec_settings_from_row(const dv_row *row, ec_settings *out, ec_error *err);
int codec_alert_from_row(const dv_row *row, ec_alert *out, ec_error *err);
/* Whether the _from_json() above reads a row's member of this name (len
 * bytes, not NUL-ended): false only for an annotation of a column it reads
 * without its annotations (say a FormattedValue of an option), which a page
 * reader may leave out (dv_scan_set_keep). */
bool codec_mailbox_reads(const char *key, size_t len);
bool codec_profile_reads(const char *key, size_t len);
bool codec_alert_reads(const char *key, size_t len);

/* The defaultemailsettings XML of the organization. Whitespace, element
 * order, an XML declaration, comments and unknown extra elements are
 * tolerated; a missing element (or a NULL or empty xml) gives EC_NULL.
 * Malformed XML or a value outside the option set is an EC_USAGE error
 * naming the element and the value. */
int codec_default_settings_parse(const char *xml, int *incoming, int *outgoing, int *act,
                                 ec_error *err);
/* Exactly <EmailSettings><IncomingEmailDeliveryMethod>2</Incoming...>
 * <OutgoingEmailDeliveryMethod>..</..><ACTDeliveryMethod>..</..>
 * </EmailSettings>, no whitespace; an EC_NULL value leaves its element out.
 * Caller frees. */
char *codec_default_settings_xml(int incoming, int outgoing, int act);

/* PATCH bodies with the writable columns of the whole row: absent (EC_NULL,
 * NULL) values are left out; the profile lookups are written as
 * "<nav>@odata.bind": "/emailserverprofiles(<id>)" or null; statecode goes
 * with its statuscode (SetState). from_json(to_dataverse(x)) gives back
 * every writable field of x. Pushing an edit uses keys_*_patch() instead,
 * which sends only the changed columns. */
json_object *codec_mailbox_to_dataverse(const ec_mailbox *m);
json_object *codec_settings_to_dataverse(const ec_settings *s);
/* "/emailserverprofiles(<id>)" for an @odata.bind, or NULL (JSON null) when
 * id is "". */
json_object *codec_profile_bind(const char *id);
/* The statuscode that goes with a statecode (Active 1, Inactive 2). */
int codec_status_of_state(int statecode);

/* Parses a JSON text completely (trailing garbage, truncation and invalid
 * UTF-8 are refused with an EC_NETWORK error: the organization sent it). */
int codec_json_parse(const char *body, size_t len, json_object **root, ec_error *err);

/* A collection page: *root is the parsed body (caller puts it), *rows its
 * "value" array and *next_link its "@odata.nextLink" (NULL on the last
 * page); both borrowed from *root. Malformed or truncated JSON, a body that
 * is not an object, a missing "value" array or a nextLink that is not a
 * UTF-8 string are EC_NETWORK errors; on error *root is NULL. Invalid UTF-8
 * inside the rows' text is left for the row codec to repair. */
int codec_page_parse(const char *body, size_t len, json_object **root, json_object **rows,
                     const char **next_link, ec_error *err);

/* The OData error body {"error":{"code":"0x...","message":"..."}} (innererror
 * and annotations tolerated). Returns 0 and fills code ("" when empty or
 * missing) and message (control characters made spaces, cut at a character
 * boundary) when the body is one; -1 otherwise (buffers set to ""). */
int codec_odata_error(const char *body, size_t len, char *code, size_t code_size, char *message,
                      size_t msg_size);

/* The token endpoint's error body {"error":"invalid_client",
 * "error_description":"AADSTS7000215: ...\r\nTrace ID: ...","error_codes":
 * [7000215],...}. Returns 0 and fills the AADSTS number (from error_codes,
 * else from the description; 0 when neither), the error and the first line
 * of the description; -1 when the body is not such an error. */
int codec_token_error(const char *body, size_t len, long *aadsts_code, char *error,
                      size_t error_size, char *description, size_t description_size);

/* The `--json` shapes of docs/cli.md, keys exactly in that order:
 * slugs for options, lowercase GUIDs, ISO 8601 UTC times, null for absent
 * values, JSON booleans for flags. */
json_object *codec_mailbox_to_cli(const ec_mailbox *m);
/* The same mailbox written straight to out as compact JSON text, byte for
 * byte what cli_write_json(out, codec_mailbox_to_cli(m), false) writes
 * (listings of 100,000 rows: no json-c objects). */
void codec_mailbox_write_json(FILE *out, const ec_mailbox *m);
/* The number of those fields, the key of field i, and field i as a CSV
 * cell's text: what json_object_get_string() gives of its value ("" for
 * null; buf holds a number). */
extern const int codec_mailbox_cli_count;
const char *codec_mailbox_cli_key(int i);
const char *codec_mailbox_cli_text(const ec_mailbox *m, int i, char buf[32]);
json_object *codec_settings_to_cli(const ec_settings *s);
json_object *codec_profile_to_cli(const ec_profile *p);
json_object *codec_alert_to_cli(const ec_alert *a);
json_object *codec_outbox_to_cli(const ec_outbox_entry *e);
/* The same with each server-profile id of changes, mine, theirs and base
 * shown as the name name_of gives (a keys_profile_namer; the id when it
 * gives none). */
json_object *codec_outbox_to_cli_named(const ec_outbox_entry *e,
                                       char *(*name_of)(void *ctx, const char *id), void *ctx);
json_object *codec_test_result_to_cli(const ec_test_result *t);

/* Validation shared with keys.c and the cache: a GUID in any case (no
 * braces) into its lowercase form; a Dataverse time into
 * YYYY-MM-DDThh:mm:ssZ ("" for a placeholder date). Return 0 or -1. */
int codec_guid_normalize(const char *in, char out[EC_ID_SIZE]);
/* Whether the n bytes at s are valid UTF-8. */
bool codec_utf8_valid(const char *s, size_t n);
int codec_time_normalize(const char *in, char out[EC_TIME_SIZE]);

/* A value from outside, made safe for an error message: at most about 60
 * bytes, every byte outside printable ASCII written as \xNN, "..." when
 * cut. Returns buf. */
const char *codec_quote(const char *s, char *buf, size_t size);

#endif
