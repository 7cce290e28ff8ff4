/* app.h — what the console's files share: the application state (one per
 * process), reactions (what a handler asks the loop to redraw), colour roles,
 * the screen interface, and the functions each tui/ file offers the others.
 * Only tui/ includes this; the console talks to core through core/ headers. */
#ifndef EMAILCFG_TUI_APP_H
#define EMAILCFG_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "core/cache/cache.h"
#include "core/cache/cache_view.h"
#include "core/base/config.h"
#include "core/jobs/jobs.h"

/* ---- Reactions: handlers return these, the loop redraws only them ----- */
enum {
	RX_NONE = 0,
	RX_HEADER = 1 << 0,  /* title line */
	RX_BODY = 1 << 1,    /* the current screen */
	RX_PANEL = 1 << 2,   /* the status panel */
	RX_HINTS = 1 << 3,   /* key-hint line */
	RX_MESSAGE = 1 << 4, /* message / prompt line */
	RX_OVERLAY = 1 << 5, /* dialog or help on top */
	RX_RELOAD = 1 << 6,  /* re-read the screen's data from the cache */
	RX_LAYOUT = 1 << 7,  /* sizes changed: lay out, then redraw all */
	RX_QUIT = 1 << 8,
	RX_ALL = RX_HEADER | RX_BODY | RX_PANEL | RX_HINTS | RX_MESSAGE | RX_OVERLAY,
};

/* ---- Colour roles (tui/term.c maps them to colours or mono attributes) -- */
enum tui_role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_HEADER,
	ROLE_SELECTED,
	ROLE_TAGGED,
	ROLE_OK,
	ROLE_FAIL,
	ROLE_DIM,
	ROLE_WARN,
	ROLE_ERROR,
	ROLE_KEY,
	ROLE_PENDING,
	ROLE_CONFLICT,
	ROLE_DISABLED,
	ROLE_INPUT,
	ROLE_BAR,
	ROLE_COUNT
};

/* ---- Screens ------------------------------------------------------------ */
enum tui_screen_id {
	SCR_MAILBOXES,
	SCR_MAILBOX,
	SCR_SETTINGS,
	SCR_PROFILES,
	SCR_ALERTS,
	SCR_OUTBOX,
	SCR_TESTS,
	SCR_PROFILE, /* the Email Server Profile form */
	SCR_CHANGES, /* status changes since a time (screen_changes.c) */
	SCR_COUNT
};
#define SCR_BIT(s) (1u << (s))
#define SCR_ANY    0xffffu

typedef struct tui_rect {
	int y, x, h, w;
} tui_rect;

typedef struct tui_app tui_app;

typedef struct tui_screen {
	const char *title;
	void (*enter)(tui_app *app);            /* became current (may be NULL) */
	void (*reload)(tui_app *app);           /* re-read from the cache */
	void (*draw)(tui_app *app, tui_rect r); /* paint the body */
	/* Keys the command table did not take (text fields); RX_NONE = unused. */
	unsigned (*key)(tui_app *app, wint_t ch, bool is_code);
	bool (*unsaved)(tui_app *app); /* edits would be lost */
} tui_screen;

extern const tui_screen screen_mailboxes, screen_mailbox, screen_settings, screen_profiles,
    screen_alerts, screen_outbox, screen_tests;
extern const tui_screen screen_profile, screen_changes;

/* ---- A running job, as the status panel shows it ------------------------ */
typedef struct tui_job {
	long id;
	char name[32];  /* the kind: "sync", "first sync", "refresh", "push", "test", ... */
	char label[64]; /* what the starter said it is for ("saving the mailbox"), or "" */
	char what[32];  /* what its progress counts ("mailboxes", "edits"), or "" */
	long done, total, failures;
	bool active;
} tui_job;
#define TUI_MAX_JOBS 8

/* ---- The application ---------------------------------------------------- */
struct tui_app {
	ec_config *cfg;
	ec_cache *cache; /* the UI thread's own connection */
	ec_worker *worker;
	ec_view *view;     /* the reader thread: counts, positions, groups */
	bool reader_async; /* script mode: keys do not wait for the reader */
	long answers;      /* reader answers taken (script mode waits on it) */
	long long data_version;

