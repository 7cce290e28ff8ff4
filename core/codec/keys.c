/* keys.c — the key tables of `settings set` and `mailbox set` and the
 * functions they drive (see keys.h): parsing a value into the model,
 * reading it back as JSON, and the PATCH body of the changed keys. Touches
 * only the structs and json values it is given. */
#include "core/codec/keys.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codec/codec.h"
#include "core/base/i18n.h"
#include "core/base/utf8.h"

#define ST(f)    offsetof(ec_settings, f)
#define MB(f)    offsetof(ec_mailbox, f)
#define PF(f)    offsetof(ec_profile, f)
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* clang-format off */
const struct ec_key keys_settings[] = {
	{"process-email-using", KEY_OPTION, &opt_process_using,
	 N_("How the organization processes email"),
	 "emailconnectionchannel", KEYV_PLAIN, ST(process_using), 0, 0, 0,
	 N_("Email processing"), false},
	{"server-profile", KEY_PROFILE, NULL,
	 N_("Email server profile given to new mailboxes (name or id, or none)"),
	 "defaultemailserverprofileid", KEYV_PLAIN, ST(default_profile_id),
	 ST(default_profile_name), 0, 0, N_("Default synchronization method"), false},
	{"incoming", KEY_OPTION, &opt_incoming,
	 N_("Incoming email delivery method of new users' and queues' mailboxes"),
	 "defaultemailsettings", KEYV_DEFAULTS, ST(default_incoming), 0, 0, 0,
	 N_("Default synchronization method"), false},
	{"outgoing", KEY_OPTION, &opt_outgoing,
	 N_("Outgoing email delivery method of new users' and queues' mailboxes"),
	 "defaultemailsettings", KEYV_DEFAULTS, ST(default_outgoing), 0, 0, 0,
	 N_("Default synchronization method"), false},
	{"act", KEY_OPTION, &opt_act,
	 N_("Appointments, contacts and tasks delivery method of new mailboxes"),
	 "defaultemailsettings", KEYV_DEFAULTS, ST(default_act), 0, 0, 0,
	 N_("Default synchronization method"), false},
	{"approve-users", KEY_BOOL, NULL,
	 N_("Process email only for users whose email address is approved"),
	 "requireapprovalforuseremail", KEYV_PLAIN, ST(approve_users), 0, 0, 0,
	 N_("Approval"), false},
	{"approve-queues", KEY_BOOL, NULL,
	 N_("Process email only for queues whose email address is approved"),
	 "requireapprovalforqueueemail", KEYV_PLAIN, ST(approve_queues), 0, 0, 0,
	 N_("Approval"), false},
	{"alerts-errors", KEY_BOOL, NULL, N_("Raise mailbox alerts for errors"),
	 "generatealertsforerrors", KEYV_PLAIN, ST(alerts_errors), 0, 0, 0, N_("Alerts"), false},
	{"alerts-warnings", KEY_BOOL, NULL, N_("Raise mailbox alerts for warnings"),
	 "generatealertsforwarnings", KEYV_PLAIN, ST(alerts_warnings), 0, 0, 0,
	 N_("Alerts"), false},
	{"alerts-information", KEY_BOOL, NULL, N_("Raise mailbox alerts for information"),
	 "generatealertsforinformation", KEYV_PLAIN, ST(alerts_information), 0, 0, 0,
	 N_("Alerts"), false},
	{"notify-mailbox-owner", KEY_BOOL, NULL,
	 N_("Notify the mailbox owner of alerts about the email server profile"),
	 "notifymailboxownerofemailserverlevelalerts", KEYV_PLAIN, ST(notify_mailbox_owner), 0,
	 0, 0, N_("Alerts"), false},
	{"correlation", KEY_BOOL, NULL, N_("Use correlation to track email conversations"),
	 "emailcorrelationenabled", KEYV_PLAIN, ST(correlation), 0, 0, 0, N_("Tracking"), false},
	{"tracking-tokens", KEY_BOOL, NULL,
	 N_("Use tracking tokens (turning them on sets the counter maximum to 999)"),
	 "maximumtrackingnumber", KEYV_TRACKING, ST(max_tracking_number), 0, 0, 0,
	 N_("Tracking"), false},
	{"tracking-prefix", KEY_STRING, NULL, N_("Prefix of the tracking token, e.g. CRM:"),
	 "trackingprefix", KEYV_PLAIN, ST(tracking_prefix), 0, 0, 256, N_("Tracking"), false},
	{"folder-tracking", KEY_BOOL, NULL, N_("Use folder-level tracking for Exchange folders"),
	 "isfolderbasedtrackingenabled", KEYV_PLAIN, ST(folder_tracking), 0, 0, 0,
	 N_("Tracking"), false},
	{"smart-matching", KEY_BOOL, NULL, N_("Use smart matching"),
	 "enablesmartmatching", KEYV_PLAIN, ST(smart_matching), 0, 0, 0, N_("Tracking"), false},
	{"track-internal-as-two", KEY_BOOL, NULL,
	 N_("Track email sent between two users as two activities"),
	 "ignoreinternalemail", KEYV_INVERTED, ST(ignore_internal_email), 0, 0, 0,
	 N_("Tracking"), false},
	{"allow-unresolved-recipients", KEY_BOOL, NULL,
	 N_("Allow messages with unresolved email recipients to be sent"),
	 "allowunresolvedpartiesonemailsend", KEYV_PLAIN, ST(allow_unresolved), 0, 0, 0,
	 N_("Email form options"), false},
	{"max-attachment-kb", KEY_INT, NULL, N_("Maximum size of an attachment, in KB"),
	 "maxuploadfilesize", KEYV_KB, ST(max_upload_bytes), 0, 0, 131072,
	 N_("Attachments"), false},
};
const int keys_settings_count = COUNT(keys_settings);

