/* form.h — what the two forms (Mailbox, Email Configuration Settings) share:
 * a list of rows (section titles, read-only facts and editable keys of
 * core/codec/keys.h), a cursor that skips what cannot be edited, the editors for
 * each key kind (pickers with refused options disabled, yes/no toggles,
 * prompts validated as you type), and the profile resolver for keys. */
#ifndef EMAILCFG_TUI_FORM_H
#define EMAILCFG_TUI_FORM_H

#include "core/codec/keys.h"
#include "core/model/rules.h"
#include "tui/app.h"

enum form_row_kind { ROW_SECTION, ROW_FACT, ROW_KEY, ROW_TEXT };

typedef struct form_row {
	enum form_row_kind kind;
	char label[128];    /* room for a long translated label (drawn cut, read whole with i) */
	char *value;        /* ROW_FACT / ROW_TEXT: shown as is (sanitized when drawn) */
	enum tui_role role; /* of value */
	const struct ec_key *key; /* ROW_KEY */
	bool changed;             /* ROW_KEY: differs from the saved row */
	int lw;                   /* its label column, as last drawn (its section's) */
} form_row;

typedef struct form {
	form_row *rows;
	int n, cap;
	int sel, top;
	int last_sel, h; /* the selection and height of the last draw */
} form;

void form_clear(form *f);
void form_section(form *f, const char *title);
void form_fact(form *f, const char *label, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void form_text(form *f, enum tui_role role, const char *text);
/* An editable key; label NULL uses the key's help line. */
void form_key(form *f, const struct ec_key *k, const char *label, bool changed);
/* The selected row is editable; keeps the selection on an editable row. */
void form_move(form *f, int delta);
void form_home(form *f);
void form_end(form *f);
const form_row *form_current(const form *f);

/* Draws the rows in r; value_of returns the (malloc'ed) text of a key row. */
typedef char *(*form_value_fn)(tui_app *app, const struct ec_key *k);
void form_draw(tui_app *app, form *f, tui_rect r, form_value_fn value_of);
/* The label column of rows from..to-1 for width w (the whole form, or a
 * section whose values the form's column would cut): their longest label,
 * the values keeping at least 24 columns or two fifths of w (a wider label
 * is cut with an ellipsis). */
int form_label_width(const form *f, int from, int to, int w);
/* The form drawn last (the one on screen): whether a label, value or text
 * of it was cut, and the pager on its selected row with every cut row. */
bool form_cut(tui_app *app);
unsigned form_read(tui_app *app);
/* The labels of the rows the last draw showed, one a line (the script's
 * :labels, so a test knows each label's whole text). */
void form_write_labels(FILE *out);

/* The text of a key's JSON value for display ("yes", a label, a number). */
char *form_json_text(json_object *v, const struct ec_key *k);

/* keys_profile_resolver over the UI's cache connection (ctx = tui_app). */
int form_resolve_profile(void *ctx, const char *name_or_id, char id[EC_ID_SIZE], char **name,
                         ec_error *err);

/* What a form edits: its copy of a row, seen through these callbacks. */
typedef struct form_model {
	/* The copy's value of k (a new JSON value, or NULL). */
	json_object *(*get)(const struct ec_key *k);
	/* Sets key on the copy and rebuilds the form. */
	int (*apply)(tui_app *app, const char *key, const char *value, ec_error *err);
	/* Would value be well formed for key? (tried on a throwaway copy) */
	int (*check)(const char *key, const char *value, ec_error *err);
	/* The rule that refuses value for k (shown disabled), or NULL; may be NULL. */
	const ec_rule *(*refusal)(tui_app *app, const struct ec_key *k, const char *value);
	/* The id the copy's profile key holds ("" for none). */
	const char *(*profile_id)(void);
} form_model;

/* Edits the selected key: a picker for options and profiles, a toggle for
 * yes/no, a prompt checked as you type for text and numbers. */
unsigned form_edit(tui_app *app, form *f, const form_model *m);
/* Left/Right: the previous (dir -1) or next (+1) value of a choice the rules
 * allow, in place (round the list, refused ones skipped); a yes/no flips. */
unsigned form_cycle(tui_app *app, form *f, const form_model *m, int dir);

/* The KEY=VALUE a form hands to core for a field of value v (a profile by
 * its id, so names that repeat cannot pick the wrong one). Caller frees. */
char *form_assignment(const struct ec_key *k, json_object *v, const char *profile_id);

/* A refresh under unsaved edits: the keys whose value on the form (copy)
 * differs from the row the form was opened on (old) are the admin's edits,
 * returned as an object of changes to apply to a copy of the fresh row, so
 * the fields the admin did not touch follow the organization (another
 * admin's change is never sent back as this admin's edit). moved gets the
 * labels of edited keys that someone else changed too (appended to what it
 * holds, so a later refresh does not forget them; the caller empties it
 * when the form opens, saves or discards): the
 * form keeps the admin's value, says so in the message line and asks
 * before saving it over theirs.
 * get returns a new JSON value of a key of the form's row type. */
typedef json_object *(*form_get_fn)(const void *row, const char *key);
json_object *form_rebase_edits(tui_app *app, const struct ec_key *keys, int n, form_get_fn get,
                               const void *old, const void *copy, const void *fresh, char *moved,
                               size_t size);
/* Asks before a save goes over fields someone else changed (moved, from
 * form_rebase_edits); save runs the save again when the admin says Save
 * (choice 1) and must empty moved first. */
unsigned form_confirm_moved(tui_app *app, const char *moved, dialog_done_fn save);
/* "  (edited, not saved: w saves, Esc discards)", the key from the command
 * table (a static buffer). */
const char *form_unsaved_note(tui_app *app);

/* A JSON text the outbox keeps (changes, base, theirs), parsed, with profiles
 * by name (a new object, or NULL). */
json_object *form_outbox_json(tui_app *app, const char *text);
/* An outbox entry's changes in words: "Label: before → after; ..." (caller frees). */
char *form_changes_text(tui_app *app, const ec_outbox_entry *e);

#endif