	/* terminal */
	int rows, cols;
	bool ascii, color, too_small, script, mouse;
	bool panel_on, panel_side;
	tui_rect r_header, r_body, r_panel, r_message, r_hints;

	/* screens */
	enum tui_screen_id screen, back[8];
	int nback;
	unsigned dirty;

	/* where the terminal cursor goes after drawing (prompts) */
	bool cursor_on;
	int cursor_y, cursor_x;

	/* message line */
	char message[512];
	enum tui_role message_role;
	char message_cause[32]; /* the job whose failure it tells, "" none (loop.c) */
	bool message_net;       /* that failure was the organization not answering */
	double message_until;   /* monotonic seconds when an info message expires, 0 never */

	/* connection, for the status panel */
	char org_host[128];
	char org_name[128]; /* the organization's display name, from the cache */
	bool small_quit;    /* q was pressed on the too-small screen with work to lose */
	double last_refresh, next_refresh; /* monotonic seconds; 0 never */
	long rtt_ms;
	bool link_down; /* the last refresh or its wait said the link failed: no rtt shown */
	bool throttled;
	char wait_text[160];
	int refresh_seconds;
	long refresh_job; /* the live refresh in flight, 0 none */
	long refreshes_done;
	bool push_on_answer; /* the organization did not answer: push queued edits when it does */
	tui_job jobs[TUI_MAX_JOBS];
	struct ec_status_counts counts;
	bool counts_valid;
};

