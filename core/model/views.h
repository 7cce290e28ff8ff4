/* views.h — named views of the mailbox list: the built-in ones (as Dynamics
 * 365 names them: Active Mailboxes, Inactive Mailboxes, …), one table that
 * drives the code, `--help`, the console's picker and docs/cli.md; and the
 * admin's saved views, NAME<TAB>FILTER lines in the file `views` of the
 * configuration directory (config_dir()), written atomically, mode 0600.
 * A view is a filter (filter.h) with a name: it applies with any filter the
 * admin types. Touches only the views file. */
#ifndef EMAILCFG_VIEWS_H
#define EMAILCFG_VIEWS_H

#include "core/base/error.h"

typedef struct ec_view {
	const char *name;   /* "pending-approval" */
	const char *title;  /* N_(): "Mailboxes Pending Approval" */
	const char *filter; /* the filter language of filter.h */
} ec_view;

extern const ec_view views_builtin[];
extern const int views_builtin_count;

/* The console opens on it, as Dynamics 365 does. */
#define VIEWS_DEFAULT "active"

/* The built-in view of that name (exact), or NULL. */
const ec_view *views_find_builtin(const char *name);

/* A saved view's name: 1 to 32 of a-z, 0-9 and '-', starting with a letter
 * or digit, and not a built-in view's. EC_USAGE saying what to do. */
int views_check_name(const char *name, ec_error *err);

typedef struct ec_saved_views {
	char **names, **filters;
	int count;
} ec_saved_views;

/* Reads the views file (none: no saved views). A line that is not
 * NAME<TAB>FILTER: EC_LOCAL naming the file and line. */
int views_load(const char *path, ec_saved_views *out, ec_error *err);
void views_free(ec_saved_views *v);

/* Saves (or replaces) NAME with FILTER after checking both (a filter that
 * does not compile is refused with the filter's own message); creates the
 * directory (0700) when needed and replaces the file atomically. */
int views_save(const char *path, const char *name, const char *filter, ec_error *err);
/* A filter fit for a view: one line without tabs, no quote left open (it
 * would swallow a filter typed after the view's), and one filter_compile()
 * takes. EC_USAGE saying what to do. */
int views_check_filter(const char *filter, ec_error *err);
/* Removes NAME; a built-in or unknown name is EC_USAGE. */
int views_delete(const char *path, const char *name, ec_error *err);

/* The filter of a built-in or saved view (*filter is the caller's to free);
 * an unknown name is EC_USAGE listing the views. path may be NULL (no
 * saved views). */
int views_resolve(const char *path, const char *name, char **filter, ec_error *err);

/* The saved views file: `views` in config_dir(cfg); NULL without a home.
 * Caller frees. */
struct ec_config;
char *views_file_path(const struct ec_config *cfg);

/* "active, inactive, ..." of the built-in views, for messages and help. */
void views_list_builtin(char *buf, unsigned long size);

#endif
