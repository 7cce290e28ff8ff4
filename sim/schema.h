/* schema.h — the entity and column tables: one table per Dataverse entity
 * the emulator serves, giving each column's wire name, type, access, option
 * labels, numeric range and lookup targets. $select and $filter validation,
 * PATCH validation and annotation output are all driven from these tables. */
#ifndef SIM_SCHEMA_H
#define SIM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum col_type {
	T_GUID,   /* primary key (Edm.Guid) */
	T_STRING, /* Edm.String */
	T_INT,    /* Edm.Int32 (whole numbers) */
	T_BIGINT, /* Edm.Int64 (versionnumber) */
	T_BOOL,   /* Edm.Boolean */
	T_CHOICE, /* Edm.Int32 picklist, state or status with labels */
	T_DATE,   /* Edm.DateTimeOffset, seconds since the epoch */
	T_LOOKUP, /* _x_value (Edm.Guid) plus a navigation property */
};

enum col_flag {
	F_READ = 1,   /* returned by GET */
	F_WRITE = 2,  /* accepted by PATCH */
	F_REQ = 4,    /* SystemRequired: cannot be set to null */
	F_SECRET = 8, /* write-only: stored, never returned; sets its is*set flag */
};

struct choice {
	int value;
	const char *label;
};

enum entity_id { E_ORGANIZATION, E_PROFILE, E_MAILBOX, E_TRACELOG, E_SYSTEMUSER, E_QUEUE, E_COUNT };

struct lookup_target {
	enum entity_id entity;
	const char *nav; /* associated navigation property for this target */
};

struct column {
	const char *name; /* wire name as read, e.g. "name" or "_ownerid_value" */
	enum col_type type;
	unsigned flags;
	const struct choice *options; /* T_CHOICE labels; T_BOOL: [0]=false [1]=true */
	int noptions;
	int64_t min, max; /* T_INT range (min > max: unchecked) */
	int maxlen;       /* T_STRING */
	const char *bind; /* T_LOOKUP: the single-valued navigation for @odata.bind */
	const struct lookup_target *targets;
	int ntargets;
	const char *isset; /* F_SECRET: name of the RO flag telling it is set */
	const char *dflt;  /* default value as JSON text, NULL = null */
};

struct entity {
	enum entity_id id;
	const char *logical;   /* "mailbox" */
	const char *set;       /* "mailboxes" */
	const char *name_attr; /* primary name column */
	const struct column *cols;
	int ncols;
	bool writable; /* PATCH allowed */
	bool creatable;
	/* column indexes, -1 when absent */
	int pk, name, version, modifiedon, createdon, statecode, statuscode;
};

extern const struct entity *const schema_entities[E_COUNT];

const struct entity *schema_entity_by_set(const char *set, size_t len);
const struct entity *schema_entity_by_logical(const char *logical);
/* Index of the column with this wire name, or -1. */
int schema_column_index(const struct entity *e, const char *name, size_t len);
/* Index of the lookup column whose bind navigation property is nav, or -1. */
int schema_bind_index(const struct entity *e, const char *nav, size_t len);
/* The label of a choice or boolean value, NULL when out of range. */
const char *schema_option_label(const struct column *c, int64_t v);
bool schema_option_valid(const struct column *c, int64_t v);
/* Called once at start-up: fills the column indexes of every entity. */
void schema_init(void);
/* The OData type name of a column, e.g. "Edm.Int32". */
const char *schema_edm_type(const struct column *c);

#endif
