/*
 * cmd/diag.c: what the commands print on standard error and how they exit:
 * err(3) and warnx(3) with every message cleaned as error_clean does
 * (failure.h), so that a hostile column name or label is one line of text on
 * any terminal.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>

#include "cmd.h"
#include "failure.h"

void
error_warn(const char *fmt, ...)
{
	char clean[1024];
	va_list ap;

	va_start(ap, fmt);
	error_format(clean, sizeof(clean), fmt, ap);
	va_end(ap);
	warnx("%s", clean);
}

void
error_die(int status, const char *fmt, ...)
{
	char clean[1024];
	va_list ap;

	va_start(ap, fmt);
	error_format(clean, sizeof(clean), fmt, ap);
	va_end(ap);
	errx(status, "%s", clean);
}

void
error_die_errno(int status, const char *fmt, ...)
{
	char clean[1024];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	error_format(clean, sizeof(clean), fmt, ap);
	va_end(ap);
	errno = saved;
	err(status, "%s", clean);
}

void
error_exit(const struct error *e)
{
	errx(e->status, "%s", e->msg);
}