const struct ec_key keys_mailbox[] = {
	{"incoming", KEY_OPTION, &opt_incoming, N_("Incoming email delivery method"),
	 "incomingemaildeliverymethod", KEYV_PLAIN, MB(incoming), 0, 0, 0, NULL, false},
	{"outgoing", KEY_OPTION, &opt_outgoing, N_("Outgoing email delivery method"),
	 "outgoingemaildeliverymethod", KEYV_PLAIN, MB(outgoing), 0, 0, 0, NULL, false},
	{"act", KEY_OPTION, &opt_act,
	 N_("Appointments, contacts and tasks delivery method"),
	 "actdeliverymethod", KEYV_PLAIN, MB(act), 0, 0, 0, NULL, false},
	{"server-profile", KEY_PROFILE, NULL,
	 N_("Email server profile of the mailbox (name or id, or none)"),
	 "emailserverprofile", KEYV_PLAIN, MB(profile_id), MB(profile_name), 0, 0, NULL,
	 false},
	{"email", KEY_STRING, NULL, N_("Email address of the mailbox"),
	 "emailaddress", KEYV_EMAIL, MB(email), 0, 0, 100, NULL, false},
	{"allow-credentials", KEY_BOOL, NULL,
	 N_("Allow the email server profile to use the mailbox's own credentials"),
	 "allowemailconnectortousecredentials", KEYV_PLAIN, MB(allow_credentials), 0, 0, 0,
	 NULL, false},
	{"username", KEY_STRING, NULL, N_("User name of the mailbox's own credentials"),
	 "username", KEYV_PLAIN, MB(username), 0, 0, 200, NULL, false},
	{"process-email-from", KEY_STRING, NULL,
	 N_("Process only email received on or after this date (YYYY-MM-DD, empty: all)"),
	 "processemailreceivedafter", KEYV_DATE, MB(process_email_from), 0, 0, 10, NULL, false},
	{"delete-after-processing", KEY_BOOL, NULL,
	 N_("Delete email from the server once processed (forward and queue mailboxes only)"),
	 "processanddeleteemails", KEYV_PLAIN, MB(delete_after_processing), 0, 0, 0, NULL,
	 false},
	{"ews-url", KEY_STRING, NULL,
	 N_("Exchange Web Services URL of the mailbox (empty: found by Auto Discover)"),
	 "ewsurl", KEYV_URL, MB(ews_url), 0, 0, 2084, NULL, false},
	{"state", KEY_OPTION, &opt_state,
	 N_("Whether the mailbox is processed at all (inactive mailboxes are not)"),
	 "statecode", KEYV_STATE, MB(state), 0, 0, 0, NULL, false},
	{"approval", KEY_OPTION, &opt_approval,
	 N_("Email address approval (set by emailcfg approve)"),
	 "emailrouteraccessapproval", KEYV_PLAIN, MB(approval), 0, 0, 0, NULL, true},
};
const int keys_mailbox_count = COUNT(keys_mailbox);

/* The Email Server Profile form (docs/cli.md, `profile set`). Which values a
 * profile's type allows is core/model/profile_rules.c's business. */
