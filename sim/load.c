/* load.c — reads the data file into the store (see load.h). */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "store.h"

struct sim_identity sim_identity;

static char *file_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_take(&b);
}

static char *substitute_self(const char *text)
{
	struct buf b = {0};
	const char *p = text, *hit;
	while ((hit = strstr(p, "{{SELF}}"))) {
		buf_put(&b, p, (size_t)(hit - p));
		buf_puts(&b, sim_cfg.base_url);
		p = hit + 8;
	}
	buf_puts(&b, p);
	return buf_take(&b);
}

static bool row_load(const struct entity *e, json_object *obj, char *err, size_t errsize)
{
	struct row *row = store_row_new(e);
	json_object_object_foreach(obj, key, j)
	{
		int c = schema_column_index(e, key, strlen(key));
		struct val v;
		struct sim_err se;
		if (c < 0) {
			snprintf(err, errsize, "%s: unknown column '%s'", e->set, key);
			store_row_free(e, row);
			return false;
		}
		if (!store_val_from_json(e, c, j, false, &v, &se)) {
			snprintf(err, errsize, "%s.%s: %s", e->set, key, se.msg);
			store_row_free(e, row);
			return false;
		}
		if (e->cols[c].flags & F_SECRET)
			store_set_int(e, row, e->cols[c].isset, !v.null);
		store_set(e, row, c, &v);
	}
	if (!store_insert(e->id, row)) {
		char id[37];
		guid_format(row_id(row), id, false);
		snprintf(err, errsize, "%s: duplicate id %s", e->set, id);
		store_row_free(e, row);
		return false;
	}
	return true;
}

static bool set_load(json_object *root, enum entity_id t, char *err, size_t errsize)
{
	const struct entity *e = schema_entities[t];
	json_object *arr;
	if (!json_object_object_get_ex(root, e->set, &arr))
		return true;
	if (!json_object_is_type(arr, json_type_array)) {
		snprintf(err, errsize, "%s must be an array", e->set);
		return false;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *obj = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(obj, json_type_object)) {
			snprintf(err, errsize, "%s[%zu] must be an object", e->set, i);
			return false;
		}
		if (!row_load(e, obj, err, errsize))
			return false;
	}
	return true;
}

bool load_file(const char *path, char *err, size_t errsize)
{
	static const enum entity_id order[] = {E_ORGANIZATION, E_PROFILE, E_SYSTEMUSER,
	                                       E_QUEUE,        E_MAILBOX, E_TRACELOG};
	char *raw = file_read(path);
	if (!raw) {
		snprintf(err, errsize, "cannot read %s", path);
		return false;
	}
	char *text = substitute_self(raw);
	free(raw);
	enum json_tokener_error jerr = json_tokener_success;
	json_object *root = json_tokener_parse_verbose(text, &jerr);
	free(text);
	if (!root || !json_object_is_type(root, json_type_object)) {
		snprintf(err, errsize, "%s: not a JSON object (%s)", path,
		         json_tokener_error_desc(jerr));
		json_object_put(root);
		return false;
	}
	bool ok = true;
	json_object *bu;
	if (json_object_object_get_ex(root, "businessunitid", &bu))
		ok = guid_parse(json_object_get_string(bu), strlen(json_object_get_string(bu)),
		                &sim_identity.business_unit);
	if (!ok)
		snprintf(err, errsize, "%s: businessunitid is not a GUID", path);
	for (size_t i = 0; ok && i < sizeof order / sizeof order[0]; i++)
		ok = set_load(root, order[i], err, errsize);
	json_object_put(root);
	return ok;
}

static void ensure_org(void)
{
	if (store_tables[E_ORGANIZATION].n)
		return;
	const struct entity *e = schema_entities[E_ORGANIZATION];
	struct row *org = store_row_new(e);
	store_set_str(e, org, "name", "emailcfg-sim");
	store_set_str(e, org, "defaultemailsettings",
	              "<EmailSettings><IncomingEmailDeliveryMethod>2</IncomingEmailDeliveryMethod>"
	              "<OutgoingEmailDeliveryMethod>2</OutgoingEmailDeliveryMethod>"
	              "<ACTDeliveryMethod>1</ACTDeliveryMethod></EmailSettings>");
	store_insert(E_ORGANIZATION, org);
}

static void ensure_app_user(void)
{
	const struct entity *e = schema_entities[E_SYSTEMUSER];
	const struct table *tb = &store_tables[E_SYSTEMUSER];
	for (size_t i = 0; i < tb->n; i++) {
		const char *app = store_get_str(e, tb->rows[i], "applicationid");
		if (app && !strcasecmp(app, sim_cfg.client_id)) {
			sim_identity.user = *row_id(tb->rows[i]);
			return;
		}
	}
	struct row *u = store_row_new(e);
	store_set_str(e, u, "fullname", "# emailcfg");
	store_set_str(e, u, "lastname", "# emailcfg");
	store_set_str(e, u, "applicationid", sim_cfg.client_id);
	store_set_str(e, u, "domainname", "emailcfg@sim.invalid");
	sim_identity.user = *row_id(u);
	store_insert(E_SYSTEMUSER, u);
}

void load_finish(void)
{
	static const struct guid zero;
	if (!memcmp(&sim_identity.business_unit, &zero, sizeof zero))
		guid_random(&sim_identity.business_unit);
	ensure_org();
	ensure_app_user();
}
