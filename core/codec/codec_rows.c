/* codec_rows.c — Dataverse rows to the model and back: one column table per
 * entity (mailbox, emailserverprofile, organization, tracelog) drives the
 * $select list, parsing and the PATCH bodies. Column names are the real
 * logical names of docs/dataverse.md. Pure functions on
 * json-c values (see codec.h). */
#include "core/codec/codec.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec/dv_row.h"
#include "core/model/options.h"
#include "core/base/utf8.h"

#define FORMATTED  "@OData.Community.Display.V1.FormattedValue"
#define LOGICAL    "@Microsoft.Dynamics.CRM.lookuplogicalname"
#define NAVIGATION "@Microsoft.Dynamics.CRM.associatednavigationproperty"
#define BIND       "@odata.bind"

enum col_kind {
	COL_ID,      /* char[EC_ID_SIZE]: a GUID */
	COL_LOOKUP,  /* char[EC_ID_SIZE] + its FormattedValue into the char * at aux */
	COL_STRING,  /* char * */
	COL_OPTION,  /* int, a wire value of set */
	COL_BOOL,    /* int 0/1 */
	COL_INT,     /* int >= 0 */
	COL_SINT,    /* int, negative too (an error code) */
	COL_INT64,   /* long long >= 0 */
	COL_TIME,    /* char[EC_TIME_SIZE] */
	COL_VERSION, /* long long versionnumber */
	COL_XML,     /* defaultemailsettings: the three default methods */
	COL_FLAG,    /* a boolean only checked here, read by the entity's finish */
};

enum { COL_RO = 0, COL_W = 1, COL_STATE = 2 /* statecode: also send statuscode */ };

typedef struct codec_col {
	const char *name; /* logical name as selected (lookups: _x_value) */
	enum col_kind kind;
	size_t off;
	size_t aux;           /* COL_LOOKUP: offset of the name, 0 for none */
	const ec_optset *set; /* COL_OPTION */
	const char *nav;      /* writable lookups: navigation property to bind */
	unsigned flags;
} codec_col;

typedef struct codec_entity {
	const char *what; /* the logical name, for messages */
	const codec_col *cols;
	int ncols;
	int (*finish)(const struct codec_entity *e, const dv_row *row, void *out, ec_error *err);
	size_t unreadable; /* offset of the char *unreadable of the model */
} codec_entity;

/* What a row could not give completely, "field 'x': why; ..." (bounded). */
typedef struct row_notes {
	char text[480];
	size_t used;
} row_notes;