const struct ec_key keys_profile[] = {
	{"incoming-server", KEY_STRING, NULL,
	 N_("Incoming server: the EWS URL (Exchange) or the host name (POP3, IMAP)"),
	 "incomingserverlocation", KEYV_PLAIN, PF(incoming_location), 0, 0, 2084, NULL, false},
	{"incoming-port", KEY_INT, NULL, N_("Incoming port (POP3 and IMAP only)"),
	 "incomingportnumber", KEYV_INT32, PF(incoming_port), 0, 0, 65536, NULL, false},
	{"incoming-ssl", KEY_BOOL, NULL, N_("Use SSL for incoming connections"),
	 "incomingusessl", KEYV_PLAIN, PF(incoming_ssl), 0, 0, 0, NULL, false},
	{"outgoing-server", KEY_STRING, NULL,
	 N_("Outgoing server: the EWS URL (Exchange) or the SMTP host name"),
	 "outgoingserverlocation", KEYV_PLAIN, PF(outgoing_location), 0, 0, 2084, NULL, false},
	{"outgoing-port", KEY_INT, NULL, N_("Outgoing (SMTP) port (POP3 and IMAP only)"),
	 "outgoingportnumber", KEYV_INT32, PF(outgoing_port), 0, 0, 65536, NULL, false},
	{"outgoing-ssl", KEY_BOOL, NULL, N_("Use SSL for outgoing connections"),
	 "outgoingusessl", KEYV_PLAIN, PF(outgoing_ssl), 0, 0, 0, NULL, false},
	{"incoming-auth", KEY_OPTION, &opt_auth_protocol,
	 N_("Authentication protocol of incoming connections"),
	 "incomingauthenticationprotocol", KEYV_PLAIN, PF(incoming_auth), 0, 0, 0, NULL, false},
	{"outgoing-auth", KEY_OPTION, &opt_auth_protocol,
	 N_("Authentication protocol of outgoing connections"),
	 "outgoingauthenticationprotocol", KEYV_PLAIN, PF(outgoing_auth), 0, 0, 0, NULL, false},
	{"credentials", KEY_OPTION, &opt_credential,
	 N_("Where the credentials come from (incoming and outgoing alike)"),
	 "incomingcredentialretrieval", KEYV_BOTH, PF(incoming_credential),
	 PF(outgoing_credential), 0, 0, NULL, false},
	{"use-same-for-outgoing", KEY_BOOL, NULL,
	 N_("Use the same settings for outgoing connections"),
	 "usesamesettingsforoutgoingconnections", KEYV_PLAIN, PF(use_same_settings), 0, 0, 0,
	 NULL, false},
	{"autodiscover", KEY_BOOL, NULL, N_("Discover the server location automatically"),
	 "useautodiscover", KEYV_PLAIN, PF(use_autodiscover), 0, 0, 0, NULL, false},
	{"max-connections", KEY_INT, NULL,
	 N_("Maximum concurrent connections per authenticated user"),
	 "maxconcurrentconnections", KEYV_INT32, PF(max_connections), 0, 1, 300, NULL, false},
	{"state", KEY_OPTION, &opt_state,
	 N_("Whether the profile is used at all (its mailboxes do not sync while inactive)"),
	 "statecode", KEYV_STATE, PF(state), 0, 0, 0, NULL, false},
};
const int keys_profile_count = COUNT(keys_profile);
/* clang-format on */

/* One table with what it is called in messages. */
typedef struct key_table {
	const char *what; /* "settings", "mailbox" */
	const struct ec_key *keys;
	int count;
} key_table;

static const key_table settings_table = {"settings", keys_settings, COUNT(keys_settings)};
static const key_table mailbox_table = {"mailbox", keys_mailbox, COUNT(keys_mailbox)};
static const key_table profile_table = {"profile", keys_profile, COUNT(keys_profile)};

static const struct ec_key *table_find(const key_table *t, const char *key)
{
	for (int i = 0; key && i < t->count; i++)
		if (strcmp(t->keys[i].key, key) == 0)
			return &t->keys[i];
	return NULL;
}

const struct ec_key *keys_settings_find(const char *key)
{
	return table_find(&settings_table, key);
}

const struct ec_key *keys_mailbox_find(const char *key)
{
	return table_find(&mailbox_table, key);
}

