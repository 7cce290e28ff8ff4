/* error.h — the error value every core function fills in, and the exit codes
 * of the command-line contract (docs/cli.md). Core never prints: it
 * writes one sentence saying what failed and what to do into an ec_error,
 * and the front end decides where that sentence goes. */
#ifndef EMAILCFG_ERROR_H
#define EMAILCFG_ERROR_H

#include <stdarg.h>

/* Exit status, exactly as docs/cli.md defines it. */
enum ec_status {
	EC_OK = 0,       /* done */
	EC_FAILED = 1,   /* something checked or attempted failed */
	EC_USAGE = 2,    /* bad usage, or a value the rules refuse */
	EC_CONFLICT = 3, /* a conflict; the edit is kept in the outbox */
	EC_NETWORK = 4,  /* organization unreachable or credentials refused */
	EC_LOCAL = 5,    /* local cache or configuration problem */
};

typedef struct ec_error {
	enum ec_status status;
	char msg[1024];
} ec_error;

/* Sets err (when not NULL) and returns status, so callers can write
 * `return ec_fail(err, EC_USAGE, "...")`. */
int ec_fail(ec_error *err, enum ec_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ec_vfail(ec_error *err, enum ec_status status, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void ec_error_clear(ec_error *err);

#endif