static void note_add(row_notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The tables: X0 is the first column, X every other (so the $select string
 * is built without a trailing comma). */
#define MB(f) offsetof(ec_mailbox, f)
#define MAILBOX_COLUMNS(X0, X)                                                                     \
	X0(mailboxid, COL_ID, MB(id), 0, NULL, NULL, COL_RO)                                       \
	X(name, COL_STRING, MB(name), 0, NULL, NULL, COL_W)                                        \
	X(emailaddress, COL_STRING, MB(email), 0, NULL, NULL, COL_W)                               \
	X(_regardingobjectid_value, COL_LOOKUP, MB(owner_id), MB(owner), NULL, NULL, COL_RO)       \
	X(_emailserverprofile_value, COL_LOOKUP, MB(profile_id), MB(profile_name), NULL,           \
	  "emailserverprofile", COL_W)                                                             \
	X(incomingemaildeliverymethod, COL_OPTION, MB(incoming), 0, &opt_incoming, NULL, COL_W)    \
	X(outgoingemaildeliverymethod, COL_OPTION, MB(outgoing), 0, &opt_outgoing, NULL, COL_W)    \
	X(actdeliverymethod, COL_OPTION, MB(act), 0, &opt_act, NULL, COL_W)                        \
	X(incomingemailstatus, COL_OPTION, MB(incoming_status), 0, &opt_channel_status, NULL,      \
	  COL_RO)                                                                                  \
	X(outgoingemailstatus, COL_OPTION, MB(outgoing_status), 0, &opt_channel_status, NULL,      \
	  COL_RO)                                                                                  \
	X(actstatus, COL_OPTION, MB(act_status), 0, &opt_channel_status, NULL, COL_RO)             \
	X(mailboxstatus, COL_OPTION, MB(mailbox_status), 0, &opt_channel_status, NULL, COL_RO)     \
	X(emailrouteraccessapproval, COL_OPTION, MB(approval), 0, &opt_approval, NULL, COL_W)      \
	X(enabledforincomingemail, COL_BOOL, MB(enabled_incoming), 0, NULL, NULL, COL_W)           \
	X(enabledforoutgoingemail, COL_BOOL, MB(enabled_outgoing), 0, NULL, NULL, COL_W)           \
	X(enabledforact, COL_BOOL, MB(enabled_act), 0, NULL, NULL, COL_W)                          \
	X(testemailconfigurationscheduled, COL_BOOL, MB(test_scheduled), 0, NULL, NULL, COL_W)     \
	X(testmailboxaccesscompletedon, COL_TIME, MB(test_completed_on), 0, NULL, NULL, COL_RO)    \
	X(testemailconfigurationretrycount, COL_INT, MB(retry_count), 0, NULL, NULL, COL_RO)       \
	X(allowemailconnectortousecredentials, COL_BOOL, MB(allow_credentials), 0, NULL, NULL,     \
	  COL_W)                                                                                   \
	X(username, COL_STRING, MB(username), 0, NULL, NULL, COL_W)                                \
	X(ispasswordset, COL_BOOL, MB(password_set), 0, NULL, NULL, COL_RO)                        \
	X(isforwardmailbox, COL_BOOL, MB(is_forward_mailbox), 0, NULL, NULL, COL_RO)               \
	X(orgmarkedasprimaryforexchangesync, COL_BOOL, MB(org_primary_for_exchange_sync), 0, NULL, \
	  NULL, COL_RO)                                                                            \
	X(processemailreceivedafter, COL_TIME, MB(process_email_from), 0, NULL, NULL, COL_W)       \
	X(processanddeleteemails, COL_BOOL, MB(delete_after_processing), 0, NULL, NULL, COL_W)     \
	X(ewsurl, COL_STRING, MB(ews_url), 0, NULL, NULL, COL_W)                                   \
	X(processingstatecode, COL_INT, MB(processing_state), 0, NULL, NULL, COL_RO)               \
	X(lastsuccessfulsynccompletedon, COL_TIME, MB(last_sync_on), 0, NULL, NULL, COL_RO)        \
	X(lastsyncerror, COL_STRING, MB(last_sync_error), 0, NULL, NULL, COL_RO)                   \
	X(lastsyncerrorcode, COL_SINT, MB(last_sync_error_code), 0, NULL, NULL, COL_RO)            \
	X(lastsyncerroroccurredon, COL_TIME, MB(last_sync_error_on), 0, NULL, NULL, COL_RO)        \
	X(statecode, COL_OPTION, MB(state), 0, &opt_state, NULL, COL_W | COL_STATE)                \
	X(modifiedon, COL_TIME, MB(modified_on), 0, NULL, NULL, COL_RO)                            \
	X(versionnumber, COL_VERSION, MB(version), 0, NULL, NULL, COL_RO)

#define PR(f) offsetof(ec_profile, f)
#define PROFILE_COLUMNS(X0, X)                                                                     \
	X0(emailserverprofileid, COL_ID, PR(id), 0, NULL, NULL, COL_RO)                            \
	X(name, COL_STRING, PR(name), 0, NULL, NULL, COL_W)                                        \
	X(servertype, COL_OPTION, PR(server_type), 0, &opt_server_type, NULL, COL_W)               \
	X(incomingserverlocation, COL_STRING, PR(incoming_location), 0, NULL, NULL, COL_W)         \
	X(outgoingserverlocation, COL_STRING, PR(outgoing_location), 0, NULL, NULL, COL_W)         \
	X(incomingportnumber, COL_INT, PR(incoming_port), 0, NULL, NULL, COL_W)                    \
	X(outgoingportnumber, COL_INT, PR(outgoing_port), 0, NULL, NULL, COL_W)                    \
	X(incomingusessl, COL_BOOL, PR(incoming_ssl), 0, NULL, NULL, COL_W)                        \
	X(outgoingusessl, COL_BOOL, PR(outgoing_ssl), 0, NULL, NULL, COL_W)                        \
	X(incomingcredentialretrieval, COL_OPTION, PR(incoming_credential), 0, &opt_credential,    \
	  NULL, COL_W)                                                                             \
	X(outgoingcredentialretrieval, COL_OPTION, PR(outgoing_credential), 0, &opt_credential,    \
	  NULL, COL_W)                                                                             \
	X(usesamesettingsforoutgoingconnections, COL_BOOL, PR(use_same_settings), 0, NULL, NULL,   \
	  COL_W)                                                                                   \
	X(emailservertypename, COL_STRING, PR(server_type_name), 0, NULL, NULL, COL_RO)            \
	X(incomingauthenticationprotocol, COL_OPTION, PR(incoming_auth), 0, &opt_auth_protocol,    \
	  NULL, COL_W)                                                                             \
	X(outgoingauthenticationprotocol, COL_OPTION, PR(outgoing_auth), 0, &opt_auth_protocol,    \
	  NULL, COL_W)                                                                             \
	X(incomingusername, COL_STRING, PR(incoming_username), 0, NULL, NULL, COL_W)               \
	X(outgoingusername, COL_STRING, PR(outgoing_username), 0, NULL, NULL, COL_W)               \
	X(isincomingpasswordset, COL_BOOL, PR(incoming_password_set), 0, NULL, NULL, COL_RO)       \
	X(isoutgoingpasswordset, COL_BOOL, PR(outgoing_password_set), 0, NULL, NULL, COL_RO)       \
	X(useautodiscover, COL_BOOL, PR(use_autodiscover), 0, NULL, NULL, COL_W)                   \
	X(maxconcurrentconnections, COL_INT, PR(max_connections), 0, NULL, NULL, COL_W)            \
	X(statecode, COL_OPTION, PR(state), 0, &opt_state, NULL, COL_W | COL_STATE)                \
	X(modifiedon, COL_TIME, PR(modified_on), 0, NULL, NULL, COL_RO)                            \
	X(versionnumber, COL_VERSION, PR(version), 0, NULL, NULL, COL_RO)

#define ST(f) offsetof(ec_settings, f)
#define SETTINGS_COLUMNS(X0, X)                                                                    \
	X0(organizationid, COL_ID, ST(id), 0, NULL, NULL, COL_RO)                                  \
	X(name, COL_STRING, ST(name), 0, NULL, NULL, COL_RO)                                       \
	X(emailconnectionchannel, COL_OPTION, ST(process_using), 0, &opt_process_using, NULL,      \
	  COL_W)                                                                                   \
	X(_defaultemailserverprofileid_value, COL_LOOKUP, ST(default_profile_id),                  \
	  ST(default_profile_name), NULL, "defaultemailserverprofileid", COL_W)                    \
	X(defaultemailsettings, COL_XML, ST(default_incoming), 0, NULL, NULL, COL_W)               \
	X(requireapprovalforuseremail, COL_BOOL, ST(approve_users), 0, NULL, NULL, COL_W)          \
	X(requireapprovalforqueueemail, COL_BOOL, ST(approve_queues), 0, NULL, NULL, COL_W)        \
	X(generatealertsforerrors, COL_BOOL, ST(alerts_errors), 0, NULL, NULL, COL_W)              \
	X(generatealertsforwarnings, COL_BOOL, ST(alerts_warnings), 0, NULL, NULL, COL_W)          \
	X(generatealertsforinformation, COL_BOOL, ST(alerts_information), 0, NULL, NULL, COL_W)    \
	X(notifymailboxownerofemailserverlevelalerts, COL_BOOL, ST(notify_mailbox_owner), 0, NULL, \
	  NULL, COL_W)                                                                             \
	X(emailcorrelationenabled, COL_BOOL, ST(correlation), 0, NULL, NULL, COL_W)                \
	X(maximumtrackingnumber, COL_INT, ST(max_tracking_number), 0, NULL, NULL, COL_W)           \
	X(trackingprefix, COL_STRING, ST(tracking_prefix), 0, NULL, NULL, COL_W)                   \
	X(isfolderbasedtrackingenabled, COL_BOOL, ST(folder_tracking), 0, NULL, NULL, COL_W)       \
	X(enablesmartmatching, COL_BOOL, ST(smart_matching), 0, NULL, NULL, COL_W)                 \
	X(ignoreinternalemail, COL_BOOL, ST(ignore_internal_email), 0, NULL, NULL, COL_W)          \
	X(allowunresolvedpartiesonemailsend, COL_BOOL, ST(allow_unresolved), 0, NULL, NULL, COL_W) \
	X(maxuploadfilesize, COL_INT64, ST(max_upload_bytes), 0, NULL, NULL, COL_W)                \
	X(modifiedon, COL_TIME, ST(modified_on), 0, NULL, NULL, COL_RO)                            \
	X(versionnumber, COL_VERSION, ST(version), 0, NULL, NULL, COL_RO)

#define AL(f) offsetof(ec_alert, f)
#define ALERT_COLUMNS(X0, X)                                                                       \
	X0(tracelogid, COL_ID, AL(id), 0, NULL, NULL, COL_RO)                                      \
	X(text, COL_STRING, AL(text), 0, NULL, NULL, COL_RO)                                       \
	X(level, COL_OPTION, AL(level), 0, &opt_alert_level, NULL, COL_RO)                         \
	X(tracecode, COL_INT64, AL(code), 0, NULL, NULL, COL_RO)                                   \
	X(tracestatus, COL_BOOL, AL(success), 0, NULL, NULL, COL_RO)                               \
	X(_regardingobjectid_value, COL_LOOKUP, AL(regarding_id), 0, NULL, NULL, COL_RO)           \
	X(createdon, COL_TIME, AL(created_on), 0, NULL, NULL, COL_RO)                              \
	X(modifiedon, COL_TIME, AL(modified_on), 0, NULL, NULL, COL_RO)

#define COLUMN_ROW(col, kind, off, aux, set, nav, flags) {#col, kind, off, aux, set, nav, flags},
#define SELECT_FIRST(col, ...)                           #col
#define SELECT_NEXT(col, ...)                            "," #col

const char codec_mailbox_select[] = MAILBOX_COLUMNS(SELECT_FIRST, SELECT_NEXT);
const char codec_profile_select[] = PROFILE_COLUMNS(SELECT_FIRST, SELECT_NEXT);
const char codec_settings_select[] = SETTINGS_COLUMNS(SELECT_FIRST, SELECT_NEXT);
const char codec_alert_select[] = ALERT_COLUMNS(SELECT_FIRST, SELECT_NEXT);

static const codec_col mailbox_cols[] = {MAILBOX_COLUMNS(COLUMN_ROW, COLUMN_ROW)};
static const codec_col profile_cols[] = {PROFILE_COLUMNS(COLUMN_ROW, COLUMN_ROW)};
static const codec_col settings_cols[] = {SETTINGS_COLUMNS(COLUMN_ROW, COLUMN_ROW)};
static const codec_col alert_cols[] = {ALERT_COLUMNS(COLUMN_ROW, COLUMN_ROW)};

#define NCOLS(t) ((int)(sizeof(t) / sizeof((t)[0])))

/* ---- reading one value ------------------------------------------------ */

static const char *json_kind(enum json_type t)
{
	switch (t) {
	case json_type_null: return "null";
	case json_type_boolean: return "boolean";
	case json_type_double:
	case json_type_int: return "number";
	case json_type_object: return "object";
	case json_type_array: return "array";
	case json_type_string: return "string";
	}
	return "something else";
}

static int wrong_type(const codec_entity *e, const char *field, const char *want, const dv_value *v,
                      ec_error *err)
{
	return ec_fail(err, EC_USAGE, "%s field '%s' should be %s, got %s", e->what, field, want,
	               json_kind(v->type));
}

static int bad_value(const codec_entity *e, const char *field, const char *want, const char *got,
                     ec_error *err)
{
	char quoted[80];
	return ec_fail(err, EC_USAGE, "%s field '%s' should be %s, got '%s'", e->what, field, want,
	               codec_quote(got, quoted, sizeof quoted));
}

static void note_add(row_notes *n, const char *fmt, ...)
{
	va_list ap;
	int w;
	if (n->used + 8 >= sizeof n->text)
		return; /* bounded: the first notes tell enough */
	if (n->used)
		n->used += (size_t)snprintf(n->text + n->used, sizeof n->text - n->used, "; ");
	va_start(ap, fmt);
	w = vsnprintf(n->text + n->used, sizeof n->text - n->used, fmt, ap);
	va_end(ap);
	n->used = w < 0 ? n->used : n->used + (size_t)w;
	if (n->used >= sizeof n->text)
		n->used = sizeof n->text - 1;
}

/* s with every byte that is not part of valid UTF-8 replaced by U+FFFD, or
 * NULL when s is valid. Caller frees. */
static char *utf8_repaired(const char *s, size_t n, size_t *out_len)
{
	char *out = NULL;
	size_t used = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len;
		if (!out && (i += utf8_ascii_run(s + i, n - i)) == n)
			break;
		len = utf8_decode(s + i, n - i, &cp);
		if (len && !out) {
			i += len;
			continue;
		}
		if (!out) {
			out = ec_xmalloc(n * 3 + 1);
			memcpy(out, s, i);
			used = i;
		}
		if (len) {
			memcpy(out + used, s + i, len);
			used += len, i += len;
		} else {
			memcpy(out + used, "\xef\xbf\xbd", 3);
			used += 3, i++;
		}
	}
	if (out)
		out[used] = '\0';
	*out_len = used;
	return out;
}