const char *keys_value_hint(const struct ec_key *k, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	switch (k->kind) {
	case KEY_BOOL: snprintf(buf, size, "yes|no"); break;
	case KEY_INT: snprintf(buf, size, "%lld-%lld", k->min, k->max); break;
	case KEY_STRING:
		snprintf(buf, size,
		         k->view == KEYV_EMAIL  ? "ADDRESS"
		         : k->view == KEYV_DATE ? "YYYY-MM-DD"
		         : k->view == KEYV_URL  ? "URL"
		                                : "TEXT");
		break;
	case KEY_PROFILE: snprintf(buf, size, "NAME|ID|none"); break;
	case KEY_OPTION:
		for (int i = 0; i < k->set->count && used < size; i++)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "|" : "",
			                         k->set->opts[i].slug);
		break;
	}
	return buf;
}

static int unknown_key(const key_table *t, const char *key, ec_error *err)
{
	char valid[512], quoted[80];
	size_t used = 0;
	valid[0] = '\0';
	for (int i = 0; i < t->count && used < sizeof valid; i++)
		if (!t->keys[i].internal)
			used += (size_t)snprintf(valid + used, sizeof valid - used, "%s%s",
			                         used ? ", " : "", t->keys[i].key);
	return ec_fail(err, EC_USAGE, "unknown %s key '%s'; valid keys: %s", t->what,
	               codec_quote(key ? key : "", quoted, sizeof quoted), valid);
}

/* ---- parsing values ------------------------------------------------------ */

static int parse_bool(const char *value, int *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(value, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

static int parse_whole(const char *value, long long min, long long max, long long *out)
{
	long long v = 0;
	if (!*value || strlen(value) > 12)
		return -1;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Characters that have no place in a name or address: C0 and C1 controls,
 * DEL, and the bidirectional overrides and isolates. */
static bool is_forbidden(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f;
}

/* Valid UTF-8 without forbidden characters; *chars counts code points. */
static const char *check_text(const char *s, long long *chars)
{
	size_t n = strlen(s);
	*chars = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return "is not valid UTF-8";
		if (is_forbidden(cp))
			return "contains a control character";
		i += len;
		(*chars)++;
	}
	return NULL;
}

static bool looks_like_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || at[1] == '\0' || strchr(at + 1, '@'))
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == ',' || *s == ';' || *s == '<' || *s == '>')
			return false;
	return true;
}

/* http:// or https://, then a host of letters, digits, dots, hyphens (or
 * an [IPv6] literal), then nothing or a port or path; no spaces. An EWS
 * URL is where the organization connects with the mailbox's credentials,
 * so a typo is caught here rather than at the next sync. */
