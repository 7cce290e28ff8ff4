/* i18n.c — translations in a context (i18n.h's C_). gettext's catalogs keep
 * a context as "CONTEXT\004MSGID"; libintl has no pgettext of its own, so
 * the key is built here. Touches nothing but the message catalog. */
#include "core/base/i18n.h"

#include <stdio.h>
#include <string.h>

const char *i18n_context(const char *ctx, const char *s)
{
	char key[512];
	const char *t;
	if (snprintf(key, sizeof key, "%s\004%s", ctx, s) >= (int)sizeof key)
		return s;
	t = gettext(key);
	/* gettext hands back its argument when there is no translation (this
	 * stack buffer): then the word's translation outside the context. */
	return t == key ? gettext(s) : t;
}
