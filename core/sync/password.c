/* password.c — setting a mailbox's password (see password.h). Touches the
 * network and the mailbox's cached row (not the password). */
#include "core/sync/password.h"

#include <string.h>

#include <json-c/json.h>

#include "core/codec/codec.h"

/* json-c keeps the serialized body in the object; writing it once more
 * puts the same bytes in the same buffer, which is then zeroed. */
static void body_wipe(json_object *body, json_object *secret)
{
	char *text = (char *)json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
	memset(text, 0, strlen(text));
	text = (char *)json_object_get_string(secret);
	memset(text, 0, strlen(text));
}

static int store_row(ec_session *s, json_object *row, ec_error *err)
{
	ec_mailbox m;
	int rc = codec_mailbox_from_json(row, &m, err);
	if (rc == EC_OK)
		rc = cache_put_mailboxes(s->cache, &m, 1, err);
	mailbox_free(&m);
	return rc;
}

int edit_password(ec_session *s, const char *mailbox_id, const char *password, ec_error *err)
{
	json_object *body, *secret, *row = NULL;
	int rc = session_may_change(s, "set a password", err);
	if (rc == EC_OK)
		rc = session_need_network(s, "setting a password", err);
	if (rc == EC_OK && (!password || !*password))
		rc = ec_fail(err, EC_USAGE, "the password is empty; nothing was sent");
	if (rc != EC_OK)
		return rc;
	body = json_object_new_object();
	secret = json_object_new_string(password);
	json_object_object_add(body, "password", secret);
	/* A password is not merged with anyone's edit: If-Match: *. */
	rc = dv_patch(s->dv, "mailboxes", mailbox_id, body, 0, codec_mailbox_select, &row, err);
	body_wipe(body, secret);
	json_object_put(body);
	if (rc == EC_OK && row)
		rc = store_row(s, row, err);
	json_object_put(row);
	return rc < EC_OK ? EC_FAILED : rc;
}