/* Members whose name is not UTF-8 (at most 8 a call): no column has one. */
static int drop_bad_names(json_object *row)
{
	char *drop[8];
	int n = 0;
	json_object_object_foreach(row, key, v)
	{
		(void)v;
		if (n < 8 && !codec_utf8_valid(key, strlen(key)))
			drop[n++] = ec_strdup(key);
	}
	for (int i = 0; i < n; i++) {
		json_object_object_del(row, drop[i]);
		free(drop[i]);
	}
	return n;
}

static bool entity_reads(const codec_entity *e, const char *key, size_t len);

/* Invalid UTF-8 in a row's text would reach the cache, the screen and
 * --json: each value that has it is repaired in place (and noted), so the
 * row is kept with its other columns current rather than refused. Only a
 * member the codec reads is noted: an annotation it never reads is left out
 * of rows by the page scanner, and the note must not depend on whether it
 * was (a key sent twice, bad then plain, would be noted only when the plain
 * one was left out). */
static void repair_utf8(const codec_entity *e, json_object *row, row_notes *notes)
{
	char quoted[80];
	while (drop_bad_names(row) == 8)
		;
	json_object_object_foreach(row, key, v)
	{
		char *fixed;
		size_t len;
		if (!json_object_is_type(v, json_type_string))
			continue;
		fixed = utf8_repaired(json_object_get_string(v),
		                      (size_t)json_object_get_string_len(v), &len);
		if (!fixed)
			continue;
		json_object_set_string_len(v, fixed, (int)len);
		free(fixed);
		if (entity_reads(e, key, strlen(key)))
			note_add(notes, "field '%s': invalid UTF-8, shown with U+FFFD",
			         codec_quote(key, quoted, sizeof quoted));
	}
}

