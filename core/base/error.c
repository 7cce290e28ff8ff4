/* error.c — filling in ec_error values (see error.h). The message is
 * written in the user's language: every format passed to ec_fail,
 * ec_vfail, cache_not_found and scan_fail is a literal that make pot
 * extracts (xgettext -kec_fail:3 ...), and it is translated here, once. */
#include "core/base/error.h"

#include <stdio.h>
#include <string.h>

#include "core/base/i18n.h"

int ec_vfail(ec_error *err, enum ec_status status, const char *fmt, va_list ap)
{
	if (err) {
		err->status = status;
		vsnprintf(err->msg, sizeof err->msg, _(fmt), ap);
	}
	return status;
}

int ec_fail(ec_error *err, enum ec_status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ec_vfail(err, status, fmt, ap);
	va_end(ap);
	return status;
}

void ec_error_clear(ec_error *err)
{
	if (err) {
		err->status = EC_OK;
		err->msg[0] = '\0';
	}
}