static bool looks_like_url(const char *s)
{
	size_t host;
	if (strncasecmp(s, "https://", 8) == 0)
		s += 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		s += 7;
	else
		return false;
	host = *s == '[' ? strcspn(s, "]") + 1
	                 : strspn(s, "abcdefghijklmnopqrstuvwxyz"
	                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
	if (host == 0 || (*s == '[' && s[host - 1] != ']') || *s == '.' || *s == '-')
		return false;
	if (s[host] != '\0' && s[host] != ':' && s[host] != '/')
		return false;
	return strpbrk(s, " \t\"<>\\^`{|}") == NULL;
}

/* A date YYYY-MM-DD (or a whole time, whose day is taken) as its midnight
 * UTC; empty clears it. */
static int apply_date(const key_table *t, const struct ec_key *k, char *base, const char *value,
                      ec_error *err)
{
	char *field = base + k->off, day[EC_TIME_SIZE], quoted[80];
	if (!*value) {
		field[0] = '\0';
		return EC_OK;
	}
	if ((strlen(value) != 10 && strlen(value) != 20) || codec_time_normalize(value, day) ||
	    !day[0])
		return ec_fail(err, EC_USAGE, "%s key '%s' takes a date like 2024-03-01, got '%s'",
		               t->what, k->key, codec_quote(value, quoted, sizeof quoted));
	memcpy(day + 10, "T00:00:00Z", 11);
	memcpy(field, day, EC_TIME_SIZE);
	return EC_OK;
}

static int apply_string(const key_table *t, const struct ec_key *k, char *base, const char *value,
                        ec_error *err)
{
	char **field = (char **)(base + k->off);
	char quoted[80];
	long long chars;
	const char *why = check_text(value, &chars);
	if (!why && *value && k->view == KEYV_EMAIL && !looks_like_email(value))
		why = "is not an email address";
	if (!why && *value && k->view == KEYV_URL && !looks_like_url(value))
		why = "is not an http:// or https:// URL";
	if (why)
		return ec_fail(err, EC_USAGE, "%s key '%s': '%s' %s", t->what, k->key,
		               codec_quote(value, quoted, sizeof quoted), why);
	if (chars > k->max)
		return ec_fail(err, EC_USAGE, "%s key '%s' takes at most %lld characters, got %lld",
		               t->what, k->key, k->max, chars);
	free(*field);
	*field = *value ? ec_strdup(value) : NULL;
	return EC_OK;
}

static int apply_profile(const key_table *t, const struct ec_key *k, char *base, const char *value,
                         keys_profile_resolver resolve, void *ctx, ec_error *err)
{
	char id[EC_ID_SIZE], quoted[80];
	char **name = (char **)(base + k->aux);
	char *found = NULL;
	int rc;
	if (!*value || strcasecmp(value, "none") == 0) {
		id[0] = '\0';
	} else if (resolve) {
		if ((rc = resolve(ctx, value, id, &found, err)))
			return rc;
	} else if (codec_guid_normalize(value, id)) {
		return ec_fail(err, EC_USAGE, "%s key '%s' takes a profile id or none, got '%s'",
		               t->what, k->key, codec_quote(value, quoted, sizeof quoted));
	}
	memcpy(base + k->off, id, EC_ID_SIZE);
	free(*name);
	*name = found;
	return EC_OK;
}

static int apply_bool(const key_table *t, const struct ec_key *k, char *base, const char *value,
                      ec_error *err)
{
	int *field = (int *)(base + k->off), b;
	char quoted[80];
	if (parse_bool(value, &b))
		return ec_fail(err, EC_USAGE,
		               "%s key '%s' takes yes or no (or true/false, on/off, 1/0), got '%s'",
		               t->what, k->key, codec_quote(value, quoted, sizeof quoted));
	if (k->view == KEYV_INVERTED)
		*field = !b;
	else if (k->view == KEYV_TRACKING)
		*field = !b ? 0 : (*field > 0 ? *field : 999);
	else
		*field = b;
	return EC_OK;
}

static int apply_option(const key_table *t, const struct ec_key *k, char *base, const char *value,
                        ec_error *err)
{
	ec_error why;
	int wire;
	/* The short forms the list shows ("SSS") are accepted, as in filters. */
	const ec_option *o = opt_find_name(k->set, value);
	if (o)
		wire = o->wire;
	else if (opt_parse_slug(k->set, value, &wire, &why))
		return ec_fail(err, EC_USAGE, "%s key '%s': %s", t->what, k->key, why.msg);
	*(int *)(base + k->off) = wire;
	if (k->view == KEYV_BOTH)
		*(int *)(base + k->aux) = wire;
	return EC_OK;
}

/* A profile's port may be empty (null): the organization then uses the
 * protocol's default port, and an Exchange profile must have none. */
static bool key_clears_to_null(const struct ec_key *k)
{
	const char *dash = strrchr(k->key, '-');
	return k->view == KEYV_INT32 && dash && strcmp(dash, "-port") == 0;
}

static int apply_int(const key_table *t, const struct ec_key *k, char *base, const char *value,
                     ec_error *err)
{
	long long v;
	char quoted[80];
	if (!*value && key_clears_to_null(k)) {
		*(int *)(base + k->off) = EC_NULL;
		return EC_OK;
	}
	if (parse_whole(value, k->min, k->max, &v))
		return ec_fail(err, EC_USAGE,
		               "%s key '%s' takes a whole number from %lld to %lld, "
		               "got '%s'",
		               t->what, k->key, k->min, k->max,
		               codec_quote(value, quoted, sizeof quoted));
	if (k->view == KEYV_INT32)
		*(int *)(base + k->off) = (int)v;
	else
		*(long long *)(base + k->off) = k->view == KEYV_KB ? v * 1024 : v;
	return EC_OK;
}

static int table_apply(const key_table *t, void *obj, const char *key, const char *value,
                       bool internal_too, keys_profile_resolver resolve, void *ctx, ec_error *err)
{
	const struct ec_key *k = table_find(t, key);
	char *base = obj;
	if (!k || (k->internal && !internal_too))
		return unknown_key(t, key, err);
	if (!value)
		return ec_fail(err, EC_USAGE, "%s key '%s' needs a value: %s=VALUE", t->what,
		               k->key, k->key);
	switch (k->kind) {
	case KEY_BOOL: return apply_bool(t, k, base, value, err);
	case KEY_OPTION: return apply_option(t, k, base, value, err);
	case KEY_INT: return apply_int(t, k, base, value, err);
	case KEY_STRING:
		return k->view == KEYV_DATE ? apply_date(t, k, base, value, err)
		                            : apply_string(t, k, base, value, err);
	case KEY_PROFILE: return apply_profile(t, k, base, value, resolve, ctx, err);
	}
	return unknown_key(t, key, err);
}

int keys_settings_apply(ec_settings *s, const char *key, const char *value,
                        keys_profile_resolver resolve, void *ctx, ec_error *err)
{
	return table_apply(&settings_table, s, key, value, false, resolve, ctx, err);
}

int keys_mailbox_apply(ec_mailbox *m, const char *key, const char *value,
                       keys_profile_resolver resolve, void *ctx, ec_error *err)
{
	return table_apply(&mailbox_table, m, key, value, false, resolve, ctx, err);
}

/* The command-line spelling of a JSON value of changes. */
static const char *json_as_value(json_object *v, char *buf, size_t size)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "";
	case json_type_boolean: return json_object_get_boolean(v) ? "yes" : "no";
	case json_type_int:
		snprintf(buf, size, "%lld", (long long)json_object_get_int64(v));
		return buf;
	case json_type_string: return json_object_get_string(v);
	default: return NULL;
	}
}