/* A string property (non-NULL v); refuses other types and embedded NULs. */
static int read_string(const codec_entity *e, const char *field, const dv_value *v,
                       const char **out, ec_error *err)
{
	if (v->type != json_type_string)
		return wrong_type(e, field, "a string", v, err);
	*out = v->str;
	if (strlen(*out) != v->len)
		return ec_fail(err, EC_USAGE, "%s field '%s' contains a NUL character", e->what,
		               field);
	return EC_OK;
}

/* A whole number in [min, max]. */
static int read_number(const codec_entity *e, const char *field, const dv_value *v, long long min,
                       long long max, long long *out, ec_error *err)
{
	char text[32];
	if (v->type == json_type_double)
		return ec_fail(err, EC_USAGE, "%s field '%s' should be a whole number, got %s",
		               e->what, field, dv_value_text(v, text));
	if (v->type != json_type_int)
		return wrong_type(e, field, "a number", v, err);
	*out = v->num;
	/* json-c holds a number above INT64_MAX as a uint64 (never a view) */
	if (*out < min || *out > max ||
	    (*out == INT64_MAX && v->obj && json_object_get_uint64(v->obj) > INT64_MAX))
		return ec_fail(err, EC_USAGE,
		               "%s field '%s' value %s is out of range (%lld to %lld)", e->what,
		               field, dv_value_text(v, text), min, max);
	return EC_OK;
}

