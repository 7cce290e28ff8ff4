/* store.h — the in-memory tables: typed rows kept sorted by primary key with
 * a hash index, the global row-version counter, and the conversion of JSON
 * values into column values with the type and range checks PATCH needs.
 * Every function here expects the caller to hold sim_lock. */
#ifndef SIM_STORE_H
#define SIM_STORE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "text.h"

struct val {
	union {
		int64_t i;     /* T_INT T_BIGINT T_BOOL T_CHOICE T_DATE */
		char *s;       /* T_STRING */
		struct guid g; /* T_GUID T_LOOKUP */
	} u;
	uint8_t null;
	uint8_t ref; /* T_LOOKUP: index of the target in the column's targets */
};

struct row {
	struct val *v; /* one per column of the entity */
};

struct table {
	const struct entity *e;
	struct row **rows; /* sorted by primary key */
	size_t n, cap;
	struct row **slots; /* open-addressing hash index on the primary key */
	size_t nslots;
};

/* An error to send back: HTTP status, Dataverse error code and message. */
struct sim_err {
	int status;
	const char *code;
	char msg[1024];
};

void sim_err_set(struct sim_err *err, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

extern struct table store_tables[E_COUNT];

void store_init(void);
void store_free_all(void);
/* The next value of the global row-version counter. */
int64_t store_next_version(void);
/* The counter's current value, and setting it back (a restored backup). */
int64_t store_version_now(void);
void store_version_reset(int64_t v);

static inline const struct guid *row_id(const struct row *r)
{
	return &r->v[0].u.g;
}

/* A new row holding the column defaults, a random id, createdon/modifiedon =
 * now and a fresh version. Not yet in a table. */
struct row *store_row_new(const struct entity *e);
void store_row_free(const struct entity *e, struct row *r);
/* A deep copy of r (its strings duplicated). */
struct row *store_row_copy(const struct entity *e, const struct row *r);
/* Adds a row to its table keeping it sorted; false if the id exists. */
bool store_insert(enum entity_id t, struct row *r);
/* Appends without sorting (bulk load); call store_sort() afterwards. */
void store_append(enum entity_id t, struct row *r);
void store_sort(enum entity_id t);
struct row *store_find(enum entity_id t, const struct guid *id);
/* Deletes the row; the change log of track.h remembers it. */
bool store_delete(enum entity_id t, const struct guid *id);
/* Marks a row as written: new version, modifiedon = now. */
void store_touch(const struct entity *e, struct row *r);
/* First position in the sorted table whose id is greater than id. */
size_t store_upper_bound(enum entity_id t, const struct guid *id);

/* Name of a referenced row for FormattedValue, NULL if there is none. */
const char *store_display_name(enum entity_id t, const struct guid *id);

void val_clear(const struct column *c, struct val *v);
/* Orders two values of a column: nulls first, strings case-insensitively. */
int val_cmp(const struct column *c, const struct val *a, const struct val *b);

/* Converts a JSON value for column c of entity e into *out (type, length and
 * range checks; a lookup is a GUID string resolved among its targets). With
 * strict, a lookup id must exist. On error fills err and returns false. */
bool store_val_from_json(const struct entity *e, int c, json_object *j, bool strict,
                         struct val *out, struct sim_err *err);
/* Replaces column c of r with v (takes ownership of v's string). */
void store_set(const struct entity *e, struct row *r, int c, struct val *v);
void store_set_int(const struct entity *e, struct row *r, const char *col, int64_t v);
void store_set_str(const struct entity *e, struct row *r, const char *col, const char *s);
void store_set_lookup(const struct entity *e, struct row *r, const char *col, int ref,
                      const struct guid *id);
int64_t store_get_int(const struct entity *e, const struct row *r, const char *col, int64_t dflt);
const char *store_get_str(const struct entity *e, const struct row *r, const char *col);
const struct val *store_get(const struct entity *e, const struct row *r, const char *col);

#endif