/* A profile id kept in changes: set as it is (the profile may have been
 * renamed, or be gone from the cache), with the cached name when resolve
 * finds one. */
static void apply_profile_id(const struct ec_key *k, char *base, const char id[EC_ID_SIZE],
                             keys_profile_resolver resolve, void *ctx)
{
	char found_id[EC_ID_SIZE];
	char **name = (char **)(base + k->aux);
	char *found = NULL;
	ec_error ignored;
	if (resolve &&
	    (resolve(ctx, id, found_id, &found, &ignored) != EC_OK || strcmp(found_id, id) != 0)) {
		free(found);
		found = NULL;
	}
	memcpy(base + k->off, id, EC_ID_SIZE);
	free(*name);
	*name = found;
}

static int table_apply_changes(const key_table *t, void *obj, json_object *changes,
                               keys_profile_resolver resolve, void *ctx, ec_error *err)
{
	char buf[32], id[EC_ID_SIZE];
	int rc;
	if (!json_object_is_type(changes, json_type_object))
		return ec_fail(err, EC_LOCAL, "the %s changes are not a JSON object", t->what);
	json_object_object_foreach(changes, key, v)
	{
		const struct ec_key *k = table_find(t, key);
		const char *value = json_as_value(v, buf, sizeof buf);
		if (!value)
			return ec_fail(err, EC_LOCAL, "the %s change of '%s' is not a plain value",
			               t->what, key);
		if (k && k->kind == KEY_PROFILE && codec_guid_normalize(value, id) == 0) {
			apply_profile_id(k, obj, id, resolve, ctx);
			continue;
		}
		/* Anything else, and a profile's name (kept by an older emailcfg),
		 * as typed on the command line. */
		if ((rc = table_apply(t, obj, key, value, true, resolve, ctx, err)))
			return rc;
	}
	keys_profiles_to_ids(changes, resolve, ctx);
	return EC_OK;
}

void keys_profiles_to_ids(json_object *values, keys_profile_resolver resolve, void *ctx)
{
	const char *keys[8];
	int n = 0;
	if (!resolve || !json_object_is_type(values, json_type_object))
		return;
	json_object_object_foreach(values, key, v)
	{
		const struct ec_key *k = keys_mailbox_find(key);
		if (!k)
			k = keys_settings_find(key);
		if (k && k->kind == KEY_PROFILE && json_object_is_type(v, json_type_string) &&
		    n < COUNT(keys))
			keys[n++] = key;
	}
	/* Replaced after the walk: the keys stay, their values change. */
	for (int i = 0; i < n; i++) {
		const char *value = json_object_get_string(json_object_object_get(values, keys[i]));
		char id[EC_ID_SIZE], *name = NULL;
		ec_error ignored;
		if (!*value || strcasecmp(value, "none") == 0) {
			json_object_object_add(values, keys[i], NULL);
		} else if (codec_guid_normalize(value, id) != 0 &&
		           resolve(ctx, value, id, &name, &ignored) == EC_OK) {
			json_object_object_add(values, keys[i], json_object_new_string(id));
		}
		free(name);
	}
}

int keys_settings_apply_changes(ec_settings *s, json_object *changes, keys_profile_resolver resolve,
                                void *ctx, ec_error *err)
{
	return table_apply_changes(&settings_table, s, changes, resolve, ctx, err);
}

int keys_mailbox_apply_changes(ec_mailbox *m, json_object *changes, keys_profile_resolver resolve,
                               void *ctx, ec_error *err)
{
	return table_apply_changes(&mailbox_table, m, changes, resolve, ctx, err);
}