static int read_guid(const codec_entity *e, const char *field, const dv_value *v,
                     char out[EC_ID_SIZE], ec_error *err)
{
	const char *s;
	int rc = read_string(e, field, v, &s, err);
	if (rc)
		return rc;
	if (codec_guid_normalize(s, out))
		return bad_value(e, field, "a GUID", s, err);
	return EC_OK;
}

/* An optional string annotation of field (NULL when absent or null). */
static int read_annotation(const codec_entity *e, const dv_row *row, const char *field,
                           const char *term, const char **out, ec_error *err)
{
	char key[160];
	dv_value v;
	*out = NULL;
	snprintf(key, sizeof key, "%s%s", field, term);
	if (!dv_row_get(row, key, &v) || v.type == json_type_null)
		return EC_OK;
	return read_string(e, key, &v, out, err);
}

/* "/emailserverprofiles(<guid>)" (leading slash optional) into out. */
static int read_bind(const codec_entity *e, const char *field, const dv_value *v,
                     char out[EC_ID_SIZE], ec_error *err)
{
	static const char prefix[] = "emailserverprofiles(";
	char guid[EC_ID_SIZE];
	const char *s;
	size_t n;
	int rc = read_string(e, field, v, &s, err);
	if (rc)
		return rc;
	n = strlen(s);
	if (*s == '/')
		s++, n--;
	if (n != sizeof prefix - 1 + EC_ID_SIZE || strncmp(s, prefix, sizeof prefix - 1) != 0 ||
	    s[n - 1] != ')')
		return bad_value(e, field, "'/emailserverprofiles(<id>)'", s, err);
	memcpy(guid, s + sizeof prefix - 1, EC_ID_SIZE - 1);
	guid[EC_ID_SIZE - 1] = '\0';
	if (codec_guid_normalize(guid, out))
		return bad_value(e, field, "'/emailserverprofiles(<id>)'", s, err);
	return EC_OK;
}

/* A writable lookup given as "<nav>@odata.bind" (as in a PATCH body). */
static int parse_bind(const codec_entity *e, const codec_col *c, const dv_row *row, char *base,
                      ec_error *err)
{
	char key[160];
	dv_value v;
	snprintf(key, sizeof key, "%s%s", c->nav, BIND);
	if (!dv_row_get(row, key, &v) || v.type == json_type_null)
		return EC_OK;
	return read_bind(e, key, &v, base + c->off, err);
}

static int parse_lookup(const codec_entity *e, const codec_col *c, const dv_row *row,
                        const dv_value *v, char *base, ec_error *err)
{
	const char *name;
	int rc = read_guid(e, c->name, v, base + c->off, err);
	if (rc || !c->aux)
		return rc;
	if ((rc = read_annotation(e, row, c->name, FORMATTED, &name, err)))
		return rc;
	*(char **)(base + c->aux) = ec_strdup(name);
	return EC_OK;
}

/* A value newer than this emailcfg is kept as its number (and noted), so
 * the row is stored, shown and never rewritten by an edit of another
 * field; refusing it would leave the whole row stale. */
static int parse_option(const codec_entity *e, const codec_col *c, const dv_value *v, char *base,
                        row_notes *notes, ec_error *err)
{
	long long n;
	int rc = read_number(e, c->name, v, INT_MIN, INT_MAX, &n, err);
	if (rc)
		return rc;
	if (!opt_find_wire(c->set, (int)n))
		note_add(notes, "field '%s': value %lld is newer than this emailcfg", c->name, n);
	*(int *)(base + c->off) = (int)n;
	return EC_OK;
}

static int parse_time(const codec_entity *e, const codec_col *c, const dv_value *v, char *base,
                      ec_error *err)
{
	const char *s;
	int rc = read_string(e, c->name, v, &s, err);
	if (rc)
		return rc;
	if (codec_time_normalize(s, base + c->off))
		return bad_value(e, c->name, "a time like 2024-03-01T09:00:00Z", s, err);
	return EC_OK;
}

