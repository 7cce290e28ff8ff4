/* pager.h — what the pager (pager.c) offers besides opening and drawing it
 * (those are in app.h): the message line read whole. The message line is
 * cleared by the next key, so the text shown is kept here before a key is
 * handled, for i to read. */
#ifndef EMAILCFG_TUI_PAGER_H
#define EMAILCFG_TUI_PAGER_H

#include <stdbool.h>

typedef struct tui_app tui_app;

/* Keeps the message line as it is on screen now (call before a key
 * clears it, and after a command set it). */
void pager_keep_message(const tui_app *app);
/* Whether the message line shown is wider than the screen. */
bool pager_message_cut(const tui_app *app);
/* Opens the pager on the kept message when the line cut it (and forgets
 * it); RX_NONE when it was not cut. */
unsigned pager_read_message(tui_app *app);
/* A list tells, when it draws, whether its selected row was cut (a
 * column left out or a text shortened): the hint line then offers i. */
void pager_note_cut(tui_app *app, bool cut);
bool pager_row_cut(const tui_app *app);
/* i on the Outbox: the entry whole (state, time, its changes in words,
 * the error), titled with its target's name. */
struct ec_outbox_entry;
unsigned pager_outbox_entry(tui_app *app, const struct ec_outbox_entry *e, const char *target);
/* The display width of a text as drawn (sanitized). */
int pager_text_width(const char *text);

#endif
