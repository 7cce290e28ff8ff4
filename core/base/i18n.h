/* i18n.h — gettext wrappers. _() translates at run time, N_() marks a string
 * in a static table for xgettext without translating it there.
 *
 * C_(ctx, s) translates s in a context: a word of a narrow column header, a
 * tab or the hint line is often shorter in Slovenian than the same word in a
 * sentence, so the catalog may hold both. NC_(ctx, s) marks one in a table
 * (it is s itself) and i18n_context() translates such a table entry. */
#ifndef EMAILCFG_I18N_H
#define EMAILCFG_I18N_H

#include <libintl.h>

#define _(s)      gettext(s)
#define N_(s)     (s)
#define NC_(c, s) (s)
#define C_(c, s)  i18n_context(c, s)

/* The translation of s in the context ctx; else its translation without
 * one; else s itself. */
const char *i18n_context(const char *ctx, const char *s);

#endif