static int parse_xml(const codec_entity *e, const codec_col *c, const dv_value *v, char *base,
                     ec_error *err)
{
	ec_settings *s = (ec_settings *)base;
	const char *xml;
	int rc = read_string(e, c->name, v, &xml, err);
	if (rc)
		return rc;
	return codec_default_settings_parse(xml, &s->default_incoming, &s->default_outgoing,
	                                    &s->default_act, err);
}

static int parse_scalar(const codec_entity *e, const codec_col *c, const dv_value *v, char *base,
                        ec_error *err)
{
	long long n;
	const char *s;
	int rc;
	switch (c->kind) {
	case COL_BOOL:
	case COL_FLAG:
		if (v->type != json_type_boolean)
			return wrong_type(e, c->name, "a boolean", v, err);
		if (c->kind == COL_BOOL)
			*(int *)(base + c->off) = v->flag ? 1 : 0;
		return EC_OK;
	case COL_INT:
		if ((rc = read_number(e, c->name, v, 0, INT_MAX, &n, err)) == EC_OK)
			*(int *)(base + c->off) = (int)n;
		return rc;
	case COL_SINT:
		if ((rc = read_number(e, c->name, v, INT_MIN, INT_MAX, &n, err)) == EC_OK)
			*(int *)(base + c->off) = (int)n;
		return rc;
	case COL_INT64:
	case COL_VERSION:
		if ((rc = read_number(e, c->name, v, 0, INT64_MAX, &n, err)) == EC_OK)
			*(long long *)(base + c->off) = n;
		return rc;
	default:
		if ((rc = read_string(e, c->name, v, &s, err)) == EC_OK)
			*(char **)(base + c->off) = ec_strdup(s);
		return rc;
	}
}

static int parse_column(const codec_entity *e, const codec_col *c, const dv_row *row, char *base,
                        row_notes *notes, ec_error *err)
{
	dv_value v;
	if (!dv_row_get(row, c->name, &v))
		return c->kind == COL_LOOKUP && c->nav ? parse_bind(e, c, row, base, err) : EC_OK;
	if (v.type == json_type_null)
		return EC_OK; /* JSON null: the field keeps its empty value */
	switch (c->kind) {
	case COL_ID: return read_guid(e, c->name, &v, base + c->off, err);
	case COL_LOOKUP: return parse_lookup(e, c, row, &v, base, err);
	case COL_OPTION: return parse_option(e, c, &v, base, notes, err);
	case COL_TIME: return parse_time(e, c, &v, base, err);
	case COL_XML: return parse_xml(e, c, &v, base, err);
	default: return parse_scalar(e, c, &v, base, err);
	}
}

/* A view (dv_row.h) holds only rows of valid UTF-8: nothing to repair. */
static int entity_parse(const codec_entity *e, const dv_row *row, void *out, ec_error *err)
{
	row_notes notes = {"", 0};
	int rc;
	if (!row->view && !json_object_is_type(row->obj, json_type_object))
		return ec_fail(err, EC_USAGE, "%s row should be a JSON object, got %s", e->what,
		               json_kind(json_object_get_type(row->obj)));
	if (!row->view)
		repair_utf8(e, row->obj, &notes);
	for (int i = 0; i < e->ncols; i++)
		if ((rc = parse_column(e, &e->cols[i], row, out, &notes, err)))
			return rc;
	if (e->finish && (rc = e->finish(e, row, out, err)))
		return rc;
	if (notes.used)
		*(char **)((char *)out + e->unreadable) = ec_strdup(notes.text);
	return EC_OK;
}

/* ---- what the columns do not say directly ------------------------------- */

/* The number of an etag W/"123" (0 when it is not a number). */
static long long etag_version(const dv_row *row)
{
	dv_value v;
	const char *s;
	char *end;
	long long n;
	if (!dv_row_get(row, "@odata.etag", &v) || v.type != json_type_string)
		return 0;
	s = v.str;
	if (strncmp(s, "W/", 2) == 0)
		s += 2;
	if (*s++ != '"' || *s < '0' || *s > '9')
		return 0;
	n = strtoll(s, &end, 10);
	return strcmp(end, "\"") == 0 && n > 0 ? n : 0;
}

static int finish_profile(const codec_entity *e, const dv_row *row, void *out, ec_error *err)
{
	ec_profile *p = out;
	(void)e, (void)err;
	if (p->version == 0)
		p->version = etag_version(row);
	return EC_OK;
}

static int finish_settings(const codec_entity *e, const dv_row *row, void *out, ec_error *err)
{
	ec_settings *s = out;
	(void)e, (void)err;
	if (s->version == 0)
		s->version = etag_version(row);
	return EC_OK;
}