/* ---- reading values back ------------------------------------------------- */

static json_object *flag_json(const struct ec_key *k, int v)
{
	if (v == EC_NULL)
		return NULL;
	if (k->view == KEYV_INVERTED)
		return json_object_new_boolean(!v);
	return json_object_new_boolean(k->view == KEYV_TRACKING ? v > 0 : v != 0);
}

/* A date field as YYYY-MM-DD, what the key takes. */
static json_object *date_json(const char *time)
{
	return time[0] ? json_object_new_string_len(time, 10) : NULL;
}

/* KEYV_BOTH with directions that differ: "INCOMING/OUTGOING", so a value
 * set on both compares unequal and is applied to both. */
static json_object *both_json(const struct ec_key *k, int in, int out)
{
	char a[24], b[24], buf[80];
	const char *si = opt_slug(k->set, in), *so = opt_slug(k->set, out);
	snprintf(a, sizeof a, "%d", in);
	snprintf(b, sizeof b, "%d", out);
	snprintf(buf, sizeof buf, "%s/%s",
	         si              ? si
	         : in == EC_NULL ? ""
	                         : a,
	         so               ? so
	         : out == EC_NULL ? ""
	                          : b);
	return json_object_new_string(buf);
}

/* shown: a profile as its name (its id when the name is unknown), for
 * display; otherwise as its id, what edits keep and compare. */
static json_object *key_get_json(const struct ec_key *k, const char *base, bool shown)
{
	const char *s, *id;
	long long n;
	switch (k->kind) {
	case KEY_BOOL: return flag_json(k, *(const int *)(base + k->off));
	case KEY_OPTION:
		n = *(const int *)(base + k->off);
		if (k->view == KEYV_BOTH && *(const int *)(base + k->aux) != (int)n)
			return both_json(k, (int)n, *(const int *)(base + k->aux));
		s = opt_slug(k->set, (int)n);
		/* A value newer than this emailcfg stays its number, not null. */
		return s              ? json_object_new_string(s)
		       : n == EC_NULL ? NULL
		                      : json_object_new_int64(n);
	case KEY_INT:
		n = k->view == KEYV_INT32 ? *(const int *)(base + k->off)
		                          : *(const long long *)(base + k->off);
		return n == EC_NULL ? NULL
		                    : json_object_new_int64(k->view == KEYV_KB ? n / 1024 : n);
	case KEY_STRING:
		if (k->view == KEYV_DATE)
			return date_json(base + k->off);
		s = *(char *const *)(base + k->off);
		return s ? json_object_new_string(s) : NULL;
	case KEY_PROFILE:
		s = shown ? *(char *const *)(base + k->aux) : NULL;
		id = base + k->off;
		return s ? json_object_new_string(s) : *id ? json_object_new_string(id) : NULL;
	}
	return NULL;
}

json_object *keys_settings_get_json(const ec_settings *s, const char *key)
{
	const struct ec_key *k = keys_settings_find(key);
	return k ? key_get_json(k, (const char *)s, false) : NULL;
}

json_object *keys_mailbox_get_json(const ec_mailbox *m, const char *key)
{
	const struct ec_key *k = keys_mailbox_find(key);
	return k ? key_get_json(k, (const char *)m, false) : NULL;
}

json_object *keys_settings_show_json(const ec_settings *s, const char *key)
{
	const struct ec_key *k = keys_settings_find(key);
	return k ? key_get_json(k, (const char *)s, true) : NULL;
}

json_object *keys_mailbox_show_json(const ec_mailbox *m, const char *key)
{
	const struct ec_key *k = keys_mailbox_find(key);
	return k ? key_get_json(k, (const char *)m, true) : NULL;
}

json_object *keys_values_shown(json_object *values, keys_profile_namer name_of, void *ctx)
{
	json_object *out;
	if (!json_object_is_type(values, json_type_object))
		return json_object_get(values);
	out = json_object_new_object();
	json_object_object_foreach(values, key, v)
	{
		const struct ec_key *k = keys_mailbox_find(key);
		char id[EC_ID_SIZE], *name = NULL;
		if (!k)
			k = keys_settings_find(key);
		if (k && k->kind == KEY_PROFILE && name_of &&
		    codec_guid_normalize(json_object_get_string(v), id) == 0 &&
		    json_object_is_type(v, json_type_string))
			name = name_of(ctx, id);
		json_object_object_add(out, key,
		                       name ? json_object_new_string(name) : json_object_get(v));
		free(name);
	}
	return out;
}