/* ---- loop.c --------------------------------------------------------------- */
double loop_now(void);
void loop_switch_screen(tui_app *app, enum tui_screen_id s);
void loop_back(tui_app *app);
const tui_screen *loop_screen(const tui_app *app);
void loop_message(tui_app *app, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs one worker event through the console (the script runner uses it). */
unsigned loop_pump_events(tui_app *app);
unsigned loop_check_data(tui_app *app);
/* Worker events, cache changes and timers: what happened meanwhile. */
unsigned loop_background(tui_app *app);
void loop_redraw(tui_app *app, unsigned rx);
unsigned loop_handle_key(tui_app *app, wint_t ch, bool is_code);
/* A click (mouse, or the script's :click): the panel's numbers, the list. */
unsigned loop_click(tui_app *app, int y, int x);
bool loop_jobs_running(tui_app *app);
/* Submits the live refresh now when none is running. */
void loop_refresh_now(tui_app *app);
void loop_job_started(tui_app *app, long id, const char *name, const char *label);
/* Starts the sync of the console's start or sign-in: "first sync" when
 * the cache was never synced. */
void loop_start_sync(tui_app *app);
/* Edits are stored on the UI thread, in the outbox, before anything else
 * (a saved edit survives quitting at once); the worker then pushes them. */
ec_session loop_queue_session(tui_app *app);
void loop_push_queued(tui_app *app, const char *what);

/* Hands the reader's answers to the screens and the panel. */
unsigned loop_pump_view(tui_app *app);
/* Asks the reader a question (its gen tags the answer). */
void loop_ask(tui_app *app, enum view_kind kind, long gen, const char *filter, const char *sort,
              const char *id);

/* ---- term.c --------------------------------------------------------------- */
int term_start(tui_app *app, ec_error *err);
void term_end(tui_app *app);
void term_layout(tui_app *app);
void term_resize(tui_app *app, int rows, int cols);
int term_role_attr(enum tui_role role);
void term_set_mouse(tui_app *app, bool on);
extern volatile int term_signal_fd_w; /* self-pipe written by handlers */

/* ---- draw.c --------------------------------------------------------------- */
/* Draws text (sanitized, fitted to w columns, padded) with a role. */
void draw_text(tui_app *app, int y, int x, int w, enum tui_role role, const char *text);
/* Like draw_text, but returns the columns used and does not pad. */
int draw_span(tui_app *app, int y, int x, int w, enum tui_role role, const char *text);
void draw_fill(tui_app *app, tui_rect r, enum tui_role role);
void draw_hline(tui_app *app, int y, int x, int w, enum tui_role role);
void draw_box(tui_app *app, tui_rect r, enum tui_role role, const char *title);
void draw_bar(tui_app *app, int y, int x, int w, long done, long total);
void draw_fmt(tui_app *app, int y, int x, int w, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* ✓ ✗ · (or + - . in ASCII) for a channel status; its role. */
const char *draw_status_symbol(const tui_app *app, int status, enum tui_role *role);
const char *draw_sym(const tui_app *app, const char *utf8, const char *ascii);
void draw_roles_reset(tui_app *app);
char draw_role_letter(const tui_app *app, int y, int x);
void draw_cursor(tui_app *app, int y, int x, bool visible);

/* ---- commands.c ----------------------------------------------------------- */
/* Nothing would be lost by quitting now (no unsaved edits, no job). */
bool commands_quit_is_safe(tui_app *app);
unsigned commands_dispatch(tui_app *app, wint_t ch, bool is_code);
void commands_hints(tui_app *app, char *buf, size_t size);
/* Calls fn for each command that applies to screen (help overlay). */
void commands_each(const tui_app *app, enum tui_screen_id screen,
                   void (*fn)(void *ctx, const char *keys, const char *help, bool refused),
                   void *ctx);
const char *commands_key_name(wint_t ch, bool is_code, char *buf, size_t size);
/* The keys (as help spells them) of the command called name on screen
 * (its hint word), for messages that name a key: "?" when none. */
const char *commands_key(enum tui_screen_id screen, const char *name);
/* One key, one meaning: counts the pairs of rows that bind a key to two
 * different commands (by hint word) without a clash_reason, and writes
 * each to out (may be NULL). emailcfg --keys writes them to stderr. */
int commands_key_clashes(FILE *out);

/* ---- dialog.c ------------------------------------------------------------- */
typedef void (*dialog_done_fn)(tui_app *app, int choice, const char *text, void *ctx);
typedef struct dialog_item {
	const char *label;  /* shown (sanitized) */
	const char *reason; /* when disabled: why (shown beside it) */
	bool disabled;
} dialog_item;
/* Buttons: labels separated by '|'; the default is button 0 (Cancel). */
void dialog_confirm(tui_app *app, const char *title, const char *text, const char *buttons,
                    dialog_done_fn done, void *ctx);
/* A picker; choice is the item index or -1 when cancelled. */
void dialog_pick(tui_app *app, const char *title, const dialog_item *items, int n, int current,
                 dialog_done_fn done, void *ctx);
/* A one-line prompt; secret hides what is typed (no echo). */
typedef const char *(*dialog_validate_fn)(tui_app *app, const char *text, void *ctx);
/* A prompt validated as you type: check returns NULL or what is wrong
 * (shown under the field; Enter is refused while it is wrong). */
void dialog_prompt_check(tui_app *app, const char *title, const char *initial,
                         dialog_validate_fn check, dialog_done_fn done, void *ctx);
void dialog_prompt(tui_app *app, const char *title, const char *initial, bool secret,
                   dialog_done_fn done, void *ctx);
void dialog_message(tui_app *app, const char *title, const char *text);
bool dialog_open(const tui_app *app);
unsigned dialog_key(tui_app *app, wint_t ch, bool is_code);
void dialog_draw(tui_app *app);
void dialog_close_all(tui_app *app);

/* ---- pager.c ------------------------------------------------------------- */
/* Opens the pager on text (lines separated by '\n'; sanitized and wrapped
 * there): any cut text read whole. q or Esc closes it. */
void pager_open(tui_app *app, const char *title, const char *text);
bool pager_is_open(const tui_app *app);
unsigned pager_key(tui_app *app, wint_t ch, bool is_code);
void pager_draw(tui_app *app);

/* ---- overlay_help.c ------------------------------------------------------- */
void help_show(tui_app *app);
bool help_open(const tui_app *app);
unsigned help_key(tui_app *app, wint_t ch, bool is_code);
void help_draw(tui_app *app);

/* ---- message.c: the message line and when it goes ------------------------ */
void message_clear(tui_app *app);
/* The message shown lasts until a key, whatever its role. */
void message_keep(tui_app *app);
/* A job failed: its message, and its cause (the job's kind, no answer). */
void message_job_failed(tui_app *app, const ec_job_event *ev);
/* A job of kind name succeeded: a message whose cause that removes goes. */
void message_job_ok(tui_app *app, const char *name);
/* A job of kind name succeeded: the message that says what it did. */
void message_job_done(tui_app *app, const char *name);
/* An information message that expired goes (the loop's timer). */
unsigned message_tick(tui_app *app, double now);
/* The sentence of a running job for the status panel (job_text.c). */
void job_text(const tui_job *j, char *buf, size_t size);

/* ---- panel_status.c ------------------------------------------------------- */
void panel_reload(tui_app *app);
unsigned panel_answer(tui_app *app, view_answer *a);
void panel_draw(tui_app *app, tui_rect r);
/* The focus on the panel's numbers (a command-table row runs panel_cmd):
 * Left/Right choose, Enter lists what the number counts, Esc leaves. */
unsigned panel_cmd(tui_app *app, int arg);
bool panel_focused(const tui_app *app);
unsigned panel_key(tui_app *app, wint_t ch, bool is_code);
/* A click in the panel (RX_NONE: not in it). */
unsigned panel_click(tui_app *app, int y, int x);

/* ---- lineedit.c ----------------------------------------------------------- */
typedef struct lineedit {
	wchar_t buf[256];
	int len, cur;
} lineedit;
void lineedit_set(lineedit *e, const char *utf8);
/* Returns true when the key edited the text (or moved the cursor). */
bool lineedit_key(lineedit *e, wint_t ch, bool is_code);
/* The text as UTF-8 (caller frees). */
char *lineedit_text(const lineedit *e);
/* Draws it in w columns; returns the cursor's column. */
int lineedit_draw(tui_app *app, const lineedit *e, int y, int x, int w, bool secret);
/* Tab completion of the word before the cursor: complete(word, nth, out,
 * size) writes the nth candidate and returns how many there are. The first
 * Tab takes the word as typed; each further Tab (tab->active still set)
 * puts the next candidate in its place, wrapping around. The caller clears
 * tab->active on any other key. False when nothing completes. */
typedef struct lineedit_tab {
	char word[256];
	int start, nth;
	bool active;
} lineedit_tab;
typedef int (*lineedit_complete_fn)(const char *word, int nth, char *out, unsigned long size);
bool lineedit_complete(lineedit *e, lineedit_complete_fn complete, lineedit_tab *tab);

/* ---- screens: what one screen asks of another ------------------------------ */
/* screen_mailboxes.c */
void mailboxes_set_filter(tui_app *app, const char *expr);
/* Shows the built-in view (by name) with the filter typed after it, from
 * the top (the status panel lists what a number counts). */
void mailboxes_show(tui_app *app, const char *view, const char *expr);
bool mailboxes_filter_editing(const tui_app *app);
void mailboxes_draw_prompt(tui_app *app, tui_rect r);
/* Type-ahead: the filter typed so far is applied when the keys already
 * waiting have been read (one query per burst, not per key). */
unsigned mailboxes_flush_typing(tui_app *app);
bool mailboxes_typing(const tui_app *app);
unsigned mailboxes_click(tui_app *app, int y, int x);
unsigned mailboxes_cmd(tui_app *app, int op);
unsigned mailboxes_answer(tui_app *app, view_answer *a);
/* Tags exactly the n ids (an Alerts group), so a / T / e act on them. */
void mailboxes_tag_only(tui_app *app, char (*ids)[EC_ID_SIZE], int n);
/* The first screenful is still being read (the reader answers it). */
bool mailboxes_paging(const tui_app *app);
/* screen_mailbox.c */
void mailbox_open(tui_app *app, const char *id);
unsigned mailbox_cmd(tui_app *app, int op);
/* screen_settings.c */
unsigned settings_cmd(tui_app *app, int op);
/* list screens */
unsigned profiles_cmd(tui_app *app, int op);
unsigned profiles_answer(tui_app *app, view_answer *a);
/* screen_profile.c */
void profile_open(tui_app *app, const char *id);
unsigned profile_cmd(tui_app *app, int op);
unsigned alerts_cmd(tui_app *app, int op);
unsigned alerts_answer(tui_app *app, view_answer *a);
unsigned changes_cmd(tui_app *app, int op);
unsigned outbox_cmd(tui_app *app, int op);
void outbox_open_entry(tui_app *app, long long entry);
unsigned tests_cmd(tui_app *app, int op);
struct ec_test_opts;
void tests_start(tui_app *app, char (*ids)[EC_ID_SIZE], int n, const struct ec_test_opts *opts);
void tests_on_stage(tui_app *app, const ec_job_event *ev);
void tests_on_done(tui_app *app, const ec_job_event *ev);

/* Generic operations the command table sends to the current screen. */
enum tui_op {
	OP_UP,
	OP_DOWN,
	OP_PGUP,
	OP_PGDN,
	OP_HOME,
	OP_END,
	OP_ENTER,
	OP_ESC,
	OP_LEFT,
	OP_RIGHT,
	/* screen-specific */
	OP_FILTER,
	OP_FIND,
	OP_NEXT,
	OP_PREV,
	OP_SORT,
	OP_REVERSE,
	OP_VIEW,
	OP_TAG,
	OP_TAG_ALL,
	OP_UNTAG_ALL,
	OP_TEST,
	OP_APPROVE,
	OP_DEFAULTS,
	OP_SET_FIELD,
	OP_SAVE,
	OP_EDIT,
	OP_MINE,
	OP_THEIRS,
	OP_DROP,
	OP_RETRY,
	OP_RESOLVE,
	OP_PASSWORD,
	OP_TAG_FAILING,  /* Server profiles: its failing mailboxes, tagged */
	OP_ALERTS_VIEW,  /* Alerts: grouped by cause or newest first */
	OP_ALERTS_LEVEL, /* Alerts: the next severity filter */
	OP_ALERTS_TAG,   /* Alerts: tag the group's mailboxes, open Mailboxes */
	OP_READ,         /* the whole text of the row, in the pager (pager.c) */
};

/* ---- script.c ------------------------------------------------------------- */
bool script_active(void);
int script_open(tui_app *app, const char *path, ec_error *err);
/* Runs the script to its end; returns an ec_status. */
int script_run(tui_app *app, ec_error *err);
void script_dump(tui_app *app, const char *path);

/* ---- timing.c ------------------------------------------------------------- */
/* EMAILCFG_TIMES=FILE: key-to-frame times, UI-thread stalls, first frame. */
void timing_open(void);
void timing_close(void);
bool timing_on(void);
void timing_key(tui_app *app, wint_t ch, bool is_code);
void timing_frame(void);
void timing_note(const char *what);
void timing_busy(void);
void timing_idle(void);

/* ---- small helpers (draw.c) ---------------------------------------------- */
/* Copies src (NULL: "") into dst of size bytes, always terminated. */
void tui_copy(char *dst, size_t size, const char *src);
/* "3 s ago", "12:04:05" etc. are formatted by the panel; these are shared. */
const char *tui_method_short(int set, int wire, char *buf, size_t size);
/* A channel of the sync history ("incoming", "outgoing", "act") by its name. */
const char *tui_channel_label(const char *channel);
/* A status change in words, "Success → Failure", or "Failure → removed" when
 * the mailbox left the organization, "new → Failure" when it appeared. */
void tui_change_text(const tui_app *app, const ec_status_change *c, char *buf, size_t size);
enum { SET_INCOMING, SET_OUTGOING, SET_ACT };

#endif