/* The owner type from the regarding lookup's annotations. */
static int regarding_owner_type(const codec_entity *e, const dv_row *row, int *owner_type,
                                ec_error *err)
{
	static const char field[] = "_regardingobjectid_value";
	const char *logical, *nav;
	char quoted[80];
	int rc;
	if ((rc = read_annotation(e, row, field, LOGICAL, &logical, err)) ||
	    (rc = read_annotation(e, row, field, NAVIGATION, &nav, err)))
		return rc;
	if (logical && strcmp(logical, "systemuser") == 0)
		*owner_type = OWNER_USER;
	else if (logical && strcmp(logical, "queue") == 0)
		*owner_type = OWNER_QUEUE;
	else if (logical)
		return ec_fail(err, EC_USAGE,
		               "%s field '%s%s' should be systemuser or queue, got '%s'", e->what,
		               field, LOGICAL, codec_quote(logical, quoted, sizeof quoted));
	else if (nav && strcmp(nav, "regardingobjectid_queue") == 0)
		*owner_type = OWNER_QUEUE;
	else if (nav && (strcmp(nav, "regardingobjectid") == 0 ||
	                 strcmp(nav, "regardingobjectid_systemuser") == 0))
		*owner_type = OWNER_USER;
	else if (nav)
		return ec_fail(err, EC_USAGE,
		               "%s field '%s%s' should be regardingobjectid or "
		               "regardingobjectid_queue, got '%s'",
		               e->what, field, NAVIGATION, codec_quote(nav, quoted, sizeof quoted));
	return EC_OK;
}

/* lastsyncerror is the organization's own stack text (2048 characters by
 * its metadata): kept to that many bytes, cut at a character, so a server
 * sending more cannot fill the cache or a screen with it. */
#define MAILBOX_SYNC_ERROR_MAX 2048

static void mailbox_bound_sync_error(ec_mailbox *m)
{
	size_t n;
	if (!m->last_sync_error || strlen(m->last_sync_error) <= MAILBOX_SYNC_ERROR_MAX)
		return;
	n = MAILBOX_SYNC_ERROR_MAX;
	while (n > 0 && ((unsigned char)m->last_sync_error[n] & 0xc0) == 0x80)
		n--;
	m->last_sync_error[n] = '\0';
}

/* A mailbox regarding a user or queue is theirs, whatever isforwardmailbox
 * says (its semantics are unconfirmed); a null regarding is a forward
 * mailbox; without the regarding column, isforwardmailbox decides. */
static int finish_mailbox(const codec_entity *e, const dv_row *row, void *out, ec_error *err)
{
	ec_mailbox *m = out;
	dv_value regarding, forward;
	bool has_regarding = dv_row_get(row, "_regardingobjectid_value", &regarding);
	mailbox_bound_sync_error(m);
	if (m->version == 0)
		m->version = etag_version(row);
	if (has_regarding && regarding.type != json_type_null)
		return regarding_owner_type(e, row, &m->owner_type, err);
	if (has_regarding || (dv_row_get(row, "isforwardmailbox", &forward) && forward.flag))
		m->owner_type = OWNER_FORWARD;
	return EC_OK;
}

static int finish_alert(const codec_entity *e, const dv_row *row, void *out, ec_error *err)
{
	static const char field[] = "_regardingobjectid_value";
	ec_alert *a = out;
	const char *logical, *nav;
	char quoted[80];
	int rc;
	if ((rc = read_annotation(e, row, field, LOGICAL, &logical, err)) ||
	    (rc = read_annotation(e, row, field, NAVIGATION, &nav, err)))
		return rc;
	if (logical && strcmp(logical, "emailserverprofile") != 0 &&
	    strcmp(logical, "mailbox") != 0)
		return ec_fail(err, EC_USAGE,
		               "%s field '%s%s' should be mailbox or emailserverprofile, got '%s'",
		               e->what, field, LOGICAL,
		               codec_quote(logical, quoted, sizeof quoted));
	a->regarding_profile =
	    logical ? strcmp(logical, "emailserverprofile") == 0
	            : nav && strcmp(nav, "regardingobjectid_emailserverprofile") == 0;
	return EC_OK;
}

static const codec_entity mailbox_entity = {"mailbox", mailbox_cols, NCOLS(mailbox_cols),
                                            finish_mailbox, MB(unreadable)};
static const codec_entity profile_entity = {"emailserverprofile", profile_cols, NCOLS(profile_cols),
                                            finish_profile, PR(unreadable)};
static const codec_entity settings_entity = {"organization", settings_cols, NCOLS(settings_cols),
                                             finish_settings, ST(unreadable)};
static const codec_entity alert_entity = {"tracelog", alert_cols, NCOLS(alert_cols), finish_alert,
                                          AL(unreadable)};

/* Annotations are read for lookups only (their name, owner type and
 * binding); every other member may be read. */
static bool entity_reads(const codec_entity *e, const char *key, size_t len)
{
	const char *at = memchr(key, '@', len);
	size_t base;
	if (!at || at == key)
		return true; /* a column, @odata.etag, or nothing we know */
	base = (size_t)(at - key);
	if (len - base == sizeof BIND - 1 && memcmp(at, BIND, sizeof BIND - 1) == 0)
		return true;
	for (int i = 0; i < e->ncols; i++)
		if (e->cols[i].name[0] == key[0] && strncmp(e->cols[i].name, key, base) == 0 &&
		    e->cols[i].name[base] == '\0')
			return e->cols[i].kind == COL_LOOKUP;
	return false;
}

bool codec_mailbox_reads(const char *key, size_t len)
{
	return entity_reads(&mailbox_entity, key, len);
}

