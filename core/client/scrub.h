/* scrub.h — hides secrets a server echoed back. A token endpoint or an
 * organization that answers an error may quote the request it was sent:
 * the refresh token, the client secret, the device code, the access token.
 * Before such an answer is read for a message, every secret the request
 * carried is replaced with "[hidden]" — as sent (percent-encoded in a
 * form), as plain text, and as JSON writes it ("/" as "\/"). Pure string
 * work: touches nothing else. */
#ifndef EMAILCFG_SCRUB_H
#define EMAILCFG_SCRUB_H

#include <stddef.h>

#define SCRUB_MARK "[hidden]"

/* A copy of text with each of the NULL-terminated secrets hidden (an
 * empty or NULL secret is skipped); the caller frees (ec_wipe_free: the
 * text may still hold other sensitive words). */
char *scrub_secrets(const char *text, const char *const *secrets);

/* The same for the secret values of a form the request posted
 * (client_secret, refresh_token, device_code, password, code,
 * client_assertion); form may be NULL. */
char *scrub_form_secrets(const char *text, const char *form);

#endif