/* ---- PATCH bodies -------------------------------------------------------- */

static void patch_defaults(json_object *body, const struct ec_key *k, const char *base)
{
	const ec_settings *s = (const ec_settings *)base;
	char *xml =
	    codec_default_settings_xml(s->default_incoming, s->default_outgoing, s->default_act);
	json_object_object_add(body, k->column, json_object_new_string(xml));
	free(xml);
}

static void patch_profile(json_object *body, const struct ec_key *k, const char *base)
{
	char bind[96];
	snprintf(bind, sizeof bind, "%s@odata.bind", k->column);
	json_object_object_add(body, bind, codec_profile_bind(base + k->off));
}

/* KEYV_BOTH: the outgoing column beside the incoming one the key names
 * ("incoming..." becomes "outgoing..."). */
static void patch_outgoing_twin(json_object *body, const struct ec_key *k, const char *base)
{
	char column[96];
	int n = *(const int *)(base + k->aux);
	if (n == EC_NULL || strncmp(k->column, "incoming", 8) != 0)
		return;
	snprintf(column, sizeof column, "outgoing%s", k->column + 8);
	json_object_object_add(body, column, json_object_new_int(n));
}

static void patch_number(json_object *body, const struct ec_key *k, const char *base)
{
	long long n = k->kind == KEY_INT && k->view != KEYV_INT32
	                  ? *(const long long *)(base + k->off)
	                  : *(const int *)(base + k->off);
	if (n == EC_NULL) {
		if (key_clears_to_null(k)) /* cleared: the PATCH says null */
			json_object_object_add(body, k->column, NULL);
		return;
	}
	/* The field holds the column's value (already inverted for KEYV_INVERTED). */
	if (k->kind == KEY_BOOL && k->view != KEYV_TRACKING)
		json_object_object_add(body, k->column, json_object_new_boolean(n != 0));
	else
		json_object_object_add(body, k->column, json_object_new_int64(n));
	if (k->view == KEYV_STATE)
		json_object_object_add(body, "statuscode",
		                       json_object_new_int(codec_status_of_state((int)n)));
	if (k->view == KEYV_BOTH)
		patch_outgoing_twin(body, k, base);
}

static void patch_key(json_object *body, const struct ec_key *k, const char *base)
{
	const char *s;
	if (k->view == KEYV_DEFAULTS) {
		patch_defaults(body, k, base);
	} else if (k->kind == KEY_PROFILE) {
		patch_profile(body, k, base);
	} else if (k->view == KEYV_DATE) {
		s = base + k->off;
		json_object_object_add(body, k->column, *s ? json_object_new_string(s) : NULL);
	} else if (k->kind == KEY_STRING) {
		s = *(char *const *)(base + k->off);
		json_object_object_add(body, k->column, s ? json_object_new_string(s) : NULL);
	} else {
		patch_number(body, k, base);
	}
}

static json_object *table_patch(const key_table *t, const void *obj, json_object *changes)
{
	json_object *body;
	if (!json_object_is_type(changes, json_type_object))
		return NULL;
	body = json_object_new_object();
	json_object_object_foreach(changes, key, v)
	{
		const struct ec_key *k = table_find(t, key);
		(void)v;
		if (!k) {
			json_object_put(body);
			return NULL;
		}
		patch_key(body, k, obj);
	}
	return body;
}

json_object *keys_settings_patch(const ec_settings *after, json_object *changes)
{
	return table_patch(&settings_table, after, changes);
}

json_object *keys_mailbox_patch(const ec_mailbox *after, json_object *changes)
{
	return table_patch(&mailbox_table, after, changes);
}

/* ---- server profiles ------------------------------------------------------ */

const struct ec_key *keys_profile_find(const char *key)
{
	return table_find(&profile_table, key);
}

int keys_profile_apply(ec_profile *p, const char *key, const char *value, ec_error *err)
{
	return table_apply(&profile_table, p, key, value, false, NULL, NULL, err);
}

int keys_profile_apply_changes(ec_profile *p, json_object *changes, ec_error *err)
{
	return table_apply_changes(&profile_table, p, changes, NULL, NULL, err);
}

json_object *keys_profile_get_json(const ec_profile *p, const char *key)
{
	const struct ec_key *k = keys_profile_find(key);
	return k ? key_get_json(k, (const char *)p, false) : NULL;
}

json_object *keys_profile_patch(const ec_profile *after, json_object *changes)
{
	return table_patch(&profile_table, after, changes);
}