bool codec_profile_reads(const char *key, size_t len)
{
	return entity_reads(&profile_entity, key, len);
}

bool codec_alert_reads(const char *key, size_t len)
{
	return entity_reads(&alert_entity, key, len);
}

int codec_mailbox_from_row(const dv_row *row, ec_mailbox *out, ec_error *err)
{
	int rc;
	mailbox_init(out);
	if ((rc = entity_parse(&mailbox_entity, row, out, err)))
		mailbox_free(out);
	return rc;
}

int codec_mailbox_from_json(json_object *row, ec_mailbox *out, ec_error *err)
{
	dv_row r = {row, NULL};
	return codec_mailbox_from_row(&r, out, err);
}

int codec_profile_from_row(const dv_row *row, ec_profile *out, ec_error *err)
{
	int rc;
	profile_init(out);
	if ((rc = entity_parse(&profile_entity, row, out, err)))
		profile_free(out);
	return rc;
}

int codec_profile_from_json(json_object *row, ec_profile *out, ec_error *err)
{
	dv_row r = {row, NULL};
	return codec_profile_from_row(&r, out, err);
}

int codec_settings_from_row(const dv_row *row, ec_settings *out, ec_error *err)
{
	int rc;
	settings_init(out);
	if ((rc = entity_parse(&settings_entity, row, out, err)))
		settings_free(out);
	return rc;
}

int codec_settings_from_json(json_object *row, ec_settings *out, ec_error *err)
{
	dv_row r = {row, NULL};
	return codec_settings_from_row(&r, out, err);
}

int codec_alert_from_row(const dv_row *row, ec_alert *out, ec_error *err)
{
	int rc;
	alert_init(out);
	if ((rc = entity_parse(&alert_entity, row, out, err)))
		alert_free(out);
	return rc;
}

int codec_alert_from_json(json_object *row, ec_alert *out, ec_error *err)
{
	dv_row r = {row, NULL};
	return codec_alert_from_row(&r, out, err);
}

/* ---- the model to PATCH bodies ------------------------------------------ */

json_object *codec_profile_bind(const char *id)
{
	char buf[EC_ID_SIZE + 32];
	if (!id || !*id)
		return NULL;
	snprintf(buf, sizeof buf, "/emailserverprofiles(%s)", id);
	return json_object_new_string(buf);
}

static void write_lookup(json_object *body, const codec_col *c, const char *base)
{
	char key[160];
	snprintf(key, sizeof key, "%s%s", c->nav, BIND);
	json_object_object_add(body, key, codec_profile_bind(base + c->off));
}

static void write_xml(json_object *body, const codec_col *c, const ec_settings *s)
{
	char *xml;
	if (s->default_incoming == EC_NULL && s->default_outgoing == EC_NULL &&
	    s->default_act == EC_NULL)
		return;
	xml = codec_default_settings_xml(s->default_incoming, s->default_outgoing, s->default_act);
	json_object_object_add(body, c->name, json_object_new_string(xml));
	free(xml);
}

int codec_status_of_state(int statecode)
{
	return statecode == STATE_INACTIVE ? 2 : 1;
}

static void write_state(json_object *body, int state)
{
	json_object_object_add(body, "statecode", json_object_new_int(state));
	json_object_object_add(body, "statuscode",
	                       json_object_new_int(codec_status_of_state(state)));
}

static void write_column(json_object *body, const codec_col *c, const char *base)
{
	const char *s;
	int n;
	switch (c->kind) {
	case COL_LOOKUP: write_lookup(body, c, base); return;
	case COL_XML: write_xml(body, c, (const ec_settings *)base); return;
	case COL_STRING:
		if ((s = *(char *const *)(base + c->off)))
			json_object_object_add(body, c->name, json_object_new_string(s));
		return;
	case COL_TIME:
		if (*(s = base + c->off))
			json_object_object_add(body, c->name, json_object_new_string(s));
		return;
	case COL_INT64: {
		long long v = *(const long long *)(base + c->off);
		if (v != EC_NULL)
			json_object_object_add(body, c->name, json_object_new_int64(v));
		return;
	}
	default: break;
	}
	n = *(const int *)(base + c->off);
	if (n == EC_NULL)
		return;
	if (c->flags & COL_STATE)
		write_state(body, n);
	else if (c->kind == COL_BOOL)
		json_object_object_add(body, c->name, json_object_new_boolean(n != 0));
	else
		json_object_object_add(body, c->name, json_object_new_int(n));
}

static json_object *entity_to_dataverse(const codec_entity *e, const void *in)
{
	json_object *body = json_object_new_object();
	for (int i = 0; i < e->ncols; i++)
		if (e->cols[i].flags & COL_W)
			write_column(body, &e->cols[i], in);
	return body;
}

json_object *codec_mailbox_to_dataverse(const ec_mailbox *m)
{
	return entity_to_dataverse(&mailbox_entity, m);
}

json_object *codec_settings_to_dataverse(const ec_settings *s)
{
	return entity_to_dataverse(&settings_entity, s);
}
