/* i18n.h — gettext wrappers. _() translates at run time, N_() marks a string
 * in a static table for xgettext without translating it there. */
#ifndef EMAILCFG_I18N_H
#define EMAILCFG_I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

#endif
